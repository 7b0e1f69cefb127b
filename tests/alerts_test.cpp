// Alerts (监测预警, issue 7) through the real engine on each backend: matching by ID number,
// the street's review task with its deadline, the alert in the case's trail, nothing dropped
// (unmatched, malformed, below threshold all kept), resends, the review's two outcomes, and
// matched alerts flagging the case for post-audit sampling (issue 6).
// People: feed.bigdata (data_feed at 石嘴山市), li.na (street reviewer, 星海镇), chen.jing
// (district approver, 大武口区), zhou.min (auditor, 大武口区).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/usecases/alerts.hpp"
#include "engine/usecases/case_commands.hpp"
#include "engine/usecases/post_audit.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu::testing {
namespace {

using Lines = std::vector<std::string>;

class AlertsTest : public BackendTest {
 protected:
  // A dibao household approved on the fast track and under monitoring.
  CaseId Monitored(int n, const std::string& name) {
    auto d = h_.Discover("wang.hua", EngineHarness::ValidId(n), name);
    if (!d.ok()) return 0;
    const CaseId id = d->case_after.id;
    for (auto r : {h_.Do(AcceptCase, h_.Cmd("li.na", id)),
                   h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), name)),
                   h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, name, "承诺"}),
                   h_.Do(ApproveCase, h_.Cmd("chen.jing", id)),
                   h_.Do(StartMonitoring, h_.Cmd("chen.jing", id))}) {
      if (!r.ok()) {
        ADD_FAILURE() << r.status().ToString();
        return 0;
      }
    }
    return id;
  }

  Result<AlertOutcome> Post(const std::string& who, const std::string& body) {
    const UserRecord u = h_.User(who);
    return h_.Run([&](const EngineContext& c, StoreTxn& txn) {
      return IngestAlert(c, h_.rt().alert_rules(), txn, u, body);
    });
  }

  static std::string Alert(const std::string& kind, int n, const std::string& external_id = "",
                           double amount = -1) {
    nlohmann::json j = {{"source", "civil_registry"},
                        {"kind", kind},
                        {"id_number", EngineHarness::ValidId(n)},
                        {"occurred_at", "2026-03-01"},
                        {"details", "比对发现"}};
    if (!external_id.empty()) j["external_id"] = external_id;
    if (amount >= 0) j["amount_yuan"] = amount;
    return j.dump();
  }

  std::vector<AlertRecord> All() {
    AlertQuery q;
    q.org_paths = {"/"};
    q.unmatched_too = true;
    q.limit = 100;
    auto r = h_.store().ListAlerts(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<AlertRecord>{};
  }
};

