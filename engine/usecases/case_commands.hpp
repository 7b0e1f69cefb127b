// The case commands of the lifecycle, one use case per function (each in its
// own .cpp). Every command runs inside one store transaction `txn` opened by
// the caller (normally CommandExecutor) and writes, through one
// StoreTxn::Apply, the case row (version + 1), its task changes and exactly
// one audit event. A failed command has written nothing.
//
// Common errors of every command on an existing case:
//  kNotFound           the case does not exist or the actor may not see it
//                      (existence never leaks across org scopes);
//  kConflict           expected_version given and stale (message has the
//                      current version and state);
//  kPermissionDenied   the actor sees the case but holds no role that may
//                      issue this command at this stage;
//  kFailedPrecondition the lifecycle refuses the event in the current state
//                      (message names state and event, or the guard's rule);
//  kInvalidArgument    a field of the request is bad (Status::field names it).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/assessment/calculator.hpp"
#include "engine/policy/policy_proposal.hpp"
#include "engine/common/status.hpp"
#include "engine/store/case_store.hpp"
#include "engine/usecases/engine_context.hpp"

namespace jiuzhu {

// Who issues the command and against which case.
struct CaseCommand {
  UserRecord actor;
  CaseId case_id = 0;
  std::optional<std::int64_t> expected_version;  // optimistic check when given
  std::string comment;                           // free text, kept in the audit event
};

struct CommandOutcome {
  CaseRecord case_after;
  AuditEventRecord event;
  std::vector<TaskRecord> opened_tasks;
  std::vector<TaskRecord> updated_tasks;  // tasks closed, claimed or released
  bool existing = false;  // discover only: the household already had an open case
  // Written with the command; the caller hands them to the sender after commit.
  std::vector<NotificationRecord> notifications;
};

// 主动发现: report a household. Validates the ID number (GB 11643), the
// programme, the village and the name; the actor needs one of the
// programme's intake roles at the village or above it. If the person already
// has an open case, returns it with existing = true and writes nothing.
struct DiscoverRequest {
  UserRecord actor;
  std::string programme;
  std::string id_number;
  std::string applicant_name;
  std::string village_id;
  std::string source;  // "village_officer", "grid_worker", "self", "data_feed", ...
  std::string comment;
};
Result<CommandOutcome> DiscoverCase(const EngineContext& ctx, StoreTxn& txn,
                                    const DiscoverRequest& req);

// 受理: intake accepts the report; opens the assessment task.
Result<CommandOutcome> AcceptCase(const EngineContext& ctx, StoreTxn& txn, const CaseCommand& cmd);

// 综合评估: the household's declared facts go through the calculator
// (engine/assessment) with the standards of the case's district (the
// district above its village) for the year of the assessment (local date of
// the clock in Asia/Shanghai). The assessment JSON stored with the case holds
// the facts ("household"), every figure and reason of the result
// (AssessmentToJson) and "assessed_at"; the case takes the pool. Moves to commit.
// Errors besides the common ones: kInvalidArgument naming the field of the
// facts at fault; kFailedPrecondition (field "district" or "year") when no
// standards are loaded for that district and year.
struct AssessRequest {
  CaseCommand cmd;
  AssessmentInput household;  // district and year are set by the engine
};
// The calculator on `household` for case `c` (no store access, no effects):
// what AssessCase would decide now. Errors as AssessCase's facts and standards.
Result<HouseholdAssessment> AssessForCase(const EngineContext& ctx, const CaseRecord& c,
                                          AssessmentInput household);
// The stored assessment JSON (see AssessCase) of `household` and its result.
nlohmann::json AssessmentRecordJson(const AssessmentInput& household,
                                    const HouseholdAssessment& result, Micros assessed_at);
Result<CommandOutcome> AssessCase(const EngineContext& ctx, StoreTxn& txn,
                                  const AssessRequest& req);
// Live preview for the assessment form: AssessForCase on a committed case the
// actor can see, without writing anything. kNotFound when the case does not
// exist or is not visible to the actor.
Result<HouseholdAssessment> PreviewAssessment(const EngineContext& ctx, CaseStore& store,
                                              const UserRecord& actor, CaseId case_id,
                                              const AssessmentInput& household);

// 告知承诺: the applicant signs the personal credit pledge; fast track.
struct PledgeRequest {
  CaseCommand cmd;
  bool signed_by_applicant = false;
  std::string signer_name;    // must match the applicant's name
  std::string statement;      // the pledge text shown to the applicant
};
Result<CommandOutcome> PledgeCase(const EngineContext& ctx, StoreTxn& txn,
                                  const PledgeRequest& req);

// The applicant takes the ordinary route (democratic review follows).
Result<CommandOutcome> ChooseOrdinaryRoute(const EngineContext& ctx, StoreTxn& txn,
                                           const CaseCommand& cmd);

// 民主评议 passed.
struct ReviewRequest {
  CaseCommand cmd;
  int votes_for = 0;
  int votes_against = 0;
};
Result<CommandOutcome> CompleteReview(const EngineContext& ctx, StoreTxn& txn,
                                      const ReviewRequest& req);

// 审批通过.
Result<CommandOutcome> ApproveCase(const EngineContext& ctx, StoreTxn& txn, const CaseCommand& cmd);

// Reject, send back to assessment, close, revoke, reassess: all need a reason.
struct ReasonedCommand {
  CaseCommand cmd;
  std::string reason;
  double amount_to_recover_yuan = 0;  // revoke only
};
Result<CommandOutcome> RejectCase(const EngineContext& ctx, StoreTxn& txn,
                                  const ReasonedCommand& req);
Result<CommandOutcome> SendBackCase(const EngineContext& ctx, StoreTxn& txn,
                                    const ReasonedCommand& req);
Result<CommandOutcome> CloseCase(const EngineContext& ctx, StoreTxn& txn,
                                 const ReasonedCommand& req);
Result<CommandOutcome> RevokeCase(const EngineContext& ctx, StoreTxn& txn,
                                  const ReasonedCommand& req);
Result<CommandOutcome> ReassessCase(const EngineContext& ctx, StoreTxn& txn,
                                    const ReasonedCommand& req);

// 转介推送: one referral (and one feedback task for the department's handler
// role) per department. A referral may name catalogue policies of that
// department (workflows/policies.json): the feedback deadline is then the
// fewest of their feedback_working_days, in working days from now, instead of
// the feedback stage's default; an empty note becomes the policies' names.
// kInvalidArgument (field "referrals") for no referral, a department twice, an
// unknown policy, a policy of another department or named twice.
struct ReferralSpec {
  ReferralSpec(std::string department = {}, std::string what = {},
               std::vector<std::string> policy_codes = {})
      : department_code(std::move(department)),
        note(std::move(what)),
        policies(std::move(policy_codes)) {}
  std::string department_code;        // "canlian", "yibao", ...
  std::string note;                   // what is asked of the department
  std::vector<std::string> policies;  // catalogue policy codes, may be empty
};
struct ReferRequest {
  CaseCommand cmd;
  std::vector<ReferralSpec> referrals;  // at least one, no department twice
};
Result<CommandOutcome> ReferCase(const EngineContext& ctx, StoreTxn& txn, const ReferRequest& req);

// 转介建议: the referrals the catalogue proposes for the case's household,
// one per department (in catalogue order of its first policy), from the facts
// stored with the last assessment, recomputed with the standards it used.
struct ProposedReferral {
  std::string department_code;
  const OrgUnitRecord* department_unit = nullptr;  // serving the case's village
  std::vector<PolicyProposal> policies;            // of this department, with reasons
  int feedback_working_days = 0;                   // the fewest of the policies'
};
// Errors: kNotFound (case missing or not visible to the actor);
// kFailedPrecondition when the case has no assessment (or one stored before
// facts were kept); kInternal if the stored facts no longer parse or the
// standards they used are gone. Departments with no unit serving the
// village are left out.
Result<std::vector<ProposedReferral>> ProposeReferrals(const EngineContext& ctx, CaseStore& store,
                                                       const UserRecord& actor, CaseId case_id);

// 帮扶反馈: one department answers its referral.
struct FeedbackRequest {
  CaseCommand cmd;
  std::string department_code;
  std::string answer;   // "provided" | "declined" | "not_applicable"
  std::string details;  // what was provided, or why not
  double amount_yuan = 0;
};
Result<CommandOutcome> RecordFeedback(const EngineContext& ctx, StoreTxn& txn,
                                      const FeedbackRequest& req);

// → monitor (all referrals answered, or none needed).
Result<CommandOutcome> StartMonitoring(const EngineContext& ctx, StoreTxn& txn,
                                       const CaseCommand& cmd);

// Task commands. Claim: an open task routed to a (role, unit) the actor
// holds → claimed by the actor. Release: the claimant gives it back.
// Both append an audit event to the task's case.
// Errors: kNotFound (no such task or not visible), kConflict (already
// claimed by someone else / not claimed by the actor), kFailedPrecondition
// (task done or cancelled).
struct TaskCommand {
  UserRecord actor;
  TaskId task_id = 0;
};
Result<CommandOutcome> ClaimTask(const EngineContext& ctx, StoreTxn& txn, const TaskCommand& cmd);
Result<CommandOutcome> ReleaseTask(const EngineContext& ctx, StoreTxn& txn,
                                   const TaskCommand& cmd);

}  // namespace jiuzhu

