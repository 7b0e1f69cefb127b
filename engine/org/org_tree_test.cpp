#include "engine/org/org_tree.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace jiuzhu {
namespace {

OrgUnitRecord Unit(const std::string& id, Tier tier, const std::string& parent,
                   const std::string& department = "") {
  OrgUnitRecord u;
  u.id = id;
  u.name = "unit " + id;
  u.tier = tier;
  u.parent_id = parent;
  u.department_code = department;
  return u;
}

// city C
// ├── district D1
// │   ├── street S11 ── villages V111, V112
// │   ├── street S12 ── village V121
// │   └── department D1-canlian (canlian)
// ├── district D2 ── street S21 ── village V211
// ├── department C-canlian (canlian)
// └── department C-yibao (yibao)
std::vector<OrgUnitRecord> SmallTree() {
  return {Unit("V111", Tier::kVillage, "S11"),  // children before parents on purpose
          Unit("V112", Tier::kVillage, "S11"),
          Unit("S11", Tier::kStreet, "D1"),
          Unit("C", Tier::kCity, ""),
          Unit("D1", Tier::kDistrict, "C"),
          Unit("S12", Tier::kStreet, "D1"),
          Unit("V121", Tier::kVillage, "S12"),
          Unit("D1-canlian", Tier::kDepartment, "D1", "canlian"),
          Unit("D2", Tier::kDistrict, "C"),
          Unit("S21", Tier::kStreet, "D2"),
          Unit("V211", Tier::kVillage, "S21"),
          Unit("C-canlian", Tier::kDepartment, "C", "canlian"),
          Unit("C-yibao", Tier::kDepartment, "C", "yibao")};
}

OrgTree BuildOrDie(std::vector<OrgUnitRecord> units) {
  auto t = OrgTree::Build(std::move(units));
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : OrgTree();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ExpectBuildError(std::vector<OrgUnitRecord> units, const std::string& field,
                      const std::string& message_part) {
  auto t = OrgTree::Build(std::move(units));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.status().field(), field) << t.status().ToString();
  EXPECT_NE(t.status().message().find(message_part), std::string::npos)
      << "\"" << t.status().message() << "\" lacks \"" << message_part << "\"";
}

const std::vector<std::string> kRoles = {"village_officer", "street_reviewer", "district_approver",
                                         "department_handler"};

// ---------------------------------------------------------------- Build ----

TEST(OrgTreeBuild, AcceptsUnitsInAnyOrder) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_EQ(t.units().size(), 13u);
  ASSERT_NE(t.Find("V111"), nullptr);
  EXPECT_EQ(t.Find("V111")->tier, Tier::kVillage);
  EXPECT_EQ(t.Find("nope"), nullptr);
}

TEST(OrgTreeBuild, RejectsDuplicateId) {
  auto units = SmallTree();
  units.push_back(Unit("S11", Tier::kStreet, "D2"));
  ExpectBuildError(units, "id", "duplicate org unit id S11");
}

TEST(OrgTreeBuild, RejectsEmptyId) {
  auto units = SmallTree();
  units.push_back(Unit("", Tier::kVillage, "S11"));
  ExpectBuildError(units, "id", "without id");
}

TEST(OrgTreeBuild, RejectsUnknownParent) {
  auto units = SmallTree();
  units.push_back(Unit("V999", Tier::kVillage, "S99"));
  ExpectBuildError(units, "parent", "unknown parent S99");
}

TEST(OrgTreeBuild, RejectsVillageDirectlyUnderDistrict) {
  auto units = SmallTree();
  units.push_back(Unit("V999", Tier::kVillage, "D1"));
  ExpectBuildError(units, "tier", "V999 (village) cannot sit under D1 (district)");
}

