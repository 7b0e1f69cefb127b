#include "engine/assessment/household_json.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

nlohmann::json Full() {
  return nlohmann::json::parse(R"({
    "members": [{"name": "王小梅", "relation": "self", "age": 46, "circumstances": ["serious_illness"]},
                {"name": "王乐", "relation": "child", "birth_year": 2012}],
    "income": [{"kind": "wages", "monthly_yuan": [800, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800, 800.5]},
               {"kind": "transfers", "monthly_yuan": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 300]}],
    "deposits_yuan": 1234.56, "housing_count": 1,
    "vehicles": [{"value_yuan": 30000, "sole_livelihood": true}],
    "companies": [{"name": "小梅商店", "nominal": true}],
    "medical_expense_yuan": 15000, "education_expense_yuan": 2000,
    "has_capable_supporter": false, "sudden_hardship": true})");
}

TEST(HouseholdJsonTest, ReadsEveryFactInFen) {
  auto in = ParseHouseholdJson(Full());
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_EQ(in->members.size(), 2u);
  EXPECT_EQ(in->members[0].age, 46);
  EXPECT_EQ(in->members[0].circumstances, std::vector<std::string>{"serious_illness"});
  EXPECT_FALSE(in->members[1].age.has_value());
  EXPECT_EQ(in->members[1].birth_year, 2012);
  ASSERT_EQ(in->income.size(), 2u);
  EXPECT_EQ(in->income[0].monthly[11], 80050);
  EXPECT_EQ(in->income[1].kind, "transfers");
  EXPECT_EQ(in->deposits, 123456);
  EXPECT_EQ(in->housing_count, 1);
  ASSERT_EQ(in->vehicles.size(), 1u);
  EXPECT_EQ(in->vehicles[0].value, 3000000);
  EXPECT_TRUE(in->vehicles[0].sole_livelihood);
  EXPECT_TRUE(in->companies[0].nominal);
  EXPECT_EQ(in->medical_expense, 1500000);
  EXPECT_EQ(in->education_expense, 200000);
  EXPECT_FALSE(in->has_capable_supporter);
  EXPECT_TRUE(in->sudden_hardship);
}

TEST(HouseholdJsonTest, RoundTripsThroughHouseholdToJson) {
  auto in = ParseHouseholdJson(Full());
  ASSERT_TRUE(in.ok());
  auto again = ParseHouseholdJson(HouseholdToJson(*in));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(HouseholdToJson(*again), HouseholdToJson(*in));
  EXPECT_EQ(again->income[0].monthly, in->income[0].monthly);
}

TEST(HouseholdJsonTest, DefaultsWhenOptionalFactsAreAbsent) {
  auto in =
      ParseHouseholdJson(nlohmann::json::parse(R"({"members": [{"name": "李四", "age": 70}]})"));
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_TRUE(in->income.empty());
  EXPECT_EQ(in->deposits, 0);
  EXPECT_TRUE(in->has_capable_supporter);
  EXPECT_FALSE(in->sudden_hardship);
}

TEST(HouseholdJsonTest, RefusesBadInputNamingTheField) {
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"not an object", [](auto& j) { j = nlohmann::json::array(); }, "assessment"},
      {"no members", [](auto& j) { j.erase("members"); }, "members"},
      {"members not a list", [](auto& j) { j["members"] = "王小梅"; }, "members"},
      {"member without name", [](auto& j) { j["members"][1].erase("name"); }, "members[1].name"},
      {"blank name", [](auto& j) { j["members"][0]["name"] = "  "; }, "members[0].name"},
      {"age as text", [](auto& j) { j["members"][0]["age"] = "46"; }, "members[0].age"},
      {"circumstance not text", [](auto& j) { j["members"][0]["circumstances"] = {1}; },
       "members[0].circumstances"},
      {"months missing", [](auto& j) { j["income"][0].erase("monthly_yuan"); },
       "income[0].monthly_yuan"},
      {"negative month", [](auto& j) { j["income"][1]["monthly_yuan"][4] = -1; },
       "income[1].monthly_yuan[4]"},
      {"three decimals", [](auto& j) { j["deposits_yuan"] = 1.005; }, "deposits_yuan"},
      {"text amount", [](auto& j) { j["medical_expense_yuan"] = "15000"; }, "medical_expense_yuan"},
      {"vehicle without value", [](auto& j) { j["vehicles"][0].erase("value_yuan"); },
       "vehicles[0].value_yuan"},
      {"supporter as number", [](auto& j) { j["has_capable_supporter"] = 0; },
       "has_capable_supporter"},
      {"unknown key", [](auto& j) { j["annual_income_yuan"] = 6000; }, "annual_income_yuan"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = Full();
    c.edit(j);
    auto in = ParseHouseholdJson(j);
    ASSERT_FALSE(in.ok()) << c.what;
    EXPECT_EQ(in.status().code(), ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(in.status().field(), c.field) << c.what << ": " << in.status().ToString();
  }
}

}  // namespace
}  // namespace jiuzhu
