#include "common/worker_pool.h"

#include <utility>

namespace newsevents {

WorkerPool::WorkerPool(int threads, size_t max_queued)
    : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

bool WorkerPool::TrySubmit(std::function<void()> task) {
  absl::MutexLock lock(&mutex_);
  if (stopping_ || bounded_queued_ >= max_queued_) return false;
  queue_.push_back({std::move(task), /*bounded=*/true});
  ++bounded_queued_;
  return true;
}

bool WorkerPool::SubmitUnbounded(std::function<void()> task) {
  absl::MutexLock lock(&mutex_);
  if (stopping_) return false;
  queue_.push_back({std::move(task), /*bounded=*/false});
  return true;
}

void WorkerPool::Run() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](WorkerPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mutex_) {
            return pool->stopping_ || !pool->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping and drained
      if (queue_.front().bounded) --bounded_queued_;
      task = std::move(queue_.front().run);
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace newsevents
