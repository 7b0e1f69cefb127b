// The storage contract (engine/store/case_store.hpp): one suite, run against every adapter.
// "sqlite" opens SqliteStore on a fresh file, "mariadb" MysqlStore on a fresh database of the
// process's private MariaDB server (tests/support/private_mariadb.hpp). Records are built by
// hand; no engine use case is involved.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engine/store/case_store.hpp"
#include "engine/store/queue_counts.hpp"
#include "engine/store/id_batches.hpp"
#include "engine/store/migration_files.hpp"
#include "engine/store/mysql/mysql_store.hpp"
#include "engine/store/mysql/mysql_url.hpp"
#include "engine/store/sqlite/sqlite_store.hpp"
#include "tests/support/private_mariadb.hpp"
#include "tests/support/temp_dir.hpp"

namespace jiuzhu {
namespace {

namespace fs = std::filesystem;
using ::jiuzhu::testing::TempDir;

#define ASSERT_OK(expr)                                        \
  do {                                                         \
    const ::jiuzhu::Status jz_s_ = (expr);                     \
    ASSERT_TRUE(jz_s_.ok()) << #expr ": " << jz_s_.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                                        \
  do {                                                         \
    const ::jiuzhu::Status jz_s_ = (expr);                     \
    EXPECT_TRUE(jz_s_.ok()) << #expr ": " << jz_s_.ToString(); \
  } while (0)
#define EXPECT_CODE(expr, want)                                        \
  do {                                                                 \
    const ::jiuzhu::Status jz_s_ = (expr);                             \
    EXPECT_EQ(jz_s_.code(), (want)) << #expr ": " << jz_s_.ToString(); \
  } while (0)

constexpr Micros kT0 = 1'780'000'000'000'000;  // 2026-05-28, UTC
constexpr Micros kHour = 3600 * kMicrosPerSecond;

// The org tree of the tests: city / district D / street S / village V, a second district E
// and a department. The village's name holds a character outside the BMP.
const std::string kCityPath = "/6402/";
const std::string kDistrictPath = "/6402/640202/";
const std::string kStreetPath = "/6402/640202/640202001/";
const std::string kVillagePath = "/6402/640202/640202001/640202001001/";
const std::string kOtherDistrictPath = "/6402/640205/";

std::vector<OrgUnitRecord> TestOrgUnits() {
  auto unit = [](std::string id, std::string name, Tier tier, std::string parent, std::string dept,
                 std::string path) {
    OrgUnitRecord u;
    u.id = std::move(id);
    u.name = std::move(name);
    u.tier = tier;
    u.parent_id = std::move(parent);
    u.department_code = std::move(dept);
    u.path = std::move(path);
    return u;
  };
  return {
      unit("6402", "石嘴山市", Tier::kCity, "", "", kCityPath),
      unit("640202", "大武口区", Tier::kDistrict, "6402", "", kDistrictPath),
      unit("640202001", "长胜街道", Tier::kStreet, "640202", "", kStreetPath),
      unit("640202001001", "𠀀家庄村", Tier::kVillage, "640202001", "", kVillagePath),
      unit("640205", "惠农区", Tier::kDistrict, "6402", "", kOtherDistrictPath),
      unit("640202-canlian", "大武口区残联", Tier::kDepartment, "640202", "canlian",
           "/6402/640202/640202-canlian/"),
  };
}

std::string Hash(char c) { return std::string(64, c); }

CaseRecord MakeCase(CaseId id, const std::string& id_hash, CaseState state = CaseState::kAssess,
                    const std::string& org_path = kVillagePath) {
  CaseRecord c;
  c.id = id;
  c.programme = "dibao";
  c.state = state;
  c.route = Route::kUndecided;
  c.pool = Pool::kNone;
  c.version = 1;
  c.applicant_name = "张三";
  c.id_hash = id_hash;
  c.id_masked = "640202********1234";
  c.id_cipher = "a1b2c3d4e5f6";
  c.village_id = "640202001001";
  c.org_path = org_path;
  c.created_at = kT0;
  c.updated_at = kT0;
  c.audit_head_seq = 1;
  c.audit_head_hash = Hash('a');
  return c;
}

TaskRecord MakeTask(TaskId id, CaseId case_id, const std::string& unit, const std::string& role,
                    Micros due_at, TaskState state = TaskState::kOpen) {
  TaskRecord t;
  t.id = id;
  t.case_id = case_id;
  t.programme = "dibao";
  t.stage = CaseState::kAssess;
  t.kind = "home_visit";
  t.role = role;
  t.org_unit_id = unit;
  t.org_path = unit == "640202" ? kDistrictPath : kStreetPath;
  t.state = state;
  t.created_at = kT0;
  t.due_at = due_at;
  return t;
}

AuditEventRecord MakeAudit(CaseId case_id, std::int64_t seq, const std::string& action) {
  AuditEventRecord e;
  e.case_id = case_id;
  e.seq = seq;
  e.at = kT0 + seq * kMicrosPerSecond;
  e.actor = "zhang.san";
  e.role = "street_reviewer";
  e.org_unit_id = "640202001";
  e.action = action;
  e.from_state = seq == 1 ? "" : "discover";
  e.to_state = "assess";
  e.payload = R"({"note":"入户核查 𠀀","seq":)" + std::to_string(seq) + "}";
  e.prev_hash = seq == 1 ? "" : Hash(static_cast<char>('a' + seq - 2));
  e.hash = Hash(static_cast<char>('a' + seq - 1));
  return e;
}

// A new case with its tasks and first audit event.
CommandEffects Discover(const CaseRecord& c, std::vector<TaskRecord> tasks = {}) {
  CommandEffects fx;
  fx.insert_case = c;
  fx.insert_tasks = std::move(tasks);
  fx.audit = MakeAudit(c.id, 1, "discover");
  return fx;
}

// The next command on `c`: version and audit head move by one.
CommandEffects NextCommand(CaseRecord c, const std::string& action) {
  CommandEffects fx;
  fx.expected_version = c.version;
  c.version += 1;
  c.audit_head_seq += 1;
  fx.audit = MakeAudit(c.id, c.audit_head_seq, action);
  c.audit_head_hash = fx.audit.hash;
  c.updated_at = fx.audit.at;
  fx.update_case = c;
  return fx;
}

IdempotencyRecord MakeIdempotency(const std::string& username, const std::string& key,
                                  Micros created_at = kT0) {
  IdempotencyRecord r;
  r.username = username;
  r.key = key;
  r.request_hash = Hash('r');
  r.status = 201;
  r.response_body = R"({"case_id":101,"note":"已受理 𠀀"})";
  r.created_at = created_at;
  return r;
}

void ExpectSameIdempotency(const IdempotencyRecord& want, const IdempotencyRecord& got) {
  EXPECT_EQ(want.username, got.username);
  EXPECT_EQ(want.key, got.key);
  EXPECT_EQ(want.request_hash, got.request_hash) << want.key;
  EXPECT_EQ(want.status, got.status) << want.key;
  EXPECT_EQ(want.response_body, got.response_body) << want.key;
  EXPECT_EQ(want.created_at, got.created_at) << want.key;
}

void ExpectSameOrgUnit(const OrgUnitRecord& want, const OrgUnitRecord& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.name, got.name) << want.id;
  EXPECT_EQ(want.tier, got.tier) << want.id;
  EXPECT_EQ(want.parent_id, got.parent_id) << want.id;
  EXPECT_EQ(want.department_code, got.department_code) << want.id;
  EXPECT_EQ(want.path, got.path) << want.id;
}

void ExpectSameCase(const CaseRecord& want, const CaseRecord& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.programme, got.programme);
  EXPECT_EQ(want.state, got.state);
  EXPECT_EQ(want.route, got.route);
  EXPECT_EQ(want.pool, got.pool);
  EXPECT_EQ(want.version, got.version);
  EXPECT_EQ(want.applicant_name, got.applicant_name);
  EXPECT_EQ(want.id_hash, got.id_hash);
  EXPECT_EQ(want.id_masked, got.id_masked);
  EXPECT_EQ(want.id_cipher, got.id_cipher);
  EXPECT_EQ(want.village_id, got.village_id);
  EXPECT_EQ(want.org_path, got.org_path);
  EXPECT_EQ(want.assessment_json, got.assessment_json);
  EXPECT_EQ(want.pledge_json, got.pledge_json);
  EXPECT_EQ(want.created_at, got.created_at);
  EXPECT_EQ(want.updated_at, got.updated_at);
  EXPECT_EQ(want.promised_by, got.promised_by);
  EXPECT_EQ(want.audit_head_seq, got.audit_head_seq);
  EXPECT_EQ(want.audit_head_hash, got.audit_head_hash);
  EXPECT_EQ(want.decided_at, got.decided_at);
}

void ExpectSameTask(const TaskRecord& want, const TaskRecord& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.case_id, got.case_id) << "task " << want.id;
  EXPECT_EQ(want.programme, got.programme) << "task " << want.id;
  EXPECT_EQ(want.stage, got.stage) << "task " << want.id;
  EXPECT_EQ(want.kind, got.kind) << "task " << want.id;
  EXPECT_EQ(want.role, got.role) << "task " << want.id;
  EXPECT_EQ(want.org_unit_id, got.org_unit_id) << "task " << want.id;
  EXPECT_EQ(want.org_path, got.org_path) << "task " << want.id;
  EXPECT_EQ(want.state, got.state) << "task " << want.id;
  EXPECT_EQ(want.created_at, got.created_at) << "task " << want.id;
  EXPECT_EQ(want.due_at, got.due_at) << "task " << want.id;
  EXPECT_EQ(want.claimed_by, got.claimed_by) << "task " << want.id;
  EXPECT_EQ(want.claimed_at, got.claimed_at) << "task " << want.id;
  EXPECT_EQ(want.completed_at, got.completed_at) << "task " << want.id;
  EXPECT_EQ(want.outcome, got.outcome) << "task " << want.id;
  EXPECT_EQ(want.referral_id, got.referral_id) << "task " << want.id;
  EXPECT_EQ(want.escalation_level, got.escalation_level) << "task " << want.id;
  EXPECT_EQ(want.escalate_at, got.escalate_at) << "task " << want.id;
}

void ExpectSameReferral(const ReferralRecord& want, const ReferralRecord& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.case_id, got.case_id);
  EXPECT_EQ(want.department_code, got.department_code);
  EXPECT_EQ(want.department_unit_id, got.department_unit_id);
  EXPECT_EQ(want.status, got.status);
  EXPECT_EQ(want.note, got.note);
  EXPECT_EQ(want.answer, got.answer);
  EXPECT_EQ(want.answer_json, got.answer_json);
  EXPECT_EQ(want.requested_at, got.requested_at);
  EXPECT_EQ(want.due_at, got.due_at);
  EXPECT_EQ(want.answered_at, got.answered_at);
  EXPECT_EQ(want.policies, got.policies);
}

void ExpectSameAudit(const AuditEventRecord& want, const AuditEventRecord& got) {
  EXPECT_EQ(want.case_id, got.case_id);
  EXPECT_EQ(want.seq, got.seq);
  EXPECT_EQ(want.at, got.at) << "seq " << want.seq;
  EXPECT_EQ(want.actor, got.actor) << "seq " << want.seq;
  EXPECT_EQ(want.role, got.role) << "seq " << want.seq;
  EXPECT_EQ(want.org_unit_id, got.org_unit_id) << "seq " << want.seq;
  EXPECT_EQ(want.action, got.action) << "seq " << want.seq;
  EXPECT_EQ(want.from_state, got.from_state) << "seq " << want.seq;
  EXPECT_EQ(want.to_state, got.to_state) << "seq " << want.seq;
  EXPECT_EQ(want.payload, got.payload) << "seq " << want.seq;
  EXPECT_EQ(want.prev_hash, got.prev_hash) << "seq " << want.seq;
  EXPECT_EQ(want.hash, got.hash) << "seq " << want.seq;
}

std::vector<TaskId> TaskIds(const std::vector<TaskRecord>& tasks) {
  std::vector<TaskId> ids;
  for (const TaskRecord& t : tasks) ids.push_back(t.id);
  return ids;
}

std::vector<CaseId> CaseIds(const std::vector<CaseRecord>& cases) {
  std::vector<CaseId> ids;
  for (const CaseRecord& c : cases) ids.push_back(c.id);
  return ids;
}

std::string AdapterName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }

class StoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      migrations_dir_ = std::string(JIUZHU_SOURCE_DIR) + "/migrations/sqlite";
      auto store = SqliteStore::Open(temp_.File("store.db"));
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      store_ = std::move(store).value();
    } else {
      migrations_dir_ = std::string(JIUZHU_SOURCE_DIR) + "/migrations/mysql";
      JZ_FRESH_MARIADB_OR_RETURN(mysql_url_);
      auto store = MysqlStore::Open(mysql_url_);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      store_ = std::move(store).value();
    }
    ASSERT_OK(store_->Migrate(migrations_dir_));
  }

  bool IsMariaDb() const { return GetParam() == "mariadb"; }

  // True while a transaction on this test's database waits for a row lock; only MariaDB can
  // tell (false otherwise).
  bool SomeoneWaitsForALock() {
    if (!IsMariaDb()) return false;
    auto out = ::jiuzhu::testing::RunMariaDbAdminSql(
        "SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN "
        "information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
        "WHERE t.trx_state = 'LOCK WAIT' AND p.DB = '" +
        ParseMysqlUrl(mysql_url_)->database + "'");
    return out.ok() && !out->empty() && (*out)[0] != '0';
  }

  Status ApplyAndCommit(const CommandEffects& fx) {
    JZ_ASSIGN_OR_RETURN(std::unique_ptr<StoreTxn> txn, store_->BeginWrite());
    JZ_RETURN_IF_ERROR(txn->Apply(fx));
    return txn->Commit();
  }

  // Copies this dialect's migrations to a folder the test may change.
  std::string CopyMigrations() {
    const std::string dir = temp_.File("migrations");
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(migrations_dir_)) {
      fs::copy_file(entry.path(), dir + "/" + entry.path().filename().string());
    }
    return dir;
  }

  void SeedOrgUnits() { ASSERT_OK(store_->ReplaceOrgUnits(TestOrgUnits())); }

  // The committed case / task as stored now (a default record, and a failure, if missing).
  CaseRecord CurrentCase(CaseId id) {
    auto got = store_->GetCase(id);
    EXPECT_TRUE(got.ok() && got->has_value()) << "case " << id;
    return got.ok() && got->has_value() ? **got : CaseRecord{};
  }
  TaskRecord CurrentTask(CaseId case_id, TaskId id) {
    auto tasks = store_->ListTasksForCase(case_id);
    EXPECT_TRUE(tasks.ok()) << tasks.status().ToString();
    if (tasks.ok()) {
      for (const TaskRecord& t : *tasks) {
        if (t.id == id) return t;
      }
    }
    ADD_FAILURE() << "no task " << id;
    return TaskRecord{};
  }
  // A command on the case as stored now that rewrites one task from its stored row.
  CommandEffects UpdateTaskCommand(CaseId case_id, const TaskRecord& before,
                                   const TaskRecord& after, const std::string& action) {
    CommandEffects fx = NextCommand(CurrentCase(case_id), action);
    fx.update_tasks = {{before, after}};
    return fx;
  }

  TempDir temp_;
  std::string migrations_dir_;
  std::string mysql_url_;
  std::unique_ptr<CaseStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContractTest, ::testing::Values("sqlite", "mariadb"),
                         AdapterName);
// The department handler's referral inbox: referrals routed to the given units, in
// (due_at, id) order, filtered by status, paged by keyset; other units' never appear.
TEST_P(StoreContractTest, ListDepartmentReferralsPagesADepartmentsReferralsInDueOrder) {
  struct Spec {
    ReferralId id;
    CaseId case_id;
    const char* unit;
    ReferralStatus status;
    Micros due;
  };
  const std::vector<Spec> specs = {
      {7001, 201, "640202D07", ReferralStatus::kPending, kT0 + 5 * kMicrosPerDay},
      {7002, 202, "640202D07", ReferralStatus::kAnswered, kT0 + 2 * kMicrosPerDay},
      {7003, 203, "640202D07", ReferralStatus::kPending, kT0 + 2 * kMicrosPerDay},
      {7004, 204, "640202D01", ReferralStatus::kPending, kT0 + kMicrosPerDay},
      {7005, 205, "640205D07", ReferralStatus::kPending, kT0 + 3 * kMicrosPerDay},
  };
  for (const Spec& sp : specs) {
    CaseRecord c = MakeCase(sp.case_id, Hash(static_cast<char>('a' + sp.case_id - 200)));
    CommandEffects fx = Discover(c, {});
    ReferralRecord r;
    r.id = sp.id;
    r.case_id = sp.case_id;
    r.department_code = sp.unit[8] == '7' ? "canlian" : "yibao";
    r.department_unit_id = sp.unit;
    r.status = sp.status;
    r.note = "转介";
    r.policies = sp.id == 7003 ? "canlian_nursing_subsidy" : "";
    r.requested_at = kT0;
    r.due_at = sp.due;
    fx.insert_referrals = {r};
    ASSERT_OK(ApplyAndCommit(fx));
  }
  auto ids = [](const Result<std::vector<ReferralRecord>>& r) {
    std::vector<ReferralId> out;
    if (r.ok()) {
      for (const auto& x : *r) out.push_back(x.id);
    }
    return out;
  };
  DepartmentReferralQuery q;
  q.department_unit_ids = {"640202D07"};
  auto all = store_->ListDepartmentReferrals(q);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(ids(all), (std::vector<ReferralId>{7002, 7003, 7001}));
  EXPECT_EQ((*all)[1].policies, "canlian_nursing_subsidy");
  EXPECT_EQ((*all)[1].due_at, kT0 + 2 * kMicrosPerDay);

  q.status = ReferralStatus::kPending;
  EXPECT_EQ(ids(store_->ListDepartmentReferrals(q)), (std::vector<ReferralId>{7003, 7001}));
  q.limit = 1;
  auto first = store_->ListDepartmentReferrals(q);
  EXPECT_EQ(ids(first), (std::vector<ReferralId>{7003}));
  q.after_due = (*first)[0].due_at;
  q.after_id = (*first)[0].id;
  EXPECT_EQ(ids(store_->ListDepartmentReferrals(q)), (std::vector<ReferralId>{7001}));

  DepartmentReferralQuery two;
  two.department_unit_ids = {"640202D01", "640205D07"};
  two.status = ReferralStatus::kPending;
  EXPECT_EQ(ids(store_->ListDepartmentReferrals(two)), (std::vector<ReferralId>{7004, 7005}));
  two.status = ReferralStatus::kAnswered;
  EXPECT_TRUE(ids(store_->ListDepartmentReferrals(two)).empty());

  DepartmentReferralQuery none;
  auto nothing = store_->ListDepartmentReferrals(none);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
}

