#include "engine/store/mysql/mysql_rows.hpp"

#include <optional>
#include <vector>

#include <cppconn/datatype.h>

namespace jiuzhu::mysql {

namespace {

template <typename E>
Result<E> ParseName(std::optional<E> parsed, const char* what, const std::string& name) {
  if (!parsed) return Internal(std::string("unknown ") + what + " '" + name + "' in the database");
  return *parsed;
}

std::optional<ReferralStatus> ParseReferralStatus(const std::string& name) {
  if (name == ReferralStatusName(ReferralStatus::kPending)) return ReferralStatus::kPending;
  if (name == ReferralStatusName(ReferralStatus::kAnswered)) return ReferralStatus::kAnswered;
  return std::nullopt;
}

std::vector<std::string> SplitColumns(const std::string& columns) {
  std::vector<std::string> out;
  std::string current;
  for (char c : columns) {
    if (c == ',') {
      out.push_back(current);
      current.clear();
    } else if (c != ' ') {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

}  // namespace

Binder& Binder::Str(const std::string& v) {
  ps_.setString(next_++, v);
  return *this;
}

Binder& Binder::Int(std::int64_t v) {
  ps_.setInt64(next_++, v);
  return *this;
}

Binder& Binder::NullIfEmpty(const std::string& v) {
  if (v.empty()) {
    ps_.setNull(next_++, sql::DataType::VARCHAR);
  } else {
    ps_.setString(next_++, v);
  }
  return *this;
}

Binder& Binder::Nullable(const std::string* v) {
  if (v == nullptr) {
    ps_.setNull(next_++, sql::DataType::VARCHAR);
  } else {
    ps_.setString(next_++, *v);
  }
  return *this;
}

std::string RowReader::Str() { return rs_.getString(next_++).asStdString(); }

std::int64_t RowReader::Int() { return rs_.getInt64(next_++); }

const char kOrgUnitColumns[] = "id, name, tier, parent_id, department_code, path";

const char kCaseColumns[] =
    "id, programme, state, route, pool, version, applicant_name, id_hash, id_masked, id_cipher, "
    "village_id, org_path, assessment_json, pledge_json, created_at, updated_at, promised_by, "
    "audit_head_seq, audit_head_hash, decided_at";
const char kCaseValueColumns[] =
    "programme, state, route, pool, version, applicant_name, id_hash, open_id_hash, id_masked, "
    "id_cipher, village_id, org_path, assessment_json, pledge_json, created_at, updated_at, "
    "promised_by, audit_head_seq, audit_head_hash, decided_at";

// tasks.overdue_due (migration 0005) is a STORED generated column: never written, never
// listed here.
const char kTaskColumns[] =
    "id, case_id, programme, stage, kind, role, org_unit_id, org_path, state, created_at, "
    "due_at, claimed_by, claimed_at, completed_at, outcome, referral_id, escalation_level, "
    "escalate_at";
const char kTaskValueColumns[] =
    "case_id, programme, stage, kind, role, org_unit_id, org_path, state, created_at, due_at, "
    "claimed_by, claimed_at, completed_at, outcome, referral_id, escalation_level, escalate_at";

const char kReferralColumns[] =
    "id, case_id, department_code, department_unit_id, status, note, answer, answer_json, "
    "requested_at, due_at, answered_at, policies";
const char kReferralValueColumns[] =
    "case_id, department_code, department_unit_id, status, note, answer, answer_json, "
    "requested_at, due_at, answered_at, policies";

const char kAuditColumns[] =
    "case_id, seq, at, actor, role, org_unit_id, action, from_state, to_state, payload, "
    "prev_hash, hash";

const char kNotificationColumns[] =
    "id, username, kind, title, body, task_id, case_id, created_at, read_at";

const char* ReferralStatusName(ReferralStatus s) {
  switch (s) {
    case ReferralStatus::kPending:
      return "pending";
    case ReferralStatus::kAnswered:
      return "answered";
  }
  return "?";
}

Result<OrgUnitRecord> ReadOrgUnit(sql::ResultSet& rs) {
  RowReader r(rs);
  OrgUnitRecord u;
  u.id = r.Str();
  u.name = r.Str();
  const std::string tier = r.Str();
  JZ_ASSIGN_OR_RETURN(u.tier, ParseName(ParseTier(tier), "tier", tier));
  u.parent_id = r.Str();
  u.department_code = r.Str();
  u.path = r.Str();
  return u;
}

Result<CaseRecord> ReadCase(sql::ResultSet& rs) {
  RowReader r(rs);
  CaseRecord c;
  c.id = r.Int();
  c.programme = r.Str();
  const std::string state = r.Str();
  JZ_ASSIGN_OR_RETURN(c.state, ParseName(ParseCaseState(state), "case state", state));
  const std::string route = r.Str();
  JZ_ASSIGN_OR_RETURN(c.route, ParseName(ParseRoute(route), "route", route));
  const std::string pool = r.Str();
  JZ_ASSIGN_OR_RETURN(c.pool, ParseName(ParsePool(pool), "pool", pool));
  c.version = r.Int();
  c.applicant_name = r.Str();
  c.id_hash = r.Str();
  c.id_masked = r.Str();
  c.id_cipher = r.Str();
  c.village_id = r.Str();
  c.org_path = r.Str();
  c.assessment_json = r.Str();
  c.pledge_json = r.Str();
  c.created_at = r.Int();
  c.updated_at = r.Int();
  c.promised_by = r.Int();
  c.audit_head_seq = r.Int();
  c.audit_head_hash = r.Str();
  c.decided_at = r.Int();
  return c;
}

Result<TaskRecord> ReadTask(sql::ResultSet& rs) {
  RowReader r(rs);
  TaskRecord t;
  t.id = r.Int();
  t.case_id = r.Int();
  t.programme = r.Str();
  const std::string stage = r.Str();
  JZ_ASSIGN_OR_RETURN(t.stage, ParseName(ParseCaseState(stage), "task stage", stage));
  t.kind = r.Str();
  t.role = r.Str();
  t.org_unit_id = r.Str();
  t.org_path = r.Str();
  const std::string state = r.Str();
  JZ_ASSIGN_OR_RETURN(t.state, ParseName(ParseTaskState(state), "task state", state));
  t.created_at = r.Int();
  t.due_at = r.Int();
  t.claimed_by = r.Str();
  t.claimed_at = r.Int();
  t.completed_at = r.Int();
  t.outcome = r.Str();
  t.referral_id = r.Int();
  t.escalation_level = static_cast<int>(r.Int());
  t.escalate_at = r.Int();
  return t;
}

Result<ReferralRecord> ReadReferral(sql::ResultSet& rs) {
  RowReader r(rs);
  ReferralRecord f;
  f.id = r.Int();
  f.case_id = r.Int();
  f.department_code = r.Str();
  f.department_unit_id = r.Str();
  const std::string status = r.Str();
  JZ_ASSIGN_OR_RETURN(f.status, ParseName(ParseReferralStatus(status), "referral status", status));
  f.note = r.Str();
  f.answer = r.Str();
  f.answer_json = r.Str();
  f.requested_at = r.Int();
  f.due_at = r.Int();
  f.answered_at = r.Int();
  f.policies = r.Str();
  return f;
}

Result<AuditEventRecord> ReadAuditEvent(sql::ResultSet& rs) {
  RowReader r(rs);
  AuditEventRecord e;
  e.case_id = r.Int();
  e.seq = r.Int();
  e.at = r.Int();
  e.actor = r.Str();
  e.role = r.Str();
  e.org_unit_id = r.Str();
  e.action = r.Str();
  e.from_state = r.Str();
  e.to_state = r.Str();
  e.payload = r.Str();
  e.prev_hash = r.Str();
  e.hash = r.Str();
  return e;
}

Result<NotificationRecord> ReadNotification(sql::ResultSet& rs) {
  RowReader r(rs);
  NotificationRecord n;
  n.id = r.Int();
  n.username = r.Str();
  const std::string kind = r.Str();
  JZ_ASSIGN_OR_RETURN(n.kind, ParseName(ParseNotificationKind(kind), "notification kind", kind));
  n.title = r.Str();
  n.body = r.Str();
  n.task_id = r.Int();
  n.case_id = r.Int();
  n.created_at = r.Int();
  n.read_at = r.Int();
  return n;
}

Result<BoardCount> ReadBoardCount(sql::ResultSet& rs) {
  RowReader r(rs);
  BoardCount b;
  b.org_unit_id = r.Str();
  b.programme = r.Str();
  const std::string stage = r.Str();
  JZ_ASSIGN_OR_RETURN(b.stage, ParseName(ParseCaseState(stage), "task stage", stage));
  b.overdue = r.Int() != 0;
  b.n = r.Int();
  return b;
}

Result<DecisionRecord> ReadDecision(sql::ResultSet& rs) {
  RowReader r(rs);
  DecisionRecord d;
  d.case_id = r.Int();
  d.org_path = r.Str();
  const std::string route = r.Str();
  JZ_ASSIGN_OR_RETURN(d.route, ParseName(ParseRoute(route), "route", route));
  d.created_at = r.Int();
  d.decided_at = r.Int();
  d.programme = r.Str();
  return d;
}

void BindCaseValues(Binder& b, const CaseRecord& c) {
  b.Str(c.programme)
      .Str(CaseStateName(c.state))
      .Str(RouteName(c.route))
      .Str(PoolName(c.pool))
      .Int(c.version)
      .Str(c.applicant_name)
      .Str(c.id_hash)
      .Nullable(IsTerminal(c.state) ? nullptr : &c.id_hash)
      .Str(c.id_masked)
      .Str(c.id_cipher)
      .Str(c.village_id)
      .Str(c.org_path)
      .Str(c.assessment_json)
      .Str(c.pledge_json)
      .Int(c.created_at)
      .Int(c.updated_at)
      .Int(c.promised_by)
      .Int(c.audit_head_seq)
      .Str(c.audit_head_hash)
      .Int(c.decided_at);
}

void BindTaskValues(Binder& b, const TaskRecord& t) {
  b.Int(t.case_id)
      .Str(t.programme)
      .Str(CaseStateName(t.stage))
      .Str(t.kind)
      .Str(t.role)
      .Str(t.org_unit_id)
      .Str(t.org_path)
      .Str(TaskStateName(t.state))
      .Int(t.created_at)
      .Int(t.due_at)
      .Str(t.claimed_by)
      .Int(t.claimed_at)
      .Int(t.completed_at)
      .Str(t.outcome)
      .Int(t.referral_id)
      .Int(t.escalation_level)
      .Int(t.escalate_at);
}

void BindReferralValues(Binder& b, const ReferralRecord& r) {
  b.Int(r.case_id)
      .Str(r.department_code)
      .Str(r.department_unit_id)
      .Str(ReferralStatusName(r.status))
      .Str(r.note)
      .Str(r.answer)
      .Str(r.answer_json)
      .Int(r.requested_at)
      .Int(r.due_at)
      .Int(r.answered_at)
      .Str(r.policies);
}

void BindNotification(Binder& b, const NotificationRecord& n) {
  b.Int(n.id)
      .Str(n.username)
      .Str(NotificationKindName(n.kind))
      .Str(n.title)
      .Str(n.body)
      .Int(n.task_id)
      .Int(n.case_id)
      .Int(n.created_at)
      .Int(n.read_at);
}

void BindAuditEvent(Binder& b, const AuditEventRecord& e) {
  b.Int(e.case_id)
      .Int(e.seq)
      .Int(e.at)
      .Str(e.actor)
      .Str(e.role)
      .Str(e.org_unit_id)
      .Str(e.action)
      .Str(e.from_state)
      .Str(e.to_state)
      .Str(e.payload)
      .Str(e.prev_hash)
      .Str(e.hash);
}

std::string InsertWithIdSql(const std::string& table, const std::string& value_columns) {
  std::string sql = "INSERT INTO " + table + " (id, " + value_columns + ") VALUES (?";
  for (size_t i = 0; i < SplitColumns(value_columns).size(); ++i) sql += ", ?";
  return sql + ")";
}

std::string UpdateSql(const std::string& table, const std::string& value_columns,
                      const std::string& where) {
  std::string sql = "UPDATE " + table + " SET ";
  const std::vector<std::string> columns = SplitColumns(value_columns);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += columns[i] + " = ?";
  }
  return sql + " WHERE " + where;
}

}  // namespace jiuzhu::mysql
