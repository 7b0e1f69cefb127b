#include "workflows/lifecycle/msm_lifecycle.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace jiuzhu {

// Readable parameters in gtest output (found by ADL; internal linkage).
static void PrintTo(CaseState s, std::ostream* os) { *os << CaseStateName(s); }
static void PrintTo(CaseEvent e, std::ostream* os) { *os << CaseEventName(e); }

namespace {

// The specification, written independently of the machine: (from, event) -> to.
struct SpecRow {
  CaseState from;
  CaseEvent event;
  CaseState to;
};
constexpr SpecRow kSpec[] = {
    {CaseState::kDiscover, CaseEvent::kAccept, CaseState::kAssess},
    {CaseState::kDiscover, CaseEvent::kClose, CaseState::kClosed},
    {CaseState::kAssess, CaseEvent::kAssess, CaseState::kCommit},
    {CaseState::kAssess, CaseEvent::kReject, CaseState::kRejected},
    {CaseState::kCommit, CaseEvent::kPledge, CaseState::kApprove},
    {CaseState::kCommit, CaseEvent::kChooseOrdinary, CaseState::kReview},
    {CaseState::kCommit, CaseEvent::kReject, CaseState::kRejected},
    {CaseState::kReview, CaseEvent::kCompleteReview, CaseState::kApprove},
    {CaseState::kReview, CaseEvent::kReject, CaseState::kRejected},
    {CaseState::kApprove, CaseEvent::kApprove, CaseState::kRefer},
    {CaseState::kApprove, CaseEvent::kReject, CaseState::kRejected},
    {CaseState::kApprove, CaseEvent::kSendBack, CaseState::kAssess},
    {CaseState::kRefer, CaseEvent::kRefer, CaseState::kFeedback},
    {CaseState::kRefer, CaseEvent::kStartMonitoring, CaseState::kMonitor},
    {CaseState::kFeedback, CaseEvent::kFeedback, CaseState::kFeedback},
    {CaseState::kFeedback, CaseEvent::kStartMonitoring, CaseState::kMonitor},
    {CaseState::kMonitor, CaseEvent::kReassess, CaseState::kAssess},
    {CaseState::kMonitor, CaseEvent::kClose, CaseState::kClosed},
    {CaseState::kMonitor, CaseEvent::kRevoke, CaseState::kRevoked},
    {CaseState::kRefer, CaseEvent::kRevoke, CaseState::kRevoked},
    {CaseState::kFeedback, CaseEvent::kRevoke, CaseState::kRevoked},
    {CaseState::kFeedback, CaseEvent::kRefer, CaseState::kFeedback},
};

std::optional<CaseState> SpecNext(CaseState from, CaseEvent event) {
  for (const SpecRow& row : kSpec) {
    if (row.from == from && row.event == event) return row.to;
  }
  return std::nullopt;
}

// Every guard true.
GuardFacts Permissive() {
  GuardFacts f;
  f.has_assessment = true;
  f.pledge_signed = true;
  f.fast_track_allowed = true;
  f.referrals_requested = 1;
  f.referrals_pending = 0;
  f.answering_pending_referral = true;
  f.reason_given = true;
  return f;
}

// Every guard false.
GuardFacts Restrictive() {
  GuardFacts f;
  f.has_assessment = false;
  f.pledge_signed = false;
  f.fast_track_allowed = false;
  f.referrals_requested = 0;
  f.referrals_pending = 3;
  f.answering_pending_referral = false;
  f.reason_given = false;
  return f;
}

std::string NotAllowed(CaseState from, CaseEvent event) {
  return std::string("event '") + CaseEventName(event) + "' is not allowed in state '" +
         CaseStateName(from) + "'";
}

std::string Refused(CaseState from, CaseEvent event, const std::string& rule) {
  return std::string("event '") + CaseEventName(event) + "' refused in state '" +
         CaseStateName(from) + "': " + rule;
}

// A comparable rendering of a result.
std::string Render(const Result<CaseState>& r) {
  if (r.ok()) return std::string("ok:") + CaseStateName(*r);
  return r.status().ToString();
}

// ---------------------------------------------------------------------------
// Every (state, event) pair with every guard true.

class TransitionGridTest : public testing::TestWithParam<std::tuple<CaseState, CaseEvent>> {};

TEST_P(TransitionGridTest, MatchesSpecWithPermissiveFacts) {
  const auto [from, event] = GetParam();
  const Result<CaseState> next = MsmLifecycle().Next(from, event, Permissive());
  const std::optional<CaseState> expected = SpecNext(from, event);
  if (expected) {
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(CaseStateName(*next), std::string(CaseStateName(*expected)));
  } else {
    ASSERT_FALSE(next.ok()) << "unexpectedly reached " << CaseStateName(*next);
    EXPECT_EQ(next.status().code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(next.status().message(), NotAllowed(from, event));
  }
}

// A pair the spec allows is either unguarded or refused with a message that
// names its state and event; a pair it forbids stays "not allowed" whatever the facts.
TEST_P(TransitionGridTest, RestrictiveFactsRefuseOrStayUnguarded) {
  const auto [from, event] = GetParam();
  const Result<CaseState> next = MsmLifecycle().Next(from, event, Restrictive());
  if (!SpecNext(from, event)) {
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.status().message(), NotAllowed(from, event));
    return;
  }
  if (next.ok()) {
    EXPECT_EQ(*next, *SpecNext(from, event));
    return;
  }
  EXPECT_EQ(next.status().code(), ErrorCode::kFailedPrecondition);
  const std::string prefix = Refused(from, event, "");
  EXPECT_EQ(next.status().message().rfind(prefix, 0), 0u) << next.status().message();
  EXPECT_GT(next.status().message().size(), prefix.size());
}

INSTANTIATE_TEST_SUITE_P(
    AllPairs, TransitionGridTest,
    testing::Combine(testing::ValuesIn(kAllCaseStates), testing::ValuesIn(kAllCaseEvents)),
    [](const testing::TestParamInfo<TransitionGridTest::ParamType>& param_info) {
      return std::string(CaseStateName(std::get<0>(param_info.param))) + "_" +
             CaseEventName(std::get<1>(param_info.param));
    });

// ---------------------------------------------------------------------------
// Each guard on its own: permissive facts with exactly one fact broken.

struct GuardCase {
  const char* name;
  CaseState from;
  CaseEvent event;
  std::function<void(GuardFacts&)> spoil;
  std::string rule;
};

void NoReason(GuardFacts& f) { f.reason_given = false; }
void NoAssessment(GuardFacts& f) { f.has_assessment = false; }

std::vector<GuardCase> GuardCases() {
  return {
      {"discover_close", CaseState::kDiscover, CaseEvent::kClose, NoReason, "a reason is required"},
      {"assess_assess", CaseState::kAssess, CaseEvent::kAssess, NoAssessment,
       "no assessment recorded"},
      {"assess_reject", CaseState::kAssess, CaseEvent::kReject, NoReason, "a reason is required"},
      {"commit_pledge_unsigned", CaseState::kCommit, CaseEvent::kPledge,
       [](GuardFacts& f) { f.pledge_signed = false; }, "the pledge is not signed"},
      {"commit_pledge_no_fast_track", CaseState::kCommit, CaseEvent::kPledge,
       [](GuardFacts& f) { f.fast_track_allowed = false; },
       "the fast track is not allowed for this applicant"},
      {"commit_pledge_both", CaseState::kCommit, CaseEvent::kPledge,
       [](GuardFacts& f) {
         f.pledge_signed = false;
         f.fast_track_allowed = false;
       },
       "the pledge is not signed"},
      {"commit_reject", CaseState::kCommit, CaseEvent::kReject, NoReason, "a reason is required"},
      {"review_reject", CaseState::kReview, CaseEvent::kReject, NoReason, "a reason is required"},
      {"approve_approve", CaseState::kApprove, CaseEvent::kApprove, NoAssessment,
       "no assessment recorded"},
      {"approve_reject", CaseState::kApprove, CaseEvent::kReject, NoReason, "a reason is required"},
      {"approve_send_back", CaseState::kApprove, CaseEvent::kSendBack, NoReason,
       "a reason is required"},
      {"refer_refer", CaseState::kRefer, CaseEvent::kRefer,
       [](GuardFacts& f) { f.referrals_requested = 0; }, "no department named to refer to"},
      {"feedback_feedback", CaseState::kFeedback, CaseEvent::kFeedback,
       [](GuardFacts& f) { f.answering_pending_referral = false; },
       "the feedback does not answer a pending referral"},
      {"feedback_monitor", CaseState::kFeedback, CaseEvent::kStartMonitoring,
       [](GuardFacts& f) { f.referrals_pending = 2; }, "2 referral(s) still without an answer"},
      {"monitor_close", CaseState::kMonitor, CaseEvent::kClose, NoReason, "a reason is required"},
      {"monitor_revoke", CaseState::kMonitor, CaseEvent::kRevoke, NoReason, "a reason is required"},
      {"refer_revoke", CaseState::kRefer, CaseEvent::kRevoke, NoReason, "a reason is required"},
      {"feedback_revoke", CaseState::kFeedback, CaseEvent::kRevoke, NoReason,
       "a reason is required"},
      {"feedback_refer", CaseState::kFeedback, CaseEvent::kRefer,
       [](GuardFacts& f) { f.referrals_requested = 0; }, "no department named to refer to"},
  };
}

void PrintTo(const GuardCase& c, std::ostream* os) { *os << c.name; }

class GuardRejectionTest : public testing::TestWithParam<GuardCase> {};

TEST_P(GuardRejectionTest, NamesStateEventAndRule) {
  const GuardCase& c = GetParam();
  GuardFacts facts = Permissive();
  c.spoil(facts);
  const Result<CaseState> next = MsmLifecycle().Next(c.from, c.event, facts);
  ASSERT_FALSE(next.ok()) << "unexpectedly reached " << CaseStateName(*next);
  EXPECT_EQ(next.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(next.status().message(), Refused(c.from, c.event, c.rule));
}

INSTANTIATE_TEST_SUITE_P(EachGuard, GuardRejectionTest, testing::ValuesIn(GuardCases()),
                         [](const testing::TestParamInfo<GuardCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

// Every guarded pair of the spec is covered by GuardCases().
TEST(GuardRejectionCoverageTest, EveryRefusablePairHasACase) {
  const std::vector<GuardCase> cases = GuardCases();
  for (const SpecRow& row : kSpec) {
    const Result<CaseState> next = MsmLifecycle().Next(row.from, row.event, Restrictive());
    if (next.ok()) continue;  // unguarded
    bool covered = false;
    for (const GuardCase& c : cases) covered |= c.from == row.from && c.event == row.event;
    EXPECT_TRUE(covered) << CaseStateName(row.from) << " / " << CaseEventName(row.event);
  }
}

TEST(MsmLifecycleTest, UnguardedRowsIgnoreFacts) {
  const MsmLifecycle lifecycle;
  const GuardFacts f = Restrictive();
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kDiscover, CaseEvent::kAccept, f)), "ok:assess");
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kCommit, CaseEvent::kChooseOrdinary, f)), "ok:review");
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kReview, CaseEvent::kCompleteReview, f)),
            "ok:approve");
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kRefer, CaseEvent::kStartMonitoring, f)),
            "ok:monitor");
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kMonitor, CaseEvent::kReassess, f)), "ok:assess");
}

