// The inbox page as text (InboxPageJsonText, written with JsonWriter) against the document the
// inbox sent before it, built from nlohmann trees: TaskJson per item plus the short case. Both
// are parsed and compared as JSON values (member order is free). Also JsonWriter's escaping.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/runtime/case_json.hpp"
#include "api/runtime/json_writer.hpp"
#include "tests/support/engine_harness.hpp"

namespace jiuzhu {
namespace {

using ::jiuzhu::testing::At;
using ::jiuzhu::testing::EngineHarness;
using Json = nlohmann::json;

// The page as the handler built it with trees before the text writer: the oracle.
Json TreeInboxPage(const Runtime& rt, const TaskPage& page, const std::vector<CaseRecord>& cases,
                   const std::string& next_after, Micros now) {
  Json items = Json::array();
  for (const TaskRecord& t : page.tasks) {
    Json j = TaskJson(rt, t, now);
    for (const CaseRecord& c : cases) {
      if (c.id != t.case_id) continue;
      j["case"] = {{"applicant_name", c.applicant_name},
                   {"id_number", c.id_masked},
                   {"state", CaseStateName(c.state)},
                   {"route", RouteName(c.route)},
                   {"version", c.version}};
    }
    items.push_back(std::move(j));
  }
  return {{"total", page.total}, {"items", items}, {"next_after", next_after}};
}

TaskRecord Task(TaskId id, CaseId case_id, CaseState stage, const std::string& kind,
                const std::string& role, const std::string& unit, Micros due_at) {
  TaskRecord t;
  t.id = id;
  t.case_id = case_id;
  t.programme = "dibao";
  t.stage = stage;
  t.kind = kind;
  t.role = role;
  t.org_unit_id = unit;
  t.state = TaskState::kOpen;
  t.created_at = At("2026-02-02T10:11:12.000345+08:00");
  t.due_at = due_at;
  return t;
}

CaseRecord Case(CaseId id, const std::string& name, CaseState state, Route route,
                std::int64_t version) {
  CaseRecord c;
  c.id = id;
  c.programme = "dibao";
  c.state = state;
  c.route = route;
  c.version = version;
  c.applicant_name = name;
  c.id_masked = "640202********123X";
  return c;
}

class InboxJsonTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Open({}); }
  Micros Now() { return h_.ctx().clock->Now(); }

  EngineHarness h_;
};

TEST_F(InboxJsonTest, TextPageIsTheTreePageForVariedTasks) {
  ASSERT_TRUE(h_.ready());
  TaskPage page;
  page.total = 123456789012;
  // Open, due in two days, street queue.
  page.tasks.push_back(Task(11, 101, CaseState::kDiscover, "intake", "street_reviewer", "640202100",
                            At("2026-02-12T23:59:59.999999+08:00")));
  // Claimed and overdue (across the Spring Festival holidays).
  TaskRecord claimed = Task(12, 102, CaseState::kAssess, "home_visit_assessment", "street_reviewer",
                            "640202100", At("2026-01-20T23:59:59.999999+08:00"));
  claimed.state = TaskState::kClaimed;
  claimed.claimed_by = "li.na";
  claimed.claimed_at = At("2026-01-15T08:00:00+08:00");
  page.tasks.push_back(claimed);
  // A referral feedback task at a department.
  TaskRecord referral =
      Task(13, 103, CaseState::kFeedback, "referral_feedback", "department_handler",
           "640202-canlian", At("2026-03-01T23:59:59+08:00"));
  referral.referral_id = 9001;
  page.tasks.push_back(referral);
  // Done, with an outcome holding quotes, backslashes and control characters; unknown unit.
  TaskRecord done = Task(14, 104, CaseState::kApprove, "approval", "district_approver",
                         "no-such-unit\"\\", At("2026-02-11T23:59:59.999999+08:00"));
  done.state = TaskState::kDone;
  done.completed_at = At("2026-02-10T08:00:00+08:00");
  done.outcome = std::string("cancelled: \"重复\" \\ path\ttab\nline\r\x01\x1f\b\f end /");
  page.tasks.push_back(done);
  // Unknown programme and stage label; its case is missing (no "case" member).
  TaskRecord other = Task(15, 999, CaseState::kMonitor, "revisit", "village_officer",
                          "640202100001", At("2026-05-01T00:00:00+08:00"));
  other.programme = "no-such-programme";
  page.tasks.push_back(other);
  // Two tasks of one case; a four-byte character in the name.
  page.tasks.push_back(Task(16, 101, CaseState::kDiscover, "intake", "street_reviewer", "640202100",
                            At("2026-02-10T09:00:00+08:00")));

  const std::vector<CaseRecord> cases = {
      Case(101, "王小梅", CaseState::kDiscover, Route::kUndecided, 1),
      Case(102, "李\"四\\ \x7f 𠀀", CaseState::kAssess, Route::kFastTrack, 7),
      Case(103, "赵\n六\t", CaseState::kFeedback, Route::kOrdinary, 12),
      Case(104, "", CaseState::kApprove, Route::kOrdinary, 4),
  };
  const std::string next = "1770000000000000_16";
  const std::string text = InboxPageJsonText(h_.rt(), page, cases, next, Now());
  const Json parsed = Json::parse(text, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << text;
  const Json want = TreeInboxPage(h_.rt(), page, cases, next, Now());
  EXPECT_EQ(parsed, want) << "text:\n" << parsed.dump(1) << "\ntree:\n" << want.dump(1);
  EXPECT_FALSE(parsed["items"][4].contains("case"));
  EXPECT_FALSE(parsed["items"][4].contains("kind_label"));
  EXPECT_EQ(parsed["items"][1]["overdue"], true);

  // Empty page.
  const TaskPage empty;
  EXPECT_EQ(Json::parse(InboxPageJsonText(h_.rt(), empty, {}, "", Now())),
            TreeInboxPage(h_.rt(), empty, {}, "", Now()));
}

// The item's members pinned literally, so a change to the shared view (TaskJson) shows here.
TEST_F(InboxJsonTest, ItemCarriesEveryMemberOfTheTaskAndTheShortCase) {
  ASSERT_TRUE(h_.ready());
  TaskPage page;
  page.total = 1;
  TaskRecord t = Task(11, 101, CaseState::kDiscover, "intake", "street_reviewer", "640202100",
                      At("2026-02-12T23:59:59.999999+08:00"));
  t.claimed_by = "li.na";
  t.state = TaskState::kClaimed;
  t.escalation_level = 2;
  page.tasks.push_back(t);
  const std::vector<CaseRecord> cases = {
      Case(101, "王小梅", CaseState::kDiscover, Route::kUndecided, 3)};
  const Json got = Json::parse(InboxPageJsonText(h_.rt(), page, cases, "", Now()));
  const Json want = Json::parse(R"({
    "total": 1, "next_after": "",
    "items": [{
      "id": "11", "case_id": "101", "programme": "dibao", "stage": "discover", "kind": "intake",
      "kind_label": "受理核实", "role": "street_reviewer", "org_unit": "640202100",
      "org_unit_name": "星海镇", "state": "claimed", "created_at": "2026-02-02T02:11:12.000345Z",
      "due_at": "2026-02-12T15:59:59.999999Z", "overdue": false, "working_days_left": 2,
      "claimed_by": "li.na", "escalation_level": 2, "completed_at": "", "outcome": "",
      "case": {"applicant_name": "王小梅", "id_number": "640202********123X", "state": "discover",
               "route": "undecided", "version": 3}
    }]})");
  EXPECT_EQ(got, want) << got.dump(1);
}

