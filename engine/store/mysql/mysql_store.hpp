// MysqlStore: the store port on MySQL/MariaDB (InnoDB) through MySQL Connector/C++ 1.1, the
// production adapter. Schema: migrations/mysql. Passes tests/store_contract_test.cpp.
//
// Transactions run at READ COMMITTED. Every row a write transaction reads is read with
// SELECT ... FOR UPDATE, so a second writer on the same case waits for the first to commit
// and then reads the committed row; the version and task-state checks in Apply catch what a
// caller read outside the transaction. READ COMMITTED takes no gap locks, so two commands
// on different cases (or two discoveries of different people) do not block or deadlock each
// other through index gaps as they can under REPEATABLE READ; one open case per person is
// kept by the unique index on cases.open_id_hash, not by locks.
//
// Thread-safety: MysqlStore is thread-safe; it lends each thread its own connection from a
// pool (at most MysqlStoreOptions::max_connections). Connector/C++ needs threadInit() and
// threadEnd() on every thread that uses it: the adapter does both itself (threadInit on a
// thread's first database call, threadEnd when the thread exits), so callers do nothing. A
// StoreTxn holds one connection until it is destroyed; it belongs to the thread that began
// it and must be destroyed before the store.
//
// Errors, besides those of CaseStore: a lost connection (server restart, network cut, idle
// timeout) is retried once on a fresh connection by every call outside a write transaction
// (reads, and ReplaceOrgUnits/UpsertUsers, which may be repeated) and by BeginWrite; inside a
// transaction it ends the transaction with kUnavailable (a lost COMMIT has an unknown
// outcome). Deadlock (1213) and lock wait timeout (1205, after lock_wait_timeout)
// are kConflict: roll back and retry. A value longer than its column is kInvalidArgument.
#pragma once

#include <memory>
#include <string>

#include "engine/store/case_store.hpp"

namespace jiuzhu {

namespace mysql {
class ConnectionPool;
}

struct MysqlStoreOptions {
  int max_connections = 16;
  int connect_timeout_seconds = 5;
  // How long a statement waits for a row lock before kConflict (innodb_lock_wait_timeout).
  int lock_wait_timeout_seconds = 10;
  // How long a caller waits for a free connection before kResourceExhausted.
  int acquire_timeout_seconds = 30;
};

class MysqlStore final : public CaseStore {
 public:
  // `url` is mysql://user:password@host[:port]/database (see mysql_url.hpp). Connects once to
  // check the address. kInvalidArgument for a malformed URL; kUnavailable if the server
  // cannot be reached or refuses the user or the database. No message contains the password.
  static Result<std::unique_ptr<MysqlStore>> Open(const std::string& url);
  static Result<std::unique_ptr<MysqlStore>> Open(const std::string& url,
                                                  const MysqlStoreOptions& options);
  ~MysqlStore() override;

  // Creates schema_migrations(version, name, checksum, applied_at) if missing, then applies
  // the missing files in version order. MySQL commits DDL at once, so each file is recorded
  // right after its last statement; a file that fails midway is not recorded and its earlier
  // statements stay applied (kInternal naming the file and statement: repair by hand).
  // kFailedPrecondition when an applied file's checksum changed, when the database has a
  // version the folder lacks, or when a missing file is older than an applied one. Holds a
  // named lock (GET_LOCK) so two processes never migrate one database at once.
  Status Migrate(const std::string& migrations_dir) override;
  // Empty when the database was never migrated.
  Result<std::vector<int>> AppliedMigrations() override;
  Status Ping() override;

  // START TRANSACTION on a pooled connection (READ COMMITTED, see above).
  Result<std::unique_ptr<StoreTxn>> BeginWrite() override;

  // Inserts or rewrites every unit listed, in one transaction. Units not listed stay: tasks
  // and role bindings may still name them.
  Status ReplaceOrgUnits(const std::vector<OrgUnitRecord>& units) override;
  // Ordered by path (parents before children).
  Result<std::vector<OrgUnitRecord>> ListOrgUnits() override;
  // Inserts or rewrites each user with exactly the given role bindings, in one transaction;
  // kInvalidArgument if a binding names an unknown org unit.
  Status UpsertUsers(const std::vector<UserRecord>& users) override;
  Result<std::optional<UserRecord>> FindUser(const std::string& username) override;
  // Ordered by username; bindings ordered by (role, org_unit_id).
  Result<std::vector<UserRecord>> ListUsers() override;

