#include "api/export/export_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jiuzhu::export_internal {
namespace {

TEST(ExportTextTest, ValidUtf8KeepsValidText) {
  const std::string text = "abc 中文 ’ 𠀀 \x7F";
  EXPECT_EQ(ValidUtf8(text), text);
}

TEST(ExportTextTest, ValidUtf8ReplacesEachInvalidSequence) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(ValidUtf8("\x80"), r);              // stray continuation
  EXPECT_EQ(ValidUtf8("a\xE4\xB8"), "a" + r);   // truncated 中
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), r);          // overlong '/'
  EXPECT_EQ(ValidUtf8("\xE0\x80\xAF"), r);      // overlong, 3 bytes
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), r);      // surrogate D800
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), r);  // above U+10FFFF
  EXPECT_EQ(ValidUtf8("\xFF"
                      "x"),
            r + "x");
  EXPECT_EQ(ValidUtf8("\xE4\xB8\xAD\xFE\xE6\x96\x87"), "中" + r + "文");
}

TEST(ExportTextTest, DisplayWidthCountsChineseDouble) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("大武口区"), 8);
  EXPECT_EQ(DisplayWidth("星海镇（街道）"), 14);  // full-width brackets
  EXPECT_EQ(DisplayWidth("A1-王"), 5);
}

TEST(ExportTextTest, FormatNumberIsShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(-3.25), "-3.25");
  EXPECT_EQ(FormatNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatNumber(46349.6875), "46349.6875");
  EXPECT_EQ(FormatNumber(std::numeric_limits<double>::quiet_NaN()), "");
  EXPECT_EQ(FormatNumber(-std::numeric_limits<double>::infinity()), "");
}

TEST(ExportTextTest, DaysFromCivil) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2026, 1, 1), 20454);
  EXPECT_EQ(DaysFromCivil(2026, 11, 23), 20780);
  EXPECT_EQ(DaysFromCivil(1899, 12, 30), -25569);
  EXPECT_EQ(DaysFromCivil(2000, 2, 29) + 1, DaysFromCivil(2000, 3, 1));
}

TEST(ExportTextTest, CellDateTimeValidation) {
  EXPECT_TRUE(Cell::IsValidDateTime({2024, 2, 29, 23, 59, 59}));
  EXPECT_FALSE(Cell::IsValidDateTime({2026, 2, 29, 0, 0, 0}));
  EXPECT_FALSE(Cell::IsValidDateTime({2026, 13, 1, 0, 0, 0}));
  EXPECT_FALSE(Cell::IsValidDateTime({2026, 1, 1, 24, 0, 0}));
  EXPECT_FALSE(Cell::IsValidDateTime({1899, 12, 31, 0, 0, 0}));
  EXPECT_TRUE(Cell::IsValidDateTime({1900, 1, 1, 0, 0, 0}));
  EXPECT_EQ(Cell::DateTime({2026, 11, 23, 8, 0, 0}).kind(), Cell::Kind::kDateTime);
}

TEST(ExportTextTest, CellConversions) {
  const Cell text = "中";
  const Cell number = 3;
  const Cell big = std::int64_t{42};
  const Cell empty;
  EXPECT_EQ(text.kind(), Cell::Kind::kText);
  EXPECT_EQ(text.text(), "中");
  EXPECT_EQ(number.kind(), Cell::Kind::kNumber);
  EXPECT_EQ(number.number(), 3.0);
  EXPECT_EQ(big.number(), 42.0);
  EXPECT_EQ(empty.kind(), Cell::Kind::kText);
  EXPECT_TRUE(empty.text().empty());
}

}  // namespace
}  // namespace jiuzhu::export_internal
