#ifndef NEWSEVENTS_INGEST_SERVICE_OUTBOX_CLOCK_H_
#define NEWSEVENTS_INGEST_SERVICE_OUTBOX_CLOCK_H_

// The wall clock seen by the outbox (append times, record ages) and the
// forwarder (status ages, log intervals), behind an interface so tests can
// make ages deterministic.
//
// Thread-safety: implementations must be safe to call from any thread.

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace newsevents::outbox {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The process-wide real clock (absl::Now). Never null; never deleted.
  static Clock* Real();
};

}  // namespace newsevents::outbox

#endif  // NEWSEVENTS_INGEST_SERVICE_OUTBOX_CLOCK_H_
