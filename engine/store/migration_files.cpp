#include "engine/store/migration_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/common/crypto.hpp"

namespace jiuzhu {

Result<std::vector<MigrationFile>> ReadMigrationFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("migrations folder not found: " + dir);
  std::vector<MigrationFile> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    if (name.size() < 6 || !std::all_of(name.begin(), name.begin() + 4, ::isdigit) ||
        name[4] != '_') {
      return InvalidArgument("migration file must be named NNNN_name.sql: " + name);
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    MigrationFile f;
    f.version = std::stoi(name.substr(0, 4));
    f.name = name;
    f.sql = ss.str();
    f.checksum = Sha256Hex(f.sql);
    files.push_back(std::move(f));
  }
  if (files.empty()) return NotFound("no migration files in " + dir);
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      return InvalidArgument("two migrations share version " + std::to_string(files[i].version));
    }
  }
  return files;
}

std::vector<std::string> SplitSqlStatements(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream lines(sql);
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    if (line.compare(first, 2, "--") == 0) continue;
    current += line;
    current += '\n';
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.erase(current.find_last_of(';'));
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

}  // namespace jiuzhu
