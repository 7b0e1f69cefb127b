-- Monitoring (监测预警). Keep in lockstep with migrations/sqlite/0009_monitoring.sql.
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

-- Alerts from data-comparison and sensor feeds, kept whatever became of them
-- (matched to an open case, unmatched, malformed), newest first by id.
CREATE TABLE alerts (
  id          BIGINT       NOT NULL,
  received_at BIGINT       NOT NULL,
  received_by VARCHAR(64)  NOT NULL,
  source      VARCHAR(255) NOT NULL,
  kind        VARCHAR(64)  NOT NULL,
  id_hash     VARCHAR(128) NOT NULL,
  id_masked   VARCHAR(32)  NOT NULL,
  status      VARCHAR(16)  NOT NULL,
  case_id     BIGINT       NOT NULL,
  task_id     BIGINT       NOT NULL,
  error       TEXT         NOT NULL,
  payload     MEDIUMTEXT   NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX alerts_status ON alerts (status, id);
