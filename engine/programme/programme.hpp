// Programmes as data (workflows/programmes/*.json) and the role catalogue
// (workflows/roles.json). For each lifecycle stage a programme names the task
// to open, the role and tier it is routed to, and its deadline in working
// days, possibly per route. Changing a deadline or a role is a data edit.
//
// Immutable after loading; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/domain/case_types.hpp"

namespace jiuzhu {

struct RoleDef {
  std::string code;     // "street_reviewer"
  std::string name_zh;  // 街道审核员
  Tier tier = Tier::kStreet;
  bool sees_full_id = false;   // may read full ID numbers
  bool supervises = false;     // sees the whole subtree of its unit
};

struct StageDef {
  CaseState stage = CaseState::kDiscover;
  std::string task_kind;     // "approval"
  std::string task_name_zh;  // 审批
  std::string role;          // "district_approver"
  Tier tier = Tier::kDistrict;  // resolved from the household's village upwards
  int working_days = 0;         // default deadline
  std::map<Route, int> working_days_by_route;  // overrides per route
  int DaysFor(Route r) const {
    auto it = working_days_by_route.find(r);
    return it == working_days_by_route.end() ? working_days : it->second;
  }
};

struct RouteDef {
  Route route = Route::kOrdinary;
  int promise_working_days = 0;  // end to end, from the report to the decision
  std::vector<CaseState> stages; // stages on the way to approval, in order
};

// Who may issue an event instead of the current stage task's role. With
// `in_states` empty it applies in every state, else only in those.
struct EventAuthority {
  std::string role;
  Tier tier = Tier::kDistrict;
  std::vector<CaseState> in_states;
};

struct Programme {
  std::string code;      // "dibao"
  std::string name_zh;   // 最低生活保障
  std::string short_zh;  // 低保
  bool fast_track_allowed = true;
  std::vector<std::string> intake_roles;  // who may report a household
  std::map<CaseState, StageDef> stages;   // discover..monitor (no terminal states)
  std::map<Route, RouteDef> routes;       // ordinary and fast_track
  std::map<CaseEvent, std::vector<EventAuthority>> event_roles;

  const StageDef* Stage(CaseState s) const {
    auto it = stages.find(s);
    return it == stages.end() ? nullptr : &it->second;
  }
};

class ProgrammeCatalog {
 public:
  // Loads roles.json and every programmes/*.json under `workflows_dir`.
  // Errors: kNotFound for a missing folder/file; kInvalidArgument naming the
  // file and the problem: malformed JSON, unknown stage/role/tier/route,
  // negative days, a stage missing, a route whose stage deadlines add up to
  // more than its promise, a duplicate programme code.
  static Result<ProgrammeCatalog> LoadDirectory(const std::string& workflows_dir);
  Status AddRolesJson(const std::string& text, const std::string& origin);
  Status AddProgrammeJson(const std::string& text, const std::string& origin);

  // kInvalidArgument (field "programme") naming the known codes if unknown.
  Result<const Programme*> Find(const std::string& code) const;
  const RoleDef* Role(const std::string& code) const;
  std::vector<std::string> RoleCodes() const;
  const std::map<std::string, Programme>& programmes() const { return programmes_; }

 private:
  std::map<std::string, RoleDef> roles_;
  std::map<std::string, Programme> programmes_;
};

}  // namespace jiuzhu
