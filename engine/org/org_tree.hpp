// The four-tier org tree (city 市 → district 区 → street 街道 → village 村居)
// plus departments (部门) hanging under a city or district, and the people
// who hold roles at its units. Loaded from workflows/org/*.json.
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu {

class OrgTree {
 public:
  OrgTree() = default;

  // Builds the tree from units in any order. Errors (kInvalidArgument): a
  // duplicate id, an unknown parent, a tier that does not sit directly under
  // its parent's tier (village under street, street under district, district
  // under city; departments under a city or district), no city at all. Several
  // cities may share one tree (each a root).
  // Computes each unit's materialised path.
  static Result<OrgTree> Build(std::vector<OrgUnitRecord> units);

  // Parses the org JSON format of workflows/org (see demo-org.json).
  static Result<std::vector<OrgUnitRecord>> ParseUnitsJson(const std::string& json_text,
                                                           const std::string& origin);

  const OrgUnitRecord* Find(const std::string& id) const;
  // The unit itself if it has `tier`, else its nearest ancestor of that tier;
  // nullptr if none.
  const OrgUnitRecord* AncestorAtTier(const std::string& id, Tier tier) const;
  // The department with `code` under the nearest ancestor (district, then
  // city) of `from_id` that has one; nullptr if none.
  const OrgUnitRecord* FindDepartment(const std::string& from_id, const std::string& code) const;
  // True if `id` is `ancestor_id` or lies below it.
  bool IsWithin(const std::string& id, const std::string& ancestor_id) const;
  std::vector<const OrgUnitRecord*> Children(const std::string& id) const;
  const std::vector<OrgUnitRecord>& units() const { return units_; }

 private:
  std::vector<OrgUnitRecord> units_;
  std::map<std::string, size_t> index_;
};

// Parses users with role bindings from the JSON format of workflows/org
// (see demo-users.json), checking every unit exists in `tree` and every role
// is one of `known_roles` (kInvalidArgument naming the user otherwise).
Result<std::vector<UserRecord>> ParseUsersJson(const std::string& json_text,
                                               const std::string& origin, const OrgTree& tree,
                                               const std::vector<std::string>& known_roles);

}  // namespace jiuzhu
