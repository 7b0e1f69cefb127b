#include "api/auth/login_throttle.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <utility>

namespace jiuzhu::auth {

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleOptions options)
    : clock_(clock), options_(options) {
  assert(options_.free_attempts >= 1);
  assert(options_.lock_after >= options_.free_attempts);
  assert(options_.base_delay > 0 && options_.window > 0 && options_.lockout > 0);
  assert(options_.max_accounts >= 1);
}

bool LoginThrottle::Expired(const Entry& e, Micros now) const {
  if (now < e.blocked_until) return false;
  // A lock that has run out wipes the slate, whatever the window says.
  if (e.failures >= options_.lock_after) return true;
  return now - e.first_failure >= options_.window;
}

Micros LoginThrottle::DelayAfter(int failures) const {
  if (failures >= options_.lock_after) return options_.lockout;
  if (failures < options_.free_attempts) return 0;
  // Doubling, capped at lockout; the shift is bounded so it cannot overflow.
  const int doublings = std::min(failures - options_.free_attempts, 40);
  Micros delay = options_.base_delay;
  for (int i = 0; i < doublings && delay < options_.lockout; ++i) delay *= 2;
  return std::min(delay, options_.lockout);
}

void LoginThrottle::MakeRoomLocked(Micros now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = Expired(it->second, now) ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() < options_.max_accounts) return;
  // Still full of live entries (a spray of usernames): drop the oldest window,
  // sparing locked accounts so a spray cannot cheaply lift a lock.
  auto rank = [this](const Entry& e) {
    return std::make_pair(e.failures >= options_.lock_after, e.first_failure);
  };
  auto victim = std::min_element(
      entries_.begin(), entries_.end(),
      [&](const auto& a, const auto& b) { return rank(a.second) < rank(b.second); });
  entries_.erase(victim);
}

Micros LoginThrottle::RetryAfter(const std::string& username) {
  const Micros now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(username);
  if (it == entries_.end()) return 0;
  if (Expired(it->second, now)) {
    entries_.erase(it);
    return 0;
  }
  return std::max<Micros>(0, it->second.blocked_until - now);
}

void LoginThrottle::RecordFailure(const std::string& username) {
  const Micros now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(username);
  if (it != entries_.end() && Expired(it->second, now)) it->second = Entry{};
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_accounts) MakeRoomLocked(now);
    it = entries_.emplace(username, Entry{}).first;
  }
  Entry& e = it->second;
  if (e.failures == 0) e.first_failure = now;
  // Beyond lock_after every failure means the same; the cap keeps the count from overflowing.
  e.failures = std::min(e.failures + 1, options_.lock_after);
  const Micros delay = DelayAfter(e.failures);
  if (delay > 0) e.blocked_until = std::max(e.blocked_until, now + delay);
}

void LoginThrottle::RecordSuccess(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(username);
}

}  // namespace jiuzhu::auth
