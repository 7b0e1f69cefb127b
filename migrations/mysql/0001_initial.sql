-- Jiuzhu schema, MySQL/MariaDB dialect. Keep in lockstep with migrations/sqlite/0001_initial.sql:
-- same tables, columns and index names.
-- Times are BIGINT microseconds since the Unix epoch, UTC. Enums are stored by name.
-- utf8mb4_bin: codes, paths and hashes compare byte for byte, as in SQLite, and 4-byte
-- characters (e.g. rare Chinese name characters) are stored as they are.
-- VARCHAR lengths bound the indexed columns (InnoDB keys are at most 3072 bytes, 4 per
-- character); a longer value is refused (strict mode), never truncated.
-- TEXT columns have no DEFAULT (MySQL refuses literal defaults there): the adapter writes
-- every column.

CREATE TABLE org_units (
  id              VARCHAR(64)  NOT NULL,
  name            VARCHAR(255) NOT NULL,
  tier            VARCHAR(32)  NOT NULL,
  parent_id       VARCHAR(64)  NULL,
  department_code VARCHAR(64)  NOT NULL DEFAULT '',
  path            VARCHAR(512) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX org_units_path ON org_units (path);

CREATE TABLE users (
  username      VARCHAR(128) NOT NULL,
  display_name  VARCHAR(255) NOT NULL,
  password_hash VARCHAR(255) NOT NULL DEFAULT '',
  PRIMARY KEY (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE role_bindings (
  username    VARCHAR(128) NOT NULL,
  role        VARCHAR(64)  NOT NULL,
  org_unit_id VARCHAR(64)  NOT NULL,
  PRIMARY KEY (username, role, org_unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX role_bindings_unit ON role_bindings (org_unit_id, role);

CREATE TABLE cases (
  id              BIGINT       NOT NULL,
  programme       VARCHAR(64)  NOT NULL,
  state           VARCHAR(32)  NOT NULL,
  route           VARCHAR(32)  NOT NULL,
  pool            VARCHAR(32)  NOT NULL,
  version         BIGINT       NOT NULL,
  applicant_name  VARCHAR(255) NOT NULL,
  id_hash         VARCHAR(128) NOT NULL,
  -- id_hash while the case is open, NULL once terminal: one open case per person.
  open_id_hash    VARCHAR(128) NULL,
  id_masked       VARCHAR(64)  NOT NULL,
  id_cipher       VARCHAR(512) NOT NULL,
  village_id      VARCHAR(64)  NOT NULL,
  org_path        VARCHAR(512) NOT NULL,
  assessment_json MEDIUMTEXT   NOT NULL,
  pledge_json     MEDIUMTEXT   NOT NULL,
  created_at      BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL,
  promised_by     BIGINT       NOT NULL DEFAULT 0,
  audit_head_seq  BIGINT       NOT NULL,
  audit_head_hash VARCHAR(128) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX cases_open_id_hash ON cases (open_id_hash);
CREATE INDEX cases_id_hash ON cases (id_hash);
CREATE INDEX cases_org_path ON cases (org_path, id);

CREATE TABLE tasks (
  id           BIGINT       NOT NULL,
  case_id      BIGINT       NOT NULL,
  programme    VARCHAR(64)  NOT NULL,
  stage        VARCHAR(32)  NOT NULL,
  kind         VARCHAR(64)  NOT NULL,
  role         VARCHAR(64)  NOT NULL,
  org_unit_id  VARCHAR(64)  NOT NULL,
  org_path     VARCHAR(512) NOT NULL,
  state        VARCHAR(32)  NOT NULL,
  created_at   BIGINT       NOT NULL,
  due_at       BIGINT       NOT NULL,
  claimed_by   VARCHAR(128) NOT NULL DEFAULT '',
  claimed_at   BIGINT       NOT NULL DEFAULT 0,
  completed_at BIGINT       NOT NULL DEFAULT 0,
  outcome      TEXT         NOT NULL,
  referral_id  BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tasks_case ON tasks (case_id, state);
-- The inbox reads active tasks of one (unit, role) queue in due order.
CREATE INDEX tasks_queue ON tasks (org_unit_id, role, state, due_at, id);
CREATE INDEX tasks_claimed ON tasks (claimed_by, state, due_at, id);

CREATE TABLE referrals (
  id                 BIGINT      NOT NULL,
  case_id            BIGINT      NOT NULL,
  department_code    VARCHAR(64) NOT NULL,
  department_unit_id VARCHAR(64) NOT NULL,
  status             VARCHAR(32) NOT NULL,
  note               TEXT        NOT NULL,
  answer             VARCHAR(64) NOT NULL DEFAULT '',
  answer_json        MEDIUMTEXT  NOT NULL,
  requested_at       BIGINT      NOT NULL,
  due_at             BIGINT      NOT NULL,
  answered_at        BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX referrals_case ON referrals (case_id);

-- Append-only, hash-chained per case (see engine/audit/audit_chain.hpp).
CREATE TABLE audit_events (
  case_id     BIGINT       NOT NULL,
  seq         BIGINT       NOT NULL,
  at          BIGINT       NOT NULL,
  actor       VARCHAR(128) NOT NULL,
  role        VARCHAR(64)  NOT NULL,
  org_unit_id VARCHAR(64)  NOT NULL,
  action      VARCHAR(64)  NOT NULL,
  from_state  VARCHAR(32)  NOT NULL,
  to_state    VARCHAR(32)  NOT NULL,
  payload     MEDIUMTEXT   NOT NULL,
  prev_hash   VARCHAR(128) NOT NULL,
  hash        VARCHAR(128) NOT NULL,
  PRIMARY KEY (case_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Foreign keys as in the SQLite schema, added once the indexes that serve them exist (InnoDB
-- would otherwise create its own).
ALTER TABLE role_bindings
  ADD CONSTRAINT role_bindings_user FOREIGN KEY (username) REFERENCES users (username),
  ADD CONSTRAINT role_bindings_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id);
ALTER TABLE tasks ADD CONSTRAINT tasks_case_fk FOREIGN KEY (case_id) REFERENCES cases (id);
ALTER TABLE referrals ADD CONSTRAINT referrals_case_fk FOREIGN KEY (case_id) REFERENCES cases (id);
