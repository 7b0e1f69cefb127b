#include "engine/store/mysql/mysql_store.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <variant>

#include "engine/store/id_batches.hpp"
#include "engine/store/migration_files.hpp"
#include "engine/store/mysql/mysql_connection.hpp"
#include "engine/store/mysql/mysql_rows.hpp"
#include "engine/store/mysql/mysql_txn.hpp"

namespace jiuzhu {

using mysql::Binder;
using mysql::Connection;
using mysql::ConnectionPool;
using mysql::Lease;

namespace {

constexpr int kCaseHeadBatch = 1000;

const char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  version    INT          NOT NULL,"
    "  name       VARCHAR(255) NOT NULL,"
    "  checksum   CHAR(64)     NOT NULL,"
    "  applied_at BIGINT       NOT NULL,"
    "  PRIMARY KEY (version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
// Named locks are server-wide: the name carries the database (hashed to fit 64 characters).
const char kMigrationLockName[] = "CONCAT('jiuzhu_migrate_', MD5(DATABASE()))";
constexpr int kMigrationLockWaitSeconds = 60;

const std::string kUpsertOrgUnit =
    "INSERT INTO org_units (id, name, tier, parent_id, department_code, path) "
    "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), "
    "tier = VALUES(tier), parent_id = VALUES(parent_id), "
    "department_code = VALUES(department_code), path = VALUES(path)";
const std::string kUpsertUser =
    "INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?) "
    "ON DUPLICATE KEY UPDATE display_name = VALUES(display_name), "
    "password_hash = VALUES(password_hash)";

const std::string kGetCase =
    std::string("SELECT ") + mysql::kCaseColumns + " FROM cases WHERE id = ?";
const std::string kTasksForCase = std::string("SELECT ") + mysql::kTaskColumns +
                                  " FROM tasks WHERE case_id = ? ORDER BY created_at, id";
const std::string kReferralsForCase = std::string("SELECT ") + mysql::kReferralColumns +
                                      " FROM referrals WHERE case_id = ? ORDER BY id";
const std::string kAuditForCase = std::string("SELECT ") + mysql::kAuditColumns +
                                  " FROM audit_events WHERE case_id = ? ORDER BY seq";

// A value bound to a statement whose text depends on the request.
using Param = std::variant<std::int64_t, std::string>;

void BindAll(sql::PreparedStatement& ps, const std::vector<Param>& params) {
  Binder b(ps);
  for (const Param& p : params) {
    if (const auto* i = std::get_if<std::int64_t>(&p)) {
      b.Int(*i);
    } else {
      b.Str(std::get<std::string>(p));
    }
  }
}

using mysql::EscapeLike;

template <typename T, typename Reader>
Result<std::vector<T>> ReadAll(sql::PreparedStatement& ps, Reader read) {
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  std::vector<T> out;
  while (rs->next()) {
    JZ_ASSIGN_OR_RETURN(T row, read(*rs));
    out.push_back(std::move(row));
  }
  return out;
}

// Runs `fn(connection)` on a pooled connection. A lost connection is closed (with the idle
// ones, likely dead too) and `fn` runs once more on a new one, so `fn` must be safe to
// repeat: a read, or a transaction it commits itself.
template <typename F>
auto WithConnection(ConnectionPool& pool, const std::string& what, F&& fn)
    -> decltype(fn(std::declval<Connection&>())) {
  for (int attempt = 0;; ++attempt) {
    Result<Lease> lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    try {
      return fn(**lease);
    } catch (const sql::SQLException& e) {
      if (mysql::IsConnectionLost(e.getErrorCode())) {
        (*lease)->MarkBroken();
        pool.DropIdle();
        if (attempt == 0) continue;
      }
      return mysql::FromSqlError(e, what);
    } catch (const std::exception& e) {
      return Internal(what + ": " + e.what());
    }
  }
}

// Runs `fn(connection)` inside START TRANSACTION ... COMMIT; rolls back when `fn` fails.
template <typename F>
Status InTransaction(ConnectionPool& pool, const std::string& what, F&& fn) {
  return WithConnection(pool, what, [&](Connection& c) -> Status {
    c.Execute("START TRANSACTION");
    Status s;
    try {
      s = fn(c);
    } catch (...) {
      try {
        c.Execute("ROLLBACK");
      } catch (...) {
        c.MarkBroken();
      }
      throw;
    }
    c.Execute(s.ok() ? "COMMIT" : "ROLLBACK");
    return s;
  });
}

Micros WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status CheckAndApplyMigrations(Connection& c, const std::vector<MigrationFile>& files,
                               const std::string& dir) {
  std::map<int, const MigrationFile*> by_version;
  for (const MigrationFile& f : files) by_version[f.version] = &f;

  std::set<int> applied;
  int newest_applied = 0;
  {
    std::unique_ptr<sql::ResultSet> rs(
        c.PrepareOnce("SELECT version, name, checksum FROM schema_migrations ORDER BY version")
            ->executeQuery());
    while (rs->next()) {
      const int version = rs->getInt(1);
      const std::string name = rs->getString(2).asStdString();
      const std::string checksum = rs->getString(3).asStdString();
      auto it = by_version.find(version);
      if (it == by_version.end()) {
        return FailedPrecondition("the database has migration " + name + " which " + dir +
                                  " lacks: this program is older than the database");
      }
      if (it->second->checksum != checksum) {
        return FailedPrecondition("migration " + name +
                                  " changed after it was applied (checksum differs); applied "
                                  "migrations are never edited: add a new one");
      }
      applied.insert(version);
      newest_applied = version;
    }
  }

  for (const MigrationFile& f : files) {
    if (applied.count(f.version) != 0) continue;
    if (f.version < newest_applied) {
      return FailedPrecondition("migration " + f.name + " is older than migration " +
                                std::to_string(newest_applied) +
                                " which is already applied; renumber it");
    }
    const std::vector<std::string> statements = SplitSqlStatements(f.sql);
    for (size_t i = 0; i < statements.size(); ++i) {
      try {
        c.Execute(statements[i]);
      } catch (const sql::SQLException& e) {
        const Status s = mysql::FromSqlError(e, "migration " + f.name);
        const std::string message =
            s.message() + " at statement " + std::to_string(i + 1) + " of " +
            std::to_string(statements.size()) +
            "; MySQL commits DDL at once, so the statements before it stay applied and the "
            "migration is not recorded: repair the database by hand";
        return mysql::IsConnectionLost(e.getErrorCode()) ? Unavailable(message) : Internal(message);
      }
    }
    auto record = c.PrepareOnce(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
        "VALUES (?, ?, ?, ?)");
    Binder(*record).Int(f.version).Str(f.name).Str(f.checksum).Int(WallClockMicros());
    record->executeUpdate();
  }
  return Status::Ok();
}

}  // namespace

MysqlStore::MysqlStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

MysqlStore::~MysqlStore() = default;

Result<std::unique_ptr<MysqlStore>> MysqlStore::Open(const std::string& url) {
  return Open(url, MysqlStoreOptions());
}

Result<std::unique_ptr<MysqlStore>> MysqlStore::Open(const std::string& url,
                                                     const MysqlStoreOptions& options) {
  JZ_ASSIGN_OR_RETURN(MysqlUrl parsed, ParseMysqlUrl(url));
  if (options.max_connections < 1) {
    return InvalidArgument("max_connections must be at least 1", "max_connections");
  }
  mysql::PoolOptions pool_options;
  pool_options.max_connections = options.max_connections;
  pool_options.connect_timeout_seconds = options.connect_timeout_seconds;
  pool_options.lock_wait_timeout_seconds = options.lock_wait_timeout_seconds;
  pool_options.acquire_timeout_seconds = options.acquire_timeout_seconds;
  auto pool = std::make_unique<ConnectionPool>(std::move(parsed), pool_options);
  {
    // Connect once now so a wrong address or password shows at start-up.
    Result<Lease> lease = pool->Acquire();
    if (!lease.ok()) return lease.status();
  }
  return std::unique_ptr<MysqlStore>(new MysqlStore(std::move(pool)));
}

Status MysqlStore::Migrate(const std::string& migrations_dir) {
  JZ_ASSIGN_OR_RETURN(std::vector<MigrationFile> files, ReadMigrationFiles(migrations_dir));
  JZ_ASSIGN_OR_RETURN(Lease lease, pool_->Acquire());
  Connection& c = *lease;
  try {
    c.Execute(kCreateMigrationsTable);
    {
      auto lock = c.PrepareOnce(std::string("SELECT GET_LOCK(") + kMigrationLockName + ", ?)");
      lock->setInt(1, kMigrationLockWaitSeconds);
      std::unique_ptr<sql::ResultSet> rs(lock->executeQuery());
      if (!rs->next() || rs->isNull(1) || rs->getInt(1) != 1) {
        return Unavailable("another process has been migrating this database for " +
                           std::to_string(kMigrationLockWaitSeconds) + " s; try again later");
      }
    }
    const Status s = CheckAndApplyMigrations(c, files, migrations_dir);
    c.Execute(std::string("DO RELEASE_LOCK(") + kMigrationLockName + ")");
    return s;
  } catch (const sql::SQLException& e) {
    // Closing the connection also releases the named lock.
    c.MarkBroken();
    if (mysql::IsConnectionLost(e.getErrorCode())) pool_->DropIdle();
    return mysql::FromSqlError(e, "Migrate");
  } catch (const std::exception& e) {
    c.MarkBroken();
    return Internal(std::string("Migrate: ") + e.what());
  }
}

Result<std::vector<int>> MysqlStore::AppliedMigrations() {
  return WithConnection(
      *pool_, "AppliedMigrations", [&](Connection& c) -> Result<std::vector<int>> {
        std::vector<int> versions;
        try {
          std::unique_ptr<sql::ResultSet> rs(
              c.Prepared("SELECT version FROM schema_migrations ORDER BY version").executeQuery());
          while (rs->next()) versions.push_back(rs->getInt(1));
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != 1146) throw;  // no table: never migrated
        }
        return versions;
      });
}

