#include "query_service/sink/sink_stream.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/errors.h"
#include "common/logging.h"
#include "common/rpc_status.h"
#include "query_service/sink/event_sink_service.h"
#include "query_service/sink/record_validator.h"

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
    // No more reads; batches already read are still stored and acknowledged
    // before the stream finishes (see Advance).
    EndWith(grpc::Status::OK);
  }
  Advance();
}

void SinkStream::EndWith(grpc::Status status) {
  if (!finish_status_.has_value()) finish_status_ = std::move(status);
}

void SinkStream::Reject(grpc::Status status) {
  // Overrides an OK end (the producer half-closed, or shutdown), never an
  // earlier error.
  if (finish_status_.has_value() && !finish_status_->ok()) return;
  finish_status_ = std::move(status);
  rejected_ = true;
}

grpc::Status SinkStream::TakeBatch() {
  if (request_.producer_id().empty()) {
    return ToGrpcStatus(
        InvalidFieldError("producer_id", "must identify the ingest service"));
  }
  if (request_.producer_id().size() > kMaxIdBytes * 2) {
    return ToGrpcStatus(InvalidFieldError(
        "producer_id",
        absl::StrCat("must be at most ", kMaxIdBytes * 2, " bytes")));
  }
  if (producer_id_.empty()) {
    producer_id_ = request_.producer_id();
  } else if (producer_id_ != request_.producer_id()) {
    return ToGrpcStatus(InvalidFieldError(
        "producer_id", "must stay the same for the whole stream"));
  }
  uint64_t previous = last_sequence_;
  for (int i = 0; i < request_.records_size(); ++i) {
    const newsevents::v1::ArticleRecord& record = request_.records(i);
    // Validated like public input, before anything of the batch is queued.
    if (absl::Status valid =
            ValidateArticleRecord(record, absl::StrCat("records[", i, "]."));
        !valid.ok()) {
      service_->records_refused_.fetch_add(1);
      return ToGrpcStatus(valid);
    }
    if (record.sequence() <= previous) {
      return ToGrpcStatus(InvalidFieldError(
          absl::StrCat("records[", i, "].sequence"),
          absl::StrCat("must increase along the stream: ", record.sequence(),
                       " follows ", previous)));
    }
    previous = record.sequence();
  }
  last_sequence_ = previous;
  if (request_.records_size() > 0) {
    std::vector<newsevents::v1::ArticleRecord>& batch = queue_.emplace_back();
    service_->batches_received_.fetch_add(1);
    batch.reserve(request_.records_size());
    // Heap-allocated messages: each move is a swap of internals.
    for (newsevents::v1::ArticleRecord& record : *request_.mutable_records())
      batch.push_back(std::move(record));
  }
  request_.Clear();
  return grpc::Status::OK;
}

bool SinkStream::ClaimRead() {
  if (reading_ || read_closed_ || finish_status_.has_value() ||
      queue_.size() >=
          std::max<size_t>(1, service_->options_.max_read_ahead_batches)) {
    return false;
  }
  reading_ = true;
  ++starting_reads_;
  return true;
}

void SinkStream::StartClaimedRead() {
  StartRead(&request_);
  absl::MutexLock lock(&mu_);
  --starting_reads_;
}

void SinkStream::OnReadDone(bool ok) {
  bool store = false;
  bool read_again = false;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok) {
      // The producer half-closed (or the call broke): end after what is
      // already read is stored.
      read_closed_ = true;
      EndWith(grpc::Status::OK);
    } else if (!finish_status_.has_value()) {
      grpc::Status valid = TakeBatch();
      if (!valid.ok()) {
        // Nothing of this batch is queued; the batches read before it are
        // still stored and acknowledged before the stream ends.
        LogWarning(kComponent, "rejecting a batch from %s: %s",
                   request_.producer_id().substr(0, 64), valid.error_message());
        request_.Clear();
        Reject(valid);
      } else if (!queue_.empty() && !storing_) {
        store = storing_ = true;
      }
    }
    // Read the next batch while this one is stored.
    read_again = ClaimRead();
  }
  if (read_again) StartClaimedRead();
  if (store && !SubmitStore()) {
    absl::MutexLock lock(&mu_);
    storing_ = false;
    EndWith(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                         "the query service's store queue is full"));
  }
  Advance();
}

bool SinkStream::SubmitStore() {
  Ref();
  if (service_->SubmitStore([this] {
        StoreQueued();
        Unref();
      })) {
    return true;
  }
  Unref();
  return false;
}

