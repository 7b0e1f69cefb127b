// Batches of ids for reads by `WHERE id IN (?, ?, ...)` (CaseStore::GetCases),
// shared by both store adapters. Each batch is padded to a power of two by
// repeating its last id (an IN list ignores repeats), so an adapter's
// prepared-statement cache holds at most one statement per size class
// (1, 2, 4, ..., kMaxIdsPerStatement) instead of one per list length.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jiuzhu {

inline constexpr std::size_t kMaxIdsPerStatement = 256;

// `ids` sorted ascending with repeats dropped, cut into batches of at most
// kMaxIdsPerStatement distinct ids, each padded as above. Empty input gives
// no batches.
std::vector<std::vector<std::int64_t>> IdBatches(std::vector<std::int64_t> ids);

// "?,?,...,?" with `n` placeholders (n >= 1).
std::string SqlPlaceholders(std::size_t n);

}  // namespace jiuzhu
