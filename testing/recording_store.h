#ifndef NEWSEVENTS_TESTING_RECORDING_STORE_H_
#define NEWSEVENTS_TESTING_RECORDING_STORE_H_

// Test support: a BatchStore that records what reached it (how often each
// article id was delivered), optionally passes batches on to a real store,
// and can fail or stall on demand. Header-only; tests and benchmarks only.
// Thread-safety: all methods are thread-safe.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "query_service/sink/batch_store.h"

namespace newsevents::query::testing {

class RecordingStore final : public BatchStore {
 public:
  // Stores in memory only, or through `inner` (not owned) when non-null.
  explicit RecordingStore(BatchStore* inner = nullptr) : inner_(inner) {}

  absl::StatusOr<StoredBatch> StoreBatch(
      absl::string_view producer_id,
      absl::Span<newsevents::v1::ArticleRecord> records) override {
    {
      absl::MutexLock lock(&mu_);
      ++batches_started_;
      if (!failure_.ok()) return failure_;
      mu_.Await(absl::Condition(
          +[](bool* stalled) { return !*stalled; }, &stalled_));
    }
    // Noted before `inner` may move the records' contents out.
    std::vector<std::string> article_ids;
    uint64_t high = 0;
    int events = 0;
    for (const newsevents::v1::ArticleRecord& record : records) {
      article_ids.push_back(record.article().id());
      high = std::max<uint64_t>(high, record.sequence());
      events += record.events_size();
    }
    StoredBatch result;
    if (inner_ != nullptr) {
      absl::StatusOr<StoredBatch> stored =
          inner_->StoreBatch(producer_id, records);
      if (!stored.ok()) return stored.status();
      result = *stored;
    }
    absl::MutexLock lock(&mu_);
    uint64_t& last = last_sequence_[std::string(producer_id)];
    for (const std::string& id : article_ids) ++deliveries_[id];
    last = std::max(last, high);
    if (inner_ == nullptr) {
      result.stored_event_count = events;
      result.acknowledged_sequence = last;
    }
    ++batches_stored_;
    return result;
  }

  // Every later StoreBatch fails with `status` until OK is set again.
  void SetFailure(absl::Status status) {
    absl::MutexLock lock(&mu_);
    failure_ = std::move(status);
  }

  // Stalled stores wait (before storing) until unstalled.
  void SetStalled(bool stalled) {
    absl::MutexLock lock(&mu_);
    stalled_ = stalled;
  }

  // Waits until `count` distinct article ids were stored; false on timeout.
  bool WaitForArticles(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return deliveries_.size() >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

  // Waits until `count` StoreBatch calls have started; false on timeout.
  bool WaitForBatchesStarted(int count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return batches_started_ >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

  size_t distinct_articles() const {
    absl::MutexLock lock(&mu_);
    return deliveries_.size();
  }
  // Deliveries beyond the first, summed over articles.
  int redeliveries() const {
    absl::MutexLock lock(&mu_);
    int total = 0;
    for (const auto& [id, count] : deliveries_) total += count - 1;
    return total;
  }
  int deliveries_of(const std::string& article_id) const {
    absl::MutexLock lock(&mu_);
    auto it = deliveries_.find(article_id);
    return it == deliveries_.end() ? 0 : it->second;
  }
  int batches_stored() const {
    absl::MutexLock lock(&mu_);
    return batches_stored_;
  }

 private:
  BatchStore* const inner_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> deliveries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint64_t> last_sequence_
      ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool stalled_ ABSL_GUARDED_BY(mu_) = false;
  int batches_started_ ABSL_GUARDED_BY(mu_) = 0;
  int batches_stored_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace newsevents::query::testing

#endif  // NEWSEVENTS_TESTING_RECORDING_STORE_H_
