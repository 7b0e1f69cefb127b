#include "engine/store/mysql/mysql_txn.hpp"

#include "engine/store/mysql/mysql_rows.hpp"

namespace jiuzhu::mysql {

namespace {

const std::string kLockCase =
    std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ? FOR UPDATE";
const std::string kFindOpenCase =
    std::string("SELECT ") + kCaseColumns + " FROM cases WHERE open_id_hash = ? FOR UPDATE";
const std::string kActiveTasks = std::string("SELECT ") + kTaskColumns +
                                 " FROM tasks WHERE case_id = ? AND state IN (?, ?)"
                                 " ORDER BY id FOR UPDATE";
const std::string kLockTask =
    std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = ? FOR UPDATE";
const std::string kLockReferrals = std::string("SELECT ") + kReferralColumns +
                                   " FROM referrals WHERE case_id = ? ORDER BY id FOR UPDATE";

const std::string kFindIdempotency =
    "SELECT username, idem_key, request_hash, status, response_body, created_at "
    "FROM idempotency_keys WHERE username = ? AND idem_key = ? FOR UPDATE";
const std::string kSaveIdempotency =
    "INSERT INTO idempotency_keys (username, idem_key, request_hash, status, response_body, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?)";

const std::string kInsertCase = InsertWithIdSql("cases", kCaseValueColumns);
const std::string kUpdateCase = UpdateSql("cases", kCaseValueColumns, "id = ? AND version = ?");
const std::string kInsertTask = InsertWithIdSql("tasks", kTaskValueColumns);
const std::string kUpdateTask =
    UpdateSql("tasks", kTaskValueColumns,
              "id = ? AND state = ? AND org_unit_id = ? AND role = ? AND escalation_level = ?");
// Due escalations, earliest first (index tasks_escalate). SKIP LOCKED: rows another
// transaction (another server process's clock) holds are left to it instead of waited for.
const std::string kClaimDueTasks = std::string("SELECT ") + kTaskColumns +
                                   " FROM tasks WHERE escalate_at > 0 AND escalate_at <= ?"
                                   " ORDER BY escalate_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
const std::string kActiveTasksDueAfter = std::string("SELECT ") + kTaskColumns +
                                         " FROM tasks WHERE id > ? AND state IN (?, ?) AND "
                                         "due_at > ? ORDER BY id LIMIT ? FOR UPDATE";
const std::string kInsertNotification = std::string("INSERT INTO notifications (") +
                                        kNotificationColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Adds one batch delta to a queue counter row (see engine/store/queue_counts.hpp).
const std::string kAddQueueCount =
    "INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (?, ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE n = n + VALUES(n)";
// Adds one batch delta to a board counter row.
const std::string kAddDueCount =
    "INSERT INTO task_due_counts (org_unit_id, programme, stage, due_day, n) VALUES (?, ?, ?, ?, ?) "
    "ON DUPLICATE KEY UPDATE n = n + VALUES(n)";
const std::string kAddBoardCount =
    "INSERT INTO task_board_counts (org_unit_id, programme, stage, overdue, slot, n) "
    "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)";
const std::string kFindRevisit =
    "SELECT id_hash, quarter, case_id, task_id, created_at FROM revisits "
    "WHERE id_hash = ? AND quarter = ? FOR UPDATE";
const std::string kInsertRevisit =
    "INSERT INTO revisits (id_hash, quarter, case_id, task_id, created_at) VALUES (?, ?, ?, ?, ?)";
const std::string kInsertReferral = InsertWithIdSql("referrals", kReferralValueColumns);
const std::string kUpdateReferral = UpdateSql("referrals", kReferralValueColumns, "id = ?");
const std::string kInsertAudit = std::string("INSERT INTO audit_events (") + kAuditColumns +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr char kSavepointName[] = "jz_command";

// A duplicate key while writing the case row: which unique key says what went wrong.
Status DuplicateCase(const sql::SQLException& e, CaseId id) {
  if (std::string(e.what()).find("cases_open_id_hash") != std::string::npos) {
    return AlreadyExists("this person already has an open case; case " + std::to_string(id) +
                         " cannot be open at the same time");
  }
  return AlreadyExists("case " + std::to_string(id) + " already exists");
}

template <typename T, typename Reader>
Result<std::optional<T>> ReadOptional(sql::PreparedStatement& ps, Reader read) {
  std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
  if (!rs->next()) return std::optional<T>();
  JZ_ASSIGN_OR_RETURN(T row, read(*rs));
  return std::optional<T>(std::move(row));
}

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

}  // namespace

MysqlTxn::MysqlTxn(Lease lease) : lease_(std::move(lease)) {}

MysqlTxn::~MysqlTxn() {
  if (state_ == State::kCommitted || lease_->broken()) return;
  try {
    lease_->Execute("ROLLBACK");
  } catch (...) {
    // The connection is in an unknown state: close it rather than reuse it.
    lease_->MarkBroken();
  }
}

Status MysqlTxn::Usable() const {
  switch (state_) {
    case State::kActive:
      return Status::Ok();
    case State::kCommitted:
      return FailedPrecondition("the transaction is already committed");
    case State::kEnded:
      return ended_;
  }
  return Internal("bad transaction state");
}

Status MysqlTxn::Failed(int error_code, Status status) {
  if (IsConnectionLost(error_code)) {
    lease_->MarkBroken();
    state_ = State::kEnded;
    ended_ = Unavailable(status.message() + "; the transaction is lost, retry it");
    return ended_;
  }
  if (error_code == 1213) {
    state_ = State::kEnded;
    ended_ = status;
  }
  return status;
}

template <typename F>
auto MysqlTxn::Run(const std::string& what, F&& fn) -> decltype(fn()) {
  JZ_RETURN_IF_ERROR(Usable());
  try {
    return fn();
  } catch (const sql::SQLException& e) {
    return Failed(e.getErrorCode(), FromSqlError(e, what));
  } catch (const std::exception& e) {
    return Internal(what + ": " + e.what());
  }
}

Result<std::optional<CaseRecord>> MysqlTxn::LockCase(CaseId id) {
  return Run("LockCase", [&]() -> Result<std::optional<CaseRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kLockCase);
    ps.setInt64(1, id);
    return ReadOptional<CaseRecord>(ps, ReadCase);
  });
}

