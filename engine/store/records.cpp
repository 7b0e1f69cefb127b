#include "engine/store/records.hpp"

namespace jiuzhu {

const char* AlertStatusName(AlertStatus s) {
  switch (s) {
    case AlertStatus::kMatched: return "matched";
    case AlertStatus::kUnmatched: return "unmatched";
    case AlertStatus::kMalformed: return "malformed";
  }
  return "?";
}

std::optional<AlertStatus> ParseAlertStatus(std::string_view name) {
  for (AlertStatus s : {AlertStatus::kMatched, AlertStatus::kUnmatched, AlertStatus::kMalformed}) {
    if (name == AlertStatusName(s)) return s;
  }
  return std::nullopt;
}

const char* NotificationKindName(NotificationKind k) {
  switch (k) {
    case NotificationKind::kReminder: return "reminder";
    case NotificationKind::kOverdue: return "overdue";
    case NotificationKind::kEscalation: return "escalation";
    case NotificationKind::kReassigned: return "reassigned";
    case NotificationKind::kDeadlineChanged: return "deadline_changed";
  }
  return "reminder";
}

std::optional<NotificationKind> ParseNotificationKind(std::string_view name) {
  for (NotificationKind k : {NotificationKind::kReminder, NotificationKind::kOverdue,
                             NotificationKind::kEscalation, NotificationKind::kReassigned,
                             NotificationKind::kDeadlineChanged}) {
    if (name == NotificationKindName(k)) return k;
  }
  return std::nullopt;
}

}  // namespace jiuzhu
