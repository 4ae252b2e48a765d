#include "query_service/query_grpc_service.h"

#include <deque>
#include <utility>

#include "common/errors.h"
#include "common/rpc_status.h"
#include "common/unary_on_pool.h"

namespace newsevents::query {
namespace {

constexpr size_t kWatchBatch = 64;

}  // namespace

// One WatchEvents stream. Writes come from a local queue refilled from the
// EventWatch; when the queue runs dry the reactor idles until the store's
// notification, which schedules a refill on the pool (the notification runs
// on a storing thread and must not call back into the store).
//
// Decisions are taken under mutex_, and the resulting StartWrite or Finish is
// issued after releasing it, so no lock is held across a gRPC operation. The
// reactor is freed by whichever of OnDone and a pending refill comes last.
class WatchEventsReactor final
    : public grpc::ServerWriteReactor<newsevents::v1::WatchEventsResponse> {
 public:
  WatchEventsReactor(QueryGrpcService* service,
                     std::unique_ptr<EventWatch> watch)
      : service_(service), watch_(std::move(watch)) {}

  void Begin() {
    watch_->SetNotify([this] {
      absl::MutexLock lock(&mutex_);
      new_events_ = true;
      ScheduleRefillLocked();
    });
    {
      absl::MutexLock lock(&mutex_);
      ScheduleRefillLocked();
    }
  }

  // Called by the service at shutdown: finish at the next write boundary.
  void EndStream() {
    Action action;
    {
      absl::MutexLock lock(&mutex_);
      ending_ = true;
      action = NextActionLocked();
    }
    Perform(action);
  }

  void OnWriteDone(bool ok) override {
    Action action;
    {
      absl::MutexLock lock(&mutex_);
      writing_ = false;
      if (!ok) ending_ = true;  // the client is gone; finish without writing
      action = NextActionLocked();
    }
    Perform(action);
  }

  void OnCancel() override { EndStream(); }

  void OnDone() override {
    service_->Unregister(this);
    {
      absl::MutexLock lock(&mutex_);
      done_ = true;
      if (refill_scheduled_) return;  // the pending refill frees the reactor
    }
    Release();
  }

 private:
  enum class Action { kNone, kWrite, kFinish };

  void ScheduleRefillLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (refill_scheduled_ || done_ || finished_) return;
    refill_scheduled_ = true;
    if (!service_->pool_->TrySubmit([this] { Refill(); }))
      refill_scheduled_ = false;
  }

  void Refill() {
    bool release = false;
    {
      absl::MutexLock lock(&mutex_);
      if (done_) {
        refill_scheduled_ = false;
        release = true;
      }
      new_events_ = false;  // this refill reads them
    }
    if (release) {
      Release();
      return;
    }
    std::vector<newsevents::v1::WatchEventsResponse> fresh =
        watch_->Next(kWatchBatch);
    Action action = Action::kNone;
    {
      absl::MutexLock lock(&mutex_);
      refill_scheduled_ = false;
      if (done_) {
        release = true;
      } else {
        more_available_ = fresh.size() == kWatchBatch;
        for (auto& item : fresh) queue_.push_back(std::move(item));
        action = NextActionLocked();
      }
    }
    if (release) {
      Release();
      return;
    }
    Perform(action);
  }

  // What to do next, given the state; marks the state accordingly.
  Action NextActionLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (finished_ || writing_) return Action::kNone;
    if (ending_) {
      finished_ = true;
      return Action::kFinish;
    }
    if (queue_.empty()) {
      // Idle until notified, unless the last refill may have left events.
      if (more_available_ || new_events_) ScheduleRefillLocked();
      return Action::kNone;
    }
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    return Action::kWrite;
  }

  void Perform(Action action) {
    if (action == Action::kWrite) StartWrite(&current_);
    if (action == Action::kFinish) Finish(grpc::Status::OK);
  }

  void Release() {
    watch_.reset();  // unregisters the notification first
    delete this;
  }

  QueryGrpcService* service_;
  std::unique_ptr<EventWatch> watch_;
  absl::Mutex mutex_;
  std::deque<newsevents::v1::WatchEventsResponse> queue_
      ABSL_GUARDED_BY(mutex_);
  // Written only between a kWrite decision and OnWriteDone, when no other
  // thread touches it.
  newsevents::v1::WatchEventsResponse current_;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  bool ending_ ABSL_GUARDED_BY(mutex_) = false;
  bool refill_scheduled_ ABSL_GUARDED_BY(mutex_) = false;
  bool done_ ABSL_GUARDED_BY(mutex_) = false;
  // Set by the store's notification; cleared when a refill starts reading.
  bool new_events_ ABSL_GUARDED_BY(mutex_) = false;
  // The last refill filled a whole batch, so more may be waiting.
  bool more_available_ ABSL_GUARDED_BY(mutex_) = false;
};

