#include "engine/calendar/working_calendar.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace jiuzhu {
namespace {

namespace fs = std::filesystem;

const std::string kCalendarDir = std::string(JIUZHU_SOURCE_DIR) + "/workflows/calendars";

CivilDate Date(const std::string& text) {
  Result<CivilDate> d = ParseCivilDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : CivilDate{};
}

Micros Instant(const std::string& text) {
  Result<Micros> t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? *t : 0;
}

// End of a Shanghai local day, the form every deadline takes.
Micros EndOfDay(const std::string& date) {
  return StartOfLocalDay(Date(date), ShanghaiZone()) + kMicrosPerDay - 1;
}

// A calendar file's text with the given holiday and make-up lists.
std::string YearJson(int year, const std::string& holiday_days, const std::string& makeup_days) {
  return "{\"year\": " + std::to_string(year) +
         ", \"zone\": \"Asia/Shanghai\", \"holidays\": [{\"name\": \"假日\", \"days\": [" +
         holiday_days + "]}], \"makeup_workdays\": [{\"name\": \"调休\", \"days\": [" +
         makeup_days + "]}]}";
}

class WorkingCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<WorkingCalendar> loaded = WorkingCalendar::LoadDirectory(kCalendarDir);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    cal_ = std::move(loaded).value();
  }

  std::string Due(const std::string& from, int n) const {
    return FormatLocal(cal_.AddWorkingDays(Instant(from), n), ShanghaiZone());
  }

  WorkingCalendar cal_;
};

TEST_F(WorkingCalendarTest, LoadsShippedYears) {
  EXPECT_TRUE(cal_.HasYear(2025));
  EXPECT_TRUE(cal_.HasYear(2026));
  EXPECT_FALSE(cal_.HasYear(2024));
  EXPECT_FALSE(cal_.HasYear(2027));
  EXPECT_EQ(cal_.zone().name, "Asia/Shanghai");
}

TEST_F(WorkingCalendarTest, IsWorkingDayFollowsStateCouncilNotices) {
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2025-01-01")));  // Wed, 元旦
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2025-01-26")));   // Sun, 春节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2025-02-04")));  // Tue, last day of 春节
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2025-02-08")));   // Sat, 春节调休
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2025-04-27")));   // Sun, 劳动节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2025-06-02")));  // Mon, 端午
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2025-10-08")));  // Wed, 国庆节、中秋节
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2025-10-11")));   // Sat, 调休
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-01-04")));   // Sun, 元旦调休
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-02-14")));   // Sat, 春节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2026-02-16")));  // Mon, 春节
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2026-02-23")));  // Mon, last day of 春节
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-02-24")));   // Tue
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-02-28")));   // Sat, 春节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2026-03-07")));  // ordinary Saturday
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-05-09")));   // Sat, 劳动节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2026-09-25")));  // Fri, 中秋
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-09-20")));   // Sun, 国庆节调休
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2026-10-07")));  // Wed, 国庆
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2026-10-10")));   // Sat, 国庆节调休
}

TEST_F(WorkingCalendarTest, WorkingDaysPerYear) {
  // 2025 starts on a Wednesday: 261 Monday–Fridays; 18 of them are holidays
  // (元旦 1, 春节 6, 清明 1, 劳动 3, 端午 1, 国庆中秋 6); 5 make-up days.
  // 261 - 18 + 5 = 248.
  EXPECT_EQ(cal_.WorkingDaysBetween(Instant("2024-12-31T12:00:00+08:00"),
                                    Instant("2025-12-31T12:00:00+08:00")),
            248);
  // 2026 starts on a Thursday: 261 Monday–Fridays; 19 holidays (元旦 2,
  // 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5); 6 make-up days. 248 again.
  EXPECT_EQ(cal_.WorkingDaysBetween(Instant("2025-12-31T12:00:00+08:00"),
                                    Instant("2026-12-31T12:00:00+08:00")),
            248);
}

