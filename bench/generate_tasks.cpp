// generate_tasks: bulk data for the HTTP benchmarks. Opens a database URL,
// migrates it, imports the demo org and people (LoadDemo with cases=0: every
// demo account, password jiuzhu2026), then inserts N cases with one open task
// each (default 1,000,000), spread over every village of the demo tree and
// over the stages in fixed proportions:
//
//   stage     task                    queue                    share
//   discover  intake                  street reviewers          26%
//   assess    home_visit_assessment   street reviewers          24%
//   commit    pledge_or_route         street reviewers          14%
//   review    democratic_review       village officers           7%  (ordinary route)
//   approve   approval                district approvers        12%
//   refer     dispatch_referrals      district approvers         4%
//   feedback  referral_feedback       a department of the area   8%  (+ its pending referral)
//   monitor   revisit                 village officers           5%
//
// so most open tasks sit in the nine street queues (about 70,000 each at 1M),
// some at the three district approvers and in the department queues. About
// --overdue (default 15%) of the tasks are past their deadline, about
// --claimed (default 10%) are claimed by a person who holds the queue's role
// there. Programmes: dibao 60%, linshi 25%, tekun 15%.
//
// Each case is consistent on its own: its state is the stage of its task,
// route and pool fit the stage, deadlines come from the programme and the
// working calendar, ID numbers are valid (GB 11643), unique and stored as the
// engine stores them (keyed hash, AES-GCM copy, mask), and its audit trail is
// one sealed event (SealAuditEvent; action "discover" for cases still at
// intake, "bulk_import" for the others, from_state "" to the case's state)
// that the case row's head points at, so `jiuzhu audit verify` passes.
//
// Rows are built on one thread while the previous batch is written on
// another, --batch cases per transaction (default 5,000). Writing:
//   - SQLite: batched INSERTs of the same rows on a connection of the
//     generator's own (synchronous=NORMAL unless --synchronous full, a 512 MiB
//     page cache, foreign keys not checked), because the store's connections
//     keep SQLite's 2 MiB default cache and slow to ~4,000 cases/s once the
//     random-order indexes (ID hashes, queues by due time) outgrow it. The
//     schema's triggers, if any, fire as for any insert. --via-store writes
//     through the store port (StoreTxn::Apply) instead.
//   - MySQL: always through the store port, one transaction per batch
//     (JIUZHU_SECRET must be set, as for the server); one round trip per row,
//     so slower.
//
// Usage:
//   generate_tasks --db URL [--tasks N] [--top-up] [--batch N] [--seed N]
//                  [--overdue F] [--claimed F] [--synchronous normal|full]
//                  [--via-store]
//   --top-up: only add what is missing for N open tasks (counted by the
//   store), so a reused database is left as it is.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/runtime/demo_data.hpp"
#include "api/runtime/runtime.hpp"
#include "engine/audit/audit_chain.hpp"
#include "engine/store/queue_counts.hpp"

