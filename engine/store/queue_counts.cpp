#include "engine/store/queue_counts.hpp"

namespace jiuzhu {

namespace {
bool Active(TaskState s) { return s == TaskState::kOpen || s == TaskState::kClaimed; }
}  // namespace

void QueueCountDeltas::Add(const TaskRecord& t, std::int64_t d) {
  const int slot = static_cast<int>(t.id % kQueueCountSlots);
  command_[QueueCountKey{t.org_unit_id, t.role, TaskStateName(t.state), slot}] += d;
  if (Active(t.state)) {
    board_command_[BoardCountKey{t.org_unit_id, t.programme, CaseStateName(t.stage),
                                 t.escalation_level > 0, slot}] += d;
    due_command_[DueCountKey{t.org_unit_id, t.programme, CaseStateName(t.stage),
                             OfficeDayNumber(t.due_at)}] += d;
  }
}

void QueueCountDeltas::AddCommand(const CommandEffects& fx) {
  for (const TaskRecord& t : fx.insert_tasks) Add(t, +1);
  for (const TaskUpdate& u : fx.update_tasks) {
    Add(u.before, -1);
    Add(u.after, +1);
  }
}

void QueueCountDeltas::KeepCommand() {
  for (auto& [key, d] : command_) batch_[key] += d;
  for (auto& [key, d] : board_command_) board_batch_[key] += d;
  for (auto& [key, d] : due_command_) due_batch_[key] += d;
  command_.clear();
  board_command_.clear();
  due_command_.clear();
}

void QueueCountDeltas::DropCommand() {
  command_.clear();
  board_command_.clear();
  due_command_.clear();
}

CountDeltas QueueCountDeltas::Take() {
  KeepCommand();
  CountDeltas out;
  for (auto& [key, d] : batch_) {
    if (d != 0) out.queues.push_back({key, d});
  }
  for (auto& [key, d] : board_batch_) {
    if (d != 0) out.board.push_back({key, d});
  }
  for (auto& [key, d] : due_batch_) {
    if (d != 0) out.due.push_back({key, d});
  }
  batch_.clear();
  board_batch_.clear();
  due_batch_.clear();
  return out;
}

}  // namespace jiuzhu
