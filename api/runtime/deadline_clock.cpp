#include "api/runtime/deadline_clock.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace jiuzhu {

namespace {
constexpr char kCalendarSetting[] = "calendar_fingerprint";

// One JSON log line like the server's own: level, msg, the fields, ts.
void LogLine(spdlog::level::level_enum level, nlohmann::json line) {
  auto logger = spdlog::default_logger();
  if (!logger) return;
  line["level"] = spdlog::level::to_string_view(level).data();
  line["ts"] = FormatUtc(SystemClock().Now());
  try {
    logger->log(level, line.dump());
  } catch (...) {
    // Logging must never undo or repeat committed work.
  }
}
}  // namespace

std::string LocalDayString(const WorkingCalendar& calendar, Micros at) {
  return FormatCivilDate(LocalDate(at, calendar.zone()));
}

void LogNotificationSender::Send(const NotificationRecord& n) {
  LogLine(spdlog::level::info, {{"msg", "notification"}, {"id", std::to_string(n.id)}, {"user", n.username},
                                {"kind", NotificationKindName(n.kind)}, {"task", std::to_string(n.task_id)},
                                {"case", std::to_string(n.case_id)}});
}

DeadlineClock::DeadlineClock(Runtime& rt, NotificationSender& sender, DeadlineClockOptions options)
    : rt_(rt), sender_(sender), options_(options) {}

DeadlineClock::~DeadlineClock() { Stop(); }

Result<PeopleIndex> DeadlineClock::People() {
  JZ_ASSIGN_OR_RETURN(std::vector<UserRecord> users, rt_.store().ListUsers());
  return PeopleIndex(users);
}

// A batch that lost a race is run again: another process changed a row first
// (kConflict: the task or case moved on, or a deadlock), or an id it generated
// was taken by another process whose id generator drew the same node
// (kAlreadyExists on a primary key). Each run reads afresh and draws new ids.
template <typename T>
Result<T> DeadlineClock::WithRetries(const std::function<Result<T>(StoreTxn&)>& fn) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    Result<T> r = rt_.executor().Run<T>(fn);
    const ErrorCode code = r.ok() ? ErrorCode::kOk : r.status().code();
    if (r.ok() || attempt == kAttempts ||
        (code != ErrorCode::kConflict && code != ErrorCode::kAlreadyExists)) {
      return r;
    }
    LogLine(spdlog::level::info, {{"msg", "deadline clock batch retried"}, {"attempt", attempt},
                                  {"reason", r.status().ToString()}});
  }
}

Result<ClockTick> DeadlineClock::Tick() {
  ClockTick tick;
  const Micros now = rt_.ctx().clock->Now();
  JZ_ASSIGN_OR_RETURN(std::optional<Micros> next, rt_.store().NextEscalationAt());
  if (!next || *next > now) return tick;  // the common case: one index probe
  JZ_ASSIGN_OR_RETURN(PeopleIndex people, People());
  for (;;) {
    JZ_ASSIGN_OR_RETURN(EscalationRun run, WithRetries<EscalationRun>([&](StoreTxn& txn) {
                          return EscalateDueTasks(rt_.ctx(), rt_.escalation(), people, txn,
                                                  options_.batch);
                        }));
    ++tick.batches;
    tick.tasks += run.tasks;
    tick.levels_fired += run.levels_fired;
    tick.notifications += static_cast<int>(run.notifications.size());
    for (const auto& n : run.notifications) sender_.Send(n);
    if (run.tasks < options_.batch) break;
  }
  return tick;
}

Result<int> DeadlineClock::ApplyCalendarChange() {
  const std::string now_fp = rt_.calendar_fingerprint();
  JZ_ASSIGN_OR_RETURN(std::optional<std::string> stored, rt_.store().GetSetting(kCalendarSetting));
  if (stored && *stored == now_fp) return 0;
  int changed = 0;
  if (stored) {
    const std::string reason = "节假日安排（工作日历）更新 calendar files changed (" +
                               stored->substr(0, 12) + " -> " + now_fp.substr(0, 12) + ")";
    TaskId after = 0;
    do {
      JZ_ASSIGN_OR_RETURN(RecomputeRun run, WithRetries<RecomputeRun>([&](StoreTxn& txn) {
                            return RecomputeDeadlines(rt_.ctx(), txn, reason, after, options_.batch);
                          }));
      changed += run.changed;
      for (const auto& n : run.notifications) sender_.Send(n);
      after = run.last_id;
    } while (after != 0);
  }
  JZ_RETURN_IF_ERROR(rt_.store().PutSetting(kCalendarSetting, now_fp));
  return changed;
}