TEST_P(AlertsTest, MatchedAlertOpensAReviewTaskAndLinksTheAlertInTheTrail) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  const CaseId id = Monitored(1, "赵一");
  ASSERT_NE(id, 0);
  const std::int64_t version = h_.Case(id)->version;
  h_.SetTime("2026-03-03T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome out, Post("feed.bigdata", Alert("death", 1, "CR-1")));
  EXPECT_FALSE(out.replayed);
  EXPECT_EQ(out.alert.status, "matched");
  EXPECT_EQ(out.alert.case_id, id);
  EXPECT_EQ(out.alert.id_masked.find("****") != std::string::npos, true) << out.alert.id_masked;
  // Death: 3 working days for the street (03-04..03-06).
  const Lines lines = h_.ActiveTaskLines(id);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "alert_review street_reviewer@640202100 open due 2026-03-06T23:59:59.999999+08:00"),
            lines.end())
      << ::testing::PrintToString(lines);
  EXPECT_EQ(h_.Case(id)->version, version + 1);
  const auto audit = h_.Audit(id);
  EXPECT_EQ(audit.back().action, "alert");
  EXPECT_EQ(audit.back().actor, "feed.bigdata");
  EXPECT_EQ(audit.back().org_unit_id, "640200") << "the feed's binding for 石嘴山市";
  EXPECT_NE(audit.back().payload.find(std::to_string(out.alert.id)), std::string::npos);

  // The same alert sent again changes nothing.
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome again, Post("feed.bigdata", Alert("death", 1, "CR-1")));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.alert.id, out.alert.id);
  EXPECT_EQ(h_.Case(id)->version, version + 1);
  EXPECT_EQ(All().size(), 1u);

  // The street reviews it: the household goes back to assessment, the alert task and the
  // quarterly revisit close with it.
  CompleteTaskRequest review;
  review.actor = h_.User("li.na");
  review.task_id = out.alert.task_id;
  review.decision = "close";
  EXPECT_TRUE(FailsWith(h_.Do(CompleteTask, review), ErrorCode::kInvalidArgument, {"reassess, no_change"},
                        "decision"));
  review.decision = "reassess";
  EXPECT_TRUE(FailsWith(h_.Do(CompleteTask, review), ErrorCode::kInvalidArgument, {}, "reason"));
  review.reason = "死亡登记属实，家庭人口变化，重新评估";
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome done, h_.Do(CompleteTask, review));
  EXPECT_EQ(done.case_after.state, CaseState::kAssess);
  bool alert_task_done = false;
  for (const auto& t : h_.Tasks(id)) {
    if (t.id == out.alert.task_id) alert_task_done = t.state == TaskState::kDone && t.claimed_by == "li.na";
  }
  EXPECT_TRUE(alert_task_done);
  EXPECT_EQ(h_.ActiveTaskLines(id).size(), 1u) << "only the new assessment task";
}

TEST_P(AlertsTest, NoChangeReviewClosesOnlyTheAlertTask) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  const CaseId id = Monitored(2, "钱二");
  ASSERT_NE(id, 0);
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome out,
                          Post("feed.bigdata", Alert("abnormal_utilities", 2, "PW-7")));
  ASSERT_EQ(out.alert.status, "matched");
  CompleteTaskRequest review;
  review.actor = h_.User("li.na");
  review.task_id = out.alert.task_id;
  review.decision = "no_change";
  review.reason = "入户核实：家中新增制氧机，用电增加合理";
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome done, h_.Do(CompleteTask, review));
  EXPECT_EQ(done.case_after.state, CaseState::kMonitor);
  EXPECT_EQ(done.event.action, "alert_reviewed");
  const Lines lines = h_.ActiveTaskLines(id);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("revisit ", 0), 0u) << lines[0];
}

