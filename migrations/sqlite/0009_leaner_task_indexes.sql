-- Fewer index pages per task change (issue 2, command throughput). Every claim, release or
-- completion changes a task's state; each index holding `state` is rewritten with it.
--  * tasks_state_due (state, due_at, ...) served only the task counts of /metrics, which now
--    read the adapter-kept counters (task_board_counts, task_due_counts): dropped.
--  * tasks_case (case_id, state) becomes tasks_case_id (case_id): a case has a handful of
--    tasks, filtered after the lookup, and the index no longer changes with a task's state.
-- Keep in lockstep with migrations/mysql/0009_leaner_task_indexes.sql.
DROP INDEX tasks_state_due;
DROP INDEX tasks_case;
CREATE INDEX tasks_case_id ON tasks (case_id);