namespace jiuzhu {
namespace {

using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_tasks: %s\n", what.c_str());
  std::exit(1);
}

void Check(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

struct Options {
  std::string db;
  long tasks = 1'000'000;
  bool top_up = false;
  int batch = 5000;
  unsigned seed = 20260101;
  double overdue = 0.15;
  double claimed = 0.10;
  std::string synchronous = "normal";
  bool via_store = false;
};

[[noreturn]] void Usage() {
  std::fprintf(stderr,
               "usage: generate_tasks --db sqlite:PATH|mysql://user:pass@host:port/db\n"
               "         [--tasks N] [--top-up] [--batch N] [--seed N]\n"
               "         [--overdue F] [--claimed F] [--synchronous normal|full] [--via-store]\n");
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    try {
      if (a == "--db") {
        o.db = value();
      } else if (a == "--tasks") {
        o.tasks = std::stol(value());
      } else if (a == "--top-up") {
        o.top_up = true;
      } else if (a == "--batch") {
        o.batch = std::stoi(value());
      } else if (a == "--seed") {
        o.seed = static_cast<unsigned>(std::stoul(value()));
      } else if (a == "--overdue") {
        o.overdue = std::stod(value());
      } else if (a == "--claimed") {
        o.claimed = std::stod(value());
      } else if (a == "--synchronous") {
        o.synchronous = value();
      } else if (a == "--via-store") {
        o.via_store = true;
      } else {
        Usage();
      }
    } catch (const std::exception&) {
      Usage();
    }
  }
  if (o.synchronous != "normal" && o.synchronous != "full") Usage();
  if (o.db.empty() || o.tasks < 0 || o.batch < 1 || o.overdue < 0 || o.overdue > 1 ||
      o.claimed < 0 || o.claimed > 1) {
    Usage();
  }
  return o;
}

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                           "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
const char* kGiven[] = {"秀英", "桂英", "建国", "建华", "志强", "淑珍", "玉兰", "海燕", "军",
                        "伟",   "丽",   "敏",   "静",   "磊",   "洋",   "艳",   "勇",   "杰",
                        "娟",   "涛",   "明",   "超",   "秀兰", "霞",   "平",   "刚"};

// Stage shares in per mille (see the table above).
struct StageShare {
  CaseState stage;
  int per_mille;
};
const StageShare kStages[] = {
    {CaseState::kDiscover, 260}, {CaseState::kAssess, 240},  {CaseState::kCommit, 140},
    {CaseState::kReview, 70},    {CaseState::kApprove, 120}, {CaseState::kRefer, 40},
    {CaseState::kFeedback, 80},  {CaseState::kMonitor, 50},
};

// A unique valid ID number per generated case: region of the district, birth
// dates from 1950-01-01 on (one day per 1,000 cases, then a 3-digit sequence).
// Persons born 1950-1952 at 1M cases; the HTTP walk uses later years.
std::string GeneratedIdNumber(const std::string& region6, long index) {
  const long day = index / 1000;
  // Civil date 1950-01-01 + day (proleptic Gregorian, via days from epoch).
  const long z0 = -7305 + day + 719468;  // 1950-01-01 is day -7305 since 1970-01-01
  const long era = (z0 >= 0 ? z0 : z0 - 146096) / 146097;
  const long doe = z0 - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return MakeIdNumber(region6, static_cast<int>(y), static_cast<int>(m), static_cast<int>(d),
                      static_cast<int>(index % 1000));
}

struct Place {
  const OrgUnitRecord* village;
  const OrgUnitRecord* street;
  const OrgUnitRecord* district;
  std::vector<const OrgUnitRecord*> departments;  // serving this village (district, then city)
};

// Builds the rows of generated cases; one thread at a time.
class Builder {
 public:
  Builder(Runtime& rt, const Options& o, long first_index, Micros now)
      : rt_(rt), o_(o), rng_(o.seed + static_cast<unsigned>(first_index)), id_index_(first_index), now_(now) {
    auto users = rt.store().ListUsers();
    Check(users.status(), "list users");
    for (const auto& u : *users) {
      for (const auto& rb : u.roles) holders_[{rb.role, rb.org_unit_id}].push_back(u.username);
    }
    for (const auto& u : rt.org().units()) {
      if (u.tier != Tier::kVillage) continue;
      Place p{&u, rt.org().AncestorAtTier(u.id, Tier::kStreet), rt.org().AncestorAtTier(u.id, Tier::kDistrict), {}};
      if (!p.street || !p.district) continue;
      for (const char* code : {"canlian", "renshe", "yibao", "jiaoyu", "weijian", "zhujian"}) {
        if (const OrgUnitRecord* d = rt.org().FindDepartment(u.id, code)) p.departments.push_back(d);
      }
      if (p.departments.empty()) Die("no department serves village " + u.id);
      places_.push_back(std::move(p));
    }
    if (places_.empty()) Die("the org tree has no villages");
    for (const char* code : {"dibao", "linshi", "tekun"}) {
      auto p = rt.programmes().Find(code);
      if (!p.ok()) Die(std::string("programme ") + code + " is not in workflows/programmes");
      programmes_.push_back(*p);
    }
  }

  std::vector<CommandEffects> Build(long n) {
    std::vector<CommandEffects> batch;
    batch.reserve(static_cast<size_t>(n));
    for (long k = 0; k < n; ++k) batch.push_back(One());
    return batch;
  }

  long overdue = 0, claimed = 0;
  std::map<CaseState, long> by_stage;

