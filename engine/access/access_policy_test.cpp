#include "engine/access/access_policy.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace jiuzhu {
namespace {

// Places of workflows/org/demo-org.json.
constexpr char kXinghai[] = "640202100";              // 星海镇 (street), 大武口区
constexpr char kXingguang[] = "640202100001";         // 星光村, in 星海镇
constexpr char kChaohu[] = "640202100002";            // 潮湖村, in 星海镇
constexpr char kChangsheng[] = "640202001";           // 长胜街道 (street), 大武口区
constexpr char kChangshengShequ[] = "640202001001";   // 长胜社区, in 长胜街道
constexpr char kDawukou[] = "640202";                 // 大武口区 (district)
constexpr char kHuinong[] = "640205";                 // 惠农区 (district), same city
constexpr char kHuinongVillage[] = "640205001001";    // 北街社区, in 惠农区
constexpr char kShizuishan[] = "640200";              // 石嘴山市 (city)
constexpr char kXisaishanVillage[] = "420203100001";  // 黄石市西塞山区, another city
constexpr char kDawukouCanlian[] = "640202D07";       // 大武口区残联
constexpr char kDawukouYibao[] = "640202D01";         // 大武口区医保局

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AccessPolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string workflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";
    auto units = OrgTree::ParseUnitsJson(ReadText(workflows + "/org/demo-org.json"), "demo-org");
    ASSERT_TRUE(units.ok()) << units.status().ToString();
    auto tree = OrgTree::Build(std::move(units).value());
    ASSERT_TRUE(tree.ok()) << tree.status().ToString();
    org_ = new OrgTree(std::move(tree).value());
    auto cat = ProgrammeCatalog::LoadDirectory(workflows);
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalog_ = new ProgrammeCatalog(std::move(cat).value());
  }
  static void TearDownTestSuite() {
    delete org_;
    delete catalog_;
    org_ = nullptr;
    catalog_ = nullptr;
  }

  static UserRecord User(const std::string& name,
                         std::vector<std::pair<std::string, std::string>> roles) {
    UserRecord u;
    u.username = name;
    u.display_name = name;
    for (auto& [role, unit] : roles) u.roles.push_back({role, unit});
    return u;
  }

  static CaseRecord CaseIn(const std::string& village_id, CaseId id = 1) {
    CaseRecord c;
    c.id = id;
    c.programme = "dibao";
    c.village_id = village_id;
    const OrgUnitRecord* v = org_->Find(village_id);
    EXPECT_NE(v, nullptr) << village_id;
    c.org_path = v ? v->path : "";
    return c;
  }

  static ReferralRecord ReferralTo(const std::string& department_unit_id, CaseId case_id = 1) {
    ReferralRecord r;
    r.id = 100;
    r.case_id = case_id;
    r.department_unit_id = department_unit_id;
    const OrgUnitRecord* d = org_->Find(department_unit_id);
    r.department_code = d ? d->department_code : "";
    return r;
  }

  bool Sees(const UserRecord& u, const CaseRecord& c,
            const std::vector<ReferralRecord>& referrals = {}) const {
    return ActorSeesCase(*org_, u, c, referrals);
  }
  bool SeesFullId(const UserRecord& u, const CaseRecord& c) const {
    return ActorSeesFullId(*org_, *catalog_, u, c);
  }

  static OrgTree* org_;
  static ProgrammeCatalog* catalog_;
};

OrgTree* AccessPolicyTest::org_ = nullptr;
ProgrammeCatalog* AccessPolicyTest::catalog_ = nullptr;

TEST_F(AccessPolicyTest, VillageOfficerSeesOwnVillageOnly) {
  const UserRecord wang = User("wang.hua", {{"village_officer", kXingguang}});
  EXPECT_TRUE(Sees(wang, CaseIn(kXingguang)));
  EXPECT_FALSE(Sees(wang, CaseIn(kChaohu)));  // the neighbouring village
  EXPECT_FALSE(Sees(wang, CaseIn(kChangshengShequ)));
  EXPECT_FALSE(Sees(wang, CaseIn(kHuinongVillage)));
  // roles.json: village officers see masked ID numbers only.
  EXPECT_FALSE(SeesFullId(wang, CaseIn(kXingguang)));
}

TEST_F(AccessPolicyTest, StreetReviewerSeesTheStreet) {
  const UserRecord li = User("li.na", {{"street_reviewer", kXinghai}});
  EXPECT_TRUE(Sees(li, CaseIn(kXingguang)));
  EXPECT_TRUE(Sees(li, CaseIn(kChaohu)));
  EXPECT_TRUE(Sees(li, CaseIn("640202100004")));
  EXPECT_FALSE(Sees(li, CaseIn(kChangshengShequ)));  // another street of the district
  EXPECT_FALSE(Sees(li, CaseIn(kHuinongVillage)));
  // sees_full_id, but only inside the street.
  EXPECT_TRUE(SeesFullId(li, CaseIn(kXingguang)));
  EXPECT_FALSE(SeesFullId(li, CaseIn(kChangshengShequ)));
}

