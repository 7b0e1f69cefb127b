#include "engine/alerts/alert_rules.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace jiuzhu {

std::optional<std::int64_t> AlertKind::ThresholdFor(const std::string& programme) const {
  auto it = threshold_fen.find(programme);
  if (it == threshold_fen.end()) it = threshold_fen.find("default");
  if (it == threshold_fen.end()) return std::nullopt;
  return it->second;
}

Result<AlertRules> AlertRules::FromJson(const std::string& text, const std::string& origin,
                                        const ProgrammeCatalog& catalog) {
  auto bad = [&](const std::string& field, const std::string& what) {
    return InvalidArgument(origin + ": " + (field.empty() ? "" : field + ": ") + what, field);
  };
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("", "not a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key.rfind('_', 0) != 0 && key != "kinds") return bad(key, "unknown key (expected kinds)");
  }
  if (!doc.contains("kinds") || !doc.at("kinds").is_object() || doc.at("kinds").empty()) {
    return bad("kinds", "an object of alert kinds is required");
  }
  AlertRules rules;
  for (const auto& [code, k] : doc.at("kinds").items()) {
    if (code.rfind('_', 0) == 0) continue;
    const std::string where = "kinds." + code;
    if (!k.is_object()) return bad(where, "not an object");
    AlertKind kind;
    kind.code = code;
    for (const auto& [key, value] : k.items()) {
      if (key.rfind('_', 0) == 0) continue;
      const std::string field = where + "." + key;
      if (key == "name") {
        if (!value.is_string() || value.get<std::string>().empty()) return bad(field, "a name is required");
        kind.name = value.get<std::string>();
      } else if (key == "review_working_days") {
        if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 60) {
          return bad(field, "must be an integer from 1 to 60, got " + value.dump());
        }
        kind.review_working_days = value.get<int>();
      } else if (key == "threshold_yuan") {
        if (!value.is_object()) return bad(field, "an object of programme → yuan");
        for (const auto& [prog, yuan] : value.items()) {
          if (prog != "default" && !catalog.Find(prog).ok()) return bad(field + "." + prog, "unknown programme");
          if (!yuan.is_number() || yuan.get<double>() < 0 || yuan.get<double>() > 1e10) {
            return bad(field + "." + prog, "must be a number of yuan >= 0");
          }
          kind.threshold_fen[prog] = std::llround(yuan.get<double>() * 100.0);
        }
      } else {
        return bad(field, "unknown key (expected name, review_working_days or threshold_yuan)");
      }
    }
    if (kind.name.empty()) return bad(where + ".name", "a name is required");
    rules.kinds_[code] = std::move(kind);
  }
  return rules;
}

Result<AlertRules> AlertRules::LoadFile(const std::string& path, const ProgrammeCatalog& catalog) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str(), path, catalog);
}

const AlertKind* AlertRules::Find(const std::string& code) const {
  auto it = kinds_.find(code);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> AlertRules::Codes() const {
  std::vector<std::string> out;
  for (const auto& [code, k] : kinds_) out.push_back(code);
  return out;
}

}  // namespace jiuzhu
