// Lifecycle scenarios through the real engine: the use cases of
// engine/usecases/case_commands.hpp run through the group-commit executor on a fresh
// database of each backend, with the demo org tree and people of workflows/org and the 2026
// working calendar. Each test checks exact states, versions, open tasks (kind, role, unit,
// due instant), routes, promises and audit trails, and that refused commands wrote nothing.
// Every case's audit chain is verified after each test (BackendTest::TearDown).
//
// The 2026 calendar around the start (2026-02-10, a Tuesday): 02-14 (Saturday) is a make-up
// working day, 02-15..02-23 is the Spring Festival, 02-28 (Saturday) is a make-up working
// day; 04-04..04-06 Qingming, 05-01..05-05 Labour Day, 05-09 (Saturday) a make-up day.
// A deadline of N working days ends at 23:59:59.999999 local time of the N-th working day
// after the local date of the step.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/usecases/case_commands.hpp"
#include "engine/usecases/monitoring.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu::testing {
namespace {

using Lines = std::vector<std::string>;

// People of workflows/org/demo-users.json and where they work.
constexpr char kXingguangVillage[] = "640202100001";  // 星光村, officer wang.hua
constexpr char kXinghaiTown[] = "640202100";          // 星海镇, reviewers li.na, zhang.qiang
constexpr char kDawukou[] = "640202";                 // 大武口区, approver chen.jing
constexpr char kCanlian[] = "640202D07";              // 大武口区残联, handler he.ping
constexpr char kYibao[] = "640202D01";                // 大武口区医保局, handler gao.yan

class ScenarioTest : public BackendTest {
 protected:
  // Drives a new case of applicant `name` (ID number ValidId(n), village 星光村) with the
  // right people, at the current clock, until it stands in `target` (one of discover,
  // assess, commit, review, approve, refer, feedback with canlian and yibao referred,
  // monitor). Fast track through a pledge when `fast`, else the ordinary route. Returns the
  // case id, or 0 after reporting a failure.
  CaseId WalkTo(CaseState target, int n, const std::string& name, bool fast = true) {
    auto fail = [&](const char* step, const Status& s) {
      ADD_FAILURE() << "walking case of " << name << " to " << CaseStateName(target) << ", "
                    << step << ": " << s.ToString();
      return CaseId{0};
    };
    auto discovered = h_.Discover("wang.hua", EngineHarness::ValidId(n), name);
    if (!discovered.ok()) return fail("discover", discovered.status());
    const CaseId id = discovered->case_after.id;
    if (target == CaseState::kDiscover) return id;
    auto r = h_.Do(AcceptCase, h_.Cmd("li.na", id));
    if (!r.ok()) return fail("accept", r.status());
    if (target == CaseState::kAssess) return id;
    r = h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), name));
    if (!r.ok()) return fail("assess", r.status());
    if (target == CaseState::kCommit) return id;
    if (fast) {
      r = h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, name, "本人承诺申报信息真实"});
      if (!r.ok()) return fail("pledge", r.status());
    } else {
      r = h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id));
      if (!r.ok()) return fail("choose_ordinary", r.status());
      if (target == CaseState::kReview) return id;
      r = h_.Do(CompleteReview, ReviewRequest{h_.Cmd("wang.hua", id), 7, 1});
      if (!r.ok()) return fail("complete_review", r.status());
    }
    if (target == CaseState::kApprove) return id;
    r = h_.Do(ApproveCase, h_.Cmd("chen.jing", id));
    if (!r.ok()) return fail("approve", r.status());
    if (target == CaseState::kRefer) return id;
    if (target == CaseState::kMonitor) {
      r = h_.Do(StartMonitoring, h_.Cmd("chen.jing", id));
      if (!r.ok()) return fail("monitor", r.status());
      return id;
    }
    r = h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id),
                                      {{"canlian", "残疾人两项补贴"}, {"yibao", "医疗救助"}}});
    if (!r.ok()) return fail("refer", r.status());
    if (target == CaseState::kFeedback) return id;
    ADD_FAILURE() << "WalkTo cannot reach " << CaseStateName(target);
    return 0;
  }

  // The only active task of the case (fails the test when there is not exactly one).
  TaskRecord OnlyActiveTask(CaseId id) {
    auto active = h_.ActiveTasks(id);
    if (active.size() != 1) {
      ADD_FAILURE() << "case " << id << " has " << active.size() << " active tasks";
      return {};
    }
    return active.front();
  }

  TaskRecord TaskById(CaseId case_id, TaskId task_id) {
    for (const auto& t : h_.Tasks(case_id)) {
      if (t.id == task_id) return t;
    }
    ADD_FAILURE() << "case " << case_id << " has no task " << task_id;
    return {};
  }
};

// Checks the stored case and the outcome of the command that produced it.
void ExpectCase(EngineHarness& h, const CommandOutcome& out, CaseState state,
                std::int64_t version, Route route, const std::string& promised_by) {
  EXPECT_EQ(CaseStateName(out.case_after.state), std::string(CaseStateName(state)));
  EXPECT_EQ(out.case_after.version, version);
  EXPECT_EQ(out.event.seq, version);
  auto stored = h.Case(out.case_after.id);
  ASSERT_TRUE(stored.has_value()) << "case " << out.case_after.id << " not stored";
  EXPECT_EQ(CaseStateName(stored->state), std::string(CaseStateName(state)));
  EXPECT_EQ(stored->version, version);
  EXPECT_EQ(stored->audit_head_seq, version);
  EXPECT_EQ(RouteName(stored->route), std::string(RouteName(route)));
  EXPECT_EQ(stored->promised_by == 0 ? std::string("none") : LocalTime(stored->promised_by),
            promised_by);
  EXPECT_EQ(stored->updated_at, h.clock().Now());
}

// ---------------------------------------------------------------------------
// Full walks.

