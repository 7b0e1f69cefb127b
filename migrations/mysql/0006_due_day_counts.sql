-- Active tasks per (unit, programme, stage) and local due day, kept by the
-- store adapters with the other counters (engine/store/queue_counts.hpp), so
-- the board's due-soon numbers read a few days of rows instead of counting
-- every task due in the window. due_day: days since 1970-01-01 in UTC+8.
-- Keep in lockstep with migrations/sqlite/0006_due_day_counts.sql.
CREATE TABLE task_due_counts (
  org_unit_id VARCHAR(64) NOT NULL,
  programme   VARCHAR(64) NOT NULL,
  stage       VARCHAR(32) NOT NULL,
  due_day     BIGINT      NOT NULL,
  n           BIGINT      NOT NULL,
  PRIMARY KEY (org_unit_id, programme, stage, due_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO task_due_counts (org_unit_id, programme, stage, due_day, n)
  SELECT org_unit_id, programme, stage, FLOOR((due_at + 28800000000) / 86400000000), COUNT(*) FROM tasks
  WHERE state IN ('open', 'claimed') GROUP BY org_unit_id, programme, stage, FLOOR((due_at + 28800000000) / 86400000000);
