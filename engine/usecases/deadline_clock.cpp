// The deadline clock (逾期督办): overdue marking and escalation up the tiers,
// supervisors' reassign and remind, and deadline recomputation after a
// calendar change. See supervision.hpp.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_transition.hpp"
#include "engine/usecases/supervision.hpp"

namespace jiuzhu {

PeopleIndex::PeopleIndex(const std::vector<UserRecord>& users) {
  for (const auto& u : users) {
    users_[u.username] = u;
    for (const auto& b : u.roles) by_binding_[b.role + "@" + b.org_unit_id].push_back(u.username);
  }
  for (auto& [key, names] : by_binding_) std::sort(names.begin(), names.end());
}

std::vector<std::string> PeopleIndex::Holding(const std::string& role,
                                              const std::string& unit_id) const {
  auto it = by_binding_.find(role + "@" + unit_id);
  return it == by_binding_.end() ? std::vector<std::string>{} : it->second;
}

const UserRecord* PeopleIndex::Find(const std::string& username) const {
  auto it = users_.find(username);
  return it == users_.end() ? nullptr : &it->second;
}

namespace {

std::string LocalDay(const EngineContext& ctx, Micros at) {
  return FormatCivilDate(LocalDate(at, ctx.calendar->zone()));
}

std::string TaskName(const EngineContext& ctx, const TaskRecord& t) {
  auto p = ctx.programmes->Find(t.programme);
  if (p.ok()) {
    if (const StageDef* s = (*p)->Stage(t.stage)) return (*p)->short_zh + "·" + s->task_name_zh;
  }
  return t.kind;
}

std::string UnitName(const EngineContext& ctx, const std::string& id) {
  const OrgUnitRecord* u = ctx.org->Find(id);
  return u ? u->name : id;
}

// The assignee, or everyone holding the task's role at its unit when unclaimed.
std::vector<std::string> AssigneeOrQueue(const PeopleIndex& people, const TaskRecord& t) {
  if (!t.claimed_by.empty()) return {t.claimed_by};
  return people.Holding(t.role, t.org_unit_id);
}

// The supervisors of the nearest unit strictly above `unit_id` that has any.
std::pair<std::string, std::vector<std::string>> ParentSupervisors(
    const EngineContext& ctx, const EscalationPolicy& policy, const PeopleIndex& people,
    const std::string& unit_id) {
  const OrgUnitRecord* u = ctx.org->Find(unit_id);
  while (u != nullptr && !u->parent_id.empty()) {
    u = ctx.org->Find(u->parent_id);
    if (u == nullptr) break;
    std::vector<std::string> names;
    for (const auto& role : policy.supervisor_roles()) {
      for (auto& n : people.Holding(role, u->id)) names.push_back(std::move(n));
    }
    if (!names.empty()) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      return {u->id, names};
    }
  }
  return {"", {}};
}

NotificationRecord Note(const EngineContext& ctx, const std::string& user, NotificationKind kind,
                        std::string title, std::string body, const TaskRecord& t, Micros now) {
  NotificationRecord n;
  n.id = ctx.id_gen->Next();
  n.username = user;
  n.kind = kind;
  n.title = std::move(title);
  n.body = std::move(body);
  n.task_id = t.id;
  n.case_id = t.case_id;
  n.created_at = now;
  return n;
}

nlohmann::json Names(const std::vector<NotificationRecord>& notes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& n : notes) a.push_back(n.username);
  return a;
}

// A system event on the case. Like every accepted change it moves the case
// version (the trail's seq and the version stay equal), so a form opened
// before it is answered with a conflict naming the new version.
AuditEventRecord SystemEvent(const std::string& action, CaseRecord& c, const std::string& unit_id,
                             Micros now, nlohmann::json payload) {
  c.version += 1;
  c.updated_at = now;
  payload["version"] = c.version;
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = kSystemActor;
  ev.role = "system";
  ev.org_unit_id = unit_id;
  ev.action = action;
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload = payload.dump();
  return ev;
}