TEST_P(ScenarioTest, OrdinaryDibaoCaseFromDiscoveryToMonitoring) {
  const std::string kName = "张秀英";
  // 02-10 09:00 (Tue): the village officer reports the household.
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out,
                          h_.Discover("wang.hua", EngineHarness::ValidId(1), kName));
  const CaseId id = out.case_after.id;
  EXPECT_FALSE(out.existing);
  ExpectCase(h_, out, CaseState::kDiscover, 1, Route::kUndecided, "none");
  EXPECT_EQ(out.case_after.applicant_name, kName);
  EXPECT_EQ(out.case_after.village_id, kXingguangVillage);
  EXPECT_EQ(out.case_after.created_at, At("2026-02-10T09:00:00+08:00"));
  EXPECT_EQ(out.case_after.id_masked, EngineHarness::ValidId(1).substr(0, 6) + "********" +
                                          EngineHarness::ValidId(1).substr(14));
  // Intake: 2 working days, 02-11 and 02-12.
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"intake street_reviewer@640202100 open due 2026-02-12T23:59:59.999999+08:00"});
  ASSERT_EQ(out.opened_tasks.size(), 1u);
  const TaskId intake = out.opened_tasks[0].id;

  // 09:30: the street reviewer claims the intake task.
  h_.SetTime("2026-02-10T09:30:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(ClaimTask, h_.TaskCmd("li.na", intake)));
  ExpectCase(h_, out, CaseState::kDiscover, 2, Route::kUndecided, "none");
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"intake street_reviewer@640202100 claimed:li.na due "
                  "2026-02-12T23:59:59.999999+08:00"});

  // 02-11 09:30 (Wed): accepted. Assessment: 5 working days (02-12, 02-13, the make-up
  // Saturday 02-14, then after the Spring Festival 02-24, 02-25).
  h_.SetTime("2026-02-11T09:30:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(AcceptCase, h_.Cmd("li.na", id, 2)));
  ExpectCase(h_, out, CaseState::kAssess, 3, Route::kUndecided, "none");
  EXPECT_EQ(DescribeTask(TaskById(id, intake)),
            "intake street_reviewer@640202100 done:li.na due 2026-02-12T23:59:59.999999+08:00 "
            "(accept)");
  EXPECT_EQ(TaskById(id, intake).completed_at, At("2026-02-11T09:30:00+08:00"));
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"home_visit_assessment street_reviewer@640202100 open due "
                  "2026-02-25T23:59:59.999999+08:00"});

  // 02-13 15:00 (Fri): assessed (relief pool). Commit: 1 working day, the make-up Saturday.
  h_.SetTime("2026-02-13T15:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id, 3), kName)));
  ExpectCase(h_, out, CaseState::kCommit, 4, Route::kUndecided, "none");
  EXPECT_EQ(PoolName(h_.Case(id)->pool), std::string("relief"));
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"pledge_or_route street_reviewer@640202100 open due "
                  "2026-02-14T23:59:59.999999+08:00"});

  // 02-14 10:00 (the make-up Saturday): ordinary route. The promise is 30 working days from
  // the report (02-10): 02-11..02-14 (4), 02-24..02-28 (9), March 2..27 (29), 03-30.
  // Democratic review: 7 working days, 02-24..02-28, 03-02, 03-03.
  h_.SetTime("2026-02-14T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id, 4)));
  ExpectCase(h_, out, CaseState::kReview, 5, Route::kOrdinary, "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"democratic_review village_officer@640202100001 open due "
                  "2026-03-03T23:59:59.999999+08:00"});

  // 02-24 10:00 (Tue, first day after the festival): the review passes in the village.
  // Approval, ordinary route: 15 working days, 02-25..02-28 (4), 03-02..03-13 (14), 03-16.
  h_.SetTime("2026-02-24T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(CompleteReview, ReviewRequest{h_.Cmd("wang.hua", id, 5), 7, 1}));
  ExpectCase(h_, out, CaseState::kApprove, 6, Route::kOrdinary, "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"approval district_approver@640202 open due "
                                          "2026-03-16T23:59:59.999999+08:00"});

  // 03-02 10:00 (Mon): approved by the district. Dispatch: 3 working days.
  h_.SetTime("2026-03-02T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(ApproveCase, h_.Cmd("chen.jing", id, 6)));
  ExpectCase(h_, out, CaseState::kRefer, 7, Route::kOrdinary, "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"dispatch_referrals district_approver@640202 open due "
                                          "2026-03-05T23:59:59.999999+08:00"});

  // 03-03 10:00: referred to the disability federation and medical insurance; each gets a
  // feedback task due in 10 working days (03-04..03-13 is 8, then 03-16, 03-17).
  h_.SetTime("2026-03-03T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id, 7),
                                         {{"canlian", "残疾人两项补贴"}, {"yibao", "医疗救助"}}}));
  ExpectCase(h_, out, CaseState::kFeedback, 8, Route::kOrdinary,
             "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id),
            (Lines{"referral_feedback department_handler@640202D01 open due "
                   "2026-03-17T23:59:59.999999+08:00",
                   "referral_feedback department_handler@640202D07 open due "
                   "2026-03-17T23:59:59.999999+08:00"}));
  auto referrals = h_.Referrals(id);
  ASSERT_EQ(referrals.size(), 2u);
  for (const auto& r : referrals) {
    EXPECT_EQ(r.status, ReferralStatus::kPending) << r.department_code;
    EXPECT_EQ(r.department_unit_id, r.department_code == "canlian" ? kCanlian : kYibao);
    EXPECT_EQ(LocalTime(r.requested_at), "2026-03-03T10:00:00.000000+08:00");
    EXPECT_EQ(LocalTime(r.due_at), "2026-03-17T23:59:59.999999+08:00");
  }
  for (const auto& t : out.opened_tasks) {
    EXPECT_NE(t.referral_id, 0) << DescribeTask(t);
  }

  // Monitoring is refused while a referral has no answer, and writes nothing.
  h_.SetTime("2026-03-04T10:00:00+08:00");
  std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition,
                        {"'monitor'", "'feedback'", "2 referral(s) still without an answer"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  // 03-05: the disability federation answers; the case stays in feedback.
  h_.SetTime("2026-03-05T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id, 8), "canlian", "provided",
                                                 "发放残疾人两项补贴", 200}));
  ExpectCase(h_, out, CaseState::kFeedback, 9, Route::kOrdinary,
             "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"referral_feedback department_handler@640202D01 open "
                                          "due 2026-03-17T23:59:59.999999+08:00"});
  before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition, {"1 referral(s) still without an answer"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  // 03-06: medical insurance answers.
  h_.SetTime("2026-03-06T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("gao.yan", id, 9), "yibao", "provided",
                                                 "纳入医疗救助", 1500}));
  ExpectCase(h_, out, CaseState::kFeedback, 10, Route::kOrdinary,
             "2026-03-30T23:59:59.999999+08:00");
  EXPECT_TRUE(h_.ActiveTaskLines(id).empty());
  for (const auto& r : h_.Referrals(id)) {
    EXPECT_EQ(r.status, ReferralStatus::kAnswered) << r.department_code;
    EXPECT_EQ(r.answer, "provided");
    EXPECT_EQ(LocalTime(r.answered_at), r.department_code == "canlian"
                                            ? "2026-03-05T10:00:00.000000+08:00"
                                            : "2026-03-06T10:00:00.000000+08:00");
  }

  // 03-09 (Mon): under monitoring; the revisit is due in 60 working days, across Qingming
  // (04-04..04-06), Labour Day (05-01..05-05) and the make-up Saturday 05-09: 06-04.
  h_.SetTime("2026-03-09T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(StartMonitoring, h_.Cmd("chen.jing", id, 10)));
  ExpectCase(h_, out, CaseState::kMonitor, 11, Route::kOrdinary,
             "2026-03-30T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"revisit village_officer@640202100001 open due "
                                          "2026-06-04T23:59:59.999999+08:00"});

  // Every closed task was done by the person who acted, at the time of the act.
  Lines closed;
  for (const auto& t : h_.Tasks(id)) {
    if (t.state != TaskState::kOpen) closed.push_back(DescribeTask(t) + " at " + LocalTime(t.completed_at));
  }
  std::sort(closed.begin(), closed.end());
  EXPECT_EQ(closed,
            (Lines{
                "approval district_approver@640202 done:chen.jing due "
                "2026-03-16T23:59:59.999999+08:00 (approve) at 2026-03-02T10:00:00.000000+08:00",
                "democratic_review village_officer@640202100001 done:wang.hua due "
                "2026-03-03T23:59:59.999999+08:00 (complete_review) at "
                "2026-02-24T10:00:00.000000+08:00",
                "dispatch_referrals district_approver@640202 done:chen.jing due "
                "2026-03-05T23:59:59.999999+08:00 (refer) at 2026-03-03T10:00:00.000000+08:00",
                "home_visit_assessment street_reviewer@640202100 done:li.na due "
                "2026-02-25T23:59:59.999999+08:00 (assess) at 2026-02-13T15:00:00.000000+08:00",
                "intake street_reviewer@640202100 done:li.na due "
                "2026-02-12T23:59:59.999999+08:00 (accept) at 2026-02-11T09:30:00.000000+08:00",
                "pledge_or_route street_reviewer@640202100 done:li.na due "
                "2026-02-14T23:59:59.999999+08:00 (choose_ordinary) at "
                "2026-02-14T10:00:00.000000+08:00",
                "referral_feedback department_handler@640202D01 done:gao.yan due "
                "2026-03-17T23:59:59.999999+08:00 (feedback) at 2026-03-06T10:00:00.000000+08:00",
                "referral_feedback department_handler@640202D07 done:he.ping due "
                "2026-03-17T23:59:59.999999+08:00 (feedback) at 2026-03-05T10:00:00.000000+08:00",
            }));

  // The timeline (全程留痕): who, in which role at which unit, when, from and to.
  Lines timeline;
  for (const auto& e : h_.Audit(id)) {
    timeline.push_back(std::to_string(e.seq) + " " + LocalTime(e.at) + " " + e.actor + " " +
                       e.role + "@" + e.org_unit_id + " " + e.action + " " + e.from_state +
                       "->" + e.to_state);
  }
  EXPECT_EQ(timeline,
            (Lines{
                "1 2026-02-10T09:00:00.000000+08:00 wang.hua village_officer@640202100001 "
                "discover ->discover",
                "2 2026-02-10T09:30:00.000000+08:00 li.na street_reviewer@640202100 claim_task "
                "discover->discover",
                "3 2026-02-11T09:30:00.000000+08:00 li.na street_reviewer@640202100 accept "
                "discover->assess",
                "4 2026-02-13T15:00:00.000000+08:00 li.na street_reviewer@640202100 assess "
                "assess->commit",
                "5 2026-02-14T10:00:00.000000+08:00 li.na street_reviewer@640202100 "
                "choose_ordinary commit->review",
                "6 2026-02-24T10:00:00.000000+08:00 wang.hua village_officer@640202100001 "
                "complete_review review->approve",
                "7 2026-03-02T10:00:00.000000+08:00 chen.jing district_approver@640202 approve "
                "approve->refer",
                "8 2026-03-03T10:00:00.000000+08:00 chen.jing district_approver@640202 refer "
                "refer->feedback",
                "9 2026-03-05T10:00:00.000000+08:00 he.ping department_handler@640202D07 "
                "feedback feedback->feedback",
                "10 2026-03-06T10:00:00.000000+08:00 gao.yan department_handler@640202D01 "
                "feedback feedback->feedback",
                "11 2026-03-09T10:00:00.000000+08:00 chen.jing district_approver@640202 monitor "
                "feedback->monitor",
            }));
  const auto events = h_.Audit(id);
  ASSERT_EQ(events.size(), 11u);
  EXPECT_EQ(events[0].prev_hash, "");
  for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].prev_hash, events[i - 1].hash);
  EXPECT_NE(events[4].payload.find("\"route\":\"ordinary\""), std::string::npos)
      << events[4].payload;
  EXPECT_NE(events[3].payload.find("\"pool\":\"relief\""), std::string::npos) << events[3].payload;
}

