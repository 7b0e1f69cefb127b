// Post-audit routes (issue 6): population preview, samples (seed recorded on
// creation, draw, resample check), items with findings, re-verification and
// decisions, credit records and statistics. The rules live in
// engine/usecases/post_audit; these handlers parse, scope and render.
#include <algorithm>
#include <cmath>
#include <set>

#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "api/runtime/case_json.hpp"
#include "api/runtime/post_audit_json.hpp"
#include "engine/access/access_policy.hpp"
#include "engine/identity/id_number.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu::http {

namespace {

bool IsAuditor(const UserRecord& u) {
  return std::any_of(u.roles.begin(), u.roles.end(),
                     [](const RoleBindingRecord& b) { return b.role == "auditor"; });
}

bool Within(const std::string& path, const std::vector<std::string>& scopes) {
  return std::any_of(scopes.begin(), scopes.end(), [&](const std::string& s) {
    return path.size() >= s.size() && path.compare(0, s.size(), s) == 0;
  });
}

Status NotAuditor(const UserRecord& u) {
  return PermissionDenied("only auditors (事后抽查员) work post-audit samples; " + u.username +
                          " holds no auditor role");
}

// [from, to) from the query (dates or instants); both required.
Result<std::pair<Micros, Micros>> Period(const HttpRequest& req) {
  std::pair<Micros, Micros> out;
  for (const char* key : {"from", "to"}) {
    const std::string v = Query(req, key);
    if (v.empty()) return InvalidArgument(std::string(key) + " is required (e.g. 2026-10-01)", key);
    auto at = ParseInstant(v);
    if (!at.ok()) return InvalidArgument(std::string(key) + ": " + at.status().message(), key);
    (std::string(key) == "from" ? out.first : out.second) = *at;
  }
  if (out.second <= out.first) return InvalidArgument("to must be after from", "to");
  return out;
}

// A sample and its items, when the caller's units hold the unit that owns it
// (kNotFound otherwise, the same whether or not it exists).
struct SampleView {
  AuditSampleRecord sample;
  std::vector<AuditItemRecord> items;
};
Result<SampleView> VisibleSample(Runtime& rt, const std::string& id_text, const UserRecord& user) {
  const auto id = ParseId(id_text);
  const Status not_found = NotFound("sample " + id_text + " not found");
  if (!id) return not_found;
  JZ_ASSIGN_OR_RETURN(auto s, rt.store().GetAuditSample(*id));
  const OrgUnitRecord* u = s ? rt.org().Find(s->org_unit_id) : nullptr;
  if (u == nullptr || !Within(u->path, ScopePaths(rt.org(), user))) return not_found;
  AuditItemQuery q;
  q.sample_id = *id;
  q.limit = 100000000;
  JZ_ASSIGN_OR_RETURN(auto items, rt.store().ListAuditItems(q));
  return SampleView{std::move(*s), std::move(items)};
}

// Items matching `q` under any of the caller's units, each once (their scopes may overlap).
Result<std::vector<AuditItemRecord>> ItemsInScope(Runtime& rt, const UserRecord& user,
                                                  AuditItemQuery q) {
  std::vector<AuditItemRecord> out;
  std::set<std::int64_t> seen;
  for (const auto& path : ScopePaths(rt.org(), user)) {
    q.org_path = path;
    JZ_ASSIGN_OR_RETURN(auto items, rt.store().ListAuditItems(q));
    for (auto& i : items) {
      if (seen.insert(i.id).second) out.push_back(std::move(i));
    }
  }
  return out;
}

}  // namespace

