#include "engine/org/org_tree.hpp"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

namespace jiuzhu {

namespace {
bool ParentTierFits(Tier child, Tier parent) {
  switch (child) {
    case Tier::kDistrict: return parent == Tier::kCity;
    case Tier::kStreet: return parent == Tier::kDistrict;
    case Tier::kVillage: return parent == Tier::kStreet;
    case Tier::kDepartment: return parent == Tier::kCity || parent == Tier::kDistrict;
    case Tier::kCity: return false;
  }
  return false;
}
}  // namespace

Result<OrgTree> OrgTree::Build(std::vector<OrgUnitRecord> units) {
  OrgTree t;
  t.units_ = std::move(units);
  for (size_t i = 0; i < t.units_.size(); ++i) {
    const auto& u = t.units_[i];
    if (u.id.empty()) return InvalidArgument("org unit without id: " + u.name, "id");
    if (!t.index_.emplace(u.id, i).second) {
      return InvalidArgument("duplicate org unit id " + u.id, "id");
    }
  }
  int roots = 0;
  for (const auto& u : t.units_) {
    if (u.parent_id.empty()) {
      if (u.tier != Tier::kCity) {
        return InvalidArgument("org unit " + u.id + " has no parent but is not a city", "parent");
      }
      ++roots;
      continue;
    }
    const OrgUnitRecord* p = t.Find(u.parent_id);
    if (p == nullptr) {
      return InvalidArgument("org unit " + u.id + " names unknown parent " + u.parent_id,
                             "parent");
    }
    if (!ParentTierFits(u.tier, p->tier)) {
      return InvalidArgument(std::string("org unit ") + u.id + " (" + TierName(u.tier) +
                                 ") cannot sit under " + p->id + " (" + TierName(p->tier) + ")",
                             "tier");
    }
    if (u.tier == Tier::kDepartment && u.department_code.empty()) {
      return InvalidArgument("department " + u.id + " needs a department code", "department");
    }
  }
  if (roots == 0) return InvalidArgument("org tree has no city at its root", "parent");
  // Paths: parents come first after sorting by depth, so compute recursively.
  std::function<std::string(size_t, int)> path_of = [&](size_t i, int depth) -> std::string {
    auto& u = t.units_[i];
    if (!u.path.empty()) return u.path;
    if (depth > 8) return std::string();  // cycle guard; tiers make depth <= 4
    u.path = (u.parent_id.empty() ? "/" : path_of(t.index_.at(u.parent_id), depth + 1)) + u.id +
             "/";
    return u.path;
  };
  for (auto& u : t.units_) u.path.clear();
  for (size_t i = 0; i < t.units_.size(); ++i) {
    if (path_of(i, 0).empty()) return InvalidArgument("org tree has a cycle at " + t.units_[i].id);
  }
  return t;
}

Result<std::vector<OrgUnitRecord>> OrgTree::ParseUnitsJson(const std::string& text,
                                                           const std::string& origin) {
  try {
    const auto doc = nlohmann::json::parse(text);
    std::vector<OrgUnitRecord> out;
    // Nested form: {"units": [{"id","name","tier","department"?, "children":[...]}]}
    std::function<Status(const nlohmann::json&, const std::string&)> walk =
        [&](const nlohmann::json& node, const std::string& parent) -> Status {
      OrgUnitRecord u;
      u.id = node.at("id").get<std::string>();
      u.name = node.at("name").get<std::string>();
      const auto tier = ParseTier(node.at("tier").get<std::string>());
      if (!tier) {
        return InvalidArgument(origin + ": unit " + u.id + " has unknown tier " +
                                   node.at("tier").dump(),
                               "tier");
      }
      u.tier = *tier;
      u.parent_id = parent;
      u.department_code = node.value("department", "");
      out.push_back(u);
      if (node.contains("children")) {
        for (const auto& child : node.at("children")) JZ_RETURN_IF_ERROR(walk(child, u.id));
      }
      return Status::Ok();
    };
    for (const auto& root : doc.at("units")) JZ_RETURN_IF_ERROR(walk(root, ""));
    return out;
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed org file: " + e.what());
  }
}

const OrgUnitRecord* OrgTree::Find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &units_[it->second];
}

const OrgUnitRecord* OrgTree::AncestorAtTier(const std::string& id, Tier tier) const {
  const OrgUnitRecord* u = Find(id);
  while (u != nullptr && u->tier != tier) {
    u = u->parent_id.empty() ? nullptr : Find(u->parent_id);
  }
  return u;
}

const OrgUnitRecord* OrgTree::FindDepartment(const std::string& from_id,
                                             const std::string& code) const {
  for (const OrgUnitRecord* u = Find(from_id); u != nullptr;
       u = u->parent_id.empty() ? nullptr : Find(u->parent_id)) {
    if (u->tier != Tier::kDistrict && u->tier != Tier::kCity) continue;
    for (const auto* child : Children(u->id)) {
      if (child->tier == Tier::kDepartment && child->department_code == code) return child;
    }
  }
  return nullptr;
}

bool OrgTree::IsWithin(const std::string& id, const std::string& ancestor_id) const {
  const OrgUnitRecord* u = Find(id);
  const OrgUnitRecord* a = Find(ancestor_id);
  if (u == nullptr || a == nullptr) return false;
  return u->path.compare(0, a->path.size(), a->path) == 0;
}

std::vector<const OrgUnitRecord*> OrgTree::Children(const std::string& id) const {
  std::vector<const OrgUnitRecord*> out;
  for (const auto& u : units_) {
    if (u.parent_id == id) out.push_back(&u);
  }
  return out;
}

Result<std::vector<UserRecord>> ParseUsersJson(const std::string& text, const std::string& origin,
                                               const OrgTree& tree,
                                               const std::vector<std::string>& known_roles) {
  try {
    const auto doc = nlohmann::json::parse(text);
    std::vector<UserRecord> out;
    for (const auto& node : doc.at("users")) {
      UserRecord u;
      u.username = node.at("username").get<std::string>();
      u.display_name = node.at("name").get<std::string>();
      for (const auto& r : node.at("roles")) {
        RoleBindingRecord rb{r.at("role").get<std::string>(), r.at("unit").get<std::string>()};
        if (std::find(known_roles.begin(), known_roles.end(), rb.role) == known_roles.end()) {
          return InvalidArgument(origin + ": user " + u.username + " has unknown role " + rb.role,
                                 "role");
        }
        if (tree.Find(rb.org_unit_id) == nullptr) {
          return InvalidArgument(
              origin + ": user " + u.username + " holds a role at unknown unit " + rb.org_unit_id,
              "unit");
        }
        u.roles.push_back(rb);
      }
      out.push_back(std::move(u));
    }
    return out;
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed users file: " + e.what());
  }
}

}  // namespace jiuzhu
