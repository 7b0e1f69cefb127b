#include "engine/programme/programme.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace jiuzhu {
namespace {

const std::string kWorkflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";

constexpr char kRoles[] = R"({"roles": [
  {"code": "village_officer",    "name": "村（社区）信息员", "tier": "village"},
  {"code": "street_reviewer",    "name": "街道（乡镇）审核员", "tier": "street", "sees_full_id": true},
  {"code": "district_approver",  "name": "区县审批员", "tier": "district", "sees_full_id": true},
  {"code": "district_supervisor","name": "区县督办员", "tier": "district", "supervises": true},
  {"code": "department_handler", "name": "部门经办人", "tier": "department"}]})";

// A valid programme: ordinary 2+5+1+7+15 = 30, fast track 2+5+1+2 = 10.
constexpr char kValidProgramme[] = R"({
    "code": "test",
    "name": "测试救助",
    "short_name": "测试",
    "intake_roles": ["village_officer", "street_reviewer"],
    "stages": {
      "discover": {"task": "intake", "task_name": "受理", "role": "street_reviewer", "tier": "street", "working_days": 2},
      "assess":   {"task": "home_visit_assessment", "role": "street_reviewer", "tier": "street", "working_days": 5},
      "commit":   {"task": "pledge_or_route", "role": "street_reviewer", "tier": "street", "working_days": 1},
      "review":   {"task": "democratic_review", "role": "village_officer", "tier": "village", "working_days": 7},
      "approve":  {"task": "approval", "role": "district_approver", "tier": "district",
                   "working_days": {"ordinary": 15, "fast_track": 2}},
      "refer":    {"task": "dispatch_referrals", "role": "district_approver", "tier": "district", "working_days": 3},
      "feedback": {"task": "referral_feedback", "role": "department_handler", "tier": "department", "working_days": 10},
      "monitor":  {"task": "revisit", "role": "village_officer", "tier": "village", "working_days": 60}
    },
    "routes": {
      "ordinary":   {"promise_working_days": 30, "stages": ["discover", "assess", "commit", "review", "approve"]},
      "fast_track": {"promise_working_days": 10, "stages": ["discover", "assess", "commit", "approve"]}
    },
    "event_roles": {
      "close": [{"role": "street_reviewer", "tier": "street", "in_states": ["discover"]}],
      "revoke": [{"role": "district_approver", "tier": "district"}]
    }
  })";

// kValidProgramme with its code set to `code`; tests edit it to break one rule.
nlohmann::json Valid(const std::string& code = "test") {
  auto j = nlohmann::json::parse(kValidProgramme);
  j["code"] = code;
  return j;
}

ProgrammeCatalog CatalogWithRoles() {
  ProgrammeCatalog cat;
  const Status s = cat.AddRolesJson(kRoles, "roles.json");
  EXPECT_TRUE(s.ok()) << s.ToString();
  return cat;
}

