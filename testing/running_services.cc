#include "testing/running_services.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "testing/test_directories.h"

namespace newsevents::testing {

namespace {
constexpr absl::Duration kStartTimeout = absl::Seconds(30);
}  // namespace

absl::Status RunningServices::Start(const std::string& name) {
  return Start(name, {});
}

absl::Status RunningServices::Start(
    const std::string& name, const std::vector<std::string>& ingest_flags) {
  query_dir_ = FreshTestDirectory(name + "_query");
  ingest_dir_ = FreshTestDirectory(name + "_ingest");
  if (absl::Status status = StartQuery(0); !status.ok()) return status;
  return StartIngest(ingest_flags);
}

absl::Status RunningServices::StartQuery(int query_port) {
  return StartQuery(query_port, {});
}

absl::Status RunningServices::StartQuery(
    int query_port, const std::vector<std::string>& launcher) {
  std::vector<std::string> argv = launcher;
  argv.push_back(BinaryPath("query_service/query_service"));
  argv.push_back(absl::StrCat("--listen=127.0.0.1:", query_port));
  argv.push_back(absl::StrCat("--internal_listen=127.0.0.1:",
                              query_port == 0 ? 0 : query_internal_port_));
  argv.push_back(absl::StrCat("--data_dir=", query_dir_));
  argv.insert(argv.end(), query_flags_.begin(), query_flags_.end());
  auto process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  query_ = std::move(*process);
  absl::StatusOr<int> port = query_->WaitForListeningPort(kStartTimeout);
  if (!port.ok()) return port.status();
  query_port_ = *port;
  absl::StatusOr<int> internal_port =
      query_->WaitForPortLine("internal listening on ", kStartTimeout);
  if (!internal_port.ok()) return internal_port.status();
  query_internal_port_ = *internal_port;
  return absl::OkStatus();
}

absl::Status RunningServices::StartIngest() { return StartIngest({}); }

absl::Status RunningServices::StartIngest(
    const std::vector<std::string>& extra_flags) {
  std::vector<std::string> argv = {
      BinaryPath("ingest_service/ingest_service"), "--listen=127.0.0.1:0",
      absl::StrCat("--data_dir=", ingest_dir_),
      absl::StrCat("--query_address=127.0.0.1:", query_internal_port_)};
  argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
  auto process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  ingest_ = std::move(*process);
  absl::StatusOr<int> port = ingest_->WaitForListeningPort(kStartTimeout);
  if (!port.ok()) return port.status();
  ingest_port_ = *port;
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> RunningServices::IngestChannel() const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", ingest_port_),
                             Credentials());
}

std::shared_ptr<grpc::ChannelCredentials> RunningServices::Credentials() const {
  return channel_credentials_ != nullptr ? channel_credentials_
                                         : grpc::InsecureChannelCredentials();
}

absl::StatusOr<v1::GetDeliveryStatusResponse> RunningServices::DeliveryStatus()
    const {
  auto stub = v1::IngestService::NewStub(IngestChannel());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  v1::GetDeliveryStatusResponse response;
  const grpc::Status status = stub->GetDeliveryStatus(
      &context, v1::GetDeliveryStatusRequest(), &response);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("GetDeliveryStatus: ", status.error_message()));
  }
  return response;
}

std::shared_ptr<grpc::Channel> RunningServices::QueryChannel() const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", query_port_),
                             Credentials());
}

std::shared_ptr<grpc::Channel> RunningServices::QueryInternalChannel() const {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", query_internal_port_),
                             grpc::InsecureChannelCredentials());
}

}  // namespace newsevents::testing