Result<std::optional<CaseRecord>> MysqlTxn::FindOpenCaseByIdHash(const std::string& id_hash) {
  return Run("FindOpenCaseByIdHash", [&]() -> Result<std::optional<CaseRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kFindOpenCase);
    ps.setString(1, id_hash);
    return ReadOptional<CaseRecord>(ps, ReadCase);
  });
}

Result<std::optional<RevisitRecord>> MysqlTxn::FindRevisit(const std::string& id_hash,
                                                           const std::string& quarter) {
  return Run("FindRevisit", [&]() -> Result<std::optional<RevisitRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kFindRevisit);
    Binder(ps).Str(id_hash).Str(quarter);
    return ReadOptional<RevisitRecord>(ps, [](sql::ResultSet& rs) -> Result<RevisitRecord> {
      RowReader r(rs);
      RevisitRecord v;
      v.id_hash = r.Str();
      v.quarter = r.Str();
      v.case_id = r.Int();
      v.task_id = r.Int();
      v.created_at = r.Int();
      return v;
    });
  });
}

Result<std::vector<TaskRecord>> MysqlTxn::ListActiveTasks(CaseId id) {
  return Run("ListActiveTasks", [&]() -> Result<std::vector<TaskRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kActiveTasks);
    Binder(ps).Int(id).Str(TaskStateName(TaskState::kOpen)).Str(TaskStateName(TaskState::kClaimed));
    return ReadAll<TaskRecord>(ps, ReadTask);
  });
}

Result<std::optional<TaskRecord>> MysqlTxn::LockTask(TaskId id) {
  return Run("LockTask", [&]() -> Result<std::optional<TaskRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kLockTask);
    ps.setInt64(1, id);
    return ReadOptional<TaskRecord>(ps, ReadTask);
  });
}

Result<std::vector<ReferralRecord>> MysqlTxn::ListReferrals(CaseId id) {
  return Run("ListReferrals", [&]() -> Result<std::vector<ReferralRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kLockReferrals);
    ps.setInt64(1, id);
    return ReadAll<ReferralRecord>(ps, ReadReferral);
  });
}