 private:
  long Uniform(long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Uniform(0, static_cast<long>(v.size()) - 1))]; }

  CommandEffects One() {
    const EngineContext& ctx = rt_.ctx();
    const WorkingCalendar& cal = rt_.calendar();
    const Place& place = Pick(places_);
    const long pick = Uniform(0, 999);
    const Programme* programme = programmes_[pick < 600 ? 0 : (pick < 850 ? 1 : 2)];
    long roll = Uniform(0, 999);
    CaseState stage = CaseState::kDiscover;
    for (const auto& s : kStages) {
      if (roll < s.per_mille) {
        stage = s.stage;
        break;
      }
      roll -= s.per_mille;
    }
    const StageDef* sd = programme->Stage(stage);
    if (sd == nullptr) Die(std::string("programme ") + programme->code + " has no stage " + CaseStateName(stage));
    Route route = Route::kUndecided;
    if (stage == CaseState::kReview) {
      route = Route::kOrdinary;
    } else if (stage == CaseState::kApprove || stage == CaseState::kRefer || stage == CaseState::kFeedback ||
               stage == CaseState::kMonitor) {
      route = Chance(0.6) && programme->fast_track_allowed ? Route::kFastTrack : Route::kOrdinary;
    }
    const bool assessed = stage != CaseState::kDiscover && stage != CaseState::kAssess;
    const OrgUnitRecord* unit = stage == CaseState::kFeedback ? Pick(place.departments)
                                                              : rt_.org().AncestorAtTier(place.village->id, sd->tier);
    if (unit == nullptr) Die("no " + std::string(TierName(sd->tier)) + " above " + place.village->id);

    // Deadline: overdue tasks were opened well before their working days ran
    // out; the others within their working days.
    const int days = sd->DaysFor(route);
    const Micros task_created =
        Chance(o_.overdue) ? now_ - (2 * days + 3 + Uniform(0, 20)) * kMicrosPerDay - Uniform(0, kMicrosPerDay)
                           : now_ - Uniform(0, std::max(1, days - 1) * kMicrosPerDay - 1);
    Micros due = cal.AddWorkingDays(task_created, days);
    if (due == now_) due += 1;
    const Micros case_created =
        task_created - (stage == CaseState::kDiscover ? 0 : Uniform(1, 30) * kMicrosPerDay);

    const std::string id_number = GeneratedIdNumber(place.district->id.substr(0, 6), id_index_++);
    CaseRecord c;
    c.id = ctx.id_gen->Next();
    c.programme = programme->code;
    c.state = stage;
    c.route = route;
    c.pool = !assessed ? Pool::kNone
                       : (Chance(0.5) ? Pool::kRelief : (Chance(0.6) ? Pool::kMonitoring : Pool::kGeneral));
    c.version = 1;
    c.applicant_name = std::string(kSurnames[Uniform(0, 19)]) + kGiven[Uniform(0, 25)];
    c.id_hash = ctx.ids->DedupHash(id_number);
    c.id_masked = MaskIdNumber(id_number);
    auto cipher = ctx.ids->Encrypt(id_number);
    Check(cipher.status(), "encrypt ID number");
    c.id_cipher = *cipher;
    c.village_id = place.village->id;
    c.org_path = place.village->path;
    c.created_at = case_created;
    c.updated_at = task_created;
    if (route != Route::kUndecided) {
      auto r = programme->routes.find(route);
      if (r != programme->routes.end()) c.promised_by = cal.AddWorkingDays(case_created, r->second.promise_working_days);
    }

    CommandEffects fx;
    TaskRecord t;
    t.id = ctx.id_gen->Next();
    t.case_id = c.id;
    t.programme = c.programme;
    t.stage = stage;
    t.kind = sd->task_kind;
    t.role = sd->role;
    t.org_unit_id = unit->id;
    t.org_path = unit->path;
    t.state = TaskState::kOpen;
    t.created_at = task_created;
    t.due_at = due;
    t.escalate_at = due;  // the deadline clock marks the overdue ones when the server runs
    if (Chance(o_.claimed)) {
      auto h = holders_.find({t.role, t.org_unit_id});
      if (h != holders_.end() && !h->second.empty()) {
        t.state = TaskState::kClaimed;
        t.claimed_by = Pick(h->second);
        t.claimed_at = task_created + (now_ - task_created) / 2;
        ++claimed;
      }
    }
    if (stage == CaseState::kFeedback) {
      ReferralRecord r;
      r.id = ctx.id_gen->Next();
      r.case_id = c.id;
      r.department_code = unit->department_code;
      r.department_unit_id = unit->id;
      r.note = "帮扶转介";
      r.requested_at = task_created;
      r.due_at = due;
      t.referral_id = r.id;
      fx.insert_referrals.push_back(r);
    }
    overdue += due < now_;
    ++by_stage[stage];

    AuditEventRecord ev;
    ev.case_id = c.id;
    ev.at = task_created;
    ev.actor = "generate_tasks";
    ev.role = "bulk_import";
    ev.org_unit_id = place.village->id;
    ev.action = stage == CaseState::kDiscover ? "discover" : "bulk_import";
    ev.from_state = "";
    ev.to_state = CaseStateName(stage);
    nlohmann::json payload = {{"programme", c.programme},
                              {"applicant_name", c.applicant_name},
                              {"id_masked", c.id_masked},
                              {"village", c.village_id},
                              {"source", "generate_tasks"},
                              {"version", c.version},
                              {"tasks_opened", {{{"id", t.id}, {"kind", t.kind}, {"unit", t.org_unit_id},
                                                 {"due", FormatUtc(t.due_at)}}}}};
    if (route != Route::kUndecided) payload["route"] = RouteName(route);
    ev.payload = payload.dump();
    SealAuditEvent(ev, 0, "");
    c.audit_head_seq = ev.seq;
    c.audit_head_hash = ev.hash;

    fx.insert_case = std::move(c);
    fx.insert_tasks.push_back(std::move(t));
    fx.audit = std::move(ev);
    return fx;
  }

  Runtime& rt_;
  const Options& o_;
  std::mt19937_64 rng_;
  long id_index_;
  Micros now_;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> holders_;
  std::vector<Place> places_;
  std::vector<const Programme*> programmes_;
};

