// The two dialects' migrations move in lockstep: same numbers, same names,
// and every table and index of one exists in the other.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "engine/store/migration_files.hpp"

namespace jiuzhu {
namespace {

// Names of tables, or of secondary indexes whether written as CREATE INDEX
// (SQLite) or as KEY lines inside CREATE TABLE (MySQL).
std::set<std::string> Objects(const std::string& sql, const char* kind) {
  std::set<std::string> out;
  const bool index = std::string(kind) == "INDEX";
  const std::regex re(index ? "(CREATE\\s+(UNIQUE\\s+)?INDEX|^\\s*(UNIQUE\\s+)?KEY)\\s+`?(\\w+)`?"
                            : "CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?",
                      std::regex::icase | std::regex::multiline);
  for (std::sregex_iterator it(sql.begin(), sql.end(), re), end; it != end; ++it) {
    out.insert((*it)[index ? 4 : 2].str());
  }
  return out;
}

TEST(MigrationsTest, DialectsAreInLockstep) {
  auto sqlite = ReadMigrationFiles(std::string(JIUZHU_SOURCE_DIR) + "/migrations/sqlite");
  auto mysql = ReadMigrationFiles(std::string(JIUZHU_SOURCE_DIR) + "/migrations/mysql");
  ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
  ASSERT_TRUE(mysql.ok()) << mysql.status().ToString();
  ASSERT_EQ(sqlite->size(), mysql->size());
  for (size_t i = 0; i < sqlite->size(); ++i) {
    const auto& a = (*sqlite)[i];
    const auto& b = (*mysql)[i];
    // Versions only grow; a number may be missing on a branch while another branch holds it
    // (0007 is the post-audit branch's), but both dialects always have the same files.
    if (i == 0) EXPECT_EQ(a.version, 1) << a.name;
    if (i > 0) EXPECT_GT(a.version, (*sqlite)[i - 1].version) << a.name;
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(Objects(a.sql, "TABLE"), Objects(b.sql, "TABLE")) << a.name;
    EXPECT_EQ(Objects(a.sql, "INDEX"), Objects(b.sql, "INDEX")) << a.name;
  }
}

TEST(MigrationsTest, SplitsStatementsAndSkipsComments) {
  const auto parts = SplitSqlStatements("-- c\nCREATE TABLE a (x INT);\n\nCREATE INDEX i ON a (x);\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x INT)");
}

}  // namespace
}  // namespace jiuzhu