TEST(MsmLifecycleTest, NotAllowedMessageNamesStateAndEvent) {
  const Result<CaseState> next =
      MsmLifecycle().Next(CaseState::kAssess, CaseEvent::kApprove, Permissive());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(next.status().message(), "event 'approve' is not allowed in state 'assess'");
}

// A missing row wins over guards: facts never turn "not allowed" into a refusal.
TEST(MsmLifecycleTest, TerminalStatesAcceptNothing) {
  for (CaseState s : {CaseState::kRejected, CaseState::kClosed, CaseState::kRevoked}) {
    EXPECT_TRUE(MsmLifecycle::AllowedEvents(s).empty()) << CaseStateName(s);
    for (CaseEvent e : kAllCaseEvents) {
      for (const GuardFacts& f : {Permissive(), Restrictive()}) {
        const Result<CaseState> next = MsmLifecycle().Next(s, e, f);
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.status().message(), NotAllowed(s, e));
      }
    }
  }
}

TEST(MsmLifecycleTest, OutOfRangeValuesAreInternalErrors) {
  const MsmLifecycle lifecycle;
  const auto bad_state = static_cast<CaseState>(99);
  const auto bad_event = static_cast<CaseEvent>(99);
  EXPECT_EQ(lifecycle.Next(bad_state, CaseEvent::kAccept, Permissive()).status().code(),
            ErrorCode::kInternal);
  EXPECT_EQ(lifecycle.Next(CaseState::kDiscover, bad_event, Permissive()).status().code(),
            ErrorCode::kInternal);
  EXPECT_TRUE(MsmLifecycle::AllowedEvents(bad_state).empty());
}