TEST(OrgTreeBuild, RejectsEveryTierMisplacement) {
  struct Case {
    Tier tier;
    std::string parent;
  };
  const std::vector<Case> bad = {{Tier::kStreet, "C"},
                                 {Tier::kStreet, "S11"},
                                 {Tier::kDistrict, "D1"},
                                 {Tier::kDistrict, "S11"},
                                 {Tier::kVillage, "V111"},
                                 {Tier::kVillage, "C"},
                                 {Tier::kCity, "C"},
                                 {Tier::kDepartment, "S11"},
                                 {Tier::kDepartment, "V111"},
                                 {Tier::kVillage, "D1-canlian"},
                                 {Tier::kDepartment, "C-yibao"}};
  for (const auto& c : bad) {
    auto units = SmallTree();
    units.push_back(Unit("X", c.tier, c.parent, c.tier == Tier::kDepartment ? "sifa" : ""));
    auto t = OrgTree::Build(units);
    ASSERT_FALSE(t.ok()) << TierName(c.tier) << " under " << c.parent;
    EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(t.status().field(), "tier") << TierName(c.tier) << " under " << c.parent;
  }
}

TEST(OrgTreeBuild, AcceptsDepartmentsUnderCityAndDistrict) {
  auto units = SmallTree();
  units.push_back(Unit("D2-sifa", Tier::kDepartment, "D2", "sifa"));
  units.push_back(Unit("C-sifa", Tier::kDepartment, "C", "sifa"));
  EXPECT_TRUE(OrgTree::Build(units).ok());
}

TEST(OrgTreeBuild, RejectsDepartmentWithoutCode) {
  auto units = SmallTree();
  units.push_back(Unit("D2-x", Tier::kDepartment, "D2", ""));
  ExpectBuildError(units, "department", "department D2-x needs a department code");
}

TEST(OrgTreeBuild, RejectsParentlessUnitThatIsNotACity) {
  auto units = SmallTree();
  units.push_back(Unit("D9", Tier::kDistrict, ""));
  ExpectBuildError(units, "parent", "D9 has no parent but is not a city");
}

TEST(OrgTreeBuild, RejectsTreeWithoutCityRoot) {
  ExpectBuildError({}, "parent", "no city at its root");
  // A district whose parent is unknown never counts as a root either.
  ExpectBuildError({Unit("D1", Tier::kDistrict, "C")}, "parent", "unknown parent C");
}

TEST(OrgTreeBuild, AllowsSeveralCities) {
  // The demo data holds two cities (石嘴山市 and 黄石市), so a forest of
  // cities is accepted.
  auto units = SmallTree();
  units.push_back(Unit("C2", Tier::kCity, ""));
  units.push_back(Unit("C2-D", Tier::kDistrict, "C2"));
  const OrgTree t = BuildOrDie(units);
  ASSERT_NE(t.Find("C2-D"), nullptr);
  EXPECT_EQ(t.Find("C2-D")->path, "/C2/C2-D/");
  EXPECT_FALSE(t.IsWithin("C2-D", "C"));
}

// ---------------------------------------------------------------- Paths ----

TEST(OrgTreePaths, AreMaterialisedFromTheRoot) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_EQ(t.Find("C")->path, "/C/");
  EXPECT_EQ(t.Find("D1")->path, "/C/D1/");
  EXPECT_EQ(t.Find("S11")->path, "/C/D1/S11/");
  EXPECT_EQ(t.Find("V111")->path, "/C/D1/S11/V111/");
  EXPECT_EQ(t.Find("V211")->path, "/C/D2/S21/V211/");
  EXPECT_EQ(t.Find("D1-canlian")->path, "/C/D1/D1-canlian/");
  EXPECT_EQ(t.Find("C-yibao")->path, "/C/C-yibao/");
}

TEST(OrgTreePaths, IgnoreStalePathsPassedIn) {
  auto units = SmallTree();
  for (auto& u : units) u.path = "/stale/" + u.id + "/";
  const OrgTree t = BuildOrDie(units);
  EXPECT_EQ(t.Find("V121")->path, "/C/D1/S12/V121/");
}