// Adds `j` as "p.json" to a catalogue with the roles above and expects
// kInvalidArgument naming the file, with `field` and `message_part`.
void ExpectProgrammeError(const std::string& text, const std::string& field,
                          const std::string& message_part) {
  ProgrammeCatalog cat = CatalogWithRoles();
  const Status s = cat.AddProgrammeJson(text, "p.json");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << s.ToString();
  EXPECT_EQ(s.field(), field) << s.ToString();
  EXPECT_NE(s.message().find("p.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(message_part), std::string::npos)
      << "\"" << s.message() << "\" lacks \"" << message_part << "\"";
  EXPECT_TRUE(cat.programmes().empty()) << "a refused file must add nothing";
}

int StageSum(const Programme& p, Route r) {
  int sum = 0;
  for (CaseState s : p.routes.at(r).stages) sum += p.stages.at(s).DaysFor(r);
  return sum;
}

bool Contains(const std::vector<CaseState>& v, CaseState s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ------------------------------------------------------- LoadDirectory -----

TEST(ProgrammeCatalogLoad, LoadsTheShippedWorkflows) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  for (const char* code : {"dibao", "tekun", "linshi"}) {
    EXPECT_EQ(cat->programmes().count(code), 1u) << code;
    ASSERT_TRUE(cat->Find(code).ok()) << code;
    EXPECT_EQ((*cat->Find(code))->code, code);
  }
  ASSERT_TRUE(cat->Find("dibao").ok());
  EXPECT_EQ((*cat->Find("dibao"))->short_zh, "低保");
  EXPECT_EQ((*cat->Find("dibao"))->name_zh, "最低生活保障");
}

TEST(ProgrammeCatalogLoad, EveryProgrammeHasBothRoutesWithinTheirPromise) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  for (const auto& [code, p] : cat->programmes()) {
    SCOPED_TRACE(code);
    ASSERT_EQ(p.routes.count(Route::kOrdinary), 1u);
    ASSERT_EQ(p.routes.count(Route::kFastTrack), 1u);
    const RouteDef& ordinary = p.routes.at(Route::kOrdinary);
    const RouteDef& fast = p.routes.at(Route::kFastTrack);
    // The stage deadlines use the whole promise, no more, no less.
    EXPECT_EQ(StageSum(p, Route::kOrdinary), ordinary.promise_working_days);
    EXPECT_EQ(StageSum(p, Route::kFastTrack), fast.promise_working_days);
    EXPECT_LT(fast.promise_working_days, ordinary.promise_working_days);
    // Democratic review belongs to the ordinary route only.
    EXPECT_TRUE(Contains(ordinary.stages, CaseState::kReview));
    EXPECT_FALSE(Contains(fast.stages, CaseState::kReview));
    // Both run from the report to the decision, in lifecycle order.
    for (const RouteDef* r : {&ordinary, &fast}) {
      ASSERT_FALSE(r->stages.empty());
      EXPECT_EQ(r->stages.front(), CaseState::kDiscover);
      EXPECT_EQ(r->stages.back(), CaseState::kApprove);
      EXPECT_TRUE(std::is_sorted(r->stages.begin(), r->stages.end()));
    }
    // Every non-terminal stage is described, with a known role.
    for (CaseState s :
         {CaseState::kDiscover, CaseState::kAssess, CaseState::kCommit, CaseState::kReview,
          CaseState::kApprove, CaseState::kRefer, CaseState::kFeedback, CaseState::kMonitor}) {
      ASSERT_NE(p.Stage(s), nullptr) << CaseStateName(s);
      EXPECT_NE(cat->Role(p.Stage(s)->role), nullptr) << CaseStateName(s);
    }
    EXPECT_EQ(p.Stage(CaseState::kClosed), nullptr);
    EXPECT_FALSE(p.intake_roles.empty());
  }
}

TEST(ProgrammeCatalogLoad, DibaoPromisesThirtyAndTenWorkingDays) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  const Programme& dibao = **cat->Find("dibao");
  EXPECT_EQ(dibao.routes.at(Route::kOrdinary).promise_working_days, 30);
  EXPECT_EQ(StageSum(dibao, Route::kOrdinary), 30);
  EXPECT_EQ(dibao.routes.at(Route::kFastTrack).promise_working_days, 10);
  EXPECT_EQ(StageSum(dibao, Route::kFastTrack), 10);
  // The approval deadline differs per route.
  const StageDef* approve = dibao.Stage(CaseState::kApprove);
  ASSERT_NE(approve, nullptr);
  EXPECT_EQ(approve->DaysFor(Route::kOrdinary), 15);
  EXPECT_EQ(approve->DaysFor(Route::kFastTrack), 2);
  EXPECT_EQ(approve->role, "district_approver");
  EXPECT_EQ(approve->tier, Tier::kDistrict);
  const StageDef* discover = dibao.Stage(CaseState::kDiscover);
  EXPECT_EQ(discover->DaysFor(Route::kOrdinary), discover->DaysFor(Route::kFastTrack));
  EXPECT_EQ(dibao.Stage(CaseState::kFeedback)->tier, Tier::kDepartment);

  const Programme& tekun = **cat->Find("tekun");
  EXPECT_EQ(tekun.routes.at(Route::kOrdinary).promise_working_days, 30);
  EXPECT_EQ(tekun.routes.at(Route::kFastTrack).promise_working_days, 10);
  const Programme& linshi = **cat->Find("linshi");  // 临时救助 is quicker
  EXPECT_EQ(linshi.routes.at(Route::kOrdinary).promise_working_days, 15);
  EXPECT_EQ(linshi.routes.at(Route::kFastTrack).promise_working_days, 7);
}

