// A fixed set of threads running tasks from a bounded queue: the HTTP server
// hands every complete request to it so that handlers (and the database work
// they do) never run on an I/O thread. Plain C++, no Asio, so it stays cheap
// to compile and easy to test.
//
// Thread-safety: TryPost may be called from any thread, concurrently.
// Stop must not be called from one of the pool's own threads (it joins them).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jiuzhu::http {

class ServerWorkerPool {
 public:
  // Starts `workers` (>= 1) threads. At most `workers + max_queue` tasks are
  // accepted at a time (running plus waiting): `max_queue` tasks may wait
  // while every worker is busy; with max_queue = 0 a task is only accepted
  // when a worker is free.
  ServerWorkerPool(int workers, int max_queue);
  ~ServerWorkerPool();  // Stop()
  ServerWorkerPool(const ServerWorkerPool&) = delete;
  ServerWorkerPool& operator=(const ServerWorkerPool&) = delete;

  // Queues `task`; false (and `task` is dropped unrun) when the pool is full
  // or stopping. A task must not throw: an escaping exception is swallowed.
  bool TryPost(std::function<void()> task);

  // Refuses new tasks, runs every task already accepted, joins the threads.
  // Idempotent.
  void Stop();

 private:
  void Run();

  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jiuzhu::http