TEST_P(ScenarioTest, FastTrackCaseWithPledge) {
  const std::string kName = "李桂英";
  // 02-10 09:00: reported by the street reviewer herself (an intake role of dibao).
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out,
                          h_.Discover("li.na", EngineHarness::ValidId(2), kName));
  const CaseId id = out.case_after.id;
  ExpectCase(h_, out, CaseState::kDiscover, 1, Route::kUndecided, "none");
  ASSERT_EQ(h_.Audit(id).size(), 1u);
  EXPECT_EQ(h_.Audit(id)[0].role + "@" + h_.Audit(id)[0].org_unit_id,
            std::string("street_reviewer@") + kXinghaiTown);

  h_.SetTime("2026-02-11T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(AcceptCase, h_.Cmd("li.na", id, 1)));
  ExpectCase(h_, out, CaseState::kAssess, 2, Route::kUndecided, "none");
  // 02-12 (Thu): assessed; the commit step is due the next working day, Friday 02-13.
  h_.SetTime("2026-02-12T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id, 2), kName)));
  ExpectCase(h_, out, CaseState::kCommit, 3, Route::kUndecided, "none");
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"pledge_or_route street_reviewer@640202100 open due "
                  "2026-02-13T23:59:59.999999+08:00"});

  // 02-13 16:00 (Fri): the applicant signs the pledge. Fast track: the promise is 10 working
  // days from the report (02-11..02-14, 02-24..02-28, 03-02); approval gets 2 working days,
  // the make-up Saturday 02-14 and, across the Spring Festival, 02-24.
  h_.SetTime("2026-02-13T16:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id, 3), true, kName,
                                           "本人承诺所申报的家庭收入、财产等信息真实完整"}));
  ExpectCase(h_, out, CaseState::kApprove, 4, Route::kFastTrack,
             "2026-03-02T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"approval district_approver@640202 open due "
                                          "2026-02-24T23:59:59.999999+08:00"});
  const std::string pledge = h_.Case(id)->pledge_json;
  EXPECT_NE(pledge.find("\"signed\":true"), std::string::npos) << pledge;
  EXPECT_NE(pledge.find("\"signer_name\":\"" + kName + "\""), std::string::npos) << pledge;
  EXPECT_NE(pledge.find("\"signed_at\":\"2026-02-13T08:00:00.000000Z\""), std::string::npos)
      << pledge;
  EXPECT_EQ(h_.Audit(id).back().action, "pledge");
  EXPECT_NE(h_.Audit(id).back().payload.find("\"route\":\"fast_track\""), std::string::npos);

  // 02-24 (Tue): approved on the last day; dispatch due in 3 working days.
  h_.SetTime("2026-02-24T17:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(ApproveCase, h_.Cmd("chen.jing", id, 4)));
  ExpectCase(h_, out, CaseState::kRefer, 5, Route::kFastTrack, "2026-03-02T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"dispatch_referrals district_approver@640202 open due "
                                          "2026-02-27T23:59:59.999999+08:00"});

  // 02-25: no department needed; straight to monitoring. Revisit in 60 working days:
  // 02-26..02-28 (3), March (25: 28), April without Qingming (18: 46), May 6..9 (50),
  // 05-11..05-22 (60).
  h_.SetTime("2026-02-25T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(StartMonitoring, h_.Cmd("chen.jing", id, 5)));
  ExpectCase(h_, out, CaseState::kMonitor, 6, Route::kFastTrack,
             "2026-03-02T23:59:59.999999+08:00");
  EXPECT_EQ(h_.ActiveTaskLines(id), Lines{"revisit village_officer@640202100001 open due "
                                          "2026-05-22T23:59:59.999999+08:00"});
  EXPECT_TRUE(h_.Referrals(id).empty());
  Lines actions;
  for (const auto& e : h_.Audit(id)) actions.push_back(e.action + " by " + e.actor);
  EXPECT_EQ(actions, (Lines{"discover by li.na", "accept by li.na", "assess by li.na",
                            "pledge by li.na", "approve by chen.jing", "monitor by chen.jing"}));
}

