#ifndef NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_
#define NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_

// One StreamEventBatches call on the query side (see event_sink_service.h
// for the contract). Reactions and the store worker decide under mu_ what
// to do next and issue StartRead/StartWrite/Finish after releasing it.
//
// Pipeline: reading (and so parsing, on a gRPC thread) runs ahead of
// storing by up to SinkOptions::max_read_ahead_batches batches, so the next
// batch is decoded while the previous one is written and synced. The store
// task takes every batch queued when it starts and stores them with one
// StoreBatch call (one synced write: group commit), then acknowledges the
// highest sequence of the group.
//
// Lifetime: reference counted. gRPC's reference is dropped in OnDone; a
// store task and BeginShutdown each hold one while they use the stream; the
// last Unref deletes it.
// Thread-safety: all methods may be called from any thread.

#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"
#include "query_service/sink/batch_store.h"

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

  // On a worker thread: stores what is queued, group by group, writing an
  // acknowledgement after each, until the queue is empty.
  void StoreQueued();
  // StoreBatch(group); when a record is refused (ALREADY_EXISTS), stores the
  // batches (of `batch_sizes` records each) before the refused one and
  // returns what they stored, with the refusal in refusal_ (has_refusal_),
  // or the refusal itself when it is in the first batch.
  absl::StatusOr<StoredBatch> StoreGroup(
      const std::string& producer_id,
      absl::Span<newsevents::v1::ArticleRecord> group,
      const std::vector<size_t>& batch_sizes);
  // Validates request_ and moves its records to the back of queue_; an
  // error status (INVALID_ARGUMENT) ends the stream.
  grpc::Status TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Queues a store task unless one is running; false when the pool refused.
  bool SubmitStore();
  // True (and marks the read started) when another read should start now.
  // Only reading_ decides: a read that completed before its StartRead call
  // returned must not keep the next one from starting.
  bool ClaimRead() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Issues the read ClaimRead allowed.
  void StartClaimedRead();
  // Starts the acknowledgement write or the Finish that the state calls for.
  void Advance();
  void EndWith(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the stream with a batch's refusal (see rejected_): what was read
  // before it is still stored and acknowledged.
  void Reject(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // An error ends the stream without storing what is queued, except a
  // rejected batch (rejected_), before which everything read is stored.
  bool Failing() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return finish_status_.has_value() && !finish_status_->ok() && !rejected_;
  }

  EventSinkServiceImpl* const service_;
  std::atomic<int> refs_{1};

  // The read buffer: written by gRPC during a read, then moved out by
  // OnReadDone before the next read starts.
  newsevents::v1::StreamEventBatchesRequest request_;

  absl::Mutex mu_;
  std::string producer_id_ ABSL_GUARDED_BY(mu_);
  uint64_t last_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  // Batches read and validated but not yet taken by the store task.
  std::deque<std::vector<newsevents::v1::ArticleRecord>> queue_
      ABSL_GUARDED_BY(mu_);
  // A store task is queued or running (at most one per stream).
  bool storing_ ABSL_GUARDED_BY(mu_) = false;
  // A read is outstanding (started, OnReadDone not yet run).
  bool reading_ ABSL_GUARDED_BY(mu_) = true;
  // The producer half-closed, or the call broke: no more reads.
  bool read_closed_ ABSL_GUARDED_BY(mu_) = false;
  // Reads decided on whose StartRead has not returned yet: Finish must
  // wait for them. Can exceed 1: the read may complete, and the next one be
  // claimed, before the StartRead call that began it returns.
  int starting_reads_ ABSL_GUARDED_BY(mu_) = 0;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> finish_status_ ABSL_GUARDED_BY(mu_);
  // finish_status_ is a batch's rejection (invalid or conflicting records):
  // the batches read before it are still stored and acknowledged.
  bool rejected_ ABSL_GUARDED_BY(mu_) = false;
  // Set by StoreGroup: a record was refused after earlier batches stored.
  bool has_refusal_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status refusal_ ABSL_GUARDED_BY(mu_);
  // Acknowledgement not yet written (merged while a write is outstanding).
  bool has_pending_ack_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t pending_ack_ ABSL_GUARDED_BY(mu_) = 0;
  int pending_event_count_ ABSL_GUARDED_BY(mu_) = 0;
  // The write buffer; only touched while writing_ is false or by gRPC.
  newsevents::v1::StreamEventBatchesResponse response_;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_SINK_SINK_STREAM_H_
