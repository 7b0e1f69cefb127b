// One cell of an exported table (导出表格的单元格): text, a number or a local
// date-time. Used by WriteCsv (csv_writer.hpp) and WriteXlsx (xlsx_writer.hpp).
//
// Cells convert implicitly from strings and numbers, so a row can be written
// as {task_id_text, applicant_name, 3, Cell::DateTime(due_local)}.
//
// Numbers are doubles: integers are exact up to 2^53. Pass 64-bit ids as text
// (Cell(std::to_string(id))) — Excel keeps only 15 significant digits of a
// number. Text is expected to be UTF-8; the writers replace invalid byte
// sequences with U+FFFD.
//
// A value type; thread-compatible.
#pragma once

#include <string>
#include <type_traits>
#include <utility>

namespace jiuzhu {

// A wall-clock date and time in the office's zone (the caller converts from
// UTC; Jiuzhu's offices are on Asia/Shanghai). Seconds are kept in XLSX (the
// serial number) but the display format of both writers shows minutes.
struct LocalDateTime {
  int year = 1970;
  int month = 1;   // 1..12
  int day = 1;     // 1..31, valid for the month
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  int second = 0;  // 0..59
};

class Cell {
 public:
  enum class Kind { kText, kNumber, kDateTime };

  Cell() = default;                                               // empty text
  Cell(std::string text) : text_(std::move(text)) {}              // NOLINT: implicit on purpose
  Cell(const char* text) : text_(text == nullptr ? "" : text) {}  // NOLINT
  template <typename T,
            std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Cell(T number) : kind_(Kind::kNumber), number_(static_cast<double>(number)) {}  // NOLINT

  // A date-time cell: an Excel date in XLSX (format yyyy-mm-dd hh:mm), the text
  // "YYYY-MM-DD HH:MM" in CSV. Fields out of range (month 13, 30 February, hour
  // 24, a year before 1900 or after 9999) are a caller bug: asserts; in release
  // builds the cell becomes empty text.
  static Cell DateTime(const LocalDateTime& t);
  // True when `t` names a real instant between 1900-01-01 and 9999-12-31.
  static bool IsValidDateTime(const LocalDateTime& t);

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }              // kText only
  double number() const { return number_; }                      // kNumber only
  const LocalDateTime& date_time() const { return date_time_; }  // kDateTime only

 private:
  Kind kind_ = Kind::kText;
  std::string text_;
  double number_ = 0;
  LocalDateTime date_time_;
};

}  // namespace jiuzhu
