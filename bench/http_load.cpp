// http_load: a closed-loop HTTP load generator for `jiuzhu serve`. Each of
// --connections threads owns one keep-alive connection (plain POSIX sockets,
// HTTP/1.1) and sends its next request as soon as the previous answer has
// been read completely, like a person at a screen who never pauses; the
// latency of a request runs from the first byte sent to the last byte of the
// answer read (end to end, client side).
//
// Before the timed run every user of --users (and, for the walk, the four
// walkers) signs in with POST /api/v1/auth/login (password --password).
//
// Scenarios:
//   inbox  GET /api/v1/inbox?limit=L (the first page), the bearer tokens of
//          --users taken in turn, request after request. Every answer must be
//          200 with a JSON object carrying "items"; before the run each user's
//          first page is fetched once and its total and item count printed.
//   walk   full case walks over HTTP, fast track, each command with the case
//          version in the body and an Idempotency-Key (as the web app sends):
//            discover  (village officer, default wang.hua, village 640202100001)
//            accept, assess, pledge  (street reviewer, li.na)
//            approve, refer canlian  (district approver, chen.jing)
//            feedback canlian        (department handler, he.ping)
//            monitor                 (district approver)
//          Every command must answer 200/201 and leave the case in the next
//          stage; a walk ends in monitor. Reported: walks/s, and requests/s
//          and latency per command and over all commands.
//
// Errors (any other status, a broken connection, an unexpected state) are
// counted and printed; the exit status is 1 when there was any.
//
// With --server-pid PID (a server on this machine) the server process's CPU
// time (user + system, from /proc/PID/stat) over the timed phase is printed
// too, per timed request: what one request costs the server, whatever the
// load of the machine. The load generator's own CPU time is printed too:
// client and server share the machine's cores.
//
// Usage:
//   http_load --url http://127.0.0.1:8080 [--scenario inbox|walk]
//             [--users li.na,zhang.qiang,...] [--connections C] [--seconds S]
//             [--warmup S] [--limit L] [--password P] [--no-idempotency]
//             [--village ID] [--walkers officer,reviewer,approver,handler]
//             [--server-pid PID] [--target PATH --expect KEY]
// --target: the inbox scenario GETs PATH instead of the inbox page (e.g.
// /api/v1/board/summary with --users sun.li --expect totals).
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_load: %s\n", what.c_str());
  std::exit(2);
}

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string scenario = "inbox";
  std::vector<std::string> users = {"li.na", "zhang.qiang", "zhao.lei", "wu.fang", "chen.jing",
                                    "yang.fan", "xu.li", "huang.wei", "he.ping", "wang.hua"};
  int connections = 8;
  double seconds = 10;
  double warmup = 1;
  int limit = 20;
  std::string password = "jiuzhu2026";
  bool idempotency = true;
  std::string village = "640202100001";
  std::vector<std::string> walkers = {"wang.hua", "li.na", "chen.jing", "he.ping"};
  long server_pid = 0;
  std::string target;          // inbox scenario: another GET path instead of the inbox page
  std::string expect = "items";  // a key every answer must have
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

[[noreturn]] void Usage() {
  std::fprintf(stderr,
               "usage: http_load --url http://HOST:PORT [--scenario inbox|walk] [--target PATH --expect KEY]\n"
               "         [--users a,b,...] [--connections C] [--seconds S] [--warmup S]\n"
               "         [--limit L] [--password P] [--no-idempotency] [--village ID]\n"
               "         [--walkers officer,reviewer,approver,handler] [--server-pid PID]\n");
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    try {
      if (a == "--url") {
        std::string url = value();
        if (url.rfind("http://", 0) != 0) Die("--url must start with http:// (no TLS here)");
        url = url.substr(7);
        if (const auto slash = url.find('/'); slash != std::string::npos) url.resize(slash);
        const auto colon = url.rfind(':');
        o.host = colon == std::string::npos ? url : url.substr(0, colon);
        o.port = colon == std::string::npos ? "80" : url.substr(colon + 1);
      } else if (a == "--scenario") {
        o.scenario = value();
      } else if (a == "--target") {
        o.target = value();
      } else if (a == "--expect") {
        o.expect = value();
      } else if (a == "--users") {
        o.users = SplitList(value());
      } else if (a == "--connections") {
        o.connections = std::stoi(value());
      } else if (a == "--seconds") {
        o.seconds = std::stod(value());
      } else if (a == "--warmup") {
        o.warmup = std::stod(value());
      } else if (a == "--limit") {
        o.limit = std::stoi(value());
      } else if (a == "--password") {
        o.password = value();
      } else if (a == "--no-idempotency") {
        o.idempotency = false;
      } else if (a == "--village") {
        o.village = value();
      } else if (a == "--walkers") {
        o.walkers = SplitList(value());
      } else if (a == "--server-pid") {
        o.server_pid = std::stol(value());
      } else {
        Usage();
      }
    } catch (const std::exception&) {
      Usage();
    }
  }
  if ((o.scenario != "inbox" && o.scenario != "walk") || o.connections < 1 || o.seconds <= 0 ||
      o.warmup < 0 || o.users.empty() || o.walkers.size() != 4 || o.limit < 1) {
    Usage();
  }
  return o;
}

