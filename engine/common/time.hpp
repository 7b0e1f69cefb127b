// Time in Jiuzhu: every instant is Micros, microseconds since the Unix epoch
// in UTC. Civil dates (calendar days in an office's zone) are CivilDate.
// Clock is injected everywhere time is read so tests move time instead of
// sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "engine/common/status.hpp"

namespace jiuzhu {

using Micros = std::int64_t;  // µs since 1970-01-01T00:00:00Z

constexpr Micros kMicrosPerSecond = 1'000'000;
constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

// A day of the proleptic Gregorian calendar.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate& a, const CivilDate& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const CivilDate& a, const CivilDate& b) { return !(a == b); }
  friend bool operator<(const CivilDate& a, const CivilDate& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
};

// Days since 1970-01-01 for a civil date, and back (Howard Hinnant's algorithms).
std::int64_t DaysFromCivil(const CivilDate& d);
CivilDate CivilFromDays(std::int64_t days);
// 0 = Sunday .. 6 = Saturday.
int Weekday(const CivilDate& d);
// True when the triple names a real calendar day.
bool IsValidCivilDate(int year, int month, int day);
// "YYYY-MM-DD" <-> CivilDate. Parse fails with kInvalidArgument.
Result<CivilDate> ParseCivilDate(const std::string& text);
std::string FormatCivilDate(const CivilDate& d);

// Fixed-offset time zone. Offices of Jiuzhu are in Asia/Shanghai, which has
// been UTC+08:00 without daylight saving since 1991; the name is kept so the
// zone shown to users stays explicit.
struct OfficeZone {
  std::string name = "Asia/Shanghai";
  int utc_offset_seconds = 8 * 3600;
};
const OfficeZone& ShanghaiZone();

CivilDate LocalDate(Micros instant, const OfficeZone& zone);
// First instant of a local day, as UTC.
Micros StartOfLocalDay(const CivilDate& d, const OfficeZone& zone);

// ISO 8601 in UTC with microseconds, e.g. "2026-02-13T01:02:03.000004Z".
std::string FormatUtc(Micros instant);
// ISO 8601 local time with offset, e.g. "2026-02-13T09:02:03+08:00".
std::string FormatLocal(Micros instant, const OfficeZone& zone);
// Parses "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)" or "YYYY-MM-DD" (local midnight in zone).
Result<Micros> ParseInstant(const std::string& text, const OfficeZone& zone = ShanghaiZone());

// Source of the current instant. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Micros Now() const = 0;
};

// Wall clock.
class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

// Clock that only moves when told to; for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start) : now_(start) {}
  Micros Now() const override { return now_.load(); }
  void Set(Micros t) { now_.store(t); }
  void Advance(Micros d) { now_.fetch_add(d); }

 private:
  std::atomic<Micros> now_;
};

}  // namespace jiuzhu
