-- Monitoring (监测预警): quarterly revisits (alerts: 0008_alerts.sql). Keep in lockstep with migrations/mysql/0011_quarterly_revisits.sql.
--
-- 一季度一访问: one revisit per household (ID-number hash) per quarter, the
-- key that keeps the scheduler idempotent across server processes.
-- quarter: "2026Q1" in Asia/Shanghai.
CREATE TABLE revisits (
  id_hash    TEXT    NOT NULL,
  quarter    TEXT    NOT NULL,
  case_id    INTEGER NOT NULL,
  task_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (id_hash, quarter)
) WITHOUT ROWID;
