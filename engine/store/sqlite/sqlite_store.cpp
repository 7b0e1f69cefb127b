#include "engine/store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>
#include <utility>

#include "engine/store/id_batches.hpp"
#include "engine/store/migration_files.hpp"
#include "engine/store/queue_counts.hpp"

namespace jiuzhu {

// Per-connection state: the handle and its cache of prepared statements.
struct SqliteConn {
  sqlite3* db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache;
  ~SqliteConn() {
    for (auto& [sql, stmt] : cache) sqlite3_finalize(stmt);
    if (db) sqlite3_close_v2(db);
  }
};

namespace {
using Conn = SqliteConn;

Status ErrorOf(sqlite3* db, int rc, const std::string& what) {
  const std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Conflict(msg + " (database busy; retry)");
    case SQLITE_CONSTRAINT:
      return AlreadyExists(msg);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return Unavailable(msg);
    default:
      return Internal(msg);
  }
}

// A cached prepared statement, reset on destruction so it can be reused.
class Stmt {
 public:
  Stmt(Conn& c, const std::string& sql) : c_(c) {
    auto it = c.cache.find(sql);
    if (it != c.cache.end()) {
      s_ = it->second;
      return;
    }
    rc_ = sqlite3_prepare_v3(c.db, sql.c_str(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
    if (rc_ == SQLITE_OK) c.cache.emplace(sql, s_);
  }
  ~Stmt() {
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Status prepared(const char* what) const {
    return rc_ == SQLITE_OK ? Status::Ok() : ErrorOf(c_.db, rc_, what);
  }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNullableText(int i, const std::string* v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(s_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(s_); }
  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
  }
  Status Run(const char* what) {
    JZ_RETURN_IF_ERROR(prepared(what));
    const int rc = Step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return ErrorOf(c_.db, rc, what);
    return Status::Ok();
  }
  int Changes() const { return sqlite3_changes(c_.db); }
  sqlite3_stmt* raw() const { return s_; }
  sqlite3* db() const { return c_.db; }

 private:
  Conn& c_;
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_OK;
};

Status Exec(Conn& c, const std::string& sql, const char* what) {
  char* err = nullptr;
  const int rc = sqlite3_exec(c.db, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = std::string(what) + ": " + (err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    Status s = ErrorOf(c.db, rc, what);
    return Status(s.code(), msg);
  }
  return Status::Ok();
}

// Runs the statement, appending map(row) to *out for each row.
template <typename T, typename F>
Status AppendRows(Stmt& st, const char* what, F&& map, std::vector<T>* out) {
  JZ_RETURN_IF_ERROR(st.prepared(what));
  for (;;) {
    const int rc = st.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return ErrorOf(st.db(), rc, what);
    out->push_back(map(st));
  }
}

template <typename T, typename F>
Result<std::vector<T>> Collect(Stmt& st, const char* what, F&& map) {
  std::vector<T> out;
  JZ_RETURN_IF_ERROR(AppendRows(st, what, std::forward<F>(map), &out));
  return out;
}

constexpr const char* kCaseColumns =
    "id, programme, state, route, pool, version, applicant_name, id_hash, id_masked, id_cipher, "
    "village_id, org_path, assessment_json, pledge_json, created_at, updated_at, promised_by, "
    "audit_head_seq, audit_head_hash, decided_at";

CaseRecord ReadCase(const Stmt& st) {
  CaseRecord c;
  c.id = st.Int(0);
  c.programme = st.Text(1);
  c.state = ParseCaseState(st.Text(2)).value_or(CaseState::kDiscover);
  c.route = ParseRoute(st.Text(3)).value_or(Route::kUndecided);
  c.pool = ParsePool(st.Text(4)).value_or(Pool::kNone);
  c.version = st.Int(5);
  c.applicant_name = st.Text(6);
  c.id_hash = st.Text(7);
  c.id_masked = st.Text(8);
  c.id_cipher = st.Text(9);
  c.village_id = st.Text(10);
  c.org_path = st.Text(11);
  c.assessment_json = st.Text(12);
  c.pledge_json = st.Text(13);
  c.created_at = st.Int(14);
  c.updated_at = st.Int(15);
  c.promised_by = st.Int(16);
  c.audit_head_seq = st.Int(17);
  c.audit_head_hash = st.Text(18);
  c.decided_at = st.Int(19);
  return c;
}

constexpr const char* kTaskColumns =
    "id, case_id, programme, stage, kind, role, org_unit_id, org_path, state, created_at, due_at, "
    "claimed_by, claimed_at, completed_at, outcome, referral_id, escalation_level, escalate_at";

TaskRecord ReadTask(const Stmt& st) {
  TaskRecord t;
  t.id = st.Int(0);
  t.case_id = st.Int(1);
  t.programme = st.Text(2);
  t.stage = ParseCaseState(st.Text(3)).value_or(CaseState::kDiscover);
  t.kind = st.Text(4);
  t.role = st.Text(5);
  t.org_unit_id = st.Text(6);
  t.org_path = st.Text(7);
  t.state = ParseTaskState(st.Text(8)).value_or(TaskState::kOpen);
  t.created_at = st.Int(9);
  t.due_at = st.Int(10);
  t.claimed_by = st.Text(11);
  t.claimed_at = st.Int(12);
  t.completed_at = st.Int(13);
  t.outcome = st.Text(14);
  t.referral_id = st.Int(15);
  t.escalation_level = static_cast<int>(st.Int(16));
  t.escalate_at = st.Int(17);
  return t;
}

constexpr const char* kReferralColumns =
    "id, case_id, department_code, department_unit_id, status, note, answer, answer_json, "
    "requested_at, due_at, answered_at, policies";

ReferralRecord ReadReferral(const Stmt& st) {
  ReferralRecord r;
  r.id = st.Int(0);
  r.case_id = st.Int(1);
  r.department_code = st.Text(2);
  r.department_unit_id = st.Text(3);
  r.status = st.Text(4) == "answered" ? ReferralStatus::kAnswered : ReferralStatus::kPending;
  r.note = st.Text(5);
  r.answer = st.Text(6);
  r.answer_json = st.Text(7);
  r.requested_at = st.Int(8);
  r.due_at = st.Int(9);
  r.answered_at = st.Int(10);
  r.policies = st.Text(11);
  return r;
}

const char* ReferralStatusName(ReferralStatus s) {
  return s == ReferralStatus::kAnswered ? "answered" : "pending";
}

constexpr const char* kAuditColumns =
    "case_id, seq, at, actor, role, org_unit_id, action, from_state, to_state, payload, "
    "prev_hash, hash";

AuditEventRecord ReadAudit(const Stmt& st) {
  AuditEventRecord e;
  e.case_id = st.Int(0);
  e.seq = st.Int(1);
  e.at = st.Int(2);
  e.actor = st.Text(3);
  e.role = st.Text(4);
  e.org_unit_id = st.Text(5);
  e.action = st.Text(6);
  e.from_state = st.Text(7);
  e.to_state = st.Text(8);
  e.payload = st.Text(9);
  e.prev_hash = st.Text(10);
  e.hash = st.Text(11);
  return e;
}

Status InsertCase(Conn& c, const CaseRecord& r) {
  Stmt st(c, std::string("INSERT INTO cases (") + kCaseColumns +
                 ", open_id_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  st.Bind(1, r.id).Bind(2, r.programme).Bind(3, std::string(CaseStateName(r.state)));
  st.Bind(4, std::string(RouteName(r.route))).Bind(5, std::string(PoolName(r.pool)));
  st.Bind(6, r.version).Bind(7, r.applicant_name).Bind(8, r.id_hash).Bind(9, r.id_masked);
  st.Bind(10, r.id_cipher).Bind(11, r.village_id).Bind(12, r.org_path);
  st.Bind(13, r.assessment_json).Bind(14, r.pledge_json).Bind(15, r.created_at);
  st.Bind(16, r.updated_at).Bind(17, r.promised_by).Bind(18, r.audit_head_seq);
  st.Bind(19, r.audit_head_hash).Bind(20, r.decided_at);
  st.BindNullableText(21, IsTerminal(r.state) ? nullptr : &r.id_hash);
  Status s = st.Run("insert case");
  if (s.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("an open case already exists for this ID number");
  }
  return s;
}

Status UpdateCase(Conn& c, const CaseRecord& r, std::int64_t expected_version) {
  // The indexed columns (id_hash, open_id_hash, org_path, decided_at) are written by a
  // second statement, and only when one of them changes. SQLite rewrites the
  // entries of every index whose column is named in SET, even with the same
  // value: with them in the first statement each command dirtied about two
  // more index pages per case, all written to the WAL and synced at commit
  // (bench/command_throughput: ~+30% commands/s on SQLite FULL without them).
  {
    Stmt st(c,
            "UPDATE cases SET programme=?, state=?, route=?, pool=?, version=?, "
            "applicant_name=?, id_masked=?, id_cipher=?, village_id=?, assessment_json=?, "
            "pledge_json=?, created_at=?, updated_at=?, promised_by=?, audit_head_seq=?, "
            "audit_head_hash=? WHERE id=? AND version=?");
    st.Bind(1, r.programme).Bind(2, std::string(CaseStateName(r.state)));
    st.Bind(3, std::string(RouteName(r.route))).Bind(4, std::string(PoolName(r.pool)));
    st.Bind(5, r.version).Bind(6, r.applicant_name).Bind(7, r.id_masked);
    st.Bind(8, r.id_cipher).Bind(9, r.village_id).Bind(10, r.assessment_json);
    st.Bind(11, r.pledge_json).Bind(12, r.created_at).Bind(13, r.updated_at);
    st.Bind(14, r.promised_by).Bind(15, r.audit_head_seq).Bind(16, r.audit_head_hash);
    st.Bind(17, r.id).Bind(18, expected_version);
    JZ_RETURN_IF_ERROR(st.Run("update case"));
    if (st.Changes() != 1) {
      return Conflict("case " + std::to_string(r.id) + " is no longer at version " +
                      std::to_string(expected_version));
    }
  }
  const std::string* open_id_hash = IsTerminal(r.state) ? nullptr : &r.id_hash;
  Stmt st(c,
          "UPDATE cases SET id_hash=?, open_id_hash=?, org_path=?, decided_at=? WHERE id=? AND "
          "(id_hash IS NOT ? OR open_id_hash IS NOT ? OR org_path IS NOT ? OR decided_at IS NOT ?)");
  st.Bind(1, r.id_hash).BindNullableText(2, open_id_hash).Bind(3, r.org_path);
  st.Bind(4, r.decided_at).Bind(5, r.id);
  st.Bind(6, r.id_hash).BindNullableText(7, open_id_hash).Bind(8, r.org_path).Bind(9, r.decided_at);
  Status s = st.Run("update case keys");
  if (s.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("an open case already exists for this ID number");
  }
  return s;
}

Status InsertTask(Conn& c, const TaskRecord& t) {
  Stmt st(c, std::string("INSERT INTO tasks (") + kTaskColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  st.Bind(1, t.id).Bind(2, t.case_id).Bind(3, t.programme);
  st.Bind(4, std::string(CaseStateName(t.stage))).Bind(5, t.kind).Bind(6, t.role);
  st.Bind(7, t.org_unit_id).Bind(8, t.org_path).Bind(9, std::string(TaskStateName(t.state)));
  st.Bind(10, t.created_at).Bind(11, t.due_at).Bind(12, t.claimed_by).Bind(13, t.claimed_at);
  st.Bind(14, t.completed_at).Bind(15, t.outcome).Bind(16, t.referral_id);
  st.Bind(17, static_cast<std::int64_t>(t.escalation_level)).Bind(18, t.escalate_at);
  return st.Run("insert task");
}

// Rewrites only the columns that differ between u.before and u.after: SQLite
// rewrites the entries of every index whose column is named in SET, even with
// the same value, and each such page goes to the WAL and is synced at commit.
// A claim changes state, claimed_by and claimed_at; naming the other columns
// too dirtied the pages of tasks_escalate and the wide tasks_state_due as well.
Status UpdateTask(Conn& c, const TaskUpdate& u) {
  const TaskRecord& t = u.after;
  const TaskRecord& b = u.before;
  std::string set;
  std::vector<std::function<void(Stmt&, int)>> binds;
  auto column = [&](bool changed, const char* name, std::function<void(Stmt&, int)> bind) {
    if (!changed) return;
    set += set.empty() ? "" : ", ";
    set += name;
    set += "=?";
    binds.push_back(std::move(bind));
  };
  column(t.state != b.state, "state", [&](Stmt& st, int i) { st.Bind(i, std::string(TaskStateName(t.state))); });
  column(t.due_at != b.due_at, "due_at", [&](Stmt& st, int i) { st.Bind(i, t.due_at); });
  column(t.claimed_by != b.claimed_by, "claimed_by", [&](Stmt& st, int i) { st.Bind(i, t.claimed_by); });
  column(t.claimed_at != b.claimed_at, "claimed_at", [&](Stmt& st, int i) { st.Bind(i, t.claimed_at); });
  column(t.completed_at != b.completed_at, "completed_at", [&](Stmt& st, int i) { st.Bind(i, t.completed_at); });
  column(t.outcome != b.outcome, "outcome", [&](Stmt& st, int i) { st.Bind(i, t.outcome); });
  column(t.org_unit_id != b.org_unit_id, "org_unit_id", [&](Stmt& st, int i) { st.Bind(i, t.org_unit_id); });
  column(t.org_path != b.org_path, "org_path", [&](Stmt& st, int i) { st.Bind(i, t.org_path); });
  column(t.role != b.role, "role", [&](Stmt& st, int i) { st.Bind(i, t.role); });
  column(t.escalation_level != b.escalation_level, "escalation_level",
         [&](Stmt& st, int i) { st.Bind(i, static_cast<std::int64_t>(t.escalation_level)); });
  column(t.escalate_at != b.escalate_at, "escalate_at", [&](Stmt& st, int i) { st.Bind(i, t.escalate_at); });
  const char* where = " WHERE id=? AND state=? AND org_unit_id=? AND role=? AND escalation_level=?";
  // Nothing changes: the row must still match, and nothing is written.
  Stmt st(c, set.empty() ? std::string("SELECT count(*) FROM tasks") + where
                         : "UPDATE tasks SET " + set + where);
  int i = 1;
  for (auto& bind : binds) bind(st, i++);
  st.Bind(i++, t.id);
  st.Bind(i++, std::string(TaskStateName(b.state)));
  st.Bind(i++, b.org_unit_id);
  st.Bind(i++, b.role);
  st.Bind(i++, static_cast<std::int64_t>(b.escalation_level));
  bool matched = false;
  if (set.empty()) {
    JZ_ASSIGN_OR_RETURN(auto n, Collect<std::int64_t>(st, "check task", [](const Stmt& s) { return s.Int(0); }));
    matched = !n.empty() && n[0] == 1;
  } else {
    JZ_RETURN_IF_ERROR(st.Run("update task"));
    matched = st.Changes() == 1;
  }
  if (!matched) {
    return Conflict("task " + std::to_string(t.id) + " is no longer " + TaskStateName(b.state) +
                    " at " + b.org_unit_id + " (changed by another command, or gone)");
  }
  return Status::Ok();
}

// Adds the batch's counter changes, one row each, in key order.
Status WriteCounts(Conn& c, const CountDeltas& deltas) {
  for (const BoardCountDelta& d : deltas.board) {
    Stmt st(c,
            "INSERT INTO task_board_counts (org_unit_id, programme, stage, overdue, slot, n) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT (org_unit_id, programme, stage, overdue, slot) "
            "DO UPDATE SET n = n + excluded.n");
    st.Bind(1, d.key.org_unit_id).Bind(2, d.key.programme).Bind(3, d.key.stage);
    st.Bind(4, std::int64_t{d.key.overdue ? 1 : 0}).Bind(5, static_cast<std::int64_t>(d.key.slot));
    st.Bind(6, d.delta);
    JZ_RETURN_IF_ERROR(st.Run("update board counts"));
  }
  for (const DueCountDelta& d : deltas.due) {
    Stmt st(c,
            "INSERT INTO task_due_counts (org_unit_id, programme, stage, due_day, n) "
            "VALUES (?,?,?,?,?) ON CONFLICT (org_unit_id, programme, stage, due_day) "
            "DO UPDATE SET n = n + excluded.n");
    st.Bind(1, d.key.org_unit_id).Bind(2, d.key.programme).Bind(3, d.key.stage);
    st.Bind(4, d.key.day).Bind(5, d.delta);
    JZ_RETURN_IF_ERROR(st.Run("update due counts"));
  }
  for (const QueueCountDelta& d : deltas.queues) {
    Stmt st(c,
            "INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (?,?,?,?,?) "
            "ON CONFLICT (org_unit_id, role, state, slot) DO UPDATE SET n = n + excluded.n");
    st.Bind(1, d.key.org_unit_id).Bind(2, d.key.role).Bind(3, d.key.state);
    st.Bind(4, static_cast<std::int64_t>(d.key.slot)).Bind(5, d.delta);
    JZ_RETURN_IF_ERROR(st.Run("update queue counts"));
  }
  return Status::Ok();
}

Status InsertReferral(Conn& c, const ReferralRecord& r) {
  Stmt st(c, std::string("INSERT INTO referrals (") + kReferralColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  st.Bind(1, r.id).Bind(2, r.case_id).Bind(3, r.department_code).Bind(4, r.department_unit_id);
  st.Bind(5, std::string(ReferralStatusName(r.status))).Bind(6, r.note).Bind(7, r.answer);
  st.Bind(8, r.answer_json).Bind(9, r.requested_at).Bind(10, r.due_at).Bind(11, r.answered_at);
  st.Bind(12, r.policies);
  return st.Run("insert referral");
}

Status InsertRevisit(Conn& c, const RevisitRecord& r) {
  Stmt st(c, "INSERT INTO revisits (id_hash, quarter, case_id, task_id, created_at) "
             "VALUES (?,?,?,?,?)");
  st.Bind(1, r.id_hash).Bind(2, r.quarter).Bind(3, r.case_id).Bind(4, r.task_id);
  st.Bind(5, r.created_at);
  Status s = st.Run("insert revisit");
  if (s.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("the household already has its revisit of " + r.quarter);
  }
  return s;
}

Status UpdateReferral(Conn& c, const ReferralRecord& r) {
  Stmt st(c,
          "UPDATE referrals SET status=?, note=?, answer=?, answer_json=?, due_at=?, "
          "answered_at=?, policies=? WHERE id=?");
  st.Bind(1, std::string(ReferralStatusName(r.status))).Bind(2, r.note).Bind(3, r.answer);
  st.Bind(4, r.answer_json).Bind(5, r.due_at).Bind(6, r.answered_at).Bind(7, r.policies);
  st.Bind(8, r.id);
  JZ_RETURN_IF_ERROR(st.Run("update referral"));
  if (st.Changes() != 1) return NotFound("referral " + std::to_string(r.id) + " not found");
  return Status::Ok();
}

Status InsertAudit(Conn& c, const AuditEventRecord& e) {
  Stmt st(c, std::string("INSERT INTO audit_events (") + kAuditColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  st.Bind(1, e.case_id).Bind(2, e.seq).Bind(3, e.at).Bind(4, e.actor).Bind(5, e.role);
  st.Bind(6, e.org_unit_id).Bind(7, e.action).Bind(8, e.from_state).Bind(9, e.to_state);
  st.Bind(10, e.payload).Bind(11, e.prev_hash).Bind(12, e.hash);
  Status s = st.Run("append audit event");
  if (s.code() == ErrorCode::kAlreadyExists) {
    return Conflict("audit event " + std::to_string(e.seq) + " of case " +
                    std::to_string(e.case_id) + " already written");
  }
  return s;
}

Result<std::optional<CaseRecord>> SelectCase(Conn& c, CaseId id) {
  Stmt st(c, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id=?");
  st.Bind(1, id);
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<CaseRecord>(st, "read case", ReadCase));
  if (rows.empty()) return std::optional<CaseRecord>();
  return std::optional<CaseRecord>(std::move(rows[0]));
}

Result<std::optional<IdempotencyRecord>> SelectIdempotency(Conn& c, const std::string& username,
                                                           const std::string& key) {
  Stmt st(c,
          "SELECT username, idem_key, request_hash, status, response_body, created_at "
          "FROM idempotency_keys WHERE username=? AND idem_key=?");
  st.Bind(1, username).Bind(2, key);
  JZ_ASSIGN_OR_RETURN(auto rows,
                      Collect<IdempotencyRecord>(st, "find idempotency key", [](const Stmt& s) {
                        IdempotencyRecord r;
                        r.username = s.Text(0);
                        r.key = s.Text(1);
                        r.request_hash = s.Text(2);
                        r.status = static_cast<int>(s.Int(3));
                        r.response_body = s.Text(4);
                        r.created_at = s.Int(5);
                        return r;
                      }));
  if (rows.empty()) return std::optional<IdempotencyRecord>();
  return std::optional<IdempotencyRecord>(std::move(rows[0]));
}

Status InsertIdempotency(Conn& c, const IdempotencyRecord& r) {
  Stmt st(c,
          "INSERT INTO idempotency_keys (username, idem_key, request_hash, status, "
          "response_body, created_at) VALUES (?,?,?,?,?,?)");
  st.Bind(1, r.username).Bind(2, r.key).Bind(3, r.request_hash);
  st.Bind(4, static_cast<std::int64_t>(r.status)).Bind(5, r.response_body).Bind(6, r.created_at);
  Status s = st.Run("save idempotency key");
  if (s.code() == ErrorCode::kAlreadyExists) {
    return AlreadyExists("idempotency key '" + r.key + "' of " + r.username +
                         " is already stored");
  }
  return s;
}

constexpr const char* kNotificationColumns =
    "id, username, kind, title, body, task_id, case_id, created_at, read_at";

Status InsertNotification(Conn& c, const NotificationRecord& n) {
  Stmt st(c, std::string("INSERT INTO notifications (") + kNotificationColumns +
                 ") VALUES (?,?,?,?,?,?,?,?,?)");
  st.Bind(1, n.id).Bind(2, n.username).Bind(3, std::string(NotificationKindName(n.kind)));
  st.Bind(4, n.title).Bind(5, n.body).Bind(6, n.task_id).Bind(7, n.case_id);
  st.Bind(8, n.created_at).Bind(9, n.read_at);
  return st.Run("insert notification");
}

NotificationRecord ReadNotification(const Stmt& st) {
  NotificationRecord n;
  n.id = st.Int(0);
  n.username = st.Text(1);
  n.kind = ParseNotificationKind(st.Text(2)).value_or(NotificationKind::kReminder);
  n.title = st.Text(3);
  n.body = st.Text(4);
  n.task_id = st.Int(5);
  n.case_id = st.Int(6);
  n.created_at = st.Int(7);
  n.read_at = st.Int(8);
  return n;
}

BoardCount ReadBoardCount(const Stmt& st) {
  BoardCount b;
  b.org_unit_id = st.Text(0);
  b.programme = st.Text(1);
  b.stage = ParseCaseState(st.Text(2)).value_or(CaseState::kDiscover);
  b.overdue = st.Int(3) != 0;
  b.n = st.Int(4);
  return b;
}

// --- post-audit (issue 6) ---

constexpr const char* kFastTrackApprovalSql =
    "SELECT c.id, c.programme, c.village_id, c.org_path, c.decided_at, "
    "COALESCE((SELECT e.actor FROM audit_events e WHERE e.case_id = c.id AND e.action = 'approve' "
    "ORDER BY e.seq DESC LIMIT 1), ''), "
    "EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.status = 'matched') "
    "FROM cases c WHERE c.decided_at >= ? AND c.decided_at < ? AND c.route = 'fast_track' "
    "AND c.state IN ('refer', 'feedback', 'monitor', 'closed') AND substr(c.org_path, 1, ?) = ? "
    "AND NOT EXISTS (SELECT 1 FROM audit_items i WHERE i.case_id = c.id AND i.approved_at = c.decided_at) "
    "ORDER BY c.id";

Result<std::vector<FastTrackApproval>> SelectFastTrackApprovals(Conn& c, const std::string& org_path,
                                                                Micros from, Micros to) {
  Stmt st(c, kFastTrackApprovalSql);
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<std::int64_t>(org_path.size())).Bind(4, org_path);
  return Collect<FastTrackApproval>(st, "list fast-track approvals", [](const Stmt& s) {
    FastTrackApproval a;
    a.case_id = s.Int(0);
    a.programme = s.Text(1);
    a.village_id = s.Text(2);
    a.org_path = s.Text(3);
    a.approved_at = s.Int(4);
    a.approver = s.Text(5);
    a.flagged = s.Int(6) != 0;
    return a;
  });
}

constexpr const char* kSampleColumns =
    "id, status, org_unit_id, created_by, created_at, seed, parameters_json, parameters_hash, "
    "drawn_by, drawn_at, population_hash, population_size, sample_hash, strata_json";

AuditSampleRecord ReadSample(const Stmt& s) {
  AuditSampleRecord r;
  r.id = s.Int(0);
  r.status = s.Text(1);
  r.org_unit_id = s.Text(2);
  r.created_by = s.Text(3);
  r.created_at = s.Int(4);
  r.seed = s.Text(5);
  r.parameters_json = s.Text(6);
  r.parameters_hash = s.Text(7);
  r.drawn_by = s.Text(8);
  r.drawn_at = s.Int(9);
  r.population_hash = s.Text(10);
  r.population_size = s.Int(11);
  r.sample_hash = s.Text(12);
  r.strata_json = s.Text(13);
  return r;
}

Result<std::optional<AuditSampleRecord>> SelectSample(Conn& c, std::int64_t id) {
  Stmt st(c, std::string("SELECT ") + kSampleColumns + " FROM audit_samples WHERE id = ?");
  st.Bind(1, id);
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<AuditSampleRecord>(st, "read sample", ReadSample));
  if (rows.empty()) return std::optional<AuditSampleRecord>();
  return std::optional<AuditSampleRecord>(std::move(rows[0]));
}

constexpr const char* kItemColumns =
    "id, sample_id, case_id, programme, district_id, street_id, org_path, approver, approved_at, "
    "status, task_id, created_at, category, evidence, found_by, found_at, reverification, "
    "reverified_by, reverified_at, decision_reason, decided_by, decided_at, amount_to_recover_fen";

AuditItemRecord ReadItem(const Stmt& s) {
  AuditItemRecord r;
  r.id = s.Int(0);
  r.sample_id = s.Int(1);
  r.case_id = s.Int(2);
  r.programme = s.Text(3);
  r.district_id = s.Text(4);
  r.street_id = s.Text(5);
  r.org_path = s.Text(6);
  r.approver = s.Text(7);
  r.approved_at = s.Int(8);
  r.status = s.Text(9);
  r.task_id = s.Int(10);
  r.created_at = s.Int(11);
  r.category = s.Text(12);
  r.evidence = s.Text(13);
  r.found_by = s.Text(14);
  r.found_at = s.Int(15);
  r.reverification = s.Text(16);
  r.reverified_by = s.Text(17);
  r.reverified_at = s.Int(18);
  r.decision_reason = s.Text(19);
  r.decided_by = s.Text(20);
  r.decided_at = s.Int(21);
  r.amount_to_recover_fen = s.Int(22);
  return r;
}

// Binds the item's columns in kItemColumns order from parameter `first`.
void BindItem(Stmt& st, int first, const AuditItemRecord& r) {
  int i = first;
  st.Bind(i++, r.id).Bind(i++, r.sample_id).Bind(i++, r.case_id).Bind(i++, r.programme);
  st.Bind(i++, r.district_id).Bind(i++, r.street_id).Bind(i++, r.org_path).Bind(i++, r.approver);
  st.Bind(i++, r.approved_at).Bind(i++, r.status).Bind(i++, r.task_id).Bind(i++, r.created_at);
  st.Bind(i++, r.category).Bind(i++, r.evidence).Bind(i++, r.found_by).Bind(i++, r.found_at);
  st.Bind(i++, r.reverification).Bind(i++, r.reverified_by).Bind(i++, r.reverified_at);
  st.Bind(i++, r.decision_reason).Bind(i++, r.decided_by).Bind(i++, r.decided_at);
  st.Bind(i++, r.amount_to_recover_fen);
}

constexpr const char* kCreditColumns =
    "id, id_hash, id_masked, applicant_name, case_id, item_id, programme, org_path, reason, "
    "category, amount_to_recover_fen, recorded_by, recorded_at, ban_until";

CreditRecord ReadCredit(const Stmt& s) {
  CreditRecord r;
  r.id = s.Int(0);
  r.id_hash = s.Text(1);
  r.id_masked = s.Text(2);
  r.applicant_name = s.Text(3);
  r.case_id = s.Int(4);
  r.item_id = s.Int(5);
  r.programme = s.Text(6);
  r.org_path = s.Text(7);
  r.reason = s.Text(8);
  r.category = s.Text(9);
  r.amount_to_recover_fen = s.Int(10);
  r.recorded_by = s.Text(11);
  r.recorded_at = s.Int(12);
  r.ban_until = s.Int(13);
  return r;
}

Result<std::vector<CreditRecord>> SelectCredits(Conn& c, const CreditQuery& q) {
  if (q.limit <= 0) return std::vector<CreditRecord>{};
  std::string sql = std::string("SELECT ") + kCreditColumns +
                    " FROM credit_records WHERE recorded_at >= ? AND substr(org_path, 1, ?) = ?";
  if (!q.id_hash.empty()) sql += " AND id_hash = ?";
  if (q.recorded_to > 0) sql += " AND recorded_at < ?";
  sql += " ORDER BY recorded_at DESC, id DESC LIMIT ?";
  Stmt st(c, sql);
  int i = 1;
  st.Bind(i++, q.recorded_from).Bind(i++, static_cast<std::int64_t>(q.org_path.size()));
  st.Bind(i++, q.org_path);
  if (!q.id_hash.empty()) st.Bind(i++, q.id_hash);
  if (q.recorded_to > 0) st.Bind(i++, q.recorded_to);
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<CreditRecord>(st, "list credit records", ReadCredit);
}

constexpr const char* kAlertColumns =
    "id, received_at, received_by, source, kind, external_id, id_hash, id_masked, occurred_at, "
    "amount_fen, details, status, error, case_id, task_id, org_path, raw";

AlertRecord ReadAlert(const Stmt& s) {
  AlertRecord a;
  a.id = s.Int(0);
  a.received_at = s.Int(1);
  a.received_by = s.Text(2);
  a.source = s.Text(3);
  a.kind = s.Text(4);
  a.external_id = s.Text(5);
  a.id_hash = s.Text(6);
  a.id_masked = s.Text(7);
  a.occurred_at = s.Int(8);
  a.amount_fen = s.Int(9);
  a.details = s.Text(10);
  a.status = s.Text(11);
  a.error = s.Text(12);
  a.case_id = s.Int(13);
  a.task_id = s.Int(14);
  a.org_path = s.Text(15);
  a.raw = s.Text(16);
  return a;
}

Status InsertOrConflict(Stmt& st, const char* what, const std::string& which) {
  JZ_RETURN_IF_ERROR(st.prepared(what));
  const int rc = st.Step();
  if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) {
    return AlreadyExists(which + " already exists");
  }
  if (rc != SQLITE_DONE) return ErrorOf(st.db(), rc, what);
  return Status::Ok();
}

}  // namespace

// A pooled connection; returns itself to the pool when destroyed.
class SqliteStore::Lease {
 public:
  Lease(SqliteStore* store, Conn* conn) : store_(store), conn_(conn) {}
  Lease(Lease&& o) noexcept : store_(o.store_), conn_(o.conn_) { o.conn_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) store_->Release(conn_);
  }
  Conn& conn() { return *conn_; }

 private:
  SqliteStore* store_;
  Conn* conn_;
};

namespace {

class SqliteTxn final : public StoreTxn {
 public:
  explicit SqliteTxn(SqliteStore::Lease lease) : lease_(std::move(lease)) {}
  ~SqliteTxn() override {
    if (!done_) Exec(c(), "ROLLBACK", "rollback");
  }

  Result<std::optional<CaseRecord>> LockCase(CaseId id) override { return SelectCase(c(), id); }

  Result<std::optional<CaseRecord>> FindOpenCaseByIdHash(const std::string& id_hash) override {
    Stmt st(c(), std::string("SELECT ") + kCaseColumns + " FROM cases WHERE open_id_hash=?");
    st.Bind(1, id_hash);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<CaseRecord>(st, "find case by ID", ReadCase));
    if (rows.empty()) return std::optional<CaseRecord>();
    return std::optional<CaseRecord>(std::move(rows[0]));
  }

  Result<std::vector<TaskRecord>> ListActiveTasks(CaseId id) override {
    Stmt st(c(), std::string("SELECT ") + kTaskColumns +
                     " FROM tasks WHERE case_id=? AND state IN ('open','claimed') ORDER BY id");
    st.Bind(1, id);
    return Collect<TaskRecord>(st, "list active tasks", ReadTask);
  }

  Result<std::optional<TaskRecord>> LockTask(TaskId id) override {
    Stmt st(c(), std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id=?");
    st.Bind(1, id);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<TaskRecord>(st, "read task", ReadTask));
    if (rows.empty()) return std::optional<TaskRecord>();
    return std::optional<TaskRecord>(std::move(rows[0]));
  }

  Result<std::vector<ReferralRecord>> ListReferrals(CaseId id) override {
    Stmt st(c(), std::string("SELECT ") + kReferralColumns +
                     " FROM referrals WHERE case_id=? ORDER BY id");
    st.Bind(1, id);
    return Collect<ReferralRecord>(st, "list referrals", ReadReferral);
  }

  Result<std::optional<RevisitRecord>> FindRevisit(const std::string& id_hash,
                                                   const std::string& quarter) override {
    Stmt st(c(), "SELECT id_hash, quarter, case_id, task_id, created_at FROM revisits "
                 "WHERE id_hash=? AND quarter=?");
    st.Bind(1, id_hash).Bind(2, quarter);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<RevisitRecord>(st, "read revisit", [](const Stmt& s) {
      return RevisitRecord{s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Int(4)};
    }));
    if (rows.empty()) return std::optional<RevisitRecord>();
    return std::optional<RevisitRecord>(std::move(rows[0]));
  }

  Status Apply(const CommandEffects& fx) override {
    if (fx.insert_case) JZ_RETURN_IF_ERROR(InsertCase(c(), *fx.insert_case));
    if (fx.update_case) JZ_RETURN_IF_ERROR(UpdateCase(c(), *fx.update_case, fx.expected_version));
    for (const TaskUpdate& u : fx.update_tasks) JZ_RETURN_IF_ERROR(UpdateTask(c(), u));
    for (const auto& r : fx.insert_referrals) JZ_RETURN_IF_ERROR(InsertReferral(c(), r));
    for (const auto& r : fx.update_referrals) JZ_RETURN_IF_ERROR(UpdateReferral(c(), r));
    for (const auto& t : fx.insert_tasks) JZ_RETURN_IF_ERROR(InsertTask(c(), t));
    for (const auto& n : fx.insert_notifications) JZ_RETURN_IF_ERROR(InsertNotification(c(), n));
    for (const auto& r : fx.insert_revisits) JZ_RETURN_IF_ERROR(InsertRevisit(c(), r));
    JZ_RETURN_IF_ERROR(InsertAudit(c(), fx.audit));
    counts_.AddCommand(fx);
    return Status::Ok();
  }

  Result<std::vector<TaskRecord>> ClaimDueTasks(Micros now, int limit) override {
    if (limit <= 0) return std::vector<TaskRecord>{};  // SQLite reads LIMIT -1 as "no limit"
    // One writer at a time in SQLite: what this transaction reads nobody else changes.
    Stmt st(c(), std::string("SELECT ") + kTaskColumns +
                     " FROM tasks WHERE escalate_at > 0 AND escalate_at <= ? "
                     "ORDER BY escalate_at, id LIMIT ?");
    st.Bind(1, now).Bind(2, static_cast<std::int64_t>(limit));
    return Collect<TaskRecord>(st, "claim due tasks", ReadTask);
  }

  Result<std::vector<TaskRecord>> ListActiveTasksDueAfter(Micros after, TaskId after_id,
                                                          int limit) override {
    Stmt st(c(), std::string("SELECT ") + kTaskColumns +
                     " FROM tasks WHERE id > ? AND state IN ('open','claimed') AND due_at > ? "
                     "ORDER BY id LIMIT ?");
    st.Bind(1, after_id).Bind(2, after).Bind(3, static_cast<std::int64_t>(limit));
    return Collect<TaskRecord>(st, "list tasks due later", ReadTask);
  }

  // --- post-audit (issue 6) ---
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& org_path,
                                                                Micros from, Micros to) override {
    return SelectFastTrackApprovals(c(), org_path, from, to);
  }

  Status InsertAuditSample(const AuditSampleRecord& r) override {
    Stmt st(c(), std::string("INSERT INTO audit_samples (") + kSampleColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.Bind(1, r.id).Bind(2, r.status).Bind(3, r.org_unit_id).Bind(4, r.created_by);
    st.Bind(5, r.created_at).Bind(6, r.seed).Bind(7, r.parameters_json).Bind(8, r.parameters_hash);
    st.Bind(9, r.drawn_by).Bind(10, r.drawn_at).Bind(11, r.population_hash);
    st.Bind(12, r.population_size).Bind(13, r.sample_hash).Bind(14, r.strata_json);
    return InsertOrConflict(st, "insert sample", "sample " + std::to_string(r.id));
  }

  Result<std::optional<AuditSampleRecord>> LockAuditSample(std::int64_t id) override {
    return SelectSample(c(), id);
  }

  Status SaveAuditDraw(const AuditSampleRecord& r, const std::vector<PopulationEntry>& population,
                       const std::vector<AuditItemRecord>& items) override {
    Stmt st(c(),
            "UPDATE audit_samples SET status = ?, drawn_by = ?, drawn_at = ?, population_hash = ?, "
            "population_size = ?, sample_hash = ?, strata_json = ? WHERE id = ? AND status = 'seeded'");
    st.Bind(1, r.status).Bind(2, r.drawn_by).Bind(3, r.drawn_at).Bind(4, r.population_hash);
    st.Bind(5, r.population_size).Bind(6, r.sample_hash).Bind(7, r.strata_json).Bind(8, r.id);
    JZ_RETURN_IF_ERROR(st.Run("save draw"));
    if (st.Changes() != 1) {
      return Conflict("sample " + std::to_string(r.id) + " has already been drawn");
    }
    for (const auto& e : population) {
      Stmt p(c(),
             "INSERT INTO audit_population (sample_id, case_id, programme, district_id, street_id, "
             "org_path, approver, approved_at, flagged) VALUES (?,?,?,?,?,?,?,?,?)");
      p.Bind(1, r.id).Bind(2, e.case_id).Bind(3, e.programme).Bind(4, e.district_id);
      p.Bind(5, e.street_id).Bind(6, e.org_path).Bind(7, e.approver).Bind(8, e.approved_at);
      p.Bind(9, std::int64_t{e.flagged ? 1 : 0});
      JZ_RETURN_IF_ERROR(p.Run("save population"));
    }
    for (const auto& item : items) {
      Stmt i(c(), std::string("INSERT INTO audit_items (") + kItemColumns +
                      ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      BindItem(i, 1, item);
      JZ_RETURN_IF_ERROR(InsertOrConflict(i, "insert audit item", "audit item " + std::to_string(item.id)));
    }
    return Status::Ok();
  }

  Result<std::optional<AuditItemRecord>> LockAuditItem(std::int64_t id) override {
    Stmt st(c(), std::string("SELECT ") + kItemColumns + " FROM audit_items WHERE id = ?");
    st.Bind(1, id);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<AuditItemRecord>(st, "read audit item", ReadItem));
    if (rows.empty()) return std::optional<AuditItemRecord>();
    return std::optional<AuditItemRecord>(std::move(rows[0]));
  }

  Status UpdateAuditItem(const AuditItemRecord& r, const std::string& expected_status) override {
    Stmt st(c(),
            "UPDATE audit_items SET status = ?, task_id = ?, category = ?, evidence = ?, "
            "found_by = ?, found_at = ?, reverification = ?, reverified_by = ?, reverified_at = ?, "
            "decision_reason = ?, decided_by = ?, decided_at = ?, amount_to_recover_fen = ? "
            "WHERE id = ? AND status = ?");
    st.Bind(1, r.status).Bind(2, r.task_id).Bind(3, r.category).Bind(4, r.evidence);
    st.Bind(5, r.found_by).Bind(6, r.found_at).Bind(7, r.reverification).Bind(8, r.reverified_by);
    st.Bind(9, r.reverified_at).Bind(10, r.decision_reason).Bind(11, r.decided_by);
    st.Bind(12, r.decided_at).Bind(13, r.amount_to_recover_fen).Bind(14, r.id);
    st.Bind(15, expected_status);
    JZ_RETURN_IF_ERROR(st.Run("update audit item"));
    if (st.Changes() != 1) {
      return Conflict("audit item " + std::to_string(r.id) + " is no longer " + expected_status);
    }
    return Status::Ok();
  }

  Status InsertCreditRecord(const CreditRecord& r) override {
    Stmt st(c(), std::string("INSERT INTO credit_records (") + kCreditColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.Bind(1, r.id).Bind(2, r.id_hash).Bind(3, r.id_masked).Bind(4, r.applicant_name);
    st.Bind(5, r.case_id).Bind(6, r.item_id).Bind(7, r.programme).Bind(8, r.org_path);
    st.Bind(9, r.reason).Bind(10, r.category).Bind(11, r.amount_to_recover_fen);
    st.Bind(12, r.recorded_by).Bind(13, r.recorded_at).Bind(14, r.ban_until);
    return InsertOrConflict(st, "insert credit record", "credit record " + std::to_string(r.id));
  }

  Status InsertAlert(const AlertRecord& a) override {
    Stmt st(c(), std::string("INSERT INTO alerts (") + kAlertColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.Bind(1, a.id).Bind(2, a.received_at).Bind(3, a.received_by).Bind(4, a.source).Bind(5, a.kind);
    st.BindNullableText(6, a.external_id.empty() ? nullptr : &a.external_id);
    st.Bind(7, a.id_hash).Bind(8, a.id_masked).Bind(9, a.occurred_at).Bind(10, a.amount_fen);
    st.Bind(11, a.details).Bind(12, a.status).Bind(13, a.error).Bind(14, a.case_id);
    st.Bind(15, a.task_id).Bind(16, a.org_path).Bind(17, a.raw);
    return InsertOrConflict(st, "insert alert",
                            "alert " + a.source + "/" + a.external_id);
  }

  Result<std::optional<AlertRecord>> FindAlert(const std::string& source,
                                               const std::string& external_id) override {
    Stmt st(c(), std::string("SELECT ") + kAlertColumns +
                     " FROM alerts WHERE source = ? AND external_id = ?");
    st.Bind(1, source).Bind(2, external_id);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<AlertRecord>(st, "find alert", ReadAlert));
    if (rows.empty()) return std::optional<AlertRecord>();
    return std::optional<AlertRecord>(std::move(rows[0]));
  }

  Result<std::vector<CreditRecord>> ListCreditRecords(const std::string& id_hash) override {
    CreditQuery q;
    q.id_hash = id_hash;
    return SelectCredits(c(), q);
  }

  Status Savepoint() override {
    counts_.KeepCommand();
    return Exec(c(), "SAVEPOINT cmd", "savepoint");
  }
  Status RollbackToSavepoint() override {
    counts_.DropCommand();
    JZ_RETURN_IF_ERROR(Exec(c(), "ROLLBACK TO cmd", "rollback to savepoint"));
    return Exec(c(), "RELEASE cmd", "release savepoint");
  }
  Status ReleaseSavepoint() override {
    counts_.KeepCommand();
    return Exec(c(), "RELEASE cmd", "release savepoint");
  }
  Status Commit() override {
    JZ_RETURN_IF_ERROR(WriteCounts(c(), counts_.Take()));
    Status s = Exec(c(), "COMMIT", "commit");
    if (s.ok()) done_ = true;
    return s;
  }

  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& username,
                                                           const std::string& key) override {
    return SelectIdempotency(c(), username, key);
  }
  Status SaveIdempotency(const IdempotencyRecord& record) override {
    return InsertIdempotency(c(), record);
  }

 private:
  Conn& c() { return lease_.conn(); }
  SqliteStore::Lease lease_;
  QueueCountDeltas counts_;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  if (options.synchronous != "full" && options.synchronous != "normal") {
    return InvalidArgument("synchronous must be full or normal", "synchronous");
  }
  // SQLite's memory statistics take one process-wide mutex on every
  // allocation; with several server threads reading at once that mutex was a
  // hot spot (bench/http_load inbox). Only possible before SQLite is
  // initialised; later calls fail harmlessly (SQLITE_MISUSE).
  static const int kNoMemStatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemStatus;
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options));
  // Open one connection now so a bad path fails here, not on first use.
  auto lease = store->Acquire();
  if (!lease.ok()) return lease.status();
  if (options.checkpoint_interval_ms > 0) {
    store->checkpointer_ = std::thread([s = store.get()] { s->CheckpointLoop(); });
  }
  return store;
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (SqliteConn* p : idle_) delete p;
  idle_.clear();
}

void SqliteStore::CheckpointLoop() {
  const auto interval = std::chrono::milliseconds(options_.checkpoint_interval_ms);
  for (;;) {
    bool stop = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      stop = checkpoint_cv_.wait_for(lock, interval, [this] { return stopping_; });
    }
    auto lease = Acquire();
    if (lease.ok()) {
      // PASSIVE copies what no reader still needs and never waits for anyone;
      // at the end the WAL is emptied so the file does not keep its size.
      Exec(lease->conn(), stop ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)",
           "checkpoint");
    }
    if (stop) return;
  }
}

