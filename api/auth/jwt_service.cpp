// The only translation unit that includes cpp-jwt (about 9 s to compile).
//
// cpp-jwt 1.4 is used for signing and for its own verification, but not
// trusted alone: before jwt::decode sees a token we check its syntax (its
// base64 decoder indexes a table with plain `char`, so a byte >= 0x80 reads
// out of bounds), the exact "alg" (it compares algorithm names ignoring case
// and accepts "none" when listed), and, for HS256, the MAC in constant time
// (its own comparison is not). After decode we check the claims against the
// injected clock (it reads the system clock and does not require exp).
#include "api/auth/jwt_service.hpp"

#include <string_view>  // before cpp-jwt: it picks std::string_view when this is defined

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <jwt/jwt.hpp>

#include <cstdint>
#include <memory>
#include <exception>
#include <optional>
#include <system_error>

#include "engine/common/crypto.hpp"

namespace jiuzhu::auth {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMinHsSecretBytes = 32;
constexpr std::size_t kMaxTokenBytes = 8192;
constexpr int kMinRsaBits = 2048;
constexpr std::int64_t kMaxTtlSeconds = 30 * 24 * 3600;
constexpr std::int64_t kMaxLeewaySeconds = 300;
// 9999-12-31T23:59:59Z: later claim times are malformed, and seconds -> µs
// cannot overflow below it.
constexpr std::int64_t kMaxEpochSeconds = 253'402'300'799;
constexpr std::size_t kJtiBytes = 16;

Status Unauthenticated(std::string reason) {
  return Status(ErrorCode::kUnauthenticated, std::move(reason));
}

// --- base64url (RFC 4648 §5, no padding), strict ---------------------------

constexpr char kB64Chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int B64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string Base64UrlEncode(const unsigned char* data, std::size_t n) {
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kB64Chars[(v >> 18) & 63];
    out += kB64Chars[(v >> 12) & 63];
    out += kB64Chars[(v >> 6) & 63];
    out += kB64Chars[v & 63];
  }
  if (n - i == 1) {
    const unsigned v = data[i] << 16;
    out += kB64Chars[(v >> 18) & 63];
    out += kB64Chars[(v >> 12) & 63];
  } else if (n - i == 2) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += kB64Chars[(v >> 18) & 63];
    out += kB64Chars[(v >> 12) & 63];
    out += kB64Chars[(v >> 6) & 63];
  }
  return out;
}

// Only the canonical encoding is accepted (unused trailing bits zero), so
// one token has exactly one spelling.
std::optional<std::string> Base64UrlDecode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = B64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// --- token structure --------------------------------------------------------

struct Segments {
  std::string_view header, payload, signature;
};

// Three non-empty canonical base64url segments separated by two dots.
std::optional<Segments> SplitToken(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenBytes) return std::nullopt;
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  Segments s{token.substr(0, first), token.substr(first + 1, second - first - 1),
             token.substr(second + 1)};
  for (std::string_view part : {s.header, s.payload, s.signature}) {
    if (part.empty() || !Base64UrlDecode(part)) return std::nullopt;  // also rejects a 3rd '.'
  }
  return s;
}

bool HmacSha256Matches(const std::string& key, std::string_view signing_input,
                       std::string_view signature_b64) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
           &len) == nullptr) {
    return false;
  }
  // The MAC's length is public; only its content must not leak through timing.
  return ConstantTimeEquals(Base64UrlEncode(mac, len), std::string(signature_b64));
}

// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) checked with OpenSSL directly, so a
// bad signature is named as such whatever cpp-jwt's error mapping does in
// this build type (it differs between Debug and release builds).
bool Rs256Matches(const std::string& public_pem, std::string_view signing_input,
                  std::string_view signature_b64) {
  const std::optional<std::string> sig = Base64UrlDecode(signature_b64);
  if (!sig) return false;
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  if (bio == nullptr) return false;
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr &&
            EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(signing_input.data()),
                             signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  ERR_clear_error();
  return ok;
}

