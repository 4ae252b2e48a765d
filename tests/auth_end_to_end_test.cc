// Tokens, scopes and per-client limits (common/auth.h) on real processes with
// real gRPC clients: both services started with --auth_tokens_file, the
// ingest service presenting its own token to the query service.
//
// Every refusal is checked next to a call that succeeds on the same server,
// so a test cannot pass because the server is simply down. Waits (reload,
// delivery, a released stream slot) poll with a generous deadline; no
// assertion depends on timing.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/poll.h"
#include "testing/running_services.h"
#include "testing/subprocess.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

using ::newsevents::testing::BinaryPath;
using ::newsevents::testing::RunningServices;
using ::newsevents::testing::Subprocess;

constexpr char kReader[] = "reader-secret";      // read: "dashboard"
constexpr char kIngester[] = "ingester-secret";  // ingest: "crawler"
constexpr char kPipeline[] = "pipeline-secret";  // ingest: "ingest_service"
constexpr char kOps[] = "ops-secret";            // read,admin: "ops"

constexpr char kArticle[] =
    "Police fire tear gas at students in Nairobi\n\n"
    "Police in Nairobi fired tear gas on Monday at thousands of students "
    "protesting against higher university fees, and at least 3 people were "
    "killed, the police said.\n";

std::string Line(absl::string_view token, absl::string_view scopes,
                 absl::string_view client) {
  return absl::StrCat(TokenHash(token), " ", scopes, " ", client, "\n");
}

std::string AllTokens() {
  return absl::StrCat("# test clients\n", Line(kReader, "read", "dashboard"),
                      Line(kIngester, "ingest", "crawler"),
                      Line(kPipeline, "ingest", "ingest_service"),
                      Line(kOps, "read,admin", "ops"));
}

// Writes `text` to a new file and renames it over `path` (as an operator
// should, so a reader never sees half a file).
void ReplaceFile(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new";
  std::ofstream(temporary, std::ios::trunc) << text;
  ASSERT_EQ(std::rename(temporary.c_str(), path.c_str()), 0);
}

// A context with a 10 s deadline presenting `token` (none when empty).
std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

grpc::Status ListEvents(const std::shared_ptr<grpc::Channel>& channel,
                        const std::string& token,
                        v1::ListEventsResponse* response = nullptr) {
  auto stub = v1::QueryService::NewStub(channel);
  v1::ListEventsRequest request;
  request.set_page_size(100);
  v1::ListEventsResponse ignored;
  return stub->ListEvents(Context(token).get(), request,
                          response != nullptr ? response : &ignored);
}

grpc::Status IngestArticle(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& token) {
  auto stub = v1::IngestService::NewStub(channel);
  v1::IngestArticleRequest request;
  request.mutable_article()->set_text(kArticle);
  v1::IngestArticleResponse response;
  return stub->IngestArticle(Context(token).get(), request, &response);
}

// The detail of type Message in `status`'s google.rpc.Status, if any.
template <typename Message>
std::optional<Message> Detail(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const auto& any : details.details()) {
    Message message;
    if (any.UnpackTo(&message)) return message;
  }
  return std::nullopt;
}

// Expects `status` to be `code` with an ErrorInfo of `reason`.
void ExpectRefused(const grpc::Status& status, grpc::StatusCode code,
                   const std::string& reason) {
  EXPECT_EQ(status.error_code(), code) << status.error_message();
  std::optional<google::rpc::ErrorInfo> info =
      Detail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value()) << status.error_message();
  EXPECT_EQ(info->reason(), reason);
  EXPECT_EQ(info->domain(), "newsevents");
  EXPECT_TRUE(info->metadata().contains("method"));
}

class AuthEndToEndTest : public ::testing::Test {
 protected:
  // Both services with the tokens file and `extra` flags on each; ingest
  // presents kPipeline to the query service.
  void StartBoth(const std::string& name,
                 const std::vector<std::string>& extra = {}) {
    std::vector<std::string> flags = {
        absl::StrCat("--auth_tokens_file=", tokens_)};
    flags.insert(flags.end(), extra.begin(), extra.end());
    services_.set_query_flags(flags);
    const std::string pipeline_token = dir_ + "/pipeline.token";
    std::ofstream(pipeline_token) << kPipeline << "\n";
    flags.push_back(absl::StrCat("--query_token_file=", pipeline_token));
    absl::Status started = services_.Start(name, flags);
    ASSERT_TRUE(started.ok()) << started;
  }