Status MysqlTxn::Apply(const CommandEffects& effects) {
  return Run("Apply", [&]() {
    Status s = ApplyStatements(effects);
    if (s.ok()) counts_.AddCommand(effects);
    return s;
  });
}

Status MysqlTxn::ApplyStatements(const CommandEffects& fx) {
  Connection& c = *lease_;
  if (fx.insert_case) {
    const CaseRecord& k = *fx.insert_case;
    sql::PreparedStatement& ps = c.Prepared(kInsertCase);
    Binder b(ps);
    b.Int(k.id);
    BindCaseValues(b, k);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return DuplicateCase(e, k.id);
    }
  }
  if (fx.update_case) {
    const CaseRecord& k = *fx.update_case;
    sql::PreparedStatement& ps = c.Prepared(kUpdateCase);
    Binder b(ps);
    BindCaseValues(b, k);
    b.Int(k.id).Int(fx.expected_version);
    int matched = 0;
    try {
      matched = ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return DuplicateCase(e, k.id);
    }
    if (matched == 0) {
      return Conflict("case " + std::to_string(k.id) + " is no longer at version " +
                      std::to_string(fx.expected_version) +
                      " (changed by another command, or gone); reload and retry");
    }
  }
  for (const TaskRecord& t : fx.insert_tasks) {
    sql::PreparedStatement& ps = c.Prepared(kInsertTask);
    Binder b(ps);
    b.Int(t.id);
    BindTaskValues(b, t);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return AlreadyExists("task " + std::to_string(t.id) + " already exists");
    }
  }
  for (const TaskUpdate& u : fx.update_tasks) {
    const TaskRecord& t = u.after;
    sql::PreparedStatement& ps = c.Prepared(kUpdateTask);
    Binder b(ps);
    BindTaskValues(b, t);
    b.Int(t.id)
        .Str(TaskStateName(u.before.state))
        .Str(u.before.org_unit_id)
        .Str(u.before.role)
        .Int(u.before.escalation_level);
    if (ps.executeUpdate() == 0) {
      return Conflict("task " + std::to_string(t.id) + " is no longer " +
                      TaskStateName(u.before.state) + " at " + u.before.org_unit_id +
                      " at escalation level " + std::to_string(u.before.escalation_level) +
                      " (changed by another command, or gone)");
    }
  }
  for (const ReferralRecord& r : fx.insert_referrals) {
    sql::PreparedStatement& ps = c.Prepared(kInsertReferral);
    Binder b(ps);
    b.Int(r.id);
    BindReferralValues(b, r);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return AlreadyExists("referral " + std::to_string(r.id) + " already exists");
    }
  }
  for (const RevisitRecord& r : fx.insert_revisits) {
    sql::PreparedStatement& ps = c.Prepared(kInsertRevisit);
    Binder(ps).Str(r.id_hash).Str(r.quarter).Int(r.case_id).Int(r.task_id).Int(r.created_at);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return AlreadyExists("the household already has its revisit of " + r.quarter);
    }
  }
  for (const ReferralRecord& r : fx.update_referrals) {
    sql::PreparedStatement& ps = c.Prepared(kUpdateReferral);
    Binder b(ps);
    BindReferralValues(b, r);
    b.Int(r.id);
    if (ps.executeUpdate() == 0) {
      return NotFound("referral " + std::to_string(r.id) + " not found");
    }
  }
  for (const NotificationRecord& n : fx.insert_notifications) {
    sql::PreparedStatement& ps = c.Prepared(kInsertNotification);
    Binder b(ps);
    BindNotification(b, n);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return AlreadyExists("notification " + std::to_string(n.id) + " already exists");
    }
  }
  sql::PreparedStatement& ps = c.Prepared(kInsertAudit);
  Binder b(ps);
  BindAuditEvent(b, fx.audit);
  try {
    ps.executeUpdate();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != 1062) throw;
    return Conflict("audit event " + std::to_string(fx.audit.seq) + " of case " +
                    std::to_string(fx.audit.case_id) +
                    " was written by another command; reload and retry");
  }
  return Status::Ok();
}