// Quarterly revisits: one per (household, quarter); a second for the same quarter is
// refused with kAlreadyExists and its whole command rolls back.
TEST_P(StoreContractTest, RevisitsAreOnePerHouseholdAndQuarter) {
  CaseRecord c = MakeCase(401, Hash('r'), CaseState::kMonitor);
  ASSERT_OK(ApplyAndCommit(Discover(c)));
  CommandEffects first = NextCommand(c, "revisit_scheduled");
  TaskRecord t = MakeTask(4101, 401, "640202001001", "village_officer", kT0 + 30 * kMicrosPerDay);
  t.kind = "quarterly_visit";
  first.insert_tasks = {t};
  first.insert_revisits = {RevisitRecord{Hash('r'), "2026Q1", 401, 4101, kT0}};
  ASSERT_OK(ApplyAndCommit(first));
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    auto found = (*txn)->FindRevisit(Hash('r'), "2026Q1");
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->case_id, 401);
    EXPECT_EQ((*found)->task_id, 4101);
    EXPECT_EQ((*found)->created_at, kT0);
    auto other = (*txn)->FindRevisit(Hash('r'), "2026Q2");
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());
  }
  CaseRecord after_first = *first.update_case;
  CommandEffects again = NextCommand(after_first, "revisit_scheduled");
  TaskRecord t2 = t;
  t2.id = 4102;
  again.insert_tasks = {t2};
  again.insert_revisits = {RevisitRecord{Hash('r'), "2026Q1", 401, 4102, kT0 + kHour}};
  EXPECT_EQ(ApplyAndCommit(again).code(), ErrorCode::kAlreadyExists);
  auto tasks = store_->ListTasksForCase(401);
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(TaskIds(*tasks), (std::vector<TaskId>{4101})) << "the refused command wrote nothing";
  CommandEffects next_quarter = NextCommand(after_first, "revisit_scheduled");
  next_quarter.insert_tasks = {t2};
  next_quarter.insert_revisits = {RevisitRecord{Hash('r'), "2026Q2", 401, 4102, kT0 + kHour}};
  ASSERT_OK(ApplyAndCommit(next_quarter));
}

// Supervisors' pool counts: cases with a pool per (village, pool) in a subtree; cases
// without a pool, closed and revoked ones are left out.
TEST_P(StoreContractTest, CountPoolsCountsCasesPerVillageAndPoolInASubtree) {
  struct Spec {
    CaseId id;
    const char* path;
    const char* village;
    Pool pool;
    CaseState state;
  };
  const std::vector<Spec> specs = {
      {301, "/6402/640202/640202100/640202100001/", "640202100001", Pool::kRelief, CaseState::kMonitor},
      {302, "/6402/640202/640202100/640202100001/", "640202100001", Pool::kRelief, CaseState::kApprove},
      {303, "/6402/640202/640202100/640202100001/", "640202100001", Pool::kMonitoring, CaseState::kRejected},
      {304, "/6402/640202/640202100/640202100002/", "640202100002", Pool::kGeneral, CaseState::kRejected},
      {305, "/6402/640202/640202100/640202100002/", "640202100002", Pool::kNone, CaseState::kDiscover},
      {306, "/6402/640202/640202100/640202100002/", "640202100002", Pool::kRelief, CaseState::kRevoked},
      {307, "/6402/640202/640202100/640202100002/", "640202100002", Pool::kRelief, CaseState::kClosed},
      {308, "/6402/640205/640205001/640205001001/", "640205001001", Pool::kRelief, CaseState::kMonitor},
  };
  for (const Spec& sp : specs) {
    CaseRecord c = MakeCase(sp.id, Hash(static_cast<char>('a' + sp.id - 300)), sp.state, sp.path);
    c.village_id = sp.village;
    c.pool = sp.pool;
    ASSERT_OK(ApplyAndCommit(Discover(c)));
  }
  auto lines = [](const Result<std::vector<PoolCount>>& r) {
    std::vector<std::string> out;
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const auto& p : *r) out.push_back(p.village_id + " " + PoolName(p.pool) + " " + std::to_string(p.n));
    }
    return out;
  };
  EXPECT_EQ(lines(store_->CountPools("/6402/640202/")),
            (std::vector<std::string>{"640202100001 monitoring 1", "640202100001 relief 2",
                                      "640202100002 general 1"}));
  EXPECT_EQ(lines(store_->CountPools("/6402/640202/640202100/640202100002/")),
            (std::vector<std::string>{"640202100002 general 1"}));
  EXPECT_EQ(lines(store_->CountPools("")).size(), 4u);
  EXPECT_TRUE(lines(store_->CountPools("/9999/")).empty());
}

// --- migrations -------------------------------------------------------------------------

TEST_P(StoreContractTest, MigrateIsIdempotentAndRecordsEveryVersion) {
  auto files = ReadMigrationFiles(migrations_dir_);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  std::vector<int> want;
  for (const MigrationFile& f : *files) want.push_back(f.version);

  auto applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, want);

  ASSERT_OK(store_->Migrate(migrations_dir_));
  applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, want);
  EXPECT_OK(store_->Ping());
}

TEST_P(StoreContractTest, MigrateAppliesOnlyTheNewFile) {
  const std::string dir = CopyMigrations();
  {
    std::ofstream f(dir + "/0099_contract_extra.sql");
    f << "-- added by the contract test\nCREATE TABLE contract_extra (id INTEGER PRIMARY KEY);\n";
  }
  ASSERT_OK(store_->Migrate(dir));
  auto applied = store_->AppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_FALSE(applied->empty());
  EXPECT_EQ(applied->back(), 99);
  // Applying again changes nothing (the table would already exist).
  ASSERT_OK(store_->Migrate(dir));
}

TEST_P(StoreContractTest, MigrateRefusesAChangedMigration) {
  const std::string dir = CopyMigrations();
  ASSERT_OK(store_->Migrate(dir));  // same files, same checksums: nothing to do
  {
    std::ofstream f(dir + "/" + fs::path(ReadMigrationFiles(dir)->front().name).string(),
                    std::ios::app);
    f << "\n-- edited after it was applied\n";
  }
  EXPECT_CODE(store_->Migrate(dir), ErrorCode::kFailedPrecondition);
}

// --- org units and users ----------------------------------------------------------------

TEST_P(StoreContractTest, OrgUnitsRoundTripWithChineseAndFourByteText) {
  std::vector<OrgUnitRecord> units = TestOrgUnits();
  ASSERT_OK(store_->ReplaceOrgUnits(units));
  auto got = store_->ListOrgUnits();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), units.size());
  auto by_id = [](const OrgUnitRecord& a, const OrgUnitRecord& b) { return a.id < b.id; };
  std::sort(units.begin(), units.end(), by_id);
  std::sort(got->begin(), got->end(), by_id);
  for (size_t i = 0; i < units.size(); ++i) ExpectSameOrgUnit(units[i], (*got)[i]);

  // Replacing rewrites a unit in place.
  std::vector<OrgUnitRecord> renamed = TestOrgUnits();
  renamed[3].name = "𠀀𠀁新村";
  ASSERT_OK(store_->ReplaceOrgUnits(renamed));
  got = store_->ListOrgUnits();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), renamed.size());
  auto village = std::find_if(got->begin(), got->end(),
                              [](const OrgUnitRecord& u) { return u.id == "640202001001"; });
  ASSERT_NE(village, got->end());
  EXPECT_EQ(village->name, "𠀀𠀁新村");
}

TEST_P(StoreContractTest, UsersRoundTripAndUpsertReplacesRoles) {
  SeedOrgUnits();
  UserRecord zhang;
  zhang.username = "zhang.san";
  zhang.display_name = "张三𠀀";
  zhang.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  zhang.roles = {{"street_reviewer", "640202001"}, {"approver", "640202"}};
  UserRecord li;
  li.username = "li.si";
  li.display_name = "李四";
  ASSERT_OK(store_->UpsertUsers({zhang, li}));

  auto found = store_->FindUser("zhang.san");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  const UserRecord& z = **found;
  EXPECT_EQ(z.username, "zhang.san");
  EXPECT_EQ(z.display_name, "张三𠀀");
  EXPECT_EQ(z.password_hash, zhang.password_hash);
  ASSERT_EQ(z.roles.size(), 2u);
  // Bindings come ordered by (role, org unit).
  EXPECT_EQ(z.roles[0].role, "approver");
  EXPECT_EQ(z.roles[0].org_unit_id, "640202");
  EXPECT_EQ(z.roles[1].role, "street_reviewer");
  EXPECT_EQ(z.roles[1].org_unit_id, "640202001");

  auto missing = store_->FindUser("nobody");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_FALSE(missing->has_value());

  auto all = store_->ListUsers();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "li.si");  // ordered by username
  EXPECT_EQ((*all)[0].display_name, "李四");
  EXPECT_TRUE((*all)[0].roles.empty());
  EXPECT_EQ((*all)[1].username, "zhang.san");
  EXPECT_EQ((*all)[1].roles.size(), 2u);

  // Upserting again rewrites the user and replaces the bindings.
  zhang.display_name = "张三";
  zhang.roles = {{"supervisor", "640205"}};
  ASSERT_OK(store_->UpsertUsers({zhang}));
  found = store_->FindUser("zhang.san");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->display_name, "张三");
  ASSERT_EQ((*found)->roles.size(), 1u);
  EXPECT_EQ((*found)->roles[0].role, "supervisor");
  EXPECT_EQ((*found)->roles[0].org_unit_id, "640205");
}

TEST_P(StoreContractTest, UpsertUsersRefusesAnUnknownOrgUnitAndWritesNothing) {
  SeedOrgUnits();
  UserRecord ok_user;
  ok_user.username = "wang.wu";
  ok_user.display_name = "王五";
  UserRecord bad;
  bad.username = "zhao.liu";
  bad.display_name = "赵六";
  bad.roles = {{"approver", "no-such-unit"}};
  EXPECT_CODE(store_->UpsertUsers({ok_user, bad}), ErrorCode::kInvalidArgument);
  auto all = store_->ListUsers();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(all->empty()) << "the whole upsert is one transaction";
}

// --- cases: writing and reading back ----------------------------------------------------

TEST_P(StoreContractTest, CaseTasksReferralAndAuditEventRoundTripFieldByField) {
  CaseRecord c = MakeCase(101, Hash('1'));
  c.applicant_name = "王𠀀芳";
  c.route = Route::kFastTrack;
  c.pool = Pool::kMonitoring;
  c.assessment_json = R"({"income_per_capita":512.5,"members":["王𠀀芳","李明"]})";
  c.pledge_json = R"({"signed":true})";
  c.promised_by = kT0 + 10 * kMicrosPerDay;
  c.decided_at = kT0 + kHour;
  c.version = 3;
  c.audit_head_seq = 1;

  TaskRecord visit = MakeTask(1001, 101, "640202001", "street_reviewer", kT0 + 2 * kHour);
  visit.claimed_by = "zhang.san";
  visit.claimed_at = kT0 + kHour;
  visit.state = TaskState::kClaimed;
  visit.escalation_level = 2;
  visit.escalate_at = kT0 + 26 * kHour;
  TaskRecord feedback =
      MakeTask(1002, 101, "640202-canlian", "department_officer", kT0 + 5 * kMicrosPerDay);
  feedback.kind = "referral_feedback";
  feedback.stage = CaseState::kFeedback;
  feedback.org_path = "/6402/640202/640202-canlian/";
  feedback.referral_id = 5001;
  feedback.outcome = "";
  feedback.escalate_at = kT0 + 5 * kMicrosPerDay;

  ReferralRecord referral;
  referral.id = 5001;
  referral.case_id = 101;
  referral.department_code = "canlian";
  referral.department_unit_id = "640202-canlian";
  referral.status = ReferralStatus::kPending;
  referral.note = "请评估残疾补贴 𠀀";
  referral.policies = "canlian_nursing_subsidy,canlian_living_subsidy";
  referral.requested_at = kT0;
  referral.due_at = kT0 + 5 * kMicrosPerDay;

  CommandEffects fx = Discover(c, {visit, feedback});
  fx.insert_referrals = {referral};
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Apply(fx));
    // The transaction reads its own writes.
    auto locked = (*txn)->LockCase(101);
    ASSERT_TRUE(locked.ok()) << locked.status().ToString();
    ASSERT_TRUE(locked->has_value());
    ExpectSameCase(c, **locked);
    auto open = (*txn)->FindOpenCaseByIdHash(Hash('1'));
    ASSERT_TRUE(open.ok() && open->has_value()) << open.status().ToString();
    EXPECT_EQ((*open)->id, 101);
    auto active = (*txn)->ListActiveTasks(101);
    ASSERT_TRUE(active.ok()) << active.status().ToString();
    EXPECT_EQ(TaskIds(*active), (std::vector<TaskId>{1001, 1002}));
    auto task = (*txn)->LockTask(1002);
    ASSERT_TRUE(task.ok() && task->has_value()) << task.status().ToString();
    ExpectSameTask(feedback, **task);
    auto referrals = (*txn)->ListReferrals(101);
    ASSERT_TRUE(referrals.ok()) << referrals.status().ToString();
    ASSERT_EQ(referrals->size(), 1u);
    ExpectSameReferral(referral, (*referrals)[0]);
    ASSERT_OK((*txn)->Commit());
  }

  auto got = store_->GetCase(101);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSameCase(c, **got);

  auto tasks = store_->ListTasksForCase(101);
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  ASSERT_EQ(tasks->size(), 2u);
  ExpectSameTask(visit, (*tasks)[0]);
  ExpectSameTask(feedback, (*tasks)[1]);

  auto referrals = store_->ListReferralsForCase(101);
  ASSERT_TRUE(referrals.ok()) << referrals.status().ToString();
  ASSERT_EQ(referrals->size(), 1u);
  ExpectSameReferral(referral, (*referrals)[0]);

  auto events = store_->ListAuditEvents(101);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  ExpectSameAudit(fx.audit, (*events)[0]);

  auto count = store_->CountCases();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 1);

  // A later command updates the case, closes a task, answers the referral.
  CommandEffects next = NextCommand(c, "feedback");
  next.update_case->state = CaseState::kMonitor;
  next.update_case->decided_at = kT0 + 2 * kMicrosPerDay;
  TaskRecord done = feedback;
  done.state = TaskState::kDone;
  done.completed_at = kT0 + 3 * kMicrosPerDay;
  done.outcome = "feedback";
  done.escalate_at = 0;  // a closed task has no escalation left
  TaskRecord escalated = visit;
  escalated.escalation_level = 3;
  escalated.escalate_at = 0;
  escalated.org_unit_id = "640202";
  escalated.org_path = kDistrictPath;
  next.update_tasks = {{feedback, done}, {visit, escalated}};
  ReferralRecord answered = referral;
  answered.status = ReferralStatus::kAnswered;
  answered.answer = "provided";
  answered.answer_json = R"({"subsidy":"残疾人两项补贴"})";
  answered.answered_at = kT0 + 3 * kMicrosPerDay;
  next.update_referrals = {answered};
  ASSERT_OK(ApplyAndCommit(next));

  got = store_->GetCase(101);
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSameCase(*next.update_case, **got);
  tasks = store_->ListTasksForCase(101);
  ASSERT_TRUE(tasks.ok() && tasks->size() == 2u);
  ExpectSameTask(escalated, (*tasks)[0]);
  ExpectSameTask(done, (*tasks)[1]);
  referrals = store_->ListReferralsForCase(101);
  ASSERT_TRUE(referrals.ok() && referrals->size() == 1u);
  ExpectSameReferral(answered, (*referrals)[0]);
}

TEST_P(StoreContractTest, MissingRowsReadAsNothing) {
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  auto c = (*txn)->LockCase(424242);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->has_value());
  auto t = (*txn)->LockTask(424242);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_FALSE(t->has_value());
  auto open = (*txn)->FindOpenCaseByIdHash(Hash('9'));
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  EXPECT_FALSE(open->has_value());
  auto active = (*txn)->ListActiveTasks(424242);
  ASSERT_TRUE(active.ok()) << active.status().ToString();
  EXPECT_TRUE(active->empty());
  txn->reset();

  auto got = store_->GetCase(424242);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_value());
  auto events = store_->ListAuditEvents(424242);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_TRUE(events->empty());
}

