// Supervisors' board (督办看板), supervisor task actions and notifications.
// Counts come from the counters the store keeps per (unit, programme, stage,
// overdue) and are rolled up the org tree here; nothing counts task rows.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "api/export/csv_writer.hpp"
#include "api/export/xlsx_writer.hpp"
#include "api/http/api_service.hpp"
#include "api/http/problem.hpp"
#include "api/http/request_helpers.hpp"
#include "api/runtime/case_json.hpp"
#include "engine/policy/policy_search.hpp"
#include "engine/store/queue_counts.hpp"

namespace jiuzhu::http {

namespace {

nlohmann::json UnitJson(const OrgUnitRecord& u) {
  return {{"id", u.id}, {"name", u.name}, {"tier", TierName(u.tier)}};
}

std::string ProgrammeName(const Runtime& rt, const std::string& code) {
  auto p = rt.programmes().Find(code);
  return p.ok() ? (*p)->short_zh : code;
}

std::string StageTaskName(const Runtime& rt, const std::string& programme, CaseState stage) {
  auto p = rt.programmes().Find(programme);
  if (p.ok()) {
    if (const StageDef* s = (*p)->Stage(stage)) return s->task_name_zh;
  }
  return CaseStateName(stage);
}

// The child of `top` on the way down to `unit_id`, or `top` itself for tasks
// routed to `top`; nullptr when `unit_id` is not under `top`.
const OrgUnitRecord* ChildOnPath(const OrgTree& org, const OrgUnitRecord& top,
                                 const std::string& unit_id) {
  const OrgUnitRecord* u = org.Find(unit_id);
  const OrgUnitRecord* below = nullptr;
  while (u != nullptr) {
    if (u->id == top.id) return below ? below : u;
    below = u;
    u = u->parent_id.empty() ? nullptr : org.Find(u->parent_id);
  }
  return nullptr;
}

struct Counts {
  std::int64_t active = 0;
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
};

nlohmann::json CountsJson(const Counts& c) {
  return {{"active", c.active}, {"overdue", c.overdue}, {"due_soon", c.due_soon}};
}

// Nearest-rank percentile of sorted values.
double Percentile(const std::vector<int>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

double Median(const std::vector<int>& sorted) {
  if (sorted.empty()) return 0;
  const size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

// The instant as a spreadsheet date-time in the office's time zone.
Cell LocalDateTimeCell(const Runtime& rt, Micros at) {
  const OfficeZone& zone = rt.calendar().zone();
  const CivilDate d = LocalDate(at, zone);
  const std::int64_t s = (at - StartOfLocalDay(d, zone)) / kMicrosPerSecond;
  return Cell::DateTime(LocalDateTime{d.year, d.month, d.day, static_cast<int>(s / 3600),
                                      static_cast<int>(s / 60 % 60), static_cast<int>(s % 60)});
}

// The same words as the web app (web/src/i18n.js board.escalation).
const char* EscalationLabelZh(int level) {
  switch (level) {
    case 1: return "已催办";
    case 2: return "已通报督办员";
    case 3: return "已上提改派";
    default: return "未督办";
  }
}

}  // namespace

void ApiService::AddBoardRoutes() {
  AddAuthed("GET", "/api/v1/board/summary", "board.summary",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardSummary(req, c); });
  AddAuthed("GET", "/api/v1/board/trend", "board.trend",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardTrend(req, c); });
  AddAuthed("GET", "/api/v1/board/overdue", "board.overdue",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardOverdue(req, c, "json"); });
  AddAuthed("GET", "/api/v1/board/overdue.csv", "board.overdue_csv",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardOverdue(req, c, "csv"); });
  AddAuthed("GET", "/api/v1/board/overdue.xlsx", "board.overdue_xlsx",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardOverdue(req, c, "xlsx"); });
  AddAuthed("GET", "/api/v1/board/decision-times", "board.decision_times",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardDecisionTimes(req, c); });
  AddAuthed("GET", "/api/v1/board/assignees", "board.assignees",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardAssignees(req, c); });
  AddAuthed("POST", "/api/v1/tasks/{id}/reassign", "tasks.reassign",
            [this](HttpRequest& req, const PathParams& p, const Caller& c) { return ReassignTask(req, p, c); });
  AddAuthed("POST", "/api/v1/tasks/{id}/remind", "tasks.remind",
            [this](HttpRequest& req, const PathParams& p, const Caller& c) { return RemindTask(req, p, c); });
  AddAuthed("GET", "/api/v1/board/pools", "board.pools",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return BoardPools(req, c); });
  AddAuthed("GET", "/api/v1/policies", "policies.search",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return Policies(req, c); });
  AddAuthed("GET", "/api/v1/notifications", "notifications.list",
            [this](HttpRequest& req, const PathParams&, const Caller& c) { return Notifications(req, c); });
  AddAuthed("POST", "/api/v1/notifications/read-all", "notifications.read_all",
            [this](HttpRequest&, const PathParams& p, const Caller& c) { return MarkNotificationsRead(p, c, true); });
  AddAuthed("POST", "/api/v1/notifications/{id}/read", "notifications.read",
            [this](HttpRequest&, const PathParams& p, const Caller& c) { return MarkNotificationsRead(p, c, false); });
}

