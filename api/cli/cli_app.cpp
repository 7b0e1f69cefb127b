#include "api/cli/cli_app.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/cli/args.hpp"
#include "api/cli/serve_command.hpp"
#include "api/runtime/deadline_clock.hpp"
#include "api/runtime/demo_data.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/access/access_policy.hpp"
#include "engine/assessment/household_json.hpp"
#include "engine/audit/audit_chain.hpp"
#include "engine/usecases/post_audit.hpp"
#include "engine/usecases/case_commands.hpp"

namespace jiuzhu::cli {

namespace {

constexpr const char* kUsage = R"(jiuzhu — social assistance case engine (救助)

Usage: jiuzhu [--db URL] [--workflows DIR] [--migrations DIR] [--secret-file F] <command> ...

  --db URL   sqlite:PATH (default sqlite:var/jiuzhu.db) or mysql://user:pass@host:port/db

Commands:
  serve [--demo] [--listen HOST:PORT] [--workers N] [--jwt-secret-file F | --jwt-algorithm RS256
        --jwt-private-key F --jwt-public-key F] [--log-level L] [--web DIR]
                                            the HTTP API (and web app); --demo loads demo data
                                            into an empty database. Env: JIUZHU_DB, JIUZHU_LISTEN,
                                            JIUZHU_JWT_SECRET, JIUZHU_WORKERS, JIUZHU_LOG_LEVEL
  migrate                                   apply database migrations
  demo [--cases N] [--seed S]               load the demo org tree, people and N cases (default 300)
  org load --units F --users F              load an org tree and its people from JSON
  users                                     list people and their roles
  inbox --as USER [--mine|--queue] [--programme P] [--kind K] [--overdue] [--limit N] [--after DUE,ID]
  task claim|release --as USER --task ID
  case discover --as USER --programme P --id-number X --name N --village V [--source S]
  case accept|choose-ordinary|approve|monitor --as USER --case ID
  case assess --as USER --case ID --data FILE.json
  case pledge --as USER --case ID --signer NAME [--statement T] [--unsigned]
  case review --as USER --case ID --for N --against M
  case reject|send-back|close|revoke|reassess --as USER --case ID --reason TEXT [--amount YUAN]
  case refer --as USER --case ID --to DEPT[:note] [--to DEPT ...]
  case feedback --as USER --case ID --department DEPT --answer provided|declined|not_applicable
                [--details T] [--amount YUAN]
  case show --as USER --case ID [--json]
  case list --as USER [--programme P] [--state S] [--name N] [--id-number X] [--limit N]
  audit verify                              check every case's audit chain
  audit sample --as AUDITOR --from D --to D --rate R [--strata district,street,approver,programme]
               [--minimum N] [--programme P] [--org PATH] [--flagged]
                                            fix a post-audit sample; its seed is recorded and printed
  audit draw --as AUDITOR --sample ID       draw it (freeze the population, open the audit tasks)
  audit resample SAMPLE-ID                  re-derive a post-audit sample from its recorded seed,
                                            parameters and frozen population; exit 0 only if it
                                            matches what was drawn exactly
  deadlines tick [--now INSTANT] [--batch N] fire every escalation level due now (or at INSTANT,
                                            e.g. 2026-12-01T09:00:00+08:00), as `serve` does each
                                            second; safe to run beside servers on one database

Every case command also takes --version V (refuse if the case moved on) and --comment TEXT.
)";

const std::set<std::string> kFlags = {"mine", "queue", "overdue", "json", "unsigned", "help", "demo"};
const std::set<std::string> kGlobal = {"db", "workflows", "migrations", "secret-file", "help"};

std::set<std::string> With(std::set<std::string> s) {
  s.insert(kGlobal.begin(), kGlobal.end());
  return s;
}

int Fail(const Status& s) {
  std::cerr << "error: " << s.ToString() << "\n";
  return s.code() == ErrorCode::kInvalidArgument ? 2 : 1;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot read file " + path, "data");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Local(Micros t) { return t ? FormatLocal(t, ShanghaiZone()) : std::string("-"); }

std::string UnitName(const Runtime& rt, const std::string& id) {
  const OrgUnitRecord* u = rt.org().Find(id);
  return u ? u->name : id;
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const Args& args, const Clock* clock = nullptr) {
  RuntimeOptions o;
  o.clock = clock;
  o.db_url = args.GetOr("db", o.db_url);
  if (const char* env = std::getenv("JIUZHU_DB"); env && *env && !args.Has("db")) o.db_url = env;
  o.workflows_dir = args.GetOr("workflows", "");
  o.migrations_dir = args.GetOr("migrations", "");
  if (auto f = args.Get("secret-file")) {
    JZ_ASSIGN_OR_RETURN(std::string s, ReadFile(*f));
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    o.secret = s;
  }
  return Runtime::Open(o);
}

// Opens, migrates and loads the org tree: what every working command needs.
Result<std::unique_ptr<Runtime>> OpenReady(const Args& args) {
  JZ_ASSIGN_OR_RETURN(auto rt, OpenRuntime(args));
  JZ_RETURN_IF_ERROR(rt->Migrate());
  JZ_RETURN_IF_ERROR(rt->LoadOrg());
  return rt;
}

void PrintTask(const Runtime& rt, const TaskRecord& t, Micros now) {
  const bool overdue = t.due_at < now && (t.state == TaskState::kOpen || t.state == TaskState::kClaimed);
  std::printf("  task %lld  %-22s %-9s case %lld  %s · %s  due %s%s%s\n",
              static_cast<long long>(t.id), t.kind.c_str(), TaskStateName(t.state),
              static_cast<long long>(t.case_id), t.role.c_str(),
              UnitName(rt, t.org_unit_id).c_str(), Local(t.due_at).c_str(),
              overdue ? "  [OVERDUE]" : "",
              t.claimed_by.empty() ? "" : ("  claimed by " + t.claimed_by).c_str());
}

void PrintOutcome(const Runtime& rt, const CommandOutcome& out) {
  const CaseRecord& c = out.case_after;
  if (out.existing) {
    std::printf("existing case %lld: this person already has an open case (state %s); "
                "nothing was created\n",
                static_cast<long long>(c.id), CaseStateName(c.state));
    return;
  }
  std::printf("case %lld  %s → %s  (version %lld)\n", static_cast<long long>(c.id),
              out.event.from_state.empty() ? "new" : out.event.from_state.c_str(),
              out.event.to_state.c_str(), static_cast<long long>(c.version));
  for (const auto& t : out.updated_tasks) PrintTask(rt, t, rt.ctx().clock->Now());
  for (const auto& t : out.opened_tasks) PrintTask(rt, t, rt.ctx().clock->Now());
}

int CmdMigrate(const Args& args) {
  if (Status s = args.OnlyKnown(kGlobal); !s.ok()) return Fail(s);
  auto rt = OpenRuntime(args);
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  auto versions = (*rt)->store().AppliedMigrations();
  if (!versions.ok()) return Fail(versions.status());
  std::printf("migrations applied (%s): ", (*rt)->dialect().c_str());
  for (int v : *versions) std::printf("%04d ", v);
  std::printf("\n");
  return 0;
}

int CmdDemo(const Args& args) {
  if (Status s = args.OnlyKnown(With({"cases", "seed"})); !s.ok()) return Fail(s);
  auto cases = args.OptionalInt("cases");
  auto seed = args.OptionalInt("seed");
  if (!cases.ok()) return Fail(cases.status());
  if (!seed.ok()) return Fail(seed.status());
  DemoOptions o;
  if (*cases) o.cases = static_cast<int>(**cases);
  if (*seed) o.seed = static_cast<unsigned>(**seed);
  if (o.cases < 0 || o.cases > 1000000) return Fail(InvalidArgument("--cases must be 0..1000000", "cases"));
  auto rt = OpenRuntime(args);
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  auto summary = LoadDemo(**rt, o);
  if (!summary.ok()) return Fail(summary.status());
  std::printf("demo loaded: %zu org units, %d cases in the database (%d commands just run)\n",
              (*rt)->org().units().size(), summary->cases, summary->commands);
  for (const auto& [state, n] : summary->by_state) std::printf("  %-10s %d\n", state.c_str(), n);
  return 0;
}

int CmdOrgLoad(const Args& args) {
  if (Status s = args.OnlyKnown(With({"units", "users"})); !s.ok()) return Fail(s);
  auto units = args.Require("units");
  auto users = args.Require("users");
  if (!units.ok()) return Fail(units.status());
  if (!users.ok()) return Fail(users.status());
  auto rt = OpenRuntime(args);
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  if (Status s = (*rt)->ImportOrg(*units, *users); !s.ok()) return Fail(s);
  std::printf("org tree loaded: %zu units\n", (*rt)->org().units().size());
  return 0;
}

int CmdUsers(const Args& args) {
  if (Status s = args.OnlyKnown(kGlobal); !s.ok()) return Fail(s);
  auto rt = OpenReady(args);
  if (!rt.ok()) return Fail(rt.status());
  auto users = (*rt)->store().ListUsers();
  if (!users.ok()) return Fail(users.status());
  for (const auto& u : *users) {
    std::printf("%-18s %s\n", u.username.c_str(), u.display_name.c_str());
    for (const auto& rb : u.roles) {
      std::printf("%-18s   %s @ %s (%s)\n", "", rb.role.c_str(), UnitName(**rt, rb.org_unit_id).c_str(),
                  rb.org_unit_id.c_str());
    }
  }
  return 0;
}

int CmdInbox(const Args& args) {
  if (Status s = args.OnlyKnown(With({"as", "mine", "queue", "programme", "kind", "overdue", "limit", "after"}));
      !s.ok()) {
    return Fail(s);
  }
  auto as = args.Require("as");
  if (!as.ok()) return Fail(as.status());
  auto limit = args.OptionalInt("limit");
  if (!limit.ok()) return Fail(limit.status());
  auto rt = OpenReady(args);
  if (!rt.ok()) return Fail(rt.status());
  auto user = (*rt)->User(*as);
  if (!user.ok()) return Fail(user.status());
  InboxQuery q;
  q.roles = user->roles;
  q.username = user->username;
  q.mine_only = args.Has("mine");
  q.queue_only = args.Has("queue");
  q.programme = args.GetOr("programme", "");
  q.kind = args.GetOr("kind", "");
  q.now = (*rt)->ctx().clock->Now();
  if (args.Has("overdue")) q.overdue = true;
  if (*limit) q.limit = static_cast<int>(**limit);
  if (q.limit < 1 || q.limit > 1000) return Fail(InvalidArgument("--limit must be 1..1000", "limit"));
  if (auto after = args.Get("after")) {
    const auto comma = after->find(',');
    if (comma == std::string::npos) return Fail(InvalidArgument("--after takes DUE,ID from the last page", "after"));
    q.after_due = std::atoll(after->substr(0, comma).c_str());
    q.after_id = std::atoll(after->substr(comma + 1).c_str());
  }
  auto page = (*rt)->store().ListInbox(q);
  if (!page.ok()) return Fail(page.status());
  std::printf("inbox of %s (%s): %lld task(s)\n", user->username.c_str(), user->display_name.c_str(),
              static_cast<long long>(page->total));
  for (const auto& t : page->tasks) PrintTask(**rt, t, q.now);
  if (!page->tasks.empty() && static_cast<int>(page->tasks.size()) == q.limit) {
    const auto& last = page->tasks.back();
    std::printf("more: --after %lld,%lld\n", static_cast<long long>(last.due_at),
                static_cast<long long>(last.id));
  }
  return 0;
}

int CmdTask(const Args& args) {
  if (Status s = args.OnlyKnown(With({"as", "task"})); !s.ok()) return Fail(s);
  if (args.positional().size() < 2) return Fail(InvalidArgument("task needs claim or release"));
  const std::string verb = args.positional()[1];
  if (verb != "claim" && verb != "release") {
    return Fail(InvalidArgument("unknown task command \"" + verb + "\" (claim, release)"));
  }
  auto as = args.Require("as");
  auto task = args.RequireInt("task");
  if (!as.ok()) return Fail(as.status());
  if (!task.ok()) return Fail(task.status());
  auto rt = OpenReady(args);
  if (!rt.ok()) return Fail(rt.status());
  auto user = (*rt)->User(*as);
  if (!user.ok()) return Fail(user.status());
  Runtime& r = **rt;
  TaskCommand cmd{*user, *task};
  auto out = r.executor().Run<CommandOutcome>([&](StoreTxn& txn) {
    return verb == "claim" ? ClaimTask(r.ctx(), txn, cmd) : ReleaseTask(r.ctx(), txn, cmd);
  });
  if (!out.ok()) return Fail(out.status());
  std::printf("task %lld %s\n", static_cast<long long>(*task), verb == "claim" ? "claimed" : "released");
  return 0;
}

nlohmann::json CaseJson(const Runtime& rt, const UserRecord& viewer, const CaseRecord& c,
                        const std::vector<TaskRecord>& tasks,
                        const std::vector<ReferralRecord>& referrals,
                        const std::vector<AuditEventRecord>& events) {
  nlohmann::json j = {{"id", c.id},
                      {"programme", c.programme},
                      {"state", CaseStateName(c.state)},
                      {"route", RouteName(c.route)},
                      {"pool", PoolName(c.pool)},
                      {"version", c.version},
                      {"applicant_name", c.applicant_name},
                      {"id_number", c.id_masked},
                      {"village", c.village_id},
                      {"created_at", FormatUtc(c.created_at)},
                      {"promised_by", c.promised_by ? FormatUtc(c.promised_by) : ""}};
  if (ActorSeesFullId(rt.org(), rt.programmes(), viewer, c)) {
    auto full = rt.ids().Decrypt(c.id_cipher);
    if (full.ok()) j["id_number"] = *full;
  }
  if (!c.assessment_json.empty()) j["assessment"] = nlohmann::json::parse(c.assessment_json);
  j["tasks"] = nlohmann::json::array();
  for (const auto& t : tasks) {
    j["tasks"].push_back({{"id", t.id}, {"kind", t.kind}, {"state", TaskStateName(t.state)},
                          {"role", t.role}, {"unit", t.org_unit_id}, {"due_at", FormatUtc(t.due_at)},
                          {"claimed_by", t.claimed_by}, {"outcome", t.outcome}});
  }
  j["referrals"] = nlohmann::json::array();
  for (const auto& r : referrals) {
    j["referrals"].push_back({{"department", r.department_code}, {"unit", r.department_unit_id},
                              {"status", r.status == ReferralStatus::kAnswered ? "answered" : "pending"},
                              {"answer", r.answer}, {"due_at", FormatUtc(r.due_at)}});
  }
  j["timeline"] = nlohmann::json::array();
  for (const auto& e : events) {
    j["timeline"].push_back({{"seq", e.seq}, {"at", FormatUtc(e.at)}, {"actor", e.actor},
                             {"role", e.role}, {"unit", e.org_unit_id}, {"action", e.action},
                             {"from", e.from_state}, {"to", e.to_state},
                             {"payload", nlohmann::json::parse(e.payload, nullptr, false)}});
  }
  const auto problems = VerifyCaseChain(c.id, events, c.audit_head_seq, c.audit_head_hash);
  j["audit_chain_ok"] = problems.empty();
  return j;
}

int CmdCaseShow(Runtime& rt, const UserRecord& user, CaseId id, bool json) {
  auto c = rt.store().GetCase(id);
  if (!c.ok()) return Fail(c.status());
  auto referrals = rt.store().ListReferralsForCase(id);
  if (!referrals.ok()) return Fail(referrals.status());
  if (!*c || !ActorSeesCase(rt.org(), user, **c, *referrals)) {
    return Fail(NotFound("case " + std::to_string(id) + " not found"));
  }
  auto tasks = rt.store().ListTasksForCase(id);
  auto events = rt.store().ListAuditEvents(id);
  if (!tasks.ok()) return Fail(tasks.status());
  if (!events.ok()) return Fail(events.status());
  const nlohmann::json j = CaseJson(rt, user, **c, *tasks, *referrals, *events);
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  const CaseRecord& k = **c;
  const Programme* p = rt.programmes().Find(k.programme).ok() ? *rt.programmes().Find(k.programme) : nullptr;
  std::printf("case %lld  %s %s  %s  version %lld\n", static_cast<long long>(k.id),
              p ? p->short_zh.c_str() : k.programme.c_str(), k.applicant_name.c_str(),
              j["id_number"].get<std::string>().c_str(), static_cast<long long>(k.version));
  std::printf("  state %s (%s)  route %s  pool %s  village %s\n", CaseStateName(k.state),
              CaseStateLabelZh(k.state), RouteName(k.route), PoolName(k.pool),
              UnitName(rt, k.village_id).c_str());
  std::printf("  reported %s", Local(k.created_at).c_str());
  if (k.promised_by) std::printf("   decision promised by %s", Local(k.promised_by).c_str());
  std::printf("\n");
  if (!k.assessment_json.empty()) {
    std::printf("  assessment: %s\n", j["assessment"].value("reason", "").c_str());
  }
  std::printf("tasks:\n");
  for (const auto& t : *tasks) PrintTask(rt, t, rt.ctx().clock->Now());
  if (!referrals->empty()) std::printf("referrals:\n");
  for (const auto& r : *referrals) {
    std::printf("  %-12s %-8s %s  due %s\n", r.department_code.c_str(),
                r.status == ReferralStatus::kAnswered ? "answered" : "pending", r.answer.c_str(),
                Local(r.due_at).c_str());
  }
  std::printf("timeline (Asia/Shanghai):\n");
  for (const auto& e : *events) {
    std::printf("  #%lld %s  %-16s %-10s → %-10s by %s (%s @ %s)\n", static_cast<long long>(e.seq),
                Local(e.at).c_str(), e.action.c_str(), e.from_state.empty() ? "-" : e.from_state.c_str(),
                e.to_state.c_str(), e.actor.c_str(), e.role.c_str(), UnitName(rt, e.org_unit_id).c_str());
  }
  std::printf("audit chain: %s\n", j["audit_chain_ok"].get<bool>() ? "verified" : "BROKEN (run jiuzhu audit verify)");
  return 0;
}

int CmdCaseList(Runtime& rt, const UserRecord& user, const Args& args) {
  CaseQuery q;
  q.org_paths = ScopePaths(rt.org(), user);
  if (q.org_paths.empty()) {
    std::printf("no cases: %s holds no role at a place of the org tree\n", user.username.c_str());
    return 0;
  }
  q.programme = args.GetOr("programme", "");
  if (auto s = args.Get("state")) {
    q.state = ParseCaseState(*s);
    if (!q.state) return Fail(InvalidArgument("unknown state \"" + *s + "\"", "state"));
  }
  q.name_contains = args.GetOr("name", "");
  if (auto idn = args.Get("id-number")) {
    const std::string n = NormalizeIdNumber(*idn);
    if (Status s = ValidateIdNumber(n); !s.ok()) return Fail(s);
    q.id_hash = rt.ids().DedupHash(n);
  }
  auto limit = args.OptionalInt("limit");
  if (!limit.ok()) return Fail(limit.status());
  if (*limit) q.limit = static_cast<int>(**limit);
  auto cases = rt.store().ListCases(q);
  if (!cases.ok()) return Fail(cases.status());
  for (const auto& c : *cases) {
    std::printf("case %lld  %-7s %-9s %-10s %-8s %s  %s\n", static_cast<long long>(c.id),
                c.programme.c_str(), CaseStateName(c.state), RouteName(c.route), c.applicant_name.c_str(),
                c.id_masked.c_str(), UnitName(rt, c.village_id).c_str());
  }
  std::printf("%zu case(s)\n", cases->size());
  return 0;
}

Result<AssessRequest> ParseAssessment(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("assessment data is not valid JSON", "data");
  AssessRequest a;
  JZ_ASSIGN_OR_RETURN(a.household, ParseHouseholdJson(j));
  return a;
}

int CmdCase(const Args& args) {
  if (args.positional().size() < 2) return Fail(InvalidArgument("case needs a sub-command; see jiuzhu --help"));
  const std::string verb = args.positional()[1];
  if (Status s = args.OnlyKnown(With({"as", "case", "version", "comment", "programme", "id-number", "name",
                                      "village", "source", "data", "signer", "statement", "unsigned",
                                      "for", "against", "reason", "amount", "to", "department", "answer",
                                      "details", "json", "state", "limit"}));
      !s.ok()) {
    return Fail(s);
  }
  auto as = args.Require("as");
  if (!as.ok()) return Fail(as.status());
  auto rt_or = OpenReady(args);
  if (!rt_or.ok()) return Fail(rt_or.status());
  Runtime& rt = **rt_or;
  auto user = rt.User(*as);
  if (!user.ok()) return Fail(user.status());

  if (verb == "discover") {
    DiscoverRequest d;
    d.actor = *user;
    for (auto [field, target] : {std::pair{"programme", &d.programme}, std::pair{"id-number", &d.id_number},
                                 std::pair{"name", &d.applicant_name}, std::pair{"village", &d.village_id}}) {
      auto v = args.Require(field);
      if (!v.ok()) return Fail(v.status());
      *target = *v;
    }
    d.source = args.GetOr("source", "");
    d.comment = args.GetOr("comment", "");
    auto out = rt.executor().Run<CommandOutcome>([&](StoreTxn& txn) { return DiscoverCase(rt.ctx(), txn, d); });
    if (!out.ok()) return Fail(out.status());
    if (args.Has("json")) {
      std::printf("%s\n", nlohmann::json{{"id", out->case_after.id}, {"existing", out->existing},
                                         {"state", CaseStateName(out->case_after.state)}}.dump().c_str());
    } else {
      PrintOutcome(rt, *out);
    }
    return 0;
  }
  if (verb == "list") return CmdCaseList(rt, *user, args);

  auto id = args.RequireInt("case");
  if (!id.ok()) return Fail(id.status());
  if (verb == "show") return CmdCaseShow(rt, *user, *id, args.Has("json"));

  auto version = args.OptionalInt("version");
  if (!version.ok()) return Fail(version.status());
  CaseCommand cmd;
  cmd.actor = *user;
  cmd.case_id = *id;
  cmd.expected_version = *version;
  cmd.comment = args.GetOr("comment", "");
  std::function<Result<CommandOutcome>(StoreTxn&)> run;
  const EngineContext& ctx = rt.ctx();
  auto reasoned = [&](auto fn) -> Result<std::function<Result<CommandOutcome>(StoreTxn&)>> {
    auto amount = args.NumberOr("amount", 0);
    if (!amount.ok()) return amount.status();
    ReasonedCommand r{cmd, args.GetOr("reason", ""), *amount};
    return std::function<Result<CommandOutcome>(StoreTxn&)>(
        [&ctx, r, fn](StoreTxn& txn) { return fn(ctx, txn, r); });
  };
  if (verb == "accept") {
    run = [&](StoreTxn& txn) { return AcceptCase(ctx, txn, cmd); };
  } else if (verb == "choose-ordinary") {
    run = [&](StoreTxn& txn) { return ChooseOrdinaryRoute(ctx, txn, cmd); };
  } else if (verb == "approve") {
    run = [&](StoreTxn& txn) { return ApproveCase(ctx, txn, cmd); };
  } else if (verb == "monitor") {
    run = [&](StoreTxn& txn) { return StartMonitoring(ctx, txn, cmd); };
  } else if (verb == "assess") {
    auto file = args.Require("data");
    if (!file.ok()) return Fail(file.status());
    auto text = ReadFile(*file);
    if (!text.ok()) return Fail(text.status());
    auto a = ParseAssessment(*text);
    if (!a.ok()) return Fail(a.status());
    a->cmd = cmd;
    AssessRequest req = *a;
    run = [&ctx, req](StoreTxn& txn) { return AssessCase(ctx, txn, req); };
  } else if (verb == "pledge") {
    PledgeRequest p{cmd, !args.Has("unsigned"), args.GetOr("signer", ""), args.GetOr("statement", "本人承诺所申报信息真实完整")};
    run = [&ctx, p](StoreTxn& txn) { return PledgeCase(ctx, txn, p); };
  } else if (verb == "review") {
    auto f = args.RequireInt("for");
    auto a = args.RequireInt("against");
    if (!f.ok()) return Fail(f.status());
    if (!a.ok()) return Fail(a.status());
    ReviewRequest r{cmd, static_cast<int>(*f), static_cast<int>(*a)};
    run = [&ctx, r](StoreTxn& txn) { return CompleteReview(ctx, txn, r); };
  } else if (verb == "reject" || verb == "send-back" || verb == "close" || verb == "revoke" || verb == "reassess") {
    auto fn = verb == "reject" ? &RejectCase
              : verb == "send-back" ? &SendBackCase
              : verb == "close" ? &CloseCase
              : verb == "revoke" ? &RevokeCase : &ReassessCase;
    auto r = reasoned(fn);
    if (!r.ok()) return Fail(r.status());
    run = *r;
  } else if (verb == "refer") {
    ReferRequest r;
    r.cmd = cmd;
    for (const auto& spec : args.All("to")) {
      const auto colon = spec.find(':');
      r.referrals.push_back({spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)});
    }
    run = [&ctx, r](StoreTxn& txn) { return ReferCase(ctx, txn, r); };
  } else if (verb == "feedback") {
    auto amount = args.NumberOr("amount", 0);
    if (!amount.ok()) return Fail(amount.status());
    FeedbackRequest f{cmd, args.GetOr("department", ""), args.GetOr("answer", ""), args.GetOr("details", ""), *amount};
    run = [&ctx, f](StoreTxn& txn) { return RecordFeedback(ctx, txn, f); };
  } else {
    return Fail(InvalidArgument("unknown case command \"" + verb + "\"; see jiuzhu --help"));
  }
  auto out = rt.executor().Run<CommandOutcome>(run);
  if (!out.ok()) return Fail(out.status());
  PrintOutcome(rt, *out);
  return 0;
}

int CmdDeadlines(const Args& args) {
  if (Status s = args.OnlyKnown(With({"now", "batch"})); !s.ok()) return Fail(s);
  if (args.positional().size() < 2 || args.positional()[1] != "tick") {
    return Fail(InvalidArgument("usage: jiuzhu deadlines tick [--now INSTANT]"));
  }
  std::unique_ptr<ManualClock> clock;
  if (auto now = args.Get("now")) {
    auto t = ParseInstant(*now);
    if (!t.ok()) return Fail(InvalidArgument(t.status().message(), "now"));
    clock = std::make_unique<ManualClock>(*t);
  }
  auto rt = OpenRuntime(args, clock.get());
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  if (Status s = (*rt)->LoadOrg(); !s.ok()) return Fail(s);
  DeadlineClockOptions options;
  auto batch = args.NumberOr("batch", options.batch);
  if (!batch.ok()) return Fail(batch.status());
  if (*batch < 1 || *batch > 10000) return Fail(InvalidArgument("--batch must be 1..10000", "batch"));
  options.batch = static_cast<int>(*batch);
  LogNotificationSender sender;
  DeadlineClock deadline_clock(**rt, sender, options);
  auto tick = deadline_clock.Tick();
  if (!tick.ok()) return Fail(tick.status());
  std::printf("deadlines tick: %d task(s), %d level(s) fired, %d notification(s), %d batch(es)\n",
              tick->tasks, tick->levels_fired, tick->notifications, tick->batches);
  return 0;
}

int CmdResample(const Args& args) {
  if (args.positional().size() != 3) return Fail(InvalidArgument("usage: jiuzhu audit resample SAMPLE-ID"));
  const std::string& text = args.positional()[2];
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 18) {
    return Fail(InvalidArgument("sample id must be a number, got \"" + text + "\"", "sample"));
  }
  const std::int64_t id = std::stoll(text);
  auto rt = OpenRuntime(args);
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  auto sample = (*rt)->store().GetAuditSample(id);
  if (!sample.ok()) return Fail(sample.status());
  if (!*sample) return Fail(NotFound("sample " + text + " not found"));
  auto population = (*rt)->store().ListAuditPopulation(id);
  if (!population.ok()) return Fail(population.status());
  AuditItemQuery q;
  q.sample_id = id;
  q.limit = 100000000;
  auto items = (*rt)->store().ListAuditItems(q);
  if (!items.ok()) return Fail(items.status());
  std::printf("sample %s: seed %s\n  population %lld case(s), hash %s\n  drawn %zu case(s), hash %s\n",
              text.c_str(), (*sample)->seed.c_str(), static_cast<long long>((*sample)->population_size),
              (*sample)->population_hash.c_str(), items->size(), (*sample)->sample_hash.c_str());
  const Status check = ResampleCheck(**sample, *population, *items);
  if (check.ok()) {
    std::printf("audit resample: OK — re-derived from the recorded seed, parameters and frozen "
                "population: identical\n");
    return 0;
  }
  if (check.code() != ErrorCode::kFailedPrecondition) return Fail(check);
  std::printf("audit resample: MISMATCH — %s\n", check.message().c_str());
  return 1;
}

