#include "engine/assessment/standards.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace jiuzhu {
namespace {

const std::string kStandardsDir = std::string(JIUZHU_SOURCE_DIR) + "/workflows/standards";

nlohmann::json ValidDoc() {
  return nlohmann::json::parse(R"({
    "district": "640202", "district_name": "大武口区", "year": 2026,
    "source": "test figures",
    "dibao_line_monthly_yuan": 790,
    "low_income_ratio_percent": 150,
    "deductions": {"serious_illness": 10, "severe_disability": 10},
    "max_total_deduction_percent": 30,
    "rigid_expenditure": {"medical_threshold_yuan": 0, "medical_percent": 100, "education_percent": 100},
    "asset_limits": {"deposit_months_of_dibao": 24, "vehicle_value_limit_yuan": 0, "max_housing_count": 1},
    "linshi": {"medical_expense_threshold_yuan": 20000},
    "tekun": {"qualifying_circumstances": ["elderly", "no_ability_to_work"]}
  })");
}

Status Add(const nlohmann::json& doc) {
  StandardsCatalog cat;
  return cat.AddJson(doc.dump(), "bad.json");
}

TEST(StandardsTest, LoadsTheDemoDistricts) {
  auto cat = StandardsCatalog::LoadDirectory(kStandardsDir);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_GE(cat->size(), 4u);
  for (const char* d : {"640202", "640205", "420203"}) {
    auto s = cat->Find(d, 2026);
    ASSERT_TRUE(s.ok()) << d;
    EXPECT_GT((*s)->dibao_line_monthly, 0);
    EXPECT_EQ((*s)->low_income_line_monthly, (*s)->dibao_line_monthly * 3 / 2) << d;
    EXPECT_FALSE((*s)->source.empty());
    EXPECT_EQ((*s)->deduction_percent.size(), 5u) << "every circumstance has a ratio";
  }
  auto dwk = cat->Find("640202", 2026);
  EXPECT_EQ((*dwk)->dibao_line_monthly, 79000);  // 790 yuan, as in the demo data
  EXPECT_EQ((*dwk)->low_income_line_monthly, 118500);
  EXPECT_EQ((*dwk)->district_name, "大武口区");
  EXPECT_EQ((*cat->Find("640202", 2025))->dibao_line_monthly, 76000) << "standards are per year";
}

