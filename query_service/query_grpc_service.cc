#include "query_service/query_grpc_service.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/logging.h"
#include "common/rpc_auth.h"
#include "common/rpc_status.h"
#include "common/unary_on_pool.h"

namespace newsevents::query {
namespace {

using newsevents::v1::WatchEventsResponse;

// The most responses a stream reads from the store at once, and so the most
// that wait in its queue.
constexpr size_t kWatchBatch = 64;

// How long a stream finished at shutdown may wait for a client that does
// not read before it is cancelled.
constexpr absl::Duration kShutdownFinishGrace = absl::Seconds(1);

// A WatchEvents call refused before it started: only reports the error.
using RejectedWatch = RefusedWriteReactor<grpc::ByteBuffer>;

constexpr char kGetEvent[] = "/newsevents.v1.QueryService/GetEvent";
constexpr char kListEvents[] = "/newsevents.v1.QueryService/ListEvents";
constexpr char kGetArticle[] = "/newsevents.v1.QueryService/GetArticle";
constexpr char kListArticles[] = "/newsevents.v1.QueryService/ListArticles";
constexpr char kAggregateEvents[] =
    "/newsevents.v1.QueryService/AggregateEvents";
constexpr char kListClaims[] = "/newsevents.v1.QueryService/ListClaims";
constexpr char kWatchEvents[] = "/newsevents.v1.QueryService/WatchEvents";

}  // namespace

// One WatchEvents stream, built like gRPC's health-check WatchReactor.
//
// Flow: the store's notification (OnNewEvents) records that unread events
// may exist and schedules a refill on the pool unless one is pending or
// responses are still queued. A refill reads at most one batch into queue_;
// the stream writes the queue out one response at a time, and once it is
// empty schedules the next refill if a notification came meanwhile or the
// last batch was full.
//
// No wake-up is lost: unread_ is cleared only when a refill is scheduled,
// and that refill reads the store afterwards, so it sees every event stored
// before; an event stored later notifies again and sets unread_. Refills go
// to the pool with SubmitUnbounded, which a full queue does not refuse
// (there is at most one pending refill per stream, so they need no bound of
// their own), and refuses only a stopping pool, which the service's contract
// rules out while calls are open.
//
// Lifetime: reference counted. gRPC holds one reference from construction to
// OnDone (it runs no reaction after OnDone, and OnDone only after every
// started operation has completed, so a write in flight needs no reference
// of its own); each pending refill holds one; BeginShutdown and the sweeper
// hold one while they look at the stream. The last Unref deletes the reactor.
//
// Ending: MaybeFinishLocked(status) is the one way to end the stream; the
// first status asked for wins. Finish may be issued while a write is in
// flight (gRPC sends the status after it), but never before that write's
// StartWrite: a finish asked for in between is left to the writer, or to
// OnWriteDone when that write completes before its writer looks again. Once
// finished, a stream that is not done within finish_grace (a client that
// reads nothing cannot take the status) is cancelled by the sweeper.
//
// Locking: every decision is taken under mu_ and returned as an Action; the
// StartWrite or Finish it names is issued by Perform after mu_ is released.
// OnNewEvents runs on a storing thread under the store's watch registry lock,
// so it only schedules and never issues a gRPC operation. context_ is used
// (TryCancel) only under cancel_mu_ while context_live_, which OnDone clears;
// gRPC runs no reaction of this stream inline in TryCancel.
class WatchEventsReactor final
    : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  WatchEventsReactor(QueryGrpcService* service,
                     grpc::CallbackServerContext* context,
                     std::unique_ptr<EventWatch> watch)
      : service_(service),
        context_(context),
        peer_(context->peer()),
        watch_(std::move(watch)),
        resume_cursor_(watch_->start_cursor()) {}

  ~WatchEventsReactor() override {
    // First, while mu_ is alive: waits out a notification in progress.
    watch_.reset();
  }

  // Sends the headers and starts reading. Call once, before anything else
  // can reach the reactor, so that no write or Finish races the headers.
  void Start() ABSL_LOCKS_EXCLUDED(mu_) {
    StartSendInitialMetadata();
    watch_->SetNotify([this] { OnNewEvents(); });
    absl::MutexLock lock(&mu_);
    ScheduleRefillLocked();  // unread_ starts true: the cursor may be behind
  }

