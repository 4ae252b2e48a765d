#ifndef NEWSEVENTS_TESTING_RUNNING_SERVICES_H_
#define NEWSEVENTS_TESTING_RUNNING_SERVICES_H_

// Both newsevents services started as real processes on port 0, each with a
// fresh data directory, plus gRPC channels to them. The fixture for
// end-to-end, reflection and health tests.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "newsevents/v1/ingest_service.pb.h"
#include "testing/subprocess.h"

namespace newsevents::testing {

class RunningServices {
 public:
  // Starts query_service, then ingest_service pointed at it. `name` keeps
  // the data directories of concurrently running tests apart.
  absl::Status Start(const std::string& name);
  // The same, with extra command-line flags for ingest_service.
  absl::Status Start(const std::string& name,
                     const std::vector<std::string>& ingest_flags);

  // (Re)starts only query_service on `query_port` (0 = any) with its data
  // directory kept, e.g. after killing it. Its internal listener
  // (EventSinkService) gets a free port on the first start and keeps that
  // port on a restart (query_port != 0), so a running ingest service finds
  // it again.
  absl::Status StartQuery(int query_port = 0);
  // The same, run through `launcher`: its words come before the query
  // service's command line, e.g. a shell that sets resource limits and then
  // execs "$0" "$@". The launcher must exec the service (same stdout).
  absl::Status StartQuery(int query_port,
                          const std::vector<std::string>& launcher);
  absl::Status StartIngest();
  absl::Status StartIngest(const std::vector<std::string>& extra_flags);

  // TLS (tls_end_to_end_test): flags added to every query_service start,
  // e.g. --tls_cert/--tls_key/--tls_client_ca, and the credentials of
  // IngestChannel(), QueryChannel() and DeliveryStatus() (plaintext when
  // null). Set them before Start.
  void set_query_flags(std::vector<std::string> flags) {
    query_flags_ = std::move(flags);
  }
  void set_channel_credentials(
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    channel_credentials_ = std::move(credentials);
  }

  std::shared_ptr<grpc::Channel> IngestChannel() const;
  // IngestService.GetDeliveryStatus of the running ingest service.
  absl::StatusOr<v1::GetDeliveryStatusResponse> DeliveryStatus() const;
  // The query service's public listener (QueryService; no sink).
  std::shared_ptr<grpc::Channel> QueryChannel() const;
  // The query service's internal listener (EventSinkService only).
  std::shared_ptr<grpc::Channel> QueryInternalChannel() const;

  const std::string& query_dir() const { return query_dir_; }

  Subprocess& query() { return *query_; }
  Subprocess& ingest() { return *ingest_; }
  void ForgetQuery() { query_.reset(); }
  void ForgetIngest() { ingest_.reset(); }

  int query_port() const { return query_port_; }
  int query_internal_port() const { return query_internal_port_; }
  int ingest_port() const { return ingest_port_; }

 private:
  std::shared_ptr<grpc::ChannelCredentials> Credentials() const;

  std::string query_dir_;
  std::string ingest_dir_;
  std::unique_ptr<Subprocess> query_;
  std::unique_ptr<Subprocess> ingest_;
  std::vector<std::string> query_flags_;
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials_;
  int query_port_ = 0;
  int query_internal_port_ = 0;
  int ingest_port_ = 0;
};

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_RUNNING_SERVICES_H_
