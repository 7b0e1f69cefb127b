#include "engine/sampling/seed.hpp"

#include <cctype>

#include "engine/common/crypto.hpp"

namespace jiuzhu {

Result<std::string> GenerateSeed() {
  JZ_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(kSeedBytes));
  return HexEncode(bytes);
}

Result<std::string> ParseSeed(const std::string& text) {
  if (text.size() != 2 * kSeedBytes) {
    return InvalidArgument(
        "seed must be 64 hex digits (32 bytes), got " + std::to_string(text.size()) + " characters",
        "seed");
  }
  std::string out = text;
  for (char& c : out) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return InvalidArgument("seed must hold only hex digits 0-9 a-f", "seed");
    }
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace jiuzhu
