// The engine as the cross-module tests drive it: a Runtime on a fresh database of one
// backend ("sqlite": a file in a new temporary folder; "mariadb": a new database on the
// process's private server, tests/support/private_mariadb.hpp), migrated, with the demo org
// tree and people of workflows/org imported, a fixed ID secret and a ManualClock standing at
// 2026-02-10T09:00:00+08:00 (a Tuesday, three working days before the Spring Festival of the
// 2026 calendar). Time only moves when a test moves the clock.
//
// Commands run through the runtime's group-commit executor (CommandExecutor), exactly as the
// program runs them. Reads go to the store outside any transaction.
//
// Thread-safety: Open() and the destructor on the main thread; every other method may be
// called from many threads at once once Open() returned (they read only, or go through the
// thread-safe executor and store). The gtest assertion helpers report into the current test.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "api/runtime/runtime.hpp"
#include "engine/common/status.hpp"
#include "engine/common/time.hpp"
#include "engine/usecases/case_commands.hpp"
#include "tests/support/temp_dir.hpp"

namespace jiuzhu::testing {

// The instant every harness starts at: 2026-02-10T09:00:00+08:00.
Micros HarnessStart();
// "2026-02-12T23:59:59.999999+08:00" (or ...Z) -> instant; a bad text fails the test and
// returns 0.
Micros At(const std::string& text);
// The instant in Asia/Shanghai local time with microseconds, the form At() reads:
// "2026-02-12T23:59:59.999999+08:00".
std::string LocalTime(Micros instant);

// One line per task, for exact comparisons with readable diffs:
// "intake street_reviewer@640202100 open due 2026-02-12T23:59:59.999999+08:00"
// (claimed: "claimed:li.na"; done/cancelled: "done:li.na" / "cancelled", then the outcome).
std::string DescribeTask(const TaskRecord& t);

template <typename T>
Status ToStatus(const Result<T>& r) {
  return r.status();
}
inline Status ToStatus(const Status& s) { return s; }

// Success when `r` failed with `code`, its message contains every one of `message_parts`
// and (when `field` is not empty) names `field`; prints the actual status otherwise.
template <typename R>
::testing::AssertionResult FailsWith(const R& r, ErrorCode code,
                                     const std::vector<std::string>& message_parts = {},
                                     const std::string& field = {}) {
  const Status s = ToStatus(r);
  if (s.code() != code) {
    return ::testing::AssertionFailure() << "expected " << ErrorCodeName(code) << ", got "
                                         << (s.ok() ? std::string("OK") : s.ToString());
  }
  for (const auto& part : message_parts) {
    if (s.message().find(part) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message \"" << s.message() << "\" does not mention \"" << part << "\"";
    }
  }
  if (!field.empty() && s.field() != field) {
    return ::testing::AssertionFailure()
           << "expected field \"" << field << "\", got \"" << s.field() << "\" (" << s.ToString()
           << ")";
  }
  return ::testing::AssertionSuccess();
}

// The use cases' common shape: Result<CommandOutcome> F(const EngineContext&, StoreTxn&, const Req&).
template <typename Req>
using UseCase = Result<CommandOutcome> (*)(const EngineContext&, StoreTxn&, const Req&);

struct HarnessOptions {
  std::string backend = "sqlite";  // "sqlite" or "mariadb"
  Micros start = HarnessStart();
  int writers = 0;  // executor writer threads; 0: the runtime's default
};

class EngineHarness {
 public:
  EngineHarness();
  ~EngineHarness();
  EngineHarness(const EngineHarness&) = delete;
  EngineHarness& operator=(const EngineHarness&) = delete;

  // Opens the runtime (see the file comment). Ends the calling test fatally when that fails;
  // for "mariadb" without a server it fails too, or skips when JIUZHU_SKIP_MYSQL=1 (the
  // rule of private_mariadb.hpp). Call from SetUp() or the test body; afterwards ready()
  // tells whether the harness can be used.
  void Open(const HarnessOptions& options);
  bool ready() const { return ready_; }
  const std::string& backend() const { return backend_; }

  Runtime& rt() { return *rt_; }
  CaseStore& store() { return rt_->store(); }
  const EngineContext& ctx() const { return rt_->ctx(); }
  ManualClock& clock() { return *clock_; }
  // Moves the clock to a local time text (see At()).
  void SetTime(const std::string& text) { clock_->Set(At(text)); }

