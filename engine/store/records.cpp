#include "engine/store/records.hpp"

namespace jiuzhu {

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
