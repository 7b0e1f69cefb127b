#include "engine/common/time.hpp"

#include <chrono>
#include <cstdio>

namespace jiuzhu {

std::int64_t DaysFromCivil(const CivilDate& d) {
  int y = d.year;
  const unsigned m = static_cast<unsigned>(d.month);
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int Weekday(const CivilDate& d) {
  const std::int64_t z = DaysFromCivil(d);
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

bool IsValidCivilDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max = 29;
  return day <= max;
}

Result<CivilDate> ParseCivilDate(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      text[4] != '-' || text[7] != '-') {
    return InvalidArgument("date must look like YYYY-MM-DD, got \"" + text + "\"");
  }
  if (!IsValidCivilDate(y, m, d)) return InvalidArgument("no such date: " + text);
  return CivilDate{y, m, d};
}

std::string FormatCivilDate(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

const OfficeZone& ShanghaiZone() {
  static const OfficeZone kZone{};
  return kZone;
}

namespace {
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
}  // namespace

CivilDate LocalDate(Micros instant, const OfficeZone& zone) {
  const Micros local = instant + static_cast<Micros>(zone.utc_offset_seconds) * kMicrosPerSecond;
  return CivilFromDays(FloorDiv(local, kMicrosPerDay));
}

Micros StartOfLocalDay(const CivilDate& d, const OfficeZone& zone) {
  return DaysFromCivil(d) * kMicrosPerDay -
         static_cast<Micros>(zone.utc_offset_seconds) * kMicrosPerSecond;
}

namespace {
// Writes `v` as exactly `width` decimal digits (v >= 0, v < 10^width).
char* PutDigits(char* p, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

// By hand rather than snprintf: lists format several instants per row (the
// inbox: 40 per page), and snprintf cost about 4,000 instructions a call.
std::string FormatWithOffset(Micros instant, int offset_seconds, bool micros, bool zulu) {
  const Micros local = instant + static_cast<Micros>(offset_seconds) * kMicrosPerSecond;
  const std::int64_t days = FloorDiv(local, kMicrosPerDay);
  const Micros in_day = local - days * kMicrosPerDay;
  const CivilDate d = CivilFromDays(days);
  const int secs = static_cast<int>(in_day / kMicrosPerSecond);
  const int us = static_cast<int>(in_day % kMicrosPerSecond);
  char buf[64];
  char* p = buf;
  if (d.year >= 0 && d.year <= 9999) {
    p = PutDigits(p, static_cast<unsigned>(d.year), 4);
  } else {
    p += std::snprintf(p, 16, "%04d", d.year);
  }
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(d.month), 2);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(d.day), 2);
  *p++ = 'T';
  p = PutDigits(p, static_cast<unsigned>(secs / 3600), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(secs / 60 % 60), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(secs % 60), 2);
  if (micros) {
    *p++ = '.';
    p = PutDigits(p, static_cast<unsigned>(us), 6);
  }
  if (zulu) {
    *p++ = 'Z';
  } else {
    const int off = offset_seconds < 0 ? -offset_seconds : offset_seconds;
    *p++ = offset_seconds < 0 ? '-' : '+';
    p = PutDigits(p, static_cast<unsigned>(off / 3600), 2);
    *p++ = ':';
    p = PutDigits(p, static_cast<unsigned>(off / 60 % 60), 2);
  }
  return std::string(buf, static_cast<std::size_t>(p - buf));
}
}  // namespace

std::string FormatUtc(Micros instant) { return FormatWithOffset(instant, 0, true, true); }

std::string FormatLocal(Micros instant, const OfficeZone& zone) {
  return FormatWithOffset(instant, zone.utc_offset_seconds, false, false);
}

Result<Micros> ParseInstant(const std::string& text, const OfficeZone& zone) {
  if (text.size() == 10) {
    JZ_ASSIGN_OR_RETURN(CivilDate d, ParseCivilDate(text));
    return StartOfLocalDay(d, zone);
  }
  int y, mo, d, h, mi, s;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                  &consumed) != 6 ||
      !IsValidCivilDate(y, mo, d) || h > 23 || mi > 59 || s > 60) {
    return InvalidArgument("instant must look like 2026-02-13T09:00:00+08:00, got \"" + text + "\"");
  }
  std::string rest = text.substr(static_cast<size_t>(consumed));
  Micros frac = 0;
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    Micros scale = 100000;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') {
      frac += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    rest = rest.substr(i);
  }
  int offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const int oh = std::atoi(rest.substr(1, 2).c_str());
    const int om = std::atoi(rest.substr(4, 2).c_str());
    offset = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return InvalidArgument("instant needs a zone (Z or +08:00): \"" + text + "\"");
  }
  const Micros local = DaysFromCivil(CivilDate{y, mo, d}) * kMicrosPerDay +
                       (static_cast<Micros>(h) * 3600 + mi * 60 + s) * kMicrosPerSecond + frac;
  return local - static_cast<Micros>(offset) * kMicrosPerSecond;
}

Micros SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace jiuzhu
