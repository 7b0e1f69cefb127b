#include "api/export/cell.hpp"

#include <cassert>

namespace jiuzhu {
namespace {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool Cell::IsValidDateTime(const LocalDateTime& t) {
  // Excel's dates start in 1900 (and its 1900 calendar is off before March);
  // years past 9999 have no serial number.
  if (t.year < 1900 || t.year > 9999 || t.month < 1 || t.month > 12) return false;
  if (t.day < 1 || t.day > DaysInMonth(t.year, t.month)) return false;
  return t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 &&
         t.second <= 59;
}

Cell Cell::DateTime(const LocalDateTime& t) {
  const bool valid = IsValidDateTime(t);
  assert(valid && "Cell::DateTime: fields out of range");
  Cell cell;
  if (!valid) return cell;
  cell.kind_ = Kind::kDateTime;
  cell.date_time_ = t;
  return cell;
}

}  // namespace jiuzhu
