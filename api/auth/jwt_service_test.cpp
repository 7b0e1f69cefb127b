#include "api/auth/jwt_service.hpp"

#include <string_view>  // before cpp-jwt, as in jwt_service.cpp

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <jwt/jwt.hpp>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace jiuzhu::auth {
namespace {

using Json = nlohmann::json;

const std::string kSecret = "0123456789abcdef0123456789abcdef-jiuzhu-test";
constexpr std::int64_t kTtl = 8 * 3600;
constexpr std::int64_t kLeeway = 30;
constexpr Micros kSecond = kMicrosPerSecond;

// cpp-jwt checks exp/nbf against the system clock too, so the manual clock
// starts at the wall time (on a whole second, to make boundaries exact).
Micros WallNow() { return SystemClock().Now() / kSecond * kSecond; }
std::int64_t Seconds(Micros t) { return t / kSecond; }

// --- helpers to build tokens by hand ----------------------------------------

std::string B64Url(const std::string& bytes) {
  std::string s = jwt::base64_encode(bytes.data(), bytes.size());
  s.resize(jwt::base64_uri_encode(&s[0], s.size()));
  return s;
}

std::string B64UrlDecode(const std::string& text) {
  return jwt::base64_uri_decode(text.data(), text.size());
}

std::string HmacB64(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return B64Url(std::string(reinterpret_cast<char*>(mac), len));
}

// A token with arbitrary header and payload text, HS256-signed with `key`.
std::string HandSigned(const std::string& header, const std::string& payload,
                       const std::string& key = kSecret) {
  const std::string input = B64Url(header) + "." + B64Url(payload);
  return input + "." + HmacB64(key, input);
}

std::vector<std::string> SplitDots(const std::string& token) {
  std::vector<std::string> parts(1);
  for (char c : token) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

Json GoodClaims(Micros now) {
  const std::int64_t s = Seconds(now);
  return Json{{"iss", "jiuzhu"}, {"aud", "jiuzhu-api"},
              {"sub", "alice"},  {"jti", "00112233445566778899aabbccddeeff"},
              {"iat", s},        {"nbf", s},
              {"exp", s + 600}};
}

const std::string kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// --- RSA keys made in the test ----------------------------------------------

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

KeyPair PemPair(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr,
                const std::string& passphrase = "") {
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  EXPECT_EQ(
      PEM_write_bio_PrivateKey(
          priv, key, cipher,
          cipher ? reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data())) : nullptr,
          static_cast<int>(passphrase.size()), nullptr, nullptr),
      1);
  EXPECT_EQ(PEM_write_bio_PUBKEY(pub, key), 1);
  EVP_PKEY_free(key);
  return {DrainBio(priv), DrainBio(pub)};
}

KeyPair RsaPair(unsigned bits) { return PemPair(EVP_RSA_gen(bits)); }

// --- fixtures ---------------------------------------------------------------

// `reason` empty: any reason will do.
void ExpectRefused(const JwtService& service, const std::string& token, const std::string& reason) {
  Result<TokenClaims> r = service.Verify(token);
  ASSERT_FALSE(r.ok()) << "accepted: " << token;
  EXPECT_EQ(r.status().code(), ErrorCode::kUnauthenticated);
  if (!reason.empty()) {
    EXPECT_EQ(r.status().message(), reason) << "token: " << token;
  }
  if (token.size() > 4) {
    EXPECT_EQ(r.status().message().find(token), std::string::npos);
  }
}

class JwtServiceTest : public ::testing::Test {
 protected:
  static JwtOptions Hs256Options() {
    JwtOptions o;
    o.hs_secret = kSecret;
    o.ttl_seconds = kTtl;
    o.leeway_seconds = kLeeway;
    return o;
  }
  std::unique_ptr<JwtService> Make(JwtOptions options) {
    Result<std::unique_ptr<JwtService>> r = JwtService::Create(std::move(options), clock_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }
  std::string IssueOk(const JwtService& service, const std::string& subject = "alice") {
    Result<std::string> token = service.Issue(subject);
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.ok() ? *token : std::string();
  }

  const Micros start_ = WallNow();
  ManualClock clock_{start_};
  std::unique_ptr<JwtService> service_ = Make(Hs256Options());
};

TEST_F(JwtServiceTest, IssueVerifyRoundTrip) {
  const std::string token = IssueOk(*service_);
  Result<TokenClaims> claims = service_->Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, "alice");
  EXPECT_EQ(claims->jti.size(), 32u);
  EXPECT_EQ(claims->jti.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(claims->issued_at, start_);
  EXPECT_EQ(claims->expires_at, start_ + kTtl * kSecond);
  EXPECT_EQ(service_->ttl_seconds(), kTtl);

  // The token says what the header documents.
  const std::vector<std::string> parts = SplitDots(token);
  ASSERT_EQ(parts.size(), 3u);
  const Json header = Json::parse(B64UrlDecode(parts[0]));
  EXPECT_EQ(header["alg"], "HS256");
  const Json payload = Json::parse(B64UrlDecode(parts[1]));
  EXPECT_EQ(payload["iss"], "jiuzhu");
  EXPECT_EQ(payload["aud"], "jiuzhu-api");
  EXPECT_EQ(payload["sub"], "alice");
  EXPECT_EQ(payload["iat"], Seconds(start_));
  EXPECT_EQ(payload["nbf"], Seconds(start_));
  EXPECT_EQ(payload["exp"], Seconds(start_) + kTtl);
}

TEST_F(JwtServiceTest, EachTokenHasItsOwnJti) {
  std::set<std::string> jtis;
  for (int i = 0; i < 20; ++i) {
    Result<TokenClaims> claims = service_->Verify(IssueOk(*service_));
    ASSERT_TRUE(claims.ok());
    jtis.insert(claims->jti);
  }
  EXPECT_EQ(jtis.size(), 20u);
}

TEST_F(JwtServiceTest, ChineseSubjectRoundTrip) {
  Result<TokenClaims> claims = service_->Verify(IssueOk(*service_, "张三"));
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, "张三");
}

TEST_F(JwtServiceTest, IssueRefusesBadSubject) {
  for (const std::string& subject : {std::string(), std::string("\xff\xfe")}) {
    Result<std::string> r = service_->Issue(subject);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "subject");
  }
}

