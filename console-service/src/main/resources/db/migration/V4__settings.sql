-- Settings pushed to sensors (V3 belongs to notifications and forwarding).

-- One row per value set at a scope. GLOBAL uses the nil UUID as scope_id. Secrets are sealed
-- with the master key and have no clear value.
create table settings_values (
    scope         text        not null check (scope in ('GLOBAL', 'SITE', 'ZONE', 'SENSOR')),
    scope_id      uuid        not null,
    key           text        not null,
    value         jsonb,
    secret_sealed bytea,
    updated_at    timestamptz not null,
    primary key (scope, scope_id, key)
);
create index settings_values_scope_id_idx on settings_values (scope_id);

-- Every change is a revision; a sensor's desired revision is the last one that touched it.
create table settings_revisions (
    id               bigserial primary key,
    at               timestamptz not null,
    actor            text        not null,
    scope            text        not null,
    scope_id         uuid,
    changes          jsonb       not null,
    sensors_affected integer     not null
);

alter table sensors
    add column settings_error       text,
    add column applied_settings     jsonb,
    add column settings_drift       jsonb,
    add column settings_reported_at timestamptz;
create index sensors_desired_revision_idx on sensors (desired_settings_revision);
