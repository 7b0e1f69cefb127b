-- Post-audit of the pledge fast track (issue 6): samples with their recorded
-- seed and frozen population, sampled items with findings and decisions, and
-- the credit record (失信) that bars an applicant from the fast track.
-- Keep in lockstep with migrations/mysql/0007_post_audit.sql.
CREATE TABLE audit_samples (
  id              INTEGER PRIMARY KEY,
  status          TEXT    NOT NULL,           -- seeded | drawn
  org_unit_id     TEXT    NOT NULL,           -- the auditor's unit that owns the sample
  created_by      TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  seed            TEXT    NOT NULL,           -- recorded before the draw
  parameters_json TEXT    NOT NULL,           -- canonical parameters
  parameters_hash TEXT    NOT NULL,
  drawn_by        TEXT    NOT NULL DEFAULT '',
  drawn_at        INTEGER NOT NULL DEFAULT 0,
  population_hash TEXT    NOT NULL DEFAULT '',
  population_size INTEGER NOT NULL DEFAULT 0,
  sample_hash     TEXT    NOT NULL DEFAULT '',
  strata_json     TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_samples_created ON audit_samples (created_at);

-- The frozen population of a drawn sample, exactly as hashed.
CREATE TABLE audit_population (
  sample_id   INTEGER NOT NULL,
  case_id     INTEGER NOT NULL,
  programme   TEXT    NOT NULL,
  district_id TEXT    NOT NULL,
  street_id   TEXT    NOT NULL,
  org_path    TEXT    NOT NULL,
  approver    TEXT    NOT NULL,
  approved_at INTEGER NOT NULL,
  flagged     INTEGER NOT NULL,
  PRIMARY KEY (sample_id, case_id)
) WITHOUT ROWID;

CREATE TABLE audit_items (
  id                    INTEGER PRIMARY KEY,
  sample_id             INTEGER NOT NULL,
  case_id               INTEGER NOT NULL,
  programme             TEXT    NOT NULL,
  district_id           TEXT    NOT NULL,
  street_id             TEXT    NOT NULL,
  org_path              TEXT    NOT NULL,
  approver              TEXT    NOT NULL,
  approved_at           INTEGER NOT NULL,
  status                TEXT    NOT NULL,  -- pending | confirmed | reverifying | awaiting_decision | upheld | adjusted | revoked
  task_id               INTEGER NOT NULL DEFAULT 0,  -- the item's open task, 0 when none
  created_at            INTEGER NOT NULL,
  category              TEXT    NOT NULL DEFAULT '',
  evidence              TEXT    NOT NULL DEFAULT '',
  found_by              TEXT    NOT NULL DEFAULT '',
  found_at              INTEGER NOT NULL DEFAULT 0,
  reverification        TEXT    NOT NULL DEFAULT '',
  reverified_by         TEXT    NOT NULL DEFAULT '',
  reverified_at         INTEGER NOT NULL DEFAULT 0,
  decision_reason       TEXT    NOT NULL DEFAULT '',
  decided_by            TEXT    NOT NULL DEFAULT '',
  decided_at            INTEGER NOT NULL DEFAULT 0,
  amount_to_recover_fen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_items_sample ON audit_items (sample_id, case_id);
CREATE INDEX audit_items_case ON audit_items (case_id, approved_at);
CREATE INDEX audit_items_approved ON audit_items (approved_at);

CREATE TABLE credit_records (
  id                    INTEGER PRIMARY KEY,
  id_hash               TEXT    NOT NULL,
  id_masked             TEXT    NOT NULL,
  applicant_name        TEXT    NOT NULL,
  case_id               INTEGER NOT NULL,
  item_id               INTEGER NOT NULL,
  programme             TEXT    NOT NULL,
  org_path              TEXT    NOT NULL,
  reason                TEXT    NOT NULL,
  category              TEXT    NOT NULL,
  amount_to_recover_fen INTEGER NOT NULL,
  recorded_by           TEXT    NOT NULL,
  recorded_at           INTEGER NOT NULL,
  ban_until             INTEGER NOT NULL
);
CREATE INDEX credit_records_id_hash ON credit_records (id_hash, recorded_at);
CREATE INDEX credit_records_recorded ON credit_records (recorded_at);
