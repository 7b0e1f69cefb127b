// Routing, authentication and the shared command path of the API.
#include "api/http/api_service.hpp"

#include <algorithm>

#include "api/auth/password_hasher.hpp"
#include "api/http/problem.hpp"
#include "api/runtime/case_json.hpp"
#include "engine/common/crypto.hpp"

namespace jiuzhu::http {

ApiService::ApiService(Runtime& rt, const auth::JwtService& jwt, auth::LoginThrottle& throttle,
                       Metrics& metrics, ApiOptions options, LogSink log)
    : rt_(rt),
      jwt_(jwt),
      throttle_(throttle),
      metrics_(metrics),
      options_(std::move(options)),
      log_(std::move(log)) {
  auto dummy = auth::HashPassword("jiuzhu-dummy-password-for-timing");
  if (dummy.ok()) dummy_password_hash_ = *dummy;
  AddRoutes();
}

void ApiService::AddPublic(const std::string& method, const std::string& pattern,
                           const std::string& name, Handler h) {
  router_.Add(method, pattern, name, std::move(h));
}

void ApiService::AddAuthed(const std::string& method, const std::string& pattern,
                           const std::string& name, Authed h) {
  router_.Add(method, pattern, name,
              [this, h = std::move(h)](HttpRequest& req, const PathParams& p) {
                auto caller = Authenticate(req);
                if (!caller.ok()) {
                  HttpResponse r = ProblemResponse(caller.status());
                  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"jiuzhu\"");
                  return r;
                }
                req.username = caller->user.username;
                return h(req, p, *caller);
              });
}

void ApiService::AddRoutes() {
  AddPublic("GET", "/healthz", "healthz", [this](HttpRequest&, const PathParams&) { return Healthz(); });
  AddPublic("GET", "/readyz", "readyz", [this](HttpRequest&, const PathParams&) { return Readyz(); });
  AddPublic("GET", "/metrics", "metrics", [this](HttpRequest&, const PathParams&) { return MetricsText(); });
  AddPublic("GET", "/api/openapi.yaml", "openapi", [this](HttpRequest&, const PathParams&) { return OpenApi(); });
  AddPublic("POST", "/api/v1/auth/login", "auth.login",
            [this](HttpRequest& req, const PathParams&) { return Login(req); });
  AddAuthed("GET", "/api/v1/me", "me", [this](HttpRequest&, const PathParams&, const Caller& c) { return Me(c); });
  AddAuthed("GET", "/api/v1/programmes", "programmes",
            [this](HttpRequest&, const PathParams&, const Caller&) { return Programmes(); });
  AddAuthed("GET", "/api/v1/org-units", "org_units",
            [this](HttpRequest&, const PathParams&, const Caller& c) { return OrgUnits(c); });
  AddAuthed("GET", "/api/v1/cases", "cases.list",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return ListCases(req, c); });
  AddAuthed("POST", "/api/v1/cases", "cases.discover",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return DiscoverCase(req, c); });
  AddAuthed("GET", "/api/v1/cases/{id}", "cases.get",
            [this](HttpRequest&, const PathParams& p, const Caller& c) { return GetCase(p, c); });
  for (const char* command : {"accept", "assess", "pledge", "choose-ordinary", "review", "approve",
                              "reject", "send-back", "refer", "feedback", "monitor", "reassess",
                              "close", "revoke"}) {
    const std::string cmd = command;
    AddAuthed("POST", "/api/v1/cases/{id}/" + cmd, "cases." + cmd,
              [this, cmd](HttpRequest& req, const PathParams& p, const Caller& c) {
                return CaseCommand(req, p, c, cmd);
              });
  }
  AddAuthed("POST", "/api/v1/cases/{id}/assessment/preview", "cases.assessment_preview",
            [this](HttpRequest& req, const PathParams& p, const Caller& c) {
              return PreviewAssessment(req, p, c);
            });
  AddAuthed("GET", "/api/v1/inbox", "inbox",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return Inbox(req, c); });
  AddAuthed("POST", "/api/v1/tasks/{id}/visit", "tasks.visit",
            [this](HttpRequest& req, const PathParams& p, const Caller& c) { return VisitTask(req, p, c); });
  AddBoardRoutes();
  AddPostAuditRoutes();
  AddAlertRoutes();
  AddReferralRoutes();
  AddAuthed("POST", "/api/v1/tasks/bulk-claim", "tasks.bulk_claim",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BulkClaim(req, c); });
  for (const char* command : {"claim", "release", "complete", "delegate"}) {
    const std::string cmd = command;
    AddAuthed("POST", "/api/v1/tasks/{id}/" + cmd, "tasks." + cmd,
              [this, cmd](HttpRequest& req, const PathParams& p, const Caller& c) {
                return TaskCommand(req, p, c, cmd);
              });
  }
}

