// deadline_bench: the deadline clock and the supervisors' board at scale (issue 5), on a
// database prepared by generate_tasks (e.g. 1,000,000 open tasks, --overdue 0.1).
//
//   deadline_bench --db URL [--due N] [--idle-ticks N] [--board-reads N] [--secret S]
//
// Steps, each timed on the wall clock (the engine runs on a ManualClock set to the real time
// at start, so the bench decides when work falls due):
//  1. catch-up: the clock fires every level already due (the generator writes overdue tasks
//     unmarked), batch after batch, as `jiuzhu serve` does after a restore;
//  2. idle ticks: --idle-ticks ticks with nothing due (target: <= 1 ms of database time each);
//  3. board reads: the store reads of a city-wide GET /api/v1/board/summary (all board
//     counters + due-soon counts over the next 2 working days), --board-reads times;
//  4. --due new cases (default 10,000) reported so that their intake tasks fell due at the end
//     of the previous working day, then one tick: all marked overdue and their queues reminded
//     (target: <= 2 s for 10,000).
// Prints one line per step; exit status 1 on any error or missed count.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "api/runtime/deadline_clock.hpp"
#include "api/runtime/demo_data.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/store/queue_counts.hpp"
#include "engine/usecases/case_commands.hpp"

using namespace jiuzhu;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "deadline_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
};
Stats Summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {};
  auto at = [&](double p) { return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))]; };
  return {at(0.50), at(0.99), v.back()};
}

class CountingSender final : public NotificationSender {
 public:
  void Send(const NotificationRecord&) override { ++sent; }
  long sent = 0;
};

