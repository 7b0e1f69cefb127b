// Reads numbered migration files (NNNN_name.sql) of one dialect. Both store
// adapters use it; each applies the files in its own way and records
// (version, name, checksum) in its schema_migrations table.
#pragma once

#include <string>
#include <vector>

#include "engine/common/status.hpp"

namespace jiuzhu {

struct MigrationFile {
  int version = 0;        // from the NNNN prefix
  std::string name;       // file name
  std::string sql;        // full text
  std::string checksum;   // SHA-256 hex of the text
};

// Files sorted by version. kNotFound if the folder is missing or empty;
// kInvalidArgument for a badly named file or two files with one version.
Result<std::vector<MigrationFile>> ReadMigrationFiles(const std::string& dir);

// Splits a script into statements at ';' that end a line (outside quotes),
// dropping "--" comment lines. Good enough for our own migration files.
std::vector<std::string> SplitSqlStatements(const std::string& sql);

}  // namespace jiuzhu
