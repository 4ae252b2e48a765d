#ifndef NEWSEVENTS_QUERY_SERVICE_QUERY_SERVER_H_
#define NEWSEVENTS_QUERY_SERVICE_QUERY_SERVER_H_

// The query service process: owns the store-backed QueryHandler, the worker
// pool, the QueryService and EventSinkService adapters and two gRPC servers:
//  - the public one (listen_address): QueryService, health, reflection,
//    channelz. It never registers EventSinkService, so the sink is
//    UNIMPLEMENTED there and reflection does not list it;
//  - the internal one (internal_listen_address): EventSinkService (the ingest
//    service's delivery stream) with health and reflection, nothing public.
//    Without transport security it must bind a loopback address (127.0.0.0/8,
//    ::1, localhost, unix:) unless allow_non_loopback_internal_listen is set,
//    which is logged as a warning at every start.
//
//   QueryServer server;
//   NE_RETURN_IF_ERROR(server.Init(options));   // listening when OK
//   ... WaitForTerminationSignal() ...
//   server.Shutdown(absl::Seconds(10));
//
// Health: SERVING while the store is usable; a monitor thread turns it
// NOT_SERVING when the store reports a failure and back when it recovers,
// and Shutdown turns it NOT_SERVING first. Shutdown then ends watch and sink
// streams at a batch boundary and stops gRPC with a deadline. The sink only
// acknowledges what is durably stored, so a stop at any point loses nothing.
//
// Access: both servers share one Authorizer (common/auth.h) built from
// options.auth: QueryService needs scope read, EventSinkService ingest,
// health and reflection stay open; limits count a client's calls on both.
//
// Thread-safety: Init, then Shutdown, from one thread; port() and
// ReloadTokens() from any.

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/server_support.h"
#include "common/worker_pool.h"
#include "query_service/query_grpc_service.h"
#include "query_service/sink/event_sink_service.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {

struct QueryServerOptions {
  // Address to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:50052";
  // Address of the internal listener (EventSinkService only); port 0 picks
  // a free port (see internal_port()).
  std::string internal_listen_address = "127.0.0.1:50053";
  // Lets the insecure internal listener bind a non-loopback address.
  bool allow_non_loopback_internal_listen = false;
  // Directory of the event store (created if missing).
  std::string data_dir = ".data/query";
  // Threads answering queries; requests beyond max_queued_requests waiting
  // for them are refused with RESOURCE_EXHAUSTED.
  int worker_threads = 2;
  size_t max_queued_requests = 1024;
  // How long health reports NOT_SERVING before the server stops accepting.
  absl::Duration drain_period = absl::Milliseconds(200);
  // How often the store's health is checked.
  absl::Duration health_check_interval = absl::Milliseconds(500);
  ServerLimits limits;
  // Transport credentials of the listener (common/tls.h builds them from
  // --tls_cert/--tls_key/--tls_client_ca); null means plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Transport credentials of the internal listener; null means plaintext
  // (then loopback only, see allow_non_loopback_internal_listen). With TLS
  // on, query_service's main builds them to require client certificates.
  std::shared_ptr<grpc::ServerCredentials> internal_credentials;
  // When a WatchEvents stream whose client stopped reading is ended.
  WatchOptions watch;
  // Tokens and per-client limits (--auth_tokens_file, ...); the default
  // allows every call without limits.
  AuthOptions auth;
};

class QueryServer {
 public:
  QueryServer() = default;
  ~QueryServer();

  // Opens the store and starts both gRPC servers. Errors: the store's (e.g.
  // FAILED_PRECONDITION for an unusable data_dir), INVALID_ARGUMENT for a
  // non-loopback internal address without the override, UNAVAILABLE when an
  // address cannot be bound.
  absl::Status Init(const QueryServerOptions& options);

  int port() const { return port_; }
  int internal_port() const { return internal_port_; }

  // Re-reads the token file (on SIGHUP); see Authorizer::Reload. OK without
  // one.
  absl::Status ReloadTokens();

  // Stops gracefully within `grace`; idempotent.
  void Shutdown(absl::Duration grace);

 private:
  void MonitorHealth();
  // Marks the public and the internal server's services SERVING or not.
  void SetAllServing(bool serving);
  // Starts internal_server_ (EventSinkService only).
  absl::Status StartInternalServer();

  QueryServerOptions options_;
  std::unique_ptr<QueryHandler> handler_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<QueryGrpcService> query_service_;
  std::unique_ptr<EventSinkServiceImpl> sink_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> internal_server_;
  absl::Notification stop_monitor_;
  std::thread monitor_;
  int port_ = 0;
  int internal_port_ = 0;
  bool shut_down_ = false;
};

// Service names reported by the health service.
inline constexpr char kQueryServiceName[] = "newsevents.v1.QueryService";
inline constexpr char kEventSinkServiceName[] =
    "newsevents.v1.EventSinkService";

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_QUERY_SERVER_H_
