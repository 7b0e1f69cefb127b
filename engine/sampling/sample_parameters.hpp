// The parameters of a post-audit draw (抽查参数) and their canonical encoding.
//
// The rate is kept as an integer number of basis points (1/10000): ceil(rate
// x size) must be exact and the same on every machine, which a binary double
// (0.07 x 100 = 7.000000000000001) is not. ParseRate/RateFromDouble convert.
//
// Canonical encoding (version 1), hashed into every sample: the ASCII tag
// "jiuzhu-sample-parameters-v1", then the items period_from, period_to,
// rate_basis_points, strata, minimum_per_stratum, always_include_flagged,
// programme count, each programme, org_subtree_path. Each item is written as
// its decimal byte length, ':' and its bytes, followed by '\n' (as in the
// population encoding). Integers are decimal; strata is the stratum key
// names in canonical order (district, street, approver, programme) joined by
// ','; always_include_flagged is "1" or "0"; programmes in ascending byte
// order. Only canonical parameters (see CanonicalizeParameters) are encoded,
// so two requests that differ only in list order encode alike.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/common/time.hpp"
#include "engine/sampling/population.hpp"

namespace jiuzhu {

// What a stratum (分层) is keyed by. Declaration order is the canonical order.
enum class StratumKey { kDistrict, kStreet, kApprover, kProgramme };
// "district", "street", "approver", "programme".
const char* StratumKeyName(StratumKey k);
std::optional<StratumKey> ParseStratumKey(std::string_view name);

inline constexpr int kRateScale = 10000;  // basis points per 100%

struct SampleParameters {
  // Approval period [period_from, period_to), UTC.
  Micros period_from = 0;
  Micros period_to = 0;
  int rate_basis_points = 1000;    // 1..10000; 1000 = 10%
  std::vector<StratumKey> strata;  // empty: the whole population is one stratum
  int minimum_per_stratum = 0;     // >= 0
  bool always_include_flagged = false;
  std::vector<std::string> programmes;  // empty: every programme
  std::string org_subtree_path;         // empty: the whole tree; else "/640200/640202/"
};

// Checks `p` and returns it in canonical form (strata in declaration order,
// programmes sorted). Errors (kInvalidArgument, field named): "period_to" not
// after period_from or period_from < 0; "rate" outside 1..10000 basis points;
// "strata" holding a key twice; "minimum_per_stratum" < 0; "programmes" with
// an empty, duplicate or non-UTF-8 code; "org_subtree_path" not of the form
// "/<id>/.../" (leading and trailing '/', no empty segment) or not UTF-8.
Result<SampleParameters> CanonicalizeParameters(const SampleParameters& p);

// The canonical encoding (see above) of `p`, which must be canonical.
std::string CanonicalParameterEncoding(const SampleParameters& p);
// Lowercase hex SHA-256 of CanonicalParameterEncoding(p).
std::string ParameterHash(const SampleParameters& p);

// "0.1", "0.10", "10%", "2.5%", "1" -> basis points. kInvalidArgument (field
// "rate") for anything else, more precision than a basis point, or a rate
// outside (0, 1].
Result<int> ParseRate(const std::string& text);
// A JSON number such as 0.1 -> 1000. kInvalidArgument (field "rate") if it is
// not within 1e-9 of a whole number of basis points or outside (0, 1].
Result<int> RateFromDouble(double rate);

// True when `e` lies inside the filters of `p`: approved within the period,
// of a listed programme (if any are listed), within the org subtree (if given).
// `p` must be canonical (programmes sorted: looked up by binary search).
bool MatchesFilters(const PopulationEntry& e, const SampleParameters& p);

}  // namespace jiuzhu
