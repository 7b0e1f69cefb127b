// The HTTP API over real HTTP: the real HttpServer and ApiService on 127.0.0.1 (port 0) over
// a fresh database of each backend with the demo org and people (tests/support/api_harness.hpp),
// driven by a small blocking client. Covers every route of the router (and that
// api/openapi.yaml describes exactly those), sign-in and its throttle, forged and stale tokens,
// every error status with its problem document, org scoping of every resource, idempotent
// retries, concurrent claims, and whole cases walked by the right person at each step.
// Refused requests are checked to have written nothing (EngineHarness::Fingerprint); every
// case's audit chain is verified after each test (BackendTest::TearDown).
#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/common/crypto.hpp"
#include "api/runtime/deadline_clock.hpp"
#include "tests/support/api_harness.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/http_client.hpp"

namespace jiuzhu::testing {
namespace {

using Json = nlohmann::json;
using Lines = std::vector<std::string>;

// People and places of workflows/org (demo-org.json, demo-users.json).
constexpr char kXingguang[] = "640202100001";   // 星光村 (星海镇), officer wang.hua
constexpr char kLongquan[] = "640202100003";    // 龙泉村 (星海镇), officer.640202100003
constexpr char kChangsheng[] = "640202001001";  // 长胜社区 (长胜街道), officer.640202001001
constexpr char kXinghaiTown[] = "640202100";    // 星海镇: street reviewers li.na, zhang.qiang
constexpr char kChangshengStreet[] = "640202001";  // 长胜街道: street reviewer zhao.lei
constexpr char kProblemBase[] = "https://jiuzhu.example/problems/";

std::string Utc(const std::string& local) { return FormatUtc(At(local)); }

// --- request bodies ---------------------------------------------------------

// Puts a household of the applicant and a spouse in the relief pool (450 a month each
// against 大武口区's dibao line of 790), as EngineHarness::ReliefAssessment.
Json Assessment(const std::string& name) {
  return {{"members",
           {{{"name", name}, {"relation", "self"}, {"age", 52},
             {"circumstances", {"severe_disability"}}},
            {{"name", "配偶"}, {"relation", "spouse"}, {"age", 50}}}},
          {"income", {{{"kind", "wages"}, {"monthly_yuan", Json(std::vector<int>(12, 1000))}}}}};
}

Json Pledge(const std::string& name) {
  return {{"signed", true}, {"signer_name", name}, {"statement", "本人承诺申报信息真实"}};
}

Json Review() { return {{"votes_for", 7}, {"votes_against", 1}}; }

Json Referrals(const std::vector<std::string>& departments) {
  Json list = Json::array();
  for (const auto& d : departments) list.push_back({{"department", d}, {"note", "请予帮扶"}});
  return list;
}

// A body every case command accepts as well-formed, so that whatever refuses it is the engine.
Json ValidBodyFor(const std::string& command, const std::string& name) {
  if (command == "assess") return {{"assessment", Assessment(name)}};
  if (command == "pledge") return {{"pledge", Pledge(name)}};
  if (command == "review") return Review();
  if (command == "refer") return {{"referrals", Referrals({"canlian"})}};
  if (command == "feedback") {
    return {{"department", "canlian"},
            {"answer", "provided"},
            {"details", "补贴"},
            {"amount_yuan", 100}};
  }
  if (command == "reject" || command == "send-back" || command == "reassess" ||
      command == "close" || command == "revoke") {
    return {{"reason", "测试原因"}};
  }
  return Json::object();
}

const std::vector<std::string>& CaseCommands() {
  static const std::vector<std::string> kCommands = {
      "accept",    "assess", "pledge",   "choose-ordinary", "review",   "approve", "reject",
      "send-back", "refer",  "feedback", "monitor",         "reassess", "close",   "revoke"};
  return kCommands;
}

// --- assertions -------------------------------------------------------------

// `r` is an application/problem+json answer with this status and type slug (and, when
// `field` is not empty, an entry for that field in `errors`).
::testing::AssertionResult IsProblem(const HttpResult& r, int status, const std::string& slug,
                                     const std::string& field = {}) {
  if (r.status != status) {
    return ::testing::AssertionFailure()
           << "expected " << status << " " << slug << ", got " << r.Describe();
  }
  if (r.Header("content-type").rfind("application/problem+json", 0) != 0) {
    return ::testing::AssertionFailure() << "content-type " << r.Header("content-type");
  }
  const Json j = r.Json();
  if (!j.is_object()) return ::testing::AssertionFailure() << "not a JSON object: " << r.body;
  if (j.value("type", "") != kProblemBase + slug) {
    return ::testing::AssertionFailure()
           << "type " << j.value("type", "") << ", want " << slug << ": " << r.body;
  }
  if (j.value("status", 0) != status || j.value("title", "").empty() || !j.contains("detail") ||
      !j.at("detail").is_string()) {
    return ::testing::AssertionFailure() << "incomplete problem document: " << r.body;
  }
  if (!field.empty()) {
    bool named = false;
    for (const auto& e : j.value("errors", Json::array()))
      named = named || e.value("field", "") == field;
    if (!named)
      return ::testing::AssertionFailure() << "no error for field " << field << ": " << r.body;
  }
  return ::testing::AssertionSuccess();
}

std::string Detail(const HttpResult& r) {
  const Json j = r.Json();
  return j.is_object() ? j.value("detail", "") : std::string();
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- tokens built by hand ---------------------------------------------------

std::string Base64Url(const std::string& bytes) {
  static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int s : {18, 12, 6, 0}) out += kChars[(v >> s) & 63];
  }
  if (bytes.size() - i == 1) {
    const unsigned v = byte(i) << 16;
    for (int s : {18, 12}) out += kChars[(v >> s) & 63];
  } else if (bytes.size() - i == 2) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8;
    for (int s : {18, 12, 6}) out += kChars[(v >> s) & 63];
  }
  return out;
}

// header.payload.HS256(key) with any header and payload text.
std::string HandSigned(const Json& header, const Json& payload, const std::string& key) {
  const std::string input = Base64Url(header.dump()) + "." + Base64Url(payload.dump());
  auto mac = HexDecode(HmacSha256Hex(key, input));
  EXPECT_TRUE(mac.ok());
  return input + "." + Base64Url(mac.ok() ? *mac : std::string());
}

// Claims the server would issue for `subject`, valid now by the system clock.
Json GoodClaims(const std::string& subject) {
  const std::int64_t now = SystemClock().Now() / kMicrosPerSecond;
  return {{"iss", "jiuzhu"}, {"aud", "jiuzhu-api"},
          {"sub", subject},  {"jti", "00112233445566778899aabbccddeeff"},
          {"iat", now},      {"nbf", now},
          {"exp", now + 600}};
}

// --- the OpenAPI document ---------------------------------------------------

// "METHOD /path" for every operation of the `paths:` section: a path is a line indented by
// exactly two spaces ending in ':', an operation a line indented by four spaces naming an
// HTTP method.
std::set<std::string> DocumentedRoutes(const std::string& yaml) {
  static const std::set<std::string> kMethods = {"get",    "post", "put",    "patch",
                                                 "delete", "head", "options"};
  std::set<std::string> out;
  std::istringstream in(yaml);
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "paths:") {
      in_paths = true;
      continue;
    }
    if (!in_paths || line.empty()) continue;
    if (line[0] != ' ' && line[0] != '#') break;  // the next top-level key
    if (line.back() != ':') continue;
    if (line.size() > 3 && line.compare(0, 2, "  ") == 0 && line[2] != ' ') {
      path = line.substr(2, line.size() - 3);
    } else if (line.size() > 5 && line.compare(0, 4, "    ") == 0 && line[4] != ' ') {
      std::string method = line.substr(4, line.size() - 5);
      if (kMethods.count(method) == 0) continue;
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert(method + " " + path);
    }
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------------------

class ApiTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!h_.ready() || HasFatalFailure() || IsSkipped()) return;
    api_.Start(h_);
  }
  void TearDown() override {
    api_.Stop();
    BackendTest::TearDown();
  }

  static std::string CasePath(const std::string& id, const std::string& command = {}) {
    return "/api/v1/cases/" + id + (command.empty() ? "" : "/" + command);
  }
  static std::string TaskPath(const std::string& id, const std::string& command) {
    return "/api/v1/tasks/" + id + "/" + command;
  }

  // Reports household ValidId(n) of `name` in `village` as `reporter`; the new case's id, or
  // "" after reporting a failure.
  std::string Discover(const std::string& reporter, int n, const std::string& name,
                       const std::string& village = kXingguang) {
    const HttpResult r = api_.Post("/api/v1/cases",
                                   {{"programme", "dibao"},
                                    {"id_number", EngineHarness::ValidId(n)},
                                    {"applicant_name", name},
                                    {"village", village},
                                    {"source", "village_officer"}},
                                   reporter);
    if (r.status != 201) {
      ADD_FAILURE() << "discover by " << reporter << ": " << r.Describe();
      return {};
    }
    return r.Json()["case"].value("id", "");
  }

  // Runs a case command that must succeed; the case after it (from the answer), or null.
  Json Command(const std::string& id, const std::string& command, const Json& body,
               const std::string& as, const HeaderList& extra = {}) {
    const HttpResult r = api_.Post(CasePath(id, command), body, as, extra);
    if (r.status != 200) {
      ADD_FAILURE() << command << " by " << as << " on case " << id << ": " << r.Describe();
      return nullptr;
    }
    return r.Json()["case"];
  }

  Json CompleteTask(const std::string& task_id, const Json& body, const std::string& as) {
    const HttpResult r = api_.Post(TaskPath(task_id, "complete"), body, as);
    if (r.status != 200) {
      ADD_FAILURE() << "complete task " << task_id << " by " << as << ": " << r.Describe();
      return nullptr;
    }
    return r.Json()["case"];
  }

  Json GetCase(const std::string& id, const std::string& as) {
    const HttpResult r = api_.Get(CasePath(id), as);
    if (r.status != 200) {
      ADD_FAILURE() << "GET case " << id << " as " << as << ": " << r.Describe();
      return Json::object();
    }
    return r.Json();
  }

  // The id of the case's only open or claimed task (of `kind` when given), or "".
  std::string ActiveTask(const std::string& case_id, const std::string& as,
                         const std::string& kind = {}) {
    std::vector<std::string> found;
    for (const auto& t : GetCase(case_id, as).value("tasks", Json::array())) {
      const std::string state = t.value("state", "");
      if ((state == "open" || state == "claimed") &&
          (kind.empty() || t.value("kind", "") == kind)) {
        found.push_back(t.value("id", ""));
      }
    }
    if (found.size() != 1) {
      ADD_FAILURE() << "case " << case_id << " has " << found.size() << " active "
                    << (kind.empty() ? "" : kind + " ") << "task(s)";
      return {};
    }
    return found.front();
  }

  // Walks a new case (household ValidId(n), 星光村, reported by wang.hua) with the right
  // people until it stands in `target` (discover, assess, commit, review, approve, refer,
  // feedback with canlian referred, monitor); fast track unless `fast` is false. The case id,
  // or "" after reporting a failure.
  std::string WalkTo(const std::string& target, int n, const std::string& name, bool fast = true) {
    const std::string id = Discover("wang.hua", n, name);
    if (id.empty() || target == "discover") return id;
    struct Step {
      const char* command;
      Json body;
      const char* as;
      const char* reaches;
    };
    std::vector<Step> steps = {{"accept", Json::object(), "li.na", "assess"},
                               {"assess", {{"assessment", Assessment(name)}}, "li.na", "commit"}};
    if (fast) {
      steps.push_back({"pledge", {{"pledge", Pledge(name)}}, "li.na", "approve"});
    } else {
      steps.push_back({"choose-ordinary", Json::object(), "li.na", "review"});
      steps.push_back({"review", Review(), "wang.hua", "approve"});
    }
    steps.push_back({"approve", Json::object(), "chen.jing", "refer"});
    if (target == "monitor") {
      steps.push_back({"monitor", Json::object(), "chen.jing", "monitor"});
    } else {
      steps.push_back({"refer", {{"referrals", Referrals({"canlian"})}}, "chen.jing", "feedback"});
    }
    for (const auto& s : steps) {
      const Json c = Command(id, s.command, s.body, s.as);
      if (c.is_null()) return {};
      if (c.value("state", "") != s.reaches) {
        ADD_FAILURE() << s.command << " left case " << id << " in " << c.value("state", "");
        return {};
      }
      if (target == s.reaches) return id;
    }
    ADD_FAILURE() << "WalkTo cannot reach " << target;
    return {};
  }

  // "seq actor role@unit action from->to at" for every event of the case's timeline.
  static Lines Timeline(const Json& c) {
    Lines out;
    for (const auto& e : c.value("timeline", Json::array())) {
      out.push_back(std::to_string(e.value("seq", 0)) + " " + e.value("actor", "") + " " +
                    e.value("role", "") + "@" + e.value("org_unit", "") + " " +
                    e.value("action", "") + " " + e.value("from", "") + "->" + e.value("to", "") +
                    " " + e.value("at", ""));
    }
    return out;
  }

  // "kind role@unit state:claimed_by due (outcome)" for every task of the case, sorted.
  static Lines TaskLines(const Json& c) {
    Lines out;
    for (const auto& t : c.value("tasks", Json::array())) {
      std::string s = t.value("kind", "") + " " + t.value("role", "") + "@" +
                      t.value("org_unit", "") + " " + t.value("state", "");
      if (!t.value("claimed_by", "").empty()) s += ":" + t.value("claimed_by", "");
      s += " due " + t.value("due_at", "");
      if (!t.value("outcome", "").empty()) s += " (" + t.value("outcome", "") + ")";
      out.push_back(s);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Ids of the cases in `as`'s GET /api/v1/cases (with `query`), in order.
  std::vector<std::string> ListedCases(const std::string& as, const std::string& query = {}) {
    const HttpResult r = api_.Get("/api/v1/cases" + query, as);
    EXPECT_EQ(r.status, 200) << as << ": " << r.Describe();
    std::vector<std::string> ids;
    for (const auto& c : r.Json().value("items", Json::array())) ids.push_back(c.value("id", ""));
    return ids;
  }

  // Case ids of the tasks in `as`'s inbox.
  std::set<std::string> InboxCases(const std::string& as) {
    const HttpResult r = api_.Get("/api/v1/inbox", as);
    EXPECT_EQ(r.status, 200) << as << ": " << r.Describe();
    std::set<std::string> ids;
    for (const auto& t : r.Json().value("items", Json::array())) ids.insert(t.value("case_id", ""));
    return ids;
  }

  ApiHarness api_;
};

// ---------------------------------------------------------------------------
// Public routes, metrics and the description.

TEST_P(ApiTest, HealthReadinessMetricsAndDescriptionNeedNoToken) {
  HttpResult health = api_.Get("/healthz", "");
  ASSERT_EQ(health.status, 200) << health.Describe();
  EXPECT_EQ(health.Json(), (Json{{"status", "ok"}}));
  EXPECT_EQ(health.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(health.Header("server"), "jiuzhu");
  EXPECT_FALSE(health.Header("x-request-id").empty());

  HttpResult ready = api_.Get("/readyz", "");
  ASSERT_EQ(ready.status, 200) << ready.Describe();
  EXPECT_EQ(ready.Json(), (Json{{"status", "ready"}, {"database", h_.rt().dialect()}}));

  HttpResult yaml = api_.Get("/api/openapi.yaml", "");
  ASSERT_EQ(yaml.status, 200) << yaml.Describe();
  EXPECT_EQ(yaml.Header("content-type"), "application/yaml; charset=utf-8");
  EXPECT_EQ(yaml.body, ReadFile(std::string(JIUZHU_SOURCE_DIR) + "/api/openapi.yaml"));

  // A task, and a refused request, to be counted.
  ASSERT_FALSE(Discover("wang.hua", 1, "张秀英").empty());
  EXPECT_EQ(api_.Get("/api/v1/me", "").status, 401);

  // Same connection: the observer of every earlier request has run (it runs before the
  // server reads the next request of a connection).
  HttpResult metrics = api_.Get("/metrics", "");
  ASSERT_EQ(metrics.status, 200) << metrics.Describe();
  EXPECT_EQ(metrics.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = metrics.body;
  for (const std::string line :
       {"jiuzhu_http_requests_total{route=\"healthz\",status=\"200\"} 1\n",
        "jiuzhu_http_requests_total{route=\"readyz\",status=\"200\"} 1\n",
        "jiuzhu_http_requests_total{route=\"openapi\",status=\"200\"} 1\n",
        "jiuzhu_http_requests_total{route=\"cases.discover\",status=\"201\"} 1\n",
        "jiuzhu_http_requests_total{route=\"me\",status=\"401\"} 1\n",
        "jiuzhu_http_request_duration_seconds_count{route=\"healthz\"} 1\n",
        "jiuzhu_http_request_duration_seconds_bucket{route=\"healthz\",le=\"+Inf\"} 1\n",
        "jiuzhu_commands_total{command=\"discover\",result=\"ok\"} 1\n",
        "# TYPE jiuzhu_tasks_open gauge\n", "jiuzhu_tasks_open 1\n", "jiuzhu_tasks_overdue 0\n"}) {
    EXPECT_TRUE(Contains(m, line)) << "missing: " << line << "in:\n" << m;
  }
  EXPECT_FALSE(Contains(m, "route=\"metrics\""))
      << "the scrape counted itself before it was answered";

  // The request log has one line per answered request, with route and status.
  std::map<std::string, int> logged;
  for (const auto& line : api_.Logs()) {
    if (line.value("msg", "") == "request")
      ++logged[line.value("route", "") + " " + std::to_string(line.value("status", 0))];
  }
  EXPECT_EQ(logged["healthz 200"], 1);
  EXPECT_EQ(logged["cases.discover 201"], 1);
  EXPECT_EQ(logged["me 401"], 1);
}

TEST_P(ApiTest, OpenApiDocumentAndRouterDescribeTheSameRoutes) {
  const std::string yaml = ReadFile(std::string(JIUZHU_SOURCE_DIR) + "/api/openapi.yaml");
  ASSERT_FALSE(yaml.empty());
  const std::set<std::string> documented = DocumentedRoutes(yaml);
  std::set<std::string> routed;
  for (const auto& r : api_.api().router().routes()) {
    EXPECT_TRUE(routed.insert(r.method + " " + r.pattern).second) << "routed twice: " << r.pattern;
  }
  ASSERT_GE(routed.size(), 30u);
  for (const auto& r : routed)
    EXPECT_EQ(documented.count(r), 1u) << "not in api/openapi.yaml: " << r;
  for (const auto& d : documented)
    EXPECT_EQ(routed.count(d), 1u) << "documented without a handler: " << d;
  // The parse itself: it sees both kinds of lines.
  EXPECT_EQ(documented.count("GET /healthz"), 1u);
  EXPECT_EQ(documented.count("POST /api/v1/tasks/{id}/delegate"), 1u);
}

// Every route of the router answers a 2xx to its right caller; the metrics prove each was
// reached (the list comes from the router, so a new route without a happy path fails here).
TEST_P(ApiTest, EveryRouteAnswersItsHappyPath) {
  EXPECT_EQ(api_.Get("/healthz", "").status, 200);
  EXPECT_EQ(api_.Get("/readyz", "").status, 200);
  EXPECT_EQ(api_.Get("/metrics", "").status, 200);
  EXPECT_EQ(api_.Get("/api/openapi.yaml", "").status, 200);
  EXPECT_FALSE(api_.Login("li.na").empty());
  EXPECT_EQ(api_.Get("/api/v1/me", "li.na").status, 200);
  EXPECT_EQ(api_.Get("/api/v1/programmes", "li.na").status, 200);
  EXPECT_EQ(api_.Get("/api/v1/org-units", "li.na").status, 200);

  // Case A: tasks passed around, sent back once, then fast track through to monitoring and
  // back to assessment.
  const std::string a = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(ListedCases("li.na"), std::vector<std::string>{a});
  EXPECT_EQ(InboxCases("li.na"), std::set<std::string>{a});
  const std::string intake = ActiveTask(a, "li.na");
  ASSERT_FALSE(intake.empty());
  HttpResult bulk = api_.Post("/api/v1/tasks/bulk-claim", {{"task_ids", {intake}}}, "li.na");
  ASSERT_EQ(bulk.status, 200) << bulk.Describe();
  EXPECT_EQ(bulk.Json()["claimed"], 1);
  HttpResult released = api_.Post(TaskPath(intake, "release"), Json::object(), "li.na");
  EXPECT_EQ(released.status, 200) << released.Describe();
  HttpResult claimed = api_.Post(TaskPath(intake, "claim"), Json::object(), "li.na");
  EXPECT_EQ(claimed.status, 200) << claimed.Describe();
  HttpResult delegated = api_.Post(TaskPath(intake, "delegate"), {{"to", "zhang.qiang"}}, "li.na");
  EXPECT_EQ(delegated.status, 200) << delegated.Describe();
  EXPECT_EQ(CompleteTask(intake, {{"decision", "accept"}}, "zhang.qiang").value("state", ""),
            "assess");
  const HttpResult preview = api_.Post("/api/v1/cases/" + a + "/assessment/preview",
                                       {{"assessment", Assessment("张秀英")}}, "li.na");
  EXPECT_EQ(preview.status, 200) << preview.Describe();
  EXPECT_EQ(
      Command(a, "assess", {{"assessment", Assessment("张秀英")}}, "li.na").value("state", ""),
      "commit");
  EXPECT_EQ(Command(a, "choose-ordinary", Json::object(), "li.na").value("state", ""), "review");
  EXPECT_EQ(Command(a, "review", Review(), "wang.hua").value("state", ""), "approve");
  EXPECT_EQ(Command(a, "send-back", {{"reason", "收入材料不全"}}, "chen.jing").value("state", ""),
            "assess");
  EXPECT_EQ(
      Command(a, "assess", {{"assessment", Assessment("张秀英")}}, "li.na").value("state", ""),
      "commit");
  EXPECT_EQ(Command(a, "pledge", {{"pledge", Pledge("张秀英")}}, "li.na").value("state", ""),
            "approve");
  EXPECT_EQ(Command(a, "approve", Json::object(), "chen.jing").value("state", ""), "refer");
  const HttpResult proposals = api_.Get("/api/v1/cases/" + a + "/referral-proposals", "chen.jing");
  EXPECT_EQ(proposals.status, 200) << proposals.Describe();
  EXPECT_EQ(
      Command(a, "refer", {{"referrals", Referrals({"canlian"})}}, "chen.jing").value("state", ""),
      "feedback");
  const HttpResult referral_inbox = api_.Get("/api/v1/referrals", "he.ping");
  EXPECT_EQ(referral_inbox.status, 200) << referral_inbox.Describe();
  EXPECT_EQ(Command(a, "feedback", ValidBodyFor("feedback", ""), "he.ping").value("state", ""),
            "feedback");
  EXPECT_EQ(Command(a, "monitor", Json::object(), "chen.jing").value("state", ""), "monitor");
  {
    // 一季度一访问: the scheduler opens the quarter's visit; the village officer records it.
    LogNotificationSender quiet;
    DeadlineClock scheduler(h_.rt(), quiet);
    auto opened = scheduler.ScheduleRevisits();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, 1);
    const std::string visit = ActiveTask(a, "wang.hua", "quarterly_visit");
    ASSERT_FALSE(visit.empty());
    const HttpResult visited =
        api_.Post(TaskPath(visit, "visit"),
                  {{"visited_on", "2026-02-10"}, {"findings", "家中情况稳定"}, {"photos", {"p/1.jpg"}},
                   {"pool", "monitoring"}, {"reason", "配偶已就业"}},
                  "wang.hua");
    EXPECT_EQ(visited.status, 200) << visited.Describe();
    EXPECT_EQ(GetCase(a, "li.na").value("pool", ""), "monitoring");
  }
  EXPECT_EQ(Command(a, "reassess", {{"reason", "医疗支出大幅增加"}}, "li.na").value("state", ""),
            "assess");

  // Case B closed at intake, C rejected at approval, D revoked under monitoring.
  const std::string b = Discover("wang.hua", 2, "李桂英");
  EXPECT_EQ(Command(b, "close", {{"reason", "重复上报"}}, "li.na").value("state", ""), "closed");
  const std::string c = WalkTo("approve", 3, "王建国");
  EXPECT_EQ(Command(c, "reject", {{"reason", "收入超过标准"}}, "chen.jing").value("state", ""),
            "rejected");
  const std::string d = WalkTo("monitor", 4, "赵丽");
  EXPECT_EQ(
      Command(d, "revoke", {{"reason", "虚报收入"}, {"amount_to_recover_yuan", 1580}}, "chen.jing")
          .value("state", ""),
      "revoked");
  EXPECT_EQ(GetCase(d, "chen.jing").value("state", ""), "revoked");

  // Supervisors: the deadline clock marks overdue tasks; the board, its actions and the bell.
  const std::string e = Discover("wang.hua", 5, "钱芳");
  const std::string e_task = ActiveTask(e, "li.na");
  ASSERT_FALSE(e_task.empty());
  h_.SetTime("2026-02-20T09:00:00+08:00");
  LogNotificationSender sender;
  DeadlineClock deadline_clock(h_.rt(), sender);
  JZ_ASSERT_OK(deadline_clock.Tick());
  JZ_ASSERT_OK(deadline_clock.RecordOverdueHistory());
  for (const char* board : {"/api/v1/board/summary", "/api/v1/board/trend", "/api/v1/board/overdue",
                            "/api/v1/board/overdue.csv", "/api/v1/board/overdue.xlsx",
                            "/api/v1/board/decision-times", "/api/v1/board/pools",
                            "/api/v1/board/assignees?unit=640202100&role=street_reviewer"}) {
    const HttpResult r = api_.Get(board, "liu.yang");
    EXPECT_EQ(r.status, 200) << board << ": " << r.Describe();
  }
  HttpResult reassigned = api_.Post(TaskPath(e_task, "reassign"), {{"to_user", "zhang.qiang"}}, "liu.yang");
  EXPECT_EQ(reassigned.status, 200) << reassigned.Describe();
  HttpResult reminded = api_.Post(TaskPath(e_task, "remind"), Json::object(), "liu.yang");
  EXPECT_EQ(reminded.status, 202) << reminded.Describe();
  const HttpResult notes = api_.Get("/api/v1/notifications", "zhang.qiang");
  ASSERT_EQ(notes.status, 200) << notes.Describe();
  ASSERT_FALSE(notes.Json()["items"].empty());
  const std::string note = notes.Json()["items"][0]["id"];
  EXPECT_EQ(api_.Post("/api/v1/notifications/" + note + "/read", Json::object(), "zhang.qiang").status, 204);
  EXPECT_EQ(api_.Post("/api/v1/notifications/read-all", Json::object(), "zhang.qiang").status, 204);

  EXPECT_EQ(api_.Get("/api/v1/policies?q=%E7%99%8C%E7%97%87", "li.na").status, 200);  // 癌症

  // Auditors: a fast-track approval sampled, found wrong, re-verified and revoked.
  const std::string f = WalkTo("monitor", 6, "孙梅");
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(api_.Get("/api/v1/post-audit/population?from=2026-02-01&to=2026-03-01", "zhou.min").status, 200);
  const HttpResult sample = api_.Post(
      "/api/v1/post-audit/samples",
      {{"period_from", "2026-02-01"}, {"period_to", "2026-03-01"}, {"rate", 1}}, "zhou.min");
  ASSERT_EQ(sample.status, 201) << sample.Describe();
  const std::string sample_path = "/api/v1/post-audit/samples/" + sample.Json()["id"].get<std::string>();
  const HttpResult drawn = api_.Post(sample_path + "/draw", Json::object(), "zhou.min");
  ASSERT_EQ(drawn.status, 200) << drawn.Describe();
  ASSERT_EQ(drawn.Json()["items"].size(), 1u) << drawn.Describe();
  const std::string item_path =
      "/api/v1/post-audit/items/" + drawn.Json()["items"][0]["id"].get<std::string>();
  for (const std::string& path : {sample_path, std::string("/api/v1/post-audit/samples"),
                                  sample_path + "/verify", std::string("/api/v1/post-audit/items")}) {
    const HttpResult r = api_.Get(path, "zhou.min");
    EXPECT_EQ(r.status, 200) << path << ": " << r.Describe();
  }
  EXPECT_EQ(api_.Get(sample_path + "/verify", "zhou.min").Json()["match"], true);
  HttpResult step = api_.Post(item_path + "/finding",
                              {{"result", "discrepancy"}, {"category", "assets"}, {"evidence", "名下有车"}},
                              "zhou.min");
  EXPECT_EQ(step.status, 200) << step.Describe();
  step = api_.Post(item_path + "/reverification", {{"notes", "车辆属实"}}, "li.na");
  EXPECT_EQ(step.status, 200) << step.Describe();
  step = api_.Post(item_path + "/decision",
                   {{"decision", "revoke"}, {"reason", "隐瞒车辆"}, {"amount_to_recover_yuan", 100}},
                   "wei.dong");
  EXPECT_EQ(step.status, 200) << step.Describe();
  EXPECT_EQ(GetCase(f, "chen.jing").value("state", ""), "revoked");
  EXPECT_EQ(api_.Get("/api/v1/post-audit/stats?from=2026-02-01&to=2026-03-01", "zhou.min").status, 200);
  const HttpResult credits =
      api_.Get("/api/v1/credit-records?id_number=" + EngineHarness::ValidId(6), "chen.jing");
  ASSERT_EQ(credits.status, 200) << credits.Describe();
  EXPECT_EQ(credits.Json()["items"].size(), 1u);

  // Data feeds: an alert about a monitored household opens the street's review.
  const std::string g = WalkTo("monitor", 7, "周萍");
  ASSERT_FALSE(g.empty());
  const HttpResult alert = api_.Post("/api/v1/alerts",
                                     {{"source", "power_grid"}, {"kind", "abnormal_utilities"},
                                      {"id_number", EngineHarness::ValidId(7)}, {"occurred_at", "2026-02-19"}},
                                     "feed.bigdata");
  ASSERT_EQ(alert.status, 201) << alert.Describe();
  EXPECT_EQ(alert.Json()["alert"]["status"], "matched");
  const HttpResult alerts = api_.Get("/api/v1/alerts", "li.na");
  ASSERT_EQ(alerts.status, 200) << alerts.Describe();
  EXPECT_EQ(alerts.Json()["items"].size(), 1u);

  const HttpResult metrics = api_.Get("/metrics", "");  // same connection: all observed
  ASSERT_EQ(metrics.status, 200);
  for (const auto& r : api_.api().router().routes()) {
    EXPECT_TRUE(
        Contains(metrics.body, "jiuzhu_http_requests_total{route=\"" + r.name + "\",status=\"2"))
        << r.method << " " << r.pattern << " (" << r.name << ") never answered a 2xx";
  }
  EXPECT_FALSE(Contains(metrics.body, "result=\"error\"")) << metrics.body;
  std::int64_t active = 0;
  for (const auto& k : h_.AllCases())
    active += static_cast<std::int64_t>(h_.ActiveTasks(k.id).size());
  EXPECT_TRUE(Contains(metrics.body, "jiuzhu_tasks_open " + std::to_string(active) + "\n"))
      << metrics.body;
}

// Post-audit over HTTP: only auditors fix and draw samples, others' samples stay invisible, bad
// parameters are named, a retried draw replays its answer, and the approver of a case can
// neither audit it nor decide on it.
TEST_P(ApiTest, PostAuditRoutesRefuseTheWrongPeopleAndBadInput) {
  const std::string f = WalkTo("monitor", 8, "陈静怡");
  ASSERT_FALSE(f.empty());
  const Json params = {{"period_from", "2026-02-01"}, {"period_to", "2026-03-01"}, {"rate", "100%"}};
  EXPECT_TRUE(IsProblem(api_.Post("/api/v1/post-audit/samples", params, "chen.jing"), 403, "forbidden"));
  EXPECT_EQ(api_.Get("/api/v1/post-audit/population?from=2026-02-01&to=2026-03-01", "chen.jing").status, 403);
  const HttpResult both = api_.Get("/api/v1/post-audit/population?from=2026-02-01&to=2026-03-01&programme=dibao,tekun", "zhou.min");
  ASSERT_EQ(both.status, 200) << both.Describe();
  EXPECT_EQ(both.Json()["size"], 1) << "the dibao case; a list of programmes is accepted";
  EXPECT_TRUE(IsProblem(api_.Get("/api/v1/post-audit/population?from=2026-02-01&to=2026-03-01&programme=dibao,,tekun", "zhou.min"),
                        422, "invalid-field", "programmes"));
  HttpResult bad = api_.Post("/api/v1/post-audit/samples",
                             {{"period_from", "2026-02-01"}, {"period_to", "2026-03-01"}, {"rate", "150%"}},
                             "zhou.min");
  EXPECT_EQ(bad.status, 422) << bad.Describe();
  EXPECT_TRUE(Contains(bad.body, "\"rate\"")) << bad.body;
  bad = api_.Post("/api/v1/post-audit/samples", {{"period_from", "2026-03-01"}, {"period_to", "2026-02-01"}, {"rate", 0.1}},
                  "zhou.min");
  EXPECT_EQ(bad.status, 422) << bad.Describe();
  EXPECT_EQ(api_.PostText("/api/v1/post-audit/samples", "[1,", "zhou.min").status, 400);
  EXPECT_EQ(api_.Get("/api/v1/post-audit/stats?from=2026-02-01", "zhou.min").status, 422);
  EXPECT_EQ(api_.Get("/api/v1/credit-records?id_number=123", "chen.jing").status, 422);
  EXPECT_EQ(api_.Get("/api/v1/post-audit/samples", "").status, 401);

  const HttpResult created = api_.Post("/api/v1/post-audit/samples", params, "zhou.min");
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.Json()["status"], "seeded");
  EXPECT_EQ(created.Json()["seed"].get<std::string>().size(), 64u);
  const std::string path = "/api/v1/post-audit/samples/" + created.Json()["id"].get<std::string>();
  EXPECT_EQ(api_.Get(path, "tan.hui").status, 404) << "黄石's auditor does not see 大武口's sample";
  EXPECT_EQ(api_.Post(path + "/draw", Json::object(), "tan.hui").status, 404);
  EXPECT_EQ(api_.Get(path + "/verify", "zhou.min").Json()["match"], false) << "not drawn yet";

  const HeaderList key = {{"Idempotency-Key", "draw-once-1"}};
  const HttpResult drawn = api_.Post(path + "/draw", Json::object(), "zhou.min", key);
  ASSERT_EQ(drawn.status, 200) << drawn.Describe();
  const HttpResult replay = api_.Post(path + "/draw", Json::object(), "zhou.min", key);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.body, drawn.body);
  EXPECT_TRUE(Contains(replay.Header("idempotent-replayed"), "true"));
  EXPECT_TRUE(IsProblem(api_.Post(path + "/draw", Json::object(), "zhou.min"), 409, "illegal-transition"));
  // The auditor's inbox holds the audit task, named as such.
  const HttpResult inbox = api_.Get("/api/v1/inbox", "zhou.min");
  ASSERT_EQ(inbox.status, 200) << inbox.Describe();
  const Json inbox_json = inbox.Json();
  ASSERT_EQ(inbox_json["items"].size(), 1u) << inbox.body;
  EXPECT_EQ(inbox_json["items"][0]["kind"], "post_audit");
  EXPECT_EQ(inbox_json["items"][0]["kind_label"], "事后抽查核查");
  EXPECT_EQ(inbox_json["items"][0]["role"], "auditor");

  Json item;
  const Json drawn_json = drawn.Json();
  for (const auto& i : drawn_json["items"]) {
    if (i["case_id"] == f) item = i;
  }
  ASSERT_TRUE(item.is_object()) << drawn.body;
  const std::string item_path = "/api/v1/post-audit/items/" + item["id"].get<std::string>();
  EXPECT_EQ(api_.Post(item_path + "/finding", {{"result", "confirmed"}}, "li.na").status, 404);
  EXPECT_EQ(api_.Post("/api/v1/post-audit/items/1/finding", {{"result", "confirmed"}}, "zhou.min").status, 404);
  bad = api_.Post(item_path + "/finding", {{"result", "maybe"}}, "zhou.min");
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(Contains(bad.body, "\"result\"")) << bad.body;
  // The case page lists the item; the case itself is untouched by refusals.
  const Json before = GetCase(f, "chen.jing");
  ASSERT_EQ(before["post_audit"].size(), 1u) << before.dump();
  EXPECT_EQ(before["post_audit"][0]["status"], "pending");
  ASSERT_EQ(api_.Post(item_path + "/finding",
                      {{"result", "discrepancy"}, {"category", "undeclared_income"}, {"evidence", "工资流水"}},
                      "zhou.min").status, 200);
  ASSERT_EQ(api_.Post(item_path + "/reverification", {{"notes", "属实"}}, "li.na").status, 200);
  EXPECT_TRUE(IsProblem(api_.Post(item_path + "/decision", {{"decision", "uphold"}, {"reason", "维持"}}, "chen.jing"),
                        403, "forbidden"));
  bad = api_.Post(item_path + "/decision",
                  {{"decision", "revoke"}, {"reason", "隐瞒收入"}, {"amount_to_recover_yuan", 1.234}}, "wei.dong");
  EXPECT_EQ(bad.status, 422) << bad.Describe();
  const HttpResult revoked = api_.Post(
      item_path + "/decision", {{"decision", "revoke"}, {"reason", "隐瞒收入"}, {"amount_to_recover_yuan", 1580.5}},
      "wei.dong");
  ASSERT_EQ(revoked.status, 200) << revoked.Describe();
  EXPECT_EQ(revoked.Json()["credit_record"]["amount_to_recover_fen"], 158050);
  const Json after = GetCase(f, "li.na");
  EXPECT_EQ(after["state"], "revoked");
  ASSERT_EQ(after["credit_records"].size(), 1u);
  EXPECT_EQ(after["credit_records"][0]["active"], true);
  // The revoke event carries the facts the original approval was judged on.
  bool revoke_with_facts = false;
  for (const auto& e : after["timeline"]) {
    if (e["action"] == "revoke" && e["payload"].contains("facts")) revoke_with_facts = true;
  }
  EXPECT_TRUE(revoke_with_facts) << after["timeline"].dump();
}

