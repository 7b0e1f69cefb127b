#include "engine/assessment/calculator.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace jiuzhu {
namespace {

// 大武口区 2026 (workflows/standards/640202-2026.json): dibao line 790 yuan,
// low-income line 1185 yuan; deductions serious illness 10%, severe
// disability 10%, single parent 5%, elderly 5%, no ability to work 5%, capped
// at 30%; medical spending counted in full; deposits up to 24 months of the
// dibao line per member; no vehicle unless the sole means of livelihood;
// one home; linshi from 20000 yuan of medical spending.
class CalculatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cat =
        StandardsCatalog::LoadDirectory(std::string(JIUZHU_SOURCE_DIR) + "/workflows/standards");
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalog_ = new StandardsCatalog(std::move(cat).value());
  }
  static void TearDownTestSuite() { delete catalog_; }

  static AssessedMember Member(const std::string& relation, int age,
                               std::vector<std::string> circumstances = {}) {
    AssessedMember m;
    m.name = relation;
    m.relation = relation;
    m.age = age;
    m.circumstances = std::move(circumstances);
    return m;
  }
  static IncomeLine Monthly(const std::string& kind, Fen per_month) {
    return {kind, std::vector<Fen>(12, per_month)};
  }
  // A household in 大武口区 2026 with the given members and monthly wages.
  static AssessmentInput Household(std::vector<AssessedMember> members, Fen wages_per_month) {
    AssessmentInput in;
    in.district = "640202";
    in.year = 2026;
    in.members = std::move(members);
    in.income.push_back(Monthly("wages", wages_per_month));
    in.housing_count = 1;
    return in;
  }
  static HouseholdAssessment Assess(const AssessmentInput& in) {
    auto r = AssessHousehold(*catalog_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : HouseholdAssessment{};
  }
  static Status Error(const AssessmentInput& in) { return AssessHousehold(*catalog_, in).status(); }

  static const StandardsCatalog* catalog_;
};
const StandardsCatalog* CalculatorTest::catalog_ = nullptr;

bool Mentions(const HouseholdAssessment& a, const std::string& words) {
  for (const auto& r : a.reasons) {
    if (r.find(words) != std::string::npos) return true;
  }
  return false;
}

TEST_F(CalculatorTest, BelowTheDibaoLineGoesToTheReliefPool) {
  // 2 people, wages 1200 yuan a month: 14400 a year; 14400 / 12 / 2 = 600 < 790.
  const auto a = Assess(Household({Member("self", 45), Member("child", 15)}, 120000));
  EXPECT_EQ(a.figures.income_total, 1440000);
  EXPECT_EQ(a.figures.counted_income_annual, 1440000);
  EXPECT_EQ(a.figures.per_capita_monthly, 60000);
  EXPECT_TRUE(a.below_dibao_line);
  EXPECT_EQ(a.pool, Pool::kRelief);
  EXPECT_EQ(a.eligible_programmes, std::vector<std::string>{"dibao"});
  EXPECT_FALSE(a.low_income_household);
  EXPECT_TRUE(Mentions(a, "家庭月人均收入 600.00 元"));
  EXPECT_TRUE(Mentions(a, "低于低保标准 790.00 元"));
  EXPECT_TRUE(Mentions(a, "纳入救助库"));
}

TEST_F(CalculatorTest, BetweenTheLinesGoesToTheMonitoringPool) {
  // 2 people, 2000 a month: 24000 / 12 / 2 = 1000; 790 <= 1000 < 1185.
  const auto a = Assess(Household({Member("self", 45), Member("child", 15)}, 200000));
  EXPECT_EQ(a.figures.per_capita_monthly, 100000);
  EXPECT_FALSE(a.below_dibao_line);
  EXPECT_TRUE(a.below_low_income_line);
  EXPECT_EQ(a.pool, Pool::kMonitoring);
  EXPECT_TRUE(a.eligible_programmes.empty());
  EXPECT_TRUE(a.low_income_household);
  EXPECT_TRUE(Mentions(a, "低于低收入标准 1185.00 元"));
  EXPECT_TRUE(Mentions(a, "监测库（一类库）"));
}