// A distinct valid ID number (GB 11643) of district 640202 for person n.
std::string IdNumber(long n) {
  return MakeIdNumber("640202", 1930 + static_cast<int>(n / (12 * 28 * 999) % 60),
                      1 + static_cast<int>(n / (28 * 999) % 12), 1 + static_cast<int>(n / 999 % 28),
                      1 + static_cast<int>(n % 999));
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, secret;
  long due = 10000, idle_ticks = 2000, board_reads = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--db") db = value();
    else if (a == "--due") due = std::atol(value().c_str());
    else if (a == "--idle-ticks") idle_ticks = std::atol(value().c_str());
    else if (a == "--board-reads") board_reads = std::atol(value().c_str());
    else if (a == "--secret") secret = value();
    else Die("unknown option " + a + " (usage: deadline_bench --db URL [--due N] [--idle-ticks N] [--board-reads N] [--secret S])");
  }
  if (db.empty() || due < 0 || idle_ticks < 1 || board_reads < 1) Die("usage: deadline_bench --db URL [--due N] ...");

  ManualClock clock(SystemClock().Now());
  RuntimeOptions o;
  o.db_url = db;
  o.secret = secret;
  o.clock = &clock;
  auto rt = Must(Runtime::Open(o), "open");
  if (Status s = rt->Migrate(); !s.ok()) Die("migrate: " + s.ToString());
  if (Status s = rt->LoadOrg(); !s.ok()) Die("org: " + s.ToString());
  CountingSender sender;
  DeadlineClockOptions co;
  DeadlineClock deadline_clock(*rt, sender, co);
  const auto counts0 = Must(rt->store().CountActiveTasks(clock.Now()), "count");
  std::printf("database: %s, %lld active tasks, %lld past due\n", db.c_str(),
              static_cast<long long>(counts0.active), static_cast<long long>(counts0.overdue));

  // 1. Catch-up.
  auto t0 = std::chrono::steady_clock::now();
  const ClockTick catchup = Must(deadline_clock.Tick(), "catch-up tick");
  const double catchup_ms = Ms(std::chrono::steady_clock::now() - t0);
  std::printf("1 catch-up: %d tasks, %d levels fired, %d notifications, %d batches in %.1f s (%.0f levels/s)\n",
              catchup.tasks, catchup.levels_fired, catchup.notifications, catchup.batches, catchup_ms / 1000,
              catchup.levels_fired / std::max(catchup_ms / 1000, 1e-9));
  long overdue_marked = 0;
  for (const auto& b : Must(rt->store().ListBoardCounts(), "board counts")) {
    if (b.overdue) overdue_marked += b.n;
  }
  std::printf("  board counters: %ld active tasks marked overdue\n", overdue_marked);

  // 2. Idle ticks.
  std::vector<double> idle;
  for (long i = 0; i < idle_ticks; ++i) {
    clock.Advance(1000);  // a millisecond later: nothing new is due
    auto t = std::chrono::steady_clock::now();
    const ClockTick tick = Must(deadline_clock.Tick(), "idle tick");
    idle.push_back(Ms(std::chrono::steady_clock::now() - t));
    if (tick.levels_fired != 0) Die("an idle tick fired " + std::to_string(tick.levels_fired) + " levels");
  }
  const Stats is = Summarise(idle);
  std::printf("2 idle tick (%ld): p50 %.3f ms, p99 %.3f ms, max %.3f ms (target: <= 1 ms of database time)\n",
              idle_ticks, is.p50, is.p99, is.max);

  // 3. Board reads (the store part of a city-wide summary).
  std::vector<double> board;
  for (long i = 0; i < board_reads; ++i) {
    auto t = std::chrono::steady_clock::now();
    const auto counts = Must(rt->store().ListBoardCounts(), "board counts");
    const Micros now = clock.Now();
    const auto soon = Must(rt->store().CountActiveDueOnDays(
                               OfficeDayNumber(now), OfficeDayNumber(rt->calendar().AddWorkingDays(now, 2))),
                           "due soon");
    board.push_back(Ms(std::chrono::steady_clock::now() - t));
    if (counts.empty() && soon.empty()) Die("the board is empty");
  }
  const Stats bs = Summarise(board);
  std::printf("3 board store reads (%ld): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", board_reads, bs.p50, bs.p99,
              bs.max);

  if (due > 0) {
    // 4. N tasks falling due at once: reported on the day whose 2-working-day deadline is the
    //    end of the previous working day.
    const Micros real_now = clock.Now();
    Micros start = real_now;
    while (rt->calendar().AddWorkingDays(start, 2) >= real_now) start -= kMicrosPerDay;
    const Micros due_at = rt->calendar().AddWorkingDays(start, 2);
    const UserRecord officer = Must(rt->User("wang.hua"), "user");
    clock.Set(start);
    auto t = std::chrono::steady_clock::now();
    const long base = (real_now / kMicrosPerSecond) % 1000 * 20000;  // a new range per run
    long made = 0;
    for (long i = 0; made < due && i < due * 3; ++i) {
      DiscoverRequest d{officer, "dibao", IdNumber(base + i), "到期" + std::to_string(i), "640202100001",
                        "village_officer", ""};
      auto out = rt->executor().Run<CommandOutcome>(
          [&](StoreTxn& txn) { return DiscoverCase(rt->ctx(), txn, d); });
      if (!out.ok()) Die("discover: " + out.status().ToString());
      made += !out->existing;
    }
    std::printf("  set-up: %ld cases reported in %.1f s, intake due %s\n", made,
                Ms(std::chrono::steady_clock::now() - t) / 1000, FormatUtc(due_at).c_str());
    clock.Set(real_now);
    t = std::chrono::steady_clock::now();
    const ClockTick burst = Must(deadline_clock.Tick(), "burst tick");
    const double burst_ms = Ms(std::chrono::steady_clock::now() - t);
    std::printf("4 %ld tasks due at once: %d tasks, %d levels fired, %d notifications, %d batches in %.3f s (target: <= 2 s)\n",
                made, burst.tasks, burst.levels_fired, burst.notifications, burst.batches, burst_ms / 1000);
    if (burst.tasks < made) Die("not every new due task was taken");
  }
  return 0;
}
