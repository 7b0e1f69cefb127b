#include "api/auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace jiuzhu::auth {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kStart = 1'760'000'000 * kSecond;

class LoginThrottleTest : public ::testing::Test {
 protected:
  void Fail(const std::string& user, int times) {
    for (int i = 0; i < times; ++i) throttle_.RecordFailure(user);
  }

  ManualClock clock_{kStart};
  LoginThrottle throttle_{clock_};  // defaults: 3 free, lock after 10, 1 s base, 15 min
};

TEST_F(LoginThrottleTest, UnknownAccountIsFree) { EXPECT_EQ(throttle_.RetryAfter("alice"), 0); }

TEST_F(LoginThrottleTest, FirstAttemptsAreFree) {
  // Failures 1 and 2 leave the third attempt free.
  Fail("alice", 2);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  // RetryAfter does not count as an attempt.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
}

TEST_F(LoginThrottleTest, DelayDoublesAfterFreeAttempts) {
  Fail("alice", 3);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 1 * kSecond);
  clock_.Advance(400'000);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 600'000);  // counts down
  clock_.Advance(600'000);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);

  Micros expected = 2 * kSecond;
  for (int failure = 4; failure <= 9; ++failure, expected *= 2) {
    throttle_.RecordFailure("alice");
    EXPECT_EQ(throttle_.RetryAfter("alice"), expected) << "after failure " << failure;
    clock_.Advance(expected);
    EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  }
}

TEST_F(LoginThrottleTest, LocksAfterLimitUntilLockoutPasses) {
  Fail("alice", 10);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
  clock_.Advance(15 * kMinute - 1);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 1);
  clock_.Advance(1);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  // After the lock the account starts again from zero: two more failures are free.
  Fail("alice", 2);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  throttle_.RecordFailure("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 1 * kSecond);
}