// -------------------------------------------------------- AncestorAtTier ----

TEST(OrgTreeAncestor, FindsEachTierAbove) {
  const OrgTree t = BuildOrDie(SmallTree());
  ASSERT_NE(t.AncestorAtTier("V112", Tier::kStreet), nullptr);
  EXPECT_EQ(t.AncestorAtTier("V112", Tier::kStreet)->id, "S11");
  EXPECT_EQ(t.AncestorAtTier("V112", Tier::kDistrict)->id, "D1");
  EXPECT_EQ(t.AncestorAtTier("V112", Tier::kCity)->id, "C");
  EXPECT_EQ(t.AncestorAtTier("V211", Tier::kDistrict)->id, "D2");
  EXPECT_EQ(t.AncestorAtTier("D1-canlian", Tier::kDistrict)->id, "D1");
}

TEST(OrgTreeAncestor, IsTheUnitItselfWhenTierMatches) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_EQ(t.AncestorAtTier("V112", Tier::kVillage)->id, "V112");
  EXPECT_EQ(t.AncestorAtTier("S11", Tier::kStreet)->id, "S11");
  EXPECT_EQ(t.AncestorAtTier("C", Tier::kCity)->id, "C");
}

TEST(OrgTreeAncestor, IsNullWhenNoneOrUnknown) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_EQ(t.AncestorAtTier("S11", Tier::kVillage), nullptr);  // below, not above
  EXPECT_EQ(t.AncestorAtTier("D1", Tier::kStreet), nullptr);
  EXPECT_EQ(t.AncestorAtTier("V111", Tier::kDepartment), nullptr);
  EXPECT_EQ(t.AncestorAtTier("nope", Tier::kCity), nullptr);
}

// -------------------------------------------------------- FindDepartment ----

TEST(OrgTreeFindDepartment, PrefersTheDistrictsOwnDepartment) {
  const OrgTree t = BuildOrDie(SmallTree());
  const OrgUnitRecord* d = t.FindDepartment("V111", "canlian");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, "D1-canlian");
  EXPECT_EQ(t.FindDepartment("S12", "canlian")->id, "D1-canlian");
  EXPECT_EQ(t.FindDepartment("D1", "canlian")->id, "D1-canlian");
}

TEST(OrgTreeFindDepartment, FallsBackToTheCity) {
  const OrgTree t = BuildOrDie(SmallTree());
  // D2 has no canlian department of its own; D1 has yibao nowhere but the city.
  ASSERT_NE(t.FindDepartment("V211", "canlian"), nullptr);
  EXPECT_EQ(t.FindDepartment("V211", "canlian")->id, "C-canlian");
  EXPECT_EQ(t.FindDepartment("V111", "yibao")->id, "C-yibao");
  EXPECT_EQ(t.FindDepartment("C", "canlian")->id, "C-canlian");
}

TEST(OrgTreeFindDepartment, IsNullForUnknownCodeOrUnit) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_EQ(t.FindDepartment("V111", "sifa"), nullptr);
  EXPECT_EQ(t.FindDepartment("nope", "canlian"), nullptr);
  EXPECT_EQ(t.FindDepartment("V111", ""), nullptr);
}

// -------------------------------------------------------------- IsWithin ----

TEST(OrgTreeIsWithin, CoversSelfAndSubtreeOnly) {
  const OrgTree t = BuildOrDie(SmallTree());
  EXPECT_TRUE(t.IsWithin("V111", "V111"));
  EXPECT_TRUE(t.IsWithin("V111", "S11"));
  EXPECT_TRUE(t.IsWithin("V111", "D1"));
  EXPECT_TRUE(t.IsWithin("V111", "C"));
  EXPECT_TRUE(t.IsWithin("D1-canlian", "D1"));
  EXPECT_FALSE(t.IsWithin("V111", "S12"));
  EXPECT_FALSE(t.IsWithin("V111", "D2"));
  EXPECT_FALSE(t.IsWithin("S11", "V111"));  // the parent is not within the child
  EXPECT_FALSE(t.IsWithin("V111", "nope"));
  EXPECT_FALSE(t.IsWithin("nope", "C"));
}

