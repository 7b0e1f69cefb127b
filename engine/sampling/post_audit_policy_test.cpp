#include "engine/sampling/post_audit_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jiuzhu {
namespace {

const std::string kWorkflows = std::string(JIUZHU_SOURCE_DIR) + "/workflows";

Micros Instant(const std::string& text) {
  Result<Micros> t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << text << ": " << t.status().ToString();
  return t.ok() ? *t : 0;
}

class PostAuditPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<ProgrammeCatalog> catalog = ProgrammeCatalog::LoadDirectory(kWorkflows);
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(catalog).value();
  }

  Status Load(const std::string& json) {
    return PostAuditPolicy::FromJson(json, "post_audit.json", catalog_).status();
  }

  ProgrammeCatalog catalog_;
};

TEST_F(PostAuditPolicyTest, ShippedFileLoadsWithOneMonthWindow) {
  Result<PostAuditPolicy> p = PostAuditPolicy::LoadFile(kWorkflows + "/post_audit.json", catalog_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  for (const char* code : {"dibao", "tekun", "linshi"}) {
    EXPECT_EQ(p->For(code).window_working_days, 22) << code;
    EXPECT_EQ(p->For(code).fast_track_ban_working_days, 250) << code;
  }
}

TEST_F(PostAuditPolicyTest, ProgrammeOverridesOnlyTheKeysItGives) {
  Result<PostAuditPolicy> p = PostAuditPolicy::FromJson(
      R"({"default": {"window_working_days": 20, "fast_track_ban_working_days": 100},
          "programmes": {"linshi": {"window_working_days": 10}}})",
      "post_audit.json", catalog_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->For("linshi").window_working_days, 10);
  EXPECT_EQ(p->For("linshi").fast_track_ban_working_days, 100);
  EXPECT_EQ(p->For("dibao").window_working_days, 20);
  EXPECT_EQ(PostAuditPolicy().For("dibao").window_working_days, 22);
}

TEST_F(PostAuditPolicyTest, ValidationErrorsNameFileAndField) {
  struct Case {
    const char* json;
    const char* field;
  };
  const Case cases[] = {
      {R"({"default": {"window_working_days": 0}})", "default.window_working_days"},
      {R"({"default": {"window_working_days": "22"}})", "default.window_working_days"},
      {R"({"default": {"window_working_days": 251}})", "default.window_working_days"},
      {R"({"default": {"fast_track_ban_working_days": -1}})",
       "default.fast_track_ban_working_days"},
      {R"({"default": {"window_days": 22}})", "default.window_days"},
      {R"({"programmes": {"nosuch": {"window_working_days": 5}}})", "programmes.nosuch"},
      {R"({"programmes": {"dibao": {"window_working_days": 2.5}}})",
       "programmes.dibao.window_working_days"},
      {R"({"programmes": {"dibao": 7}})", "programmes.dibao"},
      {R"({"programmes": []})", "programmes"},
      {R"({"defaults": {}})", "defaults"},
  };
  for (const Case& c : cases) {
    Status s = Load(c.json);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_EQ(s.field(), c.field) << c.json;
    EXPECT_EQ(s.message().rfind("post_audit.json: ", 0), 0u) << s.message();
  }
  EXPECT_EQ(Load("{not json").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Load("[1]").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(PostAuditPolicy::LoadFile(kWorkflows + "/no_such.json", catalog_).status().code(),
            ErrorCode::kNotFound);
}

// Approval on Tue 2026-02-10; the Spring Festival holiday (02-15..02-23) and
// its make-up Saturdays (02-14, 02-28) fall inside the window. The 22nd
// working day after 02-10 is Wed 2026-03-18 on the official calendar (on
// Monday-Friday alone it would be Thu 2026-03-12).
class PostAuditWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<WorkingCalendar> loaded = WorkingCalendar::LoadDirectory(kWorkflows + "/calendars");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    cal_ = std::move(loaded).value();
    approved_ = Instant("2026-02-10T10:00:00+08:00");
    from_ = Instant("2026-02-01");
    to_ = Instant("2026-03-01");
  }

  bool In(const std::string& draw_at) const {
    return InPostAuditWindow(approved_, from_, to_, Instant(draw_at), 22, cal_);
  }

  WorkingCalendar cal_;
  Micros approved_ = 0, from_ = 0, to_ = 0;
};