// --- one keep-alive HTTP/1.1 connection ------------------------------------

struct Response {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::string error;  // when status == 0
};

class Connection {
 public:
  Connection(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}
  ~Connection() { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Response Send(const std::string& method, const std::string& target, const std::string& token,
                const std::string& body = "", const std::string& extra_headers = "") {
    std::string req;
    req.reserve(256 + body.size());
    req += method;
    req += ' ';
    req += target;
    req += " HTTP/1.1\r\nHost: ";
    req += host_;
    req += "\r\n";
    if (!token.empty()) {
      req += "Authorization: Bearer ";
      req += token;
      req += "\r\n";
    }
    if (method != "GET") {
      req += "Content-Type: application/json\r\nContent-Length: ";
      req += std::to_string(body.size());
      req += "\r\n";
    }
    req += extra_headers;
    req += "\r\n";
    req += body;
    // A keep-alive connection the server closed meanwhile fails on first use: retry once
    // on a fresh connection, but only if nothing of an answer was read.
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool fresh = fd_ < 0;
      if (fd_ < 0) {
        if (std::string e = Connect(); !e.empty()) return Response{0, "", e};
      }
      std::string error;
      bool got_bytes = false;
      Response r = RoundTrip(req, &error, &got_bytes);
      if (r.status != 0) return r;
      Close();
      if (fresh || got_bytes) return Response{0, "", error};
    }
    return Response{0, "", "connection lost twice"};
  }

 private:
  std::string Connect() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (int rc = getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res); rc != 0) {
      return "resolve " + host_ + ": " + gai_strerror(rc);
    }
    std::string err = "connect " + host_ + ":" + port_ + " failed";
    for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
      int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd < 0) continue;
      if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fd_ = fd;
        break;
      }
      err += std::string(": ") + std::strerror(errno);
      close(fd);
    }
    freeaddrinfo(res);
    buf_.clear();
    return fd_ < 0 ? err : std::string();
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    buf_.clear();
  }

  Response RoundTrip(const std::string& req, std::string* error, bool* got_bytes) {
    size_t sent = 0;
    while (sent < req.size()) {
      const ssize_t n = send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        *error = std::string("send: ") + std::strerror(errno);
        return {};
      }
      sent += static_cast<size_t>(n);
    }
    // Header, then Content-Length bytes of body (the server always sends it).
    size_t header_end;
    while ((header_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(error, got_bytes)) return {};
    }
    Response r;
    if (buf_.compare(0, 9, "HTTP/1.1 ") != 0 && buf_.compare(0, 9, "HTTP/1.0 ") != 0) {
      *error = "not an HTTP response";
      return {};
    }
    r.status = std::atoi(buf_.c_str() + 9);
    size_t length = 0;
    bool close_after = false;
    size_t pos = buf_.find("\r\n") + 2;
    while (pos < header_end) {
      const size_t eol = buf_.find("\r\n", pos);
      const size_t colon = buf_.find(':', pos);
      if (colon != std::string::npos && colon < eol) {
        std::string name = buf_.substr(pos, colon - pos);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        size_t v = colon + 1;
        while (v < eol && buf_[v] == ' ') ++v;
        const std::string value = buf_.substr(v, eol - v);
        if (name == "content-length") length = std::strtoul(value.c_str(), nullptr, 10);
        if (name == "connection" && (value == "close" || value == "Close")) close_after = true;
      }
      pos = eol + 2;
    }
    const size_t body_start = header_end + 4;
    while (buf_.size() < body_start + length) {
      if (!ReadMore(error, got_bytes)) return {};
    }
    r.body = buf_.substr(body_start, length);
    buf_.erase(0, body_start + length);
    if (close_after) Close();
    return r;
  }

  bool ReadMore(std::string* error, bool* got_bytes) {
    char chunk[16384];
    for (;;) {
      const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buf_.append(chunk, static_cast<size_t>(n));
        *got_bytes = true;
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      *error = n == 0 ? "connection closed by the server" : std::string("recv: ") + std::strerror(errno);
      return false;
    }
  }

  std::string host_, port_;
  int fd_ = -1;
  std::string buf_;
};

