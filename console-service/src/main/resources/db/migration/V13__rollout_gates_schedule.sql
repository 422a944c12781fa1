-- Health-gated and scheduled rollouts.

-- SCHEDULED: created, waiting for its start time and/or its daily window; nothing started yet.
alter table update_rollouts drop constraint update_rollouts_state_check;
alter table update_rollouts add constraint update_rollouts_state_check check (state in
    ('SCHEDULED', 'RUNNING', 'PAUSED', 'HALTED', 'CANCELLED', 'SUCCEEDED', 'FINISHED_WITH_FAILURES'));

alter table update_rollouts
    -- How long the rollout waits after each batch ended, watching the batch's updated sensors, before it goes on.
    add column soak_seconds  integer not null default 0,
    -- The end of the soak under way: set when the current batch ended, cleared when the next batch opens.
    add column soak_until    timestamptz,
    -- How long each sensor keeps the previous version after the hand-over (sent with the task);
    -- null for rollouts made before this column: the sensor used its own setting.
    add column watch_seconds integer,
    -- Do not start before this time (null: at once, or when the window opens).
    add column start_at      timestamptz,
    -- A daily window, in window_zone's local time, outside which no sensor starts its update. A
    -- window whose end is before its start spans midnight (22:00-04:00). All three or none.
    add column window_start  time,
    add column window_end    time,
    add column window_zone   text,
    -- When the rollout left SCHEDULED (created_at for one that started at once).
    add column started_at    timestamptz,
    add constraint update_rollouts_window_check check ((window_start is null) = (window_end is null)
        and (window_start is null) = (window_zone is null));
update update_rollouts set started_at = created_at;
create index update_rollouts_scheduled_idx on update_rollouts (start_at) where state = 'SCHEDULED';

alter table update_targets
    -- The sensor's health when its update started (OK, DEGRADED, FAILED; null: none reported yet),
    -- and the names of its checks that were not OK then: the health gate compares against these.
    add column health_before text,
    add column checks_before text[],
    -- Why this sensor halted the rollout (rolled back, health worse, disconnected). Set once, so a
    -- rollout an operator resumed is not halted again by the same sensor for the same thing.
    add column gate_reason   text;
