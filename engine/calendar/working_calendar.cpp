#include "engine/calendar/working_calendar.hpp"

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

namespace jiuzhu {
namespace {

constexpr const char* kHolidaysKey = "holidays";
constexpr const char* kMakeupKey = "makeup_workdays";
constexpr const char* kWeekdayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Weekday arithmetic on day numbers. Day -3 (1969-12-29) is a Monday, so
// (day + 3) mod 7 is 0 for Monday .. 6 for Sunday.
int MondayBasedWeekday(std::int64_t day) {
  return static_cast<int>((day + 3) - FloorDiv(day + 3, 7) * 7);
}

bool IsMondayToFriday(std::int64_t day) { return MondayBasedWeekday(day) < 5; }

// Monday–Friday days in [-3, day) (negative for day < -3); differences of two
// values count weekdays in a range in O(1).
std::int64_t WeekdaysBefore(std::int64_t day) {
  const std::int64_t m = day + 3;
  const std::int64_t weeks = FloorDiv(m, 7);
  return weeks * 5 + std::min<std::int64_t>(m - weeks * 7, 5);
}

// The n-th (n >= 1) Monday–Friday on or after `day`: the day d with
// WeekdaysBefore(d + 1) == WeekdaysBefore(day) + n, inverted in closed form.
std::int64_t NthWeekdayFrom(std::int64_t day, std::int64_t n) {
  const std::int64_t index = WeekdaysBefore(day) + n - 1;  // 0-based weekday index
  const std::int64_t week = FloorDiv(index, 5);
  return week * 7 + (index - week * 5) - 3;
}

std::string Describe(std::int64_t day) {
  const CivilDate d = CivilFromDays(day);
  return FormatCivilDate(d) + " (" + kWeekdayNames[Weekday(d)] + ")";
}

// ParseCivilDate accepts a few non-canonical spellings (sscanf skips blanks,
// takes signs); calendar files must spell dates exactly YYYY-MM-DD.
bool HasDateShape(const std::string& s) {
  if (s.size() != 10) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

struct ParsedYear {
  int year = 0;
  std::map<std::int64_t, std::string> holidays;  // day -> holiday name
  std::map<std::int64_t, std::string> makeup_days;
};

// Reads root[key], a list of {"name": str, "days": [date, ...]}, into `out`.
Status ParseDayGroups(const nlohmann::json& root, const char* key, const std::string& origin,
                      int year, std::map<std::int64_t, std::string>* out) {
  const auto it = root.find(key);
  if (it == root.end() || !it->is_array()) {
    return InvalidArgument(origin + ": \"" + key + "\" must be a list", key);
  }
  for (size_t g = 0; g < it->size(); ++g) {
    const nlohmann::json& group = (*it)[g];
    const std::string where = std::string(key) + "[" + std::to_string(g) + "]";
    if (!group.is_object()) {
      return InvalidArgument(origin + ": " + where + " must be an object", where);
    }
    const auto name = group.find("name");
    if (name == group.end() || !name->is_string() || name->get<std::string>().empty()) {
      return InvalidArgument(origin + ": " + where + ".name must be a non-empty string",
                             where + ".name");
    }
    const std::string group_name = name->get<std::string>();
    const auto days = group.find("days");
    if (days == group.end() || !days->is_array()) {
      return InvalidArgument(origin + ": " + where + ".days must be a list", where + ".days");
    }
    for (size_t i = 0; i < days->size(); ++i) {
      const nlohmann::json& day_json = (*days)[i];
      const std::string field = where + ".days[" + std::to_string(i) + "]";
      const std::string text = day_json.is_string() ? day_json.get<std::string>() : day_json.dump();
      Result<CivilDate> date = InvalidArgument("not a date");
      if (day_json.is_string() && HasDateShape(text)) date = ParseCivilDate(text);
      if (!date.ok()) {
        return InvalidArgument(
            origin + ": " + field + " (" + group_name + "): bad date " + text + ", want YYYY-MM-DD",
            field);
      }
      if (date->year != year) {
        return InvalidArgument(origin + ": " + field + " (" + group_name + "): " + text +
                                   " is outside the file's year " + std::to_string(year),
                               field);
      }
      const std::int64_t day = DaysFromCivil(*date);
      const auto [pos, inserted] = out->emplace(day, group_name);
      if (!inserted) {
        return InvalidArgument(origin + ": " + field + ": " + text + " is listed twice in \"" +
                                   key + "\" (" + pos->second + ", " + group_name + ")",
                               field);
      }
    }
  }
  return Status::Ok();
}

Status ParseYear(const std::string& json_text, const std::string& origin,
                 const std::string& zone_name, ParsedYear* out) {
  // Only nlohmann::json::parse can throw here (the getters below are guarded by
  // type checks), but the whole body is covered so nothing escapes.
  try {
    const nlohmann::json root = nlohmann::json::parse(json_text);
    if (!root.is_object()) return InvalidArgument(origin + ": top level must be a JSON object");
    const auto year = root.find("year");
    if (year == root.end() || !year->is_number_integer() || year->get<std::int64_t>() < 1 ||
        year->get<std::int64_t>() > 9999) {
      return InvalidArgument(origin + ": \"year\" must be an integer from 1 to 9999", "year");
    }
    out->year = year->get<int>();
    const auto zone = root.find("zone");
    if (zone != root.end() && (!zone->is_string() || zone->get<std::string>() != zone_name)) {
      return InvalidArgument(
          origin + ": \"zone\" must be \"" + zone_name + "\", got " + zone->dump(), "zone");
    }
    JZ_RETURN_IF_ERROR(ParseDayGroups(root, kHolidaysKey, origin, out->year, &out->holidays));
    JZ_RETURN_IF_ERROR(ParseDayGroups(root, kMakeupKey, origin, out->year, &out->makeup_days));
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgument(origin + ": malformed JSON: " + e.what());
  }
  for (const auto& [day, name] : out->makeup_days) {
    if (IsMondayToFriday(day)) {
      return InvalidArgument(origin + ": make-up day " + Describe(day) + " (" + name +
                                 ") is a Monday–Friday; make-up days must be weekend days",
                             kMakeupKey);
    }
    const auto holiday = out->holidays.find(day);
    if (holiday != out->holidays.end()) {
      return InvalidArgument(origin + ": " + Describe(day) + " is both a holiday (" +
                                 holiday->second + ") and a make-up day (" + name + ")",
                             kMakeupKey);
    }
  }
  return Status::Ok();
}

// "cn-2026.json" -> 2026; -1 when the part after "cn-" is not four digits.
int YearInFileName(const std::string& name) {
  const std::string stem = name.substr(3, name.size() - 3 - 5);
  if (stem.size() != 4 ||
      !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  return std::stoi(stem);
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("calendar folder not found: " + dir);
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (name.size() > 8 && name.compare(0, 3, "cn-") == 0 &&
        name.compare(name.size() - 5, 5, ".json") == 0 && it->is_regular_file(type_ec)) {
      files.push_back(it->path());
    }
  }
  if (ec) return NotFound("cannot list calendar folder " + dir + ": " + ec.message());
  if (files.empty()) return NotFound("no cn-*.json calendar file in " + dir);
  std::sort(files.begin(), files.end());

  WorkingCalendar calendar;
  for (const fs::path& path : files) {
    const std::string origin = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return InvalidArgument(origin + ": cannot open file");
    const std::string json_text{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
    if (in.bad()) return InvalidArgument(origin + ": cannot read file");
    const std::set<int> years_before = calendar.years_;
    JZ_RETURN_IF_ERROR(calendar.AddYearFromJson(json_text, origin));
    const int named_year = YearInFileName(path.filename().string());
    if (named_year > 0 && !calendar.HasYear(named_year)) {
      int added = 0;
      for (int year : calendar.years_) {
        if (years_before.count(year) == 0) added = year;
      }
      return InvalidArgument(origin + ": file name says " + std::to_string(named_year) +
                                 " but \"year\" is " + std::to_string(added),
                             "year");
    }
  }
  return calendar;
}

Status WorkingCalendar::AddYearFromJson(const std::string& json_text, const std::string& origin) {
  ParsedYear parsed;
  JZ_RETURN_IF_ERROR(ParseYear(json_text, origin, zone_.name, &parsed));
  if (years_.count(parsed.year) != 0) {
    return InvalidArgument(origin + ": year " + std::to_string(parsed.year) +
                               " is already loaded (duplicate calendar file)",
                           "year");
  }
  years_.insert(parsed.year);
  for (const auto& entry : parsed.holidays) holidays_.insert(entry.first);
  for (const auto& entry : parsed.makeup_days) makeup_days_.insert(entry.first);
  RebuildTable();
  return Status::Ok();
}

void WorkingCalendar::RebuildTable() {
  working_before_.clear();
  if (years_.empty()) return;
  table_first_day_ = DaysFromCivil(CivilDate{*years_.begin(), 1, 1});
  const std::int64_t end_day = DaysFromCivil(CivilDate{*years_.rbegin() + 1, 1, 1});
  const size_t size = static_cast<size_t>(end_day - table_first_day_);
  std::vector<bool> working(size);
  for (size_t i = 0; i < size; ++i) {
    working[i] = IsMondayToFriday(table_first_day_ + static_cast<std::int64_t>(i));
  }
  for (std::int64_t day : holidays_) working[static_cast<size_t>(day - table_first_day_)] = false;
  for (std::int64_t day : makeup_days_) working[static_cast<size_t>(day - table_first_day_)] = true;
  working_before_.resize(size + 1);
  working_before_[0] = 0;
  for (size_t i = 0; i < size; ++i) working_before_[i + 1] = working_before_[i] + working[i];
}

std::int64_t WorkingCalendar::LocalDayNumber(Micros instant) const {
  const Micros local = instant + static_cast<Micros>(zone_.utc_offset_seconds) * kMicrosPerSecond;
  return FloorDiv(local, kMicrosPerDay);
}

bool WorkingCalendar::IsWorkingDayNumber(std::int64_t day) const {
  const std::int64_t i = day - table_first_day_;
  if (i < 0 || i + 1 >= static_cast<std::int64_t>(working_before_.size())) {
    return IsMondayToFriday(day);
  }
  return working_before_[static_cast<size_t>(i) + 1] != working_before_[static_cast<size_t>(i)];
}

std::int64_t WorkingCalendar::CountWorkingDays(std::int64_t first, std::int64_t last) const {
  if (last <= first) return 0;
  if (working_before_.empty()) return WeekdaysBefore(last) - WeekdaysBefore(first);
  const std::int64_t table_end =
      table_first_day_ + static_cast<std::int64_t>(working_before_.size()) - 1;
  std::int64_t count = 0;
  // Before the table, inside it, after it.
  const std::int64_t before_end = std::min(last, table_first_day_);
  if (first < before_end) count += WeekdaysBefore(before_end) - WeekdaysBefore(first);
  const std::int64_t in_first = std::max(first, table_first_day_);
  const std::int64_t in_last = std::min(last, table_end);
  if (in_first < in_last) {
    count += working_before_[static_cast<size_t>(in_last - table_first_day_)] -
             working_before_[static_cast<size_t>(in_first - table_first_day_)];
  }
  const std::int64_t after_first = std::max(first, table_end);
  if (after_first < last) count += WeekdaysBefore(last) - WeekdaysBefore(after_first);
  return count;
}

std::int64_t WorkingCalendar::NthWorkingDayNumber(std::int64_t day, std::int64_t n) const {
  assert(n >= 1);
  std::int64_t next = day + 1;  // first candidate
  if (!working_before_.empty()) {
    const std::int64_t table_end =
        table_first_day_ + static_cast<std::int64_t>(working_before_.size()) - 1;
    if (next < table_first_day_) {
      const std::int64_t before = WeekdaysBefore(table_first_day_) - WeekdaysBefore(next);
      if (n <= before) return NthWeekdayFrom(next, n);
      n -= before;
      next = table_first_day_;
    }
    if (next < table_end) {
      const auto begin = working_before_.begin() + (next - table_first_day_);
      const std::int64_t inside = working_before_.back() - *begin;
      if (n <= inside) {
        // The answer is the day i whose working_before_[i + 1] first reaches
        // the target count.
        const auto reached = std::lower_bound(begin + 1, working_before_.end(), *begin + n);
        return table_first_day_ + (reached - working_before_.begin()) - 1;
      }
      n -= inside;
      next = table_end;
    }
  }
  return NthWeekdayFrom(next, n);
}

bool WorkingCalendar::IsWorkingDay(const CivilDate& d) const {
  return IsWorkingDayNumber(DaysFromCivil(d));
}

bool WorkingCalendar::HasYear(int year) const { return years_.count(year) != 0; }

CivilDate WorkingCalendar::NthWorkingDayAfter(const CivilDate& from, int working_days) const {
  assert(working_days >= 0);
  const std::int64_t day = DaysFromCivil(from);
  // N == 0 is the first working day on or after `from`: the 1st after the day before.
  return CivilFromDays(working_days > 0 ? NthWorkingDayNumber(day, working_days)
                                        : NthWorkingDayNumber(day - 1, 1));
}

Micros WorkingCalendar::AddWorkingDays(Micros from, int working_days) const {
  assert(working_days >= 0);
  const std::int64_t day = LocalDayNumber(from);
  const std::int64_t due =
      working_days > 0 ? NthWorkingDayNumber(day, working_days) : NthWorkingDayNumber(day - 1, 1);
  // End of the local day: one microsecond before the next local midnight.
  return (due + 1) * kMicrosPerDay -
         static_cast<Micros>(zone_.utc_offset_seconds) * kMicrosPerSecond - 1;
}

int WorkingCalendar::WorkingDaysBetween(Micros from, Micros to) const {
  const std::int64_t first = LocalDayNumber(from) + 1;
  const std::int64_t last = LocalDayNumber(to) + 1;  // exclusive
  return static_cast<int>(CountWorkingDays(first, last));
}

}  // namespace jiuzhu