TEST(MsmLifecycleTest, NegativeReferralCountsAreInternalErrors) {
  GuardFacts f = Permissive();
  f.referrals_pending = -1;
  EXPECT_EQ(
      MsmLifecycle().Next(CaseState::kFeedback, CaseEvent::kStartMonitoring, f).status().code(),
      ErrorCode::kInternal);
  f = Permissive();
  f.referrals_requested = -2;
  EXPECT_EQ(MsmLifecycle().Next(CaseState::kRefer, CaseEvent::kRefer, f).status().code(),
            ErrorCode::kInternal);
}

TEST(MsmLifecycleTest, AllowedEventsMatchTheMachine) {
  for (CaseState s : kAllCaseStates) {
    std::vector<CaseEvent> expected;
    for (CaseEvent e : kAllCaseEvents) {
      if (MsmLifecycle().Next(s, e, Permissive()).ok()) expected.push_back(e);
    }
    EXPECT_EQ(MsmLifecycle::AllowedEvents(s), expected) << CaseStateName(s);
  }
  EXPECT_EQ(MsmLifecycle::AllowedEvents(CaseState::kFeedback),
            (std::vector<CaseEvent>{CaseEvent::kRefer, CaseEvent::kFeedback,
                                    CaseEvent::kStartMonitoring, CaseEvent::kRevoke}));
}

