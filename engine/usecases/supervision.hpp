// The deadline clock and supervisors' commands (issue 5).
//
// EscalateDueTasks is run by the scheduler (api/runtime/deadline_scheduler):
// it takes the tasks whose next escalation level is due and fires every level
// that is due, each with one sealed audit event on the task's case and its
// notifications, written through StoreTxn::Apply. Levels are idempotent: a
// task's level only moves up, the task row is rewritten only while it still
// holds the level read (a second process that raced gets kConflict and rolls
// back), and MySQL hands each due task to one process (SKIP LOCKED).
//
// Every event (overdue, escalation, deadline change, reminder, reassignment)
// appends one sealed audit event and moves the case version, like every other
// command: the trail's seq and the version stay equal.
#pragma once

#include <string>
#include <vector>

#include "engine/deadlines/escalation_policy.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

// Who holds which role where, for finding the people to notify.
class PeopleIndex {
 public:
  explicit PeopleIndex(const std::vector<UserRecord>& users);
  // Usernames holding `role` at exactly `unit_id`, sorted.
  std::vector<std::string> Holding(const std::string& role, const std::string& unit_id) const;
  const UserRecord* Find(const std::string& username) const;

 private:
  std::map<std::string, std::vector<std::string>> by_binding_;  // "role@unit" -> usernames
  std::map<std::string, UserRecord> users_;
};

inline constexpr char kSystemActor[] = "system:deadline-clock";

struct EscalationRun {
  int tasks = 0;         // tasks taken
  int levels_fired = 0;  // audit events written
  std::vector<NotificationRecord> notifications;  // to hand to the sender after commit
};

// Fires the due levels of at most `limit` due tasks (the clock's now).
Result<EscalationRun> EscalateDueTasks(const EngineContext& ctx, const EscalationPolicy& policy,
                                       const PeopleIndex& people, StoreTxn& txn, int limit);

// 改派: a supervisor (a supervisor role of the policy at the task's unit or
// above it) gives an active task to another person holding the task's role at
// its unit. The task becomes claimed by them; the case version moves.
// kNotFound if the task is outside the actor's supervision; kInvalidArgument
// (field "to_user") if the person does not hold the role there;
// kFailedPrecondition if the task is closed.
struct ReassignRequest {
  UserRecord actor;
  TaskId task_id = 0;
  std::string to_user;
  std::string reason;
};
Result<CommandOutcome> ReassignTask(const EngineContext& ctx, const EscalationPolicy& policy,
                                    const PeopleIndex& people, StoreTxn& txn,
                                    const ReassignRequest& req);

// 督办提醒: a supervisor reminds the assignee (or, if unclaimed, the queue).
struct RemindRequest {
  UserRecord actor;
  TaskId task_id = 0;
  std::string message;
};
struct RemindOutcome {
  std::vector<NotificationRecord> notifications;
  AuditEventRecord event;
};
Result<RemindOutcome> RemindTask(const EngineContext& ctx, const EscalationPolicy& policy,
                                 const PeopleIndex& people, StoreTxn& txn,
                                 const RemindRequest& req);

// The units `actor` supervises (a supervisor role of the policy), outermost first.
std::vector<std::string> SupervisedUnits(const EngineContext& ctx, const EscalationPolicy& policy,
                                         const UserRecord& actor);

// After a change of the calendar files: recomputes the deadline of active
// tasks that are not yet due (due_at > now) from their opening time and their
// stage's working days, and each case's promise, recording each change with
// `reason` in the audit trail and telling the assignee. Processes tasks with
// id > after_id, at most `limit`; returns the last id seen (0 when done).
struct RecomputeRun {
  TaskId last_id = 0;
  int changed = 0;
  std::vector<NotificationRecord> notifications;
};
Result<RecomputeRun> RecomputeDeadlines(const EngineContext& ctx, StoreTxn& txn,
                                        const std::string& reason, TaskId after_id, int limit);

}  // namespace jiuzhu