  // The demo user `username` as stored (roles included). An unknown name fails the test and
  // returns a user with that name and no roles.
  UserRecord User(const std::string& username);
  CaseCommand Cmd(const std::string& username, CaseId case_id,
                  std::optional<std::int64_t> expected_version = std::nullopt,
                  const std::string& comment = {});
  TaskCommand TaskCmd(const std::string& username, TaskId task_id);

  // Runs fn(ctx, txn) as one command through the executor; returns its result once its
  // transaction committed (or its error; a failed command wrote nothing).
  template <typename Fn>
  auto Run(Fn&& fn) -> std::invoke_result_t<Fn&, const EngineContext&, StoreTxn&> {
    using R = std::invoke_result_t<Fn&, const EngineContext&, StoreTxn&>;
    using T = std::decay_t<decltype(std::declval<R&>().value())>;
    const EngineContext& context = rt_->ctx();
    return rt_->executor().Run<T>([&](StoreTxn& txn) -> R { return fn(context, txn); });
  }
  // Runs one use case: h.Do(AcceptCase, h.Cmd("li.na", id)).
  template <typename Req>
  Result<CommandOutcome> Do(UseCase<Req> use_case, const Req& req) {
    return Run([&](const EngineContext& c, StoreTxn& txn) { return use_case(c, txn, req); });
  }

  // A household report by `username` (dibao, village 星光村 unless told otherwise).
  Result<CommandOutcome> Discover(const std::string& username, const std::string& id_number,
                                  const std::string& applicant_name,
                                  const std::string& village_id = "640202100001",
                                  const std::string& programme = "dibao");
  // An assessment that puts a household of `applicant_name` (severely disabled) and a spouse
  // in the relief pool (per-capita 450 yuan a month against 大武口区's dibao line of 790).
  static AssessRequest ReliefAssessment(CaseCommand cmd, const std::string& applicant_name);

  // The n-th of a series of distinct valid ID numbers (GB 11643 check digit), n in
  // [0, 50000), registered in `region6`.
  static std::string ValidId(int n, const std::string& region6 = "640202");

  // Reads (committed data). A failing read fails the test and returns an empty value.
  std::optional<CaseRecord> Case(CaseId id);
  std::vector<CaseRecord> AllCases();
  std::vector<TaskRecord> Tasks(CaseId id);                  // every task of the case
  std::vector<TaskRecord> ActiveTasks(CaseId id);            // open or claimed
  std::vector<std::string> ActiveTaskLines(CaseId id);       // DescribeTask, sorted
  std::vector<ReferralRecord> Referrals(CaseId id);
  std::vector<AuditEventRecord> Audit(CaseId id);
  std::int64_t AuditEventCount();  // over every case
  // Every row of every case, task, referral and audit event, rendered; two equal
  // fingerprints mean nothing was written in between.
  std::string Fingerprint();

  // Verifies the audit chain of every case against its head (VerifyCaseChain), and that the
  // head's seq equals the case's version. Success names how many cases were checked.
  ::testing::AssertionResult VerifyAllChains();

 private:
  bool ready_ = false;
  std::string backend_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<Runtime> rt_;
};

// Base fixture of the suites parametrised over the backend: opens a harness in SetUp and
// verifies every audit chain in TearDown.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;
  EngineHarness h_;
};

// For INSTANTIATE_TEST_SUITE_P(..., ::testing::Values("sqlite", "mariadb"), BackendName).
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace jiuzhu::testing

// Fatal unless `expr` (a Status or Result<T>) is OK.
#define JZ_ASSERT_OK(expr)                                                               \
  do {                                                                                   \
    const ::jiuzhu::Status jz_assert_status_ = ::jiuzhu::testing::ToStatus(expr);       \
    ASSERT_TRUE(jz_assert_status_.ok()) << #expr << ": " << jz_assert_status_.ToString(); \
  } while (0)
#define JZ_EXPECT_OK(expr)                                                               \
  do {                                                                                   \
    const ::jiuzhu::Status jz_expect_status_ = ::jiuzhu::testing::ToStatus(expr);       \
    EXPECT_TRUE(jz_expect_status_.ok()) << #expr << ": " << jz_expect_status_.ToString(); \
  } while (0)
// `lhs = value of expr` (a Result<T>), fatal if it failed.
#define JZ_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  JZ_ASSERT_OK_AND_ASSIGN_IMPL(JZ_CONCAT(jz_assert_result_, __LINE__), lhs, expr)
#define JZ_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)                               \
  auto tmp = (expr);                                                               \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString();               \
  lhs = std::move(tmp).value()
