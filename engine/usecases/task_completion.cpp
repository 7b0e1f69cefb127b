// Completing a task with a decision (办结) and delegating it (转办).
#include <algorithm>

#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_transition.hpp"
#include "engine/usecases/alerts.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu {

std::vector<std::string> DecisionsFor(CaseState stage) {
  switch (stage) {
    case CaseState::kDiscover: return {"accept", "close"};
    case CaseState::kAssess: return {"assess", "reject"};
    case CaseState::kCommit: return {"pledge", "ordinary", "reject"};
    case CaseState::kReview: return {"pass", "reject"};
    case CaseState::kApprove: return {"approve", "reject", "send_back"};
    case CaseState::kRefer: return {"refer", "monitor"};
    case CaseState::kFeedback: return {"provided", "declined", "not_applicable"};
    case CaseState::kMonitor: return {"reassess", "close"};
    default: return {};
  }
}

namespace {

Result<TaskRecord> LockWorkableTask(StoreTxn& txn, const UserRecord& actor, TaskId id) {
  JZ_ASSIGN_OR_RETURN(std::optional<TaskRecord> task, txn.LockTask(id));
  const bool holds = task && (BindingFor(actor, task->role, task->org_unit_id) ||
                              task->claimed_by == actor.username);
  if (!task || !holds) return NotFound("task " + std::to_string(id) + " not found");
  if (task->state == TaskState::kDone || task->state == TaskState::kCancelled) {
    return FailedPrecondition("task " + std::to_string(id) + " is already " +
                              TaskStateName(task->state) + " (" + task->outcome + ")");
  }
  return std::move(*task);
}

// An alert review (预警核查): "reassess" sends the household back to assessment with the
// alert as the reason (the lifecycle decides whether the case may go); "no_change" closes
// the task with the reviewer's reason. Both need a reason.
Result<CommandOutcome> CompleteAlertReview(const EngineContext& ctx, StoreTxn& txn,
                                           const CompleteTaskRequest& req, const TaskRecord& task) {
  if (req.decision != "reassess" && req.decision != "no_change") {
    return InvalidArgument("decision \"" + req.decision +
                               "\" does not fit an alert_review task (allowed: reassess, no_change)",
                           "decision");
  }
  if (req.reason.find_first_not_of(" \t\n") == std::string::npos) {
    return InvalidArgument("say what the review found", "reason");
  }
  if (req.reason.size() > 2000) return InvalidArgument("reason is too long", "reason");
  CaseCommand cmd;
  cmd.actor = req.actor;
  cmd.case_id = task.case_id;
  cmd.expected_version = req.expected_version;
  cmd.comment = req.comment;
  if (req.decision == "reassess") {
    CaseChange change;
    change.event = CaseEvent::kReassess;
    change.facts.reason_given = true;
    change.payload["reason"] = req.reason;
    change.payload["alert_task"] = std::to_string(task.id);
    change.completes_task = task.id;
    return RunCaseEvent(ctx, txn, cmd, std::move(change));
  }
  const auto binding = BindingFor(req.actor, task.role, task.org_unit_id);
  if (!binding) return NotFound("task " + std::to_string(task.id) + " not found");
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(task.case_id));
  if (!c) return Internal("task " + std::to_string(task.id) + " belongs to no case");
  if (req.expected_version && *req.expected_version != c->version) {
    return Conflict("case " + std::to_string(c->id) + " is at version " + std::to_string(c->version) +
                    ", not " + std::to_string(*req.expected_version) + "; reload and retry");
  }
  const Micros now = ctx.clock->Now();
  nlohmann::json payload = {{"task", std::to_string(task.id)}, {"decision", "no_change"}, {"reason", req.reason}};
  if (!req.comment.empty()) payload["comment"] = req.comment;
  return NoteOnCase(ctx, txn, task.case_id, *binding, req.actor.username, "alert_reviewed",
                    std::move(payload), {TaskDoneBy(task, req.actor.username, "no_change", now)}, {}, now);
}

}  // namespace