TEST_F(WorkingCalendarTest, DeadlineCrossesSpringFestival2026) {
  // From Thu 02-12: Fri 02-13 (1), Sat 02-14 make-up (2), 02-15..02-23 春节 off,
  // Tue 02-24 (3), Wed 02-25 (4), Thu 02-26 (5).
  EXPECT_EQ(Due("2026-02-12T10:00:00+08:00", 5), "2026-02-26T23:59:59+08:00");
  EXPECT_EQ(cal_.AddWorkingDays(Instant("2026-02-12T10:00:00+08:00"), 5), EndOfDay("2026-02-26"));
  EXPECT_EQ(FormatUtc(cal_.AddWorkingDays(Instant("2026-02-12T10:00:00+08:00"), 5)),
            "2026-02-26T15:59:59.999999Z");
  // ... Fri 02-27 (6), Sat 02-28 make-up (7), Mon 03-02 (8), Tue 03-03 (9), Wed 03-04 (10).
  EXPECT_EQ(Due("2026-02-12T10:00:00+08:00", 10), "2026-03-04T23:59:59+08:00");
  // Starting inside the holiday: Tue 02-24 is the first working day after Wed 02-18.
  EXPECT_EQ(Due("2026-02-18T10:00:00+08:00", 1), "2026-02-24T23:59:59+08:00");
}

TEST_F(WorkingCalendarTest, DeadlineCrossesNationalDay2026) {
  // From Fri 09-18: Sun 09-20 make-up (1), Mon–Thu 09-21..09-24 (2..5),
  // 09-25..09-27 中秋 off, Mon–Wed 09-28..09-30 (6..8), 10-01..10-07 国庆 off,
  // Thu 10-08 (9), Fri 10-09 (10).
  EXPECT_EQ(Due("2026-09-18T09:00:00+08:00", 10), "2026-10-09T23:59:59+08:00");
  // From Wed 09-30 the next working day is Thu 10-08.
  EXPECT_EQ(Due("2026-09-30T17:00:00+08:00", 1), "2026-10-08T23:59:59+08:00");
  // 2025 (国庆节、中秋节 10-01..10-08): from Tue 09-30 the next is Thu 10-09.
  EXPECT_EQ(Due("2025-09-30T17:00:00+08:00", 1), "2025-10-09T23:59:59+08:00");
}

TEST_F(WorkingCalendarTest, DeadlineLandsOnMakeupSaturday) {
  // From Thu 02-12: Fri 02-13 (1), Sat 02-14 make-up (2).
  EXPECT_EQ(Due("2026-02-12T10:00:00+08:00", 2), "2026-02-14T23:59:59+08:00");
  EXPECT_EQ(cal_.NthWorkingDayAfter(Date("2026-02-12"), 2), Date("2026-02-14"));
  // From Wed 09-30: Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 make-up (3),
  // Sun 10-11 off, Mon 10-12 (4).
  EXPECT_EQ(Due("2026-09-30T10:00:00+08:00", 3), "2026-10-10T23:59:59+08:00");
  EXPECT_EQ(Due("2026-09-30T10:00:00+08:00", 4), "2026-10-12T23:59:59+08:00");
  // A make-up Sunday: from Fri 2025-01-24 the next working day is Sun 01-26.
  EXPECT_EQ(cal_.NthWorkingDayAfter(Date("2025-01-24"), 1), Date("2025-01-26"));
}

TEST_F(WorkingCalendarTest, LateEveningUtcIsAlreadyNextDayInShanghai) {
  // 17:30Z on Thu 02-12 is 01:30 on Fri 02-13 in Shanghai, so counting starts
  // after Fri 02-13: Sat 02-14 make-up (1). Counting from the UTC date would
  // wrongly give Fri 02-13.
  EXPECT_EQ(Due("2026-02-12T17:30:00Z", 1), "2026-02-14T23:59:59+08:00");
  // One microsecond before local midnight is still Thu 02-12: Fri 02-13 (1).
  EXPECT_EQ(Due("2026-02-12T15:59:59.999999Z", 1), "2026-02-13T23:59:59+08:00");
  EXPECT_EQ(Due("2026-02-12T16:00:00Z", 1), "2026-02-14T23:59:59+08:00");
}

