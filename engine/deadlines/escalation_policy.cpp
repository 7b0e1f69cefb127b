#include "engine/deadlines/escalation_policy.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace jiuzhu {

namespace {

int TierRank(Tier t) {
  switch (t) {
    case Tier::kCity: return 4;
    case Tier::kDistrict: return 3;
    case Tier::kStreet: return 2;
    case Tier::kVillage: return 1;
    case Tier::kDepartment: return 0;
  }
  return 0;
}

}  // namespace

Result<EscalationPolicy> EscalationPolicy::FromJson(const std::string& text,
                                                    const std::string& origin,
                                                    const ProgrammeCatalog& catalog) {
  auto bad = [&](const std::string& what) {
    return InvalidArgument(origin + ": " + what, "escalation");
  };
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  EscalationPolicy p;
  auto parse_rule = [&](const nlohmann::json& j, const std::string& where,
                        EscalationRule base) -> Result<EscalationRule> {
    if (!j.is_object()) return bad(where + ": not an object");
    EscalationRule r = base;
    if (j.contains("notify_supervisor_after_working_days")) {
      const auto& n = j.at("notify_supervisor_after_working_days");
      if (!n.is_number_integer() || n.get<int>() < 0) return bad(where + ": days must be >= 0");
      r.notify_supervisor_after = n.get<int>();
    }
    if (j.contains("reassign")) {
      const auto& a = j.at("reassign");
      if (!a.is_object() || !a.contains("after_working_days") || !a.contains("role") ||
          !a.at("after_working_days").is_number_integer() || !a.at("role").is_string()) {
        return bad(where + ": reassign needs after_working_days and role");
      }
      r.reassign_after = a.at("after_working_days").get<int>();
      r.reassign_role = a.at("role").get<std::string>();
      if (catalog.Role(r.reassign_role) == nullptr) {
        return bad(where + ": unknown role " + r.reassign_role);
      }
      if (r.reassign_after <= r.notify_supervisor_after) {
        return bad(where + ": reassignment must come after the supervisor notice");
      }
    }
    return r;
  };
  if (doc.contains("supervisor_roles")) {
    p.supervisor_roles_.clear();
    for (const auto& r : doc.at("supervisor_roles")) {
      if (!r.is_string() || catalog.Role(r.get<std::string>()) == nullptr) {
        return bad("supervisor_roles: unknown role " + r.dump());
      }
      p.supervisor_roles_.push_back(r.get<std::string>());
    }
  }
  if (doc.contains("default")) {
    JZ_ASSIGN_OR_RETURN(p.default_, parse_rule(doc.at("default"), "default", EscalationRule{}));
  }
  if (doc.contains("stages")) {
    if (!doc.at("stages").is_object()) return bad("stages: not an object");
    for (const auto& [name, j] : doc.at("stages").items()) {
      const auto stage = ParseCaseState(name);
      if (!stage || IsTerminal(*stage)) return bad("unknown stage " + name);
      JZ_ASSIGN_OR_RETURN(EscalationRule r, parse_rule(j, "stage " + name, p.default_));
      if (!r.reassign_role.empty()) {
        // The task must move up: the new role's tier above every programme's tier for the stage.
        const RoleDef* role = catalog.Role(r.reassign_role);
        for (const auto& [code, prog] : catalog.programmes()) {
          const StageDef* def = prog.Stage(*stage);
          if (def && TierRank(role->tier) <= TierRank(def->tier)) {
            return bad("stage " + name + ": " + r.reassign_role + " is not above the " + code +
                       " task's tier");
          }
        }
      }
      p.stages_[*stage] = r;
    }
  }
  return p;
}

Result<EscalationPolicy> EscalationPolicy::LoadFile(const std::string& path,
                                                    const ProgrammeCatalog& catalog) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path, catalog);
}

const EscalationRule& EscalationPolicy::For(CaseState stage) const {
  auto it = stages_.find(stage);
  return it == stages_.end() ? default_ : it->second;
}

std::optional<Micros> EscalationPolicy::FireTime(CaseState stage, Micros due_at, int level,
                                                 const WorkingCalendar& calendar) const {
  const EscalationRule& r = For(stage);
  switch (level) {
    case kLevelOverdue: return due_at;
    case kLevelSupervisor:
      if (r.notify_supervisor_after < 0) return std::nullopt;
      return calendar.AddWorkingDays(due_at, r.notify_supervisor_after);
    case kLevelReassigned:
      if (r.reassign_after < 0 || r.reassign_role.empty()) return std::nullopt;
      return calendar.AddWorkingDays(due_at, r.reassign_after);
    default: return std::nullopt;
  }
}

std::optional<std::pair<int, Micros>> EscalationPolicy::NextLevel(
    CaseState stage, Micros due_at, int level, const WorkingCalendar& calendar) const {
  for (int next = level + 1; next <= kLevelReassigned; ++next) {
    if (auto at = FireTime(stage, due_at, next, calendar)) return std::make_pair(next, *at);
  }
  return std::nullopt;
}

}  // namespace jiuzhu
