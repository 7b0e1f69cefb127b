#include "engine/executor/command_executor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace jiuzhu {
namespace {

// An in-memory CaseStore whose only state is the list of "writes" (the
// audit action of each CommandEffects applied) committed so far. It records
// every transaction call and can be told to fail some of them.
// Thread-safe; a FakeTxn belongs to one thread, as StoreTxn requires.
class FakeStore final : public CaseStore {
 public:
  struct Failures {
    int begin = 0;  // next BeginWrite calls that fail
    ErrorCode begin_code = ErrorCode::kUnavailable;
    int commit_pass = 0;  // Commit calls that succeed before `commit` failures start
    int commit = 0;       // next Commit calls that fail
    ErrorCode commit_code = ErrorCode::kConflict;
    int rollback_to = 0;  // next RollbackToSavepoint calls that fail
    ErrorCode rollback_to_code = ErrorCode::kConflict;
    int savepoint = 0;  // next Savepoint calls that fail
    ErrorCode savepoint_code = ErrorCode::kInternal;
  };

  class FakeTxn final : public StoreTxn {
   public:
    explicit FakeTxn(FakeStore& store) : store_(store) {}
    ~FakeTxn() override {
      if (!committed_) store_.Record("abort");
    }

    Result<std::optional<CaseRecord>> LockCase(CaseId) override {
      return std::optional<CaseRecord>();
    }
    Result<std::optional<CaseRecord>> FindOpenCaseByIdHash(const std::string&) override {
      return std::optional<CaseRecord>();
    }
    Result<std::vector<TaskRecord>> ListActiveTasks(CaseId) override {
      return std::vector<TaskRecord>();
    }
    Result<std::optional<TaskRecord>> LockTask(TaskId) override {
      return std::optional<TaskRecord>();
    }
    Result<std::vector<ReferralRecord>> ListReferrals(CaseId) override {
      return std::vector<ReferralRecord>();
    }
    Result<std::optional<RevisitRecord>> FindRevisit(const std::string&, const std::string&) override {
      return std::optional<RevisitRecord>();
    }
    // Not used by the executor: no key is ever stored.
    Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string&,
                                                             const std::string&) override {
      return std::optional<IdempotencyRecord>();
    }
    Status SaveIdempotency(const IdempotencyRecord&) override { return Status::Ok(); }
    // Post-audit: not used by the executor.
    Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string&, Micros,
                                                                  Micros) override {
      return Internal("not used");
    }
    Status InsertAuditSample(const AuditSampleRecord&) override { return Internal("not used"); }
    Result<std::optional<AuditSampleRecord>> LockAuditSample(std::int64_t) override {
      return Internal("not used");
    }
    Status SaveAuditDraw(const AuditSampleRecord&, const std::vector<PopulationEntry>&,
                         const std::vector<AuditItemRecord>&) override {
      return Internal("not used");
    }
    Result<std::optional<AuditItemRecord>> LockAuditItem(std::int64_t) override {
      return Internal("not used");
    }
    Status UpdateAuditItem(const AuditItemRecord&, const std::string&) override {
      return Internal("not used");
    }
    Status InsertCreditRecord(const CreditRecord&) override { return Internal("not used"); }
    Result<std::vector<CreditRecord>> ListCreditRecords(const std::string&) override {
      return Internal("not used");
    }
    Status InsertAlert(const AlertRecord&) override { return Internal("not used"); }
    Result<std::optional<AlertRecord>> FindAlert(const std::string&, const std::string&) override {
      return Internal("not used");
    }
    Result<std::vector<TaskRecord>> ClaimDueTasks(Micros, int) override {
      return std::vector<TaskRecord>{};
    }
    Result<std::vector<TaskRecord>> ListActiveTasksDueAfter(Micros, TaskId, int) override {
      return std::vector<TaskRecord>{};
    }

