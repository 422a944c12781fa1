-- Operators (lockout, token invalidation), API tokens, the site hierarchy, the audit log.

alter table users
    add column failed_logins      integer not null default 0,
    add column locked_until       timestamptz,
    add column tokens_valid_after timestamptz;

-- API tokens are signed like login tokens; this row decides whether one is still accepted.
create table api_tokens (
    id           uuid primary key,
    description  text        not null,
    role         text        not null check (role in ('ADMIN', 'SECURITY_ANALYST', 'READ_ONLY')),
    created_by   text        not null,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

create table business_units (
    id         uuid primary key,
    name       text        not null,
    created_at timestamptz not null
);
create unique index business_units_name_idx on business_units (lower(name));

create table regions (
    id               uuid primary key,
    name             text        not null,
    business_unit_id uuid        not null references business_units (id),
    created_at       timestamptz not null
);
create unique index regions_name_idx on regions (business_unit_id, lower(name));

create table sites (
    id         uuid primary key,
    name       text        not null,
    address    text,
    region_id  uuid        not null references regions (id),
    created_at timestamptz not null
);
create unique index sites_name_idx on sites (region_id, lower(name));

-- Zones now belong to a site; names are unique within it.
alter table zones add column site_id uuid references sites (id);
alter table zones drop constraint zones_name_key;
create unique index zones_site_name_idx on zones (site_id, lower(name));
create index zones_site_idx on zones (site_id);

create table audit_log (
    id             bigserial primary key,
    at             timestamptz not null,
    actor          text        not null,
    actor_role     text,
    action         text        not null,
    method         text,
    path           text,
    target         text,
    result         integer     not null,
    detail         text,
    source_address text
);
create index audit_log_at_idx on audit_log (at desc);
create index audit_log_actor_idx on audit_log (actor, at desc);
