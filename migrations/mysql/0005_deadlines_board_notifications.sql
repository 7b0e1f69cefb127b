-- Deadline clock, supervisors' board and notifications (issue 5).
-- Keep in lockstep with migrations/sqlite/0005_deadlines_board_notifications.sql.
-- MariaDB has no partial indexes: the overdue list uses a stored generated column
-- that is NULL except for active tasks the clock has marked overdue.
ALTER TABLE tasks ADD COLUMN escalation_level INT NOT NULL DEFAULT 0, ADD COLUMN escalate_at BIGINT NOT NULL DEFAULT 0;
UPDATE tasks SET escalate_at = due_at WHERE state IN ('open', 'claimed');
ALTER TABLE tasks ADD COLUMN overdue_due BIGINT AS (CASE WHEN escalation_level > 0 AND state IN ('open', 'claimed') THEN due_at END) STORED;
CREATE INDEX tasks_escalate ON tasks (escalate_at);
CREATE INDEX tasks_overdue ON tasks (overdue_due, id);
DROP INDEX tasks_state_due ON tasks;
CREATE INDEX tasks_state_due ON tasks (state, due_at, org_unit_id, programme, stage);

ALTER TABLE cases ADD COLUMN decided_at BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET decided_at = COALESCE((SELECT MAX(e.at) FROM audit_events e WHERE e.case_id = cases.id AND e.action IN ('approve', 'reject')), 0);
CREATE INDEX cases_decided ON cases (decided_at);

CREATE TABLE task_board_counts (
  org_unit_id VARCHAR(64) NOT NULL,
  programme   VARCHAR(64) NOT NULL,
  stage       VARCHAR(32) NOT NULL,
  overdue     INT         NOT NULL,
  slot        INT         NOT NULL,
  n           BIGINT      NOT NULL,
  PRIMARY KEY (org_unit_id, programme, stage, overdue, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO task_board_counts (org_unit_id, programme, stage, overdue, slot, n)
  SELECT org_unit_id, programme, stage, 0, id % 16, COUNT(*) FROM tasks WHERE state IN ('open', 'claimed') GROUP BY org_unit_id, programme, stage, id % 16;

CREATE TABLE notifications (
  id         BIGINT       NOT NULL,
  username   VARCHAR(128) NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  title      VARCHAR(512) NOT NULL,
  body       TEXT         NOT NULL,
  task_id    BIGINT       NOT NULL DEFAULT 0,
  case_id    BIGINT       NOT NULL DEFAULT 0,
  created_at BIGINT       NOT NULL,
  read_at    BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX notifications_user ON notifications (username, id);
CREATE INDEX notifications_unread ON notifications (username, read_at, id);

CREATE TABLE overdue_history (
  day         CHAR(10)    NOT NULL,
  org_unit_id VARCHAR(64) NOT NULL,
  overdue     BIGINT      NOT NULL,
  PRIMARY KEY (day, org_unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE engine_settings (
  name  VARCHAR(128) NOT NULL,
  value TEXT         NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