Status MysqlStore::Ping() {
  return WithConnection(*pool_, "Ping", [&](Connection& c) -> Status {
    std::unique_ptr<sql::ResultSet> rs(c.Prepared("SELECT 1").executeQuery());
    return rs->next() ? Status::Ok() : Internal("Ping: SELECT 1 returned no row");
  });
}

Result<std::unique_ptr<StoreTxn>> MysqlStore::BeginWrite() {
  // Nothing has happened before START TRANSACTION succeeds, so a dead pooled connection is
  // replaced and the begin repeated once.
  for (int attempt = 0;; ++attempt) {
    JZ_ASSIGN_OR_RETURN(Lease lease, pool_->Acquire());
    try {
      lease->Execute("START TRANSACTION");
      return std::unique_ptr<StoreTxn>(new mysql::MysqlTxn(std::move(lease)));
    } catch (const sql::SQLException& e) {
      if (mysql::IsConnectionLost(e.getErrorCode())) {
        lease->MarkBroken();
        pool_->DropIdle();
        if (attempt == 0) continue;
      }
      return mysql::FromSqlError(e, "BeginWrite");
    } catch (const std::exception& e) {
      return Internal(std::string("BeginWrite: ") + e.what());
    }
  }
}

Status MysqlStore::ReplaceOrgUnits(const std::vector<OrgUnitRecord>& units) {
  return InTransaction(*pool_, "ReplaceOrgUnits", [&](Connection& c) -> Status {
    for (const OrgUnitRecord& u : units) {
      sql::PreparedStatement& ps = c.Prepared(kUpsertOrgUnit);
      Binder(ps)
          .Str(u.id)
          .Str(u.name)
          .Str(TierName(u.tier))
          .NullIfEmpty(u.parent_id)
          .Str(u.department_code)
          .Str(u.path);
      ps.executeUpdate();
    }
    return Status::Ok();
  });
}

