// Writes the seed corpora of the fuzz targets that take serialized protos:
//   fuzz_seeds OUT_DIR SAMPLES_DIR
// fills OUT_DIR/request_fuzzer, OUT_DIR/page_token_fuzzer and
// OUT_DIR/sink_fuzzer with a few valid inputs each, built from the records
// of fuzz_support and from the sample articles in SAMPLES_DIR (parsed with
// the embedded extractor). deploy/fuzz.sh runs it before fuzzing; the
// filter target's seeds are checked in (fuzz/corpus/filter_fuzzer).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_support.h"
#include "newsevents/v1/ingest_service.pb.h"
#include "newsevents/v1/query_service.pb.h"
#include "query_service/store/query_handler.h"

namespace {

namespace fs = std::filesystem;
namespace v1 = newsevents::v1;

void Write(const fs::path& dir, const std::string& name,
           const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::string Tagged(uint8_t method, const google::protobuf::Message& request) {
  return std::string(1, static_cast<char>(method)) +
         request.SerializeAsString();
}

std::vector<std::string> ReadSamples(const fs::path& dir) {
  std::vector<std::string> texts;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    std::stringstream text;
    text << std::ifstream(entry.path(), std::ios::binary).rdbuf();
    texts.push_back(text.str());
  }
  return texts;
}

void RequestSeeds(const fs::path& out, const std::vector<std::string>& texts) {
  v1::GetEventRequest get_event;
  get_event.set_name("events/a1-e0");
  Write(out, "get_event", Tagged(0, get_event));
  v1::ListEventsRequest list_events;
  list_events.set_filter("type = RIOT AND quantities.value >= 10");
  list_events.set_order_by("date desc, confidence");
  list_events.set_page_size(2);
  Write(out, "list_events", Tagged(1, list_events));
  v1::GetArticleRequest get_article;
  get_article.set_name("articles/a2");
  Write(out, "get_article", Tagged(2, get_article));
  v1::ListArticlesRequest list_articles;
  list_articles.set_filter("outlet = Reuters published_date >= 2022-01");
  Write(out, "list_articles", Tagged(3, list_articles));
  v1::AggregateEventsRequest aggregate;
  aggregate.set_filter("date.year = 2022");
  aggregate.add_group_by("type");
  aggregate.add_group_by("location.country_code");
  Write(out, "aggregate", Tagged(4, aggregate));
  v1::ListClaimsRequest claims;
  claims.set_filter("kind = KILLED");
  claims.set_order_by("value desc");
  Write(out, "list_claims", Tagged(5, claims));
  v1::WatchEventsRequest watch;
  watch.set_filter("type = PROTEST");
  watch.set_start_cursor(newsevents::query::EncodeCursor(1));
  Write(out, "watch", Tagged(6, watch));
  for (size_t i = 0; i < texts.size() && i < 3; ++i) {
    v1::ParseArticleRequest parse;
    parse.mutable_article()->set_text(texts[i].substr(0, 4000));
    Write(out, absl::StrCat("parse_", i), Tagged(7, parse));
    v1::IngestArticleRequest ingest;
    ingest.mutable_article()->set_raw(texts[i].substr(0, 2000));
    ingest.mutable_article()->set_url("https://example.com/a");
    ingest.mutable_article()->mutable_published_date()->set_year(2022);
    Write(out, absl::StrCat("ingest_", i), Tagged(8, ingest));
    v1::IngestArticlesRequest item;
    item.mutable_article()->set_text(texts[i].substr(0, 1000));
    item.set_client_tag("t");
    Write(out, absl::StrCat("stream_", i), Tagged(9, item));
  }
}

void PageTokenSeeds(const fs::path& out) {
  std::string key(1, '\x02');
  const double values[] = {-20220105, 7};
  key.append(reinterpret_cast<const char*>(values), sizeof(values));
  key += "tiebreak";
  for (int mode = 0; mode < 3; ++mode) {
    for (int variant = 0; variant < 4; ++variant) {
      Write(out, absl::StrCat("key_", mode, "_", variant),
            std::string{static_cast<char>(mode), static_cast<char>(variant)} +
                key);
    }
  }
}

void SinkSeeds(const fs::path& out, const std::vector<std::string>& texts) {
  v1::StreamEventBatchesRequest batch;
  batch.set_producer_id("fuzz-producer");
  for (v1::ArticleRecord& record : newsevents::fuzz::SeedRecords()) {
    *batch.add_records() = std::move(record);
  }
  Write(out, "seed_records", batch.SerializeAsString());
  for (size_t i = 0; i < texts.size(); ++i) {
    v1::ArticleInput input;
    input.set_text(texts[i]);
    auto parsed = newsevents::fuzz::EmbeddedExtractor().Parse(input);
    if (!parsed.ok()) continue;
    v1::StreamEventBatchesRequest one;
    one.set_producer_id("fuzz-producer");
    v1::ArticleRecord& record = *one.add_records();
    *record.mutable_article() = parsed->article();
    *record.mutable_events() = parsed->events();
    record.set_sequence(i + 1);
    Write(out, absl::StrCat("sample_", i), one.SerializeAsString());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR SAMPLES_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  const std::vector<std::string> texts = ReadSamples(argv[2]);
  RequestSeeds(out / "request_fuzzer", texts);
  PageTokenSeeds(out / "page_token_fuzzer");
  SinkSeeds(out / "sink_fuzzer", texts);
  return 0;
}