TEST_F(AccessPolicyTest, ReviewerOfSeveralStreetsSeesEach) {
  const UserRecord yang =
      User("yang.fan", {{"street_reviewer", "640205001"}, {"street_reviewer", "640205002"}});
  EXPECT_TRUE(Sees(yang, CaseIn("640205001001")));
  EXPECT_TRUE(Sees(yang, CaseIn("640205002003")));
  EXPECT_FALSE(Sees(yang, CaseIn("640205100001")));
  EXPECT_TRUE(SeesFullId(yang, CaseIn("640205002003")));
  EXPECT_FALSE(SeesFullId(yang, CaseIn("640205100001")));
}

TEST_F(AccessPolicyTest, DistrictSupervisorSeesTheWholeDistrictButNotFullIds) {
  const UserRecord liu = User("liu.yang", {{"district_supervisor", kDawukou}});
  EXPECT_TRUE(Sees(liu, CaseIn(kXingguang)));
  EXPECT_TRUE(Sees(liu, CaseIn(kChangshengShequ)));
  EXPECT_TRUE(Sees(liu, CaseIn("640202002003")));
  EXPECT_FALSE(Sees(liu, CaseIn(kHuinongVillage)));
  EXPECT_FALSE(Sees(liu, CaseIn(kXisaishanVillage)));
  // roles.json: a district supervisor supervises but does not read full IDs.
  EXPECT_FALSE(SeesFullId(liu, CaseIn(kXingguang)));
}

TEST_F(AccessPolicyTest, DistrictApproverAndAuditorReadFullIdsInTheirDistrict) {
  const UserRecord chen = User("chen.jing", {{"district_approver", kDawukou}});
  const UserRecord zhou = User("zhou.min", {{"auditor", kDawukou}});
  for (const UserRecord* u : {&chen, &zhou}) {
    EXPECT_TRUE(Sees(*u, CaseIn(kChangshengShequ))) << u->username;
    EXPECT_TRUE(SeesFullId(*u, CaseIn(kChangshengShequ))) << u->username;
    EXPECT_FALSE(SeesFullId(*u, CaseIn(kHuinongVillage))) << u->username;
  }
}

TEST_F(AccessPolicyTest, OtherDistrictSeesNothing) {
  const UserRecord xu = User("xu.li", {{"district_approver", kHuinong}});
  EXPECT_FALSE(Sees(xu, CaseIn(kXingguang)));
  EXPECT_FALSE(Sees(xu, CaseIn(kChangshengShequ)));
  EXPECT_FALSE(SeesFullId(xu, CaseIn(kXingguang)));
  EXPECT_TRUE(Sees(xu, CaseIn(kHuinongVillage)));
  // Not even through a referral to another district's department.
  EXPECT_FALSE(Sees(xu, CaseIn(kXingguang), {ReferralTo(kDawukouCanlian)}));
}

TEST_F(AccessPolicyTest, CitySupervisorSeesItsCityOnly) {
  const UserRecord sun = User("sun.li", {{"city_supervisor", kShizuishan}});
  EXPECT_TRUE(Sees(sun, CaseIn(kXingguang)));
  EXPECT_TRUE(Sees(sun, CaseIn(kHuinongVillage)));
  EXPECT_FALSE(Sees(sun, CaseIn(kXisaishanVillage)));
  EXPECT_FALSE(SeesFullId(sun, CaseIn(kXingguang)));
}

TEST_F(AccessPolicyTest, DepartmentHandlerNeedsAReferral) {
  const UserRecord he = User("he.ping", {{"department_handler", kDawukouCanlian}});
  const CaseRecord c = CaseIn(kXingguang);
  // The department sits under the district, but that gives it no view of
  // the district's cases.
  EXPECT_FALSE(Sees(he, c));
  EXPECT_FALSE(Sees(he, c, {ReferralTo(kDawukouYibao)}));  // someone else's referral
  EXPECT_TRUE(Sees(he, c, {ReferralTo(kDawukouCanlian)}));
  EXPECT_TRUE(Sees(he, c, {ReferralTo(kDawukouYibao), ReferralTo(kDawukouCanlian)}));
  // An answered referral still lets the department read the case.
  ReferralRecord answered = ReferralTo(kDawukouCanlian);
  answered.status = ReferralStatus::kAnswered;
  EXPECT_TRUE(Sees(he, c, {answered}));
  // roles.json: department handlers never read full ID numbers.
  EXPECT_FALSE(SeesFullId(he, c));
}

