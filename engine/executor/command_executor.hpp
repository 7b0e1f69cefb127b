// Group commit: runs commands from many threads in shared transactions.
//
// Each writer thread takes every command waiting (up to max_batch), opens
// one transaction, runs each command inside a savepoint (a failing command
// is rolled back alone and reports its own error), commits once and then
// answers every caller. One flush of the log serves the whole batch, which is
// how engine commands/s can exceed the database's single-row commit rate.
//
// If the transaction dies (deadlock, lost connection, a savepoint that cannot
// be rolled back, a failed commit) nothing of the batch is acknowledged and
// the whole batch is run again from the start, up to max_attempts; commands
// are pure functions of the data they read, so a rerun duplicates nothing.
//
// Thread-safe. Execute() blocks until the command's transaction committed
// (OK or the command's own error) or finally failed (kUnavailable/kConflict).
// When the queue is full, Execute returns kResourceExhausted at once without
// running the command. The destructor finishes queued commands and joins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/store/case_store.hpp"

namespace jiuzhu {

struct ExecutorOptions {
  int writers = 1;         // SQLite: 1 (one writer at a time anyway); MySQL: a few
  int max_batch = 128;     // commands per transaction
  int max_queue = 10000;   // waiting commands before kResourceExhausted
  int max_attempts = 5;    // runs of a batch whose transaction died
};

struct ExecutorStats {
  std::int64_t commands = 0;
  std::int64_t transactions = 0;
  std::int64_t retried_batches = 0;
};

class CommandExecutor {
 public:
  // A command runs inside the open transaction and returns its status; it
  // must not commit. It may run more than once (see above).
  using Command = std::function<Status(StoreTxn&)>;

  CommandExecutor(CaseStore& store, ExecutorOptions options = {});
  ~CommandExecutor();
  CommandExecutor(const CommandExecutor&) = delete;
  CommandExecutor& operator=(const CommandExecutor&) = delete;

  Status Execute(Command command);

  // Typed convenience: runs fn and hands back its value once committed.
  template <typename T>
  Result<T> Run(std::function<Result<T>(StoreTxn&)> fn) {
    std::optional<T> value;
    Status s = Execute([&](StoreTxn& txn) -> Status {
      Result<T> r = fn(txn);
      if (!r.ok()) return r.status();
      value = std::move(r).value();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*value);
  }

  ExecutorStats stats() const;

 private:
  struct Pending {
    Command command;
    std::promise<Status> done;
  };
  void WriterLoop();
  void RunBatch(std::vector<std::unique_ptr<Pending>>& batch);

  CaseStore& store_;
  const ExecutorOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> queue_;  // guarded by mu_
  bool stopping_ = false;                       // guarded by mu_
  ExecutorStats stats_;                         // guarded by mu_
  std::vector<std::thread> writers_;
};

}  // namespace jiuzhu
