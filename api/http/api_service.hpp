// The HTTP/JSON API of Jiuzhu (/api/v1/...): authentication, then a thin
// adapter per route — parse, authorise through the engine's access policy,
// run the engine use case through the group-commit executor, map the result
// to JSON or a problem document. No business rule lives here.
//
// Thread-safe: Handle() is called concurrently by the server's workers.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "api/auth/jwt_service.hpp"
#include "api/auth/login_throttle.hpp"
#include "api/http/http_message.hpp"
#include "api/http/metrics.hpp"
#include "api/http/router.hpp"
#include "api/runtime/deadline_clock.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/usecases/case_commands.hpp"
#include "engine/usecases/supervision.hpp"

namespace jiuzhu::http {

struct ApiOptions {
  std::string openapi_path;  // served at /api/openapi.yaml
  std::string web_dir;       // static files served at / (empty: none)
  // How long a user's roles are cached between database reads.
  std::chrono::seconds user_cache_ttl{30};
};

// One structured log line (JSON object); the server writes it with spdlog.
using LogSink = std::function<void(const nlohmann::json&)>;

class ApiService {
 public:
  ApiService(Runtime& rt, const auth::JwtService& jwt, auth::LoginThrottle& throttle,
             Metrics& metrics, ApiOptions options, LogSink log);

  HttpResponse Handle(HttpRequest& req);
  // Where notifications written by commands go after commit (besides the
  // database); none by default. Set before serving.
  void SetNotificationSender(NotificationSender* sender) { sender_ = sender; }
  const Router& router() const { return router_; }

 private:
  struct Caller {
    UserRecord user;
  };
  using Authed = std::function<HttpResponse(HttpRequest&, const PathParams&, const Caller&)>;
  using CaseFn = std::function<Result<CommandOutcome>(const EngineContext&, StoreTxn&)>;

  void AddRoutes();
  void AddPublic(const std::string& method, const std::string& pattern, const std::string& name,
                 Handler h);
  void AddAuthed(const std::string& method, const std::string& pattern, const std::string& name,
                 Authed h);
  Result<Caller> Authenticate(const HttpRequest& req);
  Result<UserRecord> CachedUser(const std::string& username);

  // The answer of a command, stored for its Idempotency-Key.
  struct CommandAnswer {
    int status = 0;
    std::string body;
    bool replayed = false;
  };
  using AnswerFn = std::function<Result<CommandAnswer>(StoreTxn&)>;
  // Runs `fn` in the executor with Idempotency-Key support: a retried request
  // with the same key gets the stored answer (replayed) and runs nothing.
  Result<CommandAnswer> RunIdempotent(const HttpRequest& req, const Caller& caller, AnswerFn fn);
  static HttpResponse AnswerResponse(const CommandAnswer& a);

  // Runs a command with Idempotency-Key support; 409 answers carry the case's
  // current state and version.
  HttpResponse RunCommand(const HttpRequest& req, const Caller& caller, const std::string& name,
                          CaseId case_id, CaseFn fn, int success_status = 200);

  // Route handlers (api_*.cpp).
  HttpResponse Login(HttpRequest& req);
  HttpResponse Me(const Caller& c);
  HttpResponse Healthz();
  HttpResponse Readyz();
  HttpResponse MetricsText();
  HttpResponse OpenApi();
  HttpResponse Programmes();
  HttpResponse OrgUnits(const Caller& c);
  HttpResponse ListCases(const HttpRequest& req, const Caller& c);
  HttpResponse GetCase(const PathParams& p, const Caller& c);
  HttpResponse DiscoverCase(const HttpRequest& req, const Caller& c);
  HttpResponse CaseCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                           const std::string& command);
  HttpResponse PreviewAssessment(const HttpRequest& req, const PathParams& p, const Caller& c);
  HttpResponse Inbox(const HttpRequest& req, const Caller& c);
  HttpResponse TaskCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                           const std::string& command);
  HttpResponse BulkClaim(const HttpRequest& req, const Caller& c);
  HttpResponse VisitTask(const HttpRequest& req, const PathParams& p, const Caller& c);
  HttpResponse StaticFile(const HttpRequest& req);

  // Referral proposals and the department's referral inbox (referral_handlers.cpp).
  void AddReferralRoutes();
  HttpResponse ReferralProposals(const PathParams& p, const Caller& c);
  HttpResponse DepartmentReferrals(const HttpRequest& req, const Caller& c);

  // Supervisors' board and notifications (board_handlers.cpp).
  void AddBoardRoutes();
  struct BoardScope {
    const OrgUnitRecord* unit = nullptr;          // the unit looked at
    std::vector<const OrgUnitRecord*> breadcrumb;  // from the caller's supervised unit down
  };
  Result<BoardScope> ResolveBoardUnit(const HttpRequest& req, const Caller& c);
  HttpResponse BoardSummary(const HttpRequest& req, const Caller& c);
  HttpResponse BoardTrend(const HttpRequest& req, const Caller& c);
  HttpResponse BoardOverdue(const HttpRequest& req, const Caller& c, const std::string& format);
  HttpResponse BoardDecisionTimes(const HttpRequest& req, const Caller& c);
  HttpResponse BoardAssignees(const HttpRequest& req, const Caller& c);
  HttpResponse BoardPools(const HttpRequest& req, const Caller& c);
  HttpResponse ReassignTask(const HttpRequest& req, const PathParams& p, const Caller& c);
  HttpResponse RemindTask(const HttpRequest& req, const PathParams& p, const Caller& c);
  HttpResponse Notifications(const HttpRequest& req, const Caller& c);
  HttpResponse Policies(const HttpRequest& req, const Caller& c);
  HttpResponse MarkNotificationsRead(const PathParams& p, const Caller& c, bool all);
  // Alerts (alert_handlers.cpp).
  void AddAlertRoutes();
  HttpResponse ReceiveAlert(const HttpRequest& req, const Caller& c);
  HttpResponse ListAlerts(const HttpRequest& req, const Caller& c);
  // Post-audit (audit_handlers.cpp).
  void AddPostAuditRoutes();
  HttpResponse PostAuditPopulation(const HttpRequest& req, const Caller& c);
  HttpResponse CreateAuditSample(const HttpRequest& req, const Caller& c);
  HttpResponse ListAuditSamples(const HttpRequest& req, const Caller& c);
  HttpResponse GetAuditSample(const PathParams& p, const Caller& c);
  HttpResponse DrawAuditSample(const HttpRequest& req, const PathParams& p, const Caller& c);
  HttpResponse VerifyAuditSample(const PathParams& p, const Caller& c);
  HttpResponse ListAuditItems(const HttpRequest& req, const Caller& c);
  HttpResponse AuditItemCommand(const HttpRequest& req, const PathParams& p, const Caller& c,
                                const std::string& step);
  HttpResponse CreditRecords(const HttpRequest& req, const Caller& c);
  HttpResponse PostAuditStatistics(const HttpRequest& req, const Caller& c);
  Result<PeopleIndex> People();

  Runtime& rt_;
  const auth::JwtService& jwt_;
  auth::LoginThrottle& throttle_;
  Metrics& metrics_;
  ApiOptions options_;
  LogSink log_;
  Router router_;
  std::string dummy_password_hash_;  // verified for unknown users: equal timing
  NotificationSender* sender_ = nullptr;

  std::mutex users_mu_;
  struct CachedUserEntry {
    UserRecord user;
    std::chrono::steady_clock::time_point loaded;
  };
  std::map<std::string, CachedUserEntry> users_;  // guarded by users_mu_
};

}  // namespace jiuzhu::http
