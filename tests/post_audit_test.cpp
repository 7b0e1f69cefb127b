// Post-audit of the fast track (issue 6) through the real engine on each backend: samples
// with a recorded seed, the frozen population and its hash, the draw and its re-derivation,
// audit tasks with working-day deadlines, findings → street re-verification → district
// decision, revocation with the credit record, and the fast track refused under the ban.
// People of workflows/org/demo-users.json: zhou.min auditor at 大武口区 (640202), chen.jing
// and wei.dong district approvers there, li.na street reviewer at 星海镇 (640202100).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/sampling/draw.hpp"
#include "engine/usecases/case_commands.hpp"
#include "engine/usecases/post_audit.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu::testing {
namespace {

using Lines = std::vector<std::string>;

class PostAuditTest : public BackendTest {
 protected:
  // A dibao case of applicant `name` (ValidId(n), village 星光村) approved on the fast track
  // by `approver` at the current clock and moved to monitoring.
  CaseId FastTrackApproved(int n, const std::string& name, const std::string& approver = "chen.jing") {
    auto fail = [&](const char* step, const Status& s) {
      ADD_FAILURE() << "case of " << name << ", " << step << ": " << s.ToString();
      return CaseId{0};
    };
    auto d = h_.Discover("wang.hua", EngineHarness::ValidId(n), name);
    if (!d.ok()) return fail("discover", d.status());
    const CaseId id = d->case_after.id;
    auto r = h_.Do(AcceptCase, h_.Cmd("li.na", id));
    if (!r.ok()) return fail("accept", r.status());
    r = h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), name));
    if (!r.ok()) return fail("assess", r.status());
    r = h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, name, "本人承诺申报信息真实"});
    if (!r.ok()) return fail("pledge", r.status());
    r = h_.Do(ApproveCase, h_.Cmd(approver, id));
    if (!r.ok()) return fail("approve", r.status());
    r = h_.Do(StartMonitoring, h_.Cmd(approver, id));
    if (!r.ok()) return fail("monitor", r.status());
    return id;
  }

  SampleParameters Params(const std::string& from, const std::string& to, int rate_bp) {
    SampleParameters p;
    p.period_from = At(from);
    p.period_to = At(to);
    p.rate_basis_points = rate_bp;
    return p;
  }

  Result<AuditSampleRecord> Create(const std::string& who, const SampleParameters& p,
                                   const std::string& seed = "") {
    CreateSampleRequest req{h_.User(who), p, seed};
    return h_.Run([&](const EngineContext& c, StoreTxn& txn) { return CreateSample(c, txn, req); });
  }
  Result<DrawOutcome> Draw(const std::string& who, std::int64_t id) {
    const UserRecord u = h_.User(who);
    return h_.Run(
        [&](const EngineContext& c, StoreTxn& txn) { return DrawAuditSample(c, txn, u, id); });
  }
  Result<ItemOutcome> Finding(const FindingRequest& req) {
    return h_.Run([&](const EngineContext& c, StoreTxn& txn) { return RecordFinding(c, txn, req); });
  }
  Result<ItemOutcome> Reverify(const ReverifyRequest& req) {
    return h_.Run(
        [&](const EngineContext& c, StoreTxn& txn) { return RecordReverification(c, txn, req); });
  }
  Result<ItemOutcome> Decide(const PostAuditDecisionRequest& req) {
    return h_.Run([&](const EngineContext& c, StoreTxn& txn) { return DecidePostAudit(c, txn, req); });
  }

  std::vector<AuditItemRecord> Items(std::int64_t sample_id) {
    AuditItemQuery q;
    q.sample_id = sample_id;
    auto r = h_.store().ListAuditItems(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<AuditItemRecord>{};
  }

  // Five approvals 2026-03-02..03-06 (one a day, 10:00), returned in order.
  std::vector<CaseId> FiveApprovals() {
    std::vector<CaseId> ids;
    const char* days[] = {"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"};
    const char* names[] = {"赵一", "钱二", "孙三", "李四", "周五"};
    for (int i = 0; i < 5; ++i) {
      h_.SetTime(std::string(days[i]) + "T10:00:00+08:00");
      ids.push_back(FastTrackApproved(100 + i, names[i]));
    }
    return ids;
  }
};

