// The deadline clock (issue 5) through the real engine on both backends: overdue marking and
// escalation up the tiers with a moving clock across the Spring Festival of the 2026
// calendar, idempotence, closed tasks leaving the clock, deadline recomputation after a
// calendar change, supervisors' reassign/remind, and two processes sharing the work on one
// MariaDB database with every level fired exactly once.
//
// The 2026 calendar around the harness start (Tuesday 2026-02-10): 02-14 (Saturday) is a
// make-up working day, 02-15..02-23 the Spring Festival. An intake task opened on 02-10 is due
// at the end of 02-12 (2 working days). workflows/escalation.json for the discover stage:
// supervisors 1 working day after the due time (end of 02-13), moved up to the district
// approvers 3 working days after it (02-13, 02-14, then 02-24: end of 02-24).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/runtime/deadline_clock.hpp"
#include "api/runtime/demo_data.hpp"
#include "engine/usecases/case_commands.hpp"
#include "engine/usecases/monitoring.hpp"
#include "engine/usecases/supervision.hpp"
#include "tests/support/engine_harness.hpp"
#include "tests/support/private_mariadb.hpp"

extern char** environ;

namespace jiuzhu::testing {
namespace {

constexpr char kXinghaiTown[] = "640202100";  // 星海镇: street reviewers li.na, zhang.qiang
constexpr char kDawukou[] = "640202";         // 大武口区: approver chen.jing, supervisor liu.yang

// Remembers what the clock hands to the sender.
class RecordingSender final : public NotificationSender {
 public:
  void Send(const NotificationRecord& n) override { sent.push_back(n); }
  std::vector<NotificationRecord> sent;
};

std::vector<std::string> Actions(const std::vector<AuditEventRecord>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.action);
  return out;
}

// usernames of the notifications about `task`, of `kind`, sorted
std::vector<std::string> Notified(CaseStore& store, const std::vector<std::string>& users, TaskId task,
                                  NotificationKind kind) {
  std::vector<std::string> out;
  for (const auto& u : users) {
    auto list = store.ListNotifications(u, false, 0, 100);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (!list.ok()) continue;
    for (const auto& n : *list) {
      if (n.task_id == task && n.kind == kind) out.push_back(n.username);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t OverdueOnBoard(CaseStore& store, const std::string& unit) {
  auto counts = store.ListBoardCounts();
  EXPECT_TRUE(counts.ok());
  std::int64_t n = 0;
  for (const auto& c : *counts) {
    if (c.overdue && c.org_unit_id == unit) n += c.n;
  }
  return n;
}

class DeadlineTest : public BackendTest {
 protected:
  // A new case reported at 星光村 now; returns (case id, its intake task).
  std::pair<CaseId, TaskRecord> NewCase(int n, const std::string& name) {
    auto d = h_.Discover("wang.hua", EngineHarness::ValidId(n), name);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (!d.ok()) return {0, {}};
    return {d->case_after.id, h_.ActiveTasks(d->case_after.id).at(0)};
  }

  ClockTick Tick() {
    DeadlineClock clock(h_.rt(), sender_);
    auto t = clock.Tick();
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : ClockTick{};
  }

  RecordingSender sender_;
};

TEST_P(DeadlineTest, OverdueTaskEscalatesLevelByLevelAcrossTheSpringFestival) {
  auto [case_id, task] = NewCase(1, "赵丽");
  ASSERT_NE(case_id, 0);
  EXPECT_EQ(LocalTime(task.due_at), "2026-02-12T23:59:59.999999+08:00");
  EXPECT_EQ(task.escalate_at, task.due_at);
  EXPECT_EQ(task.escalation_level, 0);

  // Not yet due: nothing happens, nothing is written.
  h_.SetTime("2026-02-12T23:00:00+08:00");
  const std::string before = h_.Fingerprint();
  EXPECT_EQ(Tick().levels_fired, 0);
  EXPECT_EQ(h_.Fingerprint(), before);

  // Level 1 once the due time passed: marked overdue, the street's queue reminded.
  h_.SetTime("2026-02-13T09:00:00+08:00");
  ClockTick t = Tick();
  EXPECT_EQ(t.tasks, 1);
  EXPECT_EQ(t.levels_fired, 1);
  TaskRecord now = h_.ActiveTasks(case_id).at(0);
  EXPECT_EQ(now.escalation_level, 1);
  EXPECT_EQ(LocalTime(now.escalate_at), "2026-02-13T23:59:59.999999+08:00");
  EXPECT_EQ(Notified(h_.store(), {"li.na", "zhang.qiang", "liu.yang"}, task.id, NotificationKind::kOverdue),
            (std::vector<std::string>{"li.na", "zhang.qiang"}));
  EXPECT_EQ(sender_.sent.size(), 2u) << "the sender got the committed notifications";
  EXPECT_EQ(OverdueOnBoard(h_.store(), kXinghaiTown), 1);

  // Idempotent: the same moment again fires nothing.
  const std::string after_first = h_.Fingerprint();
  EXPECT_EQ(Tick().levels_fired, 0);
  EXPECT_EQ(h_.Fingerprint(), after_first);

  // Level 2 after one more working day: the district supervisor hears of it.
  h_.SetTime("2026-02-14T10:00:00+08:00");  // a make-up working Saturday
  EXPECT_EQ(Tick().levels_fired, 1);
  EXPECT_EQ(Notified(h_.store(), {"li.na", "zhang.qiang", "liu.yang", "sun.li"}, task.id,
                     NotificationKind::kEscalation),
            (std::vector<std::string>{"liu.yang"}));
  now = h_.ActiveTasks(case_id).at(0);
  EXPECT_EQ(now.escalation_level, 2);
  EXPECT_EQ(LocalTime(now.escalate_at), "2026-02-24T23:59:59.999999+08:00")
      << "02-14 counts, the Spring Festival does not";

  // During the holiday nothing more happens.
  h_.SetTime("2026-02-23T18:00:00+08:00");
  EXPECT_EQ(Tick().levels_fired, 0);

  // Level 3 after the holiday: the task moves up to the district approvers.
  h_.SetTime("2026-02-25T08:30:00+08:00");
  EXPECT_EQ(Tick().levels_fired, 1);
  now = h_.ActiveTasks(case_id).at(0);
  EXPECT_EQ(now.escalation_level, 3);
  EXPECT_EQ(now.escalate_at, 0) << "no level left";
  EXPECT_EQ(now.org_unit_id, kDawukou);
  EXPECT_EQ(now.role, "district_approver");
  EXPECT_EQ(now.state, TaskState::kOpen);
  EXPECT_EQ(Notified(h_.store(), {"chen.jing"}, task.id, NotificationKind::kReassigned),
            (std::vector<std::string>{"chen.jing"}));
  EXPECT_EQ(OverdueOnBoard(h_.store(), kXinghaiTown), 0);
  EXPECT_EQ(OverdueOnBoard(h_.store(), kDawukou), 1);
  EXPECT_EQ(Tick().levels_fired, 0);

  // The trail names each level once, in order, by the system.
  const auto events = h_.Audit(case_id);
  EXPECT_EQ(Actions(events), (std::vector<std::string>{"discover", "task_overdue", "escalate_to_supervisor",
                                                        "escalate_reassign"}));
  EXPECT_EQ(events[1].actor, kSystemActor);
  const auto moved = nlohmann::json::parse(events[3].payload);
  EXPECT_EQ(moved.at("from_unit"), kXinghaiTown);
  EXPECT_EQ(moved.at("to_unit"), kDawukou);

  // The district approver now works the moved task: accepting the case closes it.
  JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("chen.jing", case_id)));
  for (const auto& t2 : h_.Tasks(case_id)) {
    if (t2.id == task.id) {
      EXPECT_EQ(t2.state, TaskState::kDone);
      EXPECT_EQ(t2.escalate_at, 0);
    }
  }
  EXPECT_EQ(OverdueOnBoard(h_.store(), kDawukou), 0) << "a closed task leaves the board";
}

// 转介 without an answer: the department that stays silent past its policy's feedback
// deadline is marked overdue (its handlers reminded) and then reported to the district
// supervisor, while the department that answered in time never escalates; the case cannot
// go on to monitoring until the silent one answers.
TEST_P(DeadlineTest, SilentDepartmentEscalatesWhileTheOneThatAnsweredDoesNot) {
  auto [case_id, intake] = NewCase(41, "邹兰英");
  ASSERT_NE(case_id, 0);
  JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("li.na", case_id)));
  JZ_ASSERT_OK(h_.Do(AssessCase, EngineHarness::ReliefAssessment(h_.Cmd("li.na", case_id), "邹兰英")));
  JZ_ASSERT_OK(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", case_id), true, "邹兰英", "承诺"}));
  JZ_ASSERT_OK(h_.Do(ApproveCase, h_.Cmd("chen.jing", case_id)));
  JZ_ASSERT_OK(h_.Do(ReferCase, ReferRequest{h_.Cmd("chen.jing", case_id),
                                            {{"canlian", "", {"canlian_nursing_subsidy"}},
                                             {"yibao", "", {"yibao_insurance_subsidy"}}}}));
  TaskRecord canlian, yibao;
  for (const auto& t : h_.ActiveTasks(case_id)) (t.org_unit_id == "640202D07" ? canlian : yibao) = t;
  // 10 working days from Tuesday 02-10: 02-11..02-14 (a make-up Saturday), the Spring
  // Festival off, 02-24..02-28 (another make-up Saturday), 03-02.
  EXPECT_EQ(LocalTime(canlian.due_at), "2026-03-02T23:59:59.999999+08:00");
  EXPECT_EQ(yibao.due_at, canlian.due_at);

  h_.SetTime("2026-02-26T10:00:00+08:00");
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("gao.yan", case_id), "yibao", "provided",
                                                      "代缴医保个人缴费", 380}));
  h_.SetTime("2026-03-03T09:00:00+08:00");
  EXPECT_EQ(Tick().levels_fired, 1);
  EXPECT_EQ(Notified(h_.store(), {"he.ping", "dept.dawukou", "gao.yan", "liu.yang"}, canlian.id,
                     NotificationKind::kOverdue),
            (std::vector<std::string>{"dept.dawukou", "he.ping"}));
  EXPECT_EQ(OverdueOnBoard(h_.store(), "640202D07"), 1);
  EXPECT_EQ(OverdueOnBoard(h_.store(), "640202D01"), 0) << "the answered referral never escalates";
  EXPECT_TRUE(FailsWith(h_.Do(StartMonitoring, h_.Cmd("chen.jing", case_id)),
                        ErrorCode::kFailedPrecondition));

  // Three working days after the due time (03-03..03-05): the district supervisor hears of it.
  h_.SetTime("2026-03-06T09:00:00+08:00");
  EXPECT_EQ(Tick().levels_fired, 1);
  EXPECT_EQ(Notified(h_.store(), {"liu.yang", "sun.li"}, canlian.id, NotificationKind::kEscalation),
            (std::vector<std::string>{"liu.yang"}));
  EXPECT_EQ(Actions(h_.Audit(case_id)).back(), "escalate_to_supervisor");

  // The department answers late; the loop closes.
  JZ_ASSERT_OK(h_.Do(RecordFeedback, FeedbackRequest{h_.Cmd("he.ping", case_id), "canlian", "provided",
                                                      "护理补贴已发放", 1200}));
  EXPECT_EQ(OverdueOnBoard(h_.store(), "640202D07"), 0);
  JZ_ASSERT_OK(h_.Do(StartMonitoring, h_.Cmd("chen.jing", case_id)));
}

