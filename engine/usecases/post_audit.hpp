// Post-audit of the pledge fast track (事后抽查, 放得开、管得住): the use cases
// of issue 6. The draw itself is engine/sampling (seed, frozen population,
// deterministic stratified draw); this file turns it into work and
// consequences.
//
//  1. CreateSample: an auditor fixes the parameters; a fresh seed is
//     generated and recorded with them BEFORE anything is drawn (status
//     "seeded"), so the seed is on record, and shown, before anyone can know
//     which cases it picks.
//  2. DrawAuditSample: freezes the population (fast-track approvals in the
//     period, inside their post-audit window at the draw instant, in the
//     subtree, of the programmes), draws by the recorded seed, stores the
//     frozen list with its hash, one item per chosen case and an audit task
//     per item (role auditor at the case's unit of the auditor's tier, with
//     the programme's audit_task_working_days). Each sampled case gets an
//     audit event "post_audit_sampled" naming sample, seed and hashes.
//  3. RecordFinding (auditor): confirmed, or discrepancy with a category and
//     evidence → a re-verification task for the street.
//  4. RecordReverification (street reviewer) → a decision task for the district.
//  5. DecidePostAudit (district approver): uphold (assistance continues),
//     adjust (with what changes), or revoke: the case goes to the terminal
//     state revoked through the lifecycle, the amount to recover is recorded
//     and a credit record (失信) bars the applicant from the fast track for
//     the programme's fast_track_ban_working_days.
// Nobody audits or decides on a case they approved themselves (容错免责
// needs the decision and its check to be different people).
//
// Every step is one command in the caller's transaction and appends exactly
// one audit event to the case (the draw: one per sampled case). Errors as in
// case_commands.hpp; an item the actor may not see is kNotFound.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/common/status.hpp"
#include "engine/sampling/draw.hpp"
#include "engine/sampling/post_audit_policy.hpp"
#include "engine/sampling/sample_parameters.hpp"
#include "engine/store/case_store.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

// Item statuses.
inline constexpr const char kItemPending[] = "pending";
inline constexpr const char kItemConfirmed[] = "confirmed";
inline constexpr const char kItemReverifying[] = "reverifying";
inline constexpr const char kItemAwaitingDecision[] = "awaiting_decision";
inline constexpr const char kItemUpheld[] = "upheld";
inline constexpr const char kItemAdjusted[] = "adjusted";
inline constexpr const char kItemRevoked[] = "revoked";
// Task kinds of the post-audit. Lifecycle stage changes leave these tasks
// alone (they follow the item, not the stage); a terminal transition closes them.
inline constexpr const char kTaskPostAudit[] = "post_audit";
inline constexpr const char kTaskReverify[] = "post_audit_reverify";
inline constexpr const char kTaskDecision[] = "post_audit_decision";
bool IsPostAuditTask(const TaskRecord& t);
// Chinese name of a post-audit task kind for task lists; nullptr for other kinds.
const char* PostAuditTaskLabelZh(const std::string& kind);
// Discrepancy categories: undeclared_income, assets, household_members, other.
const std::vector<std::string>& DiscrepancyCategories();

// Parameters <-> JSON: {"period_from": ISO instant or local date, "period_to": ...,
// "rate": 0.1 | "10%", "strata": ["district", ...], "minimum_per_stratum": 1,
// "always_include_flagged": false, "programmes": ["dibao"], "org_subtree_path": "/.../"}.
// Parse errors are kInvalidArgument naming the field. The JSON written back
// (stored with the sample) has UTC instants and "rate_basis_points".
Result<SampleParameters> ParametersFromJson(const nlohmann::json& j);
nlohmann::json ParametersToJson(const SampleParameters& p);

struct CreateSampleRequest {
  UserRecord actor;
  SampleParameters parameters;  // org_subtree_path empty: the auditor's own unit
  std::string seed;             // empty: a fresh one (only tests and re-derivations pass one)
};
// kPermissionDenied unless the actor holds the auditor role, and the subtree
// lies inside a unit where they hold it; kInvalidArgument for bad
// parameters or an unknown programme.
Result<AuditSampleRecord> CreateSample(const EngineContext& ctx, StoreTxn& txn,
                                       const CreateSampleRequest& req);