    Status Apply(const CommandEffects& effects) override {
      EXPECT_EQ(std::this_thread::get_id(), owner_) << "a StoreTxn belongs to one thread";
      store_.Record("apply " + effects.audit.action);
      pending_.push_back(effects.audit.action);
      return Status::Ok();
    }
    Status Savepoint() override {
      if (Status s = store_.Fail(&Failures::savepoint, &Failures::savepoint_code, "savepoint");
          !s.ok()) {
        return s;
      }
      store_.Record("savepoint");
      marks_.push_back(pending_.size());
      return Status::Ok();
    }
    Status RollbackToSavepoint() override {
      if (Status s =
              store_.Fail(&Failures::rollback_to, &Failures::rollback_to_code, "rollback to");
          !s.ok()) {
        return s;
      }
      store_.Record("rollback_to");
      EXPECT_FALSE(marks_.empty());
      if (marks_.empty()) return Internal("no savepoint");
      pending_.resize(marks_.back());  // like the SQLite adapter: roll back, then release
      marks_.pop_back();
      return Status::Ok();
    }
    Status ReleaseSavepoint() override {
      store_.Record("release");
      EXPECT_FALSE(marks_.empty());
      if (marks_.empty()) return Internal("no savepoint");
      marks_.pop_back();
      return Status::Ok();
    }
    Status Commit() override {
      if (Status s = store_.FailCommit(); !s.ok()) {
        store_.Record("commit failed");
        return s;
      }
      EXPECT_TRUE(marks_.empty()) << "commit with a savepoint still open";
      committed_ = true;
      store_.CommitWrites(pending_);
      return Status::Ok();
    }

