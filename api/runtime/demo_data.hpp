// Demo data: the org tree and people of workflows/org, and a few hundred
// cases spread over every stage, each walked through the real use cases by
// the right person (so every audit chain is genuine). Times are spread over
// the weeks before now, so some tasks are overdue and others due soon.
#pragma once

#include <map>
#include <string>

#include "api/runtime/runtime.hpp"

namespace jiuzhu {

struct DemoOptions {
  int cases = 300;
  unsigned seed = 20261123;
};

struct DemoSummary {
  int cases = 0;
  int commands = 0;
  std::map<std::string, int> by_state;
};

// Imports workflows/org/demo-org.json and demo-users.json, then creates the
// cases. Idempotent for the org part; cases are added on every call.
Result<DemoSummary> LoadDemo(Runtime& rt, const DemoOptions& options);

// A valid random ID number (GB 11643) for a person born in `birth_year`
// registered in `region6`; for demo data and tests.
std::string MakeIdNumber(const std::string& region6, int birth_year, int month, int day, int seq);

}  // namespace jiuzhu
