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
  std::vector<ReferralSpec> specs = req.referrals;
  nlohmann::json list = nlohmann::json::array();
  for (auto& r : specs) {
    if (r.department_code.empty()) return InvalidArgument("department code missing", "referrals");
    if (!seen.insert(r.department_code).second) {
      return InvalidArgument("department " + r.department_code + " named twice", "referrals");
    }
    std::set<std::string> policies;
    std::string names;
    for (const auto& code : r.policies) {
      const Policy* p = ctx.policies ? ctx.policies->Find(code) : nullptr;
      if (p == nullptr) return InvalidArgument("unknown policy \"" + code + "\"", "referrals");
      if (p->department != r.department_code) {
        return InvalidArgument("policy " + code + " (" + p->name + ") belongs to department " +
                                   p->department + ", not " + r.department_code,
                               "referrals");
      }
      if (!policies.insert(code).second) {
        return InvalidArgument("policy " + code + " named twice", "referrals");
      }
      names += (names.empty() ? "" : "、") + p->name;
    }
    if (r.note.find_first_not_of(' ') == std::string::npos) r.note = names;
    nlohmann::json item = {{"department", r.department_code}, {"note", r.note}};
    if (!r.policies.empty()) item["policies"] = r.policies;
    list.push_back(std::move(item));
  }
  CaseChange change;
  change.event = CaseEvent::kRefer;
  change.new_referrals = std::move(specs);
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
