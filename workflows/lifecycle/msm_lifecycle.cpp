#include "workflows/lifecycle/msm_lifecycle.hpp"

#include <array>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

// More than 20 rows: every TU of this target is compiled with
// BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS and BOOST_MPL_LIMIT_VECTOR_SIZE=30
// (workflows/CMakeLists.txt); vector40.hpp provides mpl::vector33.
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/size.hpp>
#include <boost/mpl/vector/vector40.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

namespace jiuzhu {
namespace {

namespace mpl = boost::mpl;
namespace msmb = boost::msm::back;
namespace msmf = boost::msm::front;

// ---------------------------------------------------------------------------
// Events: one type per CaseEvent, each carrying the guard facts by value.

template <CaseEvent E>
struct Ev {
  static constexpr CaseEvent kEvent = E;
  GuardFacts facts;
};
using Accept = Ev<CaseEvent::kAccept>;
using Assess = Ev<CaseEvent::kAssess>;
using Pledge = Ev<CaseEvent::kPledge>;
using ChooseOrdinary = Ev<CaseEvent::kChooseOrdinary>;
using CompleteReview = Ev<CaseEvent::kCompleteReview>;
using Approve = Ev<CaseEvent::kApprove>;
using Reject = Ev<CaseEvent::kReject>;
using SendBack = Ev<CaseEvent::kSendBack>;
using Refer = Ev<CaseEvent::kRefer>;
using Feedback = Ev<CaseEvent::kFeedback>;
using StartMonitoring = Ev<CaseEvent::kStartMonitoring>;
using Reassess = Ev<CaseEvent::kReassess>;
using Close = Ev<CaseEvent::kClose>;
using Revoke = Ev<CaseEvent::kRevoke>;

// Internal only: moves a fresh machine into the stored state (see Next()).
struct Restore {
  CaseState target;
};

template <class T>
struct IsCaseEvent : std::false_type {};
template <CaseEvent E>
struct IsCaseEvent<Ev<E>> : std::true_type {};

// ---------------------------------------------------------------------------
// States. They have no entry/exit behaviour: the machine only decides where a
// case goes; the engine computes every effect.

struct Unrestored : msmf::state<> {};  // pseudo-initial; never a case's state
struct SDiscover : msmf::state<> {};
struct SAssess : msmf::state<> {};
struct SCommit : msmf::state<> {};
struct SReview : msmf::state<> {};
struct SApprove : msmf::state<> {};
struct SRefer : msmf::state<> {};
struct SFeedback : msmf::state<> {};
struct SMonitor : msmf::state<> {};
struct SRejected : msmf::state<> {};
struct SClosed : msmf::state<> {};
struct SRevoked : msmf::state<> {};

// The only link between MSM state types and CaseState. MSM's numeric state ids
// depend on the order of the rows; they are read only inside one Next() call
// and never leave this file (the engine stores CaseStateName()).
template <class S, CaseState V>
struct StateEntry {
  using Type = S;
  static constexpr CaseState kState = V;
};
// clang-format off
using StateTable = std::tuple<StateEntry<SDiscover, CaseState::kDiscover>,
                              StateEntry<SAssess, CaseState::kAssess>,
                              StateEntry<SCommit, CaseState::kCommit>,
                              StateEntry<SReview, CaseState::kReview>,
                              StateEntry<SApprove, CaseState::kApprove>,
                              StateEntry<SRefer, CaseState::kRefer>,
                              StateEntry<SFeedback, CaseState::kFeedback>,
                              StateEntry<SMonitor, CaseState::kMonitor>,
                              StateEntry<SRejected, CaseState::kRejected>,
                              StateEntry<SClosed, CaseState::kClosed>,
                              StateEntry<SRevoked, CaseState::kRevoked>>;
// clang-format on

template <class S, class Table>
struct StateLookup;
template <class S, class... Entries>
struct StateLookup<S, std::tuple<Entries...>> {
  static constexpr int kMatches = (0 + ... + (std::is_same_v<S, typename Entries::Type> ? 1 : 0));
  static constexpr CaseState Get() {
    CaseState found = CaseState::kDiscover;
    ((std::is_same_v<S, typename Entries::Type> ? (found = Entries::kState, 0) : 0), ...);
    return found;
  }
};
template <class S>
inline constexpr bool kIsMapped = StateLookup<S, StateTable>::kMatches == 1;
template <class S>
inline constexpr CaseState kCaseStateOf = StateLookup<S, StateTable>::Get();

template <class... Entries>
constexpr bool MapsEveryStateOnce(std::tuple<Entries...>*) {
  for (CaseState s : kAllCaseStates) {
    if ((0 + ... + (Entries::kState == s ? 1 : 0)) != 1) return false;
  }
  return sizeof...(Entries) == std::size(kAllCaseStates);
}
static_assert(MapsEveryStateOnce(static_cast<StateTable*>(nullptr)),
              "StateTable must map every CaseState exactly once");

// ---------------------------------------------------------------------------
// Guards. Each is a rule over GuardFacts: Holds() decides, Broken() words the
// refusal in plain language and is only asked when Holds() is false. Pure.

template <class Rule>
struct FactGuard {
  template <class Event, class Fsm, class Source, class Target>
  bool operator()(const Event& event, Fsm&, Source&, Target&) const {
    return Rule::Holds(event.facts);
  }
};

struct ReasonGiven : FactGuard<ReasonGiven> {
  static bool Holds(const GuardFacts& f) { return f.reason_given; }
  static std::string Broken(const GuardFacts&) { return "a reason is required"; }
};
struct HasAssessment : FactGuard<HasAssessment> {
  static bool Holds(const GuardFacts& f) { return f.has_assessment; }
  static std::string Broken(const GuardFacts&) { return "no assessment recorded"; }
};
struct PledgeSigned : FactGuard<PledgeSigned> {
  static bool Holds(const GuardFacts& f) { return f.pledge_signed; }
  static std::string Broken(const GuardFacts&) { return "the pledge is not signed"; }
};
struct FastTrackAllowed : FactGuard<FastTrackAllowed> {
  static bool Holds(const GuardFacts& f) { return f.fast_track_allowed; }
  static std::string Broken(const GuardFacts&) {
    return "the fast track is not allowed for this applicant";
  }
};
struct DepartmentsNamed : FactGuard<DepartmentsNamed> {
  static bool Holds(const GuardFacts& f) { return f.referrals_requested > 0; }
  static std::string Broken(const GuardFacts&) { return "no department named to refer to"; }
};
struct NoReferralPending : FactGuard<NoReferralPending> {
  static bool Holds(const GuardFacts& f) { return f.referrals_pending == 0; }
  static std::string Broken(const GuardFacts& f) {
    return std::to_string(f.referrals_pending) + " referral(s) still without an answer";
  }
};
struct AnswersPendingReferral : FactGuard<AnswersPendingReferral> {
  static bool Holds(const GuardFacts& f) { return f.answering_pending_referral; }
  static std::string Broken(const GuardFacts&) {
    return "the feedback does not answer a pending referral";
  }
};
// Both rules; names the first one broken.
template <class A, class B>
struct AllOf : FactGuard<AllOf<A, B>> {
  static bool Holds(const GuardFacts& f) { return A::Holds(f) && B::Holds(f); }
  static std::string Broken(const GuardFacts& f) {
    return A::Holds(f) ? B::Broken(f) : A::Broken(f);
  }
};

template <class S>
struct IsRestoreTarget {
  template <class Fsm, class Source, class Target>
  bool operator()(const Restore& event, Fsm&, Source&, Target&) const {
    return event.target == kCaseStateOf<S>;
  }
};

// ---------------------------------------------------------------------------
// The machine.
//
// Restoring a stored state. A case arrives as (state name, event); the machine
// must start in that state without replaying the case's history. Boost.MSM
// 1.74 has no public setter for the active state: state_machine::m_states is
// private, current_state() only hands out a `const int*`, and serialize()
// needs Boost.Serialization (a compiled library this target does not link).
// Writing through const_cast<int*>(current_state()) would work today but
// relies on the getter aliasing the private array, which MSM does not promise.
// So the machine starts in the pseudo-state Unrestored and takes one Restore
// event, which has exactly one row per stored state (guarded on the target).
// This uses only MSM's documented semantics; it is free of effects because no
// row has an action and no state has entry/exit behaviour; and Next() checks
// that the machine really stands in `from` before processing the case's event.
// Business events have no row out of Unrestored and Restore has no row out of
// any case state, so the two halves of the table cannot interfere.

struct LifecycleDef : msmf::state_machine_def<LifecycleDef> {
  using initial_state = Unrestored;
  // Guards cannot throw and no event is ever queued or deferred: drop MSM's
  // try/catch and message queue. Next() catches anything that still escapes.
  using no_exception_thrown = int;
  using no_message_queue = int;