// 一季度一访问: households in the relief and monitoring pools get one revisit task per quarter,
// due at the end of the quarter, opened by the scheduler (idempotent, also with a second clock
// on the same database); the visit record closes it and may move the household between
// pools, with reason and actor in the trail. Households in the general pool get none.
TEST_P(DeadlineTest, QuarterlyRevisitsAcrossAYear) {
  auto walk = [&](int n, const std::string& name, Fen wages_per_month, bool approve) -> CaseId {
    auto [id, intake] = NewCase(n, name);
    if (id == 0) return 0;
    EXPECT_TRUE(h_.Do(AcceptCase, h_.Cmd("li.na", id)).ok());
    AssessRequest a = EngineHarness::ReliefAssessment(h_.Cmd("li.na", id), name);
    a.household.members[0].circumstances.clear();
    a.household.income = {{"wages", std::vector<Fen>(12, wages_per_month)}};
    EXPECT_TRUE(h_.Do(AssessCase, a).ok());
    EXPECT_TRUE(h_.Do(PledgeCase, PledgeRequest{h_.Cmd("li.na", id), true, name, "承诺"}).ok());
    if (approve) {
      EXPECT_TRUE(h_.Do(ApproveCase, h_.Cmd("chen.jing", id)).ok());
      EXPECT_TRUE(h_.Do(StartMonitoring, h_.Cmd("chen.jing", id)).ok());
    } else {
      EXPECT_TRUE(h_.Do(RejectCase, ReasonedCommand{h_.Cmd("chen.jing", id), "暂不符合低保条件", 0}).ok());
    }
    return id;
  };
  // Two people: 1,000 a month is 500 each (relief); 1,600 is 800 (monitoring); 3,000 general.
  const CaseId relief = walk(51, "钟桂英", 100000, true);
  const CaseId watched = walk(52, "邱玉兰", 160000, false);
  const CaseId general = walk(53, "骆建华", 300000, false);
  ASSERT_NE(relief, 0);
  ASSERT_NE(watched, 0);
  ASSERT_NE(general, 0);
  ASSERT_EQ(h_.Case(watched)->pool, Pool::kMonitoring);
  ASSERT_EQ(h_.Case(watched)->state, CaseState::kRejected);
  ASSERT_EQ(h_.Case(general)->pool, Pool::kGeneral);

  auto visits = [&](CaseId id) {
    std::vector<std::string> out;
    for (const auto& t : h_.Tasks(id)) {
      if (t.kind == kQuarterlyVisitKind) out.push_back(DescribeTask(t));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto schedule = [&]() {
    DeadlineClock clock(h_.rt(), sender_);
    auto n = clock.ScheduleRevisits();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  };

  // Q1 2026 (the harness starts on 02-10): both watched households, due 03-31.
  EXPECT_EQ(schedule(), 2);
  EXPECT_EQ(visits(relief), (std::vector<std::string>{
                                "quarterly_visit village_officer@640202100001 open due "
                                "2026-03-31T23:59:59.999999+08:00"}));
  EXPECT_EQ(visits(watched).size(), 1u);
  EXPECT_TRUE(visits(general).empty()) << "the general pool gets no quarterly visit";
  EXPECT_EQ(h_.Audit(relief).back().action, "revisit_scheduled");
  EXPECT_EQ(h_.Audit(relief).back().actor, kSchedulerActor);

  // Idempotent: again, and from a second clock (another server process), nothing new.
  const std::string before = h_.Fingerprint();
  EXPECT_EQ(schedule(), 0);
  EXPECT_EQ(schedule(), 0);
  EXPECT_EQ(h_.Fingerprint(), before);

  // The visit: bad records are refused and write nothing.
  h_.SetTime("2026-03-05T15:00:00+08:00");
  const TaskId q1 = [&] {
    for (const auto& t : h_.ActiveTasks(relief)) {
      if (t.kind == kQuarterlyVisitKind) return t.id;
    }
    return TaskId{0};
  }();
  ASSERT_NE(q1, 0);
  auto visit = [&](const std::string& who, const std::string& on, const std::string& findings,
                   std::optional<Pool> pool, const std::string& reason) {
    return h_.Run([&](const EngineContext& c, StoreTxn& txn) {
      return RecordVisit(c, txn, VisitRequest{h_.User(who), q1, std::nullopt, on, findings,
                                              {"photo/2026/03/05/a.jpg", "photo/2026/03/05/b.jpg"},
                                              pool, reason});
    });
  };
  const std::string unvisited = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(visit("wang.hua", "2026-03-06", "正常", std::nullopt, ""),
                        ErrorCode::kInvalidArgument, {"future"}, "visited_on"));
  EXPECT_TRUE(FailsWith(visit("wang.hua", "2026-03-05", "  ", std::nullopt, ""),
                        ErrorCode::kInvalidArgument, {}, "findings"));
  EXPECT_TRUE(FailsWith(visit("wang.hua", "2026-03-05", "已就业", Pool::kMonitoring, ""),
                        ErrorCode::kInvalidArgument, {"reason"}, "reason"));
  EXPECT_TRUE(FailsWith(visit("li.na", "2026-03-05", "已就业", std::nullopt, ""), ErrorCode::kNotFound));
  EXPECT_EQ(h_.Fingerprint(), unvisited);

  // The spouse found work: the household moves to the monitoring pool, with the reason.
  JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out,
                          visit("wang.hua", "2026-03-05", "配偶已在园区就业，月收入约 2500 元",
                                Pool::kMonitoring, "家庭收入增加，转入监测库"));
  EXPECT_EQ(out.case_after.pool, Pool::kMonitoring);
  const AuditEventRecord moved = h_.Audit(relief).back();
  EXPECT_EQ(moved.action, "record_visit");
  EXPECT_EQ(moved.actor, "wang.hua");
  const auto payload = nlohmann::json::parse(moved.payload);
  EXPECT_EQ(payload["pool_from"], "relief");
  EXPECT_EQ(payload["pool"], "monitoring");
  EXPECT_EQ(payload["reason"], "家庭收入增加，转入监测库");
  EXPECT_EQ(payload["photos"].size(), 2u);
  EXPECT_TRUE(FailsWith(visit("wang.hua", "2026-03-05", "再次", std::nullopt, ""),
                        ErrorCode::kFailedPrecondition));

  // The rest of the year: one new visit per household at the start of each quarter, due at
  // its end; mid-quarter runs open nothing.
  for (const auto& [start, mid] : std::vector<std::pair<std::string, std::string>>{
           {"2026-04-01T08:00:00+08:00", "2026-05-20T08:00:00+08:00"},
           {"2026-07-01T08:00:00+08:00", "2026-08-20T08:00:00+08:00"},
           {"2026-10-01T08:00:00+08:00", "2026-11-20T08:00:00+08:00"},
           {"2027-01-04T08:00:00+08:00", "2027-02-20T08:00:00+08:00"}}) {
    h_.SetTime(start);
    EXPECT_EQ(schedule(), 2) << start;
    h_.SetTime(mid);
    EXPECT_EQ(schedule(), 0) << mid;
  }
  std::vector<std::string> dues;
  for (const auto& line : visits(watched)) dues.push_back(line.substr(line.find(" due ") + 5));
  EXPECT_EQ(dues, (std::vector<std::string>{"2026-03-31T23:59:59.999999+08:00",
                                            "2026-06-30T23:59:59.999999+08:00",
                                            "2026-09-30T23:59:59.999999+08:00",
                                            "2026-12-31T23:59:59.999999+08:00",
                                            "2027-03-31T23:59:59.999999+08:00"}));
  EXPECT_EQ(visits(relief).size(), 5u);
  EXPECT_TRUE(visits(general).empty());
}