Result<PeopleIndex> ApiService::People() {
  JZ_ASSIGN_OR_RETURN(std::vector<UserRecord> users, rt_.store().ListUsers());
  return PeopleIndex(users);
}

Result<ApiService::BoardScope> ApiService::ResolveBoardUnit(const HttpRequest& req, const Caller& c) {
  const std::vector<std::string> supervised = SupervisedUnits(rt_.ctx(), rt_.escalation(), c.user);
  if (supervised.empty()) {
    return PermissionDenied("the board is for supervisors (" + [&] {
      std::string roles;
      for (const auto& r : rt_.escalation().supervisor_roles()) roles += (roles.empty() ? "" : ", ") + r;
      return roles;
    }() + "); " + c.user.username + " holds none of these roles");
  }
  std::string unit_id = Query(req, "unit");
  if (unit_id.empty()) unit_id = supervised.front();
  for (const auto& top : supervised) {
    if (!rt_.org().IsWithin(unit_id, top)) continue;
    BoardScope scope;
    scope.unit = rt_.org().Find(unit_id);
    for (const OrgUnitRecord* u = scope.unit; u != nullptr;
         u = u->id == top || u->parent_id.empty() ? nullptr : rt_.org().Find(u->parent_id)) {
      scope.breadcrumb.insert(scope.breadcrumb.begin(), u);
    }
    return scope;
  }
  return NotFound("org unit " + unit_id + " not found");
}

HttpResponse ApiService::BoardSummary(const HttpRequest& req, const Caller& c) {
  auto scope = ResolveBoardUnit(req, c);
  if (!scope.ok()) return ProblemResponse(scope.status());
  const OrgUnitRecord& unit = *scope->unit;
  int due_soon_days = 2;
  if (const std::string d = Query(req, "due_soon_days"); !d.empty()) {
    auto n = ParseId(d);
    if (!n || *n < 1 || *n > 30) {
      return ProblemResponse(InvalidArgument("due_soon_days must be a whole number from 1 to 30", "due_soon_days"));
    }
    due_soon_days = static_cast<int>(*n);
  }
  const Micros now = rt_.ctx().clock->Now();
  auto counts = rt_.store().ListBoardCounts();
  if (!counts.ok()) return ProblemResponse(counts.status());
  // Due today or on one of the next `due_soon_days` working days (deadlines end at a day's end).
  auto soon = rt_.store().CountActiveDueOnDays(
      OfficeDayNumber(now), OfficeDayNumber(rt_.calendar().AddWorkingDays(now, due_soon_days)));
  if (!soon.ok()) return ProblemResponse(soon.status());

  Counts total;
  std::map<std::string, Counts> per_child;
  std::map<std::pair<std::string, std::string>, Counts> per_stage;
  std::map<std::string, const OrgUnitRecord*> child_of;  // unit id -> child (cache)
  auto child = [&](const std::string& id) {
    auto it = child_of.find(id);
    if (it != child_of.end()) return it->second;
    return child_of[id] = ChildOnPath(rt_.org(), unit, id);
  };
  auto add = [&](const BoardCount& b, bool soon_row) {
    const OrgUnitRecord* ch = child(b.org_unit_id);
    if (ch == nullptr) return;
    for (Counts* k : {&total, &per_child[ch->id], &per_stage[{b.programme, CaseStateName(b.stage)}]}) {
      if (soon_row) {
        k->due_soon += b.n;
      } else {
        k->active += b.n;
        if (b.overdue) k->overdue += b.n;
      }
    }
  };
  for (const auto& b : *counts) add(b, false);
  for (const auto& b : *soon) add(b, true);

  nlohmann::json children = nlohmann::json::array();
  for (const OrgUnitRecord* ch : rt_.org().Children(unit.id)) {
    nlohmann::json j = UnitJson(*ch);
    j.update(CountsJson(per_child[ch->id]));
    j["has_children"] = !rt_.org().Children(ch->id).empty();
    children.push_back(std::move(j));
  }
  if (per_child.count(unit.id)) {  // tasks routed to the unit itself (e.g. district approvals)
    nlohmann::json j = UnitJson(unit);
    j.update(CountsJson(per_child[unit.id]));
    j["has_children"] = false;
    j["self"] = true;
    children.push_back(std::move(j));
  }
  nlohmann::json by_stage = nlohmann::json::array();
  for (const auto& [key, k] : per_stage) {
    auto stage = ParseCaseState(key.second).value_or(CaseState::kDiscover);
    nlohmann::json j = {{"programme", key.first}, {"programme_name", ProgrammeName(rt_, key.first)},
                        {"stage", key.second}, {"stage_name", StageTaskName(rt_, key.first, stage)}};
    j.update(CountsJson(k));
    by_stage.push_back(std::move(j));
  }
  nlohmann::json path = nlohmann::json::array();
  for (const OrgUnitRecord* u : scope->breadcrumb) path.push_back(UnitJson(*u));
  nlohmann::json body = {{"unit", UnitJson(unit)}, {"path", path}, {"as_of", FormatUtc(now)},
                         {"due_soon_days", due_soon_days}, {"totals", CountsJson(total)},
                         {"children", children}, {"by_stage", by_stage}};
  return JsonResponse(200, body);
}

