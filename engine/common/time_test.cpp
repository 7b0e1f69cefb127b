#include "engine/common/time.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

Micros Instant(const std::string& text) {
  Result<Micros> t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? *t : 0;
}

TEST(TimeTest, DaysFromCivilKnownDays) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({1970, 1, 2}), 1);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  // 2026-01-01: 56 years of which 14 leap (1972..2024) = 56 * 365 + 14.
  EXPECT_EQ(DaysFromCivil({2026, 1, 1}), 20454);
  EXPECT_EQ(CivilFromDays(20454), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(CivilFromDays(-1), (CivilDate{1969, 12, 31}));
}

TEST(TimeTest, CivilDayRoundTripIsExactAndContiguous) {
  // 1900-01-01 .. about 2173, across leap days and century years.
  CivilDate previous = CivilFromDays(-25567);
  EXPECT_EQ(previous, (CivilDate{1900, 1, 1}));
  for (std::int64_t day = -25566; day < 75000; ++day) {
    const CivilDate d = CivilFromDays(day);
    ASSERT_TRUE(IsValidCivilDate(d.year, d.month, d.day)) << day;
    ASSERT_EQ(DaysFromCivil(d), day);
    ASSERT_TRUE(previous < d) << day;
    previous = d;
  }
}

TEST(TimeTest, Weekday) {
  EXPECT_EQ(Weekday({1970, 1, 1}), 4);    // Thursday
  EXPECT_EQ(Weekday({1969, 12, 31}), 3);  // Wednesday, before the epoch
  EXPECT_EQ(Weekday({1969, 12, 28}), 0);  // Sunday
  EXPECT_EQ(Weekday({2000, 2, 29}), 2);   // Tuesday
  EXPECT_EQ(Weekday({2026, 2, 14}), 6);   // Saturday (a 调休 make-up day)
  EXPECT_EQ(Weekday({2026, 2, 16}), 1);   // Monday
  EXPECT_EQ(Weekday({2026, 10, 1}), 4);   // Thursday
}

TEST(TimeTest, IsValidCivilDate) {
  EXPECT_TRUE(IsValidCivilDate(2024, 2, 29));
  EXPECT_TRUE(IsValidCivilDate(2000, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(1900, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(2026, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(2026, 4, 31));
  EXPECT_FALSE(IsValidCivilDate(2026, 13, 1));
  EXPECT_FALSE(IsValidCivilDate(2026, 0, 1));
  EXPECT_FALSE(IsValidCivilDate(2026, 1, 0));
}

TEST(TimeTest, ParseAndFormatCivilDate) {
  Result<CivilDate> d = ParseCivilDate("2026-02-14");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (CivilDate{2026, 2, 14}));
  EXPECT_EQ(FormatCivilDate(*d), "2026-02-14");
  EXPECT_EQ(FormatCivilDate({987, 3, 4}), "0987-03-04");
  for (const char* bad : {"2026-2-14", "2026/02/14", "2026-02-30", "2026-02-14x", "", "20260214"}) {
    EXPECT_EQ(ParseCivilDate(bad).status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(TimeTest, ParseInstantOffsetsAgree) {
  // 09:02:03 in Shanghai is 01:02:03 UTC.
  const Micros utc = Instant("2026-02-13T01:02:03Z");
  EXPECT_EQ(Instant("2026-02-13T09:02:03+08:00"), utc);
  EXPECT_EQ(Instant("2026-02-12T20:02:03-05:00"), utc);
  EXPECT_EQ(utc, (DaysFromCivil({2026, 2, 13}) * 86400 + 3723) * kMicrosPerSecond);
  EXPECT_EQ(Instant("2026-02-13T01:02:03.000004Z"), utc + 4);
  EXPECT_EQ(Instant("2026-02-13T01:02:03.5Z"), utc + 500000);
}

TEST(TimeTest, ParseInstantDateOnlyIsLocalMidnight) {
  // Midnight in Shanghai is 16:00 UTC the day before.
  EXPECT_EQ(Instant("2026-02-13"), Instant("2026-02-12T16:00:00Z"));
  EXPECT_EQ(Instant("2026-02-13"), StartOfLocalDay({2026, 2, 13}, ShanghaiZone()));
  const OfficeZone utc{"UTC", 0};
  Result<Micros> t = ParseInstant("2026-02-13", utc);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, DaysFromCivil({2026, 2, 13}) * kMicrosPerDay);
}

TEST(TimeTest, ParseInstantRejectsBadText) {
  for (const char* bad : {"2026-02-13T09:02:03", "2026-02-13 09:02:03Z", "2026-02-30T00:00:00Z",
                          "2026-02-13T24:00:00Z", "2026-02-13T09:60:00Z", "yesterday", "",
                          "2026-02-13T09:02:03+0800", "2026-02-13T09:02:03Zjunk"}) {
    EXPECT_EQ(ParseInstant(bad).status().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(TimeTest, FormatUtcAndLocal) {
  const Micros t = Instant("2026-02-13T01:02:03.000004Z");
  EXPECT_EQ(FormatUtc(t), "2026-02-13T01:02:03.000004Z");
  EXPECT_EQ(FormatLocal(t, ShanghaiZone()), "2026-02-13T09:02:03+08:00");
  EXPECT_EQ(FormatLocal(t, OfficeZone{"America/Bogota", -5 * 3600}), "2026-02-12T20:02:03-05:00");
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatUtc(-1), "1969-12-31T23:59:59.999999Z");
  // Round trip through both formats (FormatLocal drops the microseconds).
  EXPECT_EQ(Instant(FormatUtc(t)), t);
  EXPECT_EQ(Instant(FormatLocal(t, ShanghaiZone())), t - 4);
}

TEST(TimeTest, LocalDateAcrossShanghaiMidnight) {
  // 15:59:59.999999Z is 23:59:59.999999 in Shanghai, still the 12th;
  // 16:00:00Z is local midnight, already the 13th. The UTC date is the 12th for both.
  const Micros before = Instant("2026-02-12T15:59:59.999999Z");
  const Micros midnight = Instant("2026-02-12T16:00:00Z");
  EXPECT_EQ(midnight - before, 1);
  EXPECT_EQ(LocalDate(before, ShanghaiZone()), (CivilDate{2026, 2, 12}));
  EXPECT_EQ(LocalDate(midnight, ShanghaiZone()), (CivilDate{2026, 2, 13}));
  EXPECT_EQ(LocalDate(midnight, OfficeZone{"UTC", 0}), (CivilDate{2026, 2, 12}));
  EXPECT_EQ(StartOfLocalDay({2026, 2, 13}, ShanghaiZone()), midnight);
  // New Year's Eve 2025 in UTC is already 2026 in Shanghai.
  EXPECT_EQ(LocalDate(Instant("2025-12-31T20:00:00Z"), ShanghaiZone()), (CivilDate{2026, 1, 1}));
  // Before the epoch the floor division must not round towards zero.
  EXPECT_EQ(LocalDate(-1, OfficeZone{"UTC", 0}), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(LocalDate(-1, ShanghaiZone()), (CivilDate{1970, 1, 1}));
}

TEST(TimeTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(Instant("2026-02-13T01:00:00Z"));
  EXPECT_EQ(clock.Now(), Instant("2026-02-13T01:00:00Z"));
  clock.Advance(kMicrosPerDay);
  EXPECT_EQ(clock.Now(), Instant("2026-02-14T01:00:00Z"));
  clock.Set(0);
  EXPECT_EQ(clock.Now(), 0);
}

}  // namespace
}  // namespace jiuzhu
