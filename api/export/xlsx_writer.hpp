// Excel export of a table (导出 Excel): a minimal Office Open XML workbook
// (.xlsx) with one worksheet, zipped by ZipWriter.
//
// Package parts: [Content_Types].xml, _rels/.rels, xl/workbook.xml,
// xl/_rels/workbook.xml.rels, xl/styles.xml, xl/worksheets/sheet1.xml.
// The first row holds `headers` in bold and is frozen (stays in view while
// scrolling); column widths follow the widest cell of each column (Chinese
// characters count double), between 8 and 60 characters.
// Cells: text as inline strings (never evaluated as formulas, so no
// apostrophe guard is needed here, unlike CSV), numbers as numbers, date-times
// as Excel dates shown "yyyy-mm-dd hh:mm". Empty text cells and non-finite
// numbers are left out. Text is XML-escaped; control characters XML cannot
// hold, and literal "_xHHHH_" sequences, are written with OOXML's _xHHHH_
// escape so Excel shows the original text; text longer than Excel's 32,767
// characters per cell is cut there.
//
// `sheet_name` is made legal for Excel: the characters : \ / ? * [ ] become
// "_", leading/trailing apostrophes are dropped, it is cut to 31 characters,
// and an empty result becomes "Sheet1".
//
// Errors end the operation: std::length_error when the table has more rows
// than a worksheet (1,048,575 besides the header) or more columns (16,384),
// or the package would pass ZIP's 4 GiB; std::bad_alloc from zlib.
//
// Pure function; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/export/cell.hpp"

namespace jiuzhu {

inline constexpr std::size_t kXlsxMaxDataRows = 1048575;
inline constexpr std::size_t kXlsxMaxColumns = 16384;

std::string WriteXlsx(const std::string& sheet_name, const std::vector<std::string>& headers,
                      const std::vector<std::vector<Cell>>& rows);

// The Content-Type to send with the file.
inline constexpr const char* kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace jiuzhu