TEST_F(JwtServiceTest, ExpiresAfterTtlPlusLeeway) {
  const std::string token = IssueOk(*service_);
  clock_.Advance((kTtl + kLeeway) * kSecond);  // last valid instant
  EXPECT_TRUE(service_->Verify(token).ok());
  clock_.Advance(1);
  ExpectRefused(*service_, token, "token expired");
  clock_.Advance(365LL * 24 * 3600 * kSecond);
  ExpectRefused(*service_, token, "token expired");
}

TEST_F(JwtServiceTest, NotYetValid) {
  clock_.Set(start_ + 3600 * kSecond);
  const std::string future = IssueOk(*service_);
  clock_.Set(start_);
  ExpectRefused(*service_, future, "token not yet valid");

  // Within the leeway a slightly early token is fine.
  clock_.Set(start_ + (kLeeway - 10) * kSecond);
  const std::string near = IssueOk(*service_);
  clock_.Set(start_);
  EXPECT_TRUE(service_->Verify(near).ok());
}

TEST_F(JwtServiceTest, FutureIatOrNbfRefusedByOwnCheck) {
  // Hand-made, correctly signed: iat or nbf ahead of the injected clock.
  Json claims = GoodClaims(start_);
  claims["nbf"] = Seconds(start_) + 3600;
  ExpectRefused(*service_, HandSigned(kHs256Header, claims.dump()), "token not yet valid");
  claims = GoodClaims(start_);
  claims["iat"] = Seconds(start_) + 3600;
  ExpectRefused(*service_, HandSigned(kHs256Header, claims.dump()), "token not yet valid");
  EXPECT_TRUE(service_->Verify(HandSigned(kHs256Header, GoodClaims(start_).dump())).ok());
}

