// Many threads driving the engine at once through the group-commit executor, on each backend
// (SQLite: one writer; MariaDB: several writers in parallel transactions). After the storm
// every case must be exactly what its accepted commands made it: version == 1 + accepted,
// audit head == version, every chain verifies, every task in a possible state, and the
// claim/release trail of every task consistent. Plus the two classic races: one task claimed
// by many at once, one person reported by many at once.
//
// No sleeps: threads start together at a barrier; the ManualClock moves by one second per
// command.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/access/access_policy.hpp"
#include "engine/usecases/case_commands.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu::testing {
namespace {

constexpr int kThreads = 8;

// Lets `n` threads start at the same moment.
class StartLine {
 public:
  explicit StartLine(int n) : waiting_(n) {}
  void ArriveAndWait() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_ == 0) {
      cv_.notify_all();
    } else {
      cv_.wait(lock, [this] { return waiting_ == 0; });
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_;
};

// Messages from worker threads, reported on the test's thread.
class Problems {
 public:
  void Add(std::string p) {
    std::lock_guard<std::mutex> lock(mu_);
    if (list_.size() < 50) list_.push_back(std::move(p));
    ++count_;
  }
  void Report() {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& p : list_) ADD_FAILURE() << p;
    if (count_ > static_cast<int>(list_.size())) {
      ADD_FAILURE() << (count_ - list_.size()) << " more problem(s) not shown";
    }
  }

 private:
  std::mutex mu_;
  std::vector<std::string> list_;
  int count_ = 0;
};

class ConcurrencyTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!h_.ready()) return;
    for (const char* name : {"wang.hua", "ma.xiu", "li.na", "zhang.qiang", "chen.jing",
                             "he.ping", "gao.yan", "dept.dawukou"}) {
      users_[name] = h_.User(name);
    }
  }

  // Users of users_ holding `role` at exactly `unit`.
  std::vector<std::string> Eligible(const std::string& role, const std::string& unit) const {
    std::vector<std::string> out;
    for (const auto& [name, u] : users_) {
      if (BindingFor(u, role, unit)) out.push_back(name);
    }
    return out;
  }

  std::map<std::string, UserRecord> users_;  // read-only once SetUp returned
};

// ---------------------------------------------------------------------------
// The storm.

struct CaseInfo {
  CaseId id = 0;
  std::string id_number;
  std::string name;
  std::string village;
};

// One command a worker decided to issue, from a committed snapshot of the case.
struct Plan {
  std::string what;
  std::function<Result<CommandOutcome>(const EngineContext&, StoreTxn&)> run;
  bool stale = false;     // expected_version deliberately one behind: must be kConflict
  bool writes = true;     // false: a repeated discovery (existing = true)
  std::set<ErrorCode> allowed;  // refusals a race can explain
};

