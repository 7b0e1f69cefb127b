// Deadline escalation as data (workflows/escalation.json): what happens to a
// task once its working-day deadline has passed. Level 1 at the due time
// (marked overdue; assignee or queue reminded), level 2 a configured number of
// working days later (supervisors of the parent tier notified), level 3
// optionally later still (the task moves up to a role at a higher tier).
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar/working_calendar.hpp"
#include "engine/common/status.hpp"
#include "engine/programme/programme.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu {

struct EscalationRule {
  int notify_supervisor_after = 2;  // working days after the due time; < 0: never
  int reassign_after = -1;          // working days after the due time; < 0: never
  std::string reassign_role;        // the role the task moves to (at that role's tier)
};

inline constexpr int kLevelOverdue = 1;
inline constexpr int kLevelSupervisor = 2;
inline constexpr int kLevelReassigned = 3;

class EscalationPolicy {
 public:
  EscalationPolicy() = default;  // notify supervisors after 2 working days, never reassign

  // Errors (kInvalidArgument naming `origin`): malformed JSON, an unknown
  // stage or role, a reassign role whose tier is not above the stage's tier,
  // negative days, reassignment not after the supervisor notice.
  static Result<EscalationPolicy> FromJson(const std::string& text, const std::string& origin,
                                           const ProgrammeCatalog& catalog);
  static Result<EscalationPolicy> LoadFile(const std::string& path,
                                           const ProgrammeCatalog& catalog);

  const EscalationRule& For(CaseState stage) const;
  const std::vector<std::string>& supervisor_roles() const { return supervisor_roles_; }

  // When `level` (1..3) fires for a task due at `due_at`; nullopt if the rule
  // has no such level.
  std::optional<Micros> FireTime(CaseState stage, Micros due_at, int level,
                                 const WorkingCalendar& calendar) const;
  // The first level above `level` that exists, with its time; nullopt if none.
  std::optional<std::pair<int, Micros>> NextLevel(CaseState stage, Micros due_at, int level,
                                                  const WorkingCalendar& calendar) const;

 private:
  EscalationRule default_;
  std::map<CaseState, EscalationRule> stages_;
  std::vector<std::string> supervisor_roles_ = {"district_supervisor", "city_supervisor"};
};

}  // namespace jiuzhu
