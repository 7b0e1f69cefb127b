#include "engine/usecases/post_audit.hpp"

#include <algorithm>
#include <set>

#include "engine/access/access_policy.hpp"
#include "engine/sampling/seed.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

namespace {

constexpr const char kAuditorRole[] = "auditor";
constexpr const char kStreetRole[] = "street_reviewer";
constexpr const char kDistrictRole[] = "district_approver";
constexpr size_t kMaxText = 4000;

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

bool PathWithin(const std::string& path, const std::string& prefix) {
  return path.size() >= prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
}

// The actor's binding of `role` at a unit whose subtree holds `path`.
std::optional<RoleBindingRecord> BindingCovering(const EngineContext& ctx, const UserRecord& actor,
                                                 const std::string& role, const std::string& path) {
  for (const auto& b : actor.roles) {
    if (b.role != role) continue;
    const OrgUnitRecord* u = ctx.org->Find(b.org_unit_id);
    if (u != nullptr && PathWithin(path, u->path)) return b;
  }
  return std::nullopt;
}

Tier RoleTier(const EngineContext& ctx, const std::string& role, Tier fallback) {
  const RoleDef* r = ctx.programmes->Role(role);
  return r ? r->tier : fallback;
}

const PostAuditRule& RuleFor(const EngineContext& ctx, const std::string& programme) {
  static const PostAuditPolicy kDefaults;
  return (ctx.post_audit ? *ctx.post_audit : kDefaults).For(programme);
}

// A post-audit task on case `c`, routed to `role` at the case's unit of the role's tier.
Result<TaskRecord> NewPostAuditTask(const EngineContext& ctx, const CaseRecord& c,
                                    const std::string& kind, const std::string& role,
                                    Tier fallback_tier, int working_days, Micros now) {
  const Tier tier = RoleTier(ctx, role, fallback_tier);
  const OrgUnitRecord* unit = ctx.org->AncestorAtTier(c.village_id, tier);
  if (unit == nullptr) {
    return Internal("no " + std::string(TierName(tier)) + " unit above village " + c.village_id +
                    " for the " + kind + " task of case " + std::to_string(c.id));
  }
  return OpenTask(ctx, c, c.state, kind, role, unit->id, working_days, now);
}

// The item and its open task, for an actor who must hold the task's role at its unit.
struct ItemAndTask {
  AuditItemRecord item;
  TaskRecord task;
  RoleBindingRecord binding;
};

Result<ItemAndTask> LockItemTask(StoreTxn& txn, const UserRecord& actor, std::int64_t item_id,
                                 const char* expected_status, const char* step) {
  JZ_ASSIGN_OR_RETURN(std::optional<AuditItemRecord> item, txn.LockAuditItem(item_id));
  const Status not_found = NotFound("post-audit item " + std::to_string(item_id) + " not found");
  if (!item) return not_found;
  std::optional<TaskRecord> task;
  if (item->task_id != 0) {
    JZ_ASSIGN_OR_RETURN(task, txn.LockTask(item->task_id));
  }
  std::optional<RoleBindingRecord> binding =
      task ? BindingFor(actor, task->role, task->org_unit_id) : std::nullopt;
  if (item->status != expected_status) {
    // Visible to whoever could have worked it; the status says why not now.
    return FailedPrecondition("post-audit item " + std::to_string(item_id) + " is " +
                              item->status + "; " + step + " needs it " + expected_status);
  }
  if (!task) return Internal("post-audit item " + std::to_string(item_id) + " has no open task");
  if (!binding) return not_found;
  if (task->state == TaskState::kDone || task->state == TaskState::kCancelled) {
    return FailedPrecondition("task " + std::to_string(task->id) + " of post-audit item " +
                              std::to_string(item_id) + " is already " + TaskStateName(task->state) +
                              " (" + task->outcome + ")");
  }
  if (task->state == TaskState::kClaimed && task->claimed_by != actor.username) {
    return Conflict("task " + std::to_string(task->id) + " is claimed by " + task->claimed_by +
                    "; they must complete or release it first");
  }
  return ItemAndTask{std::move(*item), std::move(*task), std::move(*binding)};
}

Status CheckText(const std::string& text, const char* field, const char* what) {
  if (Blank(text)) return InvalidArgument(std::string(what) + " is required", field);
  if (text.size() > kMaxText) return InvalidArgument(std::string(what) + " is too long", field);
  return Status::Ok();
}

}  // namespace

