#include "api/export/xlsx_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "api/export/export_text.hpp"
#include "api/export/zip_writer.hpp"

namespace jiuzhu {
namespace {

using export_internal::DaysFromCivil;
using export_internal::DisplayWidth;
using export_internal::FormatNumber;
using export_internal::NextCodePoint;
using export_internal::ValidUtf8;

constexpr std::string_view kXmlDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// Style indexes into cellXfs of styles.xml.
constexpr int kStyleHeader = 1;
constexpr int kStyleDateTime = 2;

constexpr std::size_t kMaxCellUtf16 = 32767;
constexpr std::size_t kMaxSheetNameUtf16 = 31;
constexpr int kMinColumnWidth = 8;
constexpr int kMaxColumnWidth = 60;

std::size_t Utf16Units(char32_t cp) { return cp >= 0x10000 ? 2 : 1; }

// Valid UTF-8 cut to at most `limit` UTF-16 code units (Excel counts those).
std::string CutToUtf16(const std::string& text, std::size_t limit) {
  std::size_t pos = 0;
  std::size_t units = 0;
  while (pos < text.size()) {
    std::size_t next = pos;
    const char32_t cp = NextCodePoint(text, &next);
    if (units + Utf16Units(cp) > limit) return text.substr(0, pos);
    units += Utf16Units(cp);
    pos = next;
  }
  return text;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when text[pos..] reads "_xHHHH_", which Excel would decode.
bool StartsOoxmlEscape(std::string_view text, std::size_t pos) {
  if (text.size() - pos < 7 || text[pos] != '_' || (text[pos + 1] != 'x' && text[pos + 1] != 'X') ||
      text[pos + 6] != '_') {
    return false;
  }
  for (std::size_t i = 2; i < 6; ++i) {
    if (!IsHex(text[pos + i])) return false;
  }
  return true;
}

// Appends valid UTF-8 as XML character data (element text or attribute value).
void AppendXmlEscaped(std::string_view text, std::string* out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out->append("&amp;");
        continue;
      case '<':
        out->append("&lt;");
        continue;
      case '>':
        out->append("&gt;");
        continue;
      case '"':
        out->append("&quot;");
        continue;
      case '_':
        out->append(StartsOoxmlEscape(text, i) ? "_x005F_" : "_");
        continue;
      default:
        break;
    }
    if (u < 0x20 && c != '\t' && c != '\n') {
      // XML 1.0 cannot hold these (and turns CR into LF): OOXML's escape.
      char buf[8];
      std::snprintf(buf, sizeof buf, "_x%04X_", u);
      out->append(buf);
    } else if (u == 0xEF && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
      out->append("\xEF\xBF\xBD");  // U+FFFE / U+FFFF are not XML characters
      i += 2;
    } else {
      out->push_back(c);
    }
  }
}

std::string ColumnName(std::size_t index) {  // 0 → A, 25 → Z, 26 → AA
  std::string name;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

std::string SheetName(const std::string& requested) {
  std::string name = ValidUtf8(requested);
  for (char& c : name) {
    if (std::string_view(":\\/?*[]").find(c) != std::string_view::npos ||
        static_cast<unsigned char>(c) < 0x20) {
      c = '_';
    }
  }
  while (!name.empty() && name.front() == '\'') name.erase(0, 1);
  while (!name.empty() && name.back() == '\'') name.pop_back();
  name = CutToUtf16(name, kMaxSheetNameUtf16);
  while (!name.empty() && name.back() == '\'') name.pop_back();  // cut may expose one
  return name.empty() ? "Sheet1" : name;
}

// Excel's serial day number (1900 date system, with its phantom 1900-02-29).
double ExcelSerial(const LocalDateTime& t) {
  double days =
      static_cast<double>(DaysFromCivil(t.year, t.month, t.day) - DaysFromCivil(1899, 12, 30));
  if (t.year == 1900 && t.month <= 2) days -= 1;
  return days + (t.hour * 3600 + t.minute * 60 + t.second) / 86400.0;
}

bool NeedsSpacePreserve(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  return !text.empty() && (space(text.front()) || space(text.back()) ||
                           text.find_first_of("\t\n\r") != std::string_view::npos);
}

void AppendInlineString(const std::string& ref, const std::string& text, int style,
                        std::string* out) {
  out->append("<c r=\"").append(ref).append("\" t=\"inlineStr\"");
  if (style != 0) out->append(" s=\"").append(std::to_string(style)).append("\"");
  out->append(NeedsSpacePreserve(text) ? "><is><t xml:space=\"preserve\">" : "><is><t>");
  AppendXmlEscaped(text, out);
  out->append("</t></is></c>");
}

// Appends the cell and returns its display width (0 when left out).
int AppendCell(const std::string& ref, const Cell& cell, std::string* out) {
  switch (cell.kind()) {
    case Cell::Kind::kText: {
      if (cell.text().empty()) return 0;
      const std::string text = CutToUtf16(ValidUtf8(cell.text()), kMaxCellUtf16);
      AppendInlineString(ref, text, 0, out);
      return DisplayWidth(text);
    }
    case Cell::Kind::kNumber: {
      const std::string number = FormatNumber(cell.number());
      if (number.empty()) return 0;
      out->append("<c r=\"").append(ref).append("\"><v>").append(number).append("</v></c>");
      return static_cast<int>(number.size());
    }
    case Cell::Kind::kDateTime: {
      out->append("<c r=\"").append(ref).append("\" s=\"").append(std::to_string(kStyleDateTime));
      out->append("\"><v>").append(FormatNumber(ExcelSerial(cell.date_time()))).append("</v></c>");
      return 16;  // yyyy-mm-dd hh:mm
    }
  }
  return 0;
}

std::string Worksheet(const std::vector<std::string>& headers,
                      const std::vector<std::vector<Cell>>& rows) {
  std::size_t columns = headers.size();
  for (const auto& row : rows) columns = std::max(columns, row.size());
  if (columns > kXlsxMaxColumns) throw std::length_error("xlsx: more than 16384 columns");
  std::vector<std::string> names;
  names.reserve(columns);
  for (std::size_t i = 0; i < columns; ++i) names.push_back(ColumnName(i));
  std::vector<int> widths(columns, 0);

  std::string data = "<sheetData>";
  if (!headers.empty()) {
    data.append("<row r=\"1\">");
    for (std::size_t i = 0; i < headers.size(); ++i) {
      const std::string text = CutToUtf16(ValidUtf8(headers[i]), kMaxCellUtf16);
      if (text.empty()) continue;
      AppendInlineString(names[i] + "1", text, kStyleHeader, &data);
      widths[i] = std::max(widths[i], DisplayWidth(text));
    }
    data.append("</row>");
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string row_number = std::to_string(r + 2);
    data.append("<row r=\"").append(row_number).append("\">");
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      widths[i] = std::max(widths[i], AppendCell(names[i] + row_number, rows[r][i], &data));
    }
    data.append("</row>");
  }
  data.append("</sheetData>");

  std::string xml(kXmlDeclaration);
  xml.append("<worksheet xmlns=\"").append(kMainNs).append("\" xmlns:r=\"").append(kRelNs);
  xml.append("\">");
  if (columns > 0) {
    xml.append("<dimension ref=\"A1:")
        .append(names.back())
        .append(std::to_string(rows.size() + 1))
        .append("\"/>");
  }
  xml.append(
      "<sheetViews><sheetView workbookViewId=\"0\">"
      "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
      "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
      "</sheetView></sheetViews>"
      "<sheetFormatPr defaultRowHeight=\"15\"/>");
  if (columns > 0) {
    xml.append("<cols>");
    for (std::size_t i = 0; i < columns; ++i) {
      const int width = std::clamp(widths[i] + 2, kMinColumnWidth, kMaxColumnWidth);
      const std::string n = std::to_string(i + 1);
      xml.append("<col min=\"").append(n).append("\" max=\"").append(n);
      xml.append("\" width=\"").append(std::to_string(width)).append("\" customWidth=\"1\"/>");
    }
    xml.append("</cols>");
  }
  xml.append(data);
  xml.append("</worksheet>");
  return xml;
}

std::string ContentTypes() {
  std::string xml(kXmlDeclaration);
  xml.append(
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
      "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
      "<Override PartName=\"/xl/styles.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
      "</Types>");
  return xml;
}

std::string PackageRelationships() {
  std::string xml(kXmlDeclaration);
  xml.append(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"xl/workbook.xml\"/>"
      "</Relationships>");
  return xml;
}

std::string Workbook(const std::string& sheet_name) {
  std::string xml(kXmlDeclaration);
  xml.append("<workbook xmlns=\"").append(kMainNs).append("\" xmlns:r=\"").append(kRelNs);
  xml.append("\"><sheets><sheet name=\"");
  AppendXmlEscaped(SheetName(sheet_name), &xml);
  xml.append("\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
  return xml;
}

std::string WorkbookRelationships() {
  std::string xml(kXmlDeclaration);
  xml.append(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
      "Target=\"styles.xml\"/>"
      "</Relationships>");
  return xml;
}

// cellXfs: 0 default, 1 bold header (kStyleHeader), 2 date-time (kStyleDateTime).
std::string Styles() {
  std::string xml(kXmlDeclaration);
  xml.append("<styleSheet xmlns=\"").append(kMainNs).append("\">");
  xml.append(
      "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd hh:mm\"/></numFmts>"
      "<fonts count=\"2\">"
      "<font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
      "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
      "</fonts>"
      "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
      "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
      "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
      "</cellStyleXfs>"
      "<cellXfs count=\"3\">"
      "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
      "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
      "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
      "applyNumberFormat=\"1\"/>"
      "</cellXfs>"
      "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
      "</styleSheet>");
  return xml;
}

}  // namespace

std::string WriteXlsx(const std::string& sheet_name, const std::vector<std::string>& headers,
                      const std::vector<std::vector<Cell>>& rows) {
  if (rows.size() > kXlsxMaxDataRows) throw std::length_error("xlsx: more than 1048575 rows");
  ZipWriter zip;
  zip.Add("[Content_Types].xml", ContentTypes());
  zip.Add("_rels/.rels", PackageRelationships());
  zip.Add("xl/workbook.xml", Workbook(sheet_name));
  zip.Add("xl/_rels/workbook.xml.rels", WorkbookRelationships());
  zip.Add("xl/styles.xml", Styles());
  zip.Add("xl/worksheets/sheet1.xml", Worksheet(headers, rows));
  return zip.Finish();
}

}  // namespace jiuzhu
