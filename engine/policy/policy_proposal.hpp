// Referral proposals (转介建议): the policies of other departments a household
// is a candidate for, with reasons, from the facts of its assessment. The
// approver confirms, adds or removes; confirmed ones become referrals.
//
// A policy is proposed when any of its `candidate_when` alternatives holds,
// that is every fact of that alternative is among the household's facts.
//
// Pure functions; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/assessment/calculator.hpp"
#include "engine/common/status.hpp"
#include "engine/policy/policy_catalog.hpp"

namespace jiuzhu {

// Fact codes from kHouseholdFacts.
using HouseholdFacts = std::set<std::string>;

// Facts of an assessed household: its circumstances (with elderly by age),
// programme:<code> for each eligible programme, pool:<pool>, low_income,
// medical_expense (> 0), large_medical_expense (at the linshi threshold),
// education_expense (> 0), school_age_child (a member aged 6..18),
// working_age_able (a member aged 16..59 flagged with none of serious
// illness, severe disability, no ability to work), no_housing,
// no_capable_supporter. `input` must be the one `assessment` was made from.
HouseholdFacts FactsFromAssessment(const AssessmentInput& input,
                                   const HouseholdAssessment& assessment);

struct PolicyProposal {
  const Policy* policy = nullptr;    // points into the catalogue
  std::vector<std::string> reasons;  // one per alternative that holds, in Chinese
};

// Proposals in catalogue order. kInvalidArgument (field "facts") for a fact
// outside the vocabulary, so a typo cannot silently propose nothing.
Result<std::vector<PolicyProposal>> ProposePolicies(const PolicyCatalog& catalog,
                                                    const HouseholdFacts& facts);

}  // namespace jiuzhu