TEST_F(JwtServiceTest, RememberedTokenIsStillCheckedAgainstTheClock) {
  const std::string token = IssueOk(*service_);
  ASSERT_TRUE(service_->Verify(token).ok());  // now remembered
  Result<TokenClaims> again = service_->Verify(token);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->subject, "alice");
  EXPECT_EQ(again->issued_at, start_);
  EXPECT_EQ(again->expires_at, start_ + kTtl * kSecond);

  clock_.Set(start_ - (kLeeway + 1) * kSecond);  // before nbf and iat
  ExpectRefused(*service_, token, "token not yet valid");
  clock_.Set(start_ + (kTtl + kLeeway) * kSecond + 1);
  ExpectRefused(*service_, token, "token expired");
  clock_.Set(start_);
  EXPECT_TRUE(service_->Verify(token).ok());
}

TEST_F(JwtServiceTest, RememberedTokenDoesNotVouchForItsNeighbours) {
  const std::string token = IssueOk(*service_);
  ASSERT_TRUE(service_->Verify(token).ok());
  // The same text with one character of the signature changed, or cut short, or longer.
  std::string other = token;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(service_->Verify(other).ok());
  EXPECT_FALSE(service_->Verify(token.substr(0, token.size() - 1)).ok());
  EXPECT_FALSE(service_->Verify(token + "A").ok());
  EXPECT_FALSE(service_->Verify(token + " ").ok());
  // A token refused once is refused again (refusals are not remembered as anything).
  ExpectRefused(*service_, HandSigned(kHs256Header, GoodClaims(start_).dump(), kSecret + "x"),
                "bad signature");
  ExpectRefused(*service_, HandSigned(kHs256Header, GoodClaims(start_).dump(), kSecret + "x"),
                "bad signature");
}

TEST_F(JwtServiceTest, RemembersAtMostItsCapacity) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < JwtService::kMaxRemembered + 10; ++i) {
    tokens.push_back(IssueOk(*service_, "u" + std::to_string(i)));
    ASSERT_TRUE(service_->Verify(tokens.back()).ok()) << i;
  }
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, tokens.size() - 1}) {
    Result<TokenClaims> claims = service_->Verify(tokens[i]);
    ASSERT_TRUE(claims.ok()) << claims.status().ToString();
    EXPECT_EQ(claims->subject, "u" + std::to_string(i));
  }
}

TEST_F(JwtServiceTest, WrongSecretIsBadSignature) {
  JwtOptions other = Hs256Options();
  other.hs_secret = "another-secret-another-secret-another-secret";
  std::unique_ptr<JwtService> forger = Make(other);
  ExpectRefused(*service_, IssueOk(*forger), "bad signature");
  ExpectRefused(*service_, HandSigned(kHs256Header, GoodClaims(start_).dump(), "short"),
                "bad signature");
}

TEST_F(JwtServiceTest, TamperedPayloadIsBadSignature) {
  const std::vector<std::string> parts = SplitDots(IssueOk(*service_, "alice"));
  ASSERT_EQ(parts.size(), 3u);
  Json payload = Json::parse(B64UrlDecode(parts[1]));
  payload["sub"] = "admin";
  ExpectRefused(*service_, parts[0] + "." + B64Url(payload.dump()) + "." + parts[2],
                "bad signature");
  payload["sub"] = "alice";
  payload["exp"] = payload["exp"].get<std::int64_t>() + 1;
  ExpectRefused(*service_, parts[0] + "." + B64Url(payload.dump()) + "." + parts[2],
                "bad signature");
  // A flipped signature character.
  std::string sig = parts[2];
  sig[5] = sig[5] == 'A' ? 'B' : 'A';
  ExpectRefused(*service_, parts[0] + "." + parts[1] + "." + sig, "bad signature");
}

