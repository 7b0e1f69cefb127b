// The post-audit draw (随机抽查): a deterministic function of (seed, frozen
// population, canonical parameters), so anyone holding the three can re-derive
// the sample and see it was not hand-picked.
//
// The draw rule (version 1), step by step:
//  1. The seed is 64 hex digits (ParseSeed; lowercase). K = the 32 bytes it
//     encodes. The parameters are made canonical (CanonicalizeParameters).
//     Every population entry must match the parameters' filters
//     (MatchesFilters): the population is exactly what is drawn from.
//  2. Each entry's score is HMAC-SHA256 with key K over the ASCII bytes of
//     the population hash (64 lowercase hex digits) immediately followed by
//     the case id in decimal, written as 64 lowercase hex digits. E.g. case
//     42: HMAC(K, "<population hash>42").
//  3. Entries are grouped into strata by their values for the parameters'
//     stratum keys, taken in canonical key order (district_id, street_id,
//     approver, programme). With no keys the population is one stratum.
//     Strata are ordered by their value lists, comparing bytes.
//  4. In a stratum of s entries, n = min(s, max(minimum_per_stratum,
//     ceil(rate_basis_points * s / 10000))), computed in integers.
//     Without always_include_flagged: the n entries with the smallest scores
//     (ties, which need an HMAC collision, by smaller case id).
//     With it: every flagged entry, then the non-flagged entries with the
//     smallest scores until the stratum has n (none if the flagged ones are
//     already n or more: flagged entries count toward n and are never left
//     out, so such a stratum's sample is all its flagged entries).
//  5. The sample is the chosen case ids in ascending order.
//  6. sample_hash = lowercase hex SHA-256 over the ASCII tag "jiuzhu-sample-v1"
//     followed by the items seed (lowercase hex), population hash, parameter
//     hash (ParameterHash), the number of chosen cases and each chosen case id
//     in ascending order, every item as its decimal byte length, ':' and its
//     bytes, then '\n' (as in the population encoding).
// Because the score does not depend on the rate, a draw at a higher rate with
// the same seed and population contains the draw at a lower rate.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/common/status.hpp"
#include "engine/sampling/population.hpp"
#include "engine/sampling/sample_parameters.hpp"

namespace jiuzhu {

struct StratumSummary {
  // The stratum's values for the canonical stratum keys (empty: no strata).
  std::vector<std::string> key;
  // For people: "district=640202 approver=li.ming", or "all" without strata.
  std::string label;
  size_t population_size = 0;
  size_t sample_size = 0;
  size_t flagged_in_sample = 0;  // chosen because flagged (always_include_flagged)
};

struct SampleResult {
  std::string seed_hex;         // lowercase
  std::string population_hash;  // FrozenPopulation::hash()
  std::string parameters_hash;  // ParameterHash(canonical parameters)
  size_t population_size = 0;
  std::vector<CaseId> chosen;          // ascending
  std::vector<StratumSummary> strata;  // in canonical stratum order
  std::string sample_hash;
};

// Draws the sample by the rule above.
// Errors: kInvalidArgument for a bad seed (field "seed") or bad parameters
// (field named, see CanonicalizeParameters); kFailedPrecondition naming the
// first case id (ascending) that lies outside the parameters' filters.
Result<SampleResult> DrawSample(const FrozenPopulation& population,
                                const SampleParameters& parameters, const std::string& seed_hex);

// Step 2 of the rule, for one case: lowercase hex HMAC-SHA256.
// `seed_hex` must be a valid seed (asserts otherwise).
std::string EntryScore(const std::string& seed_hex, const std::string& population_hash,
                       CaseId case_id);
// Step 6 of the rule. `chosen` must be ascending.
std::string ComputeSampleHash(const std::string& seed_hex, const std::string& population_hash,
                              const std::string& parameters_hash,
                              const std::vector<CaseId>& chosen);

// The resample check (`jiuzhu audit resample`): re-derives the sample from
// (population, parameters, seed) and compares it with `stored`.
// OK when seed, population hash, parameter hash, chosen ids, strata summaries
// and sample hash all match. Otherwise kFailedPrecondition whose message names
// every difference (e.g. "case 17 is in the stored sample but was not drawn")
// and whose field names the first one: "seed", "population_hash",
// "parameters", "chosen", "strata" or "sample_hash". Errors of DrawSample are
// passed through.
Status VerifySample(const FrozenPopulation& population, const SampleParameters& parameters,
                    const std::string& seed_hex, const SampleResult& stored);

}  // namespace jiuzhu