bool IsPostAuditTask(const TaskRecord& t) {
  return t.kind == kTaskPostAudit || t.kind == kTaskReverify || t.kind == kTaskDecision;
}

const char* PostAuditTaskLabelZh(const std::string& kind) {
  if (kind == kTaskPostAudit) return "事后抽查核查";
  if (kind == kTaskReverify) return "抽查问题复核";
  if (kind == kTaskDecision) return "抽查处理决定";
  return nullptr;
}

const std::vector<std::string>& DiscrepancyCategories() {
  static const std::vector<std::string> kCategories = {"undeclared_income", "assets",
                                                        "household_members", "other"};
  return kCategories;
}

Result<SampleParameters> ParametersFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidArgument("parameters must be a JSON object", "parameters");
  static const std::set<std::string> kKeys = {
      "period_from", "period_to", "rate", "rate_basis_points", "strata", "minimum_per_stratum",
      "always_include_flagged", "programmes", "org_subtree_path"};
  for (const auto& [key, value] : j.items()) {
    if (!kKeys.count(key)) return InvalidArgument("unknown parameter \"" + key + "\"", key);
  }
  SampleParameters p;
  for (const char* key : {"period_from", "period_to"}) {
    if (!j.contains(key) || !j.at(key).is_string()) {
      return InvalidArgument(std::string(key) + " is required: a date (2026-10-01) or an instant",
                             key);
    }
    auto at = ParseInstant(j.at(key).get<std::string>());
    if (!at.ok()) return InvalidArgument(std::string(key) + ": " + at.status().message(), key);
    (std::string(key) == "period_from" ? p.period_from : p.period_to) = *at;
  }
  if (j.contains("rate_basis_points")) {
    const auto& v = j.at("rate_basis_points");
    if (!v.is_number_integer()) return InvalidArgument("rate_basis_points must be an integer", "rate");
    p.rate_basis_points = v.get<int>();
  } else if (j.contains("rate")) {
    const auto& v = j.at("rate");
    Result<int> bp = v.is_string()   ? ParseRate(v.get<std::string>())
                     : v.is_number() ? RateFromDouble(v.get<double>())
                                     : Result<int>(InvalidArgument("rate must be a number or text such as \"10%\"", "rate"));
    if (!bp.ok()) return bp.status();
    p.rate_basis_points = *bp;
  } else {
    return InvalidArgument("rate is required, e.g. 0.1 or \"10%\"", "rate");
  }
  if (j.contains("strata")) {
    if (!j.at("strata").is_array()) return InvalidArgument("strata must be a list", "strata");
    for (const auto& s : j.at("strata")) {
      auto key = s.is_string() ? ParseStratumKey(s.get<std::string>()) : std::nullopt;
      if (!key) {
        return InvalidArgument("unknown stratum " + s.dump() +
                                   " (district, street, approver or programme)",
                               "strata");
      }
      p.strata.push_back(*key);
    }
  }
  if (j.contains("minimum_per_stratum")) {
    if (!j.at("minimum_per_stratum").is_number_integer()) {
      return InvalidArgument("minimum_per_stratum must be an integer", "minimum_per_stratum");
    }
    p.minimum_per_stratum = j.at("minimum_per_stratum").get<int>();
  }
  if (j.contains("always_include_flagged")) {
    if (!j.at("always_include_flagged").is_boolean()) {
      return InvalidArgument("always_include_flagged must be true or false",
                             "always_include_flagged");
    }
    p.always_include_flagged = j.at("always_include_flagged").get<bool>();
  }
  if (j.contains("programmes")) {
    if (!j.at("programmes").is_array()) return InvalidArgument("programmes must be a list", "programmes");
    for (const auto& s : j.at("programmes")) {
      if (!s.is_string()) return InvalidArgument("programmes must be codes", "programmes");
      p.programmes.push_back(s.get<std::string>());
    }
  }
  if (j.contains("org_subtree_path")) {
    if (!j.at("org_subtree_path").is_string()) {
      return InvalidArgument("org_subtree_path must be text", "org_subtree_path");
    }
    p.org_subtree_path = j.at("org_subtree_path").get<std::string>();
  }
  return p;
}

