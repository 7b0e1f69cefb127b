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

// --- post-audit (issue 6) ---
namespace jiuzhu::mysql {

const char kSampleColumns[] =
    "id, status, org_unit_id, created_by, created_at, seed, parameters_json, parameters_hash, "
    "drawn_by, drawn_at, population_hash, population_size, sample_hash, strata_json";
const char kAuditItemColumns[] =
    "id, sample_id, case_id, programme, district_id, street_id, org_path, approver, approved_at, "
    "status, task_id, created_at, category, evidence, found_by, found_at, reverification, "
    "reverified_by, reverified_at, decision_reason, decided_by, decided_at, amount_to_recover_fen";
const char kCreditColumns[] =
    "id, id_hash, id_masked, applicant_name, case_id, item_id, programme, org_path, reason, "
    "category, amount_to_recover_fen, recorded_by, recorded_at, ban_until";
const char kPopulationColumns[] =
    "case_id, programme, district_id, street_id, org_path, approver, approved_at, flagged";
const char kFastTrackApprovalsSql[] =
    "SELECT c.id, c.programme, c.village_id, c.org_path, c.decided_at, "
    "COALESCE((SELECT e.actor FROM audit_events e WHERE e.case_id = c.id AND e.action = 'approve' "
    "ORDER BY e.seq DESC LIMIT 1), ''), "
    "EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.status = 'matched') "
    "FROM cases c WHERE c.decided_at >= ? AND c.decided_at < ? AND c.route = 'fast_track' "
    "AND c.state IN ('refer', 'feedback', 'monitor', 'closed') AND c.org_path LIKE ? ESCAPE '!' "
    "AND NOT EXISTS (SELECT 1 FROM audit_items i WHERE i.case_id = c.id AND i.approved_at = c.decided_at) "
    "ORDER BY c.id";

Result<AuditSampleRecord> ReadSample(sql::ResultSet& rs) {
  RowReader r(rs);
  AuditSampleRecord s;
  s.id = r.Int();
  s.status = r.Str();
  s.org_unit_id = r.Str();
  s.created_by = r.Str();
  s.created_at = r.Int();
  s.seed = r.Str();
  s.parameters_json = r.Str();
  s.parameters_hash = r.Str();
  s.drawn_by = r.Str();
  s.drawn_at = r.Int();
  s.population_hash = r.Str();
  s.population_size = r.Int();
  s.sample_hash = r.Str();
  s.strata_json = r.Str();
  return s;
}

Result<AuditItemRecord> ReadAuditItem(sql::ResultSet& rs) {
  RowReader r(rs);
  AuditItemRecord i;
  i.id = r.Int();
  i.sample_id = r.Int();
  i.case_id = r.Int();
  i.programme = r.Str();
  i.district_id = r.Str();
  i.street_id = r.Str();
  i.org_path = r.Str();
  i.approver = r.Str();
  i.approved_at = r.Int();
  i.status = r.Str();
  i.task_id = r.Int();
  i.created_at = r.Int();
  i.category = r.Str();
  i.evidence = r.Str();
  i.found_by = r.Str();
  i.found_at = r.Int();
  i.reverification = r.Str();
  i.reverified_by = r.Str();
  i.reverified_at = r.Int();
  i.decision_reason = r.Str();
  i.decided_by = r.Str();
  i.decided_at = r.Int();
  i.amount_to_recover_fen = r.Int();
  return i;
}

Result<CreditRecord> ReadCredit(sql::ResultSet& rs) {
  RowReader r(rs);
  CreditRecord c;
  c.id = r.Int();
  c.id_hash = r.Str();
  c.id_masked = r.Str();
  c.applicant_name = r.Str();
  c.case_id = r.Int();
  c.item_id = r.Int();
  c.programme = r.Str();
  c.org_path = r.Str();
  c.reason = r.Str();
  c.category = r.Str();
  c.amount_to_recover_fen = r.Int();
  c.recorded_by = r.Str();
  c.recorded_at = r.Int();
  c.ban_until = r.Int();
  return c;
}

Result<PopulationEntry> ReadPopulationEntry(sql::ResultSet& rs) {
  RowReader r(rs);
  PopulationEntry e;
  e.case_id = r.Int();
  e.programme = r.Str();
  e.district_id = r.Str();
  e.street_id = r.Str();
  e.org_path = r.Str();
  e.approver = r.Str();
  e.approved_at = r.Int();
  e.flagged = r.Int() != 0;
  return e;
}

Result<FastTrackApproval> ReadFastTrackApproval(sql::ResultSet& rs) {
  RowReader r(rs);
  FastTrackApproval a;
  a.case_id = r.Int();
  a.programme = r.Str();
  a.village_id = r.Str();
  a.org_path = r.Str();
  a.approved_at = r.Int();
  a.approver = r.Str();
  a.flagged = r.Int() != 0;
  return a;
}

const char kAlertColumns[] =
    "id, received_at, received_by, source, kind, external_id, id_hash, id_masked, occurred_at, "
    "amount_fen, details, status, error, case_id, task_id, org_path, raw";

Result<AlertRecord> ReadAlert(sql::ResultSet& rs) {
  RowReader r(rs);
  AlertRecord a;
  a.id = r.Int();
  a.received_at = r.Int();
  a.received_by = r.Str();
  a.source = r.Str();
  a.kind = r.Str();
  a.external_id = r.Str();
  a.id_hash = r.Str();
  a.id_masked = r.Str();
  a.occurred_at = r.Int();
  a.amount_fen = r.Int();
  a.details = r.Str();
  a.status = r.Str();
  a.error = r.Str();
  a.case_id = r.Int();
  a.task_id = r.Int();
  a.org_path = r.Str();
  a.raw = r.Str();
  return a;
}

void BindAlert(Binder& b, const AlertRecord& a) {
  b.Int(a.id).Int(a.received_at).Str(a.received_by).Str(a.source).Str(a.kind);
  b.NullIfEmpty(a.external_id).Str(a.id_hash).Str(a.id_masked).Int(a.occurred_at);
  b.Int(a.amount_fen).Str(a.details).Str(a.status).Str(a.error).Int(a.case_id).Int(a.task_id);
  b.Str(a.org_path).Str(a.raw);
}

void BindAuditItem(Binder& b, const AuditItemRecord& r) {
  b.Int(r.id).Int(r.sample_id).Int(r.case_id).Str(r.programme).Str(r.district_id);
  b.Str(r.street_id).Str(r.org_path).Str(r.approver).Int(r.approved_at).Str(r.status);
  b.Int(r.task_id).Int(r.created_at).Str(r.category).Str(r.evidence).Str(r.found_by);
  b.Int(r.found_at).Str(r.reverification).Str(r.reverified_by).Int(r.reverified_at);
  b.Str(r.decision_reason).Str(r.decided_by).Int(r.decided_at).Int(r.amount_to_recover_fen);
}

void BindCredit(Binder& b, const CreditRecord& r) {
  b.Int(r.id).Str(r.id_hash).Str(r.id_masked).Str(r.applicant_name).Int(r.case_id);
  b.Int(r.item_id).Str(r.programme).Str(r.org_path).Str(r.reason).Str(r.category);
  b.Int(r.amount_to_recover_fen).Str(r.recorded_by).Int(r.recorded_at).Int(r.ban_until);
}

std::string CreditQuerySql(const CreditQuery& q, bool lock) {
  std::string sql = std::string("SELECT ") + kCreditColumns +
                    " FROM credit_records WHERE recorded_at >= ? AND org_path LIKE ? ESCAPE '!'";
  if (!q.id_hash.empty()) sql += " AND id_hash = ?";
  if (q.recorded_to > 0) sql += " AND recorded_at < ?";
  sql += " ORDER BY recorded_at DESC, id DESC LIMIT ?";
  if (lock) sql += " FOR UPDATE";
  return sql;
}

void BindCreditQuery(Binder& b, const CreditQuery& q) {
  b.Int(q.recorded_from).Str(EscapeLike(q.org_path) + "%");
  if (!q.id_hash.empty()) b.Str(q.id_hash);
  if (q.recorded_to > 0) b.Int(q.recorded_to);
  b.Int(q.limit);
}

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '!' || c == '%' || c == '_') out.push_back('!');
    out.push_back(c);
  }
  return out;
}

}  // namespace jiuzhu::mysql
