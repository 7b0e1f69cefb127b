// command_throughput: durable engine commands per second, next to the raw
// single-row commit rate of the same database measured in the same run.
//
// An engine command here is a real use case run through the group-commit
// executor (CommandExecutor::Run): ClaimTask or ReleaseTask of a case's open
// intake task. Each one locks the task and the case, bumps the case version,
// rewrites the task and appends one hash-chained audit event, and the client
// is answered only after the transaction holding it has committed with the
// database's full durability (SQLite WAL synchronous=FULL; InnoDB with
// innodb_flush_log_at_trx_commit=1). Every client works on its own slice of
// cases and waits for each command before issuing the next, like a person at
// a screen; concurrent clients' commands share commits through the executor.
//
// The raw baseline is one INSERT of one small row per transaction, one
// client, on the same database file / server and the same durability.
//
// Afterwards the audit chain of every touched case is verified and its length
// and version are checked against the commands acknowledged for it: a command
// acknowledged but lost, or written twice, fails the run (exit status 1).
//
// Usage:
//   command_throughput [--db URL] [--clients 1,8] [--seconds N | --commands N]
//                      [--cases N] [--warmup S] [--raw-seconds S] [--writers N]
//                      [--synchronous full|normal] [--secret S] [--keep]
//                      [--max-batch N] [--profile]
//   URL: sqlite:PATH (default: a fresh file in a temporary folder, removed at
//   the end unless --keep) or mysql://user:pass@host:port/db.
//   --profile runs the clients on an executor of the bench's own (the engine's
//   CommandExecutor, same options) over a store decorator that times every
//   store call, and prints where a transaction's time goes. --max-batch N
//   also uses an executor of the bench's own, with that max_batch.
#include <mysql_driver.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/runtime/demo_data.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/audit/audit_chain.hpp"
#include "engine/store/mysql/mysql_url.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "command_throughput: %s\n", what.c_str());
  std::exit(2);
}

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

struct Options {
  std::string db;  // empty: fresh temporary SQLite file
  std::vector<int> clients = {1, 8};
  double seconds = 10;
  long commands = 0;  // > 0: fixed number of commands per run instead of seconds
  int cases = 0;      // 0: 64 per client of the largest run, at least 256
  double warmup = 1;
  double raw_seconds = -1;  // < 0: same as seconds (or 5 with --commands)
  int writers = 0;          // executor writer threads; 0: the runtime's default
  std::string synchronous = "full";
  std::string secret;
  bool keep = false;
  bool profile = false;  // time the store calls of each transaction (own executor)
  int max_batch = 0;     // > 0: own executor with this max_batch
};

void Usage() {
  std::fprintf(stderr,
               "usage: command_throughput [--db sqlite:PATH|mysql://user:pass@host:port/db]\n"
               "         [--clients 1,8] [--seconds N | --commands N] [--cases N]\n"
               "         [--warmup S] [--raw-seconds S] [--writers N]\n"
               "         [--synchronous full|normal] [--secret S] [--keep]\n"
               "         [--max-batch N] [--profile]\n");
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    try {
      if (a == "--db") {
        o.db = value();
      } else if (a == "--clients") {
        o.clients.clear();
        std::stringstream ss(value());
        std::string part;
        while (std::getline(ss, part, ',')) {
          const int n = std::stoi(part);
          if (n < 1) Usage();
          o.clients.push_back(n);
        }
        if (o.clients.empty()) Usage();
      } else if (a == "--seconds") {
        o.seconds = std::stod(value());
      } else if (a == "--commands") {
        o.commands = std::stol(value());
      } else if (a == "--cases") {
        o.cases = std::stoi(value());
      } else if (a == "--warmup") {
        o.warmup = std::stod(value());
      } else if (a == "--raw-seconds") {
        o.raw_seconds = std::stod(value());
      } else if (a == "--writers") {
        o.writers = std::stoi(value());
      } else if (a == "--synchronous") {
        o.synchronous = value();
      } else if (a == "--secret") {
        o.secret = value();
      } else if (a == "--keep") {
        o.keep = true;
      } else if (a == "--profile") {
        o.profile = true;
      } else if (a == "--max-batch") {
        o.max_batch = std::stoi(value());
      } else {
        Usage();
      }
    } catch (const std::exception&) {
      Usage();
    }
  }
  if (o.raw_seconds < 0) o.raw_seconds = o.commands > 0 ? 5 : o.seconds;
  const int max_clients = *std::max_element(o.clients.begin(), o.clients.end());
  if (o.cases <= 0) o.cases = std::max(256, 64 * max_clients);
  if (o.cases < max_clients) Die("--cases must be at least the number of clients");
  return o;
}

// ---------------------------------------------------------------------------
// The cases the clients work on.

struct BenchCase {
  CaseId id = 0;
  TaskId task = 0;
  UserRecord actor;       // holds the task's role at the task's unit
  bool claimed = false;   // state of the task after the last acknowledged command
  std::int64_t start_version = 0;
  std::int64_t start_seq = 0;
  std::int64_t acked = 0;  // commands acknowledged on this case, warm-up included
};

