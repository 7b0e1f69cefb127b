#include "engine/policy/policy_proposal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace jiuzhu {
namespace {

class PolicyProposalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string wf = std::string(JIUZHU_SOURCE_DIR) + "/workflows";
    auto cat = PolicyCatalog::LoadFile(wf + "/policies.json");
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    policies_ = new PolicyCatalog(std::move(cat).value());
    auto st = StandardsCatalog::LoadDirectory(wf + "/standards");
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    standards_ = new StandardsCatalog(std::move(st).value());
  }
  static void TearDownTestSuite() {
    delete policies_;
    delete standards_;
  }

  static AssessedMember Member(const std::string& relation, int age,
                               std::vector<std::string> circumstances = {}) {
    AssessedMember m;
    m.name = relation;
    m.relation = relation;
    m.age = age;
    m.circumstances = std::move(circumstances);
    return m;
  }
  static AssessmentInput Household(std::vector<AssessedMember> members, Fen wages_per_month) {
    AssessmentInput in;
    in.district = "640202";
    in.year = 2026;
    in.members = std::move(members);
    in.income.push_back({"wages", std::vector<Fen>(12, wages_per_month)});
    in.housing_count = 1;
    return in;
  }
  // Facts and proposals of an assessed household.
  static std::vector<PolicyProposal> Propose(const AssessmentInput& in,
                                             HouseholdFacts* facts_out = nullptr) {
    auto a = AssessHousehold(*standards_, in);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    if (!a.ok()) return {};
    const HouseholdFacts facts = FactsFromAssessment(in, *a);
    if (facts_out) *facts_out = facts;
    auto p = ProposePolicies(*policies_, facts);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : std::vector<PolicyProposal>{};
  }
  static const PolicyProposal* Find(const std::vector<PolicyProposal>& ps,
                                    const std::string& code) {
    for (const auto& p : ps) {
      if (p.policy->code == code) return &p;
    }
    return nullptr;
  }

  static const PolicyCatalog* policies_;
  static const StandardsCatalog* standards_;
};
const PolicyCatalog* PolicyProposalTest::policies_ = nullptr;
const StandardsCatalog* PolicyProposalTest::standards_ = nullptr;

TEST_F(PolicyProposalTest, SeverelyDisabledMemberIsProposedToTheDisabilityFederation) {
  // 3 people, 1500 a month, the father severely disabled: 18000 − 10% = 16200;
  // / 36 = 450 < 790: dibao, relief pool.
  const auto ps = Propose(Household(
      {Member("self", 45, {"severe_disability"}), Member("spouse", 43), Member("child", 12)},
      150000));
  const PolicyProposal* nursing = Find(ps, "canlian_nursing_subsidy");
  ASSERT_NE(nursing, nullptr);
  EXPECT_EQ(nursing->policy->department, "canlian");
  EXPECT_EQ(nursing->reasons, std::vector<std::string>{"家庭成员重度残疾"});
  const PolicyProposal* living = Find(ps, "canlian_living_subsidy");
  ASSERT_NE(living, nullptr);
  EXPECT_EQ(living->reasons, std::vector<std::string>{"家庭成员重度残疾、符合低保条件"});
  // The child is of school age in a relief-pool household; the spouse can work.
  EXPECT_NE(Find(ps, "jiaoyu_student_aid"), nullptr);
  EXPECT_NE(Find(ps, "renshe_employment_aid"), nullptr);
  EXPECT_NE(Find(ps, "yibao_insurance_subsidy"), nullptr);
  // Nothing for single parents or without a serious illness.
  EXPECT_EQ(Find(ps, "fulian_single_mother"), nullptr);
  EXPECT_EQ(Find(ps, "fulian_two_cancers"), nullptr);
  // Catalogue order.
  for (size_t i = 1; i < ps.size(); ++i) {
    const auto& all = policies_->policies();
    EXPECT_LT(ps[i - 1].policy - all.data(), ps[i].policy - all.data());
  }
}

TEST_F(PolicyProposalTest, ElderlyWithoutSupportersGetsTekunReferrals) {
  AssessmentInput in = Household({Member("self", 78)}, 0);
  in.income = {{"transfers", std::vector<Fen>(12, 20000)}};
  in.has_capable_supporter = false;
  HouseholdFacts facts;
  const auto ps = Propose(in, &facts);
  EXPECT_TRUE(facts.count("programme:tekun"));
  EXPECT_TRUE(facts.count("elderly"));
  EXPECT_TRUE(facts.count("no_capable_supporter"));
  EXPECT_FALSE(facts.count("working_age_able"));
  const PolicyProposal* care = Find(ps, "shehui_zuzhi_home_care");
  ASSERT_NE(care, nullptr);
  EXPECT_EQ(care->reasons,
            std::vector<std::string>{"家中有老年人、无有能力的赡养、抚养、扶养义务人"});
  const PolicyProposal* medical = Find(ps, "yibao_medical_assistance");
  ASSERT_NE(medical, nullptr);
  EXPECT_EQ(medical->reasons, std::vector<std::string>{"符合特困供养条件"});
  EXPECT_NE(Find(ps, "renshe_pension_contribution"), nullptr);
  EXPECT_EQ(Find(ps, "renshe_employment_aid"), nullptr);
}

TEST_F(PolicyProposalTest, SeriousIllnessWithLargeBillsListsEveryReason) {
  AssessmentInput in =
      Household({Member("self", 50, {"serious_illness"}), Member("spouse", 48)}, 300000);
  in.medical_expense = 3000000;
  const auto ps = Propose(in);
  const PolicyProposal* medical = Find(ps, "yibao_medical_assistance");
  ASSERT_NE(medical, nullptr);
  EXPECT_EQ(medical->reasons, (std::vector<std::string>{"家庭成员患重病", "大额医疗支出",
                                                        "符合低保条件、有医疗支出"}));
  EXPECT_NE(Find(ps, "fulian_two_cancers"), nullptr);
  EXPECT_NE(Find(ps, "shehui_zuzhi_counselling"), nullptr);
}

TEST_F(PolicyProposalTest, GeneralPoolHouseholdWithoutCircumstancesGetsNothing) {
  HouseholdFacts facts;
  const auto ps = Propose(Household({Member("self", 40), Member("spouse", 40)}, 500000), &facts);
  EXPECT_TRUE(facts.count("pool:general"));
  EXPECT_TRUE(ps.empty());
}

TEST_F(PolicyProposalTest, FactsFromCircumstancesAlone) {
  auto ps = ProposePolicies(*policies_, {"single_parent"});
  ASSERT_TRUE(ps.ok());
  ASSERT_EQ(ps->size(), 1u);
  EXPECT_EQ((*ps)[0].policy->code, "fulian_single_mother");
  auto bad = ProposePolicies(*policies_, {"severe_disabilty"});
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "facts");
}

}  // namespace
}  // namespace jiuzhu