TEST_F(JwtServiceTest, AlgNoneRefused) {
  const std::string payload = B64Url(GoodClaims(start_).dump());
  for (const char* alg : {"none", "None", "NONE"}) {
    const std::string header = B64Url(std::string(R"({"alg":")") + alg + R"(","typ":"JWT"})");
    ExpectRefused(*service_, header + "." + payload + ".", "malformed token");
    ExpectRefused(*service_, header + "." + payload, "malformed token");
    // Even with some signature bytes attached.
    ExpectRefused(*service_, header + "." + payload + "." + B64Url("x"), "unexpected algorithm");
  }
}

TEST_F(JwtServiceTest, AlgMustMatchExactly) {
  // Correctly HMAC-signed, but the alg is spelled differently or is another HMAC.
  const std::string claims = GoodClaims(start_).dump();
  for (const char* header :
       {R"({"alg":"hs256","typ":"JWT"})", R"({"alg":"Hs256"})", R"({"alg":"HS256 "})",
        R"({"alg":"HS512","typ":"JWT"})", R"({"alg":"RS256","typ":"JWT"})", R"({"typ":"JWT"})"}) {
    ExpectRefused(*service_, HandSigned(header, claims), "unexpected algorithm");
  }
  // The minimal correct header is accepted.
  EXPECT_TRUE(service_->Verify(HandSigned(R"({"alg":"HS256"})", claims)).ok());
}

TEST_F(JwtServiceTest, GarbageHeadersRefusedWithoutCrash) {
  const std::string claims = GoodClaims(start_).dump();
  struct Case {
    const char* header;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"alg":1})", "unexpected algorithm"},
      {R"({"alg":null})", "unexpected algorithm"},
      {R"({"alg":["HS256"]})", "unexpected algorithm"},
      {R"({"alg":{"HS256":1}})", "unexpected algorithm"},
      {R"({})", "unexpected algorithm"},
      {R"([])", "malformed token"},
      {R"("HS256")", "malformed token"},
      {R"(1)", "malformed token"},
      {R"(null)", "malformed token"},
      {R"({"alg":"HS256")", "malformed token"},
      {"not json", "malformed token"},
      {"", "malformed token"},
      {"{\"alg\":\"HS256\",\"x\":\"\xff\"}", "malformed token"},  // invalid UTF-8
      {R"({"alg":"HS256","typ":1})", "malformed token"},
      {R"({"alg":"HS256","typ":"JWS"})", "malformed token"},
      {R"({"alg":"HS256","typ":"jwt"})", "malformed token"},
      {R"({"alg":"HS256","crit":["exp"]})", "unsupported token header"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    ExpectRefused(*service_, HandSigned(c.header, claims), c.reason);
  }
}

TEST_F(JwtServiceTest, GarbagePayloadsRefusedWithoutCrash) {
  // All correctly signed with the right secret: only the claims are wrong.
  const Json good = GoodClaims(start_);
  struct Case {
    std::string payload;
    std::string reason;
  };
  auto with = [&good](const char* name, Json value) {
    Json j = good;
    j[name] = std::move(value);
    return j.dump();
  };
  auto without = [&good](const char* name) {
    Json j = good;
    j.erase(name);
    return j.dump();
  };
  const std::vector<Case> cases = {
      {"[]", "malformed token"},
      {"1", "malformed token"},
      {"\"x\"", "malformed token"},
      {"null", "malformed token"},
      {"{", "malformed token"},
      {"", "malformed token"},
      {without("exp"), "missing claim: exp"},
      {without("iat"), "missing claim: iat"},
      {without("nbf"), "missing claim: nbf"},
      {without("sub"), "missing claim: sub"},
      {without("jti"), "missing claim: jti"},
      {without("iss"), "wrong issuer"},              // cpp-jwt's issuer check comes first
      {without("aud"), "wrong audience"},            // likewise
      {with("exp", "tomorrow"), "malformed token"},  // cpp-jwt: type conversion error
      // cpp-jwt reads these as uint64 and, adding the leeway, wraps to "expired".
      {with("exp", -5), ""},
      {with("exp", 18446744073709551615ULL), ""},
      {with("exp", static_cast<double>(Seconds(start_)) + 600.5), "malformed claim: exp"},
      {with("exp", 253402300800LL), "malformed claim: exp"},
      {with("iat", true), "malformed claim: iat"},
      {with("sub", 7), "malformed claim: sub"},
      {with("sub", ""), "malformed claim: sub"},
      {with("jti", Json::array()), "malformed claim: jti"},
      {with("iss", "someone-else"), "wrong issuer"},
      {with("iss", 1), "malformed token"},
      {with("aud", "other-api"), "wrong audience"},
      {with("aud", Json::array({"jiuzhu-api"})), "malformed token"},
      {with("exp", Seconds(start_) - kLeeway - 1), "token expired"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.payload);
    ExpectRefused(*service_, HandSigned(kHs256Header, c.payload), c.reason);
  }
}

