#ifndef NEWSEVENTS_COMMON_SERVER_SUPPORT_H_
#define NEWSEVENTS_COMMON_SERVER_SUPPORT_H_

// What both newsevents servers configure the same way: gRPC limits and
// keepalive policy, health and reflection, the ready line tests and scripts
// wait for, and termination-signal handling.
//
// Limits and keepalive (documented in docs/api.md):
//   - max receive message size: ServerLimits::max_receive_message_bytes
//     (default 16 MiB); send is unlimited;
//   - clients may ping every 10 s, even without calls in flight;
//   - the server pings idle connections every 60 s and drops a peer that
//     does not answer within 20 s.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace newsevents {

struct ServerLimits {
  int max_receive_message_bytes = 16 << 20;
  int max_concurrent_streams = 256;
};

// Must be called before any grpc::ServerBuilder is built: turns on the
// standard grpc.health.v1 service and reflection (with the health and
// google.rpc descriptors linked in, so reflection clients can describe
// grpc.health.v1.Health and decode error details) and channelz.
void EnableStandardServices();

// Applies limits and keepalive policy to `builder`.
void ConfigureBuilder(const ServerLimits& limits, grpc::ServerBuilder& builder);

// Builds and starts a server listening on `address` ("host:port"; port 0
// picks a free port) with `credentials` (from common/tls.h; null means
// plaintext). Returns the server and writes the bound port to `bound_port`.
// UNAVAILABLE if the address cannot be bound.
absl::StatusOr<std::unique_ptr<grpc::Server>> BuildAndStart(
    grpc::ServerBuilder& builder, const std::string& address, int* bound_port,
    std::shared_ptr<grpc::ServerCredentials> credentials = nullptr);

// Marks every service in `service_names` and the overall service ("") as
// SERVING or NOT_SERVING.
void SetServing(grpc::Server& server,
                const std::vector<std::string>& service_names, bool serving);

// Prints "<program> listening on <host>:<port>" on stdout and flushes: the
// line the demo script and the end-to-end tests wait for.
void AnnounceListening(absl::string_view program, absl::string_view host,
                       int port);

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread and every thread
// it starts afterwards, so that WaitForTerminationSignal() alone receives
// them. Call first thing in main().
void BlockTerminationSignals();

// Waits for SIGINT or SIGTERM (blocked by BlockTerminationSignals) and
// returns its number. Each SIGHUP meanwhile calls `on_hangup` (when set; the
// services reload their token file) and the wait goes on.
int WaitForTerminationSignal(const std::function<void()>& on_hangup = {});

// The host part of "host:port" (brackets kept for IPv6).
std::string HostOf(absl::string_view address);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_SERVER_SUPPORT_H_
