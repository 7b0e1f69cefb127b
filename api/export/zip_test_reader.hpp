// Test-only: reads a ZIP archive back independently of ZipWriter and checks
// it (central directory, local headers agree with it, inflated size and
// CRC-32 by zlib), plus a small XML well-formedness check and a reader of the
// cells of an XLSX worksheet. Used by the export tests only.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace jiuzhu::export_testing {

struct ZipEntryRead {
  std::string name;
  std::uint16_t method = 0;
  std::uint16_t flags = 0;
  std::uint32_t crc32 = 0;
  std::uint32_t compressed_size = 0;
  std::string data;  // inflated
};

inline std::uint32_t Get(const std::string& b, std::size_t pos, int bytes) {
  if (pos + bytes > b.size()) throw std::runtime_error("zip: read past the end");
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  return v;
}

inline std::string Inflate(const std::string& in, std::uint32_t expected_size) {
  std::string out(expected_size, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw std::runtime_error("zip: inflateInit2");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  const uLong total = zs.total_out;
  const uInt left_in = zs.avail_in;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("zip: inflate did not end the stream");
  if (total != expected_size) throw std::runtime_error("zip: inflated size differs");
  if (left_in != 0) throw std::runtime_error("zip: bytes after the deflate stream");
  return out;
}

// Throws std::runtime_error naming the first problem found.
inline std::vector<ZipEntryRead> ReadZip(const std::string& b) {
  if (b.size() < 22) throw std::runtime_error("zip: too short");
  // End of central directory record: the last 22 bytes when there is no comment.
  std::size_t eocd = b.size() - 22;
  if (Get(b, eocd, 4) != 0x06054b50) throw std::runtime_error("zip: no end record");
  const std::uint32_t count = Get(b, eocd + 10, 2);
  if (Get(b, eocd + 8, 2) != count) throw std::runtime_error("zip: entry counts differ");
  const std::uint32_t cd_size = Get(b, eocd + 12, 4);
  const std::uint32_t cd_offset = Get(b, eocd + 16, 4);
  if (std::uint64_t{cd_offset} + cd_size != eocd) {
    throw std::runtime_error("zip: central directory does not end at the end record");
  }
  std::vector<ZipEntryRead> entries;
  std::size_t pos = cd_offset;
  std::size_t expected_local = 0;  // entries are expected back to back from offset 0
  for (std::uint32_t i = 0; i < count; ++i) {
    if (Get(b, pos, 4) != 0x02014b50) throw std::runtime_error("zip: bad central header");
    ZipEntryRead e;
    e.flags = static_cast<std::uint16_t>(Get(b, pos + 8, 2));
    e.method = static_cast<std::uint16_t>(Get(b, pos + 10, 2));
    e.crc32 = Get(b, pos + 16, 4);
    e.compressed_size = Get(b, pos + 20, 4);
    const std::uint32_t size = Get(b, pos + 24, 4);
    const std::uint32_t name_len = Get(b, pos + 28, 2);
    const std::uint32_t extra_len = Get(b, pos + 30, 2);
    const std::uint32_t comment_len = Get(b, pos + 32, 2);
    const std::uint32_t local = Get(b, pos + 42, 4);
    e.name = b.substr(pos + 46, name_len);
    pos += 46 + name_len + extra_len + comment_len;

    if (local != expected_local) throw std::runtime_error("zip: gap before " + e.name);
    if (Get(b, local, 4) != 0x04034b50) throw std::runtime_error("zip: bad local header " + e.name);
    if (Get(b, local + 6, 2) != e.flags || Get(b, local + 8, 2) != e.method ||
        Get(b, local + 14, 4) != e.crc32 || Get(b, local + 18, 4) != e.compressed_size ||
        Get(b, local + 22, 4) != size) {
      throw std::runtime_error("zip: local header disagrees with the directory: " + e.name);
    }
    const std::uint32_t local_name_len = Get(b, local + 26, 2);
    const std::uint32_t local_extra_len = Get(b, local + 28, 2);
    if (b.substr(local + 30, local_name_len) != e.name) {
      throw std::runtime_error("zip: local name differs: " + e.name);
    }
    const std::size_t data_at = local + 30 + local_name_len + local_extra_len;
    if (data_at + e.compressed_size > cd_offset) throw std::runtime_error("zip: data overruns");
    const std::string raw = b.substr(data_at, e.compressed_size);
    if (e.method == 0) {
      if (e.compressed_size != size) throw std::runtime_error("zip: stored sizes differ");
      e.data = raw;
    } else if (e.method == 8) {
      e.data = Inflate(raw, size);
    } else {
      throw std::runtime_error("zip: unknown method");
    }
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                      reinterpret_cast<const Bytef*>(e.data.data()),
                                                      static_cast<uInt>(e.data.size())));
    if (crc != e.crc32) throw std::runtime_error("zip: CRC mismatch in " + e.name);
    expected_local = data_at + e.compressed_size;
    entries.push_back(std::move(e));
  }
  if (expected_local != cd_offset) throw std::runtime_error("zip: gap before the directory");
  if (pos != eocd) throw std::runtime_error("zip: directory size disagrees");
  return entries;
}

