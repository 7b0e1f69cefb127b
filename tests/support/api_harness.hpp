// The HTTP API as the API tests drive it: the real ApiService behind the real HttpServer,
// listening on 127.0.0.1 at a port the kernel picked, over the Runtime of an EngineHarness
// (fresh database of one backend, demo org and people, ManualClock). Wired as `jiuzhu serve`
// wires them (api/cli/serve_command.cpp): the server's response observer feeds the Metrics
// and the request log, the API writes its transition log to the same sink.
//
// Clocks: cpp-jwt checks exp and nbf against the system clock whatever clock the JwtService
// has, so the server's JwtService runs on a SystemClock while the engine runs on the
// harness's ManualClock; the LoginThrottle has a ManualClock of its own (throttle_clock())
// that tests move instead of sleeping.
//
// Tokens: Token(username) signs the demo person in through the server's own JwtService (the
// token is the one POST /api/v1/auth/login would give, without the ~0.1 s PBKDF2 check per
// person and test); Login() goes through HTTP.
//
// Thread-safety: Start/Stop and the shared client() on the test's main thread; NewClient(),
// Token() (after the first call for that user), Logs() and the server itself from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/auth/jwt_service.hpp"
#include "api/auth/login_throttle.hpp"
#include "api/http/api_service.hpp"
#include "api/http/metrics.hpp"
#include "api/http/server.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/http_client.hpp"

namespace jiuzhu::testing {

// The password every demo person signs in with (workflows/org/demo-users.json).
inline constexpr char kDemoPassword[] = "jiuzhu2026";
// The server's HS256 secret (at least 32 bytes).
inline constexpr char kApiJwtSecret[] = "jiuzhu-api-test-jwt-secret-0123456789abcdef";

struct ApiHarnessOptions {
  std::size_t max_body_bytes = 64 * 1024;  // the server's body limit
  int workers = 8;
  int io_threads = 2;
};

class ApiHarness {
 public:
  ApiHarness();
  ~ApiHarness();  // Stop()s
  ApiHarness(const ApiHarness&) = delete;
  ApiHarness& operator=(const ApiHarness&) = delete;

  // Starts the API over `engine` (which must be ready and outlive this harness). Ends the
  // calling test fatally when anything fails; afterwards ready() tells.
  void Start(EngineHarness& engine, const ApiHarnessOptions& options = {});
  // Stops the server gracefully (every observer has run when it returns). Idempotent.
  void Stop();
  bool ready() const { return ready_; }

  std::uint16_t port() const;
  EngineHarness& engine() { return *engine_; }
  http::Metrics& metrics() { return *metrics_; }
  const http::ApiService& api() const { return *api_; }
  ManualClock& throttle_clock() { return *throttle_clock_; }
  // The options of the server's JwtService (HS256, kApiJwtSecret, issuer, audience, ttl):
  // change one thing to forge a token that differs from a good one only there.
  const auth::JwtOptions& jwt_options() const { return jwt_options_; }

  // The client of the test's main thread (one keep-alive connection).
  HttpClient& client() { return *client_; }
  // A client of its own, for another thread.
  std::unique_ptr<HttpClient> NewClient() const;

  // A valid token for `username`, issued once per harness by the server's JwtService.
  std::string Token(const std::string& username);
  // "Authorization: Bearer <Token(username)>" (nothing for an empty username), plus `extra`.
  HeaderList AuthHeaders(const std::string& username, const HeaderList& extra = {});

  // Requests on client() as `username` ("": without Authorization).
  HttpResult Get(const std::string& target, const std::string& username);
  HttpResult Post(const std::string& target, const nlohmann::json& body,
                  const std::string& username, const HeaderList& extra = {});
  HttpResult PostText(const std::string& target, const std::string& body,
                      const std::string& username, const HeaderList& extra = {});

  // Signs in over HTTP with the demo password; the token, or "" after reporting a failure.
  std::string Login(const std::string& username);

  // Every log line written so far (request lines from the observer, transitions from the API).
  std::vector<nlohmann::json> Logs() const;

 private:
  bool ready_ = false;
  EngineHarness* engine_ = nullptr;
  SystemClock system_clock_;
  auth::JwtOptions jwt_options_;
  std::unique_ptr<auth::JwtService> jwt_;
  std::unique_ptr<ManualClock> throttle_clock_;
  std::unique_ptr<auth::LoginThrottle> throttle_;
  std::unique_ptr<http::Metrics> metrics_;
  std::unique_ptr<http::ApiService> api_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<HttpClient> client_;

  mutable std::mutex mu_;
  std::vector<nlohmann::json> logs_;           // guarded by mu_
  std::map<std::string, std::string> tokens_;  // guarded by mu_
};

}  // namespace jiuzhu::testing
