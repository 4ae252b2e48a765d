#include "ingest_service/outbox/forwarder.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/logging.h"
#include "ingest_service/outbox/forwarder_stream.h"

namespace newsevents::outbox {

using newsevents::v1::ArticleRecord;
using newsevents::v1::StreamEventBatchesRequest;

namespace {

constexpr char kComponent[] = "forwarder";

int ToMillisInt(absl::Duration duration) {
  return static_cast<int>(
      std::clamp<int64_t>(absl::ToInt64Milliseconds(duration), 1, INT32_MAX));
}

std::shared_ptr<grpc::Channel> NewChannel(const ForwarderOptions& options) {
  grpc::ChannelArguments args;
  // Pings keep NATs and proxies from dropping an idle stream and reveal a
  // vanished peer within keepalive time + timeout. The query service permits
  // pings this often, also without calls (common/server_support.h).
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10'000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // gRPC's own reconnect backoff defaults to 1 s growing to 120 s, during
  // which new calls fail at once; align it with ours so a restarted query
  // service is reached within max_backoff.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              ToMillisInt(options.initial_backoff));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              ToMillisInt(options.initial_backoff));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
              ToMillisInt(options.max_backoff));
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      options.credentials != nullptr ? options.credentials
                                     : grpc::InsecureChannelCredentials();
  return grpc::CreateCustomChannel(options.peer_address, credentials, args);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Forwarder>> Forwarder::Create(
    Outbox* outbox, ForwarderOptions options) {
  if (outbox == nullptr)
    return absl::InvalidArgumentError("forwarder needs an outbox");
  if (options.peer_address.empty() && options.channel == nullptr) {
    return InvalidFieldError("peer_address",
                             "the query service address is required");
  }
  if (options.max_batch_records == 0 || options.max_batch_bytes == 0 ||
      options.max_in_flight_batches < 1) {
    return absl::InvalidArgumentError(
        "forwarder batch limits must be positive");
  }
  if (options.initial_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.initial_backoff) {
    return absl::InvalidArgumentError(
        "forwarder backoff must be 0 < initial <= max");
  }
  return std::unique_ptr<Forwarder>(new Forwarder(outbox, std::move(options)));
}

Forwarder::Forwarder(Outbox* outbox, ForwarderOptions options)
    : outbox_(outbox),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()) {
  std::shared_ptr<grpc::Channel> channel =
      options_.channel != nullptr ? options_.channel : NewChannel(options_);
  stub_ = newsevents::v1::EventSinkService::NewStub(channel);
  random_ = options_.random;
  if (!random_) {
    random_ = [gen = std::make_shared<absl::BitGen>()] {
      return absl::Uniform<double>(*gen, 0.0, 1.0);
    };
  }
}

Forwarder::~Forwarder() { Shutdown(absl::Now() + absl::Seconds(5)); }

void Forwarder::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (started_ || shutdown_requested_) return;
    started_ = true;
  }
  // Listen first, then read the counter, so no append is missed in between.
  outbox_->SetAppendListener(
      [this](uint64_t last_written) { OnAppended(last_written); });
  OnAppended(outbox_->Counters().last_written_sequence);
  thread_ = std::thread([this] { Run(); });
}

void Forwarder::OnAppended(uint64_t last_written) {
  absl::MutexLock lock(&mu_);
  outbox_written_ = std::max(outbox_written_, last_written);
}

void Forwarder::Shutdown(absl::Time deadline) {
  absl::MutexLock serial(&shutdown_mu_);
  {
    absl::MutexLock lock(&mu_);
    if (!shutdown_requested_) {
      shutdown_requested_ = true;
      shutdown_deadline_ = deadline;
    }
  }
  if (thread_.joinable()) thread_.join();
  outbox_->SetAppendListener(nullptr);
}

bool Forwarder::connected() const {
  absl::MutexLock lock(&mu_);
  return connected_;
}

int Forwarder::streams_opened() const {
  absl::MutexLock lock(&mu_);
  return streams_opened_;
}