TEST_F(CalculatorTest, AboveTheLowIncomeLineGoesToTheGeneralPool) {
  // 2 people, 3000 a month: 1500 >= 1185.
  const auto a = Assess(Household({Member("self", 45), Member("child", 15)}, 300000));
  EXPECT_EQ(a.figures.per_capita_monthly, 150000);
  EXPECT_EQ(a.pool, Pool::kGeneral);
  EXPECT_FALSE(a.low_income_household);
  EXPECT_TRUE(Mentions(a, "一般库（二类库）"));
}

TEST_F(CalculatorTest, ExactlyAtALineIsNotBelowIt) {
  // One person at 790.00 a month: not below the dibao line.
  auto at = Assess(Household({Member("self", 40)}, 79000));
  EXPECT_FALSE(at.below_dibao_line);
  EXPECT_EQ(at.pool, Pool::kMonitoring);
  // One fen less a month is below.
  auto under = Assess(Household({Member("self", 40)}, 78999));
  EXPECT_TRUE(under.below_dibao_line);
  EXPECT_EQ(under.pool, Pool::kRelief);
  // At 1185.00 exactly: general.
  EXPECT_EQ(Assess(Household({Member("self", 40)}, 118500)).pool, Pool::kGeneral);
  EXPECT_EQ(Assess(Household({Member("self", 40)}, 118499)).pool, Pool::kMonitoring);
  // Three people whose per-capita amount has a fraction of a fen: 2370.01 a
  // month is 28440.12 a year; 28440.12 / 36 = 790.0033, not below 790.
  auto three = Assess(Household({Member("a", 40), Member("b", 40), Member("c", 10)}, 237001));
  EXPECT_EQ(three.figures.per_capita_monthly, 79000);
  EXPECT_FALSE(three.below_dibao_line);
}

TEST_F(CalculatorTest, EachCircumstanceDeductsItsRatio) {
  // 3 people, 3000 a month = 36000 a year, per capita 1000 without deductions.
  struct Case {
    const char* circumstance;
    int percent;
  };
  for (const Case c :
       {Case{"serious_illness", 10}, Case{"severe_disability", 10}, Case{"single_parent", 5},
        Case{"elderly", 5}, Case{"no_ability_to_work", 5}}) {
    const auto a = Assess(Household(
        {Member("self", 40, {c.circumstance}), Member("spouse", 38), Member("child", 10)}, 300000));
    ASSERT_EQ(a.figures.deductions.size(), 1u) << c.circumstance;
    EXPECT_EQ(a.figures.deductions[0].member_index, 0);
    EXPECT_EQ(CircumstanceName(a.figures.deductions[0].circumstance), std::string(c.circumstance));
    EXPECT_EQ(a.figures.deductions[0].percent, c.percent);
    EXPECT_EQ(a.figures.deduction_percent_applied, c.percent);
    const Fen deduction = 3600000 * c.percent / 100;  // 3600 or 1800 yuan
    EXPECT_EQ(a.figures.circumstance_deduction, deduction) << c.circumstance;
    EXPECT_EQ(a.figures.counted_income_annual, 3600000 - deduction);
    EXPECT_EQ(a.figures.per_capita_monthly, (3600000 - deduction) / 36) << c.circumstance;
  }
  // Serious illness: 36000 − 3600 = 32400; / 36 = 900.
  const auto ill = Assess(Household(
      {Member("self", 40, {"serious_illness"}), Member("spouse", 38), Member("child", 10)},
      300000));
  EXPECT_EQ(ill.figures.per_capita_monthly, 90000);
  EXPECT_TRUE(Mentions(ill, "核减 10% 即 3600.00 元"));
}

