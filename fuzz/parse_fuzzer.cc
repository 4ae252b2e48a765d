// libFuzzer target: Extractor::Parse must never crash, hang or report a span
// outside the input, whatever the bytes (NEWSEVENTS_FUZZ=ON, clang).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace {

const newsevents::extract::Extractor& GetExtractor() {
  static auto* gazetteer =
      newsevents::gazetteer::Gazetteer::LoadEmbedded()->release();
  static auto* extractor =
      newsevents::extract::Extractor::Create(gazetteer)->release();
  return *extractor;
}

void CheckSpan(const newsevents::v1::TextSpan& span, size_t size) {
  if (span.start() > span.end() || span.end() > size) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  newsevents::v1::ArticleInput input;
  input.set_raw(std::string(reinterpret_cast<const char*>(data), size));
  auto response = GetExtractor().Parse(input);
  if (!response.ok()) return 0;
  for (const auto& b : response->article().boilerplate_spans()) {
    CheckSpan(b.span(), size);
  }
  for (const auto& e : response->events()) {
    CheckSpan(e.evidence(), size);
    for (const auto& q : e.quantities()) CheckSpan(q.evidence(), size);
  }
  return 0;
}
