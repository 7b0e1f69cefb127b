#include "engine/identity/id_number.hpp"

#include <gtest/gtest.h>

#include <string>

#include "engine/common/crypto.hpp"

namespace jiuzhu {
namespace {

// Check characters worked by hand. Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// sum mod 11 indexes "10X98765432".
//
// 64020219800101123:
//   6*7 + 4*9 + 0*10 + 2*5 + 0*8 + 2*4 + 1*2 + 9*1 + 8*6 + 0*3 + 0*7 + 1*9
//   + 0*10 + 1*5 + 1*8 + 2*4 + 3*2
//   = 42+36+0+10+0+8+2+9+48+0+0+9+0+5+8+8+6 = 191; 191 mod 11 = 4 -> '8'.
constexpr char kValid[] = "640202198001011238";
// 11010519491231002 (the example of GB 11643-1999 itself):
//   1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9
//   + 3*10 + 1*5 + 0*8 + 0*4 + 2*2
//   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> 'X'.
constexpr char kValidX[] = "11010519491231002X";
// 64020219800101122: as the first, with 2*2 in place of 3*2: 189; 189 mod 11 = 2 -> 'X'.
constexpr char kValidX2[] = "64020219800101122X";
// 64020220000229001 (a leap day):
//   42+36+0+10+0+8+2*2+0*1+0*6+0*3+0*7+2*9+2*10+9*5+0*8+0*4+1*2
//   = 42+36+10+8+4+18+20+45+2 = 185; 185 mod 11 = 9 -> '3'.
constexpr char kValidLeapDay[] = "640202200002290013";

constexpr char kSecret[] = "0123456789abcdef-test-secret";

void ExpectInvalid(const std::string& id, const std::string& message_part) {
  const Status s = ValidateIdNumber(id);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << id;
  EXPECT_EQ(s.field(), "id_number") << id;
  EXPECT_NE(s.message().find(message_part), std::string::npos)
      << id << ": \"" << s.message() << "\" lacks \"" << message_part << "\"";
}

TEST(IdNumberTest, CheckCharacterMatchesHandComputation) {
  EXPECT_EQ(IdCheckCharacter("64020219800101123"), '8');
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("64020219800101122"), 'X');
  EXPECT_EQ(IdCheckCharacter("64020220000229001"), '3');
}

TEST(IdNumberTest, KnownValidNumbersPass) {
  for (const char* id : {kValid, kValidX, kValidX2, kValidLeapDay}) {
    EXPECT_TRUE(ValidateIdNumber(id).ok()) << id << ": " << ValidateIdNumber(id).ToString();
  }
}

TEST(IdNumberTest, NormalizeTrimsAndUpperCasesTrailingX) {
  EXPECT_EQ(NormalizeIdNumber("11010519491231002x"), kValidX);
  EXPECT_EQ(NormalizeIdNumber("  11010519491231002x \t\n"), kValidX);
  EXPECT_EQ(NormalizeIdNumber(kValid), kValid);
  EXPECT_EQ(NormalizeIdNumber(NormalizeIdNumber(" 11010519491231002x")), kValidX);
  // Only a trailing x changes; an x elsewhere stays (and then fails validation).
  EXPECT_EQ(NormalizeIdNumber("x1010519491231002X"), "x1010519491231002X");
  EXPECT_EQ(NormalizeIdNumber(""), "");
  EXPECT_EQ(NormalizeIdNumber("   "), "");
}

TEST(IdNumberTest, LowerCaseXAndSurroundingSpacesAreAccepted) {
  EXPECT_TRUE(ValidateIdNumber("11010519491231002x").ok());
  EXPECT_TRUE(ValidateIdNumber(" 64020219800101122x ").ok());
}

TEST(IdNumberTest, WrongLengthIsRejected) {
  ExpectInvalid("", "18");
  ExpectInvalid("64020219800101123", "18");    // 17
  ExpectInvalid("6402021980010112388", "18");  // 19
}

TEST(IdNumberTest, NonDigitsAreRejected) {
  ExpectInvalid("64020219800A011238", "digits");
  ExpectInvalid("640202 98001011238", "digits");
  ExpectInvalid("X40202198001011238", "digits");
  ExpectInvalid("64020219800101123Y", "digit or X");
  ExpectInvalid("64020219800101123-", "digit or X");
}

TEST(IdNumberTest, ZeroRegionIsRejected) {
  // 00000019800101123: 1*2 + 9*1 + 8*6 + 1*9 + 1*5 + 1*8 + 2*4 + 3*2 = 95; 95 mod 11 = 7 -> '5'.
  ASSERT_EQ(IdCheckCharacter("00000019800101123"), '5');
  ExpectInvalid("000000198001011235", "region");
}

TEST(IdNumberTest, ImpossibleBirthDatesAreRejected) {
  // Each with a correct check character, so only the date is at fault.
  for (const std::string first17 : {"64020219801301123",     // month 13
                                    "64020219800001123",     // month 0
                                    "64020219800100123",     // day 0
                                    "64020219800230123",     // 30 February
                                    "64020219010229123",     // 1901 is not a leap year
                                    "64020219000229123",     // nor is 1900
                                    "64020218991231123",     // before 1900
                                    "64020221010101123"}) {  // after 2100
    ExpectInvalid(first17 + IdCheckCharacter(first17), "date");
  }
  // The edges themselves are fine.
  for (const std::string first17 : {"64020219000101123", "64020221001231123"}) {
    EXPECT_TRUE(ValidateIdNumber(first17 + IdCheckCharacter(first17)).ok()) << first17;
  }
}

TEST(IdNumberTest, WrongCheckCharacterIsRejectedAndNamesTheRightOne) {
  ExpectInvalid("640202198001011239", "校验码");
  ExpectInvalid("640202198001011239", "'8'");
  ExpectInvalid("110105194912310021", "'X'");
  ExpectInvalid("64020219800101123X", "'8'");
}

TEST(IdNumberTest, MaskKeepsRegionAndLastFour) {
  EXPECT_EQ(MaskIdNumber("640202198001011234"), "640202********1234");
  EXPECT_EQ(MaskIdNumber(kValidX), "110105********002X");
  EXPECT_EQ(MaskIdNumber(" 11010519491231002x"), "110105********002X");
  EXPECT_EQ(MaskIdNumber("12345"), "******************");
  EXPECT_EQ(MaskIdNumber(""), "******************");
  EXPECT_EQ(MaskIdNumber("6402021980010112345"), "******************");
}

TEST(IdProtectorTest, ShortSecretIsRejected) {
  EXPECT_EQ(IdProtector::FromSecret("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(IdProtector::FromSecret("fifteen bytes!!").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(IdProtector::FromSecret("sixteen bytes!!!").ok());
}

TEST(IdProtectorTest, DedupHashIsStableKeyedAndDistinct) {
  Result<IdProtector> a = IdProtector::FromSecret(kSecret);
  Result<IdProtector> a2 = IdProtector::FromSecret(kSecret);
  Result<IdProtector> b = IdProtector::FromSecret(std::string(kSecret) + "-other");
  ASSERT_TRUE(a.ok() && a2.ok() && b.ok());

  const std::string h = a->DedupHash(kValid);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, a->DedupHash(kValid));
  EXPECT_EQ(h, a2->DedupHash(kValid));
  EXPECT_NE(h, b->DedupHash(kValid));
  EXPECT_NE(h, a->DedupHash(kValidX));
  EXPECT_EQ(a->DedupHash(kValidX), a->DedupHash("11010519491231002x"));
  // Keyed: not the plain SHA-256 nor an HMAC under the raw secret.
  EXPECT_NE(h, Sha256Hex(kValid));
  EXPECT_NE(h, HmacSha256Hex(kSecret, kValid));
}

TEST(IdProtectorTest, EncryptDecryptRoundTrip) {
  Result<IdProtector> p = IdProtector::FromSecret(kSecret);
  ASSERT_TRUE(p.ok());
  Result<std::string> c1 = p->Encrypt(kValidX);
  Result<std::string> c2 = p->Encrypt(kValidX);
  ASSERT_TRUE(c1.ok() && c2.ok());
  EXPECT_NE(*c1, *c2);  // fresh nonce each time
  EXPECT_EQ(c1->find(kValidX), std::string::npos);
  Result<std::string> back = p->Decrypt(*c1);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, kValidX);
  EXPECT_EQ(*p->Decrypt(*c2), kValidX);
}

TEST(IdProtectorTest, TamperedOrForeignCiphertextIsRejected) {
  Result<IdProtector> p = IdProtector::FromSecret(kSecret);
  Result<IdProtector> other = IdProtector::FromSecret("a quite different secret");
  ASSERT_TRUE(p.ok() && other.ok());
  Result<std::string> c = p->Encrypt(kValid);
  ASSERT_TRUE(c.ok());

  // Flip one hex digit in the nonce, the body and the tag in turn.
  for (std::size_t pos : {std::size_t{0}, std::size_t{30}, c->size() - 1}) {
    std::string bad = *c;
    bad[pos] = bad[pos] == '0' ? '1' : '0';
    EXPECT_EQ(p->Decrypt(bad).status().code(), ErrorCode::kInvalidArgument) << pos;
  }
  EXPECT_EQ(p->Decrypt(c->substr(0, c->size() - 2)).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(p->Decrypt("not hex at all").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(p->Decrypt("").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(other->Decrypt(*c).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiuzhu
