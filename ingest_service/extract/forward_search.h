#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_FORWARD_SEARCH_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_FORWARD_SEARCH_H_

// A lower bound for a series of questions asked in (mostly) increasing
// order, as the annotators ask "which token starts at or after this
// offset" while they walk through an article.
//
// Thread-safety: one search per thread (it remembers the last answer).

#include <algorithm>
#include <cstddef>

namespace newsevents::extract {

// The first index in [0, size) at which `before` is false, `before` being
// true on a prefix of the range (a lower bound). For questions asked in
// text order: it gallops forward from the previous answer, so a scan costs
// O(log distance) per question instead of a walk over every token between
// two places or a binary search over the whole article.
class ForwardSearch {
 public:
  explicit ForwardSearch(size_t size) : size_(size) {}

  template <typename Before>
  size_t Next(Before before) {
    if (index_ > 0 && !before(index_ - 1)) index_ = 0;  // a step back
    size_t low = index_;
    size_t high = index_;
    size_t step = 1;
    while (high < size_ && before(high)) {
      low = high + 1;
      high = low + step;
      step *= 2;
    }
    high = std::min(high, size_);
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      if (before(mid)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    index_ = low;
    return low;
  }

 private:
  size_t size_;
  size_t index_ = 0;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_FORWARD_SEARCH_H_