// Creates `n` cases through DiscoverCase, 50 per transaction (not timed). Each
// household gets a fresh random ID number, so an existing database is fine.
std::vector<BenchCase> CreateCases(Runtime& rt, int n) {
  auto users_or = rt.store().ListUsers();
  Check(users_or.status(), "list users");
  std::map<std::pair<std::string, std::string>, UserRecord> by_role_unit;
  for (const auto& u : *users_or) {
    for (const auto& rb : u.roles) by_role_unit.emplace(std::make_pair(rb.role, rb.org_unit_id), u);
  }
  const Programme* programme = nullptr;
  {
    auto p = rt.programmes().Find("dibao");
    Check(p.status(), "programme dibao");
    programme = *p;
  }
  const StageDef* intake = programme->Stage(CaseState::kDiscover);
  struct Village {
    const OrgUnitRecord* unit;
    const UserRecord* officer;
    const UserRecord* reviewer;  // holds the intake task's role at its unit
    std::string region6;
  };
  std::vector<Village> villages;
  for (const auto& u : rt.org().units()) {
    if (u.tier != Tier::kVillage) continue;
    auto officer = by_role_unit.find({"village_officer", u.id});
    const OrgUnitRecord* task_unit = rt.org().AncestorAtTier(u.id, intake->tier);
    const OrgUnitRecord* district = rt.org().AncestorAtTier(u.id, Tier::kDistrict);
    if (officer == by_role_unit.end() || task_unit == nullptr || district == nullptr) continue;
    auto reviewer = by_role_unit.find({intake->role, task_unit->id});
    if (reviewer == by_role_unit.end()) continue;
    villages.push_back({&u, &officer->second, &reviewer->second, district->id.substr(0, 6)});
  }
  if (villages.empty()) Die("the demo org has no staffed village");

  std::mt19937_64 rng(std::random_device{}());
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<BenchCase> cases;
  cases.reserve(static_cast<size_t>(n));
  const int kChunk = 50;
  for (int start = 0; start < n; start += kChunk) {
    const int count = std::min(kChunk, n - start);
    std::vector<BenchCase> made;
    Status s = rt.executor().Execute([&](StoreTxn& txn) -> Status {
      made.clear();  // the executor may run a command again
      for (int i = 0; i < count; ++i) {
        const Village& v = villages[static_cast<size_t>(start + i) % villages.size()];
        for (int attempt = 0;; ++attempt) {
          if (attempt == 20) return Internal("could not find an unused ID number");
          DiscoverRequest d;
          d.actor = *v.officer;
          d.programme = programme->code;
          d.id_number = MakeIdNumber(v.region6, uniform(1935, 2004), uniform(1, 12),
                                     uniform(1, 28), uniform(0, 999));
          d.applicant_name = "压测户" + std::to_string(start + i);
          d.village_id = v.unit->id;
          d.source = "bench";
          JZ_ASSIGN_OR_RETURN(CommandOutcome out, DiscoverCase(rt.ctx(), txn, d));
          if (out.existing) continue;  // that person already has an open case
          if (out.opened_tasks.size() != 1) return Internal("discover opened no intake task");
          BenchCase bc;
          bc.id = out.case_after.id;
          bc.task = out.opened_tasks[0].id;
          bc.actor = *v.reviewer;
          bc.start_version = out.case_after.version;
          bc.start_seq = out.case_after.audit_head_seq;
          made.push_back(std::move(bc));
          break;
        }
      }
      return Status::Ok();
    });
    Check(s, "create cases");
    for (auto& bc : made) cases.push_back(std::move(bc));
  }
  return cases;
}

// ---------------------------------------------------------------------------
// --profile: a store decorator that times every call of the write path. It
// forwards every method of the store port (engine/store/case_store.hpp): when
// the port grows, this class has to follow (the compiler says where).

enum Phase { kBegin, kSavepoint, kLockTask, kLockCase, kApply, kRelease, kCommit, kRollback,
             kOtherTxn, kPhases };
const char* const kPhaseNames[kPhases] = {"BEGIN",   "SAVEPOINT", "LockTask", "LockCase", "Apply",
                                          "RELEASE", "COMMIT",    "ROLLBACK TO", "other reads"};

struct PhaseTimes {
  std::atomic<std::int64_t> ns[kPhases] = {};
  std::atomic<std::int64_t> calls[kPhases] = {};
  void Add(Phase p, SteadyClock::time_point t0) {
    ns[p] += std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
    ++calls[p];
  }
  void Reset() {
    for (int i = 0; i < kPhases; ++i) ns[i] = 0, calls[i] = 0;
  }
};

