#include "engine/common/id_generator.hpp"

#include <random>

namespace jiuzhu {

namespace {
constexpr std::int64_t kEpochMs = 1704067200000;  // 2024-01-01T00:00:00Z
}

IdGenerator::IdGenerator(const Clock& clock, int node) : clock_(clock), node_(node) {
  if (node_ < 0 || node_ >= 1024) {
    std::random_device rd;
    node_ = static_cast<int>(rd() % 1024);
  }
}

std::int64_t IdGenerator::Next() {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t ms = clock_.Now() / 1000 - kEpochMs;
  if (ms < 0) ms = 0;
  // A clock that stands still or goes back borrows from the last millisecond.
  if (ms <= last_ms_) {
    ms = last_ms_;
    if (++seq_ >= 4096) {
      ++ms;
      seq_ = 0;
    }
  } else {
    seq_ = 0;
  }
  last_ms_ = ms;
  return (ms << 22) | (static_cast<std::int64_t>(node_) << 12) | seq_;
}

}  // namespace jiuzhu