// Fires `level` on `task` of case `c`; fills fx (except audit sealing).
Status FireLevel(const EngineContext& ctx, const EscalationPolicy& policy,
                 const PeopleIndex& people, int level, const CaseRecord& c, TaskRecord& task,
                 Micros now, CommandEffects& fx, std::string& action, nlohmann::json& payload) {
  const std::string name = TaskName(ctx, task);
  const std::string due_day = LocalDay(ctx, task.due_at);
  const int late = std::max(0, ctx.calendar->WorkingDaysBetween(task.due_at, now));
  payload = {{"task", task.id}, {"kind", task.kind}, {"level", level},
             {"due", FormatUtc(task.due_at)}, {"unit", task.org_unit_id}};
  if (level == kLevelOverdue) {
    action = "task_overdue";
    // The assignee and the queue: everyone who could pick the task up hears of it.
    std::vector<std::string> to = people.Holding(task.role, task.org_unit_id);
    if (!task.claimed_by.empty() && std::find(to.begin(), to.end(), task.claimed_by) == to.end()) {
      to.push_back(task.claimed_by);
    }
    for (const auto& u : to) {
      fx.insert_notifications.push_back(
          Note(ctx, u, NotificationKind::kOverdue, "任务已逾期：" + name + "（" + c.applicant_name + "）",
               "截止日期 " + due_day + "，已超期。请尽快办理。", task, now));
    }
  } else if (level == kLevelSupervisor) {
    action = "escalate_to_supervisor";
    auto [unit, sups] = ParentSupervisors(ctx, policy, people, task.org_unit_id);
    payload["supervisor_unit"] = unit;
    for (const auto& u : sups) {
      fx.insert_notifications.push_back(Note(
          ctx, u, NotificationKind::kEscalation,
          "逾期督办：" + UnitName(ctx, task.org_unit_id) + " " + name + "（" + c.applicant_name + "）",
          "截止日期 " + due_day + "，已逾期 " + std::to_string(late) + " 个工作日" +
              (task.claimed_by.empty() ? "，尚无人认领。" : "，经办人 " + task.claimed_by + "。"),
          task, now));
    }
  } else {
    action = "escalate_reassign";
    const EscalationRule& rule = policy.For(task.stage);
    const RoleDef* role = ctx.programmes->Role(rule.reassign_role);
    const OrgUnitRecord* here = ctx.org->Find(task.org_unit_id);
    const OrgUnitRecord* up =
        (role && here && !here->parent_id.empty()) ? ctx.org->AncestorAtTier(here->parent_id, role->tier)
                                                   : nullptr;
    if (up == nullptr) {
      payload["skipped"] = "no " + rule.reassign_role + " unit above " + task.org_unit_id;
    } else {
      payload["from_unit"] = task.org_unit_id;
      payload["from_role"] = task.role;
      payload["to_unit"] = up->id;
      payload["to_role"] = rule.reassign_role;
      if (!task.claimed_by.empty()) payload["released_from"] = task.claimed_by;
      task.org_unit_id = up->id;
      task.org_path = up->path;
      task.role = rule.reassign_role;
      task.state = TaskState::kOpen;
      task.claimed_by.clear();
      task.claimed_at = 0;
      for (const auto& u : people.Holding(task.role, task.org_unit_id)) {
        fx.insert_notifications.push_back(Note(
            ctx, u, NotificationKind::kReassigned,
            "逾期上交：" + name + "（" + c.applicant_name + "）",
            "原由 " + UnitName(ctx, payload["from_unit"].get<std::string>()) + " 办理，逾期 " +
                std::to_string(late) + " 个工作日，已上交 " + up->name + "。",
            task, now));
      }
    }
  }
  payload["notified"] = Names(fx.insert_notifications);
  return Status::Ok();
}

}  // namespace