TEST(OrgTreeIsWithin, DoesNotConfuseIdPrefixes) {
  // "S1" is a prefix of "S11" as a string but not as a path.
  const OrgTree t = BuildOrDie({Unit("C", Tier::kCity, ""), Unit("D", Tier::kDistrict, "C"),
                                Unit("S1", Tier::kStreet, "D"), Unit("S11", Tier::kStreet, "D"),
                                Unit("V", Tier::kVillage, "S11")});
  EXPECT_TRUE(t.IsWithin("V", "S11"));
  EXPECT_FALSE(t.IsWithin("V", "S1"));
  EXPECT_FALSE(t.IsWithin("S11", "S1"));
}

// -------------------------------------------------------------- Children ----

TEST(OrgTreeChildren, ListsDirectChildrenOnly) {
  const OrgTree t = BuildOrDie(SmallTree());
  std::set<std::string> ids;
  for (const auto* u : t.Children("D1")) ids.insert(u->id);
  EXPECT_EQ(ids, (std::set<std::string>{"S11", "S12", "D1-canlian"}));
  ids.clear();
  for (const auto* u : t.Children("C")) ids.insert(u->id);
  EXPECT_EQ(ids, (std::set<std::string>{"D1", "D2", "C-canlian", "C-yibao"}));
  EXPECT_TRUE(t.Children("V111").empty());
  EXPECT_TRUE(t.Children("nope").empty());
}

// -------------------------------------------------------- ParseUnitsJson ----

TEST(OrgTreeParseUnits, ReadsNestedForm) {
  const std::string json = R"({"units": [
    {"id": "C", "name": "市", "tier": "city", "children": [
      {"id": "D", "name": "区", "tier": "district", "children": [
        {"id": "S", "name": "街道", "tier": "street", "children": [
          {"id": "V", "name": "村", "tier": "village"}]},
        {"id": "Dcl", "name": "残联", "tier": "department", "department": "canlian"}]}]}]})";
  auto units = OrgTree::ParseUnitsJson(json, "t.json");
  ASSERT_TRUE(units.ok()) << units.status().ToString();
  ASSERT_EQ(units->size(), 5u);
  EXPECT_EQ((*units)[0].id, "C");
  EXPECT_EQ((*units)[0].parent_id, "");
  EXPECT_EQ((*units)[0].name, "市");
  const OrgTree t = BuildOrDie(*units);
  EXPECT_EQ(t.Find("V")->parent_id, "S");
  EXPECT_EQ(t.Find("V")->path, "/C/D/S/V/");
  EXPECT_EQ(t.Find("Dcl")->tier, Tier::kDepartment);
  EXPECT_EQ(t.Find("Dcl")->department_code, "canlian");
  EXPECT_EQ(t.Find("S")->department_code, "");
}

