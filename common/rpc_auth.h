#ifndef NEWSEVENTS_COMMON_RPC_AUTH_H_
#define NEWSEVENTS_COMMON_RPC_AUTH_H_

// How a gRPC handler asks common/auth.h's Authorizer about its call, first
// thing at handler entry (gRPC 1.51's server interceptors cannot refuse a
// call with a status of their own):
//
//   if (auto* refused = RefuseUnlessAdmitted(authorizer_, context, kMethod))
//     return refused;                                   // unary
//
//   absl::StatusOr<Admission> admitted =                 // streaming
//       AuthorizeCall(authorizer_, *context, kWatchEventsMethod);
//   if (!admitted.ok()) return new RefusedWriteReactor<Response>(
//       ToGrpcStatus(admitted.status()));
//
// A null authorizer admits everything (services built without one, as in
// unit tests). Keep the Admission for as long as the call runs: for a
// streaming call it holds the client's stream slot.
//
// Thread-safety: as the Authorizer; the reactors below are owned by gRPC.

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth.h"

namespace newsevents {

// The Authorizer's decision for the call behind `context`, from its
// "authorization" metadata and its peer.
absl::StatusOr<Admission> AuthorizeCall(Authorizer* authorizer,
                                        const grpc::ServerContextBase& context,
                                        absl::string_view full_method);

// For unary handlers: null when the call is admitted, else the call's
// default reactor, already finished with the refusal (return it).
grpc::ServerUnaryReactor* RefuseUnlessAdmitted(
    Authorizer* authorizer, grpc::CallbackServerContext* context,
    absl::string_view full_method);

// Installs on `builder` a server interceptor that puts gRPC's channelz
// service (registered by a plugin, so it has no handler of ours) under
// `authorizer` (scope admin): a refused call is answered with the refusal's
// status, and the response the handler produced is replaced with an empty
// one before it is sent. channelz is read-only, so running its handler
// changes nothing. Nothing is installed for a null authorizer.
void GuardChannelz(Authorizer* authorizer, grpc::ServerBuilder& builder);

// A server-streaming call refused before it started: only reports `status`.
template <typename Response>
class RefusedWriteReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWriteReactor(grpc::Status status) {
    this->Finish(std::move(status));
  }
  void OnDone() override { delete this; }
};

// A bidirectional call refused before it started: only reports `status`.
template <typename Request, typename Response>
class RefusedBidiReactor final
    : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit RefusedBidiReactor(grpc::Status status) {
    this->Finish(std::move(status));
  }
  void OnDone() override { delete this; }
};

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_RPC_AUTH_H_
