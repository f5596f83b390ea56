-- Orgs: one customer organization each. The code is the company code people type; immutable.
create table orgs (
    id                    uuid primary key,
    code                  text not null,
    name                  text not null,
    sso_enforced          boolean not null default false,
    jit_default_role      text not null default 'member',
    allowed_return_urls   text[] not null default '{}',
    link_password_users   boolean not null default false,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    constraint orgs_code_format check (code ~ '^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$'),
    constraint orgs_jit_role_not_admin check (jit_default_role not in ('admin', 'owner'))
);
create unique index orgs_code_key on orgs (code);
-- Email domains an org owns. Only the operator sets them (they count as verified), and each
-- routes sign-ins to exactly one org.
create table org_domains (
    domain  text primary key,
    org_id  uuid not null references orgs (id) on delete cascade
);
create index org_domains_org_idx on org_domains (org_id);