TEST_P(StoreContractTest, GetCasesReadsTheCasesThatExistOnceInIdOrder) {
  std::vector<CaseRecord> cases;
  for (CaseId id : {703, 701, 705}) {
    CaseRecord c = MakeCase(id, Hash(static_cast<char>('0' + id % 10)));
    c.applicant_name = "王𠀀芳 " + std::to_string(id);
    c.version = id - 700;
    c.assessment_json = R"({"members":["李\"明"]})";
    ASSERT_OK(ApplyAndCommit(Discover(c)));
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(),
            [](const CaseRecord& a, const CaseRecord& b) { return a.id < b.id; });

  auto got = store_->GetCases({705, 424242, 701, 703, 701});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(CaseIds(*got), (std::vector<CaseId>{701, 703, 705}));
  for (size_t i = 0; i < cases.size(); ++i) ExpectSameCase(cases[i], (*got)[i]);

  // A later command is seen.
  CommandEffects next = NextCommand(cases[1], "accept");
  next.update_case->state = CaseState::kCommit;
  ASSERT_OK(ApplyAndCommit(next));
  got = store_->GetCases({703});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 1u);
  ExpectSameCase(*next.update_case, (*got)[0]);

  got = store_->GetCases({});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->empty());
  got = store_->GetCases({424242, 424243});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->empty());
}

TEST_P(StoreContractTest, GetCasesReadsListsLongerThanOneStatement) {
  // More ids than one statement takes (engine/store/id_batches.hpp), every third missing.
  const CaseId first = 10'000;
  const CaseId count = static_cast<CaseId>(2 * kMaxIdsPerStatement + 7);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    for (CaseId id = first; id < first + count; ++id) {
      if (id % 3 == 0) continue;
      std::string hash = std::to_string(id);
      hash = std::string(64 - hash.size(), 'f') + hash;
      CaseRecord c = MakeCase(id, hash);
      c.applicant_name = "申请人" + std::to_string(id);
      ASSERT_OK((*txn)->Apply(Discover(c)));
    }
    ASSERT_OK((*txn)->Commit());
  }
  std::vector<CaseId> ask;
  std::vector<CaseId> want;
  for (CaseId id = first + count - 1; id >= first; --id) ask.push_back(id);
  for (CaseId id = first; id < first + count; ++id) {
    if (id % 3 != 0) want.push_back(id);
  }
  auto got = store_->GetCases(ask);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(CaseIds(*got), want);
  for (const CaseRecord& c : *got) EXPECT_EQ(c.applicant_name, "申请人" + std::to_string(c.id));
}

// --- the checks that keep concurrent commands honest -------------------------------------

TEST_P(StoreContractTest, StaleVersionConflictsAndTheTransactionLeavesNothing) {
  const CaseRecord c = MakeCase(201, Hash('2'));
  ASSERT_OK(ApplyAndCommit(Discover(c)));

  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    // A good command, then one built from the version it read before that.
    CommandEffects first = NextCommand(c, "accept");
    ASSERT_OK((*txn)->Apply(first));
    CommandEffects stale = NextCommand(c, "assess");
    stale.audit.seq = 3;
    stale.insert_tasks = {MakeTask(2001, 201, "640202001", "street_reviewer", kT0)};
    const Status s = (*txn)->Apply(stale);
    EXPECT_EQ(s.code(), ErrorCode::kConflict) << s.ToString();
    EXPECT_NE(s.message().find("201"), std::string::npos) << s.message();
    // No Commit: destroying the transaction rolls everything back.
  }
  auto got = store_->GetCase(201);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 1);
  auto events = store_->ListAuditEvents(201);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
  auto tasks = store_->ListTasksForCase(201);
  ASSERT_TRUE(tasks.ok());
  EXPECT_TRUE(tasks->empty());

  // A command from another writer's past: rejected even in a transaction of its own.
  ASSERT_OK(ApplyAndCommit(NextCommand(c, "accept")));
  CommandEffects late = NextCommand(c, "accept");  // still expects version 1
  late.audit.seq = 3;
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok());
  EXPECT_CODE((*txn)->Apply(late), ErrorCode::kConflict);
}

TEST_P(StoreContractTest, TaskStateCheckConflicts) {
  const CaseRecord c = MakeCase(301, Hash('3'));
  const TaskRecord task = MakeTask(3001, 301, "640202001", "street_reviewer", kT0 + kHour);
  ASSERT_OK(ApplyAndCommit(Discover(c, {task})));

  // First claim wins.
  CommandEffects claim = NextCommand(c, "claim_task");
  TaskRecord claimed = task;
  claimed.state = TaskState::kClaimed;
  claimed.claimed_by = "zhang.san";
  claimed.claimed_at = kT0 + 1;
  claim.update_tasks = {{task, claimed}};
  ASSERT_OK(ApplyAndCommit(claim));

  // A second claim that still believes the task is open loses, even with a fresh case version.
  CaseRecord now = *claim.update_case;
  CommandEffects again = NextCommand(now, "claim_task");
  TaskRecord other = task;
  other.state = TaskState::kClaimed;
  other.claimed_by = "li.si";
  again.update_tasks = {{task, other}};
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    const Status s = (*txn)->Apply(again);
    EXPECT_EQ(s.code(), ErrorCode::kConflict) << s.ToString();
    EXPECT_NE(s.message().find("3001"), std::string::npos) << s.message();
  }
  auto tasks = store_->ListTasksForCase(301);
  ASSERT_TRUE(tasks.ok() && tasks->size() == 1u);
  EXPECT_EQ((*tasks)[0].claimed_by, "zhang.san");
  auto got = store_->GetCase(301);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, now.version) << "the case update of the losing command is undone";

  // Rewriting a task with its current content still counts as a match.
  CommandEffects same = NextCommand(now, "note");
  same.update_tasks = {{claimed, claimed}};
  EXPECT_OK(ApplyAndCommit(same));
}

TEST_P(StoreContractTest, OneOpenCasePerPerson) {
  const CaseRecord first = MakeCase(401, Hash('4'));
  ASSERT_OK(ApplyAndCommit(Discover(first)));

  // A second open case for the same ID hash is refused.
  EXPECT_CODE(ApplyAndCommit(Discover(MakeCase(402, Hash('4')))), ErrorCode::kAlreadyExists);
  auto none = store_->GetCase(402);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Another person is fine.
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(403, Hash('5')))));

  // Once the first case is terminal the person may have a new one.
  CommandEffects close = NextCommand(first, "close");
  close.update_case->state = CaseState::kClosed;
  ASSERT_OK(ApplyAndCommit(close));
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto open = (*txn)->FindOpenCaseByIdHash(Hash('4'));
    ASSERT_TRUE(open.ok()) << open.status().ToString();
    EXPECT_FALSE(open->has_value()) << "a closed case is not open";
  }
  const CaseRecord second = MakeCase(402, Hash('4'));
  ASSERT_OK(ApplyAndCommit(Discover(second)));
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto open = (*txn)->FindOpenCaseByIdHash(Hash('4'));
    ASSERT_TRUE(open.ok() && open->has_value()) << open.status().ToString();
    EXPECT_EQ((*open)->id, 402);
  }

  // Reopening the closed case while the new one is open is refused too.
  CommandEffects reopen = NextCommand(*close.update_case, "reassess");
  reopen.update_case->state = CaseState::kAssess;
  EXPECT_CODE(ApplyAndCommit(reopen), ErrorCode::kAlreadyExists);
  auto got = store_->GetCase(401);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->state, CaseState::kClosed);
}

// --- transactions: savepoints and rollback -----------------------------------------------

TEST_P(StoreContractTest, SavepointRollbackUndoesOnlyTheLastCommand) {
  const CaseRecord base = MakeCase(501, Hash('6'));
  ASSERT_OK(ApplyAndCommit(Discover(base)));

  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  StoreTxn& t = **txn;

  // Command 1 is kept.
  ASSERT_OK(t.Savepoint());
  ASSERT_OK(t.Apply(Discover(MakeCase(502, Hash('7')))));
  ASSERT_OK(t.ReleaseSavepoint());

  // Command 2 succeeds but is undone by the executor.
  ASSERT_OK(t.Savepoint());
  ASSERT_OK(t.Apply(Discover(MakeCase(503, Hash('8')))));
  ASSERT_OK(t.RollbackToSavepoint());

  // Command 3 fails halfway (its new case is written before the stale update is refused).
  ASSERT_OK(t.Savepoint());
  CommandEffects half = NextCommand(base, "accept");
  half.expected_version = 7;
  half.insert_case = MakeCase(504, Hash('9'));
  EXPECT_CODE(t.Apply(half), ErrorCode::kConflict);
  ASSERT_OK(t.RollbackToSavepoint());

  // Command 4 is kept.
  ASSERT_OK(t.Savepoint());
  ASSERT_OK(t.Apply(NextCommand(base, "accept")));
  ASSERT_OK(t.ReleaseSavepoint());
  ASSERT_OK(t.Commit());
  txn->reset();

  auto exists = [&](CaseId id) {
    auto got = store_->GetCase(id);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() && got->has_value();
  };
  EXPECT_TRUE(exists(502));
  EXPECT_FALSE(exists(503));
  EXPECT_FALSE(exists(504));
  auto got = store_->GetCase(501);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 2);
  auto events = store_->ListAuditEvents(503);
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

TEST_P(StoreContractTest, DestroyingAnUncommittedTransactionRollsBack) {
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Apply(
        Discover(MakeCase(601, Hash('a')),
                 {MakeTask(6001, 601, "640202001", "street_reviewer", kT0 + kHour)})));
  }
  auto got = store_->GetCase(601);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_value());
  auto count = store_->CountCases();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
  // The ID hash is free again, and the store still works.
  EXPECT_OK(ApplyAndCommit(Discover(MakeCase(602, Hash('a')))));
}

// --- reads for people: inbox, case lists, audit trail -----------------------------------

class InboxTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::string street = "640202001";
    const std::string district = "640202";
    auto task = [](TaskId id, CaseId case_id, const std::string& unit, const std::string& role,
                   Micros due, TaskState state = TaskState::kOpen) {
      return MakeTask(id, case_id, unit, role, due, state);
    };
    // Queue (street, street_reviewer).
    TaskRecord t1 = task(11, 701, street, "street_reviewer", kT0 + 100);
    TaskRecord t2 = task(12, 701, street, "street_reviewer", kT0 + 200, TaskState::kClaimed);
    t2.claimed_by = "zhang.san";
    t2.claimed_at = kT0;
    TaskRecord t3 = task(13, 702, street, "street_reviewer", kT0 + 200);
    t3.programme = "linshi";
    TaskRecord t4 = task(14, 702, street, "street_reviewer", kT0 + 300, TaskState::kDone);
    TaskRecord t5 = task(15, 702, street, "street_reviewer", kT0 + 50, TaskState::kCancelled);
    // Same unit, a role the caller does not hold.
    TaskRecord t6 = task(16, 701, street, "village_officer", kT0 + 10);
    // Queue (district, approver).
    TaskRecord t7 = task(17, 703, district, "approver", kT0 + 150);
    t7.kind = "approval";
    // Elsewhere, but claimed by the caller.
    TaskRecord t8 = task(18, 703, "640205", "approver", kT0 + 400, TaskState::kClaimed);
    t8.claimed_by = "zhang.san";
    t8.org_path = kOtherDistrictPath;
    // Elsewhere, not the caller's.
    TaskRecord t9 = task(19, 703, "640205", "approver", kT0 + 20);
    t9.org_path = kOtherDistrictPath;

    ASSERT_OK(ApplyAndCommit(Discover(MakeCase(701, Hash('b')), {t1, t2, t6})));
    ASSERT_OK(ApplyAndCommit(Discover(MakeCase(702, Hash('c')), {t3, t4, t5})));
    ASSERT_OK(ApplyAndCommit(Discover(MakeCase(703, Hash('d')), {t7, t8, t9})));
  }

  InboxQuery Query() const {
    InboxQuery q;
    q.roles = {{"street_reviewer", "640202001"}, {"approver", "640202"}};
    q.username = "zhang.san";
    q.limit = 50;
    return q;
  }

  std::vector<TaskId> Ids(const InboxQuery& q, std::int64_t want_total) {
    auto page = store_->ListInbox(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return {};
    EXPECT_EQ(page->total, want_total);
    return TaskIds(page->tasks);
  }
};

INSTANTIATE_TEST_SUITE_P(Adapters, InboxTest, ::testing::Values("sqlite", "mariadb"), AdapterName);

TEST_P(InboxTest, ActiveTasksOfTheCallersQueuesInDueOrder) {
  // (due, id): t1 (100), t7 (150), t2 (200, id 12), t3 (200, id 13).
  EXPECT_EQ(Ids(Query(), 4), (std::vector<TaskId>{11, 17, 12, 13}));
  auto page = store_->ListInbox(Query());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->tasks.size(), 4u);
  EXPECT_EQ(page->tasks[2].claimed_by, "zhang.san");
  EXPECT_EQ(page->tasks[2].state, TaskState::kClaimed);

  InboxQuery none = Query();
  none.roles.clear();
  EXPECT_TRUE(Ids(none, 0).empty());
}

TEST_P(InboxTest, KeysetPagesKeepTheTotal) {
  InboxQuery q = Query();
  q.limit = 2;
  auto p1 = store_->ListInbox(q);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(TaskIds(p1->tasks), (std::vector<TaskId>{11, 17}));
  EXPECT_EQ(p1->total, 4);

  q.after_due = p1->tasks.back().due_at;
  q.after_id = p1->tasks.back().id;
  auto p2 = store_->ListInbox(q);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(TaskIds(p2->tasks), (std::vector<TaskId>{12, 13}));
  EXPECT_EQ(p2->total, 4);

  // Ties on due_at are broken by id: after (200, 12) comes (200, 13).
  q.after_due = kT0 + 200;
  q.after_id = 12;
  EXPECT_EQ(Ids(q, 4), (std::vector<TaskId>{13}));

  q.after_id = 13;
  EXPECT_TRUE(Ids(q, 4).empty());
}

TEST_P(InboxTest, Filters) {
  InboxQuery mine = Query();
  mine.mine_only = true;  // claimed by the caller, wherever
  EXPECT_EQ(Ids(mine, 2), (std::vector<TaskId>{12, 18}));

  InboxQuery queue = Query();
  queue.queue_only = true;
  EXPECT_EQ(Ids(queue, 3), (std::vector<TaskId>{11, 17, 13}));

  InboxQuery programme = Query();
  programme.programme = "linshi";
  EXPECT_EQ(Ids(programme, 1), (std::vector<TaskId>{13}));

  InboxQuery kind = Query();
  kind.kind = "approval";
  EXPECT_EQ(Ids(kind, 1), (std::vector<TaskId>{17}));

  InboxQuery overdue = Query();
  overdue.now = kT0 + 160;
  overdue.overdue = true;
  EXPECT_EQ(Ids(overdue, 2), (std::vector<TaskId>{11, 17}));
  overdue.overdue = false;
  EXPECT_EQ(Ids(overdue, 2), (std::vector<TaskId>{12, 13}));

  InboxQuery due = Query();
  due.due_before = kT0 + 200;
  EXPECT_EQ(Ids(due, 2), (std::vector<TaskId>{11, 17}));

  InboxQuery combined = Query();
  combined.queue_only = true;
  combined.programme = "dibao";
  combined.limit = 1;
  EXPECT_EQ(Ids(combined, 2), (std::vector<TaskId>{11}));
}

TEST_P(InboxTest, FilterByOrgUnitKeepsOnlyTasksRoutedThere) {
  InboxQuery street = Query();
  street.org_unit_id = "640202001";
  EXPECT_EQ(Ids(street, 3), (std::vector<TaskId>{11, 12, 13}));

  InboxQuery district = Query();
  district.org_unit_id = "640202";
  EXPECT_EQ(Ids(district, 1), (std::vector<TaskId>{17}));

  // A unit where the caller holds no role: nothing, though tasks are routed there.
  InboxQuery elsewhere = Query();
  elsewhere.org_unit_id = "640205";
  EXPECT_TRUE(Ids(elsewhere, 0).empty());
  // A unit that is only a prefix of the caller's: no match either.
  InboxQuery prefix = Query();
  prefix.org_unit_id = "6402020";
  EXPECT_TRUE(Ids(prefix, 0).empty());

  // With mine_only the unit narrows the caller's claimed tasks, wherever they are routed.
  InboxQuery mine = Query();
  mine.mine_only = true;
  mine.org_unit_id = "640205";
  EXPECT_EQ(Ids(mine, 1), (std::vector<TaskId>{18}));
  mine.org_unit_id = "640202001";
  EXPECT_EQ(Ids(mine, 1), (std::vector<TaskId>{12}));

  // Combined with the other filters and the keyset.
  InboxQuery combined = Query();
  combined.org_unit_id = "640202001";
  combined.queue_only = true;
  combined.limit = 1;
  EXPECT_EQ(Ids(combined, 2), (std::vector<TaskId>{11}));
  combined.after_due = kT0 + 100;
  combined.after_id = 11;
  EXPECT_EQ(Ids(combined, 2), (std::vector<TaskId>{13}));
}

