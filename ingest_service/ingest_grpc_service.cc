#include "ingest_service/ingest_grpc_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/errors.h"
#include "common/rpc_auth.h"
#include "common/rpc_status.h"
#include "common/unary_on_pool.h"

namespace newsevents::ingest {
namespace {

using newsevents::v1::IngestArticlesRequest;
using newsevents::v1::IngestArticlesResponse;

constexpr char kMethodPrefix[] = "/newsevents.v1.IngestService/";

// One IngestArticles stream: read a request, ingest it on the pool, write
// its response, then read the next. Responses therefore come in request
// order and at most one article per stream is in memory.
class IngestArticlesReactor final
    : public grpc::ServerBidiReactor<IngestArticlesRequest,
                                     IngestArticlesResponse> {
 public:
  IngestArticlesReactor(IngestHandler* handler, WorkerPool* pool,
                        Admission admission)
      : handler_(handler), pool_(pool), admission_(std::move(admission)) {
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
  const Admission admission_;  // the client's stream slot, until OnDone
};

}  // namespace

IngestGrpcService::IngestGrpcService(IngestHandler* handler, WorkerPool* pool,
                                     StatusFiller delivery_status,
                                     Authorizer* authorizer)
    : handler_(handler),
      pool_(pool),
      delivery_status_(std::move(delivery_status)),
      authorizer_(authorizer) {}

grpc::ServerUnaryReactor* IngestGrpcService::ParseArticle(
    grpc::CallbackServerContext* context,
    const newsevents::v1::ParseArticleRequest* request,
    newsevents::v1::ParseArticleResponse* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context, absl::StrCat(kMethodPrefix, "ParseArticle")))
    return refused;
  return AnswerOnPool(
      context, pool_, "ingest_service", response,
      [this, request] { return handler_->ParseArticle(*request); });
}

grpc::ServerUnaryReactor* IngestGrpcService::IngestArticle(
    grpc::CallbackServerContext* context,
    const newsevents::v1::IngestArticleRequest* request,
    newsevents::v1::IngestArticleResponse* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context, absl::StrCat(kMethodPrefix, "IngestArticle")))
    return refused;
  return AnswerOnPool(
      context, pool_, "ingest_service", response,
      [this, request] { return handler_->IngestArticle(*request); });
}

grpc::ServerBidiReactor<IngestArticlesRequest, IngestArticlesResponse>*
IngestGrpcService::IngestArticles(grpc::CallbackServerContext* context) {
  absl::StatusOr<Admission> admitted = AuthorizeCall(
      authorizer_, *context, absl::StrCat(kMethodPrefix, "IngestArticles"));
  if (!admitted.ok()) {
    return new RefusedBidiReactor<IngestArticlesRequest,
                                  IngestArticlesResponse>(
        ToGrpcStatus(admitted.status()));
  }
  return new IngestArticlesReactor(handler_, pool_, std::move(*admitted));
}

grpc::ServerUnaryReactor* IngestGrpcService::GetDeliveryStatus(
    grpc::CallbackServerContext* context,
    const newsevents::v1::GetDeliveryStatusRequest*,
    newsevents::v1::GetDeliveryStatusResponse* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context,
          absl::StrCat(kMethodPrefix, "GetDeliveryStatus")))
    return refused;
  delivery_status_(response);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace newsevents::ingest
