#include "api/runtime/demo_data.hpp"

#include <cstdio>
#include <random>

#include "engine/usecases/case_commands.hpp"

namespace jiuzhu {

std::string MakeIdNumber(const std::string& region6, int birth_year, int month, int day, int seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", region6.substr(0, 6).c_str(), birth_year,
                month, day, seq % 1000);
  std::string first17(buf);
  return first17 + IdCheckCharacter(first17);
}

namespace {

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                           "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
const char* kGiven[] = {"秀英", "桂英", "建国", "建华", "志强", "淑珍", "玉兰", "海燕", "军",
                        "伟",   "丽",   "敏",   "静",   "磊",   "洋",   "艳",   "勇",   "杰",
                        "娟",   "涛",   "明",   "超",   "秀兰", "霞",   "平",   "刚"};

struct People {
  std::map<std::pair<std::string, std::string>, UserRecord> by_role_unit;
  const UserRecord* Find(const std::string& role, const std::string& unit) const {
    auto it = by_role_unit.find({role, unit});
    return it == by_role_unit.end() ? nullptr : &it->second;
  }
};

}  // namespace

Result<DemoSummary> LoadDemo(Runtime& rt, const DemoOptions& options) {
  const std::string dir = rt.options().workflows_dir + "/org/";
  JZ_RETURN_IF_ERROR(rt.ImportOrg(dir + "demo-org.json", dir + "demo-users.json"));
  People people;
  JZ_ASSIGN_OR_RETURN(auto users, rt.store().ListUsers());
  for (const auto& u : users) {
    for (const auto& rb : u.roles) people.by_role_unit.emplace(std::make_pair(rb.role, rb.org_unit_id), u);
  }
  std::vector<const OrgUnitRecord*> villages;
  for (const auto& u : rt.org().units()) {
    if (u.tier == Tier::kVillage) villages.push_back(&u);
  }
  std::vector<std::string> programme_codes;
  for (const auto& [code, p] : rt.programmes().programmes()) programme_codes.push_back(code);

  std::mt19937 rng(options.seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  ManualClock clock(rt.ctx().clock->Now());
  EngineContext ctx = rt.ctx();
  ctx.clock = &clock;
  const Micros real_now = rt.ctx().clock->Now();

  DemoSummary summary;
  for (int i = 0; i < options.cases; ++i) {
    const OrgUnitRecord* village = villages[static_cast<size_t>(uniform(0, static_cast<int>(villages.size()) - 1))];
    const OrgUnitRecord* street = rt.org().AncestorAtTier(village->id, Tier::kStreet);
    const OrgUnitRecord* district = rt.org().AncestorAtTier(village->id, Tier::kDistrict);
    const UserRecord* officer = people.Find("village_officer", village->id);
    const UserRecord* reviewer = people.Find("street_reviewer", street->id);
    const UserRecord* approver = people.Find("district_approver", district->id);
    if (!officer || !reviewer || !approver) continue;  // a unit nobody staffs in the demo
    const std::string programme = programme_codes[static_cast<size_t>(uniform(0, static_cast<int>(programme_codes.size()) - 1))];
    // 0 discover .. 8 monitor, 9 rejected, 10 closed at intake.
    const int target = uniform(0, 10);
    const std::string name = std::string(kSurnames[uniform(0, 19)]) + kGiven[uniform(0, 25)];
    const std::string id_number = MakeIdNumber(district->id, uniform(1940, 2005), uniform(1, 12),
                                               uniform(1, 28), uniform(0, 999));
    const bool fast = uniform(0, 9) < 6;
    const bool disabled = uniform(0, 3) == 0, ill = uniform(0, 3) == 0;
    const int members = uniform(1, 5);
    // Start 2–40 days ago and advance a few hours to two days per step.
    Micros t = real_now - static_cast<Micros>(uniform(2, 40)) * kMicrosPerDay;
    auto step = [&] {
      t += static_cast<Micros>(uniform(2, 44)) * 3600 * kMicrosPerSecond;
      if (t > real_now - 60 * kMicrosPerSecond) t = real_now - 60 * kMicrosPerSecond;
      clock.Set(t);
    };
    clock.Set(t);
    int commands = 0;
    Status s = rt.executor().Execute([&](StoreTxn& txn) -> Status {
      commands = 0;
      t = real_now - static_cast<Micros>(uniform(2, 40)) * kMicrosPerDay;
      clock.Set(t);
      DiscoverRequest d{*officer, programme, id_number, name, village->id, "village_officer", ""};
      JZ_ASSIGN_OR_RETURN(CommandOutcome out, DiscoverCase(ctx, txn, d));
      if (out.existing) return Status::Ok();
      ++commands;
      const CaseId id = out.case_after.id;
      auto cmd = [&](const UserRecord& who) {
        CaseCommand c;
        c.actor = who;
        c.case_id = id;
        return c;
      };
      auto done = [&](const Result<CommandOutcome>& r) -> Status {
        ++commands;
        return r.status();
      };
      if (target == 10) {
        step();
        return done(CloseCase(ctx, txn, {cmd(*reviewer), "经核实不属于困难家庭，不予受理"}));
      }
      if (target == 0) return Status::Ok();
      step();
      JZ_RETURN_IF_ERROR(done(AcceptCase(ctx, txn, cmd(*reviewer))));
      if (target == 1) return Status::Ok();
      step();
      AssessRequest a;
      a.cmd = cmd(*reviewer);
      for (int m = 0; m < members; ++m) {
        AssessedMember am;
        am.name = m == 0 ? name : std::string(kSurnames[uniform(0, 19)]) + kGiven[uniform(0, 25)];
        am.relation = m == 0 ? "self" : (m == 1 ? "spouse" : "child");
        am.age = m <= 1 ? uniform(25, 75) : uniform(3, 20);
        if (m == 0 && disabled) am.circumstances.push_back("severe_disability");
        if (m == 0 && ill) am.circumstances.push_back("serious_illness");
        a.household.members.push_back(am);
      }
      // Wages for 12 months (0–5,000 yuan a month, steady), sometimes transfers.
      IncomeLine wages{"wages", std::vector<Fen>(12, static_cast<Fen>(uniform(0, 50)) * 10000)};
      a.household.income.push_back(wages);
      if (uniform(0, 2) == 0) {
        a.household.income.push_back({"transfers", std::vector<Fen>(12, static_cast<Fen>(uniform(1, 5)) * 10000)});
      }
      a.household.deposits = static_cast<Fen>(uniform(0, 30)) * 100000;
      a.household.medical_expense = ill ? static_cast<Fen>(uniform(5, 40)) * 100000 : 0;
      JZ_RETURN_IF_ERROR(done(AssessCase(ctx, txn, a)));
      if (target == 2) return Status::Ok();
      step();
      if (fast) {
        PledgeRequest p{cmd(*reviewer), true, name, "本人承诺所申报的家庭收入、财产等信息真实完整"};
        JZ_RETURN_IF_ERROR(done(PledgeCase(ctx, txn, p)));
      } else {
        JZ_RETURN_IF_ERROR(done(ChooseOrdinaryRoute(ctx, txn, cmd(*reviewer))));
        if (target == 3) return Status::Ok();
        step();
        JZ_RETURN_IF_ERROR(done(CompleteReview(ctx, txn, {cmd(*officer), uniform(5, 9), uniform(0, 2)})));
      }
      if (target <= 4) return Status::Ok();
      step();
      if (target == 9) {
        return done(RejectCase(ctx, txn, {cmd(*approver), "家庭人均收入高于当地低保标准"}));
      }
      JZ_RETURN_IF_ERROR(done(ApproveCase(ctx, txn, cmd(*approver))));
      if (target == 5) return Status::Ok();
      step();
      ReferRequest r;
      r.cmd = cmd(*approver);
      r.referrals.push_back({disabled ? "canlian" : "renshe", disabled ? "残疾人两项补贴" : "就业援助"});
      if (ill) r.referrals.push_back({"yibao", "医疗救助"});
      if (members >= 3) r.referrals.push_back({"jiaoyu", "教育资助"});
      JZ_ASSIGN_OR_RETURN(CommandOutcome referred, ReferCase(ctx, txn, r));
      ++commands;
      if (target == 6) return Status::Ok();
      // Departments answer (target 7: all but one).
      JZ_ASSIGN_OR_RETURN(auto refs, txn.ListReferrals(id));
      for (size_t k = 0; k < refs.size(); ++k) {
        if (target == 7 && k + 1 == refs.size()) return Status::Ok();
        const UserRecord* handler = people.Find("department_handler", refs[k].department_unit_id);
        if (!handler) return Internal("demo has no handler for " + refs[k].department_unit_id);
        step();
        FeedbackRequest f{cmd(*handler), refs[k].department_code, "provided", "已按政策落实帮扶", 0};
        JZ_RETURN_IF_ERROR(done(RecordFeedback(ctx, txn, f)));
      }
      step();
      return done(StartMonitoring(ctx, txn, cmd(*approver)));
    });
    if (!s.ok()) return Status(s.code(), "demo case " + std::to_string(i + 1) + ": " + s.message());
    ++summary.cases;
    summary.commands += commands;
  }
  JZ_ASSIGN_OR_RETURN(auto all, rt.store().ListCases(CaseQuery{{}, "", {}, {}, {}, "", "", 0, 100000}));
  for (const auto& c : all) summary.by_state[CaseStateName(c.state)]++;
  summary.cases = static_cast<int>(all.size());
  return summary;
}

}  // namespace jiuzhu
