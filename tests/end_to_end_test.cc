// End to end: both services run as real processes; articles go in through
// IngestService and come back out of QueryService.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
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

absl::Time SecondsFromNow(int seconds) {
  return absl::Now() + absl::Seconds(seconds);
}

// A channel with a connection of its own (channels with equal arguments
// share one), so a test can open more streams than one connection allows.
std::shared_ptr<grpc::Channel> OwnConnection(int port) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(),
                                   arguments);
}

// One WatchEvents call on gRPC's callback API, which needs no thread per
// stream, so a test can hold hundreds. Records every response.
class Watcher final : public grpc::ClientReadReactor<v1::WatchEventsResponse> {
 public:
  // With `pause_after`, stops reading after that many responses until
  // ResumeReading (a slow client).
  Watcher(QueryService::Stub& stub, v1::WatchEventsRequest request,
          std::optional<size_t> pause_after = std::nullopt)
      : request_(std::move(request)), pause_after_(pause_after) {
    context_.set_deadline(absl::ToChronoTime(SecondsFromNow(120)));
    stub.async()->WatchEvents(&context_, &request_, this);
    if (pause_after_ == 0u) {
      paused_ = true;  // never started reading
    } else {
      StartRead(&response_);
    }
    StartCall();
  }
  // Cancels the call and waits until gRPC is done with this reactor.
  ~Watcher() override {
    Cancel();
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
  }

  void Cancel() { context_.TryCancel(); }

  // Reads again after pausing (call once, after the pause began).
  void ResumeReading() {
    {
      absl::MutexLock lock(&mu_);
      pause_after_.reset();
      if (!paused_) return;
      paused_ = false;
    }
    StartRead(&response_);
  }

  // True once the server has sent the response headers, which it does when
  // the watch is registered: events stored from then on are delivered.
  bool WaitUntilStarted(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(
        absl::Condition(
            +[](Watcher* watcher) ABSL_EXCLUSIVE_LOCKS_REQUIRED(watcher->mu_) {
              return watcher->started_ || watcher->done_;
            },
            this),
        deadline);
    return started_;
  }

  // The responses so far, once there are `count` of them, the call ended or
  // `deadline` passed.
  std::vector<v1::WatchEventsResponse> WaitForResponses(size_t count,
                                                        absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return responses_.size() >= count || done_;
    };
    mu_.AwaitWithDeadline(absl::Condition(&enough), deadline);
    return responses_;
  }

  // The call's status once it ended, or nullopt at `deadline`.
  std::optional<grpc::Status> WaitForEnd(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithDeadline(absl::Condition(&done_), deadline)) {
      return std::nullopt;
    }
    return status_;
  }

  void OnReadInitialMetadataDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    started_ = ok;
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;  // the call is ending; OnDone follows
    {
      absl::MutexLock lock(&mu_);
      responses_.push_back(response_);
      if (pause_after_.has_value() && responses_.size() >= *pause_after_) {
        paused_ = true;
        return;
      }
    }
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }

 private:
  grpc::ClientContext context_;
  const v1::WatchEventsRequest request_;
  v1::WatchEventsResponse response_;  // only touched by gRPC's reactions
  absl::Mutex mu_;
  std::optional<size_t> pause_after_ ABSL_GUARDED_BY(mu_);
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::WatchEventsResponse> responses_ ABSL_GUARDED_BY(mu_);
};

v1::WatchEventsRequest WatchRequest(const std::string& filter,
                                    const std::string& start_cursor) {
  v1::WatchEventsRequest request;
  request.set_filter(filter);
  request.set_start_cursor(start_cursor);
  return request;
}

// The ids of the events of each response, in order.
std::vector<std::string> EventIds(
    const std::vector<v1::IngestArticleResponse>& ingested) {
  std::vector<std::string> ids;
  for (const v1::IngestArticleResponse& response : ingested) {
    for (const v1::Event& event : response.events()) ids.push_back(event.id());
  }
  return ids;
}

std::vector<std::string> EventIds(
    const std::vector<v1::WatchEventsResponse>& responses) {
  std::vector<std::string> ids;
  for (const v1::WatchEventsResponse& response : responses) {
    ids.push_back(response.event().id());
  }
  return ids;
}

