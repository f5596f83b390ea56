-- Email domains an org admin claims, pending until a DNS TXT record proves them
-- (gatehouse-domain-verification=<token> at _gatehouse.<domain>). A proven claim moves to
-- org_domains (verified: routes sign-ins and gates JIT) and is deleted here.
create table domain_claims (
    org_id           uuid not null references orgs (id) on delete cascade,
    domain           text not null,
    token            text not null,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    last_checked_at  timestamptz,
    last_problem     text,
    primary key (org_id, domain)
);
create index domain_claims_pending_idx on domain_claims (expires_at);