  // Ends the stream with OK (at shutdown).
  void End() ABSL_LOCKS_EXCLUDED(mu_) {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      action = MaybeFinishLocked(grpc::Status::OK);
    }
    Perform(action);
  }

  // Called by the sweeper: ends the stream if its write has been in flight
  // for `options.stall_limit`, and cancels it if it is still not done
  // `options.finish_grace` after its Finish.
  void Sweep(absl::Time now, const WatchOptions& options)
      ABSL_LOCKS_EXCLUDED(mu_, cancel_mu_) {
    Action action;
    bool cancel = false;
    {
      absl::MutexLock lock(&mu_);
      if (state_ == State::kOpen && write_ == Write::kInFlight &&
          now - write_started_ >= options.stall_limit) {
        LogWarning("query_service",
                   "WatchEvents from %s read nothing for %s: ended "
                   "(RESOURCE_EXHAUSTED, resume cursor %s)",
                   peer_, absl::FormatDuration(now - write_started_),
                   resume_cursor_);
        action = MaybeFinishLocked(
            ToGrpcStatus(TooSlowError(options.stall_limit, resume_cursor_)));
      } else if (state_ == State::kFinished && !cancelled_ &&
                 now - finished_at_ >= options.finish_grace) {
        cancelled_ = cancel = true;
      }
    }
    Perform(action);
    if (cancel) {
      absl::MutexLock lock(&cancel_mu_);
      if (context_live_) context_->TryCancel();
    }
  }

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Must not be called under mu_: it may delete the reactor.
  void Unref() ABSL_LOCKS_EXCLUDED(mu_) {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  void OnWriteDone(bool ok) override ABSL_LOCKS_EXCLUDED(mu_) {
    // current_ is still ours: write_ is not kIdle.
    std::string written = ok ? current_.cursor() : std::string();
    current_.Clear();
    Action action;
    {
      absl::MutexLock lock(&mu_);
      write_ = Write::kIdle;
      if (ok) resume_cursor_ = std::move(written);
      if (state_ == State::kEnding) {
        // The finish asked for while this write was decided: its writer
        // had not yet marked it in flight, so it is left to us.
        action = FinishLocked();
      } else {
        action = ok ? NextActionLocked()
                    : MaybeFinishLocked(grpc::Status(
                          grpc::StatusCode::CANCELLED, "the client went away"));
      }
    }
    Perform(action);
  }

  void OnCancel() override ABSL_LOCKS_EXCLUDED(mu_) {
    Action action;
    {
      absl::MutexLock lock(&mu_);
      action = MaybeFinishLocked(
          grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    }
    Perform(action);
  }

  void OnDone() override ABSL_LOCKS_EXCLUDED(cancel_mu_) {
    {
      absl::MutexLock lock(&cancel_mu_);
      context_live_ = false;  // gRPC frees the context after OnDone
    }
    service_->Unregister(this);
    Unref();  // gRPC's reference
  }

 private:
  enum class State {
    kOpen,
    kEnding,    // finish asked for while a write is decided, not started
    kFinished,  // Finish issued
  };
  enum class Write {
    kIdle,
    kDecided,   // current_ set; StartWrite not yet issued
    kInFlight,  // StartWrite issued; OnWriteDone pending
  };

  // A gRPC operation decided under mu_, to be issued after releasing it.
  struct Action {
    enum class Kind { kNone, kWrite, kFinish };
    Kind kind = Kind::kNone;
    grpc::Status status;  // for kFinish
    uint64_t write_id = 0;  // for kWrite
  };

  static absl::Status TooSlowError(absl::Duration stall_limit,
                                   const std::string& resume_cursor) {
    const std::string description = absl::StrCat(
        "the client read no response for ", absl::FormatDuration(stall_limit),
        "; watch again with start_cursor = \"", resume_cursor, "\"");
    return WithQuotaFailure(
        ErrorWithInfo(absl::StatusCode::kResourceExhausted, description,
                      "WATCHER_TOO_SLOW", {{"resume_cursor", resume_cursor}}),
        "WatchEvents", description);
  }

  // The store's notification.
  void OnNewEvents() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    unread_ = true;
    ScheduleRefillLocked();
  }

  // On the pool: reads the next batch and writes it out.
  void Refill() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<WatchEventsResponse> batch = watch_->Next(kWatchBatch);
    Action action;
    {
      absl::MutexLock lock(&mu_);
      refill_pending_ = false;
      if (state_ == State::kOpen) {
        if (batch.size() == kWatchBatch) unread_ = true;  // maybe more
        for (WatchEventsResponse& response : batch) {
          queue_.push_back(std::move(response));
        }
        action = NextActionLocked();
      }
    }
    Perform(action);
    Unref();  // the refill's reference
  }

  // Schedules a refill if the stream is open, none is pending, events may be
  // unread and nothing is queued (so the queue stays within one batch).
  void ScheduleRefillLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (state_ != State::kOpen || refill_pending_ || !unread_ ||
        !queue_.empty()) {
      return;
    }
    Ref();
    if (!service_->pool_->SubmitUnbounded([this] { Refill(); })) {
      // Only a stopping pool refuses, and the service's contract has every
      // call ended before that. gRPC's reference is held while the stream is
      // open, so this is not the last one.
      refs_.fetch_sub(1, std::memory_order_relaxed);
      LogError("query_service", "worker pool stopped under an open watch");
      return;
    }
    refill_pending_ = true;
    unread_ = false;
  }

  // The next write, unless one is under way or the stream is ending. Reads
  // ahead when the queue runs dry.
  Action NextActionLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Action action;
    if (state_ != State::kOpen || write_ != Write::kIdle) return action;
    if (!queue_.empty()) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      write_ = Write::kDecided;
      action.kind = Action::Kind::kWrite;
      action.write_id = ++write_id_;
    }
    ScheduleRefillLocked();
    return action;
  }

  // Ends the stream with `status` unless it is already ending: finishes now,
  // or, when a write is decided but not yet started, leaves the Finish to
  // the writer (Perform). Queued responses are dropped: the client resumes
  // from the last cursor it received.
  Action MaybeFinishLocked(grpc::Status status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Action action;
    if (state_ != State::kOpen) return action;
    queue_.clear();
    status_ = std::move(status);
    state_ = State::kEnding;
    if (write_ != Write::kDecided) action = FinishLocked();
    return action;
  }

  Action FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    state_ = State::kFinished;
    finished_at_ = absl::Now();
    Action action;
    action.kind = Action::Kind::kFinish;
    action.status = status_;
    return action;
  }

  // Issues the operation decided under mu_; call without holding it. After
  // a StartWrite, issues the Finish asked for meanwhile.
  void Perform(const Action& action) ABSL_LOCKS_EXCLUDED(mu_) {
    switch (action.kind) {
      case Action::Kind::kWrite: {
        current_bytes_.Clear();  // the previous response, already written
        EncodeResponse(current_, &current_bytes_);
        StartWrite(&current_bytes_);
        Action then;
        {
          absl::MutexLock lock(&mu_);
          // Unless OnWriteDone has run already: it then issued the Finish
          // asked for meanwhile, or decided the next write, whose writer
          // does this.
          if (write_ == Write::kDecided && write_id_ == action.write_id) {
            write_ = Write::kInFlight;
            write_started_ = absl::Now();
            if (state_ == State::kEnding) then = FinishLocked();
          }
        }
        Perform(then);
        break;
      }
      case Action::Kind::kFinish:
        Finish(action.status);
        break;
      case Action::Kind::kNone:
        break;
    }
  }

  QueryGrpcService* const service_;
  grpc::CallbackServerContext* const context_;  // see cancel_mu_
  const std::string peer_;
  std::unique_ptr<EventWatch> watch_;
  std::atomic<int> refs_{1};  // gRPC's, until OnDone
  absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kOpen;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);  // set when leaving kOpen
  absl::Time finished_at_ ABSL_GUARDED_BY(mu_);  // when Finish was decided
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;  // the sweeper cancelled
  // Responses read but not yet written: at most one batch.
  std::deque<WatchEventsResponse> queue_ ABSL_GUARDED_BY(mu_);
  Write write_ ABSL_GUARDED_BY(mu_) = Write::kIdle;
  uint64_t write_id_ ABSL_GUARDED_BY(mu_) = 0;  // of the last decided write
  absl::Time write_started_ ABSL_GUARDED_BY(mu_);
  // The cursor of the last response the transport took, else the watch's
  // start: resuming from it misses nothing.
  std::string resume_cursor_ ABSL_GUARDED_BY(mu_);
  bool refill_pending_ ABSL_GUARDED_BY(mu_) = false;
  // Events may be stored that no pending refill will read.
  bool unread_ ABSL_GUARDED_BY(mu_) = true;
  // The response being written. Set under mu_ when a write is decided; then
  // only the writer, gRPC and OnWriteDone touch it until write_ is kIdle.
  WatchEventsResponse current_;
  grpc::ByteBuffer current_bytes_;  // current_ serialized; same rules
  absl::Mutex cancel_mu_;
  bool context_live_ ABSL_GUARDED_BY(cancel_mu_) = true;
};

