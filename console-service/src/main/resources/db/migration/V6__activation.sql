-- Activation files and the keys that sign them (V5 belongs to backups).

create table console_identity (
    id         integer primary key check (id = 1),
    console_id uuid        not null,
    created_at timestamptz not null
);

-- Several keys may be trusted at once (rotation); the newest unretired one signs.
create table activation_keys (
    kid            text primary key,
    public_pem     text        not null,
    private_sealed bytea       not null,
    created_at     timestamptz not null,
    retired_at     timestamptz
);

create table activation_files (
    id          uuid primary key,
    sensor_id   uuid        not null,
    sensor_name text        not null,
    mode        text        not null check (mode in ('LOCALLY_MANAGED', 'CONSOLE_CONNECTED')),
    issued_at   timestamptz not null,
    expires_at  timestamptz,
    kid         text        not null references activation_keys (kid),
    content     text        not null,
    issued_by   text        not null,
    installed_at timestamptz
);
create index activation_files_sensor_idx on activation_files (sensor_id, issued_at desc);

alter table sensors
    add column activation_file_id    uuid,
    add column activation_mode       text,
    add column activation_expires_at timestamptz;
create index sensors_activation_expiry_idx on sensors (activation_expires_at) where activation_expires_at is not null;