int CmdSample(const Args& args) {
  if (Status s = args.OnlyKnown(With({"as", "from", "to", "rate", "strata", "minimum", "programme",
                                      "org", "flagged"}));
      !s.ok()) {
    return Fail(s);
  }
  auto as = args.Require("as");
  if (!as.ok()) return Fail(as.status());
  nlohmann::json p = nlohmann::json::object();
  for (const char* key : {"from", "to", "rate"}) {
    auto v = args.Require(key);
    if (!v.ok()) return Fail(v.status());
    p[std::string(key) == "rate" ? "rate" : std::string("period_") + key] = *v;
  }
  if (auto strata = args.Get("strata")) {
    p["strata"] = nlohmann::json::array();
    std::stringstream ss(*strata);
    for (std::string k; std::getline(ss, k, ',');) p["strata"].push_back(k);
  }
  if (auto m = args.Get("minimum")) {
    if (m->empty() || m->find_first_not_of("0123456789") != std::string::npos || m->size() > 6) {
      return Fail(InvalidArgument("--minimum must be a whole number", "minimum_per_stratum"));
    }
    p["minimum_per_stratum"] = std::stoi(*m);
  }
  if (auto prog = args.Get("programme")) p["programmes"] = {*prog};
  if (auto org = args.Get("org")) p["org_subtree_path"] = *org;
  if (args.Has("flagged")) p["always_include_flagged"] = true;
  auto params = ParametersFromJson(p);
  if (!params.ok()) return Fail(params.status());
  auto rt = OpenReady(args);
  if (!rt.ok()) return Fail(rt.status());
  auto user = (*rt)->User(*as);
  if (!user.ok()) return Fail(user.status());
  Runtime& r = **rt;
  CreateSampleRequest req{*user, *params, ""};
  auto sample = r.executor().Run<AuditSampleRecord>([&](StoreTxn& txn) { return CreateSample(r.ctx(), txn, req); });
  if (!sample.ok()) return Fail(sample.status());
  std::printf("sample %lld created by %s; seed (recorded before the draw): %s\n",
              static_cast<long long>(sample->id), sample->created_by.c_str(), sample->seed.c_str());
  return 0;
}