HttpResponse ApiService::Handle(HttpRequest& req) {
  const auto match = router_.Find(req.method, req.path);
  if (match.route == nullptr) {
    req.route_name = "unmatched";
    if (match.path_known) {
      HttpResponse r = Problem(405, "method-not-allowed", "不支持的请求方式",
                               "method " + req.method + " is not allowed on " + req.path);
      // RFC 9110 §15.5.6: a 405 must list the methods the resource supports.
      std::vector<std::string> methods;
      for (const auto& route : router_.routes()) {
        if (std::find(methods.begin(), methods.end(), route.method) != methods.end()) continue;
        if (router_.Find(route.method, req.path).route != nullptr) methods.push_back(route.method);
      }
      std::string allow;
      for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    if (req.method == "GET" && !options_.web_dir.empty() && req.path.rfind("/api/", 0) != 0) {
      req.route_name = "static";
      return StaticFile(req);
    }
    return Problem(404, "not-found", "未找到", "no such resource: " + req.path);
  }
  req.route_name = match.route->name;
  try {
    return match.route->handler(req, match.params);
  } catch (const std::exception& e) {
    log_({{"level", "error"}, {"msg", "handler failed"}, {"request_id", req.request_id},
          {"route", req.route_name}, {"error", e.what()}});
    return ProblemResponse(Internal("unexpected failure; request id " + req.request_id));
  }
}

Result<UserRecord> ApiService::CachedUser(const std::string& username) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(users_mu_);
    auto it = users_.find(username);
    if (it != users_.end() && now - it->second.loaded < options_.user_cache_ttl) {
      return it->second.user;
    }
  }
  JZ_ASSIGN_OR_RETURN(auto user, rt_.store().FindUser(username));
  if (!user) return Status(ErrorCode::kUnauthenticated, "the account no longer exists");
  std::lock_guard<std::mutex> lock(users_mu_);
  if (users_.size() > 10000) users_.clear();
  users_[username] = CachedUserEntry{*user, now};
  return std::move(*user);
}

Result<ApiService::Caller> ApiService::Authenticate(const HttpRequest& req) {
  const std::string header = req.Header("authorization");
  static const std::string kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    return Status(ErrorCode::kUnauthenticated, "sign in first: send Authorization: Bearer <token>");
  }
  auto claims = jwt_.Verify(header.substr(kBearer.size()));
  if (!claims.ok()) return Status(ErrorCode::kUnauthenticated, claims.status().message());
  JZ_ASSIGN_OR_RETURN(UserRecord user, CachedUser(claims->subject));
  return Caller{std::move(user)};
}

HttpResponse ApiService::Login(HttpRequest& req) {
  const auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Problem(400, "malformed-json", "请求格式错误", "the body must be a JSON object");
  }
  // Types are checked before reading: json::value() throws on a non-string.
  auto text = [&body](const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string username = text("username");
  const std::string password = text("password");
  if (username.empty()) return ProblemResponse(InvalidArgument("username is required", "username"));
  if (password.empty()) return ProblemResponse(InvalidArgument("password is required", "password"));
  req.username = username;
  if (const Micros wait = throttle_.RetryAfter(username); wait > 0) {
    HttpResponse r = Problem(429, "too-many-attempts", "登录尝试过多，请稍后再试",
                             "too many failed sign-ins for this account; wait and try again");
    r.headers.emplace_back("Retry-After", std::to_string((wait + kMicrosPerSecond - 1) / kMicrosPerSecond));
    return r;
  }
  auto user = rt_.store().FindUser(username);
  if (!user.ok()) return ProblemResponse(user.status());
  // Unknown users are checked against a dummy hash so timing does not tell.
  const std::string& stored = *user && !(*user)->password_hash.empty() ? (*user)->password_hash
                                                                     : dummy_password_hash_;
  const bool ok = auth::VerifyPassword(password, stored) && *user &&
                  !(*user)->password_hash.empty();
  if (!ok) {
    throttle_.RecordFailure(username);
    return Problem(401, "bad-credentials", "用户名或密码错误", "wrong username or password");
  }
  throttle_.RecordSuccess(username);
  auto token = jwt_.Issue(username);
  if (!token.ok()) return ProblemResponse(token.status());
  {
    std::lock_guard<std::mutex> lock(users_mu_);
    users_.erase(username);
  }
  nlohmann::json roles = nlohmann::json::array();
  for (const auto& rb : (*user)->roles) roles.push_back({{"role", rb.role}, {"org_unit", rb.org_unit_id}});
  return JsonResponse(200, {{"token", *token},
                            {"token_type", "Bearer"},
                            {"expires_in", jwt_.ttl_seconds()},
                            {"user", {{"username", username}, {"display_name", (*user)->display_name}, {"roles", roles}}}});
}

