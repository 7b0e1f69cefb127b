#include "engine/domain/case_types.hpp"

namespace jiuzhu {

namespace {
template <typename E, size_t N>
std::optional<E> ParseByName(std::string_view name, const E (&all)[N], const char* (*fn)(E)) {
  for (E e : all) {
    if (name == fn(e)) return e;
  }
  return std::nullopt;
}
constexpr Route kAllRoutes[] = {Route::kUndecided, Route::kOrdinary, Route::kFastTrack};
constexpr Pool kAllPools[] = {Pool::kNone, Pool::kRelief, Pool::kMonitoring, Pool::kGeneral};
constexpr Tier kAllTiers[] = {Tier::kCity, Tier::kDistrict, Tier::kStreet, Tier::kVillage,
                              Tier::kDepartment};
constexpr TaskState kAllTaskStates[] = {TaskState::kOpen, TaskState::kClaimed, TaskState::kDone,
                                        TaskState::kCancelled};
}  // namespace

const char* CaseStateName(CaseState s) {
  switch (s) {
    case CaseState::kDiscover: return "discover";
    case CaseState::kAssess: return "assess";
    case CaseState::kCommit: return "commit";
    case CaseState::kReview: return "review";
    case CaseState::kApprove: return "approve";
    case CaseState::kRefer: return "refer";
    case CaseState::kFeedback: return "feedback";
    case CaseState::kMonitor: return "monitor";
    case CaseState::kRejected: return "rejected";
    case CaseState::kClosed: return "closed";
    case CaseState::kRevoked: return "revoked";
  }
  return "?";
}

const char* CaseStateLabelZh(CaseState s) {
  switch (s) {
    case CaseState::kDiscover: return "主动发现";
    case CaseState::kAssess: return "综合评估";
    case CaseState::kCommit: return "申报承诺";
    case CaseState::kReview: return "民主评议";
    case CaseState::kApprove: return "审批";
    case CaseState::kRefer: return "转介推送";
    case CaseState::kFeedback: return "帮扶反馈";
    case CaseState::kMonitor: return "监测预警";
    case CaseState::kRejected: return "不予批准";
    case CaseState::kClosed: return "已结案";
    case CaseState::kRevoked: return "已撤销";
  }
  return "?";
}

const char* CaseEventName(CaseEvent e) {
  switch (e) {
    case CaseEvent::kAccept: return "accept";
    case CaseEvent::kAssess: return "assess";
    case CaseEvent::kPledge: return "pledge";
    case CaseEvent::kChooseOrdinary: return "choose_ordinary";
    case CaseEvent::kCompleteReview: return "complete_review";
    case CaseEvent::kApprove: return "approve";
    case CaseEvent::kReject: return "reject";
    case CaseEvent::kSendBack: return "send_back";
    case CaseEvent::kRefer: return "refer";
    case CaseEvent::kFeedback: return "feedback";
    case CaseEvent::kStartMonitoring: return "monitor";
    case CaseEvent::kReassess: return "reassess";
    case CaseEvent::kClose: return "close";
    case CaseEvent::kRevoke: return "revoke";
  }
  return "?";
}

const char* RouteName(Route r) {
  switch (r) {
    case Route::kUndecided: return "undecided";
    case Route::kOrdinary: return "ordinary";
    case Route::kFastTrack: return "fast_track";
  }
  return "?";
}

const char* PoolName(Pool p) {
  switch (p) {
    case Pool::kNone: return "none";
    case Pool::kRelief: return "relief";
    case Pool::kMonitoring: return "monitoring";
    case Pool::kGeneral: return "general";
  }
  return "?";
}

const char* TierName(Tier t) {
  switch (t) {
    case Tier::kCity: return "city";
    case Tier::kDistrict: return "district";
    case Tier::kStreet: return "street";
    case Tier::kVillage: return "village";
    case Tier::kDepartment: return "department";
  }
  return "?";
}

const char* TaskStateName(TaskState s) {
  switch (s) {
    case TaskState::kOpen: return "open";
    case TaskState::kClaimed: return "claimed";
    case TaskState::kDone: return "done";
    case TaskState::kCancelled: return "cancelled";
  }
  return "?";
}

std::optional<CaseState> ParseCaseState(std::string_view n) {
  return ParseByName(n, kAllCaseStates, &CaseStateName);
}
std::optional<CaseEvent> ParseCaseEvent(std::string_view n) {
  return ParseByName(n, kAllCaseEvents, &CaseEventName);
}
std::optional<Route> ParseRoute(std::string_view n) { return ParseByName(n, kAllRoutes, &RouteName); }
std::optional<Pool> ParsePool(std::string_view n) { return ParseByName(n, kAllPools, &PoolName); }
std::optional<Tier> ParseTier(std::string_view n) { return ParseByName(n, kAllTiers, &TierName); }
std::optional<TaskState> ParseTaskState(std::string_view n) {
  return ParseByName(n, kAllTaskStates, &TaskStateName);
}

bool IsTerminal(CaseState s) {
  return s == CaseState::kRejected || s == CaseState::kClosed || s == CaseState::kRevoked;
}

}  // namespace jiuzhu
