-- Connections: one identity provider configured for one org.
create table connections (
    id                          uuid primary key,
    org_id                      uuid not null references orgs (id) on delete cascade,
    type                        text not null,
    name                        text not null,
    enabled                     boolean not null default true,
    is_default                  boolean not null default false,
    -- Type-specific, non-secret settings (tenant ID, issuer, SAML values, claim mapping).
    settings                    jsonb not null default '{}',
    -- AES-256-GCM ciphertext under the master key; never returned by the API.
    client_secret_ciphertext    text,
    client_secret_expires_at    timestamptz,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null,
    constraint connections_type check (type in ('azure-ad', 'oidc', 'saml'))
);
create index connections_org_idx on connections (org_id);
-- At most one default connection per org.
create unique index connections_one_default_per_org on connections (org_id) where is_default;
