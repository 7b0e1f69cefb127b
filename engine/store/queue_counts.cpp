#include "engine/store/queue_counts.hpp"

namespace jiuzhu {

void QueueCountDeltas::Add(Sums& sums, const TaskRecord& t, std::int64_t d) {
  QueueCountKey key{t.org_unit_id, t.role, TaskStateName(t.state),
                    static_cast<int>(t.id % kQueueCountSlots)};
  sums[std::move(key)] += d;
}

void QueueCountDeltas::AddCommand(const CommandEffects& fx) {
  for (const TaskRecord& t : fx.insert_tasks) Add(command_, t, +1);
  for (const TaskUpdate& u : fx.update_tasks) {
    Add(command_, u.before, -1);
    Add(command_, u.after, +1);
  }
}

void QueueCountDeltas::KeepCommand() {
  for (auto& [key, d] : command_) batch_[key] += d;
  command_.clear();
}

void QueueCountDeltas::DropCommand() { command_.clear(); }

std::vector<QueueCountDelta> QueueCountDeltas::Take() {
  KeepCommand();
  std::vector<QueueCountDelta> out;
  out.reserve(batch_.size());
  for (auto& [key, d] : batch_) {
    if (d != 0) out.push_back({key, d});
  }
  batch_.clear();
  return out;
}

}  // namespace jiuzhu