Result<std::vector<TaskRecord>> MysqlTxn::ClaimDueTasks(Micros now, int limit) {
  return Run("ClaimDueTasks", [&]() -> Result<std::vector<TaskRecord>> {
    if (limit <= 0) return std::vector<TaskRecord>();
    sql::PreparedStatement& ps = lease_->Prepared(kClaimDueTasks);
    Binder(ps).Int(now).Int(limit);
    return ReadAll<TaskRecord>(ps, ReadTask);
  });
}

Result<std::vector<TaskRecord>> MysqlTxn::ListActiveTasksDueAfter(Micros after, TaskId after_id,
                                                                  int limit) {
  return Run("ListActiveTasksDueAfter", [&]() -> Result<std::vector<TaskRecord>> {
    if (limit <= 0) return std::vector<TaskRecord>();
    sql::PreparedStatement& ps = lease_->Prepared(kActiveTasksDueAfter);
    Binder(ps)
        .Int(after_id)
        .Str(TaskStateName(TaskState::kOpen))
        .Str(TaskStateName(TaskState::kClaimed))
        .Int(after)
        .Int(limit);
    return ReadAll<TaskRecord>(ps, ReadTask);
  });
}

Result<std::optional<IdempotencyRecord>> MysqlTxn::FindIdempotency(const std::string& username,
                                                                   const std::string& key) {
  return Run("FindIdempotency", [&]() -> Result<std::optional<IdempotencyRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(kFindIdempotency);
    Binder(ps).Str(username).Str(key);
    std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
    if (!rs->next()) return std::optional<IdempotencyRecord>();
    RowReader r(*rs);
    IdempotencyRecord rec;
    rec.username = r.Str();
    rec.key = r.Str();
    rec.request_hash = r.Str();
    rec.status = static_cast<int>(r.Int());
    rec.response_body = r.Str();
    rec.created_at = r.Int();
    return std::optional<IdempotencyRecord>(std::move(rec));
  });
}

Status MysqlTxn::SaveIdempotency(const IdempotencyRecord& record) {
  return Run("SaveIdempotency", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(kSaveIdempotency);
    Binder(ps)
        .Str(record.username)
        .Str(record.key)
        .Str(record.request_hash)
        .Int(record.status)
        .Str(record.response_body)
        .Int(record.created_at);
    try {
      ps.executeUpdate();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != 1062) throw;
      return AlreadyExists("idempotency key '" + record.key + "' of " + record.username +
                           " is already stored");
    }
    return Status::Ok();
  });
}

Status MysqlTxn::Savepoint() {
  return Run("Savepoint", [&]() {
    counts_.KeepCommand();
    lease_->Execute(std::string("SAVEPOINT ") + kSavepointName);
    has_savepoint_ = true;
    return Status::Ok();
  });
}

Status MysqlTxn::RollbackToSavepoint() {
  return Run("RollbackToSavepoint", [&]() {
    if (!has_savepoint_) return FailedPrecondition("RollbackToSavepoint without a savepoint");
    // The SQL savepoint outlives this, harmlessly: the next SAVEPOINT replaces it.
    counts_.DropCommand();
    lease_->Execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepointName);
    has_savepoint_ = false;
    return Status::Ok();
  });
}

Status MysqlTxn::ReleaseSavepoint() {
  return Run("ReleaseSavepoint", [&]() {
    if (!has_savepoint_) return FailedPrecondition("ReleaseSavepoint without a savepoint");
    // No RELEASE statement: the savepoint stays in the server until the next SAVEPOINT of
    // the same name replaces it (or the commit ends it), and a round trip per command is saved.
    counts_.KeepCommand();
    has_savepoint_ = false;
    return Status::Ok();
  });
}

