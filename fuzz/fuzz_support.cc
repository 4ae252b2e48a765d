#include "fuzz/fuzz_support.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/test_directories.h"
#include "testing/test_records.h"

namespace newsevents::fuzz {
namespace {

template <typename T>
T ValueOrDie(absl::StatusOr<T> result, const char* what) {
  if (!result.ok()) {
    std::fprintf(stderr, "fuzz set-up: %s: %s\n", what,
                 result.status().ToString().c_str());
    std::abort();
  }
  return std::move(*result);
}

}  // namespace

std::string ScratchDirectory(const std::string& name) {
  static std::atomic<int> count{0};
  static const bool registered = [] {
    std::atexit(&testing::RemoveTestDirectories);
    return true;
  }();
  (void)registered;
  return testing::FreshTestDirectory(
      absl::StrCat("fuzz_", name, "_", count.fetch_add(1)));
}

std::vector<v1::ArticleRecord> SeedRecords() {
  using namespace query::testing_records;  // NOLINT: builders only
  std::vector<v1::ArticleRecord> records;
  const v1::EventType types[] = {v1::EVENT_TYPE_PROTEST, v1::EVENT_TYPE_RIOT,
                                 v1::EVENT_TYPE_ARREST};
  for (int n = 0; n < 6; ++n) {
    v1::ArticleRecord& record = records.emplace_back(MakeRecord(
        n, /*events=*/0, /*sequence=*/n + 1, n % 2 == 0 ? "Reuters" : "AP"));
    for (int k = 0; k < 3; ++k) {
      v1::Event& event = *record.add_events();
      event = MakeEvent(record.article(), k, types[(n + k) % 3]);
      *event.mutable_date() = MakeDate(2022, 1 + n % 3, k == 2 ? 0 : 5 + k);
      AddQuantity(event, v1::QUANTITY_KIND_KILLED, 10 + n,
                  v1::GROUP_PROTESTERS);
      AddQuantity(event, v1::QUANTITY_KIND_ARRESTED, 100 * (k + 1));
    }
  }
  return records;
}

std::unique_ptr<query::QueryHandler> NewFilledQueryHandler(
    std::string* data_dir) {
  query::QueryHandlerOptions options;
  options.data_dir = ScratchDirectory("query");
  if (data_dir != nullptr) *data_dir = options.data_dir;
  options.sync_writes = false;
  options.default_page_size = 4;
  options.max_page_size = 20;
  std::unique_ptr<query::QueryHandler> handler =
      ValueOrDie(query::QueryHandler::Create(options), "QueryHandler::Create");
  std::vector<v1::ArticleRecord> records = SeedRecords();
  ValueOrDie(handler->StoreRecords("seed-producer", records), "StoreRecords");
  return handler;
}

const extract::Extractor& EmbeddedExtractor() {
  static const extract::Extractor* const extractor = [] {
    static gazetteer::Gazetteer* const gazetteer =
        ValueOrDie(gazetteer::Gazetteer::LoadEmbedded(), "LoadEmbedded")
            .release();
    return ValueOrDie(extract::Extractor::Create(gazetteer), "Extractor")
        .release();
  }();
  return *extractor;
}

}  // namespace newsevents::fuzz
