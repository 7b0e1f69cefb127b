// The store port: the only way the engine reaches the database. Two adapters
// implement it, SqliteStore (embedded default) and MysqlStore (MySQL/MariaDB
// via Connector/C++); both pass tests/store_contract_test.cpp.
//
// Write path: BeginWrite() opens one transaction; the engine reads what the
// command needs through StoreTxn (rows it reads are locked against other
// writers until commit), writes CommandEffects, and commits. Savepoints let
// the group-commit executor run several commands in one transaction and undo
// only the one that failed.
//
// Read path: the remaining CaseStore methods read committed data outside any
// write transaction.
//
// Thread-safety: CaseStore is safe to use from many threads at once. A StoreTxn
// belongs to the thread that opened it. Errors: kUnavailable when the
// database cannot be reached; kConflict when a version/state check fails or
// the database reports a deadlock/lock timeout (the caller may retry the
// whole transaction); kInternal for anything unexpected.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/sampling/population.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu {

class StoreTxn {
 public:
  virtual ~StoreTxn() = default;  // rolls back if not committed

  // Reads the case and locks it for this transaction (FOR UPDATE).
  virtual Result<std::optional<CaseRecord>> LockCase(CaseId id) = 0;
  // The open (non-terminal) case whose ID-number hash is `id_hash`, locked.
  virtual Result<std::optional<CaseRecord>> FindOpenCaseByIdHash(const std::string& id_hash) = 0;
  // Tasks of the case in state open or claimed.
  virtual Result<std::vector<TaskRecord>> ListActiveTasks(CaseId id) = 0;
  virtual Result<std::optional<TaskRecord>> LockTask(TaskId id) = 0;
  virtual Result<std::vector<ReferralRecord>> ListReferrals(CaseId id) = 0;
  // The household's revisit of `quarter` ("2026Q1"), if one was scheduled.
  virtual Result<std::optional<RevisitRecord>> FindRevisit(const std::string& id_hash,
                                                           const std::string& quarter) = 0;

  // Writes all effects. kConflict if the case version or a task state is
  // not what the effects expect, or the open-case-per-ID rule would break
  // (kAlreadyExists). On error the transaction must be rolled back (or
  // rolled back to the last savepoint).
  virtual Status Apply(const CommandEffects& effects) = 0;

  // Deadline clock: active tasks whose next escalation is due (0 < escalate_at
  // <= now), earliest first, at most `limit`, locked for this transaction.
  // MySQL skips rows another transaction holds (FOR UPDATE SKIP LOCKED), so
  // several server processes share the work without waiting on each other.
  virtual Result<std::vector<TaskRecord>> ClaimDueTasks(Micros now, int limit) = 0;
  // Active tasks due after `after`, in id order from `after_id`, at most
  // `limit`, locked (calendar changes recompute their deadlines).
  virtual Result<std::vector<TaskRecord>> ListActiveTasksDueAfter(Micros after, TaskId after_id,
                                                                   int limit) = 0;

