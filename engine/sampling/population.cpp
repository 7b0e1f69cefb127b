#include "engine/sampling/population.hpp"

#include <algorithm>

#include "engine/common/crypto.hpp"

namespace jiuzhu {

namespace {

void AppendItem(std::string& out, const std::string& bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

constexpr char kPopulationTag[] = "jiuzhu-population-v1";

}  // namespace

bool IsValidUtf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned int cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte first, C0/C1 overlong lead, or F5..FF
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;                            // surrogate
    if (cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

std::string CanonicalPopulationEncoding(const std::vector<PopulationEntry>& entries) {
  std::string out = kPopulationTag;
  out.reserve(64 + entries.size() * 96);
  AppendItem(out, std::to_string(entries.size()));
  for (const PopulationEntry& e : entries) {
    AppendItem(out, std::to_string(e.case_id));
    AppendItem(out, e.programme);
    AppendItem(out, e.district_id);
    AppendItem(out, e.street_id);
    AppendItem(out, e.org_path);
    AppendItem(out, e.approver);
    AppendItem(out, std::to_string(e.approved_at));
    AppendItem(out, e.flagged ? "1" : "0");
  }
  return out;
}

std::string FrozenPopulation::EmptyHash() { return Sha256Hex(CanonicalPopulationEncoding({})); }

Result<FrozenPopulation> FrozenPopulation::Freeze(std::vector<PopulationEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const PopulationEntry& a, const PopulationEntry& b) {
    return a.case_id < b.case_id;
  });
  for (size_t i = 0; i < entries.size(); ++i) {
    const PopulationEntry& e = entries[i];
    const std::string where = "population: case " + std::to_string(e.case_id) + ": ";
    if (e.case_id <= 0) return InvalidArgument(where + "case_id must be > 0", "population");
    if (i > 0 && entries[i - 1].case_id == e.case_id) {
      return InvalidArgument(where + "listed twice", "population");
    }
    const std::pair<const char*, const std::string*> strings[] = {{"programme", &e.programme},
                                                                  {"district_id", &e.district_id},
                                                                  {"street_id", &e.street_id},
                                                                  {"org_path", &e.org_path},
                                                                  {"approver", &e.approver}};
    for (const auto& [name, value] : strings) {
      if (value->empty()) return InvalidArgument(where + name + " is empty", "population");
      if (!IsValidUtf8(*value)) {
        return InvalidArgument(where + name + " is not valid UTF-8", "population");
      }
    }
    if (e.approved_at < 0) return InvalidArgument(where + "approved_at < 0", "population");
  }
  FrozenPopulation p;
  p.hash_ = Sha256Hex(CanonicalPopulationEncoding(entries));
  p.entries_ = std::move(entries);
  return p;
}

}  // namespace jiuzhu
