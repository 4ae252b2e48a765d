#include "ingest_service/ingest_grpc_service.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>

#include <cstdint>
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

// One IngestArticles stream: read a message, decode and ingest it on the
// pool, write its response, then read the next. Responses therefore come in
// request order and at most one article per stream is in memory. Messages
// arrive as bytes so that one that does not decode is answered with an
// error instead of ending the stream (see the header).
class IngestArticlesReactor final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
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
    ++messages_read_;
    if (!pool_->TrySubmit([this] {
          Answer();
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
  // Decodes request_, ingests it and serializes the answer into response_.
  void Answer() {
    IngestArticlesRequest request;
    IngestArticlesResponse response;
    if (grpc::SerializationTraits<IngestArticlesRequest>::Deserialize(&request_,
                                                                      &request)
            .ok()) {
      response = handler_->IngestStreamItem(request);
    } else {
      response.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
      response.set_error_message(absl::StrCat(
          "message ", messages_read_,
          " of the stream (counting from 1) could not be decoded as an "
          "IngestArticlesRequest; it was skipped, the stream goes on"));
    }
    response_.Clear();  // the previous answer, already written
    EncodeResponse(response, &response_);
  }

  IngestHandler* handler_;
  WorkerPool* pool_;
  int64_t messages_read_ = 0;  // including the one being answered
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
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
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context, absl::StrCat(kMethodPrefix, "ParseArticle")))
    return refused;
  return AnswerRawOnPool<newsevents::v1::ParseArticleRequest>(
      context, pool_, "ingest_service", request, response,
      [this](const newsevents::v1::ParseArticleRequest& decoded) {
        return handler_->ParseArticle(decoded);
      });
}

grpc::ServerUnaryReactor* IngestGrpcService::IngestArticle(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context, absl::StrCat(kMethodPrefix, "IngestArticle")))
    return refused;
  return AnswerRawOnPool<newsevents::v1::IngestArticleRequest>(
      context, pool_, "ingest_service", request, response,
      [this](const newsevents::v1::IngestArticleRequest& decoded) {
        return handler_->IngestArticle(decoded);
      });
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestGrpcService::IngestArticles(grpc::CallbackServerContext* context) {
  absl::StatusOr<Admission> admitted = AuthorizeCall(
      authorizer_, *context, absl::StrCat(kMethodPrefix, "IngestArticles"));
  if (!admitted.ok()) {
    return new RefusedBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>(
        ToGrpcStatus(admitted.status()));
  }
  return new IngestArticlesReactor(handler_, pool_, std::move(*admitted));
}

grpc::ServerUnaryReactor* IngestGrpcService::GetDeliveryStatus(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  if (auto* refused = RefuseUnlessAdmitted(
          authorizer_, context,
          absl::StrCat(kMethodPrefix, "GetDeliveryStatus")))
    return refused;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  newsevents::v1::GetDeliveryStatusRequest decoded;
  if (absl::Status status = DecodeRequest(*request, &decoded); !status.ok()) {
    reactor->Finish(ToGrpcStatus(status));
    return reactor;
  }
  newsevents::v1::GetDeliveryStatusResponse delivery;
  delivery_status_(&delivery);
  EncodeResponse(delivery, response);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace newsevents::ingest
