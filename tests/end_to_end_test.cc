// End to end: both services run as real processes; articles go in through
// IngestService and come back out of QueryService.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/running_services.h"

namespace newsevents {
namespace {

using newsevents::v1::IngestService;
using newsevents::v1::QueryService;

constexpr char kArticle[] =
    "Police fire tear gas at fuel protesters in Lima\n"
    "\n"
    "Police in Lima fired tear gas and water cannon on Tuesday to disperse "
    "thousands of "
    "protesters angered by a rise in fuel prices, and at least 12 people were "
    "killed, the "
    "interior ministry said. More than 300 people were arrested.\n";

std::unique_ptr<grpc::ClientContext> ContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return context;
}

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(services_.Start("end_to_end").ok());
    ingest_ = IngestService::NewStub(services_.IngestChannel());
    query_ = QueryService::NewStub(services_.QueryChannel());
  }

  v1::IngestArticleResponse Ingest(const std::string& text) {
    v1::IngestArticleRequest request;
    request.mutable_article()->set_text(text);
    request.mutable_article()->set_outlet("Test Wire");
    request.mutable_article()->mutable_published_date()->set_year(2024);
    request.mutable_article()->mutable_published_date()->set_month(3);
    request.mutable_article()->mutable_published_date()->set_day(14);
    v1::IngestArticleResponse response;
    grpc::Status status =
        ingest_->IngestArticle(ContextWithDeadline().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Lists events matching `filter` until `expected` are visible or 20 s pass.
  v1::ListEventsResponse ListUntil(const std::string& filter, int expected) {
    v1::ListEventsRequest request;
    request.set_filter(filter);
    request.set_page_size(1000);
    v1::ListEventsResponse response;
    absl::Time deadline = absl::Now() + absl::Seconds(20);
    absl::Duration pause = absl::Milliseconds(5);
    while (absl::Now() < deadline) {
      response.Clear();
      grpc::Status status =
          query_->ListEvents(ContextWithDeadline().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (response.events_size() >= expected) break;
      absl::SleepFor(
          pause);  // delivery is asynchronous; back off while polling
      pause = std::min(pause * 2, absl::Milliseconds(200));
    }
    return response;
  }

  testing::RunningServices services_;
  std::unique_ptr<IngestService::Stub> ingest_;
  std::unique_ptr<QueryService::Stub> query_;
};

TEST_F(EndToEndTest, IngestedEventsComeBackFromQueryService) {
  v1::IngestArticleResponse ingested = Ingest(kArticle);
  ASSERT_GT(ingested.events_size(), 0);
  EXPECT_FALSE(ingested.already_ingested());
  const std::string article_name = ingested.article().name();

  v1::ListEventsResponse listed =
      ListUntil("article_id = \"" + ingested.article().id() + "\"",
                ingested.events_size());
  ASSERT_EQ(listed.events_size(), ingested.events_size());

  // Every ingested event is there, by id, with its evidence.
  for (const v1::Event& event : ingested.events()) {
    v1::GetEventRequest request;
    request.set_name(event.name());
    v1::Event stored;
    grpc::Status status =
        query_->GetEvent(ContextWithDeadline().get(), request, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(stored.id(), event.id());
    EXPECT_EQ(stored.type(), event.type());
    EXPECT_EQ(stored.evidence().text(), event.evidence().text());
  }

  v1::GetArticleRequest article_request;
  article_request.set_name(article_name);
  v1::Article article;
  ASSERT_TRUE(
      query_->GetArticle(ContextWithDeadline().get(), article_request, &article)
          .ok());
  EXPECT_EQ(article.text(), kArticle);
  EXPECT_EQ(article.outlet(), "Test Wire");
}

TEST_F(EndToEndTest, ReingestingSameContentIsIdempotent) {
  v1::IngestArticleResponse first = Ingest(kArticle);
  v1::IngestArticleResponse second = Ingest(kArticle);
  EXPECT_TRUE(second.already_ingested());
  EXPECT_EQ(first.article().id(), second.article().id());
  ASSERT_EQ(first.events_size(), second.events_size());
  for (int i = 0; i < first.events_size(); ++i) {
    EXPECT_EQ(first.events(i).id(), second.events(i).id());
  }
  v1::ListEventsResponse listed = ListUntil(
      "article_id = \"" + first.article().id() + "\"", first.events_size());
  EXPECT_EQ(listed.events_size(), first.events_size());
}

TEST_F(EndToEndTest, BadRequestsGetInvalidArgumentWithFieldViolations) {
  v1::IngestArticleRequest request;  // no article
  v1::IngestArticleResponse response;
  grpc::Status status =
      ingest_->IngestArticle(ContextWithDeadline().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  bool named_field = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      ASSERT_GT(bad_request.field_violations_size(), 0);
      named_field = bad_request.field_violations(0).field() == "article";
    }
  }
  EXPECT_TRUE(named_field);

  v1::ListEventsRequest list_request;
  list_request.set_page_size(-1);
  v1::ListEventsResponse list_response;
  status = query_->ListEvents(ContextWithDeadline().get(), list_request,
                              &list_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::GetEventRequest get_request;
  get_request.set_name("events/does-not-exist");
  v1::Event event;
  status = query_->GetEvent(ContextWithDeadline().get(), get_request, &event);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(EndToEndTest, ParseArticleStoresNothing) {
  v1::ParseArticleRequest request;
  request.mutable_article()->set_text(kArticle);
  v1::ParseArticleResponse parsed;
  ASSERT_TRUE(
      ingest_->ParseArticle(ContextWithDeadline().get(), request, &parsed)
          .ok());
  ASSERT_GT(parsed.events_size(), 0);

  absl::StatusOr<v1::GetDeliveryStatusResponse> delivery =
      services_.DeliveryStatus();
  ASSERT_TRUE(delivery.ok()) << delivery.status();
  EXPECT_EQ(delivery->last_written_sequence(), 0u);
}

TEST_F(EndToEndTest, StreamedArticlesAnswerInOrder) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = ingest_->IngestArticles(&context);
  for (int i = 0; i < 5; ++i) {
    v1::IngestArticlesRequest request;
    request.set_client_tag("tag-" + std::to_string(i));
    if (i == 2) {
      request.mutable_article();  // no content: rejected, stream goes on
    } else {
      request.mutable_article()->set_text(std::string(kArticle) + " Report " +
                                          std::to_string(i) + ".");
    }
    ASSERT_TRUE(stream->Write(request));
    v1::IngestArticlesResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.client_tag(), "tag-" + std::to_string(i));
    if (i == 2) {
      EXPECT_EQ(response.code(),
                static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
    } else {
      EXPECT_EQ(response.code(), 0) << response.error_message();
      EXPECT_GT(response.event_count(), 0);
    }
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(EndToEndTest, WatchEventsRejectsBadCursorAndEndsOnCancel) {
  v1::WatchEventsRequest request;
  v1::WatchEventsResponse response;

  grpc::ClientContext bad_context;
  bad_context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  request.set_start_cursor("not-a-cursor");
  auto rejected = query_->WatchEvents(&bad_context, request);
  EXPECT_FALSE(rejected->Read(&response));
  EXPECT_EQ(rejected->Finish().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // An idle watch ends promptly when the client cancels it.
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  request.set_start_cursor("");
  request.set_filter("type = EVENT_TYPE_RIOT");
  auto stream = query_->WatchEvents(&context, request);
  context.TryCancel();
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// A record that could never be delivered in one message to the query
// service is refused before it is accepted, so it cannot hold up the
// articles behind it; smaller articles still go through.
TEST(IngestLimits, OversizeRecordIsRefusedBeforeAcceptance) {
  testing::RunningServices services;
  ASSERT_TRUE(services.Start("record_limit", {"--max_record_bytes=2500"}).ok());
  auto ingest = IngestService::NewStub(services.IngestChannel());

  v1::IngestArticleRequest request;
  std::string long_article = kArticle;
  for (int i = 0; i < 5; ++i) {
    long_article += "In Cusco, at least " + std::to_string(10 + i) +
                    " people were injured on Wednesday, police said.\n";
  }
  request.mutable_article()->set_text(long_article);
  v1::IngestArticleResponse response;
  grpc::Status status =
      ingest->IngestArticle(ContextWithDeadline().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("article record size"),
            std::string::npos)
      << status.error_message();

  absl::StatusOr<v1::GetDeliveryStatusResponse> delivery =
      services.DeliveryStatus();
  ASSERT_TRUE(delivery.ok()) << delivery.status();
  EXPECT_EQ(delivery->outbox_depth(), 0);

  request.mutable_article()->set_text(
      "Police arrested 12 protesters in Lima on Tuesday.");
  status =
      ingest->IngestArticle(ContextWithDeadline().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace newsevents
