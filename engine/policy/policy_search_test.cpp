#include "engine/policy/policy_search.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jiuzhu {
namespace {

class PolicySearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cat = PolicyCatalog::LoadFile(std::string(JIUZHU_SOURCE_DIR) + "/workflows/policies.json");
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalog_ = new PolicyCatalog(std::move(cat).value());
  }
  static void TearDownTestSuite() { delete catalog_; }

  static std::vector<PolicySearchHit> Search(const std::string& q, size_t limit = 0) {
    auto r = SearchPolicies(*catalog_, q, limit);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().ToString();
    return r.ok() ? std::move(r).value() : std::vector<PolicySearchHit>{};
  }
  static std::vector<std::string> Codes(const std::vector<PolicySearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.policy->code);
    return out;
  }

  static const PolicyCatalog* catalog_;
};
const PolicyCatalog* PolicySearchTest::catalog_ = nullptr;

TEST_F(PolicySearchTest, CancerFindsMedicalAssistanceAndTheTwoCancersAid) {
  const auto hits = Search("癌症");
  EXPECT_EQ(Codes(hits),
            (std::vector<std::string>{"yibao_medical_assistance", "fulian_two_cancers"}));
  EXPECT_EQ(hits[0].score, 600);  // keyword 癌症; equal scores keep catalogue order
  EXPECT_EQ(hits[0].matched, std::vector<std::string>{"keyword:癌症"});
}

TEST_F(PolicySearchTest, DisabilityFindsTheDisabilityFederationFirst) {
  const auto hits = Search("残疾");
  ASSERT_GE(hits.size(), 4u);
  // Name, keyword and description all match for the three 残联 policies
  // (400 + 600 + 150); others mention 残疾 only in their description (150).
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(hits[i].policy->department, "canlian") << hits[i].policy->code;
    EXPECT_EQ(hits[i].score, 1150);
  }
  for (size_t i = 3; i < hits.size(); ++i) {
    EXPECT_NE(hits[i].policy->department, "canlian");
    EXPECT_EQ(hits[i].score, 150) << hits[i].policy->code;
    EXPECT_EQ(hits[i].matched, std::vector<std::string>{"description"});
  }
}

TEST_F(PolicySearchTest, WomenFindsTheWomensFederation) {
  const auto hits = Search("妇女");
  EXPECT_EQ(Codes(hits), (std::vector<std::string>{"fulian_two_cancers", "fulian_single_mother"}));
  EXPECT_EQ(hits[0].score, 1150);  // name 困难妇女“两癌”救助 + keyword + description
  EXPECT_EQ(hits[1].score, 600);   // keyword only
}

TEST_F(PolicySearchTest, ExactNameRanksFirst) {
  auto hits = Search("医疗救助");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].policy->code, "yibao_medical_assistance");
  EXPECT_EQ(hits[0].score, 1000 + 250);  // the name, and its keyword 医疗 inside the query
  EXPECT_GT(hits[0].score, hits[1].score);
  hits = Search("法律援助");
  EXPECT_EQ(hits[0].policy->code, "sifa_legal_aid");
  hits = Search("护理补贴");
  EXPECT_EQ(hits[0].policy->code, "canlian_nursing_subsidy");
}

TEST_F(PolicySearchTest, PunctuationAndSpacesAreIgnoredTermsAddUp) {
  auto hits = Search("“两癌”");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].policy->code, "fulian_two_cancers");
  hits = Search("残疾　护理");  // ideographic space between two terms
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].policy->code, "canlian_nursing_subsidy");
  EXPECT_GT(hits[0].score, 1150);
}

TEST_F(PolicySearchTest, QueryContainingAKeywordFindsThePolicy) {
  const auto hits = Search("孩子上学困难");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].policy->code, "jiaoyu_student_aid");
}

TEST_F(PolicySearchTest, FuzzyMatchOnCharacterBigrams) {
  // A typo (经 for 金): half of the bigrams of 助学经 occur in the keyword 助学金.
  const auto hits = Search("助学经");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].policy->code, "jiaoyu_student_aid");
  EXPECT_EQ(hits[0].matched, std::vector<std::string>{"fuzzy:keyword"});
  EXPECT_EQ(hits[0].score, 75);
  EXPECT_TRUE(Search("火箭发射").empty());
}

TEST_F(PolicySearchTest, PinyinInitialsAreABonus) {
  auto hits = Search("yljz");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].policy->code, "yibao_medical_assistance");
  EXPECT_EQ(hits[0].matched, std::vector<std::string>{"initials"});
  EXPECT_EQ(Codes(Search("YLJZ")), Codes(hits));
  EXPECT_EQ(Codes(Search("ｙｌｊｚ")), Codes(hits));  // full-width letters
  hits = Search("lxbt");                              // 两项补贴
  EXPECT_EQ(Codes(hits),
            (std::vector<std::string>{"canlian_living_subsidy", "canlian_nursing_subsidy"}));
}

TEST_F(PolicySearchTest, DeterministicAndLimited) {
  const auto a = Search("救助");
  const auto b = Search("救助");
  EXPECT_EQ(Codes(a), Codes(b));
  ASSERT_GT(a.size(), 2u);
  for (size_t i = 1; i < a.size(); ++i) EXPECT_GE(a[i - 1].score, a[i].score);
  EXPECT_EQ(Codes(Search("救助", 2)), (std::vector<std::string>{Codes(a)[0], Codes(a)[1]}));
}

TEST_F(PolicySearchTest, BadQueriesNameTheField) {
  for (const std::string& q : {std::string(""), std::string("  ，。 "), std::string("\xff\xfe"),
                               std::string("\xe6\xae"), std::string(65, 'a')}) {
    auto r = SearchPolicies(*catalog_, q);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "query");
  }
}

}  // namespace
}  // namespace jiuzhu
