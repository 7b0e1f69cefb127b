#include "engine/assessment/household_json.hpp"

#include <set>

namespace jiuzhu {

namespace {

Status WrongType(const std::string& field, const char* expected) {
  return InvalidArgument(field + " must be " + expected, field);
}

Result<Fen> ReadYuan(const nlohmann::json& v, const std::string& field) {
  if (!v.is_number()) return WrongType(field, "an amount in yuan");
  return YuanToFen(v.get<double>(), field);
}

Status ReadBool(const nlohmann::json& j, const char* key, const std::string& field, bool* out) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  if (!j.at(key).is_boolean()) return WrongType(field, "true or false");
  *out = j.at(key).get<bool>();
  return Status::Ok();
}

Status ReadInt(const nlohmann::json& j, const char* key, const std::string& field,
               std::optional<int>* out) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  const auto& v = j.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < -100000 || v.get<std::int64_t>() > 100000) {
    return WrongType(field, "a whole number");
  }
  *out = v.get<int>();
  return Status::Ok();
}

Status ReadString(const nlohmann::json& j, const char* key, const std::string& field,
                  std::string* out) {
  if (!j.contains(key) || j.at(key).is_null()) return Status::Ok();
  if (!j.at(key).is_string()) return WrongType(field, "text");
  *out = j.at(key).get<std::string>();
  return Status::Ok();
}

