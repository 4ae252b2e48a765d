#include "ingest_service/ingest_server.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace newsevents::ingest {

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

  outbox::ForwarderOptions forwarder_options;
  forwarder_options.peer_address = options.query_address;
  forwarder_options.credentials = options.query_credentials;
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
      });

  EnableStandardServices();
  grpc::ServerBuilder builder;
  ConfigureBuilder(options.limits, builder);
  builder.RegisterService(service_.get());
  NE_ASSIGN_OR_RETURN(server_, BuildAndStart(builder, options.listen_address,
                                             &port_, options.credentials));
  SetServing(*server_, {kIngestServiceName}, true);
  LogInfo("ingest_service", "listening on %s:%d, data in %s, forwarding to %s",
          HostOf(options.listen_address), port_, options.data_dir,
          options.query_address);
  return absl::OkStatus();
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
  LogInfo("ingest_service", "stopped");
}

}  // namespace newsevents::ingest
