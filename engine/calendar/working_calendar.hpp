// Working-day calendar on the Chinese official calendar (工作日).
//
// Built from one JSON file per year (workflows/calendars/cn-YYYY.json) listing
// public holidays (days off; weekend days inside a holiday span may be listed
// too) and make-up working days (调休: weekend days declared working days). A
// day is a working day when it is a make-up day, or a Monday–Friday that is not
// a holiday. Years with no file fall back to plain Monday–Friday; HasYear()
// tells.
//
// File format (all keys required except "zone", "source", "note"):
//   {"year": 2026, "zone": "Asia/Shanghai", "source": "国务院办公厅关于…的通知",
//    "holidays":        [{"name": "春节", "days": ["2026-02-15", ...]}, ...],
//    "makeup_workdays": [{"name": "春节调休", "days": ["2026-02-14", ...]}, ...]}
//
// Deadline rule: N working days after an instant means the end (23:59:59.999999
// local time in the office's zone) of the N-th working day strictly after the
// instant's local date. The result is a UTC instant.
//
// Thread-safety: const methods may be called concurrently. AddYearFromJson
// mutates and must not run concurrently with anything else; build the calendar
// at startup, then share it read-only. Queries allocate nothing.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/common/time.hpp"

namespace jiuzhu {

class WorkingCalendar {
 public:
  WorkingCalendar() = default;  // weekends only, Asia/Shanghai

  // Loads every regular file named cn-*.json in `dir`, in name order.
  // Errors: kInvalidArgument naming the file and the problem (unreadable file,
  // malformed JSON, missing or mistyped key, bad date, date outside the file's
  // year, make-up day on a Monday–Friday, a day listed twice, a day both
  // holiday and make-up day, a zone other than Asia/Shanghai, cn-YYYY.json
  // whose "year" is not YYYY, duplicate year); kNotFound if `dir` does not
  // exist, is not a directory or holds no calendar file.
  static Result<WorkingCalendar> LoadDirectory(const std::string& dir);
  // Parses one file's text and adds its year; `origin` names it in error
  // messages. Errors as for LoadDirectory (kInvalidArgument). On error the
  // calendar is unchanged.
  Status AddYearFromJson(const std::string& json_text, const std::string& origin);

  bool IsWorkingDay(const CivilDate& d) const;
  // True when a file for `year` has been loaded.
  bool HasYear(int year) const;
  const OfficeZone& zone() const { return zone_; }

  // Deadline N (>= 0) working days after `from` (see rule above). N == 0 is the
  // end of `from`'s local day if it is a working day, else of the next one.
  // A negative N is a bug (asserts; treated as 0 in release builds).
  Micros AddWorkingDays(Micros from, int working_days) const;
  // The local date of the N-th working day after `from` (N >= 1); for N == 0,
  // `from` itself if it is a working day, else the next working day.
  CivilDate NthWorkingDayAfter(const CivilDate& from, int working_days) const;
  // Working days strictly after `from`'s local date up to and including
  // `to`'s local date (0 if to <= from). Used for "days overdue".
  int WorkingDaysBetween(Micros from, Micros to) const;

 private:
  // Day numbers below are days since 1970-01-01 (DaysFromCivil).
  std::int64_t LocalDayNumber(Micros instant) const;
  bool IsWorkingDayNumber(std::int64_t day) const;
  // Working days in the half-open range [first, last).
  std::int64_t CountWorkingDays(std::int64_t first, std::int64_t last) const;
  // The n-th (n >= 1) working day strictly after `day`.
  std::int64_t NthWorkingDayNumber(std::int64_t day, std::int64_t n) const;
  void RebuildTable();

  OfficeZone zone_ = ShanghaiZone();
  // Source facts as loaded; only read when the table is rebuilt.
  std::set<std::int64_t> holidays_;
  std::set<std::int64_t> makeup_days_;
  std::set<int> years_;
  // Query table covering 1 Jan of the first loaded year to 31 Dec of the last
  // (years in between without a file follow the weekday rule):
  // working_before_[i] = working days in [table_first_day_, table_first_day_ + i).
  // Empty when no year is loaded; days outside it follow the weekday rule.
  std::int64_t table_first_day_ = 0;
  std::vector<std::int32_t> working_before_;
};

}  // namespace jiuzhu
