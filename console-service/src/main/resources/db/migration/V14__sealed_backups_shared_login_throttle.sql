-- Backups from agents that do not seal their secrets yet arrive with config/secrets.conf in clear;
-- the console seals it on arrival, which rewrites the file and so changes its SHA-256. The checksum
-- the sensor announced is kept here, so a sensor that missed the answer to its last piece and asks
-- again is still told its backup is stored. Null for backups that arrived as they are stored.
alter table backups add column sealed_on_arrival_from text;
