#include "engine/sampling/draw.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <map>
#include <set>

#include "engine/common/crypto.hpp"
#include "engine/sampling/seed.hpp"

namespace jiuzhu {

namespace {

void AppendItem(std::string& out, const std::string& bytes) {
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
  out += '\n';
}

constexpr char kSampleTag[] = "jiuzhu-sample-v1";

const std::string& StratumValue(const PopulationEntry& e, StratumKey k) {
  switch (k) {
    case StratumKey::kDistrict:
      return e.district_id;
    case StratumKey::kStreet:
      return e.street_id;
    case StratumKey::kApprover:
      return e.approver;
    case StratumKey::kProgramme:
      return e.programme;
  }
  return e.programme;
}

struct Scored {
  std::string score;
  const PopulationEntry* entry;
};

bool ByScore(const Scored& a, const Scored& b) {
  if (a.score != b.score) return a.score < b.score;
  return a.entry->case_id < b.entry->case_id;
}

std::string JoinIds(const std::vector<CaseId>& ids, size_t limit = 10) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(ids[i]);
  }
  if (ids.size() > limit) out += " and " + std::to_string(ids.size() - limit) + " more";
  return out;
}

}  // namespace

std::string EntryScore(const std::string& seed_hex, const std::string& population_hash,
                       CaseId case_id) {
  Result<std::string> key = HexDecode(seed_hex);
  assert(key.ok() && key->size() == kSeedBytes);
  return HmacSha256Hex(key.ok() ? *key : std::string(), population_hash + std::to_string(case_id));
}

std::string ComputeSampleHash(const std::string& seed_hex, const std::string& population_hash,
                              const std::string& parameters_hash,
                              const std::vector<CaseId>& chosen) {
  std::string text = kSampleTag;
  AppendItem(text, seed_hex);
  AppendItem(text, population_hash);
  AppendItem(text, parameters_hash);
  AppendItem(text, std::to_string(chosen.size()));
  for (CaseId id : chosen) AppendItem(text, std::to_string(id));
  return Sha256Hex(text);
}

Result<SampleResult> DrawSample(const FrozenPopulation& population,
                                const SampleParameters& parameters, const std::string& seed_hex) {
  JZ_ASSIGN_OR_RETURN(const std::string seed, ParseSeed(seed_hex));
  JZ_ASSIGN_OR_RETURN(const SampleParameters p, CanonicalizeParameters(parameters));
  for (const PopulationEntry& e : population.entries()) {
    if (!MatchesFilters(e, p)) {
      return FailedPrecondition("case " + std::to_string(e.case_id) +
                                " lies outside the sample's period, programmes or org subtree");
    }
  }

  // Strata keyed by their value lists; std::map orders them by bytes.
  std::map<std::vector<std::string>, std::vector<Scored>> strata;
  for (const PopulationEntry& e : population.entries()) {
    std::vector<std::string> key;
    key.reserve(p.strata.size());
    for (StratumKey k : p.strata) key.push_back(StratumValue(e, k));
    strata[std::move(key)].push_back({EntryScore(seed, population.hash(), e.case_id), &e});
  }

  SampleResult r;
  r.seed_hex = seed;
  r.population_hash = population.hash();
  r.parameters_hash = ParameterHash(p);
  r.population_size = population.size();
  for (auto& [key, members] : strata) {
    const auto s = static_cast<std::int64_t>(members.size());
    const std::int64_t by_rate = (p.rate_basis_points * s + kRateScale - 1) / kRateScale;
    const std::int64_t n = std::min(s, std::max<std::int64_t>(p.minimum_per_stratum, by_rate));

    std::sort(members.begin(), members.end(), ByScore);
    StratumSummary summary;
    summary.key = key;
    summary.population_size = members.size();
    std::int64_t taken = 0;
    if (p.always_include_flagged) {
      for (const Scored& m : members) {
        if (m.entry->flagged) {
          r.chosen.push_back(m.entry->case_id);
          ++taken;
        }
      }
      summary.flagged_in_sample = static_cast<size_t>(taken);
    }
    for (const Scored& m : members) {
      if (taken >= n) break;
      if (p.always_include_flagged && m.entry->flagged) continue;  // already in
      r.chosen.push_back(m.entry->case_id);
      ++taken;
    }
    summary.sample_size = static_cast<size_t>(taken);

    if (p.strata.empty()) {
      summary.label = "all";
    } else {
      for (size_t i = 0; i < p.strata.size(); ++i) {
        if (i > 0) summary.label += ' ';
        summary.label += std::string(StratumKeyName(p.strata[i])) + "=" + key[i];
      }
    }
    r.strata.push_back(std::move(summary));
  }
  std::sort(r.chosen.begin(), r.chosen.end());
  r.sample_hash = ComputeSampleHash(r.seed_hex, r.population_hash, r.parameters_hash, r.chosen);
  return r;
}

