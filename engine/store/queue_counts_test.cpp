#include "engine/store/queue_counts.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

TaskRecord Task(TaskId id, const std::string& unit, TaskState state) {
  TaskRecord t;
  t.id = id;
  t.org_unit_id = unit;
  t.role = "street_reviewer";
  t.state = state;
  return t;
}

TEST(QueueCountDeltas, SumsPerRowDropsRolledBackCommandsAndSortsByKey) {
  QueueCountDeltas d;
  CommandEffects discover;
  discover.insert_tasks = {Task(17, "640202002", TaskState::kOpen), Task(1, "640202001", TaskState::kOpen)};
  d.AddCommand(discover);
  d.KeepCommand();

  // Claimed and then rolled back: no trace.
  CommandEffects claim;
  claim.update_tasks = {{Task(1, "640202001", TaskState::kOpen), Task(1, "640202001", TaskState::kClaimed)}};
  d.AddCommand(claim);
  d.DropCommand();

  // Claimed and released in one batch: the two cancel out.
  d.AddCommand(claim);
  d.KeepCommand();
  CommandEffects release;
  release.update_tasks = {{Task(1, "640202001", TaskState::kClaimed), Task(1, "640202001", TaskState::kOpen)}};
  d.AddCommand(release);  // kept by Take without an explicit KeepCommand

  const std::vector<QueueCountDelta> out = d.Take().queues;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key.org_unit_id, "640202001");
  EXPECT_EQ(out[0].key.state, "open");
  EXPECT_EQ(out[0].key.slot, 1);
  EXPECT_EQ(out[0].delta, 1);
  EXPECT_EQ(out[1].key.org_unit_id, "640202002");
  EXPECT_EQ(out[1].key.slot, 17 % kQueueCountSlots);
  EXPECT_EQ(out[1].delta, 1);
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(d.Take().empty());
}

TEST(QueueCountDeltas, AMoveLeavesOneQueueAndEntersAnother) {
  QueueCountDeltas d;
  TaskRecord before = Task(5, "640202001", TaskState::kOpen);
  TaskRecord after = before;
  after.org_unit_id = "640202";
  after.role = "district_approver";
  CommandEffects move;
  move.update_tasks = {{before, after}};
  d.AddCommand(move);
  const std::vector<QueueCountDelta> out = d.Take().queues;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key.org_unit_id, "640202");
  EXPECT_EQ(out[0].key.role, "district_approver");
  EXPECT_EQ(out[0].delta, 1);
  EXPECT_EQ(out[1].key.org_unit_id, "640202001");
  EXPECT_EQ(out[1].delta, -1);
}

TEST(QueueCountDeltas, BoardCountsFollowActiveTasksAndTheOverdueMark) {
  QueueCountDeltas d;
  TaskRecord open = Task(3, "640202001", TaskState::kOpen);
  open.programme = "dibao";
  open.stage = CaseState::kAssess;
  TaskRecord claimed = open;
  claimed.state = TaskState::kClaimed;
  CommandEffects claim;
  claim.update_tasks = {{open, claimed}};
  d.AddCommand(claim);
  EXPECT_TRUE(d.Take().board.empty()) << "a claim leaves the board as it was";

  TaskRecord overdue = claimed;
  overdue.escalation_level = 1;
  CommandEffects mark;
  mark.update_tasks = {{claimed, overdue}};
  d.AddCommand(mark);
  CountDeltas out = d.Take();
  EXPECT_TRUE(out.queues.empty()) << "the queue counters do not see the mark";
  ASSERT_EQ(out.board.size(), 2u);
  EXPECT_FALSE(out.board[0].key.overdue);
  EXPECT_EQ(out.board[0].delta, -1);
  EXPECT_TRUE(out.board[1].key.overdue);
  EXPECT_EQ(out.board[1].key.stage, "assess");
  EXPECT_EQ(out.board[1].delta, 1);

  TaskRecord done = overdue;
  done.state = TaskState::kDone;
  CommandEffects close;
  close.update_tasks = {{overdue, done}};
  d.AddCommand(close);
  out = d.Take();
  ASSERT_EQ(out.board.size(), 1u);
  EXPECT_TRUE(out.board[0].key.overdue);
  EXPECT_EQ(out.board[0].delta, -1) << "a closed task leaves the board";
}

}  // namespace
}  // namespace jiuzhu
