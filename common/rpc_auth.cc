#include "common/rpc_auth.h"

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/rpc_status.h"

namespace newsevents {

absl::StatusOr<Admission> AuthorizeCall(Authorizer* authorizer,
                                        const grpc::ServerContextBase& context,
                                        absl::string_view full_method) {
  if (authorizer == nullptr) return Admission();
  absl::string_view authorization;
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  return authorizer->Admit(full_method, authorization, context.peer());
}

grpc::ServerUnaryReactor* RefuseUnlessAdmitted(
    Authorizer* authorizer, grpc::CallbackServerContext* context,
    absl::string_view full_method) {
  absl::StatusOr<Admission> admitted =
      AuthorizeCall(authorizer, *context, full_method);
  if (admitted.ok()) return nullptr;
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(admitted.status()));
  return reactor;
}

namespace {

// One channelz call: decides when the answer is about to be sent (the
// server context is complete by then) and rewrites a refused answer.
class ChannelzGuard final : public grpc::experimental::Interceptor {
 public:
  ChannelzGuard(Authorizer* authorizer, grpc::experimental::ServerRpcInfo* info)
      : authorizer_(authorizer), info_(info) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    const bool sends_message = methods->QueryInterceptionHookPoint(
        InterceptionHookPoints::PRE_SEND_MESSAGE);
    const bool sends_status = methods->QueryInterceptionHookPoint(
        InterceptionHookPoints::PRE_SEND_STATUS);
    if (sends_message || sends_status) Decide();
    if (refusal_.has_value()) {
      if (sends_message) {
        // An empty message, not an empty ByteBuffer (which has no buffer
        // and is an invalid message to gRPC).
        grpc::Slice empty("");
        *methods->GetSerializedSendMessage() = grpc::ByteBuffer(&empty, 1);
      }
      if (sends_status) methods->ModifySendStatus(*refusal_);
    }
    methods->Proceed();
  }

 private:
  void Decide() {
    if (decided_) return;
    decided_ = true;
    absl::StatusOr<Admission> admitted =
        AuthorizeCall(authorizer_, *info_->server_context(), info_->method());
    if (!admitted.ok()) refusal_ = ToGrpcStatus(admitted.status());
  }

  Authorizer* const authorizer_;
  grpc::experimental::ServerRpcInfo* const info_;
  bool decided_ = false;
  std::optional<grpc::Status> refusal_;
};

class ChannelzGuardFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ChannelzGuardFactory(Authorizer* authorizer)
      : authorizer_(authorizer) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (!absl::StartsWith(info->method(), "/grpc.channelz.v1.Channelz/")) {
      return nullptr;
    }
    return new ChannelzGuard(authorizer_, info);
  }

 private:
  Authorizer* const authorizer_;
};

}  // namespace

void GuardChannelz(Authorizer* authorizer, grpc::ServerBuilder& builder) {
  if (authorizer == nullptr) return;
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      factories;
  factories.push_back(std::make_unique<ChannelzGuardFactory>(authorizer));
  builder.experimental().SetInterceptorCreators(std::move(factories));
}

}  // namespace newsevents
