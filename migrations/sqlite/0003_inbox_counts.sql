-- Inbox totals without counting: the number of tasks per (unit, role, state)
-- queue, kept by triggers on tasks, so GET /api/v1/inbox answers its "total"
-- from a few rows instead of counting a queue that holds tens of thousands of
-- open tasks (bench/http_load, docs/BENCHMARKS.md "HTTP API").
-- Keep in lockstep with migrations/mysql/0003_inbox_counts.sql.
-- Each queue's count is split over 16 slots (task id % 16) so that concurrent
-- writers on one queue (MySQL) seldom wait for the same row; readers add the
-- slots up. Every state is counted (done and cancelled too), so a trigger
-- never needs to know which states are active.
CREATE TABLE task_queue_counts (
  org_unit_id TEXT    NOT NULL,
  role        TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  slot        INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (org_unit_id, role, state, slot)
) WITHOUT ROWID;
INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n)
  SELECT org_unit_id, role, state, id % 16, count(*) FROM tasks GROUP BY org_unit_id, role, state, id % 16;
-- Trigger bodies stay on one line: migration files are split at lines that end with ';'.
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks FOR EACH ROW
  BEGIN INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (NEW.org_unit_id, NEW.role, NEW.state, NEW.id % 16, 1) ON CONFLICT (org_unit_id, role, state, slot) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tasks_count_update AFTER UPDATE OF org_unit_id, role, state ON tasks FOR EACH ROW
  WHEN OLD.org_unit_id IS NOT NEW.org_unit_id OR OLD.role IS NOT NEW.role OR OLD.state IS NOT NEW.state
  BEGIN UPDATE task_queue_counts SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id AND role = OLD.role AND state = OLD.state AND slot = OLD.id % 16; INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (NEW.org_unit_id, NEW.role, NEW.state, NEW.id % 16, 1) ON CONFLICT (org_unit_id, role, state, slot) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks FOR EACH ROW
  BEGIN UPDATE task_queue_counts SET n = n - 1 WHERE org_unit_id = OLD.org_unit_id AND role = OLD.role AND state = OLD.state AND slot = OLD.id % 16; END;
