#include "api/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jiuzhu::auth {
namespace {

// The lowest count HashPassword accepts keeps these tests fast; one test
// below uses the default.
constexpr int kFast = kMinPbkdf2Iterations;

std::string FastHash(const std::string& password) {
  Result<std::string> hash = HashPassword(password, kFast);
  EXPECT_TRUE(hash.ok()) << hash.status().ToString();
  return hash.ok() ? *hash : std::string();
}

TEST(PasswordHasherTest, RoundTrip) {
  const std::string hash = FastHash("correct horse battery staple");
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", hash));
}

TEST(PasswordHasherTest, EncodingHasTheDocumentedShape) {
  const std::string hash = FastHash("secret");
  // prefix $ iterations $ 32 hex salt $ 64 hex hash
  EXPECT_EQ(hash.rfind("pbkdf2-sha256$1000$", 0), 0u) << hash;
  EXPECT_EQ(hash.size(), std::string("pbkdf2-sha256$1000$").size() + 32 + 1 + 64);
}

TEST(PasswordHasherTest, ChineseAndLongPasswordsRoundTrip) {
  const std::string chinese = "救助密码😀";
  EXPECT_TRUE(VerifyPassword(chinese, FastHash(chinese)));
  const std::string longest(kMaxPasswordBytes, 'x');
  EXPECT_TRUE(VerifyPassword(longest, FastHash(longest)));
}

TEST(PasswordHasherTest, DefaultIterationCount) {
  Result<std::string> hash = HashPassword("default-cost password");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("pbkdf2-sha256$" + std::to_string(kDefaultPbkdf2Iterations) + "$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("default-cost password", *hash));
  EXPECT_FALSE(VerifyPassword("default-cost passworD", *hash));
}

TEST(PasswordHasherTest, WrongPasswordFails) {
  const std::string hash = FastHash("secret");
  EXPECT_FALSE(VerifyPassword("Secret", hash));
  EXPECT_FALSE(VerifyPassword("secret ", hash));
  EXPECT_FALSE(VerifyPassword("secre", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
  // HMAC zero-pads its key, so PBKDF2 alone would accept this one.
  EXPECT_FALSE(VerifyPassword(std::string("secret\0", 7), hash));
  EXPECT_FALSE(VerifyPassword(std::string("secret\0\0", 8), hash));
}

TEST(PasswordHasherTest, SameInputGivesDifferentSaltsAndHashes) {
  const std::string a = FastHash("same");
  const std::string b = FastHash("same");
  EXPECT_NE(a, b);
  // Salt and hash parts both differ.
  EXPECT_NE(a.substr(19, 32), b.substr(19, 32));
  EXPECT_NE(a.substr(52), b.substr(52));
  EXPECT_TRUE(VerifyPassword("same", a));
  EXPECT_TRUE(VerifyPassword("same", b));
}

TEST(PasswordHasherTest, HashRefusesBadInput) {
  Result<std::string> empty = HashPassword("", kFast);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.status().field(), "password");

  Result<std::string> too_long = HashPassword(std::string(kMaxPasswordBytes + 1, 'x'), kFast);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().field(), "password");

  Result<std::string> with_nul = HashPassword(std::string("pass\0word", 9), kFast);
  ASSERT_FALSE(with_nul.ok());
  EXPECT_EQ(with_nul.status().field(), "password");

  for (int iterations : {-1, 0, 1, 999, kMaxPbkdf2Iterations + 1}) {
    Result<std::string> r = HashPassword("secret", iterations);
    ASSERT_FALSE(r.ok()) << iterations;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().field(), "iterations");
  }
}

TEST(PasswordHasherTest, OverLongPasswordNeverVerifies) {
  const std::string longest(kMaxPasswordBytes, 'x');
  const std::string hash = FastHash(longest);
  EXPECT_FALSE(VerifyPassword(longest + "x", hash));
}

TEST(PasswordHasherTest, MalformedOrTamperedStoredHashesFail) {
  const std::string good = FastHash("secret");
  ASSERT_TRUE(VerifyPassword("secret", good));
  const std::string salt = good.substr(19, 32);
  const std::string hash = good.substr(52);
  auto make = [](const std::string& prefix, const std::string& iterations, const std::string& s,
                 const std::string& h) { return prefix + "$" + iterations + "$" + s + "$" + h; };
  ASSERT_EQ(make("pbkdf2-sha256", "1000", salt, hash), good);

  // Flip one hex digit of the hash, and of the salt.
  std::string flipped_hash = hash;
  flipped_hash[10] = flipped_hash[10] == '0' ? '1' : '0';
  std::string flipped_salt = salt;
  flipped_salt[0] = flipped_salt[0] == '0' ? '1' : '0';

  const std::string bad[] = {
      "",
      "$$$",
      "pbkdf2-sha256",
      make("pbkdf2-sha1", "1000", salt, hash),    // wrong prefix
      make("PBKDF2-SHA256", "1000", salt, hash),  // prefix is exact
      make("bcrypt", "1000", salt, hash),
      make("pbkdf2-sha256", "1000", salt, flipped_hash),
      make("pbkdf2-sha256", "1000", flipped_salt, hash),
      make("pbkdf2-sha256", "1001", salt, hash),  // iteration count is bound to the hash
      make("pbkdf2-sha256", "", salt, hash),
      make("pbkdf2-sha256", "01000", salt, hash),
      make("pbkdf2-sha256", "+1000", salt, hash),
      make("pbkdf2-sha256", "-1000", salt, hash),
      make("pbkdf2-sha256", " 1000", salt, hash),
      make("pbkdf2-sha256", "1e3", salt, hash),
      make("pbkdf2-sha256", "999", salt, hash),  // below the minimum
      make("pbkdf2-sha256", "1", salt, hash),
      make("pbkdf2-sha256", "10000001", salt, hash),  // beyond the sane maximum
      make("pbkdf2-sha256", "2147483647", salt, hash),
      make("pbkdf2-sha256", "99999999999999999999", salt, hash),
      make("pbkdf2-sha256", "1000", "", hash),                     // missing salt
      make("pbkdf2-sha256", "1000", salt, ""),                     // missing hash
      make("pbkdf2-sha256", "1000", salt.substr(0, 30), hash),     // salt too short
      make("pbkdf2-sha256", "1000", salt, hash.substr(0, 62)),     // hash too short
      make("pbkdf2-sha256", "1000", salt, hash + "00"),            // hash too long
      make("pbkdf2-sha256", "1000", salt.substr(1), hash),         // odd length
      make("pbkdf2-sha256", "1000", "zz" + salt.substr(2), hash),  // not hex
      make("pbkdf2-sha256", "1000", salt, "g" + hash.substr(1)),   // not hex
      "pbkdf2-sha256$1000$" + salt,                                // missing part
      "pbkdf2-sha256$" + salt + "$" + hash,                        // missing part
      good + "$",                                                  // extra part
      good + "$00",                                                // extra part
      "$" + good,
      good.substr(0, good.size() - 1),
      good + "0",
      std::string(good.data(), 40) + '\0' + good.substr(41),
  };
  for (const std::string& stored : bad) {
    EXPECT_FALSE(VerifyPassword("secret", stored)) << "accepted: " << stored;
  }
}

TEST(PasswordHasherTest, UppercaseHexStillVerifies) {
  // Hex digits are case-insensitive; only the structure is strict.
  std::string hash = FastHash("secret");
  for (std::size_t i = 19; i < hash.size(); ++i) {
    if (hash[i] >= 'a' && hash[i] <= 'f') hash[i] = static_cast<char>(hash[i] - 'a' + 'A');
  }
  EXPECT_TRUE(VerifyPassword("secret", hash));
}

}  // namespace
}  // namespace jiuzhu::auth
