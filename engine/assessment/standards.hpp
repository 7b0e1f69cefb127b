// Assistance standards as data (workflows/standards/<district>-<year>.json):
// per district and year, the dibao line, the low-income line, the income
// deduction ratio per circumstance, how rigid expenditure (medical,
// education) counts against income, the asset limits and the thresholds for
// temporary assistance (临时救助). The calculator (calculator.hpp) reads
// nothing else, so changing a figure is a data edit.
//
// Money is held in fen (分, 1/100 yuan) as int64 so that comparisons with a
// line are exact; files state yuan with at most two decimals.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/status.hpp"

namespace jiuzhu {

using Fen = std::int64_t;  // 分

// Household member circumstances that change the assessment (健康状况等).
enum class Circumstance {
  kSeriousIllness,    // 重病
  kSevereDisability,  // 重残
  kSingleParent,      // 单亲
  kElderly,           // 老年人
  kNoAbilityToWork,   // 无劳动能力
};
inline constexpr Circumstance kAllCircumstances[] = {
    Circumstance::kSeriousIllness, Circumstance::kSevereDisability, Circumstance::kSingleParent,
    Circumstance::kElderly, Circumstance::kNoAbilityToWork};

// "serious_illness", "severe_disability", "single_parent", "elderly", "no_ability_to_work".
const char* CircumstanceName(Circumstance c);
// 重病, 重残, 单亲, 老年人, 无劳动能力.
const char* CircumstanceNameZh(Circumstance c);
std::optional<Circumstance> ParseCircumstance(std::string_view name);

// "yuan with at most two decimals" → fen. kInvalidArgument (naming `field`)
// for NaN, infinity, negatives or more than two decimals.
Result<Fen> YuanToFen(double yuan, const std::string& field);
// 1234567 → "12345.67".
std::string FenToYuanString(Fen fen);

struct AssessmentStandards {
  std::string district;       // administrative code, "640202"
  std::string district_name;  // 大武口区
  int year = 0;
  std::string source;  // where the figures come from, shown with every assessment

  Fen dibao_line_monthly = 0;          // 低保标准, per person per month, > 0
  int low_income_ratio_percent = 150;  // 低收入标准 = dibao line × ratio, >= 100
  Fen low_income_line_monthly = 0;     // derived: dibao × ratio / 100, rounded down to a fen
  int elderly_age = 60;                // members this old count as elderly

  // Each member with a circumstance reduces the household's income by this
  // percent of the household income (按比例核减); the sum is capped.
  std::map<Circumstance, int> deduction_percent;
  int max_total_deduction_percent = 0;

  // Medical spending above the threshold counts against income at the percent.
  Fen medical_threshold = 0;
  int medical_percent = 100;
  int education_percent = 100;

  // Assets (财产): deposits up to `deposit_months` × dibao line × members;
  // vehicles whose summed value (those not the sole means of livelihood, or
  // all when `livelihood_vehicle_exempt` is false) exceeds `vehicle_value_limit`;
  // more homes than `max_housing_count`; any company registration unless
  // `nominal_company_exempt` and the company is nominal (有名无实).
  int deposit_months = 24;
  Fen vehicle_value_limit = 0;
  bool livelihood_vehicle_exempt = true;
  int max_housing_count = 1;
  bool nominal_company_exempt = true;

  // 临时救助: medical spending in the 12 months at or above this amount.
  Fen linshi_medical_threshold = 0;
  // 特困: every member has at least one of these circumstances and the
  // household has no capable supporter (无法定赡养抚养扶养义务人或其无能力).
  std::vector<Circumstance> tekun_circumstances;
};

class StandardsCatalog {
 public:
  // Loads every *.json file in `dir` (workflows/standards).
  // Errors: kNotFound when the folder has no file or one cannot be read;
  // kInvalidArgument from AddJson.
  static Result<StandardsCatalog> LoadDirectory(const std::string& dir);

  // Adds one district-year. kInvalidArgument whose message names `origin`
  // and whose field is the JSON field at fault: malformed JSON, a missing or
  // mistyped field, a non-positive dibao line, a ratio below 100, a negative
  // amount or percent, an unknown circumstance, more than two decimals, a
  // district-year already loaded.
  Status AddJson(const std::string& text, const std::string& origin);

  // kInvalidArgument with field "district" when the district has no
  // standards at all, with field "year" when it has them for other years
  // only (the message names the years known).
  Result<const AssessmentStandards*> Find(const std::string& district, int year) const;

  size_t size() const { return standards_.size(); }

 private:
  std::map<std::pair<std::string, int>, AssessmentStandards> standards_;
};

}  // namespace jiuzhu
