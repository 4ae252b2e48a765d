#include "query_service/sink/sink_stream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/errors.h"
#include "common/logging.h"
#include "common/rpc_status.h"
#include "query_service/sink/event_sink_service.h"

namespace newsevents::query {

namespace {
constexpr char kComponent[] = "sink";
}  // namespace

SinkStream::SinkStream(EventSinkServiceImpl* service) : service_(service) {}

void SinkStream::Start(bool refuse) {
  if (refuse) {
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the query service is shutting down"));
    return;
  }
  // Initial metadata now, not with the first acknowledgement: the producer
  // reports itself connected as soon as the stream is accepted.
  StartSendInitialMetadata();
  StartRead(&request_);
}

void SinkStream::Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }

void SinkStream::Unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

void SinkStream::RequestFinish() {
  {
    absl::MutexLock lock(&mu_);
    shutdown_requested_ = true;
    // A batch being stored is finished after its acknowledgement instead.
    if (!storing_) EndWith(grpc::Status::OK);
  }
  Advance();
}

void SinkStream::EndWith(grpc::Status status) {
  if (!finish_status_.has_value()) finish_status_ = std::move(status);
}

grpc::Status SinkStream::TakeBatch() {
  if (request_.producer_id().empty()) {
    return ToGrpcStatus(
        InvalidFieldError("producer_id", "must identify the ingest service"));
  }
  if (producer_id_.empty()) {
    producer_id_ = request_.producer_id();
  } else if (producer_id_ != request_.producer_id()) {
    return ToGrpcStatus(InvalidFieldError(
        "producer_id", "must stay the same for the whole stream"));
  }
  uint64_t previous = last_sequence_;
  for (const newsevents::v1::ArticleRecord& record : request_.records()) {
    if (record.sequence() <= previous) {
      return ToGrpcStatus(InvalidFieldError(
          "records.sequence",
          absl::StrCat("must increase along the stream: ", record.sequence(),
                       " follows ", previous)));
    }
    previous = record.sequence();
  }
  last_sequence_ = previous;
  batch_.clear();
  batch_.reserve(request_.records_size());
  for (newsevents::v1::ArticleRecord& record : *request_.mutable_records()) {
    batch_.push_back(std::move(record));
  }
  request_.Clear();
  return grpc::Status::OK;
}

void SinkStream::OnReadDone(bool ok) {
  bool store = false;
  bool read_again = false;
  {
    absl::MutexLock lock(&mu_);
    if (!ok) {
      // The producer half-closed (or the call broke): end after what is
      // already being stored.
      EndWith(grpc::Status::OK);
    } else if (!finish_status_.has_value()) {
      grpc::Status valid = TakeBatch();
      if (!valid.ok()) {
        LogWarning(kComponent, "rejecting stream: %s", valid.error_message());
        EndWith(valid);
      } else if (batch_.empty()) {
        read_again = starting_read_ = true;
      } else {
        store = storing_ = true;
      }
    }
  }
  if (read_again) {
    StartRead(&request_);
    absl::MutexLock lock(&mu_);
    starting_read_ = false;
  }
  if (store) {
    Ref();
    if (!service_->SubmitStore([this] {
          StoreBatch();
          Unref();
        })) {
      Unref();
      absl::MutexLock lock(&mu_);
      storing_ = false;
      EndWith(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "the query service's store queue is full"));
    }
  }
  Advance();
}

void SinkStream::StoreBatch() {
  std::string producer_id;
  std::vector<newsevents::v1::ArticleRecord> batch;
  {
    absl::MutexLock lock(&mu_);
    producer_id = producer_id_;
    batch.swap(batch_);
  }
  absl::StatusOr<StoredBatch> stored = service_->store_->StoreBatch(
      producer_id, absl::MakeConstSpan(batch.data(), batch.size()));
  bool read_next = false;
  {
    absl::MutexLock lock(&mu_);
    storing_ = false;
    if (!stored.ok()) {
      LogError(kComponent, "storing a batch of %d records from %s failed: %s",
               static_cast<int>(batch.size()), producer_id,
               stored.status().ToString());
      EndWith(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           absl::StrCat("storing the batch failed: ",
                                        stored.status().ToString())));
    } else {
      has_pending_ack_ = true;
      pending_ack_ = std::max(pending_ack_, stored->acknowledged_sequence);
      pending_event_count_ += stored->stored_event_count;
      if (shutdown_requested_) EndWith(grpc::Status::OK);
      if (!finish_status_.has_value()) read_next = starting_read_ = true;
    }
  }
  if (read_next) {
    StartRead(&request_);
    absl::MutexLock lock(&mu_);
    starting_read_ = false;
  }
  Advance();
}

void SinkStream::Advance() {
  bool write = false;
  bool finish = false;
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    bool failing = finish_status_.has_value() && !finish_status_->ok();
    if (!writing_ && has_pending_ack_ && !failing) {
      response_.set_acknowledged_sequence(pending_ack_);
      response_.set_stored_event_count(pending_event_count_);
      has_pending_ack_ = false;
      pending_event_count_ = 0;
      write = writing_ = true;
    } else if (finish_status_.has_value() && !storing_ && !writing_ &&
               !starting_read_) {
      finish = finished_ = true;
      status = *finish_status_;
    }
  }
  if (write) StartWrite(&response_);
  if (finish) Finish(status);
}

void SinkStream::OnWriteDone(bool ok) {
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok)
      EndWith(grpc::Status(grpc::StatusCode::CANCELLED,
                           "acknowledgement not sent"));
  }
  Advance();
}

void SinkStream::OnCancel() {
  {
    absl::MutexLock lock(&mu_);
    EndWith(grpc::Status::CANCELLED);
  }
  Advance();
}

void SinkStream::OnDone() {
  service_->Unregister(this);
  Unref();
}

}  // namespace newsevents::query
