// The policy catalogue (政策资源清单) as data (workflows/policies.json): the
// assistance programmes of other departments and of contracted social
// organisations that a household can be referred to (转介), each with its
// department code (as in workflows/org/*.json), Chinese name, description,
// search keywords, pinyin initials of its own terms, the feedback deadline
// in working days, and the household facts that make a household a
// candidate (see kHouseholdFacts and policy_proposal.hpp).
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/status.hpp"

namespace jiuzhu {

// A fact about an assessed household that a policy may require, with its
// Chinese wording for reasons. The closed vocabulary of `candidate_when`.
struct HouseholdFactDef {
  const char* code;   // "severe_disability", "programme:dibao", "pool:relief", ...
  const char* label;  // 家庭成员重度残疾
};
extern const std::vector<HouseholdFactDef> kHouseholdFacts;
// The Chinese label of a fact, or nullptr if the code is not in the vocabulary.
const char* HouseholdFactLabel(std::string_view code);

struct Policy {
  std::string code;        // "canlian_nursing_subsidy", unique
  std::string department;  // department code, "canlian"
  std::string name;        // 重度残疾人护理补贴
  std::string description;
  std::vector<std::string> keywords;  // 残疾, 重残, 护理补贴, ...
  std::vector<std::string> initials;  // pinyin initials of the name and key terms, "zdcjrhlbt"
  int feedback_working_days = 10;     // the department answers a referral within this
  // Alternatives, each a list of facts that must all hold. Empty: the policy
  // is found by search only, never proposed automatically.
  std::vector<std::vector<std::string>> candidate_when;
};

class PolicyCatalog {
 public:
  // Reads and parses one file (workflows/policies.json). kNotFound when it
  // cannot be read; otherwise as FromJson.
  static Result<PolicyCatalog> LoadFile(const std::string& path);

  // Errors (kInvalidArgument, the message naming `origin` and the policy, the
  // field naming e.g. "policies[3].keywords"): malformed JSON, no policies, a
  // missing or empty code/department/name/description, a duplicate code,
  // keywords not a list of non-empty strings, initials not lower-case a–z,
  // feedback days outside 1..60, an unknown fact in candidate_when or an
  // empty alternative.
  static Result<PolicyCatalog> FromJson(const std::string& text, const std::string& origin);

  // kInvalidArgument (field "department") naming the first policy whose
  // department is not among `known_departments` (e.g. the org tree's codes).
  Status CheckDepartments(const std::vector<std::string>& known_departments) const;

  // nullptr when unknown.
  const Policy* Find(std::string_view code) const;
  // In file order; the order is part of the ranking tie-break.
  const std::vector<Policy>& policies() const { return policies_; }

 private:
  std::vector<Policy> policies_;
};

}  // namespace jiuzhu
