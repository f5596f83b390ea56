-- Several accounts under one SSO configuration: an account (an org with sso_parent_id) signs its people in
-- through its parent's connections, domains and directory; one level only. The parent names the account
-- just-in-time provisioning puts new people in (null: itself).
alter table orgs add column sso_parent_id uuid references orgs (id);
alter table orgs add column default_account_id uuid references orgs (id) on delete set null;
create index orgs_sso_parent_idx on orgs (sso_parent_id) where sso_parent_id is not null;

-- A person of a shared configuration is one user (in the parent) with a membership, and its own roles, in
-- each other account they belong to. Membership of the parent itself is the user's own row (home_member).
create table memberships (
    user_id       uuid not null references users (id) on delete cascade,
    org_id        uuid not null references orgs (id) on delete cascade,
    roles         jsonb not null default '[]',
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    primary key (user_id, org_id)
);
create index memberships_org_idx on memberships (org_id);
alter table users add column home_member boolean not null default true;
alter table users add column home_last_used_at timestamptz;

-- The account a session is in now (null: the user's own org); switching changes it, the session stays.
alter table sessions add column account_id uuid references orgs (id) on delete cascade;
