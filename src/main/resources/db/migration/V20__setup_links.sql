-- Setup links: a customer's IT admin without a Gatehouse account sets up an org's SSO, domains and
-- directory sync. The link's secret is kept only as its SHA-256; a link ends at expires_at or revoked_at.
create table setup_links (
    id            uuid primary key,
    org_id        uuid not null references orgs (id) on delete cascade,
    secret_hash   text not null unique,
    scopes        text not null,
    created_by    text not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
create index setup_links_org_idx on setup_links (org_id);

-- A link's secret exchanged for a short page session (its token kept as SHA-256): the setup pages accept
-- only this, and only while its link is neither expired nor revoked.
create table setup_sessions (
    token_hash  text primary key,
    link_id     uuid not null references setup_links (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index setup_sessions_expires_idx on setup_sessions (expires_at);

-- Connections made through setup start as drafts (no one signs in through them) until a test sign-in
-- succeeds or an admin activates them anyway; both are kept.
alter table connections add column draft boolean not null default false;
alter table connections add column tested_at timestamptz;
alter table connections add column activated_at timestamptz;
alter table connections add column activated_untested boolean not null default false;

-- Test sign-ins run from the setup page: what the IdP sent and what Gatehouse would make of it. They
-- create no user and no session; they are kept a day.
create table setup_tests (
    id              uuid primary key,
    org_id          uuid not null references orgs (id) on delete cascade,
    connection_id   uuid not null references connections (id) on delete cascade,
    browser_binding text not null,
    created_at      timestamptz not null,
    finished_at     timestamptz,
    result          jsonb
);
create index setup_tests_created_idx on setup_tests (created_at);

alter table login_attempts drop constraint login_attempts_kind;
alter table login_attempts add constraint login_attempts_kind check (kind in ('login', 'logout', 'test'));