// --- measurements ------------------------------------------------------------

struct Sample {
  int step;               // index into the step names
  std::uint32_t micros;   // latency
};

struct Stats {
  long count = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0, mean = 0;  // ms
};

Stats Summarise(std::vector<std::uint32_t> us) {
  Stats s;
  s.count = static_cast<long>(us.size());
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(us.size()));
    if (i >= us.size()) i = us.size() - 1;
    return us[i] / 1000.0;
  };
  double sum = 0;
  for (auto v : us) sum += v;
  s.p50 = at(0.50);
  s.p95 = at(0.95);
  s.p99 = at(0.99);
  s.max = us.back() / 1000.0;
  s.mean = sum / static_cast<double>(us.size()) / 1000.0;
  return s;
}

struct Worker {
  std::vector<Sample> samples;  // timed phase only
  long errors = 0;
  long walks = 0;
  long duplicate_ids = 0;
  std::map<std::string, long> error_kinds;
  std::string first_error;
};

// CPU seconds (user + system) the process has used so far; < 0 if unknown.
double ProcessCpuSeconds(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(paren + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {  // fields 14 and 15 (1-based) of stat
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string Login(Connection& conn, const std::string& user, const std::string& password) {
  const Response r = conn.Send("POST", "/api/v1/auth/login", "",
                               Json{{"username", user}, {"password", password}}.dump());
  if (r.status != 200) {
    Die("sign-in of " + user + " failed: " + (r.status ? std::to_string(r.status) + " " + r.body : r.error));
  }
  const Json j = Json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("token")) Die("sign-in of " + user + ": no token in " + r.body);
  return j.at("token").get<std::string>();
}

// Valid GB 11643 number; the generator uses birth years 1950-1952, the walks 1960-2005.
std::string WalkIdNumber(std::mt19937_64& rng, const std::string& region6) {
  auto u = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", region6.c_str(), u(1960, 2005), u(1, 12),
                u(1, 28), u(0, 999));
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (buf[i] - '0') * kWeights[i];
  return std::string(buf) + "10X98765432"[sum % 11];
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  std::vector<std::string> signin = o.scenario == "inbox" ? o.users : o.walkers;
  std::map<std::string, std::string> tokens;
  {
    Connection conn(o.host, o.port);
    for (const auto& u : signin) {
      if (!tokens.count(u)) tokens[u] = Login(conn, u, o.password);
    }
  }
  std::printf("http_load: %s, %d connection(s), %.0f s after %.0f s warm-up, against http://%s:%s\n",
              o.scenario.c_str(), o.connections, o.seconds, o.warmup, o.host.c_str(), o.port.c_str());

  std::vector<std::string> steps;
  std::vector<std::string> rotation;  // inbox: tokens in turn
  const std::string inbox_target =
      o.target.empty() ? "/api/v1/inbox?limit=" + std::to_string(o.limit) : o.target;
  const std::string expect_key = "\"" + o.expect + "\":";
  if (o.scenario == "inbox") {
    steps = {"inbox"};
    Connection conn(o.host, o.port);
    std::printf("  first page (limit %d) per user:", o.limit);
    for (const auto& u : o.users) {
      const Response r = conn.Send("GET", inbox_target, tokens[u]);
      const Json j = Json::parse(r.body, nullptr, false);
      if (r.status != 200 || !j.is_object() || !j.contains(o.expect)) {
        Die(inbox_target + " of " + u + ": " + std::to_string(r.status) + " " + r.body.substr(0, 300));
      }
      if (j.contains("items")) {
        std::printf(" %s %zu of %lld;", u.c_str(), j.at("items").size(),
                    static_cast<long long>(j.value("total", 0LL)));
      } else {
        std::printf(" %s %zu bytes;", u.c_str(), r.body.size());
      }
      rotation.push_back(tokens[u]);
    }
    std::printf("\n");
  } else {
    steps = {"discover", "accept", "assess", "pledge", "approve", "refer", "feedback", "monitor"};
  }
  if (o.scenario == "walk" && o.village.size() < 6) Die("--village must be a village id");
  const std::string region6 = o.village.substr(0, 6);

  std::atomic<bool> stop{false}, timing{false};
  std::atomic<unsigned long> turn{0};
  std::vector<Worker> workers(static_cast<size_t>(o.connections));
  std::vector<std::thread> threads;
  for (int w = 0; w < o.connections; ++w) {
    threads.emplace_back([&, w] {
      Worker& me = workers[static_cast<size_t>(w)];
      Connection conn(o.host, o.port);
      std::mt19937_64 rng(std::random_device{}() ^ (static_cast<unsigned long>(w) << 32));
      auto error = [&](const std::string& kind, const std::string& detail) {
        if (!timing.load(std::memory_order_relaxed)) return;
        ++me.errors;
        ++me.error_kinds[kind];
        if (me.first_error.empty()) me.first_error = kind + ": " + detail.substr(0, 400);
      };
      auto timed = [&](int step, const std::string& method, const std::string& target,
                       const std::string& token, const std::string& body, const std::string& headers) {
        const auto t0 = SteadyClock::now();
        Response r = conn.Send(method, target, token, body, headers);
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - t0).count();
        if (timing.load(std::memory_order_relaxed)) {
          me.samples.push_back(Sample{step, static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX))});
        }
        return r;
      };
      if (o.scenario == "inbox") {
        while (!stop.load(std::memory_order_relaxed)) {
          const auto i = turn.fetch_add(1, std::memory_order_relaxed) % rotation.size();
          Response r = timed(0, "GET", inbox_target, rotation[i], "", "");
          if (r.status != 200) {
            error(r.status ? "status " + std::to_string(r.status) : "connection", r.status ? r.body : r.error);
          } else if (r.body.empty() || r.body[0] != '{' || r.body.find(expect_key) == std::string::npos) {
            error("body", r.body);
          }
        }
        return;
      }
      // walk
      const std::string& officer = tokens[o.walkers[0]];
      const std::string& reviewer = tokens[o.walkers[1]];
      const std::string& approver = tokens[o.walkers[2]];
      const std::string& handler = tokens[o.walkers[3]];
      static const char* kNames[] = {"王秀英", "李建国", "张淑珍", "刘海燕", "陈志强", "杨玉兰"};
      unsigned long key_seq = 0;
      const std::string key_base = std::to_string(std::random_device{}()) + "-" + std::to_string(w) + "-";
      while (!stop.load(std::memory_order_relaxed)) {
        const std::string name = kNames[rng() % 6];
        std::string case_id;
        long long version = 0;
        bool ok = true, existing = false;
        // One command: returns the case state it answered with, or "" after an error.
        auto command = [&](int step, const std::string& token, const std::string& target, Json body,
                           const std::string& expect_state, int expect_status) -> bool {
          if (!case_id.empty()) body["version"] = version;
          std::string headers;
          if (o.idempotency) headers = "Idempotency-Key: " + key_base + std::to_string(++key_seq) + "\r\n";
          Response r = timed(step, "POST", target, token, body.dump(), headers);
          if (r.status != expect_status && !(step == 0 && r.status == 200)) {
            error(steps[static_cast<size_t>(step)] + (r.status ? " status " + std::to_string(r.status) : " connection"),
                  r.status ? r.body : r.error);
            return false;
          }
          const Json j = Json::parse(r.body, nullptr, false);
          if (!j.is_object() || !j.contains("case")) {
            error(steps[static_cast<size_t>(step)] + " body", r.body);
            return false;
          }
          const Json& c = j.at("case");
          if (step == 0 && j.value("existing", false)) {  // an ID number already open
            existing = true;
            return false;
          }
          if (c.value("state", "") != expect_state) {
            error(steps[static_cast<size_t>(step)] + " state", r.body);
            return false;
          }
          case_id = c.value("id", "");
          version = c.value("version", 0LL);
          return true;
        };
        Json discover = {{"programme", "dibao"}, {"id_number", WalkIdNumber(rng, region6)},
                         {"applicant_name", name}, {"village", o.village}, {"source", "village_officer"}};
        if (!command(0, officer, "/api/v1/cases", discover, "discover", 201)) {
          me.duplicate_ids += existing;  // not an error: draw another number
          continue;
        }
        const std::string base = "/api/v1/cases/" + case_id + "/";
        const Json assessment = {
            {"members", {{{"name", name}, {"relation", "self"}, {"age", 52}, {"circumstances", {"severe_disability"}}},
                         {{"name", "配偶"}, {"relation", "spouse"}, {"age", 50}}}},
            {"income", {{{"kind", "wages"}, {"monthly_yuan", Json(std::vector<int>(12, 1000))}}}}};
        ok = ok && command(1, reviewer, base + "accept", Json::object(), "assess", 200);
        ok = ok && command(2, reviewer, base + "assess", {{"assessment", assessment}}, "commit", 200);
        ok = ok && command(3, reviewer, base + "pledge",
                           {{"pledge", {{"signed", true}, {"signer_name", name}, {"statement", "本人承诺申报信息真实"}}}},
                           "approve", 200);
        ok = ok && command(4, approver, base + "approve", Json::object(), "refer", 200);
        ok = ok && command(5, approver, base + "refer",
                           {{"referrals", {{{"department", "canlian"}, {"note", "请予帮扶"}}}}}, "feedback", 200);
        ok = ok && command(6, handler, base + "feedback",
                           {{"department", "canlian"}, {"answer", "provided"}, {"details", "残疾人两项补贴"},
                            {"amount_yuan", 100}},
                           "feedback", 200);
        ok = ok && command(7, approver, base + "monitor", Json::object(), "monitor", 200);
        if (ok && timing.load(std::memory_order_relaxed)) ++me.walks;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
  const double cpu0 = o.server_pid > 0 ? ProcessCpuSeconds(o.server_pid) : -1;
  const double own0 = ProcessCpuSeconds(getpid());
  timing = true;
  const auto t0 = SteadyClock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  timing = false;
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  const double cpu1 = o.server_pid > 0 ? ProcessCpuSeconds(o.server_pid) : -1;
  const double own1 = ProcessCpuSeconds(getpid());
  stop = true;
  for (auto& t : threads) t.join();

  long errors = 0, walks = 0, duplicates = 0;
  std::map<std::string, long> kinds;
  std::string first_error;
  std::vector<std::vector<std::uint32_t>> per_step(steps.size());
  std::vector<std::uint32_t> all;
  for (const auto& w : workers) {
    errors += w.errors;
    walks += w.walks;
    duplicates += w.duplicate_ids;
    for (const auto& [k, n] : w.error_kinds) kinds[k] += n;
    if (first_error.empty()) first_error = w.first_error;
    for (const auto& s : w.samples) {
      per_step[static_cast<size_t>(s.step)].push_back(s.micros);
      all.push_back(s.micros);
    }
  }
  std::printf("  %-10s %9s %7s %9s %8s %8s %8s %8s %8s\n", "request", "count", "errors", "req/s",
              "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms");
  auto row = [&](const std::string& name, const std::vector<std::uint32_t>& us, long errs) {
    const Stats s = Summarise(us);
    std::printf("  %-10s %9ld %7ld %9.0f %8.2f %8.2f %8.2f %8.2f %8.2f\n", name.c_str(), s.count, errs,
                static_cast<double>(s.count) / elapsed, s.mean, s.p50, s.p95, s.p99, s.max);
  };
  if (steps.size() > 1) {
    for (size_t i = 0; i < steps.size(); ++i) {
      long errs = 0;
      for (const auto& [k, n] : kinds) errs += k.rfind(steps[i], 0) == 0 ? n : 0;
      row(steps[i], per_step[i], errs);
    }
  }
  row(steps.size() > 1 ? "all" : steps[0], all, errors);
  if (o.scenario == "walk") {
    std::printf("  walks completed: %ld (%.1f walks/s); ID numbers already open, drawn again: %ld\n", walks,
                static_cast<double>(walks) / elapsed, duplicates);
  }
  if (cpu0 >= 0 && cpu1 >= 0 && !all.empty()) {
    std::printf("  server CPU (pid %ld): %.2f s in %.1f s (%.2f cores), %.3f ms per request\n", o.server_pid,
                cpu1 - cpu0, elapsed, (cpu1 - cpu0) / elapsed, 1000.0 * (cpu1 - cpu0) / static_cast<double>(all.size()));
  }
  if (own0 >= 0 && own1 >= 0 && !all.empty()) {
    std::printf("  load generator CPU (this process): %.2f s (%.2f cores), %.3f ms per request\n", own1 - own0,
                (own1 - own0) / elapsed, 1000.0 * (own1 - own0) / static_cast<double>(all.size()));
  }
  std::printf("  errors: %ld", errors);
  for (const auto& [k, n] : kinds) std::printf("  [%s: %ld]", k.c_str(), n);
  std::printf("\n");
  if (!first_error.empty()) std::printf("  first error: %s\n", first_error.c_str());
  return errors == 0 ? 0 : 1;
}
