// The deadline clock service run inside `jiuzhu serve` (and by `jiuzhu
// deadlines tick`): every interval it probes for due escalation levels (one
// index probe when nothing is due), fires them in batches through the
// group-commit executor (engine: EscalateDueTasks), and hands the
// notifications of each committed batch to the sender. Once a day it records
// the overdue counts per unit (the board's 8-week line), and at start it
// recomputes deadlines when the calendar files changed.
//
// Several processes may run it against one MySQL/MariaDB database: due tasks
// are taken with FOR UPDATE SKIP LOCKED and each level fires once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/runtime/runtime.hpp"
#include "engine/usecases/monitoring.hpp"
#include "engine/usecases/supervision.hpp"

namespace jiuzhu {

// Where notifications go besides the database (the web app's bell reads
// those): an SMS or government-messaging gateway plugs in here.
class NotificationSender {
 public:
  virtual ~NotificationSender() = default;
  // Called after the notification's transaction committed; must not throw.
  virtual void Send(const NotificationRecord& n) = 0;
};

// Writes one structured log line per notification (the default sender).
class LogNotificationSender final : public NotificationSender {
 public:
  void Send(const NotificationRecord& n) override;
};

struct DeadlineClockOptions {
  std::chrono::milliseconds interval{1000};
  int batch = 200;  // due tasks per transaction
};

struct ClockTick {
  int tasks = 0;
  int levels_fired = 0;
  int notifications = 0;
  int batches = 0;
};

class DeadlineClock {
 public:
  DeadlineClock(Runtime& rt, NotificationSender& sender, DeadlineClockOptions options = {});
  ~DeadlineClock();  // stops the thread

  // Fires everything due at the clock's now, batch after batch, until nothing is due.
  Result<ClockTick> Tick();
  // Recomputes not-yet-due deadlines when the calendar files' fingerprint
  // differs from the one the database recorded (first run: records it).
  // Returns the number of tasks whose deadline changed.
  Result<int> ApplyCalendarChange();
  // Records today's overdue counts per unit, and fills the last `weeks` week
  // ends from the task history where no record exists yet.
  Status RecordOverdueHistory(int weeks = 8);
  // 一季度一访问: opens this quarter's revisit task for every household that
  // needs one and has none yet (engine: ScheduleQuarterlyRevisit), in batches
  // through the executor. Idempotent, also with several processes (the
  // revisits table's key). In the loop it runs once per local day.
  // Returns the number of tasks opened.
  Result<int> ScheduleRevisits();

  void Start();
  void Stop();

 private:
  void Loop();
  Result<PeopleIndex> People();
  template <typename T>
  Result<T> WithRetries(const std::function<Result<T>(StoreTxn&)>& fn);

  Runtime& rt_;
  NotificationSender& sender_;
  DeadlineClockOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::string history_day_;  // last day recorded by this process
  std::string revisit_day_;  // local day ScheduleRevisits last ran in the loop
};

// The local date (Asia/Shanghai) of an instant as "YYYY-MM-DD".
std::string LocalDayString(const WorkingCalendar& calendar, Micros at);

}  // namespace jiuzhu
