// Prometheus metrics of the server: requests by route and status, latency
// histograms by route, commands by type. Gauges that come from the database
// (open and overdue tasks) are passed in at scrape time. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace jiuzhu::http {

class Metrics {
 public:
  void ObserveRequest(const std::string& route, int status, double seconds);
  void CountCommand(const std::string& command, bool ok);
  // Prometheus text exposition format 0.0.4.
  std::string Render(std::int64_t open_tasks, std::int64_t overdue_tasks) const;

  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // guarded by mu_
  std::map<std::string, Histogram> latency_;                       // guarded by mu_
  std::map<std::pair<std::string, bool>, std::uint64_t> commands_; // guarded by mu_
};

}  // namespace jiuzhu::http
