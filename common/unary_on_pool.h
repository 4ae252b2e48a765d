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
// Thread-safety: call from a gRPC callback method; the pool must outlive
// every RPC it serves.

#include <grpcpp/grpcpp.h>

#include <utility>

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

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_UNARY_ON_POOL_H_