TEST_P(ScenarioTest, FastTrackRefusedForUnsignedPledgeOrAnotherSigner) {
  const CaseId id = WalkTo(CaseState::kCommit, 3, "王建国");
  ASSERT_NE(id, 0);
  const std::string before = h_.Fingerprint();

  // Not signed: the lifecycle's guard refuses, naming state, event and rule.
  EXPECT_TRUE(FailsWith(
      h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), false, "王建国", "本人承诺"}),
      ErrorCode::kFailedPrecondition, {"'pledge'", "'commit'", "the pledge is not signed"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  // Signed by someone else (a relative) or by nobody named.
  EXPECT_TRUE(FailsWith(
      h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, "王建华", "本人承诺"}),
      ErrorCode::kInvalidArgument, {"signed by the applicant", "王建国"}, "signer_name"));
  EXPECT_TRUE(FailsWith(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, "  ", "x"}),
                        ErrorCode::kInvalidArgument, {}, "signer_name"));
  EXPECT_EQ(h_.Fingerprint(), before);
  auto c = h_.Case(id);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->state, CaseState::kCommit);
  EXPECT_EQ(c->route, Route::kUndecided);
  EXPECT_EQ(c->pledge_json, "");

  // The ordinary route stays open to the applicant.
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out, h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id, 3)));
  EXPECT_EQ(out.case_after.state, CaseState::kReview);
  EXPECT_EQ(out.case_after.route, Route::kOrdinary);
  EXPECT_EQ(LocalTime(out.case_after.promised_by), "2026-03-30T23:59:59.999999+08:00");
}

// ---------------------------------------------------------------------------
// Discovery.

TEST_P(ScenarioTest, DuplicateDiscoveryReturnsTheOpenCaseAndWritesNothing) {
  // An ID number ending in X, so the lower-case spelling is checked too.
  int n = 10;
  while (EngineHarness::ValidId(n).back() != 'X') ++n;
  const std::string id_number = EngineHarness::ValidId(n);
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome first, h_.Discover("wang.hua", id_number, "刘淑珍"));
  EXPECT_FALSE(first.existing);
  const CaseId id = first.case_after.id;
  JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("li.na", id)));

  h_.SetTime("2026-02-12T11:00:00+08:00");
  const std::string before = h_.Fingerprint();
  const std::int64_t audit_before = h_.AuditEventCount();
  ASSERT_EQ(audit_before, 2);
  std::string lower = id_number;
  lower.back() = 'x';
  // Reported again by someone else, spelled differently, under another name.
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome again, h_.Discover("li.na", "  " + lower + " ", "刘淑贞"));
  EXPECT_TRUE(again.existing);
  EXPECT_EQ(again.case_after.id, id);
  EXPECT_EQ(again.case_after.state, CaseState::kAssess);
  EXPECT_EQ(again.case_after.version, 2);
  EXPECT_EQ(again.case_after.applicant_name, "刘淑珍");
  EXPECT_TRUE(again.opened_tasks.empty());
  EXPECT_EQ(h_.AuditEventCount(), audit_before);
  EXPECT_EQ(h_.Fingerprint(), before);
  EXPECT_EQ(h_.AllCases().size(), 1u);

  // From another village of the same district, by its officer: still the same household.
  JZ_ASSERT_OK_AND_ASSIGN(again, h_.Discover("ma.xiu", id_number, "刘淑珍", "640202100002"));
  EXPECT_TRUE(again.existing);
  EXPECT_EQ(again.case_after.id, id);
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ScenarioTest, DiscoveryAfterRejectionCreatesANewCase) {
  const std::string id_number = EngineHarness::ValidId(20);
  const CaseId first = WalkTo(CaseState::kAssess, 20, "赵玉兰");
  ASSERT_NE(first, 0);
  h_.SetTime("2026-02-11T10:00:00+08:00");
  EXPECT_TRUE(FailsWith(h_.Do(RejectCase, ReasonedCommand{h_.Cmd("li.na", first), "  "}),
                        ErrorCode::kInvalidArgument, {}, "reason"));
  JZ_ASSERT_OK_AND_ASSIGN(
      CommandOutcome out,
      h_.Do(RejectCase, ReasonedCommand{h_.Cmd("li.na", first, 2), "家庭人均收入高于低保标准"}));
  EXPECT_EQ(out.case_after.state, CaseState::kRejected);
  EXPECT_EQ(out.case_after.version, 3);
  EXPECT_TRUE(h_.ActiveTasks(first).empty());
  // The assessment task was the reviewer's own: done, with the event that closed it.
  Lines tasks;
  for (const auto& t : h_.Tasks(first)) tasks.push_back(DescribeTask(t));
  std::sort(tasks.begin(), tasks.end());
  // The walk ran at 02-10 09:00: 5 working days are 02-11..02-14 and 02-24.
  EXPECT_EQ(tasks, (Lines{"home_visit_assessment street_reviewer@640202100 done:li.na due "
                          "2026-02-24T23:59:59.999999+08:00 (reject)",
                          "intake street_reviewer@640202100 done:li.na due "
                          "2026-02-12T23:59:59.999999+08:00 (accept)"}));

  // A later report of the same person opens a new case; the rejected one stays as it was.
  h_.SetTime("2026-03-02T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Discover("wang.hua", id_number, "赵玉兰"));
  EXPECT_FALSE(out.existing);
  EXPECT_NE(out.case_after.id, first);
  EXPECT_EQ(out.case_after.state, CaseState::kDiscover);
  EXPECT_EQ(out.case_after.version, 1);
  EXPECT_EQ(out.case_after.id_hash, h_.Case(first)->id_hash);
  EXPECT_EQ(h_.ActiveTaskLines(out.case_after.id),
            Lines{"intake street_reviewer@640202100 open due 2026-03-04T23:59:59.999999+08:00"});
  EXPECT_EQ(h_.Case(first)->state, CaseState::kRejected);
  EXPECT_EQ(h_.Case(first)->version, 3);
  EXPECT_EQ(h_.AllCases().size(), 2u);
  // And a report of that person now finds the new case.
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome again, h_.Discover("li.na", id_number, "赵玉兰"));
  EXPECT_TRUE(again.existing);
  EXPECT_EQ(again.case_after.id, out.case_after.id);
}

