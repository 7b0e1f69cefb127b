-- Answers to HTTP commands sent with an Idempotency-Key, kept for retries.
-- Keep in lockstep with migrations/sqlite/0002_idempotency.sql.
-- request_hash is SHA-256 hex; idem_key is at most 128 characters as sent by the client.
CREATE TABLE idempotency_keys (
  username      VARCHAR(128)  NOT NULL,
  idem_key      VARCHAR(128) NOT NULL,
  request_hash  VARCHAR(64)  NOT NULL,
  status        INT          NOT NULL,
  response_body MEDIUMTEXT   NOT NULL,
  created_at    BIGINT       NOT NULL,
  PRIMARY KEY (username, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
-- Active tasks by due time: overdue counts and the scheduler.
CREATE INDEX tasks_state_due ON tasks (state, due_at);