std::string ReasonFor(const std::error_code& ec) {
  if (ec == jwt::VerificationErrc::TokenExpired) return "token expired";
  if (ec == jwt::VerificationErrc::ImmatureSignature) return "token not yet valid";
  if (ec == jwt::VerificationErrc::InvalidIssuer) return "wrong issuer";
  if (ec == jwt::VerificationErrc::InvalidAudience) return "wrong audience";
  if (ec == jwt::VerificationErrc::InvalidSignature || ec == jwt::AlgorithmErrc::VerificationErr) {
    return "bad signature";
  }
  if (ec == jwt::VerificationErrc::InvalidAlgorithm ||
      ec == jwt::AlgorithmErrc::NoneAlgorithmUsed) {
    return "unexpected algorithm";
  }
  return "malformed token";
}

// --- claims -----------------------------------------------------------------

enum class ClaimState { kOk, kMissing, kMalformed };

// A NumericDate claim as whole seconds in [0, kMaxEpochSeconds].
ClaimState SecondsClaim(const Json& payload, const char* name, std::int64_t* out) {
  const auto it = payload.find(name);
  if (it == payload.end()) return ClaimState::kMissing;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(kMaxEpochSeconds)) return ClaimState::kMalformed;
    *out = static_cast<std::int64_t>(v);
    return ClaimState::kOk;
  }
  if (it->is_number_integer()) {
    const auto v = it->get<std::int64_t>();
    if (v < 0 || v > kMaxEpochSeconds) return ClaimState::kMalformed;
    *out = v;
    return ClaimState::kOk;
  }
  return ClaimState::kMalformed;
}

ClaimState StringClaim(const Json& payload, const char* name, std::string* out) {
  const auto it = payload.find(name);
  if (it == payload.end()) return ClaimState::kMissing;
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) return ClaimState::kMalformed;
  *out = it->get<std::string>();
  return ClaimState::kOk;
}

Status ClaimError(ClaimState state, const char* name) {
  return Unauthenticated(
      std::string(state == ClaimState::kMissing ? "missing claim: " : "malformed claim: ") + name);
}

// --- RSA keys ---------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Refuses encrypted keys instead of letting OpenSSL prompt on a terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

PkeyPtr ReadPem(const std::string& pem, bool is_private) {
  if (pem.empty()) return nullptr;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  PkeyPtr key(is_private ? PEM_read_bio_PrivateKey(bio, nullptr, NoPassphrase, nullptr)
                         : PEM_read_bio_PUBKEY(bio, nullptr, NoPassphrase, nullptr));
  BIO_free(bio);
  return key;
}

Status CheckRsaKeyPair(const std::string& private_pem, const std::string& public_pem) {
  PkeyPtr priv = ReadPem(private_pem, /*is_private=*/true);
  PkeyPtr pub = ReadPem(public_pem, /*is_private=*/false);
  ERR_clear_error();
  if (!priv) return InvalidArgument("RS256 needs an unencrypted PEM private key", "rs_private_pem");
  if (!pub) return InvalidArgument("RS256 needs a PEM public key", "rs_public_pem");
  if (EVP_PKEY_get_base_id(priv.get()) != EVP_PKEY_RSA) {
    return InvalidArgument("RS256 private key is not an RSA key", "rs_private_pem");
  }
  if (EVP_PKEY_get_base_id(pub.get()) != EVP_PKEY_RSA) {
    return InvalidArgument("RS256 public key is not an RSA key", "rs_public_pem");
  }
  if (EVP_PKEY_get_bits(priv.get()) < kMinRsaBits) {
    return InvalidArgument("RS256 key must have at least 2048 bits", "rs_private_pem");
  }
  if (EVP_PKEY_eq(priv.get(), pub.get()) != 1) {
    ERR_clear_error();
    return InvalidArgument("RS256 public key does not match the private key", "rs_public_pem");
  }
  return Status::Ok();
}