TEST(StandardsTest, UnknownDistrictOrYearNamesTheField) {
  auto cat = StandardsCatalog::LoadDirectory(kStandardsDir);
  ASSERT_TRUE(cat.ok());
  auto d = cat->Find("110101", 2026);
  EXPECT_EQ(d.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(d.status().field(), "district");
  auto y = cat->Find("640202", 2019);
  EXPECT_EQ(y.status().field(), "year");
  EXPECT_NE(y.status().message().find("2026"), std::string::npos) << "names the known years";
}

TEST(StandardsTest, ValidDocumentLoadsWithDefaults) {
  StandardsCatalog cat;
  ASSERT_TRUE(cat.AddJson(ValidDoc().dump(), "ok.json").ok());
  const auto* s = *cat.Find("640202", 2026);
  EXPECT_EQ(s->elderly_age, 60);
  EXPECT_TRUE(s->livelihood_vehicle_exempt);
  EXPECT_TRUE(s->nominal_company_exempt);
  EXPECT_EQ(s->deduction_percent.at(Circumstance::kSeriousIllness), 10);
  EXPECT_EQ(s->linshi_medical_threshold, 2000000);
}

struct BadCase {
  const char* what;
  std::function<void(nlohmann::json&)> edit;
  const char* field;
};

TEST(StandardsTest, LoaderErrorsNameTheFileAndTheField) {
  const BadCase cases[] = {
      {"missing dibao line", [](auto& j) { j.erase("dibao_line_monthly_yuan"); },
       "dibao_line_monthly_yuan"},
      {"zero dibao line", [](auto& j) { j["dibao_line_monthly_yuan"] = 0; },
       "dibao_line_monthly_yuan"},
      {"negative dibao line", [](auto& j) { j["dibao_line_monthly_yuan"] = -5; },
       "dibao_line_monthly_yuan"},
      {"three decimals", [](auto& j) { j["dibao_line_monthly_yuan"] = 790.005; },
       "dibao_line_monthly_yuan"},
      {"text line", [](auto& j) { j["dibao_line_monthly_yuan"] = "790"; },
       "dibao_line_monthly_yuan"},
      {"ratio below 100", [](auto& j) { j["low_income_ratio_percent"] = 90; },
       "low_income_ratio_percent"},
      {"unknown circumstance", [](auto& j) { j["deductions"]["pregnant"] = 5; },
       "deductions.pregnant"},
      {"deduction over 100", [](auto& j) { j["deductions"]["serious_illness"] = 120; },
       "deductions.serious_illness"},
      {"district not a code", [](auto& j) { j["district"] = "大武口"; }, "district"},
      {"no source", [](auto& j) { j.erase("source"); }, "source"},
      {"rigid missing", [](auto& j) { j.erase("rigid_expenditure"); }, "rigid_expenditure"},
      {"negative medical threshold",
       [](auto& j) { j["rigid_expenditure"]["medical_threshold_yuan"] = -1; },
       "rigid_expenditure.medical_threshold_yuan"},
      {"housing not integer", [](auto& j) { j["asset_limits"]["max_housing_count"] = 1.5; },
       "asset_limits.max_housing_count"},
      {"linshi threshold zero", [](auto& j) { j["linshi"]["medical_expense_threshold_yuan"] = 0; },
       "linshi.medical_expense_threshold_yuan"},
      {"tekun unknown", [](auto& j) { j["tekun"]["qualifying_circumstances"] = {"rich"}; },
       "tekun.qualifying_circumstances"},
      {"tekun empty",
       [](auto& j) { j["tekun"]["qualifying_circumstances"] = nlohmann::json::array(); },
       "tekun.qualifying_circumstances"},
  };
  for (const auto& c : cases) {
    auto doc = ValidDoc();
    c.edit(doc);
    const Status st = Add(doc);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(st.field(), c.field) << c.what << ": " << st.ToString();
    EXPECT_NE(st.message().find("bad.json"), std::string::npos) << c.what;
  }
}

TEST(StandardsTest, MalformedAndDuplicateFilesAreRefused) {
  StandardsCatalog cat;
  const Status bad = cat.AddJson("{\"district\": ", "broken.json");
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("broken.json"), std::string::npos);
  ASSERT_TRUE(cat.AddJson(ValidDoc().dump(), "a.json").ok());
  const Status dup = cat.AddJson(ValidDoc().dump(), "b.json");
  EXPECT_EQ(dup.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(dup.message().find("b.json"), std::string::npos);
  EXPECT_EQ(cat.size(), 1u);
}

TEST(StandardsTest, EmptyFolderIsNotFound) {
  const auto dir = std::filesystem::temp_directory_path() / "jiuzhu_standards_empty_test";
  std::filesystem::create_directories(dir);
  auto cat = StandardsCatalog::LoadDirectory(dir.string());
  EXPECT_EQ(cat.status().code(), ErrorCode::kNotFound);
  std::filesystem::remove_all(dir);
}

TEST(StandardsTest, YuanAndFen) {
  EXPECT_EQ(*YuanToFen(790, "x"), 79000);
  EXPECT_EQ(*YuanToFen(822.5, "x"), 82250);
  EXPECT_EQ(*YuanToFen(0.07, "x"), 7);
  EXPECT_EQ(YuanToFen(-1, "amount").status().field(), "amount");
  EXPECT_FALSE(YuanToFen(1.234, "x").ok());
  EXPECT_FALSE(YuanToFen(std::nan(""), "x").ok());
  EXPECT_EQ(FenToYuanString(79000), "790.00");
  EXPECT_EQ(FenToYuanString(5), "0.05");
  EXPECT_EQ(FenToYuanString(-150), "-1.50");
}

TEST(StandardsTest, CircumstanceNamesRoundTrip) {
  for (Circumstance c : kAllCircumstances) {
    EXPECT_EQ(ParseCircumstance(CircumstanceName(c)), c);
  }
  EXPECT_STREQ(CircumstanceNameZh(Circumstance::kSevereDisability), "重残");
  EXPECT_FALSE(ParseCircumstance("Serious_Illness").has_value());
}

}  // namespace
}  // namespace jiuzhu
