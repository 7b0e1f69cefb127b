-- Data-comparison and sensor alerts (监测预警); see migrations/sqlite/0008_alerts.sql.
-- external_id NULL when the feed sent none (a unique index allows many NULLs).
CREATE TABLE alerts (
  id          BIGINT       NOT NULL,
  received_at BIGINT       NOT NULL,
  received_by VARCHAR(128) NOT NULL,
  source      VARCHAR(64)  NOT NULL,
  kind        VARCHAR(64)  NOT NULL,
  external_id VARCHAR(128) NULL,
  id_hash     VARCHAR(128) NOT NULL,
  id_masked   VARCHAR(32)  NOT NULL,
  occurred_at BIGINT       NOT NULL,
  amount_fen  BIGINT       NOT NULL,
  details     TEXT         NOT NULL,
  status      VARCHAR(32)  NOT NULL,
  error       TEXT         NOT NULL,
  case_id     BIGINT       NOT NULL,
  task_id     BIGINT       NOT NULL,
  org_path    VARCHAR(512) NOT NULL,
  raw         MEDIUMTEXT   NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY alerts_external (source, external_id),
  KEY alerts_status (status, id),
  KEY alerts_case (case_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