Result<std::vector<OrgUnitRecord>> MysqlStore::ListOrgUnits() {
  return WithConnection(*pool_, "ListOrgUnits", [&](Connection& c) {
    return ReadAll<OrgUnitRecord>(c.Prepared(std::string("SELECT ") + mysql::kOrgUnitColumns +
                                             " FROM org_units ORDER BY path, id"),
                                  mysql::ReadOrgUnit);
  });
}

Status MysqlStore::UpsertUsers(const std::vector<UserRecord>& users) {
  return InTransaction(*pool_, "UpsertUsers", [&](Connection& c) -> Status {
    for (const UserRecord& u : users) {
      sql::PreparedStatement& upsert = c.Prepared(kUpsertUser);
      Binder(upsert).Str(u.username).Str(u.display_name).Str(u.password_hash);
      upsert.executeUpdate();
      sql::PreparedStatement& clear = c.Prepared("DELETE FROM role_bindings WHERE username = ?");
      clear.setString(1, u.username);
      clear.executeUpdate();
      std::set<std::pair<std::string, std::string>> bindings;
      for (const RoleBindingRecord& r : u.roles) bindings.emplace(r.role, r.org_unit_id);
      for (const auto& [role, unit] : bindings) {
        sql::PreparedStatement& bind =
            c.Prepared("INSERT INTO role_bindings (username, role, org_unit_id) VALUES (?, ?, ?)");
        Binder(bind).Str(u.username).Str(role).Str(unit);
        try {
          bind.executeUpdate();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != 1452) throw;
          return InvalidArgument("user " + u.username + " has role " + role + " at org unit " +
                                 unit + ", which does not exist");
        }
      }
    }
    return Status::Ok();
  });
}

Result<std::optional<UserRecord>> MysqlStore::FindUser(const std::string& username) {
  return WithConnection(
      *pool_, "FindUser", [&](Connection& c) -> Result<std::optional<UserRecord>> {
        UserRecord u;
        {
          sql::PreparedStatement& ps = c.Prepared(
              "SELECT username, display_name, password_hash FROM users WHERE username = ?");
          ps.setString(1, username);
          std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
          if (!rs->next()) return std::optional<UserRecord>();
          mysql::RowReader r(*rs);
          u.username = r.Str();
          u.display_name = r.Str();
          u.password_hash = r.Str();
        }
        sql::PreparedStatement& ps = c.Prepared(
            "SELECT role, org_unit_id FROM role_bindings WHERE username = ? "
            "ORDER BY role, org_unit_id");
        ps.setString(1, username);
        std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
        while (rs->next()) {
          mysql::RowReader r(*rs);
          RoleBindingRecord b;
          b.role = r.Str();
          b.org_unit_id = r.Str();
          u.roles.push_back(std::move(b));
        }
        return std::optional<UserRecord>(std::move(u));
      });
}

Result<std::vector<UserRecord>> MysqlStore::ListUsers() {
  return WithConnection(*pool_, "ListUsers", [&](Connection& c) -> Result<std::vector<UserRecord>> {
    std::vector<UserRecord> users;
    std::map<std::string, size_t> index;
    {
      std::unique_ptr<sql::ResultSet> rs(
          c.Prepared("SELECT username, display_name, password_hash FROM users ORDER BY username")
              .executeQuery());
      while (rs->next()) {
        mysql::RowReader r(*rs);
        UserRecord u;
        u.username = r.Str();
        u.display_name = r.Str();
        u.password_hash = r.Str();
        index[u.username] = users.size();
        users.push_back(std::move(u));
      }
    }
    std::unique_ptr<sql::ResultSet> rs(
        c.Prepared("SELECT username, role, org_unit_id FROM role_bindings "
                   "ORDER BY username, role, org_unit_id")
            .executeQuery());
    while (rs->next()) {
      mysql::RowReader r(*rs);
      const std::string username = r.Str();
      RoleBindingRecord b;
      b.role = r.Str();
      b.org_unit_id = r.Str();
      auto it = index.find(username);
      if (it != index.end()) users[it->second].roles.push_back(std::move(b));
    }
    return users;
  });
}

Result<std::optional<CaseRecord>> MysqlStore::GetCase(CaseId id) {
  return WithConnection(*pool_, "GetCase", [&](Connection& c) -> Result<std::optional<CaseRecord>> {
    sql::PreparedStatement& ps = c.Prepared(kGetCase);
    ps.setInt64(1, id);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    if (!rs->next()) return std::optional<CaseRecord>();
    JZ_ASSIGN_OR_RETURN(CaseRecord k, mysql::ReadCase(*rs));
    return std::optional<CaseRecord>(std::move(k));
  });
}

Result<std::vector<CaseRecord>> MysqlStore::GetCases(const std::vector<CaseId>& ids) {
  const auto batches = IdBatches(ids);
  if (batches.empty()) return std::vector<CaseRecord>();
  return WithConnection(*pool_, "GetCases", [&](Connection& c) -> Result<std::vector<CaseRecord>> {
    auto read = [&]() -> Result<std::vector<CaseRecord>> {
      std::vector<CaseRecord> out;
      for (const auto& batch : batches) {
        sql::PreparedStatement& ps =
            c.Prepared(std::string("SELECT ") + mysql::kCaseColumns + " FROM cases WHERE id IN (" +
                       SqlPlaceholders(batch.size()) + ") ORDER BY id");
        Binder b(ps);
        for (CaseId id : batch) b.Int(id);
        JZ_ASSIGN_OR_RETURN(auto rows, ReadAll<CaseRecord>(ps, mysql::ReadCase));
        for (auto& row : rows) out.push_back(std::move(row));
      }
      return out;
    };
    // One statement is one consistent read. Several need one snapshot: the session reads at
    // READ COMMITTED (a snapshot per statement), so this one transaction reads at REPEATABLE
    // READ with its snapshot taken at START.
    if (batches.size() == 1) return read();
    c.Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    c.Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    Result<std::vector<CaseRecord>> out = Internal("GetCases: not read");
    try {
      out = read();
    } catch (...) {
      try {
        c.Execute("ROLLBACK");
      } catch (...) {
        c.MarkBroken();
      }
      throw;
    }
    c.Execute(out.ok() ? "COMMIT" : "ROLLBACK");
    return out;
  });
}

