-- Keys Gatehouse signs its JWTs with. The private key is AES-256-GCM ciphertext under the master key.
create table signing_keys (
    id                      uuid primary key,
    kid                     text not null unique,
    algorithm               text not null,
    public_key              text not null,
    private_key_ciphertext  text not null,
    status                  text not null,
    created_at              timestamptz not null,
    retired_at              timestamptz,
    constraint signing_keys_status check (status in ('active', 'retired'))
);
create unique index signing_keys_one_active on signing_keys (status) where status = 'active';
