// The household facts of an assessment (AssessmentInput without district
// and year, which the engine takes from the case and the clock) as JSON:
// the body of the assess command and of its preview, and the copy stored
// with the assessment so that the decision and later referral proposals
// can be recomputed from exactly what was declared.
//
//   {"members": [{"name": "王小梅", "relation": "self", "age": 46,   // or "birth_year"
//                 "circumstances": ["serious_illness"]}],
//    "income": [{"kind": "wages", "monthly_yuan": [12 amounts, oldest first]}],
//    "deposits_yuan": 0, "housing_count": 1,
//    "vehicles": [{"value_yuan": 30000, "sole_livelihood": true}],
//    "companies": [{"name": "…", "nominal": true}],
//    "medical_expense_yuan": 0, "education_expense_yuan": 0,
//    "has_capable_supporter": true, "sudden_hardship": false}
//
// Amounts are yuan with at most two decimals. Absent optional members take
// the AssessmentInput defaults. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/assessment/calculator.hpp"
#include "engine/common/status.hpp"

namespace jiuzhu {

// kInvalidArgument naming the field ("members[0].name",
// "income[1].monthly_yuan[3]", "deposits_yuan", ...) for a value of the wrong
// type, a member without a name, an amount with more than two decimals or
// negative, an unknown key at the top level (a typo must not silently count
// as zero). The calculator checks the rest (ages, circumstances, kinds).
Result<AssessmentInput> ParseHouseholdJson(const nlohmann::json& j);

// The inverse of ParseHouseholdJson (amounts as yuan numbers).
nlohmann::json HouseholdToJson(const AssessmentInput& in);

}  // namespace jiuzhu
