// The `jiuzhu` program end to end: each test runs the real binary against
// its own SQLite database in a fresh temporary folder, reads its exit code,
// stdout and stderr, and checks that a refused command changed nothing.
#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"

extern char** environ;

namespace jiuzhu {
namespace {

using nlohmann::json;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

// Runs JIUZHU_BINARY with `args`, stdout and stderr captured in files of `dir`.
RunResult RunProgram(const std::string& dir, const std::vector<std::string>& args) {
  const std::string out_path = dir + "/stdout.txt";
  const std::string err_path = dir + "/stderr.txt";
  std::vector<std::string> argv_s = {JIUZHU_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  RunResult r;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << argv[0] << ": " << std::strerror(rc);
    return r;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) {
    ADD_FAILURE() << "waitpid failed";
    return r;
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(out_path);
  r.err = ReadAll(err_path);
  return r;
}

std::string CommandLine(const std::vector<std::string>& args) {
  std::string s = "jiuzhu";
  for (const auto& a : args) s += " " + a;
  return s;
}

std::string Describe(const std::vector<std::string>& args, const RunResult& r) {
  return CommandLine(args) + "\n  exit " + std::to_string(r.exit_code) + "\n  stdout: " + r.out +
         "\n  stderr: " + r.err;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr char kAssessment[] = R"({
  "members": [
    {"name": "张三", "relation": "self", "age": 46, "circumstances": ["serious_illness"]},
    {"name": "李梅", "relation": "spouse", "age": 44, "circumstances": ["no_ability_to_work"]}
  ],
  "income": [{"kind": "wages", "monthly_yuan": [500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500]}],
  "deposits_yuan": 1000,
  "medical_expense_yuan": 20000
})";

// Valid GB 11643 numbers (check characters worked out by the ISO 7064 rule).
constexpr char kIdZhang[] = "640202198001011238";
constexpr char kIdLi[] = "640202197505051239";
constexpr char kIdBadCheck[] = "640202197505051230";  // kIdLi with a wrong check character

constexpr char kXingguang[] = "640202100001";  // 星光村, 星海镇, 大武口区

class CliTest : public ::testing::Test {
 protected:
  std::string Db() const { return "sqlite:" + dir_.File("j.db"); }

  RunResult Jiuzhu(std::vector<std::string> args) { return JiuzhuOn(Db(), std::move(args)); }
  RunResult JiuzhuOn(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return RunProgram(dir_.path(), args);
  }

  // Runs and expects exit 0 and no error output; returns stdout.
  std::string Ok(const std::vector<std::string>& args) {
    const RunResult r = Jiuzhu(args);
    EXPECT_EQ(r.exit_code, 0) << Describe(args, r);
    EXPECT_EQ(r.err, "") << Describe(args, r);
    return r.out;
  }

  json OkJson(const std::vector<std::string>& args) {
    const std::string out = Ok(args);
    json j = json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << out;
    return j;
  }

  void MigrateAndDemo() {
    EXPECT_TRUE(Contains(Ok({"migrate"}), "migrations applied (sqlite): 0001"));
    EXPECT_TRUE(Contains(Ok({"demo", "--cases", "20"}), "20 cases in the database"));
  }

  std::string Discover(const std::string& as, const std::string& id_number, const std::string& name,
                       bool* existing = nullptr) {
    const json j = OkJson({"case", "discover", "--as", as, "--programme", "dibao", "--id-number",
                           id_number, "--name", name, "--village", kXingguang, "--json"});
    if (existing) *existing = j.value("existing", true);
    EXPECT_TRUE(j.contains("id")) << j.dump();
    return j.contains("id") ? std::to_string(j["id"].get<std::int64_t>()) : std::string("0");
  }

  json Show(const std::string& as, const std::string& case_id) {
    return OkJson({"case", "show", "--as", as, "--case", case_id, "--json"});
  }

