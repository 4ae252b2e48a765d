// QueryHandler's List methods: filter, order, keyset pagination.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "query_service/store/paging.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {
namespace {

constexpr absl::string_view kEventOrderFields[] = {
    "create_time", "date", "published_date", "confidence"};
constexpr absl::string_view kClaimOrderFields[] = {
    "mention_count", "value", "first_reported", "last_reported"};
// Places rows whose sort value is unknown after all others, in either
// direction.
constexpr double kUnknownLast = 1e15;

void PushDate(SortKey& key, const v1::Date& date, bool descending) {
  int lo = 0, hi = 0;
  if (!DateInterval(date, &lo, &hi)) {
    key.Push(descending ? -kUnknownLast : kUnknownLast, descending);
    return;
  }
  key.Push(lo, descending);
}

SortKey EventSortKey(const EventEntry& entry,
                     const std::vector<OrderField>& order) {
  SortKey key;
  for (const OrderField& field : order) {
    if (field.name == "create_time") {
      key.Push(static_cast<double>(entry.seq), field.descending);
    } else if (field.name == "date") {
      PushDate(key, entry.event.date(), field.descending);
    } else if (field.name == "published_date") {
      PushDate(key, entry.event.published_date(), field.descending);
    } else {
      key.Push(entry.event.confidence(), field.descending);
    }
  }
  key.Push(static_cast<double>(entry.seq),
           /*descending=*/true);  // newest first among ties
  return key;
}

SortKey ClaimSortKey(const v1::Claim& claim,
                     const std::vector<OrderField>& order) {
  SortKey key;
  for (const OrderField& field : order) {
    if (field.name == "mention_count") {
      key.Push(claim.mention_count(), field.descending);
    } else if (field.name == "value") {
      key.Push(static_cast<double>(claim.value()), field.descending);
    } else if (field.name == "first_reported") {
      PushDate(key, claim.first_reported(), field.descending);
    } else {
      PushDate(key, claim.last_reported(), field.descending);
    }
  }
  key.tiebreak = claim.id();
  return key;
}

// Collects one page while rows stream past: counts every match, and keeps
// only the page_size + 1 smallest keys after the token in a bounded max-heap,
// so a page over 100k rows neither sorts nor stores them all.
template <typename Row>
class PageCollector {
 public:
  PageCollector(int page_size, const std::optional<SortKey>& after)
      : page_size_(static_cast<size_t>(page_size)), after_(after) {}

  void Add(SortKey key, Row row) {
    ++total_;
    if (after_ && !(*after_ < key)) return;
    if (heap_.size() <= page_size_) {
      heap_.emplace_back(std::move(key), row);
      std::push_heap(heap_.begin(), heap_.end(), ByKey);
    } else if (key < heap_.front().first) {
      std::pop_heap(heap_.begin(), heap_.end(), ByKey);
      heap_.back() = {std::move(key), row};
      std::push_heap(heap_.begin(), heap_.end(), ByKey);
    }
  }

  int total() const { return total_; }

  // The page's rows in order; sets `next_token` (empty on the last page).
  std::vector<Row> Finish(absl::string_view fingerprint,
                          std::string* next_token) {
    std::sort_heap(heap_.begin(), heap_.end(), ByKey);
    next_token->clear();
    if (heap_.size() > page_size_) {
      *next_token = EncodePageToken(fingerprint, heap_[page_size_ - 1].first);
      heap_.resize(page_size_);
    }
    std::vector<Row> rows;
    rows.reserve(heap_.size());
    for (auto& [key, row] : heap_) rows.push_back(row);
    return rows;
  }

 private:
  static bool ByKey(const std::pair<SortKey, Row>& a,
                    const std::pair<SortKey, Row>& b) {
    return a.first < b.first;
  }

  const size_t page_size_;
  const std::optional<SortKey>& after_;
  std::vector<std::pair<SortKey, Row>> heap_;
  int total_ = 0;
};

}  // namespace

