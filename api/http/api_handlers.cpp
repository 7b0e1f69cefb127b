// The route handlers: thin adapters from JSON to engine requests and back.
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "api/runtime/case_json.hpp"
#include "api/runtime/post_audit_json.hpp"
#include "engine/access/access_policy.hpp"
#include "engine/usecases/monitoring.hpp"

namespace jiuzhu::http {

namespace {

const char* ContentTypeFor(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".yaml") return "application/yaml; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

HttpResponse ApiService::Healthz() { return JsonResponse(200, {{"status", "ok"}}); }

HttpResponse ApiService::Readyz() {
  Status s = rt_.store().Ping();
  if (!s.ok()) return Problem(503, "unavailable", "数据库不可用", s.message());
  return JsonResponse(200, {{"status", "ready"}, {"database", rt_.dialect()}});
}

HttpResponse ApiService::MetricsText() {
  auto counts = rt_.store().CountActiveTasks(rt_.ctx().clock->Now());
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.Render(counts.ok() ? counts->active : -1, counts.ok() ? counts->overdue : -1);
  return r;
}

HttpResponse ApiService::OpenApi() {
  std::ifstream in(options_.openapi_path, std::ios::binary);
  if (!in) return Problem(404, "not-found", "未找到", "the API description is not installed");
  std::stringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.content_type = "application/yaml; charset=utf-8";
  r.body = ss.str();
  return r;
}

HttpResponse ApiService::Me(const Caller& c) {
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& rb : c.user.roles) {
    const OrgUnitRecord* u = rt_.org().Find(rb.org_unit_id);
    const RoleDef* r = rt_.programmes().Role(rb.role);
    roles.push_back({{"role", rb.role},
                     {"role_name", r ? r->name_zh : rb.role},
                     {"org_unit", rb.org_unit_id},
                     {"org_unit_name", u ? u->name : rb.org_unit_id},
                     {"tier", u ? TierName(u->tier) : ""}});
  }
  return JsonResponse(200, {{"username", c.user.username},
                            {"display_name", c.user.display_name},
                            {"roles", roles}});
}

HttpResponse ApiService::Programmes() {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [code, p] : rt_.programmes().programmes()) {
    nlohmann::json stages = nlohmann::json::object();
    for (const auto& [state, s] : p.stages) {
      nlohmann::json days = {{"default", s.working_days}};
      for (const auto& [route, n] : s.working_days_by_route) days[RouteName(route)] = n;
      stages[CaseStateName(state)] = {{"task", s.task_kind}, {"task_name", s.task_name_zh},
                                      {"role", s.role}, {"tier", TierName(s.tier)},
                                      {"working_days", days}, {"decisions", DecisionsFor(state)}};
    }
    nlohmann::json routes = nlohmann::json::object();
    for (const auto& [route, r] : p.routes) routes[RouteName(route)] = {{"promise_working_days", r.promise_working_days}};
    list.push_back({{"code", code}, {"name", p.name_zh}, {"short_name", p.short_zh},
                    {"fast_track_allowed", p.fast_track_allowed}, {"stages", stages}, {"routes", routes}});
  }
  return JsonResponse(200, {{"items", list}});
}

HttpResponse ApiService::OrgUnits(const Caller& c) {
  const auto scopes = ScopePaths(rt_.org(), c.user);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& u : rt_.org().units()) {
    bool visible = false;
    for (const auto& p : scopes) visible = visible || u.path.compare(0, p.size(), p) == 0;
    for (const auto& rb : c.user.roles) visible = visible || rb.org_unit_id == u.id;
    if (!visible) continue;
    items.push_back({{"id", u.id}, {"name", u.name}, {"tier", TierName(u.tier)},
                     {"parent", u.parent_id}, {"department", u.department_code}});
  }
  return JsonResponse(200, {{"items", items}});
}

