// MsmLifecycle: the production Lifecycle, a Boost.MSM state machine kept
// entirely inside msm_lifecycle.cpp (this header includes no Boost header, so
// MSM's compile cost and C++17 constraint stay in one translation unit).
#pragma once

#include <vector>

#include "engine/domain/case_types.hpp"
#include "engine/lifecycle/lifecycle.hpp"

namespace jiuzhu {

// Thread-safe: holds no state. Every Next() call builds its own machine on the
// stack, so concurrent calls on one instance share nothing mutable.
class MsmLifecycle final : public Lifecycle {
 public:
  MsmLifecycle() = default;

  // Returns the state the case moves to when `event` happens in `from`, given
  // `facts`. Pure: the same arguments always give the same answer.
  // Errors:
  //  - kFailedPrecondition "event 'approve' is not allowed in state 'assess'"
  //    when the transition table has no row for (from, event), which is always
  //    the case in the terminal states (rejected, closed, revoked);
  //  - kFailedPrecondition "event 'E' refused in state 'S': <rule>" when the row
  //    exists but its guard fails; <rule> says which fact is missing, e.g.
  //    "no assessment recorded", "a reason is required", "the pledge is not
  //    signed", "2 referral(s) still without an answer";
  //  - kInternal for a value outside the CaseState / CaseEvent enums, negative
  //    referral counts in `facts`, or any unexpected failure inside the machine
  //    (nothing is thrown).
  Result<CaseState> Next(CaseState from, CaseEvent event, const GuardFacts& facts) const override;

  // Events that have a row leaving `from` in the transition table, whatever the
  // guards would say, in kAllCaseEvents order. Empty for terminal states and for
  // values outside the enum. Derived from the same table Next() runs.
  static std::vector<CaseEvent> AllowedEvents(CaseState from);
};

}  // namespace jiuzhu
