// Connector/C++ 1.1 plumbing of the MySQL adapter: the driver, per-thread driver set-up, a
// pool of connections and the mapping of driver errors to Status. Internal to
// engine/store/mysql: only the adapter's .cpp files include it, so no driver header reaches
// the rest of the tree.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "engine/common/status.hpp"
#include "engine/store/mysql/mysql_url.hpp"

namespace jiuzhu::mysql {

// Connector/C++ asks every thread that uses the driver to call Driver::threadInit() first
// and Driver::threadEnd() before it exits. This runs threadInit() on the calling thread's
// first call and arranges threadEnd() at its exit; the pool calls it on every Acquire(), so
// threads using the store need do nothing. The driver itself (get_driver_instance(), not
// thread-safe) is created once, on the first call from any thread.
// kInternal if the driver cannot be loaded.
Status EnsureDriverThread();

// True for the errors that mean the connection is gone (server restarted, network cut,
// connection killed): the connection must be closed, and a read may be retried on a new one.
bool IsConnectionLost(int error_code);

// The Status for a driver error; `what` names the operation, e.g. "ListInbox".
//   1062 duplicate key                                 → kAlreadyExists
//   1213 deadlock, 1205 lock wait timeout              → kConflict (retry the transaction)
//   1451/1452 foreign key                              → kFailedPrecondition
//   1406/1366/1048/1264 value refused                  → kInvalidArgument
//   1146 missing table                                 → kFailedPrecondition (not migrated)
//   connection lost, cannot connect or sign in         → kUnavailable
//   anything else                                      → kInternal, with the error code
// Messages carry the server's text, which never contains the password.
Status FromSqlError(const sql::SQLException& e, const std::string& what);

// One server connection and the statements prepared on it. Not thread-safe: a connection is
// used by one thread at a time (the pool hands it to one borrower).
class Connection {
 public:
  explicit Connection(std::unique_ptr<sql::Connection> conn);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for fixed SQL text, prepared on first use and kept for the connection's
  // life. Throws sql::SQLException.
  sql::PreparedStatement& Prepared(const std::string& sql);
  // A statement for SQL whose text depends on the request (not cached). Throws.
  std::unique_ptr<sql::PreparedStatement> PrepareOnce(const std::string& sql);
  // Runs SQL that has no parameters and no result (START TRANSACTION, DDL). Throws.
  void Execute(const std::string& sql);

  // A broken connection is closed by the pool instead of being reused.
  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }

 private:
  std::unique_ptr<sql::Connection> conn_;
  std::unique_ptr<sql::Statement> statement_;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> prepared_;
  bool broken_ = false;
};

struct PoolOptions {
  int max_connections = 16;
  int connect_timeout_seconds = 5;
  int lock_wait_timeout_seconds = 10;  // innodb_lock_wait_timeout of every session
  int acquire_timeout_seconds = 30;    // wait for a free connection at most this long
};

class ConnectionPool;

// A connection on loan from the pool, given back when the lease is destroyed (closed instead
// if it was marked broken). Move-only; must not outlive its pool.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  ~Lease();

  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_.get(); }

 private:
  void GiveBack();
  ConnectionPool* pool_ = nullptr;
  std::unique_ptr<Connection> conn_;
};

// Connections to one database, opened on demand up to max_connections and reused.
// Thread-safe. Every new session runs READ COMMITTED, strict SQL mode, utf8mb4 and the
// configured lock wait timeout; OPT_RECONNECT stays off (a silent reconnect would drop an
// open transaction), callers close broken connections and retry reads themselves.
class ConnectionPool {
 public:
  ConnectionPool(MysqlUrl url, PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection or a new one. kUnavailable if the server cannot be reached or refuses
  // the sign-in; kResourceExhausted if all connections stay busy for acquire_timeout.
  Result<Lease> Acquire();
  // Closes the idle connections: after one was found dead the others likely are too.
  void DropIdle();

  const MysqlUrl& url() const { return url_; }

 private:
  friend class Lease;
  void Release(std::unique_ptr<Connection> conn);
  Result<std::unique_ptr<Connection>> Connect();

  const MysqlUrl url_;
  const PoolOptions options_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // idle + lent out; guarded by mu_
};

}  // namespace jiuzhu::mysql
