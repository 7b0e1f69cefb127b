-- Active tasks per (unit, programme, stage) and local due day, kept by the
-- store adapters with the other counters (engine/store/queue_counts.hpp), so
-- the board's due-soon numbers read a few days of rows instead of counting
-- every task due in the window (bench/deadline_bench: 470k tasks due within
-- two days took 0.5 s to count). due_day: days since 1970-01-01 in UTC+8.
-- Keep in lockstep with migrations/mysql/0006_due_day_counts.sql.
CREATE TABLE task_due_counts (
  org_unit_id TEXT    NOT NULL,
  programme   TEXT    NOT NULL,
  stage       TEXT    NOT NULL,
  due_day     INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (org_unit_id, programme, stage, due_day)
) WITHOUT ROWID;
INSERT INTO task_due_counts (org_unit_id, programme, stage, due_day, n)
  SELECT org_unit_id, programme, stage, (due_at + 28800000000) / 86400000000, count(*) FROM tasks
  WHERE state IN ('open', 'claimed') GROUP BY org_unit_id, programme, stage, (due_at + 28800000000) / 86400000000;
