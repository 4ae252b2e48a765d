#include "ingest_service/ingest_server.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/rpc_auth.h"
#include "common/status_macros.h"

namespace newsevents::ingest {
namespace {

// The token in `path`, re-read at each call; the last good one (or "") when
// a re-read fails, which is logged.
std::function<std::string()> TokenSource(const std::string& path,
                                         std::string first) {
  auto last = std::make_shared<std::string>(std::move(first));
  return [path, last] {
    absl::StatusOr<std::string> token = ReadTokenFile(path);
    if (token.ok()) {
      *last = *std::move(token);
    } else {
      LogError("ingest_service",
               "--query_token_file: %s; keeping the last "
               "token",
               token.status().message());
    }
    return *last;
  };
}

}  // namespace

IngestServer::~IngestServer() { Shutdown(absl::Seconds(5)); }

absl::Status IngestServer::Init(const IngestServerOptions& options) {
  options_ = options;
  const gazetteer::Gazetteer* places = options.gazetteer;
  if (places == nullptr) {
    NE_ASSIGN_OR_RETURN(owned_gazetteer_, gazetteer::Gazetteer::LoadEmbedded());
    places = owned_gazetteer_.get();
  }
  extract::ExtractorOptions extractor_options;
  extractor_options.max_article_bytes = options.max_article_bytes;
  NE_ASSIGN_OR_RETURN(extractor_,
                      extract::Extractor::Create(places, extractor_options));

  std::error_code ignored;
  std::filesystem::create_directories(options.data_dir, ignored);
  outbox::OutboxOptions outbox_options;
  outbox_options.path = options.data_dir;
  NE_ASSIGN_OR_RETURN(outbox_, outbox::Outbox::Open(outbox_options));

  NE_ASSIGN_OR_RETURN(authorizer_, Authorizer::Create(options.auth));
  outbox::ForwarderOptions forwarder_options;
  forwarder_options.peer_address = options.query_address;
  forwarder_options.credentials = options.query_credentials;
  if (!options.query_token_file.empty()) {
    absl::StatusOr<std::string> token = ReadTokenFile(options.query_token_file);
    if (!token.ok()) {
      return absl::Status(
          token.status().code(),
          absl::StrCat("--query_token_file=", token.status().message()));
    }
    forwarder_options.bearer_token =
        TokenSource(options.query_token_file, *std::move(token));
  }
  NE_ASSIGN_OR_RETURN(
      forwarder_, outbox::Forwarder::Create(outbox_.get(), forwarder_options));
  forwarder_->Start();

  handler_ = std::make_unique<IngestHandler>(extractor_.get(), outbox_.get(),
                                             options.max_record_bytes);
  pool_ = std::make_unique<WorkerPool>(options.worker_threads,
                                       options.max_queued_requests);
  service_ = std::make_unique<IngestGrpcService>(
      handler_.get(), pool_.get(),
      [forwarder = forwarder_.get()](
          newsevents::v1::GetDeliveryStatusResponse* response) {
        forwarder->FillStatus(response);
      },
      authorizer_.get());

  EnableStandardServices();
  grpc::ServerBuilder builder;
  ConfigureBuilder(options.limits, builder);
  GuardChannelz(authorizer_.get(), builder);
  builder.RegisterService(service_.get());
  NE_ASSIGN_OR_RETURN(server_, BuildAndStart(builder, options.listen_address,
                                             &port_, options.credentials));
  SetServing(*server_, {kIngestServiceName}, true);
  LogInfo("ingest_service", "listening on %s:%d, data in %s, forwarding to %s",
          HostOf(options.listen_address), port_, options.data_dir,
          options.query_address);
  LogInfo("ingest_service", "access: %s", authorizer_->Describe());
  return absl::OkStatus();
}

absl::Status IngestServer::ReloadTokens() {
  return authorizer_ != nullptr ? authorizer_->Reload() : absl::OkStatus();
}

void IngestServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  absl::Time deadline = absl::Now() + grace;
  if (server_ != nullptr) {
    SetServing(*server_, {kIngestServiceName}, false);
    absl::SleepFor(std::min(options_.drain_period, grace / 4));
    server_->Shutdown(absl::ToChronoTime(deadline));
    server_->Wait();
  }
  pool_.reset();  // runs what was accepted before the server stopped
  if (forwarder_ != nullptr) forwarder_->Shutdown(deadline);
  forwarder_.reset();
  outbox_.reset();
  authorizer_.reset();  // after every call that may hold a stream slot
  LogInfo("ingest_service", "stopped");
}

}  // namespace newsevents::ingest