  Result<std::optional<CaseRecord>> GetCase(CaseId id) override;
  // One statement when the ids fit one batch; otherwise the batches are read in one
  // REPEATABLE READ transaction WITH CONSISTENT SNAPSHOT, so they see one snapshot.
  Result<std::vector<CaseRecord>> GetCases(const std::vector<CaseId>& ids) override;
  // Cases whose org_path starts with one of q.org_paths (none listed: no scope, every case),
  // matching every filter given, with id > q.after_id, in id order, at most q.limit.
  // name_contains is a case-sensitive substring.
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery& q) override;
  // In (created_at, id) order.
  Result<std::vector<TaskRecord>> ListTasksForCase(CaseId id) override;
  // In id order.
  Result<std::vector<ReferralRecord>> ListReferralsForCase(CaseId id) override;
  Result<std::vector<ReferralRecord>> ListDepartmentReferrals(
      const DepartmentReferralQuery& q) override;
  // In seq order.
  Result<std::vector<AuditEventRecord>> ListAuditEvents(CaseId id) override;
  // Active (open or claimed) tasks routed to one of the caller's (org unit, role) bindings
  // (mine_only: claimed by q.username, whatever the bindings), filtered, after the keyset,
  // in (due_at, id) order; total ignores keyset and limit.
  Result<TaskPage> ListInbox(const InboxQuery& q) override;

  Status ForEachCaseHead(
      const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) override;
  Result<std::int64_t> CountCases() override;
  Result<TaskCounts> CountActiveTasks(Micros now) override;

  // --- deadline clock and supervisors' board ---
  Result<std::optional<Micros>> NextEscalationAt() override;
  // Ordered by (org_unit_id, programme, stage, overdue).
  Result<std::vector<BoardCount>> ListBoardCounts() override;
  // Ordered by (org_unit_id, programme, stage); overdue is false in every row.
  Result<std::vector<BoardCount>> CountActiveDueOnDays(std::int64_t first_day,
                                                       std::int64_t last_day) override;
  // Reads the stored generated column tasks.overdue_due (due_at of active tasks with
  // escalation_level > 0, else NULL) through its index (overdue_due, id).
  Result<std::vector<OverdueItem>> ListOverdue(const OverdueQuery& q) override;
  Result<std::vector<PoolCount>> CountPools(const std::string& org_path) override;
  // Ordered by (decided_at, id).
  Result<std::vector<DecisionRecord>> ListDecisions(const std::string& org_path, Micros from,
                                                    Micros to) override;
  // Inserts or overwrites each (day, unit) row, all in one transaction.
  Status SaveOverdueHistory(const std::vector<OverdueHistoryRow>& rows) override;
  // Days from_day..to_day inclusive, ordered by (day, org_unit_id).
  Result<std::vector<OverdueHistoryRow>> ListOverdueHistory(const std::string& from_day,
                                                            const std::string& to_day) override;
  // In the order of `days`, then by org_unit_id; units with no overdue task are left out.
  Result<std::vector<OverdueHistoryRow>> CountOverdueAt(
      const std::vector<std::pair<std::string, Micros>>& days) override;
  Result<std::vector<NotificationRecord>> ListNotifications(const std::string& username,
                                                            bool unread_only,
                                                            std::int64_t before_id,
                                                            int limit) override;
  Result<std::int64_t> CountUnreadNotifications(const std::string& username) override;
  Result<std::int64_t> MarkNotificationsRead(const std::string& username, std::int64_t id,
                                             Micros at) override;
  Result<std::optional<std::string>> GetSetting(const std::string& name) override;
  Status PutSetting(const std::string& name, const std::string& value) override;

  // Deletes in batches of 1000 rows, each its own transaction.
  // --- post-audit (issue 6) ---
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& org_path,
                                                                Micros from, Micros to) override;
  Result<std::optional<AuditSampleRecord>> GetAuditSample(std::int64_t id) override;
  Result<std::vector<AuditSampleRecord>> ListAuditSamples(std::int64_t before_id,
                                                          int limit) override;
  Result<std::vector<PopulationEntry>> ListAuditPopulation(std::int64_t sample_id) override;
  Result<std::vector<AuditItemRecord>> ListAuditItems(const AuditItemQuery& q) override;
  Result<std::vector<CreditRecord>> ListCreditRecords(const CreditQuery& q) override;
  Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& q) override;
  Result<std::int64_t> PurgeIdempotency(Micros before) override;

 private:
  explicit MysqlStore(std::unique_ptr<mysql::ConnectionPool> pool);

  std::unique_ptr<mysql::ConnectionPool> pool_;
};

}  // namespace jiuzhu
