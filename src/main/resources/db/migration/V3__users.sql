-- Users belong to one org; a username is unique across all orgs, so it alone finds the org.
create table users (
    id                  uuid primary key,
    org_id              uuid not null references orgs (id) on delete cascade,
    username            text not null,
    email               text,
    display_name        text,
    roles               text[] not null default '{}',
    auth_mode           text not null,
    password_hash       text,
    status              text not null default 'active',
    converted_to_sso_at timestamptz,
    last_login_at       timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    constraint users_auth_mode check (auth_mode in ('password', 'sso')),
    constraint users_status check (status in ('active', 'disabled')),
    constraint users_password_only_for_password_users
        check ((auth_mode = 'password') = (password_hash is not null))
);
create unique index users_username_key on users (lower(username));
create index users_org_idx on users (org_id, lower(username));
create index users_org_email_idx on users (org_id, lower(email));

-- Identity links: (connection, external subject) -> user.
create table identity_links (
    id              uuid primary key,
    org_id          uuid not null references orgs (id) on delete cascade,
    connection_id   uuid not null references connections (id) on delete cascade,
    subject         text not null,
    user_id         uuid not null references users (id) on delete cascade,
    created_at      timestamptz not null,
    last_login_at   timestamptz,
    constraint identity_links_subject_key unique (connection_id, subject)
);
create index identity_links_user_idx on identity_links (user_id);