HttpResponse ApiService::ListCases(const HttpRequest& req, const Caller& c) {
  CaseQuery q;
  q.org_paths = ScopePaths(rt_.org(), c.user);
  if (const std::string unit = Query(req, "org_unit"); !unit.empty()) {
    const OrgUnitRecord* u = rt_.org().Find(unit);
    bool inside = false;
    for (const auto& p : q.org_paths) inside = inside || (u && u->path.compare(0, p.size(), p) == 0);
    if (!inside) return ProblemResponse(InvalidArgument("unknown org unit, or outside your area: " + unit, "org_unit"));
    q.org_paths = {u->path};
  }
  q.programme = Query(req, "programme");
  if (!q.programme.empty() && !rt_.programmes().Find(q.programme).ok()) {
    return ProblemResponse(rt_.programmes().Find(q.programme).status());
  }
  if (const std::string s = Query(req, "stage"); !s.empty()) {
    q.state = ParseCaseState(s);
    if (!q.state) return ProblemResponse(InvalidArgument("unknown stage " + s, "stage"));
  }
  if (const std::string s = Query(req, "pool"); !s.empty()) {
    q.pool = ParsePool(s);
    if (!q.pool) return ProblemResponse(InvalidArgument("unknown pool " + s, "pool"));
  }
  if (const std::string s = Query(req, "route"); !s.empty()) {
    q.route = ParseRoute(s);
    if (!q.route) return ProblemResponse(InvalidArgument("unknown route " + s, "route"));
  }
  if (const std::string s = Query(req, "id_number"); !s.empty()) {
    const std::string n = NormalizeIdNumber(s);
    if (Status st = ValidateIdNumber(n); !st.ok()) return ProblemResponse(st);
    q.id_hash = rt_.ids().DedupHash(n);
  }
  q.name_contains = Query(req, "name");
  if (const std::string a = Query(req, "after"); !a.empty()) {
    auto id = ParseId(a);
    if (!id) return ProblemResponse(InvalidArgument("after must be the next_after of the last page", "after"));
    q.after_id = *id;
  }
  auto limit = Limit(req, 50, 200);
  if (!limit.ok()) return ProblemResponse(limit.status());
  q.limit = *limit;
  nlohmann::json items = nlohmann::json::array();
  std::string next;
  if (!q.org_paths.empty()) {
    auto cases = rt_.store().ListCases(q);
    if (!cases.ok()) return ProblemResponse(cases.status());
    for (const auto& k : *cases) {
      nlohmann::json j = CaseSummaryJson(k);
      const OrgUnitRecord* v = rt_.org().Find(k.village_id);
      j["village_name"] = v ? v->name : k.village_id;
      items.push_back(std::move(j));
    }
    if (static_cast<int>(cases->size()) == q.limit) next = std::to_string(cases->back().id);
  }
  return JsonResponse(200, {{"items", items}, {"next_after", next}});
}

HttpResponse ApiService::GetCase(const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  const Status not_found = NotFound("case " + p.at("id") + " not found");
  if (!id) return ProblemResponse(not_found);
  auto k = rt_.store().GetCase(*id);
  if (!k.ok()) return ProblemResponse(k.status());
  if (!*k) return ProblemResponse(not_found);
  auto referrals = rt_.store().ListReferralsForCase(*id);
  if (!referrals.ok()) return ProblemResponse(referrals.status());
  if (!ActorSeesCase(rt_.org(), c.user, **k, *referrals)) return ProblemResponse(not_found);
  auto tasks = rt_.store().ListTasksForCase(*id);
  auto events = rt_.store().ListAuditEvents(*id);
  if (!tasks.ok()) return ProblemResponse(tasks.status());
  if (!events.ok()) return ProblemResponse(events.status());
  nlohmann::json body = CaseJson(rt_, c.user, **k, *tasks, *referrals, *events);
  // 失信: every credit record of this applicant, shown to whoever works the case;
  // and the post-audit items of this case (容错免责: who checked what, when).
  CreditQuery cq;
  cq.id_hash = (*k)->id_hash;
  auto credits = rt_.store().ListCreditRecords(cq);
  if (!credits.ok()) return ProblemResponse(credits.status());
  AuditItemQuery iq;
  iq.case_id = *id;
  auto items = rt_.store().ListAuditItems(iq);
  if (!items.ok()) return ProblemResponse(items.status());
  body["credit_records"] = CreditRecordsJson(*credits, rt_.ctx().clock->Now());
  body["post_audit"] = AuditItemsJson(rt_, *items);
  HttpResponse r = JsonResponse(200, body);
  r.headers.emplace_back("ETag", "\"" + std::to_string((*k)->version) + "\"");
  return r;
}

HttpResponse ApiService::DiscoverCase(const HttpRequest& req, const Caller& c) {
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  DiscoverRequest d;
  d.actor = c.user;
  for (auto [key, target] : {std::pair{"programme", &d.programme}, std::pair{"id_number", &d.id_number},
                             std::pair{"applicant_name", &d.applicant_name}, std::pair{"village", &d.village_id},
                             std::pair{"source", &d.source}, std::pair{"comment", &d.comment}}) {
    if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
  }
  if (d.programme.empty()) return ProblemResponse(InvalidArgument("programme is required", "programme"));
  if (d.id_number.empty()) return ProblemResponse(InvalidArgument("id_number is required", "id_number"));
  if (d.village_id.empty()) return ProblemResponse(InvalidArgument("village is required", "village"));
  return RunCommand(req, c, "discover", 0,
                    [d](const EngineContext& ctx, StoreTxn& txn) { return jiuzhu::DiscoverCase(ctx, txn, d); },
                    201);
}

