// The supervisors' board, supervisor actions and notifications over real HTTP on both
// backends (issue 5): the board's numbers against a direct count of the tasks, drill-down,
// subtree limits (another district is 404, a non-supervisor 403), the overdue list with
// keyset paging and its CSV/Excel export, decision times, reassign, remind and the bell.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/runtime/deadline_clock.hpp"
#include "tests/support/api_harness.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu::testing {
namespace {

using Json = nlohmann::json;

constexpr char kDawukou[] = "640202";
constexpr char kXinghai[] = "640202100";
constexpr char kChangsheng[] = "640202001";
constexpr char kHuinong[] = "640205";

class BoardApiTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!h_.ready() || HasFatalFailure() || IsSkipped()) return;
    api_.Start(h_);
    // Reported on 02-10: three at 星海镇 (星光村), two at 长胜街道, one at 惠农区 北街街道.
    for (int i = 0; i < 3; ++i) Report("wang.hua", i, "640202100001");
    for (int i = 3; i < 5; ++i) Report("zhao.lei", i, "640202001001");
    Report("yang.fan", 5, "640205001001");
    // One 星海镇 case accepted in time: its assessment task is not due before 02-26.
    accepted_ = ids_[0];
    JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("li.na", accepted_)));
    // 02-13 morning: the other intake tasks (due 02-12) are overdue; the clock marks them.
    h_.SetTime("2026-02-13T09:00:00+08:00");
    DeadlineClock clock(h_.rt(), sender_);
    auto tick = clock.Tick();
    ASSERT_TRUE(tick.ok()) << tick.status().ToString();
    ASSERT_EQ(tick->levels_fired, 5);
  }
  void TearDown() override {
    api_.Stop();
    BackendTest::TearDown();
  }

  void Report(const std::string& who, int n, const std::string& village) {
    auto d = h_.Discover(who, EngineHarness::ValidId(300 + n), "户主" + std::to_string(n), village);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    ids_.push_back(d->case_after.id);
  }

  // Direct count over the tasks: (active, overdue) under `unit` (by the org tree).
  std::pair<std::int64_t, std::int64_t> Direct(const std::string& unit) {
    std::int64_t active = 0, overdue = 0;
    for (const auto& c : h_.AllCases()) {
      for (const auto& t : h_.ActiveTasks(c.id)) {
        if (!h_.rt().org().IsWithin(t.org_unit_id, unit)) continue;
        ++active;
        overdue += t.escalation_level > 0;
      }
    }
    return {active, overdue};
  }

  Json Summary(const std::string& who, const std::string& unit = {}) {
    const HttpResult r = api_.Get("/api/v1/board/summary" + (unit.empty() ? "" : "?unit=" + unit), who);
    EXPECT_EQ(r.status, 200) << r.Describe();
    return r.status == 200 ? r.Json() : Json::object();
  }

  ApiHarness api_;
  LogNotificationSender sender_;
  std::vector<CaseId> ids_;
  CaseId accepted_ = 0;
};

