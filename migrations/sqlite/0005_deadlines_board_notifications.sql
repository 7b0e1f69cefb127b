-- Deadline clock, supervisors' board and notifications (issue 5).
-- Keep in lockstep with migrations/mysql/0005_deadlines_board_notifications.sql.

-- Escalation state of a task: the level reached (0 none, 1 overdue and reminded,
-- 2 supervisor notified, 3 moved up a tier) and when the next level fires
-- (0 once none is left, and for closed tasks).
ALTER TABLE tasks ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN escalate_at INTEGER NOT NULL DEFAULT 0;
UPDATE tasks SET escalate_at = due_at WHERE state IN ('open', 'claimed');
-- The scheduler's probe and claim: the earliest escalate_at.
CREATE INDEX tasks_escalate ON tasks (escalate_at) WHERE escalate_at > 0;
-- The overdue list in due order: only active tasks the clock has marked overdue.
CREATE INDEX tasks_overdue ON tasks (due_at, id) WHERE escalation_level > 0 AND state IN ('open', 'claimed');
-- Due-soon counts per unit, programme and stage from the index alone.
DROP INDEX tasks_state_due;
CREATE INDEX tasks_state_due ON tasks (state, due_at, org_unit_id, programme, stage);

-- When a case was approved or rejected: time-to-decision per unit and route.
ALTER TABLE cases ADD COLUMN decided_at INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET decided_at = coalesce((SELECT max(e.at) FROM audit_events e WHERE e.case_id = cases.id AND e.action IN ('approve', 'reject')), 0);
CREATE INDEX cases_decided ON cases (decided_at) WHERE decided_at > 0;

-- Active tasks per (unit, programme, stage, overdue), kept by the store adapter
-- in each write transaction like task_queue_counts (engine/store/queue_counts.hpp).
CREATE TABLE task_board_counts (
  org_unit_id TEXT    NOT NULL,
  programme   TEXT    NOT NULL,
  stage       TEXT    NOT NULL,
  overdue     INTEGER NOT NULL,
  slot        INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (org_unit_id, programme, stage, overdue, slot)
) WITHOUT ROWID;
INSERT INTO task_board_counts (org_unit_id, programme, stage, overdue, slot, n)
  SELECT org_unit_id, programme, stage, 0, id % 16, count(*) FROM tasks WHERE state IN ('open', 'claimed') GROUP BY org_unit_id, programme, stage, id % 16;

CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  username   TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  title      TEXT    NOT NULL,
  body       TEXT    NOT NULL,
  task_id    INTEGER NOT NULL DEFAULT 0,
  case_id    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  read_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (username, id);
CREATE INDEX notifications_unread ON notifications (username, read_at, id);

-- Overdue tasks per unit at the end of each day (the board's 8-week line).
CREATE TABLE overdue_history (
  day         TEXT    NOT NULL,
  org_unit_id TEXT    NOT NULL,
  overdue     INTEGER NOT NULL,
  PRIMARY KEY (day, org_unit_id)
) WITHOUT ROWID;

CREATE TABLE engine_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
