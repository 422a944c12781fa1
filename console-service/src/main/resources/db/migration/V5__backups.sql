-- Backups collected from sensors, collection runs and their per-sensor tasks, failures, allocations.
-- (V3 belongs to notifications and forwarding.)

-- A collection: the daily one (at most one per day, whatever the number of console instances) or
-- one an operator started.
create table backup_collections (
    id            uuid primary key,
    trigger       text        not null check (trigger in ('SCHEDULE', 'ON_DEMAND')),
    scheduled_for date,
    target        text        not null,
    requested_by  text        not null,
    created_at    timestamptz not null
);
create unique index backup_collections_scheduled_idx on backup_collections (scheduled_for) where trigger = 'SCHEDULE';
create index backup_collections_created_idx on backup_collections (created_at desc);

-- Stored backups. The file is <storage-dir>/<storage_name>, a name the console chose; file_name is
-- the sensor's name for it, sanitised. No foreign key to sensors: backups outlive a deleted sensor.
create table backups (
    id               uuid primary key,
    sensor_id        uuid        not null,
    sensor_name      text        not null,
    task_id          uuid,
    file_name        text        not null,
    storage_name     text        not null unique,
    software_version text        not null,
    taken_at         timestamptz,
    size_bytes       bigint      not null check (size_bytes >= 0),
    sha256           text        not null,
    state            text        not null check (state in ('UPLOADING', 'STORED')),
    received_bytes   bigint      not null default 0,
    upload_attempts  integer     not null default 1,
    resumed_from     bigint,
    created_at       timestamptz not null,
    stored_at        timestamptz
);
create index backups_sensor_idx on backups (sensor_id, stored_at desc);
create index backups_stored_idx on backups (stored_at desc) where state = 'STORED';
create unique index backups_task_idx on backups (task_id) where task_id is not null and state = 'UPLOADING';

-- One unit of work for one sensor: collect a backup, or restore one. A sensor has at most one
-- active task; seq orders them and lets each instance find new ones since its last look.
create table backup_tasks (
    id                   uuid primary key,
    seq                  bigserial   not null unique,
    collection_id        uuid references backup_collections (id) on delete cascade,
    sensor_id            uuid        not null references sensors (id) on delete cascade,
    action               text        not null check (action in ('BACKUP', 'RESTORE')),
    backup_id            uuid,
    reuse_within_seconds bigint      not null default 0,
    state                text        not null check (state in ('PENDING', 'OFFERED', 'RUNNING', 'DONE', 'FAILED')),
    failure_kind         text,
    reason               text,
    bytes_total          bigint,
    bytes_done           bigint      not null default 0,
    offers               integer     not null default 0,
    requested_by         text        not null,
    created_at           timestamptz not null,
    offered_at           timestamptz,
    started_at           timestamptz,
    updated_at           timestamptz not null,
    finished_at          timestamptz
);
create unique index backup_tasks_one_active_idx on backup_tasks (sensor_id) where state in ('PENDING', 'OFFERED', 'RUNNING');
create index backup_tasks_active_idx on backup_tasks (state, seq) where state in ('PENDING', 'OFFERED', 'RUNNING');
create index backup_tasks_collection_idx on backup_tasks (collection_id);
create index backup_tasks_backup_idx on backup_tasks (backup_id) where backup_id is not null;

-- Every failure, per sensor, with the kind and the reason (the API shows them; each also raises a
-- remote backup failure / restore failure system notification).
create table backup_failures (
    id          bigserial primary key,
    sensor_id   uuid        not null,
    sensor_name text,
    task_id     uuid,
    backup_id   uuid,
    action      text        not null check (action in ('BACKUP', 'RESTORE')),
    kind        text        not null,
    reason      text        not null,
    at          timestamptz not null
);
create index backup_failures_sensor_idx on backup_failures (sensor_id, at desc);
create index backup_failures_at_idx on backup_failures (at desc);

-- Space a sensor's stored backups may take together, when it differs from the configured default.
create table backup_allocations (
    sensor_id  uuid primary key references sensors (id) on delete cascade,
    bytes      bigint      not null check (bytes > 0),
    updated_by text        not null,
    updated_at timestamptz not null
);