TEST_P(DeadlineTest, TaskClosedInTimeNeverEscalates) {
  auto [case_id, task] = NewCase(2, "钱伟");
  ASSERT_NE(case_id, 0);
  JZ_ASSERT_OK(h_.Do(AcceptCase, h_.Cmd("li.na", case_id)));  // the intake task is done
  const TaskRecord assess = h_.ActiveTasks(case_id).at(0);
  h_.SetTime("2026-02-13T09:00:00+08:00");
  const ClockTick t = Tick();
  EXPECT_EQ(t.levels_fired, 0) << "the assessment task is not due yet (5 working days)";
  for (const auto& t2 : h_.Tasks(case_id)) EXPECT_EQ(t2.escalation_level, 0) << DescribeTask(t2);
  auto next = h_.store().NextEscalationAt();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ(**next, assess.due_at) << "only the open task is on the clock";
}

TEST_P(DeadlineTest, ManyTasksDueAtOnceAreAllMarkedInBatches) {
  std::vector<CaseId> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(NewCase(100 + i, "孙" + std::to_string(i)).first);
  h_.SetTime("2026-02-13T09:00:00+08:00");
  LogNotificationSender log;
  DeadlineClockOptions o;
  o.batch = 7;
  DeadlineClock clock(h_.rt(), sender_, o);
  auto t = clock.Tick();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->tasks, 30);
  EXPECT_EQ(t->levels_fired, 30);
  EXPECT_EQ(t->batches, 5);
  EXPECT_EQ(OverdueOnBoard(h_.store(), kXinghaiTown), 30);
  for (CaseId id : ids) EXPECT_EQ(h_.ActiveTasks(id).at(0).escalation_level, 1);
}