// Alerts over HTTP: only feeds post; what cannot be read is kept and named (422 with the
// stored alert), unmatched ones are kept (202) and listed for city staff, resends replay.
TEST_P(ApiTest, AlertsAreKeptWhateverHappensToThem) {
  const Json body = {{"source", "yibao"}, {"kind", "large_medical_expense"}, {"amount_yuan", 30000},
                     {"id_number", EngineHarness::ValidId(90)}, {"occurred_at", "2026-02-01"},
                     {"external_id", "YB-90"}};
  EXPECT_TRUE(IsProblem(api_.Post("/api/v1/alerts", body, "li.na"), 403, "forbidden"));
  const HttpResult kept = api_.Post("/api/v1/alerts", body, "feed.bigdata");
  ASSERT_EQ(kept.status, 202) << kept.Describe();
  EXPECT_EQ(kept.Json()["alert"]["status"], "unmatched");
  const HttpResult resent = api_.Post("/api/v1/alerts", body, "feed.bigdata");
  EXPECT_EQ(resent.status, 200) << resent.Describe();
  EXPECT_EQ(resent.Json()["alert"]["id"], kept.Json()["alert"]["id"]);
  EXPECT_EQ(resent.Json()["replayed"], true);
  const HttpResult garbled = api_.PostText("/api/v1/alerts", "{\"kind\":", "feed.bigdata");
  EXPECT_TRUE(IsProblem(garbled, 422, "invalid-field", "body")) << garbled.Describe();
  EXPECT_EQ(garbled.Json()["alert"]["status"], "malformed");
  Json bad_date = body;
  bad_date["external_id"] = "YB-91";
  bad_date["occurred_at"] = "2026-13-01";
  EXPECT_TRUE(IsProblem(api_.Post("/api/v1/alerts", bad_date, "feed.bigdata"), 422, "invalid-field", "occurred_at"));
  // The city supervisor sees what matched nobody; the street does not.
  const HttpResult city = api_.Get("/api/v1/alerts?status=unmatched", "sun.li");
  ASSERT_EQ(city.status, 200);
  EXPECT_EQ(city.Json()["items"].size(), 1u) << city.body;
  const HttpResult all = api_.Get("/api/v1/alerts", "feed.bigdata");
  EXPECT_EQ(all.Json()["items"].size(), 3u) << all.body;
  EXPECT_TRUE(api_.Get("/api/v1/alerts", "li.na").Json()["items"].empty());
  EXPECT_EQ(api_.Get("/api/v1/alerts?status=lost", "sun.li").status, 422);
}

