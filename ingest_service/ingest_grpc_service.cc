#include "ingest_service/ingest_grpc_service.h"

#include <utility>

#include "absl/synchronization/mutex.h"
#include "common/errors.h"
#include "common/rpc_status.h"
#include "common/unary_on_pool.h"

namespace newsevents::ingest {
namespace {

using newsevents::v1::IngestArticlesRequest;
using newsevents::v1::IngestArticlesResponse;

// One IngestArticles stream: read a request, ingest it on the pool, write
// its response, then read the next. Responses therefore come in request
// order and at most one article per stream is in memory.
class IngestArticlesReactor final
    : public grpc::ServerBidiReactor<IngestArticlesRequest,
                                     IngestArticlesResponse> {
 public:
  IngestArticlesReactor(IngestHandler* handler, WorkerPool* pool)
      : handler_(handler), pool_(pool) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);  // client half-closed: all answered
      return;
    }
    if (!pool_->TrySubmit([this] {
          response_ = handler_->IngestStreamItem(request_);
          StartWrite(&response_);
        })) {
      Finish(OverloadedStatus("ingest_service"));
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "client went away"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  IngestHandler* handler_;
  WorkerPool* pool_;
  IngestArticlesRequest request_;
  IngestArticlesResponse response_;
};

}  // namespace

IngestGrpcService::IngestGrpcService(IngestHandler* handler, WorkerPool* pool,
                                     StatusFiller delivery_status)
    : handler_(handler),
      pool_(pool),
      delivery_status_(std::move(delivery_status)) {}

grpc::ServerUnaryReactor* IngestGrpcService::ParseArticle(
    grpc::CallbackServerContext* context,
    const newsevents::v1::ParseArticleRequest* request,
    newsevents::v1::ParseArticleResponse* response) {
  return AnswerOnPool(
      context, pool_, "ingest_service", response,
      [this, request] { return handler_->ParseArticle(*request); });
}

grpc::ServerUnaryReactor* IngestGrpcService::IngestArticle(
    grpc::CallbackServerContext* context,
    const newsevents::v1::IngestArticleRequest* request,
    newsevents::v1::IngestArticleResponse* response) {
  return AnswerOnPool(
      context, pool_, "ingest_service", response,
      [this, request] { return handler_->IngestArticle(*request); });
}

grpc::ServerBidiReactor<IngestArticlesRequest, IngestArticlesResponse>*
IngestGrpcService::IngestArticles(grpc::CallbackServerContext* /*context*/) {
  return new IngestArticlesReactor(handler_, pool_);
}

grpc::ServerUnaryReactor* IngestGrpcService::GetDeliveryStatus(
    grpc::CallbackServerContext* context,
    const newsevents::v1::GetDeliveryStatusRequest*,
    newsevents::v1::GetDeliveryStatusResponse* response) {
  delivery_status_(response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace newsevents::ingest
