// query_service: stores, indexes and serves the events that ingest_service
// forwards.
//
//   query_service [--listen=127.0.0.1:50052]
//   [--internal_listen=127.0.0.1:50053]
//                 [--data_dir=.data/query]
//                 [--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]
//                  [--internal_tls_client_ca=PEM]] [--tls_refresh_seconds=10]
//                 [--auth_tokens_file=FILE [--auth_refresh_seconds=5]]
//                 [--rate_limit_per_client=N [--rate_limit_burst=N]]
//                 [--max_streams_per_client=N] [--watch_stall_seconds=30]
//
// Prints "query_service listening on <host>:<port>" (the public listener),
// then "query_service internal listening on <host>:<port>" (EventSinkService,
// where ingest_service's --query_address must point). With TLS on, the
// internal listener always requires client certificates (mTLS). With
// --auth_tokens_file, QueryService calls need a token with scope read and
// EventSinkService calls one with scope ingest; SIGHUP re-reads the file.
#include <algorithm>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/auth_flags.h"
#include "common/logging.h"
#include "common/server_support.h"
#include "common/tls_flags.h"
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
ABSL_FLAG(std::string, internal_tls_client_ca, "",
          "with TLS on: PEM CA bundle the internal listener's clients (the "
          "ingest services) must present certificates from; defaults to "
          "--tls_client_ca; one of the two is required with TLS");
ABSL_FLAG(std::string, data_dir, ".data/query", "directory of the event store");
ABSL_FLAG(int, workers, 2, "threads answering queries");
ABSL_FLAG(int, watch_stall_seconds, 30,
          "a WatchEvents stream whose client reads nothing for this long is "
          "ended with RESOURCE_EXHAUSTED and a cursor to resume from, and "
          "cancelled if it still reads nothing as long again");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "how long in-flight calls may run at shutdown");

namespace {

// With TLS on, the internal listener requires client certificates, from
// --internal_tls_client_ca or else --tls_client_ca; without TLS it stays
// plaintext (and loopback-only, see QueryServer::Init).
absl::Status SetInternalCredentials(
    newsevents::ServerTlsFiles tls,
    newsevents::query::QueryServerOptions* options) {
  if (tls.cert.empty()) return absl::OkStatus();
  const std::string internal_ca = absl::GetFlag(FLAGS_internal_tls_client_ca);
  if (!internal_ca.empty()) tls.client_ca = internal_ca;
  if (tls.client_ca.empty()) {
    return absl::InvalidArgumentError(
        "--internal_tls_client_ca (or --tls_client_ca) is required with TLS: "
        "the internal listener accepts only clients with certificates");
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      newsevents::ServerCredentialsFromFiles(tls);
  if (!credentials.ok()) return credentials.status();
  options->internal_credentials = *credentials;
  return absl::OkStatus();
}

}  // namespace

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
  options.watch.stall_limit =
      absl::Seconds(std::max(1, absl::GetFlag(FLAGS_watch_stall_seconds)));
  options.watch.finish_grace = options.watch.stall_limit;
  options.auth = newsevents::AuthOptionsFromFlags("query_service");
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
  absl::Status internal = SetInternalCredentials(tls, &options);
  if (!internal.ok()) {
    newsevents::LogError("query_service", "cannot start: %s",
                         internal.ToString());
    return 1;
  }

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
  int signal_number = newsevents::WaitForTerminationSignal([&server] {
    newsevents::LogInfo("query_service", "SIGHUP: reloading tokens");
    (void)server.ReloadTokens();  // logged either way
  });
  newsevents::LogInfo("query_service", "signal %d: shutting down",
                      signal_number);
  server.Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
