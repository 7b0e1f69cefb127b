#include "tests/support/api_harness.hpp"

#include <chrono>
#include <utility>

namespace jiuzhu::testing {

ApiHarness::ApiHarness() = default;

ApiHarness::~ApiHarness() { Stop(); }

void ApiHarness::Start(EngineHarness& engine, const ApiHarnessOptions& options) {
  ASSERT_FALSE(ready_) << "API harness started twice";
  ASSERT_TRUE(engine.ready()) << "start the API over a ready engine harness";
  engine_ = &engine;

  jwt_options_ = auth::JwtOptions{};
  jwt_options_.hs_secret = kApiJwtSecret;
  auto jwt = auth::JwtService::Create(jwt_options_, system_clock_);
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  jwt_ = std::move(jwt).value();
  throttle_clock_ = std::make_unique<ManualClock>(engine.clock().Now());
  throttle_ = std::make_unique<auth::LoginThrottle>(*throttle_clock_);
  metrics_ = std::make_unique<http::Metrics>();

  http::ApiOptions ao;
  ao.openapi_path = std::string(JIUZHU_SOURCE_DIR) + "/api/openapi.yaml";
  http::LogSink log = [this](const nlohmann::json& line) {
    std::lock_guard<std::mutex> lock(mu_);
    logs_.push_back(line);
  };
  api_ = std::make_unique<http::ApiService>(engine.rt(), *jwt_, *throttle_, *metrics_, ao, log);

  http::ServerOptions so;
  so.address = "127.0.0.1";
  so.port = 0;
  so.io_threads = options.io_threads;
  so.workers = options.workers;
  so.max_body_bytes = options.max_body_bytes;
  http::ApiService* api = api_.get();
  http::Metrics* metrics = metrics_.get();
  // As serve_command.cpp: metrics and one log line per answered request.
  server_ = std::make_unique<http::HttpServer>(
      so, [api](http::HttpRequest& req) { return api->Handle(req); },
      [metrics, log](const http::HttpRequest& req, const http::HttpResponse& res,
                     std::chrono::microseconds latency) {
        const std::string route = req.route_name.empty() ? "unmatched" : req.route_name;
        metrics->ObserveRequest(route, res.status, static_cast<double>(latency.count()) / 1e6);
        log({{"level", res.status >= 500 ? "error" : "info"},
             {"msg", "request"},
             {"request_id", req.request_id},
             {"user", req.username},
             {"method", req.method},
             {"route", route},
             {"status", res.status},
             {"latency_ms", static_cast<double>(latency.count()) / 1000.0}});
      });
  const Status started = server_->Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  ASSERT_NE(server_->port(), 0);
  client_ = std::make_unique<HttpClient>(server_->port());
  ready_ = true;
}

void ApiHarness::Stop() {
  client_.reset();
  if (server_) server_->Stop();
  server_.reset();
  api_.reset();
  ready_ = false;
}

std::uint16_t ApiHarness::port() const { return server_ ? server_->port() : 0; }

std::unique_ptr<HttpClient> ApiHarness::NewClient() const {
  return std::make_unique<HttpClient>(port());
}

std::string ApiHarness::Token(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(username);
  if (it != tokens_.end()) return it->second;
  auto token = jwt_->Issue(username);
  if (!token.ok()) {
    ADD_FAILURE() << "issuing a token for " << username << ": " << token.status().ToString();
    return {};
  }
  tokens_[username] = *token;
  return *token;
}

HeaderList ApiHarness::AuthHeaders(const std::string& username, const HeaderList& extra) {
  HeaderList headers;
  if (!username.empty()) headers.emplace_back("Authorization", "Bearer " + Token(username));
  headers.insert(headers.end(), extra.begin(), extra.end());
  return headers;
}

HttpResult ApiHarness::Get(const std::string& target, const std::string& username) {
  return client_->Request("GET", target, {}, AuthHeaders(username));
}

HttpResult ApiHarness::Post(const std::string& target, const nlohmann::json& body,
                            const std::string& username, const HeaderList& extra) {
  return PostText(target, body.dump(), username, extra);
}

HttpResult ApiHarness::PostText(const std::string& target, const std::string& body,
                                const std::string& username, const HeaderList& extra) {
  HeaderList headers = AuthHeaders(username, extra);
  headers.emplace_back("Content-Type", "application/json");
  return client_->Request("POST", target, body, headers);
}

std::string ApiHarness::Login(const std::string& username) {
  const HttpResult r =
      client_->Request("POST", "/api/v1/auth/login",
                       nlohmann::json{{"username", username}, {"password", kDemoPassword}}.dump(),
                       {{"Content-Type", "application/json"}});
  const auto j = r.Json();
  if (r.status != 200 || !j.is_object() || !j.contains("token") || !j.at("token").is_string()) {
    ADD_FAILURE() << "login of " << username << ": " << r.Describe();
    return {};
  }
  return j.at("token").get<std::string>();
}

std::vector<nlohmann::json> ApiHarness::Logs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return logs_;
}

}  // namespace jiuzhu::testing