TEST_F(CalculatorTest, ElderlyByAgeAndDeductionsAreCapped) {
  // Age 65 without the flag counts as elderly (5%).
  const auto old = Assess(Household({Member("self", 65), Member("spouse", 50)}, 200000));
  ASSERT_EQ(old.figures.deductions.size(), 1u);
  EXPECT_TRUE(old.figures.deductions[0].from_age);
  EXPECT_EQ(old.figures.deductions[0].circumstance, Circumstance::kElderly);
  EXPECT_TRUE(old.Has(Circumstance::kElderly));
  // Birth year instead of age: 2026 − 1960 = 66.
  auto in = Household({Member("self", 0)}, 50000);
  in.members[0].age.reset();
  in.members[0].birth_year = 1960;
  EXPECT_EQ(Assess(in).figures.member_ages, std::vector<int>{66});

  // Two members each seriously ill and severely disabled: 4 × 10% = 40%, capped at 30%.
  const auto capped =
      Assess(Household({Member("self", 40, {"serious_illness", "severe_disability"}),
                        Member("spouse", 40, {"serious_illness", "severe_disability"})},
                       300000));
  EXPECT_EQ(capped.figures.deduction_percent_sum, 40);
  EXPECT_EQ(capped.figures.deduction_percent_cap, 30);
  EXPECT_EQ(capped.figures.deduction_percent_applied, 30);
  // 36000 × 30% = 10800; 25200 / 24 = 1050.
  EXPECT_EQ(capped.figures.circumstance_deduction, 1080000);
  EXPECT_EQ(capped.figures.per_capita_monthly, 105000);
}

TEST_F(CalculatorTest, MedicalSpendingCountsAgainstIncome) {
  // 2 people, 24000 a year (1000 per capita: monitoring). 6000 of medical
  // spending: 18000 / 24 = 750 < 790: dibao.
  auto in = Household({Member("self", 45), Member("child", 15)}, 200000);
  in.medical_expense = 600000;
  const auto a = Assess(in);
  EXPECT_EQ(a.figures.medical_deduction, 600000);
  EXPECT_EQ(a.figures.counted_income_annual, 1800000);
  EXPECT_EQ(a.figures.per_capita_monthly, 75000);
  EXPECT_EQ(a.pool, Pool::kRelief);
  EXPECT_TRUE(a.Eligible("dibao"));
  EXPECT_FALSE(a.Eligible("linshi"));
  EXPECT_TRUE(Mentions(a, "扣除医疗支出 6000.00 元"));

  // Education spending too: 2400 → 21600 / 24 = 900.
  auto edu = Household({Member("self", 45), Member("child", 15)}, 200000);
  edu.education_expense = 240000;
  EXPECT_EQ(Assess(edu).figures.per_capita_monthly, 90000);

  // 25000 of medical spending: counted income cannot go below 0, and the
  // household reaches the linshi threshold of 20000.
  in.medical_expense = 2500000;
  const auto big = Assess(in);
  EXPECT_EQ(big.figures.counted_income_annual, 0);
  EXPECT_EQ(big.eligible_programmes, (std::vector<std::string>{"dibao", "linshi"}));
  EXPECT_TRUE(Mentions(big, "因病支出型困难"));
}

TEST_F(CalculatorTest, LargeMedicalBillAloneGivesLinshiAboveTheLines) {
  // 1 person earning 5000 a month (60000 a year); 22000 of medical spending:
  // 38000 / 12 = 3166.66, far above the lines, yet linshi applies.
  auto in = Household({Member("self", 45)}, 500000);
  in.medical_expense = 2200000;
  const auto a = Assess(in);
  EXPECT_EQ(a.figures.per_capita_monthly, 316666);
  EXPECT_EQ(a.eligible_programmes, std::vector<std::string>{"linshi"});
  EXPECT_EQ(a.pool, Pool::kRelief);
  // A declared sudden hardship does too.
  auto hit = Household({Member("self", 45)}, 500000);
  hit.sudden_hardship = true;
  EXPECT_TRUE(Assess(hit).Eligible("linshi"));
}

