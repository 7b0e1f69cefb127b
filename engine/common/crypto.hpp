// Small wrappers over OpenSSL's libcrypto used across the engine: SHA-256,
// HMAC-SHA256, AES-256-GCM and secure random bytes. Stateless, thread-safe.
#pragma once

#include <string>

#include "engine/common/status.hpp"

namespace jiuzhu {

std::string Sha256Hex(const std::string& data);
std::string Sha256Raw(const std::string& data);  // 32 bytes
std::string HmacSha256Hex(const std::string& key, const std::string& data);
std::string HexEncode(const std::string& bytes);
Result<std::string> HexDecode(const std::string& hex);
// `n` bytes from the OS random source; kInternal if it fails.
Result<std::string> RandomBytes(size_t n);
// AES-256-GCM with a 32-byte key; output is hex(nonce || ciphertext || tag).
Result<std::string> AesGcmEncryptHex(const std::string& key32, const std::string& plaintext);
// kInvalidArgument if the text is not ours or was altered.
Result<std::string> AesGcmDecryptHex(const std::string& key32, const std::string& hex);
// Constant-time equality.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace jiuzhu
