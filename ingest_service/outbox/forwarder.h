#ifndef NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_H_
#define NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_H_

// Drains the outbox into the query service over ONE long-lived
// EventSinkService.StreamEventBatches stream (gRPC callback client API).
//
// Contract:
//  - Sends unacknowledged records in sequence order, in batches of at most
//    max_batch_records / max_batch_bytes, keeping at most
//    max_in_flight_batches unacknowledged and one StartWrite outstanding (so
//    HTTP/2 flow control is the backpressure).
//  - Drops from the outbox only what the query service acknowledged
//    (cumulative acknowledged_sequence, clamped to what this stream sent).
//  - When the stream fails or cannot be opened, waits an exponential backoff
//    with jitter (initial_backoff doubling to max_backoff; reset after an
//    acknowledgement) and opens a new stream that re-sends everything
//    unacknowledged; the query service stores idempotently, so duplicates
//    are harmless and nothing accepted is ever skipped.
//  - The producer id sent on every batch is the outbox's, stable across
//    restarts of the ingest service.
// Channel: keepalive ping every 30 s, 10 s timeout, also without calls, so a
// dead peer is noticed on an idle stream; gRPC's own reconnect backoff is set
// to the same initial/max as ours so a restarted peer is found promptly.
// Lifecycle: Create, Start once, Shutdown once (also run by the destructor).
// The outbox must outlive the Forwarder.
// Thread-safety: all public methods are thread-safe. Internally one thread
// per forwarder reads the outbox and issues writes; gRPC reactions only
// record state and wake it.

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ingest_service/outbox/clock.h"
#include "ingest_service/outbox/outbox.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"
#include "newsevents/v1/ingest_service.pb.h"

namespace newsevents::outbox {

class ForwarderStream;

struct ForwarderOptions {
  // "host:port" of the query service's EventSinkService.
  std::string peer_address;
  // Used instead of a channel to peer_address when set (tests).
  std::shared_ptr<grpc::Channel> channel;
  // Credentials of the channel to peer_address (common/tls.h builds them;
  // TLS or mTLS); null means plaintext. Unused when `channel` is set.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Called on the delivery thread before each stream is opened; a non-empty
  // result is presented as "authorization: Bearer <token>" (the query
  // service's --auth_tokens_file). Null: no token.
  std::function<std::string()> bearer_token;

  size_t max_batch_records = 256;
  size_t max_batch_bytes = 1 << 20;
  int max_in_flight_batches = 8;

  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(10);
  // Each delay is multiplied by a factor drawn uniformly from
  // [1 - backoff_jitter, 1 + backoff_jitter].
  double backoff_jitter = 0.2;
  // Returns a uniform number in [0, 1); a seeded generator when null.
  std::function<double()> random;

  // How often a non-empty backlog is logged.
  absl::Duration backlog_log_interval = absl::Seconds(30);
  // Source of time for status ages; Clock::Real() when null.
  Clock* clock = nullptr;
};

class Forwarder {
 public:
  // INVALID_ARGUMENT for a null outbox, no peer_address and no channel, or
  // nonsensical limits.
  static absl::StatusOr<std::unique_ptr<Forwarder>> Create(
      Outbox* outbox, ForwarderOptions options);

  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // Starts the delivery thread. Call once.
  void Start();

  // Stops sending new batches, half-closes the stream so the query service
  // finishes it after storing what it has, and waits for that until
  // `deadline`; then cancels the stream. Returns by the deadline (plus the
  // time gRPC takes to report a cancelled call). Idempotent.
  void Shutdown(absl::Time deadline);

  // Delivery state for IngestService.GetDeliveryStatus.
  void FillStatus(newsevents::v1::GetDeliveryStatusResponse* response) const;

  bool connected() const;

  // Number of streams opened so far (tests observe reconnection with it).
  int streams_opened() const;

 private:
  friend class ForwarderStream;

  Forwarder(Outbox* outbox, ForwarderOptions options);

  void Run();
  // Pumps one stream until it ends or shutdown cancels it. Returns true when
  // the stream made progress (an acknowledgement arrived).
  bool PumpStream(ForwarderStream& stream);
  // Reads the next batch after `read_after` and writes it; false when the
  // outbox cannot be read (the stream is then cancelled and retried).
  bool SendBatch(ForwarderStream& stream, uint64_t read_after);
  // Called from the stream's reactions.
  void SetConnected(bool connected);
  absl::Duration NextBackoff(absl::Duration* current);
  void OnAppended(uint64_t last_written);
  void LogBacklog();

  Outbox* const outbox_;
  const ForwarderOptions options_;
  Clock* const clock_;
  std::unique_ptr<newsevents::v1::EventSinkService::Stub> stub_;

  mutable absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool shutdown_requested_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time shutdown_deadline_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  // Highest durable sequence the outbox reported.
  uint64_t outbox_written_ ABSL_GUARDED_BY(mu_) = 0;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  int streams_opened_ ABSL_GUARDED_BY(mu_) = 0;
  std::function<double()> random_ ABSL_GUARDED_BY(mu_);

  // When the next backlog / unreachable line is due; forwarder thread only.
  absl::Time next_backlog_log_;

  std::thread thread_;
  // Serializes Shutdown callers around joining thread_.
  absl::Mutex shutdown_mu_;
};

}  // namespace newsevents::outbox

#endif  // NEWSEVENTS_INGEST_SERVICE_OUTBOX_FORWARDER_H_