// The assessment form's live preview: the calculator with the case district's standards,
// every figure returned, nothing written; bad facts get a problem naming the field.
TEST_P(ApiTest, AssessmentPreviewComputesWithoutWriting) {
  const std::string id = Discover("wang.hua", 11, "周桂兰");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Command(id, "accept", Json::object(), "li.na").value("state", ""), "assess");
  const std::string before = h_.Fingerprint();
  const std::string path = "/api/v1/cases/" + id + "/assessment/preview";
  const HttpResult r = api_.Post(path, {{"assessment", Assessment("周桂兰")}}, "li.na");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const Json a = r.Json()["assessment"];
  EXPECT_EQ(a["pool"], "relief");
  EXPECT_EQ(a["eligible_programmes"], Json({"dibao"}));
  EXPECT_EQ(a["standards"]["district"], "640202");
  EXPECT_EQ(a["standards"]["year"], 2026);
  EXPECT_EQ(a["income"]["circumstance_deduction"]["yuan"], "1200.00");
  EXPECT_EQ(a["income"]["per_capita_monthly"]["yuan"], "450.00");
  EXPECT_FALSE(a["reasons"].empty());
  EXPECT_EQ(h_.Fingerprint(), before) << "a preview wrote something";

  Json bad = Assessment("周桂兰");
  bad["members"][1].erase("age");
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"assessment", bad}}, "li.na"), 422, "invalid-field",
                        "members[1].age"));
  EXPECT_TRUE(IsProblem(api_.Post(path, Json::object(), "li.na"), 422, "invalid-field",
                        "assessment"));
  // Another district's reviewer cannot see the case, so cannot preview it either.
  EXPECT_EQ(api_.Post(path, {{"assessment", Assessment("周桂兰")}}, "he.ping").status, 404);
  EXPECT_EQ(h_.Fingerprint(), before);

  // The command stores the same figures with the facts, and the case takes the pool.
  EXPECT_EQ(Command(id, "assess", {{"assessment", Assessment("周桂兰")}}, "li.na").value("state", ""),
            "commit");
  const Json c = GetCase(id, "li.na");
  EXPECT_EQ(c["pool"], "relief");
  EXPECT_EQ(c["assessment"]["income"], a["income"]);
  EXPECT_EQ(c["assessment"]["household"]["members"][0]["name"], "周桂兰");
  EXPECT_FALSE(c["assessment"]["assessed_at"].get<std::string>().empty());
}

// 转介 over HTTP: the proposals for an approved case, a referral confirmed with catalogue
// policies, the department's referral inbox, the answer; bad requests get a problem.
TEST_P(ApiTest, ReferralProposalsInboxAndAnswer) {
  const std::string id = WalkTo("approve", 12, "程桂珍");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Command(id, "approve", Json::object(), "chen.jing").value("state", ""), "refer");
  const HttpResult p = api_.Get("/api/v1/cases/" + id + "/referral-proposals", "chen.jing");
  ASSERT_EQ(p.status, 200) << p.Describe();
  Json canlian;
  const Json proposed = p.Json();
  for (const auto& item : proposed["items"]) {
    if (item["department"] == "canlian") canlian = item;
  }
  ASSERT_TRUE(canlian.is_object()) << p.body;
  EXPECT_EQ(canlian["department_unit"]["id"], "640202D07");
  EXPECT_EQ(canlian["feedback_working_days"], 10);
  EXPECT_FALSE(canlian["policies"][0]["reasons"].empty());
  EXPECT_EQ(api_.Get("/api/v1/cases/" + id + "/referral-proposals", "dept.huinong").status, 404);

  Json bad = Json::array({{{"department", "canlian"}, {"policies", {"yibao_insurance_subsidy"}}}});
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "refer"), {{"referrals", bad}}, "chen.jing"), 422,
                        "invalid-field", "referrals"));
  Json typed = Json::array({{{"department", "canlian"}, {"policies", "canlian_nursing_subsidy"}}});
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "refer"), {{"referrals", typed}}, "chen.jing"), 422,
                        "invalid-field", "referrals.policies"));
  Json good = Json::array({{{"department", "canlian"}, {"policies", {"canlian_nursing_subsidy"}}},
                           {{"department", "yibao"}, {"note", "医疗救助"}}});
  EXPECT_EQ(Command(id, "refer", {{"referrals", good}}, "chen.jing").value("state", ""), "feedback");

  const HttpResult inbox = api_.Get("/api/v1/referrals", "he.ping");
  ASSERT_EQ(inbox.status, 200) << inbox.Describe();
  Json mine;
  const Json pending = inbox.Json();
  for (const auto& r : pending["items"]) {
    if (r["case_id"] == id) mine = r;
  }
  ASSERT_TRUE(mine.is_object()) << inbox.body;
  EXPECT_EQ(mine["department"], "canlian");
  EXPECT_EQ(mine["policies"][0]["name"], "重度残疾人护理补贴");
  EXPECT_EQ(mine["note"], "重度残疾人护理补贴");
  EXPECT_EQ(mine["case"]["applicant_name"], "程桂珍");
  EXPECT_EQ(mine["overdue"], false);
  EXPECT_TRUE(IsProblem(api_.Get("/api/v1/referrals?status=late", "he.ping"), 422, "invalid-field",
                        "status"));
  EXPECT_EQ(api_.Get("/api/v1/referrals", "li.na").status, 403) << "not a department handler";

  Json answer = {{"department", "canlian"}, {"answer", "provided"}, {"details", "护理补贴已发放"},
                 {"amount_yuan", 1200}};
  EXPECT_EQ(Command(id, "feedback", answer, "he.ping").value("state", ""), "feedback");
  const HttpResult answered = api_.Get("/api/v1/referrals?status=answered", "he.ping");
  ASSERT_EQ(answered.status, 200);
  bool found = false;
  const Json done = answered.Json();
  for (const auto& r : done["items"]) {
    if (r["case_id"] == id) {
      found = true;
      EXPECT_EQ(r["answer"], "provided");
      EXPECT_EQ(r["answer_detail"]["amount_yuan"], 1200.0);
    }
  }
  EXPECT_TRUE(found) << answered.body;
}

// 季度走访 over HTTP: bad visit records get a problem naming the field and change nothing.
TEST_P(ApiTest, QuarterlyVisitRefusesBadRecords) {
  const std::string id = WalkTo("monitor", 13, "范淑芬");
  ASSERT_FALSE(id.empty());
  LogNotificationSender quiet;
  DeadlineClock scheduler(h_.rt(), quiet);
  ASSERT_TRUE(scheduler.ScheduleRevisits().ok());
  const std::string visit = ActiveTask(id, "wang.hua", "quarterly_visit");
  ASSERT_FALSE(visit.empty());
  const std::string before = h_.Fingerprint();
  const std::string path = TaskPath(visit, "visit");
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2026-02-11"}, {"findings", "稳定"}}, "wang.hua"),
                        422, "invalid-field", "visited_on"));
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2/10"}, {"findings", "稳定"}}, "wang.hua"), 422,
                        "invalid-field", "visited_on"));
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2026-02-10"}}, "wang.hua"), 422,
                        "invalid-field", "findings"));
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2026-02-10"}, {"findings", "稳定"}, {"pool", "rich"}},
                                  "wang.hua"),
                        422, "invalid-field", "pool"));
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2026-02-10"}, {"findings", "稳定"}, {"pool", "general"}},
                                  "wang.hua"),
                        422, "invalid-field", "reason"));
  EXPECT_TRUE(IsProblem(api_.Post(path, {{"visited_on", "2026-02-10"}, {"findings", "稳定"}, {"photos", "a.jpg"}},
                                  "wang.hua"),
                        422, "invalid-field", "photos"));
  EXPECT_EQ(api_.Post(path, {{"visited_on", "2026-02-10"}, {"findings", "稳定"}}, "li.na").status, 404);
  EXPECT_EQ(h_.Fingerprint(), before);
}

// Staff look up other departments' policies in Chinese; each comes with the department unit
// near them that would handle a referral.
TEST_P(ApiTest, PolicySearchFindsPoliciesInChineseWithTheLocalDepartment) {
  const HttpResult cancer = api_.Get("/api/v1/policies?q=%E7%99%8C%E7%97%87", "li.na");  // 癌症
  ASSERT_EQ(cancer.status, 200) << cancer.Describe();
  const Json found = cancer.Json();
  ASSERT_GE(found["total"].get<int>(), 1);
  std::set<std::string> departments;
  for (const auto& p : found["items"]) departments.insert(p["department"]);
  EXPECT_EQ(departments.count("yibao"), 1u) << found.dump();
  const Json first = found["items"][0];
  EXPECT_GT(first["score"].get<int>(), 0);
  EXPECT_FALSE(first["matched"].empty());

  const HttpResult disabled = api_.Get("/api/v1/policies?q=%E6%AE%8B%E7%96%BE", "li.na");  // 残疾
  ASSERT_EQ(disabled.status, 200);
  const Json d = disabled.Json()["items"][0];
  EXPECT_EQ(d["department"], "canlian");
  ASSERT_TRUE(d["department_unit"].is_object()) << d.dump();
  EXPECT_EQ(d["department_unit"]["id"], "640202D07") << "li.na works in 大武口区: its 残联";

  const HttpResult all = api_.Get("/api/v1/policies?limit=100", "he.ping");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.Json()["total"], all.Json()["items"].size());
  EXPECT_GE(all.Json()["total"].get<int>(), 10);

  EXPECT_EQ(api_.Get("/api/v1/policies?q=%20%20", "li.na").status, 422) << "only spaces";
  EXPECT_EQ(api_.Get("/api/v1/policies?limit=0", "li.na").status, 422);
  EXPECT_EQ(api_.Get("/api/v1/policies?q=x", "").status, 401);
}

// ---------------------------------------------------------------------------
// Sign-in.