class TimingTxn final : public StoreTxn {
 public:
  TimingTxn(std::unique_ptr<StoreTxn> inner, PhaseTimes& t) : in_(std::move(inner)), t_(t) {}
  template <typename F>
  auto Timed(Phase p, F&& f) {
    const auto t0 = SteadyClock::now();
    auto r = f();
    t_.Add(p, t0);
    return r;
  }
  Result<std::optional<CaseRecord>> LockCase(CaseId id) override {
    return Timed(kLockCase, [&] { return in_->LockCase(id); });
  }
  Result<std::optional<CaseRecord>> FindOpenCaseByIdHash(const std::string& h) override {
    return Timed(kOtherTxn, [&] { return in_->FindOpenCaseByIdHash(h); });
  }
  Result<std::vector<TaskRecord>> ListActiveTasks(CaseId id) override {
    return Timed(kOtherTxn, [&] { return in_->ListActiveTasks(id); });
  }
  Result<std::optional<TaskRecord>> LockTask(TaskId id) override {
    return Timed(kLockTask, [&] { return in_->LockTask(id); });
  }
  Result<std::optional<RevisitRecord>> FindRevisit(const std::string& id_hash,
                                                   const std::string& quarter) override {
    return Timed(kOtherTxn, [&] { return in_->FindRevisit(id_hash, quarter); });
  }
  Result<std::vector<ReferralRecord>> ListReferrals(CaseId id) override {
    return Timed(kOtherTxn, [&] { return in_->ListReferrals(id); });
  }
  Status Apply(const CommandEffects& fx) override {
    return Timed(kApply, [&] { return in_->Apply(fx); });
  }
  Status Savepoint() override { return Timed(kSavepoint, [&] { return in_->Savepoint(); }); }
  Status RollbackToSavepoint() override {
    return Timed(kRollback, [&] { return in_->RollbackToSavepoint(); });
  }
  Status ReleaseSavepoint() override {
    return Timed(kRelease, [&] { return in_->ReleaseSavepoint(); });
  }
  Status Commit() override { return Timed(kCommit, [&] { return in_->Commit(); }); }
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& username,
                                                           const std::string& key) override {
    return Timed(kOtherTxn, [&] { return in_->FindIdempotency(username, key); });
  }
  Result<std::vector<TaskRecord>> ClaimDueTasks(Micros now, int limit) override {
    return in_->ClaimDueTasks(now, limit);
  }
  Result<std::vector<TaskRecord>> ListActiveTasksDueAfter(Micros after, TaskId id, int limit) override {
    return in_->ListActiveTasksDueAfter(after, id, limit);
  }
  Status SaveIdempotency(const IdempotencyRecord& record) override {
    return Timed(kOtherTxn, [&] { return in_->SaveIdempotency(record); });
  }
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& path, Micros from,
                                                                Micros to) override {
    return in_->ListFastTrackApprovals(path, from, to);
  }
  Status InsertAuditSample(const AuditSampleRecord& s) override { return in_->InsertAuditSample(s); }
  Result<std::optional<AuditSampleRecord>> LockAuditSample(std::int64_t id) override {
    return in_->LockAuditSample(id);
  }
  Status SaveAuditDraw(const AuditSampleRecord& s, const std::vector<PopulationEntry>& p,
                       const std::vector<AuditItemRecord>& i) override {
    return in_->SaveAuditDraw(s, p, i);
  }
  Result<std::optional<AuditItemRecord>> LockAuditItem(std::int64_t id) override {
    return in_->LockAuditItem(id);
  }
  Status UpdateAuditItem(const AuditItemRecord& i, const std::string& expected) override {
    return in_->UpdateAuditItem(i, expected);
  }
  Status InsertCreditRecord(const CreditRecord& r) override { return in_->InsertCreditRecord(r); }
  Result<std::vector<CreditRecord>> ListCreditRecords(const std::string& h) override {
    return in_->ListCreditRecords(h);
  }
  Status InsertAlert(const AlertRecord& a) override { return in_->InsertAlert(a); }
  Result<std::optional<AlertRecord>> FindAlert(const std::string& source, const std::string& id) override {
    return in_->FindAlert(source, id);
  }

 private:
  std::unique_ptr<StoreTxn> in_;
  PhaseTimes& t_;
};

