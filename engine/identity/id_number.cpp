#include "engine/identity/id_number.hpp"

#include <cassert>
#include <cstddef>

#include "engine/common/crypto.hpp"
#include "engine/common/time.hpp"

namespace jiuzhu {
namespace {

constexpr std::size_t kIdLength = 18;
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";
constexpr int kMinBirthYear = 1900;
constexpr int kMaxBirthYear = 2100;
constexpr std::size_t kMinSecretBytes = 16;

// Distinct labels make the two keys independent; the version lets a future
// scheme coexist with stored v1 hashes.
constexpr char kDedupKeyLabel[] = "jiuzhu id dedup v1";
constexpr char kCipherKeyLabel[] = "jiuzhu id encrypt v1";

constexpr char kField[] = "id_number";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int Digits(const std::string& s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

std::string RawHmac(const std::string& key, const std::string& label) {
  Result<std::string> raw = HexDecode(HmacSha256Hex(key, label));
  assert(raw.ok() && raw->size() == 32);
  return std::move(raw).value();
}

}  // namespace

std::string NormalizeIdNumber(const std::string& raw) {
  std::size_t begin = 0, end = raw.size();
  while (begin < end && IsSpace(raw[begin])) ++begin;
  while (end > begin && IsSpace(raw[end - 1])) --end;
  std::string id = raw.substr(begin, end - begin);
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  return id;
}

char IdCheckCharacter(const std::string& first17) {
  assert(first17.size() == 17);
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    assert(IsDigit(first17[i]));
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheckChars[sum % 11];
}

Status ValidateIdNumber(const std::string& raw) {
  const std::string id = NormalizeIdNumber(raw);
  if (id.size() != kIdLength) {
    return InvalidArgument("身份证号应为18位 (ID number must be 18 characters)", kField);
  }
  for (std::size_t i = 0; i < 17; ++i) {
    if (!IsDigit(id[i])) {
      return InvalidArgument("身份证号前17位应为数字 (the first 17 characters must be digits)",
                             kField);
    }
  }
  if (!IsDigit(id[17]) && id[17] != 'X') {
    return InvalidArgument("身份证号末位应为数字或X (the last character must be a digit or X)",
                           kField);
  }
  if (id.compare(0, 6, "000000") == 0) {
    return InvalidArgument("身份证号地区码无效 (region code 000000 is not valid)", kField);
  }
  const int year = Digits(id, 6, 4), month = Digits(id, 10, 2), day = Digits(id, 12, 2);
  if (year < kMinBirthYear || year > kMaxBirthYear || !IsValidCivilDate(year, month, day)) {
    return InvalidArgument("身份证号出生日期无效 (birth date " + id.substr(6, 8) +
                               " is not a real date between 1900 and 2100)",
                           kField);
  }
  const char expected = IdCheckCharacter(id.substr(0, 17));
  if (id[17] != expected) {
    return InvalidArgument(
        std::string("身份证号校验码错误 (check character should be '") + expected + "')", kField);
  }
  return Status::Ok();
}

std::string MaskIdNumber(const std::string& raw) {
  const std::string id = NormalizeIdNumber(raw);
  if (id.size() != kIdLength) return std::string(kIdLength, '*');
  return id.substr(0, 6) + std::string(8, '*') + id.substr(14);
}

Result<IdProtector> IdProtector::FromSecret(const std::string& secret) {
  if (secret.size() < kMinSecretBytes) {
    return InvalidArgument("the ID secret must be at least " + std::to_string(kMinSecretBytes) +
                           " bytes");
  }
  return IdProtector(RawHmac(secret, kDedupKeyLabel), RawHmac(secret, kCipherKeyLabel));
}

std::string IdProtector::DedupHash(const std::string& normalized_id) const {
  return HmacSha256Hex(hmac_key_, NormalizeIdNumber(normalized_id));
}

Result<std::string> IdProtector::Encrypt(const std::string& normalized_id) const {
  return AesGcmEncryptHex(aes_key_, NormalizeIdNumber(normalized_id));
}

Result<std::string> IdProtector::Decrypt(const std::string& cipher_hex) const {
  return AesGcmDecryptHex(aes_key_, cipher_hex);
}

}  // namespace jiuzhu