  // Runs a case command as `as` and checks the case moved to `state`, one
  // version further.
  void Step(const std::string& verb, const std::string& as, const std::string& case_id,
            std::vector<std::string> extra, const std::string& state) {
    SCOPED_TRACE(verb + " as " + as);
    const std::int64_t before = Show("li.na", case_id)["version"].get<std::int64_t>();
    std::vector<std::string> args = {"case", verb, "--as", as, "--case", case_id};
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string out = Ok(args);
    EXPECT_TRUE(Contains(out, "case " + case_id)) << out;
    const json after = Show("li.na", case_id);
    EXPECT_EQ(after["state"], state);
    EXPECT_EQ(after["version"].get<std::int64_t>(), before + 1);
    EXPECT_TRUE(after["audit_chain_ok"].get<bool>());
  }

  // "audit verify: OK — N case(s), M event(s) ..." as printed.
  std::string AuditLine() {
    const RunResult r = Jiuzhu({"audit", "verify"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, "audit verify: OK")) << r.out;
    return r.out;
  }

  jiuzhu::testing::TempDir dir_;
};

// ----------------------------------------------------------- set-up commands --

TEST_F(CliTest, MigrateDemoUsersInbox) {
  EXPECT_TRUE(Contains(Ok({"migrate"}), "migrations applied (sqlite): 0001"));
  EXPECT_TRUE(Contains(Ok({"migrate"}), "0001")) << "migrate twice is harmless";
  const std::string demo = Ok({"demo", "--cases", "20"});
  EXPECT_TRUE(Contains(demo, "demo loaded: ")) << demo;
  EXPECT_TRUE(Contains(demo, "20 cases in the database")) << demo;
  EXPECT_TRUE(Contains(AuditLine(), "— 20 case(s), "));

  const std::string users = Ok({"users"});
  for (const char* s : {"li.na", "李娜", "street_reviewer @ 星海镇 (640202100)", "wang.hua",
                        "village_officer @ 星光村 (640202100001)", "chen.jing",
                        "district_approver @ 大武口区 (640202)", "he.ping"}) {
    EXPECT_TRUE(Contains(users, s)) << s << " missing from:\n" << users;
  }

  const std::string inbox = Ok({"inbox", "--as", "li.na"});
  EXPECT_TRUE(Contains(inbox, "inbox of li.na (李娜): ")) << inbox;
  // Every task listed is routed to li.na's queue.
  std::istringstream lines(inbox);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("  task ", 0) != 0) continue;
    EXPECT_TRUE(Contains(line, "street_reviewer · 星海镇")) << line;
  }
  const std::string limited = Ok({"inbox", "--as", "li.na", "--limit", "1"});
  EXPECT_LE(std::count(limited.begin(), limited.end(), '\n'), 3) << limited;
}

TEST_F(CliTest, HelpListsTheCommands) {
  const RunResult r = RunProgram(dir_.path(), {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"migrate", "demo", "users", "inbox", "case discover", "audit verify"}) {
    EXPECT_TRUE(Contains(r.out, cmd)) << cmd;
  }
  const RunResult none = RunProgram(dir_.path(), {});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(Contains(none.err, "Usage:"));
}

