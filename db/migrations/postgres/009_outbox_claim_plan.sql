-- The claim (and the backlog's oldest row) must walk ix_outbox_pending in sequence order. This full
-- index on sequence gave the planner a second ordered path, which it took with statistics from a
-- backlog (they count many pending rows, and ix_outbox_pending is bloated by then), reading every
-- retained row for every claim. The identity already keeps sequence unique; the index also cost a
-- write on every insert and on each of the relay's two updates of a row.
ALTER TABLE outbox_messages DROP CONSTRAINT ux_outbox_sequence;

-- A queue table: rows turn over all the time, so vacuum and analyze it by row count, not by a
-- fraction of a table that the 24-hour retention makes large; stale statistics are what misled
-- the planner above.
ALTER TABLE outbox_messages SET (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_analyze_scale_factor = 0,
  autovacuum_analyze_threshold = 5000
);