   private:
    FakeStore& store_;
    const std::thread::id owner_ = std::this_thread::get_id();
    std::vector<std::string> pending_;
    std::vector<size_t> marks_;
    bool committed_ = false;
  };

  void SetFailures(const Failures& f) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_ = f;
  }
  // Every call in order: "begin", "savepoint", "apply X", "release",
  // "rollback_to", "commit", "commit failed", "abort" (destroyed uncommitted).
  std::vector<std::string> Calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  int Count(const std::string& call) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(std::count(calls_.begin(), calls_.end(), call));
  }
  // Writes of each committed transaction, in commit order.
  std::vector<std::vector<std::string>> Transactions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return transactions_;
  }
  std::vector<std::string> CommittedWrites() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> all;
    for (const auto& t : transactions_) all.insert(all.end(), t.begin(), t.end());
    return all;
  }

  Result<std::unique_ptr<StoreTxn>> BeginWrite() override {
    if (Status s = Fail(&Failures::begin, &Failures::begin_code, "begin"); !s.ok()) return s;
    Record("begin");
    return std::unique_ptr<StoreTxn>(new FakeTxn(*this));
  }

  // Not used by the executor.
  Status Migrate(const std::string&) override { return Unused(); }
  Result<std::vector<int>> AppliedMigrations() override { return Unused(); }
  Status Ping() override { return Status::Ok(); }
  Status ReplaceOrgUnits(const std::vector<OrgUnitRecord>&) override { return Unused(); }
  Result<std::vector<OrgUnitRecord>> ListOrgUnits() override { return Unused(); }
  Status UpsertUsers(const std::vector<UserRecord>&) override { return Unused(); }
  Result<std::optional<UserRecord>> FindUser(const std::string&) override { return Unused(); }
  Result<std::vector<UserRecord>> ListUsers() override { return Unused(); }
  Result<std::optional<CaseRecord>> GetCase(CaseId) override { return Unused(); }
  Result<std::vector<CaseRecord>> GetCases(const std::vector<CaseId>&) override { return Unused(); }
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery&) override { return Unused(); }
  Result<std::vector<TaskRecord>> ListTasksForCase(CaseId) override { return Unused(); }
  Result<std::vector<ReferralRecord>> ListReferralsForCase(CaseId) override { return Unused(); }
  Result<std::vector<ReferralRecord>> ListDepartmentReferrals(const DepartmentReferralQuery&) override {
    return Unused();
  }
  Result<std::vector<PoolCount>> CountPools(const std::string&) override { return Unused(); }
  Result<std::vector<AuditEventRecord>> ListAuditEvents(CaseId) override { return Unused(); }
  Result<TaskPage> ListInbox(const InboxQuery&) override { return Unused(); }
  Status ForEachCaseHead(
      const std::function<bool(CaseId, std::int64_t, const std::string&)>&) override {
    return Unused();
  }
  Result<std::int64_t> CountCases() override { return Unused(); }
  Result<TaskCounts> CountActiveTasks(Micros) override { return Unused(); }
  Result<std::int64_t> PurgeIdempotency(Micros) override { return Unused(); }
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string&, Micros,
                                                                Micros) override {
    return Unused();
  }
  Result<std::optional<AuditSampleRecord>> GetAuditSample(std::int64_t) override { return Unused(); }
  Result<std::vector<AuditSampleRecord>> ListAuditSamples(std::int64_t, int) override {
    return Unused();
  }
  Result<std::vector<PopulationEntry>> ListAuditPopulation(std::int64_t) override { return Unused(); }
  Result<std::vector<AuditItemRecord>> ListAuditItems(const AuditItemQuery&) override {
    return Unused();
  }
  Result<std::vector<CreditRecord>> ListCreditRecords(const CreditQuery&) override {
    return Unused();
  }
  Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery&) override { return Unused(); }
  Result<std::optional<Micros>> NextEscalationAt() override { return Unused(); }
  Result<std::vector<BoardCount>> ListBoardCounts() override { return Unused(); }
  Result<std::vector<BoardCount>> CountActiveDueOnDays(std::int64_t, std::int64_t) override {
    return Unused();
  }
  Result<std::vector<OverdueItem>> ListOverdue(const OverdueQuery&) override { return Unused(); }
  Result<std::vector<DecisionRecord>> ListDecisions(const std::string&, Micros, Micros) override {
    return Unused();
  }
  Status SaveOverdueHistory(const std::vector<OverdueHistoryRow>&) override { return Unused(); }
  Result<std::vector<OverdueHistoryRow>> ListOverdueHistory(const std::string&,
                                                            const std::string&) override {
    return Unused();
  }
  Result<std::vector<OverdueHistoryRow>> CountOverdueAt(
      const std::vector<std::pair<std::string, Micros>>&) override {
    return Unused();
  }
  Result<std::vector<NotificationRecord>> ListNotifications(const std::string&, bool, std::int64_t,
                                                            int) override {
    return Unused();
  }
  Result<std::int64_t> CountUnreadNotifications(const std::string&) override { return Unused(); }
  Result<std::int64_t> MarkNotificationsRead(const std::string&, std::int64_t, Micros) override {
    return Unused();
  }
  Result<std::optional<std::string>> GetSetting(const std::string&) override { return Unused(); }
  Status PutSetting(const std::string&, const std::string&) override { return Unused(); }

 private:
  static Status Unused() { return Internal("not part of the fake"); }

  void Record(const std::string& call) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(call);
  }
  Status Fail(int Failures::*left, ErrorCode Failures::*code, const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    if (failures_.*left <= 0) return Status::Ok();
    --(failures_.*left);
    return Status(failures_.*code, "injected " + what + " failure");
  }
  Status FailCommit() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (failures_.commit_pass > 0) {
        --failures_.commit_pass;
        return Status::Ok();
      }
    }
    return Fail(&Failures::commit, &Failures::commit_code, "commit");
  }
  void CommitWrites(const std::vector<std::string>& writes) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("commit");
    transactions_.push_back(writes);
  }

  mutable std::mutex mu_;
  Failures failures_;
  std::vector<std::string> calls_;
  std::vector<std::vector<std::string>> transactions_;
};

// Counts how often each named command ran (on whatever writer thread).
class RunCounter {
 public:
  void Ran(const std::string& name) {
    std::lock_guard<std::mutex> lock(mu_);
    ++runs_[name];
  }
  int Runs(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = runs_.find(name);
    return it == runs_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, int> runs_;
};

// A command that writes `name` and returns `result`.
CommandExecutor::Command Write(const std::string& name, RunCounter* counter = nullptr,
                               Status result = Status::Ok()) {
  return [name, counter, result](StoreTxn& txn) -> Status {
    if (counter) counter->Ran(name);
    CommandEffects fx;
    fx.audit.action = name;
    JZ_RETURN_IF_ERROR(txn.Apply(fx));
    return result;
  };
}

// A one-shot latch.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Fills the queue of a one-writer executor behind a command that holds the
// writer, so that the commands queued run as one batch.
//
// With `max_queue` = n, n + 1 callers submit while the writer is held; all
// but one are queued and exactly one is refused at once with
// kResourceExhausted. That refusal is how the test knows, without sleeping,
// that the queue holds n commands. Which caller is refused is up to the
// scheduler, so tests tell the commands apart by name or by the order they
// run in.
class HeldWriter {
 public:
  // Submits the holding command; returns once the writer runs it. Once
  // released, the holder calls `while_held` (still on the writer thread,
  // before it writes "holder" and returns).
  explicit HeldWriter(CommandExecutor& exec, std::function<void()> while_held = nullptr)
      : exec_(exec), while_held_(std::move(while_held)) {
    holder_ = std::thread([this] {
      holder_status_ = exec_.Execute([this](StoreTxn& txn) -> Status {
        started_.Open();
        release_.Wait();
        if (while_held_) while_held_();
        CommandEffects fx;
        fx.audit.action = "holder";
        return txn.Apply(fx);
      });
    });
    started_.Wait();
  }
  ~HeldWriter() {
    release_.Open();
    if (holder_.joinable()) holder_.join();
    for (auto& t : callers_) {
      if (t.joinable()) t.join();
    }
  }

