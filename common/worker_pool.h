#ifndef NEWSEVENTS_COMMON_WORKER_POOL_H_
#define NEWSEVENTS_COMMON_WORKER_POOL_H_

// A fixed set of threads running submitted tasks in FIFO order, with a
// bounded queue for requests (TrySubmit) and room for the few tasks that must
// never be dropped (SubmitUnbounded). gRPC callback reactions must not block,
// so servers hand parsing, disk writes and index queries to a pool and finish
// the RPC from the worker.
//
// Thread-safety: all methods may be called from any thread. The destructor
// stops accepting work, runs what is queued, and joins the threads.

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace newsevents {

class WorkerPool {
 public:
  // `threads` >= 1; `max_queued` bounds the tasks waiting for a thread.
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`. Returns false (and drops it) when `max_queued` tasks from
  // TrySubmit are waiting or the pool is stopping; the caller then answers
  // RESOURCE_EXHAUSTED.
  bool TrySubmit(std::function<void()> task);

  // Queues `task` however long the queue is; returns false (and drops it)
  // only when the pool is stopping. For work that must not be dropped and
  // whose amount the caller bounds itself, such as at most one pending task
  // per open stream: nothing here bounds it. These tasks run in the same
  // FIFO order but do not count towards `max_queued`, so they never make
  // TrySubmit refuse a request.
  bool SubmitUnbounded(std::function<void()> task);

 private:
  struct Task {
    std::function<void()> run;
    bool bounded;  // from TrySubmit: counted in bounded_queued_
  };

  void Run();

  absl::Mutex mutex_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mutex_);
  size_t bounded_queued_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  const size_t max_queued_;
  std::vector<std::thread> threads_;
};

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_WORKER_POOL_H_