HttpResponse ApiService::CaseCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                                     const std::string& command) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("case " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  auto version = ExpectedVersion(req, *body);
  if (!version.ok()) return ProblemResponse(version.status());
  jiuzhu::CaseCommand cmd;
  cmd.actor = c.user;
  cmd.case_id = *id;
  cmd.expected_version = *version;
  if (Status s = ReadField(*body, "comment", &cmd.comment); !s.ok()) return ProblemResponse(s);
  CaseFn fn;
  if (command == "accept") {
    fn = [cmd](const EngineContext& ctx, StoreTxn& t) { return AcceptCase(ctx, t, cmd); };
  } else if (command == "choose-ordinary") {
    fn = [cmd](const EngineContext& ctx, StoreTxn& t) { return ChooseOrdinaryRoute(ctx, t, cmd); };
  } else if (command == "approve") {
    fn = [cmd](const EngineContext& ctx, StoreTxn& t) { return ApproveCase(ctx, t, cmd); };
  } else if (command == "monitor") {
    fn = [cmd](const EngineContext& ctx, StoreTxn& t) { return StartMonitoring(ctx, t, cmd); };
  } else if (command == "assess") {
    if (!body->contains("assessment")) return ProblemResponse(InvalidArgument("assessment is required", "assessment"));
    auto a = ParseAssessmentJson(body->at("assessment"));
    if (!a.ok()) return ProblemResponse(a.status());
    a->cmd = cmd;
    fn = [a = *a](const EngineContext& ctx, StoreTxn& t) { return AssessCase(ctx, t, a); };
  } else if (command == "pledge") {
    if (!body->contains("pledge")) return ProblemResponse(InvalidArgument("pledge is required", "pledge"));
    auto pl = ParsePledgeJson(body->at("pledge"));
    if (!pl.ok()) return ProblemResponse(pl.status());
    pl->cmd = cmd;
    fn = [pl = *pl](const EngineContext& ctx, StoreTxn& t) { return PledgeCase(ctx, t, pl); };
  } else if (command == "review") {
    auto r = ParseReviewJson(*body);
    if (!r.ok()) return ProblemResponse(r.status());
    r->cmd = cmd;
    fn = [r = *r](const EngineContext& ctx, StoreTxn& t) { return CompleteReview(ctx, t, r); };
  } else if (command == "refer") {
    auto refs = ParseReferralsJson(body->value("referrals", nlohmann::json::array()));
    if (!refs.ok()) return ProblemResponse(refs.status());
    ReferRequest r{cmd, *refs};
    fn = [r](const EngineContext& ctx, StoreTxn& t) { return ReferCase(ctx, t, r); };
  } else if (command == "feedback") {
    FeedbackRequest f;
    f.cmd = cmd;
    for (auto [key, target] : {std::pair{"department", &f.department_code}, std::pair{"answer", &f.answer},
                               std::pair{"details", &f.details}}) {
      if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
    }
    if (Status s = ReadField(*body, "amount_yuan", &f.amount_yuan); !s.ok()) return ProblemResponse(s);
    fn = [f](const EngineContext& ctx, StoreTxn& t) { return RecordFeedback(ctx, t, f); };
  } else {
    ReasonedCommand r;
    r.cmd = cmd;
    if (Status s = ReadField(*body, "reason", &r.reason); !s.ok()) return ProblemResponse(s);
    if (Status s = ReadField(*body, "amount_to_recover_yuan", &r.amount_to_recover_yuan); !s.ok()) {
      return ProblemResponse(s);
    }
    using Fn = Result<CommandOutcome> (*)(const EngineContext&, StoreTxn&, const ReasonedCommand&);
    const Fn f = command == "reject"      ? &RejectCase
                 : command == "send-back" ? &SendBackCase
                 : command == "reassess"  ? &ReassessCase
                 : command == "close"     ? &CloseCase
                                          : &RevokeCase;
    fn = [r, f](const EngineContext& ctx, StoreTxn& t) { return f(ctx, t, r); };
  }
  return RunCommand(req, c, command, *id, std::move(fn));
}