TEST(OrgTreeParseUnits, DemoOrgHasTwoDistrictsOfThreeStreetsOfThreeVillages) {
  const std::string path = std::string(JIUZHU_SOURCE_DIR) + "/workflows/org/demo-org.json";
  auto units = OrgTree::ParseUnitsJson(ReadText(path), path);
  ASSERT_TRUE(units.ok()) << units.status().ToString();
  const OrgTree t = BuildOrDie(*units);
  ASSERT_FALSE(t.units().empty());

  int districts = 0;
  for (const auto& d : t.units()) {
    if (d.tier != Tier::kDistrict) continue;
    ++districts;
    int streets = 0;
    for (const auto* s : t.Children(d.id)) {
      if (s->tier != Tier::kStreet) continue;
      ++streets;
      int villages = 0;
      for (const auto* v : t.Children(s->id)) {
        EXPECT_EQ(v->tier, Tier::kVillage) << v->id;
        ++villages;
        EXPECT_EQ(t.AncestorAtTier(v->id, Tier::kDistrict)->id, d.id);
      }
      EXPECT_GE(villages, 3) << "street " << s->id;
    }
    EXPECT_GE(streets, 3) << "district " << d.id;
  }
  EXPECT_GE(districts, 2);
  // Every place with people can reach a canlian department for referrals.
  for (const auto& u : t.units()) {
    if (u.tier == Tier::kVillage) {
      EXPECT_NE(t.FindDepartment(u.id, "canlian"), nullptr) << u.id;
    }
  }
  // 星海镇's villages get 大武口区's own department, not the city's.
  EXPECT_EQ(t.FindDepartment("640202100001", "canlian")->id, "640202D07");
}

TEST(OrgTreeParseUnits, RejectsUnknownTier) {
  auto r = OrgTree::ParseUnitsJson(R"({"units": [{"id": "C", "name": "市", "tier": "province"}]})",
                                   "bad.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "tier");
  EXPECT_NE(r.status().message().find("bad.json"), std::string::npos);
  EXPECT_NE(r.status().message().find("province"), std::string::npos);
}

TEST(OrgTreeParseUnits, RejectsMalformedInput) {
  const std::vector<std::string> bad = {
      "",                                                         // empty
      "{not json",                                                // syntax
      R"({"unit": []})",                                          // no "units"
      R"({"units": [{"name": "市", "tier": "city"}]})",           // no id
      R"({"units": [{"id": "C", "tier": "city"}]})",              // no name
      R"({"units": [{"id": "C", "name": "市"}]})",                // no tier
      R"({"units": [{"id": 7, "name": "市", "tier": "city"}]})",  // id not a string
      R"({"units": [{"id": "C", "name": "市", "tier": "city", "children": [{"id": "D"}]}]})",
  };
  for (const auto& text : bad) {
    auto r = OrgTree::ParseUnitsJson(text, "bad.json");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(r.status().message().find("bad.json"), std::string::npos) << r.status().message();
  }
}

// -------------------------------------------------------- ParseUsersJson ----

TEST(OrgTreeParseUsers, ReadsUsersAndBindings) {
  const OrgTree t = BuildOrDie(SmallTree());
  auto users = ParseUsersJson(R"({"users": [
      {"username": "a", "name": "甲", "roles": [{"role": "village_officer", "unit": "V111"}]},
      {"username": "b", "name": "乙", "roles": [{"role": "street_reviewer", "unit": "S11"},
                                               {"role": "street_reviewer", "unit": "S12"}]},
      {"username": "c", "name": "丙", "roles": []}]})",
                              "u.json", t, kRoles);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].username, "a");
  EXPECT_EQ((*users)[0].display_name, "甲");
  ASSERT_EQ((*users)[1].roles.size(), 2u);
  EXPECT_EQ((*users)[1].roles[1].role, "street_reviewer");
  EXPECT_EQ((*users)[1].roles[1].org_unit_id, "S12");
  EXPECT_TRUE((*users)[2].roles.empty());
}

TEST(OrgTreeParseUsers, RejectsUnknownRole) {
  const OrgTree t = BuildOrDie(SmallTree());
  auto r = ParseUsersJson(R"({"users": [
      {"username": "a", "name": "甲", "roles": [{"role": "village_officer", "unit": "V111"}]},
      {"username": "mallory", "name": "乙", "roles": [{"role": "emperor", "unit": "C"}]}]})",
                          "u.json", t, kRoles);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "role");
  EXPECT_NE(r.status().message().find("mallory"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("emperor"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("u.json"), std::string::npos) << r.status().message();
}

TEST(OrgTreeParseUsers, RejectsUnknownUnit) {
  const OrgTree t = BuildOrDie(SmallTree());
  auto r = ParseUsersJson(R"({"users": [
      {"username": "mallory", "name": "乙", "roles": [{"role": "street_reviewer", "unit": "S99"}]}]})",
                          "u.json", t, kRoles);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "unit");
  EXPECT_NE(r.status().message().find("mallory"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("S99"), std::string::npos) << r.status().message();
}