Result<SqliteStore::Lease> SqliteStore::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      SqliteConn* p = idle_.back();
      idle_.pop_back();
      return Lease(this, p);
    }
  }
  auto conn = std::make_unique<Conn>();
  const int rc = sqlite3_open_v2(path_.c_str(), &conn->db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    return Unavailable("cannot open SQLite database " + path_ + ": " +
                       (conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(conn->db, options_.busy_timeout_ms);
  JZ_RETURN_IF_ERROR(Exec(*conn, "PRAGMA journal_mode=WAL", "enable WAL"));
  JZ_RETURN_IF_ERROR(
      Exec(*conn, "PRAGMA synchronous=" + options_.synchronous, "set synchronous"));
  JZ_RETURN_IF_ERROR(Exec(*conn, "PRAGMA foreign_keys=ON", "enable foreign keys"));
  JZ_RETURN_IF_ERROR(
      Exec(*conn, "PRAGMA mmap_size=" + std::to_string(options_.mmap_size_bytes), "set mmap_size"));
  if (options_.checkpoint_interval_ms > 0) {
    JZ_RETURN_IF_ERROR(Exec(*conn, "PRAGMA wal_autocheckpoint=0", "leave checkpoints to the checkpointer"));
  }
  return Lease(this, conn.release());
}

void SqliteStore::Release(SqliteConn* p) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < 16) {
    idle_.push_back(p);
  } else {
    delete p;
  }
}