  // Only the query service, with the tokens file and `extra` flags.
  void StartQueryOnly(const std::string& name,
                      const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {
        BinaryPath("query_service/query_service"), "--listen=127.0.0.1:0",
        "--internal_listen=127.0.0.1:0",
        absl::StrCat("--data_dir=",
                     ::newsevents::testing::FreshTestDirectory(name)),
        absl::StrCat("--auth_tokens_file=", tokens_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto process = Subprocess::Start(argv);
    ASSERT_TRUE(process.ok()) << process.status();
    query_ = std::move(*process);
    auto port = query_->WaitForListeningPort(absl::Seconds(30));
    ASSERT_TRUE(port.ok()) << port.status();
    query_channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port),
                                         grpc::InsecureChannelCredentials());
  }

  std::string dir_ = ::newsevents::testing::FreshTestDirectory("auth_e2e");
  std::string tokens_ = dir_ + "/tokens";
  RunningServices services_;
  std::unique_ptr<Subprocess> query_;
  std::shared_ptr<grpc::Channel> query_channel_;

  void SetUp() override { ReplaceFile(tokens_, AllTokens()); }
};

TEST_F(AuthEndToEndTest, CallsWithoutATokenAreUnauthenticatedWithErrorInfo) {
  StartBoth("auth_missing");
  ExpectRefused(ListEvents(services_.QueryChannel(), ""),
                grpc::StatusCode::UNAUTHENTICATED, "TOKEN_MISSING");
  ExpectRefused(IngestArticle(services_.IngestChannel(), ""),
                grpc::StatusCode::UNAUTHENTICATED, "TOKEN_MISSING");
  EXPECT_TRUE(ListEvents(services_.QueryChannel(), kReader).ok());
}

TEST_F(AuthEndToEndTest, AnUnknownTokenIsUnauthenticated) {
  StartBoth("auth_unknown");
  ExpectRefused(ListEvents(services_.QueryChannel(), "guessed"),
                grpc::StatusCode::UNAUTHENTICATED, "TOKEN_UNKNOWN");
  ExpectRefused(IngestArticle(services_.IngestChannel(), "guessed"),
                grpc::StatusCode::UNAUTHENTICATED, "TOKEN_UNKNOWN");
  EXPECT_TRUE(ListEvents(services_.QueryChannel(), kReader).ok());
}

TEST_F(AuthEndToEndTest, ATokenWithoutTheMethodsScopeIsPermissionDenied) {
  StartBoth("auth_scope");
  grpc::Status status = IngestArticle(services_.IngestChannel(), kReader);
  ExpectRefused(status, grpc::StatusCode::PERMISSION_DENIED, "SCOPE_MISSING");
  std::optional<google::rpc::ErrorInfo> info =
      Detail<google::rpc::ErrorInfo>(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->metadata().at("required_scope"), "ingest");
  EXPECT_EQ(info->metadata().at("client"), "dashboard");
  EXPECT_EQ(info->metadata().at("method"),
            "/newsevents.v1.IngestService/IngestArticle");
  ExpectRefused(ListEvents(services_.QueryChannel(), kIngester),
                grpc::StatusCode::PERMISSION_DENIED, "SCOPE_MISSING");
  // GetDeliveryStatus is an admin method.
  auto stub = v1::IngestService::NewStub(services_.IngestChannel());
  v1::GetDeliveryStatusResponse delivery;
  ExpectRefused(
      stub->GetDeliveryStatus(Context(kIngester).get(), {}, &delivery),
      grpc::StatusCode::PERMISSION_DENIED, "SCOPE_MISSING");
  EXPECT_TRUE(stub->GetDeliveryStatus(Context(kOps).get(), {}, &delivery).ok());
  EXPECT_TRUE(IngestArticle(services_.IngestChannel(), kIngester).ok());
}

