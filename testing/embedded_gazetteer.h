#ifndef NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_
#define NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_

// The gazetteer embedded in the binary, loaded once per test process
// (loading takes ~0.1 s) and shared, immutable, by every test; and an
// Extractor over it with the given options, one per distinct options value
// asked for. A load failure fails the test that asked and aborts: no test
// can run without it. Thread-safety: both may be called from any thread
// (function-local statics); the results are immutable and never freed.

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "gtest/gtest.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace newsevents::testing {

inline const gazetteer::Gazetteer& EmbeddedGazetteer() {
  static const gazetteer::Gazetteer* const loaded = [] {
    auto result = gazetteer::Gazetteer::LoadEmbedded();
    if (!result.ok()) {
      ADD_FAILURE() << result.status();
      std::abort();
    }
    return result->release();
  }();
  return *loaded;
}

// The extractor with default options, or with `max_article_bytes` and
// `keep_non_actual_events` as given (the key: extend it when ExtractorOptions
// gains a field).
inline const extract::Extractor& EmbeddedExtractor(
    extract::ExtractorOptions options = {}) {
  static std::mutex mu;
  static auto* extractors = new std::map<std::tuple<size_t, bool>,
                                         std::unique_ptr<extract::Extractor>>();
  const auto key = std::make_tuple(options.max_article_bytes,
                                   options.keep_non_actual_events);
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<extract::Extractor>& slot = (*extractors)[key];
  if (slot == nullptr) {
    auto created = extract::Extractor::Create(&EmbeddedGazetteer(), options);
    if (!created.ok()) {
      ADD_FAILURE() << created.status();
      std::abort();
    }
    slot = std::move(*created);
  }
  return *slot;
}

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_
