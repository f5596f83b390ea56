-- A group → role mapping may name the account it grants in (an account of the org's SSO configuration):
-- people in the group get a membership there with those roles, kept apart from the roles given by hand.
alter table role_mappings add column account_id uuid references orgs (id) on delete cascade;
alter table role_mappings drop constraint role_mappings_pkey;
create unique index role_mappings_key on role_mappings (org_id, group_key, coalesce(account_id, org_id));
alter table memberships add column group_roles jsonb not null default '[]';