namespace jiuzhu {

// Hands a task to a colleague who holds the same role at the same unit
// (转办). The actor must hold the task (claimed by them) or, if it is
// unclaimed, its role at its unit. kInvalidArgument (field "to") if the
// colleague lacks that role there; kConflict if someone else holds it.
struct DelegateRequest {
  UserRecord actor;
  TaskId task_id = 0;
  UserRecord to;
  std::string comment;
};
Result<CommandOutcome> DelegateTask(const EngineContext& ctx, StoreTxn& txn,
                                    const DelegateRequest& req);

// Completes a task with a decision: the command of the task's stage that the
// decision names. Decisions per stage:
//   discover: accept | close(reason)        assess: assess(assessment) | reject(reason)
//   commit:   pledge(pledge) | ordinary | reject(reason)
//   review:   pass(review) | reject(reason)  approve: approve | reject(reason) | send_back(reason)
//   refer:    refer(referrals) | monitor    feedback: provided | declined | not_applicable
//   monitor:  reassess(reason) | close(reason)
// kInvalidArgument (field "decision") naming the allowed decisions otherwise;
// kFailedPrecondition if the task is no longer open (the case moved on).
struct CompleteTaskRequest {
  UserRecord actor;
  TaskId task_id = 0;
  std::optional<std::int64_t> expected_version;
  std::string decision;
  std::string comment;
  std::string reason;
  std::optional<AssessRequest> assessment;
  std::optional<PledgeRequest> pledge;
  std::optional<ReviewRequest> review;
  std::vector<ReferralSpec> referrals;
  std::string details;      // feedback
  double amount_yuan = 0;   // feedback
};
Result<CommandOutcome> CompleteTask(const EngineContext& ctx, StoreTxn& txn,
                                    const CompleteTaskRequest& req);
// The decisions a task of `stage` accepts, for forms and error messages.
std::vector<std::string> DecisionsFor(CaseState stage);

}  // namespace jiuzhu
