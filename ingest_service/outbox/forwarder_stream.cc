#include "ingest_service/outbox/forwarder_stream.h"

#include <algorithm>
#include <utility>

#include "ingest_service/outbox/forwarder.h"

namespace newsevents::outbox {

ForwarderStream::ForwarderStream(Forwarder* forwarder, absl::Mutex* mu)
    : forwarder_(forwarder), mu_(mu) {}

void ForwarderStream::Begin(newsevents::v1::EventSinkService::Stub* stub,
                            const std::string& bearer_token) {
  if (!bearer_token.empty()) {
    context_.AddMetadata("authorization", "Bearer " + bearer_token);
  }
  stub->async()->StreamEventBatches(&context_, this);
  // The forwarder thread starts writes from outside reactions, so the call
  // must not complete until it says so (Release/Close).
  AddHold();
  StartRead(&response_);
  StartCall();
}

void ForwarderStream::Write(newsevents::v1::StreamEventBatchesRequest request) {
  // Safe without the mutex: the previous write completed (write_in_flight
  // was false) and no reaction touches request_.
  request_ = std::move(request);
  StartWrite(&request_);
}

void ForwarderStream::Close() {
  StartWritesDone();
  RemoveHold();
}

void ForwarderStream::Release() { RemoveHold(); }

void ForwarderStream::Cancel() { context_.TryCancel(); }

void ForwarderStream::OnReadInitialMetadataDone(bool ok) {
  // The sink sends its metadata when it accepts the stream: the peer is up.
  if (ok) forwarder_->SetConnected(true);
}

void ForwarderStream::OnReadDone(bool ok) {
  if (!ok) {
    absl::MutexLock lock(mu_);
    state_.read_closed = true;
    return;
  }
  forwarder_->SetConnected(true);
  {
    absl::MutexLock lock(mu_);
    // Never drop more than this stream sent, whatever the peer claims.
    uint64_t acknowledged = std::min<uint64_t>(
        response_.acknowledged_sequence(), state_.sent_up_to);
    state_.acknowledged = std::max(state_.acknowledged, acknowledged);
    while (!state_.in_flight.empty() &&
           state_.in_flight.front() <= state_.acknowledged) {
      state_.in_flight.pop_front();
    }
  }
  StartRead(&response_);
}

void ForwarderStream::OnWriteDone(bool ok) {
  absl::MutexLock lock(mu_);
  state_.write_in_flight = false;
  if (!ok) state_.write_failed = true;
}

void ForwarderStream::OnDone(const grpc::Status& status) {
  absl::MutexLock lock(mu_);
  final_status_ = status;
  state_.read_closed = true;
  state_.done = true;
}

}  // namespace newsevents::outbox