TEST_P(DeadlineTest, SupervisorReassignsAndRemindsWithinTheirSubtreeOnly) {
  auto [case_id, task] = NewCase(3, "李强");
  ASSERT_NE(case_id, 0);
  auto people = h_.store().ListUsers();
  ASSERT_TRUE(people.ok());
  const PeopleIndex index(*people);
  const EscalationPolicy& policy = h_.rt().escalation();

  // liu.yang (district supervisor of 大武口区) gives the task to zhang.qiang.
  ReassignRequest r{h_.User("liu.yang"), task.id, "zhang.qiang", "李娜休假"};
  auto out = h_.Run([&](const EngineContext& ctx, StoreTxn& txn) { return ReassignTask(ctx, policy, index, txn, r); });
  JZ_ASSERT_OK(out);
  const TaskRecord now = h_.ActiveTasks(case_id).at(0);
  EXPECT_EQ(now.state, TaskState::kClaimed);
  EXPECT_EQ(now.claimed_by, "zhang.qiang");
  EXPECT_EQ(Notified(h_.store(), {"zhang.qiang"}, task.id, NotificationKind::kReassigned),
            (std::vector<std::string>{"zhang.qiang"}));
  EXPECT_EQ(h_.Audit(case_id).back().action, "reassign_task");
  EXPECT_EQ(out->notifications.size(), 1u);

  // Not to someone without the role there.
  ReassignRequest bad{h_.User("liu.yang"), task.id, "chen.jing", ""};
  const std::string before = h_.Fingerprint();
  EXPECT_TRUE(FailsWith(h_.Run([&](const EngineContext& ctx, StoreTxn& txn) {
                          return ReassignTask(ctx, policy, index, txn, bad);
                        }),
                        ErrorCode::kInvalidArgument, {"chen.jing"}, "to_user"));
  // A street reviewer is no supervisor, and a supervisor of another district sees nothing.
  ReassignRequest not_sup{h_.User("li.na"), task.id, "zhang.qiang", ""};
  EXPECT_TRUE(FailsWith(h_.Run([&](const EngineContext& ctx, StoreTxn& txn) {
                          return ReassignTask(ctx, policy, index, txn, not_sup);
                        }),
                        ErrorCode::kNotFound));
  EXPECT_EQ(h_.Fingerprint(), before) << "refused commands write nothing";

  // A reminder reaches the assignee.
  RemindRequest remind{h_.User("liu.yang"), task.id, "请今天办结"};
  auto reminded = h_.rt().executor().Run<RemindOutcome>(
      [&](StoreTxn& txn) { return RemindTask(h_.ctx(), policy, index, txn, remind); });
  JZ_ASSERT_OK(reminded);
  ASSERT_EQ(reminded->notifications.size(), 1u);
  EXPECT_EQ(reminded->notifications[0].username, "zhang.qiang");
  EXPECT_EQ(reminded->notifications[0].body, "请今天办结");
  EXPECT_EQ(h_.Audit(case_id).back().action, "remind_task");
}