Status DeadlineClock::RecordOverdueHistory(int weeks) {
  const Micros now = rt_.ctx().clock->Now();
  const std::string today = LocalDayString(rt_.calendar(), now);
  if (today == history_day_) return Status::Ok();
  // Today's value from the board counters (what the clock has marked).
  JZ_ASSIGN_OR_RETURN(std::vector<BoardCount> counts, rt_.store().ListBoardCounts());
  std::map<std::string, std::int64_t> per_unit;
  for (const auto& c : counts) {
    if (c.overdue) per_unit[c.org_unit_id] += c.n;
  }
  std::vector<OverdueHistoryRow> rows;
  for (const auto& [unit, n] : per_unit) rows.push_back({today, unit, n});
  // A marker row so that a day with nothing overdue is still known to be recorded.
  rows.push_back({today, "", 0});
  // Past week ends without a record: from the task history, once.
  const std::string first = LocalDayString(rt_.calendar(), now - std::int64_t{weeks} * 7 * kMicrosPerDay);
  JZ_ASSIGN_OR_RETURN(std::vector<OverdueHistoryRow> have,
                      rt_.store().ListOverdueHistory(first, today));
  std::map<std::string, bool> recorded;
  for (const auto& r : have) recorded[r.day] = true;
  std::vector<std::pair<std::string, Micros>> missing;
  for (int w = weeks; w >= 1; --w) {
    const Micros at = now - std::int64_t{w} * 7 * kMicrosPerDay;
    const std::string day = LocalDayString(rt_.calendar(), at);
    if (!recorded.count(day)) missing.emplace_back(day, at);
  }
  if (!missing.empty()) {
    JZ_ASSIGN_OR_RETURN(std::vector<OverdueHistoryRow> past, rt_.store().CountOverdueAt(missing));
    for (const auto& m : missing) rows.push_back({m.first, "", 0});
    rows.insert(rows.end(), past.begin(), past.end());
  }
  JZ_RETURN_IF_ERROR(rt_.store().SaveOverdueHistory(rows));
  history_day_ = today;
  return Status::Ok();
}

void DeadlineClock::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void DeadlineClock::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int> DeadlineClock::ScheduleRevisits() {
  constexpr int kPage = 200;
  constexpr size_t kBatch = 50;
  int opened = 0;
  // Under monitoring (relief or monitoring pool), and refused into the monitoring pool.
  CaseQuery monitored;
  monitored.state = CaseState::kMonitor;
  CaseQuery refused;
  refused.state = CaseState::kRejected;
  refused.pool = Pool::kMonitoring;
  for (CaseQuery q : {monitored, refused}) {
    q.limit = kPage;
    for (;;) {
      JZ_ASSIGN_OR_RETURN(std::vector<CaseRecord> page, rt_.store().ListCases(q));
      std::vector<CaseId> due;
      for (const auto& c : page) {
        if (NeedsQuarterlyRevisit(c)) due.push_back(c.id);
      }
      for (size_t i = 0; i < due.size(); i += kBatch) {
        const std::vector<CaseId> batch(due.begin() + static_cast<std::ptrdiff_t>(i),
                                        due.begin() + static_cast<std::ptrdiff_t>(std::min(due.size(), i + kBatch)));
        JZ_ASSIGN_OR_RETURN(int n, WithRetries<int>([&](StoreTxn& txn) -> Result<int> {
                              int k = 0;
                              for (CaseId id : batch) {
                                JZ_ASSIGN_OR_RETURN(auto out, ScheduleQuarterlyRevisit(rt_.ctx(), txn, id));
                                k += out.has_value();
                              }
                              return k;
                            }));
        opened += n;
      }
      if (static_cast<int>(page.size()) < kPage) break;
      q.after_id = page.back().id;
    }
  }
  return opened;
}

void DeadlineClock::Loop() {
  for (;;) {
    auto tick = Tick();
    if (!tick.ok()) {
      LogLine(spdlog::level::warn, {{"msg", "deadline clock failed"}, {"error", tick.status().ToString()}});
    } else if (tick->levels_fired > 0) {
      LogLine(spdlog::level::info, {{"msg", "deadline clock"}, {"tasks", tick->tasks},
                                    {"levels", tick->levels_fired}, {"notifications", tick->notifications}});
    }
    const std::string today = LocalDayString(rt_.calendar(), rt_.ctx().clock->Now());
    if (today != revisit_day_) {
      auto opened = ScheduleRevisits();
      if (!opened.ok()) {
        LogLine(spdlog::level::warn, {{"msg", "quarterly revisits failed"}, {"error", opened.status().ToString()}});
      } else {
        revisit_day_ = today;
        if (*opened > 0) LogLine(spdlog::level::info, {{"msg", "quarterly revisits opened"}, {"tasks", *opened}});
      }
    }
    Status h = RecordOverdueHistory();
    if (!h.ok()) {
      LogLine(spdlog::level::warn, {{"msg", "overdue history failed"}, {"error", h.ToString()}});
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, options_.interval, [this] { return stopping_; })) return;
  }
}

}  // namespace jiuzhu
