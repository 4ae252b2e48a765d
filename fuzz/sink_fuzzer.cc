// libFuzzer target: a batch as it arrives on the internal EventSinkService
// stream. Bytes -> StreamEventBatchesRequest -> the checks SinkStream makes
// (producer id, ValidateArticleRecord, increasing sequences) -> the
// QueryHandler's BatchStore over a real store -> reads of what was stored
// (GetEvent, GetArticle, ListEvents, ListClaims, AggregateEvents).
//
// Checked besides crashes, leaks and undefined behaviour: a validated batch
// is stored or refused with ALREADY_EXISTS (ids stored with other content),
// never anything else; what was stored reads back; and the store reopens
// (rebuilding its indexes from disk) after every kReopenEvery stored
// batches. The store starts afresh every kFreshEvery stored batches, so it
// stays small.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "query_service/sink/batch_store.h"
#include "query_service/sink/record_validator.h"
#include "query_service/store/query_handler.h"

namespace {

namespace q = newsevents::query;
namespace v1 = newsevents::v1;

constexpr int kReopenEvery = 64;
constexpr int kFreshEvery = 512;

void Expect(const absl::Status& status, absl::StatusCode allowed,
            const char* what) {
  if (status.ok() || status.code() == allowed) return;
  std::fprintf(stderr, "%s: unexpected error: %s\n", what,
               status.ToString().c_str());
  std::abort();
}

struct Sink {
  std::string data_dir;
  std::unique_ptr<q::QueryHandler> handler;
  int stored = 0;

  void Fresh() {
    handler.reset();
    if (!data_dir.empty()) std::filesystem::remove_all(data_dir);
    handler = newsevents::fuzz::NewFilledQueryHandler(&data_dir);
    stored = 0;
  }
  // Closes the store and opens it again from disk.
  void Reopen() {
    q::QueryHandlerOptions options;
    options.data_dir = data_dir;
    options.sync_writes = false;
    handler.reset();
    auto reopened = q::QueryHandler::Create(options);
    Expect(reopened.status(), absl::StatusCode::kOk, "reopen");
    handler = std::move(*reopened);
  }
};

Sink& TheSink() {
  static Sink* const sink = [] {
    auto* sink = new Sink;
    sink->Fresh();
    return sink;
  }();
  return *sink;
}

// SinkStream::TakeBatch's checks, for the first batch of a stream.
bool Acceptable(const v1::StreamEventBatchesRequest& request) {
  if (request.producer_id().empty() ||
      request.producer_id().size() > 2 * q::kMaxIdBytes) {
    return false;
  }
  uint64_t previous = 0;
  for (const v1::ArticleRecord& record : request.records()) {
    absl::Status valid = q::ValidateArticleRecord(record);
    Expect(valid, absl::StatusCode::kInvalidArgument, "validate");
    if (!valid.ok() || record.sequence() <= previous) return false;
    previous = record.sequence();
  }
  return request.records_size() > 0;
}

// Reads back the articles of `stored`, and lists over the whole store.
void ReadBack(const q::QueryHandler& handler,
              const v1::StreamEventBatchesRequest& stored) {
  for (const v1::ArticleRecord& record : stored.records()) {
    v1::GetArticleRequest article;
    article.set_name(absl::StrCat("articles/", record.article().id()));
    Expect(handler.GetArticle(article).status(), absl::StatusCode::kNotFound,
           "GetArticle");
  }
  v1::ListEventsRequest list;
  list.set_order_by("date desc, confidence");
  Expect(handler.ListEvents(list).status(), absl::StatusCode::kOk, "List");
  v1::ListClaimsRequest claims;
  claims.set_order_by("value desc, last_reported");
  Expect(handler.ListClaims(claims).status(), absl::StatusCode::kOk, "Claims");
  v1::AggregateEventsRequest aggregate;
  aggregate.add_group_by("type");
  aggregate.add_group_by("location.country_code");
  Expect(handler.AggregateEvents(aggregate).status(), absl::StatusCode::kOk,
         "Aggregate");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::StreamEventBatchesRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size)) ||
      !Acceptable(request)) {
    return 0;
  }
  Sink& sink = TheSink();
  // As SinkStream queues them: the store moves their contents out.
  std::vector<v1::ArticleRecord> batch(request.records().begin(),
                                       request.records().end());
  auto result = q::NewQueryHandlerBatchStore(sink.handler.get())
                    ->StoreBatch(request.producer_id(), absl::MakeSpan(batch));
  Expect(result.status(), absl::StatusCode::kAlreadyExists, "StoreBatch");
  ReadBack(*sink.handler, request);
  if (++sink.stored % kFreshEvery == 0) {
    sink.Fresh();
  } else if (sink.stored % kReopenEvery == 0) {
    sink.Reopen();
  }
  return 0;
}