class TimingStore final : public CaseStore {
 public:
  TimingStore(CaseStore& inner, PhaseTimes& t) : in_(inner), t_(t) {}
  Result<std::unique_ptr<StoreTxn>> BeginWrite() override {
    const auto t0 = SteadyClock::now();
    auto txn = in_.BeginWrite();
    t_.Add(kBegin, t0);
    if (!txn.ok()) return txn.status();
    return std::unique_ptr<StoreTxn>(new TimingTxn(std::move(txn).value(), t_));
  }
  Status Migrate(const std::string& d) override { return in_.Migrate(d); }
  Result<std::vector<int>> AppliedMigrations() override { return in_.AppliedMigrations(); }
  Status Ping() override { return in_.Ping(); }
  Status ReplaceOrgUnits(const std::vector<OrgUnitRecord>& u) override {
    return in_.ReplaceOrgUnits(u);
  }
  Result<std::vector<OrgUnitRecord>> ListOrgUnits() override { return in_.ListOrgUnits(); }
  Status UpsertUsers(const std::vector<UserRecord>& u) override { return in_.UpsertUsers(u); }
  Result<std::optional<UserRecord>> FindUser(const std::string& n) override {
    return in_.FindUser(n);
  }
  Result<std::vector<UserRecord>> ListUsers() override { return in_.ListUsers(); }
  Result<std::optional<CaseRecord>> GetCase(CaseId id) override { return in_.GetCase(id); }
  Result<std::vector<CaseRecord>> GetCases(const std::vector<CaseId>& ids) override {
    return in_.GetCases(ids);
  }
  Result<std::vector<CaseRecord>> ListCases(const CaseQuery& q) override {
    return in_.ListCases(q);
  }
  Result<std::vector<TaskRecord>> ListTasksForCase(CaseId id) override {
    return in_.ListTasksForCase(id);
  }
  Result<std::vector<ReferralRecord>> ListDepartmentReferrals(
      const DepartmentReferralQuery& q) override {
    return in_.ListDepartmentReferrals(q);
  }
  Result<std::vector<PoolCount>> CountPools(const std::string& org_path) override {
    return in_.CountPools(org_path);
  }
  Result<std::vector<ReferralRecord>> ListReferralsForCase(CaseId id) override {
    return in_.ListReferralsForCase(id);
  }
  Result<std::vector<AuditEventRecord>> ListAuditEvents(CaseId id) override {
    return in_.ListAuditEvents(id);
  }
  Result<TaskPage> ListInbox(const InboxQuery& q) override { return in_.ListInbox(q); }
  Status ForEachCaseHead(
      const std::function<bool(CaseId, std::int64_t, const std::string&)>& fn) override {
    return in_.ForEachCaseHead(fn);
  }
  Result<std::int64_t> CountCases() override { return in_.CountCases(); }
  Result<TaskCounts> CountActiveTasks(Micros now) override { return in_.CountActiveTasks(now); }
  Result<std::optional<Micros>> NextEscalationAt() override { return in_.NextEscalationAt(); }
  Result<std::vector<BoardCount>> ListBoardCounts() override { return in_.ListBoardCounts(); }
  Result<std::vector<BoardCount>> CountActiveDueOnDays(std::int64_t a, std::int64_t b) override {
    return in_.CountActiveDueOnDays(a, b);
  }
  Result<std::vector<OverdueItem>> ListOverdue(const OverdueQuery& q) override { return in_.ListOverdue(q); }
  Result<std::vector<DecisionRecord>> ListDecisions(const std::string& p, Micros a, Micros b) override {
    return in_.ListDecisions(p, a, b);
  }
  Status SaveOverdueHistory(const std::vector<OverdueHistoryRow>& r) override { return in_.SaveOverdueHistory(r); }
  Result<std::vector<OverdueHistoryRow>> ListOverdueHistory(const std::string& a, const std::string& b) override {
    return in_.ListOverdueHistory(a, b);
  }
  Result<std::vector<OverdueHistoryRow>> CountOverdueAt(
      const std::vector<std::pair<std::string, Micros>>& d) override {
    return in_.CountOverdueAt(d);
  }
  Result<std::vector<NotificationRecord>> ListNotifications(const std::string& u, bool unread, std::int64_t before,
                                                            int limit) override {
    return in_.ListNotifications(u, unread, before, limit);
  }
  Result<std::int64_t> CountUnreadNotifications(const std::string& u) override {
    return in_.CountUnreadNotifications(u);
  }
  Result<std::int64_t> MarkNotificationsRead(const std::string& u, std::int64_t id, Micros at) override {
    return in_.MarkNotificationsRead(u, id, at);
  }
  Result<std::optional<std::string>> GetSetting(const std::string& n) override { return in_.GetSetting(n); }
  Status PutSetting(const std::string& n, const std::string& v) override { return in_.PutSetting(n, v); }
  Result<std::int64_t> PurgeIdempotency(Micros before) override {
    return in_.PurgeIdempotency(before);
  }
  Result<std::vector<FastTrackApproval>> ListFastTrackApprovals(const std::string& path, Micros from,
                                                                Micros to) override {
    return in_.ListFastTrackApprovals(path, from, to);
  }
  Result<std::optional<AuditSampleRecord>> GetAuditSample(std::int64_t id) override {
    return in_.GetAuditSample(id);
  }
  Result<std::vector<AuditSampleRecord>> ListAuditSamples(std::int64_t before, int limit) override {
    return in_.ListAuditSamples(before, limit);
  }
  Result<std::vector<PopulationEntry>> ListAuditPopulation(std::int64_t id) override {
    return in_.ListAuditPopulation(id);
  }
  Result<std::vector<AuditItemRecord>> ListAuditItems(const AuditItemQuery& q) override {
    return in_.ListAuditItems(q);
  }
  Result<std::vector<CreditRecord>> ListCreditRecords(const CreditQuery& q) override {
    return in_.ListCreditRecords(q);
  }
  Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& q) override { return in_.ListAlerts(q); }

 private:
  CaseStore& in_;
  PhaseTimes& t_;
};

// ---------------------------------------------------------------------------
// The measured workload.

struct RunResult {
  int clients = 0;
  long commands = 0;  // acknowledged
  long errors = 0;
  std::string first_error;
  double seconds = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  std::int64_t transactions = 0;  // executor transactions during the run
  std::int64_t reruns = 0;        // batches run again after a transient failure
  double raw_per_s = 0;
};

struct Profile {
  PhaseTimes phases;
  std::atomic<std::int64_t> command_ns{0};  // whole use-case functions, store calls included
  void Reset() {
    phases.Reset();
    command_ns = 0;
  }
};
Profile* g_profile = nullptr;  // set by --profile

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