TEST(ProgrammeCatalogLoad, ReadsRolesAndEventAuthorities) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_EQ(cat->RoleCodes().size(), 8u);
  ASSERT_NE(cat->Role("data_feed"), nullptr);
  EXPECT_FALSE(cat->Role("data_feed")->sees_full_id) << "a feed sends ID numbers, it reads none";
  ASSERT_NE(cat->Role("street_reviewer"), nullptr);
  EXPECT_TRUE(cat->Role("street_reviewer")->sees_full_id);
  EXPECT_FALSE(cat->Role("village_officer")->sees_full_id);
  EXPECT_TRUE(cat->Role("district_supervisor")->supervises);
  EXPECT_EQ(cat->Role("city_supervisor")->tier, Tier::kCity);
  EXPECT_EQ(cat->Role("nobody"), nullptr);

  const Programme& dibao = **cat->Find("dibao");
  ASSERT_EQ(dibao.event_roles.count(CaseEvent::kClose), 1u);
  const auto& close = dibao.event_roles.at(CaseEvent::kClose);
  ASSERT_EQ(close.size(), 2u);
  EXPECT_EQ(close[0].role, "street_reviewer");
  EXPECT_EQ(close[0].in_states, (std::vector<CaseState>{CaseState::kDiscover}));
  ASSERT_EQ(dibao.event_roles.count(CaseEvent::kStartMonitoring), 1u);
  EXPECT_TRUE(dibao.event_roles.at(CaseEvent::kRevoke)[0].in_states.empty());
}

TEST(ProgrammeCatalogLoad, MissingFolderIsNotFound) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows + "/no-such-folder");
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(cat.status().message().find("roles.json"), std::string::npos);
}