TEST_P(AlertsTest, NothingIsDroppedUnmatchedMalformedAndBelowThresholdAreKept) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  const CaseId id = Monitored(3, "孙三");
  ASSERT_NE(id, 0);
  const std::int64_t version = h_.Case(id)->version;
  // Nobody with an open case.
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome unmatched, Post("feed.bigdata", Alert("new_vehicle", 99)));
  EXPECT_EQ(unmatched.alert.status, "unmatched");
  // Unreadable in several ways; each kept with its reason.
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome bad_json, Post("feed.bigdata", "{\"kind\": "));
  EXPECT_EQ(bad_json.alert.status, "malformed");
  EXPECT_EQ(bad_json.alert.raw, "{\"kind\": ");
  std::string bad_id = Alert("death", 3);
  bad_id.replace(bad_id.find(EngineHarness::ValidId(3)), 18, "640202198001011230");
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome bad_check, Post("feed.bigdata", bad_id));
  EXPECT_EQ(bad_check.alert.status, "malformed");
  EXPECT_EQ(bad_check.alert.error.rfind("id_number: ", 0), 0u) << bad_check.alert.error;
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome unknown, Post("feed.bigdata", Alert("ufo", 3)));
  EXPECT_EQ(unknown.alert.status, "malformed");
  EXPECT_NE(unknown.alert.error.find("unknown kind"), std::string::npos);
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome no_amount, Post("feed.bigdata", Alert("large_medical_expense", 3)));
  EXPECT_EQ(no_amount.alert.status, "malformed");
  EXPECT_EQ(no_amount.alert.error.rfind("amount_yuan", 0), 0u) << no_amount.alert.error;
  // Below the dibao threshold (10,000 yuan): kept, matched to the case, no task.
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome small,
                          Post("feed.bigdata", Alert("large_medical_expense", 3, "", 9999.99)));
  EXPECT_EQ(small.alert.status, "below_threshold");
  EXPECT_EQ(small.alert.case_id, id);
  EXPECT_EQ(small.alert.task_id, 0);
  EXPECT_EQ(h_.Case(id)->version, version) << "no task, no event for the household";
  // At the threshold: a review task.
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome large,
                          Post("feed.bigdata", Alert("large_medical_expense", 3, "", 10000)));
  EXPECT_EQ(large.alert.status, "matched");
  EXPECT_EQ(All().size(), 7u);

  // Only feeds post alerts; a refused post stores nothing.
  EXPECT_TRUE(FailsWith(Post("li.na", Alert("death", 3)), ErrorCode::kPermissionDenied, {"data_feed"}));
  EXPECT_EQ(All().size(), 7u);

  // Scopes: a 大武口区 view lists the matched ones, not the unmatched.
  AlertQuery q;
  q.org_paths = {"/640200/640202/"};
  JZ_ASSERT_OK_AND_ASSIGN(auto district, h_.store().ListAlerts(q));
  EXPECT_EQ(district.size(), 2u);
  q.status = "unmatched";
  q.unmatched_too = true;
  JZ_ASSERT_OK_AND_ASSIGN(auto lost, h_.store().ListAlerts(q));
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].id, unmatched.alert.id);
}

TEST_P(AlertsTest, MatchedAlertsFlagCasesThatSamplingAlwaysIncludes) {
  std::vector<CaseId> ids;
  for (int i = 0; i < 6; ++i) {
    h_.SetTime("2026-03-0" + std::to_string(2 + (i % 5)) + "T10:00:00+08:00");
    ids.push_back(Monitored(10 + i, "户" + std::to_string(i)));
    ASSERT_NE(ids.back(), 0);
  }
  h_.SetTime("2026-03-09T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(AlertOutcome flagged, Post("feed.bigdata", Alert("new_company", 14, "BIZ-1")));
  ASSERT_EQ(flagged.alert.case_id, ids[4]);
  SampleParameters p;
  p.period_from = At("2026-03-01T00:00:00+08:00");
  p.period_to = At("2026-04-01T00:00:00+08:00");
  p.rate_basis_points = 1;  // 0.01%: one case by the minimum, unless flagged ones are forced in
  p.always_include_flagged = true;
  CreateSampleRequest req{h_.User("zhou.min"), p, ""};
  JZ_ASSERT_OK_AND_ASSIGN(AuditSampleRecord s, h_.Run([&](const EngineContext& c, StoreTxn& txn) {
                            return CreateSample(c, txn, req);
                          }));
  const UserRecord auditor = h_.User("zhou.min");
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn, h_.Run([&](const EngineContext& c, StoreTxn& txn) {
                            return DrawAuditSample(c, txn, auditor, s.id);
                          }));
  ASSERT_EQ(drawn.items.size(), 1u);
  EXPECT_EQ(drawn.items[0].case_id, ids[4]) << "the flagged case, whatever the seed";
  JZ_ASSERT_OK_AND_ASSIGN(auto population, h_.store().ListAuditPopulation(s.id));
  int flagged_entries = 0;
  for (const auto& e : population) flagged_entries += e.flagged;
  EXPECT_EQ(flagged_entries, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertsTest, ::testing::Values("sqlite", "mariadb"), BackendName);

}  // namespace
}  // namespace jiuzhu::testing