// ---------------------------------------------------------------------------
// Whole cases, driven through the interface the engine uses.

struct Step {
  CaseEvent event;
  GuardFacts facts;
  CaseState expected;
};

void Walk(const Lifecycle& lifecycle, CaseState start, const std::vector<Step>& steps) {
  CaseState state = start;
  for (const Step& step : steps) {
    const Result<CaseState> next = lifecycle.Next(state, step.event, step.facts);
    ASSERT_TRUE(next.ok()) << CaseStateName(state) << " --" << CaseEventName(step.event) << "--> "
                           << next.status().ToString();
    ASSERT_EQ(*next, step.expected)
        << CaseStateName(state) << " --" << CaseEventName(step.event) << "-->";
    state = *next;
  }
}

TEST(MsmLifecyclePathTest, OrdinaryRoute) {
  GuardFacts none;  // every optional fact off
  GuardFacts assessed;
  assessed.has_assessment = true;
  GuardFacts two_departments;
  two_departments.referrals_requested = 2;
  GuardFacts answer;
  answer.answering_pending_referral = true;
  answer.referrals_pending = 2;
  GuardFacts all_answered;
  GuardFacts reason;
  reason.reason_given = true;
  const MsmLifecycle msm;
  const Lifecycle& lifecycle = msm;
  Walk(lifecycle, CaseState::kDiscover,
       {{CaseEvent::kAccept, none, CaseState::kAssess},
        {CaseEvent::kAssess, assessed, CaseState::kCommit},
        {CaseEvent::kChooseOrdinary, none, CaseState::kReview},
        {CaseEvent::kCompleteReview, none, CaseState::kApprove},
        {CaseEvent::kSendBack, reason, CaseState::kAssess},
        {CaseEvent::kAssess, assessed, CaseState::kCommit},
        {CaseEvent::kChooseOrdinary, none, CaseState::kReview},
        {CaseEvent::kCompleteReview, none, CaseState::kApprove},
        {CaseEvent::kApprove, assessed, CaseState::kRefer},
        {CaseEvent::kRefer, two_departments, CaseState::kFeedback},
        {CaseEvent::kFeedback, answer, CaseState::kFeedback},
        {CaseEvent::kRefer, two_departments, CaseState::kFeedback},
        {CaseEvent::kFeedback, answer, CaseState::kFeedback},
        {CaseEvent::kStartMonitoring, all_answered, CaseState::kMonitor},
        {CaseEvent::kReassess, none, CaseState::kAssess},
        {CaseEvent::kAssess, assessed, CaseState::kCommit},
        {CaseEvent::kChooseOrdinary, none, CaseState::kReview},
        {CaseEvent::kCompleteReview, none, CaseState::kApprove},
        {CaseEvent::kApprove, assessed, CaseState::kRefer},
        {CaseEvent::kStartMonitoring, none, CaseState::kMonitor},
        {CaseEvent::kClose, reason, CaseState::kClosed}});
}

