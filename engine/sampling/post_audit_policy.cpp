#include "engine/sampling/post_audit_policy.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace jiuzhu {

namespace {

constexpr int kMaxWindowWorkingDays = 250;  // about a year; beyond that it is no post-audit
constexpr int kMaxBanWorkingDays = 2500;    // about ten years
constexpr int kMaxTaskWorkingDays = 60;

bool IsComment(const std::string& key) { return !key.empty() && key[0] == '_'; }

}  // namespace

Result<PostAuditPolicy> PostAuditPolicy::FromJson(const std::string& text,
                                                  const std::string& origin,
                                                  const ProgrammeCatalog& catalog) {
  auto bad = [&](const std::string& field, const std::string& what) {
    return InvalidArgument(origin + ": " + (field.empty() ? "" : field + ": ") + what, field);
  };
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return bad("", "malformed JSON");
  if (!doc.is_object()) return bad("", "not a JSON object");

  auto parse_rule = [&](const nlohmann::json& j, const std::string& where,
                        PostAuditRule base) -> Result<PostAuditRule> {
    if (!j.is_object()) return bad(where, "not an object");
    for (const auto& [key, value] : j.items()) {
      if (IsComment(key)) continue;
      const std::string field = where + "." + key;
      int* target = nullptr;
      int min = 0, max = 0;
      if (key == "window_working_days") {
        target = &base.window_working_days;
        min = 1;
        max = kMaxWindowWorkingDays;
      } else if (key == "fast_track_ban_working_days") {
        target = &base.fast_track_ban_working_days;
        min = 0;
        max = kMaxBanWorkingDays;
      } else if (key == "audit_task_working_days") {
        target = &base.audit_task_working_days;
        min = 1;
        max = kMaxTaskWorkingDays;
      } else if (key == "reverify_working_days") {
        target = &base.reverify_working_days;
        min = 1;
        max = kMaxTaskWorkingDays;
      } else if (key == "decision_working_days") {
        target = &base.decision_working_days;
        min = 1;
        max = kMaxTaskWorkingDays;
      } else {
        return bad(field,
                   "unknown key (expected window_working_days, fast_track_ban_working_days, "
                   "audit_task_working_days, reverify_working_days or decision_working_days)");
      }
      if (!value.is_number_integer() || value.get<long long>() < min ||
          value.get<long long>() > max) {
        return bad(field, "must be an integer from " + std::to_string(min) + " to " +
                              std::to_string(max) + ", got " + value.dump());
      }
      *target = value.get<int>();
    }
    return base;
  };

  PostAuditPolicy p;
  for (const auto& [key, value] : doc.items()) {
    if (IsComment(key) || key == "default" || key == "programmes") continue;
    return bad(key, "unknown key (expected default or programmes)");
  }
  if (doc.contains("default")) {
    JZ_ASSIGN_OR_RETURN(p.default_, parse_rule(doc.at("default"), "default", PostAuditRule{}));
  }
  if (doc.contains("programmes")) {
    const nlohmann::json& progs = doc.at("programmes");
    if (!progs.is_object()) return bad("programmes", "not an object");
    for (const auto& [code, value] : progs.items()) {
      if (IsComment(code)) continue;
      const std::string where = "programmes." + code;
      if (catalog.programmes().count(code) == 0) return bad(where, "unknown programme");
      JZ_ASSIGN_OR_RETURN(p.programmes_[code], parse_rule(value, where, p.default_));
    }
  }
  return p;
}

Result<PostAuditPolicy> PostAuditPolicy::LoadFile(const std::string& path,
                                                  const ProgrammeCatalog& catalog) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path, catalog);
}

const PostAuditRule& PostAuditPolicy::For(const std::string& programme) const {
  auto it = programmes_.find(programme);
  return it == programmes_.end() ? default_ : it->second;
}

Micros PostAuditPolicy::WindowEndsAt(const std::string& programme, Micros approved_at,
                                     const WorkingCalendar& calendar) const {
  return calendar.AddWorkingDays(approved_at, For(programme).window_working_days);
}

Micros PostAuditPolicy::FastTrackBanEndsAt(const std::string& programme, Micros recorded_at,
                                           const WorkingCalendar& calendar) const {
  return calendar.AddWorkingDays(recorded_at, For(programme).fast_track_ban_working_days);
}

bool PostAuditPolicy::InDrawPopulation(const std::string& programme, Micros approved_at,
                                       Micros period_from, Micros period_to, Micros draw_at,
                                       const WorkingCalendar& calendar) const {
  return InPostAuditWindow(approved_at, period_from, period_to, draw_at,
                           For(programme).window_working_days, calendar);
}

bool InPostAuditWindow(Micros approved_at, Micros period_from, Micros period_to, Micros draw_at,
                       int window_working_days, const WorkingCalendar& calendar) {
  if (approved_at < period_from || approved_at >= period_to) return false;
  if (approved_at > draw_at) return false;
  return draw_at <= calendar.AddWorkingDays(approved_at, window_working_days);
}

}  // namespace jiuzhu