  // Starts n + 1 callers, the i-th submitting make(i); returns once one was
  // refused (its index). The others wait in the queue.
  int SubmitAndWaitForRefusal(int n, const std::function<CommandExecutor::Command(int)>& make) {
    statuses_.assign(static_cast<size_t>(n + 1), Status(ErrorCode::kInternal, "not returned"));
    for (int i = 0; i <= n; ++i) {
      callers_.emplace_back([this, i, make] {
        CommandExecutor::Command cmd = make(i);
        Status s = exec_.Execute(std::move(cmd));
        std::lock_guard<std::mutex> lock(mu_);
        statuses_[static_cast<size_t>(i)] = s;
        returned_.push_back(i);
        cv_.notify_all();
      });
    }
    std::unique_lock<std::mutex> lock(mu_);
    // A deadline, not a sleep: a correct executor refuses one caller at once.
    if (!cv_.wait_for(lock, std::chrono::seconds(60), [this] { return !returned_.empty(); })) {
      ADD_FAILURE() << "no caller was refused with a full queue";
      return -1;
    }
    return returned_.front();
  }

  // Lets the holding command finish and waits for every caller.
  void ReleaseAndJoin() {
    release_.Open();
    holder_.join();
    for (auto& t : callers_) t.join();
  }

  const Status& holder_status() const { return holder_status_; }
  Status status(int i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return statuses_[static_cast<size_t>(i)];
  }

 private:
  CommandExecutor& exec_;
  std::function<void()> while_held_;
  Gate started_;
  Gate release_;
  std::thread holder_;
  Status holder_status_;
  std::vector<std::thread> callers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Status> statuses_;
  std::vector<int> returned_;
};

ExecutorOptions Options(int max_queue, int max_batch = 128, int max_attempts = 5) {
  ExecutorOptions o;
  o.writers = 1;
  o.max_queue = max_queue;
  o.max_batch = max_batch;
  o.max_attempts = max_attempts;
  return o;
}

// ------------------------------------------------------------ one command ---

TEST(CommandExecutor, RunsACommandInASavepointAndCommits) {
  FakeStore store;
  CommandExecutor exec(store);
  EXPECT_TRUE(exec.Execute(Write("a")).ok());
  EXPECT_EQ(store.Calls(),
            (std::vector<std::string>{"begin", "savepoint", "apply a", "release", "commit"}));
  EXPECT_EQ(store.CommittedWrites(), (std::vector<std::string>{"a"}));
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, 1);
  EXPECT_EQ(st.transactions, 1);
  EXPECT_EQ(st.retried_batches, 0);
}

TEST(CommandExecutor, ReturnsTheCommandsOwnErrorAndUndoesItsWrites) {
  FakeStore store;
  CommandExecutor exec(store);
  const Status s = exec.Execute(Write("bad", nullptr, FailedPrecondition("not in this state")));
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "not in this state");
  EXPECT_EQ(store.Calls(),
            (std::vector<std::string>{"begin", "savepoint", "apply bad", "rollback_to", "commit"}));
  EXPECT_TRUE(store.CommittedWrites().empty());
  // The command's own failure is not a dead transaction: no rerun.
  EXPECT_EQ(exec.stats().retried_batches, 0);
  EXPECT_EQ(exec.stats().transactions, 1);
}

