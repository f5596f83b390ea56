-- The retention purge (gatehouse.retention.*) finds ended sessions and expired codes by these.
create index sessions_expires_idx on sessions (expires_at);
create index sessions_revoked_idx on sessions (revoked_at) where revoked_at is not null;
create index authorization_codes_expires_idx on authorization_codes (expires_at);