Result<std::vector<CaseRecord>> MysqlStore::ListCases(const CaseQuery& q) {
  if (q.limit <= 0) return std::vector<CaseRecord>();
  std::string sql = std::string("SELECT ") + mysql::kCaseColumns + " FROM cases WHERE id > ?";
  std::vector<Param> params = {q.after_id};
  if (!q.org_paths.empty()) {
    sql += " AND (";
    for (size_t i = 0; i < q.org_paths.size(); ++i) {
      sql += i == 0 ? "org_path LIKE ? ESCAPE '!'" : " OR org_path LIKE ? ESCAPE '!'";
      params.emplace_back(EscapeLike(q.org_paths[i]) + "%");
    }
    sql += ")";
  }
  if (!q.programme.empty()) {
    sql += " AND programme = ?";
    params.emplace_back(q.programme);
  }
  if (q.state) {
    sql += " AND state = ?";
    params.emplace_back(std::string(CaseStateName(*q.state)));
  }
  if (q.route) {
    sql += " AND route = ?";
    params.emplace_back(std::string(RouteName(*q.route)));
  }
  if (q.pool) {
    sql += " AND pool = ?";
    params.emplace_back(std::string(PoolName(*q.pool)));
  }
  if (!q.id_hash.empty()) {
    sql += " AND id_hash = ?";
    params.emplace_back(q.id_hash);
  }
  if (!q.name_contains.empty()) {
    sql += " AND applicant_name LIKE ? ESCAPE '!'";
    params.emplace_back("%" + EscapeLike(q.name_contains) + "%");
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  return WithConnection(*pool_, "ListCases", [&](Connection& c) {
    auto ps = c.PrepareOnce(sql);
    BindAll(*ps, params);
    return ReadAll<CaseRecord>(*ps, mysql::ReadCase);
  });
}

Result<std::vector<TaskRecord>> MysqlStore::ListTasksForCase(CaseId id) {
  return WithConnection(*pool_, "ListTasksForCase", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(kTasksForCase);
    ps.setInt64(1, id);
    return ReadAll<TaskRecord>(ps, mysql::ReadTask);
  });
}

Result<std::vector<ReferralRecord>> MysqlStore::ListReferralsForCase(CaseId id) {
  return WithConnection(*pool_, "ListReferralsForCase", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(kReferralsForCase);
    ps.setInt64(1, id);
    return ReadAll<ReferralRecord>(ps, mysql::ReadReferral);
  });
}

Result<std::vector<ReferralRecord>> MysqlStore::ListDepartmentReferrals(
    const DepartmentReferralQuery& q) {
  if (q.department_unit_ids.empty() || q.limit <= 0) return std::vector<ReferralRecord>{};
  std::string sql = std::string("SELECT ") + mysql::kReferralColumns +
                    " FROM referrals WHERE department_unit_id IN (";
  std::vector<Param> params;
  for (size_t i = 0; i < q.department_unit_ids.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(q.department_unit_ids[i]);
  }
  sql += ") AND (due_at > ? OR (due_at = ? AND id > ?))";
  params.emplace_back(q.after_due);
  params.emplace_back(q.after_due);
  params.emplace_back(q.after_id);
  if (q.status) {
    sql += " AND status = ?";
    params.emplace_back(std::string(mysql::ReferralStatusName(*q.status)));
  }
  sql += " ORDER BY due_at, id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  return WithConnection(*pool_, "ListDepartmentReferrals", [&](Connection& c) {
    auto ps = c.PrepareOnce(sql);
    BindAll(*ps, params);
    return ReadAll<ReferralRecord>(*ps, mysql::ReadReferral);
  });
}

Result<std::vector<AuditEventRecord>> MysqlStore::ListAuditEvents(CaseId id) {
  return WithConnection(*pool_, "ListAuditEvents", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(kAuditForCase);
    ps.setInt64(1, id);
    return ReadAll<AuditEventRecord>(ps, mysql::ReadAuditEvent);
  });
}

