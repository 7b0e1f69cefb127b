#include "api/export/xlsx_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/export/zip_test_reader.hpp"

namespace jiuzhu {
namespace {

using export_testing::ReadSheetCells;
using export_testing::ReadZip;
using export_testing::SheetCell;
using export_testing::XmlProblem;

const std::vector<std::string> kOverdueHeaders = {"任务编号", "案件编号",   "申请人",   "救助项目",
                                                  "阶段",     "任务",       "所在单位", "经办人",
                                                  "截止时间", "逾期工作日", "督办级别"};

std::vector<Cell> OverdueRow() {
  return {"7309845123456789012",
          "7309845000000000001",
          "王小梅",
          "低保",
          "审批",
          "区级审批",
          "大武口区民政局",
          "陈静 <chen.jing>",
          Cell::DateTime({2026, 11, 23, 23, 59, 59}),
          3,
          2};
}

std::map<std::string, std::string> Parts(const std::string& xlsx) {
  std::map<std::string, std::string> parts;
  for (auto& e : ReadZip(xlsx)) parts.emplace(e.name, e.data);
  return parts;
}

int UnzipTest(const std::string& archive) {
  char path[] = "/tmp/jiuzhu-xlsx-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return -1;
  close(fd);
  std::ofstream(path, std::ios::binary) << archive;
  const int rc = std::system((std::string("unzip -tqq ") + path + " >/dev/null 2>&1").c_str());
  std::remove(path);
  return rc;
}

TEST(XlsxWriterTest, PackageHasEveryPartWithGoodCrcAndWellFormedXml) {
  const std::string xlsx = WriteXlsx("逾期任务", kOverdueHeaders, {OverdueRow(), OverdueRow()});
  const auto entries = ReadZip(xlsx);  // throws on any CRC or structure problem
  std::vector<std::string> names;
  for (const auto& e : entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"[Content_Types].xml", "_rels/.rels",
                                             "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                             "xl/styles.xml", "xl/worksheets/sheet1.xml"}));
  for (const auto& e : entries) {
    EXPECT_EQ(XmlProblem(e.data), "") << e.name;
    EXPECT_EQ(e.data.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"", 0), 0u) << e.name;
  }
  EXPECT_EQ(UnzipTest(xlsx), 0);
  // The content types name every part that is not a .rels file.
  const auto parts = Parts(xlsx);
  for (const char* part : {"/xl/workbook.xml", "/xl/worksheets/sheet1.xml", "/xl/styles.xml"}) {
    EXPECT_NE(parts.at("[Content_Types].xml").find(std::string("PartName=\"") + part + "\""),
              std::string::npos)
        << part;
  }
  EXPECT_NE(parts.at("_rels/.rels").find("Target=\"xl/workbook.xml\""), std::string::npos);
  EXPECT_NE(parts.at("xl/_rels/workbook.xml.rels").find("Target=\"worksheets/sheet1.xml\""),
            std::string::npos);
  EXPECT_NE(
      parts.at("xl/workbook.xml").find("<sheet name=\"逾期任务\" sheetId=\"1\" r:id=\"rId1\"/>"),
      std::string::npos);
}

TEST(XlsxWriterTest, HeaderRowIsBoldAndCellsHaveTheirTypes) {
  const auto parts = Parts(WriteXlsx("逾期任务", kOverdueHeaders, {OverdueRow()}));
  const auto cells = ReadSheetCells(parts.at("xl/worksheets/sheet1.xml"));
  const std::string columns = "ABCDEFGHIJK";
  for (std::size_t i = 0; i < kOverdueHeaders.size(); ++i) {
    const std::string ref = std::string(1, columns[i]) + "1";
    ASSERT_EQ(cells.count(ref), 1u) << ref;
    EXPECT_EQ(cells.at(ref).value, kOverdueHeaders[i]) << ref;
    EXPECT_EQ(cells.at(ref).type, "inlineStr") << ref;
    EXPECT_EQ(cells.at(ref).style, "1") << ref;  // bold
  }
  // Style 1 is the bold font, style 2 the date format.
  const std::string& styles = parts.at("xl/styles.xml");
  EXPECT_NE(styles.find("<font><b/>"), std::string::npos);
  EXPECT_NE(styles.find("<xf numFmtId=\"0\" fontId=\"1\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd hh:mm\""), std::string::npos);

  // Ids stay text (all 19 digits), names are Chinese text.
  EXPECT_EQ(cells.at("A2").type, "inlineStr");
  EXPECT_EQ(cells.at("A2").value, "7309845123456789012");
  EXPECT_EQ(cells.at("C2").value, "王小梅");
  EXPECT_EQ(cells.at("H2").value, "陈静 <chen.jing>");
  // Numbers are numbers: no type attribute, a <v>.
  EXPECT_EQ(cells.at("J2").type, "");
  EXPECT_EQ(cells.at("J2").value, "3");
  EXPECT_EQ(cells.at("K2").value, "2");
  // 2026-11-23 23:59:59 → serial 46349 + 86399/86400, date style.
  EXPECT_EQ(cells.at("I2").type, "");
  EXPECT_EQ(cells.at("I2").style, "2");
  EXPECT_NEAR(std::stod(cells.at("I2").value), 46349.0 + 86399.0 / 86400.0, 1e-9);
  EXPECT_EQ(cells.size(), 22u);
}

TEST(XlsxWriterTest, EscapesMarkupAndKeepsTheShownTextExact) {
  const std::vector<std::string> texts = {
      "<b>bold</b> & \"quoted\" 'single'",
      "]]> <!-- not a comment -->",
      "_x0041_ stays literal",
      "bell\x07 and nul\x01 and CR\r\nLF",
      "  leading and trailing  ",
      "=1+2",  // inline strings are never formulas; no apostrophe here
      "中文：救助对象（低保）",
      "𠀀 astral",
  };
  std::vector<std::vector<Cell>> rows;
  for (const auto& t : texts) rows.push_back({t});
  const auto parts = Parts(WriteXlsx("s", {"文本"}, rows));
  const std::string& sheet = parts.at("xl/worksheets/sheet1.xml");
  EXPECT_EQ(XmlProblem(sheet), "");
  EXPECT_NE(sheet.find("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  EXPECT_EQ(sheet.find("<b>"), std::string::npos);
  EXPECT_NE(sheet.find("_x005F_x0041_ stays literal"), std::string::npos);
  EXPECT_NE(sheet.find("bell_x0007_ and nul_x0001_ and CR_x000D_\nLF"), std::string::npos);
  EXPECT_NE(sheet.find("<t xml:space=\"preserve\">  leading"), std::string::npos);
  const auto cells = ReadSheetCells(sheet);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string ref = "A" + std::to_string(i + 2);
    ASSERT_EQ(cells.count(ref), 1u) << ref;
    EXPECT_EQ(cells.at(ref).value, texts[i]) << ref;
  }
}

TEST(XlsxWriterTest, InvalidUtf8BecomesReplacementCharacters) {
  const auto parts = Parts(WriteXlsx("s", {"h\xFF"}, {{std::string("a\xC3", 2)}}));
  const std::string& sheet = parts.at("xl/worksheets/sheet1.xml");
  EXPECT_EQ(XmlProblem(sheet), "");
  const auto cells = ReadSheetCells(sheet);
  EXPECT_EQ(cells.at("A1").value, "h\xEF\xBF\xBD");
  EXPECT_EQ(cells.at("A2").value, "a\xEF\xBF\xBD");
}

TEST(XlsxWriterTest, HeaderIsFrozenAndColumnsSizedToContent) {
  const auto parts =
      Parts(WriteXlsx("s", {"id", "所在单位", "x"}, {{"1", "大武口区星海镇星光村民委员会", ""}}));
  const std::string& sheet = parts.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                       "state=\"frozen\"/>"),
            std::string::npos);
  EXPECT_NE(sheet.find("<dimension ref=\"A1:C2\"/>"), std::string::npos);
  // Short column: the minimum 8; 14 Chinese characters: 28 + 2.
  EXPECT_NE(sheet.find("<col min=\"1\" max=\"1\" width=\"8\" customWidth=\"1\"/>"),
            std::string::npos);
  EXPECT_NE(sheet.find("<col min=\"2\" max=\"2\" width=\"30\" customWidth=\"1\"/>"),
            std::string::npos);
  // The empty cell C2 is left out.
  const auto cells = ReadSheetCells(sheet);
  EXPECT_EQ(cells.count("C2"), 0u);
  EXPECT_EQ(cells.count("C1"), 1u);
  // Elements in the order the schema demands.
  const auto at = [&](const char* tag) { return sheet.find(tag); };
  EXPECT_LT(at("<dimension"), at("<sheetViews"));
  EXPECT_LT(at("<sheetViews"), at("<sheetFormatPr"));
  EXPECT_LT(at("<sheetFormatPr"), at("<cols"));
  EXPECT_LT(at("<cols"), at("<sheetData"));
}

TEST(XlsxWriterTest, WidthIsCappedForLongText) {
  const auto parts = Parts(WriteXlsx("s", {"备注"}, {{std::string(500, 'x')}}));
  EXPECT_NE(parts.at("xl/worksheets/sheet1.xml")
                .find("<col min=\"1\" max=\"1\" width=\"60\" customWidth=\"1\"/>"),
            std::string::npos);
}

TEST(XlsxWriterTest, ColumnNamesPastZ) {
  std::vector<std::string> headers;
  for (int i = 0; i < 28; ++i) headers.push_back("h" + std::to_string(i));
  const auto cells =
      ReadSheetCells(Parts(WriteXlsx("s", headers, {})).at("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.at("Z1").value, "h25");
  EXPECT_EQ(cells.at("AA1").value, "h26");
  EXPECT_EQ(cells.at("AB1").value, "h27");
}

TEST(XlsxWriterTest, DateSerialsFollowExcel) {
  const auto cells = ReadSheetCells(Parts(WriteXlsx("s", {"d"},
                                                    {{Cell::DateTime({1900, 1, 1, 0, 0, 0})},
                                                     {Cell::DateTime({1900, 3, 1, 0, 0, 0})},
                                                     {Cell::DateTime({2026, 11, 23, 16, 30, 0})}}))
                                        .at("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.at("A2").value, "1");
  EXPECT_EQ(cells.at("A3").value, "61");  // after Excel's phantom 1900-02-29
  EXPECT_EQ(cells.at("A4").value, "46349.6875");
}

TEST(XlsxWriterTest, NonFiniteNumbersAreLeftOut) {
  const auto cells = ReadSheetCells(
      Parts(WriteXlsx("s", {"n"}, {{std::nan("")}, {-1.5}})).at("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.count("A2"), 0u);
  EXPECT_EQ(cells.at("A3").value, "-1.5");
}

TEST(XlsxWriterTest, SheetNamesAreMadeLegal) {
  const auto name_in = [](const std::string& requested) {
    const std::string wb = Parts(WriteXlsx(requested, {"h"}, {})).at("xl/workbook.xml");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(wb, m, std::regex("<sheet name=\"([^\"]*)\"")));
    return export_testing::UnescapeCellText(m[1]);
  };
  EXPECT_EQ(name_in("逾期任务/2026:11?"), "逾期任务_2026_11_");
  EXPECT_EQ(name_in(""), "Sheet1");
  EXPECT_EQ(name_in("'''"), "Sheet1");
  EXPECT_EQ(name_in("A & B <x>"), "A & B <x>");
  EXPECT_EQ(name_in(std::string(40, 'a')), std::string(31, 'a'));
  // 31 characters, not bytes: 40 汉字 are cut to 31.
  std::string forty;
  for (int i = 0; i < 40; ++i) forty += "汉";
  std::string thirty_one;
  for (int i = 0; i < 31; ++i) thirty_one += "汉";
  EXPECT_EQ(name_in(forty), thirty_one);
}

TEST(XlsxWriterTest, TooLongTextIsCutAtExcelsLimit) {
  std::string text;
  for (int i = 0; i < 40000; ++i) text += "字";
  const auto cells =
      ReadSheetCells(Parts(WriteXlsx("s", {"h"}, {{text}})).at("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.at("A2").value.size(), 32767u * 3);
}

TEST(XlsxWriterTest, LargeTableIsDeflatedAndReadsBack) {
  std::vector<std::vector<Cell>> rows(5000, OverdueRow());
  const std::string xlsx = WriteXlsx("逾期任务", kOverdueHeaders, rows);
  const auto entries = ReadZip(xlsx);
  const auto& sheet = entries.back();
  ASSERT_EQ(sheet.name, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.method, 8);
  EXPECT_LT(sheet.compressed_size * 10, sheet.data.size());
  EXPECT_NE(sheet.data.find("<row r=\"5001\">"), std::string::npos);
  EXPECT_NE(sheet.data.find("<dimension ref=\"A1:K5001\"/>"), std::string::npos);
  EXPECT_EQ(UnzipTest(xlsx), 0);
}

TEST(XlsxWriterTest, SameInputGivesTheSameBytes) {
  EXPECT_EQ(WriteXlsx("s", kOverdueHeaders, {OverdueRow()}),
            WriteXlsx("s", kOverdueHeaders, {OverdueRow()}));
}

TEST(XlsxWriterTest, RefusesTablesLargerThanAWorksheet) {
  EXPECT_THROW(WriteXlsx("s", std::vector<std::string>(kXlsxMaxColumns + 1, "h"), {}),
               std::length_error);
  EXPECT_THROW(WriteXlsx("s", {"h"}, std::vector<std::vector<Cell>>(kXlsxMaxDataRows + 1)),
               std::length_error);
  EXPECT_NO_THROW(WriteXlsx("s", std::vector<std::string>(kXlsxMaxColumns, "h"), {}));
}

}  // namespace
}  // namespace jiuzhu
