// A minimal ZIP archive writer (PKWARE APPNOTE 6.3, no ZIP64, no encryption),
// enough for Office Open XML packages. Entries are deflated with zlib, or
// stored when deflate would not make them smaller; CRC-32 by zlib. Names are
// flagged UTF-8 (general purpose bit 11). Every entry carries the same fixed
// time stamp (1980-01-01 00:00), so equal input gives byte-identical output.
//
// Usage: ZipWriter zip; zip.Add("a.xml", text); std::string bytes = zip.Finish();
//
// Errors end the operation (this is a building block of one response):
// std::length_error when an entry name is empty or longer than 65,535 bytes,
// when an entry or the archive would pass 4 GiB - 1 or the archive would hold
// more than 65,535 entries (ZIP64 would be needed); std::bad_alloc when zlib
// runs out of memory. Adding a name twice is a caller bug (asserts; the second
// entry is written too, and readers then see either).
//
// Not thread-safe; one writer per archive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jiuzhu {

class ZipWriter {
 public:
  enum class Method : std::uint16_t { kStored = 0, kDeflated = 8 };

  // Appends an entry. With kDeflated, falls back to kStored when compression
  // does not shrink the data.
  void Add(std::string_view name, std::string_view data, Method method = Method::kDeflated);
  // Writes the central directory and returns the whole archive. The writer is
  // empty afterwards and may be reused.
  std::string Finish();

 private:
  struct Entry {
    std::string name;
    Method method;
    std::uint32_t crc32;
    std::uint32_t compressed_size;
    std::uint32_t size;
    std::uint32_t local_header_offset;
  };
  std::string out_;
  std::vector<Entry> entries_;
};

}  // namespace jiuzhu
