#include "engine/assessment/calculator.hpp"

#include <algorithm>

namespace jiuzhu {

namespace {

// Large enough for any household, small enough that sums × percents fit int64.
constexpr Fen kMaxAmount = 10'000'000'000'000;  // 1e11 yuan
constexpr size_t kMaxMembers = 30;

struct IncomeKindNames {
  IncomeKind kind;
  const char* code;
  const char* zh;
};
constexpr IncomeKindNames kIncomeKindNames[] = {
    {IncomeKind::kWages, "wages", "工资性收入"},
    {IncomeKind::kBusiness, "business", "经营性收入"},
    {IncomeKind::kProperty, "property", "财产净收入"},
    {IncomeKind::kTransfers, "transfers", "转移性收入"},
};

std::string Yuan(Fen f) { return FenToYuanString(f) + " 元"; }

Status CheckAmount(Fen v, const std::string& field) {
  if (v < 0) return InvalidArgument(field + " must be >= 0", field);
  if (v > kMaxAmount) return InvalidArgument(field + " is implausibly large", field);
  return Status::Ok();
}

// Validates the input and resolves ages and circumstances per member.
struct ResolvedMember {
  int age = 0;
  std::vector<std::pair<Circumstance, bool>> circumstances;  // (circumstance, from age)
};

Result<std::vector<ResolvedMember>> ResolveMembers(const AssessmentInput& in,
                                                   const AssessmentStandards& s) {
  if (in.members.empty()) return InvalidArgument("at least one household member", "members");
  if (in.members.size() > kMaxMembers) {
    return InvalidArgument("at most 30 household members", "members");
  }
  std::vector<ResolvedMember> out;
  for (size_t i = 0; i < in.members.size(); ++i) {
    const auto& m = in.members[i];
    const std::string at = "members[" + std::to_string(i) + "]";
    ResolvedMember r;
    if (m.age) {
      r.age = *m.age;
    } else if (m.birth_year) {
      r.age = s.year - *m.birth_year;
    } else {
      return InvalidArgument(at + ": age or birth year required", at + ".age");
    }
    if (r.age < 0 || r.age > 130) {
      return InvalidArgument(at + ": age " + std::to_string(r.age) + " is not plausible",
                             m.age ? at + ".age" : at + ".birth_year");
    }
    for (const auto& name : m.circumstances) {
      const auto c = ParseCircumstance(name);
      if (!c) {
        return InvalidArgument(at + ": unknown circumstance \"" + name + "\"",
                               at + ".circumstances");
      }
      const bool dup = std::any_of(r.circumstances.begin(), r.circumstances.end(),
                                   [&](const auto& p) { return p.first == *c; });
      if (!dup) r.circumstances.emplace_back(*c, false);
    }
    const bool flagged_elderly =
        std::any_of(r.circumstances.begin(), r.circumstances.end(),
                    [](const auto& p) { return p.first == Circumstance::kElderly; });
    if (!flagged_elderly && r.age >= s.elderly_age) {
      r.circumstances.emplace_back(Circumstance::kElderly, true);
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status SumIncome(const AssessmentInput& in, AssessmentFigures& f) {
  for (IncomeKind k : kAllIncomeKinds) f.income_by_kind[k] = 0;
  std::vector<IncomeKind> seen;
  for (size_t i = 0; i < in.income.size(); ++i) {
    const auto& line = in.income[i];
    const std::string at = "income[" + std::to_string(i) + "]";
    const auto kind = ParseIncomeKind(line.kind);
    if (!kind) {
      return InvalidArgument(
          at + ": unknown income kind \"" + line.kind + "\" (wages, business, property, transfers)",
          at + ".kind");
    }
    if (std::find(seen.begin(), seen.end(), *kind) != seen.end()) {
      return InvalidArgument(at + ": income kind " + line.kind + " given twice", at + ".kind");
    }
    seen.push_back(*kind);
    if (line.monthly.size() != 12) {
      return InvalidArgument(
          at + ": 12 monthly amounts required, got " + std::to_string(line.monthly.size()),
          at + ".monthly");
    }
    Fen sum = 0;
    for (size_t m = 0; m < 12; ++m) {
      JZ_RETURN_IF_ERROR(CheckAmount(line.monthly[m], at + ".monthly[" + std::to_string(m) + "]"));
      sum += line.monthly[m];
    }
    f.income_by_kind[*kind] = sum;
    f.income_total += sum;
  }
  return Status::Ok();
}

}  // namespace

const char* IncomeKindName(IncomeKind k) {
  for (const auto& n : kIncomeKindNames) {
    if (n.kind == k) return n.code;
  }
  return "?";
}

const char* IncomeKindNameZh(IncomeKind k) {
  for (const auto& n : kIncomeKindNames) {
    if (n.kind == k) return n.zh;
  }
  return "?";
}

std::optional<IncomeKind> ParseIncomeKind(std::string_view name) {
  for (const auto& n : kIncomeKindNames) {
    if (name == n.code) return n.kind;
  }
  return std::nullopt;
}

bool HouseholdAssessment::Eligible(const std::string& programme) const {
  return std::find(eligible_programmes.begin(), eligible_programmes.end(), programme) !=
         eligible_programmes.end();
}

bool HouseholdAssessment::Has(Circumstance c) const {
  return std::find(circumstances.begin(), circumstances.end(), c) != circumstances.end();
}

Result<HouseholdAssessment> AssessHousehold(const StandardsCatalog& standards,
                                            const AssessmentInput& in) {
  JZ_ASSIGN_OR_RETURN(const AssessmentStandards* sp, standards.Find(in.district, in.year));
  const AssessmentStandards& s = *sp;
  JZ_ASSIGN_OR_RETURN(std::vector<ResolvedMember> members, ResolveMembers(in, s));

  HouseholdAssessment out;
  AssessmentFigures& f = out.figures;
  f.district = s.district;
  f.district_name = s.district_name;
  f.year = s.year;
  f.standards_source = s.source;
  f.dibao_line_monthly = s.dibao_line_monthly;
  f.low_income_ratio_percent = s.low_income_ratio_percent;
  f.low_income_line_monthly = s.low_income_line_monthly;
  f.elderly_age = s.elderly_age;
  f.member_count = static_cast<int>(members.size());
  for (const auto& m : members) f.member_ages.push_back(m.age);

  JZ_RETURN_IF_ERROR(SumIncome(in, f));
  JZ_RETURN_IF_ERROR(CheckAmount(in.deposits, "deposits"));
  for (size_t i = 0; i < in.vehicles.size(); ++i) {
    JZ_RETURN_IF_ERROR(
        CheckAmount(in.vehicles[i].value, "vehicles[" + std::to_string(i) + "].value"));
  }
  if (in.housing_count < 0) return InvalidArgument("housing_count must be >= 0", "housing_count");
  JZ_RETURN_IF_ERROR(CheckAmount(in.medical_expense, "medical_expense"));
  JZ_RETURN_IF_ERROR(CheckAmount(in.education_expense, "education_expense"));

  // Circumstance deductions (按比例核减).
  for (size_t i = 0; i < members.size(); ++i) {
    for (const auto& [c, from_age] : members[i].circumstances) {
      if (!out.Has(c)) out.circumstances.push_back(c);
      auto it = s.deduction_percent.find(c);
      const int pct = it == s.deduction_percent.end() ? 0 : it->second;
      if (pct == 0) continue;
      f.deductions.push_back({static_cast<int>(i), c, pct, from_age});
      f.deduction_percent_sum += pct;
    }
  }
  std::sort(out.circumstances.begin(), out.circumstances.end());
  f.deduction_percent_cap = s.max_total_deduction_percent;
  f.deduction_percent_applied = std::min(f.deduction_percent_sum, f.deduction_percent_cap);
  f.circumstance_deduction = f.income_total * f.deduction_percent_applied / 100;

  // Rigid expenditure (刚性支出).
  f.medical_expense = in.medical_expense;
  f.medical_threshold = s.medical_threshold;
  f.medical_percent = s.medical_percent;
  f.medical_deduction =
      std::max<Fen>(0, in.medical_expense - s.medical_threshold) * s.medical_percent / 100;
  f.education_expense = in.education_expense;
  f.education_percent = s.education_percent;
  f.education_deduction = in.education_expense * s.education_percent / 100;

  f.counted_income_annual = std::max<Fen>(
      0, f.income_total - f.circumstance_deduction - f.medical_deduction - f.education_deduction);
  const Fen months_people = 12 * static_cast<Fen>(f.member_count);
  f.per_capita_monthly = f.counted_income_annual / months_people;
  out.below_dibao_line = f.counted_income_annual < s.dibao_line_monthly * months_people;
  out.below_low_income_line = f.counted_income_annual < s.low_income_line_monthly * months_people;

  auto& why = out.reasons;
  std::string income_text =
      "家庭月人均收入 " + Yuan(f.per_capita_monthly) + "（12个月收入 " + Yuan(f.income_total);
  if (f.circumstance_deduction > 0) {
    income_text += "，按重病重残等情形核减 " + std::to_string(f.deduction_percent_applied) +
                   "% 即 " + Yuan(f.circumstance_deduction);
  }
  if (f.medical_deduction > 0) income_text += "，扣除医疗支出 " + Yuan(f.medical_deduction);
  if (f.education_deduction > 0) income_text += "，扣除教育支出 " + Yuan(f.education_deduction);
  income_text += "，" + std::to_string(f.member_count) + " 人）";
  if (out.below_dibao_line) {
    income_text += "，低于低保标准 " + Yuan(s.dibao_line_monthly);
  } else if (out.below_low_income_line) {
    income_text += "，不低于低保标准 " + Yuan(s.dibao_line_monthly) + "，低于低收入标准 " +
                   Yuan(s.low_income_line_monthly);
  } else {
    income_text += "，不低于低收入标准 " + Yuan(s.low_income_line_monthly);
  }
  why.push_back(income_text);

  // Assets (财产).
  f.deposits = in.deposits;
  f.deposit_months = s.deposit_months;
  f.deposit_limit = s.dibao_line_monthly * s.deposit_months * f.member_count;
  if (f.deposits > f.deposit_limit) {
    out.assets_within_limits = false;
    why.push_back("存款 " + Yuan(f.deposits) + " 超过限额 " + Yuan(f.deposit_limit) + "（" +
                  std::to_string(s.deposit_months) + " 个月低保标准 × " +
                  std::to_string(f.member_count) + " 人）");
  }
  f.vehicle_value_limit = s.vehicle_value_limit;
  bool livelihood_vehicle = false;
  for (const auto& v : in.vehicles) {
    if (v.sole_livelihood && s.livelihood_vehicle_exempt) {
      livelihood_vehicle = true;
      continue;
    }
    f.vehicle_value_counted += v.value;
  }
  const bool counted_vehicle = std::any_of(
      in.vehicles.begin(), in.vehicles.end(),
      [&](const Vehicle& v) { return !(v.sole_livelihood && s.livelihood_vehicle_exempt); });
  if (counted_vehicle && f.vehicle_value_counted > f.vehicle_value_limit) {
    out.assets_within_limits = false;
    why.push_back("名下车辆价值 " + Yuan(f.vehicle_value_counted) + " 超过限额 " +
                  Yuan(f.vehicle_value_limit));
  } else if (livelihood_vehicle) {
    why.push_back("名下车辆经认定为唯一谋生工具，不计入财产");
  }
  f.housing_count = in.housing_count;
  f.max_housing_count = s.max_housing_count;
  if (in.housing_count > s.max_housing_count) {
    out.assets_within_limits = false;
    why.push_back("名下住房 " + std::to_string(in.housing_count) + " 套，超过 " +
                  std::to_string(s.max_housing_count) + " 套");
  }
  for (const auto& c : in.companies) {
    if (c.nominal && s.nominal_company_exempt) continue;
    ++f.company_count_counted;
  }
  if (f.company_count_counted > 0) {
    out.assets_within_limits = false;
    why.push_back("名下有 " + std::to_string(f.company_count_counted) +
                  " 家实际经营的企业（工商登记）");
  } else if (!in.companies.empty()) {
    why.push_back("名下企业经认定为有名无实，不影响认定");
  }

  // Programmes.
  f.has_capable_supporter = in.has_capable_supporter;
  f.sudden_hardship = in.sudden_hardship;
  f.linshi_medical_threshold = s.linshi_medical_threshold;
  const bool dibao = out.below_dibao_line && out.assets_within_limits;
  if (dibao) {
    out.eligible_programmes.push_back("dibao");
    why.push_back("符合低保条件");
  } else if (out.below_dibao_line) {
    why.push_back("收入低于低保标准，但财产超过限额：暂不符合低保条件");
  }
  const bool all_qualify =
      std::all_of(members.begin(), members.end(), [&](const ResolvedMember& m) {
        return std::any_of(m.circumstances.begin(), m.circumstances.end(), [&](const auto& p) {
          return std::find(s.tekun_circumstances.begin(), s.tekun_circumstances.end(), p.first) !=
                 s.tekun_circumstances.end();
        });
      });
  if (dibao && all_qualify && !in.has_capable_supporter) {
    out.eligible_programmes.push_back("tekun");
    why.push_back(
        "家庭成员均为老年人、重残或无劳动能力，且无有能力的赡养、抚养、扶养义务人：符合特困供养条"
        "件");
  }
  const bool large_medical = in.medical_expense >= s.linshi_medical_threshold;
  if (large_medical || in.sudden_hardship) {
    out.eligible_programmes.push_back("linshi");
    if (large_medical) {
      why.push_back("12个月医疗支出 " + Yuan(in.medical_expense) + "，达到临时救助标准 " +
                    Yuan(s.linshi_medical_threshold) + "：因病支出型困难，符合临时救助条件");
    }
    if (in.sudden_hardship) why.push_back("遭遇突发事件：符合临时救助条件");
  }
  out.low_income_household = !dibao && out.below_low_income_line && out.assets_within_limits;
  if (out.low_income_household) why.push_back("认定为低收入家庭（低保边缘）");

  if (!out.eligible_programmes.empty()) {
    out.pool = Pool::kRelief;
    why.push_back("纳入救助库");
  } else if (out.below_low_income_line) {
    out.pool = Pool::kMonitoring;
    why.push_back("暂不符合救助条件，纳入监测库（一类库）");
  } else {
    out.pool = Pool::kGeneral;
    why.push_back("明显不符合救助条件，纳入一般库（二类库）");
  }
  return out;
}

nlohmann::json AssessmentToJson(const HouseholdAssessment& a) {
  const AssessmentFigures& f = a.figures;
  auto money = [](Fen v) { return nlohmann::json{{"fen", v}, {"yuan", FenToYuanString(v)}}; };
  nlohmann::json income = nlohmann::json::object();
  for (const auto& [k, v] : f.income_by_kind) income[IncomeKindName(k)] = money(v);
  nlohmann::json deductions = nlohmann::json::array();
  for (const auto& d : f.deductions) {
    deductions.push_back({{"member_index", d.member_index},
                          {"circumstance", CircumstanceName(d.circumstance)},
                          {"percent", d.percent},
                          {"from_age", d.from_age}});
  }
  nlohmann::json circumstances = nlohmann::json::array();
  for (Circumstance c : a.circumstances) circumstances.push_back(CircumstanceName(c));
  return {
      {"pool", PoolName(a.pool)},
      {"eligible_programmes", a.eligible_programmes},
      {"low_income_household", a.low_income_household},
      {"below_dibao_line", a.below_dibao_line},
      {"below_low_income_line", a.below_low_income_line},
      {"assets_within_limits", a.assets_within_limits},
      {"circumstances", circumstances},
      {"reasons", a.reasons},
      {"standards",
       {{"district", f.district},
        {"district_name", f.district_name},
        {"year", f.year},
        {"source", f.standards_source},
        {"dibao_line_monthly", money(f.dibao_line_monthly)},
        {"low_income_ratio_percent", f.low_income_ratio_percent},
        {"low_income_line_monthly", money(f.low_income_line_monthly)},
        {"elderly_age", f.elderly_age}}},
      {"household", {{"member_count", f.member_count}, {"member_ages", f.member_ages}}},
      {"income",
       {{"by_kind", income},
        {"total_12_months", money(f.income_total)},
        {"deductions", deductions},
        {"deduction_percent_sum", f.deduction_percent_sum},
        {"deduction_percent_cap", f.deduction_percent_cap},
        {"deduction_percent_applied", f.deduction_percent_applied},
        {"circumstance_deduction", money(f.circumstance_deduction)},
        {"medical_expense", money(f.medical_expense)},
        {"medical_threshold", money(f.medical_threshold)},
        {"medical_percent", f.medical_percent},
        {"medical_deduction", money(f.medical_deduction)},
        {"education_expense", money(f.education_expense)},
        {"education_percent", f.education_percent},
        {"education_deduction", money(f.education_deduction)},
        {"counted_12_months", money(f.counted_income_annual)},
        {"per_capita_monthly", money(f.per_capita_monthly)}}},
      {"assets",
       {{"deposits", money(f.deposits)},
        {"deposit_months", f.deposit_months},
        {"deposit_limit", money(f.deposit_limit)},
        {"vehicle_value_counted", money(f.vehicle_value_counted)},
        {"vehicle_value_limit", money(f.vehicle_value_limit)},
        {"housing_count", f.housing_count},
        {"max_housing_count", f.max_housing_count},
        {"company_count_counted", f.company_count_counted}}},
      {"linshi",
       {{"medical_expense_threshold", money(f.linshi_medical_threshold)},
        {"sudden_hardship", f.sudden_hardship}}},
      {"tekun", {{"has_capable_supporter", f.has_capable_supporter}}},
  };
}

}  // namespace jiuzhu