QueryGrpcService::QueryGrpcService(QueryHandler* handler, WorkerPool* pool,
                                   Authorizer* authorizer,
                                   WatchOptions watch_options)
    : handler_(handler),
      pool_(pool),
      authorizer_(authorizer),
      watch_options_(watch_options),
      sweeper_([this] { SweepWatches(); }) {}

QueryGrpcService::~QueryGrpcService() {
  stop_sweeper_.Notify();
  sweeper_.join();
}

void QueryGrpcService::SweepWatches() {
  // Often enough that a stream ends within a quarter of its limit.
  const absl::Duration period = std::clamp(
      watch_options_.stall_limit / 4, absl::Milliseconds(20),
      absl::Milliseconds(250));
  while (!stop_sweeper_.WaitForNotificationWithTimeout(period)) {
    std::vector<WatchEventsReactor*> open;
    WatchOptions options = watch_options_;
    {
      absl::MutexLock lock(&mutex_);
      // At shutdown a stalled client gets a second to take its OK.
      if (shutting_down_) {
        options.finish_grace =
            std::min(options.finish_grace, kShutdownFinishGrace);
      }
      open = RefOpenWatchesLocked();
    }
    const absl::Time now = absl::Now();
    for (WatchEventsReactor* reactor : open) {
      reactor->Sweep(now, options);
      reactor->Unref();
    }
  }
}

