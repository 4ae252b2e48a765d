// libFuzzer target: every public request message through its handler, as
// the gRPC adapters call them. The first byte picks the method; the rest is
// the serialized request (an undecodable one is dropped, as gRPC drops it).
// QueryService methods run on a QueryHandler over a real store in a scratch
// directory, pre-filled with a few records; IngestService methods on an
// IngestHandler over the embedded extractor and an outbox in a scratch
// directory.
//
// Checked besides crashes, leaks and undefined behaviour:
//  - errors are client errors (INVALID_ARGUMENT, NOT_FOUND,
//    RESOURCE_EXHAUSTED), never INTERNAL, DATA_LOSS, UNKNOWN, ...;
//  - a List page holds at most the page size, and its next_page_token is
//    accepted for the next page;
//  - what ParseArticle returns is a record the query side's validator
//    accepts (else the forwarder could never deliver it).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "fuzz/fuzz_support.h"
#include "ingest_service/ingest_handler.h"
#include "ingest_service/outbox/outbox.h"
#include "query_service/sink/record_validator.h"
#include "query_service/store/query_handler.h"

namespace {

namespace q = newsevents::query;
namespace v1 = newsevents::v1;
using newsevents::ingest::IngestHandler;

void Check(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kResourceExhausted:
      return;
    default:
      std::fprintf(stderr, "unexpected error: %s\n", status.ToString().c_str());
      std::abort();
  }
}

q::QueryHandler& Query() {
  static q::QueryHandler* const handler =
      newsevents::fuzz::NewFilledQueryHandler().release();
  return *handler;
}

IngestHandler& Ingest() {
  static IngestHandler* const handler = [] {
    newsevents::outbox::OutboxOptions options;
    options.path = newsevents::fuzz::ScratchDirectory("outbox");
    options.sync = false;
    auto outbox = newsevents::outbox::Outbox::Open(options);
    if (!outbox.ok()) std::abort();
    return new IngestHandler(&newsevents::fuzz::EmbeddedExtractor(),
                             outbox->release());
  }();
  return *handler;
}

// Runs a List method, checks the page, and follows next_page_token once.
template <typename Request, typename Method, typename Rows>
void List(Request request, Method method, Rows rows) {
  for (int page = 0; page < 2; ++page) {
    auto response = (Query().*method)(request);
    Check(response.status());
    if (!response.ok()) return;
    const int size = (response.value().*rows)();
    if (size > 20 || (request.page_size() > 0 && size > request.page_size())) {
      std::abort();
    }
    if (response->next_page_token().empty()) return;
    request.set_page_token(response->next_page_token());
  }
}

void Watch(const v1::WatchEventsRequest& request) {
  auto watch = Query().Watch(request);
  Check(watch.status());
  if (watch.ok()) (void)(*watch)->Next(8);
}

void ParseArticle(const v1::ParseArticleRequest& request) {
  auto response = Ingest().ParseArticle(request);
  Check(response.status());
  if (!response.ok()) return;
  v1::ArticleRecord record;
  *record.mutable_article() = response->article();
  *record.mutable_events() = response->events();
  record.set_sequence(1);
  if (absl::Status valid = q::ValidateArticleRecord(record); !valid.ok()) {
    std::fprintf(stderr, "parsed record refused: %s\n",
                 valid.ToString().c_str());
    std::abort();
  }
}

template <typename Request>
bool Parse(const uint8_t* data, size_t size, Request* request) {
  return request->ParseFromArray(data, static_cast<int>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t method = data[0];
  ++data;
  --size;
  switch (method % 10) {
    case 0: {
      v1::GetEventRequest request;
      if (Parse(data, size, &request))
        Check(Query().GetEvent(request).status());
      break;
    }
    case 1: {
      v1::ListEventsRequest request;
      if (Parse(data, size, &request)) {
        List(request, &q::QueryHandler::ListEvents,
             &v1::ListEventsResponse::events_size);
      }
      break;
    }
    case 2: {
      v1::GetArticleRequest request;
      if (Parse(data, size, &request)) {
        Check(Query().GetArticle(request).status());
      }
      break;
    }
    case 3: {
      v1::ListArticlesRequest request;
      if (Parse(data, size, &request)) {
        List(request, &q::QueryHandler::ListArticles,
             &v1::ListArticlesResponse::articles_size);
      }
      break;
    }
    case 4: {
      v1::AggregateEventsRequest request;
      if (Parse(data, size, &request)) {
        Check(Query().AggregateEvents(request).status());
      }
      break;
    }
    case 5: {
      v1::ListClaimsRequest request;
      if (Parse(data, size, &request)) {
        List(request, &q::QueryHandler::ListClaims,
             &v1::ListClaimsResponse::claims_size);
      }
      break;
    }
    case 6: {
      v1::WatchEventsRequest request;
      if (Parse(data, size, &request)) Watch(request);
      break;
    }
    case 7: {
      v1::ParseArticleRequest request;
      if (Parse(data, size, &request)) ParseArticle(request);
      break;
    }
    case 8: {
      v1::IngestArticleRequest request;
      if (Parse(data, size, &request)) {
        Check(Ingest().IngestArticle(request).status());
      }
      break;
    }
    default: {
      v1::IngestArticlesRequest request;
      if (Parse(data, size, &request)) {
        v1::IngestArticlesResponse response =
            Ingest().IngestStreamItem(request);
        Check(absl::Status(static_cast<absl::StatusCode>(response.code()), ""));
      }
    }
  }
  return 0;
}
