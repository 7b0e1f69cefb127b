// JSON views of the post-audit records (issue 6), shared by the HTTP API and
// the command-line program. Ids are strings (64-bit ids do not fit a JS number);
// instants are UTC ISO 8601; money is in fen (分) with a yuan figure beside it.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "api/runtime/runtime.hpp"
#include "engine/usecases/post_audit.hpp"

namespace jiuzhu {

// The sample with its parameters, seed and (once drawn) hashes and strata.
nlohmann::json AuditSampleJson(const Runtime& rt, const AuditSampleRecord& s);
nlohmann::json AuditItemsJson(const Runtime& rt, const std::vector<AuditItemRecord>& items);
// Each record with "active": whether its fast-track ban still runs at `now`.
nlohmann::json CreditRecordsJson(const std::vector<CreditRecord>& records, Micros now);
nlohmann::json PostAuditStatsJson(const Runtime& rt, const PostAuditStats& stats);

}  // namespace jiuzhu
