#include "engine/access/access_policy.hpp"

namespace jiuzhu {

namespace {
bool UnitContainsPath(const OrgTree& org, const std::string& unit_id, const std::string& path) {
  const OrgUnitRecord* u = org.Find(unit_id);
  return u != nullptr && u->tier != Tier::kDepartment &&
         path.compare(0, u->path.size(), u->path) == 0;
}
}  // namespace

bool ActorSeesCase(const OrgTree& org, const UserRecord& actor, const CaseRecord& c,
                   const std::vector<ReferralRecord>& referrals) {
  for (const auto& rb : actor.roles) {
    if (UnitContainsPath(org, rb.org_unit_id, c.org_path)) return true;
    for (const auto& r : referrals) {
      if (r.department_unit_id == rb.org_unit_id) return true;
    }
  }
  return false;
}

std::optional<RoleBindingRecord> BindingFor(const UserRecord& actor, const std::string& role,
                                            const std::string& unit_id) {
  for (const auto& rb : actor.roles) {
    if (rb.role == role && rb.org_unit_id == unit_id) return rb;
  }
  return std::nullopt;
}

bool ActorSeesFullId(const OrgTree& org, const ProgrammeCatalog& catalog,
                     const UserRecord& actor, const CaseRecord& c) {
  for (const auto& rb : actor.roles) {
    const RoleDef* def = catalog.Role(rb.role);
    if (def && def->sees_full_id && UnitContainsPath(org, rb.org_unit_id, c.org_path)) return true;
  }
  return false;
}

std::vector<std::string> ScopePaths(const OrgTree& org, const UserRecord& actor) {
  std::vector<std::string> out;
  for (const auto& rb : actor.roles) {
    const OrgUnitRecord* u = org.Find(rb.org_unit_id);
    if (u && u->tier != Tier::kDepartment) out.push_back(u->path);
  }
  return out;
}

}  // namespace jiuzhu