// kArticle made distinct, so each call gives an article with new event ids.
std::string Report(int number) {
  return absl::StrCat(kArticle, " Report ", number, ".");
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

// A huge name is answered with its own status, not with a trailer too
// large for a client with default metadata limits (issue 13, defect 6).
TEST_F(EndToEndTest, HugeNamesGetSmallErrors) {
  for (const std::string& name :
       {"events/" + std::string(100000, 'x'), std::string(1 << 20, 'e')}) {
    v1::GetEventRequest request;
    request.set_name(name);
    v1::Event event;
    grpc::Status status =
        query_->GetEvent(ContextWithDeadline().get(), request, &event);
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::NOT_FOUND ||
                status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_code() << " " << status.error_message().substr(0, 200);
    EXPECT_LT(status.error_message().size() + status.error_details().size(),
              4096u);
  }
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

TEST_F(EndToEndTest, WatcherReceivesNewEventsInOrderWithCursors) {
  Watcher watcher(*query_, WatchRequest("", ""));
  ASSERT_TRUE(watcher.WaitUntilStarted(SecondsFromNow(20)));
  const std::vector<std::string> expected =
      EventIds({Ingest(Report(1)), Ingest(Report(2))});
  ASSERT_GT(expected.size(), 2u);

  std::vector<v1::WatchEventsResponse> received =
      watcher.WaitForResponses(expected.size(), SecondsFromNow(20));
  EXPECT_EQ(EventIds(received), expected);
  std::set<std::string> cursors;
  for (const v1::WatchEventsResponse& response : received) {
    EXPECT_FALSE(response.cursor().empty());
    cursors.insert(response.cursor());
  }
  EXPECT_EQ(cursors.size(), received.size());
}

TEST_F(EndToEndTest, WatchResumedFromACursorGetsExactlyTheRest) {
  Watcher first(*query_, WatchRequest("", ""));
  ASSERT_TRUE(first.WaitUntilStarted(SecondsFromNow(20)));
  const v1::IngestArticleResponse one = Ingest(Report(1));
  const v1::IngestArticleResponse two = Ingest(Report(2));
  const std::vector<std::string> all = EventIds({one, two});
  std::vector<v1::WatchEventsResponse> seen =
      first.WaitForResponses(all.size(), SecondsFromNow(20));
  ASSERT_EQ(EventIds(seen), all);

  // Resumed after the first event, and after the last of article one.
  for (size_t resume_after : {size_t{0}, size_t(one.events_size() - 1)}) {
    SCOPED_TRACE(resume_after);
    Watcher resumed(*query_, WatchRequest("", seen[resume_after].cursor()));
    const std::vector<std::string> rest(all.begin() + resume_after + 1,
                                        all.end());
    std::vector<v1::WatchEventsResponse> got =
        resumed.WaitForResponses(rest.size(), SecondsFromNow(20));
    EXPECT_EQ(EventIds(got), rest);
    for (size_t i = 0; i < got.size() && i < rest.size(); ++i) {
      EXPECT_EQ(got[i].cursor(), seen[resume_after + 1 + i].cursor());
    }
  }

  // Nothing repeated: after the rest, the next response is a new event.
  Watcher resumed(*query_, WatchRequest("", seen.back().cursor()));
  ASSERT_TRUE(resumed.WaitUntilStarted(SecondsFromNow(20)));
  const std::vector<std::string> three = EventIds({Ingest(Report(3))});
  EXPECT_EQ(
      EventIds(resumed.WaitForResponses(three.size(), SecondsFromNow(20))),
      three);
}

TEST_F(EndToEndTest, WatchSendsOnlyEventsMatchingItsFilter) {
  // ParseArticle tells the id the second article will be stored under.
  v1::ParseArticleRequest parse;
  parse.mutable_article()->set_text(Report(2));
  v1::ParseArticleResponse parsed;
  ASSERT_TRUE(
      ingest_->ParseArticle(ContextWithDeadline().get(), parse, &parsed).ok());
  Watcher filtered(
      *query_,
      WatchRequest("article_id = \"" + parsed.article().id() + "\"", ""));
  Watcher unfiltered(*query_, WatchRequest("", ""));
  ASSERT_TRUE(filtered.WaitUntilStarted(SecondsFromNow(20)));
  ASSERT_TRUE(unfiltered.WaitUntilStarted(SecondsFromNow(20)));

  const v1::IngestArticleResponse one = Ingest(Report(1));
  const v1::IngestArticleResponse two = Ingest(Report(2));
  ASSERT_EQ(two.article().id(), parsed.article().id());
  unfiltered.WaitForResponses(one.events_size() + two.events_size(),
                              SecondsFromNow(20));
  // Article one was stored first: had any of its events passed the filter,
  // they would come before article two's.
  EXPECT_EQ(EventIds(filtered.WaitForResponses(two.events_size(),
                                               SecondsFromNow(20))),
            EventIds({two}));
}

TEST_F(EndToEndTest, ShutdownEndsOpenWatchesWithOkPromptly) {
  Watcher idle(*query_, WatchRequest("type = EVENT_TYPE_RIOT", ""));
  Watcher streaming(*query_, WatchRequest("", ""));
  ASSERT_TRUE(idle.WaitUntilStarted(SecondsFromNow(20)));
  ASSERT_TRUE(streaming.WaitUntilStarted(SecondsFromNow(20)));
  const v1::IngestArticleResponse ingested = Ingest(Report(1));
  ASSERT_EQ(
      streaming.WaitForResponses(ingested.events_size(), SecondsFromNow(20))
          .size(),
      static_cast<size_t>(ingested.events_size()));

  // The query service is given 10 s of grace; open watches must not use it.
  const absl::Time signalled = absl::Now();
  services_.query().Signal(SIGTERM);
  for (Watcher* watcher : {&idle, &streaming}) {
    std::optional<grpc::Status> status =
        watcher->WaitForEnd(signalled + absl::Seconds(5));
    ASSERT_TRUE(status.has_value()) << "watch still open 5 s after SIGTERM";
    EXPECT_TRUE(status->ok()) << status->error_message();
  }
  absl::StatusOr<int> exit = services_.query().Wait(absl::Seconds(5));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << *exit;
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(5));
}

// Watches cancelled by their clients, idle or in the middle of a stream, are
// ended and freed: the connection takes new ones, and the service still
// stops promptly and cleanly (a watch never finished would hold it; a leaked
// one fails the exit status under LeakSanitizer).
TEST_F(EndToEndTest, CancelledWatchesAreFreed) {
  constexpr int kWatchers = 200;  // the connection allows 256 streams
  std::shared_ptr<grpc::Channel> channel =
      OwnConnection(services_.query_port());
  auto stub = QueryService::NewStub(channel);
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < kWatchers; ++i) {
    watchers.push_back(std::make_unique<Watcher>(
        *stub, WatchRequest(i % 2 ? "" : "type = EVENT_TYPE_RIOT", "")));
  }
  for (auto& watcher : watchers) {
    ASSERT_TRUE(watcher->WaitUntilStarted(SecondsFromNow(20)));
  }
  // Every other watcher is in the middle of a stream when it cancels.
  Ingest(Report(1));
  for (int i = 1; i < kWatchers; i += 2) {
    ASSERT_FALSE(watchers[i]->WaitForResponses(1, SecondsFromNow(20)).empty());
  }
  for (auto& watcher : watchers) watcher->Cancel();
  for (auto& watcher : watchers) {
    std::optional<grpc::Status> status =
        watcher->WaitForEnd(SecondsFromNow(20));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->error_code(), grpc::StatusCode::CANCELLED);
  }
  watchers.clear();

  for (int i = 0; i < kWatchers; ++i) {
    watchers.push_back(std::make_unique<Watcher>(*stub, WatchRequest("", "")));
  }
  for (auto& watcher : watchers) {
    ASSERT_TRUE(watcher->WaitUntilStarted(SecondsFromNow(20)));
  }
  const std::vector<std::string> expected = EventIds({Ingest(Report(2))});
  for (auto& watcher : watchers) {
    EXPECT_EQ(EventIds(watcher->WaitForResponses(expected.size(),
                                                 SecondsFromNow(20))),
              expected);
  }
  for (auto& watcher : watchers) watcher->Cancel();

  const absl::Time signalled = absl::Now();
  services_.query().Signal(SIGTERM);
  absl::StatusOr<int> exit = services_.query().Wait(absl::Seconds(5));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << *exit;
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(5));
}

