#include "api/runtime/json_writer.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace jiuzhu {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// What a byte needs: kCopy (printable ASCII but '"' and '\\'), kEscape (those two and
// U+0000..U+001F), kUtf8 (>= 0x80: checked as the start of a UTF-8 sequence). A table keeps
// the common case to one load and one compare per byte.
enum ByteClass : unsigned char { kCopy, kEscape, kUtf8 };
struct ByteClasses {
  ByteClass of[256];
  constexpr ByteClasses() : of() {
    for (int c = 0; c < 256; ++c) {
      of[c] = c >= 0x80 ? kUtf8 : (c < 0x20 || c == '"' || c == '\\') ? kEscape : kCopy;
    }
  }
};
constexpr ByteClasses kClasses;

// Length of the well-formed UTF-8 sequence at p (*p >= 0x80, p < end), or 0 when it is not one
// (RFC 3629; table 3-7 of the Unicode standard).
std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char b0 = p[0];
  const std::size_t left = static_cast<std::size_t>(end - p);
  const auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < left && p[k] >= lo && p[k] <= hi;
  };
  if (b0 < 0xC2) return 0;  // a continuation byte, or an overlong two-byte form
  if (b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 <= 0xEF) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;  // ED: no surrogates
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 <= 0xF4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// False when none of the 8 bytes of `w` needs a look (every one is kCopy). Each term may
// also fire for a kCopy byte next to one that needs a look (borrows), never miss one;
// the byte loop then decides.
bool MayNeedALook(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const auto below = [](std::uint64_t v, std::uint64_t n) { return (v - kOnes * n) & ~v & kHigh; };
  return ((w & kHigh) | below(w, 0x20) | below(w ^ (kOnes * '"'), 1) |
          below(w ^ (kOnes * '\\'), 1)) != 0;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  std::string& o = *out;
  o.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  const auto* run = p;  // start of the bytes not yet copied
  while (p < end) {
    if (end - p >= 8) {  // eight plain bytes at a time, the common case
      std::uint64_t w;
      std::memcpy(&w, p, sizeof w);
      if (!MayNeedALook(w)) {
        p += 8;
        continue;
      }
    }
    const ByteClass k = kClasses.of[*p];
    if (k == kCopy) {
      ++p;
      continue;
    }
    if (k == kUtf8) {
      if (const std::size_t n = Utf8SequenceLength(p, end)) {
        p += n;
        continue;
      }
    }
    o.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    const unsigned char c = *p;
    switch (c) {
      case '"':
        o.append("\\\"");
        break;
      case '\\':
        o.append("\\\\");
        break;
      case '\b':
        o.append("\\b");
        break;
      case '\t':
        o.append("\\t");
        break;
      case '\n':
        o.append("\\n");
        break;
      case '\f':
        o.append("\\f");
        break;
      case '\r':
        o.append("\\r");
        break;
      default:
        if (c < 0x20) {
          const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          o.append(esc, sizeof esc);
        } else {
          o.append(kReplacement);  // a byte that starts no well-formed UTF-8 sequence
        }
    }
    run = ++p;
  }
  o.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(end - run));
  o.push_back('"');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;
  const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
  if (has_members_ & bit) out_.push_back(',');
  has_members_ |= bit;
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  assert(depth_ < kMaxDepth);
  out_.push_back(bracket);
  ++depth_;
  has_members_ &= ~(std::uint64_t{1} << (depth_ - 1));
}

void JsonWriter::Close(char bracket) {
  assert(depth_ > 0 && !after_key_);
  --depth_;
  out_.push_back(bracket);
}

void JsonWriter::BeginObject() { Open('{'); }
void JsonWriter::EndObject() { Close('}'); }
void JsonWriter::BeginArray() { Open('['); }
void JsonWriter::EndArray() { Close(']'); }

void JsonWriter::Key(std::string_view key) {
  assert(depth_ > 0 && !after_key_);
  BeforeValue();
  // Keys are mostly short names from the code: one append when no byte needs a look.
  char buf[64];
  const bool plain =
      key.size() + 3 <= sizeof buf && std::all_of(key.begin(), key.end(), [](char c) {
        return kClasses.of[static_cast<unsigned char>(c)] == kCopy;
      });
  if (plain) {
    buf[0] = '"';
    std::memcpy(buf + 1, key.data(), key.size());
    buf[key.size() + 1] = '"';
    buf[key.size() + 2] = ':';
    out_.append(buf, key.size() + 3);
  } else {
    AppendJsonString(&out_, key);
    out_.push_back(':');
  }
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(&out_, value);
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

}  // namespace jiuzhu