TEST_F(AccessPolicyTest, NoRolesOrUnknownUnitsSeeNothing) {
  const UserRecord nobody = User("nobody", {});
  EXPECT_FALSE(Sees(nobody, CaseIn(kXingguang)));
  EXPECT_FALSE(SeesFullId(nobody, CaseIn(kXingguang)));
  EXPECT_TRUE(ScopePaths(*org_, nobody).empty());
  const UserRecord ghost = User("ghost", {{"street_reviewer", "999999999"}});
  EXPECT_FALSE(Sees(ghost, CaseIn(kXingguang)));
  EXPECT_FALSE(SeesFullId(ghost, CaseIn(kXingguang)));
  EXPECT_TRUE(ScopePaths(*org_, ghost).empty());
}

TEST_F(AccessPolicyTest, UnknownRoleNeverReadsFullIds) {
  const UserRecord odd = User("odd", {{"mayor", kXinghai}});
  EXPECT_TRUE(Sees(odd, CaseIn(kXingguang)));  // visibility follows the unit
  EXPECT_FALSE(SeesFullId(odd, CaseIn(kXingguang)));
}

TEST_F(AccessPolicyTest, FullIdNeedsTheFlagAndTheUnitInOneBinding) {
  // A village officer of 星光村 who also reviews 长胜街道: the reviewer
  // binding does not lend its flag to the village.
  const UserRecord mixed =
      User("mixed", {{"village_officer", kXingguang}, {"street_reviewer", kChangsheng}});
  EXPECT_TRUE(Sees(mixed, CaseIn(kXingguang)));
  EXPECT_FALSE(SeesFullId(mixed, CaseIn(kXingguang)));
  EXPECT_TRUE(SeesFullId(mixed, CaseIn(kChangshengShequ)));
}

TEST_F(AccessPolicyTest, SeesFullIdMatchesRolesJson) {
  const CaseRecord c = CaseIn(kXingguang);
  struct Expect {
    const char* role;
    const char* unit;
    bool full;
  };
  const Expect table[] = {
      {"village_officer", kXingguang, false},  {"street_reviewer", kXinghai, true},
      {"district_approver", kDawukou, true},   {"district_supervisor", kDawukou, false},
      {"city_supervisor", kShizuishan, false}, {"auditor", kDawukou, true}};
  for (const auto& e : table) {
    const RoleDef* def = catalog_->Role(e.role);
    ASSERT_NE(def, nullptr) << e.role;
    EXPECT_EQ(def->sees_full_id, e.full) << e.role;
    EXPECT_EQ(SeesFullId(User("u", {{e.role, e.unit}}), c), e.full) << e.role;
  }
}

TEST_F(AccessPolicyTest, BindingForNeedsRoleAndExactUnit) {
  const UserRecord u = User("u", {{"street_reviewer", kXinghai}, {"auditor", kDawukou}});
  auto b = BindingFor(u, "street_reviewer", kXinghai);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->role, "street_reviewer");
  EXPECT_EQ(b->org_unit_id, kXinghai);
  EXPECT_TRUE(BindingFor(u, "auditor", kDawukou).has_value());
  EXPECT_FALSE(BindingFor(u, "street_reviewer", kChangsheng).has_value());
  EXPECT_FALSE(BindingFor(u, "street_reviewer", kDawukou).has_value());  // not an ancestor match
  EXPECT_FALSE(BindingFor(u, "street_reviewer", kXingguang).has_value());
  EXPECT_FALSE(BindingFor(u, "district_approver", kDawukou).has_value());
}

TEST_F(AccessPolicyTest, ScopePathsCoverPlacesNotDepartments) {
  const UserRecord u = User("u", {{"street_reviewer", kXinghai},
                                  {"district_supervisor", kHuinong},
                                  {"department_handler", kDawukouCanlian}});
  EXPECT_EQ(ScopePaths(*org_, u),
            (std::vector<std::string>{"/640200/640202/640202100/", "/640200/640205/"}));
  const UserRecord he = User("he.ping", {{"department_handler", kDawukouCanlian}});
  EXPECT_TRUE(ScopePaths(*org_, he).empty());
  // A scope path is a prefix of exactly the cases the user sees.
  const UserRecord li = User("li.na", {{"street_reviewer", kXinghai}});
  const auto paths = ScopePaths(*org_, li);
  ASSERT_EQ(paths.size(), 1u);
  for (const auto& unit : org_->units()) {
    if (unit.tier != Tier::kVillage) continue;
    const CaseRecord c = CaseIn(unit.id);
    EXPECT_EQ(c.org_path.rfind(paths[0], 0) == 0, Sees(li, c)) << unit.id;
  }
}

}  // namespace
}  // namespace jiuzhu