TEST_P(PostAuditTest, SeedIsRecordedBeforeTheDrawAndTheDrawReDerivesExactly) {
  const std::vector<CaseId> ids = FiveApprovals();
  // An ordinary-route approval is not in the population.
  h_.SetTime("2026-03-04T11:00:00+08:00");
  auto d = h_.Discover("wang.hua", EngineHarness::ValidId(200), "吴六");
  ASSERT_TRUE(d.ok());

  h_.SetTime("2026-03-09T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(AuditSampleRecord sample,
                          Create("zhou.min", Params("2026-03-01", "2026-04-01", 4000)));
  EXPECT_EQ(sample.status, "seeded");
  EXPECT_EQ(sample.seed.size(), 64u);
  EXPECT_EQ(sample.created_by, "zhou.min");
  EXPECT_EQ(sample.org_unit_id, "640202");
  // Stored with the seed before any draw; nothing else yet.
  JZ_ASSERT_OK_AND_ASSIGN(auto stored, h_.store().GetAuditSample(sample.id));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->seed, sample.seed);
  EXPECT_EQ(stored->status, "seeded");
  EXPECT_TRUE(Items(sample.id).empty());

  h_.SetTime("2026-03-09T09:05:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn, Draw("zhou.min", sample.id));
  EXPECT_EQ(drawn.sample.status, "drawn");
  EXPECT_EQ(drawn.sample.population_size, 5);
  ASSERT_EQ(drawn.items.size(), 2u);  // ceil(40% of 5)

  // The frozen population is exactly the five fast-track approvals, and hashes as stored.
  JZ_ASSERT_OK_AND_ASSIGN(auto population, h_.store().ListAuditPopulation(sample.id));
  std::vector<CaseId> pop_ids;
  for (const auto& e : population) {
    pop_ids.push_back(e.case_id);
    EXPECT_EQ(e.approver, "chen.jing");
    EXPECT_EQ(e.district_id, "640202");
    EXPECT_EQ(e.street_id, "640202100");
  }
  EXPECT_EQ(pop_ids, ids);
  JZ_ASSERT_OK_AND_ASSIGN(FrozenPopulation frozen, FrozenPopulation::Freeze(population));
  EXPECT_EQ(frozen.hash(), drawn.sample.population_hash);

  // Re-derivation from what is stored matches exactly: the resample check.
  auto params_json = nlohmann::json::parse(drawn.sample.parameters_json);
  JZ_ASSERT_OK_AND_ASSIGN(SampleParameters params, ParametersFromJson(params_json));
  JZ_ASSERT_OK_AND_ASSIGN(params, CanonicalizeParameters(params));
  EXPECT_EQ(ParameterHash(params), drawn.sample.parameters_hash);
  JZ_ASSERT_OK_AND_ASSIGN(SampleResult again, DrawSample(frozen, params, drawn.sample.seed));
  EXPECT_EQ(again.sample_hash, drawn.sample.sample_hash);
  std::vector<CaseId> item_ids;
  for (const auto& i : Items(sample.id)) item_ids.push_back(i.case_id);
  EXPECT_EQ(item_ids, again.chosen);
  EXPECT_TRUE(VerifySample(frozen, params, drawn.sample.seed, drawn.result).ok());

  // Each sampled case: an audit task for the auditor at 大武口区, due 10 working days later
  // (03-10..03-23), and one sealed audit event naming the sample.
  for (const auto& item : Items(sample.id)) {
    EXPECT_EQ(item.status, kItemPending);
    Lines lines = h_.ActiveTaskLines(item.case_id);
    EXPECT_NE(std::find(lines.begin(), lines.end(),
                        "post_audit auditor@640202 open due 2026-03-23T23:59:59.999999+08:00"),
              lines.end())
        << ::testing::PrintToString(lines);
    const auto audit = h_.Audit(item.case_id);
    EXPECT_EQ(audit.back().action, "post_audit_sampled");
    EXPECT_NE(audit.back().payload.find(sample.seed), std::string::npos);
  }
  // A second draw of the same sample is refused and changes nothing.
  EXPECT_TRUE(FailsWith(Draw("zhou.min", sample.id), ErrorCode::kFailedPrecondition, {"was drawn"}));
  EXPECT_EQ(Items(sample.id).size(), 2u);
  // Cases already sampled for this approval are not sampled again.
  JZ_ASSERT_OK_AND_ASSIGN(AuditSampleRecord second,
                          Create("zhou.min", Params("2026-03-01", "2026-04-01", 10000)));
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn2, Draw("zhou.min", second.id));
  EXPECT_EQ(drawn2.sample.population_size, 3);
}

