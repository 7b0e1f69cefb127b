// 综合评估: the assess command and its preview, both through the calculator.
#include "engine/access/access_policy.hpp"
#include "engine/assessment/household_json.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

Result<HouseholdAssessment> AssessForCase(const EngineContext& ctx, const CaseRecord& c,
                                          AssessmentInput household) {
  const OrgUnitRecord* district = ctx.org->AncestorAtTier(c.village_id, Tier::kDistrict);
  if (district == nullptr) {
    return Internal("village " + c.village_id + " of case " + std::to_string(c.id) +
                    " has no district above it in the org tree");
  }
  household.district = district->id;
  household.year = LocalDate(ctx.clock->Now(), ctx.calendar->zone()).year;
  auto result = AssessHousehold(*ctx.standards, household);
  if (!result.ok() && result.status().code() == ErrorCode::kInvalidArgument &&
      (result.status().field() == "district" || result.status().field() == "year")) {
    // Not the caller's input: the standards data lacks this district-year.
    return Status(ErrorCode::kFailedPrecondition,
                  "no assessment standards for " + district->name + " (" + district->id + ") in " +
                      std::to_string(household.year) +
                      " in workflows/standards: " + result.status().message(),
                  result.status().field());
  }
  return result;
}

nlohmann::json AssessmentRecordJson(const AssessmentInput& household,
                                    const HouseholdAssessment& result, Micros assessed_at) {
  nlohmann::json j = AssessmentToJson(result);
  j["household"] = HouseholdToJson(household);
  j["assessed_at"] = FormatUtc(assessed_at);
  return j;
}

Result<CommandOutcome> AssessCase(const EngineContext& ctx, StoreTxn& txn,
                                  const AssessRequest& req) {
  CaseChange change;
  change.event = CaseEvent::kAssess;
  // The calculator runs on the locked case row, so the district is the
  // case's as of this transaction.
  change.mutate = [&ctx, &req](CaseRecord& c, nlohmann::json& payload) -> Status {
    JZ_ASSIGN_OR_RETURN(HouseholdAssessment result, AssessForCase(ctx, c, req.household));
    const nlohmann::json record = AssessmentRecordJson(req.household, result, ctx.clock->Now());
    c.assessment_json = record.dump();
    c.pool = result.pool;
    payload["assessment"] = {
        {"household", record.at("household")},
        {"pool", record.at("pool")},
        {"eligible_programmes", record.at("eligible_programmes")},
        {"per_capita_monthly", record.at("income").at("per_capita_monthly")},
        {"standards", {{"district", result.figures.district}, {"year", result.figures.year}}},
        {"reasons", record.at("reasons")}};
    return Status::Ok();
  };
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}

Result<HouseholdAssessment> PreviewAssessment(const EngineContext& ctx, CaseStore& store,
                                              const UserRecord& actor, CaseId case_id,
                                              const AssessmentInput& household) {
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, store.GetCase(case_id));
  if (!c) return CaseNotFound(case_id);
  JZ_ASSIGN_OR_RETURN(std::vector<ReferralRecord> referrals, store.ListReferralsForCase(case_id));
  if (!ActorSeesCase(*ctx.org, actor, *c, referrals)) return CaseNotFound(case_id);
  return AssessForCase(ctx, *c, household);
}

}  // namespace jiuzhu
