// The BatchStore over the real QueryHandler, kept in its own file (and
// library, `sink`) so the stream logic in `sink_core` builds and is tested
// without the store.
#include <memory>

#include "query_service/sink/batch_store.h"
#include "query_service/sink/event_sink_service.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {
namespace {

class QueryHandlerBatchStore final : public BatchStore {
 public:
  explicit QueryHandlerBatchStore(QueryHandler* handler) : handler_(handler) {}

  absl::StatusOr<StoredBatch> StoreBatch(
      absl::string_view producer_id,
      absl::Span<newsevents::v1::ArticleRecord> records) override {
    absl::StatusOr<StoreResult> result =
        handler_->StoreAndTakeRecords(producer_id, records);
    if (!result.ok()) return result.status();
    return StoredBatch{result->acknowledged_sequence,
                       result->stored_event_count};
  }

 private:
  QueryHandler* const handler_;
};

}  // namespace

std::unique_ptr<BatchStore> NewQueryHandlerBatchStore(QueryHandler* handler) {
  return std::make_unique<QueryHandlerBatchStore>(handler);
}

EventSinkServiceImpl::EventSinkServiceImpl(QueryHandler* handler,
                                           SinkOptions options)
    : EventSinkServiceImpl(NewQueryHandlerBatchStore(handler), options) {}

}  // namespace newsevents::query