TEST_P(ScenarioTest, DiscoveryRefusesBadInputAndWritesNothing) {
  JZ_ASSERT_OK(h_.Discover("wang.hua", EngineHarness::ValidId(30), "孙海燕"));
  const std::string before = h_.Fingerprint();

  std::string wrong = EngineHarness::ValidId(31);
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", wrong, "孙海燕"), ErrorCode::kInvalidArgument,
                        {}, "id_number"));
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", EngineHarness::ValidId(31).substr(0, 17), "孙海燕"),
                        ErrorCode::kInvalidArgument, {}, "id_number"));
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", EngineHarness::ValidId(31), "孙海燕",
                                    kXingguangVillage, "wubao"),
                        ErrorCode::kInvalidArgument, {"unknown programme \"wubao\""}, "programme"));
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", EngineHarness::ValidId(31), "孙海燕",
                                    "640202100099"),
                        ErrorCode::kInvalidArgument, {"640202100099"}, "village"));
  // A street is not a village.
  EXPECT_TRUE(FailsWith(h_.Discover("li.na", EngineHarness::ValidId(31), "孙海燕", kXinghaiTown),
                        ErrorCode::kInvalidArgument, {}, "village"));
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", EngineHarness::ValidId(31), "  "),
                        ErrorCode::kInvalidArgument, {}, "applicant_name"));
  // The officer of 星光村 may not report a household of 潮湖村; nor may a department.
  EXPECT_TRUE(FailsWith(h_.Discover("wang.hua", EngineHarness::ValidId(31), "孙海燕",
                                    "640202100002"),
                        ErrorCode::kPermissionDenied, {"wang.hua"}));
  EXPECT_TRUE(FailsWith(h_.Discover("he.ping", EngineHarness::ValidId(31), "孙海燕"),
                        ErrorCode::kPermissionDenied, {"he.ping"}));
  EXPECT_EQ(h_.Fingerprint(), before);
  EXPECT_EQ(h_.AllCases().size(), 1u);
}

// ---------------------------------------------------------------------------
// Who may see and do what.

TEST_P(ScenarioTest, ReviewerOfAnotherStreetDoesNotSeeTheCase) {
  const CaseId id = WalkTo(CaseState::kDiscover, 40, "周建华");
  ASSERT_NE(id, 0);
  const TaskId intake = OnlyActiveTask(id).id;
  const std::string before = h_.Fingerprint();
  const std::string not_found = "case " + std::to_string(id) + " not found";
  // 长胜街道's reviewer, and people of another district: the case does not exist for them.
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("zhao.lei", id)), ErrorCode::kNotFound,
                        {not_found}));
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("huang.wei", id)), ErrorCode::kNotFound,
                        {not_found}));
  EXPECT_TRUE(FailsWith(h_.Do(CloseCase, ReasonedCommand{h_.Cmd("xu.tao", id), "重复"}),
                        ErrorCode::kNotFound, {not_found}));
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("zhao.lei", intake)), ErrorCode::kNotFound,
                        {"task " + std::to_string(intake) + " not found"}));
  // The same answer as for a case that does not exist at all.
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("li.na", 12345)), ErrorCode::kNotFound,
                        {"case 12345 not found"}));
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ScenarioTest, VillageOfficerMayNotApprove) {
  const CaseId id = WalkTo(CaseState::kApprove, 41, "吴秀兰");
  ASSERT_NE(id, 0);
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ApproveCase, h_.Cmd("wang.hua", id)), ErrorCode::kPermissionDenied,
                        {"'approve'", "district_approver", "大武口区", "wang.hua"}));
  // Nor may the street reviewer, nor the district supervisor (who sees everything).
  EXPECT_TRUE(FailsWith(h_.Do(ApproveCase, h_.Cmd("li.na", id)), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      FailsWith(h_.Do(ApproveCase, h_.Cmd("liu.yang", id)), ErrorCode::kPermissionDenied));
  EXPECT_EQ(h_.Fingerprint(), before);
  JZ_ASSERT_OK(h_.Do(ApproveCase, h_.Cmd("chen.jing", id)));
}

TEST_P(ScenarioTest, IllegalTransitionIsRefusedNamingStateAndEvent) {
  const CaseId id = WalkTo(CaseState::kAssess, 42, "郭志强");
  ASSERT_NE(id, 0);
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ApproveCase, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition,
                        {"event 'approve' is not allowed in state 'assess'"}));
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition,
                        {"event 'monitor' is not allowed in state 'assess'"}));
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("li.na", id)), ErrorCode::kFailedPrecondition,
                        {"event 'accept' is not allowed in state 'assess'"}));
  EXPECT_EQ(h_.Fingerprint(), before);
}

TEST_P(ScenarioTest, StaleExpectedVersionIsAConflict) {
  const CaseId id = WalkTo(CaseState::kAssess, 43, "胡丽");
  ASSERT_NE(id, 0);
  ASSERT_EQ(h_.Case(id)->version, 2);
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(
      h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id, 1), "胡丽")),
      ErrorCode::kConflict, {"is at version 2", "(state assess)", "not 1"}));
  EXPECT_TRUE(FailsWith(
      h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id, 3), "胡丽")),
      ErrorCode::kConflict, {"is at version 2"}));
  EXPECT_EQ(h_.Fingerprint(), before);
  JZ_ASSERT_OK_AND_ASSIGN(
      CommandOutcome out,
      h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id, 2), "胡丽")));
  EXPECT_EQ(out.case_after.version, 3);
  // A claim moves the version too: a decision made on the version before it is stale.
  const TaskId task = OnlyActiveTask(id).id;
  JZ_ASSERT_OK(h_.Do(ClaimTask, h_.TaskCmd("li.na", task)));
  EXPECT_TRUE(FailsWith(h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id, 3)), ErrorCode::kConflict,
                        {"is at version 4", "(state commit)"}));
  JZ_ASSERT_OK(h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id, 4)));
}

// ---------------------------------------------------------------------------
// Referrals and feedback.

TEST_P(ScenarioTest, FeedbackMustAnswerAPendingReferralOfTheDepartment) {
  const CaseId id = WalkTo(CaseState::kRefer, 50, "高志强");
  ASSERT_NE(id, 0);
  // Refer to the disability federation only.
  JZ_ASSERT_OK(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id), {{"canlian", "辅具适配"}}}));
  std::string before = h_.Fingerprint();

  // The medical insurance handler has no referral of this case: it is not visible to her.
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("gao.yan", id), "yibao",
                                                              "provided", "医疗救助", 0}),
                        ErrorCode::kNotFound, {"case " + std::to_string(id) + " not found"}));
  // The liaison of every Dawukou department sees the case (through canlian) but education
  // has no referral to answer.
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("dept.dawukou", id),
                                                              "jiaoyu", "provided", "助学金", 0}),
                        ErrorCode::kFailedPrecondition,
                        {"event 'feedback' refused in state 'feedback'", "does not answer a pending referral"}));
  // The canlian handler cannot answer for medical insurance.
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "yibao",
                                                              "provided", "医疗救助", 0}),
                        ErrorCode::kFailedPrecondition, {"does not answer a pending referral"}));
  // Nor may the street reviewer answer for the department.
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("li.na", id), "canlian",
                                                              "provided", "补贴", 0}),
                        ErrorCode::kPermissionDenied,
                        {"department_handler", "大武口区残疾人联合会", "li.na"}));
  // A refusal must say why; a bad answer is named.
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "canlian",
                                                              "declined", " ", 0}),
                        ErrorCode::kInvalidArgument, {}, "details"));
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "canlian",
                                                              "maybe", "", 0}),
                        ErrorCode::kInvalidArgument, {}, "answer"));
  EXPECT_EQ(h_.Fingerprint(), before);

  // The canlian answer is taken once, from either of its handlers.
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("dept.dawukou", id), "canlian",
                                                     "declined", "已享受同类补贴", 0}));
  before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "canlian",
                                                              "provided", "补贴", 0}),
                        ErrorCode::kFailedPrecondition, {"does not answer a pending referral"}));
  EXPECT_EQ(h_.Fingerprint(), before);
  auto referrals = h_.Referrals(id);
  ASSERT_EQ(referrals.size(), 1u);
  EXPECT_EQ(referrals[0].answer, "declined");
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out, h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)));
  EXPECT_EQ(out.case_after.state, CaseState::kMonitor);
}