Result<TaskPage> MysqlStore::ListInbox(const InboxQuery& q) {
  TaskPage page;
  std::set<std::pair<std::string, std::string>> queues;  // (org unit, role)
  for (const RoleBindingRecord& r : q.roles) {
    // With a unit filter only the caller's queues at that unit can match.
    if (q.org_unit_id.empty() || r.org_unit_id == q.org_unit_id) {
      queues.emplace(r.org_unit_id, r.role);
    }
  }
  if (queues.empty() && !q.mine_only) return page;

  // One "arm" per (queue, state), or per state of the caller's claimed tasks: an equality
  // prefix (org_unit_id, role, state) of tasks_queue or (claimed_by, state) of tasks_claimed,
  // whose entries are in (due_at, id) order. Each arm reads at most `limit` rows in index
  // order and the union is sorted; an OR over the queues with state IN (...) instead made the
  // server read and sort every active task of the queues (tens of thousands at 1M tasks).
  struct Arm {
    std::vector<Param> key;
  };
  std::vector<Arm> arms;
  for (TaskState s : {TaskState::kOpen, TaskState::kClaimed}) {
    const std::string state = TaskStateName(s);
    if (q.mine_only) {
      arms.push_back({{q.username, state}});
    } else {
      for (const auto& [unit, role] : queues) arms.push_back({{unit, role, state}});
    }
  }
  const std::string arm_where =
      q.mine_only ? "claimed_by = ? AND state = ?" : "org_unit_id = ? AND role = ? AND state = ?";
  std::string filters;
  std::vector<Param> filter_params;
  if (q.queue_only) filters += " AND claimed_by = ''";
  if (!q.programme.empty()) {
    filters += " AND programme = ?";
    filter_params.emplace_back(q.programme);
  }
  if (!q.kind.empty()) {
    filters += " AND kind = ?";
    filter_params.emplace_back(q.kind);
  }
  if (q.mine_only && !q.org_unit_id.empty()) {
    filters += " AND org_unit_id = ?";
    filter_params.emplace_back(q.org_unit_id);
  }
  if (q.overdue) {
    filters += *q.overdue ? " AND due_at < ?" : " AND due_at >= ?";
    filter_params.emplace_back(q.now);
  }
  if (q.due_before != 0) {
    filters += " AND due_at < ?";
    filter_params.emplace_back(q.due_before);
  }

  // The total without filters comes from the per-queue counters (task_queue_counts, kept by
  // MysqlTxn::Commit; at most 16 rows per arm); with filters (or for "mine") it is counted.
  const bool plain = !q.mine_only && filters.empty();
  std::string count_sql = "SELECT 0";
  std::vector<Param> count_params;
  std::string page_sql;
  std::vector<Param> page_params;
  for (const Arm& a : arms) {
    count_sql += plain ? " + (SELECT COALESCE(SUM(n), 0) FROM task_queue_counts WHERE org_unit_id = ? "
                         "AND role = ? AND state = ?)"
                       : " + (SELECT COUNT(*) FROM tasks WHERE " + arm_where + filters + ")";
    count_params.insert(count_params.end(), a.key.begin(), a.key.end());
    if (!plain) count_params.insert(count_params.end(), filter_params.begin(), filter_params.end());

    page_sql += page_sql.empty() ? "(" : " UNION ALL (";
    page_sql += std::string("SELECT ") + mysql::kTaskColumns + " FROM tasks WHERE " + arm_where +
                filters + " AND due_at >= ? AND (due_at > ? OR id > ?) ORDER BY due_at, id LIMIT ?)";
    page_params.insert(page_params.end(), a.key.begin(), a.key.end());
    page_params.insert(page_params.end(), filter_params.begin(), filter_params.end());
    page_params.insert(page_params.end(), {Param(q.after_due), Param(q.after_due), Param(q.after_id),
                                           Param(static_cast<std::int64_t>(q.limit))});
  }
  page_sql += " ORDER BY due_at, id LIMIT ?";
  page_params.emplace_back(static_cast<std::int64_t>(q.limit));

  return WithConnection(*pool_, "ListInbox", [&](Connection& c) -> Result<TaskPage> {
    TaskPage out;
    {
      auto count = c.PrepareOnce(count_sql);
      BindAll(*count, count_params);
      std::unique_ptr<sql::ResultSet> rs(count->executeQuery());
      if (rs->next()) out.total = rs->getInt64(1);
    }
    if (q.limit > 0 && out.total > 0) {
      auto ps = c.PrepareOnce(page_sql);
      BindAll(*ps, page_params);
      JZ_ASSIGN_OR_RETURN(out.tasks, ReadAll<TaskRecord>(*ps, mysql::ReadTask));
    }
    return out;
  });
}

Status MysqlStore::ForEachCaseHead(
    const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) {
  struct Head {
    CaseId id;
    std::int64_t seq;
    std::string hash;
  };
  CaseId after = 0;
  for (;;) {
    // The batch is read, and the connection given back, before `fn` runs: `fn` may use the
    // store itself.
    Result<std::vector<Head>> batch =
        WithConnection(*pool_, "ForEachCaseHead", [&](Connection& c) -> Result<std::vector<Head>> {
          sql::PreparedStatement& ps = c.Prepared(
              "SELECT id, audit_head_seq, audit_head_hash FROM cases WHERE id > ? "
              "ORDER BY id LIMIT ?");
          Binder(ps).Int(after).Int(kCaseHeadBatch);
          std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
          std::vector<Head> heads;
          while (rs->next()) {
            mysql::RowReader r(*rs);
            Head h;
            h.id = r.Int();
            h.seq = r.Int();
            h.hash = r.Str();
            heads.push_back(std::move(h));
          }
          return heads;
        });
    if (!batch.ok()) return batch.status();
    for (const Head& h : *batch) {
      if (!fn(h.id, h.seq, h.hash)) return Status::Ok();
    }
    if (batch->size() < static_cast<size_t>(kCaseHeadBatch)) return Status::Ok();
    after = batch->back().id;
  }
}

Result<std::int64_t> MysqlStore::CountCases() {
  return WithConnection(*pool_, "CountCases", [&](Connection& c) -> Result<std::int64_t> {
    std::unique_ptr<sql::ResultSet> rs(c.Prepared("SELECT COUNT(*) FROM cases").executeQuery());
    if (!rs->next()) return Internal("CountCases: COUNT(*) returned no row");
    return static_cast<std::int64_t>(rs->getInt64(1));
  });
}

Result<CaseStore::TaskCounts> MysqlStore::CountActiveTasks(Micros now) {
  return WithConnection(*pool_, "CountActiveTasks", [&](Connection& c) -> Result<TaskCounts> {
    // One statement, one snapshot: overdue never exceeds active.
    sql::PreparedStatement& ps = c.Prepared(
        "SELECT (SELECT COALESCE(SUM(n), 0) FROM task_board_counts), "
        "(SELECT COALESCE(SUM(n), 0) FROM task_due_counts WHERE due_day < ?)");
    Binder(ps).Int(OfficeDayNumber(now));
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    TaskCounts counts;
    if (rs->next()) {
      counts.active = rs->getInt64(1);
      counts.overdue = rs->getInt64(2);
    }
    return counts;
  });
}

