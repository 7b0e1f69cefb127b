// CSV export of a table (导出 CSV), for Excel on Chinese Windows first.
//
// Output: UTF-8 with a byte-order mark (without it Excel on a Chinese Windows
// reads the file as GBK and garbles the Chinese headers), fields separated by
// commas, records ended by CRLF (also the last one), fields quoted as RFC 4180
// says (when they hold a comma, a double quote, CR or LF; inner quotes
// doubled).
//
// Formula injection (OWASP "CSV Injection"): a text cell — headers included —
// whose first character is = + - @ TAB or CR gets a leading apostrophe, so a
// spreadsheet shows it as text and never evaluates it ("=1+2" → "'=1+2",
// "-5" as text → "'-5"). Number cells are written as numbers ("-5"): a
// spreadsheet reads them as numbers, not formulas. Date-time cells are written
// "YYYY-MM-DD HH:MM". Non-finite numbers (NaN, ±inf) are written as empty
// fields.
//
// A row shorter than `headers` is padded with empty fields; a longer one is
// written whole (a caller bug, but no data is dropped).
//
// Pure function; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "api/export/cell.hpp"

namespace jiuzhu {

// The Content-Type to send with the file.
inline constexpr const char* kCsvContentType = "text/csv; charset=utf-8";

std::string WriteCsv(const std::vector<std::string>& headers,
                     const std::vector<std::vector<Cell>>& rows);

}  // namespace jiuzhu