TEST_P(ApiTest, LoginIssuesATokenThatTheApiAccepts) {
  HttpResult r = api_.client().Request(
      "POST", "/api/v1/auth/login", Json{{"username", "li.na"}, {"password", kDemoPassword}}.dump(),
      {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  const Json j = r.Json();
  EXPECT_EQ(j.value("token_type", ""), "Bearer");
  EXPECT_EQ(j.value("expires_in", 0), 8 * 3600);
  EXPECT_EQ(j["user"],
            (Json{{"username", "li.na"},
                  {"display_name", "李娜"},
                  {"roles", {{{"role", "street_reviewer"}, {"org_unit", kXinghaiTown}}}}}));
  const std::string token = j.value("token", "");
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;

  HttpResult me =
      api_.client().Request("GET", "/api/v1/me", {}, {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Json(), (Json{{"username", "li.na"},
                             {"display_name", "李娜"},
                             {"roles",
                              {{{"role", "street_reviewer"},
                                {"role_name", "街道（乡镇）审核员"},
                                {"org_unit", kXinghaiTown},
                                {"org_unit_name", "星海镇"},
                                {"tier", "street"}}}}}));
}

TEST_P(ApiTest, LoginRefusalsAre401OrNameTheFieldAndDoNotTellWhoExists) {
  auto login = [&](const std::string& body) {
    return api_.client().Request("POST", "/api/v1/auth/login", body,
                                 {{"Content-Type", "application/json"}});
  };
  const HttpResult wrong = login(R"({"username":"li.na","password":"jiuzhu2025"})");
  const HttpResult unknown = login(R"({"username":"no.such.person","password":"jiuzhu2026"})");
  EXPECT_TRUE(IsProblem(wrong, 401, "bad-credentials"));
  EXPECT_TRUE(IsProblem(unknown, 401, "bad-credentials"));
  EXPECT_EQ(wrong.body, unknown.body);  // the same answer whether the account exists or not
  EXPECT_FALSE(Contains(wrong.body, "token"));

  EXPECT_TRUE(IsProblem(login(R"({"password":"jiuzhu2026"})"), 422, "invalid-field", "username"));
  EXPECT_TRUE(IsProblem(login(R"({"username":"","password":"jiuzhu2026"})"), 422, "invalid-field",
                        "username"));
  EXPECT_TRUE(IsProblem(login(R"({"username":"li.na"})"), 422, "invalid-field", "password"));
  EXPECT_TRUE(IsProblem(login(R"({"username":"li.na","password":2026})"), 422, "invalid-field",
                        "password"));
  EXPECT_TRUE(IsProblem(login(R"({"username":42,"password":"jiuzhu2026"})"), 422, "invalid-field",
                        "username"));
  EXPECT_TRUE(IsProblem(login(R"({"username":["li.na"],"password":"jiuzhu2026"})"), 422,
                        "invalid-field", "username"));
  EXPECT_TRUE(IsProblem(login(R"({"username":"li.na","password":)"), 400, "malformed-json"));
  EXPECT_TRUE(IsProblem(login(R"(["li.na","jiuzhu2026"])"), 400, "malformed-json"));
  EXPECT_TRUE(IsProblem(login(""), 400, "malformed-json"));
}

TEST_P(ApiTest, RepeatedFailedLoginsAreThrottledWith429AndRetryAfter) {
  auto login = [&](const std::string& user, const std::string& password) {
    return api_.client().Request("POST", "/api/v1/auth/login",
                                 Json{{"username", user}, {"password", password}}.dump(),
                                 {{"Content-Type", "application/json"}});
  };
  // Three free attempts, then one second to wait (ThrottleOptions defaults).
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login("zhang.qiang", "guess" + std::to_string(i)).status, 401) << i;
  HttpResult throttled = login("zhang.qiang", kDemoPassword);  // even the right password
  EXPECT_TRUE(IsProblem(throttled, 429, "too-many-attempts"));
  EXPECT_EQ(throttled.Header("retry-after"), "1");
  EXPECT_FALSE(Contains(throttled.body, "\"token\""));
  // Another account is not affected.
  EXPECT_EQ(login("li.na", kDemoPassword).status, 200);

  api_.throttle_clock().Advance(kMicrosPerSecond);
  // The fourth failure doubles the wait.
  EXPECT_EQ(login("zhang.qiang", "guess3").status, 401);
  throttled = login("zhang.qiang", kDemoPassword);
  EXPECT_TRUE(IsProblem(throttled, 429, "too-many-attempts"));
  EXPECT_EQ(throttled.Header("retry-after"), "2");

  api_.throttle_clock().Advance(2 * kMicrosPerSecond);
  HttpResult ok = login("zhang.qiang", kDemoPassword);
  ASSERT_EQ(ok.status, 200) << ok.Describe();
  // Success resets the account: the next mistake is free again.
  EXPECT_EQ(login("zhang.qiang", "guess4").status, 401);
  EXPECT_EQ(login("zhang.qiang", kDemoPassword).status, 200);
}

// ---------------------------------------------------------------------------
// Tokens that must not work.

TEST_P(ApiTest, ForgedOrStaleTokensAre401WithAProblemAndHaveNoEffect) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());

  auto service = [&](auth::JwtOptions o, const Clock& clock) {
    auto s = auth::JwtService::Create(std::move(o), clock);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  };
  auto issue = [](const auth::JwtService& s, const std::string& subject) {
    auto t = s.Issue(subject);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : std::string();
  };
  SystemClock wall;
  // Issued two hours ago for one hour: expired by the server's (system) clock.
  ManualClock past(SystemClock().Now() - 2 * 3600 * kMicrosPerSecond);
  auth::JwtOptions short_lived = api_.jwt_options();
  short_lived.ttl_seconds = 3600;
  auth::JwtOptions other_secret = api_.jwt_options();
  other_secret.hs_secret = "another-secret-of-at-least-32-bytes-000000";
  auth::JwtOptions other_issuer = api_.jwt_options();
  other_issuer.issuer = "someone-else";
  auth::JwtOptions other_audience = api_.jwt_options();
  other_audience.audience = "another-api";

  const std::string good = api_.Token("li.na");
  Json no_exp = GoodClaims("li.na");
  no_exp.erase("exp");
  const Json hs256 = {{"alg", "HS256"}, {"typ", "JWT"}};
  const Json none = {{"alg", "none"}, {"typ", "JWT"}};
  const std::string none_payload =
      Base64Url(none.dump()) + "." + Base64Url(GoodClaims("li.na").dump());
  // li.na's signature under a payload naming chen.jing.
  const std::string tampered = Base64Url(hs256.dump()) + "." +
                               Base64Url(GoodClaims("chen.jing").dump()) +
                               good.substr(good.rfind('.'));

  // The hand-built good token is accepted: the refusals below are about what differs.
  HttpResult control = api_.client().Request(
      "GET", "/api/v1/me", {},
      {{"Authorization", "Bearer " + HandSigned(hs256, GoodClaims("li.na"), kApiJwtSecret)}});
  ASSERT_EQ(control.status, 200) << control.Describe();

  struct Attack {
    std::string name;
    std::string authorization;  // "": no header at all
    std::string reason;         // in the detail
  };
  const std::vector<Attack> attacks = {
      {"no header", "", "sign in first"},
      {"empty bearer", "Bearer ", "sign in first"},
      {"basic scheme", "Basic bGkubmE6aml1emh1MjAyNg==", "sign in first"},
      {"garbage", "Bearer not-a-token", "malformed token"},
      {"expired", "Bearer " + issue(*service(short_lived, past), "li.na"), "token expired"},
      {"wrong signature", "Bearer " + issue(*service(other_secret, wall), "li.na"),
       "bad signature"},
      {"tampered payload", "Bearer " + tampered, "bad signature"},
      {"alg none, no signature", "Bearer " + none_payload + ".", "malformed token"},
      {"alg none, signed", "Bearer " + HandSigned(none, GoodClaims("li.na"), kApiJwtSecret),
       "unexpected algorithm"},
      {"wrong issuer", "Bearer " + issue(*service(other_issuer, wall), "li.na"), "wrong issuer"},
      {"wrong audience", "Bearer " + issue(*service(other_audience, wall), "li.na"),
       "wrong audience"},
      {"missing exp", "Bearer " + HandSigned(hs256, no_exp, kApiJwtSecret), "missing claim: exp"},
      {"unknown user", "Bearer " + issue(*service(api_.jwt_options(), wall), "ghost.user"),
       "no longer exists"},
  };
  const std::string before = h_.Fingerprint();
  for (const auto& a : attacks) {
    SCOPED_TRACE(a.name);
    HeaderList headers;
    if (!a.authorization.empty()) headers.emplace_back("Authorization", a.authorization);
    const HttpResult me = api_.client().Request("GET", "/api/v1/me", {}, headers);
    EXPECT_TRUE(IsProblem(me, 401, "unauthenticated"));
    EXPECT_TRUE(Contains(Detail(me), a.reason)) << me.body;
    EXPECT_EQ(me.Header("www-authenticate"), "Bearer realm=\"jiuzhu\"");
    const std::string token =
        a.authorization.substr(std::min<std::size_t>(a.authorization.size(), 7));
    if (token.size() > 8) {
      EXPECT_FALSE(Contains(me.body, token)) << "the token is echoed";
    }

    headers.emplace_back("Content-Type", "application/json");
    const HttpResult accept = api_.client().Request("POST", CasePath(id, "accept"), "{}", headers);
    EXPECT_TRUE(IsProblem(accept, 401, "unauthenticated"));
    EXPECT_FALSE(accept.Json().contains("current")) << accept.body;
    const HttpResult list = api_.client().Request("GET", "/api/v1/cases", {}, headers);
    EXPECT_TRUE(IsProblem(list, 401, "unauthenticated"));
  }
  EXPECT_EQ(h_.Fingerprint(), before);
}

// ---------------------------------------------------------------------------
// Error statuses.