TEST_P(DeadlineTest, CalendarChangeRecomputesDeadlinesNotYetPassedAndSaysWhy) {
  auto [case_id, task] = NewCase(4, "周敏");
  ASSERT_NE(case_id, 0);
  h_.Do(ClaimTask, h_.TaskCmd("li.na", task.id));
  // A new calendar in which 2026-02-12 became a holiday: the task's 2 working days now end on 02-13.
  TempDir dir;
  const std::string cal_dir = dir.File("calendars");
  std::filesystem::create_directories(cal_dir);
  for (const auto& e : std::filesystem::directory_iterator(DefaultWorkflowsDir() + "/calendars")) {
    std::filesystem::copy_file(e.path(), cal_dir + "/" + e.path().filename().string());
  }
  {
    std::ifstream in(cal_dir + "/cn-2026.json");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json cal = nlohmann::json::parse(ss.str());
    cal["holidays"].push_back({{"name", "测试假日"}, {"days", {"2026-02-12"}}});
    std::ofstream out(cal_dir + "/cn-2026.json");
    out << cal.dump(2);
  }
  auto changed_calendar = WorkingCalendar::LoadDirectory(cal_dir);
  ASSERT_TRUE(changed_calendar.ok()) << changed_calendar.status().ToString();
  EngineContext ctx = h_.ctx();
  ctx.calendar = &*changed_calendar;
  const std::string reason = "2026年节假日安排调整";
  auto run = h_.rt().executor().Run<RecomputeRun>([&](StoreTxn& txn) {
    return RecomputeDeadlines(ctx, txn, reason, 0, 100);
  });
  JZ_ASSERT_OK(run);
  EXPECT_EQ(run->changed, 1);
  EXPECT_EQ(run->last_id, 0) << "all done in one batch";
  const TaskRecord now = h_.ActiveTasks(case_id).at(0);
  EXPECT_EQ(LocalTime(now.due_at), "2026-02-13T23:59:59.999999+08:00");
  EXPECT_EQ(now.escalate_at, now.due_at);
  const AuditEventRecord ev = h_.Audit(case_id).back();
  EXPECT_EQ(ev.action, "deadline_recomputed");
  const auto payload = nlohmann::json::parse(ev.payload);
  EXPECT_EQ(payload.at("reason"), reason);
  EXPECT_EQ(payload.at("old_due"), FormatUtc(task.due_at));
  ASSERT_EQ(run->notifications.size(), 1u);
  EXPECT_EQ(run->notifications[0].username, "li.na");
  EXPECT_EQ(run->notifications[0].kind, NotificationKind::kDeadlineChanged);

  // Once passed, a deadline is history: a second change leaves it alone.
  h_.SetTime("2026-02-14T09:00:00+08:00");
  auto again = h_.rt().executor().Run<RecomputeRun>([&](StoreTxn& txn) {
    return RecomputeDeadlines(h_.ctx(), txn, reason, 0, 100);
  });
  JZ_ASSERT_OK(again);
  EXPECT_EQ(again->changed, 0);

  // The service: the first run records the fingerprint; an unchanged calendar recomputes nothing.
  DeadlineClock clock(h_.rt(), sender_);
  auto first = clock.ApplyCalendarChange();
  JZ_ASSERT_OK(first);
  EXPECT_EQ(*first, 0);
  auto stored = h_.store().GetSetting("calendar_fingerprint");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, h_.rt().calendar_fingerprint());
}