TEST(MsmLifecyclePathTest, FastTrackRoute) {
  GuardFacts none;
  GuardFacts assessed;
  assessed.has_assessment = true;
  GuardFacts pledge = assessed;
  pledge.pledge_signed = true;
  pledge.fast_track_allowed = true;
  GuardFacts one_department;
  one_department.referrals_requested = 1;
  GuardFacts answer;
  answer.answering_pending_referral = true;
  answer.referrals_pending = 1;
  GuardFacts reason;
  reason.reason_given = true;
  Walk(MsmLifecycle(), CaseState::kDiscover,
       {{CaseEvent::kAccept, none, CaseState::kAssess},
        {CaseEvent::kAssess, assessed, CaseState::kCommit},
        {CaseEvent::kPledge, pledge, CaseState::kApprove},
        {CaseEvent::kApprove, assessed, CaseState::kRefer},
        {CaseEvent::kRefer, one_department, CaseState::kFeedback},
        {CaseEvent::kFeedback, answer, CaseState::kFeedback},
        {CaseEvent::kStartMonitoring, none, CaseState::kMonitor},
        {CaseEvent::kRevoke, reason, CaseState::kRevoked}});
}

TEST(MsmLifecyclePathTest, FastTrackRefusedFallsBackToOrdinary) {
  GuardFacts pledge;
  pledge.pledge_signed = true;
  pledge.fast_track_allowed = false;
  const MsmLifecycle lifecycle;
  const Result<CaseState> refused = lifecycle.Next(CaseState::kCommit, CaseEvent::kPledge, pledge);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "event 'pledge' refused in state 'commit': the fast track is not allowed for this "
            "applicant");
  EXPECT_EQ(Render(lifecycle.Next(CaseState::kCommit, CaseEvent::kChooseOrdinary, pledge)),
            "ok:review");
}

// ---------------------------------------------------------------------------
// One instance, many threads: every thread sees the single-threaded answers.

TEST(MsmLifecycleConcurrencyTest, ConcurrentCallsAgree) {
  const MsmLifecycle lifecycle;
  const GuardFacts fact_sets[] = {Permissive(), Restrictive(), GuardFacts{}};
  std::vector<std::string> reference;
  for (const GuardFacts& f : fact_sets) {
    for (CaseState s : kAllCaseStates) {
      for (CaseEvent e : kAllCaseEvents) reference.push_back(Render(lifecycle.Next(s, e, f)));
    }
  }

  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        std::size_t i = 0;
        for (const GuardFacts& f : fact_sets) {
          for (CaseState s : kAllCaseStates) {
            for (CaseEvent e : kAllCaseEvents) {
              if (Render(lifecycle.Next(s, e, f)) != reference[i++]) ++mismatches[t];
            }
          }
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace jiuzhu