Result<std::int64_t> MysqlStore::PurgeIdempotency(Micros before) {
  constexpr int kBatch = 1000;
  std::int64_t purged = 0;
  for (;;) {
    Result<int> deleted =
        WithConnection(*pool_, "PurgeIdempotency", [&](Connection& c) -> Result<int> {
          sql::PreparedStatement& ps =
              c.Prepared("DELETE FROM idempotency_keys WHERE created_at < ? LIMIT ?");
          Binder(ps).Int(before).Int(kBatch);
          return ps.executeUpdate();
        });
    if (!deleted.ok()) return deleted.status();
    purged += *deleted;
    if (*deleted < kBatch) return purged;
  }
}

// --- deadline clock and supervisors' board -------------------------------------------

Result<std::optional<Micros>> MysqlStore::NextEscalationAt() {
  return WithConnection(
      *pool_, "NextEscalationAt", [&](Connection& c) -> Result<std::optional<Micros>> {
        std::unique_ptr<sql::ResultSet> rs(
            c.Prepared("SELECT MIN(escalate_at) FROM tasks WHERE escalate_at > 0").executeQuery());
        if (!rs->next() || rs->isNull(1)) return std::optional<Micros>();
        return std::optional<Micros>(rs->getInt64(1));
      });
}

Result<std::vector<BoardCount>> MysqlStore::ListBoardCounts() {
  return WithConnection(*pool_, "ListBoardCounts", [&](Connection& c) {
    return ReadAll<BoardCount>(
        c.Prepared("SELECT org_unit_id, programme, stage, overdue, SUM(n) FROM task_board_counts "
                   "GROUP BY org_unit_id, programme, stage, overdue HAVING SUM(n) <> 0 "
                   "ORDER BY org_unit_id, programme, stage, overdue"),
        mysql::ReadBoardCount);
  });
}

Result<std::vector<BoardCount>> MysqlStore::CountActiveDueOnDays(std::int64_t first_day,
                                                               std::int64_t last_day) {
  return WithConnection(*pool_, "CountActiveDueOnDays", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(
        "SELECT org_unit_id, programme, stage, 0, SUM(n) FROM task_due_counts "
        "WHERE due_day >= ? AND due_day <= ? GROUP BY org_unit_id, programme, stage "
        "HAVING SUM(n) <> 0 ORDER BY org_unit_id, programme, stage");
    Binder(ps).Int(first_day).Int(last_day);
    return ReadAll<BoardCount>(ps, mysql::ReadBoardCount);
  });
}

Result<std::vector<OverdueItem>> MysqlStore::ListOverdue(const OverdueQuery& q) {
  if (q.limit <= 0) return std::vector<OverdueItem>();
  std::string sql = std::string("SELECT ") + mysql::kTaskColumns +
                    ", (SELECT applicant_name FROM cases WHERE cases.id = tasks.case_id) "
                    "FROM tasks WHERE overdue_due IS NOT NULL "
                    "AND (overdue_due > ? OR (overdue_due = ? AND id > ?))";
  std::vector<Param> params = {q.after_due, q.after_due, q.after_id};
  if (!q.org_path.empty()) {
    sql += " AND org_path LIKE ? ESCAPE '!'";
    params.emplace_back(EscapeLike(q.org_path) + "%");
  }
  if (!q.programme.empty()) {
    sql += " AND programme = ?";
    params.emplace_back(q.programme);
  }
  if (q.stage) {
    sql += " AND stage = ?";
    params.emplace_back(std::string(CaseStateName(*q.stage)));
  }
  sql += " ORDER BY overdue_due, id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  return WithConnection(
      *pool_, "ListOverdue", [&](Connection& c) -> Result<std::vector<OverdueItem>> {
        auto ps = c.PrepareOnce(sql);
        BindAll(*ps, params);
        std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
        std::vector<OverdueItem> out;
        while (rs->next()) {
          OverdueItem item;
          JZ_ASSIGN_OR_RETURN(item.task, mysql::ReadTask(*rs));
          item.applicant_name = rs->getString(19).asStdString();  // after the 18 task columns
          out.push_back(std::move(item));
        }
        return out;
      });
}

