// Who may see and act on what (DESIGN.md invariant 4). Pure functions of the
// org tree, the role catalogue and a user's role bindings; the HTTP layer
// calls these and never decides access itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/org/org_tree.hpp"
#include "engine/programme/programme.hpp"
#include "engine/store/records.hpp"

namespace jiuzhu {

// A user sees a case when one of their units contains the household's
// village (a street reviewer sees their street, a supervisor their subtree),
// or when they handle a department that has a referral for it.
bool ActorSeesCase(const OrgTree& org, const UserRecord& actor, const CaseRecord& c,
                   const std::vector<ReferralRecord>& referrals);

// The binding through which `actor` holds `role` at exactly `unit_id`, if any.
std::optional<RoleBindingRecord> BindingFor(const UserRecord& actor, const std::string& role,
                                            const std::string& unit_id);

// True if one of the actor's roles may read full ID numbers (roles.json
// "sees_full_id") at a unit containing the case's village.
bool ActorSeesFullId(const OrgTree& org, const ProgrammeCatalog& catalog,
                     const UserRecord& actor, const CaseRecord& c);

// Org paths the actor's bindings cover, for scoping list queries.
std::vector<std::string> ScopePaths(const OrgTree& org, const UserRecord& actor);

}  // namespace jiuzhu
