#include "api/runtime/post_audit_json.hpp"

namespace jiuzhu {

namespace {

std::string UnitName(const Runtime& rt, const std::string& id) {
  const OrgUnitRecord* u = rt.org().Find(id);
  return u ? u->name : id;
}

nlohmann::json Instant(Micros t) { return t == 0 ? nlohmann::json(nullptr) : nlohmann::json(FormatUtc(t)); }

double Yuan(std::int64_t fen) { return static_cast<double>(fen) / 100.0; }

}  // namespace

nlohmann::json AuditSampleJson(const Runtime& rt, const AuditSampleRecord& s) {
  nlohmann::json params = nlohmann::json::parse(s.parameters_json, nullptr, false);
  nlohmann::json strata = nlohmann::json::parse(s.strata_json, nullptr, false);
  return {{"id", std::to_string(s.id)},
          {"status", s.status},
          {"org_unit", {{"id", s.org_unit_id}, {"name", UnitName(rt, s.org_unit_id)}}},
          {"created_by", s.created_by},
          {"created_at", FormatUtc(s.created_at)},
          {"seed", s.seed},
          {"parameters", params.is_discarded() ? nlohmann::json(nullptr) : params},
          {"parameters_hash", s.parameters_hash},
          {"drawn_by", s.drawn_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.drawn_by)},
          {"drawn_at", Instant(s.drawn_at)},
          {"population_hash", s.population_hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.population_hash)},
          {"population_size", s.population_size},
          {"sample_hash", s.sample_hash.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.sample_hash)},
          {"strata", strata.is_discarded() ? nlohmann::json::array() : strata}};
}

nlohmann::json AuditItemsJson(const Runtime& rt, const std::vector<AuditItemRecord>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) {
    nlohmann::json reverification = nullptr;
    if (!i.reverification.empty()) {
      reverification = nlohmann::json::parse(i.reverification, nullptr, false);
      if (reverification.is_discarded()) reverification = i.reverification;
    }
    out.push_back({{"id", std::to_string(i.id)},
                   {"sample_id", std::to_string(i.sample_id)},
                   {"case_id", std::to_string(i.case_id)},
                   {"programme", i.programme},
                   {"district", {{"id", i.district_id}, {"name", UnitName(rt, i.district_id)}}},
                   {"street", {{"id", i.street_id}, {"name", UnitName(rt, i.street_id)}}},
                   {"approver", i.approver},
                   {"approved_at", FormatUtc(i.approved_at)},
                   {"status", i.status},
                   {"task_id", i.task_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(std::to_string(i.task_id))},
                   {"category", i.category.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.category)},
                   {"evidence", i.evidence},
                   {"found_by", i.found_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.found_by)},
                   {"found_at", Instant(i.found_at)},
                   {"reverification", reverification},
                   {"reverified_by", i.reverified_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.reverified_by)},
                   {"reverified_at", Instant(i.reverified_at)},
                   {"decision_reason", i.decision_reason},
                   {"decided_by", i.decided_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(i.decided_by)},
                   {"decided_at", Instant(i.decided_at)},
                   {"amount_to_recover_fen", i.amount_to_recover_fen},
                   {"amount_to_recover_yuan", Yuan(i.amount_to_recover_fen)}});
  }
  return out;
}

nlohmann::json CreditRecordsJson(const std::vector<CreditRecord>& records, Micros now) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records) {
    out.push_back({{"id", std::to_string(r.id)},
                   {"applicant_name", r.applicant_name},
                   {"id_number", r.id_masked},
                   {"case_id", std::to_string(r.case_id)},
                   {"item_id", std::to_string(r.item_id)},
                   {"programme", r.programme},
                   {"reason", r.reason},
                   {"category", r.category},
                   {"amount_to_recover_fen", r.amount_to_recover_fen},
                   {"amount_to_recover_yuan", Yuan(r.amount_to_recover_fen)},
                   {"recorded_by", r.recorded_by},
                   {"recorded_at", FormatUtc(r.recorded_at)},
                   {"fast_track_barred_until", FormatUtc(r.ban_until)},
                   {"active", r.ban_until > now}});
  }
  return out;
}

nlohmann::json PostAuditStatsJson(const Runtime& rt, const PostAuditStats& stats) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : stats.rows) {
    rows.push_back({{"org_unit", {{"id", r.org_unit_id}, {"name", UnitName(rt, r.org_unit_id)}}},
                    {"month", r.month},
                    {"sampled", r.sampled},
                    {"finished", r.finished},
                    {"passed", r.passed},
                    {"pass_rate", r.finished == 0 ? nlohmann::json(nullptr)
                                                  : nlohmann::json(static_cast<double>(r.passed) /
                                                                   static_cast<double>(r.finished))},
                    {"discrepancies", r.discrepancies},
                    {"revoked", r.revoked}});
  }
  nlohmann::json categories = nlohmann::json::object();
  for (const auto& c : DiscrepancyCategories()) {
    auto it = stats.categories.find(c);
    categories[c] = it == stats.categories.end() ? 0 : it->second;
  }
  return {{"rows", rows},
          {"categories", categories},
          {"revocations", stats.revocations},
          {"amount_to_recover_fen", stats.amount_to_recover_fen},
          {"amount_to_recover_yuan", Yuan(stats.amount_to_recover_fen)}};
}

}  // namespace jiuzhu
