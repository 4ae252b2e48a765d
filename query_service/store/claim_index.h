#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_CLAIM_INDEX_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_CLAIM_INDEX_H_

// Consolidates figures (Quantity) across articles into Claims.
//
// A figure's identity is (kind, value, group, place), where place is the
// GeoNames id, else the case-folded place name, else the country code, taken
// from the quantity's own location or else its event's. Mentions of one
// figure are split into time windows by their date (the quantity's own date,
// else the event's): walking the full dates in order, a window starts at the
// earliest date not yet covered and takes every date up to 6 days later (so
// every mention is within +-3 days of the window's middle). Mentions with no
// full date form one more window. Each window is one Claim, whose id is a hash
// of the identity and the window's first date, so the same mentions always
// give the same claims whatever order they arrived in.
//
// Claim fields: qualifier is the most frequent among mentions; sources are
// the distinct attribution texts (the quantity's, else the event's); outlets
// the distinct outlets; first/last_reported the earliest/latest article
// publication dates; mentions are listed oldest first, at most
// kMaxListedMentions of them (mention_count has the total).
//
// Updates are incremental: Add() records mentions and marks their figures
// dirty; Refresh() rebuilds the claims of dirty figures only (call it once per
// stored batch).
// Thread-safety: not thread-safe; the owner serializes writers and readers.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"
#include "newsevents/v1/claim.pb.h"
#include "newsevents/v1/event.pb.h"
#include "query_service/store/article_index.h"

namespace newsevents::query {

class ClaimIndex {
 public:
  static constexpr int kMaxListedMentions = 100;

  // Records a mention for each quantity of `event` (a quantity that is a
  // sub-total of another is still a figure of its own). `article` may be
  // null when the article is unknown. Re-adding an event changes nothing.
  void Add(const v1::Event& event, const ArticleEntry* article);

  // Rebuilds the claims of the figures changed since the last Refresh.
  void Refresh();

  // Every claim, in id order. Pointers are valid until the next Refresh.
  std::vector<const v1::Claim*> All() const;

  // The claim holding quantity `quantity_index` of event `event_id`, or null.
  // Valid until the next Refresh.
  const v1::Claim* ClaimOf(absl::string_view event_id,
                           int quantity_index) const;

  size_t size() const { return by_id_.size(); }

 private:
  struct Mention {
    v1::ClaimMention mention;
    v1::Location location;
    v1::Date date;  // the figure's date, when known
    int64_t day =
        -1;  // days since 1970-01-01 of a full `date`; -1 when not full
    int64_t value_max = 0;
    google::protobuf::Timestamp create_time;
    std::string mention_key;  // "<event id>#<quantity index>"
  };
  struct Figure {
    v1::QuantityKind kind = v1::QUANTITY_KIND_UNSPECIFIED;
    int64_t value = 0;
    v1::Group group = v1::GROUP_UNSPECIFIED;
    std::string identity;  // hashed into claim ids
    std::vector<Mention> mentions;
    std::vector<v1::Claim> claims;
  };

  void Rebuild(Figure& figure);
  v1::Claim BuildClaim(const Figure& figure,
                       const std::vector<const Mention*>& window,
                       absl::string_view anchor) const;

  absl::node_hash_map<std::string, Figure> figures_;  // by identity
  absl::flat_hash_set<std::string> dirty_;            // identities to rebuild
  absl::flat_hash_set<std::string> seen_mentions_;    // mention keys
  absl::flat_hash_map<std::string, const v1::Claim*> by_id_;
  absl::flat_hash_map<std::string, const v1::Claim*> by_mention_;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_CLAIM_INDEX_H_
