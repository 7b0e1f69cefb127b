#include <algorithm>

#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

Result<CommandOutcome> DiscoverCase(const EngineContext& ctx, StoreTxn& txn,
                                    const DiscoverRequest& req) {
  JZ_ASSIGN_OR_RETURN(const Programme* programme, ctx.programmes->Find(req.programme));
  const std::string id_number = NormalizeIdNumber(req.id_number);
  JZ_RETURN_IF_ERROR(ValidateIdNumber(id_number));
  const auto name_start = req.applicant_name.find_first_not_of(' ');
  if (name_start == std::string::npos) {
    return InvalidArgument("applicant name is required", "applicant_name");
  }
  if (req.applicant_name.size() > 120) {
    return InvalidArgument("applicant name is too long (at most 40 characters)", "applicant_name");
  }
  const OrgUnitRecord* village = ctx.org->Find(req.village_id);
  if (village == nullptr || village->tier != Tier::kVillage) {
    return InvalidArgument("unknown village or community \"" + req.village_id + "\"", "village");
  }
  std::optional<RoleBindingRecord> binding;
  for (const auto& rb : req.actor.roles) {
    const bool intake = std::find(programme->intake_roles.begin(), programme->intake_roles.end(),
                                  rb.role) != programme->intake_roles.end();
    if (intake && ctx.org->IsWithin(village->id, rb.org_unit_id)) {
      binding = rb;
      break;
    }
  }
  if (!binding) {
    return PermissionDenied(req.actor.username + " holds no intake role (" +
                            [&] {
                              std::string s;
                              for (const auto& r : programme->intake_roles) {
                                s += (s.empty() ? "" : ", ") + r;
                              }
                              return s;
                            }() +
                            ") at " + village->name + " or above it");
  }

  const std::string id_hash = ctx.ids->DedupHash(id_number);
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> existing, txn.FindOpenCaseByIdHash(id_hash));
  if (existing) {
    // 避免重复入户: the household is known; show it instead of a second case.
    CommandOutcome out;
    out.case_after = std::move(*existing);
    out.existing = true;
    return out;
  }

  const Micros now = ctx.clock->Now();
  CaseRecord c;
  c.id = ctx.id_gen->Next();
  c.programme = programme->code;
  c.state = CaseState::kDiscover;
  c.version = 1;
  c.applicant_name = req.applicant_name.substr(name_start);
  c.id_hash = id_hash;
  c.id_masked = MaskIdNumber(id_number);
  JZ_ASSIGN_OR_RETURN(c.id_cipher, ctx.ids->Encrypt(id_number));
  c.village_id = village->id;
  c.org_path = village->path;
  c.created_at = now;
  c.updated_at = now;

  const StageDef* stage = programme->Stage(CaseState::kDiscover);
  const OrgUnitRecord* unit = ctx.org->AncestorAtTier(village->id, stage->tier);
  if (unit == nullptr) {
    return Internal("programme " + programme->code + " routes intake to a tier with no unit above " +
                    village->id);
  }
  TaskRecord t;
  t.id = ctx.id_gen->Next();
  t.case_id = c.id;
  t.programme = c.programme;
  t.stage = CaseState::kDiscover;
  t.kind = stage->task_kind;
  t.role = stage->role;
  t.org_unit_id = unit->id;
  t.org_path = unit->path;
  t.created_at = now;
  t.due_at = ctx.calendar->AddWorkingDays(now, stage->DaysFor(Route::kUndecided));
  t.escalate_at = t.due_at;

  AuditEventRecord ev;
  ev.at = now;
  ev.actor = req.actor.username;
  ev.role = binding->role;
  ev.org_unit_id = binding->org_unit_id;
  ev.action = "discover";
  ev.from_state = "";
  ev.to_state = CaseStateName(CaseState::kDiscover);
  nlohmann::json payload = {{"programme", c.programme},
                            {"applicant_name", c.applicant_name},
                            {"id_masked", c.id_masked},
                            {"village", c.village_id},
                            {"source", req.source.empty() ? "staff" : req.source},
                            {"version", c.version},
                            {"tasks_opened", {{{"id", t.id}, {"kind", t.kind}, {"unit", t.org_unit_id}, {"due", FormatUtc(t.due_at)}}}}};
  if (!req.comment.empty()) payload["comment"] = req.comment;
  ev.payload = payload.dump();
  AppendAudit(c, ev);

  CommandEffects fx;
  fx.insert_case = c;
  fx.insert_tasks.push_back(t);
  fx.audit = ev;
  const Status applied = txn.Apply(fx);
  if (applied.code() == ErrorCode::kAlreadyExists) {
    // Several writers (MySQL): another report of this person opened a case
    // after our check above and committed first; the unique index refused
    // our insert (its statement alone is undone, nothing else was written).
    // The reporter is shown the winner, as if it had been there all along.
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> winner, txn.FindOpenCaseByIdHash(id_hash));
    if (winner) {
      CommandOutcome out;
      out.case_after = std::move(*winner);
      out.existing = true;
      return out;
    }
  }
  JZ_RETURN_IF_ERROR(applied);
  CommandOutcome out;
  out.case_after = std::move(c);
  out.event = std::move(ev);
  out.opened_tasks.push_back(std::move(t));
  return out;
}

}  // namespace jiuzhu