TEST_F(JwtServiceTest, GarbageTokensRefusedWithoutCrash) {
  const std::string good = IssueOk(*service_);
  const std::vector<std::string> parts = SplitDots(good);
  ASSERT_TRUE(service_->Verify(good).ok());
  const std::vector<std::string> tokens = {
      "",
      ".",
      "..",
      "...",
      "a",
      "a.b",
      "a.b.c",
      "a.b.c.d",
      "Bearer " + good,
      " " + good,
      good + " ",
      good + ".",
      good + "." + parts[2],
      parts[0] + "." + parts[1],
      parts[0] + "." + parts[1] + ".",
      "." + parts[1] + "." + parts[2],
      parts[0] + ".." + parts[2],
      parts[0] + "=." + parts[1] + "." + parts[2],  // padding is not base64url
      parts[0] + "." + parts[1] + "." + parts[2] + "=",
      parts[0] + "." + parts[1] + "." + parts[2] + "AA",  // impossible length
      parts[0] + "." + parts[1] + "+." + parts[2],        // base64, not base64url
      std::string("\xff\xfe\xfd.") + parts[1] + "." + parts[2],
      parts[0] + "." + parts[1] + "." + std::string(43, '\x80'),
      parts[0] + "." + parts[1] + "." + parts[2].substr(0, 42) + "\xc3\xa9",
      std::string(good.data(), 10) + '\0' + good.substr(11),
      std::string(9000, 'A') + "." + parts[1] + "." + parts[2],
  };
  for (const std::string& token : tokens) {
    ExpectRefused(*service_, token, "malformed token");
  }
}

TEST_F(JwtServiceTest, NonCanonicalSignatureRefused) {
  // An HS256 signature is 43 base64url characters; the last carries 2 unused
  // bits. Setting them gives a different string for the same bytes.
  const std::vector<std::string> parts = SplitDots(IssueOk(*service_));
  std::string sig = parts[2];
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t v = alphabet.find(sig.back());
  ASSERT_EQ(v % 4, 0u);
  sig.back() = alphabet[v + 1];
  ExpectRefused(*service_, parts[0] + "." + parts[1] + "." + sig, "malformed token");
}

TEST_F(JwtServiceTest, WrongIssuerOrAudience) {
  JwtOptions other_iss = Hs256Options();
  other_iss.issuer = "someone-else";
  ExpectRefused(*service_, IssueOk(*Make(other_iss)), "wrong issuer");
  JwtOptions other_aud = Hs256Options();
  other_aud.audience = "another-api";
  ExpectRefused(*service_, IssueOk(*Make(other_aud)), "wrong audience");
}

TEST_F(JwtServiceTest, MissingExpRefused) {
  // Signed with cpp-jwt directly, with the right secret, but no exp: the
  // library alone would accept it.
  const std::int64_t now = Seconds(start_);
  jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(kSecret)};
  obj.add_claim("iss", "jiuzhu")
      .add_claim("aud", "jiuzhu-api")
      .add_claim("sub", "alice")
      .add_claim("jti", "00112233445566778899aabbccddeeff")
      .add_claim("iat", now)
      .add_claim("nbf", now);
  const std::string token = obj.signature();

  std::error_code ec;
  jwt::decode(token, jwt::params::algorithms({"HS256"}), ec, jwt::params::secret(kSecret),
              jwt::params::verify(true), jwt::params::issuer("jiuzhu"),
              jwt::params::aud("jiuzhu-api"));
  EXPECT_FALSE(ec) << "cpp-jwt now refuses a token without exp: " << ec.message();

  ExpectRefused(*service_, token, "missing claim: exp");
  obj.add_claim("exp", now + 60);
  EXPECT_TRUE(service_->Verify(obj.signature()).ok());
}