nlohmann::json ParametersToJson(const SampleParameters& p) {
  nlohmann::json strata = nlohmann::json::array();
  for (StratumKey k : p.strata) strata.push_back(StratumKeyName(k));
  return {{"period_from", FormatUtc(p.period_from)},
          {"period_to", FormatUtc(p.period_to)},
          {"rate_basis_points", p.rate_basis_points},
          {"strata", strata},
          {"minimum_per_stratum", p.minimum_per_stratum},
          {"always_include_flagged", p.always_include_flagged},
          {"programmes", p.programmes},
          {"org_subtree_path", p.org_subtree_path}};
}

Result<AuditSampleRecord> CreateSample(const EngineContext& ctx, StoreTxn& txn,
                                       const CreateSampleRequest& req) {
  std::optional<RoleBindingRecord> binding;
  for (const auto& b : req.actor.roles) {
    if (b.role == kAuditorRole) {
      binding = b;
      break;
    }
  }
  if (!binding) {
    return PermissionDenied("only auditors (事后抽查员) draw post-audit samples; " +
                            req.actor.username + " holds no auditor role");
  }
  SampleParameters p = req.parameters;
  if (p.org_subtree_path.empty()) {
    const OrgUnitRecord* u = ctx.org->Find(binding->org_unit_id);
    if (u == nullptr) return Internal("auditor unit " + binding->org_unit_id + " is not in the org tree");
    p.org_subtree_path = u->path;
  }
  JZ_ASSIGN_OR_RETURN(SampleParameters canonical, CanonicalizeParameters(p));
  binding = BindingCovering(ctx, req.actor, kAuditorRole, canonical.org_subtree_path);
  if (!binding) {
    return PermissionDenied("the subtree " + canonical.org_subtree_path +
                            " is outside the units where " + req.actor.username +
                            " is an auditor");
  }
  for (const auto& code : canonical.programmes) {
    if (!ctx.programmes->Find(code).ok()) {
      return InvalidArgument("unknown programme \"" + code + "\"", "programmes");
    }
  }
  std::string seed;
  if (req.seed.empty()) {
    JZ_ASSIGN_OR_RETURN(seed, GenerateSeed());
  } else {
    JZ_ASSIGN_OR_RETURN(seed, ParseSeed(req.seed));
  }
  AuditSampleRecord s;
  s.id = ctx.id_gen->Next();
  s.status = "seeded";
  s.org_unit_id = binding->org_unit_id;
  s.created_by = req.actor.username;
  s.created_at = ctx.clock->Now();
  s.seed = seed;
  s.parameters_json = ParametersToJson(canonical).dump();
  s.parameters_hash = ParameterHash(canonical);
  JZ_RETURN_IF_ERROR(txn.InsertAuditSample(s));
  return s;
}

Result<std::vector<PopulationEntry>> CollectPopulation(
    const EngineContext& ctx, const std::vector<FastTrackApproval>& approvals,
    const SampleParameters& params, Micros now) {
  static const PostAuditPolicy kDefaults;
  const PostAuditPolicy& policy = ctx.post_audit ? *ctx.post_audit : kDefaults;
  std::vector<PopulationEntry> out;
  for (const auto& a : approvals) {
    if (!policy.InDrawPopulation(a.programme, a.approved_at, params.period_from, params.period_to,
                                 now, *ctx.calendar)) {
      continue;
    }
    PopulationEntry e;
    e.case_id = a.case_id;
    e.programme = a.programme;
    e.org_path = a.org_path;
    e.approver = a.approver;
    e.approved_at = a.approved_at;
    e.flagged = a.flagged;
    const OrgUnitRecord* district = ctx.org->AncestorAtTier(a.village_id, Tier::kDistrict);
    const OrgUnitRecord* street = ctx.org->AncestorAtTier(a.village_id, Tier::kStreet);
    if (district == nullptr || street == nullptr || e.approver.empty()) {
      return Internal("case " + std::to_string(a.case_id) +
                      " lacks a district, street or approver; cannot freeze the population");
    }
    e.district_id = district->id;
    e.street_id = street->id;
    if (!MatchesFilters(e, params)) continue;
    out.push_back(std::move(e));
  }
  return out;
}