void ApiService::AddPostAuditRoutes() {
  AddAuthed("GET", "/api/v1/post-audit/population", "post_audit.population",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return PostAuditPopulation(req, c); });
  AddAuthed("GET", "/api/v1/post-audit/samples", "post_audit.samples",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return ListAuditSamples(req, c); });
  AddAuthed("POST", "/api/v1/post-audit/samples", "post_audit.create_sample",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return CreateAuditSample(req, c); });
  AddAuthed("GET", "/api/v1/post-audit/samples/{id}", "post_audit.sample",
            [this](HttpRequest&, const PathParams& p, const Caller& c) { return GetAuditSample(p, c); });
  AddAuthed("POST", "/api/v1/post-audit/samples/{id}/draw", "post_audit.draw",
            [this](HttpRequest& req, const PathParams& p, const Caller& c) { return DrawAuditSample(req, p, c); });
  AddAuthed("GET", "/api/v1/post-audit/samples/{id}/verify", "post_audit.verify",
            [this](HttpRequest&, const PathParams& p, const Caller& c) { return VerifyAuditSample(p, c); });
  AddAuthed("GET", "/api/v1/post-audit/items", "post_audit.items",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return ListAuditItems(req, c); });
  for (const char* step : {"finding", "reverification", "decision"}) {
    const std::string s = step;
    AddAuthed("POST", "/api/v1/post-audit/items/{id}/" + s, "post_audit." + s,
              [this, s](HttpRequest& req, const PathParams& p, const Caller& c) {
                return AuditItemCommand(req, p, c, s);
              });
  }
  AddAuthed("GET", "/api/v1/post-audit/stats", "post_audit.stats",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return PostAuditStatistics(req, c); });
  AddAuthed("GET", "/api/v1/credit-records", "credit_records",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return CreditRecords(req, c); });
}

// What a draw now would freeze: for the auditor to see the population before fixing a sample.
HttpResponse ApiService::PostAuditPopulation(const HttpRequest& req, const Caller& c) {
  if (!IsAuditor(c.user)) return ProblemResponse(NotAuditor(c.user));
  auto period = Period(req);
  if (!period.ok()) return ProblemResponse(period.status());
  SampleParameters p;
  p.period_from = period->first;
  p.period_to = period->second;
  p.rate_basis_points = kRateScale;
  // programme=dibao,tekun: several programmes, as a sample's parameters may name.
  const std::string progs = Query(req, "programme");
  for (size_t start = 0; start < progs.size();) {
    const size_t comma = std::min(progs.find(',', start), progs.size());
    p.programmes.push_back(progs.substr(start, comma - start));
    start = comma + 1;
  }
  p.org_subtree_path = Query(req, "org_path");
  if (p.org_subtree_path.empty()) {
    for (const auto& b : c.user.roles) {
      const OrgUnitRecord* u = b.role == "auditor" ? rt_.org().Find(b.org_unit_id) : nullptr;
      if (u != nullptr) {
        p.org_subtree_path = u->path;
        break;
      }
    }
  }
  auto canonical = CanonicalizeParameters(p);
  if (!canonical.ok()) return ProblemResponse(canonical.status());
  if (!Within(canonical->org_subtree_path, ScopePaths(rt_.org(), c.user))) {
    return ProblemResponse(PermissionDenied("the subtree " + canonical->org_subtree_path +
                                            " is outside your units"));
  }
  auto approvals = rt_.store().ListFastTrackApprovals(canonical->org_subtree_path,
                                                      canonical->period_from, canonical->period_to);
  if (!approvals.ok()) return ProblemResponse(approvals.status());
  auto entries = CollectPopulation(rt_.ctx(), *approvals, *canonical, rt_.ctx().clock->Now());
  if (!entries.ok()) return ProblemResponse(entries.status());
  auto frozen = FrozenPopulation::Freeze(*entries);
  if (!frozen.ok()) return ProblemResponse(frozen.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : frozen->entries()) {
    if (items.size() >= 500) break;
    items.push_back({{"case_id", std::to_string(e.case_id)}, {"programme", e.programme},
                     {"district_id", e.district_id}, {"street_id", e.street_id},
                     {"approver", e.approver}, {"approved_at", FormatUtc(e.approved_at)},
                     {"flagged", e.flagged}});
  }
  return JsonResponse(200, {{"size", frozen->size()},
                            {"population_hash", frozen->hash()},
                            {"org_path", canonical->org_subtree_path},
                            {"items", items}});
}