// The totals come from per-queue counters the adapter keeps in the command's
// transaction: they follow claims and moves, and a command rolled back to its
// savepoint leaves them as they were.
TEST_P(InboxTest, TotalsFollowClaimsMovesAndRolledBackCommands) {
  auto task_of = [&](CaseId case_id, TaskId id) {
    auto tasks = store_->ListTasksForCase(case_id);
    EXPECT_TRUE(tasks.ok());
    for (const TaskRecord& t : *tasks) {
      if (t.id == id) return t;
    }
    ADD_FAILURE() << "no task " << id;
    return TaskRecord{};
  };
  auto case_of = [&](CaseId id) {
    auto got = store_->GetCase(id);
    EXPECT_TRUE(got.ok() && got->has_value());
    return **got;
  };
  InboxQuery queue = Query();
  queue.queue_only = true;
  ASSERT_EQ(Ids(queue, 3), (std::vector<TaskId>{11, 17, 13}));

  const TaskRecord t11 = task_of(701, 11);
  const TaskRecord t13 = task_of(702, 13);
  TaskRecord claimed = t11;
  claimed.state = TaskState::kClaimed;
  claimed.claimed_by = "zhang.san";
  TaskRecord moved = t13;
  moved.org_unit_id = "640202";
  moved.org_path = kDistrictPath;
  moved.role = "approver";
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    CommandEffects claim = NextCommand(case_of(701), "claim_task");
    claim.update_tasks = {{t11, claimed}};
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->Apply(claim));
    ASSERT_OK((*txn)->ReleaseSavepoint());
    CommandEffects move = NextCommand(case_of(702), "reassign_task");
    move.update_tasks = {{t13, moved}};
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->Apply(move));
    ASSERT_OK((*txn)->RollbackToSavepoint());
    ASSERT_OK((*txn)->Commit());
  }
  EXPECT_EQ(Ids(queue, 2), (std::vector<TaskId>{17, 13}));
  EXPECT_EQ(Ids(Query(), 4), (std::vector<TaskId>{11, 17, 12, 13}));
  InboxQuery district = Query();
  district.org_unit_id = "640202";
  EXPECT_EQ(Ids(district, 1), (std::vector<TaskId>{17}));

  // The move again, committed this time: the task leaves the street queue for the district's.
  CommandEffects move = NextCommand(case_of(702), "reassign_task");
  move.update_tasks = {{t13, moved}};
  ASSERT_OK(ApplyAndCommit(move));
  EXPECT_EQ(Ids(district, 2), (std::vector<TaskId>{17, 13}));
  InboxQuery street = Query();
  street.org_unit_id = "640202001";
  EXPECT_EQ(Ids(street, 2), (std::vector<TaskId>{11, 12}));
  EXPECT_EQ(Ids(Query(), 4), (std::vector<TaskId>{11, 17, 12, 13}));

  // A row that no longer holds the state, unit or role the command read is a conflict,
  // and the counters stay put.
  CommandEffects stale = NextCommand(case_of(702), "reassign_task");
  TaskRecord back = t13;
  stale.update_tasks = {{t13, back}};  // still believes the task is at the street
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    EXPECT_CODE((*txn)->Apply(stale), ErrorCode::kConflict);
  }
  EXPECT_EQ(Ids(district, 2), (std::vector<TaskId>{17, 13}));
}

TEST_P(StoreContractTest, ListCasesByOrgScopeAndFilters) {
  CaseRecord a = MakeCase(801, Hash('e'));  // village under street under district D
  a.applicant_name = "王𠀀芳";
  CaseRecord b = MakeCase(802, Hash('f'), CaseState::kApprove, kStreetPath);
  b.applicant_name = "李明";
  b.route = Route::kFastTrack;
  b.pool = Pool::kRelief;
  CaseRecord c = MakeCase(803, Hash('g'), CaseState::kAssess, kOtherDistrictPath);
  c.programme = "linshi";
  c.applicant_name = "王小明";
  CaseRecord d = MakeCase(804, Hash('h'), CaseState::kClosed, kVillagePath);
  d.applicant_name = "赵芳";
  for (const CaseRecord& k : {a, b, c, d}) ASSERT_OK(ApplyAndCommit(Discover(k)));

  auto ids = [&](const CaseQuery& q) {
    auto got = store_->ListCases(q);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? CaseIds(*got) : std::vector<CaseId>{};
  };
  CaseQuery q;
  q.org_paths = {kDistrictPath};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{801, 802, 804}));
  q.org_paths = {kStreetPath};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{801, 802, 804}));
  q.org_paths = {kVillagePath};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{801, 804}));
  q.org_paths = {kOtherDistrictPath};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{803}));
  q.org_paths = {kVillagePath, kOtherDistrictPath};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{801, 803, 804}));
  // A path is a literal prefix: LIKE wildcards in it match nothing but themselves.
  q.org_paths = {"/6402/6402_2/"};
  EXPECT_TRUE(ids(q).empty());
  q.org_paths = {"/6402/%"};
  EXPECT_TRUE(ids(q).empty());
  // No scope: every case (callers that must scope pass their paths).
  q.org_paths = {};
  EXPECT_EQ(ids(q), (std::vector<CaseId>{801, 802, 803, 804}));

  CaseQuery f;
  f.org_paths = {kCityPath};
  f.programme = "linshi";
  EXPECT_EQ(ids(f), (std::vector<CaseId>{803}));
  f = CaseQuery();
  f.org_paths = {kCityPath};
  f.state = CaseState::kApprove;
  EXPECT_EQ(ids(f), (std::vector<CaseId>{802}));
  f.state = std::nullopt;
  f.route = Route::kFastTrack;
  EXPECT_EQ(ids(f), (std::vector<CaseId>{802}));
  f.route = std::nullopt;
  f.pool = Pool::kRelief;
  EXPECT_EQ(ids(f), (std::vector<CaseId>{802}));
  f.pool = std::nullopt;
  f.id_hash = Hash('g');
  EXPECT_EQ(ids(f), (std::vector<CaseId>{803}));
  f.id_hash.clear();
  f.name_contains = "明";
  EXPECT_EQ(ids(f), (std::vector<CaseId>{802, 803}));
  f.name_contains = "𠀀";
  EXPECT_EQ(ids(f), (std::vector<CaseId>{801}));
  f.name_contains = "%";
  EXPECT_TRUE(ids(f).empty());
  f.name_contains.clear();

  // Keyset by id.
  f.limit = 2;
  EXPECT_EQ(ids(f), (std::vector<CaseId>{801, 802}));
  f.after_id = 802;
  EXPECT_EQ(ids(f), (std::vector<CaseId>{803, 804}));
  f.after_id = 804;
  EXPECT_TRUE(ids(f).empty());
}

TEST_P(StoreContractTest, AuditEventsComeInSeqOrderPerCase) {
  CaseRecord c = MakeCase(901, Hash('i'));
  ASSERT_OK(ApplyAndCommit(Discover(c)));
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(902, Hash('j')))));
  std::vector<AuditEventRecord> want = {MakeAudit(901, 1, "discover")};
  for (const char* action : {"accept", "assess", "pledge"}) {
    CommandEffects fx = NextCommand(c, action);
    ASSERT_OK(ApplyAndCommit(fx));
    want.push_back(fx.audit);
    c = *fx.update_case;
  }
  auto events = store_->ListAuditEvents(901);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) ExpectSameAudit(want[i], (*events)[i]);
  // The chain links as written.
  for (size_t i = 1; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].prev_hash, (*events)[i - 1].hash);
  }
  auto got = store_->GetCase(901);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->audit_head_seq, 4);
  EXPECT_EQ((*got)->audit_head_hash, events->back().hash);
}

TEST_P(StoreContractTest, ForEachCaseHeadVisitsCasesInIdOrderAndStopsEarly) {
  // Inserted out of id order.
  for (CaseId id : {1003, 1001, 1002}) {
    CaseRecord c = MakeCase(id, Hash(static_cast<char>('k' + id % 10)));
    c.audit_head_seq = 1;
    c.audit_head_hash = Hash('a');
    ASSERT_OK(ApplyAndCommit(Discover(c)));
  }
  std::vector<CaseId> seen;
  ASSERT_OK(store_->ForEachCaseHead([&](CaseId id, std::int64_t seq, const std::string& hash) {
    EXPECT_EQ(seq, 1);
    EXPECT_EQ(hash, Hash('a'));
    seen.push_back(id);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<CaseId>{1001, 1002, 1003}));

  seen.clear();
  ASSERT_OK(store_->ForEachCaseHead([&](CaseId id, std::int64_t, const std::string&) {
    seen.push_back(id);
    return seen.size() < 2;
  }));
  EXPECT_EQ(seen, (std::vector<CaseId>{1001, 1002}));
}

// --- idempotency keys ----------------------------------------------------------------------

TEST_P(StoreContractTest, IdempotencyRecordRoundTripsFieldByField) {
  IdempotencyRecord first = MakeIdempotency("zhang.san", "7f3c9a2e-key-1");
  // The largest values the schema takes: a 64-character user name, a 128-character key, a
  // SHA-256 hex hash and a response body well past 64 KiB.
  IdempotencyRecord big = MakeIdempotency(std::string(64, 'u'), std::string(128, 'k'), kT0 + 1);
  big.request_hash = Hash('f');
  big.status = 409;
  big.response_body.clear();
  while (big.response_body.size() < 200 * 1024) big.response_body += "入户核查记录 𠀀 ";
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    auto none = (*txn)->FindIdempotency(first.username, first.key);
    ASSERT_TRUE(none.ok()) << none.status().ToString();
    EXPECT_FALSE(none->has_value());
    ASSERT_OK((*txn)->SaveIdempotency(first));
    ASSERT_OK((*txn)->SaveIdempotency(big));
    // The transaction reads its own writes.
    auto own = (*txn)->FindIdempotency(first.username, first.key);
    ASSERT_TRUE(own.ok() && own->has_value()) << own.status().ToString();
    ExpectSameIdempotency(first, **own);
    ASSERT_OK((*txn)->Commit());
  }

  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  for (const IdempotencyRecord* want : {&first, &big}) {
    auto got = (*txn)->FindIdempotency(want->username, want->key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(got->has_value()) << want->key;
    ExpectSameIdempotency(*want, **got);
  }
  // A key belongs to its user, and keys compare exactly.
  for (const auto& [user, key] : std::vector<std::pair<std::string, std::string>>{
           {"li.si", first.key}, {"zhang.san", "7f3c9a2e-KEY-1"}, {"zhang.san", "7f3c9a2e-key"}}) {
    auto got = (*txn)->FindIdempotency(user, key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_FALSE(got->has_value()) << user << " / " << key;
  }
}

TEST_P(StoreContractTest, DuplicateIdempotencyKeyIsAlreadyExistsAndTheTransactionGoesOn) {
  const IdempotencyRecord first = MakeIdempotency("zhang.san", "key-1");
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->SaveIdempotency(first));
    // Twice in one transaction.
    EXPECT_CODE((*txn)->SaveIdempotency(first), ErrorCode::kAlreadyExists);
    ASSERT_OK((*txn)->Commit());
  }

  IdempotencyRecord again = first;
  again.request_hash = Hash('s');
  again.status = 200;
  again.response_body = "{}";
  again.created_at = kT0 + kHour;
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    EXPECT_CODE((*txn)->SaveIdempotency(again), ErrorCode::kAlreadyExists);
    // The refusal ends nothing: the same transaction writes and commits.
    ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("li.si", "key-1")));
    ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("zhang.san", "key-2")));
    ASSERT_OK((*txn)->Apply(Discover(MakeCase(1501, Hash('q')))));
    ASSERT_OK((*txn)->Commit());
  }

  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  auto kept = (*txn)->FindIdempotency("zhang.san", "key-1");
  ASSERT_TRUE(kept.ok() && kept->has_value()) << kept.status().ToString();
  ExpectSameIdempotency(first, **kept);  // the first answer stays
  for (const auto& [user, key] : std::vector<std::pair<std::string, std::string>>{
           {"li.si", "key-1"}, {"zhang.san", "key-2"}}) {
    auto got = (*txn)->FindIdempotency(user, key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(got->has_value()) << user << " / " << key;
  }
  auto c = store_->GetCase(1501);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->has_value());
}

TEST_P(StoreContractTest, IdempotencyRecordRolledBackWithItsTransactionIsGone) {
  const IdempotencyRecord rec = MakeIdempotency("zhang.san", "key-rolled-back");
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Apply(Discover(MakeCase(1601, Hash('r')))));
    ASSERT_OK((*txn)->SaveIdempotency(rec));
    // No Commit.
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    auto got = (*txn)->FindIdempotency(rec.username, rec.key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_FALSE(got->has_value());

    // Undone with its command's savepoint (group commit), while the command before it stays.
    const IdempotencyRecord kept = MakeIdempotency("zhang.san", "key-kept");
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->SaveIdempotency(kept));
    ASSERT_OK((*txn)->ReleaseSavepoint());
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->SaveIdempotency(rec));
    ASSERT_OK((*txn)->RollbackToSavepoint());
    got = (*txn)->FindIdempotency(rec.username, rec.key);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_FALSE(got->has_value()) << "rolled back to the savepoint";
    ASSERT_OK((*txn)->Commit());
  }
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  auto got = (*txn)->FindIdempotency(rec.username, rec.key);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_value());
  got = (*txn)->FindIdempotency("zhang.san", "key-kept");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->has_value());
  // The key is free again.
  EXPECT_OK((*txn)->SaveIdempotency(rec));
  EXPECT_OK((*txn)->Commit());
  auto c = store_->GetCase(1601);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->has_value());
}

TEST_P(StoreContractTest, PurgeIdempotencyRemovesRecordsCreatedBeforeTheCutOff) {
  const Micros cutoff = kT0 - kMicrosPerDay;
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    // Many old ones (more than any sensible batch), and some at and after the cut-off.
    for (int i = 0; i < 2500; ++i) {
      ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("user" + std::to_string(i % 7),
                                                        "old-" + std::to_string(i),
                                                        cutoff - 1 - i * kMicrosPerSecond)));
    }
    ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("zhang.san", "just-before", cutoff - 1)));
    ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("zhang.san", "at-cutoff", cutoff)));
    ASSERT_OK((*txn)->SaveIdempotency(MakeIdempotency("zhang.san", "fresh", kT0)));
    ASSERT_OK((*txn)->Commit());
  }
  auto purged = store_->PurgeIdempotency(cutoff);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 2501);

  auto present = [&](const std::string& user, const std::string& key) {
    auto txn = store_->BeginWrite();
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn.ok()) return false;
    auto got = (*txn)->FindIdempotency(user, key);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() && got->has_value();
  };
  EXPECT_FALSE(present("zhang.san", "just-before"));
  EXPECT_FALSE(present("user0", "old-0"));
  EXPECT_FALSE(present("user3", "old-2499"));
  EXPECT_TRUE(present("zhang.san", "at-cutoff")) << "created at the cut-off is not before it";
  EXPECT_TRUE(present("zhang.san", "fresh"));

  purged = store_->PurgeIdempotency(cutoff);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 0);
  purged = store_->PurgeIdempotency(kT0 + 1);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 2);
  EXPECT_FALSE(present("zhang.san", "fresh"));
}

TEST_P(StoreContractTest, ConcurrentRetryWithTheSameKeySeesTheFirstAnswer) {
  const IdempotencyRecord rec = MakeIdempotency("zhang.san", "key-race");
  auto first = store_->BeginWrite();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_OK((*first)->SaveIdempotency(rec));

  // The retry starts while the first request has not committed yet.
  std::atomic<bool> retry_started{false};
  Result<std::optional<IdempotencyRecord>> seen = Internal("did not run");
  std::thread retry([&] {
    retry_started = true;
    auto txn = store_->BeginWrite();  // SQLite: waits here for the writer
    if (!txn.ok()) {
      seen = txn.status();
      return;
    }
    seen = (*txn)->FindIdempotency(rec.username, rec.key);  // MariaDB: waits here
  });
  while (!retry_started) std::this_thread::yield();
  if (IsMariaDb()) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool waits = SomeoneWaitsForALock();
    while (!waits && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));  // INNODB_TRX refresh
      waits = SomeoneWaitsForALock();
    }
    EXPECT_TRUE(waits) << "the retry should wait for the first request's key";
  }
  const Status committed = (*first)->Commit();
  retry.join();
  ASSERT_OK(committed);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  ASSERT_TRUE(seen->has_value()) << "the retry must see the first answer, not act again";
  ExpectSameIdempotency(rec, **seen);
}

// --- task counts ---------------------------------------------------------------------------

