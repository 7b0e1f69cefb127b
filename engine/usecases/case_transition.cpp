#include "engine/usecases/case_transition.hpp"

#include <algorithm>

#include "engine/access/access_policy.hpp"
#include "engine/audit/audit_chain.hpp"
#include "engine/deadlines/escalation_policy.hpp"
#include "engine/usecases/alerts.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu {

namespace {

// The stage whose task role issues `event` by default.
CaseState AuthorityStage(CaseEvent event, CaseState current) {
  switch (event) {
    case CaseEvent::kAccept: return CaseState::kDiscover;
    case CaseEvent::kAssess: return CaseState::kAssess;
    case CaseEvent::kPledge:
    case CaseEvent::kChooseOrdinary: return CaseState::kCommit;
    case CaseEvent::kCompleteReview: return CaseState::kReview;
    case CaseEvent::kApprove:
    case CaseEvent::kSendBack: return CaseState::kApprove;
    case CaseEvent::kRefer: return CaseState::kRefer;
    case CaseEvent::kFeedback: return CaseState::kFeedback;
    default: return current;
  }
}

struct Authority {
  std::string role;
  std::string unit_id;
};

// Every (role, unit) that may issue `event` on `c`; empty if the data names
// none that resolves (a configuration gap, reported as such).
std::vector<Authority> Authorities(const EngineContext& ctx, const Programme& p,
                                   const CaseRecord& c, CaseEvent event,
                                   const std::vector<ReferralRecord>& referrals,
                                   const std::string& department) {
  std::vector<Authority> out;
  auto it = p.event_roles.find(event);
  if (it != p.event_roles.end()) {
    for (const auto& a : it->second) {
      if (!a.in_states.empty() &&
          std::find(a.in_states.begin(), a.in_states.end(), c.state) == a.in_states.end()) {
        continue;
      }
      if (const OrgUnitRecord* u = ctx.org->AncestorAtTier(c.village_id, a.tier)) {
        out.push_back({a.role, u->id});
      }
    }
    if (!out.empty()) return out;
  }
  const StageDef* stage = p.Stage(AuthorityStage(event, c.state));
  if (stage == nullptr) return out;
  if (stage->tier == Tier::kDepartment) {
    for (const auto& r : referrals) {
      // A department that already answered still gets the lifecycle's
      // "nothing pending" refusal rather than a permission error.
      if (department.empty() ? r.status == ReferralStatus::kPending
                             : r.department_code == department) {
        out.push_back({stage->role, r.department_unit_id});
      }
    }
  } else if (const OrgUnitRecord* u = ctx.org->AncestorAtTier(c.village_id, stage->tier)) {
    out.push_back({stage->role, u->id});
  }
  return out;
}

std::string DescribeAuthorities(const EngineContext& ctx, const std::vector<Authority>& as) {
  std::string s;
  for (const auto& a : as) {
    const OrgUnitRecord* u = ctx.org->Find(a.unit_id);
    const RoleDef* r = ctx.programmes->Role(a.role);
    if (!s.empty()) s += " or ";
    s += (r ? r->name_zh : a.role) + " (" + a.role + ") at " + (u ? u->name : a.unit_id);
  }
  return s.empty() ? "a role the programme data does not define" : s;
}

TaskRecord NewTask(const EngineContext& ctx, const CaseRecord& c, const StageDef& stage,
                   const std::string& unit_id, Micros now) {
  return OpenTask(ctx, c, stage.stage, stage.task_kind, stage.role, unit_id,
                  stage.DaysFor(c.route), now);
}

}  // namespace

Result<CommandOutcome> NoteOnCase(const EngineContext& ctx, StoreTxn& txn, CaseId case_id,
                                  const RoleBindingRecord& binding, const std::string& actor,
                                  const std::string& action, nlohmann::json payload,
                                  std::vector<TaskUpdate> updates, std::vector<TaskRecord> inserts,
                                  Micros now) {
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(case_id));
  if (!found) return Internal("post-audit item names case " + std::to_string(case_id) +
                              ", which does not exist");
  CaseRecord c = std::move(*found);
  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  payload["version"] = c.version;
  if (!inserts.empty()) {
    nlohmann::json opened = nlohmann::json::array();
    for (const auto& t : inserts) {
      opened.push_back({{"id", std::to_string(t.id)}, {"kind", t.kind}, {"unit", t.org_unit_id},
                        {"due", FormatUtc(t.due_at)}});
    }
    payload["tasks_opened"] = opened;
  }
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = actor;
  ev.role = binding.role;
  ev.org_unit_id = binding.org_unit_id;
  ev.action = action;
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload = payload.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.update_tasks = std::move(updates);
  fx.insert_tasks = std::move(inserts);
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.opened_tasks = fx.insert_tasks;
  for (const auto& u : fx.update_tasks) out.updated_tasks.push_back(u.after);
  return out;
}