// The same rows as StoreTxn::Apply writes, on a connection of our own.
class SqliteBulkWriter {
 public:
  SqliteBulkWriter(const std::string& path, const std::string& synchronous) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      Die("open " + path + ": " + sqlite3_errmsg(db_));
    }
    sqlite3_busy_timeout(db_, 10000);
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=" + synchronous);
    Exec("PRAGMA cache_size=-524288");  // 512 MiB
    Exec("PRAGMA foreign_keys=OFF");
    cases_ = Prepare(
        "INSERT INTO cases (id, programme, state, route, pool, version, applicant_name, id_hash, "
        "id_masked, id_cipher, village_id, org_path, assessment_json, pledge_json, created_at, "
        "updated_at, promised_by, audit_head_seq, audit_head_hash, open_id_hash) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    tasks_ = Prepare(
        "INSERT INTO tasks (id, case_id, programme, stage, kind, role, org_unit_id, org_path, state, "
        "created_at, due_at, claimed_by, claimed_at, completed_at, outcome, referral_id, escalation_level, "
        "escalate_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    referrals_ = Prepare(
        "INSERT INTO referrals (id, case_id, department_code, department_unit_id, status, note, "
        "answer, answer_json, requested_at, due_at, answered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    audit_ = Prepare(
        "INSERT INTO audit_events (case_id, seq, at, actor, role, org_unit_id, action, from_state, "
        "to_state, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    counts_ = Prepare(
        "INSERT INTO task_queue_counts (org_unit_id, role, state, slot, n) VALUES (?,?,?,?,?) "
        "ON CONFLICT (org_unit_id, role, state, slot) DO UPDATE SET n = n + excluded.n");
    due_ = Prepare(
        "INSERT INTO task_due_counts (org_unit_id, programme, stage, due_day, n) VALUES (?,?,?,?,?) "
        "ON CONFLICT (org_unit_id, programme, stage, due_day) DO UPDATE SET n = n + excluded.n");
    board_ = Prepare(
        "INSERT INTO task_board_counts (org_unit_id, programme, stage, overdue, slot, n) VALUES (?,?,?,?,?,?) "
        "ON CONFLICT (org_unit_id, programme, stage, overdue, slot) DO UPDATE SET n = n + excluded.n");
  }
  ~SqliteBulkWriter() {
    for (sqlite3_stmt* s : {cases_, tasks_, referrals_, audit_, counts_, board_, due_}) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  void Write(const std::vector<CommandEffects>& batch) {
    QueueCountDeltas queue_counts;
    Exec("BEGIN IMMEDIATE");
    for (const auto& fx : batch) {
      const CaseRecord& c = *fx.insert_case;
      Values(cases_, {c.id}, {c.programme, CaseStateName(c.state), RouteName(c.route), PoolName(c.pool)});
      Bind(cases_, 6, c.version);
      BindText(cases_, 7, {c.applicant_name, c.id_hash, c.id_masked, c.id_cipher, c.village_id, c.org_path,
                           c.assessment_json, c.pledge_json});
      Bind(cases_, 15, c.created_at);
      Bind(cases_, 16, c.updated_at);
      Bind(cases_, 17, c.promised_by);
      Bind(cases_, 18, c.audit_head_seq);
      BindText(cases_, 19, {c.audit_head_hash, c.id_hash});  // open: open_id_hash = id_hash
      Step(cases_, "insert case");
      for (const auto& t : fx.insert_tasks) {
        Values(tasks_, {t.id, t.case_id}, {t.programme, CaseStateName(t.stage), t.kind, t.role, t.org_unit_id,
                                            t.org_path, TaskStateName(t.state)});
        Bind(tasks_, 10, t.created_at);
        Bind(tasks_, 11, t.due_at);
        BindText(tasks_, 12, {t.claimed_by});
        Bind(tasks_, 13, t.claimed_at);
        Bind(tasks_, 14, t.completed_at);
        BindText(tasks_, 15, {t.outcome});
        Bind(tasks_, 16, t.referral_id);
        Bind(tasks_, 17, t.escalation_level);
        Bind(tasks_, 18, t.escalate_at);
        Step(tasks_, "insert task");
      }
      for (const auto& r : fx.insert_referrals) {
        Values(referrals_, {r.id, r.case_id}, {r.department_code, r.department_unit_id, "pending", r.note,
                                                r.answer, r.answer_json});
        Bind(referrals_, 9, r.requested_at);
        Bind(referrals_, 10, r.due_at);
        Bind(referrals_, 11, r.answered_at);
        Step(referrals_, "insert referral");
      }
      const AuditEventRecord& e = fx.audit;
      Values(audit_, {e.case_id, e.seq, e.at}, {e.actor, e.role, e.org_unit_id, e.action, e.from_state,
                                                e.to_state, e.payload, e.prev_hash, e.hash});
      Step(audit_, "insert audit event");
      queue_counts.AddCommand(fx);
    }
    // The inbox queue counters, as the store adapter keeps them (engine/store/queue_counts.hpp).
    const CountDeltas deltas = queue_counts.Take();
    for (const BoardCountDelta& d : deltas.board) {
      BindText(board_, 1, {d.key.org_unit_id, d.key.programme, d.key.stage});
      Bind(board_, 4, d.key.overdue ? 1 : 0);
      Bind(board_, 5, d.key.slot);
      Bind(board_, 6, d.delta);
      Step(board_, "update board counts");
    }
    for (const DueCountDelta& d : deltas.due) {
      BindText(due_, 1, {d.key.org_unit_id, d.key.programme, d.key.stage});
      Bind(due_, 4, d.key.day);
      Bind(due_, 5, d.delta);
      Step(due_, "update due counts");
    }
    for (const QueueCountDelta& d : deltas.queues) {
      BindText(counts_, 1, {d.key.org_unit_id, d.key.role, d.key.state});
      Bind(counts_, 4, d.key.slot);
      Bind(counts_, 5, d.delta);
      Step(counts_, "update queue counts");
    }
    Exec("COMMIT");
  }

 private:
  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      Die(sql + ": " + (err ? err : "?"));
    }
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      Die(std::string("prepare ") + sql + ": " + sqlite3_errmsg(db_));
    }
    return s;
  }
  static void Bind(sqlite3_stmt* s, int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
  static void BindText(sqlite3_stmt* s, int first, std::initializer_list<std::string> texts) {
    int i = first;
    for (const auto& t : texts) {
      sqlite3_bind_text(s, i++, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    }
  }
  // Integers from column 1, then texts right after them.
  static void Values(sqlite3_stmt* s, std::initializer_list<std::int64_t> ints,
                     std::initializer_list<std::string> texts) {
    int i = 1;
    for (auto v : ints) sqlite3_bind_int64(s, i++, v);
    BindText(s, i, texts);
  }
  void Step(sqlite3_stmt* s, const char* what) {
    if (sqlite3_step(s) != SQLITE_DONE) Die(std::string(what) + ": " + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* cases_ = nullptr;
  sqlite3_stmt* tasks_ = nullptr;
  sqlite3_stmt* referrals_ = nullptr;
  sqlite3_stmt* audit_ = nullptr;
  sqlite3_stmt* counts_ = nullptr;
  sqlite3_stmt* board_ = nullptr;
  sqlite3_stmt* due_ = nullptr;
};

}  // namespace

int Main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  RuntimeOptions ro;
  ro.db_url = o.db;
  ro.sqlite_synchronous = o.synchronous;
  auto rt_or = Runtime::Open(ro);
  if (!rt_or.ok()) Die("open " + o.db + ": " + rt_or.status().ToString());
  Runtime& rt = **rt_or;
  Check(rt.Migrate(), "migrate");
  auto demo = LoadDemo(rt, DemoOptions{0, 1});
  if (!demo.ok()) Die("import demo org and people: " + demo.status().ToString());

  const Micros now = rt.ctx().clock->Now();
  auto counts = rt.store().CountActiveTasks(now);
  Check(counts.status(), "count open tasks");
  auto cases_before = rt.store().CountCases();
  Check(cases_before.status(), "count cases");
  long todo = o.tasks;
  if (o.top_up) todo = std::max<long>(0, o.tasks - static_cast<long>(counts->active));
  const bool bulk = rt.dialect() == "sqlite" && !o.via_store;
  std::printf("generate_tasks: %s (%s, %s): %lld cases and %lld open tasks already; adding %ld\n", o.db.c_str(),
              rt.dialect().c_str(), bulk ? "bulk inserts" : "through the store port",
              static_cast<long long>(*cases_before), static_cast<long long>(counts->active), todo);
  if (todo == 0) return 0;

  // New ID numbers continue after those of earlier runs (same regions).
  Builder builder(rt, o, static_cast<long>(*cases_before), now);
  std::unique_ptr<SqliteBulkWriter> writer;
  if (bulk) writer = std::make_unique<SqliteBulkWriter>(o.db.rfind("sqlite:", 0) == 0 ? o.db.substr(7) : o.db,
                                                        o.synchronous);
  auto write = [&](const std::vector<CommandEffects>& batch) {
    if (writer) return writer->Write(batch);
    auto txn = rt.store().BeginWrite();
    Check(txn.status(), "begin");
    for (const auto& fx : batch) Check((*txn)->Apply(fx), "insert case " + std::to_string(fx.insert_case->id));
    Check((*txn)->Commit(), "commit");
  };

  long done = 0, built = 0;
  const auto t0 = SteadyClock::now();
  auto last_report = t0;
  auto next_batch = [&] {
    const long n = std::min<long>(o.batch, todo - built);
    built += n;
    return std::async(std::launch::async, [&builder, n] { return builder.Build(n); });
  };
  auto pending = next_batch();
  double wait_build = 0, writing = 0;  // seconds the writer waited for rows, and wrote
  while (done < todo) {
    const auto w0 = SteadyClock::now();
    std::vector<CommandEffects> batch = pending.get();
    const auto w1 = SteadyClock::now();
    if (built < todo) pending = next_batch();  // build the next while this one is written
    write(batch);
    wait_build += std::chrono::duration<double>(w1 - w0).count();
    writing += std::chrono::duration<double>(SteadyClock::now() - w1).count();
    done += static_cast<long>(batch.size());
    const auto t = SteadyClock::now();
    if (t - last_report > std::chrono::seconds(10) || done == todo) {
      const double s = std::chrono::duration<double>(t - t0).count();
      std::printf("  %ld / %ld cases, %.1f s, %.0f cases/s\n", done, todo, s, static_cast<double>(done) / s);
      std::fflush(stdout);
      last_report = t;
    }
  }
  writer.reset();
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  std::printf("generate_tasks: %ld cases with one open task each in %.1f s (%.0f cases/s); "
              "%ld overdue (%.1f%%), %ld claimed\n",
              done, seconds, static_cast<double>(done) / seconds, builder.overdue,
              100.0 * static_cast<double>(builder.overdue) / static_cast<double>(done), builder.claimed);
  std::printf("  writer: %.1f s writing, %.1f s waiting for rows to be built\n", writing, wait_build);
  std::printf("  by stage:");
  for (const auto& [stage, n] : builder.by_stage) std::printf(" %s %ld", CaseStateName(stage), n);
  std::printf("\n");
  auto after = rt.store().CountActiveTasks(rt.ctx().clock->Now());
  Check(after.status(), "count open tasks");
  std::printf("  open tasks now: %lld (%lld overdue)\n", static_cast<long long>(after->active),
              static_cast<long long>(after->overdue));
  return 0;
}

}  // namespace jiuzhu

int main(int argc, char** argv) { return jiuzhu::Main(argc, argv); }