QueryGrpcService::QueryGrpcService(QueryHandler* handler, WorkerPool* pool)
    : handler_(handler), pool_(pool) {}

QueryGrpcService::~QueryGrpcService() = default;

grpc::ServerUnaryReactor* QueryGrpcService::GetEvent(
    grpc::CallbackServerContext* context,
    const newsevents::v1::GetEventRequest* request,
    newsevents::v1::Event* response) {
  return AnswerOnPool(context, pool_, "query_service", response,
                      [this, request] { return handler_->GetEvent(*request); });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListEvents(
    grpc::CallbackServerContext* context,
    const newsevents::v1::ListEventsRequest* request,
    newsevents::v1::ListEventsResponse* response) {
  return AnswerOnPool(
      context, pool_, "query_service", response,
      [this, request] { return handler_->ListEvents(*request); });
}

grpc::ServerUnaryReactor* QueryGrpcService::GetArticle(
    grpc::CallbackServerContext* context,
    const newsevents::v1::GetArticleRequest* request,
    newsevents::v1::Article* response) {
  return AnswerOnPool(
      context, pool_, "query_service", response,
      [this, request] { return handler_->GetArticle(*request); });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListArticles(
    grpc::CallbackServerContext* context,
    const newsevents::v1::ListArticlesRequest* request,
    newsevents::v1::ListArticlesResponse* response) {
  return AnswerOnPool(
      context, pool_, "query_service", response,
      [this, request] { return handler_->ListArticles(*request); });
}

grpc::ServerUnaryReactor* QueryGrpcService::AggregateEvents(
    grpc::CallbackServerContext* context,
    const newsevents::v1::AggregateEventsRequest* request,
    newsevents::v1::AggregateEventsResponse* response) {
  return AnswerOnPool(
      context, pool_, "query_service", response,
      [this, request] { return handler_->AggregateEvents(*request); });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListClaims(
    grpc::CallbackServerContext* context,
    const newsevents::v1::ListClaimsRequest* request,
    newsevents::v1::ListClaimsResponse* response) {
  return AnswerOnPool(
      context, pool_, "query_service", response,
      [this, request] { return handler_->ListClaims(*request); });
}

grpc::ServerWriteReactor<newsevents::v1::WatchEventsResponse>*
QueryGrpcService::WatchEvents(
    grpc::CallbackServerContext* /*context*/,
    const newsevents::v1::WatchEventsRequest* request) {
  absl::StatusOr<std::unique_ptr<EventWatch>> watch = handler_->Watch(*request);
  if (!watch.ok()) {
    // A reactor that only reports the error.
    class Rejected final
        : public grpc::ServerWriteReactor<newsevents::v1::WatchEventsResponse> {
     public:
      explicit Rejected(const absl::Status& status) {
        Finish(ToGrpcStatus(status));
      }
      void OnDone() override { delete this; }
    };
    return new Rejected(watch.status());
  }
  auto* reactor = new WatchEventsReactor(this, std::move(*watch));
  {
    absl::MutexLock lock(&mutex_);
    watches_.insert(reactor);
    if (shutting_down_) reactor->EndStream();
  }
  reactor->Begin();
  return reactor;
}

void QueryGrpcService::BeginShutdown() {
  absl::MutexLock lock(&mutex_);
  shutting_down_ = true;
  for (WatchEventsReactor* reactor : watches_) reactor->EndStream();
}

void QueryGrpcService::Unregister(WatchEventsReactor* reactor) {
  absl::MutexLock lock(&mutex_);
  watches_.erase(reactor);
}

}  // namespace newsevents::query