Result<std::vector<nlohmann::json>> ReadList(const nlohmann::json& j, const char* key) {
  std::vector<nlohmann::json> out;
  if (!j.contains(key) || j.at(key).is_null()) return out;
  if (!j.at(key).is_array()) return WrongType(key, "a list");
  for (const auto& e : j.at(key)) out.push_back(e);
  return out;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

Result<AssessmentInput> ParseHouseholdJson(const nlohmann::json& j) {
  if (!j.is_object()) return WrongType("assessment", "a JSON object");
  static const std::set<std::string> kKeys = {"members",
                                              "income",
                                              "deposits_yuan",
                                              "housing_count",
                                              "vehicles",
                                              "companies",
                                              "medical_expense_yuan",
                                              "education_expense_yuan",
                                              "has_capable_supporter",
                                              "sudden_hardship"};
  for (const auto& [key, value] : j.items()) {
    if (!kKeys.count(key)) return InvalidArgument("unknown field \"" + key + "\"", key);
  }
  AssessmentInput in;
  if (!j.contains("members")) return InvalidArgument("at least one household member", "members");
  JZ_ASSIGN_OR_RETURN(auto members, ReadList(j, "members"));
  for (size_t i = 0; i < members.size(); ++i) {
    const std::string at = "members[" + std::to_string(i) + "]";
    const auto& m = members[i];
    if (!m.is_object()) return WrongType(at, "an object");
    AssessedMember am;
    JZ_RETURN_IF_ERROR(ReadString(m, "name", at + ".name", &am.name));
    if (Blank(am.name)) return InvalidArgument(at + ": the member has no name", at + ".name");
    JZ_RETURN_IF_ERROR(ReadString(m, "relation", at + ".relation", &am.relation));
    JZ_RETURN_IF_ERROR(ReadInt(m, "age", at + ".age", &am.age));
    JZ_RETURN_IF_ERROR(ReadInt(m, "birth_year", at + ".birth_year", &am.birth_year));
    if (m.contains("circumstances") && !m.at("circumstances").is_null()) {
      if (!m.at("circumstances").is_array()) {
        return WrongType(at + ".circumstances", "a list of circumstance codes");
      }
      for (const auto& c : m.at("circumstances")) {
        if (!c.is_string()) return WrongType(at + ".circumstances", "a list of circumstance codes");
        am.circumstances.push_back(c.get<std::string>());
      }
    }
    in.members.push_back(std::move(am));
  }
  JZ_ASSIGN_OR_RETURN(auto income, ReadList(j, "income"));
  for (size_t i = 0; i < income.size(); ++i) {
    const std::string at = "income[" + std::to_string(i) + "]";
    const auto& line = income[i];
    if (!line.is_object()) return WrongType(at, "an object");
    IncomeLine il;
    JZ_RETURN_IF_ERROR(ReadString(line, "kind", at + ".kind", &il.kind));
    if (!line.contains("monthly_yuan") || !line.at("monthly_yuan").is_array()) {
      return WrongType(at + ".monthly_yuan", "a list of 12 monthly amounts");
    }
    const auto& months = line.at("monthly_yuan");
    for (size_t m = 0; m < months.size(); ++m) {
      JZ_ASSIGN_OR_RETURN(Fen f,
                          ReadYuan(months[m], at + ".monthly_yuan[" + std::to_string(m) + "]"));
      il.monthly.push_back(f);
    }
    in.income.push_back(std::move(il));
  }
  for (auto [key, target] : {std::pair{"deposits_yuan", &in.deposits},
                             std::pair{"medical_expense_yuan", &in.medical_expense},
                             std::pair{"education_expense_yuan", &in.education_expense}}) {
    if (j.contains(key) && !j.at(key).is_null()) {
      JZ_ASSIGN_OR_RETURN(*target, ReadYuan(j.at(key), key));
    }
  }
  std::optional<int> homes;
  JZ_RETURN_IF_ERROR(ReadInt(j, "housing_count", "housing_count", &homes));
  if (homes) in.housing_count = *homes;
  JZ_ASSIGN_OR_RETURN(auto vehicles, ReadList(j, "vehicles"));
  for (size_t i = 0; i < vehicles.size(); ++i) {
    const std::string at = "vehicles[" + std::to_string(i) + "]";
    if (!vehicles[i].is_object()) return WrongType(at, "an object");
    Vehicle v;
    if (!vehicles[i].contains("value_yuan")) {
      return InvalidArgument(at + ": the vehicle's value is required", at + ".value_yuan");
    }
    JZ_ASSIGN_OR_RETURN(v.value, ReadYuan(vehicles[i].at("value_yuan"), at + ".value_yuan"));
    JZ_RETURN_IF_ERROR(
        ReadBool(vehicles[i], "sole_livelihood", at + ".sole_livelihood", &v.sole_livelihood));
    in.vehicles.push_back(v);
  }
  JZ_ASSIGN_OR_RETURN(auto companies, ReadList(j, "companies"));
  for (size_t i = 0; i < companies.size(); ++i) {
    const std::string at = "companies[" + std::to_string(i) + "]";
    if (!companies[i].is_object()) return WrongType(at, "an object");
    CompanyRegistration c;
    JZ_RETURN_IF_ERROR(ReadString(companies[i], "name", at + ".name", &c.name));
    JZ_RETURN_IF_ERROR(ReadBool(companies[i], "nominal", at + ".nominal", &c.nominal));
    in.companies.push_back(std::move(c));
  }
  JZ_RETURN_IF_ERROR(
      ReadBool(j, "has_capable_supporter", "has_capable_supporter", &in.has_capable_supporter));
  JZ_RETURN_IF_ERROR(ReadBool(j, "sudden_hardship", "sudden_hardship", &in.sudden_hardship));
  return in;
}

nlohmann::json HouseholdToJson(const AssessmentInput& in) {
  auto yuan = [](Fen f) { return static_cast<double>(f) / 100.0; };
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : in.members) {
    nlohmann::json jm = {
        {"name", m.name}, {"relation", m.relation}, {"circumstances", m.circumstances}};
    if (m.age) jm["age"] = *m.age;
    if (m.birth_year) jm["birth_year"] = *m.birth_year;
    members.push_back(std::move(jm));
  }
  nlohmann::json income = nlohmann::json::array();
  for (const auto& line : in.income) {
    nlohmann::json months = nlohmann::json::array();
    for (Fen f : line.monthly) months.push_back(yuan(f));
    income.push_back({{"kind", line.kind}, {"monthly_yuan", months}});
  }
  nlohmann::json vehicles = nlohmann::json::array();
  for (const auto& v : in.vehicles) {
    vehicles.push_back({{"value_yuan", yuan(v.value)}, {"sole_livelihood", v.sole_livelihood}});
  }
  nlohmann::json companies = nlohmann::json::array();
  for (const auto& c : in.companies) {
    companies.push_back({{"name", c.name}, {"nominal", c.nominal}});
  }
  return {{"members", members},
          {"income", income},
          {"deposits_yuan", yuan(in.deposits)},
          {"housing_count", in.housing_count},
          {"vehicles", vehicles},
          {"companies", companies},
          {"medical_expense_yuan", yuan(in.medical_expense)},
          {"education_expense_yuan", yuan(in.education_expense)},
          {"has_capable_supporter", in.has_capable_supporter},
          {"sudden_hardship", in.sudden_hardship}};
}

}  // namespace jiuzhu