Result<EscalationRun> EscalateDueTasks(const EngineContext& ctx, const EscalationPolicy& policy,
                                       const PeopleIndex& people, StoreTxn& txn, int limit) {
  const Micros now = ctx.clock->Now();
  EscalationRun run;
  JZ_ASSIGN_OR_RETURN(std::vector<TaskRecord> due, txn.ClaimDueTasks(now, limit));
  for (TaskRecord& before : due) {
    ++run.tasks;
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(before.case_id));
    if (!found) return Internal("task " + std::to_string(before.id) + " belongs to no case");
    CaseRecord c = std::move(*found);
    TaskRecord current = before;
    while (current.escalate_at > 0 && current.escalate_at <= now) {
      auto next = policy.NextLevel(current.stage, current.due_at, current.escalation_level,
                                   *ctx.calendar);
      TaskRecord after = current;
      CommandEffects fx;
      std::string action;
      nlohmann::json payload;
      if (next) {
        after.escalation_level = next->first;
        JZ_RETURN_IF_ERROR(
            FireLevel(ctx, policy, people, next->first, c, after, now, fx, action, payload));
        auto following = policy.NextLevel(after.stage, after.due_at, after.escalation_level,
                                          *ctx.calendar);
        after.escalate_at = following ? following->second : 0;
      } else {
        // No level left (the policy changed since): the clock stops for this task, and
        // the trail says so.
        after.escalate_at = 0;
        action = "escalation_stopped";
        payload = {{"task", current.id}, {"level", current.escalation_level}};
      }
      fx.update_tasks.push_back({current, after});
      const std::int64_t expected = c.version;
      AuditEventRecord ev = SystemEvent(action, c, current.org_unit_id, now, payload);
      AppendAudit(c, ev);
      fx.update_case = c;
      fx.expected_version = expected;
      fx.audit = ev;
      JZ_RETURN_IF_ERROR(txn.Apply(fx));
      for (auto& n : fx.insert_notifications) run.notifications.push_back(std::move(n));
      ++run.levels_fired;
      current = after;
    }
  }
  return run;
}

std::vector<std::string> SupervisedUnits(const EngineContext& ctx, const EscalationPolicy& policy,
                                         const UserRecord& actor) {
  std::vector<std::string> out;
  for (const auto& b : actor.roles) {
    if (std::find(policy.supervisor_roles().begin(), policy.supervisor_roles().end(), b.role) ==
        policy.supervisor_roles().end()) {
      continue;
    }
    if (ctx.org->Find(b.org_unit_id) && std::find(out.begin(), out.end(), b.org_unit_id) == out.end()) {
      out.push_back(b.org_unit_id);
    }
  }
  // Outermost first: shorter paths first.
  std::sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    return ctx.org->Find(a)->path.size() < ctx.org->Find(b)->path.size();
  });
  return out;
}

namespace {

// The task, locked, if the actor supervises its unit; kNotFound otherwise.
Result<TaskRecord> SupervisedTask(const EngineContext& ctx, const EscalationPolicy& policy,
                                  StoreTxn& txn, const UserRecord& actor, TaskId id) {
  JZ_ASSIGN_OR_RETURN(std::optional<TaskRecord> task, txn.LockTask(id));
  const Status not_found = NotFound("task " + std::to_string(id) + " not found");
  if (!task) return not_found;
  for (const auto& unit : SupervisedUnits(ctx, policy, actor)) {
    if (ctx.org->IsWithin(task->org_unit_id, unit)) {
      if (task->state == TaskState::kDone || task->state == TaskState::kCancelled) {
        return FailedPrecondition("task " + std::to_string(id) + " is already " +
                                  TaskStateName(task->state));
      }
      return *task;
    }
  }
  return not_found;
}

RoleBindingRecord SupervisorBinding(const EngineContext& ctx, const EscalationPolicy& policy,
                                    const UserRecord& actor, const TaskRecord& t) {
  for (const auto& b : actor.roles) {
    const auto& roles = policy.supervisor_roles();
    if (std::find(roles.begin(), roles.end(), b.role) != roles.end() &&
        ctx.org->IsWithin(t.org_unit_id, b.org_unit_id)) {
      return b;
    }
  }
  return {};
}

}  // namespace

