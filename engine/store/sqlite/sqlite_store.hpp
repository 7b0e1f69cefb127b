// SQLite adapter of the store port: the embedded default. One database file
// in WAL mode with synchronous=FULL (an acknowledged command survives power
// loss). Writers are serialised by SQLite itself (BEGIN IMMEDIATE); readers
// run concurrently on their own connections from a small pool.
//
// Thread-safe as CaseStore requires. Open() errors: kUnavailable if the file
// cannot be opened or created.
#pragma once

#include <cstdint>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "engine/store/case_store.hpp"

namespace jiuzhu {

struct SqliteConn;  // one connection and its statement cache (private)

struct SqliteOptions {
  // "full" (default, durable at every commit) or "normal" (durable at
  // checkpoints; for throw-away demo data only).
  std::string synchronous = "full";
  int busy_timeout_ms = 10000;
  // Bytes of the file each connection reads through a memory map (PRAGMA
  // mmap_size; SQLite caps it at its compile-time maximum, 2 GiB in Debian's
  // build). Reads of pages not in the WAL then skip a read() and a copy
  // into the connection's page cache. Writes still go through write(). 0
  // turns it off. An I/O error on a mapped page raises SIGBUS instead of
  // returning SQLITE_IOERR.
  std::int64_t mmap_size_bytes = std::int64_t{1} << 31;
  // WAL checkpoints (copying committed pages back into the database file) run
  // on a background thread every this many milliseconds instead of inside the
  // COMMIT that crosses SQLite's 1000-page threshold, which stalled that
  // commit's whole batch. 0: SQLite's automatic checkpoints.
  int checkpoint_interval_ms = 100;
};

class SqliteStore final : public CaseStore {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});
  ~SqliteStore() override;

  Status Migrate(const std::string& migrations_dir) override;
  Result<std::vector<int>> AppliedMigrations() override;
  Status Ping() override;
  Result<std::unique_ptr<StoreTxn>> BeginWrite() override;

  Status ReplaceOrgUnits(const std::vector<OrgUnitRecord>& units) override;
  Result<std::vector<OrgUnitRecord>> ListOrgUnits() override;
  Status UpsertUsers(const std::vector<UserRecord>& users) override;
  Result<std::optional<UserRecord>> FindUser(const std::string& username) override;
  Result<std::vector<UserRecord>> ListUsers() override;

  Result<std::optional<CaseRecord>> GetCase(CaseId id) override;
  Result<std::vector<CaseRecord>> GetCases(const std::vector<CaseId>& ids) override;
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery& q) override;
  Result<std::vector<TaskRecord>> ListTasksForCase(CaseId id) override;
  Result<std::vector<ReferralRecord>> ListReferralsForCase(CaseId id) override;
  Result<std::vector<ReferralRecord>> ListDepartmentReferrals(
      const DepartmentReferralQuery& q) override;
  Result<std::vector<AuditEventRecord>> ListAuditEvents(CaseId id) override;
  Result<TaskPage> ListInbox(const InboxQuery& q) override;
  Status ForEachCaseHead(
      const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) override;
  Result<std::int64_t> CountCases() override;
  Result<TaskCounts> CountActiveTasks(Micros now) override;
  Result<std::optional<Micros>> NextEscalationAt() override;
  Result<std::vector<BoardCount>> ListBoardCounts() override;
  Result<std::vector<BoardCount>> CountActiveDueOnDays(std::int64_t first_day,
                                                       std::int64_t last_day) override;
  Result<std::vector<OverdueItem>> ListOverdue(const OverdueQuery& q) override;
  Result<std::vector<PoolCount>> CountPools(const std::string& org_path) override;
  Result<std::vector<DecisionRecord>> ListDecisions(const std::string& org_path, Micros from,
                                                    Micros to) override;
  Status SaveOverdueHistory(const std::vector<OverdueHistoryRow>& rows) override;
  Result<std::vector<OverdueHistoryRow>> ListOverdueHistory(const std::string& from_day,
                                                            const std::string& to_day) override;
  Result<std::vector<OverdueHistoryRow>> CountOverdueAt(
      const std::vector<std::pair<std::string, Micros>>& days) override;
  Result<std::vector<NotificationRecord>> ListNotifications(const std::string& username,
                                                            bool unread_only, std::int64_t before_id,
                                                            int limit) override;
  Result<std::int64_t> CountUnreadNotifications(const std::string& username) override;
  Result<std::int64_t> MarkNotificationsRead(const std::string& username, std::int64_t id,
                                             Micros at) override;
  Result<std::optional<std::string>> GetSetting(const std::string& name) override;
  Status PutSetting(const std::string& name, const std::string& value) override;
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
  // Deletes in batches of 1,000 rows, each committed on its own: on an error
  // the batches before it stay deleted.
  Result<std::int64_t> PurgeIdempotency(Micros before) override;

  // A connection borrowed from the pool; returned on destruction.
  class Lease;

 private:
  SqliteStore(std::string path, SqliteOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}
  Result<Lease> Acquire();
  void Release(SqliteConn* conn);
  void CheckpointLoop();

  std::string path_;
  SqliteOptions options_;
  std::mutex mu_;
  std::vector<SqliteConn*> idle_;  // guarded by mu_
  std::condition_variable checkpoint_cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread checkpointer_;
};

}  // namespace jiuzhu
