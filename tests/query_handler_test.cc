// QueryHandler end to end over a real RocksDB store: validation, Get/List
// with filters and page tokens, aggregation, claims, watches, restarts and
// health.
#include "query_service/store/query_handler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "testing/disk_faults.h"
#include "testing/test_directories.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::AddQuantity;
using testing_records::MakeArticle;
using testing_records::MakeDate;
using testing_records::MakeEvent;
using testing_records::MakeRecord;

// An empty directory path (the handler creates it), removed after the run.
std::string FreshDir(absl::string_view name) {
  const std::string dir = newsevents::testing::FreshTestDirectory(
      absl::StrCat("query_handler_", name));
  std::filesystem::remove_all(dir);
  return dir;
}

std::unique_ptr<QueryHandler> CreateOrDie(const std::string& dir,
                                          int default_page_size = 50) {
  QueryHandlerOptions options;
  options.data_dir = dir;
  options.default_page_size = default_page_size;
  options.max_page_size = 100;
  absl::StatusOr<std::unique_ptr<QueryHandler>> handler =
      QueryHandler::Create(std::move(options));
  EXPECT_TRUE(handler.ok()) << handler.status();
  return handler.ok() ? std::move(*handler) : nullptr;
}

void Store(QueryHandler& handler, std::vector<v1::ArticleRecord> records) {
  absl::StatusOr<StoreResult> result = handler.StoreRecords("ingest", records);
  ASSERT_TRUE(result.ok()) << result.status();
}

std::string ViolatedField(const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations[0].field;
}

// Article n has events of alternating type: even k protest, odd k riot.
v1::ArticleRecord MixedRecord(int n, int events, uint64_t sequence) {
  v1::ArticleRecord record = MakeRecord(n, 0, sequence);
  for (int k = 0; k < events; ++k) {
    *record.add_events() =
        MakeEvent(record.article(), k,
                  k % 2 ? v1::EVENT_TYPE_RIOT : v1::EVENT_TYPE_PROTEST);
  }
  return record;
}

std::vector<std::string> WalkAllPages(const QueryHandler& handler,
                                      v1::ListEventsRequest request) {
  std::vector<std::string> ids;
  for (int guard = 0; guard < 1000; ++guard) {
    absl::StatusOr<v1::ListEventsResponse> page = handler.ListEvents(request);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    for (const v1::Event& e : page->events()) ids.push_back(e.id());
    if (page->next_page_token().empty()) break;
    EXPECT_EQ(page->events_size(),
              request.page_size() == 0 ? 50 : request.page_size());
    request.set_page_token(page->next_page_token());
  }
  return ids;
}

TEST(QueryHandler, GetEventReturnsStoredEvent) {
  auto handler = CreateOrDie(FreshDir("get"));
  Store(*handler, {MakeRecord(1, 2, 1)});
  v1::GetEventRequest request;
  request.set_name("events/a1-e1");
  absl::StatusOr<v1::Event> event = handler->GetEvent(request);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->id(), "a1-e1");
  EXPECT_TRUE(event->has_create_time());
}

