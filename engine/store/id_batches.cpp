#include "engine/store/id_batches.hpp"

#include <algorithm>

namespace jiuzhu {

std::vector<std::vector<std::int64_t>> IdBatches(std::vector<std::int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::vector<std::int64_t>> batches;
  for (std::size_t from = 0; from < ids.size(); from += kMaxIdsPerStatement) {
    const std::size_t n = std::min(kMaxIdsPerStatement, ids.size() - from);
    std::size_t padded = 1;
    while (padded < n) padded *= 2;
    std::vector<std::int64_t> batch(ids.begin() + static_cast<std::ptrdiff_t>(from),
                                    ids.begin() + static_cast<std::ptrdiff_t>(from + n));
    batch.resize(padded, batch.back());
    batches.push_back(std::move(batch));
  }
  return batches;
}

std::string SqlPlaceholders(std::size_t n) {
  std::string s;
  s.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

}  // namespace jiuzhu
