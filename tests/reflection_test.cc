// Reflection: a client that knows nothing of the API lists the services of
// both servers and resolves the descriptors of the health service, which the
// C++ library does not register by itself.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/time/clock.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "testing/running_services.h"

namespace newsevents {
namespace {

using grpc::reflection::v1alpha::ServerReflection;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;

ServerReflectionResponse Ask(const std::shared_ptr<grpc::Channel>& channel,
                             const ServerReflectionRequest& request) {
  auto stub = ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  auto stream = stub->ServerReflectionInfo(&context);
  EXPECT_TRUE(stream->Write(request));
  stream->WritesDone();
  ServerReflectionResponse response;
  EXPECT_TRUE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
  return response;
}

std::set<std::string> ServicesOf(
    const std::shared_ptr<grpc::Channel>& channel) {
  ServerReflectionRequest request;
  request.set_list_services("");
  std::set<std::string> names;
  // Keep the response alive for the loop: a temporary's member would dangle.
  ServerReflectionResponse response = Ask(channel, request);
  for (const auto& service : response.list_services_response().service()) {
    names.insert(service.name());
  }
  return names;
}

TEST(Reflection, ListsServicesOfBothServers) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("reflection").ok());

  std::set<std::string> ingest = ServicesOf(services.IngestChannel());
  EXPECT_TRUE(ingest.count("newsevents.v1.IngestService"));
  EXPECT_TRUE(ingest.count("grpc.health.v1.Health"));
  EXPECT_TRUE(ingest.count("grpc.reflection.v1alpha.ServerReflection"));

  std::set<std::string> query = ServicesOf(services.QueryChannel());
  EXPECT_TRUE(query.count("newsevents.v1.QueryService"));
  EXPECT_TRUE(query.count("grpc.health.v1.Health"));
  // The internal stream is never on the public listener (issue 13).
  EXPECT_FALSE(query.count("newsevents.v1.EventSinkService"));

  std::set<std::string> internal = ServicesOf(services.QueryInternalChannel());
  EXPECT_TRUE(internal.count("newsevents.v1.EventSinkService"));
  EXPECT_FALSE(internal.count("newsevents.v1.QueryService"));
}

TEST(Reflection, DescribesHealthAndApiSymbols) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("reflection_symbols").ok());
  for (const char* symbol :
       {"grpc.health.v1.Health", "newsevents.v1.QueryService",
        "google.rpc.BadRequest"}) {
    ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    ServerReflectionResponse response = Ask(services.QueryChannel(), request);
    EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(),
              0)
        << symbol << ": " << response.error_response().error_message();
  }
}

}  // namespace
}  // namespace newsevents
