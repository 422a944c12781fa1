-- Free-form key=value labels on sensors (owned by sensors.SensorLabels). One value per key and
-- sensor; keys and values are validated by the console (charset, lengths, count per sensor).
create table sensor_labels (
    sensor_id  uuid        not null references sensors (id) on delete cascade,
    key        text        not null,
    value      text        not null,
    updated_at timestamptz not null,
    primary key (sensor_id, key)
);
-- Filters "key=value" and "key exists" look sensors up by label, never the other way round.
create index sensor_labels_key_value_idx on sensor_labels (key, value);

-- The inventory filters and exports read a sensor's last update state and last stored backup
-- from the sensors row, so a filter at 100,000 sensors is one indexed table. The rows that hold
-- them belong to updates and backups, whose many code paths change them; these triggers keep the
-- copies right whatever path wrote, in the same transaction. The entity maps them read-only.
alter table sensors add column update_status text;
alter table sensors add column update_status_at timestamptz;
alter table sensors add column last_backup_at timestamptz;

create index sensors_health_idx on sensors (health_status);
create index sensors_update_status_idx on sensors (update_status);
-- Search finds a sensor by the serial of its certificate.
create index sensors_certificate_serial_idx on sensors (certificate_serial);

update sensors s set update_status = t.stage, update_status_at = t.updated_at
from (select distinct on (sensor_id) sensor_id, stage, updated_at from update_targets
      order by sensor_id, updated_at desc) t
where s.id = t.sensor_id;

update sensors s set last_backup_at = b.at
from (select sensor_id, max(stored_at) as at from backups where state = 'STORED' group by sensor_id) b
where s.id = b.sensor_id;

create function sensors_update_status() returns trigger language plpgsql as $$
begin
    update sensors set update_status = new.stage, update_status_at = new.updated_at
    where id = new.sensor_id
      and (update_status is distinct from new.stage or update_status_at is distinct from new.updated_at)
      and (update_status_at is null or update_status_at <= new.updated_at);
    return null;
end $$;
create trigger update_targets_sensor_status after insert or update of stage on update_targets
    for each row execute function sensors_update_status();

create function sensors_last_backup() returns trigger language plpgsql as $$
declare
    sid uuid;
begin
    if tg_op = 'DELETE' then
        sid := old.sensor_id;
    else
        sid := new.sensor_id;
    end if;
    update sensors set last_backup_at =
        (select max(stored_at) from backups where sensor_id = sid and state = 'STORED')
    where id = sid;
    return null;
end $$;
create trigger backups_sensor_last_backup after insert or delete or update of state, stored_at on backups
    for each row execute function sensors_last_backup();

-- Search matches parts of names, host names and labels. Trigram indexes answer that at 100,000
-- sensors in milliseconds where a scan takes a tenth of a second or more. pg_trgm ships with
-- PostgreSQL and is a trusted extension, so the database's owner may create it; where it cannot be
-- created, search still works, by scanning.
do $$
begin
    create extension if not exists pg_trgm;
exception when others then
    raise notice 'pg_trgm is not available (%): sensor search scans instead of using trigram indexes', sqlerrm;
end $$;
do $$
begin
    if exists (select 1 from pg_extension where extname = 'pg_trgm') then
        execute 'create index sensors_name_trgm_idx on sensors using gin (lower(name) gin_trgm_ops)';
        execute 'create index sensors_hostname_trgm_idx on sensors using gin (lower(hostname) gin_trgm_ops)';
        execute 'create index sensor_labels_key_trgm_idx on sensor_labels using gin (lower(key) gin_trgm_ops)';
        execute 'create index sensor_labels_value_trgm_idx on sensor_labels using gin (lower(value) gin_trgm_ops)';
    end if;
end $$;
