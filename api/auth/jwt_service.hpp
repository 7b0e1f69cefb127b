// Issues and verifies the API's bearer tokens (JWT, signed with cpp-jwt).
// HS256 with a shared secret by default; RS256 with a PEM key pair as an
// option. Tokens carry exp, iat, nbf, iss, aud, sub (the username) and jti
// (16 random bytes, hex). cpp-jwt stays inside jwt_service.cpp.
//
// Verify refuses with kUnauthenticated and a short reason that never contains
// the token ("malformed token", "unexpected algorithm", "bad signature",
// "token expired", "token not yet valid", "wrong issuer", "wrong audience",
// "missing claim", ...) when:
// - the token is not three non-empty base64url segments (no padding, at most
//   8 KiB), or its header or payload is not a JSON object;
// - the header's "alg" is not exactly the configured algorithm ("none",
//   "hs256", HS256 under RS256 and RS256 under HS256 are all refused), its
//   "typ" is present and not "JWT", or it has a "crit" member;
// - the signature does not verify (HS256 is compared in constant time);
// - exp, iat, nbf, iss, aud, sub or jti is missing or has the wrong type;
// - iss or aud differ from the configured ones (aud must be a string);
// - by the injected clock, exp + leeway is past, or nbf or iat is later than
//   now + leeway.
// cpp-jwt also checks exp and nbf, against the system clock and with the same
// leeway; with SystemClock both agree, and a ManualClock used with this class
// must stay near the wall time (tests start it at SystemClock().Now()).
//
// Verified tokens are remembered (at most kMaxRemembered; the set is emptied
// when full): verifying the very same token text again only repeats the time
// checks (exp, nbf, iat against the injected clock), not the decoding and the
// signature check, which cost more than the rest of a small API read.
// Refusals are never remembered. (On that path cpp-jwt's system-clock check
// is skipped; with SystemClock the injected clock gives the same answer.)
//
// The options are immutable after construction; the cache of verified tokens
// is guarded by a mutex, so the service is thread-safe. The clock must
// outlive the service.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "engine/common/status.hpp"
#include "engine/common/time.hpp"

namespace jiuzhu::auth {

struct JwtOptions {
  std::string algorithm = "HS256";  // or "RS256"; exact spelling
  std::string hs_secret;            // HS256: at least 32 bytes
  std::string rs_private_pem;       // RS256: signing key (PEM text, RSA >= 2048 bits)
  std::string rs_public_pem;        // RS256: verification key (PEM text, matching)
  std::string issuer = "jiuzhu";
  std::string audience = "jiuzhu-api";
  std::int64_t ttl_seconds = 8 * 3600;  // 1 s .. 30 days
  std::int64_t leeway_seconds = 30;     // 0 .. 300; allowed clock skew
};

struct TokenClaims {
  std::string subject;  // username
  std::string jti;
  Micros issued_at = 0;   // whole seconds, as in the token
  Micros expires_at = 0;  // whole seconds, as in the token
};

class JwtService {
 public:
  // kInvalidArgument (naming the option) for an unknown algorithm, an HS
  // secret shorter than 32 bytes, RS256 keys that are missing, unreadable,
  // not RSA, shorter than 2048 bits or not a pair, an empty issuer or
  // audience, or a ttl or leeway out of range.
  static Result<std::unique_ptr<JwtService>> Create(JwtOptions options, const Clock& clock);
  ~JwtService();

  // A signed token for `subject`, valid from now for ttl_seconds.
  // kInvalidArgument for an empty subject; kInternal if randomness or
  // signing fails.
  Result<std::string> Issue(const std::string& subject) const;
  // The token's claims, or kUnauthenticated as described above.
  Result<TokenClaims> Verify(const std::string& token) const;
  std::int64_t ttl_seconds() const { return options_.ttl_seconds; }

  static constexpr std::size_t kMaxRemembered = 4096;

 private:
  struct Verified {
    TokenClaims claims;
    Micros not_before = 0;  // nbf
  };

  JwtService(JwtOptions options, const Clock& clock)
      : options_(std::move(options)), clock_(clock) {}
  const std::string& SigningKey() const;
  const std::string& VerificationKey() const;
  // "token expired" / "token not yet valid" by the injected clock, else OK.
  Status CheckTimes(const Verified& v) const;

  JwtOptions options_;
  const Clock& clock_;
  mutable std::mutex remembered_mu_;
  mutable std::unordered_map<std::string, Verified> remembered_;  // by token text
};

}  // namespace jiuzhu::auth