Status SqliteStore::Ping() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT 1");
  return st.Run("ping");
}

Status SqliteStore::Migrate(const std::string& migrations_dir) {
  JZ_ASSIGN_OR_RETURN(auto files, ReadMigrationFiles(migrations_dir));
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  JZ_RETURN_IF_ERROR(Exec(c,
                          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                          "KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER "
                          "NOT NULL)",
                          "create schema_migrations"));
  JZ_RETURN_IF_ERROR(Exec(c, "BEGIN IMMEDIATE", "begin migration"));
  struct Applied {
    int version;
    std::string name, checksum;
  };
  std::vector<Applied> applied;
  {
    Stmt st(c, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    auto rows = Collect<Applied>(st, "read schema_migrations", [](const Stmt& s) {
      return Applied{static_cast<int>(s.Int(0)), s.Text(1), s.Text(2)};
    });
    if (!rows.ok()) {
      Exec(c, "ROLLBACK", "rollback");
      return rows.status();
    }
    applied = std::move(rows).value();
  }
  for (const auto& a : applied) {
    const MigrationFile* f = nullptr;
    for (const auto& file : files) {
      if (file.version == a.version) f = &file;
    }
    if (f == nullptr || f->checksum != a.checksum) {
      Exec(c, "ROLLBACK", "rollback");
      return FailedPrecondition("migration " + std::to_string(a.version) + " (" + a.name +
                                ") was applied but its file is " +
                                (f ? "changed (checksum differs)" : "missing") +
                                "; migrations are never edited once applied");
    }
  }
  // SQLite DDL is transactional: all pending migrations apply together or not at all.
  const int newest_applied = applied.empty() ? 0 : applied.back().version;
  for (const auto& f : files) {
    bool done = false;
    for (const auto& a : applied) done = done || a.version == f.version;
    if (done) continue;
    if (f.version < newest_applied) {
      Exec(c, "ROLLBACK", "rollback");
      return FailedPrecondition("migration " + f.name + " is older than the applied migration " +
                                std::to_string(newest_applied) +
                                "; migrations only go forward (renumber the new file)");
    }
    for (const auto& sql : SplitSqlStatements(f.sql)) {
      Status s = Exec(c, sql, ("migration " + f.name).c_str());
      if (!s.ok()) {
        Exec(c, "ROLLBACK", "rollback");
        return s;
      }
    }
    Stmt st(c, "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
               "VALUES (?,?,?,strftime('%s','now')*1000000)");
    st.Bind(1, f.version).Bind(2, f.name).Bind(3, f.checksum);
    Status s = st.Run("record migration");
    if (!s.ok()) {
      Exec(c, "ROLLBACK", "rollback");
      return s;
    }
  }
  // Statements cached before the schema changed are re-prepared by SQLite itself.
  return Exec(c, "COMMIT", "commit migration");
}

Result<std::vector<int>> SqliteStore::AppliedMigrations() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  {
    Stmt exists(lease.conn(),
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'");
    JZ_ASSIGN_OR_RETURN(auto n, Collect<std::int64_t>(exists, "read schema",
                                                      [](const Stmt& s) { return s.Int(0); }));
    if (n.empty() || n[0] == 0) return std::vector<int>();  // never migrated
  }
  Stmt st(lease.conn(), "SELECT version FROM schema_migrations ORDER BY version");
  return Collect<int>(st, "read schema_migrations",
                      [](const Stmt& s) { return static_cast<int>(s.Int(0)); });
}

Result<std::unique_ptr<StoreTxn>> SqliteStore::BeginWrite() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  JZ_RETURN_IF_ERROR(Exec(lease.conn(), "BEGIN IMMEDIATE", "begin transaction"));
  return std::unique_ptr<StoreTxn>(new SqliteTxn(std::move(lease)));
}