TEST(CommandExecutor, ExceptionFromACommandBecomesInternalAndIsRolledBack) {
  FakeStore store;
  CommandExecutor exec(store);
  Status s = exec.Execute([](StoreTxn& txn) -> Status {
    CommandEffects fx;
    fx.audit.action = "half";
    (void)txn.Apply(fx);
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_NE(s.message().find("boom"), std::string::npos) << s.message();
  s = exec.Execute([](StoreTxn&) -> Status { throw 42; });
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_TRUE(store.CommittedWrites().empty());
  EXPECT_EQ(store.Count("rollback_to"), 2);
  // The executor keeps working.
  EXPECT_TRUE(exec.Execute(Write("after")).ok());
  EXPECT_EQ(store.CommittedWrites(), (std::vector<std::string>{"after"}));
}

TEST(CommandExecutor, RunHandsBackTheValue) {
  FakeStore store;
  CommandExecutor exec(store);
  Result<int> r = exec.Run<int>([](StoreTxn& txn) -> Result<int> {
    CommandEffects fx;
    fx.audit.action = "x";
    JZ_RETURN_IF_ERROR(txn.Apply(fx));
    return 42;
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 42);
  Result<int> e =
      exec.Run<int>([](StoreTxn&) -> Result<int> { return NotFound("case 9 not found"); });
  EXPECT_EQ(e.status().code(), ErrorCode::kNotFound);
}

// ---------------------------------------------------------------- retries ---

TEST(CommandExecutor, RerunsTheBatchWhenCommitConflicts) {
  FakeStore store;
  FakeStore::Failures f;
  f.commit = 2;
  f.commit_code = ErrorCode::kConflict;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 128, 5));
  EXPECT_TRUE(exec.Execute(Write("a", &runs)).ok());
  EXPECT_EQ(runs.Runs("a"), 3);  // two dead transactions, then the one that committed
  EXPECT_EQ(store.Count("begin"), 3);
  EXPECT_EQ(store.Count("commit failed"), 2);
  EXPECT_EQ(store.Count("abort"), 2);  // each dead transaction was dropped, not reused
  EXPECT_EQ(store.CommittedWrites(), (std::vector<std::string>{"a"}));  // once, not thrice
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, 1);
  EXPECT_EQ(st.transactions, 1);
  EXPECT_EQ(st.retried_batches, 1);
}

TEST(CommandExecutor, RerunsWhenTheDatabaseIsBrieflyUnavailable) {
  FakeStore store;
  FakeStore::Failures f;
  f.begin = 2;
  f.begin_code = ErrorCode::kUnavailable;
  f.commit = 1;
  f.commit_code = ErrorCode::kUnavailable;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 128, 5));
  EXPECT_TRUE(exec.Execute(Write("a", &runs)).ok());
  EXPECT_EQ(runs.Runs("a"), 2);  // not run while no transaction could be opened
  EXPECT_EQ(store.CommittedWrites(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(exec.stats().retried_batches, 1);
}

TEST(CommandExecutor, GivesUpAfterMaxAttempts) {
  FakeStore store;
  FakeStore::Failures f;
  f.commit = 1000;
  f.commit_code = ErrorCode::kConflict;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 128, 4));
  const Status s = exec.Execute(Write("a", &runs));
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_EQ(runs.Runs("a"), 4);
  EXPECT_EQ(store.Count("begin"), 4);
  EXPECT_EQ(store.Count("abort"), 4);
  EXPECT_TRUE(store.CommittedWrites().empty());
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, 1);
  EXPECT_EQ(st.transactions, 0);
  EXPECT_EQ(st.retried_batches, 1);
}

TEST(CommandExecutor, DoesNotRerunAfterAnUnexpectedCommitFailure) {
  FakeStore store;
  FakeStore::Failures f;
  f.commit = 1;
  f.commit_code = ErrorCode::kInternal;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 128, 5));
  const Status s = exec.Execute(Write("a", &runs));
  EXPECT_EQ(s.code(), ErrorCode::kInternal);
  EXPECT_EQ(runs.Runs("a"), 1);
  EXPECT_EQ(store.Count("begin"), 1);
  EXPECT_TRUE(store.CommittedWrites().empty());
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.transactions, 0);
  EXPECT_EQ(st.retried_batches, 0) << "the batch ran once: nothing was retried";
}

