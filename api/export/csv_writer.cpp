#include "api/export/csv_writer.hpp"

#include <algorithm>

#include "api/export/export_text.hpp"

namespace jiuzhu {
namespace {

using export_internal::FormatDateTime;
using export_internal::FormatNumber;
using export_internal::ValidUtf8;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kCrLf = "\r\n";

// OWASP's list of characters that make a spreadsheet treat a cell as a formula.
bool StartsLikeFormula(const std::string& text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

void AppendField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendText(const std::string& raw, std::string* out) {
  std::string text = ValidUtf8(raw);
  if (StartsLikeFormula(text)) text.insert(0, 1, '\'');
  AppendField(text, out);
}

void AppendCell(const Cell& cell, std::string* out) {
  switch (cell.kind()) {
    case Cell::Kind::kText:
      AppendText(cell.text(), out);
      break;
    case Cell::Kind::kNumber:
      out->append(FormatNumber(cell.number()));
      break;
    case Cell::Kind::kDateTime:
      out->append(FormatDateTime(cell.date_time()));
      break;
  }
}

}  // namespace

std::string WriteCsv(const std::vector<std::string>& headers,
                     const std::vector<std::vector<Cell>>& rows) {
  std::string out(kBom);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendText(headers[i], &out);
  }
  out.append(kCrLf);
  for (const std::vector<Cell>& row : rows) {
    const std::size_t fields = std::max(row.size(), headers.size());
    for (std::size_t i = 0; i < fields; ++i) {
      if (i > 0) out.push_back(',');
      if (i < row.size()) AppendCell(row[i], &out);
    }
    out.append(kCrLf);
  }
  return out;
}

}  // namespace jiuzhu
