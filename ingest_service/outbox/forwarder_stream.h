#ifndef NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_STREAM_H_
#define NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_STREAM_H_

// One EventSinkService.StreamEventBatches call of the Forwarder, as a gRPC
// callback client reactor. Its reactions only record what happened in
// State (guarded by the forwarder's mutex) and never block; the forwarder's
// thread reads State and issues writes, half-close, hold release and
// cancellation through the methods below, never holding the mutex.
//
// Lifetime: created on the forwarder thread's stack; a hold taken in Begin
// keeps gRPC from completing the call while that thread may still start
// operations; the object must live until State::done (OnDone ran).
// Thread-safety: State under the forwarder's mutex; the methods are called
// by the forwarder thread only.

#include <grpcpp/client_context.h>
#include <grpcpp/support/client_callback.h>

#include <cstdint>
#include <deque>
#include <string>

#include "absl/synchronization/mutex.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"

namespace newsevents::outbox {

class Forwarder;

class ForwarderStream final : public grpc::ClientBidiReactor<
                                  newsevents::v1::StreamEventBatchesRequest,
                                  newsevents::v1::StreamEventBatchesResponse> {
 public:
  struct State {
    // Highest sequence written on this stream.
    uint64_t sent_up_to = 0;
    // Highest sequence the peer acknowledged on this stream.
    uint64_t acknowledged = 0;
    // Last sequence of each written, unacknowledged batch.
    std::deque<uint64_t> in_flight;
    bool write_in_flight = false;
    bool read_closed = false;    // the peer finished or the call broke
    bool write_failed = false;   // a write could not be sent
    bool hold_released = false;  // the forwarder starts no more operations
    bool cancelled = false;
    bool done = false;  // OnDone ran; final_status is set
  };

  ForwarderStream(Forwarder* forwarder, absl::Mutex* mu);

  // Starts the call, presenting `bearer_token` unless empty. Requires
  // nothing else outstanding.
  void Begin(newsevents::v1::EventSinkService::Stub* stub,
             const std::string& bearer_token);
  // Starts writing `request` (State::write_in_flight must already be set).
  void Write(newsevents::v1::StreamEventBatchesRequest request);
  // Half-closes the call and releases the hold.
  void Close();
  // Releases the hold (no more operations from outside reactions).
  void Release();
  void Cancel();

  // Guarded by the forwarder's mutex.
  State& state() { return state_; }
  // Valid once state().done.
  const grpc::Status& final_status() const { return final_status_; }

  void OnReadInitialMetadataDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  Forwarder* const forwarder_;
  absl::Mutex* const mu_;
  grpc::ClientContext context_;
  newsevents::v1::StreamEventBatchesRequest request_;
  newsevents::v1::StreamEventBatchesResponse response_;
  State state_;
  grpc::Status final_status_;
};

}  // namespace newsevents::outbox

#endif  // NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_STREAM_H_
