-- A settings change to 50,000 sensors rewrote 50,000 rows, and their 50,000 acknowledgements
-- rewrote them again; both change connectivity (SYNCED <-> OUT_OF_SYNC), the change also
-- desired_settings_revision. With an index on either column none of those updates was a HOT one:
-- each added entries to all twelve indexes of the table, two of them trigram GIN indexes, and
-- PostgreSQL took one and a half cores for seconds on every push. The same held for a heartbeat
-- that brings a DISCONNECTED sensor back.
-- Neither index served a query worth the cost: connectivity has four values, and the counts, the
-- sweeper and the filters read most of the table anyway; the instances look for sensors with a
-- newer desired revision only when settings_revisions says there is one (a scan of the table per
-- settings change, not per check).
drop index if exists sensors_connectivity_idx;
drop index if exists sensors_desired_revision_idx;