  template <class S>
  using RestoreRow = msmf::Row<Unrestored, Restore, S, msmf::none, IsRestoreTarget<S>>;
  using none = msmf::none;

  // clang-format off
  struct transition_table
      : mpl::vector33<
            //        source     event            target      action guard
            msmf::Row<SDiscover, Accept,          SAssess,    none, none>,                   // 1
            msmf::Row<SDiscover, Close,           SClosed,    none, ReasonGiven>,            // 2
            msmf::Row<SAssess,   Assess,          SCommit,    none, HasAssessment>,          // 3
            msmf::Row<SAssess,   Reject,          SRejected,  none, ReasonGiven>,            // 4
            msmf::Row<SCommit,   Pledge,          SApprove,   none,
                      AllOf<PledgeSigned, FastTrackAllowed>>,                                // 5
            msmf::Row<SCommit,   ChooseOrdinary,  SReview,    none, none>,                   // 6
            msmf::Row<SCommit,   Reject,          SRejected,  none, ReasonGiven>,            // 7
            msmf::Row<SReview,   CompleteReview,  SApprove,   none, none>,                   // 8
            msmf::Row<SReview,   Reject,          SRejected,  none, ReasonGiven>,            // 9
            msmf::Row<SApprove,  Approve,         SRefer,     none, HasAssessment>,          // 10
            msmf::Row<SApprove,  Reject,          SRejected,  none, ReasonGiven>,            // 11
            msmf::Row<SApprove,  SendBack,        SAssess,    none, ReasonGiven>,            // 12
            msmf::Row<SRefer,    Refer,           SFeedback,  none, DepartmentsNamed>,       // 13
            msmf::Row<SRefer,    StartMonitoring, SMonitor,   none, none>,                   // 14
            msmf::Row<SFeedback, Feedback,        SFeedback,  none, AnswersPendingReferral>, // 15
            msmf::Row<SFeedback, StartMonitoring, SMonitor,   none, NoReferralPending>,      // 16
            msmf::Row<SMonitor,  Reassess,        SAssess,    none, none>,                   // 17
            msmf::Row<SMonitor,  Close,           SClosed,    none, ReasonGiven>,            // 18
            msmf::Row<SMonitor,  Revoke,          SRevoked,   none, ReasonGiven>,            // 19
            msmf::Row<SRefer,    Revoke,          SRevoked,   none, ReasonGiven>,            // 20
            msmf::Row<SFeedback, Revoke,          SRevoked,   none, ReasonGiven>,            // 21
            msmf::Row<SFeedback, Refer,           SFeedback,  none, DepartmentsNamed>,       // 22
            // Restore rows: one per stored state, terminal ones included.
            RestoreRow<SDiscover>, RestoreRow<SAssess>, RestoreRow<SCommit>,
            RestoreRow<SReview>, RestoreRow<SApprove>, RestoreRow<SRefer>,
            RestoreRow<SFeedback>, RestoreRow<SMonitor>, RestoreRow<SRejected>,
            RestoreRow<SClosed>, RestoreRow<SRevoked>> {};
  // clang-format on