HttpResponse ApiService::CreateAuditSample(const HttpRequest& req, const Caller& c) {
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  auto params = ParametersFromJson(*body);
  if (!params.ok()) return ProblemResponse(params.status());
  CreateSampleRequest r{c.user, *params, ""};
  auto answer = RunIdempotent(req, c, [this, r](StoreTxn& txn) -> Result<CommandAnswer> {
    JZ_ASSIGN_OR_RETURN(AuditSampleRecord s, CreateSample(rt_.ctx(), txn, r));
    return CommandAnswer{201, AuditSampleJson(rt_, s).dump(), false};
  });
  metrics_.CountCommand("post_audit_create_sample", answer.ok());
  if (!answer.ok()) return ProblemResponse(answer.status());
  return AnswerResponse(*answer);
}

HttpResponse ApiService::ListAuditSamples(const HttpRequest& req, const Caller& c) {
  auto limit = Limit(req, 20, 100);
  if (!limit.ok()) return ProblemResponse(limit.status());
  const auto scopes = ScopePaths(rt_.org(), c.user);
  nlohmann::json items = nlohmann::json::array();
  std::int64_t before = 0;
  // Newest first, keeping those whose owning unit lies in the caller's scope.
  while (static_cast<int>(items.size()) < *limit) {
    auto page = rt_.store().ListAuditSamples(before, 200);
    if (!page.ok()) return ProblemResponse(page.status());
    for (const auto& s : *page) {
      const OrgUnitRecord* u = rt_.org().Find(s.org_unit_id);
      if (u != nullptr && Within(u->path, scopes) && static_cast<int>(items.size()) < *limit) {
        items.push_back(AuditSampleJson(rt_, s));
      }
    }
    if (page->size() < 200) break;
    before = page->back().id;
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse ApiService::GetAuditSample(const PathParams& p, const Caller& c) {
  auto view = VisibleSample(rt_, p.at("id"), c.user);
  if (!view.ok()) return ProblemResponse(view.status());
  const std::vector<AuditItemRecord>& items = view->items;
  nlohmann::json body = AuditSampleJson(rt_, view->sample);
  nlohmann::json list = AuditItemsJson(rt_, items);
  // Applicant names beside the items, from one batched read.
  std::vector<CaseId> ids;
  for (const auto& i : items) ids.push_back(i.case_id);
  auto cases = rt_.store().GetCases(ids);
  if (!cases.ok()) return ProblemResponse(cases.status());
  for (size_t k = 0; k < items.size(); ++k) {
    auto it = std::lower_bound(cases->begin(), cases->end(), items[k].case_id,
                               [](const CaseRecord& r, CaseId v) { return r.id < v; });
    if (it != cases->end() && it->id == items[k].case_id) {
      list[k]["applicant_name"] = it->applicant_name;
      list[k]["case_state"] = CaseStateName(it->state);
    }
  }
  body["items"] = list;
  return JsonResponse(200, body);
}

HttpResponse ApiService::DrawAuditSample(const HttpRequest& req, const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("sample " + p.at("id") + " not found"));
  if (!IsAuditor(c.user)) return ProblemResponse(NotAuditor(c.user));
  const UserRecord actor = c.user;
  const std::int64_t sample_id = *id;
  auto answer = RunIdempotent(req, c, [this, actor, sample_id](StoreTxn& txn) -> Result<CommandAnswer> {
    JZ_ASSIGN_OR_RETURN(DrawOutcome out, jiuzhu::DrawAuditSample(rt_.ctx(), txn, actor, sample_id));
    nlohmann::json body = AuditSampleJson(rt_, out.sample);
    body["items"] = AuditItemsJson(rt_, out.items);
    return CommandAnswer{200, body.dump(), false};
  });
  metrics_.CountCommand("post_audit_draw", answer.ok());
  if (!answer.ok()) return ProblemResponse(answer.status());
  return AnswerResponse(*answer);
}

HttpResponse ApiService::VerifyAuditSample(const PathParams& p, const Caller& c) {
  auto view = VisibleSample(rt_, p.at("id"), c.user);
  if (!view.ok()) return ProblemResponse(view.status());
  const AuditSampleRecord& sample = view->sample;
  auto population = rt_.store().ListAuditPopulation(sample.id);
  if (!population.ok()) return ProblemResponse(population.status());
  const Status check = ResampleCheck(sample, *population, view->items);
  if (!check.ok() && check.code() != ErrorCode::kFailedPrecondition) return ProblemResponse(check);
  return JsonResponse(200, {{"sample_id", std::to_string(sample.id)},
                            {"match", check.ok()},
                            {"detail", check.ok() ? std::string("re-derived from the recorded seed, "
                                                                "parameters and frozen population: identical")
                                                  : check.message()},
                            {"seed", sample.seed},
                            {"population_hash", sample.population_hash},
                            {"sample_hash", sample.sample_hash}});
}

HttpResponse ApiService::ListAuditItems(const HttpRequest& req, const Caller& c) {
  auto limit = Limit(req, 50, 500);
  if (!limit.ok()) return ProblemResponse(limit.status());
  const std::string status = Query(req, "status");
  std::int64_t sample_id = 0;
  if (const std::string s = Query(req, "sample_id"); !s.empty()) {
    auto n = ParseId(s);
    if (!n) return ProblemResponse(InvalidArgument("sample_id must be a sample's id", "sample_id"));
    sample_id = *n;
  }
  AuditItemQuery q;
  q.sample_id = sample_id;
  q.limit = 100000;
  auto in_scope = ItemsInScope(rt_, c.user, q);
  if (!in_scope.ok()) return ProblemResponse(in_scope.status());
  std::vector<AuditItemRecord> found;
  for (auto& i : *in_scope) {
    if (status.empty() || i.status == status) found.push_back(std::move(i));
  }
  std::sort(found.begin(), found.end(),
            [](const AuditItemRecord& a, const AuditItemRecord& b) { return a.id > b.id; });
  if (static_cast<int>(found.size()) > *limit) found.resize(static_cast<size_t>(*limit));
  return JsonResponse(200, {{"items", AuditItemsJson(rt_, found)}});
}

HttpResponse ApiService::AuditItemCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                                          const std::string& step) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("post-audit item " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  std::function<Result<ItemOutcome>(const EngineContext&, StoreTxn&)> run;
  if (step == "finding") {
    FindingRequest r{c.user, *id, "", "", ""};
    for (auto [key, target] : {std::pair{"result", &r.result}, std::pair{"category", &r.category},
                               std::pair{"evidence", &r.evidence}}) {
      if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
    }
    run = [r](const EngineContext& ctx, StoreTxn& txn) { return RecordFinding(ctx, txn, r); };
  } else if (step == "reverification") {
    ReverifyRequest r{c.user, *id, true, ""};
    if (Status s = ReadField(*body, "notes", &r.notes); !s.ok()) return ProblemResponse(s);
    if (body->contains("discrepancy_confirmed")) {
      if (!body->at("discrepancy_confirmed").is_boolean()) {
        return ProblemResponse(InvalidArgument("discrepancy_confirmed must be true or false",
                                               "discrepancy_confirmed"));
      }
      r.discrepancy_confirmed = body->at("discrepancy_confirmed").get<bool>();
    }
    run = [r](const EngineContext& ctx, StoreTxn& txn) { return RecordReverification(ctx, txn, r); };
  } else {
    PostAuditDecisionRequest r{c.user, *id, "", "", 0};
    for (auto [key, target] : {std::pair{"decision", &r.decision}, std::pair{"reason", &r.reason}}) {
      if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
    }
    if (body->contains("amount_to_recover_yuan")) {
      const auto& v = body->at("amount_to_recover_yuan");
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1e10) {
        return ProblemResponse(InvalidArgument("amount_to_recover_yuan must be a number >= 0",
                                               "amount_to_recover"));
      }
      const double fen = v.get<double>() * 100.0;
      if (std::abs(fen - std::round(fen)) > 1e-6) {
        return ProblemResponse(InvalidArgument("amount_to_recover_yuan has more than two decimals",
                                               "amount_to_recover"));
      }
      r.amount_to_recover_fen = static_cast<std::int64_t>(std::llround(fen));
    }
    run = [r](const EngineContext& ctx, StoreTxn& txn) { return DecidePostAudit(ctx, txn, r); };
  }
  auto answer = RunIdempotent(req, c, [this, run](StoreTxn& txn) -> Result<CommandAnswer> {
    JZ_ASSIGN_OR_RETURN(ItemOutcome out, run(rt_.ctx(), txn));
    nlohmann::json j = {{"item", AuditItemsJson(rt_, {out.item}).at(0)},
                        {"case", OutcomeJson(rt_, out.command, rt_.ctx().clock->Now())}};
    if (out.credit) j["credit_record"] = CreditRecordsJson({*out.credit}, rt_.ctx().clock->Now()).at(0);
    return CommandAnswer{200, j.dump(), false};
  });
  metrics_.CountCommand("post_audit_" + step, answer.ok());
  if (!answer.ok()) return ProblemResponse(answer.status());
  return AnswerResponse(*answer);
}

