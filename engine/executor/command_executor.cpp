#include "engine/executor/command_executor.hpp"

#include <exception>

namespace jiuzhu {

namespace {
// A batch needs at least one command and one run: with 0 the writer would
// spin on empty batches, or acknowledge commands it never ran.
ExecutorOptions AtLeastOne(ExecutorOptions o) {
  if (o.max_batch < 1) o.max_batch = 1;
  if (o.max_attempts < 1) o.max_attempts = 1;
  return o;
}
}  // namespace

CommandExecutor::CommandExecutor(CaseStore& store, ExecutorOptions options)
    : store_(store), options_(AtLeastOne(options)) {
  const int n = options_.writers < 1 ? 1 : options_.writers;
  for (int i = 0; i < n; ++i) writers_.emplace_back([this] { WriterLoop(); });
}

CommandExecutor::~CommandExecutor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : writers_) t.join();
}

Status CommandExecutor::Execute(Command command) {
  auto pending = std::make_unique<Pending>();
  pending->command = std::move(command);
  std::future<Status> done = pending->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return Unavailable("the command executor is shutting down");
    if (static_cast<int>(queue_.size()) >= options_.max_queue) {
      return Status(ErrorCode::kResourceExhausted,
                    "too many commands waiting (" + std::to_string(queue_.size()) +
                        "); try again shortly");
    }
    queue_.push_back(std::move(pending));
    // Notify under the lock: once it is released a writer may run the
    // command and the executor be destroyed before this thread touches cv_.
    cv_.notify_one();
  }
  return done.get();
}

ExecutorStats CommandExecutor::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void CommandExecutor::WriterLoop() {
  for (;;) {
    std::vector<std::unique_ptr<Pending>> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void CommandExecutor::RunBatch(std::vector<std::unique_ptr<Pending>>& batch) {
  std::vector<Status> results(batch.size());
  Status fatal;
  int attempt = 0;
  for (; attempt < options_.max_attempts; ++attempt) {
    fatal = Status::Ok();
    auto txn_or = store_.BeginWrite();
    if (!txn_or.ok()) {
      fatal = txn_or.status();
      if (fatal.code() == ErrorCode::kConflict || fatal.code() == ErrorCode::kUnavailable) continue;
      break;
    }
    std::unique_ptr<StoreTxn> txn = std::move(txn_or).value();
    for (size_t i = 0; i < batch.size() && fatal.ok(); ++i) {
      Status sp = txn->Savepoint();
      if (!sp.ok()) {
        fatal = sp;
        break;
      }
      Status s;
      try {
        s = batch[i]->command(*txn);
      } catch (const std::exception& e) {
        s = Internal(std::string("command failed unexpectedly: ") + e.what());
      } catch (...) {
        s = Internal("command failed unexpectedly");
      }
      results[i] = s;
      Status end = s.ok() ? txn->ReleaseSavepoint() : txn->RollbackToSavepoint();
      if (!end.ok()) fatal = end;  // the transaction is gone: rerun the batch
    }
    if (fatal.ok()) fatal = txn->Commit();
    if (fatal.ok()) break;
    // Dead transaction: the destructor rolls back; retry transient failures.
    if (fatal.code() != ErrorCode::kConflict && fatal.code() != ErrorCode::kUnavailable) break;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.commands += static_cast<std::int64_t>(batch.size());
    stats_.transactions += fatal.ok() ? 1 : 0;
    // `attempt` is the index of the last run (max_attempts when all died).
    stats_.retried_batches += attempt > 0 && options_.max_attempts > 1 ? 1 : 0;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->done.set_value(fatal.ok() ? results[i] : fatal);
  }
}

}  // namespace jiuzhu