// Empty when `xml` is well-formed as far as this small checker sees (one
// root, tags nest and match, attributes quoted, & only in entity references,
// no raw < in text); otherwise what is wrong.
inline std::string XmlProblem(const std::string& xml) {
  std::vector<std::string> open;
  std::size_t pos = 0;
  bool root_seen = false;
  if (xml.rfind("<?xml ", 0) == 0) pos = xml.find("?>") + 2;
  const std::regex entity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);");
  while (pos < xml.size()) {
    const char c = xml[pos];
    if (c == '<') {
      const std::size_t end = xml.find('>', pos);
      if (end == std::string::npos) return "unclosed tag";
      std::string tag = xml.substr(pos + 1, end - pos - 1);
      pos = end + 1;
      if (tag.empty()) return "empty tag";
      if (tag[0] == '/') {
        if (open.empty() || open.back() != tag.substr(1)) return "mismatched </" + tag.substr(1);
        open.pop_back();
        continue;
      }
      const bool self_closing = tag.back() == '/';
      if (self_closing) tag.pop_back();
      const std::size_t name_end = tag.find_first_of(" \t\n");
      const std::string name = tag.substr(0, name_end);
      if (name.empty() || name.find_first_of("<&\"'=") != std::string::npos) return "bad name";
      // Attributes: name="value" pairs, values without < or raw &.
      static const std::regex attributes(R"(^(\s+[A-Za-z_:][-A-Za-z0-9_:.]*="[^"<]*")*\s*$)");
      const std::string rest = name_end == std::string::npos ? "" : tag.substr(name_end);
      if (!std::regex_match(rest, attributes)) return "bad attributes in <" + name;
      for (std::size_t a = rest.find('&'); a != std::string::npos; a = rest.find('&', a + 1)) {
        if (!std::regex_search(rest.substr(a), entity)) return "raw & in attribute of " + name;
      }
      if (open.empty()) {
        if (root_seen) return "two roots";
        root_seen = true;
      }
      if (!self_closing) open.push_back(name);
    } else {
      if (open.empty() && c != '\n') return "text outside the root";
      if (c == '&' && !std::regex_search(xml.substr(pos, 16), entity)) return "raw & in text";
      if (c == '>') return "raw > in text";
      ++pos;
    }
  }
  if (!open.empty()) return "unclosed <" + open.back();
  return root_seen ? "" : "no root";
}

inline void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// What a spreadsheet shows for XML character data: entities resolved, then
// OOXML's _xHHHH_ escapes decoded.
inline std::string UnescapeCellText(const std::string& xml) {
  std::string text;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] != '&') {
      text.push_back(xml[i]);
      continue;
    }
    const std::size_t semi = xml.find(';', i);
    const std::string name = xml.substr(i + 1, semi - i - 1);
    if (name == "amp")
      text += '&';
    else if (name == "lt")
      text += '<';
    else if (name == "gt")
      text += '>';
    else if (name == "quot")
      text += '"';
    else if (name == "apos")
      text += '\'';
    else if (name.rfind("#x", 0) == 0)
      AppendUtf8(std::stoul(name.substr(2), nullptr, 16), &text);
    else if (name.rfind("#", 0) == 0)
      AppendUtf8(std::stoul(name.substr(1)), &text);
    else
      throw std::runtime_error("unknown entity " + name);
    i = semi;
  }
  std::string shown;
  static const std::regex escape("^_x([0-9A-Fa-f]{4})_");
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::smatch m;
    const std::string rest = text.substr(i, 7);
    if (text[i] == '_' && std::regex_search(rest, m, escape)) {
      AppendUtf8(std::stoul(m[1].str(), nullptr, 16), &shown);
      i += 6;
    } else {
      shown.push_back(text[i]);
    }
  }
  return shown;
}

struct SheetCell {
  std::string type;   // t attribute ("inlineStr", or empty for numbers)
  std::string style;  // s attribute, empty when absent
  std::string value;  // shown text, or the <v> number as written
};

// Value of attribute `name` in a start tag's text, empty when absent.
inline std::string Attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t at = tag.find(key);
  if (at == std::string::npos) return "";
  const std::size_t from = at + key.size();
  return tag.substr(from, tag.find('"', from) - from);
}

// Cells of a worksheet by reference ("A1"). Plain string scanning (std::regex
// recurses per character and overflows the stack on long cells).
inline std::map<std::string, SheetCell> ReadSheetCells(const std::string& sheet_xml) {
  std::map<std::string, SheetCell> cells;
  std::size_t pos = 0;
  while ((pos = sheet_xml.find("<c ", pos)) != std::string::npos) {
    const std::size_t tag_end = sheet_xml.find('>', pos);
    const std::string tag = sheet_xml.substr(pos, tag_end - pos);
    const std::string ref = Attribute(tag, "r");
    SheetCell cell;
    cell.type = Attribute(tag, "t");
    cell.style = Attribute(tag, "s");
    pos = tag_end + 1;
    if (tag.back() != '/') {
      const std::size_t close = sheet_xml.find("</c>", pos);
      const std::string body = sheet_xml.substr(pos, close - pos);
      pos = close + 4;
      const std::size_t t = body.find("<t");
      const std::size_t v = body.find("<v>");
      if (t != std::string::npos) {
        const std::size_t from = body.find('>', t) + 1;
        cell.value = UnescapeCellText(body.substr(from, body.find("</t>", from) - from));
      } else if (v != std::string::npos) {
        cell.value = body.substr(v + 3, body.find("</v>", v) - v - 3);
      }
    }
    if (!cells.emplace(ref, cell).second) throw std::runtime_error("cell twice: " + ref);
  }
  return cells;
}

}  // namespace jiuzhu::export_testing
