-- One-time authorization codes for OAuth-style clients (mobile, SPA): 60 s, single use, PKCE S256.
create table authorization_codes (
    code_hash       text primary key,
    session_id      uuid not null references sessions (id) on delete cascade,
    client_id       text not null,
    redirect_uri    text not null,
    code_challenge  text not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    used_at         timestamptz
);
create index authorization_codes_session_idx on authorization_codes (session_id);

-- Refresh tokens (stored as SHA-256), rotated on every use; a used one presented again revokes the session.
create table refresh_tokens (
    token_hash  text primary key,
    session_id  uuid not null references sessions (id) on delete cascade,
    created_at  timestamptz not null,
    used_at     timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
