#include "api/runtime/json_writer.hpp"

#include <cassert>
#include <charconv>

namespace jiuzhu {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at s[i] (a byte >= 0x80),
// or 0 when it is not one (RFC 3629, table 3-7 of the Unicode standard).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < left && byte(i + k) >= lo && byte(i + k) <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;  // no surrogates
  if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  std::string& o = *out;
  o.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t n = Utf8SequenceLength(s, i)) {
        i += n;
        continue;
      }
    }
    o.append(s.data() + run, i - run);
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
    run = ++i;
  }
  o.append(s.data() + run, s.size() - run);
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
  AppendJsonString(&out_, key);
  out_.push_back(':');
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