TEST_P(ConcurrencyTest, ManyThreadsManyCommandsKeepEveryCaseConsistent) {
  // Four households, two villages of 星海镇.
  std::vector<CaseInfo> cases = {
      {0, EngineHarness::ValidId(101), "陈秀英", "640202100001"},
      {0, EngineHarness::ValidId(102), "杨建国", "640202100001"},
      {0, EngineHarness::ValidId(103), "黄玉兰", "640202100002"},
      {0, EngineHarness::ValidId(104), "周志强", "640202100002"},
  };
  for (auto& c : cases) {
    const std::string officer = c.village == "640202100001" ? "wang.hua" : "ma.xiu";
    JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out, h_.Discover(officer, c.id_number, c.name, c.village));
    c.id = out.case_after.id;
  }
  std::vector<std::atomic<int>> accepted(cases.size());
  std::vector<std::atomic<int>> conflicts(cases.size());
  for (auto& a : accepted) a = 0;
  for (auto& a : conflicts) a = 0;
  Problems problems;
  const int per_thread = 150;

  auto plan_for = [&](std::mt19937& rng, const CaseInfo& info, const CaseRecord& c,
                      const std::vector<TaskRecord>& active,
                      const std::vector<ReferralRecord>& referrals) -> Plan {
    auto pick = [&](const std::vector<std::string>& from) {
      return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
    };
    auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
    Plan p;

    // A repeated report of the household: shows the open case, writes nothing.
    if (chance(5)) {
      DiscoverRequest d;
      d.actor = users_.at(pick({"li.na", "zhang.qiang"}));
      d.programme = "dibao";
      d.id_number = info.id_number;
      d.applicant_name = info.name;
      d.village_id = info.village;
      p.what = "discover again by " + d.actor.username;
      p.writes = false;
      p.run = [d](const EngineContext& ctx, StoreTxn& txn) { return DiscoverCase(ctx, txn, d); };
      return p;
    }

    // Claim or release one of the active tasks.
    if (!active.empty() && chance(35)) {
      const TaskRecord& t = active[std::uniform_int_distribution<size_t>(0, active.size() - 1)(rng)];
      const std::string who = pick(Eligible(t.role, t.org_unit_id));
      TaskCommand tc{users_.at(who), t.id};
      const bool release = t.state == TaskState::kClaimed && t.claimed_by == who;
      p.what = (release ? "release " : "claim ") + t.kind + " by " + who;
      // Claimed or released by someone else since the snapshot, or closed meanwhile.
      p.allowed = {ErrorCode::kConflict, ErrorCode::kFailedPrecondition};
      if (release) {
        p.run = [tc](const EngineContext& ctx, StoreTxn& txn) { return ReleaseTask(ctx, txn, tc); };
      } else {
        p.run = [tc](const EngineContext& ctx, StoreTxn& txn) { return ClaimTask(ctx, txn, tc); };
      }
      return p;
    }

    // The lifecycle step the case's state calls for, by someone allowed to take it: the
    // claimant of the stage's task when it is claimed.
    p.stale = chance(20);
    auto cmd = [&](const std::vector<std::string>& candidates, const std::string& task_kind) {
      std::string who = pick(candidates);
      for (const auto& t : active) {
        if (t.kind == task_kind && t.state == TaskState::kClaimed) who = t.claimed_by;
      }
      CaseCommand cc;
      cc.actor = users_.at(who);
      cc.case_id = c.id;
      cc.expected_version = p.stale ? c.version - 1 : c.version;
      return cc;
    };
    // With the exact version the snapshot is the state the command meets, so the only
    // refusal a race explains is the version check.
    p.allowed = {ErrorCode::kConflict};
    const std::string officer = c.village_id == "640202100001" ? "wang.hua" : "ma.xiu";
    const std::vector<std::string> reviewers = {"li.na", "zhang.qiang"};
    switch (c.state) {
      case CaseState::kDiscover: {
        CaseCommand cc = cmd(reviewers, "intake");
        p.run = [cc](const EngineContext& ctx, StoreTxn& txn) { return AcceptCase(ctx, txn, cc); };
        break;
      }
      case CaseState::kAssess: {
        AssessRequest a = EngineHarness::ReliefAssessment(cmd(reviewers, "home_visit_assessment"),
                                                          info.name);
        p.run = [a](const EngineContext& ctx, StoreTxn& txn) { return AssessCase(ctx, txn, a); };
        break;
      }
      case CaseState::kCommit: {
        CaseCommand cc = cmd(reviewers, "pledge_or_route");
        if (chance(50)) {
          PledgeRequest pr{cc, true, info.name, "本人承诺申报信息真实"};
          p.run = [pr](const EngineContext& ctx, StoreTxn& txn) { return PledgeCase(ctx, txn, pr); };
        } else {
          p.run = [cc](const EngineContext& ctx, StoreTxn& txn) {
            return ChooseOrdinaryRoute(ctx, txn, cc);
          };
        }
        break;
      }
      case CaseState::kReview: {
        ReviewRequest r{cmd({officer}, "democratic_review"), 6, 1};
        p.run = [r](const EngineContext& ctx, StoreTxn& txn) { return CompleteReview(ctx, txn, r); };
        break;
      }
      case CaseState::kApprove: {
        CaseCommand cc = cmd({"chen.jing"}, "approval");
        p.run = [cc](const EngineContext& ctx, StoreTxn& txn) { return ApproveCase(ctx, txn, cc); };
        break;
      }
      case CaseState::kRefer: {
        CaseCommand cc = cmd({"chen.jing"}, "dispatch_referrals");
        if (chance(20)) {
          p.run = [cc](const EngineContext& ctx, StoreTxn& txn) {
            return StartMonitoring(ctx, txn, cc);
          };
        } else {
          ReferRequest rr{cc, {{"canlian", "残疾人两项补贴"}, {"yibao", "医疗救助"}}};
          p.run = [rr](const EngineContext& ctx, StoreTxn& txn) { return ReferCase(ctx, txn, rr); };
        }
        break;
      }
      case CaseState::kFeedback: {
        std::vector<const ReferralRecord*> pending;
        for (const auto& r : referrals) {
          if (r.status == ReferralStatus::kPending) pending.push_back(&r);
        }
        if (pending.empty()) {
          CaseCommand cc = cmd({"chen.jing"}, "-");
          p.run = [cc](const EngineContext& ctx, StoreTxn& txn) {
            return StartMonitoring(ctx, txn, cc);
          };
          break;
        }
        const ReferralRecord& r =
            *pending[std::uniform_int_distribution<size_t>(0, pending.size() - 1)(rng)];
        CaseCommand cc = cmd(Eligible("department_handler", r.department_unit_id), "-");
        for (const auto& t : active) {
          if (t.referral_id == r.id && t.state == TaskState::kClaimed) cc.actor = users_.at(t.claimed_by);
        }
        FeedbackRequest f{cc, r.department_code, "provided", "已落实帮扶", 100};
        p.run = [f](const EngineContext& ctx, StoreTxn& txn) { return RecordFeedback(ctx, txn, f); };
        break;
      }
      case CaseState::kMonitor: {
        // The revisit task is the village officer's: a reviewer's reassessment cancels it.
        CaseCommand cc = cmd(reviewers, "-");
        ReasonedCommand rc{cc, "季度走访发现家庭收入变化", 0};
        p.run = [rc](const EngineContext& ctx, StoreTxn& txn) { return ReassessCase(ctx, txn, rc); };
        break;
      }
      default:
        p.run = nullptr;
    }
    p.what = std::string(CaseStateName(c.state)) + " step" + (p.stale ? " (stale)" : "");
    return p;
  };

  StartLine start(kThreads);
  auto worker = [&](int index) {
    std::mt19937 rng(20260210u + static_cast<unsigned>(index));
    start.ArriveAndWait();
    for (int i = 0; i < per_thread; ++i) {
      h_.clock().Advance(kMicrosPerSecond);
      const size_t k = std::uniform_int_distribution<size_t>(0, cases.size() - 1)(rng);
      const CaseInfo& info = cases[k];
      auto c = h_.store().GetCase(info.id);
      auto tasks = h_.store().ListTasksForCase(info.id);
      auto referrals = h_.store().ListReferralsForCase(info.id);
      if (!c.ok() || !c->has_value() || !tasks.ok() || !referrals.ok()) {
        problems.Add("snapshot of case " + std::to_string(info.id) + " failed");
        continue;
      }
      std::vector<TaskRecord> active;
      for (const auto& t : *tasks) {
        if (t.state == TaskState::kOpen || t.state == TaskState::kClaimed) active.push_back(t);
      }
      Plan p = plan_for(rng, info, **c, active, *referrals);
      if (!p.run) {
        problems.Add("no step for state " + std::string(CaseStateName((*c)->state)));
        continue;
      }
      Result<CommandOutcome> r = h_.Run(p.run);
      const std::string where = "thread " + std::to_string(index) + ", case " +
                                std::to_string(info.id) + " v" + std::to_string((*c)->version) +
                                ", " + p.what + ": ";
      if (r.ok()) {
        if (p.stale) {
          problems.Add(where + "a stale expected_version was accepted");
        } else if (!p.writes) {
          if (!r->existing || r->case_after.id != info.id) {
            problems.Add(where + "a repeated report did not return the open case");
          }
        } else {
          ++accepted[k];
        }
        continue;
      }
      const ErrorCode code = r.status().code();
      if (code == ErrorCode::kConflict) ++conflicts[k];
      if (p.stale ? code != ErrorCode::kConflict : !p.allowed.count(code)) {
        problems.Add(where + "unexpected " + r.status().ToString());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  problems.Report();

  int total_accepted = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    SCOPED_TRACE("case " + std::to_string(cases[k].id));
    total_accepted += accepted[k];
    auto c = h_.Case(cases[k].id);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->version, 1 + accepted[k].load());
    EXPECT_EQ(c->audit_head_seq, c->version);
    const auto events = h_.Audit(c->id);
    EXPECT_EQ(static_cast<std::int64_t>(events.size()), c->version);

    // Every task in a possible state, and the claim trail of each task consistent.
    const auto tasks = h_.Tasks(c->id);
    const auto referrals = h_.Referrals(c->id);
    std::map<TaskId, std::string> holder;  // from the audit trail
    Micros last_at = 0;
    for (const auto& e : events) {
      const auto payload = nlohmann::json::parse(e.payload);
      EXPECT_EQ(payload.at("version").get<std::int64_t>(), e.seq) << e.payload;
      EXPECT_LE(last_at, e.at) << "event " << e.seq << " is older than the one before it";
      last_at = e.at;
      if (e.action == "claim_task") {
        const TaskId t = payload.at("task").get<TaskId>();
        EXPECT_EQ(holder.count(t), 0u) << "task " << t << " claimed twice, at event " << e.seq;
        holder[t] = e.actor;
      } else if (e.action == "release_task") {
        const TaskId t = payload.at("task").get<TaskId>();
        EXPECT_EQ(holder[t], e.actor) << "task " << t << " released by a non-holder, event " << e.seq;
        holder.erase(t);
      }
      // A task closed while held stays in `holder`: it can never be claimed again.
    }
    int active = 0;
    for (const auto& t : tasks) {
      SCOPED_TRACE(DescribeTask(t));
      switch (t.state) {
        case TaskState::kOpen:
          ++active;
          EXPECT_EQ(t.claimed_by, "");
          EXPECT_EQ(t.claimed_at, 0);
          EXPECT_EQ(t.completed_at, 0);
          EXPECT_EQ(holder.count(t.id), 0u);
          break;
        case TaskState::kClaimed:
          ++active;
          EXPECT_NE(t.claimed_by, "");
          EXPECT_NE(t.claimed_at, 0);
          EXPECT_EQ(t.completed_at, 0);
          EXPECT_FALSE(Eligible(t.role, t.org_unit_id).empty());
          EXPECT_TRUE(BindingFor(users_.at(t.claimed_by), t.role, t.org_unit_id).has_value());
          EXPECT_EQ(holder[t.id], t.claimed_by);
          break;
        case TaskState::kDone:
          EXPECT_NE(t.claimed_by, "");
          EXPECT_NE(t.completed_at, 0);
          EXPECT_EQ(t.outcome.rfind("cancelled", 0), std::string::npos);
          break;
        case TaskState::kCancelled:
          EXPECT_NE(t.completed_at, 0);
          EXPECT_EQ(t.outcome.rfind("cancelled: ", 0), 0u);
          break;
      }
    }
    // The active tasks are exactly what the state calls for.
    if (c->state == CaseState::kFeedback) {
      std::set<ReferralId> pending, with_task;
      for (const auto& r : referrals) {
        if (r.status == ReferralStatus::kPending) pending.insert(r.id);
      }
      for (const auto& t : tasks) {
        if (t.state == TaskState::kOpen || t.state == TaskState::kClaimed) {
          EXPECT_EQ(t.stage, CaseState::kFeedback);
          with_task.insert(t.referral_id);
        }
      }
      EXPECT_EQ(with_task, pending);
      EXPECT_EQ(active, static_cast<int>(pending.size()));
    } else {
      EXPECT_EQ(active, 1) << "state " << CaseStateName(c->state);
      for (const auto& t : tasks) {
        if (t.state == TaskState::kOpen || t.state == TaskState::kClaimed) {
          EXPECT_EQ(CaseStateName(t.stage), std::string(CaseStateName(c->state)));
        }
      }
    }
  }
  // The inbox totals (queue counters kept by the store in each batch) equal a direct count of
  // the active tasks in every queue, after all the claims, releases, reruns and rollbacks.
  std::map<std::pair<std::string, std::string>, std::int64_t> active_per_queue;
  for (const auto& k : cases) {
    for (const auto& t : h_.Tasks(k.id)) {
      if (t.state == TaskState::kOpen || t.state == TaskState::kClaimed) {
        ++active_per_queue[{t.org_unit_id, t.role}];
      }
    }
  }
  for (const auto& [queue, want] : active_per_queue) {
    InboxQuery q;
    q.roles = {{queue.second, queue.first}};
    q.username = "nobody";
    auto page = h_.rt().store().ListInbox(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(page->total, want) << queue.second << "@" << queue.first;
  }
  EXPECT_TRUE(h_.VerifyAllChains());
  // The storm did real work on every case, and the races were real.
  int total_conflicts = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    EXPECT_GT(accepted[k].load(), 20) << "case " << cases[k].id;
    total_conflicts += conflicts[k];
  }
  EXPECT_GT(total_conflicts, 0);
  const ExecutorStats stats = h_.rt().executor().stats();
  std::cout << "[ storm    ] " << GetParam() << ": " << total_accepted << " accepted, "
            << total_conflicts << " conflicts, " << stats.transactions << " transactions, "
            << stats.retried_batches << " retried batches\n";
}

