#include "engine/sampling/draw.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/common/crypto.hpp"

namespace jiuzhu {
namespace {

const std::string kSeedA = "8f3a1c6e0b9d4f27a5e61c03d8b74a92f1e0c5b36a7d29e48c1f0b5a6e3d7c21";
const std::string kSeedB = "2d7e9a4c1f6b03e85a2c7d9f4b1e60a3c8d5f2e7b9a4c1d06e3f8a5b2c7d9e41";
constexpr Micros kFrom = 1'772'294'400'000'000;  // 2026-03-01T00:00:00+08:00
constexpr Micros kTo = kFrom + 31 * kMicrosPerDay;

PopulationEntry Entry(CaseId id, const std::string& district, bool flagged = false) {
  PopulationEntry e;
  e.case_id = id;
  e.programme = id % 5 == 0 ? "linshi" : "dibao";
  e.district_id = district;
  e.street_id = district + (id % 2 == 0 ? "100" : "101");
  e.org_path = "/640200/" + district + "/" + e.street_id + "/" + e.street_id + "001/";
  e.approver = "approver" + std::to_string(id % 4);
  e.approved_at = kFrom + id * 1'000'000;
  e.flagged = flagged;
  return e;
}

// Four districts of 30, 7, 1 and 45 cases; flagged: 5 and 10 in the first,
// 101..106 in the second, the lone case 201 in the third, none in the fourth.
FrozenPopulation Districts() {
  std::vector<PopulationEntry> v;
  for (CaseId id = 1; id <= 30; ++id) v.push_back(Entry(id, "640202", id == 5 || id == 10));
  for (CaseId id = 101; id <= 107; ++id) v.push_back(Entry(id, "640203", id <= 106));
  v.push_back(Entry(201, "640204", true));
  for (CaseId id = 301; id <= 345; ++id) v.push_back(Entry(id, "640205"));
  Result<FrozenPopulation> p = FrozenPopulation::Freeze(std::move(v));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(p).value();
}

SampleParameters Params(std::vector<StratumKey> strata, int minimum, bool flagged,
                        int rate_bp = 1000) {
  SampleParameters p;
  p.period_from = kFrom;
  p.period_to = kTo;
  p.rate_basis_points = rate_bp;
  p.strata = std::move(strata);
  p.minimum_per_stratum = minimum;
  p.always_include_flagged = flagged;
  return p;
}

SampleResult Draw(const FrozenPopulation& pop, const SampleParameters& p,
                  const std::string& seed = kSeedA) {
  Result<SampleResult> r = DrawSample(pop, p, seed);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : SampleResult{};
}

std::map<std::string, size_t> SizesByLabel(const SampleResult& r) {
  std::map<std::string, size_t> out;
  for (const StratumSummary& s : r.strata) out[s.label] = s.sample_size;
  return out;
}

bool Contains(const SampleResult& r, CaseId id) {
  return std::binary_search(r.chosen.begin(), r.chosen.end(), id);
}

TEST(SampleDrawTest, SameSeedAndPopulationGiveTheSameSampleAndHash) {
  const FrozenPopulation pop = Districts();
  const SampleParameters p = Params({StratumKey::kDistrict}, 2, true);
  const SampleResult a = Draw(pop, p);
  // Frozen again from the entries in reverse order: same population.
  std::vector<PopulationEntry> reversed(pop.entries().rbegin(), pop.entries().rend());
  const SampleResult b = Draw(*FrozenPopulation::Freeze(reversed), p);
  EXPECT_EQ(a.chosen, b.chosen);
  EXPECT_EQ(a.sample_hash, b.sample_hash);
  EXPECT_EQ(a.population_hash, pop.hash());
  EXPECT_EQ(a.seed_hex, kSeedA);
  EXPECT_EQ(a.population_size, 83u);
  EXPECT_TRUE(std::is_sorted(a.chosen.begin(), a.chosen.end()));
  // An uppercase spelling of the seed is the same seed.
  std::string upper = kSeedA;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_EQ(Draw(pop, p, upper).sample_hash, a.sample_hash);
}

TEST(SampleDrawTest, DifferentSeedGivesDifferentSample) {
  const FrozenPopulation pop = Districts();
  const SampleParameters p = Params({}, 0, false);
  const SampleResult a = Draw(pop, p, kSeedA);
  const SampleResult b = Draw(pop, p, kSeedB);
  ASSERT_EQ(a.chosen.size(), 9u);  // ceil(10% of 83)
  ASSERT_EQ(b.chosen.size(), 9u);
  EXPECT_NE(a.chosen, b.chosen);
  EXPECT_NE(a.sample_hash, b.sample_hash);
}

TEST(SampleDrawTest, ChangedPopulationChangesPopulationAndSampleHash) {
  const FrozenPopulation pop = Districts();
  std::vector<PopulationEntry> v = pop.entries();
  v[40].approver = "someone.else";
  const FrozenPopulation changed = *FrozenPopulation::Freeze(v);
  EXPECT_NE(changed.hash(), pop.hash());
  const SampleParameters p = Params({}, 0, false);
  EXPECT_NE(Draw(changed, p).sample_hash, Draw(pop, p).sample_hash);
}

TEST(SampleDrawTest, EachStratumGetsRateCeilingOrMinimumCappedAtItsSize) {
  const SampleResult r = Draw(Districts(), Params({StratumKey::kDistrict}, 2, false));
  // 30 -> ceil(3) = 3; 7 -> max(2, ceil(0.7)) = 2; 1 -> capped at 1;
  // 45 -> ceil(4.5) = 5.
  const std::map<std::string, size_t> expected = {{"district=640202", 3},
                                                  {"district=640203", 2},
                                                  {"district=640204", 1},
                                                  {"district=640205", 5}};
  EXPECT_EQ(SizesByLabel(r), expected);
  EXPECT_EQ(r.chosen.size(), 11u);
  size_t population_total = 0;
  for (const StratumSummary& s : r.strata) population_total += s.population_size;
  EXPECT_EQ(population_total, 83u);
  // The chosen ids really are spread that way.
  std::map<char, size_t> by_hundred;
  for (CaseId id : r.chosen) ++by_hundred[static_cast<char>('0' + id / 100)];
  EXPECT_EQ(by_hundred, (std::map<char, size_t>{{'0', 3}, {'1', 2}, {'2', 1}, {'3', 5}}));
}

TEST(SampleDrawTest, RateCeilingIsExactInIntegers) {
  // In binary floating point 0.07 * 100 = 7.000000000000001, whose ceiling is 8.
  std::vector<PopulationEntry> v;
  for (CaseId id = 1; id <= 100; ++id) v.push_back(Entry(id, "640202"));
  const SampleResult r = Draw(*FrozenPopulation::Freeze(v), Params({}, 0, false, 700));
  EXPECT_EQ(r.chosen.size(), 7u);
  ASSERT_EQ(r.strata.size(), 1u);
  EXPECT_EQ(r.strata[0].label, "all");
  EXPECT_EQ(r.strata[0].sample_size, 7u);
}

TEST(SampleDrawTest, MinimumLargerThanStratumTakesTheWholeStratum) {
  const SampleResult r = Draw(Districts(), Params({StratumKey::kDistrict}, 10, false));
  EXPECT_EQ(SizesByLabel(r), (std::map<std::string, size_t>{{"district=640202", 10},
                                                            {"district=640203", 7},
                                                            {"district=640204", 1},
                                                            {"district=640205", 10}}));
  for (CaseId id = 101; id <= 107; ++id) EXPECT_TRUE(Contains(r, id)) << id;
  EXPECT_TRUE(Contains(r, 201));
  EXPECT_EQ(r.chosen.size(), 28u);
}

TEST(SampleDrawTest, FlaggedCasesAreAlwaysIncludedAndCountTowardN) {
  const SampleResult r = Draw(Districts(), Params({StratumKey::kDistrict}, 2, true));
  for (CaseId id : {5, 10, 101, 102, 103, 104, 105, 106, 201}) {
    EXPECT_TRUE(Contains(r, id)) << id;
  }
  // 640202: n = 3 = flagged 5, 10 + one drawn; 640203: 6 flagged > n = 2, so
  // all 6 and nothing drawn (107 out); 640205: 5 drawn.
  EXPECT_EQ(SizesByLabel(r), (std::map<std::string, size_t>{{"district=640202", 3},
                                                            {"district=640203", 6},
                                                            {"district=640204", 1},
                                                            {"district=640205", 5}}));
  EXPECT_FALSE(Contains(r, 107));
  EXPECT_EQ(r.strata[0].flagged_in_sample, 2u);
  EXPECT_EQ(r.strata[1].flagged_in_sample, 6u);
  EXPECT_EQ(r.chosen.size(), 15u);

  // Without the rule the flags play no part.
  const SampleResult plain = Draw(Districts(), Params({StratumKey::kDistrict}, 2, false));
  EXPECT_EQ(plain.strata[1].sample_size, 2u);
  EXPECT_EQ(plain.strata[1].flagged_in_sample, 0u);
}

TEST(SampleDrawTest, MultiKeyStrataFollowTheRuleAndAddUp) {
  const FrozenPopulation pop = Districts();
  const int minimum = 2;
  const int rate_bp = 1500;
  const SampleResult r =
      Draw(pop, Params({StratumKey::kApprover, StratumKey::kStreet, StratumKey::kDistrict}, minimum,
                       false, rate_bp));
  // Recount each stratum from the population and the chosen ids.
  std::map<std::vector<std::string>, std::pair<size_t, size_t>> counted;  // size, chosen
  for (const PopulationEntry& e : pop.entries()) {
    auto& c = counted[{e.district_id, e.street_id, e.approver}];  // canonical key order
    ++c.first;
    if (Contains(r, e.case_id)) ++c.second;
  }
  ASSERT_EQ(r.strata.size(), counted.size());
  size_t total = 0;
  auto it = counted.begin();
  for (const StratumSummary& s : r.strata) {
    EXPECT_EQ(s.key, it->first);  // same order: by value lists
    const size_t n = it->second.first;
    const size_t by_rate = (rate_bp * n + 9999) / 10000;
    EXPECT_EQ(s.population_size, n) << s.label;
    EXPECT_EQ(s.sample_size, std::min(n, std::max<size_t>(minimum, by_rate))) << s.label;
    EXPECT_EQ(it->second.second, s.sample_size) << s.label;
    total += s.sample_size;
    ++it;
  }
  EXPECT_EQ(total, r.chosen.size());
  EXPECT_EQ(r.strata[0].label, "district=640202 street=640202100 approver=approver0");
}

TEST(SampleDrawTest, OutsiderCanRederiveTheSampleByHand) {
  std::vector<PopulationEntry> v;
  for (CaseId id = 1; id <= 10; ++id) v.push_back(Entry(id, "640202"));
  const FrozenPopulation pop = *FrozenPopulation::Freeze(v);
  const SampleParameters p = Params({}, 0, false, 3000);  // n = 3
  const SampleResult r = Draw(pop, p);

  const std::string key = *HexDecode(kSeedA);
  std::vector<std::pair<std::string, CaseId>> scored;
  for (CaseId id = 1; id <= 10; ++id) {
    scored.emplace_back(HmacSha256Hex(key, pop.hash() + std::to_string(id)), id);
    EXPECT_EQ(EntryScore(kSeedA, pop.hash(), id), scored.back().first);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<CaseId> expected = {scored[0].second, scored[1].second, scored[2].second};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(r.chosen, expected);

  const std::string parameters_hash =
      Sha256Hex(CanonicalParameterEncoding(*CanonicalizeParameters(p)));
  EXPECT_EQ(r.parameters_hash, parameters_hash);
  std::string text = "jiuzhu-sample-v1";
  text += "64:" + kSeedA + "\n64:" + pop.hash() + "\n64:" + parameters_hash + "\n1:3\n";
  for (CaseId id : expected)
    text += std::to_string(std::to_string(id).size()) + ":" + std::to_string(id) + "\n";
  EXPECT_EQ(r.sample_hash, Sha256Hex(text));
}

TEST(SampleDrawTest, HigherRateContainsLowerRateSample) {
  const FrozenPopulation pop = Districts();
  const SampleResult low = Draw(pop, Params({}, 0, false, 1000));
  const SampleResult high = Draw(pop, Params({}, 0, false, 2000));
  EXPECT_TRUE(
      std::includes(high.chosen.begin(), high.chosen.end(), low.chosen.begin(), low.chosen.end()));
  EXPECT_EQ(high.chosen.size(), 17u);
}

TEST(SampleDrawTest, EmptyPopulationGivesAnEmptySample) {
  const SampleResult r = Draw(FrozenPopulation(), Params({StratumKey::kDistrict}, 2, true));
  EXPECT_TRUE(r.chosen.empty());
  EXPECT_TRUE(r.strata.empty());
  EXPECT_EQ(r.sample_hash.size(), 64u);
}

TEST(SampleDrawTest, RejectsBadSeedBadParametersAndEntriesOutsideTheFilters) {
  const FrozenPopulation pop = Districts();
  Result<SampleResult> r = DrawSample(pop, Params({}, 0, false), "xyz");
  EXPECT_EQ(r.status().field(), "seed");
  r = DrawSample(pop, Params({}, -1, false), kSeedA);
  EXPECT_EQ(r.status().field(), "minimum_per_stratum");
  r = DrawSample(pop, Params({}, 0, false, 0), kSeedA);
  EXPECT_EQ(r.status().field(), "rate");

  SampleParameters dibao_only = Params({}, 0, false);
  dibao_only.programmes = {"dibao"};
  r = DrawSample(pop, dibao_only, kSeedA);
  EXPECT_EQ(r.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("case 5 "), std::string::npos) << r.status().message();

  SampleParameters later = Params({}, 0, false);
  later.period_from = kFrom + 2'000'000;  // case 1 approved before it
  r = DrawSample(pop, later, kSeedA);
  EXPECT_EQ(r.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("case 1 "), std::string::npos) << r.status().message();
}

class SampleVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pop_ = Districts();
    params_ = Params({StratumKey::kDistrict, StratumKey::kApprover}, 1, true);
    stored_ = Draw(pop_, params_);
  }