TEST_P(PostAuditTest, WindowEndsAfterTheConfiguredWorkingDays) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  ASSERT_NE(FastTrackApproved(1, "赵一"), 0);
  // 22 working days after 03-02: 03-03..03-31 hold 21 (Qingming is in April), so the window
  // ends with Wednesday 04-01.
  JZ_ASSERT_OK_AND_ASSIGN(SampleParameters p,
                          CanonicalizeParameters([&] {
                            auto q = Params("2026-03-01", "2026-04-01", 10000);
                            q.org_subtree_path = "/640200/";
                            return q;
                          }()));
  JZ_ASSERT_OK_AND_ASSIGN(auto approvals,
                          h_.store().ListFastTrackApprovals(p.org_subtree_path, p.period_from, p.period_to));
  ASSERT_EQ(approvals.size(), 1u);
  JZ_ASSERT_OK_AND_ASSIGN(auto inside,
                          CollectPopulation(h_.ctx(), approvals, p, At("2026-04-01T23:59:59.999999+08:00")));
  EXPECT_EQ(inside.size(), 1u);
  JZ_ASSERT_OK_AND_ASSIGN(auto outside,
                          CollectPopulation(h_.ctx(), approvals, p, At("2026-04-02T00:00:00+08:00")));
  EXPECT_TRUE(outside.empty());
  // A draw after the window finds nothing to sample.
  h_.SetTime("2026-04-02T08:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(auto late, Create("zhou.min", Params("2026-03-01", "2026-04-01", 10000)));
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome d_late, Draw("zhou.min", late.id));
  EXPECT_EQ(d_late.sample.population_size, 0);
  EXPECT_TRUE(d_late.items.empty());
}

TEST_P(PostAuditTest, OnlyAuditorsDrawAndOnlyInsideTheirUnits) {
  h_.SetTime("2026-03-09T09:00:00+08:00");
  EXPECT_TRUE(FailsWith(Create("chen.jing", Params("2026-03-01", "2026-04-01", 1000)),
                      ErrorCode::kPermissionDenied, {"only auditors"}));
  SampleParameters other = Params("2026-03-01", "2026-04-01", 1000);
  other.org_subtree_path = "/420200/420203/";
  EXPECT_TRUE(FailsWith(Create("zhou.min", other), ErrorCode::kPermissionDenied, {"outside"}));
  EXPECT_TRUE(FailsWith(Create("zhou.min", Params("2026-04-01", "2026-03-01", 1000)),
                      ErrorCode::kInvalidArgument, {}, "period_to"));
  SampleParameters unknown = Params("2026-03-01", "2026-04-01", 1000);
  unknown.programmes = {"nope"};
  EXPECT_TRUE(FailsWith(Create("zhou.min", unknown), ErrorCode::kInvalidArgument, {"nope"},
                      "programmes"));
  JZ_ASSERT_OK_AND_ASSIGN(auto mine, Create("zhou.min", Params("2026-03-01", "2026-04-01", 1000)));
  // 黄石 auditor cannot see (or draw) a 大武口 sample.
  EXPECT_TRUE(FailsWith(Draw("tan.hui", mine.id), ErrorCode::kNotFound, {}));
  JZ_ASSERT_OK_AND_ASSIGN(auto samples, h_.store().ListAuditSamples(0, 10));
  EXPECT_EQ(samples.size(), 1u);
}