TEST_F(CliTest, WorkingCommandsNeedAnOrgTree) {
  Ok({"migrate"});
  const RunResult r = Jiuzhu({"inbox", "--as", "li.na"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(Contains(r.err, "no org tree yet")) << r.err;
}

// ------------------------------------------------------------ the full walk --

TEST_F(CliTest, FullWalkFromDiscoveryToMonitoring) {
  MigrateAndDemo();
  const std::string events_before = AuditLine();

  // 主动发现 by the village officer.
  bool existing = true;
  const std::string id = Discover("wang.hua", kIdZhang, "张三", &existing);
  EXPECT_FALSE(existing);
  json c = Show("li.na", id);
  EXPECT_EQ(c["state"], "discover");
  EXPECT_EQ(c["version"], 1);
  EXPECT_EQ(c["programme"], "dibao");
  EXPECT_EQ(c["village"], kXingguang);
  EXPECT_EQ(c["applicant_name"], "张三");
  // A street reviewer reads the full ID number; the village officer a masked one.
  EXPECT_EQ(c["id_number"], kIdZhang);
  EXPECT_EQ(Show("wang.hua", id)["id_number"], "640202********1238");

  // Reporting the same person again finds the open case and creates nothing.
  const std::string again = Discover("wang.hua", kIdZhang, "张三", &existing);
  EXPECT_TRUE(existing);
  EXPECT_EQ(again, id);
  EXPECT_EQ(Show("li.na", id)["version"], 1);

  // The intake task sits in li.na's queue; she claims it by the id from show.
  ASSERT_EQ(c["tasks"].size(), 1u);
  EXPECT_EQ(c["tasks"][0]["kind"], "intake");
  EXPECT_EQ(c["tasks"][0]["state"], "open");
  const std::string task = std::to_string(c["tasks"][0]["id"].get<std::int64_t>());
  EXPECT_TRUE(Contains(Ok({"inbox", "--as", "li.na", "--limit", "1000"}), "task " + task));
  EXPECT_TRUE(Contains(Ok({"task", "claim", "--as", "li.na", "--task", task}),
                       "task " + task + " claimed"));
  c = Show("li.na", id);
  EXPECT_EQ(c["tasks"][0]["state"], "claimed");
  EXPECT_EQ(c["tasks"][0]["claimed_by"], "li.na");
  EXPECT_EQ(c["version"], 2);

  Step("accept", "li.na", id, {}, "assess");
  WriteFile(dir_.File("assessment.json"), kAssessment);
  Step("assess", "li.na", id, {"--data", dir_.File("assessment.json")}, "commit");
  c = Show("li.na", id);
  ASSERT_TRUE(c.contains("assessment"));
  EXPECT_EQ(c["assessment"]["household"]["members"].size(), 2u);
  EXPECT_EQ(c["assessment"]["income"]["total_12_months"]["yuan"], "6000.00");
  // 20,000 yuan of medical spending outweighs the income and reaches 临时救助's threshold.
  EXPECT_EQ(c["assessment"]["eligible_programmes"], nlohmann::json({"dibao", "linshi"}));
  EXPECT_EQ(c["assessment"]["standards"]["district"], "640202");
  EXPECT_EQ(c["pool"], "relief");
  EXPECT_EQ(c["pool"], c["assessment"]["pool"]);

  Step("pledge", "li.na", id, {"--signer", "张三"}, "approve");
  EXPECT_EQ(Show("li.na", id)["route"], "fast_track");
  EXPECT_NE(Show("li.na", id)["promised_by"], "");

  Step("approve", "chen.jing", id, {}, "refer");
  Step("refer", "chen.jing", id, {"--to", "canlian:残疾人两项补贴"}, "feedback");
  c = Show("li.na", id);
  ASSERT_EQ(c["referrals"].size(), 1u);
  EXPECT_EQ(c["referrals"][0]["department"], "canlian");
  EXPECT_EQ(c["referrals"][0]["unit"], "640202D07");
  EXPECT_EQ(c["referrals"][0]["status"], "pending");
  // The department handler sees the case through its referral, masked.
  EXPECT_EQ(Show("he.ping", id)["id_number"], "640202********1238");

  Step("feedback", "he.ping", id,
       {"--department", "canlian", "--answer", "provided", "--details", "已发放"}, "feedback");
  EXPECT_EQ(Show("li.na", id)["referrals"][0]["status"], "answered");
  Step("monitor", "chen.jing", id, {}, "monitor");

  c = Show("li.na", id);
  EXPECT_EQ(c["state"], "monitor");
  EXPECT_EQ(c["version"], 9);  // one per audit event
  EXPECT_TRUE(c["audit_chain_ok"].get<bool>());
  std::vector<std::string> actions;
  for (const auto& e : c["timeline"]) actions.push_back(e["action"].get<std::string>());
  EXPECT_EQ(actions,
            (std::vector<std::string>{"discover", "claim_task", "accept", "assess", "pledge",
                                      "approve", "refer", "feedback", "monitor"}));
  std::vector<std::string> actors;
  for (const auto& e : c["timeline"]) actors.push_back(e["actor"].get<std::string>());
  EXPECT_EQ(actors, (std::vector<std::string>{"wang.hua", "li.na", "li.na", "li.na", "li.na",
                                              "chen.jing", "chen.jing", "he.ping", "chen.jing"}));
  for (size_t i = 0; i < c["timeline"].size(); ++i) {
    EXPECT_EQ(c["timeline"][i]["seq"], static_cast<int>(i + 1));
  }
  // One open revisit task for the village officer.
  int open = 0;
  for (const auto& t : c["tasks"]) {
    if (t["state"] == "open" || t["state"] == "claimed") {
      ++open;
      EXPECT_EQ(t["kind"], "revisit");
      EXPECT_EQ(t["unit"], kXingguang);
    }
  }
  EXPECT_EQ(open, 1);

  // Someone of another district cannot even see it.
  const RunResult other = Jiuzhu({"case", "show", "--as", "xu.li", "--case", id, "--json"});
  EXPECT_NE(other.exit_code, 0);
  EXPECT_TRUE(Contains(other.err, "not found")) << other.err;

  // The audit trail grew by the nine events of this case.
  const std::string events_after = AuditLine();
  EXPECT_TRUE(Contains(events_after, "21 case(s)")) << events_after;
  EXPECT_NE(events_before, events_after);
  const std::string list = Ok({"case", "list", "--as", "li.na", "--id-number", kIdZhang});
  EXPECT_TRUE(Contains(list, "case " + id)) << list;
  EXPECT_TRUE(Contains(list, "1 case(s)")) << list;
}

// -------------------------------------------------------------- bad input ----

class CliRefusalTest : public CliTest {
 protected:
  void SetUp() override {
    MigrateAndDemo();
    case_id_ = Discover("wang.hua", kIdZhang, "张三");
    Ok({"case", "accept", "--as", "li.na", "--case", case_id_});
    ASSERT_EQ(Show("li.na", case_id_)["state"], "assess");
    WriteFile(dir_.File("assessment.json"), kAssessment);
  }

  // Everything a command could have changed, as the program reports it.
  std::string Snapshot() {
    return AuditLine() + Show("li.na", case_id_).dump() +
           Ok({"case", "list", "--as", "liu.yang", "--limit", "1000"});
  }

  // Runs `args` and expects a refusal: non-zero exit, a one-line "error: "
  // on stderr containing `message_part`, nothing on stdout, nothing changed.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& message_part,
                     int exit_code) {
    SCOPED_TRACE(CommandLine(args));
    const std::string before = Snapshot();
    const RunResult r = Jiuzhu(args);
    EXPECT_EQ(r.exit_code, exit_code) << Describe(args, r);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << Describe(args, r);
    EXPECT_TRUE(Contains(r.err, message_part)) << "stderr lacks \"" << message_part << "\"\n"
                                               << Describe(args, r);
    EXPECT_EQ(r.out, "") << Describe(args, r);
    EXPECT_EQ(Snapshot(), before) << "a refused command changed something";
  }

  std::string case_id_;
};

TEST_F(CliRefusalTest, UnknownUser) {
  ExpectRefused({"case", "assess", "--as", "nobody", "--case", case_id_, "--data",
                 dir_.File("assessment.json")},
                "unknown user \"nobody\"", 1);
  ExpectRefused({"inbox", "--as", "nobody"}, "unknown user \"nobody\"", 1);
}

TEST_F(CliRefusalTest, InvalidIdNumber) {
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "dibao", "--id-number",
                 kIdBadCheck, "--name", "李四", "--village", kXingguang},
                "[field: id_number]", 2);
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "dibao", "--id-number",
                 kIdBadCheck, "--name", "李四", "--village", kXingguang},
                "check character should be '9'", 2);
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "dibao", "--id-number",
                 "64020219750505", "--name", "李四", "--village", kXingguang},
                "[field: id_number]", 2);
}