TEST(QueryHandler, GetRejectsBadNamesAndReportsUnknownOnes) {
  auto handler = CreateOrDie(FreshDir("get_errors"));
  v1::GetEventRequest request;
  for (const char* bad :
       {"", "a1-e1", "articles/a1", "events/", "events/a/b"}) {
    request.set_name(bad);
    absl::Status status = handler->GetEvent(request).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(ViolatedField(status), "name") << bad;
  }
  request.set_name("events/missing");
  EXPECT_EQ(handler->GetEvent(request).status().code(),
            absl::StatusCode::kNotFound);
  v1::GetArticleRequest article_request;
  article_request.set_name("articles/missing");
  EXPECT_EQ(handler->GetArticle(article_request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(QueryHandler, PaginationVisitsEveryEventExactlyOnce) {
  auto handler = CreateOrDie(FreshDir("walk"));
  for (int n = 0; n < 9; ++n)
    Store(*handler, {MixedRecord(n, 5, n + 1)});  // 45 events
  for (const char* order :
       {"", "create_time", "date desc", "published_date", "confidence desc",
        "published_date desc, create_time"}) {
    v1::ListEventsRequest request;
    request.set_page_size(7);
    request.set_order_by(order);
    std::vector<std::string> ids = WalkAllPages(*handler, request);
    EXPECT_EQ(ids.size(), 45u) << order;
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 45u)
        << order;
  }
  v1::ListEventsRequest riots;
  riots.set_page_size(4);
  riots.set_filter("type = RIOT");
  EXPECT_EQ(WalkAllPages(*handler, riots).size(), 18u);
}

TEST(QueryHandler, DefaultOrderIsNewestFirstWithTotalSize) {
  auto handler = CreateOrDie(FreshDir("newest"));
  Store(*handler, {MakeRecord(1, 2, 1)});
  Store(*handler, {MakeRecord(2, 2, 2)});
  v1::ListEventsRequest request;
  request.set_page_size(3);
  absl::StatusOr<v1::ListEventsResponse> page = handler->ListEvents(request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events_size(), 3);
  EXPECT_EQ(page->events(0).id(), "a2-e1");
  EXPECT_EQ(page->events(2).id(), "a1-e1");
  EXPECT_EQ(page->total_size(), 4);
  EXPECT_FALSE(page->next_page_token().empty());
}

TEST(QueryHandler, PaginationStableWhileEventsArrive) {
  auto handler = CreateOrDie(FreshDir("stable"));
  Store(*handler, {MakeRecord(1, 6, 1)});
  v1::ListEventsRequest request;
  request.set_page_size(4);
  absl::StatusOr<v1::ListEventsResponse> first = handler->ListEvents(request);
  ASSERT_TRUE(first.ok());
  Store(*handler,
        {MakeRecord(2, 3, 2)});  // newer events sort before the cursor
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListEventsResponse> second = handler->ListEvents(request);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->events_size(), 2);
  EXPECT_EQ(second->events(0).id(), "a1-e1");
  EXPECT_EQ(second->events(1).id(), "a1-e0");
  EXPECT_TRUE(second->next_page_token().empty());
}

TEST(QueryHandler, PageTokenRejectedWithDifferentFilter) {
  auto handler = CreateOrDie(FreshDir("token_filter"));
  Store(*handler, {MixedRecord(1, 6, 1)});
  v1::ListEventsRequest request;
  request.set_page_size(1);
  request.set_filter("type = PROTEST");
  absl::StatusOr<v1::ListEventsResponse> first = handler->ListEvents(request);
  ASSERT_TRUE(first.ok());
  request.set_page_token(first->next_page_token());
  request.set_filter("type = RIOT");
  absl::Status status = handler->ListEvents(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedField(status), "page_token");
  request.set_filter("type = PROTEST");
  request.set_order_by("date");
  EXPECT_EQ(ViolatedField(handler->ListEvents(request).status()), "page_token");
}

TEST(QueryHandler, TamperedPageTokenRejected) {
  auto handler = CreateOrDie(FreshDir("token_tamper"));
  Store(*handler, {MakeRecord(1, 3, 1)});
  v1::ListEventsRequest request;
  request.set_page_size(1);
  absl::StatusOr<v1::ListEventsResponse> first = handler->ListEvents(request);
  ASSERT_TRUE(first.ok());
  std::string token = first->next_page_token();
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {token, std::string("garbage!"), std::string("AAAA")}) {
    request.set_page_token(bad);
    EXPECT_EQ(ViolatedField(handler->ListEvents(request).status()),
              "page_token")
        << bad;
  }
}

TEST(QueryHandler, PageSizeDefaultsCoercionAndNegative) {
  auto handler = CreateOrDie(FreshDir("page_size"), /*default_page_size=*/3);
  for (int n = 0; n < 30; ++n)
    Store(*handler, {MakeRecord(n, 5, n + 1)});  // 150 events
  v1::ListEventsRequest request;
  EXPECT_EQ(handler->ListEvents(request)->events_size(), 3);
  request.set_page_size(1000);
  EXPECT_EQ(handler->ListEvents(request)->events_size(), 100);  // max_page_size
  request.set_page_size(-1);
  EXPECT_EQ(ViolatedField(handler->ListEvents(request).status()), "page_size");
}