TEST_P(PostAuditTest, DiscrepancyReverifiedRevokedCreditRecordBarsTheFastTrack) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  const CaseId id = FastTrackApproved(7, "刘七");
  ASSERT_NE(id, 0);
  h_.SetTime("2026-03-09T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(auto sample, Create("zhou.min", Params("2026-03-01", "2026-04-01", 10000)));
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn, Draw("zhou.min", sample.id));
  ASSERT_EQ(drawn.items.size(), 1u);
  const std::int64_t item_id = drawn.items[0].id;
  const std::int64_t version_before = h_.Case(id)->version;

  // Bad findings change nothing.
  EXPECT_TRUE(FailsWith(Finding({h_.User("zhou.min"), item_id, "discrepancy", "car", "x"}),
                      ErrorCode::kInvalidArgument, {}, "category"));
  EXPECT_TRUE(FailsWith(Finding({h_.User("zhou.min"), item_id, "discrepancy", "assets", " "}),
                      ErrorCode::kInvalidArgument, {}, "evidence"));
  EXPECT_TRUE(FailsWith(Finding({h_.User("li.na"), item_id, "confirmed", "", ""}),
                      ErrorCode::kNotFound, {}));
  // The approver cannot audit their own approval, even holding the auditor role.
  UserRecord both = h_.User("chen.jing");
  both.roles.push_back({"auditor", "640202"});
  ASSERT_TRUE(h_.store().UpsertUsers({both}).ok());
  EXPECT_TRUE(FailsWith(Finding({h_.User("chen.jing"), item_id, "confirmed", "", ""}),
                      ErrorCode::kPermissionDenied, {"own approval"}));
  EXPECT_EQ(h_.Case(id)->version, version_before);
  EXPECT_EQ(Items(sample.id)[0].status, kItemPending);

  // The auditor finds an undeclared vehicle: a re-verification task for 星海镇, 5 working days.
  h_.SetTime("2026-03-10T15:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(
      ItemOutcome f, Finding({h_.User("zhou.min"), item_id, "discrepancy", "assets",
                              "车管所比对：申请人名下登记小型汽车一辆（2025年购入）"}));
  EXPECT_EQ(f.item.status, kItemReverifying);
  EXPECT_EQ(h_.ActiveTaskLines(id),
            (Lines{"post_audit_reverify street_reviewer@640202100 open due "
                   "2026-03-17T23:59:59.999999+08:00",
                   "revisit village_officer@640202100001 open due 2026-05-28T23:59:59.999999+08:00"}));
  // A post-audit task is not completed through the ordinary task decisions.
  CompleteTaskRequest wrong;
  wrong.actor = h_.User("li.na");
  wrong.task_id = f.item.task_id;
  wrong.decision = "reassess";
  EXPECT_TRUE(FailsWith(h_.Do(CompleteTask, wrong), ErrorCode::kInvalidArgument, {"post-audit"},
                      "decision"));

  JZ_ASSERT_OK_AND_ASSIGN(ItemOutcome rv,
                          Reverify({h_.User("li.na"), item_id, true, "入户核实：车辆属实，未申报"}));
  EXPECT_EQ(rv.item.status, kItemAwaitingDecision);
  // chen.jing approved it and may not decide; wei.dong decides.
  EXPECT_TRUE(FailsWith(Decide({h_.User("chen.jing"), item_id, "revoke", "隐瞒车辆", 0}),
                      ErrorCode::kPermissionDenied, {"cannot decide"}));
  EXPECT_TRUE(FailsWith(Decide({h_.User("wei.dong"), item_id, "revoke", "", 0}),
                      ErrorCode::kInvalidArgument, {}, "reason"));
  EXPECT_TRUE(FailsWith(Decide({h_.User("wei.dong"), item_id, "uphold", "ok", 100}),
                      ErrorCode::kInvalidArgument, {}, "amount_to_recover"));
  h_.SetTime("2026-03-12T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(ItemOutcome dec,
                          Decide({h_.User("wei.dong"), item_id, "revoke",
                                  "隐瞒机动车辆，违反告知承诺", 158000}));
  EXPECT_EQ(dec.item.status, kItemRevoked);
  EXPECT_EQ(h_.Case(id)->state, CaseState::kRevoked);
  EXPECT_TRUE(h_.ActiveTasks(id).empty());
  ASSERT_TRUE(dec.credit.has_value());
  EXPECT_EQ(dec.credit->amount_to_recover_fen, 158000);
  EXPECT_EQ(dec.credit->category, "assets");
  // 250 working days from 2026-03-12.
  EXPECT_GT(dec.credit->ban_until, At("2027-03-01T00:00:00+08:00"));
  EXPECT_EQ(h_.Audit(id).back().action, "revoke");
  EXPECT_EQ(h_.Audit(id).back().actor, "wei.dong");

  // A later application by the same person: the record is there, and the fast track refused.
  h_.SetTime("2026-04-01T10:00:00+08:00");
  auto again = h_.Discover("wang.hua", EngineHarness::ValidId(7), "刘七");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  const CaseId id2 = again->case_after.id;
  ASSERT_NE(id2, id);
  CreditQuery cq;
  cq.id_hash = again->case_after.id_hash;
  JZ_ASSERT_OK_AND_ASSIGN(auto credits, h_.store().ListCreditRecords(cq));
  ASSERT_EQ(credits.size(), 1u);
  EXPECT_EQ(credits[0].case_id, id);
  ASSERT_TRUE(h_.Do(AcceptCase, h_.Cmd("li.na", id2)).ok());
  ASSERT_TRUE(h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id2), "刘七")).ok());
  const std::int64_t v = h_.Case(id2)->version;
  EXPECT_TRUE(FailsWith(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id2), true, "刘七", "承诺"}),
                      ErrorCode::kFailedPrecondition, {"fast track", "credit record", "ordinary route"}));
  EXPECT_EQ(h_.Case(id2)->version, v);
  EXPECT_TRUE(h_.Do(ChooseOrdinaryRoute, h_.Cmd("li.na", id2)).ok());
}

