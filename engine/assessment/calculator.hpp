// The assessment calculator (综合评估): from a household's members, the 12
// months of income before application, its assets and rigid expenditure, and
// the district's standards (standards.hpp), decides the per-capita monthly
// income after deductions, the programmes the household is eligible for now
// (低保 dibao, 特困 tekun, 临时救助 linshi), whether it is a low-income
// household (低收入 / 低保边缘), and the pool (分层分类): relief 救助库,
// monitoring 监测库 (一类库), general 一般库 (二类库), with reasons in Chinese.
// Every figure used is returned in `AssessmentFigures` to be stored with the
// assessment (AssessmentFiguresToJson) and shown later.
//
// The rules, in order (all money in fen, integer arithmetic, rounding down):
//  1. income = Σ kinds Σ 12 months (wages, business, property, transfers).
//  2. circumstance deduction = income × min(cap, Σ members Σ their
//     circumstances' percents) / 100. A member at or above the elderly age
//     counts as elderly even without the flag.
//  3. medical deduction = max(0, medical − threshold) × medical% / 100;
//     education deduction = education × education% / 100.
//  4. counted = max(0, income − the three deductions); per-capita monthly =
//     counted / 12 / members. "Below a line" means counted < line × 12 ×
//     members, exactly (so a household exactly at the line is not below it).
//  5. Assets within limits: deposits <= deposit months × dibao line ×
//     members; counted vehicle value <= limit; homes <= max; no company
//     registration (a nominal one is exempt when the standards say so).
//  6. dibao: below the dibao line and assets within limits.
//     tekun: dibao conditions, no capable supporter, and every member has a
//     qualifying circumstance (e.g. elderly, no ability to work).
//     linshi: medical spending >= the linshi threshold, or a declared sudden
//     hardship (not asset-tested: it answers an emergency).
//     low-income household: not dibao, below the low-income line, assets ok.
//  7. Pool: relief if any programme is eligible; monitoring if below the
//     low-income line (including below the dibao line with assets over the
//     limits: 暂不符合); general otherwise.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/assessment/standards.hpp"
#include "engine/common/status.hpp"
#include "engine/domain/case_types.hpp"

namespace jiuzhu {

enum class IncomeKind {
  kWages,      // 工资性收入
  kBusiness,   // 经营性收入
  kProperty,   // 财产净收入
  kTransfers,  // 转移性收入
};
inline constexpr IncomeKind kAllIncomeKinds[] = {IncomeKind::kWages, IncomeKind::kBusiness,
                                                 IncomeKind::kProperty, IncomeKind::kTransfers};
// "wages", "business", "property", "transfers".
const char* IncomeKindName(IncomeKind k);
// 工资性收入, 经营性收入, 财产净收入, 转移性收入.
const char* IncomeKindNameZh(IncomeKind k);
std::optional<IncomeKind> ParseIncomeKind(std::string_view name);

struct AssessedMember {
  std::string name;
  std::string relation;                    // "self", "spouse", "child", ...
  std::optional<int> age;                  // one of age or birth_year is required
  std::optional<int> birth_year;           // age = standards year − birth year
  std::vector<std::string> circumstances;  // codes, see CircumstanceName
};

// One kind of income for the 12 months before application, month by month.
struct IncomeLine {
  std::string kind;          // see IncomeKindName
  std::vector<Fen> monthly;  // exactly 12 amounts >= 0, oldest first
};

struct Vehicle {
  Fen value = 0;                 // assessed value, >= 0
  bool sole_livelihood = false;  // 唯一谋生工具
};

struct CompanyRegistration {
  std::string name;
  bool nominal = false;  // 有名无实: registered but not operating
};

struct AssessmentInput {
  std::string district;                 // division code of the standards, "640202"
  int year = 0;                         // year of the standards to apply
  std::vector<AssessedMember> members;  // 1..30
  std::vector<IncomeLine> income;       // kinds at most once each; absent kinds are 0
  Fen deposits = 0;                     // 存款 (savings, securities), >= 0
  std::vector<Vehicle> vehicles;
  std::vector<CompanyRegistration> companies;
  int housing_count = 0;              // homes owned, >= 0
  Fen medical_expense = 0;            // 12 months, self-paid, >= 0
  Fen education_expense = 0;          // 12 months, >= 0
  bool has_capable_supporter = true;  // 有赡养、抚养、扶养能力的义务人
  bool sudden_hardship = false;       // 突发事件 (disaster, accident) declared
};

// One deduction applied for one member's circumstance.
struct AppliedDeduction {
  int member_index = 0;  // 0-based in AssessmentInput::members
  Circumstance circumstance = Circumstance::kSeriousIllness;
  int percent = 0;
  bool from_age = false;  // elderly by age, not by flag
};

// Every figure the calculator used.
struct AssessmentFigures {
  std::string district;
  std::string district_name;
  int year = 0;
  std::string standards_source;
  Fen dibao_line_monthly = 0;
  int low_income_ratio_percent = 0;
  Fen low_income_line_monthly = 0;
  int elderly_age = 0;

  int member_count = 0;
  std::vector<int> member_ages;
  std::map<IncomeKind, Fen> income_by_kind;  // all four kinds
  Fen income_total = 0;

  std::vector<AppliedDeduction> deductions;
  int deduction_percent_sum = 0;
  int deduction_percent_cap = 0;
  int deduction_percent_applied = 0;
  Fen circumstance_deduction = 0;

  Fen medical_expense = 0;
  Fen medical_threshold = 0;
  int medical_percent = 0;
  Fen medical_deduction = 0;
  Fen education_expense = 0;
  int education_percent = 0;
  Fen education_deduction = 0;

  Fen counted_income_annual = 0;
  Fen per_capita_monthly = 0;  // rounded down to a fen (comparisons are exact)

  Fen deposits = 0;
  int deposit_months = 0;
  Fen deposit_limit = 0;
  Fen vehicle_value_counted = 0;
  Fen vehicle_value_limit = 0;
  int housing_count = 0;
  int max_housing_count = 0;
  int company_count_counted = 0;

  Fen linshi_medical_threshold = 0;
  bool has_capable_supporter = true;
  bool sudden_hardship = false;
};

struct HouseholdAssessment {
  Pool pool = Pool::kNone;
  bool below_dibao_line = false;
  bool below_low_income_line = false;
  bool assets_within_limits = true;
  bool low_income_household = false;             // 低收入家庭 (低保边缘)
  std::vector<std::string> eligible_programmes;  // "dibao", "tekun", "linshi" in that order
  std::vector<Circumstance> circumstances;       // present in the household, enum order
  std::vector<std::string> reasons;              // in Chinese, one finding each
  AssessmentFigures figures;

  bool Eligible(const std::string& programme) const;
  bool Has(Circumstance c) const;
};

// Errors (kInvalidArgument naming the field, e.g. "members[1].circumstances"):
// no members or more than 30; a member without age or birth year, or aged
// outside 0..130; an unknown circumstance; an unknown or repeated income
// kind, not 12 months, a negative amount; negative assets or expenditure;
// and from `standards.Find`: an unknown district ("district") or year ("year").
Result<HouseholdAssessment> AssessHousehold(const StandardsCatalog& standards,
                                            const AssessmentInput& input);

// The figures as a JSON object (amounts as yuan strings "1234.50" and fen
// integers), to store with the assessment. Stable key names.
nlohmann::json AssessmentToJson(const HouseholdAssessment& assessment);

}  // namespace jiuzhu
