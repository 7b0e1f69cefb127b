// 转介建议: referral proposals from the stored assessment.
#include <algorithm>

#include "engine/access/access_policy.hpp"
#include "engine/assessment/household_json.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

Result<std::vector<ProposedReferral>> ProposeReferrals(const EngineContext& ctx, CaseStore& store,
                                                       const UserRecord& actor, CaseId case_id) {
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, store.GetCase(case_id));
  if (!c) return CaseNotFound(case_id);
  JZ_ASSIGN_OR_RETURN(std::vector<ReferralRecord> referrals, store.ListReferralsForCase(case_id));
  if (!ActorSeesCase(*ctx.org, actor, *c, referrals)) return CaseNotFound(case_id);
  const auto stored = nlohmann::json::parse(c->assessment_json, nullptr, false);
  if (c->assessment_json.empty() || !stored.is_object() || !stored.contains("household") ||
      !stored.contains("standards")) {
    return FailedPrecondition("case " + std::to_string(case_id) +
                              " has no assessment with household facts to propose referrals from");
  }
  auto input = ParseHouseholdJson(stored.at("household"));
  if (!input.ok()) {
    return Internal("the stored assessment of case " + std::to_string(case_id) +
                    " no longer parses: " + input.status().message());
  }
  // The standards the assessment used, so the proposal follows the decision.
  try {
    input->district = stored.at("standards").at("district").get<std::string>();
    input->year = stored.at("standards").at("year").get<int>();
  } catch (const std::exception&) {
    return Internal("the stored assessment of case " + std::to_string(case_id) +
                    " does not name its standards");
  }
  auto assessed = AssessHousehold(*ctx.standards, *input);
  if (!assessed.ok()) {
    return Internal("cannot recompute the assessment of case " + std::to_string(case_id) + ": " +
                    assessed.status().message());
  }
  JZ_ASSIGN_OR_RETURN(std::vector<PolicyProposal> proposals,
                      ProposePolicies(*ctx.policies, FactsFromAssessment(*input, *assessed)));
  std::vector<ProposedReferral> out;
  for (auto& p : proposals) {
    const std::string& dept = p.policy->department;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const ProposedReferral& r) { return r.department_code == dept; });
    if (it == out.end()) {
      const OrgUnitRecord* unit = ctx.org->FindDepartment(c->village_id, dept);
      if (unit == nullptr) continue;
      out.push_back({dept, unit, {}, p.policy->feedback_working_days});
      it = out.end() - 1;
    }
    it->feedback_working_days =
        std::min(it->feedback_working_days, p.policy->feedback_working_days);
    it->policies.push_back(std::move(p));
  }
  return out;
}

}  // namespace jiuzhu
