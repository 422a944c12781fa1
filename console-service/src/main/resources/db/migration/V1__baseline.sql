-- SensorFleet baseline schema. Shipped migrations are never edited: add V2__… instead.

-- Key pairs shared by every console instance; private parts sealed with the master key.
create table key_material (
    name           text primary key,
    public_pem     text        not null,
    private_sealed bytea       not null,
    created_at     timestamptz not null
);

create table users (
    id            uuid primary key,
    username      text        not null unique,
    password_hash text        not null,
    role          text        not null check (role in ('ADMIN', 'SECURITY_ANALYST', 'READ_ONLY')),
    enabled       boolean     not null default true,
    created_at    timestamptz not null
);

create table zones (
    id          uuid primary key,
    name        text        not null unique,
    description text,
    created_at  timestamptz not null
);

create table enrollment_tokens (
    id             uuid primary key,
    token_hash     bytea       not null unique,
    description    text,
    zone_id        uuid references zones (id) on delete set null,
    created_by     text        not null,
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    revoked_at     timestamptz,
    used_at        timestamptz,
    used_by_sensor uuid
);

create table sensors (
    id                        uuid primary key,
    name                      text        not null,
    hostname                  text,
    zone_id                   uuid references zones (id),
    software_version          text        not null,
    enrolled_at               timestamptz not null,
    enrolled_with_token       uuid        not null references enrollment_tokens (id),
    last_seen                 timestamptz not null,
    clock_offset_ms           bigint,
    health_status             text,
    health_detail             text,
    connectivity              text        not null
        check (connectivity in ('SYNCED', 'OUT_OF_SYNC', 'TIME_DIFF_OFFSET', 'DISCONNECTED')),
    connectivity_since        timestamptz not null,
    desired_settings_revision bigint      not null default 0,
    applied_settings_revision bigint      not null default 0,
    certificate_serial        numeric(40) not null,
    certificate_not_after     timestamptz not null
);
create index sensors_connectivity_idx on sensors (connectivity);
create index sensors_zone_idx on sensors (zone_id);
create index sensors_name_idx on sensors (lower(name));
create index sensors_version_idx on sensors (software_version);
-- The disconnect sweep looks only at connected sensors by last_seen.
create index sensors_last_seen_connected_idx on sensors (last_seen) where connectivity <> 'DISCONNECTED';

-- Every certificate the internal CA issued to a sensor; revocations feed the CRL and the
-- agent-plane check of every instance.
create table sensor_certificates (
    serial            numeric(40) primary key,
    sensor_id         uuid        not null,
    fingerprint       text        not null,
    not_before        timestamptz not null,
    not_after         timestamptz not null,
    issued_at         timestamptz not null,
    revoked_at        timestamptz,
    revocation_reason text
);
create index sensor_certificates_sensor_idx on sensor_certificates (sensor_id);
create index sensor_certificates_revoked_idx on sensor_certificates (revoked_at) where revoked_at is not null;
