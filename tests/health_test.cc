// Health: both services report SERVING once started and NOT_SERVING as soon
// as a termination signal starts their shutdown.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "testing/running_services.h"

namespace newsevents {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse::ServingStatus Check(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  auto stub = Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.status();
}

TEST(Health, ServingAfterStart) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("health_serving").ok());
  EXPECT_EQ(Check(services.IngestChannel(), ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(services.IngestChannel(), "newsevents.v1.IngestService"),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(Check(services.QueryChannel(), "newsevents.v1.QueryService"),
            HealthCheckResponse::SERVING);
  EXPECT_EQ(
      Check(services.QueryInternalChannel(), "newsevents.v1.EventSinkService"),
      HealthCheckResponse::SERVING);
}

// Watches health over a stream, sends SIGTERM, and expects NOT_SERVING to
// arrive before the stream ends; then the process exits cleanly.
void ExpectNotServingDuringShutdown(
    const std::shared_ptr<grpc::Channel>& channel, testing::Subprocess& process,
    const std::string& service) {
  auto stub = Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  HealthCheckRequest request;
  request.set_service(service);
  auto stream = stub->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_EQ(response.status(), HealthCheckResponse::SERVING);

  process.Signal(SIGTERM);
  bool saw_not_serving = false;
  while (stream->Read(&response)) {
    if (response.status() == HealthCheckResponse::NOT_SERVING) {
      saw_not_serving = true;
      break;
    }
  }
  EXPECT_TRUE(saw_not_serving);
  context.TryCancel();
  absl::StatusOr<int> exit_status = process.Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_status.ok());
  EXPECT_TRUE(WIFEXITED(*exit_status));
  EXPECT_EQ(WEXITSTATUS(*exit_status), 0);
}

TEST(Health, IngestNotServingDuringShutdown) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("health_ingest_shutdown").ok());
  ExpectNotServingDuringShutdown(services.IngestChannel(), services.ingest(),
                                 "newsevents.v1.IngestService");
}

TEST(Health, QueryNotServingDuringShutdown) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("health_query_shutdown").ok());
  ExpectNotServingDuringShutdown(services.QueryChannel(), services.query(),
                                 "newsevents.v1.QueryService");
}

}  // namespace
}  // namespace newsevents
