// Referrals (转介): proposals from the catalogue for a case, and the department
// handler's referral inbox. The answer itself is the case's feedback command.
#include <set>

#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "api/runtime/case_json.hpp"

namespace jiuzhu::http {

void ApiService::AddReferralRoutes() {
  AddAuthed("GET", "/api/v1/cases/{id}/referral-proposals", "cases.referral_proposals",
            [this](HttpRequest&, const PathParams& p, const Caller& c) {
              return ReferralProposals(p, c);
            });
  AddAuthed("GET", "/api/v1/referrals", "referrals.list",
            [this](HttpRequest& req, const PathParams&, const Caller& c) {
              return DepartmentReferrals(req, c);
            });
}

HttpResponse ApiService::ReferralProposals(const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("case " + p.at("id") + " not found"));
  auto proposals = ProposeReferrals(rt_.ctx(), rt_.store(), c.user, *id);
  if (!proposals.ok()) return ProblemResponse(proposals.status());
  const Micros now = rt_.ctx().clock->Now();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : *proposals) {
    nlohmann::json policies = nlohmann::json::array();
    for (const auto& pp : r.policies) {
      policies.push_back({{"code", pp.policy->code},
                          {"name", pp.policy->name},
                          {"description", pp.policy->description},
                          {"feedback_working_days", pp.policy->feedback_working_days},
                          {"reasons", pp.reasons}});
    }
    items.push_back(
        {{"department", r.department_code},
         {"department_unit", {{"id", r.department_unit->id}, {"name", r.department_unit->name}}},
         {"feedback_working_days", r.feedback_working_days},
         {"due_if_referred_now",
          FormatUtc(rt_.calendar().AddWorkingDays(now, r.feedback_working_days))},
         {"policies", policies}});
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse ApiService::DepartmentReferrals(const HttpRequest& req, const Caller& c) {
  DepartmentReferralQuery q;
  std::set<std::string> units;
  for (const auto& rb : c.user.roles) {
    const OrgUnitRecord* u = rt_.org().Find(rb.org_unit_id);
    if (u && u->tier == Tier::kDepartment && units.insert(u->id).second) {
      q.department_unit_ids.push_back(u->id);
    }
  }
  if (q.department_unit_ids.empty()) {
    return ProblemResponse(PermissionDenied("the referral inbox belongs to department handlers; " +
                                            c.user.username + " works at no department"));
  }
  const std::string status = Query(req, "status");
  if (status.empty() || status == "pending") {
    q.status = ReferralStatus::kPending;
  } else if (status == "answered") {
    q.status = ReferralStatus::kAnswered;
  } else if (status != "all") {
    return ProblemResponse(InvalidArgument("status must be pending, answered or all", "status"));
  }
  if (const std::string a = Query(req, "after"); !a.empty()) {
    const auto sep = a.find('_');
    auto due = sep == std::string::npos ? std::nullopt : ParseId(a.substr(0, sep));
    auto rid = sep == std::string::npos ? std::nullopt : ParseId(a.substr(sep + 1));
    if (!due || !rid) {
      return ProblemResponse(
          InvalidArgument("after must be the next_after of the last page", "after"));
    }
    q.after_due = *due;
    q.after_id = *rid;
  }
  auto limit = Limit(req, 50, 200);
  if (!limit.ok()) return ProblemResponse(limit.status());
  q.limit = *limit;
  auto referrals = rt_.store().ListDepartmentReferrals(q);
  if (!referrals.ok()) return ProblemResponse(referrals.status());
  std::vector<CaseId> ids;
  for (const auto& r : *referrals) ids.push_back(r.case_id);
  auto cases = rt_.store().GetCases(ids);
  if (!cases.ok()) return ProblemResponse(cases.status());
  const Micros now = rt_.ctx().clock->Now();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : *referrals) {
    nlohmann::json j = ReferralJson(rt_, r);
    j["overdue"] = r.status == ReferralStatus::kPending && r.due_at < now;
    for (const auto& k : *cases) {
      if (k.id != r.case_id) continue;
      const OrgUnitRecord* v = rt_.org().Find(k.village_id);
      j["case"] = {{"id", std::to_string(k.id)},
                   {"applicant_name", k.applicant_name},
                   {"id_number", k.id_masked},
                   {"village_name", v ? v->name : k.village_id},
                   {"state", CaseStateName(k.state)},
                   {"pool", PoolName(k.pool)},
                   {"version", k.version}};
    }
    items.push_back(std::move(j));
  }
  std::string next;
  if (static_cast<int>(referrals->size()) == q.limit) {
    next = std::to_string(referrals->back().due_at) + "_" + std::to_string(referrals->back().id);
  }
  return JsonResponse(200, {{"items", items}, {"next_after", next}});
}

}  // namespace jiuzhu::http
