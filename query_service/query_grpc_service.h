#ifndef NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_
#define NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_

// The gRPC adapter of QueryService on the callback API. Unary queries run on
// a WorkerPool and finish from there; WatchEvents streams keep one write in
// flight and are woken by the store when new events arrive. Statuses are
// converted in one place (common/rpc_status.h).
//
// Thread-safety: gRPC calls it from many threads. The handler and pool must
// outlive the service and the server serving it. BeginShutdown() ends every
// open watch with OK after its current write, so a draining server is not
// held open by idle watchers.

#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/worker_pool.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {

class WatchEventsReactor;

class QueryGrpcService final
    : public newsevents::v1::QueryService::CallbackService {
 public:
  QueryGrpcService(QueryHandler* handler, WorkerPool* pool);
  ~QueryGrpcService() override;

  grpc::ServerUnaryReactor* GetEvent(
      grpc::CallbackServerContext* context,
      const newsevents::v1::GetEventRequest* request,
      newsevents::v1::Event* response) override;
  grpc::ServerUnaryReactor* ListEvents(
      grpc::CallbackServerContext* context,
      const newsevents::v1::ListEventsRequest* request,
      newsevents::v1::ListEventsResponse* response) override;
  grpc::ServerUnaryReactor* GetArticle(
      grpc::CallbackServerContext* context,
      const newsevents::v1::GetArticleRequest* request,
      newsevents::v1::Article* response) override;
  grpc::ServerUnaryReactor* ListArticles(
      grpc::CallbackServerContext* context,
      const newsevents::v1::ListArticlesRequest* request,
      newsevents::v1::ListArticlesResponse* response) override;
  grpc::ServerUnaryReactor* AggregateEvents(
      grpc::CallbackServerContext* context,
      const newsevents::v1::AggregateEventsRequest* request,
      newsevents::v1::AggregateEventsResponse* response) override;
  grpc::ServerUnaryReactor* ListClaims(
      grpc::CallbackServerContext* context,
      const newsevents::v1::ListClaimsRequest* request,
      newsevents::v1::ListClaimsResponse* response) override;
  grpc::ServerWriteReactor<newsevents::v1::WatchEventsResponse>* WatchEvents(
      grpc::CallbackServerContext* context,
      const newsevents::v1::WatchEventsRequest* request) override;

  // Finishes every open WatchEvents stream at its next write boundary.
  void BeginShutdown();

 private:
  friend class WatchEventsReactor;
  void Unregister(WatchEventsReactor* reactor);

  QueryHandler* handler_;
  WorkerPool* pool_;
  absl::Mutex mutex_;
  std::set<WatchEventsReactor*> watches_ ABSL_GUARDED_BY(mutex_);
  bool shutting_down_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_QUERY_GRPC_SERVICE_H_