TEST(QueryHandler, InvalidFilterOrderByGroupByNameTheField) {
  auto handler = CreateOrDie(FreshDir("invalid"));
  v1::ListEventsRequest list;
  list.set_filter("colour = red");
  EXPECT_EQ(ViolatedField(handler->ListEvents(list).status()), "filter");
  list.set_filter("");
  list.set_order_by("colour");
  EXPECT_EQ(ViolatedField(handler->ListEvents(list).status()), "order_by");
  list.set_order_by("date sideways");
  EXPECT_EQ(ViolatedField(handler->ListEvents(list).status()), "order_by");
  v1::AggregateEventsRequest aggregate;
  aggregate.add_group_by("colour");
  EXPECT_EQ(ViolatedField(handler->AggregateEvents(aggregate).status()),
            "group_by");
  v1::WatchEventsRequest watch;
  watch.set_start_cursor("not a cursor");
  EXPECT_EQ(ViolatedField(handler->Watch(watch).status()), "start_cursor");
  watch.set_start_cursor("");
  watch.set_filter("type = = RIOT");
  EXPECT_EQ(ViolatedField(handler->Watch(watch).status()), "filter");
  v1::ListClaimsRequest claims;
  claims.set_order_by("banana");
  EXPECT_EQ(ViolatedField(handler->ListClaims(claims).status()), "order_by");
}

TEST(QueryHandler, IndexedFiltersAgreeWithFullScan) {
  auto handler = CreateOrDie(FreshDir("index_agree"));
  for (int n = 0; n < 12; ++n) {
    v1::ArticleRecord record = MixedRecord(n, 4, n + 1);
    record.mutable_article()->set_outlet(n % 3 ? "Reuters" : "AP");
    for (auto& e : *record.mutable_events()) {
      e.set_outlet(record.article().outlet());
      if (n % 4 == 0) e.mutable_location()->set_country_code("KG");
      if (n % 5 == 0) *e.mutable_date() = MakeDate(2022, 1, 9);
      if (e.type() == v1::EVENT_TYPE_RIOT)
        AddQuantity(e, v1::QUANTITY_KIND_KILLED, n);
    }
    Store(*handler, {record});
  }
  // Each pair: an indexable filter and an equivalent that defeats the index.
  const std::pair<const char*, const char*> pairs[] = {
      {"type = RIOT", "NOT type != RIOT"},
      {"location.country_code = KG AND outlet = AP",
       "NOT location.country_code != KG AND NOT outlet != AP"},
      {"date >= 2022-01-08", "NOT date < 2022-01-08"},
      {"evidence.text:\"tear gas\" AND quantities.kind = KILLED",
       "evidence.text:\"tear gas\" AND NOT (NOT quantities.kind = KILLED)"},
      {"type = RIOT OR outlet = AP", "NOT (type != RIOT AND outlet != AP)"},
      {"\"report 3\"", "evidence.text:\"report 3\""},
  };
  for (const auto& [indexed, scanned] : pairs) {
    v1::ListEventsRequest a, b;
    a.set_filter(indexed);
    a.set_page_size(100);
    b.set_filter(scanned);
    b.set_page_size(100);
    absl::StatusOr<v1::ListEventsResponse> ra = handler->ListEvents(a),
                                           rb = handler->ListEvents(b);
    ASSERT_TRUE(ra.ok() && rb.ok()) << ra.status() << rb.status();
    EXPECT_GT(ra->total_size(), 0) << indexed;
    EXPECT_EQ(ra->total_size(), rb->total_size()) << indexed;
    EXPECT_EQ(ra->SerializeAsString(), rb->SerializeAsString()) << indexed;
  }
}