TEST_F(CliRefusalTest, UnknownProgramme) {
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "yanglao", "--id-number",
                 kIdLi, "--name", "李四", "--village", kXingguang},
                "unknown programme \"yanglao\"", 2);
}

TEST_F(CliRefusalTest, UnknownVillage) {
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "dibao", "--id-number",
                 kIdLi, "--name", "李四", "--village", "640202999999"},
                "\"640202999999\" [field: village]", 2);
}

TEST_F(CliRefusalTest, IllegalTransition) {
  // The approver may approve, but not a case still being assessed.
  ExpectRefused({"case", "approve", "--as", "chen.jing", "--case", case_id_},
                "'approve' is not allowed in state 'assess'", 1);
  ExpectRefused({"case", "accept", "--as", "li.na", "--case", case_id_}, "failed_precondition", 1);
}

TEST_F(CliRefusalTest, WrongPersonOrStaleVersion) {
  ExpectRefused({"case", "assess", "--as", "chen.jing", "--case", case_id_, "--data",
                 dir_.File("assessment.json")},
                "permission_denied", 1);
  ExpectRefused({"case", "assess", "--as", "li.na", "--case", case_id_, "--version", "1", "--data",
                 dir_.File("assessment.json")},
                "is at version 2", 1);
}

TEST_F(CliRefusalTest, UnknownOption) {
  ExpectRefused({"case", "show", "--as", "li.na", "--case", case_id_, "--colour", "red"},
                "unknown option(s): --colour", 2);
  ExpectRefused({"case", "assess", "--as", "li.na", "--case", case_id_, "--dta",
                 dir_.File("assessment.json")},
                "--dta", 2);
}

