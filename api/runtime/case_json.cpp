#include "api/runtime/case_json.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>

#include "api/runtime/json_writer.hpp"
#include "engine/access/access_policy.hpp"
#include "engine/assessment/household_json.hpp"
#include "engine/audit/audit_chain.hpp"
#include "engine/usecases/alerts.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu {

namespace {

// Reads an optional member of an expected JSON type; kInvalidArgument naming
// `field` if present with another type.
template <typename T>
Status Read(const nlohmann::json& j, const char* key, const std::string& field, T* out) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  try {
    *out = j.at(key).get<T>();
    return Status::Ok();
  } catch (const std::exception&) {
    return InvalidArgument(std::string("field ") + field + " has the wrong type", field);
  }
}

Status ExpectObject(const nlohmann::json& j, const std::string& field) {
  if (!j.is_object()) return InvalidArgument(field + " must be a JSON object", field);
  return Status::Ok();
}

}  // namespace

nlohmann::json CaseSummaryJson(const CaseRecord& c) {
  return {{"id", std::to_string(c.id)},
          {"programme", c.programme},
          {"state", CaseStateName(c.state)},
          {"state_label", CaseStateLabelZh(c.state)},
          {"route", RouteName(c.route)},
          {"pool", PoolName(c.pool)},
          {"version", c.version},
          {"applicant_name", c.applicant_name},
          {"id_number", c.id_masked},
          {"village", c.village_id},
          {"created_at", FormatUtc(c.created_at)},
          {"updated_at", FormatUtc(c.updated_at)},
          {"promised_by", c.promised_by ? FormatUtc(c.promised_by) : ""}};
}

namespace {

// Where a view's members go: TreeSink puts them into a nlohmann object,
// TextSink writes them as text with a JsonWriter. Each view below is written
// once, against this pair, so the tree (TaskJson) and the text (the inbox
// page) always carry the same members with the same values.
class TreeSink {
 public:
  explicit TreeSink(nlohmann::json& j) : j_(j) {}
  void String(const char* key, std::string_view v) { j_[key] = std::string(v); }
  void Int(const char* key, std::int64_t v) { j_[key] = v; }
  void Bool(const char* key, bool v) { j_[key] = v; }
  void Time(const char* key, Micros t) { j_[key] = FormatUtc(t); }
  template <typename F>
  void Object(const char* key, F&& members) {
    TreeSink sub(j_[key]);
    members(sub);
  }

 private:
  nlohmann::json& j_;
};

class TextSink {
 public:
  explicit TextSink(JsonWriter& w) : w_(w) {}
  void String(const char* key, std::string_view v) {
    w_.Key(key);
    w_.String(v);
  }
  void Int(const char* key, std::int64_t v) {
    w_.Key(key);
    w_.Int(v);
  }
  void Bool(const char* key, bool v) {
    w_.Key(key);
    w_.Bool(v);
  }
  void Time(const char* key, Micros t) {
    w_.Key(key);
    w_.String(FormatUtc(t));
  }
  template <typename F>
  void Object(const char* key, F&& members) {
    w_.Key(key);
    w_.BeginObject();
    members(*this);
    w_.EndObject();
  }

 private:
  JsonWriter& w_;
};

template <typename Sink>
void EmitTask(Sink& s, const Runtime& rt, const TaskRecord& t, Micros now) {
  const bool active = t.state == TaskState::kOpen || t.state == TaskState::kClaimed;
  int days_left = 0;
  if (active) {
    days_left = t.due_at >= now ? rt.calendar().WorkingDaysBetween(now, t.due_at)
                                : -rt.calendar().WorkingDaysBetween(t.due_at, now);
  }
  const OrgUnitRecord* unit = rt.org().Find(t.org_unit_id);
  s.String("id", std::to_string(t.id));
  s.String("case_id", std::to_string(t.case_id));
  s.String("programme", t.programme);
  s.String("stage", CaseStateName(t.stage));
  s.String("kind", t.kind);
  s.String("role", t.role);
  s.String("org_unit", t.org_unit_id);
  s.String("org_unit_name", unit ? unit->name : t.org_unit_id);
  s.String("state", TaskStateName(t.state));
  s.Time("created_at", t.created_at);
  s.Time("due_at", t.due_at);
  s.Bool("overdue", active && t.due_at < now);
  s.Int("working_days_left", days_left);
  s.String("claimed_by", t.claimed_by);
  // The deadline clock: 0 none, 1 overdue (reminded), 2 supervisor notified, 3 moved up a tier.
  s.Int("escalation_level", t.escalation_level);
  if (t.completed_at) {
    s.Time("completed_at", t.completed_at);
  } else {
    s.String("completed_at", "");
  }
  s.String("outcome", t.outcome);
  if (const char* label = PostAuditTaskLabelZh(t.kind)) {
    s.String("kind_label", label);
  } else if (t.kind == kTaskAlertReview) {
    s.String("kind_label", "预警核查");
  } else if (auto prog = rt.programmes().Find(t.programme); prog.ok()) {
    if (const StageDef* stage = (*prog)->Stage(t.stage)) {
      s.String("kind_label", stage->task_name_zh);
    }
  }
}

// The case as an inbox item shows it.
template <typename Sink>
void EmitInboxCase(Sink& s, const CaseRecord& c) {
  s.String("applicant_name", c.applicant_name);
  s.String("id_number", c.id_masked);
  s.String("state", CaseStateName(c.state));
  s.String("route", RouteName(c.route));
  s.Int("version", c.version);
}

}  // namespace