  // --- post-audit (issue 6) ---
  // Fast-track approvals (route fast_track, approved, not rejected or revoked)
  // decided in [from, to) under `org_path`, in case id order, leaving out a
  // case whose current approval is already an item of some sample.
  virtual Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& org_path,
                                                                        Micros from, Micros to) = 0;
  // kAlreadyExists if the id is taken.
  virtual Status InsertAuditSample(const AuditSampleRecord& sample) = 0;
  virtual Result<std::optional<AuditSampleRecord>> LockAuditSample(std::int64_t id) = 0;
  // Writes the draw: the sample row (now "drawn") only while it is still
  // "seeded" (kConflict otherwise), its frozen population and its items.
  virtual Status SaveAuditDraw(const AuditSampleRecord& drawn,
                               const std::vector<PopulationEntry>& population,
                               const std::vector<AuditItemRecord>& items) = 0;
  virtual Result<std::optional<AuditItemRecord>> LockAuditItem(std::int64_t id) = 0;
  // Rewrites the item while its status is still `expected_status` (kConflict otherwise).
  virtual Status UpdateAuditItem(const AuditItemRecord& item,
                                 const std::string& expected_status) = 0;
  virtual Status InsertCreditRecord(const CreditRecord& record) = 0;
  // Credit records of one applicant (ID hash), newest first.
  virtual Result<std::vector<CreditRecord>> ListCreditRecords(const std::string& id_hash) = 0;

  // --- alerts (issue 7) ---
  // kAlreadyExists when (source, external_id) is stored already.
  virtual Status InsertAlert(const AlertRecord& alert) = 0;
  virtual Result<std::optional<AlertRecord>> FindAlert(const std::string& source,
                                                       const std::string& external_id) = 0;

  virtual Status Savepoint() = 0;
  virtual Status RollbackToSavepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;
  virtual Status Commit() = 0;

  // Idempotency keys (HTTP Idempotency-Key): the stored answer to the first
  // request with this (username, key), if any. Read and written inside the
  // command's transaction so a retried request can never act twice.
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& username,
                                                                   const std::string& key) = 0;
  // kAlreadyExists if the (username, key) pair is already stored.
  virtual Status SaveIdempotency(const IdempotencyRecord& record) = 0;
};

struct InboxQuery {
  std::vector<RoleBindingRecord> roles;  // the caller's bindings
  std::string username;                  // the caller (for "claimed by me")
  bool mine_only = false;                // only tasks claimed by username
  bool queue_only = false;               // only unclaimed tasks
  std::string programme;                 // filter, empty = any
  std::string kind;                      // filter, empty = any
  std::string org_unit_id;               // filter: tasks routed to this unit, empty = any
  std::optional<bool> overdue;           // filter relative to `now`
  Micros now = 0;
  Micros due_before = 0;                 // 0 = no filter
  // Keyset: tasks after (due_at, id) in (due_at, id) order.
  Micros after_due = 0;
  TaskId after_id = 0;
  int limit = 50;
};

struct TaskPage {
  std::vector<TaskRecord> tasks;
  std::int64_t total = 0;  // all matching tasks, ignoring the keyset and limit
};

// Supervisors' board: active tasks per (unit, programme, stage), split by
// whether the deadline clock has marked them overdue (escalation_level >= 1).
struct BoardCount {
  std::string org_unit_id;
  std::string programme;
  CaseState stage = CaseState::kDiscover;
  bool overdue = false;
  std::int64_t n = 0;
};

struct OverdueQuery {
  std::string org_path;   // subtree: tasks whose unit path starts with this
  std::string programme;  // filter, empty = any
  std::optional<CaseState> stage;
  // Keyset: tasks after (due_at, id) in (due_at, id) order.
  Micros after_due = 0;
  TaskId after_id = 0;
  int limit = 50;
};

struct OverdueItem {
  TaskRecord task;
  std::string applicant_name;
};

// A decided case (approved or rejected) for time-to-decision statistics.
struct DecisionRecord {
  CaseId case_id = 0;
  std::string org_path;
  Route route = Route::kUndecided;
  Micros created_at = 0;
  Micros decided_at = 0;
  std::string programme;
};

// Households per pool (分层分类) in one village: cases with a pool that are
// not closed or revoked.
struct PoolCount {
  std::string village_id;
  Pool pool = Pool::kNone;
  std::int64_t n = 0;
};

struct OverdueHistoryRow {
  std::string day;  // local date YYYY-MM-DD (Asia/Shanghai) the count was taken
  std::string org_unit_id;
  std::int64_t overdue = 0;
};

// A department's referrals, for its handlers' referral inbox (转介待办), in
// (due_at, id) order.
struct DepartmentReferralQuery {
  std::vector<std::string> department_unit_ids;  // the units read; empty reads nothing
  std::optional<ReferralStatus> status;          // filter; none = any
  // Keyset: referrals after (due_at, id).
  Micros after_due = 0;
  ReferralId after_id = 0;
  int limit = 50;
};

