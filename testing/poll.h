#ifndef NEWSEVENTS_TESTING_POLL_H_
#define NEWSEVENTS_TESTING_POLL_H_

// Waiting in tests for something another process does (a file reloaded, a
// certificate picked up): poll instead of sleeping a fixed time.

#include <algorithm>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace newsevents::testing {

// Calls `done` until it returns true or `timeout` passes, pausing 20 ms
// doubling to 200 ms in between; returns its last answer.
template <typename Condition>
bool PollUntil(Condition done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::Duration pause = absl::Milliseconds(20);
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(200));
  }
  return true;
}

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_POLL_H_