Status SqliteStore::ReplaceOrgUnits(const std::vector<OrgUnitRecord>& units) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  JZ_RETURN_IF_ERROR(Exec(c, "BEGIN IMMEDIATE", "begin"));
  auto run = [&]() -> Status {
    // Units still referenced by role bindings stay; the rest are replaced.
    for (const auto& u : units) {
      Stmt st(c,
              "INSERT INTO org_units (id, name, tier, parent_id, department_code, path) "
              "VALUES (?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, "
              "tier=excluded.tier, parent_id=excluded.parent_id, "
              "department_code=excluded.department_code, path=excluded.path");
      st.Bind(1, u.id).Bind(2, u.name).Bind(3, std::string(TierName(u.tier)));
      st.BindNullableText(4, u.parent_id.empty() ? nullptr : &u.parent_id);
      st.Bind(5, u.department_code).Bind(6, u.path);
      JZ_RETURN_IF_ERROR(st.Run("save org unit"));
    }
    return Status::Ok();
  };
  Status s = run();
  if (!s.ok()) {
    Exec(c, "ROLLBACK", "rollback");
    return s;
  }
  return Exec(c, "COMMIT", "commit");
}

Result<std::vector<OrgUnitRecord>> SqliteStore::ListOrgUnits() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT id, name, tier, COALESCE(parent_id,''), department_code, path FROM org_units "
          "ORDER BY path");
  return Collect<OrgUnitRecord>(st, "list org units", [](const Stmt& s) {
    OrgUnitRecord u;
    u.id = s.Text(0);
    u.name = s.Text(1);
    u.tier = ParseTier(s.Text(2)).value_or(Tier::kVillage);
    u.parent_id = s.Text(3);
    u.department_code = s.Text(4);
    u.path = s.Text(5);
    return u;
  });
}

