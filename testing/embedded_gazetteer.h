#ifndef NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_
#define NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_

// The gazetteer embedded in the binary, loaded once per test process
// (loading takes ~0.1 s) and shared, immutable, by every test. A load
// failure fails the test that asked and aborts: no test can run without it.

#include <cstdlib>

#include "gtest/gtest.h"
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

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_EMBEDDED_GAZETTEER_H_
