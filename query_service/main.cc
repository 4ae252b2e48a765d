// query_service: stores, indexes and serves the events that ingest_service
// forwards.
//
//   query_service [--listen=127.0.0.1:50052]
//   [--internal_listen=127.0.0.1:50053]
//                 [--data_dir=.data/query]
//
// Prints "query_service listening on <host>:<port>" (the public listener),
// then "query_service internal listener on <host>:<port>" (EventSinkService,
// where ingest_service's --query_address must point).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/logging.h"
#include "common/server_support.h"
#include "query_service/query_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "address to serve QueryService on (public; never EventSinkService)");
ABSL_FLAG(std::string, internal_listen, "127.0.0.1:50053",
          "address to serve EventSinkService on (internal: the ingest "
          "service's delivery stream); loopback only unless "
          "--allow_insecure_internal_listen_on_non_loopback");
ABSL_FLAG(bool, allow_insecure_internal_listen_on_non_loopback, false,
          "let --internal_listen bind a non-loopback address without "
          "transport security: anyone who reaches it can write events");
ABSL_FLAG(std::string, data_dir, ".data/query", "directory of the event store");
ABSL_FLAG(int, workers, 2, "threads answering queries");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "how long in-flight calls may run at shutdown");

int main(int argc, char** argv) {
  newsevents::BlockTerminationSignals();
  absl::SetProgramUsageMessage("query_service [flags]");
  absl::ParseCommandLine(argc, argv);

  newsevents::query::QueryServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.internal_listen_address = absl::GetFlag(FLAGS_internal_listen);
  options.allow_non_loopback_internal_listen =
      absl::GetFlag(FLAGS_allow_insecure_internal_listen_on_non_loopback);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.worker_threads = absl::GetFlag(FLAGS_workers);

  newsevents::query::QueryServer server;
  if (absl::Status status = server.Init(options); !status.ok()) {
    newsevents::LogError("query_service", "cannot start: %s",
                         status.ToString());
    return 1;
  }
  newsevents::AnnounceListening("query_service",
                                newsevents::HostOf(options.listen_address),
                                server.port());
  newsevents::AnnounceListening(
      "query_service internal",
      newsevents::HostOf(options.internal_listen_address),
      server.internal_port());
  int signal_number = newsevents::WaitForTerminationSignal();
  newsevents::LogInfo("query_service", "signal %d: shutting down",
                      signal_number);
  server.Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
