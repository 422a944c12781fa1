-- Heartbeat flushes rewrite every sensor's row once an interval (3,333 rows/s at 100,000 sensors).
-- The partial index on last_seen made each of those updates a non-HOT one: a new entry in all
-- thirteen indexes of the table, two of them trigram GIN indexes. At 100,000 sensors on six
-- instances the flushes then took 20-55 s, spilled to disk, and fell so far behind that the sweeper
-- disconnected sensors that were reporting. Without an index on last_seen (the sweeper reads the
-- table instead: a sequential scan of a few megabytes every sweep interval) and with room left on
-- each page for the new row version, a heartbeat updates no index at all.
drop index if exists sensors_last_seen_connected_idx;
-- Applies to pages written from now on; VACUUM FULL sensors applies it to an existing table.
alter table sensors set (fillfactor = 70);
