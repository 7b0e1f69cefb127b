#include "engine/policy/policy_catalog.hpp"
#include "engine/assessment/standards.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace jiuzhu {
namespace {

const std::string kWorkflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";

std::vector<std::string> DemoDepartments() {
  std::ifstream in(kWorkflows + "/org/demo-org.json");
  const auto doc = nlohmann::json::parse(in);
  std::set<std::string> codes;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& u) {
    if (u.contains("department")) codes.insert(u.at("department").get<std::string>());
    for (const auto& c : u.value("children", nlohmann::json::array())) walk(c);
  };
  for (const auto& u : doc.at("units")) walk(u);
  return {codes.begin(), codes.end()};
}

nlohmann::json OnePolicy() {
  return nlohmann::json::parse(R"({"policies": [{
    "code": "p1", "department": "canlian", "name": "重度残疾人护理补贴",
    "description": "护理补贴", "keywords": ["残疾"], "initials": ["zdcjrhlbt"],
    "feedback_working_days": 10, "candidate_when": [["severe_disability"]]}]})");
}

TEST(PolicyCatalogTest, LoadsTheCatalogueWithEveryDepartmentOfTheBrief) {
  auto cat = PolicyCatalog::LoadFile(kWorkflows + "/policies.json");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_GE(cat->policies().size(), 15u);
  std::set<std::string> departments;
  for (const auto& p : cat->policies()) {
    departments.insert(p.department);
    EXPECT_FALSE(p.keywords.empty()) << p.code;
    EXPECT_GE(p.feedback_working_days, 1) << p.code;
  }
  for (const char* d :
       {"yibao", "canlian", "jiaoyu", "renshe", "zhujian", "sifa", "shehui_zuzhi"}) {
    EXPECT_TRUE(departments.count(d)) << "no policy of " << d;
  }
  EXPECT_TRUE(cat->CheckDepartments(DemoDepartments()).ok())
      << cat->CheckDepartments(DemoDepartments()).ToString();
  const Policy* nursing = cat->Find("canlian_nursing_subsidy");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->name, "重度残疾人护理补贴");
  EXPECT_EQ(nursing->candidate_when,
            (std::vector<std::vector<std::string>>{{"severe_disability"}}));
  EXPECT_EQ(cat->Find("no_such_policy"), nullptr);
}

TEST(PolicyCatalogTest, UnknownDepartmentIsNamed) {
  auto doc = OnePolicy();
  doc["policies"][0]["department"] = "mofa";
  auto cat = PolicyCatalog::FromJson(doc.dump(), "p.json");
  ASSERT_TRUE(cat.ok());
  const Status st = cat->CheckDepartments(DemoDepartments());
  EXPECT_EQ(st.field(), "department");
  EXPECT_NE(st.message().find("mofa"), std::string::npos);
}

TEST(PolicyCatalogTest, LoaderErrorsNameTheFileAndTheField) {
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {"no policies", [](auto& j) { j["policies"] = nlohmann::json::array(); }, "policies"},
      {"no name", [](auto& j) { j["policies"][0].erase("name"); }, "policies[0].name"},
      {"empty department", [](auto& j) { j["policies"][0]["department"] = ""; },
       "policies[0].department"},
      {"no description", [](auto& j) { j["policies"][0].erase("description"); },
       "policies[0].description"},
      {"no keywords", [](auto& j) { j["policies"][0]["keywords"] = nlohmann::json::array(); },
       "policies[0].keywords"},
      {"keyword not text", [](auto& j) { j["policies"][0]["keywords"] = {1}; },
       "policies[0].keywords"},
      {"upper-case initials", [](auto& j) { j["policies"][0]["initials"] = {"ZDCJ"}; },
       "policies[0].initials"},
      {"zero days", [](auto& j) { j["policies"][0]["feedback_working_days"] = 0; },
       "policies[0].feedback_working_days"},
      {"unknown fact", [](auto& j) { j["policies"][0]["candidate_when"] = {{"rich"}}; },
       "policies[0].candidate_when"},
      {"empty alternative",
       [](auto& j) { j["policies"][0]["candidate_when"] = {nlohmann::json::array()}; },
       "policies[0].candidate_when"},
      {"duplicate code", [](auto& j) { j["policies"].push_back(j["policies"][0]); },
       "policies[1].code"},
  };
  for (const auto& c : cases) {
    auto doc = OnePolicy();
    c.edit(doc);
    auto cat = PolicyCatalog::FromJson(doc.dump(), "policies.json");
    ASSERT_FALSE(cat.ok()) << c.what;
    EXPECT_EQ(cat.status().code(), ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(cat.status().field(), c.field) << c.what << ": " << cat.status().ToString();
    EXPECT_NE(cat.status().message().find("policies.json"), std::string::npos) << c.what;
  }
  EXPECT_EQ(PolicyCatalog::FromJson("{\"policies\": [", "x.json").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(PolicyCatalog::LoadFile(kWorkflows + "/nope.json").status().code(),
            ErrorCode::kNotFound);
}

TEST(PolicyCatalogTest, FactVocabularyHasChineseLabels) {
  EXPECT_STREQ(HouseholdFactLabel("severe_disability"), "家庭成员重度残疾");
  EXPECT_STREQ(HouseholdFactLabel("pool:relief"), "纳入救助库");
  EXPECT_EQ(HouseholdFactLabel("pool:unknown"), nullptr);
  for (Circumstance c : kAllCircumstances) {
    EXPECT_NE(HouseholdFactLabel(CircumstanceName(c)), nullptr) << CircumstanceName(c);
  }
}

}  // namespace
}  // namespace jiuzhu
