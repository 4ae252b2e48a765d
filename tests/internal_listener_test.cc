// Issue 13: the internal stream (EventSinkService) only on query_service's
// internal listener, its records validated like public input and refused
// when they would overwrite stored content; issue 13 defect 3: events on one
// evidence span keep distinct ids, so none is lost. Real processes, real
// gRPC clients.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "newsevents/v1/event_sink_service.grpc.pb.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/running_services.h"
#include "testing/test_records.h"

namespace newsevents {
namespace {

using query::testing_records::MakeRecord;
using v1::ArticleRecord;
using v1::EventSinkService;
using v1::QueryService;

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
}

struct StreamResult {
  grpc::Status status;
  uint64_t acknowledged = 0;
};

// Sends `batches` (each a list of records) on one StreamEventBatches call,
// half-closes, and reads every acknowledgement.
StreamResult SendBatches(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<std::vector<ArticleRecord>>& batches) {
  auto stub = EventSinkService::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->StreamEventBatches(&context);
  for (const std::vector<ArticleRecord>& batch : batches) {
    v1::StreamEventBatchesRequest request;
    request.set_producer_id("forger");
    for (const ArticleRecord& record : batch) *request.add_records() = record;
    if (!stream->Write(request)) break;
  }
  stream->WritesDone();
  StreamResult result;
  v1::StreamEventBatchesResponse response;
  while (stream->Read(&response))
    result.acknowledged = response.acknowledged_sequence();
  result.status = stream->Finish();
  return result;
}

grpc::StatusCode GetArticleCode(const testing::RunningServices& services,
                                const std::string& id,
                                v1::Article* article = nullptr) {
  auto stub = QueryService::NewStub(services.QueryChannel());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetArticleRequest request;
  request.set_name(absl::StrCat("articles/", id));
  v1::Article response;
  grpc::Status status = stub->GetArticle(&context, request, &response);
  if (article != nullptr) *article = response;
  return status.error_code();
}

TEST(InternalListener, SinkIsUnimplementedOnThePublicListener) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("sink_public").ok());
  StreamResult result =
      SendBatches(services.QueryChannel(), {{MakeRecord(1, 2, 1)}});
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << result.status.error_message();
  EXPECT_EQ(result.acknowledged, 0u);
  EXPECT_EQ(GetArticleCode(services, "a1"), grpc::StatusCode::NOT_FOUND);

  // The internal listener serves it (and only it).
  result =
      SendBatches(services.QueryInternalChannel(), {{MakeRecord(1, 2, 1)}});
  EXPECT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(result.acknowledged, 1u);
  EXPECT_EQ(GetArticleCode(services, "a1"), grpc::StatusCode::OK);
  auto query_on_internal =
      QueryService::NewStub(services.QueryInternalChannel());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListEventsResponse events;
  EXPECT_EQ(
      query_on_internal->ListEvents(&context, v1::ListEventsRequest(), &events)
          .error_code(),
      grpc::StatusCode::UNIMPLEMENTED);
}

// One forged record per case: what the outside probe stored, and the field
// the error must name.
struct Forgery {
  const char* field;
  void (*forge)(ArticleRecord&);
};

TEST(InternalListener, ForgedRecordsAreInvalidArgumentNamingTheField) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("sink_forged").ok());
  const Forgery forgeries[] = {
      {"records[1].events[0].id",
       [](ArticleRecord& r) { r.mutable_events(0)->set_id("../../admin"); }},
      {"records[1].article.id",
       [](ArticleRecord& r) {
         r.mutable_article()->set_id(std::string(5000, 'x'));
       }},
      {"records[1].events[1].type",
       [](ArticleRecord& r) {
         r.mutable_events(1)->set_type(static_cast<v1::EventType>(999));
       }},
      {"records[1].events[0].date.month",
       [](ArticleRecord& r) {
         r.mutable_events(0)->mutable_date()->set_month(13);
       }},
      {"records[1].sequence",
       [](ArticleRecord& r) { r.set_sequence(~uint64_t{0}); }},
  };
  int n = 10;
  for (const Forgery& forgery : forgeries) {
    SCOPED_TRACE(forgery.field);
    n += 3;
    // A good batch first, then a batch whose second record is forged.
    ArticleRecord forged = MakeRecord(n + 2, 2, 3);
    forgery.forge(forged);
    StreamResult result =
        SendBatches(services.QueryInternalChannel(),
                    {{MakeRecord(n, 1, 1)}, {MakeRecord(n + 1, 1, 2), forged}});
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(result.status.error_message().find(forgery.field),
              std::string::npos)
        << result.status.error_message();
    EXPECT_LT(result.status.error_message().size(), 600u);
    // What came before the bad batch is stored and acknowledged; nothing
    // of the bad batch is.
    EXPECT_EQ(result.acknowledged, 1u);
    EXPECT_EQ(GetArticleCode(services, absl::StrCat("a", n)),
              grpc::StatusCode::OK);
    EXPECT_EQ(GetArticleCode(services, absl::StrCat("a", n + 1)),
              grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(GetArticleCode(services, absl::StrCat("a", n + 2)),
              grpc::StatusCode::NOT_FOUND);
  }
}