// Runs `clients` client threads over disjoint slices of `cases` for `seconds`
// (or `commands` in total when > 0). Each client issues one command at a
// time and waits for its commit.
RunResult RunClients(Runtime& rt, CommandExecutor& executor, std::vector<BenchCase>& cases,
                     int clients, double seconds, long commands) {
  struct Client {
    std::vector<double> lat_ms;
    long done = 0, errors = 0;
    std::string first_error;
  };
  std::vector<Client> per(static_cast<size_t>(clients));
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  const EngineContext& ctx = rt.ctx();
  const ExecutorStats before = executor.stats();
  const long per_client = commands > 0 ? std::max(1L, commands / clients) : 0;

  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      Client& me = per[static_cast<size_t>(c)];
      const size_t lo = cases.size() * static_cast<size_t>(c) / static_cast<size_t>(clients);
      const size_t hi = cases.size() * static_cast<size_t>(c + 1) / static_cast<size_t>(clients);
      me.lat_ms.reserve(per_client > 0 ? static_cast<size_t>(per_client) : 1 << 16);
      ++ready;
      while (!go.load()) std::this_thread::yield();
      size_t k = lo;
      while (!stop.load(std::memory_order_relaxed) && (per_client == 0 || me.done < per_client)) {
        BenchCase& bc = cases[k];
        k = k + 1 == hi ? lo : k + 1;
        const TaskCommand cmd{bc.actor, bc.task};
        const bool claim = !bc.claimed;
        const auto t0 = SteadyClock::now();
        Result<CommandOutcome> r =
            executor.Run<CommandOutcome>([&](StoreTxn& txn) -> Result<CommandOutcome> {
              if (g_profile == nullptr) {
                return claim ? ClaimTask(ctx, txn, cmd) : ReleaseTask(ctx, txn, cmd);
              }
              const auto c0 = SteadyClock::now();
              auto out = claim ? ClaimTask(ctx, txn, cmd) : ReleaseTask(ctx, txn, cmd);
              g_profile->command_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           SteadyClock::now() - c0)
                                           .count();
              return out;
            });
        const double ms =
            std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
        if (!r.ok()) {
          if (me.errors++ == 0) me.first_error = r.status().ToString();
          if (me.errors > 100) break;  // something is wrong; stop hammering
          continue;
        }
        bc.claimed = claim;
        ++bc.acked;
        ++me.done;
        me.lat_ms.push_back(ms);
      }
    });
  }
  while (ready.load() < clients) std::this_thread::yield();
  const auto t0 = SteadyClock::now();
  go = true;
  if (per_client == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
  }
  for (auto& t : threads) t.join();
  RunResult r;
  r.seconds = SecondsSince(t0);
  r.clients = clients;
  std::vector<double> all;
  for (auto& c : per) {
    r.commands += c.done;
    r.errors += c.errors;
    if (r.first_error.empty()) r.first_error = c.first_error;
    all.insert(all.end(), c.lat_ms.begin(), c.lat_ms.end());
  }
  const ExecutorStats after = executor.stats();
  r.transactions = after.transactions - before.transactions;
  r.reruns = after.retried_batches - before.retried_batches;
  r.p50_ms = Percentile(all, 0.50);
  r.p99_ms = Percentile(all, 0.99);
  r.max_ms = all.empty() ? 0 : *std::max_element(all.begin(), all.end());
  return r;
}

// ---------------------------------------------------------------------------
// Raw baselines: one small row per transaction, one client.

const char kPayload[] =
    "{\"actor\":\"bench\",\"action\":\"raw_commit\",\"note\":\"one row per transaction\"}";

struct SqliteRaw {
  sqlite3* db = nullptr;
  std::string journal_mode;
  int synchronous = -1;  // PRAGMA synchronous: 2 = FULL
};

void SqliteExec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "?";
    sqlite3_free(err);
    Die("sqlite raw: " + sql + ": " + msg);
  }
}

std::string SqliteScalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) Die("prepare " + sql);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) {
    const auto* p = sqlite3_column_text(st, 0);
    out = p ? reinterpret_cast<const char*>(p) : "";
  }
  sqlite3_finalize(st);
  return out;
}

