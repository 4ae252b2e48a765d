#ifndef NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_
#define NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_

// One StreamEventBatches call on the query side (see event_sink_service.h
// for the contract). Reactions and the store worker decide under mu_ what
// to do next and issue StartRead/StartWrite/Finish after releasing it.
//
// Lifetime: reference counted. gRPC's reference is dropped in OnDone; a
// store task and BeginShutdown each hold one while they use the stream; the
// last Unref deletes it.
// Thread-safety: all methods may be called from any thread.

#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"

namespace newsevents::query {

class EventSinkServiceImpl;

class SinkStream final : public grpc::ServerBidiReactor<
                             newsevents::v1::StreamEventBatchesRequest,
                             newsevents::v1::StreamEventBatchesResponse> {
 public:
  explicit SinkStream(EventSinkServiceImpl* service);

  // Sends initial metadata (telling the producer it is connected) and reads
  // the first batch; with `refuse`, ends the call with UNAVAILABLE instead.
  void Start(bool refuse);
  // Ends the stream with OK at the next batch boundary.
  void RequestFinish();

  void Ref();
  void Unref();

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  ~SinkStream() override = default;

  // Stores batch_ (on a worker thread), then acknowledges and reads on.
  void StoreBatch();
  // Validates request_ and moves its records to batch_; an error status
  // (INVALID_ARGUMENT) ends the stream.
  grpc::Status TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Starts the acknowledgement write or the Finish that the state calls for.
  void Advance();
  void EndWith(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  EventSinkServiceImpl* const service_;
  std::atomic<int> refs_{1};

  // The read buffer: written by gRPC during a read, then moved out by
  // OnReadDone before the next read starts.
  newsevents::v1::StreamEventBatchesRequest request_;

  absl::Mutex mu_;
  std::string producer_id_ ABSL_GUARDED_BY(mu_);
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<newsevents::v1::ArticleRecord> batch_ ABSL_GUARDED_BY(mu_);
  bool storing_ ABSL_GUARDED_BY(mu_) = false;
  // Between deciding to read and StartRead returning: Finish must wait.
  bool starting_read_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_status_ ABSL_GUARDED_BY(mu_);
  // Acknowledgement not yet written (merged while a write is outstanding).
  bool has_pending_ack_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t pending_ack_ ABSL_GUARDED_BY(mu_) = 0;
  int pending_event_count_ ABSL_GUARDED_BY(mu_) = 0;
  // The write buffer; only touched while writing_ is false or by gRPC.
  newsevents::v1::StreamEventBatchesResponse response_;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_
