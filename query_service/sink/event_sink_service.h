#ifndef NEWSEVENTS_QUERY_SERVICE_SINK_EVENT_SINK_SERVICE_H_
#define NEWSEVENTS_QUERY_SERVICE_SINK_EVENT_SINK_SERVICE_H_

// The query service's side of EventSinkService: receives the ingest
// service's batches on a bidirectional stream, stores each durably, then
// acknowledges it.
//
// Contract (per stream, one grpc::ServerBidiReactor each):
//  - Reading runs ahead of storing by at most max_read_ahead_batches
//    batches; beyond that no read is started, so a slow store pushes back on
//    the producer through HTTP/2 flow control. Stores run on the service's
//    own worker threads, never on a gRPC reaction thread, one store at a
//    time per stream, and each store takes every batch read so far (one
//    synced write for all of them).
//  - An acknowledgement (cumulative acknowledged_sequence) is written only
//    after the store of every batch it covers returned OK; at most one write
//    is outstanding, and acknowledgements that pile up meanwhile are merged
//    into one.
//  - Errors end the stream: empty producer_id, a producer_id that changes
//    mid-stream, records not in increasing sequence order, or a record that
//    fails ValidateArticleRecord (record_validator.h) -> INVALID_ARGUMENT
//    naming the record and field ("records[2].events[0].date.month");
//    nothing of that batch is stored, the batches read before it are stored
//    and acknowledged first. A record whose ids are stored with different
//    content -> ALREADY_EXISTS naming it (logged, counted in
//    records_refused()); the batches before its batch are stored and
//    acknowledged, nothing from its batch on. A store error or a full store
//    queue -> UNAVAILABLE (the producer reconnects and re-sends; stores are
//    idempotent).
//  - Access: with options.authorizer, each stream is first admitted by it
//    (common/rpc_auth.h; scope ingest) or refused with its status; an
//    admitted stream holds its slot until it is done.
//  - When the producer half-closes, the stream ends OK after the last batch
//    read is stored and acknowledged. BeginShutdown stops reading, ends every
//    stream OK once the batches already read are stored and acknowledged,
//    and refuses new streams with UNAVAILABLE. After an error nothing more
//    is stored or acknowledged; batches read but not stored are re-sent by
//    the producer.
// Ownership: the QueryHandler / BatchStore must outlive the service; the
// service must outlive the grpc::Server it is registered with (destroy it
// after Server::Shutdown/Wait).
// Thread-safety: all public methods are thread-safe.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/auth.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"
#include "query_service/sink/batch_store.h"

namespace newsevents {
class WorkerPool;
}

namespace newsevents::query {

class SinkStream;

struct SinkOptions {
  // Threads running StoreBatch; streams beyond this many wait their turn.
  int store_threads = 2;
  // Store tasks that may wait for a thread (at most one per open stream).
  size_t max_queued_stores = 256;
  // Batches a stream may read (and decode) ahead of the one being stored;
  // at least 1. Bounds the sink's memory per stream, together with the
  // producer's batch size limit.
  size_t max_read_ahead_batches = 4;
  // Admits each stream (tokens, limits); null: every stream is admitted.
  // Must outlive the service.
  Authorizer* authorizer = nullptr;
};

class EventSinkServiceImpl final
    : public newsevents::v1::EventSinkService::CallbackService {
 public:
  // Stores through the query handler (library `sink`).
  explicit EventSinkServiceImpl(QueryHandler* handler,
                                SinkOptions options = {});
  // Stores through any BatchStore (library `sink_core`; tests inject faults).
  explicit EventSinkServiceImpl(BatchStore* store, SinkOptions options = {});
  ~EventSinkServiceImpl() override;

  EventSinkServiceImpl(const EventSinkServiceImpl&) = delete;
  EventSinkServiceImpl& operator=(const EventSinkServiceImpl&) = delete;

  // Ends open streams with OK at their next batch boundary and refuses new
  // ones. Call before grpc::Server::Shutdown(deadline). Idempotent.
  void BeginShutdown();

  // Streams currently open (for tests and status).
  int open_streams() const;
  // Batches read and validated since start, stored yet or not (for tests
  // and status).
  int64_t batches_received() const { return batches_received_.load(); }
  // Records refused since start: invalid (INVALID_ARGUMENT) or whose ids are
  // stored with other content (ALREADY_EXISTS). Each is logged.
  int64_t records_refused() const { return records_refused_.load(); }

  grpc::ServerBidiReactor<newsevents::v1::StreamEventBatchesRequest,
                          newsevents::v1::StreamEventBatchesResponse>*
  StreamEventBatches(grpc::CallbackServerContext* context) override;

 private:
  friend class SinkStream;

  EventSinkServiceImpl(std::unique_ptr<BatchStore> owned_store,
                       SinkOptions options);

  // Runs `task` on a store thread; false when the queue is full.
  bool SubmitStore(std::function<void()> task);
  void Unregister(SinkStream* stream);

  const SinkOptions options_;
  std::unique_ptr<BatchStore> owned_store_;
  BatchStore* const store_;
  std::unique_ptr<WorkerPool> pool_;

  std::atomic<int64_t> batches_received_{0};
  std::atomic<int64_t> records_refused_{0};
  mutable absl::Mutex mu_;
  // Open streams with their admissions (stream slots).
  absl::flat_hash_map<SinkStream*, Admission> streams_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_SINK_EVENT_SINK_SERVICE_H_