Result<CommandOutcome> ReassignTask(const EngineContext& ctx, const EscalationPolicy& policy,
                                    const PeopleIndex& people, StoreTxn& txn,
                                    const ReassignRequest& req) {
  JZ_ASSIGN_OR_RETURN(TaskRecord task, SupervisedTask(ctx, policy, txn, req.actor, req.task_id));
  const std::vector<std::string> holders = people.Holding(task.role, task.org_unit_id);
  if (std::find(holders.begin(), holders.end(), req.to_user) == holders.end()) {
    const RoleDef* role = ctx.programmes->Role(task.role);
    return InvalidArgument(req.to_user + " does not hold " + (role ? role->name_zh : task.role) +
                               " at " + UnitName(ctx, task.org_unit_id),
                           "to_user");
  }
  if (task.state == TaskState::kClaimed && task.claimed_by == req.to_user) {
    return FailedPrecondition("task " + std::to_string(task.id) + " is already with " +
                              req.to_user);
  }
  if (req.reason.size() > 2000) return InvalidArgument("reason is too long (at most 2000 bytes)", "reason");
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(task.case_id));
  if (!found) return Internal("task " + std::to_string(task.id) + " belongs to no case");
  CaseRecord c = std::move(*found);
  const Micros now = ctx.clock->Now();
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  TaskRecord after = task;
  after.state = TaskState::kClaimed;
  after.claimed_by = req.to_user;
  after.claimed_at = now;

  const RoleBindingRecord binding = SupervisorBinding(ctx, policy, req.actor, task);
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = binding.role;
  ev.org_unit_id = binding.org_unit_id;
  ev.action = "reassign_task";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  nlohmann::json payload = {{"task", task.id}, {"kind", task.kind}, {"to", req.to_user},
                            {"from", task.claimed_by}, {"version", c.version}};
  if (!req.reason.empty()) payload["reason"] = req.reason;
  ev.payload = payload.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.update_tasks.push_back({task, after});
  fx.insert_notifications.push_back(
      Note(ctx, req.to_user, NotificationKind::kReassigned,
           "督办改派：" + TaskName(ctx, task) + "（" + c.applicant_name + "）",
           req.actor.display_name + " 将此任务改派给您" +
               (req.reason.empty() ? std::string("。") : "：" + req.reason),
           task, now));
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.updated_tasks.push_back(std::move(after));
  out.notifications = std::move(fx.insert_notifications);
  return out;
}

Result<RemindOutcome> RemindTask(const EngineContext& ctx, const EscalationPolicy& policy,
                                 const PeopleIndex& people, StoreTxn& txn,
                                 const RemindRequest& req) {
  JZ_ASSIGN_OR_RETURN(TaskRecord task, SupervisedTask(ctx, policy, txn, req.actor, req.task_id));
  if (req.message.size() > 2000) {
    return InvalidArgument("message is too long (at most 2000 bytes)", "message");
  }
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(task.case_id));
  if (!found) return Internal("task " + std::to_string(task.id) + " belongs to no case");
  CaseRecord c = std::move(*found);
  const Micros now = ctx.clock->Now();
  CommandEffects fx;
  for (const auto& u : AssigneeOrQueue(people, task)) {
    fx.insert_notifications.push_back(
        Note(ctx, u, NotificationKind::kReminder,
             "督办提醒：" + TaskName(ctx, task) + "（" + c.applicant_name + "）",
             req.message.empty() ? "截止日期 " + LocalDay(ctx, task.due_at) + "，请尽快办理。"
                                 : req.message,
             task, now));
  }
  if (fx.insert_notifications.empty()) {
    return FailedPrecondition("nobody holds " + task.role + " at " +
                              UnitName(ctx, task.org_unit_id) + " to remind");
  }
  const RoleBindingRecord binding = SupervisorBinding(ctx, policy, req.actor, task);
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = binding.role;
  ev.org_unit_id = binding.org_unit_id;
  ev.action = "remind_task";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  nlohmann::json payload = {{"task", task.id}, {"kind", task.kind},
                            {"notified", Names(fx.insert_notifications)}, {"version", c.version}};
  if (!req.message.empty()) payload["message"] = req.message;
  ev.payload = payload.dump();
  AppendAudit(c, ev);
  fx.update_case = c;
  fx.expected_version = expected;
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  RemindOutcome out;
  out.notifications = std::move(fx.insert_notifications);
  out.event = std::move(ev);
  return out;
}

