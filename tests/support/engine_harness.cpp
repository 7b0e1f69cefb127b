#include "tests/support/engine_harness.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "api/runtime/demo_data.hpp"
#include "engine/audit/audit_chain.hpp"
#include "tests/support/private_mariadb.hpp"

namespace jiuzhu::testing {

namespace {

// At least 16 bytes (IdProtector); fixed so ID hashes are the same in every run.
constexpr char kSecret[] = "jiuzhu-test-secret-0123456789abcdef";

std::string Describe(const CaseRecord& c) {
  std::ostringstream o;
  o << "case " << c.id << " " << c.programme << " " << CaseStateName(c.state) << " "
    << RouteName(c.route) << " " << PoolName(c.pool) << " v" << c.version << " "
    << c.applicant_name << " " << c.id_hash << " " << c.id_masked << " " << c.id_cipher << " "
    << c.village_id << " " << c.org_path << " [" << c.assessment_json << "] [" << c.pledge_json
    << "] " << c.created_at << " " << c.updated_at << " " << c.promised_by << " "
    << c.audit_head_seq << " " << c.audit_head_hash;
  return o.str();
}

std::string Describe(const ReferralRecord& r) {
  std::ostringstream o;
  o << "referral " << r.id << " case " << r.case_id << " " << r.department_code << "@"
    << r.department_unit_id << " " << (r.status == ReferralStatus::kPending ? "pending" : "answered")
    << " [" << r.note << "] " << r.answer << " [" << r.answer_json << "] " << r.requested_at
    << " " << r.due_at << " " << r.answered_at;
  return o.str();
}

std::string Describe(const AuditEventRecord& e) {
  std::ostringstream o;
  o << "audit " << e.case_id << "#" << e.seq << " " << e.at << " " << e.actor << " " << e.role
    << "@" << e.org_unit_id << " " << e.action << " " << e.from_state << "->" << e.to_state
    << " " << e.payload << " " << e.prev_hash << " " << e.hash;
  return o.str();
}

}  // namespace

Micros HarnessStart() { return At("2026-02-10T09:00:00+08:00"); }

Micros At(const std::string& text) {
  Result<Micros> t = ParseInstant(text);
  if (!t.ok()) {
    ADD_FAILURE() << "bad instant in test: " << t.status().ToString();
    return 0;
  }
  return *t;
}

std::string LocalTime(Micros instant) {
  // FormatLocal has whole seconds: put the microseconds in before the offset.
  const std::string local = FormatLocal(instant, ShanghaiZone());
  Micros frac = instant % kMicrosPerSecond;
  if (frac < 0) frac += kMicrosPerSecond;
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
  return local.substr(0, local.size() - 6) + buf + local.substr(local.size() - 6);
}

std::string DescribeTask(const TaskRecord& t) {
  std::string s = t.kind + " " + t.role + "@" + t.org_unit_id + " " + TaskStateName(t.state);
  if (!t.claimed_by.empty()) s += ":" + t.claimed_by;
  s += " due " + LocalTime(t.due_at);
  if (!t.outcome.empty()) s += " (" + t.outcome + ")";
  return s;
}

EngineHarness::EngineHarness() = default;

EngineHarness::~EngineHarness() {
  rt_.reset();  // drains the executor before the clock goes
}

void EngineHarness::Open(const HarnessOptions& options) {
  ASSERT_FALSE(ready_) << "harness opened twice";
  backend_ = options.backend;
  std::string url;
  if (options.backend == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    url = "sqlite:" + dir_->File("jiuzhu.db");
  } else if (options.backend == "mariadb") {
    JZ_FRESH_MARIADB_OR_RETURN(url);
  } else {
    FAIL() << "unknown backend \"" << options.backend << "\" (want sqlite or mariadb)";
  }
  clock_ = std::make_unique<ManualClock>(options.start);
  RuntimeOptions ro;
  ro.db_url = url;
  ro.secret = kSecret;
  ro.clock = clock_.get();
  ro.writers = options.writers;
  Result<std::unique_ptr<Runtime>> rt = Runtime::Open(ro);
  ASSERT_TRUE(rt.ok()) << "Runtime::Open(" << options.backend << "): " << rt.status().ToString();
  rt_ = std::move(rt).value();
  JZ_ASSERT_OK(rt_->Migrate());
  const std::string org = rt_->options().workflows_dir + "/org/";
  JZ_ASSERT_OK(rt_->ImportOrg(org + "demo-org.json", org + "demo-users.json"));
  ready_ = true;
}

UserRecord EngineHarness::User(const std::string& username) {
  Result<UserRecord> u = rt_->User(username);
  if (!u.ok()) {
    ADD_FAILURE() << u.status().ToString();
    UserRecord none;
    none.username = username;
    return none;
  }
  return std::move(u).value();
}

CaseCommand EngineHarness::Cmd(const std::string& username, CaseId case_id,
                               std::optional<std::int64_t> expected_version,
                               const std::string& comment) {
  CaseCommand c;
  c.actor = User(username);
  c.case_id = case_id;
  c.expected_version = expected_version;
  c.comment = comment;
  return c;
}

TaskCommand EngineHarness::TaskCmd(const std::string& username, TaskId task_id) {
  TaskCommand c;
  c.actor = User(username);
  c.task_id = task_id;
  return c;
}

Result<CommandOutcome> EngineHarness::Discover(const std::string& username,
                                               const std::string& id_number,
                                               const std::string& applicant_name,
                                               const std::string& village_id,
                                               const std::string& programme) {
  DiscoverRequest d;
  d.actor = User(username);
  d.programme = programme;
  d.id_number = id_number;
  d.applicant_name = applicant_name;
  d.village_id = village_id;
  d.source = "village_officer";
  return Do(DiscoverCase, d);
}

AssessRequest EngineHarness::ReliefAssessment(CaseCommand cmd, const std::string& applicant_name) {
  AssessRequest a;
  a.cmd = std::move(cmd);
  AssessedMember self;
  self.name = applicant_name;
  self.relation = "self";
  self.age = 52;
  self.circumstances = {"severe_disability"};
  AssessedMember spouse;
  spouse.name = "配偶";
  spouse.relation = "spouse";
  spouse.age = 50;
  a.household.members = {self, spouse};
  // 1,000 yuan wages a month = 12,000 a year, less 10% for the severe
  // disability = 10,800: 450 a month each against 大武口区's dibao line of 790.
  a.household.income = {{"wages", std::vector<Fen>(12, 100000)}};
  return a;
}

std::string EngineHarness::ValidId(int n, const std::string& region6) {
  // 1000 sequence numbers per birth day, 50 birth days: distinct for n < 50000.
  const int day = n / 1000;
  return MakeIdNumber(region6, 1950 + day, 1 + day % 12, 1 + day % 28, n % 1000);
}

std::optional<CaseRecord> EngineHarness::Case(CaseId id) {
  auto c = store().GetCase(id);
  if (!c.ok()) {
    ADD_FAILURE() << "GetCase(" << id << "): " << c.status().ToString();
    return std::nullopt;
  }
  return *c;
}

std::vector<CaseRecord> EngineHarness::AllCases() {
  CaseQuery q;
  q.limit = 1000000;
  auto cases = store().ListCases(q);
  if (!cases.ok()) {
    ADD_FAILURE() << "ListCases: " << cases.status().ToString();
    return {};
  }
  return *cases;
}

std::vector<TaskRecord> EngineHarness::Tasks(CaseId id) {
  auto tasks = store().ListTasksForCase(id);
  if (!tasks.ok()) {
    ADD_FAILURE() << "ListTasksForCase(" << id << "): " << tasks.status().ToString();
    return {};
  }
  return *tasks;
}

std::vector<TaskRecord> EngineHarness::ActiveTasks(CaseId id) {
  std::vector<TaskRecord> out;
  for (auto& t : Tasks(id)) {
    if (t.state == TaskState::kOpen || t.state == TaskState::kClaimed) out.push_back(t);
  }
  return out;
}

std::vector<std::string> EngineHarness::ActiveTaskLines(CaseId id) {
  std::vector<std::string> out;
  for (const auto& t : ActiveTasks(id)) out.push_back(DescribeTask(t));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ReferralRecord> EngineHarness::Referrals(CaseId id) {
  auto r = store().ListReferralsForCase(id);
  if (!r.ok()) {
    ADD_FAILURE() << "ListReferralsForCase(" << id << "): " << r.status().ToString();
    return {};
  }
  return *r;
}

std::vector<AuditEventRecord> EngineHarness::Audit(CaseId id) {
  auto events = store().ListAuditEvents(id);
  if (!events.ok()) {
    ADD_FAILURE() << "ListAuditEvents(" << id << "): " << events.status().ToString();
    return {};
  }
  return *events;
}

std::int64_t EngineHarness::AuditEventCount() {
  std::int64_t n = 0;
  for (const auto& c : AllCases()) n += static_cast<std::int64_t>(Audit(c.id).size());
  return n;
}

std::string EngineHarness::Fingerprint() {
  std::ostringstream o;
  for (const auto& c : AllCases()) {
    o << Describe(c) << "\n";
    auto tasks = Tasks(c.id);
    std::sort(tasks.begin(), tasks.end(),
              [](const TaskRecord& a, const TaskRecord& b) { return a.id < b.id; });
    for (const auto& t : tasks) {
      o << "task " << t.id << " " << CaseStateName(t.stage) << " " << DescribeTask(t) << " "
        << t.org_path << " " << t.created_at << " " << t.due_at << " " << t.claimed_at << " "
        << t.completed_at << " " << t.referral_id << "\n";
    }
    for (const auto& r : Referrals(c.id)) o << Describe(r) << "\n";
    for (const auto& e : Audit(c.id)) o << Describe(e) << "\n";
  }
  return o.str();
}

::testing::AssertionResult EngineHarness::VerifyAllChains() {
  struct Head {
    CaseId id;
    std::int64_t seq;
    std::string hash;
  };
  std::vector<Head> heads;
  Status s = store().ForEachCaseHead([&](CaseId id, std::int64_t seq, const std::string& hash) {
    heads.push_back({id, seq, hash});
    return true;
  });
  if (!s.ok()) return ::testing::AssertionFailure() << "ForEachCaseHead: " << s.ToString();
  std::ostringstream problems;
  for (const auto& h : heads) {
    auto events = store().ListAuditEvents(h.id);
    if (!events.ok()) {
      problems << "case " << h.id << ": " << events.status().ToString() << "\n";
      continue;
    }
    for (const auto& p : VerifyCaseChain(h.id, *events, h.seq, h.hash)) {
      problems << "case " << p.case_id << " seq " << p.seq << " " << AuditProblemKindName(p.kind)
               << ": " << p.detail << "\n";
    }
    auto c = store().GetCase(h.id);
    if (!c.ok() || !c->has_value()) {
      problems << "case " << h.id << " has a head but cannot be read\n";
    } else if ((*c)->version != h.seq) {
      problems << "case " << h.id << " is at version " << (*c)->version
               << " but its audit head is seq " << h.seq << "\n";
    }
  }
  if (!problems.str().empty()) return ::testing::AssertionFailure() << problems.str();
  return ::testing::AssertionSuccess() << heads.size() << " case chain(s) verified";
}

void BackendTest::SetUp() {
  HarnessOptions o;
  o.backend = GetParam();
  h_.Open(o);
}

void BackendTest::TearDown() {
  if (h_.ready()) {
    EXPECT_TRUE(h_.VerifyAllChains());
  }
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace jiuzhu::testing
