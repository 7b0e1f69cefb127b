// 转介推送 and 帮扶反馈: referrals to departments and their answers.
#include <cmath>
#include <set>

#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

Result<CommandOutcome> ReferCase(const EngineContext& ctx, StoreTxn& txn, const ReferRequest& req) {
  if (req.referrals.empty()) {
    return InvalidArgument("name at least one department to refer to", "referrals");
  }
  std::set<std::string> seen;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : req.referrals) {
    if (r.department_code.empty()) return InvalidArgument("department code missing", "referrals");
    if (!seen.insert(r.department_code).second) {
      return InvalidArgument("department " + r.department_code + " named twice", "referrals");
    }
    list.push_back({{"department", r.department_code}, {"note", r.note}});
  }
  CaseChange change;
  change.event = CaseEvent::kRefer;
  change.new_referrals = req.referrals;
  change.payload["referrals"] = list;
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}

Result<CommandOutcome> RecordFeedback(const EngineContext& ctx, StoreTxn& txn,
                                      const FeedbackRequest& req) {
  if (req.answer != "provided" && req.answer != "declined" && req.answer != "not_applicable") {
    return InvalidArgument("answer must be provided, declined or not_applicable", "answer");
  }
  if (req.answer != "provided" && req.details.find_first_not_of(' ') == std::string::npos) {
    return InvalidArgument("say why the help was not provided", "details");
  }
  if (!std::isfinite(req.amount_yuan) || req.amount_yuan < 0) {
    return InvalidArgument("amount must be a number >= 0", "amount");
  }
  if (req.department_code.empty()) return InvalidArgument("department code missing", "department");
  const nlohmann::json answer = {{"department", req.department_code},
                                 {"answer", req.answer},
                                 {"details", req.details},
                                 {"amount_yuan", req.amount_yuan}};
  CaseChange change;
  change.event = CaseEvent::kFeedback;
  change.answering_department = req.department_code;
  change.payload["feedback"] = answer;
  change.answer = [answer, a = req.answer](ReferralRecord& r) {
    r.answer = a;
    r.answer_json = answer.dump();
  };
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}

}  // namespace jiuzhu
