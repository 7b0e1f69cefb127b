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

// --- post-audit of the fast track (issue 6; engine/sampling, engine/usecases/post_audit) ---

// A post-audit sample (抽查批次). Created with its seed recorded ("seeded"),
// then drawn once ("drawn"): the frozen population and the items are written
// with the draw.
struct AuditSampleRecord {
  std::int64_t id = 0;
  std::string status;       // "seeded" | "drawn"
  std::string org_unit_id;  // the unit of the auditor binding that created it
  std::string created_by;
  Micros created_at = 0;
  std::string seed;             // 64 lowercase hex digits, recorded before the draw
  std::string parameters_json;  // canonical parameters (engine/usecases/post_audit.hpp)
  std::string parameters_hash;
  std::string drawn_by;
  Micros drawn_at = 0;
  std::string population_hash;
  std::int64_t population_size = 0;
  std::string sample_hash;
  std::string strata_json = "[]";  // per-stratum sizes, as drawn
};

// One sampled case and what the post-audit found and decided about it.
// Status: pending (audit task open) → confirmed, or → reverifying (street
// re-verification task) → awaiting_decision (district task) → upheld |
// adjusted | revoked.
struct AuditItemRecord {
  std::int64_t id = 0;
  std::int64_t sample_id = 0;
  CaseId case_id = 0;
  std::string programme;
  std::string district_id;
  std::string street_id;
  std::string org_path;
  std::string approver;  // who approved the case on the fast track
  Micros approved_at = 0;
  std::string status;
  TaskId task_id = 0;  // the item's open task; 0 once it has none
  Micros created_at = 0;
  std::string category;  // discrepancy category; empty when confirmed
  std::string evidence;
  std::string found_by;
  Micros found_at = 0;
  std::string reverification;  // the street's re-verification notes
  std::string reverified_by;
  Micros reverified_at = 0;
  std::string decision_reason;
  std::string decided_by;
  Micros decided_at = 0;
  std::int64_t amount_to_recover_fen = 0;
};

// 失信记录: a revoked pledge, kept by the applicant's ID hash.
struct CreditRecord {
  std::int64_t id = 0;
  std::string id_hash;
  std::string id_masked;
  std::string applicant_name;
  CaseId case_id = 0;
  std::int64_t item_id = 0;
  std::string programme;
  std::string org_path;
  std::string reason;
  std::string category;
  std::int64_t amount_to_recover_fen = 0;
  std::string recorded_by;
  Micros recorded_at = 0;
  Micros ban_until = 0;  // fast track refused before this instant
};

// A case approved on the fast track, as the population query finds it.
struct FastTrackApproval {
  CaseId case_id = 0;
  std::string programme;
  std::string village_id;
  std::string org_path;
  std::string approver;  // actor of the case's last approve event
  Micros approved_at = 0;
  bool flagged = false;  // a data-comparison alert was matched to the case
};

// A data-comparison or sensor alert (监测预警) as received and what became of it.
struct AlertRecord {
  std::int64_t id = 0;
  Micros received_at = 0;
  std::string received_by;  // the feed's account
  std::string source;       // "yibao", "power_grid", "civil_registry", ...
  std::string kind;         // workflows/alerts.json
  std::string external_id;  // the feed's own id; empty: none sent
  std::string id_hash;      // HMAC of the ID number; empty when missing or invalid
  std::string id_masked;
  Micros occurred_at = 0;
  std::int64_t amount_fen = 0;
  std::string details;
  std::string status;  // "matched" | "unmatched" | "below_threshold" | "malformed"
  std::string error;   // why unmatched or malformed
  CaseId case_id = 0;
  TaskId task_id = 0;
  std::string org_path;  // the matched case's path
  std::string raw;       // the body as received
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
