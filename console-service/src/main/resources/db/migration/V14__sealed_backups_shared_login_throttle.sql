-- Backups from agents that do not seal their secrets yet arrive with config/secrets.conf in clear;
-- the console seals it on arrival, which rewrites the file and so changes its SHA-256. The checksum
-- the sensor announced is kept here, so a sensor that missed the answer to its last piece and asks
-- again is still told its backup is stored. Null for backups that arrived as they are stored.
alter table backups add column sealed_on_arrival_from text;

-- Failed logins, counted for every console instance alike (owned by auth.SharedFailureCounts):
-- one row per source address, and one per source address and name tried (the name as its SHA-256,
-- so any name makes a short key). A window starts at its first failure; rows of ended windows are
-- deleted now and then.
create table login_failures (
    key          text        primary key,
    window_start timestamptz not null,
    failures     integer     not null check (failures > 0)
);
create index login_failures_window_start on login_failures (window_start);
