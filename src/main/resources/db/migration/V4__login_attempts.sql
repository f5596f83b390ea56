-- Every SSO and password attempt. Never the credential, token or SAMLResponse itself.
create table login_attempts (
    seq             bigint generated always as identity primary key,
    id              uuid not null unique,
    org_id          uuid references orgs (id) on delete cascade,
    connection_id   uuid,
    user_id         uuid,
    protocol        text not null,
    outcome         text not null,
    reason          text,
    login_hint      text,
    detail          jsonb not null default '{}',
    ip              text,
    user_agent      text,
    created_at      timestamptz not null,
    constraint login_attempts_outcome check (outcome in ('success', 'failure')),
    constraint login_attempts_protocol check (protocol in ('password', 'oidc', 'saml'))
);
create index login_attempts_org_idx on login_attempts (org_id, seq desc);
