-- Data-comparison and sensor alerts (监测预警): every alert received is kept, matched to a
-- household or not (issue 7); matched ones flag the case for post-audit sampling (issue 6).
-- external_id: the feed's own id, NULL when it sent none; a resend with the same
-- (source, external_id) finds the stored alert instead of a second one.
-- Keep in lockstep with migrations/mysql/0008_alerts.sql.
CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  received_by TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  external_id TEXT    NULL,
  id_hash     TEXT    NOT NULL,   -- '' when the ID number was missing or invalid
  id_masked   TEXT    NOT NULL,
  occurred_at INTEGER NOT NULL,
  amount_fen  INTEGER NOT NULL,
  details     TEXT    NOT NULL,
  status      TEXT    NOT NULL,   -- matched | unmatched | below_threshold | malformed
  error       TEXT    NOT NULL,
  case_id     INTEGER NOT NULL,   -- 0 unless matched
  task_id     INTEGER NOT NULL,   -- the review task opened, 0 if none
  org_path    TEXT    NOT NULL,   -- the matched case's village path, '' otherwise
  raw         TEXT    NOT NULL    -- the request body as received
);
CREATE UNIQUE INDEX alerts_external ON alerts (source, external_id);
CREATE INDEX alerts_status ON alerts (status, id);
CREATE INDEX alerts_case ON alerts (case_id, status);
