#include "engine/policy/policy_proposal.hpp"

#include <algorithm>

namespace jiuzhu {

HouseholdFacts FactsFromAssessment(const AssessmentInput& input, const HouseholdAssessment& a) {
  HouseholdFacts facts;
  for (Circumstance c : a.circumstances) facts.insert(CircumstanceName(c));
  for (const auto& p : a.eligible_programmes) facts.insert("programme:" + p);
  if (a.pool != Pool::kNone) facts.insert(std::string("pool:") + PoolName(a.pool));
  if (a.low_income_household) facts.insert("low_income");
  const AssessmentFigures& f = a.figures;
  if (f.medical_expense > 0) facts.insert("medical_expense");
  if (f.medical_expense >= f.linshi_medical_threshold) facts.insert("large_medical_expense");
  if (f.education_expense > 0) facts.insert("education_expense");
  if (f.housing_count == 0) facts.insert("no_housing");
  if (!f.has_capable_supporter) facts.insert("no_capable_supporter");
  for (size_t i = 0; i < f.member_ages.size() && i < input.members.size(); ++i) {
    const int age = f.member_ages[i];
    if (age >= 6 && age <= 18) facts.insert("school_age_child");
    const auto& flags = input.members[i].circumstances;
    const bool limited = std::any_of(flags.begin(), flags.end(), [](const std::string& c) {
      return c == "serious_illness" || c == "severe_disability" || c == "no_ability_to_work";
    });
    if (age >= 16 && age <= 59 && !limited) facts.insert("working_age_able");
  }
  return facts;
}

Result<std::vector<PolicyProposal>> ProposePolicies(const PolicyCatalog& catalog,
                                                    const HouseholdFacts& facts) {
  for (const auto& f : facts) {
    if (!HouseholdFactLabel(f))
      return InvalidArgument("unknown household fact \"" + f + "\"", "facts");
  }
  std::vector<PolicyProposal> out;
  for (const Policy& p : catalog.policies()) {
    PolicyProposal proposal;
    proposal.policy = &p;
    for (const auto& alternative : p.candidate_when) {
      const bool holds = std::all_of(alternative.begin(), alternative.end(),
                                     [&](const std::string& f) { return facts.count(f) > 0; });
      if (!holds) continue;
      std::string reason;
      for (const auto& f : alternative) {
        reason += (reason.empty() ? "" : "、") + std::string(HouseholdFactLabel(f));
      }
      proposal.reasons.push_back(reason);
    }
    if (!proposal.reasons.empty()) out.push_back(std::move(proposal));
  }
  return out;
}

}  // namespace jiuzhu