Status SqliteStore::UpsertUsers(const std::vector<UserRecord>& users) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  JZ_RETURN_IF_ERROR(Exec(c, "BEGIN IMMEDIATE", "begin"));
  auto run = [&]() -> Status {
    for (const auto& u : users) {
      Stmt st(c,
              "INSERT INTO users (username, display_name, password_hash) VALUES (?,?,?) "
              "ON CONFLICT(username) DO UPDATE SET display_name=excluded.display_name, "
              "password_hash=excluded.password_hash");
      st.Bind(1, u.username).Bind(2, u.display_name).Bind(3, u.password_hash);
      JZ_RETURN_IF_ERROR(st.Run("save user"));
      Stmt del(c, "DELETE FROM role_bindings WHERE username=?");
      del.Bind(1, u.username);
      JZ_RETURN_IF_ERROR(del.Run("clear role bindings"));
      for (const auto& rb : u.roles) {
        Stmt ins(c, "INSERT INTO role_bindings (username, role, org_unit_id) VALUES (?,?,?)");
        ins.Bind(1, u.username).Bind(2, rb.role).Bind(3, rb.org_unit_id);
        Status s = ins.Run("save role binding");
        if (!s.ok()) {
          return InvalidArgument("user " + u.username + ": role " + rb.role + " at unknown unit " +
                                 rb.org_unit_id + " (" + s.message() + ")");
        }
      }
    }
    return Status::Ok();
  };
  Status s = run();
  if (!s.ok()) {
    Exec(c, "ROLLBACK", "rollback");
    return s;
  }
  return Exec(c, "COMMIT", "commit");
}

