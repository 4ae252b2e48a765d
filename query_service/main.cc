// query_service: stores, indexes and serves the events that ingest_service
// forwards.
//
//   query_service [--listen=127.0.0.1:50052] [--data_dir=.data/query]
//                 [--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]]
//                 [--tls_refresh_seconds=10]
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/logging.h"
#include "common/server_support.h"
#include "common/tls_flags.h"
#include "query_service/query_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50052",
          "address to serve QueryService and EventSinkService on");
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
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.worker_threads = absl::GetFlag(FLAGS_workers);
  const newsevents::ServerTlsFiles tls = newsevents::ServerTlsFilesFromFlags();
  auto credentials = newsevents::ServerCredentialsFromFiles(tls);
  if (!credentials.ok()) {
    newsevents::LogError("query_service", "cannot start: %s",
                         credentials.status().ToString());
    return 1;
  }
  options.credentials = *credentials;
  newsevents::LogInfo("query_service", "transport: %s",
                      newsevents::DescribeTls(tls));

  newsevents::query::QueryServer server;
  if (absl::Status status = server.Init(options); !status.ok()) {
    newsevents::LogError("query_service", "cannot start: %s",
                         status.ToString());
    return 1;
  }
  newsevents::AnnounceListening("query_service",
                                newsevents::HostOf(options.listen_address),
                                server.port());
  int signal_number = newsevents::WaitForTerminationSignal();
  newsevents::LogInfo("query_service", "signal %d: shutting down",
                      signal_number);
  server.Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