TEST(QueryHandler, StoreRecordsIsIdempotentAndAcknowledges) {
  auto handler = CreateOrDie(FreshDir("idempotent"));
  absl::StatusOr<StoreResult> first =
      handler->StoreRecords("p", {MakeRecord(1, 3, 5)});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->acknowledged_sequence, 5u);
  EXPECT_EQ(first->stored_event_count, 3);
  absl::StatusOr<StoreResult> again =
      handler->StoreRecords("p", {MakeRecord(1, 3, 5)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->acknowledged_sequence, 5u);
  EXPECT_EQ(handler->ListEvents({})->total_size(), 3);
  EXPECT_EQ(handler->LastStoredSequence("p"), 5u);
  EXPECT_EQ(handler->LastStoredSequence("q"), 0u);
}

TEST(QueryHandler, ReopenRestoresEventsIndexesAndSequences) {
  const std::string dir = FreshDir("reopen");
  {
    auto handler = CreateOrDie(dir);
    Store(*handler, {MixedRecord(1, 4, 8)});
  }
  auto handler = CreateOrDie(dir);
  EXPECT_EQ(handler->LastStoredSequence("ingest"), 8u);
  v1::ListEventsRequest request;
  request.set_filter("type = RIOT");
  EXPECT_EQ(handler->ListEvents(request)->total_size(), 2);
  v1::GetArticleRequest article;
  article.set_name("articles/a1");
  absl::StatusOr<v1::Article> got = handler->GetArticle(article);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->text(), "Full text of article 1.");
}

TEST(QueryHandler, ListArticlesNewestFirstWithText) {
  auto handler = CreateOrDie(FreshDir("articles"));
  for (int n = 0; n < 5; ++n)
    Store(*handler, {MakeRecord(n, 1, n + 1, n % 2 ? "AP" : "Reuters")});
  v1::ListArticlesRequest request;
  request.set_page_size(2);
  request.set_filter("outlet = Reuters");
  absl::StatusOr<v1::ListArticlesResponse> page =
      handler->ListArticles(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->articles_size(), 2);
  EXPECT_EQ(page->articles(0).id(), "a4");
  EXPECT_EQ(page->articles(0).text(), "Full text of article 4.");
  EXPECT_EQ(page->total_size(), 3);
  request.set_page_token(page->next_page_token());
  page = handler->ListArticles(request);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->articles_size(), 1);
  EXPECT_EQ(page->articles(0).id(), "a0");
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST(QueryHandler, WatchWithoutCursorSeesOnlyNewEvents) {
  auto handler = CreateOrDie(FreshDir("watch_new"));
  Store(*handler, {MakeRecord(1, 2, 1)});
  absl::StatusOr<std::unique_ptr<EventWatch>> watch = handler->Watch({});
  ASSERT_TRUE(watch.ok());
  std::atomic<int> notified{0};
  (*watch)->SetNotify([&] { ++notified; });
  EXPECT_TRUE((*watch)->Next(10).empty());
  Store(*handler, {MakeRecord(2, 2, 2)});
  EXPECT_EQ(notified.load(), 1);
  std::vector<v1::WatchEventsResponse> got = (*watch)->Next(10);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].event().id(), "a2-e0");
  EXPECT_TRUE((*watch)->Next(10).empty());
}

TEST(QueryHandler, WatchResumesAfterCursor) {
  auto handler = CreateOrDie(FreshDir("watch_resume"));
  absl::StatusOr<std::unique_ptr<EventWatch>> watch = handler->Watch({});
  ASSERT_TRUE(watch.ok());
  Store(*handler, {MixedRecord(1, 6, 1)});
  std::vector<v1::WatchEventsResponse> first = (*watch)->Next(2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[1].event().id(), "a1-e1");
  watch->reset();

  v1::WatchEventsRequest resume;
  resume.set_start_cursor(first[1].cursor());
  resume.set_filter("type = RIOT");
  absl::StatusOr<std::unique_ptr<EventWatch>> resumed = handler->Watch(resume);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  std::vector<v1::WatchEventsResponse> rest = (*resumed)->Next(100);
  ASSERT_EQ(rest.size(), 2u);  // riots e3 and e5 after e1
  EXPECT_EQ(rest[0].event().id(), "a1-e3");
  EXPECT_EQ(rest[1].event().id(), "a1-e5");
}

