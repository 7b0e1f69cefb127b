// 申报承诺 and 民主评议: the pledge (fast track) and the democratic review
// (ordinary route).
#include "engine/usecases/case_transition.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu {

Result<CommandOutcome> PledgeCase(const EngineContext& ctx, StoreTxn& txn,
                                  const PledgeRequest& req) {
  if (req.signer_name.find_first_not_of(' ') == std::string::npos) {
    return InvalidArgument("the pledge needs the signer's name", "signer_name");
  }
  CaseChange change;
  change.event = CaseEvent::kPledge;
  change.facts.pledge_signed = req.signed_by_applicant;
  change.payload["pledge"] = {{"signed", req.signed_by_applicant},
                              {"signer_name", req.signer_name},
                              {"statement", req.statement}};
  const Micros now = ctx.clock->Now();
  change.mutate = [&req, now](CaseRecord& c, nlohmann::json&) -> Status {
    if (req.signer_name != c.applicant_name) {
      return InvalidArgument("the pledge must be signed by the applicant (" + c.applicant_name +
                                 ")",
                             "signer_name");
    }
    c.pledge_json = nlohmann::json{{"signed", req.signed_by_applicant},
                                   {"signer_name", req.signer_name},
                                   {"statement", req.statement},
                                   {"signed_at", FormatUtc(now)}}
                        .dump();
    return Status::Ok();
  };
  // The fast track may be closed to a programme, and to an applicant with a
  // credit record (失信) whose ban has not ended.
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.LockCase(req.cmd.case_id));
  std::vector<CreditRecord> bans;
  if (c) {
    auto programme = ctx.programmes->Find(c->programme);
    change.facts.fast_track_allowed = programme.ok() && (*programme)->fast_track_allowed;
    JZ_ASSIGN_OR_RETURN(auto records, txn.ListCreditRecords(c->id_hash));
    bans = ActiveBans(records, now);
    if (!bans.empty()) change.facts.fast_track_allowed = false;
  }
  auto out = RunCaseEvent(ctx, txn, req.cmd, std::move(change));
  if (!out.ok() && !bans.empty() && out.status().code() == ErrorCode::kFailedPrecondition) {
    // Name the record, so the clerk can tell the applicant why.
    const CreditRecord& b = bans.front();
    return FailedPrecondition(out.status().message() + ": credit record (失信) of " +
                              FormatUtc(b.recorded_at) + " for case " + std::to_string(b.case_id) +
                              " bars the fast track until " + FormatUtc(b.ban_until) +
                              "; take the ordinary route");
  }
  return out;
}

Result<CommandOutcome> CompleteReview(const EngineContext& ctx, StoreTxn& txn,
                                      const ReviewRequest& req) {
  if (req.votes_for < 0 || req.votes_against < 0) {
    return InvalidArgument("votes cannot be negative", "votes");
  }
  if (req.votes_for <= req.votes_against) {
    return InvalidArgument(
        "the review did not pass (" + std::to_string(req.votes_for) + " for, " +
            std::to_string(req.votes_against) + " against); reject the case with a reason instead",
        "votes");
  }
  CaseChange change;
  change.event = CaseEvent::kCompleteReview;
  change.payload["review"] = {{"votes_for", req.votes_for}, {"votes_against", req.votes_against}};
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}

}  // namespace jiuzhu