Result<DrawOutcome> DrawAuditSample(const EngineContext& ctx, StoreTxn& txn,
                                    const UserRecord& actor, std::int64_t sample_id) {
  JZ_ASSIGN_OR_RETURN(std::optional<AuditSampleRecord> found, txn.LockAuditSample(sample_id));
  const OrgUnitRecord* owner = found ? ctx.org->Find(found->org_unit_id) : nullptr;
  if (!found || owner == nullptr || !BindingCovering(ctx, actor, kAuditorRole, owner->path)) {
    return NotFound("sample " + std::to_string(sample_id) + " not found");
  }
  AuditSampleRecord sample = std::move(*found);
  if (sample.status != "seeded") {
    return FailedPrecondition("sample " + std::to_string(sample_id) + " was drawn at " +
                              FormatUtc(sample.drawn_at) + " by " + sample.drawn_by +
                              "; use resample to check it");
  }
  const nlohmann::json pj = nlohmann::json::parse(sample.parameters_json, nullptr, false);
  JZ_ASSIGN_OR_RETURN(SampleParameters params, ParametersFromJson(pj));
  JZ_ASSIGN_OR_RETURN(params, CanonicalizeParameters(params));
  const RoleBindingRecord binding =
      *BindingCovering(ctx, actor, kAuditorRole, owner->path);
  const Micros now = ctx.clock->Now();

  JZ_ASSIGN_OR_RETURN(auto approvals, txn.ListFastTrackApprovals(params.org_subtree_path,
                                                                 params.period_from, params.period_to));
  JZ_ASSIGN_OR_RETURN(auto entries, CollectPopulation(ctx, approvals, params, now));
  JZ_ASSIGN_OR_RETURN(FrozenPopulation population, FrozenPopulation::Freeze(std::move(entries)));
  JZ_ASSIGN_OR_RETURN(SampleResult result, DrawSample(population, params, sample.seed));

  DrawOutcome out;
  std::map<CaseId, const PopulationEntry*> by_case;
  for (const auto& e : population.entries()) by_case[e.case_id] = &e;
  for (CaseId id : result.chosen) {
    const PopulationEntry& e = *by_case.at(id);
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(id));
    if (!c) return Internal("sampled case " + std::to_string(id) + " vanished");
    AuditItemRecord item;
    item.id = ctx.id_gen->Next();
    item.sample_id = sample.id;
    item.case_id = id;
    item.programme = e.programme;
    item.district_id = e.district_id;
    item.street_id = e.street_id;
    item.org_path = e.org_path;
    item.approver = e.approver;
    item.approved_at = e.approved_at;
    item.status = kItemPending;
    item.created_at = now;
    JZ_ASSIGN_OR_RETURN(TaskRecord task,
                        NewPostAuditTask(ctx, *c, kTaskPostAudit, kAuditorRole, Tier::kDistrict,
                                         RuleFor(ctx, c->programme).audit_task_working_days, now));
    item.task_id = task.id;
    nlohmann::json payload = {{"sample", std::to_string(sample.id)},
                              {"item", std::to_string(item.id)},
                              {"seed", sample.seed},
                              {"population_hash", result.population_hash},
                              {"sample_hash", result.sample_hash},
                              {"approver", e.approver},
                              {"approved_at", FormatUtc(e.approved_at)}};
    JZ_ASSIGN_OR_RETURN(CommandOutcome cmd,
                        NoteOnCase(ctx, txn, id, binding, actor.username, "post_audit_sampled",
                                   std::move(payload), {}, {task}, now));
    (void)cmd;
    out.tasks.push_back(std::move(task));
    out.items.push_back(std::move(item));
  }

  sample.status = "drawn";
  sample.drawn_by = actor.username;
  sample.drawn_at = now;
  sample.population_hash = result.population_hash;
  sample.population_size = static_cast<std::int64_t>(result.population_size);
  sample.sample_hash = result.sample_hash;
  nlohmann::json strata = nlohmann::json::array();
  for (const auto& s : result.strata) {
    strata.push_back({{"key", s.key},
                      {"label", s.label},
                      {"population", s.population_size},
                      {"sample", s.sample_size},
                      {"flagged_in_sample", s.flagged_in_sample}});
  }
  sample.strata_json = strata.dump();
  JZ_RETURN_IF_ERROR(txn.SaveAuditDraw(sample, population.entries(), out.items));
  out.sample = std::move(sample);
  out.result = std::move(result);
  return out;
}