TEST_F(CalculatorTest, VehicleOverTheLimitMakesTheHouseholdIneligible) {
  // 1 person, 500 a month (below 790) but a car worth 30000 yuan.
  auto in = Household({Member("self", 45)}, 50000);
  in.vehicles.push_back({3000000, false});
  const auto a = Assess(in);
  EXPECT_TRUE(a.below_dibao_line);
  EXPECT_FALSE(a.assets_within_limits);
  EXPECT_FALSE(a.Eligible("dibao"));
  EXPECT_FALSE(a.low_income_household);
  EXPECT_EQ(a.pool, Pool::kMonitoring);
  EXPECT_EQ(a.figures.vehicle_value_counted, 3000000);
  EXPECT_TRUE(Mentions(a, "名下车辆价值 30000.00 元 超过限额 0.00 元"));
  EXPECT_TRUE(Mentions(a, "财产超过限额：暂不符合低保条件"));

  // The same car as the sole means of livelihood does not count.
  in.vehicles[0].sole_livelihood = true;
  const auto tool = Assess(in);
  EXPECT_TRUE(tool.Eligible("dibao"));
  EXPECT_EQ(tool.figures.vehicle_value_counted, 0);
  EXPECT_TRUE(Mentions(tool, "唯一谋生工具"));
}

TEST_F(CalculatorTest, DepositsHousingAndCompanies) {
  // Deposit limit for one person: 790 × 24 = 18960 yuan.
  auto in = Household({Member("self", 45)}, 50000);
  in.deposits = 1896000;
  auto a = Assess(in);
  EXPECT_EQ(a.figures.deposit_limit, 1896000);
  EXPECT_TRUE(a.Eligible("dibao"));
  in.deposits = 1896001;
  a = Assess(in);
  EXPECT_FALSE(a.Eligible("dibao"));
  EXPECT_TRUE(Mentions(a, "存款 18960.01 元 超过限额 18960.00 元"));

  auto homes = Household({Member("self", 45)}, 50000);
  homes.housing_count = 2;
  EXPECT_FALSE(Assess(homes).assets_within_limits);

  auto company = Household({Member("self", 45)}, 50000);
  company.companies.push_back({"某商贸有限公司", true});
  EXPECT_TRUE(Assess(company).Eligible("dibao")) << "a nominal company is exempt";
  company.companies[0].nominal = false;
  const auto trading = Assess(company);
  EXPECT_FALSE(trading.Eligible("dibao"));
  EXPECT_EQ(trading.figures.company_count_counted, 1);
}

TEST_F(CalculatorTest, TekunForElderlyOrUnableWithoutSupporters) {
  // One person aged 70, transfers 300 a month (3600 a year), no supporter:
  // elderly by age 5% → 180; 3420 / 12 = 285.
  AssessmentInput in;
  in.district = "640202";
  in.year = 2026;
  in.members = {Member("self", 70)};
  in.income = {Monthly("transfers", 30000)};
  in.has_capable_supporter = false;
  auto a = Assess(in);
  EXPECT_EQ(a.figures.per_capita_monthly, 28500);
  EXPECT_EQ(a.eligible_programmes, (std::vector<std::string>{"dibao", "tekun"}));
  EXPECT_TRUE(Mentions(a, "符合特困供养条件"));

  // A working-age person with no ability to work, no supporter: tekun.
  in.members = {Member("self", 40, {"no_ability_to_work"})};
  EXPECT_TRUE(Assess(in).Eligible("tekun"));

  // With a capable supporter: dibao only.
  in.has_capable_supporter = true;
  EXPECT_EQ(Assess(in).eligible_programmes, std::vector<std::string>{"dibao"});

  // An elderly parent living with an able-bodied son is not tekun.
  in.has_capable_supporter = false;
  in.members = {Member("self", 70), Member("son", 40)};
  EXPECT_FALSE(Assess(in).Eligible("tekun"));
}