nlohmann::json TaskJson(const Runtime& rt, const TaskRecord& t, Micros now) {
  nlohmann::json j = nlohmann::json::object();
  TreeSink s(j);
  EmitTask(s, rt, t, now);
  return j;
}

std::string InboxPageJsonText(const Runtime& rt, const TaskPage& page,
                              const std::vector<CaseRecord>& cases, const std::string& next_after,
                              Micros now) {
  const auto by_id = [](const CaseRecord& c, CaseId id) { return c.id < id; };
  assert(std::is_sorted(cases.begin(), cases.end(),
                        [](const CaseRecord& a, const CaseRecord& b) { return a.id < b.id; }));
  std::string out;
  out.reserve(64 + 1024 * page.tasks.size());  // an item is 0.7-0.9 KB
  JsonWriter w(&out);
  TextSink s(w);
  w.BeginObject();
  s.Int("total", page.total);
  s.String("next_after", next_after);
  w.Key("items");
  w.BeginArray();
  for (const TaskRecord& t : page.tasks) {
    w.BeginObject();
    EmitTask(s, rt, t, now);
    const auto c = std::lower_bound(cases.begin(), cases.end(), t.case_id, by_id);
    if (c != cases.end() && c->id == t.case_id) {
      s.Object("case", [&](TextSink& sub) { EmitInboxCase(sub, *c); });
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  assert(w.Complete());
  return out;
}

nlohmann::json ReferralPoliciesJson(const Runtime& rt, const ReferralRecord& r) {
  nlohmann::json out = nlohmann::json::array();
  size_t start = 0;
  while (start < r.policies.size()) {
    size_t end = r.policies.find(',', start);
    if (end == std::string::npos) end = r.policies.size();
    const std::string code = r.policies.substr(start, end - start);
    const Policy* p = rt.policies().Find(code);
    out.push_back({{"code", code}, {"name", p ? p->name : code}});
    start = end + 1;
  }
  return out;
}

nlohmann::json ReferralJson(const Runtime& rt, const ReferralRecord& r) {
  const OrgUnitRecord* dept = rt.org().Find(r.department_unit_id);
  return {{"id", std::to_string(r.id)},
          {"case_id", std::to_string(r.case_id)},
          {"department", r.department_code},
          {"department_unit", r.department_unit_id},
          {"department_name", dept ? dept->name : r.department_unit_id},
          {"status", r.status == ReferralStatus::kAnswered ? "answered" : "pending"},
          {"note", r.note},
          {"policies", ReferralPoliciesJson(rt, r)},
          {"answer", r.answer},
          {"answer_detail", r.answer_json.empty()
                                ? nlohmann::json(nullptr)
                                : nlohmann::json::parse(r.answer_json, nullptr, false)},
          {"requested_at", FormatUtc(r.requested_at)},
          {"due_at", FormatUtc(r.due_at)},
          {"answered_at", r.answered_at ? FormatUtc(r.answered_at) : ""}};
}

nlohmann::json CaseJson(const Runtime& rt, const UserRecord& viewer, const CaseRecord& c,
                        const std::vector<TaskRecord>& tasks,
                        const std::vector<ReferralRecord>& referrals,
                        const std::vector<AuditEventRecord>& events) {
  const Micros now = rt.ctx().clock->Now();
  nlohmann::json j = CaseSummaryJson(c);
  const OrgUnitRecord* village = rt.org().Find(c.village_id);
  j["village_name"] = village ? village->name : c.village_id;
  j["id_number_full"] = false;
  if (ActorSeesFullId(rt.org(), rt.programmes(), viewer, c)) {
    auto full = rt.ids().Decrypt(c.id_cipher);
    if (full.ok()) {
      j["id_number"] = *full;
      j["id_number_full"] = true;
    }
  }
  j["assessment"] = c.assessment_json.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json::parse(c.assessment_json, nullptr, false);
  j["pledge"] = c.pledge_json.empty() ? nlohmann::json(nullptr)
                                      : nlohmann::json::parse(c.pledge_json, nullptr, false);
  j["tasks"] = nlohmann::json::array();
  for (const auto& t : tasks) j["tasks"].push_back(TaskJson(rt, t, now));
  j["referrals"] = nlohmann::json::array();
  for (const auto& r : referrals) j["referrals"].push_back(ReferralJson(rt, r));
  j["timeline"] = nlohmann::json::array();
  for (const auto& e : events) {
    const OrgUnitRecord* unit = rt.org().Find(e.org_unit_id);
    j["timeline"].push_back({{"seq", e.seq},
                             {"at", FormatUtc(e.at)},
                             {"actor", e.actor},
                             {"role", e.role},
                             {"org_unit", e.org_unit_id},
                             {"org_unit_name", unit ? unit->name : e.org_unit_id},
                             {"action", e.action},
                             {"from", e.from_state},
                             {"to", e.to_state},
                             {"payload", nlohmann::json::parse(e.payload, nullptr, false)},
                             {"hash", e.hash}});
  }
  const auto problems = VerifyCaseChain(c.id, events, c.audit_head_seq, c.audit_head_hash);
  j["audit_chain_ok"] = problems.empty();
  return j;
}

nlohmann::json OutcomeJson(const Runtime& rt, const CommandOutcome& out, Micros now) {
  nlohmann::json j = {{"case", CaseSummaryJson(out.case_after)}, {"existing", out.existing}};
  if (!out.existing) {
    j["event"] = {{"seq", out.event.seq},      {"action", out.event.action},
                  {"from", out.event.from_state}, {"to", out.event.to_state},
                  {"at", FormatUtc(out.event.at)}};
  }
  j["opened_tasks"] = nlohmann::json::array();
  for (const auto& t : out.opened_tasks) j["opened_tasks"].push_back(TaskJson(rt, t, now));
  j["updated_tasks"] = nlohmann::json::array();
  for (const auto& t : out.updated_tasks) j["updated_tasks"].push_back(TaskJson(rt, t, now));
  return j;
}

Result<AssessRequest> ParseAssessmentJson(const nlohmann::json& j) {
  AssessRequest a;
  JZ_ASSIGN_OR_RETURN(a.household, ParseHouseholdJson(j));
  return a;
}

Result<PledgeRequest> ParsePledgeJson(const nlohmann::json& j) {
  JZ_RETURN_IF_ERROR(ExpectObject(j, "pledge"));
  PledgeRequest p;
  p.signed_by_applicant = false;
  JZ_RETURN_IF_ERROR(Read(j, "signed", "signed", &p.signed_by_applicant));
  JZ_RETURN_IF_ERROR(Read(j, "signer_name", "signer_name", &p.signer_name));
  JZ_RETURN_IF_ERROR(Read(j, "statement", "statement", &p.statement));
  return p;
}

Result<ReviewRequest> ParseReviewJson(const nlohmann::json& j) {
  JZ_RETURN_IF_ERROR(ExpectObject(j, "review"));
  ReviewRequest r;
  JZ_RETURN_IF_ERROR(Read(j, "votes_for", "votes_for", &r.votes_for));
  JZ_RETURN_IF_ERROR(Read(j, "votes_against", "votes_against", &r.votes_against));
  return r;
}

Result<std::vector<ReferralSpec>> ParseReferralsJson(const nlohmann::json& j) {
  if (!j.is_array()) return InvalidArgument("referrals must be a list", "referrals");
  std::vector<ReferralSpec> out;
  for (const auto& r : j) {
    if (!r.is_object()) return InvalidArgument("each referral must be an object", "referrals");
    ReferralSpec s;
    JZ_RETURN_IF_ERROR(Read(r, "department", "referrals.department", &s.department_code));
    JZ_RETURN_IF_ERROR(Read(r, "note", "referrals.note", &s.note));
    JZ_RETURN_IF_ERROR(Read(r, "policies", "referrals.policies", &s.policies));
    out.push_back(s);
  }
  return out;
}

}  // namespace jiuzhu