void SinkStream::StoreQueued() {
  std::string producer_id;
  {
    absl::MutexLock lock(&mu_);
    producer_id = producer_id_;
  }
  while (true) {
    std::vector<newsevents::v1::ArticleRecord> group;
    std::vector<size_t> batch_sizes;
    bool read_next = false;
    {
      absl::MutexLock lock(&mu_);
      if (queue_.empty() || Failing()) {
        // After an error nothing more is stored; the producer re-sends.
        queue_.clear();
        storing_ = false;
        break;
      }
      // Group commit: everything read so far goes into one synced write.
      batch_sizes.assign(1, queue_.front().size());
      group = std::move(queue_.front());
      queue_.pop_front();
      for (std::vector<newsevents::v1::ArticleRecord>& batch : queue_) {
        batch_sizes.push_back(batch.size());
        for (newsevents::v1::ArticleRecord& record : batch)
          group.push_back(std::move(record));
      }
      queue_.clear();
      // The queue has room again: resume reading if it was full.
      read_next = ClaimRead();
    }
    if (read_next) StartClaimedRead();
    absl::StatusOr<StoredBatch> stored =
        StoreGroup(producer_id, absl::MakeSpan(group), batch_sizes);
    {
      absl::MutexLock lock(&mu_);
      if (stored.ok() && has_refusal_) {
        // The batches before the refused one are stored: acknowledge them,
        // then end with the refusal. Nothing after it is stored.
        has_pending_ack_ = true;
        pending_ack_ = std::max(pending_ack_, stored->acknowledged_sequence);
        pending_event_count_ += stored->stored_event_count;
        has_refusal_ = false;
        queue_.clear();
        Reject(ToGrpcStatus(refusal_));
      } else if (!stored.ok() && absl::IsAlreadyExists(stored.status())) {
        queue_.clear();
        Reject(ToGrpcStatus(stored.status()));
      } else if (!stored.ok()) {
        LogError(kComponent, "storing a batch of %d records from %s failed: %s",
                 static_cast<int>(group.size()), producer_id,
                 stored.status().ToString());
        EndWith(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                             absl::StrCat("storing the batch failed: ",
                                          stored.status().ToString())));
      } else {
        has_pending_ack_ = true;
        pending_ack_ = std::max(pending_ack_, stored->acknowledged_sequence);
        pending_event_count_ += stored->stored_event_count;
      }
    }
    // Acknowledge before freeing the group, which takes a while.
    Advance();
  }
  Advance();
}

absl::StatusOr<StoredBatch> SinkStream::StoreGroup(
    const std::string& producer_id,
    absl::Span<newsevents::v1::ArticleRecord> group,
    const std::vector<size_t>& batch_sizes) {
  absl::StatusOr<StoredBatch> stored =
      service_->store_->StoreBatch(producer_id, group);
  if (stored.ok() || !absl::IsAlreadyExists(stored.status())) return stored;
  // A record is refused (ids stored with other content). Nothing of the
  // group was written: store its batches one by one up to the refused one,
  // so that what came before it is not held back.
  service_->records_refused_.fetch_add(1);
  LogError(kComponent, "refusing a record from %s: %s", producer_id,
           stored.status().ToString());
  if (batch_sizes.size() <= 1) return stored;
  StoredBatch total;
  size_t offset = 0;
  for (size_t size : batch_sizes) {
    absl::StatusOr<StoredBatch> one =
        service_->store_->StoreBatch(producer_id, group.subspan(offset, size));
    if (!one.ok()) {
      if (!absl::IsAlreadyExists(one.status()) || offset == 0) return one;
      absl::MutexLock lock(&mu_);
      has_refusal_ = true;
      refusal_ = one.status();
      return total;
    }
    total.acknowledged_sequence =
        std::max(total.acknowledged_sequence, one->acknowledged_sequence);
    total.stored_event_count += one->stored_event_count;
    offset += size;
  }
  return total;  // not reached when the refusal repeats
}

void SinkStream::Advance() {
  bool write = false;
  bool finish = false;
  grpc::Status status;
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    const bool failing = Failing();
    if (!writing_ && has_pending_ack_ && !failing) {
      response_.set_acknowledged_sequence(pending_ack_);
      response_.set_stored_event_count(pending_event_count_);
      has_pending_ack_ = false;
      pending_event_count_ = 0;
      write = writing_ = true;
    } else if (finish_status_.has_value() && !storing_ && !writing_ &&
               starting_reads_ == 0 && (queue_.empty() || failing)) {
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
