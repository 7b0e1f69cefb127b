// Slows down password guessing per account. In memory, per process;
// thread-safe (one mutex); the clock is injected.
//
// Rules, per username:
// - Failures are counted in a fixed window that opens at the first failure;
//   once `window` has passed since then (and no lock is in force), the
//   account is forgotten and starts again from zero.
// - The first `free_attempts` attempts go through at once. From failure
//   number `free_attempts` on, the next attempt must wait a delay that
//   doubles with each failure: base_delay, 2*base_delay, 4*base_delay, ...
//   (never more than `lockout`).
// - Failure number `lock_after` locks the account: RetryAfter answers the
//   time left (the caller answers 429 with Retry-After) until `lockout` has
//   passed; then the account starts again from zero. A failure recorded while
//   a delay or lock is in force still counts and may extend it.
// - A success resets the account.
//
// Usernames are compared as given: pass the same normalized form the login
// uses. At most `max_accounts` accounts are tracked; when a new one would go
// beyond, expired entries are dropped first, then the unlocked entry whose
// window opened earliest, and only when every entry is locked the oldest
// locked one (ending that lock early: the price of bounded memory).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "engine/common/time.hpp"

namespace jiuzhu::auth {

struct ThrottleOptions {
  int free_attempts = 3;  // >= 1
  int lock_after = 10;    // >= free_attempts
  Micros base_delay = 1 * kMicrosPerSecond;
  Micros window = 15 * 60 * kMicrosPerSecond;
  Micros lockout = 15 * 60 * kMicrosPerSecond;
  std::size_t max_accounts = 100'000;
};

class LoginThrottle {
 public:
  // `clock` must outlive the throttle. Options out of range are a bug (assert).
  explicit LoginThrottle(const Clock& clock, ThrottleOptions options = {});

  // 0 if an attempt may proceed now, else the µs to wait (answer 429 with
  // Retry-After). Does not count as an attempt.
  Micros RetryAfter(const std::string& username);
  // Counts a failed attempt (wrong password, or unknown user) and sets the
  // delay or lock it earns.
  void RecordFailure(const std::string& username);
  // Forgets the account's failures and any delay or lock.
  void RecordSuccess(const std::string& username);

 private:
  struct Entry {
    int failures = 0;
    Micros first_failure = 0;
    Micros blocked_until = 0;  // no attempt before this instant
  };
  // True when the entry no longer carries anything at `now`.
  bool Expired(const Entry& e, Micros now) const;
  Micros DelayAfter(int failures) const;
  void MakeRoomLocked(Micros now);

  const Clock& clock_;
  const ThrottleOptions options_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace jiuzhu::auth