HttpResponse ApiService::PreviewAssessment(const HttpRequest& req, const PathParams& p,
                                           const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("case " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  if (!body->contains("assessment")) {
    return ProblemResponse(InvalidArgument("assessment is required", "assessment"));
  }
  auto a = ParseAssessmentJson(body->at("assessment"));
  if (!a.ok()) return ProblemResponse(a.status());
  auto result = jiuzhu::PreviewAssessment(rt_.ctx(), rt_.store(), c.user, *id, a->household);
  if (!result.ok()) return ProblemResponse(result.status());
  return JsonResponse(200, {{"assessment", AssessmentToJson(*result)}});
}

HttpResponse ApiService::Inbox(const HttpRequest& req, const Caller& c) {
  InboxQuery q;
  q.roles = c.user.roles;
  q.username = c.user.username;
  q.now = rt_.ctx().clock->Now();
  const std::string view = Query(req, "view");
  if (view == "mine") {
    q.mine_only = true;
  } else if (view == "queue") {
    q.queue_only = true;
  } else if (!view.empty() && view != "all") {
    return ProblemResponse(InvalidArgument("view must be all, mine or queue", "view"));
  }
  q.programme = Query(req, "programme");
  q.kind = Query(req, "kind");
  q.org_unit_id = Query(req, "org_unit");
  if (const std::string o = Query(req, "overdue"); !o.empty()) {
    if (o != "true" && o != "false") return ProblemResponse(InvalidArgument("overdue must be true or false", "overdue"));
    q.overdue = o == "true";
  }
  if (const std::string d = Query(req, "due_before"); !d.empty()) {
    auto t = ParseInstant(d);
    if (!t.ok()) return ProblemResponse(InvalidArgument(t.status().message(), "due_before"));
    q.due_before = *t;
  }
  if (const std::string a = Query(req, "after"); !a.empty()) {
    const auto sep = a.find('_');
    auto due = sep == std::string::npos ? std::nullopt : ParseId(a.substr(0, sep));
    auto id = sep == std::string::npos ? std::nullopt : ParseId(a.substr(sep + 1));
    if (!due || !id) return ProblemResponse(InvalidArgument("after must be the next_after of the last page", "after"));
    q.after_due = *due;
    q.after_id = *id;
  }
  auto limit = Limit(req, 50, 200);
  if (!limit.ok()) return ProblemResponse(limit.status());
  q.limit = *limit;
  auto page = rt_.store().ListInbox(q);
  if (!page.ok()) return ProblemResponse(page.status());
  std::vector<CaseId> case_ids;
  case_ids.reserve(page->tasks.size());
  for (const auto& t : page->tasks) case_ids.push_back(t.case_id);
  auto cases = rt_.store().GetCases(case_ids);
  if (!cases.ok()) return ProblemResponse(cases.status());
  std::string next;
  if (static_cast<int>(page->tasks.size()) == q.limit) {
    next = std::to_string(page->tasks.back().due_at) + "_" + std::to_string(page->tasks.back().id);
  }
  // Written as text: a nlohmann tree per item cost about 70% of the request (bench/http_load).
  HttpResponse r;
  r.body = InboxPageJsonText(rt_, *page, *cases, next, q.now);
  return r;
}

HttpResponse ApiService::VisitTask(const HttpRequest& req, const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("task " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  VisitRequest v;
  v.actor = c.user;
  v.task_id = *id;
  auto version = ExpectedVersion(req, *body);
  if (!version.ok()) return ProblemResponse(version.status());
  v.expected_version = *version;
  for (auto [key, target] : {std::pair{"visited_on", &v.visited_on}, std::pair{"findings", &v.findings},
                             std::pair{"reason", &v.reason}}) {
    if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
  }
  if (Status s = ReadField(*body, "photos", &v.photos); !s.ok()) return ProblemResponse(s);
  std::string pool;
  if (Status s = ReadField(*body, "pool", &pool); !s.ok()) return ProblemResponse(s);
  if (!pool.empty()) {
    v.new_pool = ParsePool(pool);
    if (!v.new_pool || *v.new_pool == Pool::kNone) {
      return ProblemResponse(InvalidArgument("pool must be relief, monitoring or general", "pool"));
    }
  }
  return RunCommand(req, c, "task_visit", 0,
                    [v](const EngineContext& ctx, StoreTxn& txn) { return RecordVisit(ctx, txn, v); });
}

HttpResponse ApiService::TaskCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                                     const std::string& command) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("task " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  if (command == "claim" || command == "release") {
    jiuzhu::TaskCommand t{c.user, *id};
    const bool claim = command == "claim";
    return RunCommand(req, c, "task_" + command, 0, [t, claim](const EngineContext& ctx, StoreTxn& txn) {
      return claim ? ClaimTask(ctx, txn, t) : ReleaseTask(ctx, txn, t);
    });
  }
  if (command == "delegate") {
    std::string to, comment;
    if (Status s = ReadField(*body, "to", &to); !s.ok()) return ProblemResponse(s);
    if (Status s = ReadField(*body, "comment", &comment); !s.ok()) return ProblemResponse(s);
    if (to.empty()) return ProblemResponse(InvalidArgument("to: the colleague's username is required", "to"));
    auto target = rt_.store().FindUser(to);
    if (!target.ok()) return ProblemResponse(target.status());
    if (!*target) return ProblemResponse(InvalidArgument("unknown colleague " + to, "to"));
    DelegateRequest d{c.user, *id, **target, comment};
    return RunCommand(req, c, "task_delegate", 0,
                      [d](const EngineContext& ctx, StoreTxn& txn) { return DelegateTask(ctx, txn, d); });
  }
  CompleteTaskRequest r;
  r.actor = c.user;
  r.task_id = *id;
  auto version = ExpectedVersion(req, *body);
  if (!version.ok()) return ProblemResponse(version.status());
  r.expected_version = *version;
  for (auto [key, target] : {std::pair{"decision", &r.decision}, std::pair{"comment", &r.comment},
                             std::pair{"reason", &r.reason}, std::pair{"details", &r.details}}) {
    if (Status s = ReadField(*body, key, target); !s.ok()) return ProblemResponse(s);
  }
  if (r.decision.empty()) return ProblemResponse(InvalidArgument("decision is required", "decision"));
  if (Status s = ReadField(*body, "amount_yuan", &r.amount_yuan); !s.ok()) return ProblemResponse(s);
  if (body->contains("assessment")) {
    auto a = ParseAssessmentJson(body->at("assessment"));
    if (!a.ok()) return ProblemResponse(a.status());
    r.assessment = *a;
  }
  if (body->contains("pledge")) {
    auto pl = ParsePledgeJson(body->at("pledge"));
    if (!pl.ok()) return ProblemResponse(pl.status());
    r.pledge = *pl;
  }
  if (body->contains("review")) {
    auto rv = ParseReviewJson(body->at("review"));
    if (!rv.ok()) return ProblemResponse(rv.status());
    r.review = *rv;
  }
  if (body->contains("referrals")) {
    auto refs = ParseReferralsJson(body->at("referrals"));
    if (!refs.ok()) return ProblemResponse(refs.status());
    r.referrals = *refs;
  }
  return RunCommand(req, c, "task_complete", 0,
                    [r](const EngineContext& ctx, StoreTxn& txn) { return CompleteTask(ctx, txn, r); });
}

HttpResponse ApiService::BulkClaim(const HttpRequest& req, const Caller& c) {
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  if (!body->contains("task_ids") || !body->at("task_ids").is_array() || body->at("task_ids").empty()) {
    return ProblemResponse(InvalidArgument("task_ids must be a non-empty list", "task_ids"));
  }
  const auto& ids = body->at("task_ids");
  if (ids.size() > 100) return ProblemResponse(InvalidArgument("at most 100 tasks at once", "task_ids"));
  nlohmann::json results = nlohmann::json::array();
  int claimed = 0;
  for (const auto& v : ids) {
    const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    const auto id = ParseId(s);
    if (!id) {
      results.push_back({{"task_id", s}, {"status", 404}, {"detail", "not a task id"}});
      continue;
    }
    jiuzhu::TaskCommand t{c.user, *id};
    auto out = rt_.executor().Run<CommandOutcome>([&](StoreTxn& txn) { return ClaimTask(rt_.ctx(), txn, t); });
    metrics_.CountCommand("task_claim", out.ok());
    if (out.ok()) {
      ++claimed;
      results.push_back({{"task_id", s}, {"status", 200}});
    } else {
      results.push_back({{"task_id", s}, {"status", HttpStatusFor(out.status().code())},
                         {"detail", out.status().message()}});
    }
  }
  return JsonResponse(200, {{"claimed", claimed}, {"results", results}});
}

HttpResponse ApiService::StaticFile(const HttpRequest& req) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(options_.web_dir, ec);
  fs::path file = fs::weakly_canonical(root / ("." + req.path), ec);
  const std::string rs = root.string(), fsn = file.string();
  if (ec || fsn.compare(0, rs.size(), rs) != 0) {
    return Problem(404, "not-found", "未找到", "no such page");
  }
  if (!fs::is_regular_file(file, ec)) file = root / "index.html";  // the app routes itself
  std::ifstream in(file, std::ios::binary);
  if (!in) return Problem(404, "not-found", "未找到", "the web app is not built (run scripts/run.sh)");
  std::stringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.content_type = ContentTypeFor(file.string());
  r.body = ss.str();
  if (file.filename() != "index.html") r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace jiuzhu::http
