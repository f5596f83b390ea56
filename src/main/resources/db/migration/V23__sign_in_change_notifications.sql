-- What /v1/sso/start and /o/{org} read is held in memory on every replica (SignInLookups); these
-- triggers announce its changes on the channel the replicas listen to. Orgs, their domains and their
-- connections: any change drops every held lookup (they change rarely). Users: a username that
-- appears, changes or goes drops only that login's lookup (JIT adds people all day).
create function gatehouse_sign_in_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('gatehouse_sign_in_changed', '');
    return null;
end $$;

create trigger orgs_sign_in_changed after insert or update or delete or truncate on orgs
    for each statement execute function gatehouse_sign_in_changed();
create trigger org_domains_sign_in_changed after insert or update or delete or truncate on org_domains
    for each statement execute function gatehouse_sign_in_changed();
create trigger connections_sign_in_changed after insert or update or delete or truncate on connections
    for each statement execute function gatehouse_sign_in_changed();

create function gatehouse_username_changed() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.username is not null then
        perform pg_notify('gatehouse_sign_in_changed', 'user:' || lower(old.username));
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.username is not null then
        perform pg_notify('gatehouse_sign_in_changed', 'user:' || lower(new.username));
    end if;
    return null;
end $$;

create trigger users_sign_in_changed after insert or delete or update of username, org_id on users
    for each row execute function gatehouse_username_changed();
create trigger users_truncated_sign_in_changed after truncate on users
    for each statement execute function gatehouse_sign_in_changed();