int CmdDraw(const Args& args) {
  if (Status s = args.OnlyKnown(With({"as", "sample"})); !s.ok()) return Fail(s);
  auto as = args.Require("as");
  auto id = args.RequireInt("sample");
  if (!as.ok()) return Fail(as.status());
  if (!id.ok()) return Fail(id.status());
  auto rt = OpenReady(args);
  if (!rt.ok()) return Fail(rt.status());
  auto user = (*rt)->User(*as);
  if (!user.ok()) return Fail(user.status());
  Runtime& r = **rt;
  auto out = r.executor().Run<DrawOutcome>([&](StoreTxn& txn) { return DrawAuditSample(r.ctx(), txn, *user, *id); });
  if (!out.ok()) return Fail(out.status());
  std::printf("sample %lld drawn: %zu of %lld case(s); population hash %s; sample hash %s\n",
              static_cast<long long>(*id), out->items.size(),
              static_cast<long long>(out->sample.population_size), out->sample.population_hash.c_str(),
              out->sample.sample_hash.c_str());
  for (const auto& i : out->items) {
    std::printf("  case %lld (approved by %s) → audit task %lld\n", static_cast<long long>(i.case_id),
                i.approver.c_str(), static_cast<long long>(i.task_id));
  }
  return 0;
}

int CmdAudit(const Args& args) {
  const std::string sub = args.positional().size() >= 2 ? args.positional()[1] : "";
  if (sub == "sample") return CmdSample(args);
  if (sub == "draw") return CmdDraw(args);
  if (Status s = args.OnlyKnown(kGlobal); !s.ok()) return Fail(s);
  if (sub == "resample") return CmdResample(args);
  if (args.positional().size() < 2 || args.positional()[1] != "verify") {
    return Fail(InvalidArgument("usage: jiuzhu audit verify | jiuzhu audit resample SAMPLE-ID"));
  }
  auto rt = OpenRuntime(args);
  if (!rt.ok()) return Fail(rt.status());
  if (Status s = (*rt)->Migrate(); !s.ok()) return Fail(s);
  struct Head {
    CaseId id;
    std::int64_t seq;
    std::string hash;
  };
  std::vector<Head> heads;
  Status s = (*rt)->store().ForEachCaseHead([&](CaseId id, std::int64_t seq, const std::string& hash) {
    heads.push_back({id, seq, hash});
    return true;
  });
  if (!s.ok()) return Fail(s);
  std::int64_t events = 0;
  std::vector<AuditProblem> problems;
  for (const auto& h : heads) {
    auto ev = (*rt)->store().ListAuditEvents(h.id);
    if (!ev.ok()) return Fail(ev.status());
    events += static_cast<std::int64_t>(ev->size());
    for (auto& p : VerifyCaseChain(h.id, std::move(*ev), h.seq, h.hash)) problems.push_back(std::move(p));
  }
  if (problems.empty()) {
    std::printf("audit verify: OK — %zu case(s), %lld event(s), every chain intact\n", heads.size(),
                static_cast<long long>(events));
    return 0;
  }
  for (const auto& p : problems) {
    std::printf("case %lld event %lld: %s — %s\n", static_cast<long long>(p.case_id),
                static_cast<long long>(p.seq), AuditProblemKindName(p.kind), p.detail.c_str());
  }
  std::printf("audit verify: FAILED — %zu problem(s) in %zu case(s) checked\n", problems.size(), heads.size());
  return 1;
}

}  // namespace