TEST_F(PostAuditWindowTest, WindowEndIsEndOfNthWorkingDayAcrossSpringFestival) {
  PostAuditPolicy policy;
  EXPECT_EQ(FormatLocal(policy.WindowEndsAt("dibao", approved_, cal_), ShanghaiZone()),
            FormatLocal(Instant("2026-03-18T23:59:59.999999+08:00"), ShanghaiZone()));
  EXPECT_EQ(policy.WindowEndsAt("dibao", approved_, cal_),
            Instant("2026-03-18T23:59:59.999999+08:00"));
}

TEST_F(PostAuditWindowTest, ExactlyNWorkingDaysAfterApprovalIsInside) {
  EXPECT_TRUE(In("2026-03-18T09:00:00+08:00"));
  EXPECT_TRUE(In("2026-03-18T23:59:59.999999+08:00"));
}

TEST_F(PostAuditWindowTest, OneWorkingDayBeforeTheEndIsInside) {
  EXPECT_TRUE(In("2026-03-17T16:00:00+08:00"));
  // Past the weekday-only end (03-12): the holiday really extends the window.
  EXPECT_TRUE(In("2026-03-16T09:00:00+08:00"));
}

TEST_F(PostAuditWindowTest, OneWorkingDayAfterTheEndIsOutside) {
  EXPECT_FALSE(In("2026-03-19T00:00:00+08:00"));
  EXPECT_FALSE(In("2026-03-19T09:00:00+08:00"));
}

TEST_F(PostAuditWindowTest, PeriodIsHalfOpenAndDrawMustFollowApproval) {
  const Micros draw = Instant("2026-03-02T09:00:00+08:00");
  EXPECT_TRUE(InPostAuditWindow(from_, from_, to_, draw, 22, cal_));
  EXPECT_FALSE(InPostAuditWindow(to_, from_, to_, draw, 22, cal_));
  EXPECT_FALSE(InPostAuditWindow(from_ - 1, from_, to_, draw, 22, cal_));
  // Approved after the draw time: not yet part of any population.
  EXPECT_FALSE(InPostAuditWindow(approved_, from_, to_, approved_ - 1, 22, cal_));
  EXPECT_TRUE(InPostAuditWindow(approved_, from_, to_, approved_, 22, cal_));
}

TEST_F(PostAuditWindowTest, PolicyUsesTheProgrammesWindow) {
  Result<ProgrammeCatalog> catalog = ProgrammeCatalog::LoadDirectory(kWorkflows);
  ASSERT_TRUE(catalog.ok());
  Result<PostAuditPolicy> p = PostAuditPolicy::FromJson(
      R"({"programmes": {"linshi": {"window_working_days": 5}}})", "t.json", *catalog);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // 5th working day after 02-10 is 02-24 (02-14 is a make-up Saturday).
  const Micros draw = Instant("2026-02-25T09:00:00+08:00");
  EXPECT_FALSE(p->InDrawPopulation("linshi", approved_, from_, to_, draw, cal_));
  EXPECT_TRUE(p->InDrawPopulation("dibao", approved_, from_, to_, draw, cal_));
  EXPECT_TRUE(p->InDrawPopulation("linshi", approved_, from_, to_,
                                  Instant("2026-02-24T17:00:00+08:00"), cal_));
}

TEST_F(PostAuditWindowTest, FastTrackBanEndsAfterConfiguredWorkingDays) {
  PostAuditPolicy policy;  // 250 working days
  const Micros ends = policy.FastTrackBanEndsAt("dibao", approved_, cal_);
  EXPECT_EQ(ends, cal_.AddWorkingDays(approved_, 250));
  EXPECT_GT(ends, Instant("2027-01-01"));
}

}  // namespace
}  // namespace jiuzhu