Status VerifySample(const FrozenPopulation& population, const SampleParameters& parameters,
                    const std::string& seed_hex, const SampleResult& stored) {
  JZ_ASSIGN_OR_RETURN(const SampleResult derived, DrawSample(population, parameters, seed_hex));
  std::vector<std::string> problems;
  std::string first_field;
  auto differ = [&](const std::string& field, const std::string& what) {
    if (first_field.empty()) first_field = field;
    problems.push_back(what);
  };

  if (stored.seed_hex != derived.seed_hex) {
    differ("seed", "seed differs: stored " + stored.seed_hex + ", given " + derived.seed_hex);
  }
  if (stored.population_hash != derived.population_hash) {
    differ("population_hash", "population hash differs: stored " + stored.population_hash +
                                  ", population now " + derived.population_hash);
  }
  if (stored.parameters_hash != derived.parameters_hash) {
    differ("parameters", "parameter hash differs: stored " + stored.parameters_hash +
                             ", parameters given " + derived.parameters_hash);
  }

  const std::set<CaseId> stored_ids(stored.chosen.begin(), stored.chosen.end());
  const std::set<CaseId> drawn_ids(derived.chosen.begin(), derived.chosen.end());
  std::vector<CaseId> not_drawn, missing;
  std::set_difference(stored_ids.begin(), stored_ids.end(), drawn_ids.begin(), drawn_ids.end(),
                      std::back_inserter(not_drawn));
  std::set_difference(drawn_ids.begin(), drawn_ids.end(), stored_ids.begin(), stored_ids.end(),
                      std::back_inserter(missing));
  if (!not_drawn.empty()) {
    differ("chosen", "case " + JoinIds(not_drawn) + " in the stored sample but not drawn");
  }
  if (!missing.empty()) {
    differ("chosen", "case " + JoinIds(missing) + " drawn but missing from the stored sample");
  }
  if (not_drawn.empty() && missing.empty() && stored.chosen != derived.chosen) {
    differ("chosen", "stored case ids are listed twice or out of order");
  }

  if (stored.strata.size() != derived.strata.size()) {
    differ("strata", "stored sample has " + std::to_string(stored.strata.size()) +
                         " strata, the draw " + std::to_string(derived.strata.size()));
  } else {
    for (size_t i = 0; i < stored.strata.size(); ++i) {
      const StratumSummary& a = stored.strata[i];
      const StratumSummary& b = derived.strata[i];
      if (a.key != b.key || a.population_size != b.population_size ||
          a.sample_size != b.sample_size || a.flagged_in_sample != b.flagged_in_sample) {
        differ("strata", "stratum " + b.label + ": stored " + std::to_string(a.sample_size) +
                             " of " + std::to_string(a.population_size) + ", drawn " +
                             std::to_string(b.sample_size) + " of " +
                             std::to_string(b.population_size));
      }
    }
  }

  if (stored.sample_hash != derived.sample_hash) {
    differ("sample_hash",
           "sample hash differs: stored " + stored.sample_hash + ", drawn " + derived.sample_hash);
  }
  if (problems.empty()) return Status::Ok();
  std::string message = "resample does not match: ";
  for (size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) message += "; ";
    message += problems[i];
  }
  return Status(ErrorCode::kFailedPrecondition, message, first_field);
}

}  // namespace jiuzhu
