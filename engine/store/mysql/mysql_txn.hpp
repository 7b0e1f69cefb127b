// MysqlTxn: the StoreTxn of MysqlStore. Internal to engine/store/mysql (MysqlStore::BeginWrite
// is the only way to make one).
//
// One InnoDB transaction on one pooled connection, READ COMMITTED. Reads lock what they return
// (SELECT ... FOR UPDATE). Apply checks the case version and each task's state in the UPDATE
// itself (WHERE id = ? AND version = ?) and answers kConflict when no row matched.
//
// One savepoint at a time: Savepoint() sets it (again: moves it); RollbackToSavepoint() undoes
// everything after it and ReleaseSavepoint() keeps it, both ending it; either is
// kFailedPrecondition without a savepoint.
//
// After a deadlock (1213) the server has already rolled the whole transaction back, savepoints
// included, and after a lost connection the transaction is gone: every later call returns that
// same error (kConflict or kUnavailable). After Commit every call is kFailedPrecondition.
// Destruction without Commit rolls back; it never throws.
#pragma once

#include <memory>
#include <string>

#include "engine/store/case_store.hpp"
#include "engine/store/queue_counts.hpp"
#include "engine/store/mysql/mysql_connection.hpp"

namespace jiuzhu::mysql {

class MysqlTxn final : public StoreTxn {
 public:
  // `lease` has just run START TRANSACTION.
  explicit MysqlTxn(Lease lease);
  ~MysqlTxn() override;

  Result<std::optional<CaseRecord>> LockCase(CaseId id) override;
  Result<std::optional<CaseRecord>> FindOpenCaseByIdHash(const std::string& id_hash) override;
  Result<std::vector<TaskRecord>> ListActiveTasks(CaseId id) override;
  Result<std::optional<TaskRecord>> LockTask(TaskId id) override;
  Result<std::optional<RevisitRecord>> FindRevisit(const std::string& id_hash,
                                                   const std::string& quarter) override;
  Result<std::vector<ReferralRecord>> ListReferrals(CaseId id) override;

  // Writes in this order: new case, case update, new tasks, task updates, new referrals,
  // referral updates, new notifications, the audit event. Errors:
  //  kAlreadyExists  the new case's id exists, or the person already has an open case (also
  //                  when an update would reopen a case while another is open), or a new
  //                  task's, referral's or notification's id exists;
  //  kConflict       the case is not at expected_version, a task no longer has the state,
  //                  unit, role and escalation level of its `before`, the audit event's
  //                  (case_id, seq) is taken, or a deadlock / lock wait timeout;
  //  kNotFound       an updated referral does not exist;
  //  kInvalidArgument a value does not fit its column.
  // Statements before the failing one stay written: roll back (to the savepoint).
  Status Apply(const CommandEffects& effects) override;

  // FOR UPDATE SKIP LOCKED: due tasks another transaction has locked (another process's
  // clock, or a command working on the task) are skipped, not waited for, so concurrent
  // callers get disjoint sets. Relies on escalate_at being 0 for closed tasks (the engine
  // clears it when a task closes). limit <= 0: nothing.
  Result<std::vector<TaskRecord>> ClaimDueTasks(Micros now, int limit) override;
  // A locking read (FOR UPDATE) in id order; waits for rows another transaction holds.
  Result<std::vector<TaskRecord>> ListActiveTasksDueAfter(Micros after, TaskId after_id,
                                                          int limit) override;

  // A locking read (FOR UPDATE): when another transaction has saved the same (username, key)
  // and not yet committed, this waits for it and then returns its record (or nothing, if it
  // rolled back). Under READ COMMITTED a missing row is not locked: two first requests with
  // one key both find nothing, and the later SaveIdempotency is refused by the primary key.
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& username,
                                                           const std::string& key) override;
  // kAlreadyExists if the pair is stored; kInvalidArgument if a value does not fit its
  // column. The transaction stays usable after either.
  Status SaveIdempotency(const IdempotencyRecord& record) override;

  // --- post-audit (issue 6) --- (see StoreTxn). Locking reads are FOR UPDATE.
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& org_path,
                                                                Micros from, Micros to) override;
  Status InsertAuditSample(const AuditSampleRecord& sample) override;
  Result<std::optional<AuditSampleRecord>> LockAuditSample(std::int64_t id) override;
  Status SaveAuditDraw(const AuditSampleRecord& drawn,
                       const std::vector<PopulationEntry>& population,
                       const std::vector<AuditItemRecord>& items) override;
  Result<std::optional<AuditItemRecord>> LockAuditItem(std::int64_t id) override;
  Status UpdateAuditItem(const AuditItemRecord& item, const std::string& expected_status) override;
  Status InsertCreditRecord(const CreditRecord& record) override;
  Result<std::vector<CreditRecord>> ListCreditRecords(const std::string& id_hash) override;

  // --- alerts (issue 7) ---
  Status InsertAlert(const AlertRecord& alert) override;
  Result<std::optional<AlertRecord>> FindAlert(const std::string& source,
                                               const std::string& external_id) override;

  Status Savepoint() override;
  Status RollbackToSavepoint() override;
  Status ReleaseSavepoint() override;
  // Writes the batch's board and queue counter deltas (see queue_counts.hpp), then COMMIT.
  // kUnavailable if the connection is lost during COMMIT: the outcome is then unknown.
  Status Commit() override;

 private:
  enum class State { kActive, kCommitted, kEnded };

  // Runs `fn` if the transaction can still be used, turning driver exceptions into a Status.
  template <typename F>
  auto Run(const std::string& what, F&& fn) -> decltype(fn());
  Status Usable() const;
  // Records that the transaction ended when the error says so; returns the Status to report.
  Status Failed(int error_code, Status status);
  Status ApplyStatements(const CommandEffects& fx);

  Lease lease_;
  State state_ = State::kActive;
  Status ended_;  // why the transaction ended, when state_ == kEnded
  bool has_savepoint_ = false;
  QueueCountDeltas counts_;  // inbox queue and board totals, written at Commit
};

}  // namespace jiuzhu::mysql
