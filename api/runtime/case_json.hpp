// JSON views of engine records and parsers of request bodies, shared by the
// command-line program and the HTTP API so both speak the same shapes.
// Parsers return kInvalidArgument naming the field at fault.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/runtime/runtime.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

// The case as `viewer` may see it: the ID number is masked unless one of
// their roles needs the full number; the timeline carries the chain check.
nlohmann::json CaseJson(const Runtime& rt, const UserRecord& viewer, const CaseRecord& c,
                        const std::vector<TaskRecord>& tasks,
                        const std::vector<ReferralRecord>& referrals,
                        const std::vector<AuditEventRecord>& events);
// Short form for lists.
nlohmann::json CaseSummaryJson(const CaseRecord& c);
// A task with its due time in UTC and the working days left (negative: overdue).
nlohmann::json TaskJson(const Runtime& rt, const TaskRecord& t, Micros now);
// The inbox page as JSON text, written straight into the string (no nlohmann
// tree; see json_writer.hpp):
//   {"total": page.total, "next_after": next_after, "items": [item, ...]}
// where each item has the members of TaskJson(rt, task, now) and, when the
// task's case is in `cases`, "case": {applicant_name, id_number (masked),
// state, route, version}. `cases` must be in ascending id order, as
// CaseStore::GetCases returns them.
std::string InboxPageJsonText(const Runtime& rt, const TaskPage& page,
                              const std::vector<CaseRecord>& cases, const std::string& next_after,
                              Micros now);
// A referral with its department's name and its policies' names.
nlohmann::json ReferralJson(const Runtime& rt, const ReferralRecord& r);
// [{code, name}] of the policies a referral names.
nlohmann::json ReferralPoliciesJson(const Runtime& rt, const ReferralRecord& r);
nlohmann::json OutcomeJson(const Runtime& rt, const CommandOutcome& out, Micros now);

// The household facts of an assessment (engine/assessment/household_json.hpp).
Result<AssessRequest> ParseAssessmentJson(const nlohmann::json& j);
Result<PledgeRequest> ParsePledgeJson(const nlohmann::json& j);
Result<ReviewRequest> ParseReviewJson(const nlohmann::json& j);
Result<std::vector<ReferralSpec>> ParseReferralsJson(const nlohmann::json& j);

}  // namespace jiuzhu