TEST_P(ApiTest, MalformedJsonIs400OnEveryRouteWithABody) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string task = ActiveTask(id, "li.na");
  const std::string before = h_.Fingerprint();
  std::vector<std::string> targets = {"/api/v1/cases", "/api/v1/tasks/bulk-claim"};
  for (const auto& c : CaseCommands()) targets.push_back(CasePath(id, c));
  for (const char* c : {"claim", "release", "complete", "delegate"})
    targets.push_back(TaskPath(task, c));
  for (const auto& t : targets) {
    for (const std::string body : {"{\"comment\": ", "[1, 2]", "\"text\"", "{'a': 1}"}) {
      EXPECT_TRUE(IsProblem(api_.PostText(t, body, "li.na"), 400, "malformed-json"))
          << t << " " << body;
    }
  }
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ApiTest, UnknownResourcesAre404AndWrongMethodsAre405) {
  EXPECT_TRUE(IsProblem(api_.Get(CasePath("123456789"), "li.na"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(api_.Get(CasePath("not-a-number"), "li.na"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath("123456789", "accept"), Json::object(), "li.na"), 404,
                        "not-found"));
  EXPECT_TRUE(IsProblem(api_.Post(TaskPath("123456789", "claim"), Json::object(), "li.na"), 404,
                        "not-found"));
  EXPECT_TRUE(IsProblem(api_.Get("/api/v1/no-such-thing", "li.na"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(api_.Get("/api/v2/cases", ""), 404, "not-found"));

  struct Wrong {
    std::string method, target, allow;
  };
  for (const Wrong& w : std::vector<Wrong>{{"DELETE", "/api/v1/cases", "GET, POST"},
                                           {"PUT", CasePath("1"), "GET"},
                                           {"GET", CasePath("1", "approve"), "POST"},
                                           {"GET", "/api/v1/auth/login", "POST"},
                                           {"POST", "/healthz", "GET"},
                                           {"PATCH", "/api/v1/tasks/1/claim", "POST"}}) {
    const HttpResult r = api_.client().Request(w.method, w.target, {}, api_.AuthHeaders("li.na"));
    EXPECT_TRUE(IsProblem(r, 405, "method-not-allowed")) << w.method << " " << w.target;
    // RFC 9110 §15.5.6: a 405 lists the methods the resource supports.
    EXPECT_EQ(r.Header("allow"), w.allow) << w.method << " " << w.target;
  }
}

TEST_P(ApiTest, AnotherStreetsCaseIs404ForReadsAndEveryCommand) {
  // A 星海镇 case at approval, with a referral-free history.
  const std::string id = WalkTo("approve", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string before = h_.Fingerprint();
  const HttpResult unknown = api_.Get(CasePath("999999999"), "zhao.lei");

  // zhao.lei reviews 长胜街道: the case does not exist for him, whatever he sends.
  const HttpResult read = api_.Get(CasePath(id), "zhao.lei");
  EXPECT_TRUE(IsProblem(read, 404, "not-found"));
  EXPECT_EQ(Detail(read), "case " + id + " not found");
  Json a = read.Json(), b = unknown.Json();
  a.erase("detail");
  b.erase("detail");
  EXPECT_EQ(a, b) << "a hidden case must look exactly like a missing one";
  for (const auto& command : CaseCommands()) {
    SCOPED_TRACE(command);
    const HttpResult r =
        api_.Post(CasePath(id, command), ValidBodyFor(command, "张秀英"), "zhao.lei");
    EXPECT_TRUE(IsProblem(r, 404, "not-found"));
    EXPECT_EQ(Detail(r), "case " + id + " not found");
    EXPECT_FALSE(r.Json().contains("current")) << r.body;
    // A stale version does not tell him the real one either.
    Json stale = ValidBodyFor(command, "张秀英");
    stale["version"] = 1;
    const HttpResult s = api_.Post(CasePath(id, command), stale, "zhao.lei");
    EXPECT_TRUE(IsProblem(s, 404, "not-found"));
    EXPECT_FALSE(s.Json().contains("current")) << s.body;
  }
  // Nor for a village officer of another village, or a department it was never referred to.
  EXPECT_TRUE(IsProblem(api_.Get(CasePath(id), "ma.xiu"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(api_.Get(CasePath(id), "he.ping"), 404, "not-found"));
  EXPECT_TRUE(IsProblem(api_.Get(CasePath(id), "huang.wei"), 404, "not-found"));
  EXPECT_EQ(h_.Fingerprint(), before);
  // Those above it see it.
  EXPECT_EQ(GetCase(id, "liu.yang").value("state", ""), "approve");
  EXPECT_EQ(GetCase(id, "sun.li").value("state", ""), "approve");
}

TEST_P(ApiTest, ARoleThatMayNotDecideIs403) {
  const std::string id = WalkTo("approve", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string before = h_.Fingerprint();
  // The village officer sees the case of her village but may not approve it.
  EXPECT_EQ(GetCase(id, "wang.hua").value("state", ""), "approve");
  const HttpResult r = api_.Post(CasePath(id, "approve"), Json::object(), "wang.hua");
  EXPECT_TRUE(IsProblem(r, 403, "forbidden"));
  EXPECT_TRUE(Contains(Detail(r), "district_approver")) << r.body;
  EXPECT_TRUE(Contains(Detail(r), "wang.hua")) << r.body;
  EXPECT_TRUE(
      IsProblem(api_.Post(CasePath(id, "approve"), Json::object(), "li.na"), 403, "forbidden"));
  EXPECT_TRUE(
      IsProblem(api_.Post(CasePath(id, "approve"), Json::object(), "liu.yang"), 403, "forbidden"));
  // Nor report a household of another village.
  EXPECT_TRUE(IsProblem(api_.Post("/api/v1/cases",
                                  {{"programme", "dibao"},
                                   {"id_number", EngineHarness::ValidId(2)},
                                   {"applicant_name", "李桂英"},
                                   {"village", kLongquan}},
                                  "wang.hua"),
                        403, "forbidden"));
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ApiTest, AnIllegalTransitionIs409NamingStateAndCommand) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string before = h_.Fingerprint();
  HttpResult r = api_.Post(CasePath(id, "approve"), Json::object(), "chen.jing");
  EXPECT_TRUE(IsProblem(r, 409, "illegal-transition"));
  EXPECT_TRUE(Contains(Detail(r), "'approve'")) << r.body;
  EXPECT_TRUE(Contains(Detail(r), "'discover'")) << r.body;
  EXPECT_EQ(r.Json()["current"],
            (Json{{"state", "discover"}, {"state_label", "主动发现"}, {"version", 1}}));

  r = api_.Post(CasePath(id, "pledge"), {{"pledge", Pledge("张秀英")}}, "li.na");
  EXPECT_TRUE(IsProblem(r, 409, "illegal-transition"));
  EXPECT_TRUE(Contains(Detail(r), "'pledge'") && Contains(Detail(r), "'discover'")) << r.body;
  EXPECT_EQ(r.Json()["current"]["version"], 1);
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ApiTest, AStaleVersionIs409WithTheCurrentStateAndVersion) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const HttpResult read = api_.Get(CasePath(id), "li.na");
  EXPECT_EQ(read.Header("etag"), "\"1\"");
  const std::string before = h_.Fingerprint();

  HttpResult r = api_.Post(CasePath(id, "accept"), {{"version", 7}}, "li.na");
  EXPECT_TRUE(IsProblem(r, 409, "conflict"));
  EXPECT_EQ(r.Json()["current"],
            (Json{{"state", "discover"}, {"state_label", "主动发现"}, {"version", 1}}));
  EXPECT_TRUE(Contains(Detail(r), "version 1")) << r.body;
  r = api_.Post(CasePath(id, "accept"), Json::object(), "li.na", {{"If-Match", "\"0\""}});
  EXPECT_TRUE(IsProblem(r, 409, "conflict"));
  EXPECT_EQ(r.Json()["current"]["version"], 1);
  EXPECT_TRUE(IsProblem(
      api_.Post(CasePath(id, "accept"), Json::object(), "li.na", {{"If-Match", "W/\"x\""}}), 422,
      "invalid-field", "If-Match"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "accept"), {{"version", "1"}}, "li.na"), 422,
                        "invalid-field", "version"));
  EXPECT_EQ(h_.Fingerprint(), before);

  // The right version, by If-Match as the ETag gave it.
  const Json c =
      Command(id, "accept", Json::object(), "li.na", {{"If-Match", read.Header("etag")}});
  EXPECT_EQ(c.value("state", ""), "assess");
  EXPECT_EQ(c.value("version", 0), 2);
  // The same request again is now stale.
  r = api_.Post(CasePath(id, "accept"), Json::object(), "li.na",
                {{"If-Match", read.Header("etag")}});
  EXPECT_TRUE(IsProblem(r, 409, "conflict"));
  EXPECT_EQ(r.Json()["current"],
            (Json{{"state", "assess"}, {"state_label", "综合评估"}, {"version", 2}}));
}

TEST_P(ApiTest, InvalidFieldsAre422NamingTheField) {
  const std::string id = WalkTo("assess", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string before = h_.Fingerprint();
  auto discover = [&](Json body) {
    Json d = {{"programme", "dibao"},
              {"id_number", EngineHarness::ValidId(2)},
              {"applicant_name", "李桂英"},
              {"village", kXingguang}};
    d.update(body);
    return api_.Post("/api/v1/cases", d, "wang.hua");
  };
  // A wrong check digit.
  std::string bad_id = EngineHarness::ValidId(2);
  bad_id.back() = bad_id.back() == '0' ? '1' : '0';
  HttpResult r = discover({{"id_number", bad_id}});
  EXPECT_TRUE(IsProblem(r, 422, "invalid-field", "id_number"));
  EXPECT_TRUE(
      IsProblem(discover({{"id_number", "64020219500101"}}), 422, "invalid-field", "id_number"));
  EXPECT_TRUE(IsProblem(discover({{"id_number", nullptr}}), 422, "invalid-field", "id_number"));
  r = discover({{"programme", "no_such_programme"}});
  EXPECT_TRUE(IsProblem(r, 422, "invalid-field", "programme"));
  EXPECT_TRUE(Contains(Detail(r), "no_such_programme")) << r.body;
  EXPECT_TRUE(IsProblem(discover({{"village", "640202100"}}), 422, "invalid-field", "village"));
  EXPECT_TRUE(
      IsProblem(discover({{"applicant_name", "  "}}), 422, "invalid-field", "applicant_name"));
  EXPECT_TRUE(
      IsProblem(discover({{"applicant_name", 42}}), 422, "invalid-field", "applicant_name"));

  // A negative income, and other assessment mistakes.
  Json negative = Assessment("张秀英");
  negative["income"][0]["monthly_yuan"][3] = -1;
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", negative}}, "li.na"), 422,
                        "invalid-field", "income[0].monthly_yuan[3]"));
  Json eleven = Assessment("张秀英");
  eleven["income"][0]["monthly_yuan"].erase(0);
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", eleven}}, "li.na"), 422,
                        "invalid-field", "income[0].monthly"));
  Json unknown = Assessment("张秀英");
  unknown["members"][0]["circumstances"] = {"rich"};
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", unknown}}, "li.na"), 422,
                        "invalid-field", "members[0].circumstances"));
  Json typo = Assessment("张秀英");
  typo["annual_income_yuan"] = 6000;  // the old shape: refused, never counted as no income
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", typo}}, "li.na"), 422,
                        "invalid-field", "annual_income_yuan"));
  Json no_members = Assessment("张秀英");
  no_members["members"] = Json::array();
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", no_members}}, "li.na"),
                        422, "invalid-field", "members"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), Json::object(), "li.na"), 422,
                        "invalid-field", "assessment"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "assess"), {{"assessment", "poor"}}, "li.na"), 422,
                        "invalid-field", "assessment"));

  // Query parameters, task bodies.
  EXPECT_TRUE(IsProblem(api_.Get("/api/v1/cases?limit=0", "li.na"), 422, "invalid-field", "limit"));
  EXPECT_TRUE(
      IsProblem(api_.Get("/api/v1/cases?stage=nowhere", "li.na"), 422, "invalid-field", "stage"));
  EXPECT_TRUE(IsProblem(api_.Get("/api/v1/cases?id_number=" + bad_id, "li.na"), 422,
                        "invalid-field", "id_number"));
  EXPECT_TRUE(
      IsProblem(api_.Get("/api/v1/inbox?view=everything", "li.na"), 422, "invalid-field", "view"));
  EXPECT_TRUE(
      IsProblem(api_.Post("/api/v1/tasks/bulk-claim", {{"task_ids", Json::array()}}, "li.na"), 422,
                "invalid-field", "task_ids"));
  const std::string task = ActiveTask(id, "li.na");
  EXPECT_TRUE(IsProblem(api_.Post(TaskPath(task, "complete"), {{"decision", "approve"}}, "li.na"),
                        422, "invalid-field", "decision"));
  EXPECT_TRUE(IsProblem(api_.Post(TaskPath(task, "delegate"), {{"to", "no.such.person"}}, "li.na"),
                        422, "invalid-field", "to"));
  EXPECT_TRUE(IsProblem(
      api_.Post(TaskPath(task, "delegate"), {{"to", "zhang.qiang"}, {"comment", 5}}, "li.na"), 422,
      "invalid-field", "comment"));
  EXPECT_TRUE(IsProblem(
      api_.Post(TaskPath(task, "complete"), {{"decision", "assess"}, {"comment", {1}}}, "li.na"),
      422, "invalid-field", "comment"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "reject"), {{"reason", 7}}, "li.na"), 422,
                        "invalid-field", "reason"));
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "accept"), Json::object(), "li.na",
                                  {{"Idempotency-Key", std::string(129, 'k')}}),
                        422, "invalid-field", "Idempotency-Key"));
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ApiTest, ABodyOverTheServerLimitIs413AndNothingIsWritten) {
  const std::string before = h_.Fingerprint();
  const Json body = {{"programme", "dibao"},
                     {"id_number", EngineHarness::ValidId(1)},
                     {"applicant_name", "张秀英"},
                     {"village", kXingguang},
                     {"comment", std::string(100 * 1024, 'x')}};  // limit: 64 KiB
  const HttpResult r = api_.Post("/api/v1/cases", body, "wang.hua");
  EXPECT_TRUE(IsProblem(r, 413, "payload-too-large"));
  EXPECT_EQ(h_.Fingerprint(), before);
  // The server closed that connection; a new one works.
  EXPECT_EQ(api_.Get("/healthz", "").status, 200);
}

// ---------------------------------------------------------------------------
// Org scoping.

TEST_P(ApiTest, EveryResourceIsScopedToTheCallersOrgUnits) {
  const std::string ours = Discover("wang.hua", 1, "张秀英");  // 星光村, 星海镇
  const std::string theirs =
      Discover("officer.640202001001", 2, "李桂英", kChangsheng);  // 长胜街道
  ASSERT_FALSE(ours.empty());
  ASSERT_FALSE(theirs.empty());
  const std::string before = h_.Fingerprint();

  // Case lists.
  EXPECT_EQ(ListedCases("li.na"), std::vector<std::string>{ours});
  EXPECT_EQ(ListedCases("wang.hua"), std::vector<std::string>{ours});
  EXPECT_EQ(ListedCases("zhao.lei"), std::vector<std::string>{theirs});
  EXPECT_TRUE(ListedCases("ma.xiu").empty());     // 潮湖村
  EXPECT_TRUE(ListedCases("huang.wei").empty());  // another city
  EXPECT_TRUE(ListedCases("he.ping").empty());    // no referral yet
  for (const char* above : {"liu.yang", "chen.jing", "sun.li"}) {
    const auto ids = ListedCases(above);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{ours, theirs}))
        << above;
  }
  // Searching another street's household by ID number finds nothing; asking for its unit fails.
  EXPECT_TRUE(ListedCases("li.na", "?id_number=" + EngineHarness::ValidId(2)).empty());
  EXPECT_EQ(ListedCases("zhao.lei", "?id_number=" + EngineHarness::ValidId(2)),
            std::vector<std::string>{theirs});
  EXPECT_TRUE(
      IsProblem(api_.Get(std::string("/api/v1/cases?org_unit=") + kChangshengStreet, "li.na"), 422,
                "invalid-field", "org_unit"));
  EXPECT_EQ(ListedCases("liu.yang", std::string("?org_unit=") + kChangshengStreet),
            std::vector<std::string>{theirs});

  // Inboxes.
  EXPECT_EQ(InboxCases("li.na"), std::set<std::string>{ours});
  EXPECT_EQ(InboxCases("zhang.qiang"), std::set<std::string>{ours});
  EXPECT_EQ(InboxCases("zhao.lei"), std::set<std::string>{theirs});
  EXPECT_TRUE(InboxCases("wu.fang").empty());
  EXPECT_TRUE(InboxCases("chen.jing").empty());

  // Org units.
  const HttpResult units = api_.Get("/api/v1/org-units", "zhao.lei");
  ASSERT_EQ(units.status, 200);
  std::set<std::string> unit_ids;
  const Json unit_list = units.Json();
  for (const auto& u : unit_list.value("items", Json::array())) unit_ids.insert(u.value("id", ""));
  EXPECT_EQ(unit_ids.count(kChangshengStreet), 1u);
  EXPECT_EQ(unit_ids.count(kChangsheng), 1u);
  EXPECT_EQ(unit_ids.count(kXinghaiTown), 0u);
  EXPECT_EQ(unit_ids.count(kXingguang), 0u);

  // Tasks of another street: every task command answers 404, bulk claims report 404.
  const std::string task = ActiveTask(ours, "li.na");
  for (const auto& [command, body] :
       std::vector<std::pair<std::string, Json>>{{"claim", Json::object()},
                                                 {"release", Json::object()},
                                                 {"complete", {{"decision", "accept"}}},
                                                 {"delegate", {{"to", "li.na"}}}}) {
    const HttpResult r = api_.Post(TaskPath(task, command), body, "zhao.lei");
    EXPECT_TRUE(IsProblem(r, 404, "not-found")) << command;
    EXPECT_EQ(Detail(r), "task " + task + " not found") << command;
  }
  const HttpResult bulk = api_.Post("/api/v1/tasks/bulk-claim", {{"task_ids", {task}}}, "zhao.lei");
  ASSERT_EQ(bulk.status, 200) << bulk.Describe();
  EXPECT_EQ(bulk.Json()["claimed"], 0);
  EXPECT_EQ(bulk.Json()["results"][0]["status"], 404);
  // Nor can a task be handed to someone of another street.
  EXPECT_TRUE(IsProblem(api_.Post(TaskPath(task, "delegate"), {{"to", "zhao.lei"}}, "li.na"), 422,
                        "invalid-field", "to"));
  EXPECT_EQ(h_.Fingerprint(), before);
}