TEST_F(WorkingCalendarTest, ZeroDaysIsEndOfTodayOrNextWorkingDay) {
  EXPECT_EQ(Due("2026-02-12T10:00:00+08:00", 0), "2026-02-12T23:59:59+08:00");  // Thu
  EXPECT_EQ(Due("2026-02-14T10:00:00+08:00", 0), "2026-02-14T23:59:59+08:00");  // make-up Sat
  // Sun 02-15 starts 春节 (to 02-23): next working day Tue 02-24.
  EXPECT_EQ(Due("2026-02-15T10:00:00+08:00", 0), "2026-02-24T23:59:59+08:00");
  // An ordinary Sunday: next is Mon 03-09.
  EXPECT_EQ(Due("2026-03-08T10:00:00+08:00", 0), "2026-03-09T23:59:59+08:00");
  EXPECT_EQ(cal_.NthWorkingDayAfter(Date("2026-02-12"), 0), Date("2026-02-12"));
  EXPECT_EQ(cal_.NthWorkingDayAfter(Date("2026-02-15"), 0), Date("2026-02-24"));
  // The very last microsecond of a working day is still that day.
  EXPECT_EQ(cal_.AddWorkingDays(EndOfDay("2026-02-12"), 0), EndOfDay("2026-02-12"));
}

TEST_F(WorkingCalendarTest, YearWithoutFileFallsBackToWeekdays) {
  EXPECT_FALSE(cal_.HasYear(2030));
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2030-01-01")));   // Tue; 元旦 in reality, but no file
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2030-01-05")));  // Sat
  // From Fri 2030-01-04: Mon 01-07 (1); Tue..Fri 01-08..01-11 (2..5); Mon 01-14 (6).
  EXPECT_EQ(Due("2030-01-04T10:00:00+08:00", 1), "2030-01-07T23:59:59+08:00");
  EXPECT_EQ(Due("2030-01-04T10:00:00+08:00", 6), "2030-01-14T23:59:59+08:00");

  const WorkingCalendar plain;  // no file at all
  EXPECT_FALSE(plain.HasYear(2026));
  EXPECT_TRUE(plain.IsWorkingDay(Date("2026-02-16")));   // Mon (春节 on the real calendar)
  EXPECT_FALSE(plain.IsWorkingDay(Date("2026-02-14")));  // Sat (a make-up day really)
  // From Thu 02-12: Fri 02-13 (1), Mon 02-16 (2), ..., Thu 02-19 (5).
  EXPECT_EQ(
      FormatLocal(plain.AddWorkingDays(Instant("2026-02-12T10:00:00+08:00"), 5), ShanghaiZone()),
      "2026-02-19T23:59:59+08:00");
  EXPECT_EQ(plain.WorkingDaysBetween(Instant("2026-02-12T10:00:00+08:00"),
                                     Instant("2026-02-19T10:00:00+08:00")),
            5);
}

