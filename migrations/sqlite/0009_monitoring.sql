-- Monitoring (监测预警). Keep in lockstep with migrations/mysql/0009_monitoring.sql.
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

-- Alerts from data-comparison and sensor feeds, kept whatever became of them
-- (matched to an open case, unmatched, malformed), newest first by id.
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  received_by TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  id_hash     TEXT    NOT NULL,
  id_masked   TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  case_id     INTEGER NOT NULL,
  task_id     INTEGER NOT NULL,
  error       TEXT    NOT NULL,
  payload     TEXT    NOT NULL
);
CREATE INDEX alerts_status ON alerts (status, id);
