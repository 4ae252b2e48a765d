#include "query_service/sink/event_sink_service.h"

#include <utility>
#include <vector>

#include "common/rpc_auth.h"
#include "common/rpc_status.h"
#include "common/worker_pool.h"
#include "query_service/sink/sink_stream.h"

namespace newsevents::query {

EventSinkServiceImpl::EventSinkServiceImpl(BatchStore* store,
                                           SinkOptions options)
    : options_(options),
      store_(store),
      pool_(std::make_unique<WorkerPool>(options.store_threads,
                                         options.max_queued_stores)) {}

EventSinkServiceImpl::EventSinkServiceImpl(
    std::unique_ptr<BatchStore> owned_store, SinkOptions options)
    : options_(options),
      owned_store_(std::move(owned_store)),
      store_(owned_store_.get()),
      pool_(std::make_unique<WorkerPool>(options.store_threads,
                                         options.max_queued_stores)) {}

EventSinkServiceImpl::~EventSinkServiceImpl() {
  // Runs the queued stores and joins; streams are gone by now because the
  // server (which must be shut down first) has finished every call.
  pool_.reset();
}

grpc::ServerBidiReactor<newsevents::v1::StreamEventBatchesRequest,
                        newsevents::v1::StreamEventBatchesResponse>*
EventSinkServiceImpl::StreamEventBatches(grpc::CallbackServerContext* context) {
  absl::StatusOr<Admission> admitted =
      AuthorizeCall(options_.authorizer, *context,
                    "/newsevents.v1.EventSinkService/StreamEventBatches");
  if (!admitted.ok()) {
    return new RefusedBidiReactor<newsevents::v1::StreamEventBatchesRequest,
                                  newsevents::v1::StreamEventBatchesResponse>(
        ToGrpcStatus(admitted.status()));
  }
  auto* stream = new SinkStream(this);
  bool refuse = false;
  {
    absl::MutexLock lock(&mu_);
    refuse = shutting_down_;
    streams_.emplace(stream, std::move(*admitted));
  }
  stream->Start(refuse);
  return stream;
}

void EventSinkServiceImpl::BeginShutdown() {
  std::vector<SinkStream*> streams;
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    for (const auto& [stream, admission] : streams_) {
      // Registered streams have not run OnDone, so this keeps them alive.
      stream->Ref();
      streams.push_back(stream);
    }
  }
  for (SinkStream* stream : streams) {
    stream->RequestFinish();
    stream->Unref();
  }
}

int EventSinkServiceImpl::open_streams() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

bool EventSinkServiceImpl::SubmitStore(std::function<void()> task) {
  return pool_->TrySubmit(std::move(task));
}

void EventSinkServiceImpl::Unregister(SinkStream* stream) {
  Admission released;  // its stream slot goes after the lock
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(stream);
  if (it == streams_.end()) return;
  released = std::move(it->second);
  streams_.erase(it);
}

}  // namespace newsevents::query