TaskRecord OpenTask(const EngineContext& ctx, const CaseRecord& c, CaseState stage,
                    const std::string& kind, const std::string& role, const std::string& unit_id,
                    int working_days, Micros now) {
  TaskRecord t;
  t.id = ctx.id_gen->Next();
  t.case_id = c.id;
  t.programme = c.programme;
  t.stage = stage;
  t.kind = kind;
  t.role = role;
  t.org_unit_id = unit_id;
  const OrgUnitRecord* u = ctx.org->Find(unit_id);
  t.org_path = u ? u->path : std::string();
  t.state = TaskState::kOpen;
  t.created_at = now;
  t.due_at = ctx.calendar->AddWorkingDays(now, working_days);
  t.escalate_at = t.due_at;  // the deadline clock's first level fires at the due time
  return t;
}

nlohmann::json DecisionFacts(const CaseRecord& c) {
  nlohmann::json facts = {{"route", RouteName(c.route)}, {"pool", PoolName(c.pool)}};
  for (const auto& [key, text] : {std::pair{"assessment", &c.assessment_json},
                                  std::pair{"pledge", &c.pledge_json}}) {
    if (text->empty()) continue;
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    facts[key] = j.is_discarded() ? nlohmann::json(*text) : j;
  }
  return facts;
}

TaskUpdate TaskDoneBy(const TaskRecord& t, const std::string& actor, const std::string& outcome,
                      Micros now) {
  TaskRecord closed = t;
  closed.state = TaskState::kDone;
  closed.completed_at = now;
  closed.escalate_at = 0;
  closed.outcome = outcome;
  if (closed.claimed_by.empty()) {
    closed.claimed_by = actor;
    closed.claimed_at = now;
  }
  return {t, closed};
}

bool IsSideTask(const TaskRecord& t) { return IsPostAuditTask(t) || t.kind == kTaskAlertReview; }

Status CaseNotFound(CaseId id) { return NotFound("case " + std::to_string(id) + " not found"); }

void AppendAudit(CaseRecord& c, AuditEventRecord& event) {
  event.case_id = c.id;
  SealAuditEvent(event, c.audit_head_seq, c.audit_head_hash);
  c.audit_head_seq = event.seq;
  c.audit_head_hash = event.hash;
}

