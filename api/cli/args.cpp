#include "api/cli/args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace jiuzhu::cli {

Result<Args> Args::Parse(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& w = argv[i];
    if (w.size() > 2 && w.compare(0, 2, "--") == 0) {
      std::string name = w.substr(2);
      std::string value;
      const auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (flags.count(name)) {
        value = "true";
      } else {
        if (i + 1 >= argv.size()) return InvalidArgument("option --" + name + " needs a value", name);
        value = argv[++i];
      }
      a.values_.emplace(name, value);
    } else {
      a.positional_.push_back(w);
    }
  }
  return a;
}

std::optional<std::string> Args::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

std::vector<std::string> Args::All(const std::string& name) const {
  std::vector<std::string> out;
  auto range = values_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

Result<std::string> Args::Require(const std::string& name) const {
  auto v = Get(name);
  if (!v || v->empty()) return InvalidArgument("missing required option --" + name, name);
  return *v;
}

Result<std::int64_t> Args::RequireInt(const std::string& name) const {
  JZ_ASSIGN_OR_RETURN(std::string v, Require(name));
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0') {
    return InvalidArgument("--" + name + " must be a whole number, got \"" + v + "\"", name);
  }
  return static_cast<std::int64_t>(n);
}

Result<std::optional<std::int64_t>> Args::OptionalInt(const std::string& name) const {
  if (!Has(name)) return std::optional<std::int64_t>();
  JZ_ASSIGN_OR_RETURN(std::int64_t n, RequireInt(name));
  return std::optional<std::int64_t>(n);
}

Result<double> Args::NumberOr(const std::string& name, double fallback) const {
  auto v = Get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const double d = std::strtod(v->c_str(), &end);
  if (end == v->c_str() || *end != '\0' || !std::isfinite(d)) {
    return InvalidArgument("--" + name + " must be a number, got \"" + *v + "\"", name);
  }
  return d;
}

Status Args::OnlyKnown(const std::set<std::string>& known) const {
  std::string unknown;
  for (const auto& [k, v] : values_) {
    if (!known.count(k)) unknown += (unknown.empty() ? "--" : ", --") + k;
  }
  if (!unknown.empty()) return InvalidArgument("unknown option(s): " + unknown);
  return Status::Ok();
}

}  // namespace jiuzhu::cli