std::string Written(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharactersAndPassesUtf8) {
  EXPECT_EQ(Written(""), R"("")");
  EXPECT_EQ(Written("a\"b\\c/d"), R"("a\"b\\c/d")");
  EXPECT_EQ(Written("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Written(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Written("王小梅 𠀀 é"), "\"王小梅 𠀀 é\"");
  // Every string nlohmann reads back is the one written.
  for (std::string s : {std::string("x\"\\\x02王"), std::string(1, '\0'), std::string("𠀀\n")}) {
    EXPECT_EQ(Json::parse(Written(s)).get<std::string>(), s);
  }
}

// The writer reads eight bytes at a time where it can: every special byte at every position of
// short and long strings comes out as nlohmann's dump() writes it.
TEST(JsonWriterTest, SpecialBytesAtEveryPositionAreWrittenAsNlohmannDoes) {
  const std::vector<std::string> specials = {"\"",   "\\",   "\n",   "\t", std::string(1, '\0'),
                                             "\x01", "\x1f", "\x7f", " ",  "~",
                                             "王",   "𠀀",   "é"};
  for (std::size_t len = 1; len <= 24; ++len) {
    for (std::size_t pos = 0; pos < len; ++pos) {
      for (const std::string& special : specials) {
        std::string s(len, 'a');
        s.replace(pos, 1, special);
        EXPECT_EQ(Written(s), Json(s).dump()) << "length " << len << ", at " << pos;
        std::string twice = s + s;
        EXPECT_EQ(Written(twice), Json(twice).dump()) << "length " << 2 * len << ", at " << pos;
      }
    }
  }
}

TEST(JsonWriterTest, ReplacesBytesThatAreNotUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Written("a\xff!"), "\"a" + fffd + "!\"");                    // never a lead byte
  EXPECT_EQ(Written("\xe7\x8e"), "\"" + fffd + fffd + "\"");             // truncated 3-byte form
  EXPECT_EQ(Written("\xc0\xaf"), "\"" + fffd + fffd + "\"");             // overlong '/'
  EXPECT_EQ(Written("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");  // surrogate D800
  EXPECT_EQ(Written("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // > U+10FFFF
  EXPECT_EQ(Written("\x80王"), "\"" + fffd + "王\"");  // stray continuation
  EXPECT_FALSE(Json::parse(Written("\xff\xfe"), nullptr, false).is_discarded());
}

TEST(JsonWriterTest, PlacesCommasAndNests) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.Int(-9223372036854775807 - 1);
  w.Key("b");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.String("s");
  w.EndArray();
  w.Key("c");
  w.Bool(false);
  w.EndObject();
  EXPECT_TRUE(w.Complete());
  EXPECT_EQ(out, R"({"a":-9223372036854775808,"b":[true,null,{},[],"s"],"c":false})");
}

}  // namespace
}  // namespace jiuzhu
