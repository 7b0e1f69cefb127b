// Inbox queue totals (table task_queue_counts, migration 0003): how many tasks
// each (unit, role, state) queue holds, split over kQueueCountSlots rows per
// queue so that concurrent MySQL writers seldom wait for the same row.
//
// The store adapters keep the table themselves, inside the command's
// transaction: StoreTxn::Apply records the change each command makes
// (QueueCountDeltas::AddCommand), the savepoint calls keep or drop it, and
// Commit writes the sum of the batch once per row, in key order. One write
// per row per batch keeps commits small (SQLite writes fewer pages), and the
// one global order means two MySQL writers can no longer deadlock on these
// rows: a batch takes them last, after every other lock it needs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/store/records.hpp"

namespace jiuzhu {

inline constexpr int kQueueCountSlots = 16;

struct QueueCountKey {
  std::string org_unit_id;
  std::string role;
  std::string state;  // TaskStateName
  int slot = 0;       // task id % kQueueCountSlots

  friend bool operator<(const QueueCountKey& a, const QueueCountKey& b) {
    return std::tie(a.org_unit_id, a.role, a.state, a.slot) <
           std::tie(b.org_unit_id, b.role, b.state, b.slot);
  }
};

struct QueueCountDelta {
  QueueCountKey key;
  std::int64_t delta = 0;
};

// Supervisors' board (table task_board_counts, migration 0005): active tasks
// per (unit, programme, stage), split by the deadline clock's overdue mark.
struct BoardCountKey {
  std::string org_unit_id;
  std::string programme;
  std::string stage;  // CaseStateName
  bool overdue = false;
  int slot = 0;

  friend bool operator<(const BoardCountKey& a, const BoardCountKey& b) {
    return std::tie(a.org_unit_id, a.programme, a.stage, a.overdue, a.slot) <
           std::tie(b.org_unit_id, b.programme, b.stage, b.overdue, b.slot);
  }
};

struct BoardCountDelta {
  BoardCountKey key;
  std::int64_t delta = 0;
};

// Active tasks per (unit, programme, stage) and local due day (table
// task_due_counts, migration 0006): the board's "due soon" reads a few days
// of rows instead of counting every task due in the window.
struct DueCountKey {
  std::string org_unit_id;
  std::string programme;
  std::string stage;
  std::int64_t day = 0;  // OfficeDayNumber(due_at)

  friend bool operator<(const DueCountKey& a, const DueCountKey& b) {
    return std::tie(a.org_unit_id, a.programme, a.stage, a.day) <
           std::tie(b.org_unit_id, b.programme, b.stage, b.day);
  }
};

struct DueCountDelta {
  DueCountKey key;
  std::int64_t delta = 0;
};

// Days since 1970-01-01 in the offices' time zone, China Standard Time (UTC+8,
// no daylight saving since 1991): deadlines end at 23:59:59.999999 local time,
// so a task's due day is the local date of its due time.
inline std::int64_t OfficeDayNumber(Micros t) {
  constexpr Micros kOffset = 8 * 3600 * kMicrosPerSecond;
  const Micros local = t + kOffset;
  return local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
}

struct CountDeltas {
  std::vector<QueueCountDelta> queues;
  std::vector<BoardCountDelta> board;
  std::vector<DueCountDelta> due;
  bool empty() const { return queues.empty() && board.empty() && due.empty(); }
};

class QueueCountDeltas {
 public:
  // Records what `fx` does to the queues; call after it was written.
  void AddCommand(const CommandEffects& fx);
  // The savepoint of the current command was released: keep its changes.
  void KeepCommand();
  // The current command was rolled back: forget its changes.
  void DropCommand();
  // Everything kept and pending, non-zero sums only, in key order; empties the set.
  CountDeltas Take();
  bool empty() const {
    return batch_.empty() && command_.empty() && board_batch_.empty() && board_command_.empty() &&
           due_batch_.empty() && due_command_.empty();
  }

 private:
  using Sums = std::map<QueueCountKey, std::int64_t>;
  using BoardSums = std::map<BoardCountKey, std::int64_t>;
  using DueSums = std::map<DueCountKey, std::int64_t>;
  void Add(const TaskRecord& t, std::int64_t d);
  Sums batch_;
  Sums command_;
  BoardSums board_batch_;
  BoardSums board_command_;
  DueSums due_batch_;
  DueSums due_command_;
};

}  // namespace jiuzhu