TEST(CommandExecutor, DoesNotRerunWhenBeginFailsUnexpectedly) {
  FakeStore store;
  FakeStore::Failures f;
  f.begin = 1;
  f.begin_code = ErrorCode::kInternal;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store);
  EXPECT_EQ(exec.Execute(Write("a", &runs)).code(), ErrorCode::kInternal);
  EXPECT_EQ(runs.Runs("a"), 0);
  EXPECT_EQ(exec.stats().retried_batches, 0);
  EXPECT_TRUE(exec.Execute(Write("b", &runs)).ok());  // the next batch is fine
}

TEST(CommandExecutor, OneAttemptMeansNoRetry) {
  FakeStore store;
  FakeStore::Failures f;
  f.commit = 1;
  f.commit_code = ErrorCode::kConflict;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 128, 1));
  EXPECT_EQ(exec.Execute(Write("a", &runs)).code(), ErrorCode::kConflict);
  EXPECT_EQ(runs.Runs("a"), 1);
  EXPECT_EQ(exec.stats().retried_batches, 0);
}

TEST(CommandExecutor, NonPositiveLimitsStillRunEveryCommandOnce) {
  // A misconfigured executor must not acknowledge commands it never ran
  // (max_attempts 0) nor spin on empty batches (max_batch 0).
  FakeStore store;
  RunCounter runs;
  CommandExecutor exec(store, Options(100, 0, 0));
  EXPECT_TRUE(exec.Execute(Write("a", &runs)).ok());
  EXPECT_EQ(runs.Runs("a"), 1);
  EXPECT_EQ(store.CommittedWrites(), (std::vector<std::string>{"a"}));
}

TEST(CommandExecutor, RerunsTheBatchWhenASavepointCannotBeRolledBack) {
  FakeStore store;
  FakeStore::Failures f;
  f.rollback_to = 1;
  f.rollback_to_code = ErrorCode::kConflict;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store);
  const Status s = exec.Execute(Write("bad", &runs, FailedPrecondition("refused")));
  // The transaction died undoing the command; the rerun undoes it properly
  // and the caller gets the command's own answer.
  EXPECT_EQ(s.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(runs.Runs("bad"), 2);
  EXPECT_EQ(store.Count("abort"), 1);
  EXPECT_TRUE(store.CommittedWrites().empty());
  EXPECT_EQ(exec.stats().retried_batches, 1);
}

TEST(CommandExecutor, SavepointFailureFailsTheBatch) {
  FakeStore store;
  FakeStore::Failures f;
  f.savepoint = 1;
  f.savepoint_code = ErrorCode::kInternal;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store);
  EXPECT_EQ(exec.Execute(Write("a", &runs)).code(), ErrorCode::kInternal);
  EXPECT_EQ(runs.Runs("a"), 0);
  EXPECT_TRUE(store.CommittedWrites().empty());
}

// ---------------------------------------------------------------- batches ---

TEST(CommandExecutor, QueueFullIsRefusedAtOnceWithoutRunning) {
  FakeStore store;
  RunCounter runs;
  CommandExecutor exec(store, Options(/*max_queue=*/3));
  HeldWriter held(exec);
  const int refused =
      held.SubmitAndWaitForRefusal(3, [&](int i) { return Write("c" + std::to_string(i), &runs); });
  ASSERT_GE(refused, 0);
  const Status s = held.status(refused);
  EXPECT_EQ(s.code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(s.message().find("too many commands waiting (3)"), std::string::npos) << s.message();
  held.ReleaseAndJoin();
  EXPECT_TRUE(held.holder_status().ok());
  for (int i = 0; i <= 3; ++i) {
    const std::string name = "c" + std::to_string(i);
    if (i == refused) {
      EXPECT_EQ(runs.Runs(name), 0) << "a refused command never runs";
    } else {
      EXPECT_TRUE(held.status(i).ok()) << name;
      EXPECT_EQ(runs.Runs(name), 1) << name;
    }
  }
  // Refused commands are not counted.
  EXPECT_EQ(exec.stats().commands, 4);  // the holder and three queued
}

TEST(CommandExecutor, QueuedCommandsShareOneTransaction) {
  FakeStore store;
  CommandExecutor exec(store, Options(/*max_queue=*/10));
  HeldWriter held(exec);
  const int refused =
      held.SubmitAndWaitForRefusal(10, [](int i) { return Write("c" + std::to_string(i)); });
  ASSERT_GE(refused, 0);
  held.ReleaseAndJoin();
  const auto txns = store.Transactions();
  ASSERT_EQ(txns.size(), 2u);
  EXPECT_EQ(txns[0], (std::vector<std::string>{"holder"}));
  EXPECT_EQ(txns[1].size(), 10u);
  for (int i = 0; i <= 10; ++i) {
    if (i == refused) continue;
    EXPECT_TRUE(held.status(i).ok()) << i;
  }
  EXPECT_EQ(store.Count("begin"), 2);
  EXPECT_EQ(store.Count("savepoint"), 11);
  EXPECT_EQ(store.Count("release"), 11);
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, 11);
  EXPECT_EQ(st.transactions, 2);
}

