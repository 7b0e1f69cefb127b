#include "engine/alerts/alert_rules.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

const std::string kWorkflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";

ProgrammeCatalog Catalog() {
  auto c = ProgrammeCatalog::LoadDirectory(kWorkflows);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : ProgrammeCatalog{};
}

TEST(AlertRules, TheShippedFileLoadsWithThresholdsPerProgramme) {
  auto rules = AlertRules::LoadFile(kWorkflows + "/alerts.json", Catalog());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  const AlertKind* death = rules->Find("death");
  ASSERT_NE(death, nullptr);
  EXPECT_EQ(death->name, "死亡登记");
  EXPECT_EQ(death->review_working_days, 3);
  EXPECT_FALSE(death->ThresholdFor("dibao").has_value());
  const AlertKind* medical = rules->Find("large_medical_expense");
  ASSERT_NE(medical, nullptr);
  EXPECT_EQ(medical->ThresholdFor("dibao"), 1000000);   // 10,000 yuan in fen
  EXPECT_EQ(medical->ThresholdFor("linshi"), 2000000);  // the default
  EXPECT_EQ(rules->Find("ufo"), nullptr);
  EXPECT_EQ(rules->Codes().size(), 5u);
}

TEST(AlertRules, BadFilesAreRefusedNamingThePlace) {
  const ProgrammeCatalog cat = Catalog();
  struct Case {
    const char* text;
    const char* field;
  } cases[] = {
      {"[", ""},
      {R"({"kinds": {}})", "kinds"},
      {R"({"kinds": {"death": {"review_working_days": 3}}})", "kinds.death.name"},
      {R"({"kinds": {"death": {"name": "死亡", "review_working_days": 0}}})", "kinds.death.review_working_days"},
      {R"({"kinds": {"death": {"name": "死亡", "review_working_days": 2.5}}})", "kinds.death.review_working_days"},
      {R"({"kinds": {"m": {"name": "医疗", "threshold_yuan": {"nope": 1}}}})", "kinds.m.threshold_yuan.nope"},
      {R"({"kinds": {"m": {"name": "医疗", "threshold_yuan": {"default": -1}}}})", "kinds.m.threshold_yuan.default"},
      {R"({"kinds": {"m": {"name": "医疗", "colour": "red"}}})", "kinds.m.colour"},
      {R"({"kinds": {"m": {"name": "医疗"}}, "extra": 1})", "extra"},
  };
  for (const auto& c : cases) {
    auto r = AlertRules::FromJson(c.text, "alerts.json", cat);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << c.text;
    EXPECT_EQ(r.status().field(), c.field) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r.status().message().rfind("alerts.json", 0), 0u) << r.status().message();
  }
  EXPECT_EQ(AlertRules::LoadFile("/nonexistent/alerts.json", cat).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace jiuzhu
