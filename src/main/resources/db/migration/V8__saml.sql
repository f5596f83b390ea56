-- SAML connections: what the IdP's metadata says (entity ID, SSO/SLO URLs, every signing certificate),
-- the metadata document itself, and the SP's own key pair (private key: PKCS#8, encrypted under the
-- master key; certificate: PEM).
alter table connections
    add column saml_idp                   jsonb,
    add column saml_metadata_xml          text,
    add column saml_metadata_updated_at   timestamptz,
    add column sp_private_key_ciphertext  text,
    add column sp_certificate             text;

-- AuthnRequests Gatehouse sent, for the InResponseTo check; RelayState is an opaque reference to a row.
create table saml_requests (
    id              text primary key,
    org_id          uuid not null references orgs (id) on delete cascade,
    connection_id   uuid not null references connections (id) on delete cascade,
    relay_state     text not null unique,
    delivery        jsonb not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    consumed_at     timestamptz
);
create index saml_requests_expires_idx on saml_requests (expires_at);

-- Replay store: every assertion ID that signed someone in, kept until the assertion expires.
create table saml_assertions (
    org_id          uuid not null references orgs (id) on delete cascade,
    assertion_id    text not null,
    expires_at      timestamptz not null,
    primary key (org_id, assertion_id)
);
create index saml_assertions_expires_idx on saml_assertions (expires_at);