void Forwarder::FillStatus(
    newsevents::v1::GetDeliveryStatusResponse* response) const {
  DeliveryCounters counters = outbox_->Counters();
  response->set_outbox_depth(counters.depth);
  absl::Duration age = counters.oldest_unacknowledged_age;
  int64_t seconds = absl::IDivDuration(age, absl::Seconds(1), &age);
  response->mutable_oldest_unacknowledged_age()->set_seconds(seconds);
  response->mutable_oldest_unacknowledged_age()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(age)));
  response->set_last_acknowledged_sequence(counters.last_acknowledged_sequence);
  response->set_last_written_sequence(counters.last_written_sequence);
  response->set_connected(connected());
  response->set_peer_address(options_.peer_address);
}

void Forwarder::SetConnected(bool connected) {
  bool changed = false;
  {
    absl::MutexLock lock(&mu_);
    changed = connected_ != connected;
    connected_ = connected;
  }
  if (changed && connected) {
    LogInfo(kComponent, "connected to query service at %s",
            options_.peer_address);
  }
}

void Forwarder::Run() {
  absl::Duration backoff = options_.initial_backoff;
  // Streams in a row that ended without ever connecting.
  int failed_attempts = 0;
  next_backlog_log_ = absl::Now() + options_.backlog_log_interval;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (shutdown_requested_) break;
      ++streams_opened_;
    }
    ForwarderStream stream(this, &mu_);
    stream.Begin(stub_.get(),
                 options_.bearer_token ? options_.bearer_token() : "");
    bool progressed = PumpStream(stream);
    bool was_connected = false;
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      was_connected = connected_;
      connected_ = false;
      stopping = shutdown_requested_;
    }
    if (stopping) break;
    if (progressed) backoff = options_.initial_backoff;
    absl::Duration delay = NextBackoff(&backoff);
    const grpc::Status& status = stream.final_status();
    if (was_connected) {
      failed_attempts = 0;
      LogWarning(kComponent,
                 "disconnected from %s (%d: %s); reconnecting in %s",
                 options_.peer_address, static_cast<int>(status.error_code()),
                 status.error_message(), absl::FormatDuration(delay));
    } else if (++failed_attempts == 1 || absl::Now() >= next_backlog_log_) {
      // The first failure, then one line per log interval while it lasts.
      LogWarning(kComponent,
                 "cannot reach query service at %s (%d: %s), %d attempts; "
                 "retrying in %s",
                 options_.peer_address, static_cast<int>(status.error_code()),
                 status.error_message(), failed_attempts,
                 absl::FormatDuration(delay));
      LogBacklog();
      next_backlog_log_ = absl::Now() + options_.backlog_log_interval;
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&shutdown_requested_), delay);
  }
  LogInfo(kComponent, "stopped; %d records not yet acknowledged",
          outbox_->Counters().depth);
}

absl::Duration Forwarder::NextBackoff(absl::Duration* current) {
  double draw = 0;
  {
    absl::MutexLock lock(&mu_);
    draw = random_();
  }
  double factor = 1.0 + options_.backoff_jitter * (2.0 * draw - 1.0);
  absl::Duration delay = *current * std::max(factor, 0.0);
  *current = std::min(*current * 2, options_.max_backoff);
  return delay;
}

void Forwarder::LogBacklog() {
  DeliveryCounters counters = outbox_->Counters();
  if (counters.depth == 0) return;
  LogInfo(
      kComponent, "backlog %d records, oldest %s, acknowledged %d of %d, %s",
      counters.depth, absl::FormatDuration(counters.oldest_unacknowledged_age),
      counters.last_acknowledged_sequence, counters.last_written_sequence,
      connected() ? "connected" : "disconnected");
}

