-- A sensor's quarter-hour row in sensor_history is rewritten by every heartbeat flush that carries
-- one of its heartbeats: about 30 times per row at the default 30 s interval. On full pages each
-- rewrite moved the row to another page and added an entry to both of its indexes (most of
-- PostgreSQL's CPU per heartbeat in the heartbeat-10k benchmark). With room left on every page
-- PostgreSQL rewrites the row within its page without touching the indexes (a heap-only update),
-- as neither key column ever changes. Applies to pages written from now on.
alter table sensor_history set (fillfactor = 50);