TEST_F(CliRefusalTest, MissingRequiredOption) {
  ExpectRefused({"case", "assess", "--as", "li.na", "--case", case_id_},
                "missing required option --data", 2);
  ExpectRefused({"case", "accept", "--as", "li.na"}, "missing required option --case", 2);
  ExpectRefused({"case", "discover", "--as", "wang.hua", "--programme", "dibao", "--name", "李四",
                 "--village", kXingguang},
                "missing required option --id-number", 2);
  ExpectRefused({"inbox"}, "missing required option --as", 2);
}

TEST_F(CliRefusalTest, MalformedDataFile) {
  WriteFile(dir_.File("bad.json"), R"({"members": [{"name": "张三"}], "annual_income_yuan": )");
  ExpectRefused(
      {"case", "assess", "--as", "li.na", "--case", case_id_, "--data", dir_.File("bad.json")},
      "assessment data is not valid", 2);
  WriteFile(dir_.File("no-members.json"), R"({"deposits_yuan": 100})");
  ExpectRefused({"case", "assess", "--as", "li.na", "--case", case_id_, "--data",
                 dir_.File("no-members.json")},
                "at least one household member", 2);
}

TEST_F(CliRefusalTest, NonexistentDataFile) {
  ExpectRefused(
      {"case", "assess", "--as", "li.na", "--case", case_id_, "--data", dir_.File("missing.json")},
      "cannot read file " + dir_.File("missing.json"), 2);
}

TEST_F(CliRefusalTest, UnknownCommand) {
  ExpectRefused({"frobnicate"}, "unknown command \"frobnicate\"", 2);
  ExpectRefused({"case", "frobnicate", "--as", "li.na", "--case", case_id_},
                "unknown case command \"frobnicate\"", 2);
  ExpectRefused({"audit", "verfiy"}, "usage: jiuzhu audit verify", 2);
}

