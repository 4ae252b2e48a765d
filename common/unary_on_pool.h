#ifndef NEWSEVENTS_COMMON_UNARY_ON_POOL_H_
#define NEWSEVENTS_COMMON_UNARY_ON_POOL_H_

// How both servers answer a unary callback RPC: the work (parsing, disk
// writes, index queries) may block, so it runs on a WorkerPool, never on the
// gRPC callback thread, and the worker finishes the RPC.
//
// AnswerOnPool(context, pool, service, response, work):
//  - `work` is a callable returning absl::StatusOr<Response>; it runs on a
//    pool thread. Its value is moved into `response` (owned by gRPC, valid
//    until the reactor finishes) and its status is mapped by ToGrpcStatus.
//  - When the pool's queue is full the RPC is answered at once with
//    OverloadedStatus(service): RESOURCE_EXHAUSTED with a QuotaFailure, so
//    clients back off instead of piling up work the server cannot take.
// AnswerRawOnPool<Request>(context, pool, service, request, response, work):
//  - the same for a method registered raw (ByteBuffer in and out, the
//    generated WithRawCallbackMethod_X): the request is decoded as `Request`
//    on the pool thread and `work` takes it (const Request&); its value is
//    serialized into `response`.
//  - Bytes that do not decode are answered with UndecodableRequestError:
//    INVALID_ARGUMENT naming the message type, reason UNDECODABLE_MESSAGE.
//    (gRPC 1.51's typed callback handler answers them UNIMPLEMENTED with no
//    message, as if the method did not exist: issue 13, defect 7.)
// Thread-safety: call from a gRPC callback method; the pool must outlive
// every RPC it serves.

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/errors.h"
#include "common/rpc_status.h"
#include "common/worker_pool.h"

namespace newsevents {

// RESOURCE_EXHAUSTED for a full worker queue of `service`.
inline grpc::Status OverloadedStatus(absl::string_view service) {
  return ToGrpcStatus(
      LimitExceededError(service, "too many requests queued; retry"));
}

template <typename Response, typename Work>
grpc::ServerUnaryReactor* AnswerOnPool(grpc::CallbackServerContext* context,
                                       WorkerPool* pool,
                                       absl::string_view service,
                                       Response* response, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued =
      pool->TrySubmit([reactor, response, work = std::move(work)]() mutable {
        auto result = work();
        if (result.ok()) *response = std::move(*result);
        reactor->Finish(ToGrpcStatus(result.status()));
      });
  if (!queued) reactor->Finish(OverloadedStatus(service));
  return reactor;
}

// INVALID_ARGUMENT for request bytes that are not a `type_name` message.
inline absl::Status UndecodableRequestError(absl::string_view type_name) {
  return WithReason(
      absl::InvalidArgumentError(absl::StrCat(
          "the request could not be decoded as a ", type_name, " message")),
      "UNDECODABLE_MESSAGE");
}

// Decodes the bytes of a raw method's request; UndecodableRequestError when
// they are not a `Request`.
template <typename Request>
absl::Status DecodeRequest(const grpc::ByteBuffer& bytes, Request* request) {
  grpc::ByteBuffer copy(bytes);  // shares the slices; decoding clears it
  if (grpc::SerializationTraits<Request>::Deserialize(&copy, request).ok()) {
    return absl::OkStatus();
  }
  return UndecodableRequestError(Request::descriptor()->full_name());
}

// Serializes a raw method's response into `bytes` (which must be empty).
template <typename Response>
void EncodeResponse(const Response& response, grpc::ByteBuffer* bytes) {
  bool own_buffer = false;
  grpc::SerializationTraits<Response>::Serialize(response, bytes, &own_buffer);
}

template <typename Request, typename Work>
grpc::ServerUnaryReactor* AnswerRawOnPool(grpc::CallbackServerContext* context,
                                          WorkerPool* pool,
                                          absl::string_view service,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response,
                                          Work work) {
  using Response =
      typename std::invoke_result_t<Work, const Request&>::value_type;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = pool->TrySubmit([reactor, request, response,
                                       work = std::move(work)]() mutable {
    Request decoded;
    if (absl::Status status = DecodeRequest(*request, &decoded); !status.ok()) {
      reactor->Finish(ToGrpcStatus(status));
      return;
    }
    auto result = work(decoded);
    if (result.ok()) EncodeResponse<Response>(*result, response);
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  if (!queued) reactor->Finish(OverloadedStatus(service));
  return reactor;
}

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_UNARY_ON_POOL_H_