TEST_P(BoardApiTest, BoardNumbersEqualADirectCountAtEveryLevel) {
  // District supervisor: 大武口区 by default, its streets as children.
  Json s = Summary("liu.yang");
  EXPECT_EQ(s["unit"]["id"], kDawukou);
  auto [active, overdue] = Direct(kDawukou);
  EXPECT_EQ(s["totals"]["active"], active);
  EXPECT_EQ(s["totals"]["overdue"], overdue);
  EXPECT_EQ(overdue, 4);
  std::map<std::string, Json> children;
  for (const auto& c : s["children"]) children[c["id"].get<std::string>()] = c;
  ASSERT_EQ(children.count(kXinghai), 1u);
  for (const char* street : {kXinghai, kChangsheng, "640202002"}) {
    auto [a, o] = Direct(street);
    EXPECT_EQ(children[street]["active"], a) << street;
    EXPECT_EQ(children[street]["overdue"], o) << street;
  }
  EXPECT_EQ(children[kXinghai]["overdue"], 2);
  EXPECT_EQ(children[kChangsheng]["overdue"], 2);
  EXPECT_EQ(children[kXinghai]["has_children"], true);
  // The accepted case's assessment task is due at the end of 02-24: two working days from 02-13
  // (02-14 is a make-up Saturday, then the Spring Festival) but not one.
  EXPECT_EQ(LocalTime(h_.ActiveTasks(accepted_).at(0).due_at), "2026-02-24T23:59:59.999999+08:00");
  EXPECT_EQ(s["totals"]["due_soon"], 1);
  EXPECT_EQ(children[kXinghai]["due_soon"], 1);
  EXPECT_EQ(api_.Get("/api/v1/board/summary?due_soon_days=1", "liu.yang").Json()["totals"]["due_soon"], 0);
  // Per programme and stage.
  ASSERT_EQ(s["by_stage"].size(), 2u);
  for (const auto& row : s["by_stage"]) {
    EXPECT_EQ(row["programme"], "dibao");
    EXPECT_EQ(row["overdue"], row["stage"] == "discover" ? 4 : 0) << row.dump();
  }

  // Drill down to a street: its villages; the path runs from the district.
  Json street = Summary("liu.yang", kXinghai);
  EXPECT_EQ(street["path"].size(), 2u);
  EXPECT_EQ(street["path"][0]["id"], kDawukou);
  EXPECT_EQ(street["totals"]["overdue"], 2);

  // City supervisor: both districts of 石嘴山市.
  Json city = Summary("sun.li");
  EXPECT_EQ(city["unit"]["id"], "640200");
  std::map<std::string, std::int64_t> per_district;
  for (const auto& c : city["children"]) per_district[c["id"]] = c["overdue"].get<std::int64_t>();
  EXPECT_EQ(per_district[kDawukou], 4);
  EXPECT_EQ(per_district[kHuinong], 1);
  EXPECT_EQ(city["totals"]["overdue"], Direct("640200").second);
}

TEST_P(BoardApiTest, SupervisorsSeeOnlyTheirSubtree) {
  const HttpResult other = api_.Get("/api/v1/board/summary?unit=640205", "liu.yang");
  EXPECT_EQ(other.status, 404) << other.Describe();
  EXPECT_EQ(api_.Get("/api/v1/board/overdue?unit=640205", "liu.yang").status, 404);
  EXPECT_EQ(api_.Get("/api/v1/board/overdue.csv?unit=640205001", "liu.yang").status, 404);
  EXPECT_EQ(api_.Get("/api/v1/board/summary?unit=640202", "feng.jun").status, 404);
  EXPECT_EQ(api_.Get("/api/v1/board/summary?unit=nonsense", "liu.yang").status, 404);
  const HttpResult street = api_.Get("/api/v1/board/summary", "li.na");
  EXPECT_EQ(street.status, 403) << street.Describe();
  EXPECT_EQ(api_.Get("/api/v1/board/assignees?unit=640205001&role=street_reviewer", "liu.yang").status, 404);
  // A task of another district can be neither reassigned nor reminded: 404, nothing written.
  const std::string before = h_.Fingerprint();
  const TaskRecord huinong = h_.ActiveTasks(ids_[5]).at(0);
  const std::string path = "/api/v1/tasks/" + std::to_string(huinong.id);
  EXPECT_EQ(api_.Post(path + "/reassign", {{"to_user", "yang.fan"}}, "liu.yang").status, 404);
  EXPECT_EQ(api_.Post(path + "/remind", Json::object(), "liu.yang").status, 404);
  EXPECT_EQ(h_.Fingerprint(), before);
  EXPECT_EQ(api_.Get("/api/v1/board/summary?due_soon_days=0", "liu.yang").status, 422);
}