int RunCli(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv, kFlags);
  if (!args.ok()) return Fail(args.status());
  if (args->positional().empty() || args->Has("help")) {
    std::fputs(kUsage, args->positional().empty() && !args->Has("help") ? stderr : stdout);
    return args->Has("help") ? 0 : 2;
  }
  const std::string& cmd = args->positional()[0];
  try {
    if (cmd == "migrate") return CmdMigrate(*args);
    if (cmd == "serve") {
      if (Status s = args->OnlyKnown(With(ServeOptions())); !s.ok()) return Fail(s);
      return CmdServe(*args);
    }
    if (cmd == "demo") return CmdDemo(*args);
    if (cmd == "org") {
      if (args->positional().size() < 2 || args->positional()[1] != "load") {
        return Fail(InvalidArgument("usage: jiuzhu org load --units F --users F"));
      }
      return CmdOrgLoad(*args);
    }
    if (cmd == "users") return CmdUsers(*args);
    if (cmd == "inbox") return CmdInbox(*args);
    if (cmd == "task") return CmdTask(*args);
    if (cmd == "case") return CmdCase(*args);
    if (cmd == "audit") return CmdAudit(*args);
    if (cmd == "deadlines") return CmdDeadlines(*args);
  } catch (const std::exception& e) {
    return Fail(Internal(std::string("unexpected failure: ") + e.what()));
  }
  return Fail(InvalidArgument("unknown command \"" + cmd + "\"; see jiuzhu --help"));
}

}  // namespace jiuzhu::cli