TEST_P(ScenarioTest, ReferralsAreValidated) {
  const CaseId id = WalkTo(CaseState::kRefer, 51, "马建国");
  ASSERT_NE(id, 0);
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id), {}}),
                        ErrorCode::kInvalidArgument, {}, "referrals"));
  EXPECT_TRUE(FailsWith(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id),
                                                      {{"canlian", "a"}, {"canlian", "b"}}}),
                        ErrorCode::kInvalidArgument, {"canlian"}, "referrals"));
  EXPECT_TRUE(FailsWith(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id),
                                                      {{"canlian", "a"}, {"nasa", "b"}}}),
                        ErrorCode::kInvalidArgument, {"nasa"}, "referrals"));
  EXPECT_EQ(h_.Fingerprint(), before);
}

// ---------------------------------------------------------------------------
// Tasks.

TEST_P(ScenarioTest, ClaimAndReleaseRules) {
  const CaseId id = WalkTo(CaseState::kDiscover, 60, "林秀英");
  ASSERT_NE(id, 0);
  const TaskId intake = OnlyActiveTask(id).id;
  std::string before = h_.Fingerprint();

  // Without the task's role at its unit the task does not exist for the caller.
  const std::string not_found = "task " + std::to_string(intake) + " not found";
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("wang.hua", intake)), ErrorCode::kNotFound,
                        {not_found}));
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("chen.jing", intake)), ErrorCode::kNotFound,
                        {not_found}));
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("li.na", intake + 99999)),
                        ErrorCode::kNotFound));
  // Releasing an unclaimed task.
  EXPECT_TRUE(FailsWith(h_.Do(ReleaseTask, h_.TaskCmd("li.na", intake)), ErrorCode::kConflict,
                        {"not claimed by you"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  h_.SetTime("2026-02-10T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out, h_.Do(ClaimTask, h_.TaskCmd("li.na", intake)));
  EXPECT_EQ(out.case_after.version, 2);
  ASSERT_EQ(out.updated_tasks.size(), 1u);
  EXPECT_EQ(out.updated_tasks[0].claimed_by, "li.na");
  EXPECT_EQ(TaskById(id, intake).claimed_at, At("2026-02-10T10:00:00+08:00"));
  EXPECT_EQ(out.event.action, "claim_task");

  before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("zhang.qiang", intake)), ErrorCode::kConflict,
                        {"already claimed by li.na"}));
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("li.na", intake)), ErrorCode::kConflict,
                        {"already claimed by you"}));
  EXPECT_TRUE(FailsWith(h_.Do(ReleaseTask, h_.TaskCmd("zhang.qiang", intake)),
                        ErrorCode::kConflict, {"not claimed by you"}));
  // Acting on the stage while another holds its task.
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("zhang.qiang", id)), ErrorCode::kConflict,
                        {"claimed by li.na"}));
  EXPECT_TRUE(FailsWith(h_.Do(CloseCase, ReasonedCommand{h_.Cmd("zhang.qiang", id), "重复上报"}),
                        ErrorCode::kConflict, {"claimed by li.na"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  h_.SetTime("2026-02-10T11:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(ReleaseTask, h_.TaskCmd("li.na", intake)));
  EXPECT_EQ(out.case_after.version, 3);
  EXPECT_EQ(out.event.action, "release_task");
  EXPECT_EQ(h_.ActiveTaskLines(id),
            Lines{"intake street_reviewer@640202100 open due 2026-02-12T23:59:59.999999+08:00"});
  EXPECT_EQ(TaskById(id, intake).claimed_at, 0);

  JZ_ASSERT_OK(h_.Do(ClaimTask, h_.TaskCmd("zhang.qiang", intake)));
  EXPECT_TRUE(FailsWith(h_.Do(AcceptCase, h_.Cmd("li.na", id)), ErrorCode::kConflict,
                        {"claimed by zhang.qiang"}));
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(AcceptCase, h_.Cmd("zhang.qiang", id, 4)));
  EXPECT_EQ(out.case_after.version, 5);
  EXPECT_EQ(DescribeTask(TaskById(id, intake)),
            "intake street_reviewer@640202100 done:zhang.qiang due "
            "2026-02-12T23:59:59.999999+08:00 (accept)");

  // A closed task can be neither claimed nor released.
  before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("li.na", intake)),
                        ErrorCode::kFailedPrecondition, {"already done"}));
  EXPECT_TRUE(FailsWith(h_.Do(ReleaseTask, h_.TaskCmd("zhang.qiang", intake)),
                        ErrorCode::kFailedPrecondition, {"already done"}));
  EXPECT_EQ(h_.Fingerprint(), before);

  Lines trail;
  for (const auto& e : h_.Audit(id)) trail.push_back(e.action + " " + e.actor + " " + e.to_state);
  EXPECT_EQ(trail, (Lines{"discover wang.hua discover", "claim_task li.na discover",
                          "release_task li.na discover", "claim_task zhang.qiang discover",
                          "accept zhang.qiang assess"}));
}

