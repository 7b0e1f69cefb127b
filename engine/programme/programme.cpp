#include "engine/programme/programme.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace jiuzhu {

namespace {

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return NotFound("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr CaseState kStagesWithTasks[] = {CaseState::kDiscover, CaseState::kAssess,
                                          CaseState::kCommit,   CaseState::kReview,
                                          CaseState::kApprove,  CaseState::kRefer,
                                          CaseState::kFeedback, CaseState::kMonitor};

}  // namespace

Result<ProgrammeCatalog> ProgrammeCatalog::LoadDirectory(const std::string& workflows_dir) {
  namespace fs = std::filesystem;
  ProgrammeCatalog cat;
  const fs::path root(workflows_dir);
  JZ_ASSIGN_OR_RETURN(std::string roles, ReadFile(root / "roles.json"));
  JZ_RETURN_IF_ERROR(cat.AddRolesJson(roles, (root / "roles.json").string()));
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(root / "programmes", ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.empty()) return NotFound("no programme files in " + (root / "programmes").string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    JZ_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
    JZ_RETURN_IF_ERROR(cat.AddProgrammeJson(text, f.string()));
  }
  return cat;
}

Status ProgrammeCatalog::AddRolesJson(const std::string& text, const std::string& origin) {
  try {
    const auto doc = nlohmann::json::parse(text);
    for (const auto& r : doc.at("roles")) {
      RoleDef def;
      def.code = r.at("code").get<std::string>();
      def.name_zh = r.at("name").get<std::string>();
      const auto tier = ParseTier(r.at("tier").get<std::string>());
      if (!tier) return InvalidArgument(origin + ": role " + def.code + " has unknown tier", "tier");
      def.tier = *tier;
      def.sees_full_id = r.value("sees_full_id", false);
      def.supervises = r.value("supervises", false);
      roles_[def.code] = def;
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed roles file: " + e.what());
  }
}

Status ProgrammeCatalog::AddProgrammeJson(const std::string& text, const std::string& origin) {
  Programme p;
  try {
    const auto doc = nlohmann::json::parse(text);
    p.code = doc.at("code").get<std::string>();
    p.name_zh = doc.at("name").get<std::string>();
    p.short_zh = doc.value("short_name", p.name_zh);
    p.fast_track_allowed = doc.value("fast_track_allowed", true);
    auto bad = [&](const std::string& what, const std::string& field) {
      return InvalidArgument(origin + ": programme " + p.code + ": " + what, field);
    };
    auto known_role = [&](const std::string& role) { return roles_.count(role) > 0; };
    for (const auto& r : doc.at("intake_roles")) {
      const auto role = r.get<std::string>();
      if (!known_role(role)) return bad("unknown intake role " + role, "intake_roles");
      p.intake_roles.push_back(role);
    }
    for (const auto& [name, s] : doc.at("stages").items()) {
      const auto stage = ParseCaseState(name);
      if (!stage || IsTerminal(*stage)) return bad("unknown stage " + name, "stages");
      StageDef def;
      def.stage = *stage;
      def.task_kind = s.at("task").get<std::string>();
      def.task_name_zh = s.value("task_name", def.task_kind);
      def.role = s.at("role").get<std::string>();
      if (!known_role(def.role)) return bad("stage " + name + ": unknown role " + def.role, "role");
      const auto tier = ParseTier(s.at("tier").get<std::string>());
      if (!tier) return bad("stage " + name + ": unknown tier", "tier");
      def.tier = *tier;
      const auto& days = s.at("working_days");
      if (days.is_object()) {
        def.working_days = days.value("default", 0);
        for (const auto& [route_name, n] : days.items()) {
          if (route_name == "default") continue;
          const auto route = ParseRoute(route_name);
          if (!route) return bad("stage " + name + ": unknown route " + route_name, "routes");
          def.working_days_by_route[*route] = n.get<int>();
        }
      } else {
        def.working_days = days.get<int>();
      }
      if (def.working_days < 0) return bad("stage " + name + ": negative days", "working_days");
      for (const auto& [r, n] : def.working_days_by_route) {
        if (n < 0) return bad("stage " + name + ": negative days", "working_days");
      }
      p.stages[def.stage] = def;
    }
    for (CaseState s : kStagesWithTasks) {
      if (!p.stages.count(s)) return bad(std::string("stage ") + CaseStateName(s) + " missing", "stages");
    }
    for (const auto& [name, r] : doc.at("routes").items()) {
      const auto route = ParseRoute(name);
      if (!route || *route == Route::kUndecided) return bad("unknown route " + name, "routes");
      RouteDef def;
      def.route = *route;
      def.promise_working_days = r.at("promise_working_days").get<int>();
      for (const auto& st : r.at("stages")) {
        const auto stage = ParseCaseState(st.get<std::string>());
        if (!stage || !p.stages.count(*stage)) {
          return bad("route " + name + ": unknown stage " + st.dump(), "routes");
        }
        def.stages.push_back(*stage);
      }
      int sum = 0;
      for (CaseState s : def.stages) sum += p.stages.at(s).DaysFor(def.route);
      if (sum > def.promise_working_days) {
        return bad("route " + name + ": stage deadlines add up to " + std::to_string(sum) +
                       " working days, more than its promise of " +
                       std::to_string(def.promise_working_days),
                   "routes");
      }
      p.routes[def.route] = def;
    }
    if (!p.routes.count(Route::kOrdinary) || !p.routes.count(Route::kFastTrack)) {
      return bad("both routes, ordinary and fast_track, must be described", "routes");
    }
    if (doc.contains("event_roles")) {
      for (const auto& [name, list] : doc.at("event_roles").items()) {
        const auto ev = ParseCaseEvent(name);
        if (!ev) return bad("event_roles: unknown event " + name, "event_roles");
        for (const auto& r : list) {
          EventAuthority a;
          a.role = r.at("role").get<std::string>();
          if (!known_role(a.role)) return bad("event_roles: unknown role " + a.role, "event_roles");
          const auto tier = ParseTier(r.at("tier").get<std::string>());
          if (!tier) return bad("event_roles: unknown tier", "event_roles");
          a.tier = *tier;
          if (r.contains("in_states")) {
            for (const auto& st : r.at("in_states")) {
              const auto state = ParseCaseState(st.get<std::string>());
              if (!state) return bad("event_roles: unknown state " + st.dump(), "event_roles");
              a.in_states.push_back(*state);
            }
          }
          p.event_roles[*ev].push_back(a);
        }
      }
    }
  } catch (const std::exception& e) {
    return InvalidArgument(origin + ": malformed programme file: " + e.what());
  }
  if (programmes_.count(p.code)) {
    return InvalidArgument(origin + ": programme " + p.code + " defined twice", "code");
  }
  programmes_[p.code] = std::move(p);
  return Status::Ok();
}

Result<const Programme*> ProgrammeCatalog::Find(const std::string& code) const {
  auto it = programmes_.find(code);
  if (it == programmes_.end()) {
    std::string known;
    for (const auto& [c, p] : programmes_) known += (known.empty() ? "" : ", ") + c;
    return InvalidArgument("unknown programme \"" + code + "\" (known: " + known + ")",
                           "programme");
  }
  return &it->second;
}

const RoleDef* ProgrammeCatalog::Role(const std::string& code) const {
  auto it = roles_.find(code);
  return it == roles_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProgrammeCatalog::RoleCodes() const {
  std::vector<std::string> out;
  for (const auto& [c, r] : roles_) out.push_back(c);
  return out;
}

}  // namespace jiuzhu