Result<ItemOutcome> RecordFinding(const EngineContext& ctx, StoreTxn& txn,
                                  const FindingRequest& req) {
  const bool discrepancy = req.result == "discrepancy";
  if (!discrepancy && req.result != "confirmed") {
    return InvalidArgument("result must be confirmed or discrepancy", "result");
  }
  if (discrepancy) {
    const auto& cats = DiscrepancyCategories();
    if (std::find(cats.begin(), cats.end(), req.category) == cats.end()) {
      return InvalidArgument("category must be undeclared_income, assets, household_members or other",
                             "category");
    }
    JZ_RETURN_IF_ERROR(CheckText(req.evidence, "evidence", "evidence for the discrepancy"));
  } else if (!req.category.empty()) {
    return InvalidArgument("a confirmed case has no discrepancy category", "category");
  } else if (req.evidence.size() > kMaxText) {
    return InvalidArgument("evidence is too long", "evidence");
  }
  JZ_ASSIGN_OR_RETURN(ItemAndTask it, LockItemTask(txn, req.actor, req.item_id, kItemPending,
                                                   "recording a finding"));
  if (it.item.approver == req.actor.username) {
    return PermissionDenied(req.actor.username + " approved case " + std::to_string(it.item.case_id) +
                            " and cannot audit their own approval; another auditor must");
  }
  const Micros now = ctx.clock->Now();
  AuditItemRecord item = it.item;
  item.found_by = req.actor.username;
  item.found_at = now;
  item.category = req.category;
  item.evidence = req.evidence;
  std::vector<TaskRecord> inserts;
  if (discrepancy) {
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(item.case_id));
    if (!c) return Internal("case of item " + std::to_string(item.id) + " vanished");
    JZ_ASSIGN_OR_RETURN(TaskRecord t,
                        NewPostAuditTask(ctx, *c, kTaskReverify, kStreetRole, Tier::kStreet,
                                         RuleFor(ctx, c->programme).reverify_working_days, now));
    item.status = kItemReverifying;
    item.task_id = t.id;
    inserts.push_back(t);
  } else {
    item.status = kItemConfirmed;
    item.task_id = 0;
  }
  nlohmann::json payload = {{"item", std::to_string(item.id)},
                            {"sample", std::to_string(item.sample_id)},
                            {"result", req.result}};
  if (discrepancy) payload["category"] = req.category;
  if (!req.evidence.empty()) payload["evidence"] = req.evidence;
  JZ_ASSIGN_OR_RETURN(CommandOutcome cmd,
                      NoteOnCase(ctx, txn, item.case_id, it.binding, req.actor.username,
                                 "post_audit_finding", payload,
                                 {TaskDoneBy(it.task, req.actor.username, req.result, now)},
                                 std::move(inserts), now));
  JZ_RETURN_IF_ERROR(txn.UpdateAuditItem(item, kItemPending));
  return ItemOutcome{std::move(item), std::move(cmd), std::nullopt};
}

Result<ItemOutcome> RecordReverification(const EngineContext& ctx, StoreTxn& txn,
                                         const ReverifyRequest& req) {
  JZ_RETURN_IF_ERROR(CheckText(req.notes, "notes", "what the re-verification found"));
  JZ_ASSIGN_OR_RETURN(ItemAndTask it, LockItemTask(txn, req.actor, req.item_id, kItemReverifying,
                                                   "re-verification"));
  const Micros now = ctx.clock->Now();
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(it.item.case_id));
  if (!c) return Internal("case of item " + std::to_string(it.item.id) + " vanished");
  JZ_ASSIGN_OR_RETURN(TaskRecord t,
                      NewPostAuditTask(ctx, *c, kTaskDecision, kDistrictRole, Tier::kDistrict,
                                       RuleFor(ctx, c->programme).decision_working_days, now));
  AuditItemRecord item = it.item;
  item.status = kItemAwaitingDecision;
  item.task_id = t.id;
  item.reverification = nlohmann::json{{"discrepancy_confirmed", req.discrepancy_confirmed},
                                       {"notes", req.notes}}
                            .dump();
  item.reverified_by = req.actor.username;
  item.reverified_at = now;
  const nlohmann::json payload = {{"item", std::to_string(item.id)},
                                  {"discrepancy_confirmed", req.discrepancy_confirmed},
                                  {"notes", req.notes}};
  JZ_ASSIGN_OR_RETURN(CommandOutcome cmd,
                      NoteOnCase(ctx, txn, item.case_id, it.binding, req.actor.username,
                                 "post_audit_reverified", payload,
                                 {TaskDoneBy(it.task, req.actor.username, "reverified", now)}, {t},
                                 now));
  JZ_RETURN_IF_ERROR(txn.UpdateAuditItem(item, kItemReverifying));
  return ItemOutcome{std::move(item), std::move(cmd), std::nullopt};
}