TEST_P(PostAuditTest, ConfirmedAndUpheldItemsPassAndStatisticsCountThem) {
  const std::vector<CaseId> ids = FiveApprovals();
  h_.SetTime("2026-03-09T09:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(auto sample, Create("zhou.min", Params("2026-03-01", "2026-04-01", 10000)));
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn, Draw("zhou.min", sample.id));
  ASSERT_EQ(drawn.items.size(), 5u);
  const auto items = Items(sample.id);
  // Three confirmed, one discrepancy upheld, one adjusted.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Finding({h_.User("zhou.min"), items[i].id, "confirmed", "", "材料齐全"}).ok());
  }
  ASSERT_TRUE(Finding({h_.User("zhou.min"), items[3].id, "discrepancy", "undeclared_income", "社保缴费显示有工资"}).ok());
  ASSERT_TRUE(Finding({h_.User("zhou.min"), items[4].id, "discrepancy", "household_members", "户籍多一人"}).ok());
  ASSERT_TRUE(Reverify({h_.User("li.na"), items[3].id, false, "工资为临时务工，已申报"}).ok());
  ASSERT_TRUE(Reverify({h_.User("zhang.qiang"), items[4].id, true, "户内确有一人未申报"}).ok());
  JZ_ASSERT_OK_AND_ASSIGN(ItemOutcome up, Decide({h_.User("wei.dong"), items[3].id, "uphold", "收入已申报，维持", 0}));
  EXPECT_EQ(up.item.status, kItemUpheld);
  {
    // The decision is sealed with the facts it was taken on (容错免责).
    const auto payload = nlohmann::json::parse(h_.Audit(items[3].case_id).back().payload);
    EXPECT_EQ(h_.Audit(items[3].case_id).back().action, "post_audit_decision");
    EXPECT_EQ(payload.at("item"), std::to_string(items[3].id));
    EXPECT_EQ(payload.at("facts").at("finding").at("category"), "undeclared_income");
    EXPECT_EQ(payload.at("facts").at("reverification").at("discrepancy_confirmed"), false);
    EXPECT_EQ(payload.at("facts").at("route"), "fast_track");
    EXPECT_TRUE(payload.at("facts").contains("assessment"));
  }
  JZ_ASSERT_OK_AND_ASSIGN(ItemOutcome adj, Decide({h_.User("wei.dong"), items[4].id, "adjust", "按三人户重新核定", 0}));
  EXPECT_EQ(adj.item.status, kItemAdjusted);
  EXPECT_EQ(h_.Case(items[4].case_id)->state, CaseState::kMonitor);
  // A decided item takes no second decision.
  EXPECT_TRUE(FailsWith(Decide({h_.User("wei.dong"), items[4].id, "revoke", "x", 0}),
                      ErrorCode::kFailedPrecondition, {"adjusted"}));

  const PostAuditStats stats = ComputePostAuditStats(Items(sample.id), Tier::kDistrict);
  ASSERT_EQ(stats.rows.size(), 1u);
  EXPECT_EQ(stats.rows[0].org_unit_id, "640202");
  EXPECT_EQ(stats.rows[0].month, "2026-03");
  EXPECT_EQ(stats.rows[0].sampled, 5);
  EXPECT_EQ(stats.rows[0].finished, 5);
  EXPECT_EQ(stats.rows[0].passed, 4);
  EXPECT_EQ(stats.rows[0].discrepancies, 2);
  EXPECT_EQ(stats.categories.at("undeclared_income"), 1);
  EXPECT_EQ(stats.categories.at("household_members"), 1);
  EXPECT_EQ(stats.revocations, 0);
}

