// Applicant identity: the 18-character resident ID number (公民身份号码,
// GB 11643-1999). Validation, masking and the protector that turns a number
// into the keyed dedup hash and the encrypted copy the store keeps.
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <utility>

#include "engine/common/status.hpp"

namespace jiuzhu {

// Trims surrounding ASCII whitespace and upper-cases a trailing 'x'; no other
// change. Idempotent.
std::string NormalizeIdNumber(const std::string& raw);

// OK when `id` (after NormalizeIdNumber) is 18 characters: a non-zero 6-digit
// region code, a real birth date YYYYMMDD at positions 7-14 with the year in
// 1900..2100, three more digits and a check character (0-9 or X) matching the
// ISO 7064 MOD 11-2 checksum. Otherwise kInvalidArgument with field
// "id_number" and a message (Chinese, then English) naming the first rule
// that failed, checked in this order: length, characters, region, date,
// check character.
Status ValidateIdNumber(const std::string& id);

// The check character for the first 17 digits ('0'-'9' or 'X'): weights
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes "10X98765432".
// Precondition (asserted): `first17` is 17 ASCII digits.
char IdCheckCharacter(const std::string& first17);

// "640202********1234": of the normalised number, first 6 and last 4 kept.
// Anything that is not 18 characters after normalisation becomes 18 '*', so
// neither content nor length leaks.
std::string MaskIdNumber(const std::string& id);

// Derives the keys for ID numbers from one secret: an HMAC key for the dedup
// hash and an AES-256-GCM key for the stored copy, each HMAC-SHA256(secret,
// label) with its own label, so neither key reveals the other or the secret.
// Immutable; thread-safe.
class IdProtector {
 public:
  // `secret` must be at least 16 bytes (kInvalidArgument otherwise).
  static Result<IdProtector> FromSecret(const std::string& secret);

  // Hex HMAC-SHA256 of the number (normalised again here, so " ...x" and
  // "...X" hash alike): equal numbers, equal hashes; different secrets,
  // unrelated hashes.
  std::string DedupHash(const std::string& normalized_id) const;
  // AES-256-GCM of the number (normalised again here) as
  // hex(nonce || ciphertext || tag), a fresh random nonce per call; kInternal
  // only if the system random source or OpenSSL fails.
  Result<std::string> Encrypt(const std::string& normalized_id) const;
  // The number back; kInvalidArgument if `cipher_hex` is not hex, was altered
  // or was made under another secret.
  Result<std::string> Decrypt(const std::string& cipher_hex) const;

 private:
  IdProtector(std::string hmac_key, std::string aes_key)
      : hmac_key_(std::move(hmac_key)), aes_key_(std::move(aes_key)) {}
  std::string hmac_key_;  // 32 raw bytes
  std::string aes_key_;   // 32 raw bytes
};

}  // namespace jiuzhu