absl::StatusOr<v1::ListEventsResponse> QueryHandler::ListEvents(
    const v1::ListEventsRequest& request) const {
  NE_ASSIGN_OR_RETURN(int page_size, ResolvePageSize(request.page_size(),
                                                     options_.default_page_size,
                                                     options_.max_page_size));
  NE_ASSIGN_OR_RETURN(
      std::vector<OrderField> order,
      ParseOrderBy(request.order_by(), kEventOrderFields, "create_time desc"));
  NE_ASSIGN_OR_RETURN(EventFilter filter,
                      EventFilter::Compile(request.filter()));
  const absl::string_view parts[] = {"events", request.filter(),
                                     request.order_by()};
  const std::string fingerprint = RequestFingerprint(parts);
  NE_ASSIGN_OR_RETURN(std::optional<SortKey> after,
                      DecodePageToken(request.page_token(), fingerprint));

  v1::ListEventsResponse response;
  absl::ReaderMutexLock lock(&mu_);
  PageCollector<const EventEntry*> page(page_size, after);
  auto consider = [&](const EventEntry& entry) {
    if (filter.Matches(entry.event))
      page.Add(EventSortKey(entry, order), &entry);
  };
  // Visiting rows in roughly their final order lets the page heap reject
  // most of them with one comparison: newest first unless sorting by
  // ascending create_time.
  const bool oldest_first =
      order[0].name == "create_time" && !order[0].descending;
  if (std::optional<std::vector<uint32_t>> candidates =
          events_.Candidates(filter)) {
    if (!oldest_first) std::reverse(candidates->begin(), candidates->end());
    for (uint32_t position : *candidates) consider(events_.at(position));
  } else {
    const size_t n = events_.size();
    for (size_t i = 0; i < n; ++i) {
      consider(events_.at(oldest_first ? i : n - 1 - i));
    }
  }
  std::vector<const EventEntry*> rows =
      page.Finish(fingerprint, response.mutable_next_page_token());
  response.set_total_size(page.total());
  for (const EventEntry* entry : rows) *response.add_events() = entry->event;
  return response;
}

absl::StatusOr<v1::ListArticlesResponse> QueryHandler::ListArticles(
    const v1::ListArticlesRequest& request) const {
  NE_ASSIGN_OR_RETURN(int page_size, ResolvePageSize(request.page_size(),
                                                     options_.default_page_size,
                                                     options_.max_page_size));
  NE_ASSIGN_OR_RETURN(ArticleFilter filter,
                      ArticleFilter::Compile(request.filter()));
  const absl::string_view parts[] = {"articles", request.filter()};
  const std::string fingerprint = RequestFingerprint(parts);
  NE_ASSIGN_OR_RETURN(std::optional<SortKey> after,
                      DecodePageToken(request.page_token(), fingerprint));

  v1::ListArticlesResponse response;
  std::vector<uint64_t> seqs;
  {
    absl::ReaderMutexLock lock(&mu_);
    PageCollector<uint64_t> page(page_size, after);
    for (size_t position = 0; position < articles_.size(); ++position) {
      const ArticleEntry& entry = articles_.at(position);
      if (!filter.Matches(entry.meta)) continue;
      SortKey key;
      key.Push(static_cast<double>(entry.seq),
               /*descending=*/true);  // newest ingested first
      page.Add(std::move(key), entry.seq);
    }
    seqs = page.Finish(fingerprint, response.mutable_next_page_token());
    response.set_total_size(page.total());
  }
  // Texts come from RocksDB, outside the lock.
  for (uint64_t seq : seqs) {
    NE_ASSIGN_OR_RETURN(*response.add_articles(), store_->ReadArticle(seq));
  }
  return response;
}

absl::StatusOr<v1::ListClaimsResponse> QueryHandler::ListClaims(
    const v1::ListClaimsRequest& request) const {
  NE_ASSIGN_OR_RETURN(int page_size, ResolvePageSize(request.page_size(),
                                                     options_.default_page_size,
                                                     options_.max_page_size));
  NE_ASSIGN_OR_RETURN(std::vector<OrderField> order,
                      ParseOrderBy(request.order_by(), kClaimOrderFields,
                                   "mention_count desc"));
  NE_ASSIGN_OR_RETURN(ClaimFilter filter,
                      ClaimFilter::Compile(request.filter()));
  const absl::string_view parts[] = {"claims", request.filter(),
                                     request.order_by()};
  const std::string fingerprint = RequestFingerprint(parts);
  NE_ASSIGN_OR_RETURN(std::optional<SortKey> after,
                      DecodePageToken(request.page_token(), fingerprint));

  v1::ListClaimsResponse response;
  absl::ReaderMutexLock lock(&mu_);
  PageCollector<const v1::Claim*> page(page_size, after);
  for (const v1::Claim* claim : claims_.All()) {
    if (filter.Matches(*claim)) page.Add(ClaimSortKey(*claim, order), claim);
  }
  std::vector<const v1::Claim*> rows =
      page.Finish(fingerprint, response.mutable_next_page_token());
  response.set_total_size(page.total());
  for (const v1::Claim* claim : rows) *response.add_claims() = *claim;
  return response;
}

}  // namespace newsevents::query