// One unary channelz call (an empty request is valid for GetTopChannels and
// GetServers) through a generic stub: no channelz stubs are installed.
grpc::Status CallChannelz(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& token,
                          grpc::ByteBuffer* response) {
  grpc::GenericStub stub(channel);
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  auto context = Context(token);
  absl::Notification done;
  grpc::Status result;
  stub.UnaryCall(context.get(), "/grpc.channelz.v1.Channelz/" + method,
                 grpc::StubOptions(), &request, response,
                 [&](grpc::Status status) {
                   result = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  return result;
}

TEST_F(AuthEndToEndTest, ChannelzNeedsTheAdminScope) {
  StartBoth("auth_channelz");
  for (const auto& channel :
       {services_.QueryChannel(), services_.IngestChannel()}) {
    grpc::ByteBuffer response;
    ExpectRefused(CallChannelz(channel, "GetServers", "", &response),
                  grpc::StatusCode::UNAUTHENTICATED, "TOKEN_MISSING");
    ExpectRefused(CallChannelz(channel, "GetServers", kReader, &response),
                  grpc::StatusCode::PERMISSION_DENIED, "SCOPE_MISSING");
    grpc::Status allowed = CallChannelz(channel, "GetServers", kOps, &response);
    EXPECT_TRUE(allowed.ok()) << allowed.error_message();
    EXPECT_GT(response.Length(), 0u);  // at least this server
  }
}

// This host's first IPv4 address that is not loopback, if it has one.
std::optional<std::string> NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* it = list; it != nullptr && !found; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET ||
        (it->ifa_flags & IFF_LOOPBACK) || !(it->ifa_flags & IFF_UP)) {
      continue;
    }
    char text[INET_ADDRSTRLEN] = {};
    const auto* address = reinterpret_cast<sockaddr_in*>(it->ifa_addr);
    if (inet_ntop(AF_INET, &address->sin_addr, text, sizeof(text)) != nullptr) {
      found = text;
    }
  }
  freeifaddrs(list);
  return found;
}

// Without a tokens file channelz (which lists every peer's address) answers
// callers on this host only; the query methods answer everyone.
TEST(ChannelzWithoutTokens, AnswersOnlyCallersOnThisHost) {
  const std::optional<std::string> address = NonLoopbackAddress();
  if (!address.has_value()) {
    GTEST_SKIP() << "this host has no non-loopback IPv4 address to call from";
  }
  auto process = Subprocess::Start(
      {BinaryPath("query_service/query_service"), "--listen=0.0.0.0:0",
       "--internal_listen=127.0.0.1:0",
       absl::StrCat("--data_dir=", ::newsevents::testing::FreshTestDirectory(
                                       "channelz_local"))});
  ASSERT_TRUE(process.ok()) << process.status();
  absl::StatusOr<int> port = (*process)->WaitForListeningPort(absl::Seconds(30));
  ASSERT_TRUE(port.ok()) << port.status();
  auto local = grpc::CreateChannel(absl::StrCat("127.0.0.1:", *port),
                                   grpc::InsecureChannelCredentials());
  auto remote = grpc::CreateChannel(absl::StrCat(*address, ":", *port),
                                    grpc::InsecureChannelCredentials());
  grpc::ByteBuffer response;
  grpc::Status allowed = CallChannelz(local, "GetServers", "", &response);
  EXPECT_TRUE(allowed.ok()) << allowed.error_message();
  ExpectRefused(CallChannelz(remote, "GetServers", "", &response),
                grpc::StatusCode::PERMISSION_DENIED, "ADMIN_LOCAL_ONLY");
  v1::ListEventsResponse listed;
  EXPECT_TRUE(ListEvents(remote, "", &listed).ok());
}

TEST_F(AuthEndToEndTest, HealthChecksNeedNoToken) {
  StartBoth("auth_health");
  for (const auto& channel :
       {services_.QueryChannel(), services_.IngestChannel(),
        services_.QueryInternalChannel()}) {
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(Context("").get(), {}, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.status(),
              grpc::health::v1::HealthCheckResponse::SERVING);
  }
}

TEST_F(AuthEndToEndTest, IngestedEventsReachTheQueryServiceWithTheIngestToken) {
  StartBoth("auth_delivery");
  ASSERT_TRUE(IngestArticle(services_.IngestChannel(), kIngester).ok());
  v1::ListEventsResponse listed;
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] {
        return ListEvents(services_.QueryChannel(), kReader, &listed).ok() &&
               listed.events_size() > 0;
      },
      absl::Seconds(30)));
  // The internal listener refuses a delivery stream without a token.
  auto sink = v1::EventSinkService::NewStub(services_.QueryInternalChannel());
  auto context = Context("");
  auto stream = sink->StreamEventBatches(context.get());
  stream->WritesDone();
  ExpectRefused(stream->Finish(), grpc::StatusCode::UNAUTHENTICATED,
                "TOKEN_MISSING");
}