TEST_P(BoardApiTest, OverdueListPagesAndExportsWithChineseHeaders) {
  HttpResult page1 = api_.Get("/api/v1/board/overdue?limit=3", "liu.yang");
  ASSERT_EQ(page1.status, 200) << page1.Describe();
  Json p1 = page1.Json();
  EXPECT_EQ(p1["total"], 4);
  ASSERT_EQ(p1["items"].size(), 3u);
  ASSERT_TRUE(p1["next_cursor"].is_string());
  const Json first = p1["items"][0];
  EXPECT_EQ(first["stage"], "discover");
  EXPECT_EQ(first["escalation_level"], 1);
  EXPECT_EQ(first["days_overdue"], 1) << "due 02-12, now 02-13";
  EXPECT_FALSE(first["applicant_name"].get<std::string>().empty());
  HttpResult page2 = api_.Get("/api/v1/board/overdue?limit=3&cursor=" + p1["next_cursor"].get<std::string>(), "liu.yang");
  ASSERT_EQ(page2.status, 200);
  ASSERT_EQ(page2.Json()["items"].size(), 1u);
  std::set<std::string> seen;
  for (const auto& i : p1["items"]) seen.insert(i["task_id"]);
  seen.insert(page2.Json()["items"][0]["task_id"]);
  EXPECT_EQ(seen.size(), 4u) << "no task twice";
  EXPECT_EQ(api_.Get("/api/v1/board/overdue?unit=640202001", "liu.yang").Json()["total"], 2);
  EXPECT_EQ(api_.Get("/api/v1/board/overdue?stage=assess", "liu.yang").Json()["total"], 0);
  EXPECT_EQ(api_.Get("/api/v1/board/overdue?stage=bogus", "liu.yang").status, 422);
  EXPECT_EQ(api_.Get("/api/v1/board/overdue?cursor=x", "liu.yang").status, 422);

  const HttpResult csv = api_.Get("/api/v1/board/overdue.csv", "liu.yang");
  ASSERT_EQ(csv.status, 200) << csv.Describe();
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF" "任务编号,案件编号,申请人,救助项目,阶段,任务,所在单位,经办人,截止时间,逾期工作日,督办级别\r\n", 0), 0u)
      << csv.body.substr(0, 200);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 5) << "header and four rows";
  // Ids as text, the due time as a local date-time, working days as a number, the level in words.
  EXPECT_NE(csv.body.find("," + first["applicant_name"].get<std::string>() + ",低保,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(",2026-02-12 23:59,1,已催办\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.Header("content-disposition").find("filename*=UTF-8''"), std::string::npos);
  const HttpResult xlsx = api_.Get("/api/v1/board/overdue.xlsx", "liu.yang");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.compare(0, 2, "PK"), 0) << "a ZIP archive";
  EXPECT_EQ(xlsx.Header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

TEST_P(BoardApiTest, ReassignRemindAndTheBell) {
  const TaskRecord task = h_.ActiveTasks(ids_[1]).at(0);  // 星海镇 intake, overdue
  const std::string path = "/api/v1/tasks/" + std::to_string(task.id);
  // Who may take it.
  HttpResult who = api_.Get("/api/v1/board/assignees?unit=640202100&role=street_reviewer", "liu.yang");
  ASSERT_EQ(who.status, 200) << who.Describe();
  std::set<std::string> names;
  const Json users = who.Json()["users"];
  for (const auto& u : users) names.insert(u["username"]);
  EXPECT_EQ(names, (std::set<std::string>{"li.na", "zhang.qiang"})) << who.body;

  // li.na's bell: the clock's overdue notes for her queue.
  Json bell = api_.Get("/api/v1/notifications", "li.na").Json();
  const std::int64_t unread_before = bell["unread"];
  EXPECT_EQ(unread_before, 2) << bell.dump();

  HttpResult bad = api_.Post(path + "/reassign", {{"to_user", "chen.jing"}}, "liu.yang");
  EXPECT_EQ(bad.status, 422) << bad.Describe();
  HttpResult moved = api_.Post(path + "/reassign", {{"to_user", "li.na"}, {"reason", "就近办理"}}, "liu.yang");
  ASSERT_EQ(moved.status, 200) << moved.Describe();
  Json listed = api_.Get("/api/v1/board/overdue", "liu.yang").Json();
  for (const auto& i : listed["items"]) {
    if (i["task_id"] == std::to_string(task.id)) {
      EXPECT_EQ(i["assignee"], "li.na");
    }
  }
  HttpResult reminded = api_.Post(path + "/remind", {{"message", "请今日办结"}}, "liu.yang");
  ASSERT_EQ(reminded.status, 202) << reminded.Describe();
  EXPECT_EQ(reminded.Json()["notified"], Json::array({"li.na"}));

  bell = api_.Get("/api/v1/notifications?unread_only=true", "li.na").Json();
  EXPECT_EQ(bell["unread"], unread_before + 2);
  ASSERT_FALSE(bell["items"].empty());
  EXPECT_EQ(bell["items"][0]["kind"], "reminder") << "newest first";
  EXPECT_EQ(bell["items"][0]["body"], "请今日办结");
  EXPECT_EQ(bell["items"][1]["kind"], "reassigned");
  const std::string id = bell["items"][0]["id"];
  // Someone else cannot mark li.na's notification.
  EXPECT_EQ(api_.Post("/api/v1/notifications/" + id + "/read", Json::object(), "zhang.qiang").status, 404);
  EXPECT_EQ(api_.Post("/api/v1/notifications/" + id + "/read", Json::object(), "li.na").status, 204);
  EXPECT_EQ(api_.Post("/api/v1/notifications/" + id + "/read", Json::object(), "li.na").status, 204)
      << "reading twice is fine";
  EXPECT_EQ(api_.Get("/api/v1/notifications", "li.na").Json()["unread"], unread_before + 1);
  EXPECT_EQ(api_.Post("/api/v1/notifications/read-all", Json::object(), "li.na").status, 204);
  EXPECT_EQ(api_.Get("/api/v1/notifications", "li.na").Json()["unread"], 0);
  EXPECT_EQ(api_.Get("/api/v1/notifications", "zhang.qiang").Json()["unread"], 2) << "untouched";
  EXPECT_EQ(api_.Get("/api/v1/notifications?unread_only=maybe", "li.na").status, 422);
}

TEST_P(BoardApiTest, TrendAndDecisionTimes) {
  HttpResult trend = api_.Get("/api/v1/board/trend", "liu.yang");
  ASSERT_EQ(trend.status, 200) << trend.Describe();
  const Json points = trend.Json()["points"];
  ASSERT_FALSE(points.empty());
  EXPECT_EQ(points.back()["date"], "2026-02-13");
  EXPECT_EQ(points.back()["overdue"], 4);

  // Two fast-track approvals in 星海镇, decided on the day they were reported.
  for (int n : {40, 41}) {
    const std::string name = "快审" + std::to_string(n);
    auto d = h_.Discover("wang.hua", EngineHarness::ValidId(300 + n), name);
    ASSERT_TRUE(d.ok());
    const CaseId id = d->case_after.id;
    JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("li.na", id)));
    JZ_ASSERT_OK(h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), name)));
    JZ_ASSERT_OK(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, name, "本人承诺"}));
    JZ_ASSERT_OK(h_.Do(ApproveCase, h_.Cmd("chen.jing", id)));
  }
  HttpResult times = api_.Get("/api/v1/board/decision-times?from=2026-02-01&to=2026-02-28", "liu.yang");
  ASSERT_EQ(times.status, 200) << times.Describe();
  const Json rows = times.Json()["rows"];
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["unit_id"], kXinghai);
  EXPECT_EQ(rows[0]["route"], "fast_track");
  EXPECT_EQ(rows[0]["cases"], 2);
  EXPECT_EQ(rows[0]["median_working_days"], 0);
  EXPECT_EQ(rows[0]["promise_working_days"], 10);
  EXPECT_EQ(api_.Get("/api/v1/board/decision-times?from=2026-03-01&to=2026-02-01", "liu.yang").status, 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, BoardApiTest, ::testing::Values("sqlite", "mariadb"), BackendName);

}  // namespace
}  // namespace jiuzhu::testing