bool Forwarder::PumpStream(ForwarderStream& stream) {
  enum class Step {
    kAcknowledge,
    kWrite,
    kWritesDone,
    kRelease,
    kCancel,
    kLog,
    kDone
  };
  uint64_t persisted = outbox_->Counters().last_acknowledged_sequence;
  bool progressed = false;
  ForwarderStream::State& state = stream.state();
  {
    absl::MutexLock lock(&mu_);
    state.sent_up_to = persisted;
  }
  while (true) {
    Step step = Step::kDone;
    uint64_t acknowledge = 0;
    uint64_t read_after = 0;
    {
      absl::MutexLock lock(&mu_);
      auto can_write = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !shutdown_requested_ && !state.hold_released &&
               !state.write_in_flight &&
               state.in_flight.size() <
                   static_cast<size_t>(options_.max_in_flight_batches) &&
               outbox_written_ > state.sent_up_to;
      };
      auto must_release = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !state.hold_released &&
               (state.read_closed || state.write_failed);
      };
      auto may_close = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        // A batch boundary: no write outstanding.
        return shutdown_requested_ && !state.hold_released &&
               !state.write_in_flight;
      };
      auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return state.acknowledged > persisted || state.done || must_release() ||
               may_close() || can_write();
      };
      absl::Time wake = next_backlog_log_;
      if (shutdown_requested_ && !state.cancelled)
        wake = std::min(wake, shutdown_deadline_);
      mu_.AwaitWithDeadline(absl::Condition(&ready), wake);
      if (state.acknowledged > persisted) {
        step = Step::kAcknowledge;
        acknowledge = state.acknowledged;
      } else if (state.done) {
        return progressed;
      } else if (must_release()) {
        state.hold_released = true;
        step = Step::kRelease;
      } else if (may_close()) {
        state.hold_released = true;
        step = Step::kWritesDone;
      } else if (can_write()) {
        state.write_in_flight = true;
        read_after = state.sent_up_to;
        step = Step::kWrite;
      } else if (shutdown_requested_ && !state.cancelled &&
                 absl::Now() >= shutdown_deadline_) {
        state.cancelled = true;
        step = Step::kCancel;
      } else if (absl::Now() >= next_backlog_log_) {
        step = Step::kLog;
      } else {
        continue;
      }
    }
    switch (step) {
      case Step::kAcknowledge: {
        absl::Status status = outbox_->Acknowledge(acknowledge);
        if (!status.ok()) {
          // The records stay in the outbox and are re-sent after a restart;
          // the query service ignores them then.
          LogError(kComponent, "cannot drop acknowledged records: %s",
                   status.ToString());
        }
        persisted = acknowledge;
        progressed = true;
        break;
      }
      case Step::kWrite:
        if (!SendBatch(stream, read_after)) {
          stream.Cancel();
        }
        break;
      case Step::kWritesDone:
        stream.Close();
        break;
      case Step::kRelease:
        stream.Release();
        break;
      case Step::kCancel:
        LogWarning(kComponent,
                   "shutdown deadline reached; cancelling the stream");
        stream.Cancel();
        break;
      case Step::kLog:
        LogBacklog();
        next_backlog_log_ = absl::Now() + options_.backlog_log_interval;
        break;
      case Step::kDone:
        return progressed;
    }
  }
}

bool Forwarder::SendBatch(ForwarderStream& stream, uint64_t read_after) {
  absl::StatusOr<std::vector<ArticleRecord>> records = outbox_->ReadAfter(
      read_after, options_.max_batch_records, options_.max_batch_bytes);
  ForwarderStream::State& state = stream.state();
  if (!records.ok() || records->empty()) {
    absl::MutexLock lock(&mu_);
    state.write_in_flight = false;
    if (records.ok()) {
      // Everything up to what the outbox reported is already acknowledged.
      state.sent_up_to = std::max(state.sent_up_to, outbox_written_);
      return true;
    }
    LogError(kComponent, "cannot read the outbox: %s",
             records.status().ToString());
    return false;
  }
  StreamEventBatchesRequest request;
  request.set_producer_id(outbox_->producer_id());
  const uint64_t last = records->back().sequence();
  for (ArticleRecord& record : *records)
    *request.add_records() = std::move(record);
  {
    absl::MutexLock lock(&mu_);
    state.sent_up_to = last;
    state.in_flight.push_back(last);
  }
  stream.Write(std::move(request));
  return true;
}

}  // namespace newsevents::outbox
