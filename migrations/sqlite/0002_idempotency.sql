-- Answers to HTTP commands sent with an Idempotency-Key, kept for retries.
CREATE TABLE idempotency_keys (
  username      TEXT NOT NULL,
  idem_key      TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (username, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
-- Active tasks by due time: overdue counts and the scheduler.
CREATE INDEX tasks_state_due ON tasks (state, due_at);