namespace {
Result<std::vector<UserRecord>> ReadUsers(Conn& c, const std::string* only) {
  std::vector<UserRecord> users;
  {
    Stmt st(c, only ? "SELECT username, display_name, password_hash FROM users WHERE username=?"
                    : "SELECT username, display_name, password_hash FROM users ORDER BY username");
    if (only) st.Bind(1, *only);
    JZ_ASSIGN_OR_RETURN(users, Collect<UserRecord>(st, "read users", [](const Stmt& s) {
                          UserRecord u;
                          u.username = s.Text(0);
                          u.display_name = s.Text(1);
                          u.password_hash = s.Text(2);
                          return u;
                        }));
  }
  for (auto& u : users) {
    Stmt st(c, "SELECT role, org_unit_id FROM role_bindings WHERE username=? ORDER BY role, "
               "org_unit_id");
    st.Bind(1, u.username);
    JZ_ASSIGN_OR_RETURN(u.roles, Collect<RoleBindingRecord>(st, "read roles", [](const Stmt& s) {
                          return RoleBindingRecord{s.Text(0), s.Text(1)};
                        }));
  }
  return users;
}
}  // namespace

Result<std::optional<UserRecord>> SqliteStore::FindUser(const std::string& username) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  JZ_ASSIGN_OR_RETURN(auto users, ReadUsers(lease.conn(), &username));
  if (users.empty()) return std::optional<UserRecord>();
  return std::optional<UserRecord>(std::move(users[0]));
}

Result<std::vector<UserRecord>> SqliteStore::ListUsers() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return ReadUsers(lease.conn(), nullptr);
}

Result<std::optional<CaseRecord>> SqliteStore::GetCase(CaseId id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return SelectCase(lease.conn(), id);
}

Result<std::vector<CaseRecord>> SqliteStore::GetCases(const std::vector<CaseId>& ids) {
  const auto batches = IdBatches(ids);
  std::vector<CaseRecord> out;
  if (batches.empty()) return out;
  out.reserve(ids.size());
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  auto read = [&]() -> Status {
    for (const auto& batch : batches) {
      Stmt st(c, std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id IN (" +
                     SqlPlaceholders(batch.size()) + ") ORDER BY id");
      for (size_t i = 0; i < batch.size(); ++i) st.Bind(static_cast<int>(i + 1), batch[i]);
      JZ_RETURN_IF_ERROR(AppendRows(st, "read cases", ReadCase, &out));
    }
    return Status::Ok();
  };
  // One statement reads one snapshot; several share a read transaction.
  if (batches.size() == 1) {
    JZ_RETURN_IF_ERROR(read());
    return out;
  }
  {
    Stmt begin(c, "BEGIN");
    JZ_RETURN_IF_ERROR(begin.Run("begin cases read"));
  }
  Status s = read();
  Stmt end(c, s.ok() ? "COMMIT" : "ROLLBACK");
  Status ended = end.Run("end cases read");
  JZ_RETURN_IF_ERROR(s);
  JZ_RETURN_IF_ERROR(ended);
  return out;
}

Result<std::vector<CaseRecord>> SqliteStore::ListCases(const CaseQuery& q) {
  std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id > ?";
  std::vector<std::string> texts;
  if (!q.org_paths.empty()) {
    sql += " AND (";
    for (size_t i = 0; i < q.org_paths.size(); ++i) {
      sql += i ? " OR " : "";
      sql += "substr(org_path, 1, ?) = ?";
    }
    sql += ")";
  }
  if (!q.programme.empty()) sql += " AND programme = ?";
  if (q.state) sql += " AND state = ?";
  if (q.route) sql += " AND route = ?";
  if (q.pool) sql += " AND pool = ?";
  if (!q.id_hash.empty()) sql += " AND id_hash = ?";
  if (!q.name_contains.empty()) sql += " AND instr(applicant_name, ?) > 0";
  sql += " ORDER BY id LIMIT ?";
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), sql);
  int i = 1;
  st.Bind(i++, q.after_id);
  for (const auto& p : q.org_paths) {
    st.Bind(i, static_cast<std::int64_t>(p.size())).Bind(i + 1, p);
    i += 2;
  }
  if (!q.programme.empty()) st.Bind(i++, q.programme);
  if (q.state) st.Bind(i++, std::string(CaseStateName(*q.state)));
  if (q.route) st.Bind(i++, std::string(RouteName(*q.route)));
  if (q.pool) st.Bind(i++, std::string(PoolName(*q.pool)));
  if (!q.id_hash.empty()) st.Bind(i++, q.id_hash);
  if (!q.name_contains.empty()) st.Bind(i++, q.name_contains);
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<CaseRecord>(st, "list cases", ReadCase);
}

Result<std::vector<TaskRecord>> SqliteStore::ListTasksForCase(CaseId id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), std::string("SELECT ") + kTaskColumns +
                            " FROM tasks WHERE case_id=? ORDER BY created_at, id");
  st.Bind(1, id);
  return Collect<TaskRecord>(st, "list tasks", ReadTask);
}

Result<std::vector<ReferralRecord>> SqliteStore::ListReferralsForCase(CaseId id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), std::string("SELECT ") + kReferralColumns +
                            " FROM referrals WHERE case_id=? ORDER BY id");
  st.Bind(1, id);
  return Collect<ReferralRecord>(st, "list referrals", ReadReferral);
}

Result<std::vector<ReferralRecord>> SqliteStore::ListDepartmentReferrals(
    const DepartmentReferralQuery& q) {
  if (q.department_unit_ids.empty() || q.limit <= 0) return std::vector<ReferralRecord>{};
  std::string sql = std::string("SELECT ") + kReferralColumns +
                    " FROM referrals WHERE department_unit_id IN (";
  for (size_t i = 0; i < q.department_unit_ids.size(); ++i) sql += i ? ",?" : "?";
  sql += ") AND (due_at > ? OR (due_at = ? AND id > ?))";
  if (q.status) sql += " AND status = ?";
  sql += " ORDER BY due_at, id LIMIT ?";
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), sql);
  int i = 1;
  for (const auto& u : q.department_unit_ids) st.Bind(i++, u);
  st.Bind(i++, q.after_due);
  st.Bind(i++, q.after_due);
  st.Bind(i++, q.after_id);
  if (q.status) st.Bind(i++, std::string(ReferralStatusName(*q.status)));
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<ReferralRecord>(st, "list department referrals", ReadReferral);
}

Result<std::vector<AuditEventRecord>> SqliteStore::ListAuditEvents(CaseId id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), std::string("SELECT ") + kAuditColumns +
                            " FROM audit_events WHERE case_id=? ORDER BY seq");
  st.Bind(1, id);
  return Collect<AuditEventRecord>(st, "list audit events", ReadAudit);
}

