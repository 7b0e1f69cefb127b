// The vocabulary of a case: lifecycle states and events, routes, pools,
// tiers and task states, each with a stable lower-case name. Names (never
// enum values) are what the database and the API store and exchange.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jiuzhu {

// Lifecycle states. Stored by name (see CaseStateName).
enum class CaseState {
  kDiscover,  // 主动发现: reported, waiting for intake (受理)
  kAssess,    // 综合评估: home visit and means assessment
  kCommit,    // 申报承诺: applicant chooses ordinary route or signs a pledge
  kReview,    // 民主评议: democratic review (ordinary route only)
  kApprove,   // 审批: district decides
  kRefer,     // 转介推送: dispatch to departments
  kFeedback,  // 帮扶反馈: waiting for every department's answer
  kMonitor,   // 监测预警: household under watch
  kRejected,  // terminal: application refused
  kClosed,    // terminal: assistance ended or report dismissed
  kRevoked,   // terminal: assistance revoked after post-audit (撤销)
};
inline constexpr CaseState kAllCaseStates[] = {
    CaseState::kDiscover, CaseState::kAssess,   CaseState::kCommit,  CaseState::kReview,
    CaseState::kApprove,  CaseState::kRefer,    CaseState::kFeedback, CaseState::kMonitor,
    CaseState::kRejected, CaseState::kClosed,   CaseState::kRevoked};

// Commands that move a case. Stored in the audit trail by name.
enum class CaseEvent {
  kAccept,          // 受理: intake accepts the report → assess
  kAssess,          // submit the assessment → commit
  kPledge,          // applicant signs the credit pledge (告知承诺) → approve (fast track)
  kChooseOrdinary,  // applicant takes the ordinary route → review
  kCompleteReview,  // democratic review passed → approve
  kApprove,         // 审批通过 → refer
  kReject,          // refuse with a reason → rejected
  kSendBack,        // approver sends the case back to assessment
  kRefer,           // dispatch referrals to departments → feedback
  kFeedback,        // one department answers its referral (stays in feedback)
  kStartMonitoring, // → monitor (from refer with no referrals, or when all answered)
  kReassess,        // monitor → assess (an alert or revisit calls for it)
  kClose,           // → closed
  kRevoke,          // → revoked (post-audit finding)
};
inline constexpr CaseEvent kAllCaseEvents[] = {
    CaseEvent::kAccept,   CaseEvent::kAssess,         CaseEvent::kPledge,
    CaseEvent::kChooseOrdinary, CaseEvent::kCompleteReview, CaseEvent::kApprove,
    CaseEvent::kReject,   CaseEvent::kSendBack,       CaseEvent::kRefer,
    CaseEvent::kFeedback, CaseEvent::kStartMonitoring, CaseEvent::kReassess,
    CaseEvent::kClose,    CaseEvent::kRevoke};

enum class Route { kUndecided, kOrdinary, kFastTrack };
enum class Pool { kNone, kRelief, kMonitoring, kGeneral };  // 救助库 / 监测库(一类) / 一般库(二类)
enum class Tier { kCity, kDistrict, kStreet, kVillage, kDepartment };
enum class TaskState { kOpen, kClaimed, kDone, kCancelled };

const char* CaseStateName(CaseState s);
const char* CaseEventName(CaseEvent e);
const char* RouteName(Route r);
const char* PoolName(Pool p);
const char* TierName(Tier t);
const char* TaskStateName(TaskState s);
// Chinese label for display ("审批", "救助库", ...).
const char* CaseStateLabelZh(CaseState s);

std::optional<CaseState> ParseCaseState(std::string_view name);
std::optional<CaseEvent> ParseCaseEvent(std::string_view name);
std::optional<Route> ParseRoute(std::string_view name);
std::optional<Pool> ParsePool(std::string_view name);
std::optional<Tier> ParseTier(std::string_view name);
std::optional<TaskState> ParseTaskState(std::string_view name);

bool IsTerminal(CaseState s);

}  // namespace jiuzhu
