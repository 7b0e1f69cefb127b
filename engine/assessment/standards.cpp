#include "engine/assessment/standards.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace jiuzhu {

namespace {

struct CircumstanceNames {
  Circumstance c;
  const char* code;
  const char* zh;
};
constexpr CircumstanceNames kCircumstanceNames[] = {
    {Circumstance::kSeriousIllness, "serious_illness", "重病"},
    {Circumstance::kSevereDisability, "severe_disability", "重残"},
    {Circumstance::kSingleParent, "single_parent", "单亲"},
    {Circumstance::kElderly, "elderly", "老年人"},
    {Circumstance::kNoAbilityToWork, "no_ability_to_work", "无劳动能力"},
};

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return NotFound("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Reads fields of one JSON object, naming the file and the field on errors.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& obj, std::string origin, std::string prefix)
      : obj_(obj), origin_(std::move(origin)), prefix_(std::move(prefix)) {}

  Status Bad(const std::string& field, const std::string& what) const {
    return InvalidArgument(origin_ + ": field " + Path(field) + ": " + what, Path(field));
  }
  std::string Path(const std::string& field) const {
    return prefix_.empty() ? field : prefix_ + "." + field;
  }
  bool Has(const std::string& field) const { return obj_.contains(field); }

  Result<std::string> String(const std::string& field) const {
    if (!obj_.contains(field)) return Bad(field, "missing");
    const auto& v = obj_.at(field);
    if (!v.is_string() || v.get<std::string>().empty())
      return Bad(field, "must be a non-empty string");
    return v.get<std::string>();
  }
  // An integer in [min, max]; `fallback` when absent and a fallback is given.
  Result<int> Int(const std::string& field, int min, int max,
                  std::optional<int> fallback = std::nullopt) const {
    if (!obj_.contains(field)) {
      if (fallback) return *fallback;
      return Bad(field, "missing");
    }
    const auto& v = obj_.at(field);
    if (!v.is_number_integer()) return Bad(field, "must be an integer");
    const auto n = v.get<std::int64_t>();
    if (n < min || n > max) {
      return Bad(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return static_cast<int>(n);
  }
  Result<Fen> Yuan(const std::string& field, std::optional<Fen> fallback = std::nullopt) const {
    if (!obj_.contains(field)) {
      if (fallback) return *fallback;
      return Bad(field, "missing");
    }
    const auto& v = obj_.at(field);
    if (!v.is_number()) return Bad(field, "must be an amount in yuan");
    auto fen = YuanToFen(v.get<double>(), Path(field));
    if (!fen.ok()) return Bad(field, fen.status().message());
    return fen;
  }
  Result<bool> Bool(const std::string& field, bool fallback) const {
    if (!obj_.contains(field)) return fallback;
    const auto& v = obj_.at(field);
    if (!v.is_boolean()) return Bad(field, "must be true or false");
    return v.get<bool>();
  }
  Result<FieldReader> Object(const std::string& field) const {
    if (!obj_.contains(field)) return Bad(field, "missing");
    if (!obj_.at(field).is_object()) return Bad(field, "must be an object");
    return FieldReader(obj_.at(field), origin_, Path(field));
  }
  const nlohmann::json& json() const { return obj_; }

 private:
  const nlohmann::json& obj_;
  std::string origin_;
  std::string prefix_;
};

Status ParseStandards(const nlohmann::json& doc, const std::string& origin,
                      AssessmentStandards& s) {
  if (!doc.is_object()) return InvalidArgument(origin + ": not a JSON object");
  const FieldReader r(doc, origin, "");
  JZ_ASSIGN_OR_RETURN(s.district, r.String("district"));
  if (s.district.size() != 6 || !std::all_of(s.district.begin(), s.district.end(),
                                             [](char c) { return c >= '0' && c <= '9'; })) {
    return r.Bad("district", "must be a six-digit division code");
  }
  JZ_ASSIGN_OR_RETURN(s.district_name, r.String("district_name"));
  JZ_ASSIGN_OR_RETURN(s.year, r.Int("year", 2000, 2100));
  JZ_ASSIGN_OR_RETURN(s.source, r.String("source"));
  JZ_ASSIGN_OR_RETURN(s.dibao_line_monthly, r.Yuan("dibao_line_monthly_yuan"));
  if (s.dibao_line_monthly <= 0) return r.Bad("dibao_line_monthly_yuan", "must be positive");
  JZ_ASSIGN_OR_RETURN(s.low_income_ratio_percent, r.Int("low_income_ratio_percent", 100, 1000));
  s.low_income_line_monthly = s.dibao_line_monthly * s.low_income_ratio_percent / 100;
  JZ_ASSIGN_OR_RETURN(s.elderly_age, r.Int("elderly_age", 40, 120, 60));

  JZ_ASSIGN_OR_RETURN(FieldReader ded, r.Object("deductions"));
  for (const auto& [name, v] : ded.json().items()) {
    const auto c = ParseCircumstance(name);
    if (!c) return ded.Bad(name, "unknown circumstance");
    JZ_ASSIGN_OR_RETURN(s.deduction_percent[*c], ded.Int(name, 0, 100));
  }
  JZ_ASSIGN_OR_RETURN(s.max_total_deduction_percent, r.Int("max_total_deduction_percent", 0, 100));

  JZ_ASSIGN_OR_RETURN(FieldReader rigid, r.Object("rigid_expenditure"));
  JZ_ASSIGN_OR_RETURN(s.medical_threshold, rigid.Yuan("medical_threshold_yuan"));
  JZ_ASSIGN_OR_RETURN(s.medical_percent, rigid.Int("medical_percent", 0, 100));
  JZ_ASSIGN_OR_RETURN(s.education_percent, rigid.Int("education_percent", 0, 100));

  JZ_ASSIGN_OR_RETURN(FieldReader assets, r.Object("asset_limits"));
  JZ_ASSIGN_OR_RETURN(s.deposit_months, assets.Int("deposit_months_of_dibao", 0, 240));
  JZ_ASSIGN_OR_RETURN(s.vehicle_value_limit, assets.Yuan("vehicle_value_limit_yuan"));
  JZ_ASSIGN_OR_RETURN(s.livelihood_vehicle_exempt, assets.Bool("livelihood_vehicle_exempt", true));
  JZ_ASSIGN_OR_RETURN(s.max_housing_count, assets.Int("max_housing_count", 0, 100));
  JZ_ASSIGN_OR_RETURN(s.nominal_company_exempt, assets.Bool("nominal_company_exempt", true));

  JZ_ASSIGN_OR_RETURN(FieldReader linshi, r.Object("linshi"));
  JZ_ASSIGN_OR_RETURN(s.linshi_medical_threshold, linshi.Yuan("medical_expense_threshold_yuan"));
  if (s.linshi_medical_threshold <= 0) {
    return linshi.Bad("medical_expense_threshold_yuan", "must be positive");
  }

  JZ_ASSIGN_OR_RETURN(FieldReader tekun, r.Object("tekun"));
  const auto& list = tekun.json().value("qualifying_circumstances", nlohmann::json());
  if (!list.is_array() || list.empty()) {
    return tekun.Bad("qualifying_circumstances", "must be a non-empty list of circumstances");
  }
  for (const auto& v : list) {
    const auto c = v.is_string() ? ParseCircumstance(v.get<std::string>()) : std::nullopt;
    if (!c) return tekun.Bad("qualifying_circumstances", "unknown circumstance " + v.dump());
    s.tekun_circumstances.push_back(*c);
  }
  return Status::Ok();
}

}  // namespace

const char* CircumstanceName(Circumstance c) {
  for (const auto& n : kCircumstanceNames) {
    if (n.c == c) return n.code;
  }
  return "?";
}

const char* CircumstanceNameZh(Circumstance c) {
  for (const auto& n : kCircumstanceNames) {
    if (n.c == c) return n.zh;
  }
  return "?";
}

std::optional<Circumstance> ParseCircumstance(std::string_view name) {
  for (const auto& n : kCircumstanceNames) {
    if (name == n.code) return n.c;
  }
  return std::nullopt;
}

Result<Fen> YuanToFen(double yuan, const std::string& field) {
  if (!std::isfinite(yuan) || yuan < 0) {
    return InvalidArgument(field + " must be an amount >= 0", field);
  }
  if (yuan > 1e13) return InvalidArgument(field + " is too large", field);
  const double fen = yuan * 100.0;
  const double rounded = std::round(fen);
  if (std::fabs(fen - rounded) > 1e-6 * std::max(1.0, fen)) {
    return InvalidArgument(field + " has more than two decimals", field);
  }
  return static_cast<Fen>(rounded);
}

std::string FenToYuanString(Fen fen) {
  const bool negative = fen < 0;
  const std::uint64_t abs =
      negative ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  std::string cents = std::to_string(abs % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return (negative ? "-" : "") + std::to_string(abs / 100) + "." + cents;
}

Result<StandardsCatalog> StandardsCatalog::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.empty()) return NotFound("no standards files in " + dir);
  std::sort(files.begin(), files.end());
  StandardsCatalog cat;
  for (const auto& f : files) {
    JZ_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
    JZ_RETURN_IF_ERROR(cat.AddJson(text, f.string()));
  }
  return cat;
}

Status StandardsCatalog::AddJson(const std::string& text, const std::string& origin) {
  AssessmentStandards s;
  try {
    const auto doc = nlohmann::json::parse(text);
    JZ_RETURN_IF_ERROR(ParseStandards(doc, origin, s));
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed standards file: " + e.what());
  }
  const auto key = std::make_pair(s.district, s.year);
  if (standards_.count(key)) {
    return InvalidArgument(origin + ": standards for " + s.district + " in " +
                               std::to_string(s.year) + " defined twice",
                           "year");
  }
  standards_.emplace(key, std::move(s));
  return Status::Ok();
}

Result<const AssessmentStandards*> StandardsCatalog::Find(const std::string& district,
                                                          int year) const {
  auto it = standards_.find({district, year});
  if (it != standards_.end()) return &it->second;
  std::string years;
  for (const auto& [key, s] : standards_) {
    if (key.first == district) years += (years.empty() ? "" : ", ") + std::to_string(key.second);
  }
  if (years.empty()) {
    return InvalidArgument("no assistance standards for district \"" + district + "\"", "district");
  }
  return InvalidArgument("no assistance standards for district " + district + " in " +
                             std::to_string(year) + " (known years: " + years + ")",
                         "year");
}

}  // namespace jiuzhu
