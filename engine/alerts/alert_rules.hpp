// Alert kinds as data (workflows/alerts.json): what a data-comparison or sensor
// alert means, how long the street has to review the household, and (large
// medical expense) the amount from which it counts, per programme.
//
// File format:
//   {"kinds": {"death": {"name": "死亡登记", "review_working_days": 3},
//              "large_medical_expense": {"name": "...", "review_working_days": 5,
//                                        "threshold_yuan": {"default": 20000, "dibao": 10000}}}}
// Keys starting with '_' are comments. Immutable after loading; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/programme/programme.hpp"

namespace jiuzhu {

struct AlertKind {
  std::string code;  // "death"
  std::string name;  // 死亡登记
  int review_working_days = 5;
  // Amount (fen) from which the alert counts, per programme; "default" for the rest.
  // Empty: every alert of this kind counts.
  std::map<std::string, std::int64_t> threshold_fen;

  // The threshold for a case of `programme`, if this kind has one.
  std::optional<std::int64_t> ThresholdFor(const std::string& programme) const;
};

class AlertRules {
 public:
  // Errors: kInvalidArgument whose message begins with `origin` and names the JSON path:
  // malformed JSON, no "kinds" object, an unknown key, a name missing, review_working_days
  // not an integer in 1..60, a threshold not a number >= 0, a threshold for an unknown
  // programme.
  static Result<AlertRules> FromJson(const std::string& text, const std::string& origin,
                                     const ProgrammeCatalog& catalog);
  // kNotFound if the file cannot be read.
  static Result<AlertRules> LoadFile(const std::string& path, const ProgrammeCatalog& catalog);

  const AlertKind* Find(const std::string& code) const;
  std::vector<std::string> Codes() const;

 private:
  std::map<std::string, AlertKind> kinds_;
};

}  // namespace jiuzhu