TEST_P(StoreContractTest, CountActiveTasksCountsOpenAndClaimedAndOverdueBeforeNow) {
  auto counts = [&](Micros now) {
    auto got = store_->CountActiveTasks(now);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? std::make_pair(got->active, got->overdue)
                    : std::make_pair(std::int64_t{-1}, std::int64_t{-1});
  };
  using Counts = std::pair<std::int64_t, std::int64_t>;
  EXPECT_EQ(counts(kT0), (Counts{0, 0}));

  // Deadlines are ends of local days (Asia/Shanghai), as the working calendar sets them.
  const Micros today_end =
      StartOfLocalDay(CivilFromDays(DaysFromCivil(LocalDate(kT0, ShanghaiZone())) + 1), ShanghaiZone()) - 1;
  const std::string street = "640202001";
  TaskRecord open_overdue = MakeTask(1701, 1701, street, "street_reviewer", today_end - kMicrosPerDay);
  TaskRecord open_due_today = MakeTask(1702, 1701, street, "street_reviewer", today_end);
  TaskRecord claimed_overdue =
      MakeTask(1703, 1701, street, "street_reviewer", today_end - 2 * kMicrosPerDay, TaskState::kClaimed);
  claimed_overdue.claimed_by = "zhang.san";
  TaskRecord claimed_later =
      MakeTask(1704, 1702, "640202", "approver", today_end + kMicrosPerDay, TaskState::kClaimed);
  claimed_later.claimed_by = "li.si";
  TaskRecord done = MakeTask(1705, 1702, street, "street_reviewer", today_end - kMicrosPerDay, TaskState::kDone);
  TaskRecord cancelled =
      MakeTask(1706, 1702, street, "street_reviewer", today_end - kMicrosPerDay, TaskState::kCancelled);
  const CaseRecord a = MakeCase(1701, Hash('s'));
  ASSERT_OK(ApplyAndCommit(Discover(a, {open_overdue, open_due_today, claimed_overdue})));
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(1702, Hash('t')), {claimed_later, done, cancelled})));

  // Done and cancelled tasks never count; due at the end of today is not overdue today.
  EXPECT_EQ(counts(kT0), (Counts{4, 2}));
  EXPECT_EQ(counts(today_end), (Counts{4, 2}));
  EXPECT_EQ(counts(today_end + 1), (Counts{4, 3})) << "a new day: today's deadline has passed";
  EXPECT_EQ(counts(today_end - 2 * kMicrosPerDay), (Counts{4, 0}));
  EXPECT_EQ(counts(today_end + kMicrosPerDay + 1), (Counts{4, 4}));

  // Closing a task takes it out of both counts.
  CommandEffects close = NextCommand(a, "complete_task");
  TaskRecord closed = open_overdue;
  closed.state = TaskState::kDone;
  closed.completed_at = kT0;
  close.update_tasks = {{open_overdue, closed}};
  ASSERT_OK(ApplyAndCommit(close));
  EXPECT_EQ(counts(kT0), (Counts{3, 1}));

  // Uncommitted work is not counted.
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  ASSERT_OK((*txn)->Apply(Discover(MakeCase(1703, Hash('u')),
                                   {MakeTask(1707, 1703, street, "street_reviewer", today_end - kMicrosPerDay)})));
  EXPECT_EQ(counts(kT0), (Counts{3, 1}));
}

// --- deadline clock: escalation fields, due tasks -----------------------------------------

TEST_P(StoreContractTest, TaskUpdateConflictsWhenTheEscalationLevelChanged) {
  const CaseRecord c = MakeCase(1801, Hash('e'));
  TaskRecord task = MakeTask(18001, 1801, "640202001", "street_reviewer", kT0 + kHour);
  task.escalate_at = task.due_at;
  ASSERT_OK(ApplyAndCommit(Discover(c, {task})));

  // The clock marks it overdue (level 0 → 1, next level in a day).
  TaskRecord overdue = task;
  overdue.escalation_level = 1;
  overdue.escalate_at = kT0 + 25 * kHour;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(1801, task, overdue, "escalate_task")));
  ExpectSameTask(overdue, CurrentTask(1801, 18001));

  // A command that read the task before the clock did (level 0) loses, though state, unit
  // and role are unchanged; nothing of it is written.
  TaskRecord claimed = task;
  claimed.state = TaskState::kClaimed;
  claimed.claimed_by = "zhang.san";
  const CaseRecord before = CurrentCase(1801);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    const Status s = (*txn)->Apply(UpdateTaskCommand(1801, task, claimed, "claim_task"));
    EXPECT_EQ(s.code(), ErrorCode::kConflict) << s.ToString();
    EXPECT_NE(s.message().find("18001"), std::string::npos) << s.message();
  }
  ExpectSameTask(overdue, CurrentTask(1801, 18001));
  EXPECT_EQ(CurrentCase(1801).version, before.version);

  // Read again at level 1, the claim goes through and keeps the escalation fields.
  TaskRecord claimed_now = overdue;
  claimed_now.state = TaskState::kClaimed;
  claimed_now.claimed_by = "zhang.san";
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(1801, overdue, claimed_now, "claim_task")));
  ExpectSameTask(claimed_now, CurrentTask(1801, 18001));
}

TEST_P(StoreContractTest, ClaimDueTasksReturnsDueTasksInEscalationOrderWithinTheLimit) {
  auto next = store_->NextEscalationAt();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_FALSE(next->has_value()) << "no task, nothing to escalate";

  const std::string street = "640202001";
  auto task = [&](TaskId id, Micros escalate_at, TaskState state = TaskState::kOpen) {
    TaskRecord t = MakeTask(id, 1901, street, "street_reviewer", kT0 - kHour, state);
    t.escalate_at = escalate_at;
    return t;
  };
  const TaskRecord late = task(19003, kT0 + 3);
  const TaskRecord tie_b = task(19004, kT0 + 1);
  TaskRecord tie_a = task(19002, kT0 + 1, TaskState::kClaimed);  // claimed tasks escalate too
  tie_a.claimed_by = "zhang.san";
  tie_a.escalation_level = 1;
  const TaskRecord not_yet = task(19001, kT0 + 10);
  const TaskRecord finished = task(19005, 0);            // every level already fired
  TaskRecord closed = task(19006, 0, TaskState::kDone);  // closing clears escalate_at
  closed.completed_at = kT0 - 2 * kHour;
  ASSERT_OK(ApplyAndCommit(
      Discover(MakeCase(1901, Hash('f')), {late, tie_b, tie_a, not_yet, finished, closed})));

  next = store_->NextEscalationAt();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, kT0 + 1);

  auto claim = [&](Micros now, int limit) -> std::vector<TaskRecord> {
    auto txn = store_->BeginWrite();
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn.ok()) return {};
    auto due = (*txn)->ClaimDueTasks(now, limit);
    EXPECT_TRUE(due.ok()) << due.status().ToString();
    return due.ok() ? *due : std::vector<TaskRecord>{};
  };
  // (escalate_at, id): 19002 and 19004 at +1, then 19003 at +3; 19001 (+10) not yet.
  auto due = claim(kT0 + 5, 10);
  EXPECT_EQ(TaskIds(due), (std::vector<TaskId>{19002, 19004, 19003}));
  if (!due.empty()) ExpectSameTask(tie_a, due[0]);
  EXPECT_EQ(TaskIds(claim(kT0 + 5, 2)), (std::vector<TaskId>{19002, 19004}));
  EXPECT_EQ(TaskIds(claim(kT0 + 3, 10)), (std::vector<TaskId>{19002, 19004, 19003}))
      << "escalate_at == now is due";
  EXPECT_TRUE(claim(kT0, 10).empty());
  EXPECT_EQ(TaskIds(claim(kT0 + 10, 10)), (std::vector<TaskId>{19002, 19004, 19003, 19001}));

  // Once a task's escalations are done (escalate_at 0) it is neither due nor next.
  for (const TaskRecord& t : {tie_a, tie_b}) {
    TaskRecord done_escalating = t;
    done_escalating.escalate_at = 0;
    ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(1901, t, done_escalating, "escalate_task")));
  }
  EXPECT_EQ(TaskIds(claim(kT0 + 5, 10)), (std::vector<TaskId>{19003}));
  next = store_->NextEscalationAt();
  ASSERT_TRUE(next.ok() && next->has_value()) << next.status().ToString();
  EXPECT_EQ(**next, kT0 + 3);
}

TEST_P(StoreContractTest, ListActiveTasksDueAfterPagesActiveTasksInIdOrder) {
  const std::string street = "640202001";
  const TaskRecord a = MakeTask(20001, 2001, street, "street_reviewer", kT0 + kHour);
  const TaskRecord at_cut = MakeTask(20002, 2001, street, "street_reviewer", kT0);  // not after
  TaskRecord b = MakeTask(20003, 2001, "640202", "approver", kT0 + 2 * kHour, TaskState::kClaimed);
  b.claimed_by = "li.si";
  const TaskRecord done =
      MakeTask(20004, 2001, street, "street_reviewer", kT0 + kHour, TaskState::kDone);
  const TaskRecord c = MakeTask(20005, 2001, street, "street_reviewer", kT0 + 1);
  const TaskRecord earlier = MakeTask(20006, 2001, street, "street_reviewer", kT0 - kHour);
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(2001, Hash('g')), {a, at_cut, b, done, c, earlier})));

  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  auto page = [&](TaskId after_id, int limit) -> std::vector<TaskId> {
    auto got = (*txn)->ListActiveTasksDueAfter(kT0, after_id, limit);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? TaskIds(*got) : std::vector<TaskId>{};
  };
  EXPECT_EQ(page(0, 10), (std::vector<TaskId>{20001, 20003, 20005}));
  EXPECT_EQ(page(0, 2), (std::vector<TaskId>{20001, 20003}));
  EXPECT_EQ(page(20003, 2), (std::vector<TaskId>{20005}));
  EXPECT_TRUE(page(20005, 2).empty());
  auto all = (*txn)->ListActiveTasksDueAfter(kT0 - 2 * kHour, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(TaskIds(*all), (std::vector<TaskId>{20001, 20002, 20003, 20005, 20006}));
  ExpectSameTask(b, (*all)[2]);
}

// --- notifications ------------------------------------------------------------------------

NotificationRecord MakeNotification(std::int64_t id, const std::string& username,
                                    NotificationKind kind, Micros created_at) {
  NotificationRecord n;
  n.id = id;
  n.username = username;
  n.kind = kind;
  n.title = "任务已超期 𠀀 #" + std::to_string(id);
  n.body = "入户核查任务已超过办理时限，请尽快处理。";
  n.task_id = 3000 + id;
  n.case_id = 2101;
  n.created_at = created_at;
  return n;
}

void ExpectSameNotification(const NotificationRecord& want, const NotificationRecord& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.username, got.username) << "notification " << want.id;
  EXPECT_EQ(want.kind, got.kind) << "notification " << want.id;
  EXPECT_EQ(want.title, got.title) << "notification " << want.id;
  EXPECT_EQ(want.body, got.body) << "notification " << want.id;
  EXPECT_EQ(want.task_id, got.task_id) << "notification " << want.id;
  EXPECT_EQ(want.case_id, got.case_id) << "notification " << want.id;
  EXPECT_EQ(want.created_at, got.created_at) << "notification " << want.id;
  EXPECT_EQ(want.read_at, got.read_at) << "notification " << want.id;
}

std::vector<std::int64_t> NotificationIds(const std::vector<NotificationRecord>& ns) {
  std::vector<std::int64_t> ids;
  for (const NotificationRecord& n : ns) ids.push_back(n.id);
  return ids;
}

TEST_P(StoreContractTest, NotificationsAreListedNewestFirstCountedAndMarkedRead) {
  using Ids = std::vector<std::int64_t>;
  std::vector<NotificationRecord> mine;
  const NotificationKind kinds[] = {NotificationKind::kReminder, NotificationKind::kOverdue,
                                    NotificationKind::kEscalation, NotificationKind::kReassigned,
                                    NotificationKind::kDeadlineChanged};
  for (int i = 0; i < 5; ++i) {
    mine.push_back(MakeNotification(i + 1, "zhang.san", kinds[i], kT0 + i));
  }
  mine[1].read_at = kT0 + kHour;  // stored already read
  const NotificationRecord theirs =
      MakeNotification(6, "li.si", NotificationKind::kOverdue, kT0 + 10);
  CommandEffects fx = Discover(MakeCase(2101, Hash('h')));
  fx.insert_notifications = mine;
  fx.insert_notifications.push_back(theirs);
  ASSERT_OK(ApplyAndCommit(fx));

  auto list = [&](const std::string& user, bool unread_only, std::int64_t before, int limit) {
    auto got = store_->ListNotifications(user, unread_only, before, limit);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<NotificationRecord>{};
  };
  auto unread = [&](const std::string& user) {
    auto n = store_->CountUnreadNotifications(user);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : std::int64_t{-1};
  };
  auto mark = [&](const std::string& user, std::int64_t id, Micros at) {
    auto n = store_->MarkNotificationsRead(user, id, at);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : std::int64_t{-1};
  };

  // Field by field, every kind, newest (highest id) first.
  auto all = list("zhang.san", false, 0, 50);
  ASSERT_EQ(NotificationIds(all), (Ids{5, 4, 3, 2, 1}));
  for (size_t i = 0; i < all.size(); ++i) ExpectSameNotification(mine[4 - i], all[i]);
  EXPECT_EQ(NotificationIds(list("zhang.san", true, 0, 50)), (Ids{5, 4, 3, 1}));
  EXPECT_EQ(NotificationIds(list("li.si", false, 0, 50)), (Ids{6}));
  EXPECT_TRUE(list("nobody", false, 0, 50).empty());

  // Pages below before_id.
  EXPECT_EQ(NotificationIds(list("zhang.san", false, 0, 2)), (Ids{5, 4}));
  EXPECT_EQ(NotificationIds(list("zhang.san", false, 4, 2)), (Ids{3, 2}));
  EXPECT_EQ(NotificationIds(list("zhang.san", false, 2, 2)), (Ids{1}));
  EXPECT_TRUE(list("zhang.san", false, 1, 2).empty());
  EXPECT_EQ(NotificationIds(list("zhang.san", true, 3, 2)), (Ids{1}));

  EXPECT_EQ(unread("zhang.san"), 4);
  EXPECT_EQ(unread("li.si"), 1);
  EXPECT_EQ(unread("nobody"), 0);

  // One: only an unread notification of that person changes.
  EXPECT_EQ(mark("zhang.san", 3, kT0 + 2 * kHour), 1);
  EXPECT_EQ(mark("zhang.san", 3, kT0 + 3 * kHour), 0) << "already read";
  EXPECT_EQ(mark("zhang.san", 2, kT0 + 3 * kHour), 0) << "stored read";
  EXPECT_EQ(mark("zhang.san", 6, kT0 + 3 * kHour), 0) << "li.si's";
  EXPECT_EQ(mark("zhang.san", 99, kT0 + 3 * kHour), 0) << "missing";
  EXPECT_EQ(unread("zhang.san"), 3);
  EXPECT_EQ(unread("li.si"), 1);
  EXPECT_EQ(NotificationIds(list("zhang.san", true, 0, 50)), (Ids{5, 4, 1}));
  all = list("zhang.san", false, 0, 50);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2].read_at, kT0 + 2 * kHour) << "the first mark's time stays";
  EXPECT_EQ(all[3].read_at, kT0 + kHour);

  // All of one person's unread ones; the other person's stay unread.
  EXPECT_EQ(mark("zhang.san", 0, kT0 + 4 * kHour), 3);
  EXPECT_EQ(unread("zhang.san"), 0);
  EXPECT_TRUE(list("zhang.san", true, 0, 50).empty());
  all = list("zhang.san", false, 0, 50);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].read_at, kT0 + 4 * kHour);
  EXPECT_EQ(all[2].read_at, kT0 + 2 * kHour);
  EXPECT_EQ(all[3].read_at, kT0 + kHour);
  EXPECT_EQ(mark("zhang.san", 0, kT0 + 5 * kHour), 0);
  EXPECT_EQ(unread("li.si"), 1);
  auto li = list("li.si", false, 0, 50);
  ASSERT_EQ(li.size(), 1u);
  ExpectSameNotification(theirs, li[0]);
}

TEST_P(StoreContractTest, NotificationsRollBackWithTheirTransactionOrSavepoint) {
  const CaseRecord c = MakeCase(2201, Hash('i'));
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    CommandEffects kept = Discover(c);
    kept.insert_notifications = {
        MakeNotification(11, "zhang.san", NotificationKind::kOverdue, kT0)};
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->Apply(kept));
    ASSERT_OK((*txn)->ReleaseSavepoint());
    CommandEffects undone = NextCommand(c, "escalate_task");
    undone.insert_notifications = {
        MakeNotification(12, "zhang.san", NotificationKind::kEscalation, kT0 + 1)};
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->Apply(undone));
    ASSERT_OK((*txn)->RollbackToSavepoint());
    ASSERT_OK((*txn)->Commit());
  }
  auto listed = store_->ListNotifications("zhang.san", false, 0, 50);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(NotificationIds(*listed), (std::vector<std::int64_t>{11}));

  // A transaction dropped without commit leaves nothing.
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    CommandEffects fx = NextCommand(c, "escalate_task");
    fx.insert_notifications = {
        MakeNotification(13, "zhang.san", NotificationKind::kReminder, kT0 + 2)};
    ASSERT_OK((*txn)->Apply(fx));
  }
  // A notification id that exists already is refused, and its command with it.
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    CommandEffects fx = NextCommand(c, "escalate_task");
    fx.insert_notifications = {MakeNotification(11, "li.si", NotificationKind::kReminder, kT0 + 3)};
    EXPECT_CODE((*txn)->Apply(fx), ErrorCode::kAlreadyExists);
  }
  listed = store_->ListNotifications("zhang.san", false, 0, 50);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(NotificationIds(*listed), (std::vector<std::int64_t>{11}));
  auto unread = store_->CountUnreadNotifications("zhang.san");
  ASSERT_TRUE(unread.ok());
  EXPECT_EQ(*unread, 1);
  auto other = store_->CountUnreadNotifications("li.si");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, 0);
  EXPECT_EQ(CurrentCase(2201).version, c.version);
}

// --- supervisors' board --------------------------------------------------------------------

using BoardRow = std::tuple<std::string, std::string, std::string, bool, std::int64_t>;