  FrozenPopulation pop_;
  SampleParameters params_;
  SampleResult stored_;
};

TEST_F(SampleVerifyTest, StoredSampleVerifies) {
  EXPECT_TRUE(VerifySample(pop_, params_, kSeedA, stored_).ok());
}

TEST_F(SampleVerifyTest, DetectsASwappedId) {
  SampleResult tampered = stored_;
  const CaseId out = tampered.chosen[3];
  CaseId in = 0;
  for (const PopulationEntry& e : pop_.entries()) {
    if (!Contains(stored_, e.case_id)) {
      in = e.case_id;
      break;
    }
  }
  ASSERT_NE(in, 0);
  tampered.chosen[3] = in;
  std::sort(tampered.chosen.begin(), tampered.chosen.end());
  // Even with a recomputed hash the swap is found.
  tampered.sample_hash = ComputeSampleHash(tampered.seed_hex, tampered.population_hash,
                                           tampered.parameters_hash, tampered.chosen);
  Status s = VerifySample(pop_, params_, kSeedA, tampered);
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(s.field(), "chosen");
  EXPECT_NE(s.message().find("case " + std::to_string(in) + " in the stored sample but not drawn"),
            std::string::npos)
      << s.message();
  EXPECT_NE(
      s.message().find("case " + std::to_string(out) + " drawn but missing from the stored sample"),
      std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("sample hash differs"), std::string::npos) << s.message();
}

TEST_F(SampleVerifyTest, DetectsAChangedParameter) {
  SampleParameters changed = params_;
  changed.rate_basis_points = 2000;
  Status s = VerifySample(pop_, changed, kSeedA, stored_);
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(s.field(), "parameters");
  EXPECT_NE(s.message().find("parameter hash differs"), std::string::npos) << s.message();

  changed = params_;
  changed.always_include_flagged = false;
  EXPECT_EQ(VerifySample(pop_, changed, kSeedA, stored_).field(), "parameters");
}

TEST_F(SampleVerifyTest, DetectsAChangedPopulationSeedOrHash) {
  std::vector<PopulationEntry> v = pop_.entries();
  v.pop_back();
  Status s = VerifySample(*FrozenPopulation::Freeze(v), params_, kSeedA, stored_);
  EXPECT_EQ(s.field(), "population_hash");

  s = VerifySample(pop_, params_, kSeedB, stored_);
  EXPECT_EQ(s.field(), "seed");

  SampleResult tampered = stored_;
  tampered.sample_hash[0] = tampered.sample_hash[0] == '0' ? '1' : '0';
  s = VerifySample(pop_, params_, kSeedA, tampered);
  EXPECT_EQ(s.field(), "sample_hash");
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);

  tampered = stored_;
  tampered.strata[0].sample_size += 1;
  EXPECT_EQ(VerifySample(pop_, params_, kSeedA, tampered).field(), "strata");
}

}  // namespace
}  // namespace jiuzhu