Status MysqlTxn::Commit() {
  JZ_RETURN_IF_ERROR(Usable());
  Status s = Run("Commit", [&]() {
    // The counters last, after every other lock of the batch, in one global order (board
    // rows in key order, then queue rows in key order, as SqliteStore does): two batches
    // never wait for each other's counter rows in a cycle.
    const CountDeltas deltas = counts_.Take();
    for (const BoardCountDelta& d : deltas.board) {
      sql::PreparedStatement& ps = lease_->Prepared(kAddBoardCount);
      Binder(ps)
          .Str(d.key.org_unit_id)
          .Str(d.key.programme)
          .Str(d.key.stage)
          .Int(d.key.overdue ? 1 : 0)
          .Int(d.key.slot)
          .Int(d.delta);
      ps.executeUpdate();
    }
    for (const DueCountDelta& d : deltas.due) {
      sql::PreparedStatement& ps = lease_->Prepared(kAddDueCount);
      Binder(ps)
          .Str(d.key.org_unit_id)
          .Str(d.key.programme)
          .Str(d.key.stage)
          .Int(d.key.day)
          .Int(d.delta);
      ps.executeUpdate();
    }
    for (const QueueCountDelta& d : deltas.queues) {
      sql::PreparedStatement& ps = lease_->Prepared(kAddQueueCount);
      Binder(ps).Str(d.key.org_unit_id).Str(d.key.role).Str(d.key.state).Int(d.key.slot).Int(d.delta);
      ps.executeUpdate();
    }
    lease_->Execute("COMMIT");
    state_ = State::kCommitted;
    return Status::Ok();
  });
  if (s.code() == ErrorCode::kUnavailable) {
    return Unavailable(s.message() + " (the commit may or may not have happened)");
  }
  return s;
}

}  // namespace jiuzhu::mysql

// --- post-audit (issue 6) ---
namespace jiuzhu::mysql {

Result<std::vector<FastTrackApproval>> MysqlTxn::ListFastTrackApprovals(const std::string& org_path,
                                                                        Micros from, Micros to) {
  return Run("ListFastTrackApprovals", [&]() -> Result<std::vector<FastTrackApproval>> {
    sql::PreparedStatement& ps = lease_->Prepared(kFastTrackApprovalsSql);
    Binder(ps).Int(from).Int(to).Str(EscapeLike(org_path) + "%");
    return ReadAll<FastTrackApproval>(ps, ReadFastTrackApproval);
  });
}

Status MysqlTxn::InsertAuditSample(const AuditSampleRecord& r) {
  return Run("InsertAuditSample", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("INSERT INTO audit_samples (") +
                                                  kSampleColumns +
                                                  ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Binder(ps).Int(r.id).Str(r.status).Str(r.org_unit_id).Str(r.created_by).Int(r.created_at)
        .Str(r.seed).Str(r.parameters_json).Str(r.parameters_hash).Str(r.drawn_by)
        .Int(r.drawn_at).Str(r.population_hash).Int(r.population_size).Str(r.sample_hash)
        .Str(r.strata_json);
    ps.executeUpdate();
    return Status::Ok();
  });
}

Result<std::optional<AuditSampleRecord>> MysqlTxn::LockAuditSample(std::int64_t id) {
  return Run("LockAuditSample", [&]() -> Result<std::optional<AuditSampleRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("SELECT ") + kSampleColumns +
                                                  " FROM audit_samples WHERE id = ? FOR UPDATE");
    ps.setInt64(1, id);
    return ReadOptional<AuditSampleRecord>(ps, ReadSample);
  });
}

Status MysqlTxn::SaveAuditDraw(const AuditSampleRecord& r,
                               const std::vector<PopulationEntry>& population,
                               const std::vector<AuditItemRecord>& items) {
  return Run("SaveAuditDraw", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(
        "UPDATE audit_samples SET status = ?, drawn_by = ?, drawn_at = ?, population_hash = ?, "
        "population_size = ?, sample_hash = ?, strata_json = ? WHERE id = ? AND status = 'seeded'");
    Binder(ps).Str(r.status).Str(r.drawn_by).Int(r.drawn_at).Str(r.population_hash)
        .Int(r.population_size).Str(r.sample_hash).Str(r.strata_json).Int(r.id);
    if (ps.executeUpdate() != 1) {
      return Conflict("sample " + std::to_string(r.id) + " has already been drawn");
    }
    for (const PopulationEntry& e : population) {
      sql::PreparedStatement& p = lease_->Prepared(
          std::string("INSERT INTO audit_population (sample_id, ") + kPopulationColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?)");
      Binder(p).Int(r.id).Int(e.case_id).Str(e.programme).Str(e.district_id).Str(e.street_id)
          .Str(e.org_path).Str(e.approver).Int(e.approved_at).Int(e.flagged ? 1 : 0);
      p.executeUpdate();
    }
    for (const AuditItemRecord& item : items) {
      sql::PreparedStatement& p = lease_->Prepared(
          std::string("INSERT INTO audit_items (") + kAuditItemColumns +
          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      Binder b(p);
      BindAuditItem(b, item);
      p.executeUpdate();
    }
    return Status::Ok();
  });
}

