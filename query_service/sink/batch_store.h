#ifndef NEWSEVENTS_QUERY_SERVICE_SINK_BATCH_STORE_H_
#define NEWSEVENTS_QUERY_SERVICE_SINK_BATCH_STORE_H_

// Where the sink puts each received batch: the seam between the
// EventSinkService transport and the query store, so the stream logic can
// be tested with injected store failures.
//
// Contract for implementations: StoreBatch returns OK only once every record
// is durably stored (synced); storing the same record again (same article
// or event ids) changes nothing and still succeeds. The records belong to
// the caller, who drops them afterwards: an implementation may modify them
// and move their contents out (the QueryHandler adapter does, to avoid
// copies). acknowledged_sequence is
// the highest sequence of `producer_id` below which everything is stored.
// Errors are reported as absl::Status; the sink then ends the stream with
// UNAVAILABLE and the producer re-sends.
// Thread-safety: StoreBatch may be called concurrently for different
// streams; calls for one stream never overlap.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "newsevents/v1/event_sink_service.pb.h"

namespace newsevents::query {

class QueryHandler;

struct StoredBatch {
  uint64_t acknowledged_sequence = 0;
  int stored_event_count = 0;
};

class BatchStore {
 public:
  virtual ~BatchStore() = default;
  virtual absl::StatusOr<StoredBatch> StoreBatch(
      absl::string_view producer_id,
      absl::Span<newsevents::v1::ArticleRecord> records) = 0;
};

// Adapts the query service's QueryHandler (query_service/store), which must
// outlive the returned store. Defined in library `sink`.
std::unique_ptr<BatchStore> NewQueryHandlerBatchStore(QueryHandler* handler);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_SINK_BATCH_STORE_H_
