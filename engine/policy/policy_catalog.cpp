#include "engine/policy/policy_catalog.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace jiuzhu {

const std::vector<HouseholdFactDef> kHouseholdFacts = {
    {"serious_illness", "家庭成员患重病"},
    {"severe_disability", "家庭成员重度残疾"},
    {"single_parent", "单亲家庭"},
    {"elderly", "家中有老年人"},
    {"no_ability_to_work", "家庭成员无劳动能力"},
    {"programme:dibao", "符合低保条件"},
    {"programme:tekun", "符合特困供养条件"},
    {"programme:linshi", "符合临时救助条件"},
    {"pool:relief", "纳入救助库"},
    {"pool:monitoring", "纳入监测库"},
    {"pool:general", "纳入一般库"},
    {"low_income", "低收入家庭"},
    {"medical_expense", "有医疗支出"},
    {"large_medical_expense", "大额医疗支出"},
    {"education_expense", "有教育支出"},
    {"school_age_child", "有在学年龄子女（6至18岁）"},
    {"working_age_able", "有劳动年龄内可就业成员（16至59岁）"},
    {"no_housing", "名下无住房"},
    {"no_capable_supporter", "无有能力的赡养、抚养、扶养义务人"},
};

const char* HouseholdFactLabel(std::string_view code) {
  for (const auto& f : kHouseholdFacts) {
    if (code == f.code) return f.label;
  }
  return nullptr;
}

namespace {

Status ParsePolicy(const nlohmann::json& p, const std::string& origin, const std::string& at,
                   Policy& out) {
  auto bad = [&](const std::string& field, const std::string& what) {
    const std::string who = out.code.empty() ? at : at + " (" + out.code + ")";
    return InvalidArgument(origin + ": " + who + ": " + field + " " + what, at + "." + field);
  };
  if (!p.is_object()) return InvalidArgument(origin + ": " + at + " is not an object", at);
  auto text = [&](const char* field, std::string& dst) -> Status {
    if (!p.contains(field) || !p.at(field).is_string() || p.at(field).get<std::string>().empty()) {
      return bad(field, "must be a non-empty string");
    }
    dst = p.at(field).get<std::string>();
    return Status::Ok();
  };
  JZ_RETURN_IF_ERROR(text("code", out.code));
  JZ_RETURN_IF_ERROR(text("department", out.department));
  JZ_RETURN_IF_ERROR(text("name", out.name));
  JZ_RETURN_IF_ERROR(text("description", out.description));

  auto strings = [&](const char* field, std::vector<std::string>& dst, bool required) -> Status {
    if (!p.contains(field)) return required ? bad(field, "missing") : Status::Ok();
    const auto& list = p.at(field);
    if (!list.is_array() || (required && list.empty()))
      return bad(field, "must be a list of words");
    for (const auto& w : list) {
      if (!w.is_string() || w.get<std::string>().empty()) {
        return bad(field, "must hold non-empty strings");
      }
      dst.push_back(w.get<std::string>());
    }
    return Status::Ok();
  };
  JZ_RETURN_IF_ERROR(strings("keywords", out.keywords, true));
  JZ_RETURN_IF_ERROR(strings("initials", out.initials, false));
  for (const auto& i : out.initials) {
    if (!std::all_of(i.begin(), i.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      return bad("initials", "must be lower-case letters a-z (\"" + i + "\")");
    }
  }
  if (p.contains("feedback_working_days")) {
    const auto& d = p.at("feedback_working_days");
    if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 60) {
      return bad("feedback_working_days", "must be an integer from 1 to 60");
    }
    out.feedback_working_days = d.get<int>();
  }
  if (p.contains("candidate_when")) {
    const auto& alts = p.at("candidate_when");
    if (!alts.is_array()) return bad("candidate_when", "must be a list of fact lists");
    for (const auto& alt : alts) {
      if (!alt.is_array() || alt.empty()) {
        return bad("candidate_when", "each alternative must be a non-empty list of facts");
      }
      std::vector<std::string> facts;
      for (const auto& f : alt) {
        if (!f.is_string() || !HouseholdFactLabel(f.get<std::string>())) {
          return bad("candidate_when", "has an unknown fact " + f.dump());
        }
        facts.push_back(f.get<std::string>());
      }
      out.candidate_when.push_back(std::move(facts));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<PolicyCatalog> PolicyCatalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str(), path);
}

Result<PolicyCatalog> PolicyCatalog::FromJson(const std::string& text, const std::string& origin) {
  PolicyCatalog cat;
  try {
    const auto doc = nlohmann::json::parse(text);
    if (!doc.is_object() || !doc.contains("policies") || !doc.at("policies").is_array() ||
        doc.at("policies").empty()) {
      return InvalidArgument(origin + ": needs a non-empty \"policies\" list", "policies");
    }
    const auto& list = doc.at("policies");
    for (size_t i = 0; i < list.size(); ++i) {
      Policy p;
      const std::string at = "policies[" + std::to_string(i) + "]";
      JZ_RETURN_IF_ERROR(ParsePolicy(list[i], origin, at, p));
      if (cat.Find(p.code)) {
        return InvalidArgument(origin + ": " + at + ": policy code " + p.code + " used twice",
                               at + ".code");
      }
      cat.policies_.push_back(std::move(p));
    }
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed policy file: " + e.what());
  }
  return cat;
}

Status PolicyCatalog::CheckDepartments(const std::vector<std::string>& known) const {
  for (const auto& p : policies_) {
    if (std::find(known.begin(), known.end(), p.department) == known.end()) {
      return InvalidArgument("policy " + p.code + ": unknown department \"" + p.department + "\"",
                             "department");
    }
  }
  return Status::Ok();
}

const Policy* PolicyCatalog::Find(std::string_view code) const {
  for (const auto& p : policies_) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

}  // namespace jiuzhu
