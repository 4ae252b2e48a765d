#include "common/server_support.h"

#include <grpcpp/ext/channelz_service_plugin.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.pb.h"

namespace newsevents {

void EnableStandardServices() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::channelz::experimental::InitChannelzService();
  // The C++ health service is not built from descriptors. Calling the
  // generated descriptor() accessors (defined out of line, so neither the
  // call nor the object file can be dropped) links grpc/health/v1/health.proto
  // and the google.rpc detail types into the generated pool, which is what
  // reflection serves: clients can then describe grpc.health.v1.Health and
  // decode error details. Taking default_instance() is not enough; the
  // optimizer removes it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  (void)google::rpc::Status::descriptor();
  (void)google::rpc::BadRequest::descriptor();
}

void ConfigureBuilder(const ServerLimits& limits,
                      grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(limits.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             limits.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
}

absl::StatusOr<std::unique_ptr<grpc::Server>> BuildAndStart(
    grpc::ServerBuilder& builder, const std::string& address, int* bound_port,
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  *bound_port = 0;
  if (credentials == nullptr) credentials = grpc::InsecureServerCredentials();
  builder.AddListeningPort(address, std::move(credentials), bound_port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *bound_port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  return server;
}

void SetServing(grpc::Server& server,
                const std::vector<std::string>& service_names, bool serving) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(serving);
  for (const std::string& name : service_names)
    health->SetServingStatus(name, serving);
}

void AnnounceListening(absl::string_view program, absl::string_view host,
                       int port) {
  std::string line =
      absl::StrCat(program, " listening on ", host, ":", port, "\n");
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

namespace {
sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A closed stdout (e.g. the demo's pipe ending) must not kill the server.
  signal(SIGPIPE, SIG_IGN);
}

int WaitForTerminationSignal(const std::function<void()>& on_hangup) {
  sigset_t signals = TerminationSignals();
  while (true) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received != SIGHUP) return received;
    if (on_hangup) on_hangup();
  }
}

std::string HostOf(absl::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return std::string(address);
  return std::string(address.substr(0, colon));
}

}  // namespace newsevents
