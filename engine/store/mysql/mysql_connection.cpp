#include "engine/store/mysql/mysql_connection.hpp"

#include <cassert>
#include <chrono>

#include <cppconn/driver.h>

namespace jiuzhu::mysql {

namespace {

// get_driver_instance() fills a global map without locking: a function-local static makes
// the first call the only one.
sql::Driver* DriverOrNull() {
  static sql::Driver* const driver = []() -> sql::Driver* {
    try {
      return get_driver_instance();
    } catch (...) {
      return nullptr;
    }
  }();
  return driver;
}

struct DriverThread {
  explicit DriverThread(sql::Driver* d) : driver(d) { driver->threadInit(); }
  ~DriverThread() { driver->threadEnd(); }
  sql::Driver* driver;
};

std::string WithCode(const std::string& what, const std::string& text, const sql::SQLException& e) {
  return what + ": " + text + " (MySQL error " + std::to_string(e.getErrorCode()) + ")";
}

}  // namespace

Status EnsureDriverThread() {
  sql::Driver* driver = DriverOrNull();
  if (driver == nullptr) return Internal("MySQL Connector/C++ driver could not be loaded");
  thread_local DriverThread thread_guard(driver);
  return Status::Ok();
}

bool IsConnectionLost(int error_code) {
  switch (error_code) {
    case 1927:  // ER_CONNECTION_KILLED
    case 2002:  // CR_CONNECTION_ERROR (socket)
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
      return true;
    default:
      return false;
  }
}

Status FromSqlError(const sql::SQLException& e, const std::string& what) {
  const int code = e.getErrorCode();
  const std::string text = e.what();
  switch (code) {
    case 1062:
      return AlreadyExists(WithCode(what, text, e));
    case 1213:
      return Conflict(
          WithCode(what, "deadlock; the database rolled the transaction back, retry it", e));
    case 1205:
      return Conflict(WithCode(what, "lock wait timeout; roll back and retry", e));
    case 1451:
    case 1452:
      return FailedPrecondition(WithCode(what, text, e));
    case 1048:
    case 1264:
    case 1366:
    case 1406:
      return InvalidArgument(WithCode(what, text, e));
    case 1146:
      return FailedPrecondition(
          WithCode(what, text + "; is the database migrated (jiuzhu migrate)?", e));
    case 1040:  // too many connections
    case 1044:  // access denied to the database
    case 1045:  // access denied (bad user or password)
    case 1049:  // unknown database
      return Unavailable(WithCode(what, "cannot use the database: " + text, e));
    default:
      break;
  }
  if (IsConnectionLost(code)) {
    return Unavailable(WithCode(what, "database connection lost or refused: " + text, e));
  }
  return Internal(WithCode(what, text, e));
}

Connection::Connection(std::unique_ptr<sql::Connection> conn) : conn_(std::move(conn)) {}

Connection::~Connection() {
  // Statements go before the connection they were prepared on.
  prepared_.clear();
  statement_.reset();
  try {
    conn_.reset();
  } catch (...) {
  }
}

sql::PreparedStatement& Connection::Prepared(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::unique_ptr<sql::PreparedStatement> ps(conn_->prepareStatement(sql));
    it = prepared_.emplace(sql, std::move(ps)).first;
  }
  return *it->second;
}

std::unique_ptr<sql::PreparedStatement> Connection::PrepareOnce(const std::string& sql) {
  return std::unique_ptr<sql::PreparedStatement>(conn_->prepareStatement(sql));
}

void Connection::Execute(const std::string& sql) {
  if (!statement_) statement_.reset(conn_->createStatement());
  statement_->execute(sql);
}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    GiveBack();
    pool_ = other.pool_;
    conn_ = std::move(other.conn_);
  }
  return *this;
}

Lease::~Lease() { GiveBack(); }

void Lease::GiveBack() {
  if (conn_ && pool_ != nullptr) pool_->Release(std::move(conn_));
}

ConnectionPool::ConnectionPool(MysqlUrl url, PoolOptions options)
    : url_(std::move(url)), options_(options) {}

ConnectionPool::~ConnectionPool() {
  std::lock_guard<std::mutex> lock(mu_);
  assert(open_ == static_cast<int>(idle_.size()) && "a lease (transaction) outlived its store");
  idle_.clear();
}

Result<Lease> ConnectionPool::Acquire() {
  JZ_RETURN_IF_ERROR(EnsureDriverThread());
  {
    std::unique_lock<std::mutex> lock(mu_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options_.acquire_timeout_seconds);
    while (idle_.empty() && open_ >= options_.max_connections) {
      if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.max_connections) {
        return Status(ErrorCode::kResourceExhausted,
                      "all " + std::to_string(options_.max_connections) +
                          " database connections stayed busy for " +
                          std::to_string(options_.acquire_timeout_seconds) + " s");
      }
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;  // reserve the slot; connect outside the lock
  }
  Result<std::unique_ptr<Connection>> conn = Connect();
  if (!conn.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    freed_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  std::unique_ptr<Connection> to_close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (conn->broken()) {
      to_close = std::move(conn);
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  freed_.notify_one();
  // to_close is destroyed here, outside the lock: closing may wait on the network.
}

void ConnectionPool::DropIdle() {
  std::vector<std::unique_ptr<Connection>> to_close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    to_close.swap(idle_);
    open_ -= static_cast<int>(to_close.size());
  }
  freed_.notify_all();
}

Result<std::unique_ptr<Connection>> ConnectionPool::Connect() {
  sql::Driver* driver = DriverOrNull();
  if (driver == nullptr) return Internal("MySQL Connector/C++ driver could not be loaded");
  const std::string where = "connect to " + url_.Redacted();
  try {
    const bool v6 = url_.host.find(':') != std::string::npos;
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("tcp://" + (v6 ? "[" + url_.host + "]" : url_.host) + ":" +
                                         std::to_string(url_.port));
    options["userName"] = sql::SQLString(url_.user);
    options["password"] = sql::SQLString(url_.password);
    options["schema"] = sql::SQLString(url_.database);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_CONNECT_TIMEOUT"] = options_.connect_timeout_seconds;
    // UPDATE reports matched rows, not changed rows: a version or state check must not fail
    // because the new row equals the old one.
    options["CLIENT_FOUND_ROWS"] = true;
    options["OPT_RECONNECT"] = false;
    std::unique_ptr<sql::Connection> raw(driver->connect(options));
    auto conn = std::make_unique<Connection>(std::move(raw));
    conn->Execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    conn->Execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
    conn->Execute("SET SESSION innodb_lock_wait_timeout = " +
                  std::to_string(options_.lock_wait_timeout_seconds));
    return conn;
  } catch (const sql::SQLException& e) {
    const Status s = FromSqlError(e, where);
    if (s.code() == ErrorCode::kInternal) return Unavailable(s.message());
    return s;
  } catch (const std::exception& e) {
    return Unavailable(where + ": " + e.what());
  }
}

}  // namespace jiuzhu::mysql
