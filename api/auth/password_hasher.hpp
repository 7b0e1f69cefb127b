// Password storage: PBKDF2-HMAC-SHA256 (OpenSSL) with a random 16-byte salt
// and a high iteration count, encoded as
//   "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
// with a 32-byte hash. The iteration count travels with the hash, so raising
// kDefaultPbkdf2Iterations later leaves old hashes verifiable.
// Verification is constant-time in the hash comparison. Stateless; thread-safe.
//
// Callers that look users up by name should still run VerifyPassword against
// a dummy hash when the user does not exist, so the timing does not tell
// which usernames are taken.
#pragma once

#include <cstddef>
#include <string>

#include "engine/common/status.hpp"

namespace jiuzhu::auth {

constexpr int kDefaultPbkdf2Iterations = 310000;  // OWASP 2023 guidance for SHA-256
constexpr int kMinPbkdf2Iterations = 1000;
// Upper bound for both hashing and stored hashes: a stored string with a huge
// count would otherwise make each login attempt burn CPU for minutes.
constexpr int kMaxPbkdf2Iterations = 10'000'000;
// Longer passwords are refused (hashing) or never match (verification).
constexpr std::size_t kMaxPasswordBytes = 4096;
// Passwords may not contain NUL bytes: PBKDF2 uses the password as an HMAC
// key, which is zero-padded, so "pw" and "pw\0" would give the same hash.

// The encoded hash on success.
// kInvalidArgument (field "password") for an empty password, one longer
// than kMaxPasswordBytes or one containing a NUL byte;
// kInvalidArgument (field "iterations") for iterations outside
// [kMinPbkdf2Iterations, kMaxPbkdf2Iterations];
// kInternal if the random source or OpenSSL fails.
Result<std::string> HashPassword(const std::string& password,
                                 int iterations = kDefaultPbkdf2Iterations);

// True only when `stored` is a well-formed hash in the format above (known
// prefix, decimal iterations within the bounds, 16..64-byte salt, 32-byte
// hash, hex digits) and `password` hashes to it. False for a wrong password,
// a password HashPassword would refuse, or a malformed/empty stored hash.
bool VerifyPassword(const std::string& password, const std::string& stored);

}  // namespace jiuzhu::auth
