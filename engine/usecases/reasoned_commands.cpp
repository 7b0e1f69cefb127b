// Commands that must say why: reject, send back, close, revoke, reassess.
#include <cmath>

#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

namespace {
Result<CommandOutcome> RunWithReason(const EngineContext& ctx, StoreTxn& txn,
                                     const ReasonedCommand& req, CaseEvent event) {
  const bool has_reason = req.reason.find_first_not_of(" \t\n") != std::string::npos;
  if (!has_reason) {
    return InvalidArgument(std::string("a reason is required to ") + CaseEventName(event),
                           "reason");
  }
  if (req.reason.size() > 2000) return InvalidArgument("reason is too long", "reason");
  CaseChange change;
  change.event = event;
  change.facts.reason_given = true;
  change.payload["reason"] = req.reason;
  if (event == CaseEvent::kRevoke) {
    if (!std::isfinite(req.amount_to_recover_yuan) || req.amount_to_recover_yuan < 0) {
      return InvalidArgument("amount to recover must be a number >= 0", "amount_to_recover");
    }
    change.payload["amount_to_recover_yuan"] = req.amount_to_recover_yuan;
  }
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}
}  // namespace

Result<CommandOutcome> RejectCase(const EngineContext& ctx, StoreTxn& txn,
                                  const ReasonedCommand& req) {
  return RunWithReason(ctx, txn, req, CaseEvent::kReject);
}
Result<CommandOutcome> SendBackCase(const EngineContext& ctx, StoreTxn& txn,
                                    const ReasonedCommand& req) {
  return RunWithReason(ctx, txn, req, CaseEvent::kSendBack);
}
Result<CommandOutcome> CloseCase(const EngineContext& ctx, StoreTxn& txn,
                                 const ReasonedCommand& req) {
  return RunWithReason(ctx, txn, req, CaseEvent::kClose);
}
Result<CommandOutcome> RevokeCase(const EngineContext& ctx, StoreTxn& txn,
                                  const ReasonedCommand& req) {
  return RunWithReason(ctx, txn, req, CaseEvent::kRevoke);
}
Result<CommandOutcome> ReassessCase(const EngineContext& ctx, StoreTxn& txn,
                                    const ReasonedCommand& req) {
  return RunWithReason(ctx, txn, req, CaseEvent::kReassess);
}

}  // namespace jiuzhu