struct DrawOutcome {
  AuditSampleRecord sample;
  SampleResult result;
  std::vector<AuditItemRecord> items;
  std::vector<TaskRecord> tasks;
};
// kNotFound: no such sample visible to the actor; kFailedPrecondition: drawn already.
Result<DrawOutcome> DrawAuditSample(const EngineContext& ctx, StoreTxn& txn,
                                    const UserRecord& actor, std::int64_t sample_id);

// The population a draw at `now` would freeze for `params` (canonical), as
// entries with district, street and approver filled in.
Result<std::vector<PopulationEntry>> CollectPopulation(
    const EngineContext& ctx, const std::vector<FastTrackApproval>& approvals,
    const SampleParameters& params, Micros now);

struct ItemOutcome {
  AuditItemRecord item;
  CommandOutcome command;
  std::optional<CreditRecord> credit;  // revoke only
};

struct FindingRequest {
  UserRecord actor;
  std::int64_t item_id = 0;
  std::string result;    // "confirmed" | "discrepancy"
  std::string category;  // discrepancy only
  std::string evidence;  // required for a discrepancy
};
Result<ItemOutcome> RecordFinding(const EngineContext& ctx, StoreTxn& txn, const FindingRequest& req);

struct ReverifyRequest {
  UserRecord actor;
  std::int64_t item_id = 0;
  bool discrepancy_confirmed = true;  // the re-visit found the discrepancy true
  std::string notes;                  // what the re-visit found (required)
};
Result<ItemOutcome> RecordReverification(const EngineContext& ctx, StoreTxn& txn,
                                         const ReverifyRequest& req);

struct PostAuditDecisionRequest {
  UserRecord actor;
  std::int64_t item_id = 0;
  std::string decision;  // "uphold" | "adjust" | "revoke"
  std::string reason;    // required
  std::int64_t amount_to_recover_fen = 0;  // revoke only, >= 0
};
Result<ItemOutcome> DecidePostAudit(const EngineContext& ctx, StoreTxn& txn,
                                    const PostAuditDecisionRequest& req);

// The resample check (`jiuzhu audit resample <id>`): re-derives a drawn
// sample from its stored seed, parameters and frozen population and compares
// it with what was stored (hashes, chosen cases = the items, strata). OK when
// everything matches; kFailedPrecondition naming each difference otherwise
// (see VerifySample); kFailedPrecondition too when the sample is not drawn, or
// the stored frozen population no longer hashes to the recorded hash.
Status ResampleCheck(const AuditSampleRecord& sample, const std::vector<PopulationEntry>& frozen,
                     const std::vector<AuditItemRecord>& items);

// The credit records that bar `id_hash` from the fast track at `now`.
std::vector<CreditRecord> ActiveBans(const std::vector<CreditRecord>& records, Micros now);

// Statistics (pass rate 通过率 of fast-track cases): items grouped by the
// unit at `tier` (district or street) of the case and the local month of the
// approval. A finished item passed when confirmed or upheld.
struct PostAuditStatsRow {
  std::string org_unit_id;
  std::string month;  // "2026-10"
  std::int64_t sampled = 0;
  std::int64_t finished = 0;  // confirmed, upheld, adjusted or revoked
  std::int64_t passed = 0;    // confirmed or upheld
  std::int64_t discrepancies = 0;
  std::int64_t revoked = 0;
};
struct PostAuditStats {
  std::vector<PostAuditStatsRow> rows;  // by unit, then month
  std::map<std::string, std::int64_t> categories;  // discrepancy category → items
  std::int64_t revocations = 0;
  std::int64_t amount_to_recover_fen = 0;
};
PostAuditStats ComputePostAuditStats(const std::vector<AuditItemRecord>& items, Tier tier);

}  // namespace jiuzhu