TEST_P(DeadlineTest, OverdueHistoryIsRecordedOncePerDayAndFilledFromTheTaskHistory) {
  NewCase(5, "吴芳");
  h_.SetTime("2026-03-20T09:00:00+08:00");
  Tick();
  DeadlineClock clock(h_.rt(), sender_);
  JZ_ASSERT_OK(clock.RecordOverdueHistory(8));
  auto rows = h_.store().ListOverdueHistory("2026-01-01", "2026-12-31");
  ASSERT_TRUE(rows.ok());
  std::map<std::string, std::int64_t> district;
  std::set<std::string> days;
  for (const auto& r : *rows) {
    days.insert(r.day);
    if (r.org_unit_id == kDawukou) district[r.day] = r.overdue;
  }
  EXPECT_EQ(days.size(), 9u) << "today and eight week ends";
  // Every level fired on 03-20, the last moved the task up to the district.
  EXPECT_EQ(district["2026-03-20"], 1);
  EXPECT_EQ(district["2026-03-13"], 1) << "overdue since 02-12";
  EXPECT_EQ(district.count("2026-01-23"), 0u) << "before the case existed";
  // Recording again the same day changes nothing.
  const std::string before = h_.Fingerprint();
  JZ_ASSERT_OK(clock.RecordOverdueHistory(8));
  auto again = h_.store().ListOverdueHistory("2026-01-01", "2026-12-31");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), rows->size());
}

