// The case lifecycle as seen by the engine: a pure function from (state,
// event, guard facts) to the next state. The production implementation is a
// Boost.MSM machine in workflows/lifecycle (MsmLifecycle); the engine core
// only sees this interface and never includes MSM.
#pragma once

#include <string>

#include "engine/common/status.hpp"
#include "engine/domain/case_types.hpp"

namespace jiuzhu {

// Everything the guards need, gathered by the engine from the case before
// the event is processed.
struct GuardFacts {
  bool has_assessment = false;         // an assessment has been recorded
  bool pledge_signed = false;          // the pledge event carries a signed pledge
  bool fast_track_allowed = true;      // programme allows 告知承诺 for this applicant
  int referrals_requested = 0;         // departments named by a refer event
  int referrals_pending = 0;           // referrals still without an answer
  bool answering_pending_referral = false;  // feedback event targets a pending referral
  bool reason_given = false;           // reject / close / revoke carry a reason
};

// Thread-safe: implementations hold no mutable state.
class Lifecycle {
 public:
  virtual ~Lifecycle() = default;

  // Returns the state after `event` in `from`.
  // Errors (all kFailedPrecondition, nothing changes):
  //  - no transition for the pair: "event 'approve' is not allowed in state 'assess'";
  //  - a guard refused it: the message names state, event and the rule broken.
  virtual Result<CaseState> Next(CaseState from, CaseEvent event,
                                 const GuardFacts& facts) const = 0;
};

}  // namespace jiuzhu