TEST_P(ScenarioTest, RevokeWithPendingReferralsCancelsTheirTasks) {
  const CaseId id = WalkTo(CaseState::kFeedback, 70, "罗海燕");
  ASSERT_NE(id, 0);
  h_.SetTime("2026-02-12T10:00:00+08:00");
  TaskId canlian_task = 0;
  for (const auto& t : h_.ActiveTasks(id)) {
    if (t.org_unit_id == kCanlian) canlian_task = t.id;
  }
  ASSERT_NE(canlian_task, 0);
  JZ_ASSERT_OK(h_.Do(ClaimTask, h_.TaskCmd("he.ping", canlian_task)));

  // A post-audit finding: the district revokes while both referrals are unanswered.
  h_.SetTime("2026-02-13T10:00:00+08:00");
  EXPECT_TRUE(FailsWith(h_.Do(RevokeCase, ReasonedCommand{h_.Cmd("li.na", id), "隐瞒收入"}),
                        ErrorCode::kPermissionDenied, {"'revoke'"}));
  JZ_ASSERT_OK_AND_ASSIGN(
      CommandOutcome out,
      h_.Do(RevokeCase, ReasonedCommand{h_.Cmd("chen.jing", id), "大数据比对发现隐瞒收入", 3200}));
  EXPECT_EQ(out.case_after.state, CaseState::kRevoked);
  EXPECT_TRUE(h_.ActiveTasks(id).empty());
  Lines feedback_tasks;
  for (const auto& t : h_.Tasks(id)) {
    if (t.kind != "referral_feedback") continue;
    EXPECT_EQ(t.completed_at, At("2026-02-13T10:00:00+08:00"));
    feedback_tasks.push_back(DescribeTask(t));
  }
  std::sort(feedback_tasks.begin(), feedback_tasks.end());
  // Due 10 working days after 02-10: 02-11..02-14, 02-24..02-28, 03-02.
  EXPECT_EQ(feedback_tasks,
            (Lines{"referral_feedback department_handler@640202D01 cancelled due "
                   "2026-03-02T23:59:59.999999+08:00 (cancelled: revoke)",
                   "referral_feedback department_handler@640202D07 cancelled:he.ping due "
                   "2026-03-02T23:59:59.999999+08:00 (cancelled: revoke)"}));
  EXPECT_EQ(out.updated_tasks.size(), 2u);
  EXPECT_TRUE(out.opened_tasks.empty());
  const auto events = h_.Audit(id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "revoke");
  EXPECT_EQ(events.back().from_state + "->" + events.back().to_state, "feedback->revoked");
  EXPECT_NE(events.back().payload.find("\"amount_to_recover_yuan\":3200"), std::string::npos)
      << events.back().payload;

  // Nothing more happens to a revoked case; the department's answer comes too late.
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "canlian",
                                                              "provided", "补贴", 0}),
                        ErrorCode::kFailedPrecondition, {"'revoked'"}));
  TaskId yibao_task = 0;
  for (const auto& t : h_.Tasks(id)) {
    if (t.org_unit_id == kYibao) yibao_task = t.id;
  }
  EXPECT_TRUE(FailsWith(h_.Do(ClaimTask, h_.TaskCmd("gao.yan", yibao_task)),
                        ErrorCode::kFailedPrecondition, {"already cancelled"}));
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition, {"'monitor'", "'revoked'"}));
  EXPECT_EQ(h_.Fingerprint(), before);
  // The person may be reported again: a new case.
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Discover("wang.hua", EngineHarness::ValidId(70), "罗海燕"));
  EXPECT_FALSE(out.existing);
  EXPECT_NE(out.case_after.id, id);
}

// The assess command runs the calculator with the standards of the case's district for the
// year of the clock: the same facts land in different pools under different years' lines,
// every figure is stored with the facts, and a year without standards is refused naming it.
TEST_P(ScenarioTest, AssessmentUsesTheDistrictStandardsOfTheYear) {
  // 2 people, 1,600 yuan wages a month: 800 a month each. 大武口区's dibao line is 790 in
  // 2026 (low-income line 1185) and 760 in 2025.
  auto household = [](const std::string& name) {
    AssessmentInput in;
    AssessedMember self;
    self.name = name;
    self.relation = "self";
    self.age = 40;
    AssessedMember child;
    child.name = "孩子";
    child.relation = "child";
    child.age = 12;
    in.members = {self, child};
    in.income = {{"wages", std::vector<Fen>(12, 160000)}};
    return in;
  };
  const CaseId a = WalkTo(CaseState::kAssess, 21, "冯秀兰");
  ASSERT_NE(a, 0);
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out,
                          h_.Do(AssessCase, AssessRequest{h_.Cmd("li.na", a), household("冯秀兰")}));
  EXPECT_EQ(out.case_after.pool, Pool::kMonitoring);
  const auto stored = nlohmann::json::parse(h_.Case(a)->assessment_json);
  EXPECT_EQ(stored["pool"], "monitoring");
  EXPECT_EQ(stored["standards"]["district"], kDawukou);
  EXPECT_EQ(stored["standards"]["year"], 2026);
  EXPECT_EQ(stored["standards"]["dibao_line_monthly"]["fen"], 79000);
  EXPECT_EQ(stored["income"]["per_capita_monthly"]["fen"], 80000);
  EXPECT_EQ(stored["low_income_household"], true);
  EXPECT_EQ(stored["household"]["income"][0]["monthly_yuan"][0], 1600.0);
  const auto events = h_.Audit(a);
  const auto payload = nlohmann::json::parse(events.back().payload);
  EXPECT_EQ(payload["pool"], "monitoring");
  EXPECT_EQ(payload["assessment"]["standards"]["year"], 2026);

  // Exactly at the dibao line is not below it; one fen a month less is.
  const CaseId b = WalkTo(CaseState::kAssess, 22, "蒋桂芝");
  ASSERT_NE(b, 0);
  AssessmentInput at_line = household("蒋桂芝");
  at_line.income[0].monthly = std::vector<Fen>(12, 158000);  // 790.00 each
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(AssessCase, AssessRequest{h_.Cmd("li.na", b), at_line}));
  EXPECT_EQ(out.case_after.pool, Pool::kMonitoring);
  const CaseId d = WalkTo(CaseState::kAssess, 24, "沈玉梅");
  ASSERT_NE(d, 0);
  AssessmentInput below = household("沈玉梅");
  below.income[0].monthly = std::vector<Fen>(12, 157999);
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(AssessCase, AssessRequest{h_.Cmd("li.na", d), below}));
  EXPECT_EQ(out.case_after.pool, Pool::kRelief);

  // A year the standards data does not cover: refused, nothing written.
  const CaseId c = WalkTo(CaseState::kAssess, 23, "韩淑珍");
  ASSERT_NE(c, 0);
  h_.SetTime("2029-03-02T09:00:00+08:00");
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(AssessCase, AssessRequest{h_.Cmd("li.na", c), household("韩淑珍")}),
                        ErrorCode::kFailedPrecondition, {"大武口区", "2029"}, "year"));
  // Bad facts name the field.
  AssessmentInput bad = household("韩淑珍");
  bad.income[0].monthly.pop_back();
  h_.SetTime("2026-03-02T09:00:00+08:00");
  EXPECT_TRUE(FailsWith(h_.Do(AssessCase, AssessRequest{h_.Cmd("li.na", c), bad}),
                        ErrorCode::kInvalidArgument, {"12 monthly amounts"}, "income[0].monthly"));
  EXPECT_EQ(h_.Fingerprint(), before);
}

