#ifndef NEWSEVENTS_FUZZ_FUZZ_SUPPORT_H_
#define NEWSEVENTS_FUZZ_FUZZ_SUPPORT_H_

// What the libFuzzer targets share: a QueryHandler over a real RocksDB store
// in a scratch directory, pre-filled with a few records, and the embedded
// extractor. Fuzz builds only (NEWSEVENTS_FUZZ=ON); nothing else links it.
//
// Errors: a set-up failure (store cannot open, gazetteer cannot load) prints
// the status and aborts, since no input can run without it.
// Ownership: NewFilledQueryHandler's handler is the caller's; its directory
// is removed when the process exits normally (a crash leaves it behind, with
// the crashing input, for the post-mortem).
// Thread-safety: the targets run one input at a time; so may these.

#include <memory>
#include <string>
#include <vector>

#include "ingest_service/extract/extractor.h"
#include "newsevents/v1/event_sink_service.pb.h"
#include "query_service/store/query_handler.h"

namespace newsevents::fuzz {

// The records every filled store starts with: a few articles with events
// of several types, dates and quantities (so filters, claims, aggregation
// and pagination have rows to work on).
std::vector<v1::ArticleRecord> SeedRecords();

// A QueryHandler over a new store in a fresh scratch directory holding
// SeedRecords(), with sync_writes off and small pages (so page tokens
// appear). Its directory goes to `data_dir` when not null.
std::unique_ptr<query::QueryHandler> NewFilledQueryHandler(
    std::string* data_dir = nullptr);

// The extractor over the embedded gazetteer, created once, never freed.
const extract::Extractor& EmbeddedExtractor();

// A fresh scratch directory (removed at normal exit) named after `name`.
std::string ScratchDirectory(const std::string& name);

}  // namespace newsevents::fuzz

#endif  // NEWSEVENTS_FUZZ_FUZZ_SUPPORT_H_
