-- Fewer index pages per task change (issue 2, command throughput); see
-- migrations/sqlite/0009_leaner_task_indexes.sql. tasks_case_fk needs an index on case_id:
-- the narrower one exists before the old one goes.
CREATE INDEX tasks_case_id ON tasks (case_id);
DROP INDEX tasks_case ON tasks;
DROP INDEX tasks_state_due ON tasks;
