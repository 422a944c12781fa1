-- One row per sensor and settings revision the sensor reported it could not apply: the key that
-- makes SETTINGS_APPLY_FAILED a notification once per failed revision, however often the sensor
-- repeats the failure (it retries a failed revision every minute) and however many console
-- instances receive it (insert ... on conflict do nothing decides which one records it).
create table settings_apply_failures (
    sensor_id   uuid        not null references sensors (id) on delete cascade,
    revision    bigint      not null,
    reason      text        not null,
    recorded_at timestamptz not null,
    primary key (sensor_id, revision)
);
