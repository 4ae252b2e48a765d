#ifndef NEWSEVENTS_INGEST_SERVICE_INGEST_GRPC_SERVICE_H_
#define NEWSEVENTS_INGEST_SERVICE_INGEST_GRPC_SERVICE_H_

// The gRPC adapter of IngestService on the callback API. Each RPC's work
// (parsing, durable writes) runs on a WorkerPool, never on a gRPC reaction
// thread; results are converted with ToGrpcStatus. IngestArticles keeps one
// read and one write in flight, so a fast client is held back by HTTP/2 flow
// control instead of queueing in memory.
//
// Access: with an Authorizer, every call is first admitted by it
// (common/rpc_auth.h) or refused with its status; an IngestArticles stream
// holds its stream slot until it is done.
//
// Thread-safety: gRPC calls it from many threads; the handler, pool,
// forwarder and authorizer must outlive the service and the server that
// serves it.

#include <functional>

#include "common/auth.h"
#include "common/worker_pool.h"
#include "ingest_service/ingest_handler.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"

namespace newsevents::ingest {

class IngestGrpcService final
    : public newsevents::v1::IngestService::CallbackService {
 public:
  using StatusFiller =
      std::function<void(newsevents::v1::GetDeliveryStatusResponse*)>;

  // `authorizer` may be null: every call allowed.
  IngestGrpcService(IngestHandler* handler, WorkerPool* pool,
                    StatusFiller delivery_status,
                    Authorizer* authorizer = nullptr);

  grpc::ServerUnaryReactor* ParseArticle(
      grpc::CallbackServerContext* context,
      const newsevents::v1::ParseArticleRequest* request,
      newsevents::v1::ParseArticleResponse* response) override;
  grpc::ServerUnaryReactor* IngestArticle(
      grpc::CallbackServerContext* context,
      const newsevents::v1::IngestArticleRequest* request,
      newsevents::v1::IngestArticleResponse* response) override;
  grpc::ServerBidiReactor<newsevents::v1::IngestArticlesRequest,
                          newsevents::v1::IngestArticlesResponse>*
  IngestArticles(grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* GetDeliveryStatus(
      grpc::CallbackServerContext* context,
      const newsevents::v1::GetDeliveryStatusRequest* request,
      newsevents::v1::GetDeliveryStatusResponse* response) override;

 private:
  IngestHandler* handler_;
  WorkerPool* pool_;
  StatusFiller delivery_status_;
  Authorizer* authorizer_;
};

}  // namespace newsevents::ingest

#endif  // NEWSEVENTS_INGEST_SERVICE_INGEST_GRPC_SERVICE_H_