TEST_F(WorkingCalendarTest, DeadlineCrossesEdgesOfLoadedYears) {
  // From Mon 2024-12-30 (2024 has no file): Tue 12-31 (1), 2025-01-01 元旦 off,
  // Thu 01-02 (2), Fri 01-03 (3).
  EXPECT_EQ(Due("2024-12-30T10:00:00+08:00", 3), "2025-01-03T23:59:59+08:00");
  // From Wed 2026-12-30: Thu 12-31 (1), Fri 2027-01-01 (2; no 2027 file, so a
  // working day), Mon 01-04 (3).
  EXPECT_EQ(Due("2026-12-30T10:00:00+08:00", 3), "2027-01-04T23:59:59+08:00");

  // A year loaded after a gap: 2027 lies inside the table but has no file.
  ASSERT_TRUE(
      cal_.AddYearFromJson(YearJson(2028, "\"2028-01-03\"", "\"2028-01-08\""), "cn-2028").ok());
  EXPECT_FALSE(cal_.HasYear(2027));
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2027-01-01")));   // Fri, weekday rule
  EXPECT_FALSE(cal_.IsWorkingDay(Date("2028-01-03")));  // Mon, holiday in the 2028 file
  EXPECT_TRUE(cal_.IsWorkingDay(Date("2028-01-08")));   // Sat, make-up day
  EXPECT_EQ(Due("2026-12-30T10:00:00+08:00", 3), "2027-01-04T23:59:59+08:00");
  // From Thu 2027-12-30: Fri 12-31 (1), Mon 2028-01-03 off, Tue 01-04 (2), Wed 01-05 (3).
  EXPECT_EQ(Due("2027-12-30T10:00:00+08:00", 3), "2028-01-05T23:59:59+08:00");
}

TEST_F(WorkingCalendarTest, WorkingDaysBetween) {
  const Micros thu_0212 = Instant("2026-02-12T10:00:00+08:00");
  // Fri 02-13, Sat 02-14 (make-up), Tue 02-24, Wed 02-25, Thu 02-26.
  EXPECT_EQ(cal_.WorkingDaysBetween(thu_0212, Instant("2026-02-26T10:00:00+08:00")), 5);
  // Up to Sun 02-22, inside 春节: Fri 02-13 and Sat 02-14 only.
  EXPECT_EQ(cal_.WorkingDaysBetween(thu_0212, Instant("2026-02-22T10:00:00+08:00")), 2);
  EXPECT_EQ(cal_.WorkingDaysBetween(thu_0212, thu_0212), 0);
  EXPECT_EQ(cal_.WorkingDaysBetween(thu_0212, Instant("2026-02-12T23:00:00+08:00")), 0);
  EXPECT_EQ(cal_.WorkingDaysBetween(Instant("2026-02-26T10:00:00+08:00"), thu_0212), 0);
  // Local dates, not UTC: 17:30Z 02-12 is Fri 02-13 local; 02:00Z 02-14 is Sat 02-14 local.
  EXPECT_EQ(
      cal_.WorkingDaysBetween(Instant("2026-02-12T17:30:00Z"), Instant("2026-02-14T02:00:00Z")), 1);
  // Overdue count past a deadline: due Thu 02-26, now Mon 03-02 -> Fri 02-27, Sat 02-28, Mon 03-02.
  EXPECT_EQ(cal_.WorkingDaysBetween(EndOfDay("2026-02-26"), Instant("2026-03-02T09:00:00+08:00")),
            3);
}

// The fast paths (prefix counts, closed-form weekday arithmetic, table edges)
// must agree with walking day by day over IsWorkingDay.
TEST_F(WorkingCalendarTest, AgreesWithDayByDayWalk) {
  const WorkingCalendar plain;
  for (const WorkingCalendar* cal : {static_cast<const WorkingCalendar*>(&cal_), &plain}) {
    for (std::int64_t start = DaysFromCivil({2024, 10, 1}); start < DaysFromCivil({2027, 3, 1});
         ++start) {
      const CivilDate from = CivilFromDays(start);
      std::int64_t day = start;
      while (!cal->IsWorkingDay(CivilFromDays(day))) ++day;
      ASSERT_EQ(cal->NthWorkingDayAfter(from, 0), CivilFromDays(day)) << FormatCivilDate(from);
      day = start;
      for (int n = 1; n <= 45; ++n) {
        do {
          ++day;
        } while (!cal->IsWorkingDay(CivilFromDays(day)));
        ASSERT_EQ(cal->NthWorkingDayAfter(from, n), CivilFromDays(day))
            << FormatCivilDate(from) << " + " << n;
        const Micros noon = StartOfLocalDay(from, ShanghaiZone()) + kMicrosPerDay / 2;
        ASSERT_EQ(cal->WorkingDaysBetween(noon, cal->AddWorkingDays(noon, n)), n)
            << FormatCivilDate(from) << " + " << n;
      }
    }
  }
}