TEST(CommandExecutor, BatchesAreCutAtMaxBatch) {
  FakeStore store;
  CommandExecutor exec(store, Options(/*max_queue=*/10, /*max_batch=*/4));
  HeldWriter held(exec);
  ASSERT_GE(held.SubmitAndWaitForRefusal(10, [](int i) { return Write("c" + std::to_string(i)); }),
            0);
  held.ReleaseAndJoin();
  std::vector<size_t> sizes;
  for (const auto& t : store.Transactions()) sizes.push_back(t.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 4, 4, 2}));
  EXPECT_EQ(exec.stats().transactions, 4);
}

TEST(CommandExecutor, AFailingCommandIsRolledBackAloneAndTheOthersCommit) {
  FakeStore store;
  CommandExecutor exec(store, Options(/*max_queue=*/5));
  // The third command to run in a transaction fails after writing.
  std::mutex mu;
  int position = 0;
  std::map<std::string, int> ran_at;
  HeldWriter held(exec);
  const int refused = held.SubmitAndWaitForRefusal(5, [&](int i) -> CommandExecutor::Command {
    const std::string name = "c" + std::to_string(i);
    return [&, name](StoreTxn& txn) -> Status {
      int pos;
      {
        std::lock_guard<std::mutex> lock(mu);
        pos = ++position;
        ran_at[name] = pos;
      }
      CommandEffects fx;
      fx.audit.action = name;
      JZ_RETURN_IF_ERROR(txn.Apply(fx));
      return pos == 3 ? FailedPrecondition(name + " refused") : Status::Ok();
    };
  });
  ASSERT_GE(refused, 0);
  held.ReleaseAndJoin();

  const auto txns = store.Transactions();
  ASSERT_EQ(txns.size(), 2u);
  std::set<std::string> committed(txns[1].begin(), txns[1].end());
  EXPECT_EQ(committed.size(), 4u);
  int failed = 0;
  for (int i = 0; i <= 5; ++i) {
    if (i == refused) continue;
    const std::string name = "c" + std::to_string(i);
    ASSERT_EQ(ran_at.count(name), 1u) << name;
    if (ran_at[name] == 3) {
      ++failed;
      EXPECT_EQ(held.status(i).code(), ErrorCode::kFailedPrecondition) << name;
      EXPECT_EQ(held.status(i).message(), name + " refused");
      EXPECT_EQ(committed.count(name), 0u) << name << " must be rolled back";
    } else {
      EXPECT_TRUE(held.status(i).ok()) << name << ": " << held.status(i).ToString();
      EXPECT_EQ(committed.count(name), 1u) << name << " must commit";
    }
  }
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(store.Count("rollback_to"), 1);
  EXPECT_EQ(store.Count("release"), 5);  // holder + four good commands
  EXPECT_EQ(store.Count("begin"), 2);
}