TEST(QueryHandler, HealthFalseAfterFailedWriteUntilReopenedWithRoom) {
  // The write-ahead log fails, as a write would on a full disk. (In-process
  // recovery once there is room again is the store's: see
  // Store.UnhealthyAfterFailedWriteUntilAWriteSucceeds. RocksDB may also
  // give up on its background recovery; a restart then recovers.)
  newsevents::testing::DiskFaults disk(".log");
  QueryHandlerOptions options;
  options.data_dir = FreshDir("health");
  options.env_for_testing = disk.env();
  {
    absl::StatusOr<std::unique_ptr<QueryHandler>> handler =
        QueryHandler::Create(options);
    ASSERT_TRUE(handler.ok());
    ASSERT_TRUE((*handler)->StoreRecords("p", {MakeRecord(1, 1, 1)}).ok());
    EXPECT_TRUE((*handler)->Healthy());
    disk.SetFull(true);
    absl::StatusOr<StoreResult> failed =
        (*handler)->StoreRecords("p", {MakeRecord(2, 1, 2)});
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_FALSE((*handler)->Healthy());
    EXPECT_EQ((*handler)->LastStoredSequence("p"), 1u);
    EXPECT_EQ((*handler)->ListEvents({})->total_size(), 1);
  }
  disk.SetFull(false);
  absl::StatusOr<std::unique_ptr<QueryHandler>> reopened =
      QueryHandler::Create(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE((*reopened)->Healthy());
  EXPECT_EQ((*reopened)->LastStoredSequence("p"), 1u);  // nothing half-written
  ASSERT_TRUE((*reopened)->StoreRecords("p", {MakeRecord(2, 1, 2)}).ok());
  EXPECT_EQ((*reopened)->ListEvents({})->total_size(), 2);
}

TEST(QueryHandler, CreateFailsClearlyOnUnusableDataDir) {
  const std::string file = FreshDir("file");
  { std::ofstream(file) << "x"; }
  QueryHandlerOptions options;
  options.data_dir = file + "/db";
  absl::StatusOr<std::unique_ptr<QueryHandler>> handler =
      QueryHandler::Create(options);
  ASSERT_FALSE(handler.ok());
  EXPECT_EQ(handler.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(handler.status().message().find(options.data_dir),
            std::string::npos);
}

TEST(QueryHandler, AggregateCountsAndSumsDistinctClaims) {
  auto handler = CreateOrDie(FreshDir("aggregate"));
  // Three outlets report the same 230 killed; one riot also reports 5 arrested.
  for (int n = 0; n < 3; ++n) {
    v1::ArticleRecord record = MakeRecord(n, 0, n + 1);
    v1::Event e = MakeEvent(record.article(), 0, v1::EVENT_TYPE_RIOT);
    AddQuantity(e, v1::QUANTITY_KIND_KILLED, 230);
    if (n == 0) AddQuantity(e, v1::QUANTITY_KIND_ARRESTED, 5);
    *record.add_events() = e;
    *record.add_events() =
        MakeEvent(record.article(), 1, v1::EVENT_TYPE_PROTEST);
    Store(*handler, {record});
  }
  v1::AggregateEventsRequest request;
  request.add_group_by("type");
  absl::StatusOr<v1::AggregateEventsResponse> response =
      handler->AggregateEvents(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->total_events(), 6);
  ASSERT_EQ(response->buckets_size(), 2);
  const v1::AggregateBucket& riots =
      response->buckets(0).keys(0) == "EVENT_TYPE_RIOT" ? response->buckets(0)
                                                        : response->buckets(1);
  EXPECT_EQ(riots.event_count(), 3);
  EXPECT_EQ(riots.quantity_sums().at("QUANTITY_KIND_KILLED"), 230);
  EXPECT_EQ(riots.quantity_sums().at("QUANTITY_KIND_ARRESTED"), 5);

  v1::AggregateEventsRequest by_kind;
  by_kind.set_filter("type = RIOT");
  by_kind.add_group_by("quantities.kind");
  by_kind.add_group_by("date.month");
  response = handler->AggregateEvents(by_kind);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->buckets_size(), 2);
  EXPECT_EQ(response->buckets(0).keys(0), "QUANTITY_KIND_KILLED");
  EXPECT_EQ(response->buckets(0).keys(1), "2022-01");
  EXPECT_EQ(response->buckets(0).event_count(), 3);
  EXPECT_EQ(response->buckets(0).quantity_sums().size(), 1u);
}

TEST(QueryHandler, ListClaimsFiltersOrdersAndPages) {
  auto handler = CreateOrDie(FreshDir("claims"));
  for (int n = 0; n < 4; ++n) {
    v1::ArticleRecord record =
        MakeRecord(n, 0, n + 1, absl::StrCat("Outlet ", n));
    v1::Event e = MakeEvent(record.article(), 0, v1::EVENT_TYPE_RIOT);
    AddQuantity(e, v1::QUANTITY_KIND_KILLED, 230);
    AddQuantity(e, v1::QUANTITY_KIND_INJURED,
                100 + n);  // four distinct figures
    *record.add_events() = e;
    Store(*handler, {record});
  }
  v1::ListClaimsRequest request;
  request.set_page_size(2);
  absl::StatusOr<v1::ListClaimsResponse> page = handler->ListClaims(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total_size(), 5);
  EXPECT_EQ(page->claims(0).value(), 230);  // most mentioned first
  EXPECT_EQ(page->claims(0).mention_count(), 4);
  int seen = page->claims_size();
  while (!page->next_page_token().empty()) {
    request.set_page_token(page->next_page_token());
    page = handler->ListClaims(request);
    ASSERT_TRUE(page.ok());
    seen += page->claims_size();
  }
  EXPECT_EQ(seen, 5);
  v1::ListClaimsRequest injured;
  injured.set_filter("kind = INJURED AND value >= 102");
  injured.set_order_by("value desc");
  page = handler->ListClaims(injured);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->claims_size(), 2);
  EXPECT_EQ(page->claims(0).value(), 103);
}