TEST_F(CliRefusalTest, TheCaseStillWorksAfterwards) {
  ExpectRefused(
      {"case", "assess", "--as", "li.na", "--case", case_id_, "--data", dir_.File("missing.json")},
      "cannot read file", 2);
  Step("assess", "li.na", case_id_, {"--data", dir_.File("assessment.json")}, "commit");
}

// ------------------------------------------------------------ tamper tests ---

class CliTamperTest : public CliTest {
 protected:
  void SetUp() override {
    MigrateAndDemo();
    case_id_ = Discover("wang.hua", kIdZhang, "张三");
    Ok({"case", "accept", "--as", "li.na", "--case", case_id_});
    WriteFile(dir_.File("assessment.json"), kAssessment);
    Ok({"case", "assess", "--as", "li.na", "--case", case_id_, "--data",
        dir_.File("assessment.json")});
    Ok({"case", "pledge", "--as", "li.na", "--case", case_id_, "--signer", "张三"});
    Ok({"case", "approve", "--as", "chen.jing", "--case", case_id_});
    ASSERT_EQ(Show("li.na", case_id_)["timeline"].size(), 5u);
  }

  // A copy of the database (with its key file) to damage; returns its URL.
  std::string FreshCopy(const std::string& name) {
    namespace fs = std::filesystem;
    for (const char* suffix : {"", "-wal", "-shm", ".secret"}) {
      const fs::path from = dir_.File(std::string("j.db") + suffix);
      if (fs::exists(from)) fs::copy_file(from, dir_.File(name + suffix));
    }
    return "sqlite:" + dir_.File(name);
  }

  // Runs `sql` on the database file behind `url` through the SQLite C API.
  void Tamper(const std::string& url, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(url.substr(7).c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << "\n" << sql;
    EXPECT_GT(sqlite3_total_changes(db), 0) << sql;
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // `audit verify` on `url` must fail naming this case, the event and kind.
  void ExpectVerifyFails(const std::string& url, const std::vector<std::string>& expected) {
    const RunResult r = JiuzhuOn(url, {"audit", "verify"});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    for (const auto& e : expected)
      EXPECT_TRUE(Contains(r.out, e)) << "lacks " << e << ":\n" << r.out;
    EXPECT_TRUE(Contains(r.out, "audit verify: FAILED")) << r.out;
    // Only the damaged case is named.
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("case ", 0) == 0) {
        EXPECT_EQ(line.rfind("case " + case_id_ + " event ", 0), 0u) << line;
      }
    }
  }

  std::string Where(int seq) const {
    return " WHERE case_id = " + case_id_ + " AND seq = " + std::to_string(seq);
  }

  std::string case_id_;
};

