-- Software updates: signed packages, rollouts in batches, per-sensor targets with their stages.
-- (V8 and V10 belong to other features.)

create table update_packages (
    id                      uuid primary key,
    version                 text        not null unique,
    manifest                text        not null,
    applies_to              text        not null,
    requires_new_activation boolean     not null,
    payload_sha256          text        not null,
    package_sha256          text        not null,
    size_bytes              bigint      not null,
    key_id                  text        not null,
    storage_name            text        not null,
    uploaded_by             text        not null,
    uploaded_at             timestamptz not null
);

create table update_rollouts (
    id                    uuid primary key,
    package_id            uuid        not null references update_packages (id),
    target                text        not null,
    canary_size           integer     not null,
    batch_size            integer     not null,
    max_parallel          integer     not null,
    failure_threshold_pct integer     not null,
    state                 text        not null
        check (state in ('RUNNING', 'PAUSED', 'HALTED', 'CANCELLED', 'SUCCEEDED', 'FINISHED_WITH_FAILURES')),
    current_batch         integer     not null default 0,
    batches               integer     not null,
    halt_reason           text,
    created_by            text        not null,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    finished_at           timestamptz
);
create index update_rollouts_state_idx on update_rollouts (state);

-- One row per sensor of a rollout; its id is the task id the sensor reports with.
-- stage: WAITING (batch not reached), BLOCKED (needs an activation file), REFUSED (package does not apply),
-- CANCELLED, or an UpdateStage (QUEUED … SUCCEEDED, FAILED, ROLLED_BACK).
create table update_targets (
    id               uuid primary key,
    rollout_id       uuid        not null references update_rollouts (id) on delete cascade,
    sensor_id        uuid        not null,
    sensor_name      text        not null,
    batch            integer,
    position         integer     not null,
    stage            text        not null,
    percent          integer,
    from_version     text        not null,
    reason           text,
    log              text,
    attempts         integer     not null default 0,
    offered_at       timestamptz,
    stage_started_at timestamptz,
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz not null,
    unique (rollout_id, sensor_id)
);
create index update_targets_rollout_idx on update_targets (rollout_id, batch, stage);
create index update_targets_sensor_idx on update_targets (sensor_id);
-- A sensor works on at most one update at a time.
create unique index update_targets_one_active_idx on update_targets (sensor_id)
    where stage in ('QUEUED', 'DOWNLOADING', 'BACKING_UP', 'VERIFYING', 'INSTALLING', 'VALIDATING');

-- Every stage a target went through, with when: the rollout's history and the order of batches.
create table update_stage_events (
    id        bigserial primary key,
    target_id uuid        not null references update_targets (id) on delete cascade,
    stage     text        not null,
    percent   integer,
    detail    text,
    at        timestamptz not null
);
create index update_stage_events_target_idx on update_stage_events (target_id, id);
