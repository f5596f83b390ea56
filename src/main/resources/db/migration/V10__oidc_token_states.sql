-- quarkus-oidc's session between the OIDC callback and the login endpoint it redirects to: the ID token,
-- kept here (encrypted) instead of in cookies, which browsers drop above 4 KB. The browser holds only
-- a random handle; its SHA-256 is the key. Rows live minutes, and are deleted when the login completes.
create table oidc_token_states (
    handle_hash text primary key,
    id_token    text not null,
    expires_at  timestamptz not null
);
create index oidc_token_states_expiry_idx on oidc_token_states (expires_at);