HttpResponse ApiService::BoardTrend(const HttpRequest& req, const Caller& c) {
  auto scope = ResolveBoardUnit(req, c);
  if (!scope.ok()) return ProblemResponse(scope.status());
  int weeks = 8;
  if (const std::string w = Query(req, "weeks"); !w.empty()) {
    auto n = ParseId(w);
    if (!n || *n < 1 || *n > 52) return ProblemResponse(InvalidArgument("weeks must be from 1 to 52", "weeks"));
    weeks = static_cast<int>(*n);
  }
  const Micros now = rt_.ctx().clock->Now();
  std::vector<std::string> days;
  for (int w = weeks - 1; w >= 1; --w) {
    days.push_back(LocalDayString(rt_.calendar(), now - std::int64_t{w} * 7 * kMicrosPerDay));
  }
  auto rows = rt_.store().ListOverdueHistory(days.empty() ? LocalDayString(rt_.calendar(), now) : days.front(),
                                             LocalDayString(rt_.calendar(), now));
  if (!rows.ok()) return ProblemResponse(rows.status());
  std::map<std::string, std::int64_t> per_day;
  std::set<std::string> recorded;
  for (const auto& r : *rows) {
    recorded.insert(r.day);
    if (!r.org_unit_id.empty() && rt_.org().IsWithin(r.org_unit_id, scope->unit->id)) per_day[r.day] += r.overdue;
  }
  nlohmann::json points = nlohmann::json::array();
  for (const auto& d : days) {
    if (recorded.count(d)) points.push_back({{"date", d}, {"overdue", per_day[d]}});
  }
  // Today: live, from the counters.
  auto counts = rt_.store().ListBoardCounts();
  if (!counts.ok()) return ProblemResponse(counts.status());
  std::int64_t today = 0;
  for (const auto& b : *counts) {
    if (b.overdue && rt_.org().IsWithin(b.org_unit_id, scope->unit->id)) today += b.n;
  }
  points.push_back({{"date", LocalDayString(rt_.calendar(), now)}, {"overdue", today}});
  return JsonResponse(200, {{"unit", UnitJson(*scope->unit)}, {"points", points}});
}