TEST_F(CalculatorTest, IncomeKindsAreSummedSeparately) {
  AssessmentInput in = Household({Member("self", 40), Member("spouse", 40)}, 50000);
  in.income.push_back(Monthly("business", 10000));
  in.income.push_back(Monthly("property", 2000));
  IncomeLine transfers{"transfers", std::vector<Fen>(12, 0)};
  transfers.monthly[11] = 120000;  // one payment of 1200
  in.income.push_back(transfers);
  const auto a = Assess(in);
  EXPECT_EQ(a.figures.income_by_kind.at(IncomeKind::kWages), 600000);
  EXPECT_EQ(a.figures.income_by_kind.at(IncomeKind::kBusiness), 120000);
  EXPECT_EQ(a.figures.income_by_kind.at(IncomeKind::kProperty), 24000);
  EXPECT_EQ(a.figures.income_by_kind.at(IncomeKind::kTransfers), 120000);
  EXPECT_EQ(a.figures.income_total, 864000);
  // 8640 / 24 = 360.
  EXPECT_EQ(a.figures.per_capita_monthly, 36000);
}

TEST_F(CalculatorTest, TheStoredRecordHoldsEveryFigureUsed) {
  auto in = Household({Member("self", 40, {"serious_illness"}), Member("child", 65)}, 200000);
  in.medical_expense = 300000;
  in.education_expense = 100000;
  in.deposits = 500000;
  const auto a = Assess(in);
  const auto j = AssessmentToJson(a);
  // Lines and their origin.
  EXPECT_EQ(j["standards"]["district"], "640202");
  EXPECT_EQ(j["standards"]["year"], 2026);
  EXPECT_FALSE(j["standards"]["source"].get<std::string>().empty());
  EXPECT_EQ(j["standards"]["dibao_line_monthly"]["fen"], 79000);
  EXPECT_EQ(j["standards"]["low_income_line_monthly"]["yuan"], "1185.00");
  EXPECT_EQ(j["standards"]["low_income_ratio_percent"], 150);
  EXPECT_EQ(j["standards"]["elderly_age"], 60);
  // Household.
  EXPECT_EQ(j["household"]["member_count"], 2);
  EXPECT_EQ(j["household"]["member_ages"], (nlohmann::json{40, 65}));
  // Income per kind, deductions, rigid expenditure.
  const auto& inc = j["income"];
  EXPECT_EQ(inc["by_kind"]["wages"]["fen"], 2400000);
  EXPECT_EQ(inc["by_kind"]["business"]["fen"], 0);
  EXPECT_EQ(inc["by_kind"]["property"]["fen"], 0);
  EXPECT_EQ(inc["by_kind"]["transfers"]["fen"], 0);
  EXPECT_EQ(inc["total_12_months"]["fen"], 2400000);
  ASSERT_EQ(inc["deductions"].size(), 2u);
  EXPECT_EQ(inc["deductions"][0]["circumstance"], "serious_illness");
  EXPECT_EQ(inc["deductions"][0]["percent"], 10);
  EXPECT_EQ(inc["deductions"][1]["circumstance"], "elderly");
  EXPECT_EQ(inc["deductions"][1]["from_age"], true);
  EXPECT_EQ(inc["deduction_percent_sum"], 15);
  EXPECT_EQ(inc["deduction_percent_cap"], 30);
  EXPECT_EQ(inc["deduction_percent_applied"], 15);
  EXPECT_EQ(inc["circumstance_deduction"]["fen"], 360000);  // 24000 × 15%
  EXPECT_EQ(inc["medical_expense"]["fen"], 300000);
  EXPECT_EQ(inc["medical_threshold"]["fen"], 0);
  EXPECT_EQ(inc["medical_percent"], 100);
  EXPECT_EQ(inc["medical_deduction"]["fen"], 300000);
  EXPECT_EQ(inc["education_expense"]["fen"], 100000);
  EXPECT_EQ(inc["education_percent"], 100);
  EXPECT_EQ(inc["education_deduction"]["fen"], 100000);
  // 24000 − 3600 − 3000 − 1000 = 16400; / 24 = 683.33.
  EXPECT_EQ(inc["counted_12_months"]["fen"], 1640000);
  EXPECT_EQ(inc["per_capita_monthly"]["yuan"], "683.33");
  // Assets and thresholds.
  EXPECT_EQ(j["assets"]["deposits"]["fen"], 500000);
  EXPECT_EQ(j["assets"]["deposit_months"], 24);
  EXPECT_EQ(j["assets"]["deposit_limit"]["fen"], 79000 * 24 * 2);
  EXPECT_EQ(j["assets"]["vehicle_value_limit"]["fen"], 0);
  EXPECT_EQ(j["assets"]["housing_count"], 1);
  EXPECT_EQ(j["assets"]["max_housing_count"], 1);
  EXPECT_EQ(j["linshi"]["medical_expense_threshold"]["fen"], 2000000);
  EXPECT_EQ(j["tekun"]["has_capable_supporter"], true);
  // The outcome.
  EXPECT_EQ(j["pool"], "relief");
  EXPECT_EQ(j["eligible_programmes"], (nlohmann::json{"dibao"}));
  EXPECT_EQ(j["circumstances"], (nlohmann::json{"serious_illness", "elderly"}));
  EXPECT_EQ(j["reasons"].size(), a.reasons.size());
}

