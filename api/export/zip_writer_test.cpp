#include "api/export/zip_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "api/export/zip_test_reader.hpp"

namespace jiuzhu {
namespace {

using export_testing::ReadZip;

// Runs `unzip -t` (Info-ZIP, an independent reader) on the archive.
int UnzipTest(const std::string& archive) {
  char path[] = "/tmp/jiuzhu-zip-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return -1;
  close(fd);
  std::ofstream(path, std::ios::binary) << archive;
  const int rc = std::system((std::string("unzip -tqq ") + path + " >/dev/null 2>&1").c_str());
  std::remove(path);
  return rc;
}

TEST(ZipWriterTest, RoundTripsStoredAndDeflatedEntries) {
  std::string repetitive;
  for (int i = 0; i < 2000; ++i) repetitive += "<row>救助</row>";
  ZipWriter zip;
  zip.Add("a.txt", "hello", ZipWriter::Method::kStored);
  zip.Add("dir/big.xml", repetitive);
  zip.Add("empty", "");
  zip.Add("目录/名.txt", "中文");
  const std::string archive = zip.Finish();

  const auto entries = ReadZip(archive);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].name, "a.txt");
  EXPECT_EQ(entries[0].method, 0);
  EXPECT_EQ(entries[0].data, "hello");
  EXPECT_EQ(entries[1].name, "dir/big.xml");
  EXPECT_EQ(entries[1].method, 8);
  EXPECT_LT(entries[1].compressed_size, repetitive.size() / 10);
  EXPECT_EQ(entries[1].data, repetitive);
  EXPECT_EQ(entries[2].data, "");
  EXPECT_EQ(entries[3].name, "目录/名.txt");
  EXPECT_EQ(entries[3].data, "中文");
  for (const auto& e : entries) EXPECT_EQ(e.flags & (1u << 11), 1u << 11) << e.name;
  // CRC-32 of "hello" (a known value).
  EXPECT_EQ(entries[0].crc32, 0x3610a686u);
  EXPECT_EQ(UnzipTest(archive), 0);
}

TEST(ZipWriterTest, IncompressibleDataIsStored) {
  std::string noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  ZipWriter zip;
  zip.Add("noise.bin", noise);
  const auto entries = ReadZip(zip.Finish());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method, 0);
  EXPECT_EQ(entries[0].data, noise);
}

TEST(ZipWriterTest, EmptyArchiveIsJustTheEndRecord) {
  ZipWriter zip;
  const std::string archive = zip.Finish();
  EXPECT_EQ(archive.size(), 22u);
  EXPECT_TRUE(ReadZip(archive).empty());
}

TEST(ZipWriterTest, SameInputSameBytesAndWriterIsReusable) {
  ZipWriter zip;
  zip.Add("x", "1");
  const std::string first = zip.Finish();
  zip.Add("x", "1");
  EXPECT_EQ(zip.Finish(), first);
}

TEST(ZipWriterTest, RefusesBadNames) {
  ZipWriter zip;
  EXPECT_THROW(zip.Add("", "x"), std::length_error);
  EXPECT_THROW(zip.Add(std::string(70000, 'n'), "x"), std::length_error);
}

TEST(ZipWriterTest, ReaderCatchesACorruptedByte) {
  ZipWriter zip;
  zip.Add("a.txt", "hello world", ZipWriter::Method::kStored);
  std::string archive = zip.Finish();
  archive[30 + 5 + 1] ^= 0x01;  // a data byte of the stored entry
  EXPECT_THROW(ReadZip(archive), std::runtime_error);
  EXPECT_NE(UnzipTest(archive), 0);
}

}  // namespace
}  // namespace jiuzhu
