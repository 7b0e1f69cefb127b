-- The inbox queue counters of 0003 are now kept by the store adapter inside
-- each write transaction (engine/store/queue_counts.hpp): one write per
-- counter row per batch, in key order, instead of two trigger statements per
-- task row. The table and its contents stay; only the triggers go.
-- Keep in lockstep with migrations/mysql/0004_counts_without_triggers.sql.
DROP TRIGGER IF EXISTS tasks_count_insert;
DROP TRIGGER IF EXISTS tasks_count_update;
DROP TRIGGER IF EXISTS tasks_count_delete;
