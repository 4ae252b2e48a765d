// ingest_service: parses news articles into event records, keeps them in a
// durable outbox and forwards them to query_service.
//
//   ingest_service [--listen=127.0.0.1:50051] [--data_dir=.data/ingest]
//                  [--query_address=127.0.0.1:50053] [--max_article_bytes=N]
//                  [--max_record_bytes=N]
//                  [--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]]
//                  [--query_tls_ca=PEM [--query_tls_cert=PEM
//                   --query_tls_key=PEM]] [--tls_refresh_seconds=10]
//                  [--query_token_file=FILE]
//                  [--auth_tokens_file=FILE [--auth_refresh_seconds=5]]
//                  [--rate_limit_per_client=N [--rate_limit_burst=N]]
//                  [--max_streams_per_client=N]
//   ingest_service parse FILE...   # print each file's events as JSON lines
#include <cstring>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "common/auth_flags.h"
#include "common/logging.h"
#include "common/server_support.h"
#include "common/tls_flags.h"
#include "ingest_service/extract/parse_command.h"
#include "ingest_service/ingest_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "address to serve IngestService on");
ABSL_FLAG(std::string, data_dir, ".data/ingest",
          "directory of the outbox database");
ABSL_FLAG(std::string, query_address, "127.0.0.1:50053",
          "query_service's internal listener (its --internal_listen), "
          "where EventSinkService is served");
ABSL_FLAG(int64_t, max_article_bytes, 4 << 20,
          "largest article accepted, in bytes");
ABSL_FLAG(int64_t, max_record_bytes,
          newsevents::ingest::IngestHandler::kDefaultMaxRecordBytes,
          "largest record (article plus its events) accepted, in bytes; must "
          "stay below query_service's message size limit");
ABSL_FLAG(std::string, query_tls_ca, "",
          "PEM CA bundle query_service's certificate must chain to; turns on "
          "TLS to query_service (default: plaintext)");
ABSL_FLAG(std::string, query_tls_cert, "",
          "PEM client certificate presented to query_service (mTLS)");
ABSL_FLAG(std::string, query_tls_key, "",
          "PEM private key of --query_tls_cert");
ABSL_FLAG(std::string, query_token_file, "",
          "file holding the bearer token presented to query_service's "
          "internal listener (scope ingest in its --auth_tokens_file); "
          "re-read at every reconnection");
ABSL_FLAG(int, workers, 2, "threads parsing and writing articles");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "how long in-flight calls may run at shutdown");

namespace {

// The listener's and the query channel's credentials, from the TLS flags.
absl::Status SetCredentials(newsevents::ingest::IngestServerOptions& options) {
  const newsevents::ServerTlsFiles tls = newsevents::ServerTlsFilesFromFlags();
  auto server_credentials = newsevents::ServerCredentialsFromFiles(tls);
  if (!server_credentials.ok()) return server_credentials.status();
  options.credentials = *server_credentials;

  newsevents::ChannelTlsFiles query_tls;
  query_tls.ca = absl::GetFlag(FLAGS_query_tls_ca);
  query_tls.cert = absl::GetFlag(FLAGS_query_tls_cert);
  query_tls.key = absl::GetFlag(FLAGS_query_tls_key);
  query_tls.refresh_seconds = newsevents::TlsRefreshSecondsFromFlags();
  query_tls.flag_prefix = "--query_tls_";
  auto query_credentials = newsevents::ChannelCredentialsFromFiles(query_tls);
  if (!query_credentials.ok()) return query_credentials.status();
  options.query_credentials = *query_credentials;
  newsevents::LogInfo("ingest_service", "transport: %s; to query_service: %s",
                      newsevents::DescribeTls(tls),
                      newsevents::DescribeTls(query_tls));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "parse") == 0) {
    return newsevents::extract::RunParseCommand(argc - 2, argv + 2);
  }
  newsevents::BlockTerminationSignals();
  absl::SetProgramUsageMessage(
      "ingest_service [flags]  |  ingest_service parse FILE...");
  absl::ParseCommandLine(argc, argv);

  newsevents::ingest::IngestServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.query_address = absl::GetFlag(FLAGS_query_address);
  options.max_article_bytes = absl::GetFlag(FLAGS_max_article_bytes);
  options.max_record_bytes = absl::GetFlag(FLAGS_max_record_bytes);
  options.worker_threads = absl::GetFlag(FLAGS_workers);
  options.query_token_file = absl::GetFlag(FLAGS_query_token_file);
  options.auth = newsevents::AuthOptionsFromFlags("ingest_service");
  if (absl::Status status = SetCredentials(options); !status.ok()) {
    newsevents::LogError("ingest_service", "cannot start: %s",
                         status.ToString());
    return 1;
  }

  newsevents::ingest::IngestServer server;
  if (absl::Status status = server.Init(options); !status.ok()) {
    newsevents::LogError("ingest_service", "cannot start: %s",
                         status.ToString());
    return 1;
  }
  newsevents::AnnounceListening("ingest_service",
                                newsevents::HostOf(options.listen_address),
                                server.port());
  int signal_number = newsevents::WaitForTerminationSignal([&server] {
    newsevents::LogInfo("ingest_service", "SIGHUP: reloading tokens");
    (void)server.ReloadTokens();  // logged either way
  });
  newsevents::LogInfo("ingest_service", "signal %d: shutting down",
                      signal_number);
  server.Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  return 0;
}
