#include "engine/sampling/seed.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jiuzhu {
namespace {

TEST(SamplingSeedTest, GeneratedSeedsAre64LowercaseHexAndDiffer) {
  Result<std::string> a = GenerateSeed();
  Result<std::string> b = GenerateSeed();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos) << *a;
  EXPECT_NE(*a, *b);
  Result<std::string> parsed = ParseSeed(*a);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, *a);
}

TEST(SamplingSeedTest, ParseAcceptsUppercaseAndReturnsLowercase) {
  const std::string upper(64, 'A');
  Result<std::string> s = ParseSeed(upper);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, std::string(64, 'a'));
}

TEST(SamplingSeedTest, FormatErrorsNameTheSeedField) {
  for (const std::string& bad :
       {std::string(), std::string(63, 'a'), std::string(65, 'a'), std::string(64, 'g'),
        std::string(62, 'a') + " a", std::string(32, '0') + std::string(32, '-')}) {
    Result<std::string> s = ParseSeed(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.status().field(), "seed");
  }
}

}  // namespace
}  // namespace jiuzhu