Result<CommandOutcome> RunCaseEvent(const EngineContext& ctx, StoreTxn& txn,
                                    const CaseCommand& cmd, CaseChange change) {
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.LockCase(cmd.case_id));
  if (!found) return CaseNotFound(cmd.case_id);
  CaseRecord before = std::move(*found);
  JZ_ASSIGN_OR_RETURN(std::vector<ReferralRecord> referrals, txn.ListReferrals(before.id));
  if (!ActorSeesCase(*ctx.org, cmd.actor, before, referrals)) return CaseNotFound(cmd.case_id);
  if (cmd.expected_version && *cmd.expected_version != before.version) {
    return Conflict("case " + std::to_string(before.id) + " is at version " +
                    std::to_string(before.version) + " (state " + CaseStateName(before.state) +
                    "), not " + std::to_string(*cmd.expected_version) + "; reload and retry");
  }
  JZ_ASSIGN_OR_RETURN(const Programme* programme, ctx.programmes->Find(before.programme));

  // Authority: the actor must hold one of the (role, unit) pairs that may
  // issue this event on this case now.
  JZ_ASSIGN_OR_RETURN(std::vector<TaskRecord> active, txn.ListActiveTasks(before.id));
  auto authorities =
      Authorities(ctx, *programme, before, change.event, referrals, change.answering_department);
  // A stage task the deadline clock moved up a tier (engine/deadlines) is worked where it is now.
  for (const auto& t : active) {
    if (t.escalation_level >= kLevelReassigned && t.stage == before.state && !IsSideTask(t)) {
      authorities.push_back({t.role, t.org_unit_id});
    }
  }
  std::optional<RoleBindingRecord> binding;
  for (const auto& a : authorities) {
    if ((binding = BindingFor(cmd.actor, a.role, a.unit_id))) break;
  }
  if (!binding) {
    if (IsTerminal(before.state) || authorities.empty()) {
      // Let the lifecycle name the real problem: nothing is allowed any more,
      // or nobody may issue the event on this case at all (feedback from a
      // department the case was never referred to: "does not answer a
      // pending referral", not a permission the data fails to define).
      JZ_RETURN_IF_ERROR(ctx.lifecycle->Next(before.state, change.event, change.facts).status());
    }
    return PermissionDenied(std::string("'") + CaseEventName(change.event) + "' on case " +
                            std::to_string(before.id) + " in state '" +
                            CaseStateName(before.state) + "' needs " +
                            DescribeAuthorities(ctx, authorities) + "; " + cmd.actor.username +
                            " holds none of these");
  }

  const Micros now = ctx.clock->Now();
  CaseRecord after = before;
  if (change.mutate) JZ_RETURN_IF_ERROR(change.mutate(after, change.payload));

  // Facts the guards read from the case.
  GuardFacts facts = change.facts;
  facts.has_assessment = !after.assessment_json.empty();
  facts.referrals_pending = 0;
  for (const auto& r : referrals) {
    facts.referrals_pending += r.status == ReferralStatus::kPending;
  }
  ReferralRecord* answered = nullptr;
  if (change.event == CaseEvent::kFeedback) {
    for (auto& r : referrals) {
      if (r.department_code == change.answering_department &&
          r.status == ReferralStatus::kPending) {
        answered = &r;
      }
    }
    facts.answering_pending_referral = answered != nullptr;
  }
  if (change.event == CaseEvent::kRefer) {
    facts.referrals_requested = static_cast<int>(change.new_referrals.size());
  }
  JZ_ASSIGN_OR_RETURN(const CaseState next, ctx.lifecycle->Next(before.state, change.event, facts));

  if (change.event == CaseEvent::kPledge) after.route = Route::kFastTrack;
  if (change.event == CaseEvent::kChooseOrdinary) after.route = Route::kOrdinary;
  if (after.route != before.route) {
    after.promised_by = ctx.calendar->AddWorkingDays(
        after.created_at, programme->routes.at(after.route).promise_working_days);
  }
  if (change.event == CaseEvent::kApprove || change.event == CaseEvent::kReject) {
    after.decided_at = now;
  }
  after.state = next;
  after.version = before.version + 1;
  after.updated_at = now;

  CommandEffects fx;
  CommandOutcome out;

  // Close tasks: leaving a stage closes all of its tasks (done if worked by
  // this actor's role, cancelled otherwise); an answer closes its referral's task.
  const bool stage_changes = next != before.state;
  for (auto& t : active) {
    // Side tasks (post-audit, alert review) follow their own work, not the stage; only the
    // end of the case closes them, or the command that completes one of them.
    const bool side_done = change.completes_task != 0 && t.id == change.completes_task;
    bool close = side_done || (stage_changes && (!IsSideTask(t) || IsTerminal(next)));
    if (change.event == CaseEvent::kFeedback) close = side_done || (answered && t.referral_id == answered->id);
    if (!close) continue;
    const bool worked = side_done || (t.role == binding->role && t.org_unit_id == binding->org_unit_id);
    if (worked && t.state == TaskState::kClaimed && t.claimed_by != cmd.actor.username) {
      return Conflict("task " + std::to_string(t.id) + " is claimed by " + t.claimed_by +
                      "; they must complete or release it first");
    }
    TaskRecord closed = t;
    closed.state = worked ? TaskState::kDone : TaskState::kCancelled;
    closed.completed_at = now;
    closed.escalate_at = 0;  // a closed task leaves the deadline clock
    closed.outcome = worked ? CaseEventName(change.event)
                            : std::string("cancelled: ") + CaseEventName(change.event);
    if (worked && closed.claimed_by.empty()) {
      closed.claimed_by = cmd.actor.username;
      closed.claimed_at = now;
    }
    fx.update_tasks.push_back({t, closed});
    out.updated_tasks.push_back(closed);
  }

  // Referrals: answer one, or open new ones with their feedback tasks.
  if (answered) {
    ReferralRecord r = *answered;
    r.status = ReferralStatus::kAnswered;
    r.answered_at = now;
    if (change.answer) change.answer(r);
    fx.update_referrals.push_back(r);
  }
  if (!change.new_referrals.empty()) {
    const StageDef* fb = programme->Stage(CaseState::kFeedback);
    for (const auto& spec : change.new_referrals) {
      for (const auto& r : referrals) {
        if (r.department_code == spec.department_code && r.status == ReferralStatus::kPending) {
          return InvalidArgument("department " + spec.department_code +
                                     " already has a referral of this case without an answer",
                                 "referrals");
        }
      }
      const OrgUnitRecord* dept = ctx.org->FindDepartment(after.village_id, spec.department_code);
      if (dept == nullptr) {
        return InvalidArgument("no department \"" + spec.department_code +
                                   "\" serves this household's district or city",
                               "referrals");
      }
      ReferralRecord r;
      r.id = ctx.id_gen->Next();
      r.case_id = after.id;
      r.department_code = spec.department_code;
      r.department_unit_id = dept->id;
      r.note = spec.note;
      // A policy's department promises an answer within its feedback days
      // (workflows/policies.json); several policies: the soonest.
      int days = fb->DaysFor(after.route);
      for (size_t i = 0; i < spec.policies.size(); ++i) {
        const Policy* p = ctx.policies ? ctx.policies->Find(spec.policies[i]) : nullptr;
        if (p == nullptr) return InvalidArgument("unknown policy " + spec.policies[i], "referrals");
        days = i == 0 ? p->feedback_working_days : std::min(days, p->feedback_working_days);
        r.policies += (i == 0 ? "" : ",") + spec.policies[i];
      }
      r.requested_at = now;
      r.due_at = ctx.calendar->AddWorkingDays(now, days);
      TaskRecord t = NewTask(ctx, after, *fb, dept->id, now);
      t.referral_id = r.id;
      t.due_at = r.due_at;
      t.escalate_at = t.due_at;
      fx.insert_referrals.push_back(r);
      fx.insert_tasks.push_back(t);
    }
  }

  // Open the next stage's task (feedback tasks come from referrals above).
  if (stage_changes && !IsTerminal(next) && next != CaseState::kFeedback) {
    const StageDef* stage = programme->Stage(next);
    const OrgUnitRecord* unit = stage ? ctx.org->AncestorAtTier(after.village_id, stage->tier)
                                      : nullptr;
    if (unit == nullptr) {
      return Internal(std::string("programme ") + programme->code + " routes stage " +
                      CaseStateName(next) + " to a tier with no unit above village " +
                      after.village_id);
    }
    fx.insert_tasks.push_back(NewTask(ctx, after, *stage, unit->id, now));
  }
  out.opened_tasks = fx.insert_tasks;

  AuditEventRecord ev;
  ev.at = now;
  ev.actor = cmd.actor.username;
  ev.role = binding->role;
  ev.org_unit_id = binding->org_unit_id;
  ev.action = CaseEventName(change.event);
  ev.from_state = CaseStateName(before.state);
  ev.to_state = CaseStateName(next);
  nlohmann::json payload = std::move(change.payload);
  if (!cmd.comment.empty()) payload["comment"] = cmd.comment;
  payload["version"] = after.version;
  if (after.route != before.route) payload["route"] = RouteName(after.route);
  if (after.pool != before.pool) payload["pool"] = PoolName(after.pool);
  if (change.event == CaseEvent::kApprove || change.event == CaseEvent::kReject ||
      change.event == CaseEvent::kSendBack || change.event == CaseEvent::kRevoke) {
    // 容错免责: a decision carries the facts it was taken on, sealed in its own event, so a
    // good-faith decision can be shown later exactly as the decider saw the case.
    payload["facts"] = DecisionFacts(before);
  }
  nlohmann::json opened = nlohmann::json::array();
  for (const auto& t : fx.insert_tasks) opened.push_back({{"id", t.id}, {"kind", t.kind}, {"unit", t.org_unit_id}, {"due", FormatUtc(t.due_at)}});
  if (!opened.empty()) payload["tasks_opened"] = opened;
  ev.payload = payload.dump();
  AppendAudit(after, ev);

  fx.update_case = after;
  fx.expected_version = before.version;
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  out.case_after = std::move(after);
  out.event = std::move(ev);
  return out;
}

}  // namespace jiuzhu
