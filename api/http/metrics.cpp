#include "api/http/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace jiuzhu::http {

constexpr std::array<double, 12> Metrics::kBuckets;

void Metrics::ObserveRequest(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::CountCommand(const std::string& command, bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  ++commands_[{command, ok}];
}

std::string Metrics::Render(std::int64_t open_tasks, std::int64_t overdue_tasks) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP jiuzhu_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE jiuzhu_http_requests_total counter\n";
  for (const auto& [k, n] : requests_) {
    out << "jiuzhu_http_requests_total{route=\"" << k.first << "\",status=\"" << k.second
        << "\"} " << n << "\n";
  }
  out << "# HELP jiuzhu_http_request_duration_seconds Latency by route.\n"
      << "# TYPE jiuzhu_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out << "jiuzhu_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << le
          << "\"} " << h.buckets[i] << "\n";
    }
    out << "jiuzhu_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << h.count << "\n";
    out << "jiuzhu_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "jiuzhu_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
        << "\n";
  }
  out << "# HELP jiuzhu_commands_total Engine commands by type and result.\n"
      << "# TYPE jiuzhu_commands_total counter\n";
  for (const auto& [k, n] : commands_) {
    out << "jiuzhu_commands_total{command=\"" << k.first << "\",result=\""
        << (k.second ? "ok" : "error") << "\"} " << n << "\n";
  }
  out << "# HELP jiuzhu_tasks_open Tasks open or claimed.\n# TYPE jiuzhu_tasks_open gauge\n"
      << "jiuzhu_tasks_open " << open_tasks << "\n"
      << "# HELP jiuzhu_tasks_overdue Open or claimed tasks past their due time.\n"
      << "# TYPE jiuzhu_tasks_overdue gauge\n"
      << "jiuzhu_tasks_overdue " << overdue_tasks << "\n";
  return out.str();
}

}  // namespace jiuzhu::http