struct CaseQuery {
  std::vector<std::string> org_paths;  // scope: cases under any of these paths
  std::string programme;
  std::optional<CaseState> state;
  std::optional<Route> route;
  std::optional<Pool> pool;
  std::string id_hash;
  std::string name_contains;
  CaseId after_id = 0;  // keyset
  int limit = 50;
};

struct AuditItemQuery {
  std::int64_t sample_id = 0;  // 0: any sample
  CaseId case_id = 0;          // 0: any case
  std::string org_path;        // subtree of the case; empty: anywhere
  Micros approved_from = 0;    // approvals in [approved_from, approved_to); 0/0: any time
  Micros approved_to = 0;
  std::int64_t after_id = 0;   // keyset, id order
  int limit = 1000;
};

struct AlertQuery {
  std::string status;      // empty: any
  CaseId case_id = 0;      // 0: any
  // Matched alerts under any of these paths; `unmatched_too` adds those with no case.
  std::vector<std::string> org_paths;
  bool unmatched_too = false;
  std::int64_t before_id = 0;  // keyset, newest first; 0: from the newest
  int limit = 50;
};

struct CreditQuery {
  std::string id_hash;     // one applicant; empty: anyone
  std::string org_path;    // subtree of the revoked case; empty: anywhere
  Micros recorded_from = 0;
  Micros recorded_to = 0;  // 0: no upper bound
  int limit = 1000;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Applies migrations/<dialect>/NNNN_*.sql not yet applied; refuses to run
  // (kFailedPrecondition) when an applied migration's checksum changed.
  virtual Status Migrate(const std::string& migrations_dir) = 0;
  // Versions applied so far, ascending.
  virtual Result<std::vector<int>> AppliedMigrations() = 0;
  virtual Status Ping() = 0;

  virtual Result<std::unique_ptr<StoreTxn>> BeginWrite() = 0;

  // Org tree and people (loaded from workflows/ data by `jiuzhu demo`).
  virtual Status ReplaceOrgUnits(const std::vector<OrgUnitRecord>& units) = 0;
  virtual Result<std::vector<OrgUnitRecord>> ListOrgUnits() = 0;
  virtual Status UpsertUsers(const std::vector<UserRecord>& users) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(const std::string& username) = 0;
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;

  virtual Result<std::optional<CaseRecord>> GetCase(CaseId id) = 0;
  // The cases among `ids` that exist, each once, in ascending id order; ids
  // that name no case are left out (an empty list reads nothing). All rows
  // come from one read snapshot. Meant for the cases of a page of tasks
  // (the inbox): one statement per IdBatches batch instead of a GetCase per
  // item.
  virtual Result<std::vector<CaseRecord>> GetCases(const std::vector<CaseId>& ids) = 0;
  virtual Result<std::vector<CaseRecord>> ListCases(const CaseQuery& q) = 0;
  virtual Result<std::vector<TaskRecord>> ListTasksForCase(CaseId id) = 0;
  virtual Result<std::vector<ReferralRecord>> ListReferralsForCase(CaseId id) = 0;
  // Referrals routed to any of the query's department units (see DepartmentReferralQuery).
  virtual Result<std::vector<ReferralRecord>> ListDepartmentReferrals(
      const DepartmentReferralQuery& q) = 0;
  virtual Result<std::vector<AuditEventRecord>> ListAuditEvents(CaseId id) = 0;
  virtual Result<TaskPage> ListInbox(const InboxQuery& q) = 0;

  // Calls `fn` for every case id with its audit head (seq, hash) as stored
  // in the case row, in id order; stops early if fn returns false.
  virtual Status ForEachCaseHead(
      const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) = 0;
  virtual Result<std::int64_t> CountCases() = 0;

  // From the counters the adapters keep (task_board_counts, task_due_counts), not from
  // the task rows: two small reads whatever the number of tasks, and no index on the
  // tasks table for it. Deadlines are ends of local days (WorkingCalendar), so "due_at <
  // now" is counted by local due day: tasks due on a local day before now's.
  struct TaskCounts {
    std::int64_t active = 0;   // open or claimed
    std::int64_t overdue = 0;  // active, due on a local day before OfficeDayNumber(now)
  };
  virtual Result<TaskCounts> CountActiveTasks(Micros now) = 0;

