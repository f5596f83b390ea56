-- Logouts are rows of the attempt log too: kind 'logout', with the direction and sessions ended in detail.
alter table login_attempts add column kind text not null default 'login';
alter table login_attempts add constraint login_attempts_kind check (kind in ('login', 'logout'));

-- OIDC back-channel logout tokens seen (jti), kept until they would have expired: a replay is refused.
create table logout_token_ids (
    org_id      uuid not null references orgs (id) on delete cascade,
    issuer      text not null,
    jti         text not null,
    expires_at  timestamptz not null,
    primary key (org_id, issuer, jti)
);
create index logout_token_ids_expires_idx on logout_token_ids (expires_at);