// ---------------------------------------------------------------------------
// Idempotency and concurrency.

TEST_P(ApiTest, ARetryWithTheSameIdempotencyKeyReplaysTheFirstAnswer) {
  const Json report = {{"programme", "dibao"},
                       {"id_number", EngineHarness::ValidId(1)},
                       {"applicant_name", "张秀英"},
                       {"village", kXingguang}};
  const HttpResult first =
      api_.Post("/api/v1/cases", report, "wang.hua", {{"Idempotency-Key", "report-1"}});
  ASSERT_EQ(first.status, 201) << first.Describe();
  EXPECT_EQ(first.Header("idempotent-replayed"), "");
  const HttpResult again =
      api_.Post("/api/v1/cases", report, "wang.hua", {{"Idempotency-Key", "report-1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  const std::string id = first.Json()["case"].value("id", "");
  ASSERT_EQ(h_.AllCases().size(), 1u);
  EXPECT_EQ(h_.Audit(std::stoll(id)).size(), 1u);

  const HttpResult accepted = api_.Post(CasePath(id, "accept"), {{"comment", "受理"}}, "li.na",
                                        {{"Idempotency-Key", "accept-1"}});
  ASSERT_EQ(accepted.status, 200) << accepted.Describe();
  const HttpResult replayed = api_.Post(CasePath(id, "accept"), {{"comment", "受理"}}, "li.na",
                                        {{"Idempotency-Key", "accept-1"}});
  EXPECT_EQ(replayed.status, 200) << replayed.Describe();
  EXPECT_EQ(replayed.body, accepted.body);
  EXPECT_EQ(replayed.Header("idempotent-replayed"), "true");
  EXPECT_EQ(h_.Audit(std::stoll(id)).size(), 2u);  // one accept
  EXPECT_EQ(h_.Case(std::stoll(id))->version, 2);

  const std::string before = h_.Fingerprint();
  // The same key for another request: refused, nothing replayed or done.
  HttpResult r = api_.Post(CasePath(id, "accept"), {{"comment", "再次受理"}}, "li.na",
                           {{"Idempotency-Key", "accept-1"}});
  EXPECT_TRUE(IsProblem(r, 422, "invalid-field", "Idempotency-Key"));
  EXPECT_EQ(r.Header("idempotent-replayed"), "");
  r = api_.Post(CasePath(id, "close"), {{"comment", "受理"}}, "li.na",
                {{"Idempotency-Key", "accept-1"}});
  EXPECT_TRUE(IsProblem(r, 422, "invalid-field", "Idempotency-Key"));
  // Keys belong to their user: zhang.qiang's "accept-1" is a new request (too late here).
  r = api_.Post(CasePath(id, "accept"), {{"comment", "受理"}}, "zhang.qiang",
                {{"Idempotency-Key", "accept-1"}});
  EXPECT_TRUE(IsProblem(r, 409, "illegal-transition"));
  EXPECT_EQ(r.Header("idempotent-replayed"), "");
  // Without a key the retry is a new command, refused by the lifecycle.
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "accept"), {{"comment", "受理"}}, "li.na"), 409,
                        "illegal-transition"));
  EXPECT_EQ(h_.Fingerprint(), before);

  // A task claim retried: the replay says 200 where a second claim would be a 409.
  const std::string task = ActiveTask(id, "li.na");
  const HttpResult claim =
      api_.Post(TaskPath(task, "claim"), Json::object(), "li.na", {{"Idempotency-Key", "claim-1"}});
  ASSERT_EQ(claim.status, 200) << claim.Describe();
  const HttpResult claim_again =
      api_.Post(TaskPath(task, "claim"), Json::object(), "li.na", {{"Idempotency-Key", "claim-1"}});
  EXPECT_EQ(claim_again.status, 200) << claim_again.Describe();
  EXPECT_EQ(claim_again.body, claim.body);
  EXPECT_EQ(claim_again.Header("idempotent-replayed"), "true");
  EXPECT_EQ(h_.Audit(std::stoll(id)).size(), 3u);
}

// Runs `request(i, client)` on `n` threads at once, each with a client of its own connected
// beforehand; the results by thread.
template <typename Fn>
std::vector<HttpResult> AllAtOnce(ApiHarness& api, int n, Fn request) {
  std::vector<HttpResult> results(n);
  std::mutex mu;
  std::condition_variable cv;
  int waiting = 0;
  bool go = false;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      auto client = api.NewClient();
      client->Request("GET", "/healthz");  // connected before the start
      {
        std::unique_lock<std::mutex> lock(mu);
        ++waiting;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      results[i] = request(i, *client);
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return waiting == n; });
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  return results;
}

TEST_P(ApiTest, ConcurrentClaimsOfOneTaskHaveExactlyOneWinner) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string task = ActiveTask(id, "li.na");
  ASSERT_FALSE(task.empty());
  const std::vector<std::string> users = {"li.na", "zhang.qiang"};  // both reviewers at 星海镇
  std::vector<HeaderList> headers;
  for (int i = 0; i < 8; ++i) headers.push_back(api_.AuthHeaders(users[i % 2]));

  const auto results = AllAtOnce(api_, 8, [&](int i, HttpClient& c) {
    return c.Request("POST", TaskPath(task, "claim"), "{}", headers[i]);
  });
  int won = 0;
  std::string winner;
  for (int i = 0; i < 8; ++i) {
    if (results[i].status == 200) {
      ++won;
      winner = users[i % 2];
    } else {
      EXPECT_TRUE(IsProblem(results[i], 409, "conflict")) << i;
      EXPECT_TRUE(Contains(Detail(results[i]), "already claimed by")) << results[i].body;
    }
  }
  ASSERT_EQ(won, 1);
  const auto tasks = h_.ActiveTasks(std::stoll(id));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].state, TaskState::kClaimed);
  EXPECT_EQ(tasks[0].claimed_by, winner);
  Lines actions;
  for (const auto& e : h_.Audit(std::stoll(id))) actions.push_back(e.action + " by " + e.actor);
  EXPECT_EQ(actions, (Lines{"discover by wang.hua", "claim_task by " + winner}));
}

TEST_P(ApiTest, ConcurrentRetriesWithOneIdempotencyKeyApplyOnce) {
  const std::string id = Discover("wang.hua", 1, "张秀英");
  ASSERT_FALSE(id.empty());
  const HeaderList headers = api_.AuthHeaders("li.na", {{"Idempotency-Key", "accept-once"}});
  const auto results = AllAtOnce(api_, 6, [&](int, HttpClient& c) {
    return c.Request("POST", CasePath(id, "accept"), R"({"comment":"受理"})", headers);
  });
  int replayed = 0;
  for (const auto& r : results) {
    EXPECT_EQ(r.status, 200) << r.Describe();
    EXPECT_EQ(r.body, results[0].body);
    replayed += r.Header("idempotent-replayed") == "true";
  }
  EXPECT_EQ(replayed, 5);
  EXPECT_EQ(h_.Audit(std::stoll(id)).size(), 2u);
}

// ---------------------------------------------------------------------------
// Whole cases.

TEST_P(ApiTest, OrdinaryCaseWalkedThroughTheApiByTheRightPeople) {
  const std::string officer = "officer.640202100003";  // 龙泉村 has no named officer
  const std::string name = "张秀英";
  // 02-10 09:00 (Tue): the village officer reports.
  const std::string id = Discover(officer, 1, name, kLongquan);
  ASSERT_FALSE(id.empty());
  Json c = GetCase(id, "li.na");
  EXPECT_EQ(c.value("state", ""), "discover");
  EXPECT_EQ(c.value("village_name", ""), "龙泉村");
  EXPECT_EQ(TaskLines(c), Lines{"intake street_reviewer@640202100 open due " +
                                Utc("2026-02-12T23:59:59.999999+08:00")});

  // 09:30: the street reviewer claims intake; 02-11 accepts (version by If-Match).
  h_.SetTime("2026-02-10T09:30:00+08:00");
  const std::string intake = ActiveTask(id, "li.na");
  ASSERT_EQ(api_.Post(TaskPath(intake, "claim"), Json::object(), "li.na").status, 200);
  h_.SetTime("2026-02-11T09:30:00+08:00");
  c = Command(id, "accept", Json::object(), "li.na", {{"If-Match", "\"2\""}});
  EXPECT_EQ(c.value("state", ""), "assess");
  EXPECT_EQ(c.value("version", 0), 3);
  // 02-13 15:00: assessed into the relief pool.
  h_.SetTime("2026-02-13T15:00:00+08:00");
  c = Command(id, "assess", {{"assessment", Assessment(name)}, {"version", 3}}, "li.na");
  EXPECT_EQ(c.value("state", ""), "commit");
  EXPECT_EQ(c.value("pool", ""), "relief");
  // 02-14 (make-up Saturday): the ordinary route; the promise is 30 working days out.
  h_.SetTime("2026-02-14T10:00:00+08:00");
  c = Command(id, "choose-ordinary", Json::object(), "li.na");
  EXPECT_EQ(c.value("state", ""), "review");
  EXPECT_EQ(c.value("route", ""), "ordinary");
  EXPECT_EQ(c.value("promised_by", ""), Utc("2026-03-30T23:59:59.999999+08:00"));
  // Democratic review in the village: only its officer may record it.
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "review"), Review(), "wang.hua"), 404, "not-found"));
  h_.SetTime("2026-02-24T10:00:00+08:00");
  c = Command(id, "review", Review(), officer);
  EXPECT_EQ(c.value("state", ""), "approve");
  // 03-02: the district approves; 03-03 refers to the disability federation and medical insurance.
  h_.SetTime("2026-03-02T10:00:00+08:00");
  c = Command(id, "approve", {{"comment", "同意"}}, "chen.jing");
  EXPECT_EQ(c.value("state", ""), "refer");
  h_.SetTime("2026-03-03T10:00:00+08:00");
  c = Command(id, "refer", {{"referrals", Referrals({"canlian", "yibao"})}}, "chen.jing");
  EXPECT_EQ(c.value("state", ""), "feedback");
  // Now he.ping (残联) sees the case; gao.yan's colleague dept.dawukou answers for 医保.
  h_.SetTime("2026-03-05T10:00:00+08:00");
  c = Command(id, "feedback",
              {{"department", "canlian"},
               {"answer", "provided"},
               {"details", "发放残疾人两项补贴"},
               {"amount_yuan", 200}},
              "he.ping");
  EXPECT_EQ(c.value("state", ""), "feedback");
  HttpResult early = api_.Post(CasePath(id, "monitor"), Json::object(), "chen.jing");
  EXPECT_TRUE(IsProblem(early, 409, "illegal-transition"));
  EXPECT_TRUE(Contains(Detail(early), "1 referral(s) still without an answer")) << early.body;
  EXPECT_EQ(early.Json()["current"]["state"], "feedback");
  EXPECT_EQ(early.Json()["current"]["version"], 9);
  h_.SetTime("2026-03-06T10:00:00+08:00");
  c = Command(id, "feedback",
              {{"department", "yibao"},
               {"answer", "provided"},
               {"details", "纳入医疗救助"},
               {"amount_yuan", 1500}},
              "dept.dawukou");
  EXPECT_EQ(c.value("state", ""), "feedback");
  // 03-09: under monitoring.
  h_.SetTime("2026-03-09T10:00:00+08:00");
  c = Command(id, "monitor", Json::object(), "chen.jing");
  EXPECT_EQ(c.value("state", ""), "monitor");
  EXPECT_EQ(c.value("version", 0), 11);

  c = GetCase(id, "chen.jing");
  EXPECT_EQ(c.value("state", ""), "monitor");
  EXPECT_EQ(c.value("route", ""), "ordinary");
  EXPECT_EQ(c.value("pool", ""), "relief");
  EXPECT_TRUE(c.value("audit_chain_ok", false));
  ASSERT_EQ(c["referrals"].size(), 2u);
  for (const auto& r : c["referrals"]) {
    EXPECT_EQ(r.value("status", ""), "answered") << r;
    EXPECT_EQ(r.value("answer", ""), "provided") << r;
  }
  EXPECT_EQ(TaskLines(c),
            (Lines{
                "approval district_approver@640202 done:chen.jing due " +
                    Utc("2026-03-16T23:59:59.999999+08:00") + " (approve)",
                "democratic_review village_officer@640202100003 done:" + officer + " due " +
                    Utc("2026-03-03T23:59:59.999999+08:00") + " (complete_review)",
                "dispatch_referrals district_approver@640202 done:chen.jing due " +
                    Utc("2026-03-05T23:59:59.999999+08:00") + " (refer)",
                "home_visit_assessment street_reviewer@640202100 done:li.na due " +
                    Utc("2026-02-25T23:59:59.999999+08:00") + " (assess)",
                "intake street_reviewer@640202100 done:li.na due " +
                    Utc("2026-02-12T23:59:59.999999+08:00") + " (accept)",
                "pledge_or_route street_reviewer@640202100 done:li.na due " +
                    Utc("2026-02-14T23:59:59.999999+08:00") + " (choose_ordinary)",
                "referral_feedback department_handler@640202D01 done:dept.dawukou due " +
                    Utc("2026-03-17T23:59:59.999999+08:00") + " (feedback)",
                "referral_feedback department_handler@640202D07 done:he.ping due " +
                    Utc("2026-03-17T23:59:59.999999+08:00") + " (feedback)",
                "revisit village_officer@640202100003 open due " +
                    Utc("2026-06-04T23:59:59.999999+08:00"),
            }));
  EXPECT_EQ(Timeline(c),
            (Lines{
                "1 " + officer + " village_officer@640202100003 discover ->discover " +
                    Utc("2026-02-10T09:00:00+08:00"),
                "2 li.na street_reviewer@640202100 claim_task discover->discover " +
                    Utc("2026-02-10T09:30:00+08:00"),
                "3 li.na street_reviewer@640202100 accept discover->assess " +
                    Utc("2026-02-11T09:30:00+08:00"),
                "4 li.na street_reviewer@640202100 assess assess->commit " +
                    Utc("2026-02-13T15:00:00+08:00"),
                "5 li.na street_reviewer@640202100 choose_ordinary commit->review " +
                    Utc("2026-02-14T10:00:00+08:00"),
                "6 " + officer + " village_officer@640202100003 complete_review review->approve " +
                    Utc("2026-02-24T10:00:00+08:00"),
                "7 chen.jing district_approver@640202 approve approve->refer " +
                    Utc("2026-03-02T10:00:00+08:00"),
                "8 chen.jing district_approver@640202 refer refer->feedback " +
                    Utc("2026-03-03T10:00:00+08:00"),
                "9 he.ping department_handler@640202D07 feedback feedback->feedback " +
                    Utc("2026-03-05T10:00:00+08:00"),
                "10 dept.dawukou department_handler@640202D01 feedback feedback->feedback " +
                    Utc("2026-03-06T10:00:00+08:00"),
                "11 chen.jing district_approver@640202 monitor feedback->monitor " +
                    Utc("2026-03-09T10:00:00+08:00"),
            }));
  // The comment travels into the trail.
  EXPECT_EQ(c["timeline"][6]["payload"].value("comment", ""), "同意") << c["timeline"][6];
}

