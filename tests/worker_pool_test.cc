// Pins the worker pool's contract: every accepted task runs, the queue bound
// is enforced, and destruction drains queued work.
#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"

namespace newsevents {
namespace {

TEST(WorkerPool, RunsEveryAcceptedTask) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2, 1000);
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&ran] { ran.fetch_add(1); }));
    }
  }
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkerPool, RejectsTasksBeyondQueueBound) {
  absl::Notification release;
  absl::Notification started;
  WorkerPool pool(1, 1);
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(pool.TrySubmit([] {}));   // fills the one queue slot
  EXPECT_FALSE(pool.TrySubmit([] {}));  // over the bound
  release.Notify();
}

}  // namespace
}  // namespace newsevents