Result<CommandOutcome> CompleteTask(const EngineContext& ctx, StoreTxn& txn,
                                    const CompleteTaskRequest& req) {
  JZ_ASSIGN_OR_RETURN(TaskRecord task, LockWorkableTask(txn, req.actor, req.task_id));
  if (task.state == TaskState::kClaimed && task.claimed_by != req.actor.username) {
    return Conflict("task " + std::to_string(task.id) + " is claimed by " + task.claimed_by);
  }
  if (IsPostAuditTask(task)) {
    return InvalidArgument("task " + std::to_string(task.id) + " is a post-audit task (" +
                               task.kind + "); record it through its post-audit item",
                           "decision");
  }
  if (task.kind == kTaskAlertReview) return CompleteAlertReview(ctx, txn, req, task);
  const auto allowed = DecisionsFor(task.stage);
  if (std::find(allowed.begin(), allowed.end(), req.decision) == allowed.end()) {
    std::string list;
    for (const auto& d : allowed) list += (list.empty() ? "" : ", ") + d;
    return InvalidArgument("decision \"" + req.decision + "\" does not fit a " + task.kind +
                               " task (allowed: " + list + ")",
                           "decision");
  }
  CaseCommand cmd;
  cmd.actor = req.actor;
  cmd.case_id = task.case_id;
  cmd.expected_version = req.expected_version;
  cmd.comment = req.comment;
  const std::string& d = req.decision;
  const ReasonedCommand reasoned{cmd, req.reason, 0};
  if (d == "accept") return AcceptCase(ctx, txn, cmd);
  if (d == "close") return CloseCase(ctx, txn, reasoned);
  if (d == "reject") return RejectCase(ctx, txn, reasoned);
  if (d == "send_back") return SendBackCase(ctx, txn, reasoned);
  if (d == "reassess") return ReassessCase(ctx, txn, reasoned);
  if (d == "approve") return ApproveCase(ctx, txn, cmd);
  if (d == "ordinary") return ChooseOrdinaryRoute(ctx, txn, cmd);
  if (d == "monitor") return StartMonitoring(ctx, txn, cmd);
  if (d == "assess") {
    if (!req.assessment) return InvalidArgument("the assessment data is missing", "assessment");
    AssessRequest a = *req.assessment;
    a.cmd = cmd;
    return AssessCase(ctx, txn, a);
  }
  if (d == "pledge") {
    if (!req.pledge) return InvalidArgument("the pledge is missing", "pledge");
    PledgeRequest p = *req.pledge;
    p.cmd = cmd;
    return PledgeCase(ctx, txn, p);
  }
  if (d == "pass") {
    if (!req.review) return InvalidArgument("the review votes are missing", "review");
    ReviewRequest r = *req.review;
    r.cmd = cmd;
    return CompleteReview(ctx, txn, r);
  }
  if (d == "refer") return ReferCase(ctx, txn, ReferRequest{cmd, req.referrals});
  // Feedback decisions answer this task's referral.
  JZ_ASSIGN_OR_RETURN(auto referrals, txn.ListReferrals(task.case_id));
  for (const auto& r : referrals) {
    if (r.id == task.referral_id) {
      return RecordFeedback(ctx, txn,
                            FeedbackRequest{cmd, r.department_code, d, req.details, req.amount_yuan});
    }
  }
  return Internal("referral task " + std::to_string(task.id) + " has no referral");
}

Result<CommandOutcome> DelegateTask(const EngineContext& ctx, StoreTxn& txn,
                                    const DelegateRequest& req) {
  JZ_ASSIGN_OR_RETURN(TaskRecord task, LockWorkableTask(txn, req.actor, req.task_id));
  if (task.state == TaskState::kClaimed && task.claimed_by != req.actor.username) {
    return Conflict("task " + std::to_string(task.id) + " is claimed by " + task.claimed_by);
  }
  const auto actor_binding = BindingFor(req.actor, task.role, task.org_unit_id);
  if (!actor_binding) return NotFound("task " + std::to_string(task.id) + " not found");
  if (!BindingFor(req.to, task.role, task.org_unit_id)) {
    return InvalidArgument(req.to.username + " does not hold " + task.role + " at this unit; " +
                               "a task can only go to a colleague with the same role there",
                           "to");
  }
  if (req.to.username == req.actor.username) {
    return InvalidArgument("a task cannot be delegated to yourself", "to");
  }
  const Micros now = ctx.clock->Now();
  TaskRecord updated = task;
  updated.state = TaskState::kClaimed;
  updated.claimed_by = req.to.username;
  updated.claimed_at = now;

  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(task.case_id));
  if (!found) return Internal("task " + std::to_string(task.id) + " belongs to no case");
  CaseRecord c = std::move(*found);
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = actor_binding->role;
  ev.org_unit_id = actor_binding->org_unit_id;
  ev.action = "delegate_task";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  nlohmann::json payload = {{"task", task.id}, {"kind", task.kind}, {"to", req.to.username},
                            {"version", c.version}};
  if (!req.comment.empty()) payload["comment"] = req.comment;
  ev.payload = payload.dump();
  AppendAudit(c, ev);
  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.update_tasks.push_back({task, updated});
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.updated_tasks.push_back(std::move(updated));
  return out;
}

}  // namespace jiuzhu
