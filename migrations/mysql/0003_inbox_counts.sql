-- Inbox totals without counting: the number of tasks per (unit, role, state)
-- queue, kept by triggers on tasks, so GET /api/v1/inbox answers its "total"
-- from a few rows instead of counting a queue that holds tens of thousands of
-- open tasks (bench/http_load, docs/BENCHMARKS.md "HTTP API").
-- Keep in lockstep with migrations/sqlite/0003_inbox_counts.sql.
-- Each queue's count is split over 16 slots (task id % 16) so that concurrent
-- writers on one queue seldom wait for the same row; readers add the slots up.
-- A trigger that moves a task between queues touches its two rows in key
-- order, so two such moves cannot deadlock on them. Every state is counted.
-- With binary logging on, creating triggers needs the TRIGGER privilege and
-- SUPER (or log_bin_trust_function_creators=1) for the migrating account.
CREATE TABLE task_queue_counts (
  org_unit_id VARCHAR(64) NOT NULL,
  role        VARCHAR(64) NOT NULL,
  state       VARCHAR(32) NOT NULL,
  slot        INT         NOT NULL,
  n           BIGINT      NOT NULL,
  PRIMARY KEY (org_unit_id, role, state, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n)
  SELECT org_unit_id, role, state, id % 16, COUNT(*) FROM tasks GROUP BY org_unit_id, role, state, id % 16;
-- Trigger bodies stay on one line: migration files are split at lines that end with ';'.
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks FOR EACH ROW
  INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (NEW.org_unit_id, NEW.role, NEW.state, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;
CREATE TRIGGER tasks_count_update AFTER UPDATE ON tasks FOR EACH ROW
  BEGIN IF NOT (OLD.org_unit_id <=> NEW.org_unit_id AND OLD.role <=> NEW.role AND OLD.state <=> NEW.state) THEN IF (OLD.org_unit_id, OLD.role, OLD.state) < (NEW.org_unit_id, NEW.role, NEW.state) THEN UPDATE task_queue_counts SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id AND role = OLD.role AND state = OLD.state AND slot = OLD.id % 16; INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (NEW.org_unit_id, NEW.role, NEW.state, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1; ELSE INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (NEW.org_unit_id, NEW.role, NEW.state, NEW.id % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1; UPDATE task_queue_counts SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id AND role = OLD.role AND state = OLD.state AND slot = OLD.id % 16; END IF; END IF; END;
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks FOR EACH ROW
  UPDATE task_queue_counts SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id AND role = OLD.role AND state = OLD.state AND slot = OLD.id % 16;
