// JsonWriter appends one JSON text to a std::string as it is described, with no
// document tree in between: for large answers (the inbox page) where building,
// dumping and destroying nlohmann::json objects cost most of the request.
//
// Strings (keys and values) are escaped as RFC 8259 requires: '"', '\\' and the
// control characters U+0000..U+001F (\b \t \n \f \r, else \u00XX). Valid UTF-8
// passes through unchanged; each byte that does not start a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
// is written as U+FFFD, so the output is always valid JSON. (nlohmann's dump()
// throws on such bytes instead.)
//
// The caller describes a well-formed document: Key() only directly inside an
// object and before each of its values, every Begin matched by its End, at most
// kMaxDepth levels. Mistakes are programmer errors (asserted); commas are placed
// by the writer. Not thread-safe: one writer per document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jiuzhu {

class JsonWriter {
 public:
  static constexpr int kMaxDepth = 64;

  // Appends to *out (which must outlive the writer).
  explicit JsonWriter(std::string* out) : out_(*out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(std::int64_t value);
  void Bool(bool value);
  void Null();

  // True once every container opened was closed.
  bool Complete() const { return depth_ == 0; }

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);

  std::string& out_;
  int depth_ = 0;
  std::uint64_t has_members_ = 0;  // bit d: the container at depth d has a member already
  bool after_key_ = false;
};

// Appends `s` to *out as a JSON string literal (quotes included), escaped as above.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace jiuzhu
