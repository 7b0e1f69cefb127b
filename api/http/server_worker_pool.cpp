#include "api/http/server_worker_pool.hpp"

#include <cassert>
#include <utility>

namespace jiuzhu::http {

ServerWorkerPool::ServerWorkerPool(int workers, int max_queue)
    : capacity_(static_cast<std::size_t>(workers) + static_cast<std::size_t>(max_queue)) {
  assert(workers >= 1 && max_queue >= 0);
  threads_.reserve(static_cast<std::size_t>(workers));
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Run(); });
}

ServerWorkerPool::~ServerWorkerPool() { Stop(); }

bool ServerWorkerPool::TryPost(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Counting running tasks too keeps the bound exact even before an idle
    // worker has woken up to take the task just queued.
    if (stopping_ || queue_.size() + running_ >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void ServerWorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void ServerWorkerPool::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    try {
      task();
    } catch (...) {
      // Tasks catch their own errors; this only keeps the worker alive.
    }
    task = nullptr;  // release what the task holds before taking the lock
    lock.lock();
    --running_;
  }
}

}  // namespace jiuzhu::http
