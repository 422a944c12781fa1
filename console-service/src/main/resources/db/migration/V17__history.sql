-- History for the charts of the dashboard and the sensor page. Owned by the history package.

-- The fleet, one row a minute: sensors by connectivity and by health at that minute. Written by
-- whichever console instance gets there first (insert … on conflict do nothing on the minute), so
-- several instances on one database write each minute once; pruned after
-- sensorfleet.history.fleet-retention (30 days: 43,200 rows).
create table fleet_history (
    minute           timestamptz primary key,
    total            integer not null,
    synced           integer not null,
    out_of_sync      integer not null,
    time_diff_offset integer not null,
    disconnected     integer not null,
    health_ok        integer not null,
    health_degraded  integer not null,
    health_failed    integer not null,
    -- Sensors that never reported a health.
    health_unknown   integer not null
);

-- Each sensor, one row per 15 minutes it reported in: what its heartbeats said. Written by the
-- heartbeat flush in its batch (one upsert per flush, not per heartbeat), merging the heartbeats
-- of the same quarter hour; pruned after sensorfleet.history.sensor-retention (7 days: 672 rows a
-- sensor at most).
create table sensor_history (
    sensor_id     uuid        not null references sensors (id) on delete cascade,
    -- The start of the quarter hour.
    bucket        timestamptz not null,
    heartbeats    integer     not null,
    -- The sensor's clock minus the console's, as received (it includes the one-way network delay).
    offset_min_ms bigint      not null,
    offset_max_ms bigint      not null,
    offset_sum_ms bigint      not null,
    -- The round trip of the agent's previous heartbeat, as the agent measured it; agents older than
    -- that field send none, so these stay null and rtt_samples 0.
    rtt_samples   integer     not null,
    rtt_min_ms    integer,
    rtt_max_ms    integer,
    rtt_sum_ms    bigint,
    -- The worst health reported in the quarter hour: 0 OK, 1 DEGRADED, 2 FAILED.
    worst_health  smallint    not null check (worst_health between 0 and 2),
    primary key (sensor_id, bucket)
);
-- For pruning by age.
create index sensor_history_bucket_idx on sensor_history (bucket);