TEST(QueryHandler, ConcurrentStoresListsAndWatchesStayConsistent) {
  auto handler = CreateOrDie(FreshDir("concurrent"));
  absl::StatusOr<std::unique_ptr<EventWatch>> watch = handler->Watch({});
  ASSERT_TRUE(watch.ok());
  std::atomic<int> notifications{0};
  (*watch)->SetNotify([&] { ++notifications; });
  constexpr int kWriters = 3, kRecordsPerWriter = 20, kEventsPerRecord = 3;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRecordsPerWriter; ++i) {
        const int n = w * 1000 + i;
        // Every record is sent twice, as a redelivering producer would.
        for (int copy = 0; copy < 2; ++copy) {
          EXPECT_TRUE(
              handler
                  ->StoreRecords(absl::StrCat("p", w),
                                 {MakeRecord(n, kEventsPerRecord, i + 1)})
                  .ok());
        }
      }
    });
  }
  std::atomic<bool> stop{false};
  std::vector<std::string> watched;
  std::thread reader([&] {
    while (!stop.load()) {
      v1::ListEventsRequest request;
      request.set_filter("type = PROTEST");
      request.set_page_size(5);
      absl::StatusOr<v1::ListEventsResponse> page =
          handler->ListEvents(request);
      EXPECT_TRUE(page.ok());
      for (auto& r : (*watch)->Next(7)) watched.push_back(r.event().id());
    }
  });
  for (auto& t : threads) t.join();
  stop = true;
  reader.join();
  for (auto& r : (*watch)->Next(1000)) watched.push_back(r.event().id());
  constexpr int kTotal = kWriters * kRecordsPerWriter * kEventsPerRecord;
  EXPECT_EQ(watched.size(), static_cast<size_t>(kTotal));
  EXPECT_EQ(std::set<std::string>(watched.begin(), watched.end()).size(),
            static_cast<size_t>(kTotal));
  EXPECT_GT(notifications.load(), 0);
  v1::ListEventsRequest all;
  all.set_page_size(7);
  EXPECT_EQ(WalkAllPages(*handler, all).size(), static_cast<size_t>(kTotal));
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(handler->LastStoredSequence(absl::StrCat("p", w)),
              static_cast<uint64_t>(kRecordsPerWriter));
  }
}

}  // namespace
}  // namespace newsevents::query