TEST_F(JwtServiceTest, CreateRefusesBadOptions) {
  auto refused = [this](JwtOptions o, const std::string& field) {
    Result<std::unique_ptr<JwtService>> r = JwtService::Create(std::move(o), clock_);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), field);
  };
  JwtOptions o = Hs256Options();
  o.hs_secret = std::string(31, 's');
  refused(o, "hs_secret");
  o.hs_secret.clear();
  refused(o, "hs_secret");
  for (const char* alg : {"none", "None", "", "hs256", "HS384", "HS512", "RS512", "ES256"}) {
    o = Hs256Options();
    o.algorithm = alg;
    refused(o, "algorithm");
  }
  o = Hs256Options();
  o.issuer.clear();
  refused(o, "issuer");
  o = Hs256Options();
  o.audience = "\xff";
  refused(o, "audience");
  o = Hs256Options();
  o.ttl_seconds = 0;
  refused(o, "ttl_seconds");
  o.ttl_seconds = 31LL * 24 * 3600;
  refused(o, "ttl_seconds");
  o = Hs256Options();
  o.leeway_seconds = -1;
  refused(o, "leeway_seconds");
  o.leeway_seconds = 301;
  refused(o, "leeway_seconds");

  o = Hs256Options();
  o.hs_secret = std::string(32, 's');  // exactly 32 bytes is enough
  EXPECT_TRUE(JwtService::Create(o, clock_).ok());
}

TEST_F(JwtServiceTest, ConcurrentIssueAndVerify) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, &failures, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string subject = "user" + std::to_string(t);
        Result<std::string> token = service_->Issue(subject);
        if (!token.ok()) {
          ++failures;
          continue;
        }
        Result<TokenClaims> claims = service_->Verify(*token);
        if (!claims.ok() || claims->subject != subject) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

// --- RS256 ------------------------------------------------------------------

class JwtServiceRs256Test : public JwtServiceTest {
 protected:
  static void SetUpTestSuite() {
    keys_ = new KeyPair(RsaPair(2048));
    other_keys_ = new KeyPair(RsaPair(2048));
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete other_keys_;
  }
  static JwtOptions Rs256Options(const KeyPair& pair) {
    JwtOptions o;
    o.algorithm = "RS256";
    o.rs_private_pem = pair.private_pem;
    o.rs_public_pem = pair.public_pem;
    o.ttl_seconds = kTtl;
    o.leeway_seconds = kLeeway;
    return o;
  }
  static KeyPair* keys_;
  static KeyPair* other_keys_;
};
KeyPair* JwtServiceRs256Test::keys_ = nullptr;
KeyPair* JwtServiceRs256Test::other_keys_ = nullptr;

TEST_F(JwtServiceRs256Test, RoundTrip) {
  std::unique_ptr<JwtService> rs = Make(Rs256Options(*keys_));
  ASSERT_TRUE(rs);
  const std::string token = IssueOk(*rs, "bob");
  EXPECT_EQ(Json::parse(B64UrlDecode(SplitDots(token)[0]))["alg"], "RS256");
  Result<TokenClaims> claims = rs->Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, "bob");
  EXPECT_EQ(claims->issued_at, start_);
  EXPECT_EQ(claims->expires_at, start_ + kTtl * kSecond);
  clock_.Advance((kTtl + kLeeway) * kSecond + 1);
  ExpectRefused(*rs, token, "token expired");
}

