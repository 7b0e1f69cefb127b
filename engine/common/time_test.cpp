#include "engine/common/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

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

// FormatUtc/FormatLocal write digits by hand; the snprintf form they replaced is the reference.
std::string ReferenceFormat(Micros instant, int offset_seconds, bool utc) {
  const Micros local = instant + static_cast<Micros>(offset_seconds) * kMicrosPerSecond;
  std::int64_t days = local / kMicrosPerDay;
  if (local % kMicrosPerDay != 0 && local < 0) --days;
  const Micros in_day = local - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  const int secs = static_cast<int>(in_day / kMicrosPerSecond);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day,
                        secs / 3600, secs / 60 % 60, secs % 60);
  if (utc) {
    std::snprintf(buf + n, sizeof buf - n, ".%06dZ", static_cast<int>(in_day % kMicrosPerSecond));
  } else {
    const int off = offset_seconds < 0 ? -offset_seconds : offset_seconds;
    std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", offset_seconds < 0 ? '-' : '+',
                  off / 3600, off / 60 % 60);
  }
  return buf;
}

TEST(TimeTest, FormatMatchesTheSnprintfFormAcrossYearsAndOffsets) {
  const OfficeZone kathmandu{"Asia/Kathmandu", 5 * 3600 + 45 * 60};
  const OfficeZone marquesas{"Pacific/Marquesas", -(9 * 3600 + 30 * 60)};
  const Micros first = Instant("0001-01-01T00:00:00Z");
  const Micros last = Instant("9999-12-31T23:59:59.999999Z");
  std::vector<Micros> instants = {0, -1, 1, kMicrosPerDay - 1, first, last};
  std::uint64_t x = 88172645463325252ull;  // xorshift: fixed, so a failure repeats
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    instants.push_back(first + static_cast<Micros>(x % static_cast<std::uint64_t>(last - first)));
  }
  for (Micros t : instants) {
    EXPECT_EQ(FormatUtc(t), ReferenceFormat(t, 0, true)) << t;
    EXPECT_EQ(FormatLocal(t, ShanghaiZone()), ReferenceFormat(t, 8 * 3600, false)) << t;
    EXPECT_EQ(FormatLocal(t, kathmandu), ReferenceFormat(t, kathmandu.utc_offset_seconds, false))
        << t;
    EXPECT_EQ(FormatLocal(t, marquesas), ReferenceFormat(t, marquesas.utc_offset_seconds, false))
        << t;
  }
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
