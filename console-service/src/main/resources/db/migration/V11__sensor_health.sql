-- The health each sensor last reported, with its checks. Written by the heartbeat flush only when
-- it changed (see fingerprint), not on every heartbeat; the flush holds the sensor's row while it
-- writes, so each status transition is seen, and notified, once whatever the number of instances.
create table sensor_health (
    sensor_id   uuid primary key references sensors (id) on delete cascade,
    status      text        not null check (status in ('OK', 'DEGRADED', 'FAILED')),
    -- What "changed" compares: a digest of the status and of each check's name and status, and of
    -- its message when it is not OK (an OK check's message carries a value that moves every run).
    fingerprint text        not null,
    -- Every check of that heartbeat: [{"name", "status", "message", "observed"}], by name.
    checks      jsonb       not null default '[]',
    -- When the status last changed.
    since       timestamptz not null,
    -- The heartbeat this row was written from; an older one never overwrites a newer one.
    reported_at timestamptz not null
);
create index sensor_health_status_idx on sensor_health (status);

-- Sensors that reported before: their status as it stands, so the first heartbeat after the
-- upgrade does not announce a transition that happened before it.
insert into sensor_health (sensor_id, status, fingerprint, since, reported_at)
select id, health_status, 'before-checks', last_seen, last_seen from sensors
where health_status in ('OK', 'DEGRADED', 'FAILED');