Result<std::vector<PoolCount>> MysqlStore::CountPools(const std::string& org_path) {
  return WithConnection(*pool_, "CountPools", [&](Connection& c) -> Result<std::vector<PoolCount>> {
    sql::PreparedStatement& ps = c.Prepared(
        "SELECT village_id, pool, COUNT(*) FROM cases WHERE org_path LIKE ? ESCAPE '!' "
        "AND pool <> 'none' AND state NOT IN ('closed', 'revoked') "
        "GROUP BY village_id, pool ORDER BY village_id, pool");
    Binder(ps).Str(EscapeLike(org_path) + "%");
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    std::vector<PoolCount> out;
    while (rs->next()) {
      mysql::RowReader r(*rs);
      PoolCount p;
      p.village_id = r.Str();
      const std::string pool = r.Str();
      p.pool = ParsePool(pool).value_or(Pool::kNone);
      p.n = r.Int();
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<DecisionRecord>> MysqlStore::ListDecisions(const std::string& org_path,
                                                              Micros from, Micros to) {
  return WithConnection(*pool_, "ListDecisions", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(
        "SELECT id, org_path, route, created_at, decided_at, programme FROM cases "
        "WHERE decided_at > 0 AND decided_at >= ? AND decided_at < ? "
        "AND org_path LIKE ? ESCAPE '!' ORDER BY decided_at, id");
    Binder(ps).Int(from).Int(to).Str(EscapeLike(org_path) + "%");
    return ReadAll<DecisionRecord>(ps, mysql::ReadDecision);
  });
}

Status MysqlStore::SaveOverdueHistory(const std::vector<OverdueHistoryRow>& rows) {
  return InTransaction(*pool_, "SaveOverdueHistory", [&](Connection& c) -> Status {
    for (const OverdueHistoryRow& r : rows) {
      sql::PreparedStatement& ps = c.Prepared(
          "INSERT INTO overdue_history (day, org_unit_id, overdue) VALUES (?, ?, ?) "
          "ON DUPLICATE KEY UPDATE overdue = VALUES(overdue)");
      Binder(ps).Str(r.day).Str(r.org_unit_id).Int(r.overdue);
      ps.executeUpdate();
    }
    return Status::Ok();
  });
}

Result<std::vector<OverdueHistoryRow>> MysqlStore::ListOverdueHistory(const std::string& from_day,
                                                                      const std::string& to_day) {
  return WithConnection(
      *pool_, "ListOverdueHistory", [&](Connection& c) -> Result<std::vector<OverdueHistoryRow>> {
        sql::PreparedStatement& ps = c.Prepared(
            "SELECT day, org_unit_id, overdue FROM overdue_history WHERE day >= ? AND day <= ? "
            "ORDER BY day, org_unit_id");
        Binder(ps).Str(from_day).Str(to_day);
        std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
        std::vector<OverdueHistoryRow> out;
        while (rs->next()) {
          mysql::RowReader r(*rs);
          OverdueHistoryRow row;
          row.day = r.Str();
          row.org_unit_id = r.Str();
          row.overdue = r.Int();
          out.push_back(std::move(row));
        }
        return out;
      });
}

Result<std::vector<OverdueHistoryRow>> MysqlStore::CountOverdueAt(
    const std::vector<std::pair<std::string, Micros>>& days) {
  return WithConnection(
      *pool_, "CountOverdueAt", [&](Connection& c) -> Result<std::vector<OverdueHistoryRow>> {
        std::vector<OverdueHistoryRow> out;
        for (const auto& [day, at] : days) {
          // Open at `at` (created by then, not completed yet) and past due then.
          sql::PreparedStatement& ps = c.Prepared(
              "SELECT org_unit_id, COUNT(*) FROM tasks WHERE due_at < ? AND created_at <= ? "
              "AND (completed_at = 0 OR completed_at > ?) GROUP BY org_unit_id "
              "ORDER BY org_unit_id");
          Binder(ps).Int(at).Int(at).Int(at);
          std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
          while (rs->next()) {
            mysql::RowReader r(*rs);
            OverdueHistoryRow row;
            row.day = day;
            row.org_unit_id = r.Str();
            row.overdue = r.Int();
            out.push_back(std::move(row));
          }
        }
        return out;
      });
}

Result<std::vector<NotificationRecord>> MysqlStore::ListNotifications(const std::string& username,
                                                                      bool unread_only,
                                                                      std::int64_t before_id,
                                                                      int limit) {
  if (limit <= 0) return std::vector<NotificationRecord>();
  // Index notifications_user (username, id) or notifications_unread (username, read_at, id),
  // read backwards from before_id.
  const std::string sql = std::string("SELECT ") + mysql::kNotificationColumns +
                          " FROM notifications WHERE username = ? AND id < ?" +
                          (unread_only ? " AND read_at = 0" : "") + " ORDER BY id DESC LIMIT ?";
  return WithConnection(*pool_, "ListNotifications", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(sql);
    Binder(ps).Str(username).Int(before_id > 0 ? before_id : INT64_MAX).Int(limit);
    return ReadAll<NotificationRecord>(ps, mysql::ReadNotification);
  });
}

Result<std::int64_t> MysqlStore::CountUnreadNotifications(const std::string& username) {
  return WithConnection(
      *pool_, "CountUnreadNotifications", [&](Connection& c) -> Result<std::int64_t> {
        sql::PreparedStatement& ps =
            c.Prepared("SELECT COUNT(*) FROM notifications WHERE username = ? AND read_at = 0");
        ps.setString(1, username);
        std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
        if (!rs->next()) return Internal("CountUnreadNotifications: COUNT(*) returned no row");
        return static_cast<std::int64_t>(rs->getInt64(1));
      });
}

Result<std::int64_t> MysqlStore::MarkNotificationsRead(const std::string& username, std::int64_t id,
                                                       Micros at) {
  // One statement, safe to repeat after a lost connection: a second run finds nothing unread.
  const std::string sql =
      std::string("UPDATE notifications SET read_at = ? WHERE username = ? AND read_at = 0") +
      (id != 0 ? " AND id = ?" : "");
  return WithConnection(*pool_, "MarkNotificationsRead",
                        [&](Connection& c) -> Result<std::int64_t> {
                          sql::PreparedStatement& ps = c.Prepared(sql);
                          Binder b(ps);
                          b.Int(at).Str(username);
                          if (id != 0) b.Int(id);
                          return static_cast<std::int64_t>(ps.executeUpdate());
                        });
}

Result<std::optional<std::string>> MysqlStore::GetSetting(const std::string& name) {
  return WithConnection(
      *pool_, "GetSetting", [&](Connection& c) -> Result<std::optional<std::string>> {
        sql::PreparedStatement& ps = c.Prepared("SELECT value FROM engine_settings WHERE name = ?");
        ps.setString(1, name);
        std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
        if (!rs->next()) return std::optional<std::string>();
        return std::optional<std::string>(rs->getString(1).asStdString());
      });
}

Status MysqlStore::PutSetting(const std::string& name, const std::string& value) {
  return WithConnection(*pool_, "PutSetting", [&](Connection& c) -> Status {
    sql::PreparedStatement& ps = c.Prepared(
        "INSERT INTO engine_settings (name, value) VALUES (?, ?) "
        "ON DUPLICATE KEY UPDATE value = VALUES(value)");
    Binder(ps).Str(name).Str(value);
    ps.executeUpdate();
    return Status::Ok();
  });
}

// --- post-audit (issue 6) ---

Result<std::vector<FastTrackApproval>> MysqlStore::ListFastTrackApprovals(
    const std::string& org_path, Micros from, Micros to) {
  return WithConnection(*pool_, "ListFastTrackApprovals", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(mysql::kFastTrackApprovalsSql);
    Binder(ps).Int(from).Int(to).Str(EscapeLike(org_path) + "%");
    return ReadAll<FastTrackApproval>(ps, mysql::ReadFastTrackApproval);
  });
}

Result<std::optional<AuditSampleRecord>> MysqlStore::GetAuditSample(std::int64_t id) {
  return WithConnection(
      *pool_, "GetAuditSample", [&](Connection& c) -> Result<std::optional<AuditSampleRecord>> {
        sql::PreparedStatement& ps = c.Prepared(std::string("SELECT ") + mysql::kSampleColumns +
                                                " FROM audit_samples WHERE id = ?");
        ps.setInt64(1, id);
        JZ_ASSIGN_OR_RETURN(auto rows, ReadAll<AuditSampleRecord>(ps, mysql::ReadSample));
        if (rows.empty()) return std::optional<AuditSampleRecord>();
        return std::optional<AuditSampleRecord>(std::move(rows[0]));
      });
}

Result<std::vector<AuditSampleRecord>> MysqlStore::ListAuditSamples(std::int64_t before_id,
                                                                    int limit) {
  if (limit <= 0) return std::vector<AuditSampleRecord>();
  return WithConnection(*pool_, "ListAuditSamples", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(std::string("SELECT ") + mysql::kSampleColumns +
                                            " FROM audit_samples WHERE id < ? ORDER BY id DESC LIMIT ?");
    Binder(ps).Int(before_id > 0 ? before_id : INT64_MAX).Int(limit);
    return ReadAll<AuditSampleRecord>(ps, mysql::ReadSample);
  });
}