  // process_event() already returns HANDLED_FALSE when no row matches; the
  // default handler would assert.
  template <class Fsm, class Event>
  void no_transition(const Event&, Fsm&, int) {}
};

using Machine = msmb::state_machine<LifecycleDef>;

// Compile-time promises about every row; instantiated by each table walk.
template <class Row>
struct RowTraits {
  using Source = typename Row::Source;
  using Event = typename Row::Evt;
  using Guard = typename Row::Guard;
  static constexpr bool kIsRestore = std::is_same_v<Event, Restore>;
  static constexpr bool kHasGuard = !std::is_same_v<Guard, msmf::none>;
  static_assert(std::is_same_v<typename Row::Action, msmf::none>,
                "lifecycle rows have no actions: the engine computes effects");
  static_assert(kIsRestore ? std::is_same_v<Source, Unrestored>
                           : IsCaseEvent<Event>::value && kIsMapped<Source> &&
                                 kIsMapped<typename Row::Target>,
                "a case row must join two mapped states with a CaseEvent");
};

template <class T>
struct Unwrap;
template <class T>
struct Unwrap<boost::msm::wrap<T>> {
  using type = T;
};

// Calls f(RowTraits<Row>{}) for each row, in table order.
template <class F>
void ForEachRow(F&& f) {
  mpl::for_each<LifecycleDef::transition_table, boost::msm::wrap<mpl::placeholders::_1>>(
      [&](auto wrapped) { f(RowTraits<typename Unwrap<decltype(wrapped)>::type>{}); });
}

// MSM state id -> CaseState, for reading the active state back.
constexpr int kMsmStateCount = mpl::size<msmb::generate_state_set<Machine::stt>::type>::value;
struct IdSlot {
  bool mapped = false;
  CaseState state = CaseState::kDiscover;
};
template <class... Entries>
constexpr std::array<IdSlot, kMsmStateCount> BuildIdTable(std::tuple<Entries...>*) {
  std::array<IdSlot, kMsmStateCount> table{};
  ((table[msmb::get_state_id<Machine::stt, typename Entries::Type>::value] =
        IdSlot{true, Entries::kState}),
   ...);
  return table;
}
constexpr std::array<IdSlot, kMsmStateCount> kIdTable =
    BuildIdTable(static_cast<StateTable*>(nullptr));

std::optional<CaseState> ActiveCaseState(const Machine& fsm) {
  const int id = fsm.current_state()[0];  // one region
  if (id < 0 || id >= kMsmStateCount || !kIdTable[id].mapped) return std::nullopt;
  return kIdTable[id].state;
}

// Sends `event` (with `facts`) to the machine; nullopt if `event` is not a
// CaseEvent value. The event types are generated from kAllCaseEvents.
template <std::size_t... I>
std::optional<msmb::HandledEnum> ProcessCaseEvent(Machine& fsm, CaseEvent event,
                                                  const GuardFacts& facts,
                                                  std::index_sequence<I...>) {
  std::optional<msmb::HandledEnum> handled;
  (void)((event == kAllCaseEvents[I] &&
          (handled = fsm.process_event(Ev<kAllCaseEvents[I]>{facts}), true)) ||
         ...);
  return handled;
}

// The broken rules of the guarded rows for (from, event), joined by "; ".
// MSM only reports that a guard refused, not which one; guards are pure, so
// asking the same rows again gives the answer MSM acted on.
std::string BrokenRules(CaseState from, CaseEvent event, const GuardFacts& facts) {
  std::string rules;
  ForEachRow([&](auto row) {
    using R = decltype(row);
    if constexpr (!R::kIsRestore && R::kHasGuard) {
      if (kCaseStateOf<typename R::Source> == from && R::Event::kEvent == event &&
          !R::Guard::Holds(facts)) {
        if (!rules.empty()) rules += "; ";
        rules += R::Guard::Broken(facts);
      }
    }
  });
  return rules;
}

std::string Quoted(const char* name) { return std::string("'") + name + "'"; }

Result<CaseState> RunMachine(CaseState from, CaseEvent event, const GuardFacts& facts) {
  if (facts.referrals_requested < 0 || facts.referrals_pending < 0) {
    return Internal("lifecycle: negative referral count in guard facts (requested " +
                    std::to_string(facts.referrals_requested) + ", pending " +
                    std::to_string(facts.referrals_pending) + ")");
  }
  Machine fsm;  // per call: Next() shares nothing between calls or threads
  fsm.start();
  if (fsm.process_event(Restore{from}) != msmb::HANDLED_TRUE || ActiveCaseState(fsm) != from) {
    return Internal("lifecycle: cannot restore state value " +
                    std::to_string(static_cast<int>(from)));
  }
  const std::optional<msmb::HandledEnum> handled =
      ProcessCaseEvent(fsm, event, facts, std::make_index_sequence<std::size(kAllCaseEvents)>{});
  if (!handled) {
    return Internal("lifecycle: unknown event value " + std::to_string(static_cast<int>(event)));
  }
  const auto where = [&] {
    return Quoted(CaseEventName(event)) + " in state " + Quoted(CaseStateName(from));
  };
  switch (*handled) {
    case msmb::HANDLED_TRUE: {
      std::optional<CaseState> next = ActiveCaseState(fsm);
      if (!next) return Internal("lifecycle: event " + where() + " led to an unmapped state");
      return *next;
    }
    case msmb::HANDLED_FALSE:
      return FailedPrecondition("event " + Quoted(CaseEventName(event)) +
                                " is not allowed in state " + Quoted(CaseStateName(from)));
    case msmb::HANDLED_GUARD_REJECT: {
      std::string rules = BrokenRules(from, event, facts);
      if (rules.empty()) return Internal("lifecycle: a guard refused event " + where());
      return FailedPrecondition("event " + Quoted(CaseEventName(event)) + " refused in state " +
                                Quoted(CaseStateName(from)) + ": " + rules);
    }
    default:
      return Internal("lifecycle: unexpected MSM result " + std::to_string(*handled) +
                      " for event " + where());
  }
}

}  // namespace

Result<CaseState> MsmLifecycle::Next(CaseState from, CaseEvent event,
                                     const GuardFacts& facts) const {
  try {
    return RunMachine(from, event, facts);
  } catch (const std::exception& e) {
    return Internal(std::string("lifecycle: ") + e.what());
  } catch (...) {
    return Internal("lifecycle: unknown exception");
  }
}

std::vector<CaseEvent> MsmLifecycle::AllowedEvents(CaseState from) {
  std::array<bool, std::size(kAllCaseEvents)> has_row{};
  ForEachRow([&](auto row) {
    using R = decltype(row);
    if constexpr (!R::kIsRestore) {
      if (kCaseStateOf<typename R::Source> != from) return;
      for (std::size_t i = 0; i < has_row.size(); ++i) {
        if (kAllCaseEvents[i] == R::Event::kEvent) has_row[i] = true;
      }
    }
  });
  std::vector<CaseEvent> events;
  for (std::size_t i = 0; i < has_row.size(); ++i) {
    if (has_row[i]) events.push_back(kAllCaseEvents[i]);
  }
  return events;
}

}  // namespace jiuzhu
