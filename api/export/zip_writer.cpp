#include "api/export/zip_writer.hpp"

#include <zlib.h>

#include <cassert>
#include <limits>
#include <new>
#include <stdexcept>

namespace jiuzhu {
namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirectorySignature = 0x06054b50;
constexpr std::uint16_t kVersion = 20;  // 2.0: deflate
constexpr std::uint16_t kFlagUtf8Names = 1u << 11;
constexpr std::uint16_t kDosTime = 0;                        // 00:00:00
constexpr std::uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
constexpr std::uint64_t kMax32 = std::numeric_limits<std::uint32_t>::max();

void Put16(std::uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v & 0xFF));
  out->push_back(static_cast<char>(v >> 8));
}

void Put32(std::uint32_t v, std::string* out) {
  Put16(static_cast<std::uint16_t>(v & 0xFFFF), out);
  Put16(static_cast<std::uint16_t>(v >> 16), out);
}

// Raw deflate (no zlib header), as ZIP's method 8 wants.
std::string Deflate(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const uLong written = zs.total_out;
  deflateEnd(&zs);
  // deflateBound guarantees room for one Z_FINISH call.
  if (rc != Z_STREAM_END) throw std::bad_alloc();
  out.resize(written);
  return out;
}

}  // namespace

void ZipWriter::Add(std::string_view name, std::string_view data, Method method) {
  if (name.empty() || name.size() > 0xFFFF) {
    throw std::length_error("zip: entry name empty or longer than 65535 bytes");
  }
  if (entries_.size() >= 0xFFFF) throw std::length_error("zip: more than 65535 entries");
  if (data.size() > kMax32 || data.size() > std::numeric_limits<uInt>::max()) {
    throw std::length_error("zip: entry larger than 4 GiB");
  }
#ifndef NDEBUG
  for (const Entry& e : entries_) assert(e.name != name && "zip: duplicate entry name");
#endif

  Entry entry;
  entry.name = std::string(name);
  entry.size = static_cast<std::uint32_t>(data.size());
  entry.crc32 = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                                 reinterpret_cast<const Bytef*>(data.data()),
                                                 static_cast<uInt>(data.size())));
  std::string deflated;
  if (method == Method::kDeflated) {
    deflated = Deflate(data);
    if (deflated.size() >= data.size()) method = Method::kStored;
  }
  entry.method = method;
  const std::string_view payload = method == Method::kDeflated ? std::string_view(deflated) : data;
  entry.compressed_size = static_cast<std::uint32_t>(payload.size());

  const std::uint64_t end = out_.size() + 30 + name.size() + payload.size();
  if (end > kMax32) throw std::length_error("zip: archive larger than 4 GiB");
  entry.local_header_offset = static_cast<std::uint32_t>(out_.size());

  Put32(kLocalHeaderSignature, &out_);
  Put16(kVersion, &out_);
  Put16(kFlagUtf8Names, &out_);
  Put16(static_cast<std::uint16_t>(entry.method), &out_);
  Put16(kDosTime, &out_);
  Put16(kDosDate, &out_);
  Put32(entry.crc32, &out_);
  Put32(entry.compressed_size, &out_);
  Put32(entry.size, &out_);
  Put16(static_cast<std::uint16_t>(name.size()), &out_);
  Put16(0, &out_);  // extra field length
  out_.append(name);
  out_.append(payload);
  entries_.push_back(std::move(entry));
}

std::string ZipWriter::Finish() {
  const std::uint64_t directory_offset = out_.size();
  for (const Entry& e : entries_) {
    Put32(kCentralHeaderSignature, &out_);
    Put16(kVersion, &out_);  // made by: MS-DOS attributes, version 2.0
    Put16(kVersion, &out_);  // needed to extract
    Put16(kFlagUtf8Names, &out_);
    Put16(static_cast<std::uint16_t>(e.method), &out_);
    Put16(kDosTime, &out_);
    Put16(kDosDate, &out_);
    Put32(e.crc32, &out_);
    Put32(e.compressed_size, &out_);
    Put32(e.size, &out_);
    Put16(static_cast<std::uint16_t>(e.name.size()), &out_);
    Put16(0, &out_);  // extra field length
    Put16(0, &out_);  // comment length
    Put16(0, &out_);  // disk number start
    Put16(0, &out_);  // internal attributes
    Put32(0, &out_);  // external attributes
    Put32(e.local_header_offset, &out_);
    out_.append(e.name);
  }
  const std::uint64_t directory_size = out_.size() - directory_offset;
  if (out_.size() + 22 > kMax32) throw std::length_error("zip: archive larger than 4 GiB");
  Put32(kEndOfCentralDirectorySignature, &out_);
  Put16(0, &out_);  // this disk
  Put16(0, &out_);  // disk with the central directory
  Put16(static_cast<std::uint16_t>(entries_.size()), &out_);
  Put16(static_cast<std::uint16_t>(entries_.size()), &out_);
  Put32(static_cast<std::uint32_t>(directory_size), &out_);
  Put32(static_cast<std::uint32_t>(directory_offset), &out_);
  Put16(0, &out_);  // comment length

  std::string archive;
  archive.swap(out_);
  entries_.clear();
  return archive;
}

}  // namespace jiuzhu