Result<std::vector<PopulationEntry>> MysqlStore::ListAuditPopulation(std::int64_t sample_id) {
  return WithConnection(*pool_, "ListAuditPopulation", [&](Connection& c) {
    sql::PreparedStatement& ps =
        c.Prepared(std::string("SELECT ") + mysql::kPopulationColumns +
                   " FROM audit_population WHERE sample_id = ? ORDER BY case_id");
    ps.setInt64(1, sample_id);
    return ReadAll<PopulationEntry>(ps, mysql::ReadPopulationEntry);
  });
}

Result<std::vector<AuditItemRecord>> MysqlStore::ListAuditItems(const AuditItemQuery& q) {
  if (q.limit <= 0) return std::vector<AuditItemRecord>();
  std::string sql = std::string("SELECT ") + mysql::kAuditItemColumns +
                    " FROM audit_items WHERE id > ? AND org_path LIKE ? ESCAPE '!'";
  if (q.sample_id != 0) sql += " AND sample_id = ?";
  if (q.case_id != 0) sql += " AND case_id = ?";
  if (q.approved_to > 0) sql += " AND approved_at >= ? AND approved_at < ?";
  sql += " ORDER BY id LIMIT ?";
  return WithConnection(*pool_, "ListAuditItems", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(sql);
    Binder b(ps);
    b.Int(q.after_id).Str(EscapeLike(q.org_path) + "%");
    if (q.sample_id != 0) b.Int(q.sample_id);
    if (q.case_id != 0) b.Int(q.case_id);
    if (q.approved_to > 0) b.Int(q.approved_from).Int(q.approved_to);
    b.Int(q.limit);
    return ReadAll<AuditItemRecord>(ps, mysql::ReadAuditItem);
  });
}

Result<std::vector<CreditRecord>> MysqlStore::ListCreditRecords(const CreditQuery& q) {
  if (q.limit <= 0) return std::vector<CreditRecord>();
  return WithConnection(*pool_, "ListCreditRecords", [&](Connection& c) {
    sql::PreparedStatement& ps = c.Prepared(mysql::CreditQuerySql(q, /*lock=*/false));
    Binder b(ps);
    mysql::BindCreditQuery(b, q);
    return ReadAll<CreditRecord>(ps, mysql::ReadCredit);
  });
}

Result<std::vector<AlertRecord>> MysqlStore::ListAlerts(const AlertQuery& q) {
  if (q.limit <= 0 || (q.org_paths.empty() && !q.unmatched_too)) return std::vector<AlertRecord>();
  std::string sql = std::string("SELECT ") + mysql::kAlertColumns + " FROM alerts WHERE id < ?";
  if (!q.status.empty()) sql += " AND status = ?";
  if (q.case_id != 0) sql += " AND case_id = ?";
  std::string scope;
  for (size_t i = 0; i < q.org_paths.size(); ++i) {
    scope += (scope.empty() ? "" : " OR ") + std::string("(case_id <> 0 AND org_path LIKE ? ESCAPE '!')");
  }
  if (q.unmatched_too) scope += (scope.empty() ? "" : " OR ") + std::string("case_id = 0");
  sql += " AND (" + scope + ") ORDER BY id DESC LIMIT ?";
  return WithConnection(*pool_, "ListAlerts", [&](Connection& c) {
    std::unique_ptr<sql::PreparedStatement> ps = c.PrepareOnce(sql);
    Binder b(*ps);
    b.Int(q.before_id > 0 ? q.before_id : INT64_MAX);
    if (!q.status.empty()) b.Str(q.status);
    if (q.case_id != 0) b.Int(q.case_id);
    for (const auto& p : q.org_paths) b.Str(EscapeLike(p) + "%");
    b.Int(q.limit);
    return ReadAll<AlertRecord>(*ps, mysql::ReadAlert);
  });
}

}  // namespace jiuzhu