Result<RecomputeRun> RecomputeDeadlines(const EngineContext& ctx, StoreTxn& txn,
                                        const std::string& reason, TaskId after_id, int limit) {
  const Micros now = ctx.clock->Now();
  RecomputeRun run;
  JZ_ASSIGN_OR_RETURN(std::vector<TaskRecord> tasks,
                      txn.ListActiveTasksDueAfter(now, after_id, limit));
  for (const TaskRecord& t : tasks) {
    run.last_id = t.id;
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(t.case_id));
    if (!found) continue;
    CaseRecord c = std::move(*found);
    auto programme = ctx.programmes->Find(t.programme);
    if (!programme.ok()) continue;
    const StageDef* stage = (*programme)->Stage(t.stage);
    if (stage == nullptr || t.escalation_level >= kLevelReassigned) continue;
    const Route route = t.stage == CaseState::kDiscover ? Route::kUndecided : c.route;
    const Micros due = ctx.calendar->AddWorkingDays(t.created_at, stage->DaysFor(route));
    Micros promised = c.promised_by;
    if (c.route != Route::kUndecided && (*programme)->routes.count(c.route)) {
      promised = ctx.calendar->AddWorkingDays(
          c.created_at, (*programme)->routes.at(c.route).promise_working_days);
    }
    if (due == t.due_at && promised == c.promised_by) continue;

    TaskRecord after = t;
    after.due_at = due;
    after.escalation_level = 0;
    after.escalate_at = due;
    CommandEffects fx;
    fx.update_tasks.push_back({t, after});
    if (t.referral_id != 0) {
      JZ_ASSIGN_OR_RETURN(std::vector<ReferralRecord> refs, txn.ListReferrals(c.id));
      for (ReferralRecord r : refs) {
        if (r.id == t.referral_id && r.status == ReferralStatus::kPending && r.due_at != due) {
          r.due_at = due;
          fx.update_referrals.push_back(r);
        }
      }
    }
    nlohmann::json payload = {{"task", t.id},         {"kind", t.kind},
                              {"old_due", FormatUtc(t.due_at)}, {"new_due", FormatUtc(due)},
                              {"reason", reason}};
    if (promised != c.promised_by) {
      payload["old_promised_by"] = FormatUtc(c.promised_by);
      payload["new_promised_by"] = FormatUtc(promised);
      c.promised_by = promised;
    }
    if (!t.claimed_by.empty() && due != t.due_at) {
      fx.insert_notifications.push_back(Note(
          ctx, t.claimed_by, NotificationKind::kDeadlineChanged,
          "截止日期调整：" + TaskName(ctx, t) + "（" + c.applicant_name + "）",
          "因" + reason + "，截止日期由 " + LocalDay(ctx, t.due_at) + " 调整为 " + LocalDay(ctx, due) + "。",
          t, now));
    }
    const std::int64_t expected = c.version;
    AuditEventRecord ev = SystemEvent("deadline_recomputed", c, t.org_unit_id, now, payload);
    AppendAudit(c, ev);
    fx.update_case = c;
    fx.expected_version = expected;
    fx.audit = ev;
    JZ_RETURN_IF_ERROR(txn.Apply(fx));
    for (auto& n : fx.insert_notifications) run.notifications.push_back(std::move(n));
    ++run.changed;
  }
  if (static_cast<int>(tasks.size()) < limit) run.last_id = 0;
  return run;
}

}  // namespace jiuzhu
