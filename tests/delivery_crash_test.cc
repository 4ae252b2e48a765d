// Delivery through crashes, with real processes: whatever IngestService
// acknowledged reaches QueryService exactly once, however often either
// service is killed with SIGKILL.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/running_services.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

using newsevents::v1::IngestService;
using newsevents::v1::QueryService;

constexpr const char* kCities[] = {"Lima",    "Nairobi", "Lagos",
                                   "Colombo", "Lyon",    "Isfahan"};

// A distinct short article per index.
std::string ArticleText(int index) {
  return absl::StrFormat(
      "Police in %s detained %d protesters on Tuesday after clashes over fuel "
      "prices, the "
      "interior ministry said. Dispatch %d.",
      kCities[index % 6], 10 + index % 90, index);
}

std::unique_ptr<grpc::ClientContext> Context(
    absl::Duration timeout = absl::Seconds(30)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

// The event ids that ingesting `index` must produce (parsing is deterministic).
std::set<std::string> ExpectedIds(IngestService::Stub& ingest, int count) {
  std::set<std::string> ids;
  for (int i = 0; i < count; ++i) {
    v1::ParseArticleRequest request;
    request.mutable_article()->set_text(ArticleText(i));
    v1::ParseArticleResponse response;
    grpc::Status status =
        ingest.ParseArticle(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::Event& event : response.events()) ids.insert(event.id());
  }
  return ids;
}

// Waits until the ingest service's outbox is empty.
bool WaitForDrainedOutbox(IngestService::Stub& ingest, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    v1::GetDeliveryStatusResponse status;
    if (ingest
            .GetDeliveryStatus(Context().get(), v1::GetDeliveryStatusRequest(),
                               &status)
            .ok() &&
        status.outbox_depth() == 0) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(50));  // delivery is asynchronous
  }
  return false;
}

// Every stored event id, counting duplicates into `total`.
std::multiset<std::string> AllStoredIds(QueryService::Stub& query) {
  std::multiset<std::string> ids;
  v1::ListEventsRequest request;
  request.set_page_size(1000);
  while (true) {
    v1::ListEventsResponse response;
    grpc::Status status = query.ListEvents(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const v1::Event& event : response.events()) ids.insert(event.id());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return ids;
}

void ExpectExactly(const std::set<std::string>& expected,
                   const std::multiset<std::string>& stored) {
  EXPECT_EQ(stored.size(), expected.size());
  std::set<std::string> distinct(stored.begin(), stored.end());
  EXPECT_EQ(distinct.size(), stored.size()) << "some event was stored twice";
  EXPECT_TRUE(distinct == expected)
      << "stored ids differ from the expected ids";
}

// Streams articles [first, last) and returns how many were acknowledged OK.
int StreamArticles(IngestService::Stub& ingest, int first, int last) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(10)));
  auto stream = ingest.IngestArticles(&context);
  int acknowledged = 0;
  for (int i = first; i < last; ++i) {
    v1::IngestArticlesRequest request;
    request.mutable_article()->set_text(ArticleText(i));
    if (!stream->Write(request)) break;
    v1::IngestArticlesResponse response;
    if (!stream->Read(&response)) break;
    if (response.code() == 0) ++acknowledged;
  }
  stream->WritesDone();
  stream->Finish();
  return acknowledged;
}

TEST(DeliveryCrash, QueryServiceKilledRepeatedlyDuring10000Articles) {
  constexpr int kArticles = 10000;
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("crash_query").ok());
  auto ingest = IngestService::NewStub(services.IngestChannel());

  std::atomic<bool> streaming{true};
  std::atomic<int> acknowledged{0};
  std::thread producer([&] {
    acknowledged = StreamArticles(*ingest, 0, kArticles);
    streaming = false;
  });

  // Kill -9 the query service a few times while articles flow, restarting it
  // on the same port and data directory each time.
  int kills = 0;
  while (streaming && kills < 4) {
    absl::SleepFor(absl::Milliseconds(1500));  // let some batches through
    if (!streaming) break;
    services.query().Signal(SIGKILL);
    if (!services.query().Wait(absl::Seconds(10)).ok() ||
        !services.StartQuery(services.query_port()).ok()) {
      ADD_FAILURE() << "could not restart query_service";
      break;
    }
    ++kills;
  }
  producer.join();
  EXPECT_GE(kills, 1);
  ASSERT_EQ(acknowledged.load(), kArticles);

  ASSERT_TRUE(WaitForDrainedOutbox(*ingest, absl::Minutes(3)));
  auto query = QueryService::NewStub(services.QueryChannel());
  ExpectExactly(ExpectedIds(*ingest, kArticles), AllStoredIds(*query));
}

TEST(DeliveryCrash, IngestServiceKilledMidStreamResumesFromOutbox) {
  constexpr int kArticles = 1500;
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("crash_ingest").ok());
  auto ingest = IngestService::NewStub(services.IngestChannel());

  std::thread killer([&] {
    absl::SleepFor(absl::Milliseconds(800));
    services.ingest().Signal(SIGKILL);
  });
  int acknowledged = StreamArticles(*ingest, 0, kArticles);
  killer.join();
  ASSERT_TRUE(services.ingest().Wait(absl::Seconds(10)).ok());
  EXPECT_LT(acknowledged, kArticles)
      << "the kill came too late to test anything";

  // Restarted on the same outbox, the service delivers what it had accepted;
  // the client then retries everything, which must add nothing twice.
  ASSERT_TRUE(services.StartIngest().ok());
  ingest = IngestService::NewStub(services.IngestChannel());
  ASSERT_TRUE(WaitForDrainedOutbox(*ingest, absl::Minutes(2)));
  auto query = QueryService::NewStub(services.QueryChannel());
  std::multiset<std::string> after_restart = AllStoredIds(*query);
  std::set<std::string> expected_first = ExpectedIds(*ingest, acknowledged);
  for (const std::string& id : expected_first) {
    EXPECT_EQ(after_restart.count(id), 1u)
        << "acknowledged event " << id << " lost";
  }

  ASSERT_EQ(StreamArticles(*ingest, 0, kArticles), kArticles);
  ASSERT_TRUE(WaitForDrainedOutbox(*ingest, absl::Minutes(2)));
  ExpectExactly(ExpectedIds(*ingest, kArticles), AllStoredIds(*query));
}

