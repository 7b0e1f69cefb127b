// Plain records exchanged between the engine and the store port. No driver
// types; every enum is stored by its stable name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/time.hpp"
#include "engine/domain/case_types.hpp"

namespace jiuzhu {

using CaseId = std::int64_t;
using TaskId = std::int64_t;
using ReferralId = std::int64_t;

struct OrgUnitRecord {
  std::string id;         // stable code, e.g. "640202001"
  std::string name;       // 星海镇
  Tier tier = Tier::kVillage;
  std::string parent_id;  // empty for the root
  std::string department_code;  // departments only, e.g. "canlian"
  std::string path;       // materialised path "/6402/640202/640202001/"
};

struct RoleBindingRecord {
  std::string role;         // e.g. "street_reviewer"
  std::string org_unit_id;  // where the role is held
};

struct UserRecord {
  std::string username;
  std::string display_name;
  std::string password_hash;  // empty until sign-in exists (API issue)
  std::vector<RoleBindingRecord> roles;
};

struct CaseRecord {
  CaseId id = 0;
  std::string programme;  // "dibao"
  CaseState state = CaseState::kDiscover;
  Route route = Route::kUndecided;
  Pool pool = Pool::kNone;
  std::int64_t version = 0;  // bumped by every accepted command
  std::string applicant_name;
  std::string id_hash;    // HMAC of the ID number: dedup key
  std::string id_masked;  // 640202********1234
  std::string id_cipher;  // AES-GCM of the full number, for roles that need it
  std::string village_id;
  std::string org_path;   // path of the village, for subtree scopes
  std::string assessment_json;  // empty until assessed
  std::string pledge_json;      // empty unless pledged
  Micros created_at = 0;
  Micros updated_at = 0;
  Micros promised_by = 0;  // end-to-end deadline of the chosen route (0: undecided)
  Micros decided_at = 0;   // when it was approved or rejected (0: not yet)
  std::int64_t audit_head_seq = 0;  // last audit event of this case
  std::string audit_head_hash;
};

struct TaskRecord {
  TaskId id = 0;
  CaseId case_id = 0;
  std::string programme;
  CaseState stage = CaseState::kDiscover;  // the stage that opened it
  std::string kind;          // "intake", "approval", "referral_feedback", ...
  std::string role;          // role that works it
  std::string org_unit_id;   // unit it is routed to
  std::string org_path;      // path of that unit
  TaskState state = TaskState::kOpen;
  Micros created_at = 0;
  Micros due_at = 0;
  std::string claimed_by;    // username, empty when unclaimed
  Micros claimed_at = 0;
  Micros completed_at = 0;
  std::string outcome;       // event that closed it, or "cancelled: <why>"
  ReferralId referral_id = 0;  // for referral_feedback tasks
  // Deadline escalation (engine/deadlines): 0 none yet, 1 overdue (assignee and
  // queue reminded), 2 supervisor of the parent tier notified, 3 moved up a tier.
  int escalation_level = 0;
  Micros escalate_at = 0;  // when the next level fires; 0 once none is left or the task closed
};

enum class NotificationKind { kReminder, kOverdue, kEscalation, kReassigned, kDeadlineChanged };
const char* NotificationKindName(NotificationKind k);
std::optional<NotificationKind> ParseNotificationKind(std::string_view name);

// A message to one person, shown in the web app's bell and handed to the
// notification sender (log by default) after its transaction committed.
struct NotificationRecord {
  std::int64_t id = 0;
  std::string username;
  NotificationKind kind = NotificationKind::kReminder;
  std::string title;  // one line, Chinese
  std::string body;
  TaskId task_id = 0;
  CaseId case_id = 0;
  Micros created_at = 0;
  Micros read_at = 0;  // 0: unread
};

enum class ReferralStatus { kPending, kAnswered };

struct ReferralRecord {
  ReferralId id = 0;
  CaseId case_id = 0;
  std::string department_code;  // "canlian"
  std::string department_unit_id;
  ReferralStatus status = ReferralStatus::kPending;
  std::string note;         // what the approver asked for
  std::string policies;     // catalogue policy codes asked for, comma-separated ("" none)
  std::string answer;       // "provided" | "declined" | "not_applicable"
  std::string answer_json;  // details of the answer
  Micros requested_at = 0;
  Micros due_at = 0;
  Micros answered_at = 0;
};

struct AuditEventRecord {
  CaseId case_id = 0;
  std::int64_t seq = 0;    // 1, 2, 3 ... per case
  Micros at = 0;           // UTC µs
  std::string actor;       // username
  std::string role;
  std::string org_unit_id;
  std::string action;      // event name, "discover", "claim_task", ...
  std::string from_state;  // empty for discover
  std::string to_state;
  std::string payload;     // canonical JSON (sorted keys)
  std::string prev_hash;   // hex; empty for seq 1
  std::string hash;        // hex SHA-256 over the canonical encoding
};

// The first answer to an HTTP command sent with an Idempotency-Key.
struct IdempotencyRecord {
  std::string username;
  std::string key;           // as sent by the client (at most 128 characters)
  std::string request_hash;  // SHA-256 of method, path and body: a reused key with another request is refused
  int status = 0;            // HTTP status of the first answer
  std::string response_body;
  Micros created_at = 0;
};

// An alert from a data-comparison or sensor feed (监测预警): kept whatever
// became of it, so nothing a feed sends is silently dropped.
enum class AlertStatus {
  kMatched,    // an open case of the person: a reassessment task was opened
  kUnmatched,  // valid, but the person has no open case
  kMalformed,  // refused: `error` says which field and why
};
const char* AlertStatusName(AlertStatus s);  // "matched", "unmatched", "malformed"
std::optional<AlertStatus> ParseAlertStatus(std::string_view name);

struct AlertRecord {
  std::int64_t id = 0;
  Micros received_at = 0;
  std::string received_by;  // the feed's username
  std::string source;       // e.g. "yibao-settlement", "grid-electricity"
  std::string kind;         // see kAlertKinds (engine/usecases/monitoring.hpp)
  std::string id_hash;      // "" when the alert carried no valid ID number
  std::string id_masked;
  AlertStatus status = AlertStatus::kUnmatched;
  CaseId case_id = 0;  // matched: the case
  TaskId task_id = 0;  // matched: the reassessment task opened
  std::string error;   // malformed: "field: message"
  std::string payload; // the alert as received (JSON text)
};

// One quarter's revisit (一季度一访问) of a household: at most one per
// (id_hash, quarter), whichever server process schedules it.
struct RevisitRecord {
  std::string id_hash;  // the household's ID-number hash (CaseRecord::id_hash)
  std::string quarter;  // "2026Q1", in Asia/Shanghai
  CaseId case_id = 0;
  TaskId task_id = 0;   // the quarterly_visit task opened for it
  Micros created_at = 0;
};

// A task row rewritten: `after` replaces the row only while it still holds
// `before`'s state, unit and role (the task as read in this transaction).
struct TaskUpdate {
  TaskRecord before;
  TaskRecord after;
};

// Everything one command changes, written in one transaction by
// StoreTxn::Apply. The engine computes it; the store only writes it.
struct CommandEffects {
  std::optional<CaseRecord> insert_case;
  // Case row rewritten when its version is still `expected_version`.
  std::optional<CaseRecord> update_case;
  std::int64_t expected_version = 0;
  std::vector<TaskRecord> insert_tasks;
  std::vector<TaskUpdate> update_tasks;
  std::vector<ReferralRecord> insert_referrals;
  std::vector<ReferralRecord> update_referrals;  // rewritten by id
  std::vector<NotificationRecord> insert_notifications;
  std::vector<RevisitRecord> insert_revisits;  // kAlreadyExists when the quarter has one
  AuditEventRecord audit;
};

}  // namespace jiuzhu
