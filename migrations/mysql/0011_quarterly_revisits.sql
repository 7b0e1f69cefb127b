-- Monitoring (监测预警): quarterly revisits (alerts: 0008_alerts.sql). Keep in lockstep with migrations/sqlite/0011_quarterly_revisits.sql.
--
-- 一季度一访问: one revisit per household (ID-number hash) per quarter, the
-- key that keeps the scheduler idempotent across server processes.
-- quarter: "2026Q1" in Asia/Shanghai.
CREATE TABLE revisits (
  id_hash    VARCHAR(128) NOT NULL,
  quarter    VARCHAR(8)   NOT NULL,
  case_id    BIGINT       NOT NULL,
  task_id    BIGINT       NOT NULL,
  created_at BIGINT       NOT NULL,
  PRIMARY KEY (id_hash, quarter)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