std::vector<BoardRow> BoardRows(const std::vector<BoardCount>& counts) {
  std::vector<BoardRow> rows;
  for (const BoardCount& b : counts) {
    rows.emplace_back(b.org_unit_id, b.programme, CaseStateName(b.stage), b.overdue, b.n);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST_P(StoreContractTest, BoardCountersFollowInsertsClaimsOverdueMarksClosingAndRollbacks) {
  auto board = [&] {
    auto got = store_->ListBoardCounts();
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? BoardRows(*got) : std::vector<BoardRow>{};
  };
  using Rows = std::vector<BoardRow>;
  const std::string street = "640202001";
  const std::string district = "640202";
  EXPECT_TRUE(board().empty());

  // Ids in different counter slots (id % 16) of one board cell.
  const TaskRecord s1 = MakeTask(23001, 2301, street, "street_reviewer", kT0 + kHour);
  const TaskRecord s2 = MakeTask(23002, 2301, street, "village_officer", kT0 + kHour);
  TaskRecord s3 = MakeTask(23019, 2301, street, "street_reviewer", kT0 + 2 * kHour);
  TaskRecord d1 = MakeTask(23004, 2301, district, "approver", kT0 + kHour);
  d1.programme = "linshi";
  d1.stage = CaseState::kApprove;
  const TaskRecord finished =
      MakeTask(23005, 2301, street, "street_reviewer", kT0, TaskState::kDone);
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(2301, Hash('j')), {s1, s2, s3, d1, finished})));
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", false, 1},
                           {street, "dibao", "assess", false, 3}}));

  // A claim keeps the task active: no change.
  TaskRecord claimed = s1;
  claimed.state = TaskState::kClaimed;
  claimed.claimed_by = "zhang.san";
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, s1, claimed, "claim_task")));
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", false, 1},
                           {street, "dibao", "assess", false, 3}}));

  // The clock marks two tasks overdue (level 0 → 1), one of them later escalated (1 → 2).
  TaskRecord late = claimed;
  late.escalation_level = 1;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, claimed, late, "escalate_task")));
  TaskRecord late_d1 = d1;
  late_d1.escalation_level = 1;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, d1, late_d1, "escalate_task")));
  TaskRecord later = late;
  later.escalation_level = 2;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, late, later, "escalate_task")));
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", true, 1},
                           {street, "dibao", "assess", false, 2},
                           {street, "dibao", "assess", true, 1}}));

  // Closing an overdue task and an on-time one; empty cells are not listed.
  TaskRecord late_done = later;
  late_done.state = TaskState::kDone;
  late_done.completed_at = kT0 + 3 * kHour;
  late_done.escalate_at = 0;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, later, late_done, "complete_task")));
  TaskRecord s2_cancelled = s2;
  s2_cancelled.state = TaskState::kCancelled;
  s2_cancelled.completed_at = kT0 + 3 * kHour;
  ASSERT_OK(ApplyAndCommit(UpdateTaskCommand(2301, s2, s2_cancelled, "cancel_task")));
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", true, 1},
                           {street, "dibao", "assess", false, 1}}));

  // In one batch: a kept command adds a task, a command rolled back to its savepoint (that
  // marked s3 overdue and added another) leaves no trace.
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Savepoint());
    TaskRecord kept = MakeTask(23030, 2302, district, "approver", kT0 + kHour);
    kept.programme = "linshi";
    kept.stage = CaseState::kApprove;
    ASSERT_OK((*txn)->Apply(Discover(MakeCase(2302, Hash('k')), {kept})));
    ASSERT_OK((*txn)->ReleaseSavepoint());
    ASSERT_OK((*txn)->Savepoint());
    TaskRecord s3_late = s3;
    s3_late.escalation_level = 1;
    CommandEffects undone = UpdateTaskCommand(2301, s3, s3_late, "escalate_task");
    undone.insert_tasks = {MakeTask(23031, 2301, street, "street_reviewer", kT0)};
    ASSERT_OK((*txn)->Apply(undone));
    ASSERT_OK((*txn)->RollbackToSavepoint());
    ASSERT_OK((*txn)->Commit());
  }
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", false, 1},
                           {district, "linshi", "approve", true, 1},
                           {street, "dibao", "assess", false, 1}}));

  // A failed command (stale task) changes nothing either.
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    TaskRecord again = late_d1;
    again.escalation_level = 2;
    EXPECT_CODE((*txn)->Apply(UpdateTaskCommand(2301, d1, again, "escalate_task")),
                ErrorCode::kConflict);
  }
  EXPECT_EQ(board(), (Rows{{district, "linshi", "approve", false, 1},
                           {district, "linshi", "approve", true, 1},
                           {street, "dibao", "assess", false, 1}}));
}

TEST_P(StoreContractTest, CountActiveDueOnDaysGroupsActiveTasksByLocalDueDay) {
  const std::string street = "640202001";
  const std::string district = "640202";
  const std::int64_t d0 = OfficeDayNumber(kT0);
  // The last instant of local day d (UTC+8), as deadlines are.
  auto day_end = [](std::int64_t d) { return (d + 1) * kMicrosPerDay - 8 * kHour - 1; };
  const TaskRecord today = MakeTask(24001, 2401, street, "street_reviewer", day_end(d0));
  const TaskRecord start_of_today = MakeTask(24002, 2401, street, "street_reviewer", day_end(d0 - 1) + 1);
  const TaskRecord tomorrow = MakeTask(24003, 2401, street, "street_reviewer", day_end(d0 + 1));
  const TaskRecord yesterday = MakeTask(24004, 2401, street, "street_reviewer", day_end(d0 - 1));
  TaskRecord claimed = MakeTask(24005, 2401, district, "approver", day_end(d0), TaskState::kClaimed);
  claimed.claimed_by = "li.si";
  claimed.stage = CaseState::kApprove;
  TaskRecord overdue_marked = MakeTask(24006, 2401, street, "street_reviewer", day_end(d0));
  overdue_marked.programme = "linshi";
  overdue_marked.escalation_level = 1;
  const TaskRecord done = MakeTask(24007, 2401, street, "street_reviewer", day_end(d0), TaskState::kDone);
  const TaskRecord cancelled =
      MakeTask(24008, 2401, street, "street_reviewer", day_end(d0), TaskState::kCancelled);
  const CaseRecord k = MakeCase(2401, Hash('l'));
  ASSERT_OK(ApplyAndCommit(Discover(k, {today, start_of_today, tomorrow, yesterday, claimed,
                                        overdue_marked, done, cancelled})));

  auto rows = [&](std::int64_t first, std::int64_t last) {
    auto due = store_->CountActiveDueOnDays(first, last);
    EXPECT_TRUE(due.ok()) << due.status().ToString();
    return due.ok() ? BoardRows(*due) : std::vector<BoardRow>{};
  };
  EXPECT_EQ(rows(d0, d0), (std::vector<BoardRow>{{district, "dibao", "approve", false, 1},
                                                 {street, "dibao", "assess", false, 2},
                                                 {street, "linshi", "assess", false, 1}}));
  EXPECT_EQ(rows(d0 + 1, d0 + 1), (std::vector<BoardRow>{{street, "dibao", "assess", false, 1}}));
  EXPECT_EQ(rows(d0, d0 + 1), (std::vector<BoardRow>{{district, "dibao", "approve", false, 1},
                                                     {street, "dibao", "assess", false, 3},
                                                     {street, "linshi", "assess", false, 1}}));
  EXPECT_EQ(rows(d0 - 1, d0 - 1), (std::vector<BoardRow>{{street, "dibao", "assess", false, 1}}));
  EXPECT_TRUE(rows(d0 + 2, d0 + 30).empty());

  // Closing a task and moving a deadline move the counts; a rolled-back command does not.
  CommandEffects close = NextCommand(k, "complete_task");
  TaskRecord closed = today;
  closed.state = TaskState::kDone;
  TaskRecord later = tomorrow;
  later.due_at = day_end(d0 + 5);
  close.update_tasks = {{today, closed}, {tomorrow, later}};
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_OK((*txn)->Savepoint());
    ASSERT_OK((*txn)->Apply(close));
    ASSERT_OK((*txn)->RollbackToSavepoint());
    ASSERT_OK((*txn)->Commit());
  }
  EXPECT_EQ(rows(d0, d0 + 1).size(), 3u);
  ASSERT_OK(ApplyAndCommit(close));
  EXPECT_EQ(rows(d0, d0 + 1), (std::vector<BoardRow>{{district, "dibao", "approve", false, 1},
                                                     {street, "dibao", "assess", false, 1},
                                                     {street, "linshi", "assess", false, 1}}));
  EXPECT_EQ(rows(d0 + 5, d0 + 5), (std::vector<BoardRow>{{street, "dibao", "assess", false, 1}}));
}

TEST_P(StoreContractTest, ListOverduePagesInDueOrderWithFiltersAndTheApplicantName) {
  CaseRecord near = MakeCase(2501, Hash('m'));
  near.applicant_name = "王𠀀芳";
  CaseRecord far = MakeCase(2502, Hash('n'), CaseState::kAssess, kOtherDistrictPath + "640205001/");
  far.applicant_name = "李四";
  auto overdue = [](TaskId id, CaseId case_id, const std::string& unit, Micros due, int level) {
    TaskRecord t = MakeTask(id, case_id, unit, "street_reviewer", due);
    t.escalation_level = level;
    t.escalate_at = due + 24 * kHour;
    return t;
  };
  const TaskRecord o1 = overdue(25001, 2501, "640202001", kT0 - 3 * kHour, 1);
  TaskRecord o2 = overdue(25002, 2501, "640202001", kT0 - 2 * kHour, 2);
  o2.programme = "linshi";
  o2.stage = CaseState::kApprove;
  o2.state = TaskState::kClaimed;
  o2.claimed_by = "zhang.san";
  const TaskRecord o3 = overdue(25003, 2501, "640202", kT0 - 2 * kHour, 1);  // ties with o2
  TaskRecord o4 = overdue(25004, 2502, "640205", kT0 - 4 * kHour, 3);
  o4.org_path = kOtherDistrictPath;
  const TaskRecord unmarked = overdue(25005, 2501, "640202001", kT0 - 5 * kHour, 0);
  TaskRecord closed = overdue(25006, 2501, "640202001", kT0 - 6 * kHour, 1);
  closed.state = TaskState::kDone;
  closed.completed_at = kT0;
  closed.escalate_at = 0;
  ASSERT_OK(ApplyAndCommit(Discover(near, {o1, o2, o3, unmarked, closed})));
  ASSERT_OK(ApplyAndCommit(Discover(far, {o4})));

  auto list = [&](const OverdueQuery& q) {
    auto got = store_->ListOverdue(q);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<OverdueItem>{};
  };
  auto ids = [&](const OverdueQuery& q) {
    std::vector<TaskId> out;
    for (const OverdueItem& item : list(q)) out.push_back(item.task.id);
    return out;
  };
  using Ids = std::vector<TaskId>;

  OverdueQuery q;
  q.org_path = kCityPath;
  auto items = list(q);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].task.id, 25004);
  EXPECT_EQ(items[0].applicant_name, "李四");
  ExpectSameTask(o4, items[0].task);
  EXPECT_EQ(items[1].task.id, 25001);
  EXPECT_EQ(items[1].applicant_name, "王𠀀芳");
  ExpectSameTask(o2, items[2].task);
  EXPECT_EQ(items[2].applicant_name, "王𠀀芳");
  EXPECT_EQ(items[3].task.id, 25003);
  OverdueQuery everywhere;  // no subtree: every unit
  EXPECT_EQ(ids(everywhere), (Ids{25004, 25001, 25002, 25003}));

  // Keyset pages, ties on due_at broken by id.
  q.limit = 2;
  EXPECT_EQ(ids(q), (Ids{25004, 25001}));
  q.after_due = o1.due_at;
  q.after_id = o1.id;
  EXPECT_EQ(ids(q), (Ids{25002, 25003}));
  q.after_due = o2.due_at;
  q.after_id = o2.id;
  EXPECT_EQ(ids(q), (Ids{25003}));
  q.after_id = o3.id;
  EXPECT_TRUE(ids(q).empty());

  // Subtree, programme and stage filters.
  OverdueQuery sub;
  sub.org_path = kDistrictPath;
  EXPECT_EQ(ids(sub), (Ids{25001, 25002, 25003}));
  sub.org_path = kStreetPath;
  EXPECT_EQ(ids(sub), (Ids{25001, 25002}));
  sub.org_path = kOtherDistrictPath;
  EXPECT_EQ(ids(sub), (Ids{25004}));
  sub.org_path = "/6402/%/";  // the path is matched literally
  EXPECT_TRUE(ids(sub).empty());
  OverdueQuery programme;
  programme.org_path = kCityPath;
  programme.programme = "linshi";
  EXPECT_EQ(ids(programme), (Ids{25002}));
  programme.programme = "dibao";
  EXPECT_EQ(ids(programme), (Ids{25004, 25001, 25003}));
  OverdueQuery stage;
  stage.org_path = kDistrictPath;
  stage.stage = CaseState::kAssess;
  EXPECT_EQ(ids(stage), (Ids{25001, 25003}));
  stage.stage = CaseState::kApprove;
  EXPECT_EQ(ids(stage), (Ids{25002}));
  stage.programme = "dibao";
  EXPECT_TRUE(ids(stage).empty());

  // Closing a task takes it off the list; marking one overdue puts it on.
  TaskRecord o1_done = o1;
  o1_done.state = TaskState::kDone;
  o1_done.completed_at = kT0;
  o1_done.escalate_at = 0;
  TaskRecord marked = unmarked;
  marked.escalation_level = 1;
  CommandEffects fx = NextCommand(CurrentCase(2501), "escalate_task");
  fx.update_tasks = {{o1, o1_done}, {unmarked, marked}};
  ASSERT_OK(ApplyAndCommit(fx));
  EXPECT_EQ(ids(everywhere), (Ids{25005, 25004, 25002, 25003}));
}

// --- statistics: decisions and overdue history ------------------------------------------------

TEST_P(StoreContractTest, ListDecisionsByPeriodAndSubtree) {
  const Micros day = kMicrosPerDay;
  auto decided = [](CaseId id, char hash, const std::string& path, Route route, Micros at) {
    CaseRecord c = MakeCase(id, Hash(hash), CaseState::kRefer, path);
    c.route = route;
    c.created_at = kT0 - 10 * kMicrosPerDay + id;
    c.decided_at = at;
    return c;
  };
  const CaseRecord a = decided(2601, 'o', kVillagePath, Route::kFastTrack, kT0 + day);
  const CaseRecord b =
      decided(2602, 'p', kOtherDistrictPath + "640205001/", Route::kOrdinary, kT0 + 2 * day);
  CaseRecord rejected = decided(2603, 'q', kStreetPath, Route::kOrdinary, kT0);
  rejected.state = CaseState::kRejected;
  const CaseRecord undecided = decided(2604, 'r', kVillagePath, Route::kUndecided, 0);
  const CaseRecord later = decided(2605, 's', kVillagePath, Route::kOrdinary, kT0 + 5 * day);
  for (const CaseRecord& c : std::vector<CaseRecord>{a, b, rejected, undecided, later}) {
    ASSERT_OK(ApplyAndCommit(Discover(c)));
  }

  auto list = [&](const std::string& path, Micros from, Micros to) {
    auto got = store_->ListDecisions(path, from, to);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    std::vector<CaseId> ids;
    if (got.ok()) {
      for (const DecisionRecord& d : *got) ids.push_back(d.case_id);
    }
    return ids;
  };
  using Ids = std::vector<CaseId>;
  EXPECT_EQ(list(kCityPath, kT0, kT0 + 3 * day), (Ids{2603, 2601, 2602}));
  EXPECT_EQ(list("", kT0, kT0 + 3 * day), (Ids{2603, 2601, 2602}));
  EXPECT_EQ(list(kDistrictPath, kT0, kT0 + 3 * day), (Ids{2603, 2601}));
  EXPECT_EQ(list(kVillagePath, kT0, kT0 + 10 * day), (Ids{2601, 2605}));
  EXPECT_EQ(list(kOtherDistrictPath, kT0, kT0 + 3 * day), (Ids{2602}));
  // [from, to): from is in, to is out.
  EXPECT_EQ(list(kCityPath, kT0 + day, kT0 + 2 * day), (Ids{2601}));
  EXPECT_TRUE(list(kCityPath, kT0 + 3 * day, kT0 + 5 * day).empty());
  // An undecided case (decided_at 0) never shows, even in a window that starts at 0.
  EXPECT_EQ(list(kVillagePath, 0, kT0), Ids{});

  auto got = store_->ListDecisions(kCityPath, kT0 + day, kT0 + 3 * day);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].case_id, 2601);
  EXPECT_EQ((*got)[0].org_path, kVillagePath);
  EXPECT_EQ((*got)[0].route, Route::kFastTrack);
  EXPECT_EQ((*got)[0].created_at, a.created_at);
  EXPECT_EQ((*got)[0].decided_at, kT0 + day);
  EXPECT_EQ((*got)[1].route, Route::kOrdinary);
  EXPECT_EQ((*got)[1].org_path, b.org_path);

  // decided_at set by a later command counts from then on.
  CommandEffects decide = NextCommand(undecided, "approve");
  decide.update_case->decided_at = kT0 + 2 * day + 1;
  decide.update_case->route = Route::kOrdinary;
  ASSERT_OK(ApplyAndCommit(decide));
  EXPECT_EQ(list(kVillagePath, kT0, kT0 + 3 * day), (Ids{2601, 2604}));
}

std::vector<std::tuple<std::string, std::string, std::int64_t>> HistoryRows(
    const std::vector<OverdueHistoryRow>& rows) {
  std::vector<std::tuple<std::string, std::string, std::int64_t>> out;
  for (const OverdueHistoryRow& r : rows) out.emplace_back(r.day, r.org_unit_id, r.overdue);
  return out;
}