TEST_F(LoginThrottleTest, FailureDuringLockExtendsIt) {
  Fail("alice", 10);
  clock_.Advance(10 * kMinute);
  throttle_.RecordFailure("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
  // Many more failures do not overflow anything.
  Fail("alice", 10'000);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
}

TEST_F(LoginThrottleTest, SuccessResets) {
  Fail("alice", 5);
  EXPECT_GT(throttle_.RetryAfter("alice"), 0);
  throttle_.RecordSuccess("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  Fail("alice", 2);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);

  Fail("alice", 8);  // 10: locked
  ASSERT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
  throttle_.RecordSuccess("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  throttle_.RecordSuccess("nobody");  // harmless
}

TEST_F(LoginThrottleTest, WindowExpiryForgetsOldFailures) {
  Fail("alice", 2);
  clock_.Advance(15 * kMinute);
  // The two old failures are gone: two more are still free.
  Fail("alice", 2);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  throttle_.RecordFailure("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 1 * kSecond);
}

TEST_F(LoginThrottleTest, WindowOpensAtFirstFailure) {
  Fail("alice", 2);
  clock_.Advance(15 * kMinute - 1);  // still inside the window
  throttle_.RecordFailure("alice");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 1 * kSecond);
  clock_.Advance(1);  // the window has passed, but the delay it earned holds
  EXPECT_EQ(throttle_.RetryAfter("alice"), kSecond - 1);
  clock_.Advance(kSecond);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
  Fail("alice", 2);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 0);
}

TEST_F(LoginThrottleTest, AccountsAreIndependent) {
  Fail("alice", 10);
  Fail("bob", 3);
  EXPECT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
  EXPECT_EQ(throttle_.RetryAfter("bob"), 1 * kSecond);
  EXPECT_EQ(throttle_.RetryAfter("carol"), 0);
  EXPECT_EQ(throttle_.RetryAfter("Alice"), 0);  // compared as given
  throttle_.RecordSuccess("bob");
  EXPECT_EQ(throttle_.RetryAfter("alice"), 15 * kMinute);
  EXPECT_EQ(throttle_.RetryAfter("bob"), 0);
}

TEST(LoginThrottleOptionsTest, CustomOptions) {
  ManualClock clock(kStart);
  ThrottleOptions options;
  options.free_attempts = 1;
  options.lock_after = 3;
  options.base_delay = 5 * kSecond;
  options.window = 1 * kMinute;
  options.lockout = 7 * kSecond;  // also caps the doubling delay
  LoginThrottle throttle(clock, options);
  throttle.RecordFailure("u");
  EXPECT_EQ(throttle.RetryAfter("u"), 5 * kSecond);
  throttle.RecordFailure("u");
  EXPECT_EQ(throttle.RetryAfter("u"), 7 * kSecond);  // 10 s capped at lockout
  throttle.RecordFailure("u");
  EXPECT_EQ(throttle.RetryAfter("u"), 7 * kSecond);  // locked
  clock.Advance(7 * kSecond);
  EXPECT_EQ(throttle.RetryAfter("u"), 0);
}

TEST(LoginThrottleOptionsTest, TrackedAccountsAreBounded) {
  ManualClock clock(kStart);
  ThrottleOptions options;
  options.max_accounts = 3;
  LoginThrottle throttle(clock, options);
  for (int i = 0; i < 3; ++i) throttle.RecordFailure("stale" + std::to_string(i));
  clock.Advance(options.window);
  // Expired entries make room first.
  for (int i = 0; i < 10; ++i) throttle.RecordFailure("target");  // locked
  clock.Advance(1);
  throttle.RecordFailure("spray1");
  clock.Advance(1);
  throttle.RecordFailure("spray2");
  EXPECT_EQ(throttle.RetryAfter("target"), options.lockout - 2);
  // Full of live entries: the oldest unlocked one goes, the lock stays.
  throttle.RecordFailure("spray3");
  throttle.RecordFailure("spray3");
  EXPECT_EQ(throttle.RetryAfter("target"), options.lockout - 2);
  throttle.RecordFailure("spray1");  // forgotten: counts as a first failure again
  throttle.RecordFailure("spray1");
  EXPECT_EQ(throttle.RetryAfter("spray1"), 0);
  EXPECT_EQ(throttle.RetryAfter("spray3"), 0);
}

TEST(LoginThrottleOptionsTest, WhenAllTrackedAreLockedTheOldestGoes) {
  ManualClock clock(kStart);
  ThrottleOptions options;
  options.max_accounts = 2;
  options.lock_after = 3;
  LoginThrottle throttle(clock, options);
  for (const char* user : {"a", "b"}) {
    for (int i = 0; i < 3; ++i) throttle.RecordFailure(user);
    clock.Advance(1);
  }
  ASSERT_GT(throttle.RetryAfter("a"), 0);
  ASSERT_GT(throttle.RetryAfter("b"), 0);
  throttle.RecordFailure("c");
  EXPECT_EQ(throttle.RetryAfter("a"), 0);
  EXPECT_GT(throttle.RetryAfter("b"), 0);
}

TEST(LoginThrottleThreadTest, ConcurrentUseIsSafe) {
  ManualClock clock(kStart);
  ThrottleOptions options;
  options.lock_after = 1000;  // the shared account counts every failure
  options.max_accounts = 1'000'000;
  LoginThrottle throttle(clock, options);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&throttle, &clock, t] {
      const std::string own = "user" + std::to_string(t);
      for (int i = 0; i < kPerThread; ++i) {
        throttle.RecordFailure("shared");
        (void)throttle.RetryAfter("shared");
        throttle.RecordFailure(own);
        throttle.RecordSuccess(own);
        throttle.RecordFailure("tmp" + std::to_string(t) + "_" + std::to_string(i));
        (void)throttle.RetryAfter(own);
        if (i % 50 == 0) clock.Advance(1);
      }
      throttle.RecordFailure(own);
    });
  }
  for (std::thread& th : threads) th.join();
  // 800 failures on "shared": delayed (the doubling is capped at lockout) but
  // not locked. The clock moved by a few µs while the threads ran.
  const Micros wait = throttle.RetryAfter("shared");
  EXPECT_LE(wait, options.lockout);
  EXPECT_GT(wait, options.lockout - 100);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(throttle.RetryAfter("user" + std::to_string(t)), 0);  // one failure: free
    EXPECT_EQ(throttle.RetryAfter("tmp" + std::to_string(t) + "_0"), 0);
  }
  // 200 more make 1000: locked.
  for (int i = 0; i < 200; ++i) throttle.RecordFailure("shared");
  EXPECT_EQ(throttle.RetryAfter("shared"), options.lockout);
}

}  // namespace
}  // namespace jiuzhu::auth