Result<ItemOutcome> DecidePostAudit(const EngineContext& ctx, StoreTxn& txn,
                                    const PostAuditDecisionRequest& req) {
  const std::string& d = req.decision;
  if (d != "uphold" && d != "adjust" && d != "revoke") {
    return InvalidArgument("decision must be uphold, adjust or revoke", "decision");
  }
  JZ_RETURN_IF_ERROR(CheckText(req.reason, "reason", "a reason"));
  if (req.amount_to_recover_fen < 0) {
    return InvalidArgument("amount to recover must be >= 0", "amount_to_recover");
  }
  if (d != "revoke" && req.amount_to_recover_fen != 0) {
    return InvalidArgument("an amount to recover goes only with revoke", "amount_to_recover");
  }
  JZ_ASSIGN_OR_RETURN(ItemAndTask it, LockItemTask(txn, req.actor, req.item_id,
                                                   kItemAwaitingDecision, "the decision"));
  if (it.item.approver == req.actor.username) {
    return PermissionDenied(req.actor.username + " approved case " +
                            std::to_string(it.item.case_id) +
                            " and cannot decide on its post-audit; another approver must");
  }
  const Micros now = ctx.clock->Now();
  AuditItemRecord item = it.item;
  item.decision_reason = req.reason;
  item.decided_by = req.actor.username;
  item.decided_at = now;
  item.task_id = 0;
  ItemOutcome out;
  if (d == "revoke") {
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(item.case_id));
    if (!c) return Internal("case of item " + std::to_string(item.id) + " vanished");
    item.status = kItemRevoked;
    item.amount_to_recover_fen = req.amount_to_recover_fen;
    CaseCommand cmd;
    cmd.actor = req.actor;
    cmd.case_id = item.case_id;
    CaseChange change;
    change.event = CaseEvent::kRevoke;
    change.facts.reason_given = true;
    change.payload["reason"] = req.reason;
    change.payload["amount_to_recover_fen"] = req.amount_to_recover_fen;
    change.payload["post_audit_item"] = std::to_string(item.id);
    change.payload["category"] = item.category;
    // Revoking closes every active task of the case, the decision task
    // included (done: the actor holds its role at its unit).
    JZ_ASSIGN_OR_RETURN(out.command, RunCaseEvent(ctx, txn, cmd, std::move(change)));
    CreditRecord credit;
    credit.id = ctx.id_gen->Next();
    credit.id_hash = c->id_hash;
    credit.id_masked = c->id_masked;
    credit.applicant_name = c->applicant_name;
    credit.case_id = c->id;
    credit.item_id = item.id;
    credit.programme = c->programme;
    credit.org_path = c->org_path;
    credit.reason = req.reason;
    credit.category = item.category;
    credit.amount_to_recover_fen = req.amount_to_recover_fen;
    credit.recorded_by = req.actor.username;
    credit.recorded_at = now;
    static const PostAuditPolicy kDefaults;
    credit.ban_until = (ctx.post_audit ? *ctx.post_audit : kDefaults)
                           .FastTrackBanEndsAt(c->programme, now, *ctx.calendar);
    JZ_RETURN_IF_ERROR(txn.InsertCreditRecord(credit));
    out.credit = credit;
  } else {
    item.status = d == "uphold" ? kItemUpheld : kItemAdjusted;
    JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(item.case_id));
    if (!c) return Internal("case of item " + std::to_string(item.id) + " vanished");
    // 容错免责: the case as it stood, and what the audit and the re-verification found.
    nlohmann::json facts = DecisionFacts(*c);
    facts["finding"] = {{"category", item.category}, {"evidence", item.evidence}, {"by", item.found_by}};
    const nlohmann::json rv = nlohmann::json::parse(item.reverification, nullptr, false);
    if (!rv.is_discarded()) facts["reverification"] = rv;
    nlohmann::json payload = {{"item", std::to_string(item.id)},
                              {"decision", d},
                              {"reason", req.reason},
                              {"facts", std::move(facts)}};
    JZ_ASSIGN_OR_RETURN(out.command,
                        NoteOnCase(ctx, txn, item.case_id, it.binding, req.actor.username,
                                   "post_audit_decision", payload,
                                   {TaskDoneBy(it.task, req.actor.username, d, now)}, {}, now));
  }
  JZ_RETURN_IF_ERROR(txn.UpdateAuditItem(item, kItemAwaitingDecision));
  out.item = std::move(item);
  return out;
}

