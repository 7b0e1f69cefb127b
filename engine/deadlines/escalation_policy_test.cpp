#include "engine/deadlines/escalation_policy.hpp"

#include <gtest/gtest.h>

namespace jiuzhu {
namespace {

const std::string kWorkflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";

class EscalationPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = ProgrammeCatalog::LoadDirectory(kWorkflows);
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalog_ = std::move(*cat);
  }
  Status Parse(const std::string& text) {
    return EscalationPolicy::FromJson(text, "test.json", catalog_).status();
  }
  ProgrammeCatalog catalog_;
  WorkingCalendar calendar_;  // weekends only
};

TEST_F(EscalationPolicyTest, TheShippedFileLoadsAndDrivesTheLevels) {
  auto p = EscalationPolicy::LoadFile(kWorkflows + "/escalation.json", catalog_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->supervisor_roles(), (std::vector<std::string>{"district_supervisor", "city_supervisor"}));
  const EscalationRule& discover = p->For(CaseState::kDiscover);
  EXPECT_EQ(discover.notify_supervisor_after, 1);
  EXPECT_EQ(discover.reassign_after, 3);
  EXPECT_EQ(discover.reassign_role, "district_approver");
  // Approval: supervisor after 1 working day, never moved up.
  const Micros due = 1'700'000'000'000'000;  // some instant
  EXPECT_EQ(p->FireTime(CaseState::kApprove, due, kLevelOverdue, calendar_), due);
  EXPECT_FALSE(p->FireTime(CaseState::kApprove, due, kLevelReassigned, calendar_).has_value());
  auto next = p->NextLevel(CaseState::kApprove, due, kLevelOverdue, calendar_);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->first, kLevelSupervisor);
  EXPECT_EQ(next->second, calendar_.AddWorkingDays(due, 1));
  EXPECT_FALSE(p->NextLevel(CaseState::kApprove, due, kLevelSupervisor, calendar_).has_value());
  // Levels come in order and never go back.
  auto first = p->NextLevel(CaseState::kDiscover, due, 0, calendar_);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->first, kLevelOverdue);
  auto third = p->NextLevel(CaseState::kDiscover, due, kLevelSupervisor, calendar_);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->first, kLevelReassigned);
  EXPECT_GT(third->second, p->FireTime(CaseState::kDiscover, due, kLevelSupervisor, calendar_).value());
}

TEST_F(EscalationPolicyTest, StagesNotListedUseTheDefault) {
  auto p = EscalationPolicy::FromJson(R"({"default": {"notify_supervisor_after_working_days": 4}})", "t", catalog_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->For(CaseState::kFeedback).notify_supervisor_after, 4);
  EXPECT_EQ(p->For(CaseState::kFeedback).reassign_after, -1);
}

TEST_F(EscalationPolicyTest, BadFilesAreRefusedWithTheReason) {
  auto refused = [&](const std::string& text, const std::string& part) {
    const Status s = Parse(text);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(s.message().find(part), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("test.json"), std::string::npos) << s.message();
  };
  refused("[1, 2", "not a JSON object");
  refused(R"({"stages": {"approved": {}}})", "unknown stage approved");
  refused(R"({"stages": {"closed": {}}})", "unknown stage closed");
  refused(R"({"default": {"notify_supervisor_after_working_days": -1}})", ">= 0");
  refused(R"({"supervisor_roles": ["boss"]})", "unknown role");
  refused(R"({"stages": {"assess": {"reassign": {"after_working_days": 5}}}})", "needs after_working_days and role");
  refused(R"({"stages": {"assess": {"reassign": {"after_working_days": 5, "role": "mayor"}}}})", "unknown role mayor");
  // Moving a street task to a village officer is not moving it up.
  refused(R"({"stages": {"assess": {"reassign": {"after_working_days": 5, "role": "village_officer"}}}})",
          "not above");
  // Reassignment before the supervisor hears of it makes no sense.
  refused(R"({"stages": {"assess": {"notify_supervisor_after_working_days": 3,
              "reassign": {"after_working_days": 2, "role": "district_approver"}}}})",
          "after the supervisor notice");
}

}  // namespace
}  // namespace jiuzhu