TEST_P(PostAuditTest, StageChangesLeaveTheAuditTaskOpen) {
  h_.SetTime("2026-03-02T10:00:00+08:00");
  auto d = h_.Discover("wang.hua", EngineHarness::ValidId(9), "郑九");
  ASSERT_TRUE(d.ok());
  const CaseId id = d->case_after.id;
  ASSERT_TRUE(h_.Do(AcceptCase, h_.Cmd("li.na", id)).ok());
  ASSERT_TRUE(h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), "郑九")).ok());
  ASSERT_TRUE(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, "郑九", "承诺"}).ok());
  ASSERT_TRUE(h_.Do(ApproveCase, h_.Cmd("chen.jing", id)).ok());  // now in refer
  h_.SetTime("2026-03-03T10:00:00+08:00");
  JZ_ASSERT_OK_AND_ASSIGN(auto sample, Create("zhou.min", Params("2026-03-01", "2026-04-01", 10000)));
  JZ_ASSERT_OK_AND_ASSIGN(DrawOutcome drawn, Draw("zhou.min", sample.id));
  ASSERT_EQ(drawn.items.size(), 1u);
  // refer → monitor closes the dispatch task, not the audit task.
  ASSERT_TRUE(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)).ok());
  const Lines lines = h_.ActiveTaskLines(id);
  EXPECT_EQ(lines.size(), 2u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0].rfind("post_audit auditor@640202 open", 0), 0u) << lines[0];
}

INSTANTIATE_TEST_SUITE_P(Backends, PostAuditTest, ::testing::Values("sqlite", "mariadb"),
                         BackendName);

}  // namespace
}  // namespace jiuzhu::testing
