// Alerts (监测预警, issue 7): POST /api/v1/alerts for data-comparison and sensor feeds,
// GET /api/v1/alerts for the people who follow them. Rules in engine/usecases/alerts.
#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "api/runtime/case_json.hpp"
#include "engine/access/access_policy.hpp"
#include "engine/usecases/alerts.hpp"

namespace jiuzhu::http {

namespace {

nlohmann::json AlertJson(const AlertRecord& a, const Runtime& rt) {
  const AlertKind* kind = rt.alert_rules().Find(a.kind);
  return {{"id", std::to_string(a.id)},
          {"received_at", FormatUtc(a.received_at)},
          {"received_by", a.received_by},
          {"source", a.source},
          {"kind", a.kind},
          {"kind_name", kind ? kind->name : a.kind},
          {"external_id", a.external_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.external_id)},
          {"id_number", a.id_masked},
          {"occurred_at", a.occurred_at ? nlohmann::json(FormatUtc(a.occurred_at)) : nlohmann::json(nullptr)},
          {"amount_yuan", static_cast<double>(a.amount_fen) / 100.0},
          {"details", a.details},
          {"status", a.status},
          {"error", a.error},
          {"case_id", a.case_id ? nlohmann::json(std::to_string(a.case_id)) : nlohmann::json(nullptr)},
          {"task_id", a.task_id ? nlohmann::json(std::to_string(a.task_id)) : nlohmann::json(nullptr)}};
}

}  // namespace

void ApiService::AddAlertRoutes() {
  AddAuthed("POST", "/api/v1/alerts", "alerts.receive",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return ReceiveAlert(req, c); });
  AddAuthed("GET", "/api/v1/alerts", "alerts.list",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return ListAlerts(req, c); });
}

// Every alert is kept: matched → 201 with the review task; unmatched or below the
// threshold → 202; unreadable → 422 naming the problem and the id it was kept under; a
// resend of a stored (source, external_id) → 200 with what was stored.
HttpResponse ApiService::ReceiveAlert(const HttpRequest& req, const Caller& c) {
  std::optional<AlertOutcome> outcome;
  auto done = rt_.executor().Run<AlertOutcome>([&](StoreTxn& txn) {
    return IngestAlert(rt_.ctx(), rt_.alert_rules(), txn, c.user, req.body);
  });
  metrics_.CountCommand("alert", done.ok());
  if (!done.ok()) return ProblemResponse(done.status());
  const AlertRecord& a = done->alert;
  if (done->replayed) return JsonResponse(200, {{"alert", AlertJson(a, rt_)}, {"replayed", true}});
  if (a.status == "malformed") {
    const auto colon = a.error.find(": ");
    const std::string field = colon == std::string::npos ? "body" : a.error.substr(0, colon);
    HttpResponse r = ProblemResponse(
        InvalidArgument("alert kept as malformed (id " + std::to_string(a.id) + "): " + a.error, field));
    auto j = nlohmann::json::parse(r.body);
    j["alert"] = AlertJson(a, rt_);
    r.body = j.dump();
    return r;
  }
  nlohmann::json body = {{"alert", AlertJson(a, rt_)}};
  if (done->command) body["case"] = OutcomeJson(rt_, *done->command, rt_.ctx().clock->Now());
  return JsonResponse(a.status == "matched" ? 201 : 202, body);
}

// Alerts matched to households in the caller's units, newest first; those that named
// nobody (or could not be read) for city-level staff and the feeds themselves.
HttpResponse ApiService::ListAlerts(const HttpRequest& req, const Caller& c) {
  auto limit = Limit(req, 50, 500);
  if (!limit.ok()) return ProblemResponse(limit.status());
  AlertQuery q;
  q.limit = *limit;
  q.status = Query(req, "status");
  if (!q.status.empty() && q.status != "matched" && q.status != "unmatched" &&
      q.status != "below_threshold" && q.status != "malformed") {
    return ProblemResponse(
        InvalidArgument("status must be matched, unmatched, below_threshold or malformed", "status"));
  }
  if (const std::string cur = Query(req, "cursor"); !cur.empty()) {
    auto n = ParseId(cur);
    if (!n) return ProblemResponse(InvalidArgument("cursor must be the next_cursor of the last page", "cursor"));
    q.before_id = *n;
  }
  if (const std::string cid = Query(req, "case_id"); !cid.empty()) {
    auto n = ParseId(cid);
    if (!n) return ProblemResponse(InvalidArgument("case_id must be a case's id", "case_id"));
    q.case_id = *n;
  }
  q.org_paths = ScopePaths(rt_.org(), c.user);
  for (const auto& b : c.user.roles) {
    const OrgUnitRecord* u = rt_.org().Find(b.org_unit_id);
    if (b.role == kFeedRole || (u != nullptr && u->tier == Tier::kCity)) q.unmatched_too = true;
  }
  auto list = rt_.store().ListAlerts(q);
  if (!list.ok()) return ProblemResponse(list.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : *list) items.push_back(AlertJson(a, rt_));
  nlohmann::json next = nullptr;
  if (static_cast<int>(list->size()) == *limit) next = std::to_string(list->back().id);
  return JsonResponse(200, {{"items", items}, {"next_cursor", next}});
}

}  // namespace jiuzhu::http