// Load errors, each from files written to a fresh temporary folder.
class WorkingCalendarLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "jiuzhu-calendar-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void Write(const std::string& name, const std::string& text) const {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << text;
    ASSERT_TRUE(out.good()) << name;
  }

  // Loads the folder and expects kInvalidArgument whose message names `file`
  // and contains `words`.
  void ExpectInvalid(const std::string& file, const std::string& words) const {
    Result<WorkingCalendar> r = WorkingCalendar::LoadDirectory(dir_.string());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << r.status().ToString();
    EXPECT_NE(r.status().message().find(file), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().ToString();
  }

  fs::path dir_;
};

TEST_F(WorkingCalendarLoadTest, LoadsValidFile) {
  Write("cn-2026.json", YearJson(2026, "\"2026-02-16\"", "\"2026-02-14\""));
  Write("README.txt", "not a calendar");
  Result<WorkingCalendar> r = WorkingCalendar::LoadDirectory(dir_.string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->HasYear(2026));
  EXPECT_FALSE(r->IsWorkingDay(Date("2026-02-16")));
  EXPECT_TRUE(r->IsWorkingDay(Date("2026-02-14")));
}

TEST_F(WorkingCalendarLoadTest, MissingFolderIsNotFound) {
  Result<WorkingCalendar> r = WorkingCalendar::LoadDirectory((dir_ / "absent").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(WorkingCalendarLoadTest, FolderWithoutCalendarFilesIsNotFound) {
  Write("README.txt", "no calendars here");
  Write("us-2026.json", YearJson(2026, "", ""));
  Result<WorkingCalendar> r = WorkingCalendar::LoadDirectory(dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(WorkingCalendarLoadTest, MalformedJson) {
  Write("cn-2026.json", "{\"year\": 2026, \"holidays\": [");
  ExpectInvalid("cn-2026.json", "malformed JSON");
}

TEST_F(WorkingCalendarLoadTest, EmptyFileIsMalformedJson) {
  Write("cn-2026.json", "");
  ExpectInvalid("cn-2026.json", "malformed JSON");
}

TEST_F(WorkingCalendarLoadTest, BadDate) {
  Write("cn-2026.json", YearJson(2026, "\"2026-02-30\"", ""));
  ExpectInvalid("cn-2026.json", "bad date 2026-02-30");
}

TEST_F(WorkingCalendarLoadTest, BadlySpelledDate) {
  Write("cn-2026.json", YearJson(2026, "\"2026-2-16\"", ""));
  ExpectInvalid("cn-2026.json", "bad date 2026-2-16");
}

TEST_F(WorkingCalendarLoadTest, DateThatIsNotAString) {
  Write("cn-2026.json", YearJson(2026, "20260216", ""));
  ExpectInvalid("cn-2026.json", "bad date 20260216");
}

TEST_F(WorkingCalendarLoadTest, DateOutsideFileYear) {
  Write("cn-2026.json", YearJson(2026, "\"2025-12-31\"", ""));
  ExpectInvalid("cn-2026.json", "outside the file's year 2026");
}

TEST_F(WorkingCalendarLoadTest, MakeupDayOnWeekday) {
  Write("cn-2026.json", YearJson(2026, "", "\"2026-02-16\""));  // a Monday
  ExpectInvalid("cn-2026.json", "2026-02-16 (Monday)");
}

TEST_F(WorkingCalendarLoadTest, DayBothHolidayAndMakeup) {
  Write("cn-2026.json", YearJson(2026, "\"2026-02-14\"", "\"2026-02-14\""));
  ExpectInvalid("cn-2026.json", "both a holiday");
}

TEST_F(WorkingCalendarLoadTest, DayListedTwice) {
  Write("cn-2026.json", YearJson(2026, "\"2026-02-16\", \"2026-02-16\"", ""));
  ExpectInvalid("cn-2026.json", "listed twice");
}

TEST_F(WorkingCalendarLoadTest, DuplicateYear) {
  Write("cn-2026.json", YearJson(2026, "", ""));
  Write("cn-2026-copy.json", YearJson(2026, "", ""));
  // Name order: "cn-2026-copy.json" < "cn-2026.json", so the second is refused.
  ExpectInvalid("cn-2026.json", "already loaded");
}

TEST_F(WorkingCalendarLoadTest, FileNameDisagreesWithYear) {
  Write("cn-2027.json", YearJson(2026, "", ""));
  ExpectInvalid("cn-2027.json", "file name says 2027");
}

TEST_F(WorkingCalendarLoadTest, WrongZone) {
  Write("cn-2026.json",
        "{\"year\": 2026, \"zone\": \"UTC\", \"holidays\": [], \"makeup_workdays\": []}");
  ExpectInvalid("cn-2026.json", "\"zone\" must be \"Asia/Shanghai\"");
}

TEST(WorkingCalendarParseTest, MissingOrMistypedKeys) {
  const struct {
    const char* json;
    const char* words;
  } kCases[] = {
      {"[]", "top level must be a JSON object"},
      {R"({"holidays": [], "makeup_workdays": []})", "\"year\" must be an integer"},
      {R"({"year": "2026", "holidays": [], "makeup_workdays": []})", "\"year\" must be"},
      {R"({"year": 2026.5, "holidays": [], "makeup_workdays": []})", "\"year\" must be"},
      {R"({"year": 0, "holidays": [], "makeup_workdays": []})", "\"year\" must be"},
      {R"({"year": 2026, "makeup_workdays": []})", "\"holidays\" must be a list"},
      {R"({"year": 2026, "holidays": []})", "\"makeup_workdays\" must be a list"},
      {R"({"year": 2026, "holidays": {}, "makeup_workdays": []})", "\"holidays\" must be a list"},
      {R"({"year": 2026, "holidays": [3], "makeup_workdays": []})", "holidays[0] must be an obj"},
      {R"({"year": 2026, "holidays": [{"days": []}], "makeup_workdays": []})",
       "holidays[0].name must be a non-empty string"},
      {R"({"year": 2026, "holidays": [{"name": "", "days": []}], "makeup_workdays": []})",
       "holidays[0].name must be a non-empty string"},
      {R"({"year": 2026, "holidays": [{"name": "春节"}], "makeup_workdays": []})",
       "holidays[0].days must be a list"},
  };
  for (const auto& c : kCases) {
    WorkingCalendar cal;
    const Status s = cal.AddYearFromJson(c.json, "test.json");
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_NE(s.message().find("test.json"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find(c.words), std::string::npos) << s.ToString();
  }
}

TEST(WorkingCalendarParseTest, FailedAddLeavesCalendarUnchanged) {
  WorkingCalendar cal;
  ASSERT_TRUE(cal.AddYearFromJson(YearJson(2026, "\"2026-02-16\"", "\"2026-02-14\""), "a").ok());
  // Duplicate year with different content: refused, first file still in force.
  const Status dup = cal.AddYearFromJson(YearJson(2026, "\"2026-02-17\"", ""), "b");
  EXPECT_EQ(dup.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(dup.message().find("already loaded"), std::string::npos) << dup.ToString();
  EXPECT_TRUE(cal.IsWorkingDay(Date("2026-02-17")));
  // A bad 2027 file fails after some valid days were parsed; none of them sticks.
  const Status bad = cal.AddYearFromJson(YearJson(2027, "\"2027-02-08\"", "\"2027-02-09\""), "c");
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(cal.HasYear(2027));
  EXPECT_TRUE(cal.IsWorkingDay(Date("2027-02-08")));
  EXPECT_FALSE(cal.IsWorkingDay(Date("2026-02-16")));
  EXPECT_TRUE(cal.IsWorkingDay(Date("2026-02-14")));
}

}  // namespace
}  // namespace jiuzhu