HttpResponse ApiService::CreditRecords(const HttpRequest& req, const Caller& c) {
  auto limit = Limit(req, 50, 500);
  if (!limit.ok()) return ProblemResponse(limit.status());
  CreditQuery q;
  q.limit = *limit;
  const std::string number = Query(req, "id_number");
  if (!number.empty()) {
    const std::string normalized = NormalizeIdNumber(number);
    if (Status s = ValidateIdNumber(normalized); !s.ok()) return ProblemResponse(s);
    // One person's record is shown to whoever handles their application, in any unit.
    q.id_hash = rt_.ctx().ids->DedupHash(normalized);
    auto list = rt_.store().ListCreditRecords(q);
    if (!list.ok()) return ProblemResponse(list.status());
    return JsonResponse(200, {{"items", CreditRecordsJson(*list, rt_.ctx().clock->Now())}});
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& path : ScopePaths(rt_.org(), c.user)) {
    q.org_path = path;
    auto list = rt_.store().ListCreditRecords(q);
    if (!list.ok()) return ProblemResponse(list.status());
    for (const auto& j : CreditRecordsJson(*list, rt_.ctx().clock->Now())) items.push_back(j);
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse ApiService::PostAuditStatistics(const HttpRequest& req, const Caller& c) {
  auto period = Period(req);
  if (!period.ok()) return ProblemResponse(period.status());
  const std::string tier_name = Query(req, "tier").empty() ? "district" : Query(req, "tier");
  if (tier_name != "district" && tier_name != "street") {
    return ProblemResponse(InvalidArgument("tier must be district or street", "tier"));
  }
  AuditItemQuery q;
  q.approved_from = period->first;
  q.approved_to = period->second;
  q.limit = 1000000;
  auto all = ItemsInScope(rt_, c.user, q);
  if (!all.ok()) return ProblemResponse(all.status());
  const PostAuditStats stats =
      ComputePostAuditStats(*all, tier_name == "street" ? Tier::kStreet : Tier::kDistrict);
  nlohmann::json body = PostAuditStatsJson(rt_, stats);
  body["from"] = FormatUtc(period->first);
  body["to"] = FormatUtc(period->second);
  body["tier"] = tier_name;
  return JsonResponse(200, body);
}

}  // namespace jiuzhu::http