TEST_P(StoreContractTest, OverdueHistoryUpsertsAndListsByDay) {
  using Rows = std::vector<std::tuple<std::string, std::string, std::int64_t>>;
  ASSERT_OK(store_->SaveOverdueHistory({}));
  ASSERT_OK(store_->SaveOverdueHistory({{"2026-05-01", "640202001", 3},
                                        {"2026-05-01", "640202", 1},
                                        {"2026-05-02", "640202001", 4},
                                        {"2026-06-01", "640202001", 7}}));
  // The scheduler runs again the same day: the day's rows are overwritten, others kept.
  ASSERT_OK(
      store_->SaveOverdueHistory({{"2026-05-01", "640202001", 5}, {"2026-05-01", "640205", 0}}));

  auto list = [&](const std::string& from, const std::string& to) {
    auto got = store_->ListOverdueHistory(from, to);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? HistoryRows(*got) : Rows{};
  };
  EXPECT_EQ(list("2026-05-01", "2026-05-31"), (Rows{{"2026-05-01", "640202", 1},
                                                    {"2026-05-01", "640202001", 5},
                                                    {"2026-05-01", "640205", 0},
                                                    {"2026-05-02", "640202001", 4}}));
  EXPECT_EQ(list("2026-05-02", "2026-06-01"),
            (Rows{{"2026-05-02", "640202001", 4}, {"2026-06-01", "640202001", 7}}));
  EXPECT_TRUE(list("2026-04-01", "2026-04-30").empty());
}

TEST_P(StoreContractTest, CountOverdueAtCountsTasksOpenAndPastDueAtEachInstant) {
  const Micros day = kMicrosPerDay;
  const std::string street = "640202001";
  const std::string district = "640202";
  auto task = [&](TaskId id, const std::string& unit, Micros created, Micros due, Micros completed,
                  TaskState state) {
    TaskRecord t =
        MakeTask(id, 2701, unit, unit == street ? "street_reviewer" : "approver", due, state);
    t.created_at = created;
    t.completed_at = completed;
    return t;
  };
  // h1 overdue from day 1 until done on day 3; h2 overdue from day 2, still open; h3 created
  // on day 2, cancelled an hour after it fell due; h4 done exactly when it fell due; h5
  // overdue from day 3, still claimed.
  const TaskRecord h1 = task(27001, street, kT0, kT0 + day, kT0 + 3 * day, TaskState::kDone);
  const TaskRecord h2 = task(27002, street, kT0, kT0 + 2 * day, 0, TaskState::kOpen);
  const TaskRecord h3 = task(27003, street, kT0 + 2 * day, kT0 + 2 * day + kHour,
                             kT0 + 2 * day + 2 * kHour, TaskState::kCancelled);
  const TaskRecord h4 = task(27004, district, kT0, kT0 + day, kT0 + day, TaskState::kDone);
  TaskRecord h5 = task(27005, district, kT0, kT0 + 3 * day, 0, TaskState::kClaimed);
  h5.claimed_by = "li.si";
  ASSERT_OK(ApplyAndCommit(Discover(MakeCase(2701, Hash('t')), {h1, h2, h3, h4, h5})));

  auto got = store_->CountOverdueAt({{"d0", kT0},
                                     {"d1", kT0 + day + kHour},
                                     {"d2", kT0 + 2 * day + 90 * 60 * kMicrosPerSecond},
                                     {"d2b", kT0 + 2 * day + 3 * kHour},
                                     {"d4", kT0 + 4 * day}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  auto rows = HistoryRows(*got);
  std::sort(rows.begin(), rows.end());
  using Rows = std::vector<std::tuple<std::string, std::string, std::int64_t>>;
  EXPECT_EQ(rows, (Rows{{"d1", street, 1},
                        {"d2", street, 3},
                        {"d2b", street, 2},
                        {"d4", district, 1},
                        {"d4", street, 1}}));
  auto none = store_->CountOverdueAt({});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
}

TEST_P(StoreContractTest, SettingsAreUpserted) {
  auto get = [&](const std::string& name) {
    auto got = store_->GetSetting(name);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::optional<std::string>("<error>");
  };
  EXPECT_EQ(get("calendar_fingerprint"), std::nullopt);
  ASSERT_OK(store_->PutSetting("calendar_fingerprint", Hash('c')));
  ASSERT_OK(store_->PutSetting("note", "节假日 𠀀"));
  EXPECT_EQ(get("calendar_fingerprint"), Hash('c'));
  ASSERT_OK(store_->PutSetting("calendar_fingerprint", Hash('d')));
  EXPECT_EQ(get("calendar_fingerprint"), Hash('d'));
  EXPECT_EQ(get("note"), std::string("节假日 𠀀"));
  ASSERT_OK(store_->PutSetting("note", ""));
  EXPECT_EQ(get("note"), std::string());
  EXPECT_EQ(get("Calendar_Fingerprint"), std::nullopt) << "names are case-sensitive";
}

// --- two writers -------------------------------------------------------------------------

TEST_P(StoreContractTest, TwoWritersOnOneCaseNeverLoseAnUpdate) {
  const CaseRecord c = MakeCase(1101, Hash('m'));
  ASSERT_OK(ApplyAndCommit(Discover(c)));

  auto first = store_->BeginWrite();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto locked = (*first)->LockCase(1101);
  ASSERT_TRUE(locked.ok() && locked->has_value()) << locked.status().ToString();

  // The second writer reads the case in its own transaction and bumps it; on kConflict it
  // starts over with fresh data, as the engine does.
  std::atomic<bool> second_started{false};
  std::atomic<int> attempts{0};
  std::int64_t second_saw_version = 0;
  Status second_status = Internal("did not run");
  std::thread second([&] {
    second_started = true;
    for (int i = 0; i < 20; ++i) {
      ++attempts;
      auto txn = store_->BeginWrite();
      if (!txn.ok()) {
        second_status = txn.status();
        if (second_status.code() == ErrorCode::kConflict) continue;
        return;
      }
      auto k = (*txn)->LockCase(1101);
      if (!k.ok() || !k->has_value()) {
        second_status = k.ok() ? Internal("case vanished") : k.status();
        if (second_status.code() == ErrorCode::kConflict) continue;
        return;
      }
      second_saw_version = (*k)->version;
      second_status = (*txn)->Apply(NextCommand(**k, "second"));
      if (second_status.ok()) second_status = (*txn)->Commit();
      if (second_status.code() != ErrorCode::kConflict) return;
    }
  });

  // Let the second writer get as far as the lock. MariaDB tells when it waits; elsewhere
  // the first writer goes on once the thread runs (the outcome must be right either way).
  while (!second_started) std::this_thread::yield();
  if (IsMariaDb()) {
    // Well within the 10 s lock wait timeout of MysqlStore's sessions.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    // InnoDB refreshes INNODB_TRX only when nobody read it for 100 ms: poll slower than that.
    bool waits = SomeoneWaitsForALock();
    while (!waits && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      waits = SomeoneWaitsForALock();
    }
    EXPECT_TRUE(waits) << "the second writer should wait for the row lock";
  }
  const Status first_status = [&] {
    JZ_RETURN_IF_ERROR((*first)->Apply(NextCommand(**locked, "first")));
    return (*first)->Commit();
  }();
  second.join();
  first->reset();

  ASSERT_OK(first_status);
  ASSERT_OK(second_status);
  if (IsMariaDb()) {
    EXPECT_EQ(attempts.load(), 1) << "FOR UPDATE waits instead of failing";
    EXPECT_EQ(second_saw_version, 2) << "after the wait the second writer sees the new version";
  }
  auto got = store_->GetCase(1101);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 3) << "both updates are kept";
  auto events = store_->ListAuditEvents(1101);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[1].action, "first");
  EXPECT_EQ((*events)[2].action, "second");
}

// --- MysqlStore only: addresses and connections ------------------------------------------

TEST(MysqlStoreOpenTest, RefusesBadUrlsWithoutShowingThePassword) {
  for (const std::string url :
       {"", "postgres://u:s3cretpw@h/db", "mysql://u:s3cretpw@h", "mysql://u:s3cretpw@h/",
        "mysql://:s3cretpw@h/db", "mysql://u:s3cretpw@/db", "mysql://u:s3cretpw@h:0/db",
        "mysql://u:s3cretpw@h:99999/db", "mysql://u:s3cretpw@h:x/db", "mysql://u:%zz@h/db",
        "mysql://u:s3cretpw@h/db;drop"}) {
    auto store = MysqlStore::Open(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.status().code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_EQ(store.status().message().find("s3cretpw"), std::string::npos)
        << store.status().message();
  }
}

TEST(MysqlStoreOpenTest, ParsesUrls) {
  auto u = ParseMysqlUrl("mysql://app%40x:p%40ss:w@db.example:3307/jiuzhu_prod");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->user, "app@x");
  EXPECT_EQ(u->password, "p@ss:w");
  EXPECT_EQ(u->host, "db.example");
  EXPECT_EQ(u->port, 3307);
  EXPECT_EQ(u->database, "jiuzhu_prod");
  EXPECT_EQ(u->Redacted(), "mysql://app@x@db.example:3307/jiuzhu_prod");
  u = ParseMysqlUrl("mysql://root@[::1]/jz");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 3306);
  EXPECT_EQ(u->password, "");
}

TEST(MysqlStoreOpenTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  auto store = MysqlStore::Open("mysql://u:s3cretpw@127.0.0.1:1/db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable) << store.status().ToString();
  EXPECT_EQ(store.status().message().find("s3cretpw"), std::string::npos);
}

TEST(MysqlStoreOpenTest, WrongPasswordIsUnavailableAndNotShown) {
  std::string url;
  JZ_FRESH_MARIADB_OR_RETURN(url);
  auto parsed = ParseMysqlUrl(url);
  ASSERT_TRUE(parsed.ok());
  const std::string wrong = "mysql://" + parsed->user +
                            ":wr0ngpw@127.0.0.1:" + std::to_string(parsed->port) + "/" +
                            parsed->database;
  auto store = MysqlStore::Open(wrong);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kUnavailable) << store.status().ToString();
  EXPECT_EQ(store.status().message().find("wr0ngpw"), std::string::npos);
}

// Kills every server connection that uses `database`; returns how many.
int KillConnections(const std::string& database) {
  auto ids = ::jiuzhu::testing::RunMariaDbAdminSql(
      "SELECT id FROM information_schema.PROCESSLIST WHERE db = '" + database + "'");
  EXPECT_TRUE(ids.ok()) << ids.status().ToString();
  if (!ids.ok()) return 0;
  std::istringstream lines(*ids);
  std::string id;
  int killed = 0;
  while (std::getline(lines, id)) {
    if (id.empty()) continue;
    auto done = ::jiuzhu::testing::RunMariaDbAdminSql("KILL " + id);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    ++killed;
  }
  return killed;
}

TEST(MysqlStoreConnectionTest, ReadsReconnectAndALostTransactionIsUnavailable) {
  std::string url;
  JZ_FRESH_MARIADB_OR_RETURN(url);
  auto store = MysqlStore::Open(url);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_OK((*store)->Migrate(std::string(JIUZHU_SOURCE_DIR) + "/migrations/mysql"));
  const std::string database = ParseMysqlUrl(url)->database;

  // A read after the server dropped every connection: retried on a new one.
  ASSERT_GT(KillConnections(database), 0);
  auto count = (*store)->CountCases();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 0);

  // A transaction whose connection dies: kUnavailable, and it stays so.
  auto txn = (*store)->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  ASSERT_EQ(KillConnections(database), 1);
  CommandEffects fx;
  fx.insert_case = MakeCase(1201, Hash('n'));
  fx.audit = MakeAudit(1201, 1, "discover");
  EXPECT_CODE((*txn)->Apply(fx), ErrorCode::kUnavailable);
  EXPECT_CODE((*txn)->Commit(), ErrorCode::kUnavailable);
  txn->reset();

  // The store goes on with new connections; nothing of the lost transaction is there.
  auto got = (*store)->GetCase(1201);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_value());
  auto again = (*store)->BeginWrite();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_OK((*again)->Apply(fx));
  ASSERT_OK((*again)->Commit());
}

// Opens a migrated MysqlStore on a fresh database, or ends the test (see private_mariadb.hpp).
#define JZ_OPEN_MARIADB_STORE_OR_RETURN(store, database)                             \
  std::unique_ptr<MysqlStore> store;                                                 \
  std::string database;                                                              \
  do {                                                                               \
    std::string jz_url_;                                                             \
    JZ_FRESH_MARIADB_OR_RETURN(jz_url_);                                             \
    auto jz_opened_ = MysqlStore::Open(jz_url_);                                     \
    ASSERT_TRUE(jz_opened_.ok()) << jz_opened_.status().ToString();                  \
    store = std::move(jz_opened_).value();                                           \
    ASSERT_OK(store->Migrate(std::string(JIUZHU_SOURCE_DIR) + "/migrations/mysql")); \
    database = ParseMysqlUrl(jz_url_)->database;                                     \
  } while (0)

TEST(MysqlStoreConnectionTest, TooLongValueIsRefusedNotTruncated) {
  JZ_OPEN_MARIADB_STORE_OR_RETURN(store, database);
  std::vector<OrgUnitRecord> units = TestOrgUnits();
  units[1].name = std::string(300, 'x');  // org_units.name is VARCHAR(255)
  EXPECT_CODE(store->ReplaceOrgUnits(units), ErrorCode::kInvalidArgument);
  auto listed = store->ListOrgUnits();
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_TRUE(listed->empty()) << "nothing of the refused batch is written";
}

TEST(MysqlStoreConnectionTest, DeadlockIsAConflictAndEndsTheTransaction) {
  JZ_OPEN_MARIADB_STORE_OR_RETURN(store, database);
  CommandEffects a = Discover(MakeCase(1301, Hash('o')));
  CommandEffects b = Discover(MakeCase(1302, Hash('p')));
  for (const CommandEffects* fx : {&a, &b}) {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Apply(*fx));
    ASSERT_OK((*txn)->Commit());
  }

  // Two transactions lock the two cases in opposite orders.
  auto mine = store->BeginWrite();
  ASSERT_TRUE(mine.ok());
  auto theirs = store->BeginWrite();
  ASSERT_TRUE(theirs.ok());
  ASSERT_TRUE((*mine)->LockCase(1301).ok());
  ASSERT_TRUE((*theirs)->LockCase(1302).ok());
  Status theirs_status;
  std::thread other([&] {
    auto k = (*theirs)->LockCase(1301);  // waits for `mine`
    theirs_status = k.status();
    if (!k.ok()) return;
    theirs->reset();  // its locks go: `mine` may go on
  });
  auto waits = [&] {
    auto out = ::jiuzhu::testing::RunMariaDbAdminSql(
        "SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN "
        "information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
        "WHERE t.trx_state = 'LOCK WAIT' AND p.DB = '" +
        database + "'");
    return out.ok() && !out->empty() && (*out)[0] != '0';
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool waiting = waits();
  while (!waiting && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // INNODB_TRX refresh
    waiting = waits();
  }
  EXPECT_TRUE(waiting);
  // Closes the cycle. If `mine` is rolled back, its lock goes and the other one finishes.
  const Status mine_status = (*mine)->LockCase(1302).status();
  other.join();

  // InnoDB rolls one of them back; that one reports kConflict, now and on every later call.
  EXPECT_NE(mine_status.ok(), theirs_status.ok())
      << mine_status.ToString() << " / " << theirs_status.ToString();
  const Status& lost = mine_status.ok() ? theirs_status : mine_status;
  EXPECT_EQ(lost.code(), ErrorCode::kConflict) << lost.ToString();
  if (!mine_status.ok()) {
    EXPECT_CODE((*mine)->Apply(NextCommand(*a.insert_case, "after")), ErrorCode::kConflict);
    EXPECT_CODE((*mine)->Commit(), ErrorCode::kConflict);
  } else {
    ASSERT_OK((*mine)->Apply(NextCommand(*a.insert_case, "after")));
    ASSERT_OK((*mine)->Commit());
  }
}

// Two scheduler processes tick at once: SKIP LOCKED gives each its own due tasks, and
// neither waits for the other (a wait would end in the 10 s lock timeout, kConflict).
TEST(MysqlStoreConnectionTest, ConcurrentClaimDueTasksGetDisjointSetsWithoutWaiting) {
  JZ_OPEN_MARIADB_STORE_OR_RETURN(store, database);
  std::vector<TaskRecord> tasks;
  for (TaskId id = 28001; id <= 28005; ++id) {
    TaskRecord t = MakeTask(id, 2801, "640202001", "street_reviewer", kT0 - kHour);
    t.escalate_at = kT0 + (28006 - id);  // 28005 is due first
    tasks.push_back(t);
  }
  TaskRecord not_due = MakeTask(28006, 2801, "640202001", "street_reviewer", kT0 + kHour);
  not_due.escalate_at = kT0 + kHour;
  tasks.push_back(not_due);
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->Apply(Discover(MakeCase(2801, Hash('u')), tasks)));
    ASSERT_OK((*txn)->Commit());
  }
  const Micros now = kT0 + 10;

  auto first = store->BeginWrite();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto mine = (*first)->ClaimDueTasks(now, 2);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(TaskIds(*mine), (std::vector<TaskId>{28005, 28004}));

  // A second transaction (another process's clock) while the first holds its rows: it gets
  // the rest at once. Had it waited, it would fail after the lock wait timeout.
  auto second = store->BeginWrite();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const auto start = std::chrono::steady_clock::now();
  auto theirs = (*second)->ClaimDueTasks(now, 10);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  EXPECT_EQ(TaskIds(*theirs), (std::vector<TaskId>{28003, 28002, 28001}));
  EXPECT_LT(took, std::chrono::seconds(5)) << "the second claim waited for the first's rows";

  ASSERT_OK((*first)->Commit());
  // Once the first has committed (its locks gone), a third sees its rows again but not the
  // second's, which are still held.
  auto third = store->BeginWrite();
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  auto rest = (*third)->ClaimDueTasks(now, 10);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(TaskIds(*rest), (std::vector<TaskId>{28005, 28004}));
  ASSERT_OK((*second)->Commit());
  ASSERT_OK((*third)->Commit());
}