SqliteRaw OpenSqliteRaw(const std::string& path, const std::string& synchronous) {
  SqliteRaw r;
  if (sqlite3_open_v2(path.c_str(), &r.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Die("sqlite raw: cannot open " + path);
  }
  sqlite3_busy_timeout(r.db, 10000);
  SqliteExec(r.db, "PRAGMA journal_mode=WAL");
  SqliteExec(r.db, "PRAGMA synchronous=" + synchronous);
  SqliteExec(r.db,
             "CREATE TABLE IF NOT EXISTS bench_raw_commits (id INTEGER PRIMARY KEY, "
             "at INTEGER NOT NULL, payload TEXT NOT NULL)");
  r.journal_mode = SqliteScalar(r.db, "PRAGMA journal_mode");
  r.synchronous = std::atoi(SqliteScalar(r.db, "PRAGMA synchronous").c_str());
  return r;
}

double RunSqliteRaw(const SqliteRaw& raw, double seconds) {
  sqlite3_stmt *begin = nullptr, *insert = nullptr, *commit = nullptr;
  sqlite3_prepare_v2(raw.db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
  sqlite3_prepare_v2(raw.db, "INSERT INTO bench_raw_commits (at, payload) VALUES (?, ?)", -1,
                     &insert, nullptr);
  sqlite3_prepare_v2(raw.db, "COMMIT", -1, &commit, nullptr);
  if (!begin || !insert || !commit) Die("sqlite raw: prepare failed");
  long n = 0;
  const auto t0 = SteadyClock::now();
  double elapsed = 0;
  while ((elapsed = SecondsSince(t0)) < seconds) {
    if (sqlite3_step(begin) != SQLITE_DONE) Die("sqlite raw: begin failed");
    sqlite3_reset(begin);
    sqlite3_bind_int64(insert, 1, n);
    sqlite3_bind_text(insert, 2, kPayload, -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) Die("sqlite raw: insert failed");
    sqlite3_reset(insert);
    if (sqlite3_step(commit) != SQLITE_DONE) Die("sqlite raw: commit failed");
    sqlite3_reset(commit);
    ++n;
  }
  sqlite3_finalize(begin);
  sqlite3_finalize(insert);
  sqlite3_finalize(commit);
  return static_cast<double>(n) / elapsed;
}

struct MysqlRawInfo {
  std::string version, flush_at_commit, sync_binlog, log_bin;
};

// Runs `fn(connection)` on a thread of its own (Connector/C++ wants threadInit
// and threadEnd on the thread that uses it).
template <typename F>
void WithMysql(const std::string& url, F&& fn) {
  auto parsed = ParseMysqlUrl(url);
  Check(parsed.status(), "mysql url");
  std::string error;
  std::thread t([&] {
    sql::Driver* driver = get_driver_instance();
    driver->threadInit();
    try {
      sql::ConnectOptionsMap o;
      o["hostName"] = sql::SQLString("tcp://" + parsed->host + ":" + std::to_string(parsed->port));
      o["userName"] = sql::SQLString(parsed->user);
      o["password"] = sql::SQLString(parsed->password);
      o["schema"] = sql::SQLString(parsed->database);
      o["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
      std::unique_ptr<sql::Connection> conn(driver->connect(o));
      fn(*conn);
    } catch (const sql::SQLException& e) {
      error = std::string("mysql raw: ") + e.what() + " (" + std::to_string(e.getErrorCode()) + ")";
    }
    driver->threadEnd();
  });
  t.join();
  if (!error.empty()) Die(error);
}

MysqlRawInfo MysqlPrepareRaw(const std::string& url) {
  MysqlRawInfo info;
  WithMysql(url, [&](sql::Connection& conn) {
    std::unique_ptr<sql::Statement> st(conn.createStatement());
    st->execute(
        "CREATE TABLE IF NOT EXISTS bench_raw_commits (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
        "at BIGINT NOT NULL, payload VARCHAR(255) NOT NULL) ENGINE=InnoDB");
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
        "SELECT @@version, @@innodb_flush_log_at_trx_commit, @@sync_binlog, @@log_bin"));
    if (rs->next()) {
      info.version = rs->getString(1);
      info.flush_at_commit = rs->getString(2);
      info.sync_binlog = rs->getString(3);
      info.log_bin = rs->getString(4) == "1" ? "ON" : "OFF";
    }
  });
  return info;
}

double RunMysqlRaw(const std::string& url, double seconds) {
  double rate = 0;
  WithMysql(url, [&](sql::Connection& conn) {
    conn.setAutoCommit(true);  // every INSERT is its own transaction
    std::unique_ptr<sql::PreparedStatement> ins(
        conn.prepareStatement("INSERT INTO bench_raw_commits (at, payload) VALUES (?, ?)"));
    long n = 0;
    const auto t0 = SteadyClock::now();
    double elapsed = 0;
    while ((elapsed = SecondsSince(t0)) < seconds) {
      ins->setInt64(1, n);
      ins->setString(2, kPayload);
      ins->executeUpdate();
      ++n;
    }
    rate = static_cast<double>(n) / elapsed;
  });
  return rate;
}

// ---------------------------------------------------------------------------
// Verification: every acknowledged command is in its case's audit chain.

struct Verification {
  int cases = 0;
  std::int64_t events = 0;
  std::vector<std::string> problems;
};

Verification VerifyCases(Runtime& rt, const std::vector<BenchCase>& cases) {
  Verification v;
  for (const auto& bc : cases) {
    auto c = rt.store().GetCase(bc.id);
    auto events = rt.store().ListAuditEvents(bc.id);
    auto tasks = rt.store().ListTasksForCase(bc.id);
    if (!c.ok() || !events.ok() || !tasks.ok() || !c->has_value()) {
      v.problems.push_back("case " + std::to_string(bc.id) + ": cannot read back");
      continue;
    }
    const CaseRecord& cr = **c;
    ++v.cases;
    v.events += static_cast<std::int64_t>(events->size());
    const std::int64_t want_seq = bc.start_seq + bc.acked;
    if (static_cast<std::int64_t>(events->size()) != want_seq || cr.audit_head_seq != want_seq) {
      v.problems.push_back("case " + std::to_string(bc.id) + ": " +
                           std::to_string(events->size()) + " audit events, head " +
                           std::to_string(cr.audit_head_seq) + ", expected " +
                           std::to_string(want_seq));
    }
    if (cr.version != bc.start_version + bc.acked) {
      v.problems.push_back("case " + std::to_string(bc.id) + ": version " +
                           std::to_string(cr.version) + ", expected " +
                           std::to_string(bc.start_version + bc.acked));
    }
    for (const auto& t : *tasks) {
      if (t.id != bc.task) continue;
      const TaskState want = bc.claimed ? TaskState::kClaimed : TaskState::kOpen;
      if (t.state != want) {
        v.problems.push_back("task " + std::to_string(t.id) + ": state " +
                             TaskStateName(t.state) + ", expected " + TaskStateName(want));
      }
    }
    for (const auto& p : VerifyCaseChain(bc.id, std::move(events).value(), cr.audit_head_seq,
                                         cr.audit_head_hash)) {
      v.problems.push_back("case " + std::to_string(bc.id) + " seq " + std::to_string(p.seq) +
                           ": " + AuditProblemKindName(p.kind) + ": " + p.detail);
    }
  }
  return v;
}

// ---------------------------------------------------------------------------

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Where a writer's time went during one run, per transaction and per command.
// Writer-busy time = the phases + the use cases' own CPU; the rest of a
// client's round trip is queueing and thread hand-offs.
void PrintProfile(const Profile& p, const RunResult& r) {
  const double txns = static_cast<double>(r.transactions);
  const double cmds = static_cast<double>(r.commands);
  double store_in_commands = 0, total = 0;
  std::printf("profile    per transaction (%.1f commands), microseconds:\n", cmds / txns);
  for (int i = 0; i < kPhases; ++i) {
    const double us = static_cast<double>(p.phases.ns[i].load()) / 1000.0;
    const auto calls = p.phases.calls[i].load();
    if (calls == 0) continue;
    total += us;
    if (i == kLockTask || i == kLockCase || i == kApply || i == kOtherTxn) store_in_commands += us;
    std::printf("             %-12s %8.1f us/txn  (%6.1f us/call, %lld calls)\n", kPhaseNames[i],
                us / txns, us / static_cast<double>(calls), static_cast<long long>(calls));
  }
  const double command_us = static_cast<double>(p.command_ns.load()) / 1000.0;
  const double engine_cpu = command_us - store_in_commands;
  total += engine_cpu;
  std::printf("             %-12s %8.1f us/txn  (%6.1f us/command: lifecycle, JSON, SHA-256, copies)\n",
              "use-case CPU", engine_cpu / txns, engine_cpu / cmds);
  std::printf("             %-12s %8.1f us/txn  -> writers busy %.0f%% of the run (sum over writers)\n",
              "sum", total / txns, 100.0 * total / 1e6 / r.seconds);
}

int Main(int argc, char** argv) {
  Options opt = ParseOptions(argc, argv);

  std::string temp_dir;
  if (opt.db.empty()) {
    char tmpl[] = "/tmp/jiuzhu-bench-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) Die("cannot create a temporary folder");
    temp_dir = tmpl;
    opt.db = "sqlite:" + temp_dir + "/bench.db";
  }
  const bool mysql = opt.db.rfind("mysql://", 0) == 0;
  const std::string sqlite_path =
      mysql ? "" : (opt.db.rfind("sqlite:", 0) == 0 ? opt.db.substr(7) : opt.db);
  if (mysql && opt.secret.empty()) {
    const char* env = std::getenv("JIUZHU_SECRET");
    opt.secret = env && *env ? env : "command-throughput-bench-secret-not-for-production";
  }

  RuntimeOptions ro;
  ro.db_url = opt.db;
  ro.secret = opt.secret;
  ro.sqlite_synchronous = opt.synchronous;
  ro.writers = opt.writers;
  auto rt_or = Runtime::Open(ro);
  Check(rt_or.status(), "open runtime");
  std::unique_ptr<Runtime> rt = std::move(rt_or).value();
  Check(rt->Migrate(), "migrate");
  DemoOptions demo;
  demo.cases = 0;  // org and people only
  Check(LoadDemo(*rt, demo).status(), "load demo org");

  std::string backend, durability;
  SqliteRaw sqlite_raw;
  MysqlRawInfo mysql_info;
  if (mysql) {
    mysql_info = MysqlPrepareRaw(opt.db);
    backend = "MariaDB " + mysql_info.version;
    durability = "innodb_flush_log_at_trx_commit=" + mysql_info.flush_at_commit +
                 ", sync_binlog=" + mysql_info.sync_binlog + ", log_bin=" + mysql_info.log_bin;
  } else {
    sqlite_raw = OpenSqliteRaw(sqlite_path, opt.synchronous);
    backend = std::string("SQLite ") + sqlite3_libversion();
    const char* sync_names[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
    durability = "journal_mode=" + sqlite_raw.journal_mode + ", synchronous=" +
                 (sqlite_raw.synchronous >= 0 && sqlite_raw.synchronous <= 3
                      ? sync_names[sqlite_raw.synchronous]
                      : "?");
  }
  auto parsed = mysql ? ParseMysqlUrl(opt.db) : Result<MysqlUrl>(MysqlUrl{});
  const std::string shown_db = mysql ? (parsed.ok() ? parsed->Redacted() : "mysql://?") : opt.db;
  const int writers = opt.writers > 0 ? opt.writers : (mysql ? 4 : 1);

  std::printf("database   %s\n", shown_db.c_str());
  std::printf("backend    %s (%s)\n", backend.c_str(), durability.c_str());
  std::printf("executor   %d writer thread(s), max_batch %d\n", writers, ExecutorOptions{}.max_batch);
  std::printf("workload   ClaimTask/ReleaseTask of each case's intake task, round robin over\n"
              "           the client's own slice; each = task lock + case version bump + task\n"
              "           update + audit event, acknowledged after COMMIT\n");
  const auto setup0 = SteadyClock::now();
  std::vector<BenchCase> cases = CreateCases(*rt, opt.cases);
  std::printf("setup      %zu cases created through DiscoverCase in %.1f s\n", cases.size(),
              SecondsSince(setup0));
  std::fflush(stdout);

  // The executor the clients use: the runtime's own, unless --profile or
  // --max-batch asks for one built here (same class, same store).
  Profile profile;
  std::unique_ptr<TimingStore> timing_store;
  std::unique_ptr<CommandExecutor> own_executor;
  CommandExecutor* executor = &rt->executor();
  if (opt.profile || opt.max_batch > 0) {
    ExecutorOptions eo;
    eo.writers = writers;
    if (opt.max_batch > 0) eo.max_batch = opt.max_batch;
    CaseStore* store = &rt->store();
    if (opt.profile) {
      g_profile = &profile;
      timing_store = std::make_unique<TimingStore>(rt->store(), profile.phases);
      store = timing_store.get();
    }
    own_executor = std::make_unique<CommandExecutor>(*store, eo);
    executor = own_executor.get();
    std::printf("executor   (bench's own: %d writer(s), max_batch %d%s)\n", eo.writers,
                eo.max_batch, opt.profile ? ", timed store calls" : "");
  }

  std::vector<RunResult> results;
  for (int clients : opt.clients) {
    const double raw = mysql ? RunMysqlRaw(opt.db, opt.raw_seconds)
                             : RunSqliteRaw(sqlite_raw, opt.raw_seconds);
    if (opt.warmup > 0) RunClients(*rt, *executor, cases, clients, opt.warmup, 0);
    profile.Reset();
    RunResult r = RunClients(*rt, *executor, cases, clients, opt.seconds, opt.commands);
    r.raw_per_s = raw;
    const double per_s = static_cast<double>(r.commands) / r.seconds;
    std::printf("run        clients=%d: %ld commands in %.2f s = %.0f/s, %lld txns (%.1f cmds/txn), "
                "p50 %.2f ms, p99 %.2f ms, max %.1f ms; raw %.0f commits/s; errors %ld, "
                "batch reruns %lld%s%s\n",
                clients, r.commands, r.seconds, per_s, static_cast<long long>(r.transactions),
                r.transactions ? static_cast<double>(r.commands) / static_cast<double>(r.transactions) : 0.0,
                r.p50_ms, r.p99_ms, r.max_ms, raw, r.errors, static_cast<long long>(r.reruns),
                r.errors ? "; first error: " : "",
                r.first_error.c_str());
    if (opt.profile && r.transactions > 0) PrintProfile(profile, r);
    std::fflush(stdout);
    results.push_back(r);
  }

  own_executor.reset();  // drains before the store decorator goes
  const Verification v = VerifyCases(*rt, cases);
  if (sqlite_raw.db) sqlite3_close(sqlite_raw.db);

  const std::string short_backend = mysql ? "MariaDB" : "SQLite";
  const std::string short_durability =
      mysql ? "flush at commit (trx_commit=" + mysql_info.flush_at_commit + ")"
            : std::string("WAL, synchronous=") +
                  (sqlite_raw.synchronous == 2 ? "FULL" : sqlite_raw.synchronous == 1 ? "NORMAL" : "?");
  std::printf("\n| backend | durability | clients | engine commands/s | p50 ms | p99 ms | "
              "commands/commit | raw single-row commits/s | engine/raw |\n");
  std::printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  long errors = 0;
  for (const auto& r : results) {
    const double per_s = static_cast<double>(r.commands) / r.seconds;
    errors += r.errors;
    std::printf("| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", short_backend.c_str(),
                short_durability.c_str(), r.clients, Fixed(per_s, 0).c_str(),
                Fixed(r.p50_ms, 2).c_str(), Fixed(r.p99_ms, 2).c_str(),
                Fixed(r.transactions ? static_cast<double>(r.commands) /
                                           static_cast<double>(r.transactions)
                                     : 0.0,
                      1)
                    .c_str(),
                Fixed(r.raw_per_s, 0).c_str(), Fixed(per_s / r.raw_per_s, 2).c_str());
  }
  std::printf("\nverify     %d cases, %lld audit events: %s\n", v.cases,
              static_cast<long long>(v.events),
              v.problems.empty() ? "every chain verifies; every acknowledged command is there"
                                 : (std::to_string(v.problems.size()) + " PROBLEMS").c_str());
  for (size_t i = 0; i < v.problems.size() && i < 20; ++i) {
    std::printf("           %s\n", v.problems[i].c_str());
  }
  rt.reset();
  if (!temp_dir.empty() && !opt.keep) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir, ec);
  } else if (!temp_dir.empty()) {
    std::printf("kept       %s\n", temp_dir.c_str());
  }
  return v.problems.empty() && errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace jiuzhu

int main(int argc, char** argv) { return jiuzhu::Main(argc, argv); }
