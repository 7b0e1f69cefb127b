// 一季度一访问: the quarterly revisit of households in the relief and
// monitoring pools, and the visit record that may move the household
// between pools.
#include <algorithm>

#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_transition.hpp"
#include "engine/usecases/monitoring.hpp"

namespace jiuzhu {

Quarter QuarterOf(const CivilDate& d) {
  Quarter q;
  q.year = d.year;
  q.number = (d.month - 1) / 3 + 1;
  q.first = {d.year, (q.number - 1) * 3 + 1, 1};
  q.next_first =
      q.number == 4 ? CivilDate{d.year + 1, 1, 1} : CivilDate{d.year, q.number * 3 + 1, 1};
  return q;
}

std::string Quarter::Key() const { return std::to_string(year) + "Q" + std::to_string(number); }

bool NeedsQuarterlyRevisit(const CaseRecord& c) {
  if (c.state == CaseState::kMonitor) return c.pool == Pool::kRelief || c.pool == Pool::kMonitoring;
  // Refused for now but close to the line: the monitoring pool keeps watching.
  return c.state == CaseState::kRejected && c.pool == Pool::kMonitoring;
}

Result<std::optional<CommandOutcome>> ScheduleQuarterlyRevisit(const EngineContext& ctx,
                                                               StoreTxn& txn, CaseId case_id) {
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(case_id));
  if (!found || !NeedsQuarterlyRevisit(*found)) return std::optional<CommandOutcome>();
  CaseRecord c = std::move(*found);
  const Micros now = ctx.clock->Now();
  const Quarter quarter = QuarterOf(LocalDate(now, ctx.calendar->zone()));
  JZ_ASSIGN_OR_RETURN(std::optional<RevisitRecord> done, txn.FindRevisit(c.id_hash, quarter.Key()));
  if (done) return std::optional<CommandOutcome>();

  JZ_ASSIGN_OR_RETURN(const Programme* programme, ctx.programmes->Find(c.programme));
  const StageDef* stage = programme->Stage(CaseState::kMonitor);
  const OrgUnitRecord* unit = stage ? ctx.org->AncestorAtTier(c.village_id, stage->tier) : nullptr;
  if (unit == nullptr) {
    return Internal("programme " + c.programme + " names no monitor-stage unit above village " +
                    c.village_id);
  }
  TaskRecord t;
  t.id = ctx.id_gen->Next();
  t.case_id = c.id;
  t.programme = c.programme;
  t.stage = c.state;
  t.kind = kQuarterlyVisitKind;
  t.role = stage->role;
  t.org_unit_id = unit->id;
  t.org_path = unit->path;
  t.state = TaskState::kOpen;
  t.created_at = now;
  // Due by the end of the quarter (its last local day, 23:59:59.999999).
  t.due_at = StartOfLocalDay(quarter.next_first, ctx.calendar->zone()) - 1;
  t.escalate_at = t.due_at;

  RevisitRecord revisit{c.id_hash, quarter.Key(), c.id, t.id, now};
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = kSchedulerActor;
  ev.role = "system";
  ev.org_unit_id = unit->id;
  ev.action = "revisit_scheduled";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload = nlohmann::json{
      {"task", t.id},
      {"kind", t.kind},
      {"quarter", quarter.Key()},
      {"pool", PoolName(c.pool)},
      {"due", FormatUtc(t.due_at)},
      {"version",
       c.version}}.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.insert_tasks.push_back(t);
  fx.insert_revisits.push_back(revisit);
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.opened_tasks.push_back(std::move(t));
  return std::optional<CommandOutcome>(std::move(out));
}

Result<CommandOutcome> RecordVisit(const EngineContext& ctx, StoreTxn& txn,
                                   const VisitRequest& req) {
  JZ_ASSIGN_OR_RETURN(std::optional<TaskRecord> task, txn.LockTask(req.task_id));
  std::optional<RoleBindingRecord> binding;
  if (task) binding = BindingFor(req.actor, task->role, task->org_unit_id);
  if (!task || !binding) return NotFound("task " + std::to_string(req.task_id) + " not found");
  if (task->kind != kQuarterlyVisitKind) {
    return InvalidArgument(
        "task " + std::to_string(task->id) + " is a " + task->kind + " task, not a quarterly visit",
        "task");
  }
  if (task->state == TaskState::kDone || task->state == TaskState::kCancelled) {
    return FailedPrecondition("task " + std::to_string(task->id) + " is already " +
                              TaskStateName(task->state));
  }
  if (task->state == TaskState::kClaimed && task->claimed_by != req.actor.username) {
    return Conflict("task " + std::to_string(task->id) + " is claimed by " + task->claimed_by);
  }
  const Micros now = ctx.clock->Now();
  auto visited = ParseCivilDate(req.visited_on);
  if (!visited.ok()) return InvalidArgument("visit date must be YYYY-MM-DD", "visited_on");
  if (LocalDate(now, ctx.calendar->zone()) < *visited) {
    return InvalidArgument("the visit date " + req.visited_on + " is in the future", "visited_on");
  }
  if (*visited < LocalDate(task->created_at, ctx.calendar->zone())) {
    return InvalidArgument("the visit date " + req.visited_on + " is before the task was opened",
                           "visited_on");
  }
  if (req.findings.find_first_not_of(" \t\n") == std::string::npos) {
    return InvalidArgument("say what the visit found", "findings");
  }
  if (req.findings.size() > 4000)
    return InvalidArgument("findings are too long (at most 4000 bytes)", "findings");
  if (req.photos.size() > 20) return InvalidArgument("at most 20 photo references", "photos");
  for (const auto& p : req.photos) {
    if (p.empty() || p.size() > 512) {
      return InvalidArgument("each photo reference must be 1 to 512 characters", "photos");
    }
  }
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(task->case_id));
  if (!found) return Internal("task " + std::to_string(task->id) + " belongs to no case");
  CaseRecord c = std::move(*found);
  if (req.expected_version && *req.expected_version != c.version) {
    return Conflict("case " + std::to_string(c.id) + " is at version " + std::to_string(c.version) +
                    ", not " + std::to_string(*req.expected_version) + "; reload and retry");
  }
  const Pool before = c.pool;
  if (req.new_pool) {
    if (*req.new_pool == Pool::kNone)
      return InvalidArgument("pick relief, monitoring or general", "pool");
    if (*req.new_pool != before && req.reason.find_first_not_of(" \t\n") == std::string::npos) {
      return InvalidArgument("moving the household to another pool needs a reason", "reason");
    }
    c.pool = *req.new_pool;
  }
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  const TaskUpdate close = TaskDoneBy(*task, req.actor.username, "record_visit", now);
  nlohmann::json payload = {{"task", task->id},
                            {"visited_on", req.visited_on},
                            {"findings", req.findings},
                            {"photos", req.photos},
                            {"version", c.version}};
  if (c.pool != before) {
    payload["pool"] = PoolName(c.pool);
    payload["pool_from"] = PoolName(before);
    payload["reason"] = req.reason;
  }
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = binding->role;
  ev.org_unit_id = binding->org_unit_id;
  ev.action = "record_visit";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload = payload.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.update_tasks.push_back(close);
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.updated_tasks.push_back(close.after);
  return out;
}

}  // namespace jiuzhu
