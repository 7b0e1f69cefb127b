#include "engine/store/id_batches.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

using Ids = std::vector<std::int64_t>;

TEST(IdBatchesTest, EmptyInputGivesNoBatches) { EXPECT_TRUE(IdBatches({}).empty()); }

TEST(IdBatchesTest, SortsDropsRepeatsAndPadsToAPowerOfTwoWithTheLastId) {
  EXPECT_EQ(IdBatches({7}), (std::vector<Ids>{{7}}));
  EXPECT_EQ(IdBatches({9, 3, 9}), (std::vector<Ids>{{3, 9}}));
  EXPECT_EQ(IdBatches({5, 1, 3}), (std::vector<Ids>{{1, 3, 5, 5}}));
  EXPECT_EQ(IdBatches({4, 3, 2, 1, 5}), (std::vector<Ids>{{1, 2, 3, 4, 5, 5, 5, 5}}));
}

TEST(IdBatchesTest, CutsLongListsIntoFullBatchesAndAPaddedRest) {
  Ids ids;
  for (std::int64_t i = 2 * static_cast<std::int64_t>(kMaxIdsPerStatement) + 3; i >= 1; --i) {
    ids.push_back(i);
  }
  const auto batches = IdBatches(ids);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), kMaxIdsPerStatement);
  EXPECT_EQ(batches[1].size(), kMaxIdsPerStatement);
  EXPECT_EQ(batches[0].front(), 1);
  EXPECT_EQ(batches[1].front(), static_cast<std::int64_t>(kMaxIdsPerStatement) + 1);
  const std::int64_t last = 2 * static_cast<std::int64_t>(kMaxIdsPerStatement) + 3;
  EXPECT_EQ(batches[2], (Ids{last - 2, last - 1, last, last}));
}

TEST(IdBatchesTest, Placeholders) {
  EXPECT_EQ(SqlPlaceholders(1), "?");
  EXPECT_EQ(SqlPlaceholders(4), "?,?,?,?");
}

}  // namespace
}  // namespace jiuzhu
