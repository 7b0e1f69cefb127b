// 监测预警: alerts from data-comparison and sensor feeds, matched to the
// household by its ID-number hash; a match opens a reassessment task.
#include <algorithm>

#include "engine/identity/id_number.hpp"
#include "engine/usecases/case_transition.hpp"
#include "engine/usecases/monitoring.hpp"

namespace jiuzhu {

const std::vector<std::string> kAlertKinds = {"large_medical_expense", "abnormal_utilities",
                                              "death_record", "new_vehicle", "new_company"};

namespace {

// The first problem of the alert's content, as kInvalidArgument naming the field.
Status ValidateAlert(const AlertRequest& req, std::string* normalized_id) {
  if (!req.problem.empty()) return InvalidArgument(req.problem, req.problem_field);
  if (req.source.empty() || req.source.size() > 64) {
    return InvalidArgument("source must name the feed (1 to 64 bytes)", "source");
  }
  if (std::find(kAlertKinds.begin(), kAlertKinds.end(), req.kind) == kAlertKinds.end()) {
    return InvalidArgument(
        "kind must be one of large_medical_expense, abnormal_utilities, "
        "death_record, new_vehicle, new_company",
        "kind");
  }
  *normalized_id = NormalizeIdNumber(req.id_number);
  if (Status s = ValidateIdNumber(*normalized_id); !s.ok()) {
    return InvalidArgument(s.message(), "id_number");
  }
  if (!req.occurred_on.empty() && !ParseCivilDate(req.occurred_on).ok()) {
    return InvalidArgument("occurred_on must be a date YYYY-MM-DD", "occurred_on");
  }
  if (!req.details.is_object()) return InvalidArgument("details must be a JSON object", "details");
  return Status::Ok();
}

}  // namespace

Result<AlertOutcome> ReceiveAlert(const EngineContext& ctx, StoreTxn& txn,
                                  const AlertRequest& req) {
  std::optional<RoleBindingRecord> feed;
  for (const auto& rb : req.actor.roles) {
    if (rb.role == kDataFeedRole) feed = rb;
  }
  if (!feed) {
    return PermissionDenied("alerts come from data feeds; " + req.actor.username +
                            " holds no data_feed role");
  }
  const Micros now = ctx.clock->Now();
  AlertOutcome out;
  AlertRecord& a = out.alert;
  a.id = ctx.id_gen->Next();
  a.received_at = now;
  a.received_by = req.actor.username;
  a.source = req.source.substr(0, 255);
  a.kind = req.kind.substr(0, 64);
  a.payload = req.raw.substr(0, 1 << 20);

  std::string id_number;
  out.problem = ValidateAlert(req, &id_number);
  if (!out.problem.ok()) {
    a.status = AlertStatus::kMalformed;
    a.error =
        (out.problem.field().empty() ? "" : out.problem.field() + ": ") + out.problem.message();
    JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
    return out;
  }
  a.id_hash = ctx.ids->DedupHash(id_number);
  a.id_masked = MaskIdNumber(id_number);
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> found, txn.FindOpenCaseByIdHash(a.id_hash));
  if (!found) {
    a.status = AlertStatus::kUnmatched;
    JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
    return out;
  }

  // The open case: a reassessment task for the stage that assesses.
  CaseRecord c = std::move(*found);
  JZ_ASSIGN_OR_RETURN(const Programme* programme, ctx.programmes->Find(c.programme));
  const StageDef* stage = programme->Stage(CaseState::kAssess);
  const OrgUnitRecord* unit = stage ? ctx.org->AncestorAtTier(c.village_id, stage->tier) : nullptr;
  if (unit == nullptr) {
    return Internal("programme " + c.programme + " names no assess-stage unit above village " +
                    c.village_id);
  }
  TaskRecord t;
  t.id = ctx.id_gen->Next();
  t.case_id = c.id;
  t.programme = c.programme;
  t.stage = c.state;
  t.kind = kAlertReassessmentKind;
  t.role = stage->role;
  t.org_unit_id = unit->id;
  t.org_path = unit->path;
  t.state = TaskState::kOpen;
  t.created_at = now;
  t.due_at = ctx.calendar->AddWorkingDays(now, stage->DaysFor(c.route));
  t.escalate_at = t.due_at;

  const std::int64_t expected = c.version;
  c.version += 1;
  c.updated_at = now;
  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = feed->role;
  ev.org_unit_id = feed->org_unit_id;
  ev.action = "alert_received";
  ev.from_state = CaseStateName(c.state);
  ev.to_state = CaseStateName(c.state);
  ev.payload =
      nlohmann::json{
          {"alert", std::to_string(a.id)},  {"kind", a.kind},         {"source", a.source},
          {"occurred_on", req.occurred_on}, {"details", req.details}, {"task", t.id},
          {"due", FormatUtc(t.due_at)},     {"version", c.version}}
          .dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.update_case = c;
  fx.expected_version = expected;
  fx.insert_tasks.push_back(t);
  fx.audit = ev;
  JZ_RETURN_IF_ERROR(txn.Apply(fx));
  a.status = AlertStatus::kMatched;
  a.case_id = c.id;
  a.task_id = t.id;
  JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
  CommandOutcome command;
  command.case_after = std::move(c);
  command.event = std::move(ev);
  command.opened_tasks.push_back(std::move(t));
  out.command = std::move(command);
  return out;
}

}  // namespace jiuzhu