TEST_F(JwtServiceRs256Test, OtherKeyOrTamperingIsBadSignature) {
  std::unique_ptr<JwtService> rs = Make(Rs256Options(*keys_));
  std::unique_ptr<JwtService> forger = Make(Rs256Options(*other_keys_));
  ExpectRefused(*rs, IssueOk(*forger), "bad signature");

  const std::vector<std::string> parts = SplitDots(IssueOk(*rs, "alice"));
  Json payload = Json::parse(B64UrlDecode(parts[1]));
  payload["sub"] = "admin";
  ExpectRefused(*rs, parts[0] + "." + B64Url(payload.dump()) + "." + parts[2], "bad signature");
  ExpectRefused(*rs, parts[0] + "." + parts[1] + "." + B64Url("short"), "bad signature");
}

TEST_F(JwtServiceRs256Test, Hs256SignedWithPublicKeyRefused) {
  // The key-confusion attack: HMAC with the (public) verification key.
  std::unique_ptr<JwtService> rs = Make(Rs256Options(*keys_));
  const std::string claims = GoodClaims(start_).dump();
  ExpectRefused(*rs, HandSigned(kHs256Header, claims, keys_->public_pem), "unexpected algorithm");
  // Also as cpp-jwt would build it.
  jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(keys_->public_pem),
                      jwt::params::payload({{"sub", "alice"}})};
  ExpectRefused(*rs, obj.signature(), "unexpected algorithm");
  // And an RS256 header with an HMAC signature.
  ExpectRefused(*rs, HandSigned(R"({"alg":"RS256","typ":"JWT"})", claims, keys_->public_pem),
                "bad signature");
}

TEST_F(JwtServiceRs256Test, Rs256TokenRefusedByHs256Service) {
  std::unique_ptr<JwtService> rs = Make(Rs256Options(*keys_));
  ExpectRefused(*service_, IssueOk(*rs), "unexpected algorithm");
}

TEST_F(JwtServiceRs256Test, CreateRefusesBadKeys) {
  auto refused = [this](JwtOptions o, const std::string& field) {
    Result<std::unique_ptr<JwtService>> r = JwtService::Create(std::move(o), clock_);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), field);
  };
  JwtOptions o = Rs256Options(*keys_);
  o.rs_private_pem.clear();
  refused(o, "rs_private_pem");
  o = Rs256Options(*keys_);
  o.rs_public_pem.clear();
  refused(o, "rs_public_pem");
  o = Rs256Options(*keys_);
  o.rs_public_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
  refused(o, "rs_public_pem");
  o = Rs256Options(*keys_);
  o.rs_private_pem = keys_->public_pem;  // a public key is not a signing key
  refused(o, "rs_private_pem");
  o = Rs256Options(*keys_);
  o.rs_public_pem = other_keys_->public_pem;  // not a pair
  refused(o, "rs_public_pem");

  const KeyPair small = RsaPair(1024);
  refused(Rs256Options(small), "rs_private_pem");
  const KeyPair ec = PemPair(EVP_EC_gen("P-256"));
  refused(Rs256Options(ec), "rs_private_pem");
  // An encrypted private key is refused, without prompting for a passphrase.
  const KeyPair encrypted = PemPair(EVP_RSA_gen(2048), EVP_aes_256_cbc(), "passphrase");
  ASSERT_NE(encrypted.private_pem.find("ENCRYPTED"), std::string::npos);
  refused(Rs256Options(encrypted), "rs_private_pem");
}

// --- what cpp-jwt 1.4 does on its own (why jwt_service.cpp checks first) ---

TEST(CppJwtBehaviourTest, MalformedAlgThrowsEvenWithErrorCode) {
  const std::string token = HandSigned(R"({"alg":1})", R"({"sub":"x"})");
  std::error_code ec;
  EXPECT_ANY_THROW(
      jwt::decode(token, jwt::params::algorithms({"HS256"}), ec, jwt::params::secret(kSecret)));
}

TEST(CppJwtBehaviourTest, AlgNameIsComparedIgnoringCase) {
  const std::string token = HandSigned(R"({"alg":"hs256","typ":"JWT"})", R"({"sub":"x"})");
  std::error_code ec;
  jwt::decode(token, jwt::params::algorithms({"HS256"}), ec, jwt::params::secret(kSecret));
  EXPECT_FALSE(ec) << ec.message();
}

}  // namespace
}  // namespace jiuzhu::auth