HttpResponse ApiService::BoardOverdue(const HttpRequest& req, const Caller& c, const std::string& format) {
  auto scope = ResolveBoardUnit(req, c);
  if (!scope.ok()) return ProblemResponse(scope.status());
  OverdueQuery q;
  q.org_path = scope->unit->path;
  q.programme = Query(req, "programme");
  if (!q.programme.empty() && !rt_.programmes().Find(q.programme).ok()) {
    return ProblemResponse(rt_.programmes().Find(q.programme).status());
  }
  if (const std::string s = Query(req, "stage"); !s.empty()) {
    q.stage = ParseCaseState(s);
    if (!q.stage || IsTerminal(*q.stage)) return ProblemResponse(InvalidArgument("unknown stage " + s, "stage"));
  }
  if (const std::string a = Query(req, "cursor"); !a.empty()) {
    const auto sep = a.find('_');
    auto due = sep == std::string::npos ? std::nullopt : ParseId(a.substr(0, sep));
    auto id = sep == std::string::npos ? std::nullopt : ParseId(a.substr(sep + 1));
    if (!due || !id) return ProblemResponse(InvalidArgument("cursor must be the next_cursor of the last page", "cursor"));
    q.after_due = *due;
    q.after_id = *id;
  }
  const bool file = format != "json";
  constexpr int kMaxExport = 20000;
  auto limit = Limit(req, file ? kMaxExport : 50, file ? kMaxExport : 200);
  if (!limit.ok()) return ProblemResponse(limit.status());
  q.limit = *limit;
  auto items = rt_.store().ListOverdue(q);
  if (!items.ok()) return ProblemResponse(items.status());
  const Micros now = rt_.ctx().clock->Now();

  std::vector<std::vector<Cell>> rows;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& item : *items) {
    const TaskRecord& t = item.task;
    const OrgUnitRecord* u = rt_.org().Find(t.org_unit_id);
    const int days = std::max(0, rt_.calendar().WorkingDaysBetween(t.due_at, now));
    if (file) {
      rows.push_back({Cell(std::to_string(t.id)), Cell(std::to_string(t.case_id)),
                      Cell(item.applicant_name), Cell(ProgrammeName(rt_, t.programme)),
                      Cell(CaseStateLabelZh(t.stage)), Cell(StageTaskName(rt_, t.programme, t.stage)),
                      Cell(u ? u->name : t.org_unit_id), Cell(t.claimed_by),
                      LocalDateTimeCell(rt_, t.due_at), Cell(days),
                      Cell(EscalationLabelZh(t.escalation_level))});
      continue;
    }
    list.push_back({{"task_id", std::to_string(t.id)}, {"case_id", std::to_string(t.case_id)},
                    {"applicant_name", item.applicant_name}, {"programme", t.programme},
                    {"programme_name", ProgrammeName(rt_, t.programme)}, {"stage", CaseStateName(t.stage)},
                    {"stage_name", CaseStateLabelZh(t.stage)}, {"kind", t.kind},
                    {"task_name", StageTaskName(rt_, t.programme, t.stage)}, {"org_unit_id", t.org_unit_id},
                    {"org_unit_name", u ? u->name : t.org_unit_id}, {"role", t.role},
                    {"assignee", t.claimed_by}, {"due_at", FormatUtc(t.due_at)}, {"days_overdue", days},
                    {"escalation_level", t.escalation_level}});
  }
  if (file) {
    static const std::vector<std::string> kHeaders = {"任务编号", "案件编号", "申请人", "救助项目", "阶段", "任务",
                                                      "所在单位", "经办人", "截止时间", "逾期工作日", "督办级别"};
    const std::string day = LocalDayString(rt_.calendar(), now);
    const std::string name = "overdue-" + scope->unit->id + "-" + day;
    const std::string name_zh = "逾期任务-" + scope->unit->name + "-" + day + "." + format;
    HttpResponse r;
    r.status = 200;
    if (format == "csv") {
      r.body = WriteCsv(kHeaders, rows);
      r.content_type = "text/csv; charset=utf-8";
    } else {
      r.body = WriteXlsx("逾期任务", kHeaders, rows);
      r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    // ASCII name for old clients, the Chinese one (RFC 5987) for the rest.
    std::string encoded;
    for (unsigned char ch : name_zh) {
      static const char* kHex = "0123456789ABCDEF";
      if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_') {
        encoded += static_cast<char>(ch);
      } else {
        encoded += '%';
        encoded += kHex[ch >> 4];
        encoded += kHex[ch & 15];
      }
    }
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "." + format +
                                                      "\"; filename*=UTF-8''" + encoded);
    return r;
  }
  // Total from the counters of the subtree, with the same filters.
  auto counts = rt_.store().ListBoardCounts();
  if (!counts.ok()) return ProblemResponse(counts.status());
  std::int64_t total = 0;
  for (const auto& b : *counts) {
    if (!b.overdue || !rt_.org().IsWithin(b.org_unit_id, scope->unit->id)) continue;
    if (!q.programme.empty() && b.programme != q.programme) continue;
    if (q.stage && b.stage != *q.stage) continue;
    total += b.n;
  }
  nlohmann::json next = nullptr;
  if (static_cast<int>(items->size()) == q.limit && !items->empty()) {
    next = std::to_string(items->back().task.due_at) + "_" + std::to_string(items->back().task.id);
  }
  return JsonResponse(200, {{"items", list}, {"next_cursor", next}, {"total", total}});
}

