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
  // A side task (post-audit, alert review) this command completes as well (done, by the actor).
  TaskId completes_task = 0;
};

Result<CommandOutcome> RunCaseEvent(const EngineContext& ctx, StoreTxn& txn,
                                    const CaseCommand& cmd, CaseChange change);

// Shared by discover and the task commands: seals `event` after the case's
// current head and moves the head.
void AppendAudit(CaseRecord& c, AuditEventRecord& event);

// One command on a case that does not move it: the case row (version + 1), task changes
// and one audit event `action` with `payload`, written by one Apply. The actor acts
// through `binding` (recorded in the event).
Result<CommandOutcome> NoteOnCase(const EngineContext& ctx, StoreTxn& txn, CaseId case_id,
                                  const RoleBindingRecord& binding, const std::string& actor,
                                  const std::string& action, nlohmann::json payload,
                                  std::vector<TaskUpdate> updates, std::vector<TaskRecord> inserts,
                                  Micros now);
// 容错免责: the facts a decision on `c` is taken on (route, pool, the assessment and the
// pledge as stored), sealed into the decision's audit event.
nlohmann::json DecisionFacts(const CaseRecord& c);

// The update that closes `t` as done by `actor` with `outcome` at `now` (claimed by the
// actor if nobody held it; it leaves the deadline clock).
TaskUpdate TaskDoneBy(const TaskRecord& t, const std::string& actor, const std::string& outcome,
                      Micros now);

// Tasks outside the stage's own work (post-audit, alert review): stage changes leave them
// open; a terminal transition closes them.
bool IsSideTask(const TaskRecord& t);

// A new open task on `c`: `kind` worked by `role` at `unit_id`, due `working_days`
// working days after `now`; the deadline clock's first level fires at the due time.
TaskRecord OpenTask(const EngineContext& ctx, const CaseRecord& c, CaseState stage,
                    const std::string& kind, const std::string& role, const std::string& unit_id,
                    int working_days, Micros now);

// Error for a case the actor may not see (same text whether or not it exists).
Status CaseNotFound(CaseId id);

}  // namespace jiuzhu