// 转介: after approval the catalogue proposes referrals from the assessed household; the
// approver confirms some, drops others and adds one; each referral is a task for the
// department's handlers due in its policies' feedback working days; the case leaves feedback
// only once every department has answered (provided, declined, not applicable).
TEST_P(ScenarioTest, ReferralsFromProposalsUntilEveryDepartmentAnswered) {
  const CaseId id = WalkTo(CaseState::kRefer, 31, "卫秀梅");
  ASSERT_NE(id, 0);
  JZ_ASSERT_OK_AND_ASSIGN(auto proposals, ProposeReferrals(h_.ctx(), h_.store(), h_.User("chen.jing"), id));
  // Severely disabled applicant, able-bodied spouse of 50, dibao, no home of their own.
  Lines proposed;
  for (const auto& p : proposals) {
    std::string line = p.department_code + "@" + p.department_unit->id + " " +
                       std::to_string(p.feedback_working_days) + ":";
    for (const auto& pp : p.policies) line += " " + pp.policy->code;
    proposed.push_back(line);
  }
  EXPECT_EQ(proposed, (Lines{
                          "yibao@640202D01 10: yibao_insurance_subsidy",
                          "weijian@640202D02 10: weijian_family_doctor",
                          "canlian@640202D07 10: canlian_living_subsidy canlian_nursing_subsidy "
                          "canlian_rehabilitation",
                          "renshe@640202D04 10: renshe_employment_aid renshe_pension_contribution",
                          "zhujian@640202D05 20: zhujian_public_rental",
                          "shehui_zuzhi@640202D10 10: shehui_zuzhi_home_care",
                      }));
  ASSERT_FALSE(proposals[2].policies[1].reasons.empty());
  EXPECT_EQ(proposals[2].policies[1].reasons[0], "家庭成员重度残疾");
  // Nobody outside the case's area gets proposals (existence does not leak).
  EXPECT_TRUE(FailsWith(ProposeReferrals(h_.ctx(), h_.store(), h_.User("dept.huinong"), id),
                        ErrorCode::kNotFound));

  // Bad confirmations are refused and write nothing.
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id),
                                                      {{"canlian", "", {"yibao_insurance_subsidy"}}}}),
                        ErrorCode::kInvalidArgument, {"belongs to department yibao"}, "referrals"));
  EXPECT_TRUE(FailsWith(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", id),
                                                      {{"canlian", "", {"no_such_policy"}}}}),
                        ErrorCode::kInvalidArgument, {"unknown policy"}, "referrals"));
  EXPECT_EQ(h_.Fingerprint(), before);

  // 2026-03-02 (Mon) 10:00: canlian and zhujian confirmed with their policies, sifa added by hand.
  h_.SetTime("2026-03-02T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      CommandOutcome out,
      h_.Do(ReferCase,
            ReferRequest{h_.Cmd("chen.jing", id),
                         {{"canlian", "", {"canlian_nursing_subsidy", "canlian_living_subsidy"}},
                          {"zhujian", "公租房保障", {"zhujian_public_rental"}},
                          {"sifa", "法律援助咨询", {}}}}));
  EXPECT_EQ(out.case_after.state, CaseState::kFeedback);
  // 10 working days: 03-16; 20: 03-30; sifa has no policy: the feedback stage's 10.
  EXPECT_EQ(h_.ActiveTaskLines(id),
            (Lines{"referral_feedback department_handler@640202D05 open due "
                   "2026-03-30T23:59:59.999999+08:00",
                   "referral_feedback department_handler@640202D06 open due "
                   "2026-03-16T23:59:59.999999+08:00",
                   "referral_feedback department_handler@640202D07 open due "
                   "2026-03-16T23:59:59.999999+08:00"}));
  auto referrals = h_.Referrals(id);
  ASSERT_EQ(referrals.size(), 3u);
  EXPECT_EQ(referrals[0].policies, "canlian_nursing_subsidy,canlian_living_subsidy");
  EXPECT_EQ(referrals[0].note, "重度残疾人护理补贴、困难残疾人生活补贴");
  EXPECT_EQ(referrals[2].policies, "");

  // The department's referral inbox.
  DepartmentReferralQuery q;
  q.department_unit_ids = {"640202D07"};
  q.status = ReferralStatus::kPending;
  JZ_ASSERT_OK_AND_ASSIGN(auto inbox, h_.store().ListDepartmentReferrals(q));
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].case_id, id);

  // Answers, one department at a time; monitoring is refused until the last.
  h_.SetTime("2026-03-04T10:00:00+08:00");
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", id), "canlian", "provided",
                                                      "护理补贴每月 100 元", 1200}));
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)),
                        ErrorCode::kFailedPrecondition));
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("dept.dawukou", id), "zhujian",
                                                      "declined", "公租房轮候中，暂无房源", 0}));
  EXPECT_TRUE(FailsWith(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("dept.dawukou", id), "sifa",
                                                               "declined", "  ", 0}),
                        ErrorCode::kInvalidArgument, {}, "details"));
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("dept.dawukou", id), "sifa",
                                                      "not_applicable", "无法律纠纷", 0}));
  EXPECT_TRUE(h_.ActiveTaskLines(id).empty());
  Lines answers;
  for (const auto& r : h_.Referrals(id)) answers.push_back(r.department_code + " " + r.answer);
  EXPECT_EQ(answers, (Lines{"canlian provided", "zhujian declined", "sifa not_applicable"}));
  JZ_ASSERT_OK_AND_ASSIGN(auto answered, h_.store().ListDepartmentReferrals(q));
  EXPECT_TRUE(answered.empty()) << "answered referrals leave the pending inbox";
  JZ_ASSERT_OK_AND_ASSIGN(out, h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)));
  EXPECT_EQ(out.case_after.state, CaseState::kMonitor);
}

TEST_P(ScenarioTest, LeavingAStageClosesItsTasksDoneOrCancelled) {
  // Closed at intake by the reviewer: her own intake task is done.
  const CaseId dismissed = WalkTo(CaseState::kDiscover, 80, "何建华");
  ASSERT_NE(dismissed, 0);
  JZ_ASSERT_OK(h_.Do(CloseCase, ReasonedCommand{h_.Cmd("li.na", dismissed), "经核实不属于困难家庭"}));
  ASSERT_EQ(h_.Tasks(dismissed).size(), 1u);
  EXPECT_EQ(DescribeTask(h_.Tasks(dismissed)[0]),
            "intake street_reviewer@640202100 done:li.na due 2026-02-12T23:59:59.999999+08:00 "
            "(close)");

  // Closed in monitoring by the district: the village officer's revisit is cancelled.
  const CaseId watched = WalkTo(CaseState::kMonitor, 81, "朱玉兰");
  ASSERT_NE(watched, 0);
  const TaskId revisit = OnlyActiveTask(watched).id;
  JZ_ASSERT_OK(h_.Do(ClaimTask, h_.TaskCmd("wang.hua", revisit)));
  JZ_ASSERT_OK_AND_ASSIGN(
      CommandOutcome out,
      h_.Do(CloseCase, ReasonedCommand{h_.Cmd("chen.jing", watched), "家庭收入已超过低收入标准"}));
  EXPECT_EQ(out.case_after.state, CaseState::kClosed);
  EXPECT_EQ(DescribeTask(TaskById(watched, revisit)),
            "revisit village_officer@640202100001 cancelled:wang.hua due "
            "2026-05-14T23:59:59.999999+08:00 (cancelled: close)");

  // Sent back by the approver: the approval task is done, a new assessment task opens.
  const CaseId sent_back = WalkTo(CaseState::kApprove, 82, "徐桂英");
  ASSERT_NE(sent_back, 0);
  const TaskId approval = OnlyActiveTask(sent_back).id;
  JZ_ASSERT_OK_AND_ASSIGN(
      out, h_.Do(SendBackCase, ReasonedCommand{h_.Cmd("chen.jing", sent_back), "缺少收入证明"}));
  EXPECT_EQ(out.case_after.state, CaseState::kAssess);
  EXPECT_EQ(DescribeTask(TaskById(sent_back, approval)),
            "approval district_approver@640202 done:chen.jing due "
            "2026-02-12T23:59:59.999999+08:00 (send_back)");
  EXPECT_EQ(h_.ActiveTaskLines(sent_back),
            Lines{"home_visit_assessment street_reviewer@640202100 open due "
                  "2026-02-24T23:59:59.999999+08:00"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ScenarioTest, ::testing::Values("sqlite", "mariadb"),
                         BackendName);

}  // namespace
}  // namespace jiuzhu::testing
