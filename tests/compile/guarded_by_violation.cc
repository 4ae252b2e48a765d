// Compiled by the ThreadSafety compile tests (common/CMakeLists.txt) with the
// project's warning list under clang. With NE_LOCKED the guarded member is
// read under its mutex and this must compile; without it the read is
// unlocked and the build must fail, which shows -Wthread-safety is on and
// an error.
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

class Counter {
 public:
  int Get() {
#ifdef NE_LOCKED
    absl::MutexLock lock(&mu_);
#endif
    return value_;
  }

 private:
  absl::Mutex mu_;
  int value_ ABSL_GUARDED_BY(mu_) = 0;
};

int Read(Counter& counter) { return counter.Get(); }