// One stored article wakes every watcher at once. 2,000 watchers (the
// issue's figure) need more refills than the query service's worker queue
// admits (1,024; the service has no flag to make it smaller, hence so many
// watchers). A refill the full queue refused used to be dropped, and its
// watcher never heard of the event (issue 13, defect 4): 455 of 1,500 once.
TEST_F(EndToEndTest, ManyWatchersAllReceiveANewEvent) {
  constexpr int kConnections = 8;
  constexpr int kWatchersPerConnection = 250;  // a connection allows 256
  std::vector<std::unique_ptr<QueryService::Stub>> stubs;
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int c = 0; c < kConnections; ++c) {
    stubs.push_back(
        QueryService::NewStub(OwnConnection(services_.query_port())));
    for (int i = 0; i < kWatchersPerConnection; ++i) {
      watchers.push_back(
          std::make_unique<Watcher>(*stubs.back(), WatchRequest("", "")));
    }
  }
  for (auto& watcher : watchers) {
    ASSERT_TRUE(watcher->WaitUntilStarted(SecondsFromNow(60)));
  }

  const std::vector<std::string> expected = EventIds({Ingest(Report(1))});
  const absl::Time deadline = SecondsFromNow(30);
  int complete = 0;
  for (auto& watcher : watchers) {
    if (EventIds(watcher->WaitForResponses(expected.size(), deadline)) ==
        expected) {
      ++complete;
    }
  }
  EXPECT_EQ(complete, kConnections * kWatchersPerConnection);
}

