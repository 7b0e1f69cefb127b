// Internal to engine/usecases: the one path every case command takes.
// Loads and locks the case, checks visibility, version and authority, asks
// the lifecycle for the next state, computes task changes and the audit
// event, and writes them with one StoreTxn::Apply.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

struct CaseChange {
  CaseEvent event = CaseEvent::kAccept;
  GuardFacts facts;         // request-derived facts; case-derived ones are filled in
  nlohmann::json payload = nlohmann::json::object();  // the request, for the audit trail
  // Data changes to the case row (assessment, pledge, pool ...), applied to
  // the locked row after the visibility and authority checks and before the
  // guards are evaluated; may add to the audit payload. May fail with
  // kInvalidArgument (or another code, which the command returns).
  std::function<Status(CaseRecord&, nlohmann::json& payload)> mutate;
  std::vector<ReferralSpec> new_referrals;  // refer
  std::string answering_department;         // feedback
  std::function<void(ReferralRecord&)> answer;  // fills the answer of that referral
};

Result<CommandOutcome> RunCaseEvent(const EngineContext& ctx, StoreTxn& txn,
                                    const CaseCommand& cmd, CaseChange change);

// Shared by discover and the task commands: seals `event` after the case's
// current head and moves the head.
void AppendAudit(CaseRecord& c, AuditEventRecord& event);

// Error for a case the actor may not see (same text whether or not it exists).
Status CaseNotFound(CaseId id);

}  // namespace jiuzhu
