-- The IdP's ID token of an OIDC sign-in, encrypted, kept with the session for RP-initiated logout
-- (id_token_hint); dropped with the session.
alter table sessions add column idp_id_token text;