Result<TaskPage> SqliteStore::ListInbox(const InboxQuery& q) {
  TaskPage page;
  // With a unit filter only the caller's queues at that unit can match.
  std::vector<std::pair<std::string, std::string>> queues;  // (org unit, role)
  for (const auto& rb : q.roles) {
    if (!q.org_unit_id.empty() && rb.org_unit_id != q.org_unit_id) continue;
    std::pair<std::string, std::string> key{rb.org_unit_id, rb.role};
    if (std::find(queues.begin(), queues.end(), key) == queues.end()) queues.push_back(std::move(key));
  }
  if (queues.empty() && !q.mine_only) return page;
  // One "arm" per (queue, state), or per state of the caller's claimed tasks:
  // an equality prefix of tasks_queue (org_unit_id, role, state) or of
  // tasks_claimed (claimed_by, state), whose entries are in (due_at, id)
  // order. Each arm reads at most `limit` (due_at, id) pairs from its index
  // (covering, unless a filter needs the row); the pairs are merged here and
  // only the rows of the page are read from the table. A single statement
  // with an OR over the queues (or state IN) made SQLite read and sort every
  // active task of the queues (tens of thousands each at 1M open tasks), and
  // SQL-side merging (UNION ALL, ORDER BY) cost more than the reads.
  struct Arm {
    std::string key1, key2;  // (org unit, role), or (username, "")
    std::string state;
  };
  std::vector<Arm> arms;
  for (const char* state : {"open", "claimed"}) {
    if (q.mine_only) {
      arms.push_back({q.username, "", state});
    } else {
      for (const auto& [unit, role] : queues) arms.push_back({unit, role, state});
    }
  }
  const std::string where =
      q.mine_only ? "claimed_by = ? AND state = ?" : "org_unit_id = ? AND role = ? AND state = ?";
  std::string filters;
  if (q.queue_only) filters += " AND claimed_by = ''";
  if (!q.programme.empty()) filters += " AND programme = ?";
  if (!q.kind.empty()) filters += " AND kind = ?";
  if (q.mine_only && !q.org_unit_id.empty()) filters += " AND org_unit_id = ?";
  if (q.overdue) filters += *q.overdue ? " AND due_at < ?" : " AND due_at >= ?";
  if (q.due_before) filters += " AND due_at < ?";
  auto bind_arm = [&](Stmt& st, const Arm& a) {
    int i = 1;
    st.Bind(i++, a.key1);
    if (!q.mine_only) st.Bind(i++, a.key2);
    st.Bind(i++, a.state);
    if (!q.programme.empty()) st.Bind(i++, q.programme);
    if (!q.kind.empty()) st.Bind(i++, q.kind);
    if (q.mine_only && !q.org_unit_id.empty()) st.Bind(i++, q.org_unit_id);
    if (q.overdue) st.Bind(i++, q.now);
    if (q.due_before) st.Bind(i++, q.due_before);
    return i;
  };
  // The total without filters comes from the per-queue counts that the
  // store keeps in each write transaction (queue_counts.hpp; at most 16 rows per arm); with filters
  // (or for "mine") the arm's index range is counted.
  const bool plain = !q.mine_only && filters.empty();
  const std::string count_sql =
      plain ? "SELECT coalesce(sum(n), 0) FROM task_queue_counts WHERE org_unit_id = ? AND role = ? AND state = ?"
            : "SELECT count(*) FROM tasks WHERE " + where + filters;
  const std::string ids_sql = "SELECT due_at, id FROM tasks WHERE " + where + filters +
                              " AND due_at >= ? AND (due_at > ? OR id > ?) ORDER BY due_at, id LIMIT ?";

  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  // One read transaction: the total and the page come from one snapshot.
  {
    Stmt begin(c, "BEGIN");
    JZ_RETURN_IF_ERROR(begin.Run("begin inbox read"));
  }
  auto run = [&]() -> Status {
    std::vector<std::pair<Micros, TaskId>> keys;
    for (const auto& a : arms) {
      {
        Stmt st(c, count_sql);
        if (plain) {
          st.Bind(1, a.key1).Bind(2, a.key2).Bind(3, a.state);
        } else {
          bind_arm(st, a);
        }
        JZ_ASSIGN_OR_RETURN(auto n, Collect<std::int64_t>(st, "count inbox",
                                                          [](const Stmt& s) { return s.Int(0); }));
        page.total += n.empty() ? 0 : n[0];
      }
      if (q.limit <= 0) continue;
      Stmt st(c, ids_sql);
      const int i = bind_arm(st, a);
      st.Bind(i, q.after_due).Bind(i + 1, q.after_due).Bind(i + 2, q.after_id);
      st.Bind(i + 3, static_cast<std::int64_t>(q.limit));
      JZ_ASSIGN_OR_RETURN(auto some, (Collect<std::pair<Micros, TaskId>>(st, "list inbox", [](const Stmt& s) {
                            return std::make_pair(s.Int(0), s.Int(1));
                          })));
      keys.insert(keys.end(), some.begin(), some.end());
    }
    std::sort(keys.begin(), keys.end());
    if (static_cast<int>(keys.size()) > q.limit) keys.resize(static_cast<size_t>(std::max(q.limit, 0)));
    // The page's rows by id, a statement per IdBatches batch (not one per row), then put
    // back into (due_at, id) order.
    std::vector<TaskId> ids;
    ids.reserve(keys.size());
    for (const auto& key : keys) ids.push_back(key.second);
    std::vector<TaskRecord> rows;
    rows.reserve(keys.size());
    for (const auto& batch : IdBatches(std::move(ids))) {
      Stmt st(c, std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id IN (" +
                     SqlPlaceholders(batch.size()) + ") ORDER BY id");
      for (size_t i = 0; i < batch.size(); ++i) st.Bind(static_cast<int>(i + 1), batch[i]);
      JZ_RETURN_IF_ERROR(AppendRows(st, "read inbox tasks", ReadTask, &rows));
    }
    page.tasks.reserve(rows.size());
    for (const auto& key : keys) {
      const auto row = std::lower_bound(rows.begin(), rows.end(), key.second,
                                        [](const TaskRecord& t, TaskId id) { return t.id < id; });
      if (row != rows.end() && row->id == key.second) page.tasks.push_back(std::move(*row));
    }
    return Status::Ok();
  };
  Status s = run();
  Stmt end(c, s.ok() ? "COMMIT" : "ROLLBACK");
  Status ended = end.Run("end inbox read");
  JZ_RETURN_IF_ERROR(s);
  JZ_RETURN_IF_ERROR(ended);
  return page;
}

Status SqliteStore::ForEachCaseHead(
    const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT id, audit_head_seq, audit_head_hash FROM cases ORDER BY id");
  JZ_RETURN_IF_ERROR(st.prepared("list case heads"));
  for (;;) {
    const int rc = st.Step();
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return ErrorOf(st.db(), rc, "list case heads");
    if (!fn(st.Int(0), st.Int(1), st.Text(2))) break;
  }
  return Status::Ok();
}

Result<std::int64_t> SqliteStore::CountCases() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT count(*) FROM cases");
  JZ_ASSIGN_OR_RETURN(auto n, Collect<std::int64_t>(st, "count cases",
                                                    [](const Stmt& s) { return s.Int(0); }));
  return n.empty() ? std::int64_t{0} : n[0];
}

Result<CaseStore::TaskCounts> SqliteStore::CountActiveTasks(Micros now) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  // One statement reads one snapshot, so overdue never exceeds active.
  Stmt st(lease.conn(),
          "SELECT (SELECT coalesce(sum(n), 0) FROM task_board_counts), "
          "(SELECT coalesce(sum(n), 0) FROM task_due_counts WHERE due_day < ?)");
  st.Bind(1, OfficeDayNumber(now));
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<TaskCounts>(st, "count active tasks", [](const Stmt& s) {
                        TaskCounts n;
                        n.active = s.Int(0);
                        n.overdue = s.Int(1);
                        return n;
                      }));
  return rows.empty() ? TaskCounts{} : rows[0];
}

Result<std::int64_t> SqliteStore::PurgeIdempotency(Micros before) {
  // In batches, each its own short write transaction, so commands waiting for
  // the write lock are not held up by one long delete.
  constexpr std::int64_t kBatch = 1000;
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::int64_t removed = 0;
  for (;;) {
    Stmt st(lease.conn(),
            "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys "
            "WHERE created_at < ? LIMIT ?)");
    st.Bind(1, before).Bind(2, kBatch);
    JZ_RETURN_IF_ERROR(st.Run("purge idempotency keys"));
    const int n = st.Changes();
    removed += n;
    if (n < kBatch) return removed;
  }
}

// --- deadline clock and supervisors' board -------------------------------------------

Result<std::optional<Micros>> SqliteStore::NextEscalationAt() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT min(escalate_at) FROM tasks WHERE escalate_at > 0");
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<std::optional<Micros>>(
                                     st, "next escalation", [](const Stmt& s) {
                                       return sqlite3_column_type(s.raw(), 0) == SQLITE_NULL
                                                  ? std::optional<Micros>()
                                                  : std::optional<Micros>(s.Int(0));
                                     }));
  return rows.empty() ? std::optional<Micros>() : rows[0];
}

Result<std::vector<BoardCount>> SqliteStore::ListBoardCounts() {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT org_unit_id, programme, stage, overdue, sum(n) FROM task_board_counts "
          "GROUP BY org_unit_id, programme, stage, overdue HAVING sum(n) <> 0");
  return Collect<BoardCount>(st, "board counts", ReadBoardCount);
}

Result<std::vector<BoardCount>> SqliteStore::CountActiveDueOnDays(std::int64_t first_day,
                                                                std::int64_t last_day) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT org_unit_id, programme, stage, 0, sum(n) FROM task_due_counts "
          "WHERE due_day >= ? AND due_day <= ? GROUP BY org_unit_id, programme, stage "
          "HAVING sum(n) <> 0 ORDER BY org_unit_id, programme, stage");
  st.Bind(1, first_day).Bind(2, last_day);
  return Collect<BoardCount>(st, "count tasks due soon", ReadBoardCount);
}

Result<std::vector<OverdueItem>> SqliteStore::ListOverdue(const OverdueQuery& q) {
  if (q.limit <= 0) return std::vector<OverdueItem>{};
  std::string sql = "SELECT ";
  sql += kTaskColumns;
  sql += ", (SELECT applicant_name FROM cases WHERE cases.id = tasks.case_id) FROM tasks "
         "WHERE escalation_level > 0 AND state IN ('open','claimed') AND (due_at > ? OR (due_at = ? AND id > ?))";
  if (!q.org_path.empty()) sql += " AND substr(org_path, 1, ?) = ?";
  if (!q.programme.empty()) sql += " AND programme = ?";
  if (q.stage) sql += " AND stage = ?";
  sql += " ORDER BY due_at, id LIMIT ?";
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), sql);
  int i = 1;
  st.Bind(i++, q.after_due);
  st.Bind(i++, q.after_due);
  st.Bind(i++, q.after_id);
  if (!q.org_path.empty()) {
    st.Bind(i++, static_cast<std::int64_t>(q.org_path.size()));
    st.Bind(i++, q.org_path);
  }
  if (!q.programme.empty()) st.Bind(i++, q.programme);
  if (q.stage) st.Bind(i++, std::string(CaseStateName(*q.stage)));
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<OverdueItem>(st, "list overdue tasks", [](const Stmt& s) {
    OverdueItem item;
    item.task = ReadTask(s);
    item.applicant_name = s.Text(18);
    return item;
  });
}