TEST(DeliveryCrash, QueryServiceDownAtStartGetsQueuedArticlesLater) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("crash_late_query").ok());
  int query_port = services.query_port();
  services.query().Signal(SIGKILL);
  ASSERT_TRUE(services.query().Wait(absl::Seconds(10)).ok());

  auto ingest = IngestService::NewStub(services.IngestChannel());
  ASSERT_EQ(StreamArticles(*ingest, 0, 200), 200);
  absl::StatusOr<v1::GetDeliveryStatusResponse> status =
      services.DeliveryStatus();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_GT(status->outbox_depth(), 0);
  EXPECT_FALSE(status->connected());

  ASSERT_TRUE(services.StartQuery(query_port).ok());
  ASSERT_TRUE(WaitForDrainedOutbox(*ingest, absl::Minutes(2)));
  auto query = QueryService::NewStub(services.QueryChannel());
  ExpectExactly(ExpectedIds(*ingest, 200), AllStoredIds(*query));
}

// The query service's disk "fills up" mid-stream: it runs with a 1 MiB file
// size limit (RLIMIT_FSIZE, with SIGXFSZ ignored), so once its RocksDB WAL
// reaches 1 MiB every write fails with EFBIG, exactly as on a full disk. The
// failing store must not be acknowledged: the query service reports
// NOT_SERVING and logs the failure with its data directory, the ingest
// outbox keeps what was not stored, and after a restart with room again
// every accepted article is there exactly once.
TEST(DeliveryCrash, QueryStoreWriteFailureLosesNothingAcknowledged) {
  constexpr int kArticles = 3000;  // well over 1 MiB of WAL on the query side
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("disk_full").ok());
  const int query_port = services.query_port();
  services.query().Signal(SIGKILL);
  ASSERT_TRUE(services.query().Wait(absl::Seconds(10)).ok());
  const std::string log_path =
      testing::FreshTestDirectory("disk_full_logs") + "/query.stderr";
  ASSERT_TRUE(services
                  .StartQuery(query_port,
                              {"/bin/sh", "-c",
                               absl::StrCat("trap '' XFSZ; ulimit -f 2048 && "
                                            "exec \"$0\" \"$@\" 2>",
                                            log_path)})
                  .ok());

  auto ingest = IngestService::NewStub(services.IngestChannel());
  ASSERT_EQ(StreamArticles(*ingest, 0, kArticles), kArticles);

  // The query side stops storing: health says so, and the outbox keeps the
  // rest.
  // EventSinkService's health is reported on the internal listener.
  auto health =
      grpc::health::v1::Health::NewStub(services.QueryInternalChannel());
  grpc::health::v1::HealthCheckResponse::ServingStatus serving =
      grpc::health::v1::HealthCheckResponse::SERVING;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (serving == grpc::health::v1::HealthCheckResponse::SERVING &&
         absl::Now() < deadline) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service("newsevents.v1.EventSinkService");
    grpc::health::v1::HealthCheckResponse response;
    if (health->Check(Context().get(), request, &response).ok())
      serving = response.status();
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(serving, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  absl::StatusOr<v1::GetDeliveryStatusResponse> status =
      services.DeliveryStatus();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_GT(status->outbox_depth(), 0);

  // The error names the data directory and the cause.
  services.query().Signal(SIGKILL);
  ASSERT_TRUE(services.query().Wait(absl::Seconds(10)).ok());
  std::ifstream log_file(log_path);
  std::string log((std::istreambuf_iterator<char>(log_file)),
                  std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StrContains(
      log,
      absl::StrCat("store write to \"", services.query_dir(), "\" failed")))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "File too large")) << log;

  // With room again, everything accepted arrives, once.
  ASSERT_TRUE(services.StartQuery(query_port).ok());
  ASSERT_TRUE(WaitForDrainedOutbox(*ingest, absl::Minutes(2)));
  auto query = QueryService::NewStub(services.QueryChannel());
  ExpectExactly(ExpectedIds(*ingest, kArticles), AllStoredIds(*query));
}

TEST(DeliveryCrash, UnwritableDataDirectoryIsAClearStartupError) {
  for (const char* binary :
       {"query_service/query_service", "ingest_service/ingest_service"}) {
    auto process = testing::Subprocess::Start({testing::BinaryPath(binary),
                                               "--listen=127.0.0.1:0",
                                               "--data_dir=/proc/newsevents"});
    ASSERT_TRUE(process.ok());
    absl::StatusOr<int> exit_status = (*process)->Wait(absl::Seconds(30));
    ASSERT_TRUE(exit_status.ok()) << binary << " kept running";
    EXPECT_TRUE(WIFEXITED(*exit_status));
    EXPECT_NE(WEXITSTATUS(*exit_status), 0) << binary;
  }
}

}  // namespace
}  // namespace newsevents