HttpResponse ApiService::BoardDecisionTimes(const HttpRequest& req, const Caller& c) {
  auto scope = ResolveBoardUnit(req, c);
  if (!scope.ok()) return ProblemResponse(scope.status());
  const Micros now = rt_.ctx().clock->Now();
  Micros from = now - 90 * kMicrosPerDay, to = now + 1;
  for (auto [key, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    if (const std::string v = Query(req, key); !v.empty()) {
      auto t = ParseInstant(v, rt_.calendar().zone());
      if (!t.ok()) return ProblemResponse(InvalidArgument(t.status().message(), key));
      *target = *t;
    }
  }
  if (Query(req, "to").size() == 10) to += kMicrosPerDay;  // a date includes its whole day
  if (to <= from) return ProblemResponse(InvalidArgument("to must be after from", "to"));
  auto decisions = rt_.store().ListDecisions(scope->unit->path, from, to);
  if (!decisions.ok()) return ProblemResponse(decisions.status());
  // (child unit, programme, route) -> working days from report to decision
  std::map<std::tuple<std::string, std::string, jiuzhu::Route>, std::vector<int>> days;
  for (const auto& d : *decisions) {
    if (d.route == jiuzhu::Route::kUndecided) continue;
    // The child unit the case's village lies under (by path).
    std::string unit_id = scope->unit->id;
    for (const OrgUnitRecord* ch : rt_.org().Children(scope->unit->id)) {
      if (d.org_path.compare(0, ch->path.size(), ch->path) == 0) unit_id = ch->id;
    }
    days[{unit_id, d.programme, d.route}].push_back(std::max(0, rt_.calendar().WorkingDaysBetween(d.created_at, d.decided_at)));
  }
  nlohmann::json rows = nlohmann::json::array();
  for (auto& [key, v] : days) {
    const auto& [unit_id, programme, route] = key;
    std::sort(v.begin(), v.end());
    const OrgUnitRecord* u = rt_.org().Find(unit_id);
    nlohmann::json j = {{"unit_id", unit_id}, {"unit_name", u ? u->name : unit_id},
                        {"programme", programme}, {"programme_name", ProgrammeName(rt_, programme)},
                        {"route", RouteName(route)}, {"cases", v.size()},
                        {"median_working_days", Median(v)}, {"p90_working_days", Percentile(v, 0.9)}};
    nlohmann::json promise = nullptr;
    if (auto p = rt_.programmes().Find(programme); p.ok() && (*p)->routes.count(route)) {
      promise = (*p)->routes.at(route).promise_working_days;
    }
    j["promise_working_days"] = promise;
    rows.push_back(std::move(j));
  }
  return JsonResponse(200, {{"unit", UnitJson(*scope->unit)}, {"from", FormatUtc(from)}, {"to", FormatUtc(to)},
                            {"rows", rows}});
}

HttpResponse ApiService::BoardAssignees(const HttpRequest& req, const Caller& c) {
  const std::string unit_id = Query(req, "unit");
  const std::string role = Query(req, "role");
  if (unit_id.empty()) return ProblemResponse(InvalidArgument("unit is required", "unit"));
  if (role.empty()) return ProblemResponse(InvalidArgument("role is required", "role"));
  bool supervised = false;
  for (const auto& top : SupervisedUnits(rt_.ctx(), rt_.escalation(), c.user)) {
    supervised = supervised || rt_.org().IsWithin(unit_id, top);
  }
  if (!supervised) return ProblemResponse(NotFound("org unit " + unit_id + " not found"));
  auto people = People();
  if (!people.ok()) return ProblemResponse(people.status());
  nlohmann::json users = nlohmann::json::array();
  for (const auto& name : people->Holding(role, unit_id)) {
    const UserRecord* u = people->Find(name);
    users.push_back({{"username", name}, {"display_name", u ? u->display_name : name}});
  }
  return JsonResponse(200, {{"users", users}});
}

HttpResponse ApiService::ReassignTask(const HttpRequest& req, const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("task " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  ReassignRequest r;
  r.actor = c.user;
  r.task_id = *id;
  if (Status s = ReadField(*body, "to_user", &r.to_user); !s.ok()) return ProblemResponse(s);
  if (Status s = ReadField(*body, "reason", &r.reason); !s.ok()) return ProblemResponse(s);
  if (r.to_user.empty()) return ProblemResponse(InvalidArgument("to_user is required", "to_user"));
  auto people = People();
  if (!people.ok()) return ProblemResponse(people.status());
  auto shared = std::make_shared<PeopleIndex>(std::move(*people));
  const EscalationPolicy* policy = &rt_.escalation();
  return RunCommand(req, c, "task_reassign", 0, [r, shared, policy](const EngineContext& ctx, StoreTxn& txn) {
    return jiuzhu::ReassignTask(ctx, *policy, *shared, txn, r);
  });
}

HttpResponse ApiService::RemindTask(const HttpRequest& req, const PathParams& p, const Caller& c) {
  const auto id = ParseId(p.at("id"));
  if (!id) return ProblemResponse(NotFound("task " + p.at("id") + " not found"));
  auto body = BodyObject(req);
  if (!body) return MalformedBody();
  RemindRequest r;
  r.actor = c.user;
  r.task_id = *id;
  if (Status s = ReadField(*body, "message", &r.message); !s.ok()) return ProblemResponse(s);
  auto people = People();
  if (!people.ok()) return ProblemResponse(people.status());
  auto out = rt_.executor().Run<RemindOutcome>([&](StoreTxn& txn) {
    return jiuzhu::RemindTask(rt_.ctx(), rt_.escalation(), *people, txn, r);
  });
  metrics_.CountCommand("task_remind", out.ok());
  if (!out.ok()) return ProblemResponse(out.status());
  nlohmann::json notified = nlohmann::json::array();
  for (const auto& n : out->notifications) {
    notified.push_back(n.username);
    if (sender_ != nullptr) sender_->Send(n);
  }
  return JsonResponse(202, {{"notified", notified}});
}

// 政策查找: the referral policy catalogue, searched in Chinese (keywords, fuzzy
// character pairs, pinyin initials); each policy with the department unit
// nearest to the caller that would handle it.
HttpResponse ApiService::BoardPools(const HttpRequest& req, const Caller& c) {
  auto scope = ResolveBoardUnit(req, c);
  if (!scope.ok()) return ProblemResponse(scope.status());
  const OrgUnitRecord& unit = *scope->unit;
  auto counts = rt_.store().CountPools(unit.path);
  if (!counts.ok()) return ProblemResponse(counts.status());
  struct Pools {
    std::int64_t relief = 0, monitoring = 0, general = 0;
    void Add(Pool p, std::int64_t n) {
      (p == Pool::kRelief ? relief : p == Pool::kMonitoring ? monitoring : general) += n;
    }
    nlohmann::json Json() const {
      return {{"relief", relief}, {"monitoring", monitoring}, {"general", general},
              {"total", relief + monitoring + general}};
    }
  };
  Pools total;
  std::map<std::string, Pools> per_child;
  for (const auto& pc : *counts) {
    const OrgUnitRecord* ch = ChildOnPath(rt_.org(), unit, pc.village_id);
    if (ch == nullptr) continue;
    total.Add(pc.pool, pc.n);
    per_child[ch->id].Add(pc.pool, pc.n);
  }
  nlohmann::json children = nlohmann::json::array();
  for (const OrgUnitRecord* ch : rt_.org().Children(unit.id)) {
    if (ch->tier == Tier::kDepartment) continue;
    nlohmann::json j = UnitJson(*ch);
    j.update(per_child[ch->id].Json());
    children.push_back(std::move(j));
  }
  return JsonResponse(200, {{"unit", UnitJson(unit)}, {"totals", total.Json()}, {"children", children}});
}

HttpResponse ApiService::Policies(const HttpRequest& req, const Caller& c) {
  auto limit = Limit(req, 20, 100);
  if (!limit.ok()) return ProblemResponse(limit.status());
  const std::string q = Query(req, "q");
  std::vector<PolicySearchHit> hits;
  if (q.empty()) {
    for (const Policy& p : rt_.policies().policies()) hits.push_back({&p, 0, {}});
  } else {
    auto found = SearchPolicies(rt_.policies(), q);
    if (!found.ok()) return ProblemResponse(found.status());
    hits = std::move(*found);
  }
  const std::string from = c.user.roles.empty() ? std::string() : c.user.roles.front().org_unit_id;
  nlohmann::json items = nlohmann::json::array();
  for (size_t i = 0; i < hits.size() && static_cast<int>(i) < *limit; ++i) {
    const Policy& p = *hits[i].policy;
    const OrgUnitRecord* dept = from.empty() ? nullptr : rt_.org().FindDepartment(from, p.department);
    nlohmann::json unit = dept ? nlohmann::json{{"id", dept->id}, {"name", dept->name}} : nlohmann::json(nullptr);
    items.push_back({{"code", p.code}, {"name", p.name}, {"description", p.description},
                     {"department", p.department}, {"department_unit", unit}, {"keywords", p.keywords},
                     {"feedback_working_days", p.feedback_working_days}, {"score", hits[i].score},
                     {"matched", hits[i].matched}});
  }
  return JsonResponse(200, {{"total", hits.size()}, {"items", items}});
}

HttpResponse ApiService::Notifications(const HttpRequest& req, const Caller& c) {
  const std::string unread = Query(req, "unread_only");
  if (!unread.empty() && unread != "true" && unread != "false") {
    return ProblemResponse(InvalidArgument("unread_only must be true or false", "unread_only"));
  }
  std::int64_t before = 0;
  if (const std::string cur = Query(req, "cursor"); !cur.empty()) {
    auto n = ParseId(cur);
    if (!n) return ProblemResponse(InvalidArgument("cursor must be the next_cursor of the last page", "cursor"));
    before = *n;
  }
  auto limit = Limit(req, 20, 100);
  if (!limit.ok()) return ProblemResponse(limit.status());
  auto list = rt_.store().ListNotifications(c.user.username, unread == "true", before, *limit);
  if (!list.ok()) return ProblemResponse(list.status());
  auto count = rt_.store().CountUnreadNotifications(c.user.username);
  if (!count.ok()) return ProblemResponse(count.status());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& n : *list) {
    items.push_back({{"id", std::to_string(n.id)}, {"kind", NotificationKindName(n.kind)}, {"title", n.title},
                     {"body", n.body}, {"task_id", std::to_string(n.task_id)},
                     {"case_id", std::to_string(n.case_id)}, {"created_at", FormatUtc(n.created_at)},
                     {"read", n.read_at != 0}});
  }
  nlohmann::json next = nullptr;
  if (static_cast<int>(list->size()) == *limit) next = std::to_string(list->back().id);
  return JsonResponse(200, {{"items", items}, {"unread", *count}, {"next_cursor", next}});
}

HttpResponse ApiService::MarkNotificationsRead(const PathParams& p, const Caller& c, bool all) {
  std::int64_t id = 0;
  if (!all) {
    auto n = ParseId(p.at("id"));
    if (!n || *n == 0) return ProblemResponse(NotFound("notification " + p.at("id") + " not found"));
    id = *n;
  }
  auto changed = rt_.store().MarkNotificationsRead(c.user.username, id, rt_.ctx().clock->Now());
  if (!changed.ok()) return ProblemResponse(changed.status());
  if (!all && *changed == 0) {
    // Unknown, someone else's, or already read: only the last is not an error.
    auto list = rt_.store().ListNotifications(c.user.username, false, id + 1, 1);
    if (!list.ok()) return ProblemResponse(list.status());
    if (list->empty() || list->front().id != id) {
      return ProblemResponse(NotFound("notification " + p.at("id") + " not found"));
    }
  }
  HttpResponse r;
  r.status = 204;
  return r;
}

}  // namespace jiuzhu::http