Result<std::vector<PoolCount>> SqliteStore::CountPools(const std::string& org_path) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT village_id, pool, count(*) FROM cases WHERE substr(org_path, 1, ?) = ? "
          "AND pool <> 'none' AND state NOT IN ('closed', 'revoked') "
          "GROUP BY village_id, pool ORDER BY village_id, pool");
  st.Bind(1, static_cast<std::int64_t>(org_path.size())).Bind(2, org_path);
  return Collect<PoolCount>(st, "count pools", [](const Stmt& s) {
    return PoolCount{s.Text(0), ParsePool(s.Text(1)).value_or(Pool::kNone), s.Int(2)};
  });
}

Result<std::vector<DecisionRecord>> SqliteStore::ListDecisions(const std::string& org_path,
                                                               Micros from, Micros to) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT id, org_path, route, created_at, decided_at, programme FROM cases "
          "WHERE decided_at > 0 AND decided_at >= ? AND decided_at < ? AND substr(org_path, 1, ?) = ? "
          "ORDER BY decided_at, id");
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<std::int64_t>(org_path.size())).Bind(4, org_path);
  return Collect<DecisionRecord>(st, "list decisions", [](const Stmt& s) {
    DecisionRecord d;
    d.case_id = s.Int(0);
    d.org_path = s.Text(1);
    d.route = ParseRoute(s.Text(2)).value_or(Route::kUndecided);
    d.created_at = s.Int(3);
    d.decided_at = s.Int(4);
    d.programme = s.Text(5);
    return d;
  });
}

Status SqliteStore::SaveOverdueHistory(const std::vector<OverdueHistoryRow>& rows) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Conn& c = lease.conn();
  JZ_RETURN_IF_ERROR(Exec(c, "BEGIN IMMEDIATE", "begin"));
  for (const auto& r : rows) {
    Stmt st(c,
            "INSERT INTO overdue_history (day, org_unit_id, overdue) VALUES (?,?,?) "
            "ON CONFLICT (day, org_unit_id) DO UPDATE SET overdue = excluded.overdue");
    st.Bind(1, r.day).Bind(2, r.org_unit_id).Bind(3, r.overdue);
    Status s = st.Run("save overdue history");
    if (!s.ok()) {
      Exec(c, "ROLLBACK", "rollback");
      return s;
    }
  }
  return Exec(c, "COMMIT", "commit");
}

Result<std::vector<OverdueHistoryRow>> SqliteStore::ListOverdueHistory(const std::string& from_day,
                                                                       const std::string& to_day) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT day, org_unit_id, overdue FROM overdue_history WHERE day >= ? AND day <= ? "
          "ORDER BY day, org_unit_id");
  st.Bind(1, from_day).Bind(2, to_day);
  return Collect<OverdueHistoryRow>(st, "list overdue history", [](const Stmt& s) {
    return OverdueHistoryRow{s.Text(0), s.Text(1), s.Int(2)};
  });
}

Result<std::vector<OverdueHistoryRow>> SqliteStore::CountOverdueAt(
    const std::vector<std::pair<std::string, Micros>>& days) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::vector<OverdueHistoryRow> out;
  for (const auto& [day, at] : days) {
    // Open at `at` (created before, not completed yet) and past due then.
    Stmt st(lease.conn(),
            "SELECT org_unit_id, count(*) FROM tasks WHERE due_at < ? AND created_at <= ? "
            "AND (completed_at = 0 OR completed_at > ?) GROUP BY org_unit_id");
    st.Bind(1, at).Bind(2, at).Bind(3, at);
    JZ_ASSIGN_OR_RETURN(auto rows, Collect<OverdueHistoryRow>(st, "count overdue then",
                                                              [&](const Stmt& s) {
                                                                return OverdueHistoryRow{
                                                                    day, s.Text(0), s.Int(1)};
                                                              }));
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

Result<std::vector<NotificationRecord>> SqliteStore::ListNotifications(const std::string& username,
                                                                       bool unread_only,
                                                                       std::int64_t before_id,
                                                                       int limit) {
  if (limit <= 0) return std::vector<NotificationRecord>{};
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::string sql = std::string("SELECT ") + kNotificationColumns +
                    " FROM notifications WHERE username = ? AND id < ?";
  if (unread_only) sql += " AND read_at = 0";
  sql += " ORDER BY id DESC LIMIT ?";
  Stmt st(lease.conn(), sql);
  st.Bind(1, username).Bind(2, before_id > 0 ? before_id : INT64_MAX);
  st.Bind(3, static_cast<std::int64_t>(limit));
  return Collect<NotificationRecord>(st, "list notifications", ReadNotification);
}

Result<std::int64_t> SqliteStore::CountUnreadNotifications(const std::string& username) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT count(*) FROM notifications WHERE username = ? AND read_at = 0");
  st.Bind(1, username);
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<std::int64_t>(st, "count unread notifications",
                                                       [](const Stmt& s) { return s.Int(0); }));
  return rows.empty() ? std::int64_t{0} : rows[0];
}

Result<std::int64_t> SqliteStore::MarkNotificationsRead(const std::string& username,
                                                        std::int64_t id, Micros at) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::string sql = "UPDATE notifications SET read_at = ? WHERE username = ? AND read_at = 0";
  if (id != 0) sql += " AND id = ?";
  Stmt st(lease.conn(), sql);
  st.Bind(1, at).Bind(2, username);
  if (id != 0) st.Bind(3, id);
  JZ_RETURN_IF_ERROR(st.Run("mark notifications read"));
  return static_cast<std::int64_t>(st.Changes());
}

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& name) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), "SELECT value FROM engine_settings WHERE name = ?");
  st.Bind(1, name);
  JZ_ASSIGN_OR_RETURN(auto rows, Collect<std::string>(st, "read setting",
                                                      [](const Stmt& s) { return s.Text(0); }));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0]);
}

Status SqliteStore::PutSetting(const std::string& name, const std::string& value) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "INSERT INTO engine_settings (name, value) VALUES (?, ?) "
          "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
  st.Bind(1, name).Bind(2, value);
  return st.Run("save setting");
}

// --- post-audit (issue 6) ---

Result<std::vector<FastTrackApproval>> SqliteStore::ListFastTrackApprovals(
    const std::string& org_path, Micros from, Micros to) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return SelectFastTrackApprovals(lease.conn(), org_path, from, to);
}

Result<std::optional<AuditSampleRecord>> SqliteStore::GetAuditSample(std::int64_t id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return SelectSample(lease.conn(), id);
}

Result<std::vector<AuditSampleRecord>> SqliteStore::ListAuditSamples(std::int64_t before_id,
                                                                     int limit) {
  if (limit <= 0) return std::vector<AuditSampleRecord>{};
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(), std::string("SELECT ") + kSampleColumns +
                            " FROM audit_samples WHERE id < ? ORDER BY id DESC LIMIT ?");
  st.Bind(1, before_id > 0 ? before_id : INT64_MAX).Bind(2, static_cast<std::int64_t>(limit));
  return Collect<AuditSampleRecord>(st, "list samples", ReadSample);
}

Result<std::vector<PopulationEntry>> SqliteStore::ListAuditPopulation(std::int64_t sample_id) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Stmt st(lease.conn(),
          "SELECT case_id, programme, district_id, street_id, org_path, approver, approved_at, "
          "flagged FROM audit_population WHERE sample_id = ? ORDER BY case_id");
  st.Bind(1, sample_id);
  return Collect<PopulationEntry>(st, "list population", [](const Stmt& s) {
    PopulationEntry e;
    e.case_id = s.Int(0);
    e.programme = s.Text(1);
    e.district_id = s.Text(2);
    e.street_id = s.Text(3);
    e.org_path = s.Text(4);
    e.approver = s.Text(5);
    e.approved_at = s.Int(6);
    e.flagged = s.Int(7) != 0;
    return e;
  });
}

Result<std::vector<AuditItemRecord>> SqliteStore::ListAuditItems(const AuditItemQuery& q) {
  if (q.limit <= 0) return std::vector<AuditItemRecord>{};
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::string sql = std::string("SELECT ") + kItemColumns +
                    " FROM audit_items WHERE id > ? AND substr(org_path, 1, ?) = ?";
  if (q.sample_id != 0) sql += " AND sample_id = ?";
  if (q.case_id != 0) sql += " AND case_id = ?";
  if (q.approved_to > 0) sql += " AND approved_at >= ? AND approved_at < ?";
  sql += " ORDER BY id LIMIT ?";
  Stmt st(lease.conn(), sql);
  int i = 1;
  st.Bind(i++, q.after_id).Bind(i++, static_cast<std::int64_t>(q.org_path.size()));
  st.Bind(i++, q.org_path);
  if (q.sample_id != 0) st.Bind(i++, q.sample_id);
  if (q.case_id != 0) st.Bind(i++, q.case_id);
  if (q.approved_to > 0) st.Bind(i++, q.approved_from).Bind(i++, q.approved_to);
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<AuditItemRecord>(st, "list audit items", ReadItem);
}

Result<std::vector<CreditRecord>> SqliteStore::ListCreditRecords(const CreditQuery& q) {
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return SelectCredits(lease.conn(), q);
}

Result<std::vector<AlertRecord>> SqliteStore::ListAlerts(const AlertQuery& q) {
  if (q.limit <= 0 || (q.org_paths.empty() && !q.unmatched_too)) return std::vector<AlertRecord>{};
  JZ_ASSIGN_OR_RETURN(Lease lease, Acquire());
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id < ?";
  if (!q.status.empty()) sql += " AND status = ?";
  if (q.case_id != 0) sql += " AND case_id = ?";
  std::string scope;
  for (size_t i = 0; i < q.org_paths.size(); ++i) {
    scope += (scope.empty() ? "" : " OR ") + std::string("(case_id <> 0 AND substr(org_path, 1, ?) = ?)");
  }
  if (q.unmatched_too) scope += (scope.empty() ? "" : " OR ") + std::string("case_id = 0");
  sql += " AND (" + scope + ") ORDER BY id DESC LIMIT ?";
  Stmt st(lease.conn(), sql);
  int i = 1;
  st.Bind(i++, q.before_id > 0 ? q.before_id : INT64_MAX);
  if (!q.status.empty()) st.Bind(i++, q.status);
  if (q.case_id != 0) st.Bind(i++, q.case_id);
  for (const auto& p : q.org_paths) st.Bind(i++, static_cast<std::int64_t>(p.size())).Bind(i++, p);
  st.Bind(i++, static_cast<std::int64_t>(q.limit));
  return Collect<AlertRecord>(st, "list alerts", ReadAlert);
}

}  // namespace jiuzhu
