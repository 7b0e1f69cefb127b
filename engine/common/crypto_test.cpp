#include "engine/common/crypto.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jiuzhu {
namespace {

const std::string kKey32(32, '\x42');

TEST(CryptoTest, Sha256KnownVectors) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Raw("abc").size(), 32u);
  EXPECT_EQ(HexEncode(Sha256Raw("abc")), Sha256Hex("abc"));
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  // Test case 1.
  EXPECT_EQ(HmacSha256Hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the block.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HexRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::string hex = HexEncode(all);
  EXPECT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  Result<std::string> back = HexDecode(hex);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
  EXPECT_EQ(*HexDecode("DEADbeef"), std::string("\xde\xad\xbe\xef"));
  EXPECT_EQ(*HexDecode(""), "");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(CryptoTest, HexDecodeRejectsBadText) {
  EXPECT_EQ(HexDecode("abc").status().code(), ErrorCode::kInvalidArgument);  // odd length
  EXPECT_EQ(HexDecode("zz").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(HexDecode("0g").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(HexDecode(" 0").status().code(), ErrorCode::kInvalidArgument);
}

TEST(CryptoTest, RandomBytesHaveTheSizeAskedAndDiffer) {
  Result<std::string> a = RandomBytes(32), b = RandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(RandomBytes(0)->size(), 0u);
}

TEST(CryptoTest, AesGcmRoundTrip) {
  for (const std::string& plain : {std::string(), std::string("640202198001011238"),
                                   std::string("张三 \x00 binary", 15), std::string(1000, 'a')}) {
    Result<std::string> c = AesGcmEncryptHex(kKey32, plain);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    // nonce (12) + body + tag (16), hex.
    EXPECT_EQ(c->size(), 2 * (12 + plain.size() + 16));
    Result<std::string> back = AesGcmDecryptHex(kKey32, *c);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, plain);
  }
  EXPECT_NE(*AesGcmEncryptHex(kKey32, "same"), *AesGcmEncryptHex(kKey32, "same"));
}

TEST(CryptoTest, AesGcmRejectsTamperingAndWrongKey) {
  Result<std::string> c = AesGcmEncryptHex(kKey32, "640202198001011238");
  ASSERT_TRUE(c.ok());
  for (std::size_t pos = 0; pos < c->size(); pos += 7) {
    std::string bad = *c;
    bad[pos] = bad[pos] == 'f' ? 'e' : 'f';
    EXPECT_EQ(AesGcmDecryptHex(kKey32, bad).status().code(), ErrorCode::kInvalidArgument) << pos;
  }
  EXPECT_EQ(AesGcmDecryptHex(kKey32, c->substr(2)).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(AesGcmDecryptHex(kKey32, *c + "00").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(AesGcmDecryptHex(kKey32, std::string(2 * 27, '0')).status().code(),
            ErrorCode::kInvalidArgument);  // shorter than nonce + tag
  EXPECT_EQ(AesGcmDecryptHex(kKey32, "xyz").status().code(), ErrorCode::kInvalidArgument);
  std::string other_key = kKey32;
  other_key[31] ^= 1;
  EXPECT_EQ(AesGcmDecryptHex(other_key, *c).status().code(), ErrorCode::kInvalidArgument);
}

TEST(CryptoTest, AesGcmNeedsA32ByteKey) {
  EXPECT_EQ(AesGcmEncryptHex("short", "x").status().code(), ErrorCode::kInternal);
  EXPECT_EQ(AesGcmDecryptHex(std::string(16, 'k'), std::string(64, '0')).status().code(),
            ErrorCode::kInternal);
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace jiuzhu
