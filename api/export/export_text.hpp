// Text helpers shared by the CSV and XLSX writers (internal to api/export).
// Pure functions; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/export/cell.hpp"

namespace jiuzhu::export_internal {

// `text` with every invalid UTF-8 sequence (stray continuation byte, truncated
// or overlong sequence, surrogate, code point above U+10FFFF) replaced by
// U+FFFD. Valid input comes back unchanged.
std::string ValidUtf8(std::string_view text);

// Decodes the code point at `text[*pos]` of valid UTF-8 and advances *pos.
char32_t NextCodePoint(std::string_view text, std::size_t* pos);

// Columns a string takes in a spreadsheet cell, roughly: East Asian wide and
// full-width characters (汉字, full-width punctuation, Hangul, kana) count 2,
// everything else 1. `text` must be valid UTF-8.
int DisplayWidth(std::string_view text);

// Shortest text that reads back as the same double ("3", "2.5", "1e+20");
// empty for NaN and infinities.
std::string FormatNumber(double number);

// "YYYY-MM-DD HH:MM".
std::string FormatDateTime(const LocalDateTime& t);

// Days from 1970-01-01 to the given proleptic Gregorian date.
std::int64_t DaysFromCivil(int year, int month, int day);

}  // namespace jiuzhu::export_internal
