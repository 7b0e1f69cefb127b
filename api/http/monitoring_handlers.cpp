// 监测预警 over HTTP: alerts from data-comparison and sensor feeds (POST, kept
// whatever their fate) and their list (GET) for the feeds and supervisors.
#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "engine/usecases/monitoring.hpp"

namespace jiuzhu::http {

namespace {

nlohmann::json AlertJson(const AlertRecord& a) {
  return {{"id", std::to_string(a.id)},
          {"received_at", FormatUtc(a.received_at)},
          {"received_by", a.received_by},
          {"source", a.source},
          {"kind", a.kind},
          {"id_number", a.id_masked},
          {"status", AlertStatusName(a.status)},
          {"case_id", a.case_id ? std::to_string(a.case_id) : ""},
          {"task_id", a.task_id ? std::to_string(a.task_id) : ""},
          {"error", a.error},
          {"payload", nlohmann::json::parse(a.payload, nullptr, false).is_discarded()
                          ? nlohmann::json(a.payload)
                          : nlohmann::json::parse(a.payload, nullptr, false)}};
}

// Reads a string member; a wrong type becomes the alert's problem.
void ReadAlertField(const nlohmann::json& j, const char* key, std::string* out, AlertRequest* r) {
  if (!j.contains(key) || j.at(key).is_null()) return;
  if (!j.at(key).is_string()) {
    if (r->problem.empty()) {
      r->problem = std::string(key) + " must be text";
      r->problem_field = key;
    }
    return;
  }
  *out = j.at(key).get<std::string>();
}

}  // namespace

void ApiService::AddMonitoringRoutes() {
  AddAuthed("POST", "/api/v1/alerts", "alerts.receive",
            [this](HttpRequest& req, const PathParams&, const Caller& c) {
              return ReceiveAlerts(req, c);
            });
  AddAuthed(
      "GET", "/api/v1/alerts", "alerts.list",
      [this](HttpRequest& req, const PathParams&, const Caller& c) { return ListAlerts(req, c); });
}

HttpResponse ApiService::ReceiveAlerts(const HttpRequest& req, const Caller& c) {
  AlertRequest r;
  r.actor = c.user;
  r.raw = req.body;
  const auto body =
      nlohmann::json::parse(req.body.empty() ? std::string("{}") : req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    r.problem = "the alert must be a JSON object";
    r.problem_field = "body";
  } else {
    ReadAlertField(body, "source", &r.source, &r);
    ReadAlertField(body, "kind", &r.kind, &r);
    ReadAlertField(body, "id_number", &r.id_number, &r);
    ReadAlertField(body, "occurred_on", &r.occurred_on, &r);
    if (body.contains("details") && !body.at("details").is_null()) r.details = body.at("details");
  }
  auto out = rt_.executor().Run<AlertOutcome>(
      [&](StoreTxn& txn) { return ReceiveAlert(rt_.ctx(), txn, r); });
  if (!out.ok()) return ProblemResponse(out.status());
  if (!out->problem.ok()) {
    // Kept as malformed (listed by GET /api/v1/alerts); the feed is told what is wrong.
    HttpResponse p = ProblemResponse(out->problem);
    auto j = nlohmann::json::parse(p.body, nullptr, false);
    if (j.is_object()) {
      j["alert_id"] = std::to_string(out->alert.id);
      p.body = j.dump();
    }
    return p;
  }
  return JsonResponse(202, AlertJson(out->alert));
}

HttpResponse ApiService::ListAlerts(const HttpRequest& req, const Caller& c) {
  bool allowed = false;
  for (const auto& rb : c.user.roles) {
    const RoleDef* role = rt_.programmes().Role(rb.role);
    allowed = allowed || rb.role == kDataFeedRole || (role && role->supervises);
  }
  if (!allowed) {
    return ProblemResponse(PermissionDenied("alerts are listed for data feeds and supervisors"));
  }
  AlertQuery q;
  if (const std::string s = Query(req, "status"); !s.empty() && s != "all") {
    q.status = ParseAlertStatus(s);
    if (!q.status) {
      return ProblemResponse(
          InvalidArgument("status must be matched, unmatched, malformed or all", "status"));
    }
  }
  if (const std::string b = Query(req, "before"); !b.empty()) {
    auto id = ParseId(b);
    if (!id)
      return ProblemResponse(
          InvalidArgument("before must be the next_before of the last page", "before"));
    q.before_id = *id;
  }
  auto limit = Limit(req, 50, 200);
  if (!limit.ok()) return ProblemResponse(limit.status());
  q.limit = *limit;
  auto alerts = rt_.store().ListAlerts(q);
  if (!alerts.ok()) return ProblemResponse(alerts.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : *alerts) items.push_back(AlertJson(a));
  std::string next;
  if (static_cast<int>(alerts->size()) == q.limit) next = std::to_string(alerts->back().id);
  return JsonResponse(200, {{"items", items}, {"next_before", next}});
}

}  // namespace jiuzhu::http
