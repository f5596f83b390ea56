-- Directory sync (SCIM 2.0): per-org bearer tokens, provisioned people and groups, group -> role mappings.
create table scim_tokens (
    id            uuid primary key,
    org_id        uuid not null references orgs (id) on delete cascade,
    name          text not null,
    token_hash    text not null unique,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index scim_tokens_org_idx on scim_tokens (org_id);

-- external_id: the IdP's id of the person (SCIM externalId); provisioned_at: when SCIM first created or
-- adopted them; deprovisioned_at: set while SCIM has them inactive or deleted (sign-in refused as such).
-- roles stay the roles given by hand; group_roles are computed from role mappings; idp_groups are the
-- groups the person's last SSO sign-in carried.
alter table users
    add column external_id      text,
    add column provisioned_at   timestamptz,
    add column deprovisioned_at timestamptz,
    add column group_roles      text[] not null default '{}',
    add column idp_groups       text[] not null default '{}';
create unique index users_org_external_id_key on users (org_id, external_id) where external_id is not null;

create table directory_groups (
    id            uuid primary key,
    org_id        uuid not null references orgs (id) on delete cascade,
    display_name  text not null,
    external_id   text,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create unique index directory_groups_name_key on directory_groups (org_id, lower(display_name));

create table directory_group_members (
    group_id  uuid not null references directory_groups (id) on delete cascade,
    user_id   uuid not null references users (id) on delete cascade,
    primary key (group_id, user_id)
);
create index directory_group_members_user_idx on directory_group_members (user_id);

-- An IdP group (its name or id, as SCIM, the OIDC groups claim or the SAML groups attribute gives it) -> roles.
create table role_mappings (
    org_id     uuid not null references orgs (id) on delete cascade,
    group_key  text not null,
    roles      text[] not null,
    primary key (org_id, group_key)
);

alter table orgs
    add column directory_synced_at timestamptz,
    add column scim_delete_users   boolean not null default false;