Result<ApiService::CommandAnswer> ApiService::RunIdempotent(const HttpRequest& req,
                                                             const Caller& caller, AnswerFn fn) {
  const std::string key = req.Header("idempotency-key");
  if (key.size() > 128) {
    return InvalidArgument("Idempotency-Key is longer than 128 characters", "Idempotency-Key");
  }
  if (!key.empty() && (key.front() == ' ' || key.back() == ' ' || key.front() == '\t' || key.back() == '\t')) {
    // MySQL collations ignore trailing spaces; refuse such keys everywhere alike.
    return InvalidArgument("Idempotency-Key must not start or end with spaces", "Idempotency-Key");
  }
  const std::string request_hash = Sha256Hex(req.method + "\n" + req.path + "\n" + req.body);
  auto answer = rt_.executor().Run<CommandAnswer>([&](StoreTxn& txn) -> Result<CommandAnswer> {
    if (!key.empty()) {
      JZ_ASSIGN_OR_RETURN(auto previous, txn.FindIdempotency(caller.user.username, key));
      if (previous) {
        if (previous->request_hash != request_hash) {
          return InvalidArgument("this Idempotency-Key was already used for a different request",
                                 "Idempotency-Key");
        }
        return CommandAnswer{previous->status, previous->response_body, true};
      }
    }
    JZ_ASSIGN_OR_RETURN(CommandAnswer a, fn(txn));
    if (!key.empty()) {
      JZ_RETURN_IF_ERROR(txn.SaveIdempotency(IdempotencyRecord{caller.user.username, key, request_hash,
                                                               a.status, a.body, rt_.ctx().clock->Now()}));
    }
    return a;
  });
  if (!answer.ok() && !key.empty()) {
    // Concurrent retries: under READ COMMITTED (MySQL) the lookup above locks
    // no missing row, so two requests with one key can both miss it; the
    // loser's command then fails (nothing written) or its insert of the key
    // collides. Once the winner has committed, its answer is the loser's too.
    auto winner = rt_.executor().Run<std::optional<IdempotencyRecord>>(
        [&](StoreTxn& txn) { return txn.FindIdempotency(caller.user.username, key); });
    if (winner.ok() && *winner) {
      if ((*winner)->request_hash != request_hash) {
        return InvalidArgument("this Idempotency-Key was already used for a different request",
                               "Idempotency-Key");
      }
      return CommandAnswer{(*winner)->status, (*winner)->response_body, true};
    }
  }
  return answer;
}

HttpResponse ApiService::AnswerResponse(const CommandAnswer& a) {
  HttpResponse r;
  r.status = a.status;
  r.body = a.body;
  if (a.replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
  return r;
}

HttpResponse ApiService::RunCommand(const HttpRequest& req, const Caller& caller,
                                    const std::string& name, CaseId case_id, CaseFn fn,
                                    int success_status) {
  std::optional<CommandOutcome> outcome;
  auto answer = RunIdempotent(req, caller, [&](StoreTxn& txn) -> Result<CommandAnswer> {
    outcome.reset();
    JZ_ASSIGN_OR_RETURN(CommandOutcome out, fn(rt_.ctx(), txn));
    const int status = out.existing ? 200 : success_status;
    CommandAnswer a{status, OutcomeJson(rt_, out, rt_.ctx().clock->Now()).dump(), false};
    outcome = std::move(out);
    return a;
  });
  metrics_.CountCommand(name, answer.ok());
  if (!answer.ok()) {
    HttpResponse r = ProblemResponse(answer.status());
    const ErrorCode code = answer.status().code();
    if (case_id != 0 && (code == ErrorCode::kConflict || code == ErrorCode::kFailedPrecondition)) {
      // The caller could act on the case, so it may see where it stands now.
      auto current = rt_.store().GetCase(case_id);
      if (current.ok() && *current) {
        auto j = nlohmann::json::parse(r.body);
        j["current"] = {{"state", CaseStateName((*current)->state)},
                        {"state_label", CaseStateLabelZh((*current)->state)},
                        {"version", (*current)->version}};
        r.body = j.dump();
      }
    }
    return r;
  }
  if (outcome && sender_ != nullptr) {
    for (const auto& n : outcome->notifications) sender_->Send(n);
  }
  if (outcome && !outcome->existing) {
    log_({{"level", "info"}, {"msg", "transition"}, {"request_id", req.request_id},
          {"user", caller.user.username}, {"command", name},
          {"case", std::to_string(outcome->case_after.id)}, {"from", outcome->event.from_state},
          {"to", outcome->event.to_state}, {"version", outcome->case_after.version}});
  }
  return AnswerResponse(*answer);
}

}  // namespace jiuzhu::http
