#include "engine/sampling/sample_parameters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace jiuzhu {
namespace {

SampleParameters Valid() {
  SampleParameters p;
  p.period_from = 1'000'000;
  p.period_to = 2'000'000;
  p.rate_basis_points = 1000;
  p.strata = {StratumKey::kApprover, StratumKey::kDistrict};
  p.minimum_per_stratum = 2;
  p.always_include_flagged = true;
  p.programmes = {"tekun", "dibao"};
  p.org_subtree_path = "/640200/640202/";
  return p;
}

Status ErrorOf(const SampleParameters& p) { return CanonicalizeParameters(p).status(); }

TEST(SampleParametersTest, CanonicalFormSortsListsAndEncodesExactly) {
  Result<SampleParameters> c = CanonicalizeParameters(Valid());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->strata, (std::vector<StratumKey>{StratumKey::kDistrict, StratumKey::kApprover}));
  EXPECT_EQ(c->programmes, (std::vector<std::string>{"dibao", "tekun"}));
  EXPECT_EQ(CanonicalParameterEncoding(*c),
            "jiuzhu-sample-parameters-v1"
            "7:1000000\n7:2000000\n4:1000\n17:district,approver\n1:2\n1:1\n1:2\n5:dibao\n"
            "5:tekun\n15:/640200/640202/\n");
  EXPECT_EQ(ParameterHash(*c).size(), 64u);

  SampleParameters reordered = Valid();
  reordered.strata = {StratumKey::kDistrict, StratumKey::kApprover};
  reordered.programmes = {"dibao", "tekun"};
  EXPECT_EQ(ParameterHash(*CanonicalizeParameters(reordered)), ParameterHash(*c));
}

TEST(SampleParametersTest, EveryParameterChangesTheHash) {
  const std::string base = ParameterHash(*CanonicalizeParameters(Valid()));
  std::vector<SampleParameters> changed(8, Valid());
  changed[0].period_from += 1;
  changed[1].period_to += 1;
  changed[2].rate_basis_points = 1001;
  changed[3].strata.push_back(StratumKey::kStreet);
  changed[4].minimum_per_stratum = 3;
  changed[5].always_include_flagged = false;
  changed[6].programmes.pop_back();
  changed[7].org_subtree_path = "/640200/";
  for (size_t i = 0; i < changed.size(); ++i) {
    Result<SampleParameters> c = CanonicalizeParameters(changed[i]);
    ASSERT_TRUE(c.ok()) << i;
    EXPECT_NE(ParameterHash(*c), base) << "change " << i;
  }
}

TEST(SampleParametersTest, ValidationErrorsNameTheField) {
  SampleParameters p = Valid();
  p.rate_basis_points = 0;
  EXPECT_EQ(ErrorOf(p).field(), "rate");
  p.rate_basis_points = 10001;
  EXPECT_EQ(ErrorOf(p).field(), "rate");
  p.rate_basis_points = 10000;
  EXPECT_TRUE(ErrorOf(p).ok());

  p = Valid();
  p.strata = {StratumKey::kStreet, StratumKey::kApprover, StratumKey::kStreet};
  EXPECT_EQ(ErrorOf(p).field(), "strata");

  p = Valid();
  p.minimum_per_stratum = -1;
  EXPECT_EQ(ErrorOf(p).field(), "minimum_per_stratum");
  p.minimum_per_stratum = 0;
  EXPECT_TRUE(ErrorOf(p).ok());

  p = Valid();
  p.period_to = p.period_from;
  EXPECT_EQ(ErrorOf(p).field(), "period_to");
  p = Valid();
  p.period_from = -5;
  EXPECT_EQ(ErrorOf(p).field(), "period_from");

  p = Valid();
  p.programmes = {"dibao", "dibao"};
  EXPECT_EQ(ErrorOf(p).field(), "programmes");
  p.programmes = {""};
  EXPECT_EQ(ErrorOf(p).field(), "programmes");

  for (const char* path : {"640200/", "/640200", "/", "//", "/640200//640202/"}) {
    p = Valid();
    p.org_subtree_path = path;
    EXPECT_EQ(ErrorOf(p).field(), "org_subtree_path") << path;
  }
  EXPECT_EQ(ErrorOf(p).code(), ErrorCode::kInvalidArgument);
}

TEST(SampleParametersTest, ParseRateIsExactToABasisPoint) {
  EXPECT_EQ(*ParseRate("0.10"), 1000);
  EXPECT_EQ(*ParseRate("0.1"), 1000);
  EXPECT_EQ(*ParseRate("0.1000"), 1000);
  EXPECT_EQ(*ParseRate("10%"), 1000);
  EXPECT_EQ(*ParseRate("2.5%"), 250);
  EXPECT_EQ(*ParseRate("0.0001"), 1);
  EXPECT_EQ(*ParseRate("1"), 10000);
  EXPECT_EQ(*ParseRate("100%"), 10000);
  for (const char* bad : {"", "0", "0.0", "0.00005", "1.01", "101%", "-0.1", ".5", "1.", "abc",
                          "0.1x", "1e-1", "0,1"}) {
    Result<int> r = ParseRate(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "rate") << bad;
  }
}

TEST(SampleParametersTest, RateFromDouble) {
  EXPECT_EQ(*RateFromDouble(0.1), 1000);
  EXPECT_EQ(*RateFromDouble(0.15), 1500);
  EXPECT_EQ(*RateFromDouble(1.0), 10000);
  for (double bad : {0.0, -0.1, 1.5, 0.123456, std::nan("")}) {
    Result<int> r = RateFromDouble(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "rate");
  }
}

TEST(SampleParametersTest, StratumKeyNamesRoundTrip) {
  for (StratumKey k : {StratumKey::kDistrict, StratumKey::kStreet, StratumKey::kApprover,
                       StratumKey::kProgramme}) {
    EXPECT_EQ(ParseStratumKey(StratumKeyName(k)), k);
  }
  EXPECT_FALSE(ParseStratumKey("village").has_value());
}

TEST(SampleParametersTest, MatchesFilters) {
  const SampleParameters p = *CanonicalizeParameters(Valid());
  PopulationEntry e;
  e.case_id = 1;
  e.programme = "dibao";
  e.org_path = "/640200/640202/640202100/640202100001/";
  e.approved_at = p.period_from;
  EXPECT_TRUE(MatchesFilters(e, p));
  e.approved_at = p.period_to;
  EXPECT_FALSE(MatchesFilters(e, p));
  e.approved_at = p.period_from;
  e.programme = "linshi";
  EXPECT_FALSE(MatchesFilters(e, p));
  e.programme = "tekun";
  e.org_path = "/640200/640205/640205001/";
  EXPECT_FALSE(MatchesFilters(e, p));
  e.org_path = "/640200/6402020/";  // a sibling whose id merely starts alike
  EXPECT_FALSE(MatchesFilters(e, p));
}

}  // namespace
}  // namespace jiuzhu