Status ResampleCheck(const AuditSampleRecord& sample, const std::vector<PopulationEntry>& frozen,
                     const std::vector<AuditItemRecord>& items) {
  if (sample.status != "drawn") {
    return FailedPrecondition("sample " + std::to_string(sample.id) + " has not been drawn yet");
  }
  JZ_ASSIGN_OR_RETURN(FrozenPopulation population, FrozenPopulation::Freeze(frozen));
  if (population.hash() != sample.population_hash) {
    return Status(ErrorCode::kFailedPrecondition,
                  "the stored population of sample " + std::to_string(sample.id) + " hashes to " +
                      population.hash() + ", not the recorded " + sample.population_hash +
                      ": it was changed after the draw",
                  "population_hash");
  }
  const nlohmann::json pj = nlohmann::json::parse(sample.parameters_json, nullptr, false);
  JZ_ASSIGN_OR_RETURN(SampleParameters params, ParametersFromJson(pj));
  JZ_ASSIGN_OR_RETURN(params, CanonicalizeParameters(params));
  SampleResult stored;
  stored.seed_hex = sample.seed;
  stored.population_hash = sample.population_hash;
  stored.parameters_hash = sample.parameters_hash;
  stored.population_size = static_cast<size_t>(sample.population_size);
  stored.sample_hash = sample.sample_hash;
  for (const auto& i : items) stored.chosen.push_back(i.case_id);
  std::sort(stored.chosen.begin(), stored.chosen.end());
  const nlohmann::json strata = nlohmann::json::parse(sample.strata_json, nullptr, false);
  if (!strata.is_array()) return Internal("sample " + std::to_string(sample.id) + ": strata unreadable");
  for (const auto& s : strata) {
    StratumSummary sum;
    sum.key = s.value("key", std::vector<std::string>{});
    sum.label = s.value("label", std::string());
    sum.population_size = s.value("population", size_t{0});
    sum.sample_size = s.value("sample", size_t{0});
    sum.flagged_in_sample = s.value("flagged_in_sample", size_t{0});
    stored.strata.push_back(std::move(sum));
  }
  return VerifySample(population, params, sample.seed, stored);
}

std::vector<CreditRecord> ActiveBans(const std::vector<CreditRecord>& records, Micros now) {
  std::vector<CreditRecord> out;
  for (const auto& r : records) {
    if (r.ban_until > now) out.push_back(r);
  }
  return out;
}

PostAuditStats ComputePostAuditStats(const std::vector<AuditItemRecord>& items, Tier tier) {
  PostAuditStats stats;
  std::map<std::pair<std::string, std::string>, PostAuditStatsRow> rows;
  for (const auto& i : items) {
    const std::string unit = tier == Tier::kStreet ? i.street_id : i.district_id;
    const std::string month = FormatCivilDate(LocalDate(i.approved_at, ShanghaiZone())).substr(0, 7);
    PostAuditStatsRow& r = rows[{unit, month}];
    r.org_unit_id = unit;
    r.month = month;
    r.sampled += 1;
    const std::string& s = i.status;
    const bool finished = s == kItemConfirmed || s == kItemUpheld || s == kItemAdjusted ||
                          s == kItemRevoked;
    r.finished += finished;
    r.passed += s == kItemConfirmed || s == kItemUpheld;
    if (!i.category.empty()) {
      r.discrepancies += 1;
      stats.categories[i.category] += 1;
    }
    if (s == kItemRevoked) {
      r.revoked += 1;
      stats.revocations += 1;
      stats.amount_to_recover_fen += i.amount_to_recover_fen;
    }
  }
  for (auto& [key, r] : rows) stats.rows.push_back(std::move(r));
  return stats;
}

}  // namespace jiuzhu