TEST(ProgrammeCatalogLoad, FolderWithoutProgrammesIsNotFound) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "jiuzhu-programme-test-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const fs::path dir(tmpl);
  fs::create_directories(dir / "programmes");
  std::ofstream(dir / "roles.json") << kRoles;
  auto cat = ProgrammeCatalog::LoadDirectory(dir.string());
  EXPECT_EQ(cat.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(cat.status().message().find("programmes"), std::string::npos);

  // One bad programme file fails the whole load, naming the file.
  auto bad = Valid();
  bad["stages"]["assess"]["working_days"] = -1;
  std::ofstream(dir / "programmes" / "broken.json") << bad.dump();
  cat = ProgrammeCatalog::LoadDirectory(dir.string());
  EXPECT_EQ(cat.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(cat.status().message().find("broken.json"), std::string::npos);
  fs::remove_all(dir);
}

// ---------------------------------------------------------------- Find -----

TEST(ProgrammeCatalogFind, UnknownCodeIsInvalidArgumentNamingTheKnownOnes) {
  auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  auto p = cat->Find("yanglao");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(p.status().field(), "programme");
  EXPECT_NE(p.status().message().find("yanglao"), std::string::npos);
  for (const char* known : {"known: ", "dibao", "linshi", "tekun"}) {
    EXPECT_NE(p.status().message().find(known), std::string::npos) << p.status().message();
  }
  EXPECT_FALSE(cat->Find("").ok());
  EXPECT_FALSE(cat->Find("DIBAO").ok());
}

// ------------------------------------------------- AddProgrammeJson / Roles --

TEST(ProgrammeCatalogAdd, AcceptsTheValidProgramme) {
  ProgrammeCatalog cat = CatalogWithRoles();
  const Status s = cat.AddProgrammeJson(Valid().dump(), "p.json");
  ASSERT_TRUE(s.ok()) << s.ToString();
  const Programme& p = **cat.Find("test");
  EXPECT_EQ(p.short_zh, "测试");
  EXPECT_TRUE(p.fast_track_allowed);
  EXPECT_EQ(p.Stage(CaseState::kDiscover)->task_name_zh, "受理");
  EXPECT_EQ(p.Stage(CaseState::kAssess)->task_name_zh,
            "home_visit_assessment");  // defaults to task
  EXPECT_EQ(StageSum(p, Route::kOrdinary), 30);
  EXPECT_EQ(StageSum(p, Route::kFastTrack), 10);
}

TEST(ProgrammeCatalogAdd, DeadlinesBelowThePromiseAreFine) {
  auto j = Valid();
  j["routes"]["ordinary"]["promise_working_days"] = 45;
  ProgrammeCatalog cat = CatalogWithRoles();
  EXPECT_TRUE(cat.AddProgrammeJson(j.dump(), "p.json").ok());
}

TEST(ProgrammeCatalogAdd, RejectsUnknownStage) {
  auto j = Valid();
  j["stages"]["appeal"] = j["stages"]["assess"];
  ExpectProgrammeError(j.dump(), "stages", "unknown stage appeal");
}

TEST(ProgrammeCatalogAdd, RejectsTerminalStateAsStage) {
  auto j = Valid();
  j["stages"]["closed"] = j["stages"]["assess"];
  ExpectProgrammeError(j.dump(), "stages", "unknown stage closed");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownStageInRoute) {
  auto j = Valid();
  j["routes"]["fast_track"]["stages"].push_back("appeal");
  ExpectProgrammeError(j.dump(), "routes", "route fast_track: unknown stage \"appeal\"");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownRole) {
  auto j = Valid();
  j["stages"]["approve"]["role"] = "mayor";
  ExpectProgrammeError(j.dump(), "role", "stage approve: unknown role mayor");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownIntakeRole) {
  auto j = Valid();
  j["intake_roles"].push_back("neighbour");
  ExpectProgrammeError(j.dump(), "intake_roles", "unknown intake role neighbour");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownRoleInEventRoles) {
  auto j = Valid();
  j["event_roles"]["revoke"][0]["role"] = "mayor";
  ExpectProgrammeError(j.dump(), "event_roles", "unknown role mayor");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownEventInEventRoles) {
  auto j = Valid();
  j["event_roles"]["pardon"] = j["event_roles"]["revoke"];
  ExpectProgrammeError(j.dump(), "event_roles", "unknown event pardon");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownTier) {
  auto j = Valid();
  j["stages"]["review"]["tier"] = "hamlet";
  ExpectProgrammeError(j.dump(), "tier", "stage review: unknown tier");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownTierInEventRoles) {
  auto j = Valid();
  j["event_roles"]["close"][0]["tier"] = "hamlet";
  ExpectProgrammeError(j.dump(), "event_roles", "unknown tier");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownRoute) {
  auto j = Valid();
  j["routes"]["express"] = j["routes"]["fast_track"];
  ExpectProgrammeError(j.dump(), "routes", "unknown route express");
}

TEST(ProgrammeCatalogAdd, RejectsUndecidedAsRoute) {
  auto j = Valid();
  j["routes"]["undecided"] = j["routes"]["fast_track"];
  ExpectProgrammeError(j.dump(), "routes", "unknown route undecided");
}

TEST(ProgrammeCatalogAdd, RejectsUnknownRouteInStageDeadlines) {
  auto j = Valid();
  j["stages"]["approve"]["working_days"]["express"] = 1;
  ExpectProgrammeError(j.dump(), "routes", "stage approve: unknown route express");
}

TEST(ProgrammeCatalogAdd, RejectsMissingRoute) {
  auto j = Valid();
  j["routes"].erase("fast_track");
  ExpectProgrammeError(j.dump(), "routes", "both routes");
}

TEST(ProgrammeCatalogAdd, RejectsNegativeDays) {
  auto j = Valid();
  j["stages"]["monitor"]["working_days"] = -5;
  ExpectProgrammeError(j.dump(), "working_days", "stage monitor: negative days");
}

TEST(ProgrammeCatalogAdd, RejectsNegativeDaysPerRoute) {
  auto j = Valid();
  j["stages"]["approve"]["working_days"]["fast_track"] = -2;
  ExpectProgrammeError(j.dump(), "working_days", "stage approve: negative days");
  j = Valid();
  j["stages"]["approve"]["working_days"]["default"] = -1;
  ExpectProgrammeError(j.dump(), "working_days", "stage approve: negative days");
}

TEST(ProgrammeCatalogAdd, RejectsMissingStage) {
  for (const char* stage : {"discover", "review", "feedback", "monitor"}) {
    SCOPED_TRACE(stage);
    auto j = Valid();
    j["stages"].erase(stage);
    ExpectProgrammeError(j.dump(), "stages", std::string("stage ") + stage + " missing");
  }
}

TEST(ProgrammeCatalogAdd, RejectsDeadlinesBeyondThePromise) {
  auto j = Valid();
  j["stages"]["review"]["working_days"] = 8;  // ordinary now 31 > 30
  ExpectProgrammeError(j.dump(), "routes",
                       "route ordinary: stage deadlines add up to 31 working days, more than its "
                       "promise of 30");
  j = Valid();
  j["stages"]["approve"]["working_days"]["fast_track"] = 3;  // fast track 11 > 10
  ExpectProgrammeError(j.dump(), "routes", "route fast_track: stage deadlines add up to 11");
  j = Valid();
  j["routes"]["fast_track"]["promise_working_days"] = 9;
  ExpectProgrammeError(j.dump(), "routes", "more than its promise of 9");
}

TEST(ProgrammeCatalogAdd, RejectsDuplicateCode) {
  ProgrammeCatalog cat = CatalogWithRoles();
  ASSERT_TRUE(cat.AddProgrammeJson(Valid().dump(), "a.json").ok());
  auto j = Valid();
  j["name"] = "另一个";
  const Status s = cat.AddProgrammeJson(j.dump(), "b.json");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "code");
  EXPECT_NE(s.message().find("b.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("defined twice"), std::string::npos) << s.message();
  // The first definition stays.
  EXPECT_EQ((*cat.Find("test"))->name_zh, "测试救助");
  EXPECT_TRUE(cat.AddProgrammeJson(Valid("other").dump(), "c.json").ok());
  EXPECT_EQ(cat.programmes().size(), 2u);
}

TEST(ProgrammeCatalogAdd, RejectsMalformedJson) {
  auto wrong_type = Valid();
  wrong_type["stages"]["assess"]["working_days"] = "five";
  auto no_routes = Valid();
  no_routes.erase("routes");
  auto no_code = Valid();
  no_code.erase("code");
  auto no_task = Valid();
  no_task["stages"]["assess"].erase("task");
  auto no_promise = Valid();
  no_promise["routes"]["ordinary"].erase("promise_working_days");
  for (const std::string& text :
       {std::string(""), std::string("{\"code\": \"x\""), std::string("[]"), wrong_type.dump(),
        no_routes.dump(), no_code.dump(), no_task.dump(), no_promise.dump()}) {
    SCOPED_TRACE(text.substr(0, 60));
    ProgrammeCatalog cat = CatalogWithRoles();
    const Status s = cat.AddProgrammeJson(text, "p.json");
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("p.json"), std::string::npos) << s.message();
    EXPECT_TRUE(cat.programmes().empty());
  }
}

TEST(ProgrammeCatalogAdd, ProgrammeBeforeRolesKnowsNoRole) {
  ProgrammeCatalog cat;  // roles not loaded yet
  const Status s = cat.AddProgrammeJson(Valid().dump(), "p.json");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown"), std::string::npos) << s.message();
}

TEST(ProgrammeCatalogRoles, RejectsUnknownTier) {
  ProgrammeCatalog cat;
  const Status s = cat.AddRolesJson(
      R"({"roles": [{"code": "mayor", "name": "市长", "tier": "province"}]})", "roles.json");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "tier");
  EXPECT_NE(s.message().find("roles.json"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("mayor"), std::string::npos) << s.message();
}

TEST(ProgrammeCatalogRoles, RejectsMalformedJson) {
  for (const char* text :
       {"", "{", R"({"role": []})", R"({"roles": [{"code": "x", "tier": "city"}]})",
        R"({"roles": [{"code": "x", "name": "x", "tier": "city", "supervises": "yes"}]})"}) {
    SCOPED_TRACE(text);
    ProgrammeCatalog cat;
    const Status s = cat.AddRolesJson(text, "roles.json");
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("roles.json"), std::string::npos) << s.message();
  }
}

TEST(ProgrammeCatalogRoles, FlagsDefaultToFalse) {
  ProgrammeCatalog cat = CatalogWithRoles();
  ASSERT_NE(cat.Role("village_officer"), nullptr);
  EXPECT_FALSE(cat.Role("village_officer")->sees_full_id);
  EXPECT_FALSE(cat.Role("village_officer")->supervises);
  EXPECT_EQ(cat.Role("village_officer")->name_zh, "村（社区）信息员");
  EXPECT_TRUE(cat.Role("street_reviewer")->sees_full_id);
  EXPECT_TRUE(cat.Role("district_supervisor")->supervises);
  EXPECT_EQ(cat.RoleCodes(), (std::vector<std::string>{"department_handler", "district_approver",
                                                       "district_supervisor", "street_reviewer",
                                                       "village_officer"}));
}

}  // namespace
}  // namespace jiuzhu
