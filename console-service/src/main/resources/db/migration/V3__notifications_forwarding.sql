-- System notifications, sensor alerts, forwarding rules, the delivery outbox and maintenance
-- windows (SPEC §3.8). Shipped migrations are never edited: add V4__… instead.

-- Every system notification and sensor alert, written in the transaction of the change that
-- caused it. Kept after its sensor is deleted, so names are copied at event time.
create table notifications (
    id                 uuid primary key,
    occurred_at        timestamptz not null,
    category           text        not null check (category in ('SYSTEM', 'ALERT')),
    type               text        not null,
    severity           text        not null check (severity in ('WARNING', 'MINOR', 'MAJOR', 'CRITICAL')),
    title              text        not null,
    message            text,
    sensor_id          uuid,
    sensor_name        text,
    zone_id            uuid,
    zone_name          text,
    -- Sensor alerts only: the id the agent chose (for de-duplication) and what it reported.
    alert_id           text,
    engine             text,
    protocol           text,
    source             text,
    destination        text,
    -- Ticket of the maintenance window that kept this notification from being forwarded.
    suppressed_by      text
);
create index notifications_time_idx on notifications (occurred_at desc, id);
create index notifications_sensor_idx on notifications (sensor_id, occurred_at desc);
-- An agent resends an alert it is not sure arrived: the second copy is dropped.
create unique index notifications_alert_idx on notifications (sensor_id, alert_id) where alert_id is not null;

create table forwarding_rules (
    id                          uuid primary key,
    name                        text        not null,
    enabled                     boolean     not null,
    min_severity                text        not null check (min_severity in ('WARNING', 'MINOR', 'MAJOR', 'CRITICAL')),
    report_system_notifications boolean     not null,
    report_alerts               boolean     not null,
    -- Filters: empty means any. Protocols and engines apply to alerts only.
    protocols                   text[]      not null default '{}',
    engines                     text[]      not null default '{}',
    zone_ids                    uuid[]      not null default '{}',
    sensor_ids                  uuid[]      not null default '{}',
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null
);
create unique index forwarding_rules_name_idx on forwarding_rules (lower(name));

-- Where a rule sends: a syslog receiver or a webhook. Settings are JSON of the action's kind.
create table forwarding_actions (
    id       uuid primary key,
    rule_id  uuid    not null references forwarding_rules (id) on delete cascade,
    position int     not null,
    kind     text    not null check (kind in ('SYSLOG', 'WEBHOOK')),
    settings jsonb   not null
);
create index forwarding_actions_rule_idx on forwarding_actions (rule_id);

-- The outbox: one row per notification and matching action, written in the notification's
-- transaction. Workers on every instance claim due rows with FOR UPDATE SKIP LOCKED and a
-- lease (next_attempt_at moved past the delivery time), so one instance sends a row at a time.
create table forwarding_outbox (
    id              bigserial primary key,
    notification_id uuid        not null references notifications (id) on delete cascade,
    rule_id         uuid        not null,
    action_id       uuid        not null references forwarding_actions (id) on delete cascade,
    state           text        not null check (state in ('PENDING', 'DELIVERED', 'PARKED')),
    attempts        int         not null default 0,
    created_at      timestamptz not null,
    next_attempt_at timestamptz not null,
    claim           uuid,
    last_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    unique (notification_id, action_id)
);
create index forwarding_outbox_due_idx on forwarding_outbox (next_attempt_at) where state = 'PENDING';
create index forwarding_outbox_action_idx on forwarding_outbox (action_id, state);
create index forwarding_outbox_parked_idx on forwarding_outbox (rule_id) where state = 'PARKED';

-- Every delivery attempt, successful or not, with what the receiver answered.
create table forwarding_attempts (
    id           bigserial primary key,
    outbox_id    bigint      not null references forwarding_outbox (id) on delete cascade,
    attempted_at timestamptz not null,
    succeeded    boolean     not null,
    outcome      text        not null,
    duration_ms  int         not null,
    instance     text        not null
);
create index forwarding_attempts_outbox_idx on forwarding_attempts (outbox_id, attempted_at);

-- Running totals per action, updated with each batch of delivery results, so showing them does
-- not scan the outbox (which keeps delivered rows only for the retention time).
create table forwarding_action_stats (
    action_id         uuid primary key references forwarding_actions (id) on delete cascade,
    delivered         bigint not null default 0,
    failed_attempts   bigint not null default 0,
    last_delivered_at timestamptz,
    last_failure_at   timestamptz,
    last_error        text
);

-- While open (not closed, not past ends_at), notifications of these sensors are recorded but
-- not forwarded. A ticket id has at most one open window.
create table maintenance_windows (
    id          uuid primary key,
    ticket_id   text        not null,
    sensor_ids  uuid[]      not null,
    engines     text[]      not null default '{}',
    opened_at   timestamptz not null,
    opened_by   text        not null,
    ends_at     timestamptz not null,
    closed_at   timestamptz,
    closed_by   text
);
create unique index maintenance_windows_open_ticket_idx on maintenance_windows (ticket_id) where closed_at is null;
create index maintenance_windows_open_sensors_idx on maintenance_windows using gin (sensor_ids) where closed_at is null;
create index maintenance_windows_opened_idx on maintenance_windows (opened_at desc);

-- What happened to each window: opened, extended, closed, expired.
create table maintenance_window_log (
    id        bigserial primary key,
    window_id uuid        not null references maintenance_windows (id) on delete cascade,
    at        timestamptz not null,
    action    text        not null check (action in ('OPENED', 'EXTENDED', 'CLOSED', 'EXPIRED')),
    actor     text        not null,
    ends_at   timestamptz not null
);
create index maintenance_window_log_window_idx on maintenance_window_log (window_id, at);
