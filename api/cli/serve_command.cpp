#include "api/cli/serve_command.hpp"

#include <sys/stat.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "api/auth/jwt_service.hpp"
#include "api/auth/login_throttle.hpp"
#include "api/http/api_service.hpp"
#include "api/http/server.hpp"
#include "api/runtime/demo_data.hpp"
#include "api/runtime/deadline_clock.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/common/crypto.hpp"

namespace jiuzhu::cli {

namespace {

// Flag, else environment variable, else default.
std::string Setting(const Args& args, const std::string& flag, const char* env,
                    const std::string& fallback) {
  if (auto v = args.Get(flag)) return *v;
  if (const char* e = std::getenv(env); e && *e) return e;
  return fallback;
}

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// The HS256 secret for an embedded deployment: random, kept beside the database.
Result<std::string> LocalJwtSecret(const std::string& db_url) {
  std::string path = db_url.rfind("sqlite:", 0) == 0 ? db_url.substr(7) : db_url;
  path += ".jwt-secret";
  if (std::filesystem::exists(path)) return ReadSecretFile(path);
  JZ_ASSIGN_OR_RETURN(std::string raw, RandomBytes(32));
  const std::string hex = HexEncode(raw);
  const mode_t old = umask(077);
  std::ofstream out(path, std::ios::binary);
  out << hex << "\n";
  umask(old);
  if (!out) return Unavailable("cannot write " + path);
  return hex;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return s.code() == ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

const std::set<std::string>& ServeOptions() {
  static const std::set<std::string> kOptions = {
      "listen", "demo", "jwt-secret-file", "jwt-algorithm", "jwt-private-key", "jwt-public-key",
      "workers", "io-threads", "log-level", "web", "openapi", "clock-interval-ms"};
  return kOptions;
}

int CmdServe(const Args& args) {
  auto logger = spdlog::stdout_logger_mt("jiuzhu");
  logger->set_pattern("%v");
  const std::string level = Setting(args, "log-level", "JIUZHU_LOG_LEVEL", "info");
  const auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") {
    return Fail(InvalidArgument("unknown log level " + level + " (trace, debug, info, warn, error, off)", "log-level"));
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::info);
  // The deadline clock and the notification sender log through the default logger: same lines.
  spdlog::set_default_logger(logger);
  auto log = [logger](nlohmann::json line) {
    line["ts"] = FormatUtc(SystemClock().Now());
    const std::string lvl_name = line.value("level", "info");
    const auto l = spdlog::level::from_str(lvl_name);
    logger->log(l == spdlog::level::off ? spdlog::level::info : l, line.dump());
  };

  RuntimeOptions ro;
  ro.db_url = Setting(args, "db", "JIUZHU_DB", ro.db_url);
  ro.workflows_dir = args.GetOr("workflows", "");
  ro.migrations_dir = args.GetOr("migrations", "");
  if (auto f = args.Get("secret-file")) {
    auto s = ReadSecretFile(*f);
    if (!s.ok()) return Fail(s.status());
    ro.secret = *s;
  }
  auto rt_or = Runtime::Open(ro);
  if (!rt_or.ok()) return Fail(rt_or.status());
  Runtime& rt = **rt_or;
  if (Status s = rt.Migrate(); !s.ok()) return Fail(s);
  if (Status s = rt.LoadOrg(); !s.ok()) {
    if (!args.Has("demo")) return Fail(s);
    auto demo = LoadDemo(rt, DemoOptions{});
    if (!demo.ok()) return Fail(demo.status());
    log({{"level", "info"}, {"msg", "demo data loaded"}, {"cases", demo->cases}});
  }

  auth::JwtOptions jo;
  jo.algorithm = Setting(args, "jwt-algorithm", "JIUZHU_JWT_ALGORITHM", "HS256");
  if (jo.algorithm == "RS256") {
    auto priv = ReadSecretFile(Setting(args, "jwt-private-key", "JIUZHU_JWT_PRIVATE_KEY", ""));
    auto pub = ReadSecretFile(Setting(args, "jwt-public-key", "JIUZHU_JWT_PUBLIC_KEY", ""));
    if (!priv.ok()) return Fail(InvalidArgument("RS256 needs --jwt-private-key FILE", "jwt-private-key"));
    if (!pub.ok()) return Fail(InvalidArgument("RS256 needs --jwt-public-key FILE", "jwt-public-key"));
    jo.rs_private_pem = *priv;
    jo.rs_public_pem = *pub;
  } else if (auto f = args.Get("jwt-secret-file")) {
    auto s = ReadSecretFile(*f);
    if (!s.ok()) return Fail(s.status());
    jo.hs_secret = *s;
  } else if (const char* e = std::getenv("JIUZHU_JWT_SECRET"); e && *e) {
    jo.hs_secret = e;
  } else if (rt.dialect() == "sqlite") {
    auto s = LocalJwtSecret(ro.db_url);
    if (!s.ok()) return Fail(s.status());
    jo.hs_secret = *s;
  } else {
    return Fail(InvalidArgument("set JIUZHU_JWT_SECRET or --jwt-secret-file for a MySQL deployment",
                                "jwt-secret-file"));
  }
  SystemClock clock;
  auto jwt = auth::JwtService::Create(jo, clock);
  if (!jwt.ok()) return Fail(jwt.status());
  auth::LoginThrottle throttle(clock);
  http::Metrics metrics;

  http::ApiOptions ao;
  ao.openapi_path = args.GetOr("openapi", DefaultWorkflowsDir() + "/../api/openapi.yaml");
  ao.web_dir = Setting(args, "web", "JIUZHU_WEB_DIR", DefaultWorkflowsDir() + "/../web/dist");
  if (!std::filesystem::is_directory(ao.web_dir)) ao.web_dir.clear();
  http::ApiService api(rt, **jwt, throttle, metrics, ao, log);
  // The deadline clock: overdue marking and escalation, notifications, the daily overdue record.
  LogNotificationSender sender;
  api.SetNotificationSender(&sender);
  DeadlineClockOptions clock_options;
  const long interval_ms = std::atol(Setting(args, "clock-interval-ms", "JIUZHU_CLOCK_INTERVAL_MS", "1000").c_str());
  if (interval_ms < 10 || interval_ms > 3600000) {
    return Fail(InvalidArgument("--clock-interval-ms must be 10..3600000", "clock-interval-ms"));
  }
  clock_options.interval = std::chrono::milliseconds(interval_ms);
  DeadlineClock deadline_clock(rt, sender, clock_options);
  if (auto changed = deadline_clock.ApplyCalendarChange(); !changed.ok()) {
    return Fail(changed.status());
  } else if (*changed > 0) {
    log({{"level", "info"}, {"msg", "calendar changed: deadlines recomputed"}, {"tasks", *changed}});
  }

  http::ServerOptions so;
  const std::string listen = Setting(args, "listen", "JIUZHU_LISTEN", "127.0.0.1:8080");
  const auto colon = listen.rfind(':');
  const std::string port_text = colon == std::string::npos ? "" : listen.substr(colon + 1);
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (colon == std::string::npos || port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return Fail(InvalidArgument("--listen must be HOST:PORT, got " + listen, "listen"));
  }
  so.address = listen.substr(0, colon);
  so.port = static_cast<std::uint16_t>(port);
  const std::string workers = Setting(args, "workers", "JIUZHU_WORKERS", "8");
  so.workers = std::atoi(workers.c_str());
  if (so.workers < 1 || so.workers > 256) return Fail(InvalidArgument("--workers must be 1..256", "workers"));
  so.io_threads = std::max(1, std::atoi(Setting(args, "io-threads", "JIUZHU_IO_THREADS", "1").c_str()));
  so.handle_signals = true;

  http::HttpServer server(
      so, [&api](http::HttpRequest& req) { return api.Handle(req); },
      [&metrics, &log](const http::HttpRequest& req, const http::HttpResponse& res,
                       std::chrono::microseconds latency) {
        const std::string route = req.route_name.empty() ? "unmatched" : req.route_name;
        metrics.ObserveRequest(route, res.status, static_cast<double>(latency.count()) / 1e6);
        log({{"level", res.status >= 500 ? "error" : "info"}, {"msg", "request"},
             {"request_id", req.request_id}, {"user", req.username}, {"method", req.method},
             {"route", route}, {"status", res.status},
             {"latency_ms", static_cast<double>(latency.count()) / 1000.0}});
      });
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  log({{"level", "info"}, {"msg", "listening"}, {"address", so.address}, {"port", server.port()},
       {"database", rt.dialect()}, {"workers", so.workers}});
  // Catch up on what fell due while no server ran before the banner, so that the banner (how to
  // sign in) is the last thing a newcomer sees rather than being scrolled away by that backlog.
  if (auto first = deadline_clock.Tick(); !first.ok()) {
    log({{"level", "warn"}, {"msg", "deadline clock failed"}, {"error", first.status().ToString()}});
  } else if (first->levels_fired > 0) {
    log({{"level", "info"}, {"msg", "deadline clock caught up"}, {"tasks", first->tasks},
         {"levels", first->levels_fired}, {"notifications", first->notifications}});
  }
  std::printf("\nJiuzhu is serving on http://%s:%u/  (API under /api/v1, description at /api/openapi.yaml)\n",
              so.address.c_str(), static_cast<unsigned>(server.port()));
  if (args.Has("demo")) {
    std::printf("Demo accounts (password jiuzhu2026): li.na street reviewer 星海镇 · chen.jing district approver 大武口区\n"
                "  wang.hua village officer 星光村 · he.ping 残联 handler · liu.yang district supervisor · sun.li city supervisor\n"
                "  zhou.min auditor 大武口区 · wei.dong second district approver 大武口区 · feed.bigdata data feed (alerts)\n"
                "  (all: jiuzhu users)   Stop with Ctrl-C.\n");
  }
  std::fflush(stdout);
  deadline_clock.Start();
  // Housekeeping: idempotency answers are kept for 24 hours.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread housekeeping([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::minutes(10), [&] { return stopping; })) {
      lock.unlock();
      auto purged = rt.store().PurgeIdempotency(SystemClock().Now() - 24 * 3600 * kMicrosPerSecond);
      if (!purged.ok()) {
        log({{"level", "warn"}, {"msg", "idempotency purge failed"}, {"error", purged.status().message()}});
      }
      lock.lock();
    }
  });
  server.Wait();
  deadline_clock.Stop();
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  cv.notify_all();
  housekeeping.join();
  log({{"level", "info"}, {"msg", "stopped"}});
  return 0;
}

}  // namespace jiuzhu::cli