  // --- deadline clock and supervisors' board (issue 5) ---
  // The earliest escalate_at of any active task (0 < escalate_at), if any: a
  // scheduler tick with nothing due costs one index probe.
  virtual Result<std::optional<Micros>> NextEscalationAt() = 0;
  // All non-zero board counters (summed over their slots).
  virtual Result<std::vector<BoardCount>> ListBoardCounts() = 0;
  // Active tasks due on the local days first_day..last_day (OfficeDayNumber,
  // inclusive) per (unit, programme, stage), n in BoardCount; from counters.
  virtual Result<std::vector<BoardCount>> CountActiveDueOnDays(std::int64_t first_day,
                                                               std::int64_t last_day) = 0;
  // Active tasks marked overdue in a subtree, in (due_at, id) order.
  virtual Result<std::vector<OverdueItem>> ListOverdue(const OverdueQuery& q) = 0;
  // Cases decided in [from, to) under `org_path`.
  virtual Result<std::vector<DecisionRecord>> ListDecisions(const std::string& org_path, Micros from,
                                                            Micros to) = 0;
  // Pool counts per village under `org_path` (a subtree; "" = everywhere),
  // in (village, pool) order; pool none, closed and revoked cases are left out.
  virtual Result<std::vector<PoolCount>> CountPools(const std::string& org_path) = 0;
  // Overdue counts per unit and day, written by the scheduler once a day.
  virtual Status SaveOverdueHistory(const std::vector<OverdueHistoryRow>& rows) = 0;
  virtual Result<std::vector<OverdueHistoryRow>> ListOverdueHistory(const std::string& from_day,
                                                                    const std::string& to_day) = 0;
  // For each day in `days`: active-at-that-instant tasks whose due_at had
  // passed, per unit (from the task history; used once to fill the history).
  virtual Result<std::vector<OverdueHistoryRow>> CountOverdueAt(
      const std::vector<std::pair<std::string, Micros>>& days) = 0;

  // Notifications of one person, newest first, ids below `before_id` (0 = from the newest).
  virtual Result<std::vector<NotificationRecord>> ListNotifications(const std::string& username,
                                                                    bool unread_only,
                                                                    std::int64_t before_id,
                                                                    int limit) = 0;
  virtual Result<std::int64_t> CountUnreadNotifications(const std::string& username) = 0;
  // Marks one (id != 0) or all unread notifications of `username` read; returns how many changed.
  virtual Result<std::int64_t> MarkNotificationsRead(const std::string& username, std::int64_t id,
                                                     Micros at) = 0;

  // Small named values the engine keeps (e.g. the fingerprint of the calendar files).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& name) = 0;
  virtual Status PutSetting(const std::string& name, const std::string& value) = 0;

  // --- post-audit (issue 6) ---
  // As StoreTxn::ListFastTrackApprovals, from committed data (population preview).
  virtual Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& org_path,
                                                                        Micros from, Micros to) = 0;
  virtual Result<std::optional<AuditSampleRecord>> GetAuditSample(std::int64_t id) = 0;
  // Newest first, ids below `before_id` (0: from the newest).
  virtual Result<std::vector<AuditSampleRecord>> ListAuditSamples(std::int64_t before_id,
                                                                  int limit) = 0;
  // The frozen population of a drawn sample, in case id order.
  virtual Result<std::vector<PopulationEntry>> ListAuditPopulation(std::int64_t sample_id) = 0;
  // Items in id order.
  virtual Result<std::vector<AuditItemRecord>> ListAuditItems(const AuditItemQuery& q) = 0;
  // Newest first.
  virtual Result<std::vector<CreditRecord>> ListCreditRecords(const CreditQuery& q) = 0;

  // --- alerts (issue 7) --- newest first.
  virtual Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& q) = 0;

  // Removes idempotency records created before `before` (they answer retries
  // for a day); returns how many went.
  virtual Result<std::int64_t> PurgeIdempotency(Micros before) = 0;
};

}  // namespace jiuzhu