Result<std::optional<AuditItemRecord>> MysqlTxn::LockAuditItem(std::int64_t id) {
  return Run("LockAuditItem", [&]() -> Result<std::optional<AuditItemRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("SELECT ") + kAuditItemColumns +
                                                  " FROM audit_items WHERE id = ? FOR UPDATE");
    ps.setInt64(1, id);
    return ReadOptional<AuditItemRecord>(ps, ReadAuditItem);
  });
}

Status MysqlTxn::UpdateAuditItem(const AuditItemRecord& r, const std::string& expected_status) {
  return Run("UpdateAuditItem", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(
        "UPDATE audit_items SET status = ?, task_id = ?, category = ?, evidence = ?, "
        "found_by = ?, found_at = ?, reverification = ?, reverified_by = ?, reverified_at = ?, "
        "decision_reason = ?, decided_by = ?, decided_at = ?, amount_to_recover_fen = ? "
        "WHERE id = ? AND status = ?");
    Binder(ps).Str(r.status).Int(r.task_id).Str(r.category).Str(r.evidence).Str(r.found_by)
        .Int(r.found_at).Str(r.reverification).Str(r.reverified_by).Int(r.reverified_at)
        .Str(r.decision_reason).Str(r.decided_by).Int(r.decided_at).Int(r.amount_to_recover_fen)
        .Int(r.id).Str(expected_status);
    if (ps.executeUpdate() != 1) {
      return Conflict("audit item " + std::to_string(r.id) + " is no longer " + expected_status);
    }
    return Status::Ok();
  });
}

Status MysqlTxn::InsertCreditRecord(const CreditRecord& r) {
  return Run("InsertCreditRecord", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("INSERT INTO credit_records (") +
                                                  kCreditColumns +
                                                  ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Binder b(ps);
    BindCredit(b, r);
    ps.executeUpdate();
    return Status::Ok();
  });
}

Result<std::vector<CreditRecord>> MysqlTxn::ListCreditRecords(const std::string& id_hash) {
  return Run("ListCreditRecords", [&]() -> Result<std::vector<CreditRecord>> {
    CreditQuery q;
    q.id_hash = id_hash;
    sql::PreparedStatement& ps = lease_->Prepared(CreditQuerySql(q, /*lock=*/true));
    Binder b(ps);
    BindCreditQuery(b, q);
    return ReadAll<CreditRecord>(ps, ReadCredit);
  });
}

}  // namespace jiuzhu::mysql

// --- alerts (issue 7) ---
namespace jiuzhu::mysql {

Status MysqlTxn::InsertAlert(const AlertRecord& a) {
  return Run("InsertAlert", [&]() -> Status {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("INSERT INTO alerts (") + kAlertColumns +
                                                  ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Binder b(ps);
    BindAlert(b, a);
    ps.executeUpdate();
    return Status::Ok();
  });
}

Result<std::optional<AlertRecord>> MysqlTxn::FindAlert(const std::string& source,
                                                       const std::string& external_id) {
  return Run("FindAlert", [&]() -> Result<std::optional<AlertRecord>> {
    sql::PreparedStatement& ps = lease_->Prepared(std::string("SELECT ") + kAlertColumns +
                                                  " FROM alerts WHERE source = ? AND external_id = ? FOR UPDATE");
    Binder(ps).Str(source).Str(external_id);
    return ReadOptional<AlertRecord>(ps, ReadAlert);
  });
}

}  // namespace jiuzhu::mysql