// ---------------------------------------------------------------------------
// Races on one thing.

TEST_P(ConcurrencyTest, ConcurrentClaimsOfOneTaskHaveExactlyOneWinner) {
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    JZ_ASSERT_OK_AND_ASSIGN(CommandOutcome out,
                            h_.Discover("wang.hua", EngineHarness::ValidId(200 + round), "孙秀兰"));
    const CaseId id = out.case_after.id;
    ASSERT_EQ(out.opened_tasks.size(), 1u);
    const TaskId intake = out.opened_tasks[0].id;

    StartLine start(kThreads);
    std::vector<Status> results(kThreads);
    std::vector<std::string> who(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      who[i] = i % 2 == 0 ? "li.na" : "zhang.qiang";
      threads.emplace_back([&, i] {
        TaskCommand tc{users_.at(who[i]), intake};
        start.ArriveAndWait();
        results[i] = h_.Run([&](const EngineContext& ctx, StoreTxn& txn) {
                         return ClaimTask(ctx, txn, tc);
                       }).status();
      });
    }
    for (auto& t : threads) t.join();

    std::string winner;
    int wins = 0;
    for (int i = 0; i < kThreads; ++i) {
      if (results[i].ok()) {
        ++wins;
        winner = who[i];
      } else {
        EXPECT_EQ(results[i].code(), ErrorCode::kConflict) << results[i].ToString();
        EXPECT_NE(results[i].message().find("already claimed by"), std::string::npos)
            << results[i].ToString();
      }
    }
    EXPECT_EQ(wins, 1);
    auto active = h_.ActiveTasks(id);
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0].state, TaskState::kClaimed);
    EXPECT_EQ(active[0].claimed_by, winner);
    EXPECT_EQ(h_.Case(id)->version, 2);
    const auto events = h_.Audit(id);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].action, "claim_task");
    EXPECT_EQ(events[1].actor, winner);
  }
}

