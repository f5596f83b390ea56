-- One signed-in user on one device (the sid claim).
create table sessions (
    id                  uuid primary key,
    user_id             uuid not null references users (id) on delete cascade,
    org_id              uuid not null references orgs (id) on delete cascade,
    amr                 text not null,
    connection_id       uuid references connections (id) on delete set null,
    idp_session_ref     text,
    created_at          timestamptz not null,
    last_used_at        timestamptz not null,
    expires_at          timestamptz not null,
    revoked_at          timestamptz,
    constraint sessions_amr check (amr in ('pwd', 'sso'))
);
create index sessions_user_idx on sessions (user_id);
create index sessions_org_idx on sessions (org_id);