TEST(InternalListener, StoredIdsWithOtherContentAreRefused) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("sink_conflict").ok());
  const ArticleRecord original = MakeRecord(1, 2, 1);
  ASSERT_TRUE(
      SendBatches(services.QueryInternalChannel(), {{original}}).status.ok());

  // The same content again (a re-delivery) is fine.
  ArticleRecord again = original;
  again.set_sequence(2);
  StreamResult result = SendBatches(services.QueryInternalChannel(), {{again}});
  EXPECT_TRUE(result.status.ok()) << result.status.error_message();

  // The same ids with another text, or another event: refused, and the
  // batch before it is still stored.
  ArticleRecord other_text = original;
  other_text.set_sequence(4);
  other_text.mutable_article()->set_text("Forged text.");
  ArticleRecord other_event = original;
  other_event.set_sequence(4);
  other_event.mutable_article()->set_id("a9");
  other_event.mutable_article()->set_name("articles/a9");
  other_event.mutable_events(1)->set_article_id("a9");
  other_event.mutable_events(1)->mutable_location()->set_name("Elsewhere");
  other_event.mutable_events(0)->set_article_id("a9");
  for (const ArticleRecord& forged : {other_text, other_event}) {
    result = SendBatches(services.QueryInternalChannel(),
                         {{MakeRecord(2, 1, 3)}, {forged}});
    EXPECT_EQ(result.status.error_code(), grpc::StatusCode::ALREADY_EXISTS)
        << result.status.error_message();
    EXPECT_NE(result.status.error_message().find("records[0]."),
              std::string::npos)
        << result.status.error_message();
    EXPECT_EQ(result.acknowledged, 3u);
  }
  v1::Article article;
  ASSERT_EQ(GetArticleCode(services, "a1", &article), grpc::StatusCode::OK);
  EXPECT_EQ(article.text(), original.article().text());
  EXPECT_EQ(GetArticleCode(services, "a2"), grpc::StatusCode::OK);
  EXPECT_EQ(GetArticleCode(services, "a9"), grpc::StatusCode::NOT_FOUND);
}

TEST(InternalListener, NonLoopbackNeedsTheExplicitFlag) {
  const std::string dir = ::testing::TempDir() + "/internal_listen_flag";
  auto refused = testing::Subprocess::Start(
      {testing::BinaryPath("query_service/query_service"),
       "--listen=127.0.0.1:0", "--internal_listen=0.0.0.0:0",
       "--data_dir=" + dir});
  ASSERT_TRUE(refused.ok());
  absl::StatusOr<int> exit_status = (*refused)->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit_status.ok()) << "query_service kept running";
  EXPECT_TRUE(WIFEXITED(*exit_status) && WEXITSTATUS(*exit_status) != 0);

  auto allowed = testing::Subprocess::Start(
      {testing::BinaryPath("query_service/query_service"),
       "--listen=127.0.0.1:0", "--internal_listen=0.0.0.0:0",
       "--allow_insecure_internal_listen_on_non_loopback",
       "--data_dir=" + dir});
  ASSERT_TRUE(allowed.ok());
  EXPECT_TRUE((*allowed)
                  ->WaitForPortLine("internal listening on", absl::Seconds(30))
                  .ok());
}

std::string ReadSample(const std::string& name) {
  std::ifstream in(absl::StrCat(std::getenv("NEWSEVENTS_SOURCE_DIR"),
                                "/data/samples/", name));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Defect 3: 06_srilanka_economic_protest.txt has two events on one evidence
// span at different places; they used to share an id, and the store kept
// 12 of 14 events while the article said 14.
TEST(InternalListener, EveryEventOfTheSampleIsStored) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("event_ids").ok());
  const std::string text = ReadSample("06_srilanka_economic_protest.txt");
  ASSERT_FALSE(text.empty());
  auto ingest = v1::IngestService::NewStub(services.IngestChannel());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::IngestArticleRequest request;
  request.mutable_article()->set_text(text);
  v1::IngestArticleResponse response;
  ASSERT_TRUE(ingest->IngestArticle(&context, request, &response).ok());
  std::set<std::string> ids;
  for (const v1::Event& event : response.events()) ids.insert(event.id());
  EXPECT_EQ(ids.size(), static_cast<size_t>(response.events_size()));
  ASSERT_GE(response.events_size(), 2);

  auto query = QueryService::NewStub(services.QueryChannel());
  v1::ListEventsResponse listed;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    grpc::ClientContext list_context;
    SetDeadline(list_context);
    v1::ListEventsRequest list;
    list.set_filter(
        absl::StrCat("article_id = \"", response.article().id(), "\""));
    list.set_page_size(1000);
    listed.Clear();
    ASSERT_TRUE(query->ListEvents(&list_context, list, &listed).ok());
    if (listed.events_size() >= response.events_size()) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  v1::Article article;
  ASSERT_EQ(GetArticleCode(services, response.article().id(), &article),
            grpc::StatusCode::OK);
  EXPECT_EQ(article.event_count(), response.events_size());
  EXPECT_EQ(listed.events_size(), article.event_count());
}

}  // namespace
}  // namespace newsevents