TEST_F(CliTamperTest, UntouchedCopyVerifies) {
  const std::string url = FreshCopy("copy.db");
  const RunResult r = JiuzhuOn(url, {"audit", "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "audit verify: OK — 21 case(s)")) << r.out;
}

TEST_F(CliTamperTest, EditedPayloadIsNamed) {
  const std::string url = FreshCopy("edited.db");
  Tamper(url, "UPDATE audit_events SET payload = replace(payload, '6000', '60000')" + Where(3));
  ExpectVerifyFails(url, {"case " + case_id_ + " event 3: edited"});
  // The case view flags the chain too.
  const RunResult show = JiuzhuOn(url, {"case", "show", "--as", "li.na", "--case", case_id_});
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_TRUE(Contains(show.out, "audit chain: BROKEN")) << show.out;
  // The original is untouched.
  EXPECT_TRUE(Contains(AuditLine(), "audit verify: OK"));
}

TEST_F(CliTamperTest, DeletedMiddleEventIsNamed) {
  const std::string url = FreshCopy("deleted.db");
  Tamper(url, "DELETE FROM audit_events" + Where(3));
  ExpectVerifyFails(url, {"case " + case_id_ + " event 3: deleted"});
}

TEST_F(CliTamperTest, SwappedSeqValuesAreNamed) {
  const std::string url = FreshCopy("swapped.db");
  Tamper(url, "BEGIN; UPDATE audit_events SET seq = -1" + Where(2) +
                  "; UPDATE audit_events SET seq = 2" + Where(3) +
                  "; UPDATE audit_events SET seq = 3" + Where(-1) + "; COMMIT;");
  ExpectVerifyFails(url, {"case " + case_id_ + " event 2: reordered",
                          "case " + case_id_ + " event 3: reordered"});
}

TEST_F(CliTamperTest, EachCopyIsJudgedOnItsOwn) {
  const std::string edited = FreshCopy("a.db");
  Tamper(edited, "UPDATE audit_events SET actor = 'mallory'" + Where(4));
  ExpectVerifyFails(edited, {"case " + case_id_ + " event 4: edited"});
  const std::string clean = FreshCopy("b.db");
  const RunResult r = JiuzhuOn(clean, {"audit", "verify"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Contains(r.out, "every chain intact")) << r.out;
}

// Post-audit from the command line: the seed is printed when the sample is fixed, the draw
// samples the fast-track approval, and `audit resample` re-derives it (exit 0) or names what
// was changed in the database afterwards (exit 1).
TEST_F(CliTamperTest, SampleDrawAndResampleFromTheCommandLine) {
  const RunResult refused = Jiuzhu({"audit", "sample", "--as", "chen.jing", "--from", "2020-01-01",
                                    "--to", "2100-01-01", "--rate", "100%"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_TRUE(Contains(refused.err, "only auditors")) << refused.err;
  const RunResult bad_rate = Jiuzhu({"audit", "sample", "--as", "zhou.min", "--from", "2020-01-01",
                                     "--to", "2100-01-01", "--rate", "150%"});
  EXPECT_EQ(bad_rate.exit_code, 2) << bad_rate.out << bad_rate.err;

  const std::string created = Ok({"audit", "sample", "--as", "zhou.min", "--from", "2020-01-01",
                                  "--to", "2100-01-01", "--rate", "100%"});
  ASSERT_TRUE(Contains(created, "seed (recorded before the draw): ")) << created;
  const std::string sample_id = created.substr(7, created.find(' ', 7) - 7);
  const std::string seed = created.substr(created.find("draw): ") + 7, 64);
  const std::string drawn = Ok({"audit", "draw", "--as", "zhou.min", "--sample", sample_id});
  EXPECT_TRUE(Contains(drawn, "case " + case_id_ + " (approved by chen.jing)")) << drawn;
  const RunResult again = Jiuzhu({"audit", "draw", "--as", "zhou.min", "--sample", sample_id});
  EXPECT_EQ(again.exit_code, 1) << again.out;

  const RunResult ok = Jiuzhu({"audit", "resample", sample_id});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_TRUE(Contains(ok.out, "seed " + seed)) << ok.out;
  EXPECT_TRUE(Contains(ok.out, "audit resample: OK")) << ok.out;

  const std::string moved = FreshCopy("population.db");
  Tamper(moved, "UPDATE audit_population SET approver = 'mallory' WHERE case_id = " + case_id_);
  RunResult r = JiuzhuOn(moved, {"audit", "resample", sample_id});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "MISMATCH")) << r.out;
  EXPECT_TRUE(Contains(r.out, "changed after the draw")) << r.out;

  const std::string reseeded = FreshCopy("seed.db");
  Tamper(reseeded, "UPDATE audit_samples SET seed = '" + std::string(64, 'a') + "' WHERE id = " + sample_id);
  r = JiuzhuOn(reseeded, {"audit", "resample", sample_id});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.out, "MISMATCH")) << r.out;

  r = Jiuzhu({"audit", "resample", "12x"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  r = Jiuzhu({"audit", "resample", "999"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Contains(r.err, "not found")) << r.err;
}

}  // namespace
}  // namespace jiuzhu