TEST_P(ApiTest, FastTrackCaseWalkedThroughTheApiByTheRightPeople) {
  const std::string name = "李桂英";
  const std::string id = Discover("wang.hua", 2, name);
  ASSERT_FALSE(id.empty());
  h_.SetTime("2026-02-11T10:00:00+08:00");
  EXPECT_EQ(Command(id, "accept", {{"version", 1}}, "li.na").value("state", ""), "assess");
  h_.SetTime("2026-02-12T10:00:00+08:00");
  EXPECT_EQ(Command(id, "assess", {{"assessment", Assessment(name)}}, "li.na").value("state", ""),
            "commit");
  // The pledge must be the applicant's own, and signed.
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "pledge"), {{"pledge", Pledge("李桂华")}}, "li.na"),
                        422, "invalid-field", "signer_name"));
  Json unsigned_pledge = Pledge(name);
  unsigned_pledge["signed"] = false;
  EXPECT_TRUE(IsProblem(api_.Post(CasePath(id, "pledge"), {{"pledge", unsigned_pledge}}, "li.na"),
                        409, "illegal-transition"));
  // 02-13 16:00: signed; fast track, 10 working days promised, approval due 02-24.
  h_.SetTime("2026-02-13T16:00:00+08:00");
  Json c = Command(id, "pledge", {{"pledge", Pledge(name)}}, "li.na");
  EXPECT_EQ(c.value("state", ""), "approve");
  EXPECT_EQ(c.value("route", ""), "fast_track");
  EXPECT_EQ(c.value("promised_by", ""), Utc("2026-03-02T23:59:59.999999+08:00"));
  h_.SetTime("2026-02-24T17:00:00+08:00");
  EXPECT_EQ(Command(id, "approve", Json::object(), "chen.jing").value("state", ""), "refer");
  h_.SetTime("2026-02-25T09:00:00+08:00");
  EXPECT_EQ(
      Command(id, "refer", {{"referrals", Referrals({"canlian"})}}, "chen.jing").value("state", ""),
      "feedback");
  // The federation sees the case now that it has a referral.
  EXPECT_EQ(GetCase(id, "he.ping").value("state", ""), "feedback");
  h_.SetTime("2026-02-26T10:00:00+08:00");
  EXPECT_EQ(
      Command(id, "feedback",
              {{"department", "canlian"}, {"answer", "declined"}, {"details", "不符合残疾等级"}},
              "he.ping")
          .value("state", ""),
      "feedback");
  h_.SetTime("2026-02-27T10:00:00+08:00");
  EXPECT_EQ(Command(id, "monitor", Json::object(), "chen.jing").value("state", ""), "monitor");

  c = GetCase(id, "li.na");
  EXPECT_EQ(c.value("route", ""), "fast_track");
  EXPECT_EQ(c["pledge"].value("signed", false), true);
  EXPECT_EQ(c["pledge"].value("signer_name", ""), name);
  EXPECT_EQ(c["referrals"][0].value("answer", ""), "declined");
  EXPECT_TRUE(c.value("audit_chain_ok", false));
  EXPECT_EQ(Timeline(c), (Lines{
                             "1 wang.hua village_officer@640202100001 discover ->discover " +
                                 Utc("2026-02-10T09:00:00+08:00"),
                             "2 li.na street_reviewer@640202100 accept discover->assess " +
                                 Utc("2026-02-11T10:00:00+08:00"),
                             "3 li.na street_reviewer@640202100 assess assess->commit " +
                                 Utc("2026-02-12T10:00:00+08:00"),
                             "4 li.na street_reviewer@640202100 pledge commit->approve " +
                                 Utc("2026-02-13T16:00:00+08:00"),
                             "5 chen.jing district_approver@640202 approve approve->refer " +
                                 Utc("2026-02-24T17:00:00+08:00"),
                             "6 chen.jing district_approver@640202 refer refer->feedback " +
                                 Utc("2026-02-25T09:00:00+08:00"),
                             "7 he.ping department_handler@640202D07 feedback feedback->feedback " +
                                 Utc("2026-02-26T10:00:00+08:00"),
                             "8 chen.jing district_approver@640202 monitor feedback->monitor " +
                                 Utc("2026-02-27T10:00:00+08:00"),
                         }));
  EXPECT_EQ(TaskLines(c).back(), "revisit village_officer@640202100001 open due " +
                                     Utc("2026-05-26T23:59:59.999999+08:00"));
}

TEST_P(ApiTest, CaseWalkedByCompletingTasksWithDecisions) {
  const std::string name = "王建国";
  const std::string id = Discover("wang.hua", 3, name);
  ASSERT_FALSE(id.empty());
  // li.na takes the intake from the queue in bulk, then hands it to her colleague.
  const std::string intake = ActiveTask(id, "li.na", "intake");
  HttpResult bulk =
      api_.Post("/api/v1/tasks/bulk-claim", {{"task_ids", {intake, "987654321", "x"}}}, "li.na");
  ASSERT_EQ(bulk.status, 200) << bulk.Describe();
  EXPECT_EQ(bulk.Json()["claimed"], 1);
  EXPECT_EQ(
      bulk.Json()["results"],
      (Json{{{"task_id", intake}, {"status", 200}},
            {{"task_id", "987654321"}, {"status", 404}, {"detail", "task 987654321 not found"}},
            {{"task_id", "x"}, {"status", 404}, {"detail", "not a task id"}}}));
  HttpResult inbox = api_.Get("/api/v1/inbox?view=mine", "li.na");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.Json()["items"][0].value("id", ""), intake);
  HttpResult delegated = api_.Post(TaskPath(intake, "delegate"),
                                   {{"to", "zhang.qiang"}, {"comment", "请协助"}}, "li.na");
  ASSERT_EQ(delegated.status, 200) << delegated.Describe();
  // Now it is zhang.qiang's: li.na may no longer complete it.
  EXPECT_TRUE(IsProblem(api_.Post(TaskPath(intake, "complete"), {{"decision", "accept"}}, "li.na"),
                        409, "conflict"));
  EXPECT_EQ(api_.Get("/api/v1/inbox?view=mine", "zhang.qiang").Json()["items"][0].value("id", ""),
            intake);
  EXPECT_EQ(CompleteTask(intake, {{"decision", "accept"}}, "zhang.qiang").value("state", ""),
            "assess");

  const std::vector<std::tuple<std::string, Json, std::string, std::string>> steps = {
      {"home_visit_assessment",
       {{"decision", "assess"}, {"assessment", Assessment(name)}},
       "li.na",
       "commit"},
      {"pledge_or_route", {{"decision", "ordinary"}}, "li.na", "review"},
      {"democratic_review", {{"decision", "pass"}, {"review", Review()}}, "wang.hua", "approve"},
      {"approval", {{"decision", "approve"}, {"comment", "同意"}}, "chen.jing", "refer"},
      {"dispatch_referrals",
       {{"decision", "refer"}, {"referrals", Referrals({"canlian"})}},
       "chen.jing",
       "feedback"},
      {"referral_feedback",
       {{"decision", "provided"}, {"details", "发放补贴"}, {"amount_yuan", 300}},
       "he.ping",
       "feedback"},
  };
  for (const auto& [kind, body, as, reaches] : steps) {
    SCOPED_TRACE(kind);
    const std::string task = ActiveTask(id, as, kind);
    ASSERT_FALSE(task.empty());
    EXPECT_EQ(CompleteTask(task, body, as).value("state", ""), reaches);
  }
  EXPECT_EQ(Command(id, "monitor", Json::object(), "chen.jing").value("state", ""), "monitor");

  const Json c = GetCase(id, "li.na");
  Lines actions;
  for (const auto& e : c["timeline"])
    actions.push_back(e.value("action", "") + " by " + e.value("actor", ""));
  EXPECT_EQ(actions, (Lines{"discover by wang.hua", "claim_task by li.na", "delegate_task by li.na",
                            "accept by zhang.qiang", "assess by li.na", "choose_ordinary by li.na",
                            "complete_review by wang.hua", "approve by chen.jing",
                            "refer by chen.jing", "feedback by he.ping", "monitor by chen.jing"}));
  EXPECT_TRUE(c.value("audit_chain_ok", false));
}

TEST_P(ApiTest, FullIdNumberOnlyForRolesThatNeedIt) {
  const std::string id = Discover("wang.hua", 7, "张秀英");
  ASSERT_FALSE(id.empty());
  const std::string full = EngineHarness::ValidId(7);
  const std::string masked = full.substr(0, 6) + "********" + full.substr(14);
  for (const char* user : {"li.na", "zhang.qiang", "chen.jing", "zhou.min"}) {
    const Json c = GetCase(id, user);
    EXPECT_EQ(c.value("id_number", ""), full) << user;
    EXPECT_EQ(c.value("id_number_full", false), true) << user;
  }
  for (const char* user : {"liu.yang", "sun.li", "wang.hua"}) {
    const Json c = GetCase(id, user);
    EXPECT_EQ(c.value("id_number", ""), masked) << user;
    EXPECT_EQ(c.value("id_number_full", true), false) << user;
    EXPECT_FALSE(Contains(c.dump(), full)) << user;
  }
  // Lists and inboxes always mask.
  const HttpResult list = api_.Get("/api/v1/cases", "li.na");
  EXPECT_EQ(list.Json()["items"][0].value("id_number", ""), masked);
  EXPECT_FALSE(Contains(list.body, full));
  const HttpResult inbox = api_.Get("/api/v1/inbox", "li.na");
  EXPECT_EQ(inbox.Json()["items"][0]["case"].value("id_number", ""), masked);
  EXPECT_FALSE(Contains(inbox.body, full));
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::Values("sqlite", "mariadb"), BackendName);

}  // namespace
}  // namespace jiuzhu::testing
