#include "engine/usecases/alerts.hpp"

#include <cmath>

#include "engine/identity/id_number.hpp"
#include "engine/usecases/case_transition.hpp"

namespace jiuzhu {

namespace {

constexpr size_t kMaxRaw = 64 * 1024;

// First problem of a field, for the malformed record.
struct Problem {
  std::string field;
  std::string message;
};

std::optional<Problem> ReadText(const nlohmann::json& j, const char* key, bool required, size_t max,
                                std::string* out) {
  if (!j.contains(key) || j.at(key).is_null()) {
    if (required) return Problem{key, std::string(key) + " is required"};
    return std::nullopt;
  }
  if (!j.at(key).is_string()) return Problem{key, std::string(key) + " must be text"};
  *out = j.at(key).get<std::string>();
  if (required && out->find_first_not_of(" \t") == std::string::npos) {
    return Problem{key, std::string(key) + " is required"};
  }
  if (out->size() > max) return Problem{key, std::string(key) + " is longer than " + std::to_string(max) + " bytes"};
  return std::nullopt;
}

}  // namespace

Result<AlertOutcome> IngestAlert(const EngineContext& ctx, const AlertRules& rules, StoreTxn& txn,
                                 const UserRecord& actor, const std::string& raw_body) {
  std::optional<RoleBindingRecord> binding;
  for (const auto& b : actor.roles) {
    if (b.role == kFeedRole) binding = b;
  }
  if (!binding) {
    return PermissionDenied("only data feed accounts (role data_feed) post alerts; " + actor.username +
                            " holds none");
  }
  const Micros now = ctx.clock->Now();
  AlertRecord a;
  a.id = ctx.id_gen->Next();
  a.received_at = now;
  a.received_by = actor.username;
  a.raw = raw_body.size() > kMaxRaw ? raw_body.substr(0, kMaxRaw) : raw_body;
  std::optional<Problem> problem;
  std::string id_number;
  const nlohmann::json j = nlohmann::json::parse(raw_body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    problem = Problem{"body", "the alert is not a JSON object"};
  } else {
    // Read what can be read even when a later field is bad, so the kept record says most.
    auto first = [&](std::optional<Problem> q) {
      if (q && !problem) problem = q;
    };
    first(ReadText(j, "source", true, 64, &a.source));
    first(ReadText(j, "kind", true, 64, &a.kind));
    first(ReadText(j, "external_id", false, 128, &a.external_id));
    first(ReadText(j, "id_number", true, 64, &id_number));
    first(ReadText(j, "details", false, 4000, &a.details));
    std::string occurred;
    first(ReadText(j, "occurred_at", true, 64, &occurred));
    if (!problem) {
      auto at = ParseInstant(occurred);
      if (!at.ok()) {
        problem = Problem{"occurred_at", "occurred_at: " + at.status().message()};
      } else if (*at > now + 24 * 3600 * kMicrosPerSecond) {
        problem = Problem{"occurred_at", "occurred_at lies in the future"};
      } else {
        a.occurred_at = *at;
      }
    }
    const AlertKind* kind = rules.Find(a.kind);
    if (!problem && kind == nullptr) {
      std::string known;
      for (const auto& c : rules.Codes()) known += (known.empty() ? "" : ", ") + c;
      problem = Problem{"kind", "unknown kind \"" + a.kind + "\" (known: " + known + ")"};
    }
    if (!problem && j.contains("amount_yuan") && !j.at("amount_yuan").is_null()) {
      const auto& v = j.at("amount_yuan");
      if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0 || v.get<double>() > 1e10) {
        problem = Problem{"amount_yuan", "amount_yuan must be a number >= 0"};
      } else {
        a.amount_fen = std::llround(v.get<double>() * 100.0);
      }
    } else if (!problem && kind != nullptr && !kind->threshold_fen.empty()) {
      problem = Problem{"amount_yuan", "amount_yuan is required for " + a.kind};
    }
    if (!problem) {
      const std::string normalized = NormalizeIdNumber(id_number);
      if (Status s = ValidateIdNumber(normalized); !s.ok()) {
        problem = Problem{"id_number", s.message()};
      } else {
        a.id_hash = ctx.ids->DedupHash(normalized);
        a.id_masked = MaskIdNumber(normalized);
      }
    }
  }

  // A resend finds what the first one left.
  if (!a.source.empty() && !a.external_id.empty()) {
    JZ_ASSIGN_OR_RETURN(auto stored, txn.FindAlert(a.source, a.external_id));
    if (stored) return AlertOutcome{std::move(*stored), true, std::nullopt};
  }

  AlertOutcome out;
  if (problem) {
    a.status = "malformed";
    a.error = problem->field + ": " + problem->message;
    JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
    out.alert = std::move(a);
    return out;
  }
  JZ_ASSIGN_OR_RETURN(std::optional<CaseRecord> c, txn.FindOpenCaseByIdHash(a.id_hash));
  if (!c) {
    a.status = "unmatched";
    a.error = "no open case for this ID number";
    JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
    out.alert = std::move(a);
    return out;
  }
  a.case_id = c->id;
  a.org_path = c->org_path;
  const AlertKind& kind = *rules.Find(a.kind);
  if (auto threshold = kind.ThresholdFor(c->programme); threshold && a.amount_fen < *threshold) {
    a.status = "below_threshold";
    a.error = "amount below the " + c->programme + " threshold of " +
              std::to_string(*threshold / 100) + " yuan";
    JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
    out.alert = std::move(a);
    return out;
  }
  const OrgUnitRecord* street = ctx.org->AncestorAtTier(c->village_id, Tier::kStreet);
  if (street == nullptr) return Internal("no street above village " + c->village_id);
  TaskRecord task = OpenTask(ctx, *c, c->state, kTaskAlertReview, "street_reviewer", street->id,
                             kind.review_working_days, now);
  a.status = "matched";
  a.task_id = task.id;
  nlohmann::json payload = {{"alert", std::to_string(a.id)},
                            {"source", a.source},
                            {"kind", a.kind},
                            {"kind_name", kind.name},
                            {"occurred_at", FormatUtc(a.occurred_at)},
                            {"details", a.details}};
  if (a.amount_fen != 0) payload["amount_fen"] = a.amount_fen;
  if (!a.external_id.empty()) payload["external_id"] = a.external_id;
  // The event names the feed's binding for the household's city when it has one there.
  for (const auto& b : actor.roles) {
    const OrgUnitRecord* u = b.role == kFeedRole ? ctx.org->Find(b.org_unit_id) : nullptr;
    if (u != nullptr && c->org_path.compare(0, u->path.size(), u->path) == 0) binding = b;
  }
  JZ_ASSIGN_OR_RETURN(CommandOutcome cmd, NoteOnCase(ctx, txn, c->id, *binding, actor.username, "alert",
                                                     std::move(payload), {}, {task}, now));
  JZ_RETURN_IF_ERROR(txn.InsertAlert(a));
  out.alert = std::move(a);
  out.command = std::move(cmd);
  return out;
}

}  // namespace jiuzhu