// A connection whose client announces a small receive window and never
// grows it (no BDP probing), so a watcher on it that stops reading stalls
// the query service's writes after a response or two.
std::shared_ptr<grpc::Channel> SmallWindowConnection(int port) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  arguments.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(),
                                   arguments);
}

// The ErrorInfo of a failed call, if it has one.
std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info;
  }
  return std::nullopt;
}

// Watchers whose clients stop reading (issue 13, defect 2), against a query
// service that ends a stream after kStallSeconds without progress.
class SlowWatcherTest : public EndToEndTest {
 protected:
  static constexpr int kStallSeconds = 4;

  void SetUp() override {
    services_.set_query_flags(
        {absl::StrCat("--watch_stall_seconds=", kStallSeconds)});
    EndToEndTest::SetUp();
    slow_stub_ = QueryService::NewStub(
        SmallWindowConnection(services_.query_port()));
  }

  // Ingests `count` articles; returns their event ids in store order.
  std::vector<std::string> IngestReports(int count) {
    std::vector<v1::IngestArticleResponse> ingested;
    for (int i = 0; i < count; ++i) ingested.push_back(Ingest(Report(i)));
    return EventIds(ingested);
  }

  std::unique_ptr<QueryService::Stub> slow_stub_;
};

// The stalled stream is ended with RESOURCE_EXHAUSTED and a cursor, which
// the client reads once it reads again; resuming from that cursor gives the
// rest, and a watcher that kept reading missed nothing meanwhile.
TEST_F(SlowWatcherTest, EndedWithAResumeCursorWhileOthersKeepReceiving) {
  Watcher slow(*slow_stub_, WatchRequest("", ""), /*pause_after=*/1);
  Watcher reader(*query_, WatchRequest("", ""));
  ASSERT_TRUE(slow.WaitUntilStarted(SecondsFromNow(20)));
  ASSERT_TRUE(reader.WaitUntilStarted(SecondsFromNow(20)));
  const std::vector<std::string> expected = IngestReports(8);
  EXPECT_EQ(EventIds(reader.WaitForResponses(expected.size(),
                                             SecondsFromNow(30))),
            expected);

  // The stall began before now, so the service has ended the stream by
  // 1.25 stall limits from now (it looks every quarter limit), and cancels
  // it one limit after that: read again in between.
  absl::SleepFor(absl::Seconds(kStallSeconds) * 1.5);
  slow.ResumeReading();
  std::optional<grpc::Status> status = slow.WaitForEnd(SecondsFromNow(20));
  ASSERT_TRUE(status.has_value());
  ASSERT_EQ(status->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status->error_message();
  std::optional<google::rpc::ErrorInfo> info = ErrorInfoOf(*status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "WATCHER_TOO_SLOW");
  const std::string resume_cursor = info->metadata().at("resume_cursor");

  // The cursor is that of a response the client has; at most the one after
  // it (in flight when the stream ended) came too.
  const std::vector<v1::WatchEventsResponse> received =
      slow.WaitForResponses(expected.size(), SecondsFromNow(1));
  size_t resume_after = received.size();
  for (size_t i = 0; i < received.size(); ++i) {
    if (received[i].cursor() == resume_cursor) resume_after = i;
  }
  ASSERT_LT(resume_after, received.size()) << resume_cursor;
  EXPECT_LE(received.size(), resume_after + 2);
  ASSERT_LT(received.size(), expected.size()) << "the stream never stalled";

  Watcher resumed(*query_, WatchRequest("", resume_cursor));
  std::vector<std::string> ids = EventIds(received);
  ids.resize(resume_after + 1);
  for (const std::string& id : EventIds(resumed.WaitForResponses(
           expected.size() - ids.size(), SecondsFromNow(30)))) {
    ids.push_back(id);
  }
  EXPECT_EQ(ids, expected);
}

// A client that never reads again cannot take the status: one stall limit
// after the service ended its stream, it cancels it, which frees the call.
// (The client learns of it only when it reads: gRPC delivers a status after
// the messages before it.)
TEST_F(SlowWatcherTest, NeverReadingAgainIsCancelled) {
  Watcher slow(*slow_stub_, WatchRequest("", ""), /*pause_after=*/1);
  ASSERT_TRUE(slow.WaitUntilStarted(SecondsFromNow(20)));
  const std::vector<std::string> expected = IngestReports(8);
  // Ended by 1.25 limits from the stall, cancelled 1.25 limits after that.
  absl::SleepFor(absl::Seconds(kStallSeconds) * 3);
  slow.ResumeReading();
  std::optional<grpc::Status> status = slow.WaitForEnd(SecondsFromNow(20));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::CANCELLED)
      << status->error_message();
  EXPECT_LT(slow.WaitForResponses(expected.size(), SecondsFromNow(0)).size(),
            expected.size());
}

