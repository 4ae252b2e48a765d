#include "query_service/query_server.h"

#include <filesystem>

#include "common/logging.h"
#include "common/rpc_auth.h"
#include "common/status_macros.h"
#include "query_service/internal_listen.h"

namespace newsevents::query {

QueryServer::~QueryServer() { Shutdown(absl::Seconds(5)); }

absl::Status QueryServer::Init(const QueryServerOptions& options) {
  options_ = options;
  // A plaintext internal listener stays on loopback unless told otherwise;
  // with credentials (mTLS) it may bind anywhere.
  if (options.internal_credentials == nullptr) {
    NE_RETURN_IF_ERROR(
        CheckInternalListenAddress(options.internal_listen_address,
                                   options.allow_non_loopback_internal_listen));
  }
  std::error_code ignored;
  std::filesystem::create_directories(options.data_dir, ignored);
  QueryHandlerOptions handler_options;
  handler_options.data_dir = options.data_dir;
  NE_ASSIGN_OR_RETURN(handler_, QueryHandler::Create(handler_options));
  NE_ASSIGN_OR_RETURN(authorizer_, Authorizer::Create(options.auth));

  pool_ = std::make_unique<WorkerPool>(options.worker_threads,
                                       options.max_queued_requests);
  query_service_ = std::make_unique<QueryGrpcService>(
      handler_.get(), pool_.get(), authorizer_.get(), options.watch);
  SinkOptions sink_options;
  sink_options.authorizer = authorizer_.get();
  sink_service_ =
      std::make_unique<EventSinkServiceImpl>(handler_.get(), sink_options);

  EnableStandardServices();
  // The public server: never the sink (see query_server.h).
  grpc::ServerBuilder builder;
  ConfigureBuilder(options.limits, builder);
  GuardChannelz(authorizer_.get(), builder);
  builder.RegisterService(query_service_.get());
  NE_ASSIGN_OR_RETURN(server_, BuildAndStart(builder, options.listen_address,
                                             &port_, options.credentials));
  NE_RETURN_IF_ERROR(StartInternalServer());
  SetAllServing(handler_->Healthy());
  monitor_ = std::thread([this] { MonitorHealth(); });
  LogInfo("query_service", "listening on %s:%d, internal on %s:%d, data in %s",
          HostOf(options.listen_address), port_,
          HostOf(options.internal_listen_address), internal_port_,
          options.data_dir);
  LogInfo("query_service", "access: %s", authorizer_->Describe());
  return absl::OkStatus();
}

absl::Status QueryServer::StartInternalServer() {
  if (options_.internal_credentials == nullptr &&
      !IsLoopbackAddress(options_.internal_listen_address)) {
    LogWarning("query_service",
               "INSECURE: the internal listener %s is not on loopback and has "
               "no transport security: anyone who reaches it can write "
               "events (--allow_insecure_internal_listen_on_non_loopback)",
               options_.internal_listen_address);
  }
  grpc::ServerBuilder builder;
  ConfigureBuilder(options_.limits, builder);
  GuardChannelz(authorizer_.get(), builder);
  builder.RegisterService(sink_service_.get());
  NE_ASSIGN_OR_RETURN(
      internal_server_,
      BuildAndStart(builder, options_.internal_listen_address, &internal_port_,
                    options_.internal_credentials));
  return absl::OkStatus();
}

void QueryServer::SetAllServing(bool serving) {
  if (server_ != nullptr) SetServing(*server_, {kQueryServiceName}, serving);
  if (internal_server_ != nullptr)
    SetServing(*internal_server_, {kEventSinkServiceName}, serving);
}

void QueryServer::MonitorHealth() {
  bool serving = handler_->Healthy();
  while (!stop_monitor_.WaitForNotificationWithTimeout(
      options_.health_check_interval)) {
    bool healthy = handler_->Healthy();
    if (healthy == serving) continue;
    serving = healthy;
    SetAllServing(serving);
    if (serving) {
      LogInfo("query_service", "store usable again: SERVING");
    } else {
      LogError("query_service", "store unusable: NOT_SERVING");
    }
  }
}

absl::Status QueryServer::ReloadTokens() {
  return authorizer_ != nullptr ? authorizer_->Reload() : absl::OkStatus();
}

void QueryServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  if (monitor_.joinable()) {
    stop_monitor_.Notify();
    monitor_.join();
  }
  if (server_ != nullptr) {
    absl::Time deadline = absl::Now() + grace;
    SetAllServing(false);
    absl::SleepFor(std::min(options_.drain_period, grace / 4));
    query_service_->BeginShutdown();
    sink_service_->BeginShutdown();
    // Both servers drain at once, against the same deadline.
    if (internal_server_ != nullptr)
      internal_server_->Shutdown(absl::ToChronoTime(deadline));
    server_->Shutdown(absl::ToChronoTime(deadline));
    if (internal_server_ != nullptr) internal_server_->Wait();
    server_->Wait();
  }
  pool_.reset();
  sink_service_.reset();
  handler_.reset();
  authorizer_.reset();  // after every call that may hold a stream slot
  LogInfo("query_service", "stopped");
}

}  // namespace newsevents::query
