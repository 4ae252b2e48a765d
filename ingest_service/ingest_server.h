#ifndef NEWSEVENTS_INGEST_SERVICE_INGEST_SERVER_H_
#define NEWSEVENTS_INGEST_SERVICE_INGEST_SERVER_H_

// The ingest service process: owns the gazetteer, extractor, outbox,
// forwarder, worker pool and gRPC server, and their lifecycle.
//
//   IngestServer server;
//   NE_RETURN_IF_ERROR(server.Init(options));   // listening when OK
//   ... WaitForTerminationSignal() ...
//   server.Shutdown(absl::Seconds(10));          // drain, then stop
//
// Shutdown order: health NOT_SERVING; a short drain so load balancers stop
// routing; gRPC Shutdown with a deadline (in-flight RPCs finish or are
// cancelled at it); the worker pool drains; the forwarder finishes its
// stream at a batch boundary; the outbox closes. Everything acknowledged to
// a client is already on disk, so nothing accepted is lost.
//
// Access: an Authorizer (common/auth.h) built from options.auth admits every
// IngestService call (scope ingest; GetDeliveryStatus admin); health and
// reflection stay open. With query_token_file, the delivery stream presents
// that file's token to query_service, re-read at every (re)connection.
//
// Thread-safety: Init, then Shutdown, from one thread; port() and
// ReloadTokens() from any.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/server_support.h"
#include "common/worker_pool.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "ingest_service/ingest_grpc_service.h"
#include "ingest_service/ingest_handler.h"
#include "ingest_service/outbox/forwarder.h"
#include "ingest_service/outbox/outbox.h"

namespace newsevents::ingest {

struct IngestServerOptions {
  // Address to listen on; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:50051";
  // Directory of the outbox database (created if missing).
  std::string data_dir = ".data/ingest";
  // Address of the query service's EventSinkService: its internal
  // listener (query_service --internal_listen).
  std::string query_address = "127.0.0.1:50053";
  // Articles larger than this are refused with RESOURCE_EXHAUSTED.
  size_t max_article_bytes = 4 << 20;
  // Articles whose record (article plus events) is larger than this are
  // refused with RESOURCE_EXHAUSTED: it must fit in one message to the query
  // service (see IngestHandler).
  size_t max_record_bytes = IngestHandler::kDefaultMaxRecordBytes;
  // Threads parsing and writing; requests beyond max_queued_requests waiting
  // for them are refused with RESOURCE_EXHAUSTED.
  int worker_threads = 2;
  size_t max_queued_requests = 1024;
  // How long health reports NOT_SERVING before the server stops accepting.
  absl::Duration drain_period = absl::Milliseconds(200);
  ServerLimits limits;
  // Transport credentials of the listener (common/tls.h builds them from
  // --tls_cert/--tls_key/--tls_client_ca); null means plaintext.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Credentials of the channel to query_address (common/tls.h, from
  // --query_tls_ca/--query_tls_cert/--query_tls_key); null means plaintext.
  std::shared_ptr<grpc::ChannelCredentials> query_credentials;
  // File holding the token presented to query_service (its
  // --auth_tokens_file must give it scope ingest); empty: none. Init fails
  // when it cannot be read; later a failed re-read keeps the last token.
  std::string query_token_file;
  // Tokens and per-client limits of this service's callers.
  AuthOptions auth;
  // Optional: a gazetteer owned by the caller (tests share one); loaded
  // from the embedded copy when null.
  const gazetteer::Gazetteer* gazetteer = nullptr;
};

class IngestServer {
 public:
  IngestServer() = default;
  ~IngestServer();

  // Opens the outbox, starts the forwarder and the gRPC server. Errors:
  // the outbox's (e.g. FAILED_PRECONDITION for an unusable data_dir),
  // UNAVAILABLE when the address cannot be bound.
  absl::Status Init(const IngestServerOptions& options);

  // The bound port (after a successful Init).
  int port() const { return port_; }

  // Re-reads the token file (on SIGHUP); see Authorizer::Reload. OK without
  // one.
  absl::Status ReloadTokens();

  // Stops gracefully within `grace`; idempotent.
  void Shutdown(absl::Duration grace);

 private:
  IngestServerOptions options_;
  std::unique_ptr<gazetteer::Gazetteer> owned_gazetteer_;
  std::unique_ptr<extract::Extractor> extractor_;
  std::unique_ptr<outbox::Outbox> outbox_;
  std::unique_ptr<outbox::Forwarder> forwarder_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<IngestHandler> handler_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<IngestGrpcService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

// Service names reported by the health service.
inline constexpr char kIngestServiceName[] = "newsevents.v1.IngestService";

}  // namespace newsevents::ingest

#endif  // NEWSEVENTS_INGEST_SERVICE_INGEST_SERVER_H_