TEST(CommandExecutor, ADeadBatchIsRerunWholeAndCommittedOnce) {
  FakeStore store;
  FakeStore::Failures f;
  f.commit_pass = 1;  // the holder's transaction commits...
  f.commit = 1;       // ...the batch behind it dies at its first commit
  f.commit_code = ErrorCode::kConflict;
  store.SetFailures(f);
  RunCounter runs;
  CommandExecutor exec(store, Options(/*max_queue=*/6));
  HeldWriter held(exec);
  const int refused =
      held.SubmitAndWaitForRefusal(6, [&](int i) { return Write("c" + std::to_string(i), &runs); });
  ASSERT_GE(refused, 0);
  held.ReleaseAndJoin();
  EXPECT_TRUE(held.holder_status().ok());
  for (int i = 0; i <= 6; ++i) {
    if (i == refused) continue;
    const std::string name = "c" + std::to_string(i);
    EXPECT_TRUE(held.status(i).ok()) << name << ": " << held.status(i).ToString();
    EXPECT_EQ(runs.Runs(name), 2) << name << " runs again with its whole batch";
  }
  const auto txns = store.Transactions();
  ASSERT_EQ(txns.size(), 2u);
  EXPECT_EQ(txns[1].size(), 6u) << "each command committed once";
  EXPECT_EQ(store.Count("commit failed"), 1);
  EXPECT_EQ(store.Count("abort"), 1);
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, 7);
  EXPECT_EQ(st.transactions, 2);
  EXPECT_EQ(st.retried_batches, 1);
}

TEST(CommandExecutor, ManyThreadsAreBatchedAndEveryCommandCommitsOnce) {
  FakeStore store;
  CommandExecutor exec(store);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!exec.Execute(Write(std::to_string(t) + "/" + std::to_string(i))).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const auto writes = store.CommittedWrites();
  EXPECT_EQ(writes.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(std::set<std::string>(writes.begin(), writes.end()).size(), writes.size());
  const ExecutorStats st = exec.stats();
  EXPECT_EQ(st.commands, kThreads * kPerThread);
  EXPECT_EQ(st.transactions, static_cast<std::int64_t>(store.Transactions().size()));
  EXPECT_LT(st.transactions, st.commands) << "concurrent commands should share transactions";
  // Each thread's own commands commit in the order it issued them.
  std::map<std::string, int> last;
  for (const auto& w : writes) {
    const auto slash = w.find('/');
    const int i = std::stoi(w.substr(slash + 1));
    auto [it, inserted] = last.emplace(w.substr(0, slash), i);
    if (!inserted) {
      EXPECT_LT(it->second, i) << w;
      it->second = i;
    }
  }
}

TEST(CommandExecutor, SeveralWritersCommitEverything) {
  FakeStore store;
  ExecutorOptions o;
  o.writers = 3;
  CommandExecutor exec(store, o);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!exec.Execute(Write(std::to_string(t) + "/" + std::to_string(i))).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store.CommittedWrites().size(), 600u);
  EXPECT_EQ(exec.stats().commands, 600);
}

// ----------------------------------------------------------------- shutdown --

TEST(CommandExecutor, DestructorRunsEveryQueuedCommandBeforeReturning) {
  FakeStore store;
  RunCounter runs;
  auto exec = std::make_unique<CommandExecutor>(store, Options(/*max_queue=*/4));
  CommandExecutor* raw = exec.get();
  std::thread destroyer;
  Status after_stop;
  {
    // The holder, on the writer thread, waits until the destructor has
    // begun: while the queue is full, Execute answers at once, with
    // kResourceExhausted before the executor stops and kUnavailable after.
    HeldWriter held(*exec, [&] {
      Status s;
      do {
        s = raw->Execute(Write("late"));
        std::this_thread::yield();
      } while (s.code() == ErrorCode::kResourceExhausted);
      after_stop = s;
    });
    const int refused = held.SubmitAndWaitForRefusal(
        4, [&](int i) { return Write("c" + std::to_string(i), &runs); });
    ASSERT_GE(refused, 0);
    destroyer = std::thread([&] { exec.reset(); });
    held.ReleaseAndJoin();
    destroyer.join();
    EXPECT_TRUE(exec == nullptr);
    EXPECT_EQ(after_stop.code(), ErrorCode::kUnavailable) << after_stop.ToString();
    for (int i = 0; i <= 4; ++i) {
      if (i == refused) continue;
      EXPECT_TRUE(held.status(i).ok()) << i << ": " << held.status(i).ToString();
      EXPECT_EQ(runs.Runs("c" + std::to_string(i)), 1) << i;
    }
  }
  const auto txns = store.Transactions();
  ASSERT_EQ(txns.size(), 2u);
  EXPECT_EQ(txns[1].size(), 4u);
  for (const auto& w : store.CommittedWrites()) EXPECT_NE(w, "late");
}

}  // namespace
}  // namespace jiuzhu