INSTANTIATE_TEST_SUITE_P(Backends, DeadlineTest, ::testing::Values("sqlite", "mariadb"), BackendName);

// --- two processes, one MariaDB database ------------------------------------------------------

pid_t Spawn(const std::vector<std::string>& args, const std::string& out_path) {
  std::vector<std::string> argv_s = {JIUZHU_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(rc);
    return -1;
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  if (pid <= 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(DeadlineProcesses, TwoProcessesOnOneMariaDbFireEveryLevelExactlyOnce) {
  auto url = FreshMariaDbDatabase();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  TempDir dir;
  const std::string secret_file = dir.File("secret");
  {
    std::ofstream(secret_file) << "deadline-test-secret-0123456789abcdef";
  }
  constexpr int kCases = 120;
  std::vector<CaseId> ids;
  {
    ManualClock clock(HarnessStart());
    RuntimeOptions o;
    o.db_url = *url;
    o.secret = "deadline-test-secret-0123456789abcdef";
    o.clock = &clock;
    auto rt = Runtime::Open(o);
    ASSERT_TRUE(rt.ok()) << rt.status().ToString();
    JZ_ASSERT_OK((*rt)->Migrate());
    const std::string org = DefaultWorkflowsDir() + "/org/";
    JZ_ASSERT_OK((*rt)->ImportOrg(org + "demo-org.json", org + "demo-users.json"));
    auto wang = (*rt)->User("wang.hua");
    ASSERT_TRUE(wang.ok());
    for (int i = 0; i < kCases; ++i) {
      DiscoverRequest d{*wang, "dibao", EngineHarness::ValidId(2000 + i), "郑" + std::to_string(i),
                        "640202100001", "village_officer", ""};
      auto out = (*rt)->executor().Run<CommandOutcome>(
          [&](StoreTxn& txn) { return DiscoverCase((*rt)->ctx(), txn, d); });
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      ids.push_back(out->case_after.id);
    }
  }
  // Every level of every intake task is due on 03-10; both processes fire at once, in small batches.
  const std::vector<std::string> args = {"--db", *url, "--secret-file", secret_file, "deadlines", "tick",
                                         "--now", "2026-03-10T09:00:00+08:00", "--batch", "10"};
  const pid_t a = Spawn(args, dir.File("a.txt"));
  const pid_t b = Spawn(args, dir.File("b.txt"));
  const int rc_a = Wait(a), rc_b = Wait(b);
  auto slurp = [&](const std::string& f) {
    std::ifstream in(dir.File(f));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  ASSERT_EQ(rc_a, 0) << slurp("a.txt");
  ASSERT_EQ(rc_b, 0) << slurp("b.txt");

  ManualClock clock(At("2026-03-10T09:00:00+08:00"));
  RuntimeOptions o;
  o.db_url = *url;
  o.secret = "deadline-test-secret-0123456789abcdef";
  o.clock = &clock;
  auto rt = Runtime::Open(o);
  ASSERT_TRUE(rt.ok());
  std::map<std::string, int> fired;
  for (CaseId id : ids) {
    auto events = (*rt)->store().ListAuditEvents(id);
    ASSERT_TRUE(events.ok());
    std::map<std::string, int> per_case;
    for (const auto& e : *events) ++per_case[e.action];
    EXPECT_EQ(per_case["task_overdue"], 1) << "case " << id;
    EXPECT_EQ(per_case["escalate_to_supervisor"], 1) << "case " << id;
    EXPECT_EQ(per_case["escalate_reassign"], 1) << "case " << id;
    EXPECT_EQ(events->size(), 4u) << "case " << id;
    auto tasks = (*rt)->store().ListTasksForCase(id);
    ASSERT_TRUE(tasks.ok() && tasks->size() == 1u);
    EXPECT_EQ((*tasks)[0].escalation_level, 3);
    EXPECT_EQ((*tasks)[0].org_unit_id, kDawukou);
  }
  // Each person got each notification once: li.na and zhang.qiang one overdue note per task,
  // liu.yang one escalation per task, chen.jing one reassignment per task.
  for (const auto& [user, kind] : std::vector<std::pair<std::string, NotificationKind>>{
           {"li.na", NotificationKind::kOverdue}, {"zhang.qiang", NotificationKind::kOverdue},
           {"liu.yang", NotificationKind::kEscalation}, {"chen.jing", NotificationKind::kReassigned}}) {
    auto list = (*rt)->store().ListNotifications(user, false, 0, 1000);
    ASSERT_TRUE(list.ok());
    std::map<TaskId, int> per_task;
    for (const auto& n : *list) {
      if (n.kind == kind) ++per_task[n.task_id];
    }
    EXPECT_EQ(static_cast<int>(per_task.size()), kCases) << user;
    for (const auto& [task, count] : per_task) EXPECT_EQ(count, 1) << user << " task " << task;
  }
  // Both processes did work (small batches, SKIP LOCKED): neither waited for the other to finish.
  const std::string out_a = slurp("a.txt"), out_b = slurp("b.txt");
  EXPECT_NE(out_a.find("deadlines tick:"), std::string::npos) << out_a;
  EXPECT_NE(out_b.find("deadlines tick:"), std::string::npos) << out_b;
}

}  // namespace
}  // namespace jiuzhu::testing
