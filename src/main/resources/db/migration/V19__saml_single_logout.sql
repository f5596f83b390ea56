-- What the IdP needs to find its own session at logout, encrypted, kept with the session: the OIDC ID
-- token (id_token_hint), or the SAML NameID with its qualifiers and SessionIndex (LogoutRequest).
alter table sessions rename column idp_id_token to idp_logout_hint;

-- LogoutRequests Gatehouse sent sit beside its AuthnRequests (the LogoutResponse's InResponseTo is
-- checked against them); an HTTP-POST-bound one keeps its signed message until the browser carries it.
alter table saml_requests add column kind text not null default 'authn';
alter table saml_requests add constraint saml_requests_kind check (kind in ('authn', 'logout'));
alter table saml_requests add column message text;
