-- A person's access changed (disabled, deleted, roles changed, moved to SSO): every token issued
-- before carries an older version and is refused by every replica, which learn of the change by
-- LISTEN/NOTIFY within a second. Kept while tokens of an older version could still be alive.
create table user_token_versions (
    user_id     uuid primary key,
    version     bigint not null,
    changed_at  timestamptz not null
);
create index user_token_versions_changed_idx on user_token_versions (changed_at);
