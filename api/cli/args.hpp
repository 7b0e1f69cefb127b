// A small command-line parser for `jiuzhu`: positional words, `--name value`
// options and `--flag` switches. Every option a command reads is declared
// up front, so a misspelled option is an error, not silently ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/common/status.hpp"

namespace jiuzhu::cli {

class Args {
 public:
  // `flags` take no value; every other --name takes one. Repeated options
  // are kept in order (see All).
  static Result<Args> Parse(const std::vector<std::string>& argv, const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> All(const std::string& name) const;
  // kInvalidArgument naming the option if missing (for Require) or not an integer / number.
  Result<std::string> Require(const std::string& name) const;
  Result<std::int64_t> RequireInt(const std::string& name) const;
  Result<std::optional<std::int64_t>> OptionalInt(const std::string& name) const;
  Result<double> NumberOr(const std::string& name, double fallback) const;
  // kInvalidArgument listing options given that the command does not know.
  Status OnlyKnown(const std::set<std::string>& known) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> values_;
};

}  // namespace jiuzhu::cli