// --- post-audit (issue 6) ---------------------------------------------------------------

// The value of `r`, or a default value and a test failure.
template <typename T>
T Must(Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : T{};
}

AuditSampleRecord MakeSample(std::int64_t id) {
  AuditSampleRecord s;
  s.id = id;
  s.status = "seeded";
  s.org_unit_id = "640202";
  s.created_by = "zhou.min";
  s.created_at = kT0;
  s.seed = Hash('5');
  s.parameters_json = R"({"rate_basis_points":1000,"note":"抽查 𠀀"})";
  s.parameters_hash = Hash('6');
  return s;
}

AuditItemRecord MakeItem(std::int64_t id, std::int64_t sample_id, CaseId case_id, Micros approved_at) {
  AuditItemRecord i;
  i.id = id;
  i.sample_id = sample_id;
  i.case_id = case_id;
  i.programme = "dibao";
  i.district_id = "640202";
  i.street_id = "640202001";
  i.org_path = kVillagePath;
  i.approver = "chen.jing";
  i.approved_at = approved_at;
  i.status = "pending";
  i.task_id = 9000 + id;
  i.created_at = kT0 + 5;
  return i;
}

void ExpectSameItem(const AuditItemRecord& a, const AuditItemRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.sample_id, b.sample_id);
  EXPECT_EQ(a.case_id, b.case_id);
  EXPECT_EQ(a.programme, b.programme);
  EXPECT_EQ(a.district_id, b.district_id);
  EXPECT_EQ(a.street_id, b.street_id);
  EXPECT_EQ(a.org_path, b.org_path);
  EXPECT_EQ(a.approver, b.approver);
  EXPECT_EQ(a.approved_at, b.approved_at);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.task_id, b.task_id);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.evidence, b.evidence);
  EXPECT_EQ(a.found_by, b.found_by);
  EXPECT_EQ(a.found_at, b.found_at);
  EXPECT_EQ(a.reverification, b.reverification);
  EXPECT_EQ(a.reverified_by, b.reverified_by);
  EXPECT_EQ(a.reverified_at, b.reverified_at);
  EXPECT_EQ(a.decision_reason, b.decision_reason);
  EXPECT_EQ(a.decided_by, b.decided_by);
  EXPECT_EQ(a.decided_at, b.decided_at);
  EXPECT_EQ(a.amount_to_recover_fen, b.amount_to_recover_fen);
}

TEST_P(StoreContractTest, AuditSampleDrawItemsAndCreditRecordsRoundTrip) {
  // A sample is written seeded, read back, then drawn once: the second draw conflicts.
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->InsertAuditSample(MakeSample(501)));
    EXPECT_CODE((*txn)->InsertAuditSample(MakeSample(501)), ErrorCode::kAlreadyExists);
  }  // dropped: nothing kept
  auto none = Must(store_->GetAuditSample(501));
  EXPECT_FALSE(none.has_value());
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_OK((*txn)->InsertAuditSample(MakeSample(501)));
    ASSERT_OK((*txn)->Commit());
  }
  auto seeded = Must(store_->GetAuditSample(501));
  ASSERT_TRUE(seeded.has_value());
  EXPECT_EQ(seeded->status, "seeded");
  EXPECT_EQ(seeded->seed, Hash('5'));
  EXPECT_EQ(seeded->parameters_json, R"({"rate_basis_points":1000,"note":"抽查 𠀀"})");
  EXPECT_EQ(seeded->strata_json, "[]");

  PopulationEntry e1{7001, "dibao", "640202", "640202001", kVillagePath, "chen.jing", kT0 + 1, true};
  PopulationEntry e2{7002, "tekun", "640202", "640202001", kVillagePath, "wei.dong", kT0 + 2, false};
  AuditSampleRecord drawn = *seeded;
  drawn.status = "drawn";
  drawn.drawn_by = "zhou.min";
  drawn.drawn_at = kT0 + 9;
  drawn.population_hash = Hash('7');
  drawn.population_size = 2;
  drawn.sample_hash = Hash('8');
  drawn.strata_json = R"([{"label":"all","population":2,"sample":1}])";
  const AuditItemRecord item = MakeItem(601, 501, 7001, kT0 + 1);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto locked = Must((*txn)->LockAuditSample(501));
    ASSERT_TRUE(locked.has_value());
    ASSERT_OK((*txn)->SaveAuditDraw(drawn, {e2, e1}, {item}));
    ASSERT_OK((*txn)->Commit());
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    EXPECT_CODE((*txn)->SaveAuditDraw(drawn, {}, {}), ErrorCode::kConflict);
  }
  auto got = Must(store_->GetAuditSample(501));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, "drawn");
  EXPECT_EQ(got->drawn_by, "zhou.min");
  EXPECT_EQ(got->drawn_at, kT0 + 9);
  EXPECT_EQ(got->population_hash, Hash('7'));
  EXPECT_EQ(got->population_size, 2);
  EXPECT_EQ(got->sample_hash, Hash('8'));
  EXPECT_EQ(got->strata_json, drawn.strata_json);
  auto population = Must(store_->ListAuditPopulation(501));
  ASSERT_EQ(population.size(), 2u);
  EXPECT_TRUE(population[0] == e1) << "in case id order, every field kept";
  EXPECT_TRUE(population[1] == e2);
  auto samples = Must(store_->ListAuditSamples(0, 10));
  ASSERT_EQ(samples.size(), 1u);
  auto older = Must(store_->ListAuditSamples(501, 10));
  EXPECT_TRUE(older.empty());

  // The item changes only from the status it was read in.
  AuditItemRecord found = item;
  found.status = "reverifying";
  found.category = "assets";
  found.evidence = "名下车辆一辆 𠀀";
  found.found_by = "zhou.min";
  found.found_at = kT0 + 20;
  found.task_id = 9999;
  found.reverification = R"({"notes":"属实"})";
  found.reverified_by = "li.na";
  found.reverified_at = kT0 + 30;
  found.decision_reason = "撤销";
  found.decided_by = "wei.dong";
  found.decided_at = kT0 + 40;
  found.amount_to_recover_fen = 158000;
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto locked = Must((*txn)->LockAuditItem(601));
    ASSERT_TRUE(locked.has_value());
    ExpectSameItem(item, *locked);
    ASSERT_OK((*txn)->UpdateAuditItem(found, "pending"));
    ASSERT_OK((*txn)->Commit());
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    EXPECT_CODE((*txn)->UpdateAuditItem(found, "pending"), ErrorCode::kConflict);
    auto missing = Must((*txn)->LockAuditItem(999));
    EXPECT_FALSE(missing.has_value());
  }
  AuditItemQuery q;
  q.sample_id = 501;
  auto items = Must(store_->ListAuditItems(q));
  ASSERT_EQ(items.size(), 1u);
  ExpectSameItem(found, items[0]);
  q = AuditItemQuery{};
  q.org_path = "/6402/640205/";
  items = Must(store_->ListAuditItems(q));
  EXPECT_TRUE(items.empty()) << "another district";
  q = AuditItemQuery{};
  q.case_id = 7001;
  q.approved_from = kT0 + 2;
  q.approved_to = kT0 + 100;
  items = Must(store_->ListAuditItems(q));
  EXPECT_TRUE(items.empty()) << "approved before the period";
  q.approved_from = kT0 + 1;
  items = Must(store_->ListAuditItems(q));
  EXPECT_EQ(items.size(), 1u);

  // Credit records by person (newest first) and by subtree and period.
  CreditRecord cr;
  cr.id = 801;
  cr.id_hash = Hash('c');
  cr.id_masked = "640202********1234";
  cr.applicant_name = "张三";
  cr.case_id = 7001;
  cr.item_id = 601;
  cr.programme = "dibao";
  cr.org_path = kVillagePath;
  cr.reason = "隐瞒车辆 𠀀";
  cr.category = "assets";
  cr.amount_to_recover_fen = 158000;
  cr.recorded_by = "wei.dong";
  cr.recorded_at = kT0 + 40;
  cr.ban_until = kT0 + 1000;
  CreditRecord later = cr;
  later.id = 802;
  later.recorded_at = kT0 + 50;
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_OK((*txn)->InsertCreditRecord(cr));
    ASSERT_OK((*txn)->InsertCreditRecord(later));
    EXPECT_CODE((*txn)->InsertCreditRecord(cr), ErrorCode::kAlreadyExists);
    ASSERT_OK((*txn)->Commit());
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto mine = Must((*txn)->ListCreditRecords(Hash('c')));
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].id, 802);
    auto nobody = Must((*txn)->ListCreditRecords(Hash('d')));
    EXPECT_TRUE(nobody.empty());
  }
  CreditQuery cq;
  cq.id_hash = Hash('c');
  auto credits = Must(store_->ListCreditRecords(cq));
  ASSERT_EQ(credits.size(), 2u);
  const CreditRecord& r = credits[1];
  EXPECT_EQ(r.id, 801);
  EXPECT_EQ(r.id_hash, cr.id_hash);
  EXPECT_EQ(r.id_masked, cr.id_masked);
  EXPECT_EQ(r.applicant_name, cr.applicant_name);
  EXPECT_EQ(r.case_id, cr.case_id);
  EXPECT_EQ(r.item_id, cr.item_id);
  EXPECT_EQ(r.programme, cr.programme);
  EXPECT_EQ(r.org_path, cr.org_path);
  EXPECT_EQ(r.reason, cr.reason);
  EXPECT_EQ(r.category, cr.category);
  EXPECT_EQ(r.amount_to_recover_fen, cr.amount_to_recover_fen);
  EXPECT_EQ(r.recorded_by, cr.recorded_by);
  EXPECT_EQ(r.recorded_at, cr.recorded_at);
  EXPECT_EQ(r.ban_until, cr.ban_until);
  cq = CreditQuery{};
  cq.org_path = "/6402/640202/";
  cq.recorded_from = kT0 + 45;
  cq.recorded_to = kT0 + 60;
  credits = Must(store_->ListCreditRecords(cq));
  ASSERT_EQ(credits.size(), 1u);
  EXPECT_EQ(credits[0].id, 802);
  cq.org_path = "/6402/640205/";
  credits = Must(store_->ListCreditRecords(cq));
  EXPECT_TRUE(credits.empty());
}

TEST_P(StoreContractTest, FastTrackApprovalsAreApprovedFastTrackCasesNotYetSampled) {
  // 3001: fast track, approved at kT0+100 by chen.jing, monitored → in.
  // 3002: ordinary route → out.  3003: fast track but rejected → out.
  // 3004: fast track approved outside the period → out.  3005: another district → out.
  auto make = [&](CaseId id, Route route, CaseState state, Micros decided, const std::string& path) {
    CaseRecord c = MakeCase(id, Hash(static_cast<char>('a' + (id % 20))), CaseState::kApprove, path);
    ASSERT_OK(ApplyAndCommit(Discover(c)));
    CommandEffects fx = NextCommand(c, "approve");
    fx.audit.actor = "chen.jing";
    fx.update_case->route = route;
    fx.update_case->state = state;
    fx.update_case->decided_at = decided;
    ASSERT_OK(ApplyAndCommit(fx));
  };
  make(3001, Route::kFastTrack, CaseState::kMonitor, kT0 + 100, kVillagePath);
  make(3002, Route::kOrdinary, CaseState::kMonitor, kT0 + 100, kVillagePath);
  make(3003, Route::kFastTrack, CaseState::kRejected, kT0 + 100, kVillagePath);
  make(3004, Route::kFastTrack, CaseState::kRefer, kT0 + 5000, kVillagePath);
  make(3005, Route::kFastTrack, CaseState::kFeedback, kT0 + 100, "/6402/640205/640205001/640205001001/");
  auto found = Must(store_->ListFastTrackApprovals("/6402/640202/", kT0, kT0 + 1000));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].case_id, 3001);
  EXPECT_EQ(found[0].approver, "chen.jing");
  EXPECT_EQ(found[0].approved_at, kT0 + 100);
  EXPECT_EQ(found[0].programme, "dibao");
  EXPECT_EQ(found[0].village_id, "640202001001");
  EXPECT_EQ(found[0].org_path, kVillagePath);
  // Once an item samples this approval, the case leaves the population (read in a transaction too).
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto in_txn = Must((*txn)->ListFastTrackApprovals("/6402/", kT0, kT0 + 1000));
    EXPECT_EQ(in_txn.size(), 2u) << "the whole city: 3001 and 3005";
    ASSERT_OK((*txn)->InsertAuditSample(MakeSample(502)));
    AuditSampleRecord drawn = MakeSample(502);
    drawn.status = "drawn";
    ASSERT_OK((*txn)->SaveAuditDraw(drawn, {}, {MakeItem(602, 502, 3001, kT0 + 100)}));
    ASSERT_OK((*txn)->Commit());
  }
  found = Must(store_->ListFastTrackApprovals("/6402/640202/", kT0, kT0 + 1000));
  EXPECT_TRUE(found.empty());
}

TEST_P(StoreContractTest, AlertsRoundTripOncePerExternalIdAndListByScope) {
  AlertRecord a;
  a.id = 901;
  a.received_at = kT0;
  a.received_by = "feed.bigdata";
  a.source = "yibao";
  a.kind = "large_medical_expense";
  a.external_id = "YB-1";
  a.id_hash = Hash('h');
  a.id_masked = "640202********1234";
  a.occurred_at = kT0 - kHour;
  a.amount_fen = 3000000;
  a.details = "住院费用 𠀀";
  a.status = "matched";
  a.case_id = 4001;
  a.task_id = 4002;
  a.org_path = kVillagePath;
  a.raw = R"({"source":"yibao"})";
  AlertRecord lost = a;
  lost.id = 902;
  lost.external_id = "";
  lost.status = "unmatched";
  lost.error = "no open case for this ID number";
  lost.case_id = 0;
  lost.task_id = 0;
  lost.org_path = "";
  AlertRecord lost2 = lost;
  lost2.id = 903;
  lost2.status = "malformed";
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_OK((*txn)->InsertAlert(a));
    ASSERT_OK((*txn)->InsertAlert(lost));
    ASSERT_OK((*txn)->InsertAlert(lost2));  // no external id: never a duplicate
    AlertRecord dup = a;
    dup.id = 904;
    EXPECT_CODE((*txn)->InsertAlert(dup), ErrorCode::kAlreadyExists);
    ASSERT_OK((*txn)->Commit());
  }
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    auto found = Must((*txn)->FindAlert("yibao", "YB-1"));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, 901);
    EXPECT_FALSE(Must((*txn)->FindAlert("yibao", "YB-2")).has_value());
    EXPECT_FALSE(Must((*txn)->FindAlert("power_grid", "YB-1")).has_value());
  }
  AlertQuery q;
  q.org_paths = {"/6402/640202/"};
  auto listed = Must(store_->ListAlerts(q));
  ASSERT_EQ(listed.size(), 1u);
  const AlertRecord& r = listed[0];
  EXPECT_EQ(r.id, a.id);
  EXPECT_EQ(r.received_at, a.received_at);
  EXPECT_EQ(r.received_by, a.received_by);
  EXPECT_EQ(r.source, a.source);
  EXPECT_EQ(r.kind, a.kind);
  EXPECT_EQ(r.external_id, a.external_id);
  EXPECT_EQ(r.id_hash, a.id_hash);
  EXPECT_EQ(r.id_masked, a.id_masked);
  EXPECT_EQ(r.occurred_at, a.occurred_at);
  EXPECT_EQ(r.amount_fen, a.amount_fen);
  EXPECT_EQ(r.details, a.details);
  EXPECT_EQ(r.status, a.status);
  EXPECT_EQ(r.case_id, a.case_id);
  EXPECT_EQ(r.task_id, a.task_id);
  EXPECT_EQ(r.org_path, a.org_path);
  EXPECT_EQ(r.raw, a.raw);
  q.org_paths = {"/6402/640205/"};
  EXPECT_TRUE(Must(store_->ListAlerts(q)).empty());
  q.unmatched_too = true;
  auto unmatched = Must(store_->ListAlerts(q));
  ASSERT_EQ(unmatched.size(), 2u);
  EXPECT_EQ(unmatched[0].id, 903) << "newest first";
  EXPECT_EQ(unmatched[0].external_id, "");
  q.status = "unmatched";
  EXPECT_EQ(Must(store_->ListAlerts(q)).size(), 1u);
  q = AlertQuery{};
  q.org_paths = {"/6402/"};
  q.unmatched_too = true;
  q.limit = 2;
  auto page = Must(store_->ListAlerts(q));
  ASSERT_EQ(page.size(), 2u);
  q.before_id = page.back().id;
  auto rest = Must(store_->ListAlerts(q));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, 901);
  q = AlertQuery{};
  q.org_paths = {"/6402/"};
  q.case_id = 4001;
  EXPECT_EQ(Must(store_->ListAlerts(q)).size(), 1u);
}
}  // namespace
}  // namespace jiuzhu