bool IsValidJsonString(const std::string& s) {
  try {
    (void)Json(s).dump();  // throws on invalid UTF-8
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

Result<std::unique_ptr<JwtService>> JwtService::Create(JwtOptions options, const Clock& clock) {
  if (options.algorithm == "HS256") {
    if (options.hs_secret.size() < kMinHsSecretBytes) {
      return InvalidArgument("HS256 secret must be at least 32 bytes", "hs_secret");
    }
  } else if (options.algorithm == "RS256") {
    JZ_RETURN_IF_ERROR(CheckRsaKeyPair(options.rs_private_pem, options.rs_public_pem));
  } else {
    return InvalidArgument("JWT algorithm must be HS256 or RS256", "algorithm");
  }
  if (options.issuer.empty() || !IsValidJsonString(options.issuer)) {
    return InvalidArgument("issuer must be non-empty UTF-8", "issuer");
  }
  if (options.audience.empty() || !IsValidJsonString(options.audience)) {
    return InvalidArgument("audience must be non-empty UTF-8", "audience");
  }
  if (options.ttl_seconds < 1 || options.ttl_seconds > kMaxTtlSeconds) {
    return InvalidArgument("token lifetime must be 1 s to 30 days", "ttl_seconds");
  }
  if (options.leeway_seconds < 0 || options.leeway_seconds > kMaxLeewaySeconds) {
    return InvalidArgument("leeway must be 0 to 300 s", "leeway_seconds");
  }
  return std::unique_ptr<JwtService>(new JwtService(std::move(options), clock));
}

JwtService::~JwtService() = default;

const std::string& JwtService::SigningKey() const {
  return options_.algorithm == "RS256" ? options_.rs_private_pem : options_.hs_secret;
}

const std::string& JwtService::VerificationKey() const {
  return options_.algorithm == "RS256" ? options_.rs_public_pem : options_.hs_secret;
}

Result<std::string> JwtService::Issue(const std::string& subject) const {
  if (subject.empty()) return InvalidArgument("subject must not be empty", "subject");
  if (!IsValidJsonString(subject)) return InvalidArgument("subject must be UTF-8", "subject");
  JZ_ASSIGN_OR_RETURN(std::string jti, RandomBytes(kJtiBytes));
  const Micros now = clock_.Now();
  const std::int64_t now_s = now / kMicrosPerSecond - (now % kMicrosPerSecond < 0 ? 1 : 0);
  try {
    jwt::jwt_object obj{jwt::params::algorithm(options_.algorithm),
                        jwt::params::secret(SigningKey())};
    obj.add_claim("iss", options_.issuer)
        .add_claim("aud", options_.audience)
        .add_claim("sub", subject)
        .add_claim("jti", HexEncode(jti))
        .add_claim("iat", now_s)
        .add_claim("nbf", now_s)
        .add_claim("exp", now_s + options_.ttl_seconds);
    std::error_code ec;
    std::string token = obj.signature(ec);
    ERR_clear_error();
    if (ec || token.empty()) return Internal("token signing failed");
    return token;
  } catch (const std::exception&) {
    ERR_clear_error();
    return Internal("token signing failed");
  }
}

Status JwtService::CheckTimes(const Verified& v) const {
  const Micros now = clock_.Now();
  const Micros leeway = options_.leeway_seconds * kMicrosPerSecond;
  if (now > v.claims.expires_at + leeway) return Unauthenticated("token expired");
  if (v.not_before > now + leeway || v.claims.issued_at > now + leeway) {
    return Unauthenticated("token not yet valid");
  }
  return Status::Ok();
}

Result<TokenClaims> JwtService::Verify(const std::string& token) const {
  {
    std::lock_guard<std::mutex> lock(remembered_mu_);
    const auto it = remembered_.find(token);
    if (it != remembered_.end()) {
      JZ_RETURN_IF_ERROR(CheckTimes(it->second));
      return it->second.claims;
    }
  }
  const std::optional<Segments> parts = SplitToken(token);
  if (!parts) return Unauthenticated("malformed token");

  // Our own look at the header, before cpp-jwt sees it.
  const Json header = Json::parse(*Base64UrlDecode(parts->header), nullptr,
                                  /*allow_exceptions=*/false);
  if (!header.is_object()) return Unauthenticated("malformed token");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() ||
      alg->get_ref<const std::string&>() != options_.algorithm) {
    return Unauthenticated("unexpected algorithm");
  }
  const auto typ = header.find("typ");
  if (typ != header.end() && !(typ->is_string() && typ->get_ref<const std::string&>() == "JWT")) {
    return Unauthenticated("malformed token");
  }
  if (header.contains("crit")) return Unauthenticated("unsupported token header");
  // And at the payload: cpp-jwt lets a JSON array or null through as "no claims".
  const Json payload = Json::parse(*Base64UrlDecode(parts->payload), nullptr,
                                   /*allow_exceptions=*/false);
  if (!payload.is_object()) return Unauthenticated("malformed token");

  const std::string_view signing_input(token.data(),
                                       parts->header.size() + 1 + parts->payload.size());
  if (options_.algorithm == "HS256" &&
      !HmacSha256Matches(options_.hs_secret, signing_input, parts->signature)) {
    return Unauthenticated("bad signature");
  }
  if (options_.algorithm == "RS256" &&
      !Rs256Matches(options_.rs_public_pem, signing_input, parts->signature)) {
    return Unauthenticated("bad signature");
  }

  // cpp-jwt: signature (again, or for RS256 the only time), algorithm list,
  // iss, aud, and exp/nbf against the system clock. The claims it decoded are
  // the ones parsed above (same text, same parser).
  {
    std::error_code ec;
    try {
      (void)jwt::decode(token, jwt::params::algorithms({options_.algorithm}), ec,
                        jwt::params::secret(VerificationKey()), jwt::params::verify(true),
                        jwt::params::leeway(static_cast<std::uint32_t>(options_.leeway_seconds)),
                        jwt::params::issuer(options_.issuer), jwt::params::aud(options_.audience));
    } catch (const std::exception&) {
      // Some malformed input throws (nlohmann) even from the error_code overload.
      ERR_clear_error();
      return Unauthenticated("malformed token");
    }
    ERR_clear_error();
    if (ec) return Unauthenticated(ReasonFor(ec));
  }

  // Our own claim checks, with the injected clock.
  TokenClaims claims;
  std::string issuer, audience;
  std::int64_t exp = 0, nbf = 0, iat = 0;
  ClaimState state;
  if ((state = SecondsClaim(payload, "exp", &exp)) != ClaimState::kOk) {
    return ClaimError(state, "exp");
  }
  if ((state = SecondsClaim(payload, "nbf", &nbf)) != ClaimState::kOk) {
    return ClaimError(state, "nbf");
  }
  if ((state = SecondsClaim(payload, "iat", &iat)) != ClaimState::kOk) {
    return ClaimError(state, "iat");
  }
  if ((state = StringClaim(payload, "iss", &issuer)) != ClaimState::kOk) {
    return ClaimError(state, "iss");
  }
  if ((state = StringClaim(payload, "aud", &audience)) != ClaimState::kOk) {
    return ClaimError(state, "aud");
  }
  if ((state = StringClaim(payload, "sub", &claims.subject)) != ClaimState::kOk) {
    return ClaimError(state, "sub");
  }
  if ((state = StringClaim(payload, "jti", &claims.jti)) != ClaimState::kOk) {
    return ClaimError(state, "jti");
  }
  if (issuer != options_.issuer) return Unauthenticated("wrong issuer");
  if (audience != options_.audience) return Unauthenticated("wrong audience");

  claims.issued_at = iat * kMicrosPerSecond;
  claims.expires_at = exp * kMicrosPerSecond;
  Verified verified{std::move(claims), nbf * kMicrosPerSecond};
  JZ_RETURN_IF_ERROR(CheckTimes(verified));
  std::lock_guard<std::mutex> lock(remembered_mu_);
  if (remembered_.size() >= kMaxRemembered) remembered_.clear();
  return remembered_.emplace(token, std::move(verified)).first->second.claims;
}

}  // namespace jiuzhu::auth