TEST_F(AuthEndToEndTest, ARevokedTokenIsRefusedAfterSighup) {
  // No polling: only the signal reloads.
  StartBoth("auth_sighup", {"--auth_refresh_seconds=0"});
  ASSERT_TRUE(ListEvents(services_.QueryChannel(), kReader).ok());
  ReplaceFile(tokens_, absl::StrCat(Line(kPipeline, "ingest", "ingest_service"),
                                    Line(kOps, "read,admin", "ops")));
  services_.query().Signal(SIGHUP);
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] {
        return ListEvents(services_.QueryChannel(), kReader).error_code() ==
               grpc::StatusCode::UNAUTHENTICATED;
      },
      absl::Seconds(30)));
  ExpectRefused(ListEvents(services_.QueryChannel(), kReader),
                grpc::StatusCode::UNAUTHENTICATED, "TOKEN_UNKNOWN");
  EXPECT_TRUE(ListEvents(services_.QueryChannel(), kOps).ok());
}

TEST_F(AuthEndToEndTest, ARevokedTokenIsRefusedOnceTheChangedFileIsPolled) {
  StartBoth("auth_poll", {"--auth_refresh_seconds=1"});
  ASSERT_TRUE(IngestArticle(services_.IngestChannel(), kIngester).ok());
  ReplaceFile(tokens_, Line(kPipeline, "ingest", "ingest_service"));
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] {
        return IngestArticle(services_.IngestChannel(), kIngester)
                   .error_code() == grpc::StatusCode::UNAUTHENTICATED;
      },
      absl::Seconds(30)));
}

TEST_F(AuthEndToEndTest, ABrokenTokensFileStopsTheServiceAtStartup) {
  ReplaceFile(tokens_, "# fine\nthis line is not a token\n");
  auto process = Subprocess::Start(
      {BinaryPath("query_service/query_service"), "--listen=127.0.0.1:0",
       "--internal_listen=127.0.0.1:0",
       absl::StrCat("--data_dir=",
                    ::newsevents::testing::FreshTestDirectory("auth_broken")),
       absl::StrCat("--auth_tokens_file=", tokens_)});
  ASSERT_TRUE(process.ok()) << process.status();
  absl::StatusOr<int> exit_status = (*process)->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_TRUE(WIFEXITED(*exit_status));
  EXPECT_EQ(WEXITSTATUS(*exit_status), 1);
}

TEST_F(AuthEndToEndTest, AClientOverItsRateGetsResourceExhaustedWithRetryInfo) {
  // Two calls at once, then one every 100 s: the third call in a row is
  // refused however slow the machine.
  StartQueryOnly("auth_rate",
                 {"--rate_limit_per_client=0.01", "--rate_limit_burst=2"});
  ASSERT_TRUE(ListEvents(query_channel_, kReader).ok());
  ASSERT_TRUE(ListEvents(query_channel_, kReader).ok());
  grpc::Status refused = ListEvents(query_channel_, kReader);
  ExpectRefused(refused, grpc::StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED");
  std::optional<google::rpc::RetryInfo> retry =
      Detail<google::rpc::RetryInfo>(refused);
  ASSERT_TRUE(retry.has_value());
  EXPECT_GT(retry->retry_delay().seconds(), 0);
  EXPECT_TRUE(Detail<google::rpc::QuotaFailure>(refused).has_value());
  // Each client has its own bucket.
  EXPECT_TRUE(ListEvents(query_channel_, kOps).ok());
}

TEST_F(AuthEndToEndTest, TooManyConcurrentStreamsAreResourceExhausted) {
  StartQueryOnly("auth_streams", {"--max_streams_per_client=2"});
  auto stub = v1::QueryService::NewStub(query_channel_);
  struct Watch {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader;
  };
  auto open_watch = [&] {
    Watch watch{Context(kReader), nullptr};
    watch.context->set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    watch.reader = stub->WatchEvents(watch.context.get(), {});
    return watch;
  };
  std::vector<Watch> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(open_watch());
    // Headers come once the watch is admitted and registered.
    open.back().reader->WaitForInitialMetadata();
  }
  Watch third = open_watch();
  grpc::Status refused = third.reader->Finish();
  ExpectRefused(refused, grpc::StatusCode::RESOURCE_EXHAUSTED,
                "TOO_MANY_STREAMS");
  EXPECT_TRUE(Detail<google::rpc::RetryInfo>(refused).has_value());
  // Unary calls are not streams.
  EXPECT_TRUE(ListEvents(query_channel_, kReader).ok());
  // Ending a watch gives its slot back.
  open[0].context->TryCancel();
  open[0].reader->Finish();
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] {
        Watch again = open_watch();
        again.reader->WaitForInitialMetadata();
        again.context->TryCancel();
        return again.reader->Finish().error_code() !=
               grpc::StatusCode::RESOURCE_EXHAUSTED;
      },
      absl::Seconds(30)));
  open[1].context->TryCancel();
  open[1].reader->Finish();
}

}  // namespace
}  // namespace newsevents
