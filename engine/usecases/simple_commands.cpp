// Commands that carry no data beyond the common CaseCommand: accept,
// choose the ordinary route, approve, start monitoring.
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

Result<CommandOutcome> AcceptCase(const EngineContext& ctx, StoreTxn& txn, const CaseCommand& cmd) {
  CaseChange change;
  change.event = CaseEvent::kAccept;
  return RunCaseEvent(ctx, txn, cmd, std::move(change));
}

Result<CommandOutcome> ChooseOrdinaryRoute(const EngineContext& ctx, StoreTxn& txn,
                                           const CaseCommand& cmd) {
  CaseChange change;
  change.event = CaseEvent::kChooseOrdinary;
  return RunCaseEvent(ctx, txn, cmd, std::move(change));
}

Result<CommandOutcome> ApproveCase(const EngineContext& ctx, StoreTxn& txn, const CaseCommand& cmd) {
  CaseChange change;
  change.event = CaseEvent::kApprove;
  return RunCaseEvent(ctx, txn, cmd, std::move(change));
}

Result<CommandOutcome> StartMonitoring(const EngineContext& ctx, StoreTxn& txn,
                                       const CaseCommand& cmd) {
  CaseChange change;
  change.event = CaseEvent::kStartMonitoring;
  return RunCaseEvent(ctx, txn, cmd, std::move(change));
}

}  // namespace jiuzhu