grpc::ServerUnaryReactor* QueryGrpcService::GetEvent(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kGetEvent))
    return refused;
  return AnswerRawOnPool<newsevents::v1::GetEventRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::GetEventRequest& decoded) {
        return handler_->GetEvent(decoded);
      });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListEvents(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kListEvents))
    return refused;
  return AnswerRawOnPool<newsevents::v1::ListEventsRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::ListEventsRequest& decoded) {
        return handler_->ListEvents(decoded);
      });
}

grpc::ServerUnaryReactor* QueryGrpcService::GetArticle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kGetArticle))
    return refused;
  return AnswerRawOnPool<newsevents::v1::GetArticleRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::GetArticleRequest& decoded) {
        return handler_->GetArticle(decoded);
      });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListArticles(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kListArticles))
    return refused;
  return AnswerRawOnPool<newsevents::v1::ListArticlesRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::ListArticlesRequest& decoded) {
        return handler_->ListArticles(decoded);
      });
}

grpc::ServerUnaryReactor* QueryGrpcService::AggregateEvents(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kAggregateEvents))
    return refused;
  return AnswerRawOnPool<newsevents::v1::AggregateEventsRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::AggregateEventsRequest& decoded) {
        return handler_->AggregateEvents(decoded);
      });
}

grpc::ServerUnaryReactor* QueryGrpcService::ListClaims(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kListClaims))
    return refused;
  return AnswerRawOnPool<newsevents::v1::ListClaimsRequest>(
      context, pool_, "query_service", request, response,
      [this](const newsevents::v1::ListClaimsRequest& decoded) {
        return handler_->ListClaims(decoded);
      });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* QueryGrpcService::WatchEvents(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  absl::StatusOr<Admission> admitted =
      AuthorizeCall(authorizer_, *context, kWatchEvents);
  if (!admitted.ok()) return new RejectedWatch(ToGrpcStatus(admitted.status()));
  v1::WatchEventsRequest decoded;
  if (absl::Status status = DecodeRequest(*request, &decoded); !status.ok()) {
    return new RejectedWatch(ToGrpcStatus(status));
  }
  absl::StatusOr<std::unique_ptr<EventWatch>> watch = handler_->Watch(decoded);
  if (!watch.ok()) return new RejectedWatch(ToGrpcStatus(watch.status()));
  auto* reactor = new WatchEventsReactor(this, context, std::move(*watch));
  reactor->Start();
  bool shutting_down = false;
  {
    absl::MutexLock lock(&mutex_);
    shutting_down = shutting_down_;
    if (!shutting_down) watches_.emplace(reactor, std::move(*admitted));
  }
  // gRPC runs no reaction (so no OnDone) before this method returns.
  if (shutting_down) reactor->End();
  return reactor;
}

std::vector<WatchEventsReactor*> QueryGrpcService::RefOpenWatchesLocked() {
  std::vector<WatchEventsReactor*> open;
  open.reserve(watches_.size());
  for (const auto& [reactor, admission] : watches_) {
    reactor->Ref();  // registered, so before its OnDone: still alive
    open.push_back(reactor);
  }
  return open;
}

void QueryGrpcService::BeginShutdown() {
  std::vector<WatchEventsReactor*> open;
  {
    absl::MutexLock lock(&mutex_);
    shutting_down_ = true;
    open = RefOpenWatchesLocked();
  }
  for (WatchEventsReactor* reactor : open) {
    reactor->End();
    reactor->Unref();
  }
}

void QueryGrpcService::Unregister(WatchEventsReactor* reactor) {
  Admission released;  // its stream slot goes after the lock
  absl::MutexLock lock(&mutex_);
  auto it = watches_.find(reactor);
  if (it == watches_.end()) return;
  released = std::move(it->second);
  watches_.erase(it);
}

}  // namespace newsevents::query
