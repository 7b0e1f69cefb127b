#include "api/export/csv_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace jiuzhu {
namespace {

const std::string kBom = "\xEF\xBB\xBF";

// A strict RFC 4180 reader for checking round trips: records end in CRLF.
std::vector<std::vector<std::string>> ParseCsv(const std::string& csv) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  while (i < csv.size()) {
    if (csv[i] == '"') {
      ++i;
      while (true) {
        if (i >= csv.size()) throw std::runtime_error("unterminated quote");
        if (csv[i] == '"') {
          if (i + 1 < csv.size() && csv[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += csv[i++];
      }
    }
    while (i < csv.size() && csv[i] != ',' && csv[i] != '\r') {
      if (csv[i] == '"' || csv[i] == '\n') throw std::runtime_error("stray quote or LF");
      field += csv[i++];
    }
    if (i >= csv.size()) throw std::runtime_error("record without CRLF");
    record.push_back(field);
    field.clear();
    if (csv[i] == ',') {
      ++i;
    } else {
      if (i + 1 >= csv.size() || csv[i + 1] != '\n') throw std::runtime_error("CR without LF");
      i += 2;
      records.push_back(record);
      record.clear();
    }
  }
  return records;
}

std::string Body(const std::string& csv) {
  EXPECT_EQ(csv.substr(0, 3), kBom);
  return csv.substr(3);
}

TEST(CsvWriterTest, StartsWithBomAndEndsEveryRecordWithCrLf) {
  const std::string csv = WriteCsv({"任务编号", "申请人"}, {{"1001", "王小梅"}, {"1002", "李四"}});
  EXPECT_EQ(csv, kBom + "任务编号,申请人\r\n1001,王小梅\r\n1002,李四\r\n");
}

TEST(CsvWriterTest, OverdueListHeadersRoundTrip) {
  const std::vector<std::string> headers = {"任务编号", "案件编号",   "申请人",   "救助项目",
                                            "阶段",     "任务",       "所在单位", "经办人",
                                            "截止时间", "逾期工作日", "督办级别"};
  const std::string csv = WriteCsv(headers, {});
  const auto records = ParseCsv(Body(csv));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], headers);
}

TEST(CsvWriterTest, QuotesCommasQuotesAndLineBreaks) {
  const std::string csv =
      WriteCsv({"a"}, {{"x,y"}, {"say \"hi\""}, {"line1\r\nline2"}, {"lf\nonly"}, {"plain"}});
  EXPECT_EQ(
      Body(csv),
      "a\r\n\"x,y\"\r\n\"say \"\"hi\"\"\"\r\n\"line1\r\nline2\"\r\n\"lf\nonly\"\r\nplain\r\n");
  const auto records = ParseCsv(Body(csv));
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[1][0], "x,y");
  EXPECT_EQ(records[2][0], "say \"hi\"");
  EXPECT_EQ(records[3][0], "line1\r\nline2");
  EXPECT_EQ(records[4][0], "lf\nonly");
}

TEST(CsvWriterTest, TextThatLooksLikeAFormulaGetsAnApostrophe) {
  const std::string csv = WriteCsv({"v"}, {{"=HYPERLINK(\"http://x\",\"y\")"},
                                           {"+1"},
                                           {"-5"},
                                           {"@SUM(A1)"},
                                           {"\t=1"},
                                           {"\r=1"},
                                           {"a=1"},
                                           {" =1"},
                                           {"'already"},
                                           {""}});
  const auto records = ParseCsv(Body(csv));
  ASSERT_EQ(records.size(), 11u);
  EXPECT_EQ(records[1][0], "'=HYPERLINK(\"http://x\",\"y\")");
  EXPECT_EQ(records[2][0], "'+1");
  EXPECT_EQ(records[3][0], "'-5");
  EXPECT_EQ(records[4][0], "'@SUM(A1)");
  EXPECT_EQ(records[5][0], "'\t=1");
  EXPECT_EQ(records[6][0], "'\r=1");
  EXPECT_EQ(records[7][0], "a=1");       // not at the start
  EXPECT_EQ(records[8][0], " =1");       // a leading space is not a formula
  EXPECT_EQ(records[9][0], "'already");  // only the listed characters
  EXPECT_EQ(records[10][0], "");
  // The quoted one: the apostrophe goes inside the quotes.
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), std::string::npos);
}

TEST(CsvWriterTest, HeadersAreGuardedToo) {
  const std::string csv = WriteCsv({"=cmd|' /C calc'!A0", "ok"}, {});
  EXPECT_EQ(Body(csv), "'=cmd|' /C calc'!A0,ok\r\n");
}

TEST(CsvWriterTest, NumbersAreWrittenAsNumbersWithoutGuard) {
  const std::string csv = WriteCsv({"n"}, {{-5},
                                           {3},
                                           {2.5},
                                           {0.1},
                                           {-0.0},
                                           {1e20},
                                           {std::int64_t{9007199254740993}},
                                           {std::nan("")},
                                           {std::numeric_limits<double>::infinity()}});
  const auto records = ParseCsv(Body(csv));
  ASSERT_EQ(records.size(), 10u);
  EXPECT_EQ(records[1][0], "-5");
  EXPECT_EQ(records[2][0], "3");
  EXPECT_EQ(records[3][0], "2.5");
  EXPECT_EQ(records[4][0], "0.1");
  EXPECT_EQ(records[5][0], "0");
  EXPECT_EQ(records[6][0], "1e+20");
  EXPECT_EQ(records[7][0], "9007199254740992");  // beyond 2^53: ids go as text
  EXPECT_EQ(records[8][0], "");
  EXPECT_EQ(records[9][0], "");
}

TEST(CsvWriterTest, DateTimesAreWrittenToTheMinute) {
  const std::string csv = WriteCsv({"截止时间"}, {{Cell::DateTime({2026, 11, 23, 23, 59, 59})}});
  EXPECT_EQ(Body(csv), "截止时间\r\n2026-11-23 23:59\r\n");
}

TEST(CsvWriterTest, ShortRowsArePaddedLongRowsKept) {
  const std::string csv = WriteCsv({"a", "b", "c"}, {{"1"}, {"1", "2", "3", "4"}, {}});
  EXPECT_EQ(Body(csv), "a,b,c\r\n1,,\r\n1,2,3,4\r\n,,\r\n");
}

TEST(CsvWriterTest, InvalidUtf8IsReplacedAndChineseKept) {
  const std::string csv = WriteCsv({"名"}, {{std::string("ok\xFF\xC3", 4) + "中"}});
  EXPECT_EQ(Body(csv), "名\r\nok\xEF\xBF\xBD\xEF\xBF\xBD中\r\n");
}

TEST(CsvWriterTest, EmptyTableIsJustTheBomAndAnEmptyHeaderRecord) {
  EXPECT_EQ(WriteCsv({}, {}), kBom + "\r\n");
}

}  // namespace
}  // namespace jiuzhu