// The resident memory of process `pid` in bytes (0 if unknown).
size_t ResidentBytes(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    size_t kilobytes = 0;
    if (absl::StartsWith(line, "VmRSS:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::StripSuffix(
                             absl::StripPrefix(line, "VmRSS:"), "kB")),
                         &kilobytes)) {
      return kilobytes * 1024;
    }
  }
  return 0;
}

// Twenty clients that never read while 300 articles go in (an outside probe
// once saw 23 MB per such stream, never released): their streams stall at
// once (small windows), the service's memory grows by little more than the
// stored events, and a reading watcher still gets every event.
TEST_F(SlowWatcherTest, TwentyStalledStreamsCostBoundedMemory) {
#ifdef NEWSEVENTS_SANITIZED
  // AddressSanitizer's shadow memory and quarantine (60 MB -> 149 MB here)
  // would measure the sanitizer, not the service.
  GTEST_SKIP() << "resident memory is measured in the unsanitized build";
#endif
  std::vector<std::unique_ptr<QueryService::Stub>> stubs;
  std::vector<std::unique_ptr<Watcher>> stalled;
  for (int c = 0; c < 2; ++c) {
    stubs.push_back(
        QueryService::NewStub(SmallWindowConnection(services_.query_port())));
    for (int i = 0; i < 10; ++i) {
      stalled.push_back(std::make_unique<Watcher>(
          *stubs.back(), WatchRequest("", ""), /*pause_after=*/0));
    }
  }
  Watcher reader(*query_, WatchRequest("", ""));
  for (auto& watcher : stalled) {
    ASSERT_TRUE(watcher->WaitUntilStarted(SecondsFromNow(20)));
  }
  ASSERT_TRUE(reader.WaitUntilStarted(SecondsFromNow(20)));
  const size_t before = ResidentBytes(services_.query().pid());
  const std::vector<std::string> expected = IngestReports(300);
  EXPECT_EQ(EventIds(reader.WaitForResponses(expected.size(),
                                             SecondsFromNow(60))),
            expected);
  const size_t after = ResidentBytes(services_.query().pid());
  ASSERT_GT(before, 0u);
  std::cout << "query_service resident memory: " << before / 1048576
            << " MB -> " << after / 1048576 << " MB with 20 stalled watchers, "
            << expected.size() << " events\n";
  EXPECT_LT(after, before + 64 * 1048576);
}

// A stalled stream does not hold shutdown for the grace period (10 s).
TEST_F(SlowWatcherTest, ShutdownIsNotHeldByAStalledStream) {
  Watcher slow(*slow_stub_, WatchRequest("", ""), /*pause_after=*/1);
  ASSERT_TRUE(slow.WaitUntilStarted(SecondsFromNow(20)));
  const std::vector<std::string> expected = IngestReports(8);
  ASSERT_EQ(slow.WaitForResponses(expected.size(), SecondsFromNow(1)).size(),
            1u);

  const absl::Time signalled = absl::Now();
  services_.query().Signal(SIGTERM);
  absl::StatusOr<int> exit = services_.query().Wait(absl::Seconds(8));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << *exit;
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(5));
  slow.ResumeReading();
  EXPECT_TRUE(slow.WaitForEnd(SecondsFromNow(10)).has_value());
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
