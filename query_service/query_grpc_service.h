#ifndef NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_
#define NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_

// The gRPC adapter of QueryService on the callback API. Unary queries run on
// a WorkerPool and finish from there. Statuses are converted in one place
// (common/rpc_status.h).
//
// WatchEvents: each stream sends its response headers as soon as its watch is
// registered (every event stored from then on will be delivered), then the
// matching events in store order, one write in flight at a time, read from the
// store in batches on the pool when the store signals new events. At most one
// batch waits per stream. A refill is never dropped for a full pool queue
// (WorkerPool::SubmitUnbounded; at most one is pending per stream), so a
// watcher cannot miss a wake-up. A stream ends with OK at BeginShutdown, and
// is finished as soon as the client cancels or goes away.
//
// Slow watchers: a stream holds at most one batch of responses and one write
// in flight, so a client that stops reading costs bounded memory. A write
// that has not completed for WatchOptions::stall_limit (the client read
// nothing meanwhile) ends the stream with RESOURCE_EXHAUSTED, an ErrorInfo
// {reason "WATCHER_TOO_SLOW", metadata "resume_cursor"} and a QuotaFailure:
// the cursor of the last response the transport sent (or the watch's start),
// so a start_cursor from it misses nothing; the response in flight may come
// again. A stream whose Finish has not completed finish_grace after it was
// issued (its client still reads nothing) is cancelled, which frees it and
// its stream slot; at shutdown that grace is a second, so a stalled client
// does not hold the server for its whole grace period.
//
// Thread-safety: gRPC calls it from many threads. The handler and pool must
// outlive the service and the server serving it; the pool may stop only
// after the server has ended every call (QueryServer::Shutdown does). No
// gRPC operation is started while the service's mutex is held.
// Access: every method first asks the Authorizer (common/rpc_auth.h), if one
// is given, and is refused with its status (UNAUTHENTICATED,
// PERMISSION_DENIED, RESOURCE_EXHAUSTED); a watch holds its stream slot until
// its OnDone.
// Errors: WatchEvents fails with INVALID_ARGUMENT for undecodable request
// bytes, or the handler's INVALID_ARGUMENT for a bad
// filter or start_cursor; unary methods return the handler's statuses, or
// RESOURCE_EXHAUSTED when the pool's queue is full.

#include <map>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/worker_pool.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {

class WatchEventsReactor;

struct WatchOptions {
  // A write in flight this long ends its stream with RESOURCE_EXHAUSTED.
  absl::Duration stall_limit = absl::Seconds(30);
  // A stream still not done this long after its Finish is cancelled (at
  // shutdown, after at most a second).
  absl::Duration finish_grace = absl::Seconds(30);
};

// The callback service with every method raw (ByteBuffer in and out): they
// decode their requests themselves (AnswerRawOnPool, DecodeRequest), so
// bytes that are not the request message get INVALID_ARGUMENT naming its
// type, where gRPC 1.51's typed handlers answer UNIMPLEMENTED (issue 13,
// defect 7). WatchEvents serializes each response itself.
using QueryServiceBase = v1::QueryService::WithRawCallbackMethod_GetEvent<
    v1::QueryService::WithRawCallbackMethod_ListEvents<
        v1::QueryService::WithRawCallbackMethod_GetArticle<
            v1::QueryService::WithRawCallbackMethod_ListArticles<
                v1::QueryService::WithRawCallbackMethod_AggregateEvents<
                    v1::QueryService::WithRawCallbackMethod_ListClaims<
                        v1::QueryService::WithRawCallbackMethod_WatchEvents<
                            v1::QueryService::Service>>>>>>>;

class QueryGrpcService final : public QueryServiceBase {
 public:
  // `authorizer` may be null (every call allowed); it must outlive the
  // service.
  QueryGrpcService(QueryHandler* handler, WorkerPool* pool,
                   Authorizer* authorizer = nullptr,
                   WatchOptions watch_options = {});
  // Stops the sweeper thread; the server must have ended every call.
  ~QueryGrpcService() override;

  grpc::ServerUnaryReactor* GetEvent(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetArticle(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListArticles(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* AggregateEvents(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListClaims(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchEvents(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

  // Ends every open WatchEvents stream with OK (after its write in flight,
  // if any), and every stream opened later at once. Returns without
  // waiting for them; the server's Shutdown does.
  void BeginShutdown() ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  friend class WatchEventsReactor;
  // Called by a stream's OnDone.
  void Unregister(WatchEventsReactor* reactor) ABSL_LOCKS_EXCLUDED(mutex_);
  // Every registered stream, each with a reference the caller drops.
  std::vector<WatchEventsReactor*> RefOpenWatchesLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // The sweeper thread: ends stalled streams and cancels unfinished ones
  // (see "Slow watchers") until the service is destroyed.
  void SweepWatches();

  QueryHandler* handler_;
  WorkerPool* pool_;
  Authorizer* authorizer_;
  const WatchOptions watch_options_;
  absl::Notification stop_sweeper_;
  absl::Mutex mutex_;
  // Streams between WatchEvents and their OnDone, with their admissions
  // (stream slots); not owned (a stream frees itself when its last reference
  // goes).
  std::map<WatchEventsReactor*, Admission> watches_ ABSL_GUARDED_BY(mutex_);
  bool shutting_down_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread sweeper_;  // last: it uses the members above
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_