TEST(OrgTreeParseUsers, RejectsMalformedInput) {
  const OrgTree t = BuildOrDie(SmallTree());
  const std::vector<std::string> bad = {
      "",
      "[1, 2",
      R"({"people": []})",
      R"({"users": [{"name": "甲", "roles": []}]})",      // no username
      R"({"users": [{"username": "a", "roles": []}]})",   // no name
      R"({"users": [{"username": "a", "name": "甲"}]})",  // no roles
      R"({"users": [{"username": "a", "name": "甲", "roles": [{"unit": "C"}]}]})",
      R"({"users": [{"username": "a", "name": "甲", "roles": [{"role": "auditor"}]}]})",
  };
  for (const auto& text : bad) {
    auto r = ParseUsersJson(text, "u.json", t, kRoles);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(r.status().message().find("u.json"), std::string::npos) << r.status().message();
  }
}

TEST(OrgTreeParseUsers, EveryDemoUserLoads) {
  const std::string dir = std::string(JIUZHU_SOURCE_DIR) + "/workflows/org/";
  auto units = OrgTree::ParseUnitsJson(ReadText(dir + "demo-org.json"), "demo-org.json");
  ASSERT_TRUE(units.ok()) << units.status().ToString();
  const OrgTree t = BuildOrDie(*units);
  // The role catalogue of workflows/roles.json.
  const std::vector<std::string> roles = {
      "village_officer", "street_reviewer", "district_approver", "district_supervisor",
      "city_supervisor", "auditor",         "department_handler", "data_feed"};
  const std::string text = ReadText(dir + "demo-users.json");
  auto users = ParseUsersJson(text, "demo-users.json", t, roles);
  ASSERT_TRUE(users.ok()) << users.status().ToString();

  // Every entry of the file came through, each with at least one role whose
  // unit has the role's kind of tier.
  std::set<std::string> names;
  for (const auto& u : *users) {
    EXPECT_TRUE(names.insert(u.username).second) << "duplicate user " << u.username;
    EXPECT_FALSE(u.display_name.empty()) << u.username;
    EXPECT_FALSE(u.roles.empty()) << u.username;
    for (const auto& rb : u.roles) {
      const OrgUnitRecord* unit = t.Find(rb.org_unit_id);
      ASSERT_NE(unit, nullptr) << u.username;
      const std::map<std::string, Tier> tier_of_role = {{"village_officer", Tier::kVillage},
                                                        {"street_reviewer", Tier::kStreet},
                                                        {"district_approver", Tier::kDistrict},
                                                        {"district_supervisor", Tier::kDistrict},
                                                        {"auditor", Tier::kDistrict},
                                                        {"city_supervisor", Tier::kCity},
                                                        {"department_handler", Tier::kDepartment},
                                                        {"data_feed", Tier::kCity}};
      ASSERT_EQ(tier_of_role.count(rb.role), 1u) << rb.role;
      EXPECT_EQ(unit->tier, tier_of_role.at(rb.role)) << u.username << " as " << rb.role;
    }
  }
  size_t entries = 0;
  for (size_t pos = 0; (pos = text.find("\"username\"", pos)) != std::string::npos; ++pos)
    ++entries;
  EXPECT_EQ(users->size(), entries);
  for (const char* who : {"wang.hua", "li.na", "chen.jing", "liu.yang", "he.ping", "sun.li"}) {
    EXPECT_EQ(names.count(who), 1u) << who;
  }
}

}  // namespace
}  // namespace jiuzhu