TEST_P(ConcurrencyTest, ConcurrentReportsOfOnePersonMakeExactlyOneCase) {
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string id_number = EngineHarness::ValidId(300 + round);
    StartLine start(kThreads);
    std::vector<Result<CommandOutcome>> results(kThreads, Result<CommandOutcome>(Internal("not run")));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        DiscoverRequest d;
        d.actor = users_.at(i % 2 == 0 ? "wang.hua" : "li.na");
        d.programme = "dibao";
        d.id_number = id_number;
        d.applicant_name = "钱玉兰";
        d.village_id = "640202100001";
        start.ArriveAndWait();
        results[i] = h_.Run([&](const EngineContext& ctx, StoreTxn& txn) {
          return DiscoverCase(ctx, txn, d);
        });
      });
    }
    for (auto& t : threads) t.join();

    CaseQuery q;
    q.id_hash = h_.rt().ids().DedupHash(id_number);
    auto cases = h_.store().ListCases(q);
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    ASSERT_EQ(cases->size(), 1u);
    const CaseId id = (*cases)[0].id;
    EXPECT_EQ((*cases)[0].version, 1);
    EXPECT_EQ(h_.Audit(id).size(), 1u);
    EXPECT_EQ(h_.Tasks(id).size(), 1u);
    // One report created it; every other one, including those that lost the race
    // to the unique index on a multi-writer backend, was shown it (existing = true).
    int created = 0;
    for (int i = 0; i < kThreads; ++i) {
      const auto& r = results[i];
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->case_after.id, id);
      created += r->existing ? 0 : 1;
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(h_.Audit(id).size(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyTest, ::testing::Values("sqlite", "mariadb"),
                         BackendName);

}  // namespace
}  // namespace jiuzhu::testing
