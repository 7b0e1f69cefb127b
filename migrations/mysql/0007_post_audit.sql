-- Post-audit of the pledge fast track (issue 6): samples with their recorded
-- seed and frozen population, sampled items with findings and decisions, and
-- the credit record (失信) that bars an applicant from the fast track.
-- Keep in lockstep with migrations/sqlite/0007_post_audit.sql.
CREATE TABLE audit_samples (
  id              BIGINT       NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  org_unit_id     VARCHAR(64)  NOT NULL,
  created_by      VARCHAR(128) NOT NULL,
  created_at      BIGINT       NOT NULL,
  seed            VARCHAR(64)  NOT NULL,
  parameters_json TEXT         NOT NULL,
  parameters_hash VARCHAR(64)  NOT NULL,
  drawn_by        VARCHAR(128) NOT NULL DEFAULT '',
  drawn_at        BIGINT       NOT NULL DEFAULT 0,
  population_hash VARCHAR(64)  NOT NULL DEFAULT '',
  population_size BIGINT       NOT NULL DEFAULT 0,
  sample_hash     VARCHAR(64)  NOT NULL DEFAULT '',
  strata_json     MEDIUMTEXT   NOT NULL,
  PRIMARY KEY (id),
  KEY audit_samples_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_population (
  sample_id   BIGINT       NOT NULL,
  case_id     BIGINT       NOT NULL,
  programme   VARCHAR(64)  NOT NULL,
  district_id VARCHAR(64)  NOT NULL,
  street_id   VARCHAR(64)  NOT NULL,
  org_path    VARCHAR(512) NOT NULL,
  approver    VARCHAR(128) NOT NULL,
  approved_at BIGINT       NOT NULL,
  flagged     INT          NOT NULL,
  PRIMARY KEY (sample_id, case_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_items (
  id                    BIGINT       NOT NULL,
  sample_id             BIGINT       NOT NULL,
  case_id               BIGINT       NOT NULL,
  programme             VARCHAR(64)  NOT NULL,
  district_id           VARCHAR(64)  NOT NULL,
  street_id             VARCHAR(64)  NOT NULL,
  org_path              VARCHAR(512) NOT NULL,
  approver              VARCHAR(128) NOT NULL,
  approved_at           BIGINT       NOT NULL,
  status                VARCHAR(32)  NOT NULL,
  task_id               BIGINT       NOT NULL DEFAULT 0,
  created_at            BIGINT       NOT NULL,
  category              VARCHAR(32)  NOT NULL DEFAULT '',
  evidence              TEXT         NOT NULL,
  found_by              VARCHAR(128) NOT NULL DEFAULT '',
  found_at              BIGINT       NOT NULL DEFAULT 0,
  reverification        TEXT         NOT NULL,
  reverified_by         VARCHAR(128) NOT NULL DEFAULT '',
  reverified_at         BIGINT       NOT NULL DEFAULT 0,
  decision_reason       TEXT         NOT NULL,
  decided_by            VARCHAR(128) NOT NULL DEFAULT '',
  decided_at            BIGINT       NOT NULL DEFAULT 0,
  amount_to_recover_fen BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY audit_items_sample (sample_id, case_id),
  KEY audit_items_case (case_id, approved_at),
  KEY audit_items_approved (approved_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE credit_records (
  id                    BIGINT       NOT NULL,
  id_hash               VARCHAR(128) NOT NULL,
  id_masked             VARCHAR(32)  NOT NULL,
  applicant_name        VARCHAR(255) NOT NULL,
  case_id               BIGINT       NOT NULL,
  item_id               BIGINT       NOT NULL,
  programme             VARCHAR(64)  NOT NULL,
  org_path              VARCHAR(512) NOT NULL,
  reason                TEXT         NOT NULL,
  category              VARCHAR(32)  NOT NULL,
  amount_to_recover_fen BIGINT       NOT NULL,
  recorded_by           VARCHAR(128) NOT NULL,
  recorded_at           BIGINT       NOT NULL,
  ban_until             BIGINT       NOT NULL,
  PRIMARY KEY (id),
  KEY credit_records_id_hash (id_hash, recorded_at),
  KEY credit_records_recorded (recorded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
