#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_INDEX_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_INDEX_H_

// In-memory event log and secondary indexes, rebuilt from the store at open.
// Measured (bench/query_bench.cc, BM_RebuildIndexesAtOpen): reopening 100k
// events, i.e. one RocksDB scan plus every index and claim, costs about 2.4 s
// of CPU on the 2-core dev VM. Persisting the indexes instead would put
// several postings writes into every synced batch and add a second source of
// truth to keep consistent, which is not worth two seconds at start-up.
//
// Events live in a log in store-sequence order; every index maps a key to the
// ascending log positions holding it (posting lists). Candidates() turns the
// indexable parts of a compiled filter into a superset of the matching
// positions; callers then evaluate the full filter on those only.
//
// Indexed: type, modality, article_id, outlet, location.country_code,
// location.name (all case-folded), quantities.kind, quantities.group, date and
// published_date (ordered), evidence words, and the words of every text the
// bare-term search looks at.
// Thread-safety: not thread-safe; the owner serializes Add against readers.
// Entries are never moved or removed, so pointers stay valid for the index's
// lifetime.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "query_service/store/event_store.h"
#include "query_service/store/filter.h"

namespace newsevents::query {

struct EventEntry {
  uint64_t seq = 0;
  v1::Event event;
};

class EventIndex {
 public:
  // Appends `stored`; its seq must exceed every seq added before.
  void Add(StoredEvent stored);

  // The event with id `id`, or null.
  const EventEntry* FindById(absl::string_view id) const;

  size_t size() const { return log_.size(); }
  const EventEntry& at(size_t position) const { return log_[position]; }
  uint64_t last_seq() const { return log_.empty() ? 0 : log_.back().seq; }

  // Log position of the first event whose seq is greater than `seq`.
  size_t FirstAfter(uint64_t seq) const;

  // Ascending log positions that include every event `filter` can match, or
  // nullopt when no indexed restriction narrows the search (scan the log).
  std::optional<std::vector<uint32_t>> Candidates(
      const EventFilter& filter) const;

 private:
  using Postings = std::vector<uint32_t>;
  using PostingMap = absl::flat_hash_map<std::string, Postings>;

  std::optional<Postings> Plan(const FilterNode<v1::Event>& node) const;
  std::optional<Postings> TestCandidates(
      const FilterNode<v1::Event>& node) const;
  Postings WordCandidates(const PostingMap& words,
                          const std::vector<std::string>& phrase) const;
  static Postings DateCandidates(const std::map<int, Postings>& dates,
                                 const ValueTest& test);
  const PostingMap* MapFor(IndexedField field) const;

  std::deque<EventEntry> log_;
  absl::flat_hash_map<std::string, uint32_t> by_id_;
  PostingMap by_type_, by_modality_, by_article_, by_outlet_, by_country_,
      by_place_;
  PostingMap by_quantity_kind_, by_quantity_group_, evidence_words_;
  PostingMap other_words_;  // attribution, place name and mention words
  std::map<int, Postings> by_date_, by_published_date_;
};

// Sorted-list set operations on posting lists.
std::vector<uint32_t> IntersectPostings(const std::vector<uint32_t>& a,
                                        const std::vector<uint32_t>& b);
std::vector<uint32_t> UnionPostings(const std::vector<uint32_t>& a,
                                    const std::vector<uint32_t>& b);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_INDEX_H_
