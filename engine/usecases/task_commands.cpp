// Claiming and releasing tasks (认领 / 退回). Each is a command on the task's
// case: it bumps the case version and appends an audit event, so the trail
// shows who held which task when.
#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

namespace {

Result<CommandOutcome> ChangeClaim(const EngineContext& ctx, StoreTxn& txn, const TaskCommand& cmd,
                                   bool claim) {
  JZ_ASSIGN_OR_RETURN(std::optional<TaskRecord> task, txn.LockTask(cmd.task_id));
  const auto binding = task ? BindingFor(cmd.actor, task->role, task->org_unit_id)
                            : std::optional<RoleBindingRecord>();
  if (!task || !binding) return NotFound("task " + std::to_string(cmd.task_id) + " not found");
  if (task->state == TaskState::kDone || task->state == TaskState::kCancelled) {
    return FailedPrecondition("task " + std::to_string(task->id) + " is already " +
                              TaskStateName(task->state));
  }
  const Micros now = ctx.clock->Now();
  TaskRecord updated = *task;
  if (claim) {
    if (task->state == TaskState::kClaimed) {
      return Conflict("task " + std::to_string(task->id) + " is already claimed by " +
                      (task->claimed_by == cmd.actor.username ? std::string("you")
                                                              : task->claimed_by));
    }
    updated.state = TaskState::kClaimed;
    updated.claimed_by = cmd.actor.username;
    updated.claimed_at = now;
  } else {
    if (task->state != TaskState::kClaimed || task->claimed_by != cmd.actor.username) {
      return Conflict("task " + std::to_string(task->id) + " is not claimed by you");
    }
    updated.state = TaskState::kOpen;
    updated.claimed_by.clear();
    updated.claimed_at = 0;
  }

  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(task->case_id));
  if (!found) return Internal("task " + std::to_string(task->id) + " belongs to no case");
  CaseRecord c = std::move(*found);
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = cmd.actor.username;
  ev.role = binding->role;
  ev.org_unit_id = binding->org_unit_id;
  ev.action = claim ? "claim_task" : "release_task";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload = nlohmann::json{{"task", task->id}, {"kind", task->kind}, {"version", c.version}}.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.update_tasks.push_back({*task, updated});
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.updated_tasks.push_back(std::move(updated));
  return out;
}

}  // namespace

Result<CommandOutcome> ClaimTask(const EngineContext& ctx, StoreTxn& txn, const TaskCommand& cmd) {
  return ChangeClaim(ctx, txn, cmd, true);
}

Result<CommandOutcome> ReleaseTask(const EngineContext& ctx, StoreTxn& txn,
                                   const TaskCommand& cmd) {
  return ChangeClaim(ctx, txn, cmd, false);
}

}  // namespace jiuzhu
