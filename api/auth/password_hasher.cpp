#include "api/auth/password_hasher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <string_view>
#include <vector>

#include "engine/common/crypto.hpp"

namespace jiuzhu::auth {
namespace {

constexpr std::string_view kPrefix = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kMinSaltBytes = 16;
constexpr std::size_t kMaxSaltBytes = 64;
constexpr std::size_t kHashBytes = 32;

Result<std::string> Pbkdf2(const std::string& password, const std::string& salt, int iterations) {
  std::string out(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return Internal("PBKDF2 failed");
  }
  return out;
}

// Strict decimal: digits only (no sign, spaces or leading zero), within bounds.
bool ParseIterations(std::string_view text, int* out) {
  if (text.empty() || text.size() > 8 || text[0] == '0') return false;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < kMinPbkdf2Iterations || value > kMaxPbkdf2Iterations) return false;
  *out = static_cast<int>(value);
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

bool AcceptablePassword(const std::string& password) {
  return !password.empty() && password.size() <= kMaxPasswordBytes &&
         password.find('\0') == std::string::npos;
}

}  // namespace

Result<std::string> HashPassword(const std::string& password, int iterations) {
  if (password.empty()) return InvalidArgument("password must not be empty", "password");
  if (!AcceptablePassword(password)) {
    return InvalidArgument("password is too long or contains a NUL byte", "password");
  }
  if (iterations < kMinPbkdf2Iterations || iterations > kMaxPbkdf2Iterations) {
    return InvalidArgument("PBKDF2 iteration count out of range", "iterations");
  }
  JZ_ASSIGN_OR_RETURN(std::string salt, RandomBytes(kSaltBytes));
  JZ_ASSIGN_OR_RETURN(std::string hash, Pbkdf2(password, salt, iterations));
  std::string encoded(kPrefix);
  encoded += '$';
  encoded += std::to_string(iterations);
  encoded += '$';
  encoded += HexEncode(salt);
  encoded += '$';
  encoded += HexEncode(hash);
  return encoded;
}

bool VerifyPassword(const std::string& password, const std::string& stored) {
  if (!AcceptablePassword(password)) return false;
  const std::vector<std::string_view> parts = Split(stored, '$');
  if (parts.size() != 4 || parts[0] != kPrefix) return false;
  int iterations = 0;
  if (!ParseIterations(parts[1], &iterations)) return false;
  Result<std::string> salt = HexDecode(std::string(parts[2]));
  Result<std::string> expected = HexDecode(std::string(parts[3]));
  if (!salt.ok() || !expected.ok()) return false;
  if (salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) return false;
  if (expected->size() != kHashBytes) return false;
  Result<std::string> actual = Pbkdf2(password, *salt, iterations);
  if (!actual.ok()) return false;
  return CRYPTO_memcmp(actual->data(), expected->data(), kHashBytes) == 0;
}

}  // namespace jiuzhu::auth