TEST_F(CalculatorTest, InvalidInputNamesTheField) {
  struct Case {
    const char* what;
    std::function<void(AssessmentInput&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"no members", [](auto& in) { in.members.clear(); }, "members"},
      {"negative income", [](auto& in) { in.income[0].monthly[3] = -1; }, "income[0].monthly[3]"},
      {"11 months", [](auto& in) { in.income[0].monthly.pop_back(); }, "income[0].monthly"},
      {"unknown kind", [](auto& in) { in.income[0].kind = "lottery"; }, "income[0].kind"},
      {"kind twice", [](auto& in) { in.income.push_back(in.income[0]); }, "income[1].kind"},
      {"unknown circumstance", [](auto& in) { in.members[1].circumstances = {"pregnant"}; },
       "members[1].circumstances"},
      {"no age", [](auto& in) { in.members[0].age.reset(); }, "members[0].age"},
      {"negative age", [](auto& in) { in.members[0].age = -2; }, "members[0].age"},
      {"future birth",
       [](auto& in) {
         in.members[0].age.reset();
         in.members[0].birth_year = 2030;
       },
       "members[0].birth_year"},
      {"negative deposits", [](auto& in) { in.deposits = -100; }, "deposits"},
      {"negative vehicle",
       [](auto& in) {
         in.vehicles.push_back({-1, false});
       },
       "vehicles[0].value"},
      {"negative homes", [](auto& in) { in.housing_count = -1; }, "housing_count"},
      {"negative medical", [](auto& in) { in.medical_expense = -1; }, "medical_expense"},
      {"negative education", [](auto& in) { in.education_expense = -1; }, "education_expense"},
      {"unknown district", [](auto& in) { in.district = "999999"; }, "district"},
      {"unknown year", [](auto& in) { in.year = 2019; }, "year"},
  };
  for (const auto& c : cases) {
    auto in = Household({Member("self", 40), Member("child", 10)}, 100000);
    c.edit(in);
    const Status st = Error(in);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(st.field(), c.field) << c.what << ": " << st.ToString();
  }
}

}  // namespace
}  // namespace jiuzhu
