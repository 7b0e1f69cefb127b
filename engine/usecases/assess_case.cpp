#include <cmath>
#include <cstdio>

#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

namespace {
std::string Yuan(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

Status ValidateAssessment(const AssessRequest& req) {
  if (req.members.empty()) return InvalidArgument("at least one household member", "members");
  if (req.members.size() > 30) return InvalidArgument("too many household members", "members");
  for (size_t i = 0; i < req.members.size(); ++i) {
    if (req.members[i].name.find_first_not_of(' ') == std::string::npos) {
      return InvalidArgument("member " + std::to_string(i + 1) + " has no name", "members");
    }
  }
  struct Amount {
    const char* field;
    double value;
  };
  for (const Amount& a : {Amount{"annual_income", req.annual_income_yuan},
                          Amount{"assets", req.assets_yuan},
                          Amount{"medical_expense", req.annual_medical_expense_yuan},
                          Amount{"education_expense", req.annual_education_expense_yuan}}) {
    if (!std::isfinite(a.value) || a.value < 0) {
      return InvalidArgument(std::string(a.field) + " must be a number >= 0", a.field);
    }
  }
  if (!std::isfinite(req.dibao_line_monthly_yuan) || req.dibao_line_monthly_yuan <= 0) {
    return InvalidArgument("dibao line must be a positive monthly amount", "dibao_line");
  }
  if (!std::isfinite(req.low_income_line_monthly_yuan) ||
      req.low_income_line_monthly_yuan < req.dibao_line_monthly_yuan) {
    return InvalidArgument("low-income line must be at least the dibao line", "low_income_line");
  }
  return Status::Ok();
}
}  // namespace

AssessmentResult EvaluateAssessment(const AssessRequest& req) {
  AssessmentResult r;
  // Rigid expenditure (medical, education) counts against income.
  const double counted = std::max(
      0.0, req.annual_income_yuan - req.annual_medical_expense_yuan - req.annual_education_expense_yuan);
  const double members = static_cast<double>(std::max<size_t>(1, req.members.size()));
  r.per_capita_monthly_yuan = counted / 12.0 / members;
  const std::string pc = "家庭月人均收入 " + Yuan(r.per_capita_monthly_yuan) + " 元";
  if (r.per_capita_monthly_yuan < req.dibao_line_monthly_yuan) {
    r.pool = Pool::kRelief;
    r.reason = pc + "，低于低保标准 " + Yuan(req.dibao_line_monthly_yuan) + " 元：纳入救助库";
  } else if (r.per_capita_monthly_yuan < req.low_income_line_monthly_yuan) {
    r.pool = Pool::kMonitoring;
    r.reason = pc + "，低于低收入标准 " + Yuan(req.low_income_line_monthly_yuan) +
               " 元：纳入监测库（一类库）";
  } else {
    r.pool = Pool::kGeneral;
    r.reason = pc + "，不低于低收入标准 " + Yuan(req.low_income_line_monthly_yuan) +
               " 元：纳入一般库（二类库）";
  }
  return r;
}

Result<CommandOutcome> AssessCase(const EngineContext& ctx, StoreTxn& txn,
                                  const AssessRequest& req) {
  JZ_RETURN_IF_ERROR(ValidateAssessment(req));
  const AssessmentResult result = EvaluateAssessment(req);
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : req.members) {
    members.push_back({{"name", m.name},
                       {"relation", m.relation},
                       {"serious_illness", m.serious_illness},
                       {"severe_disability", m.severe_disability},
                       {"elderly", m.elderly},
                       {"can_work", m.can_work}});
  }
  // Every figure the decision used is kept with it.
  nlohmann::json assessment = {
      {"members", members},
      {"annual_income_yuan", req.annual_income_yuan},
      {"assets_yuan", req.assets_yuan},
      {"annual_medical_expense_yuan", req.annual_medical_expense_yuan},
      {"annual_education_expense_yuan", req.annual_education_expense_yuan},
      {"dibao_line_monthly_yuan", req.dibao_line_monthly_yuan},
      {"low_income_line_monthly_yuan", req.low_income_line_monthly_yuan},
      {"per_capita_monthly_yuan", result.per_capita_monthly_yuan},
      {"pool", PoolName(result.pool)},
      {"reason", result.reason}};
  CaseChange change;
  change.event = CaseEvent::kAssess;
  change.payload["assessment"] = assessment;
  change.mutate = [assessment, pool = result.pool](CaseRecord& c) {
    c.assessment_json = assessment.dump();
    c.pool = pool;
    return Status::Ok();
  };
  return RunCaseEvent(ctx, txn, req.cmd, std::move(change));
}

}  // namespace jiuzhu
