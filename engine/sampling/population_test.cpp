#include "engine/sampling/population.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/common/crypto.hpp"

namespace jiuzhu {
namespace {

PopulationEntry Entry(CaseId id, bool flagged = false) {
  PopulationEntry e;
  e.case_id = id;
  e.programme = "dibao";
  e.district_id = "640202";
  e.street_id = "640202100";
  e.org_path = "/640200/640202/640202100/640202100001/";
  e.approver = "li.ming";
  e.approved_at = 1'770'000'000'000'000 + id;
  e.flagged = flagged;
  return e;
}

std::vector<PopulationEntry> Three() { return {Entry(30), Entry(10, true), Entry(20)}; }

std::string HashOf(std::vector<PopulationEntry> entries) {
  Result<FrozenPopulation> p = FrozenPopulation::Freeze(std::move(entries));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? p->hash() : "";
}

TEST(SamplingPopulationTest, FreezeSortsByCaseIdAndHashesCanonicalEncoding) {
  Result<FrozenPopulation> p = FrozenPopulation::Freeze(Three());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ(p->entries()[0].case_id, 10);
  EXPECT_EQ(p->entries()[2].case_id, 30);
  EXPECT_EQ(p->hash(), Sha256Hex(CanonicalPopulationEncoding(p->entries())));
  EXPECT_EQ(p->hash().size(), 64u);
  // Input order does not matter.
  EXPECT_EQ(HashOf({Entry(20), Entry(30), Entry(10, true)}), p->hash());
}

TEST(SamplingPopulationTest, EncodingIsLengthPrefixedInFixedFieldOrder) {
  PopulationEntry e = Entry(7, true);
  e.approver = "王华";  // 6 UTF-8 bytes
  e.approved_at = 1234;
  EXPECT_EQ(CanonicalPopulationEncoding({e}),
            "jiuzhu-population-v11:1\n"
            "1:7\n5:dibao\n6:640202\n9:640202100\n38:/640200/640202/640202100/640202100001/\n"
            "6:王华\n4:1234\n1:1\n");
  EXPECT_EQ(FrozenPopulation().hash(), Sha256Hex("jiuzhu-population-v11:0\n"));
}

TEST(SamplingPopulationTest, AnyChangeChangesTheHash) {
  const std::string base = HashOf(Three());
  std::vector<std::vector<PopulationEntry>> changed(9, Three());
  changed[0].push_back(Entry(40));    // added case
  changed[1].pop_back();              // removed case
  changed[2][0].programme = "tekun";  // each field in turn
  changed[3][0].district_id = "640205";
  changed[4][0].street_id = "640202101";
  changed[5][0].org_path = "/640200/640202/640202100/640202100002/";
  changed[6][0].approver = "wang.hua";
  changed[7][0].approved_at += 1;
  changed[8][0].flagged = !changed[8][0].flagged;
  for (size_t i = 0; i < changed.size(); ++i) {
    EXPECT_NE(HashOf(changed[i]), base) << "change " << i;
  }
}

TEST(SamplingPopulationTest, ShiftingBytesBetweenFieldsChangesTheHash) {
  PopulationEntry a = Entry(1), b = Entry(1);
  a.district_id = "6402";
  a.street_id = "02100";
  b.district_id = "640202";
  b.street_id = "100";
  EXPECT_NE(HashOf({a}), HashOf({b}));
}

TEST(SamplingPopulationTest, FreezeRejectsBadEntries) {
  auto error_of = [](std::vector<PopulationEntry> entries) {
    return FrozenPopulation::Freeze(std::move(entries)).status();
  };
  Status dup = error_of({Entry(5), Entry(5)});
  EXPECT_EQ(dup.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(dup.field(), "population");
  EXPECT_NE(dup.message().find("case 5"), std::string::npos) << dup.message();

  EXPECT_EQ(error_of({Entry(0)}).code(), ErrorCode::kInvalidArgument);
  PopulationEntry no_approver = Entry(3);
  no_approver.approver.clear();
  Status s = error_of({no_approver});
  EXPECT_NE(s.message().find("approver"), std::string::npos) << s.message();
  PopulationEntry bad_utf8 = Entry(4);
  bad_utf8.approver = "li\xC0\xAF";  // overlong '/'
  s = error_of({bad_utf8});
  EXPECT_NE(s.message().find("UTF-8"), std::string::npos) << s.message();
  PopulationEntry negative = Entry(6);
  negative.approved_at = -1;
  EXPECT_EQ(error_of({negative}).code(), ErrorCode::kInvalidArgument);
}

TEST(SamplingPopulationTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("星海镇 abc"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xE5\x8D"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
}

}  // namespace
}  // namespace jiuzhu
