-- Jiuzhu schema, SQLite dialect. Keep in lockstep with migrations/mysql/0001_initial.sql.
-- Times are INTEGER microseconds since the Unix epoch, UTC. Enums are stored by name.

CREATE TABLE org_units (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  tier            TEXT NOT NULL,
  parent_id       TEXT,
  department_code TEXT NOT NULL DEFAULT '',
  path            TEXT NOT NULL
);
CREATE INDEX org_units_path ON org_units (path);

CREATE TABLE users (
  username      TEXT PRIMARY KEY,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE role_bindings (
  username    TEXT NOT NULL REFERENCES users (username),
  role        TEXT NOT NULL,
  org_unit_id TEXT NOT NULL REFERENCES org_units (id),
  PRIMARY KEY (username, role, org_unit_id)
);
CREATE INDEX role_bindings_unit ON role_bindings (org_unit_id, role);

CREATE TABLE cases (
  id              INTEGER PRIMARY KEY,
  programme       TEXT NOT NULL,
  state           TEXT NOT NULL,
  route           TEXT NOT NULL,
  pool            TEXT NOT NULL,
  version         INTEGER NOT NULL,
  applicant_name  TEXT NOT NULL,
  id_hash         TEXT NOT NULL,
  -- id_hash while the case is open, NULL once terminal: one open case per person.
  open_id_hash    TEXT,
  id_masked       TEXT NOT NULL,
  id_cipher       TEXT NOT NULL,
  village_id      TEXT NOT NULL,
  org_path        TEXT NOT NULL,
  assessment_json TEXT NOT NULL DEFAULT '',
  pledge_json     TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  promised_by     INTEGER NOT NULL DEFAULT 0,
  audit_head_seq  INTEGER NOT NULL,
  audit_head_hash TEXT NOT NULL
);
CREATE UNIQUE INDEX cases_open_id_hash ON cases (open_id_hash);
CREATE INDEX cases_id_hash ON cases (id_hash);
CREATE INDEX cases_org_path ON cases (org_path, id);

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases (id),
  programme    TEXT NOT NULL,
  stage        TEXT NOT NULL,
  kind         TEXT NOT NULL,
  role         TEXT NOT NULL,
  org_unit_id  TEXT NOT NULL,
  org_path     TEXT NOT NULL,
  state        TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  due_at       INTEGER NOT NULL,
  claimed_by   TEXT NOT NULL DEFAULT '',
  claimed_at   INTEGER NOT NULL DEFAULT 0,
  completed_at INTEGER NOT NULL DEFAULT 0,
  outcome      TEXT NOT NULL DEFAULT '',
  referral_id  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_case ON tasks (case_id, state);
-- The inbox reads active tasks of one (unit, role) queue in due order.
CREATE INDEX tasks_queue ON tasks (org_unit_id, role, state, due_at, id);
CREATE INDEX tasks_claimed ON tasks (claimed_by, state, due_at, id);

CREATE TABLE referrals (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases (id),
  department_code    TEXT NOT NULL,
  department_unit_id TEXT NOT NULL,
  status             TEXT NOT NULL,
  note               TEXT NOT NULL DEFAULT '',
  answer             TEXT NOT NULL DEFAULT '',
  answer_json        TEXT NOT NULL DEFAULT '',
  requested_at       INTEGER NOT NULL,
  due_at             INTEGER NOT NULL,
  answered_at        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX referrals_case ON referrals (case_id);

-- Append-only, hash-chained per case (see engine/audit/audit_chain.hpp).
CREATE TABLE audit_events (
  case_id     INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  role        TEXT NOT NULL,
  org_unit_id TEXT NOT NULL,
  action      TEXT NOT NULL,
  from_state  TEXT NOT NULL,
  to_state    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
