// QueryHandler::AggregateEvents: counts per group and figure sums over
// distinct claims.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {
namespace {

constexpr absl::string_view kGroupByFields[] = {
    "type",           "modality",   "location.name", "location.country_code",
    "date.year",      "date.month", "date",          "outlet",
    "quantities.kind"};

// The values `field` takes for `event`; "" stands for "not set". Only
// quantities.kind may give several.
std::vector<std::string> GroupValues(const v1::Event& event,
                                     absl::string_view field) {
  const v1::Date& d = event.date();
  if (field == "type") return {v1::EventType_Name(event.type())};
  if (field == "modality") return {v1::Modality_Name(event.modality())};
  if (field == "location.name") return {event.location().name()};
  if (field == "location.country_code")
    return {event.location().country_code()};
  if (field == "date.year") return {d.year() > 0 ? absl::StrCat(d.year()) : ""};
  if (field == "date.month") {
    return {d.year() > 0 && d.month() > 0
                ? absl::StrFormat("%04d-%02d", d.year(), d.month())
                : ""};
  }
  if (field == "date") {
    return {
        d.year() > 0 && d.month() > 0 && d.day() > 0
            ? absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day())
            : ""};
  }
  if (field == "outlet") return {event.outlet()};
  std::vector<std::string> kinds;
  for (const v1::Quantity& q : event.quantities()) {
    std::string name = v1::QuantityKind_Name(q.kind());
    if (std::find(kinds.begin(), kinds.end(), name) == kinds.end())
      kinds.push_back(std::move(name));
  }
  if (kinds.empty()) kinds.emplace_back();
  return kinds;
}

// True when quantity `i` is a part of another figure of the same kind in the
// event ("including 19 officers"), which the total already counts.
bool IsSubtotal(const v1::Event& event, int i) {
  const v1::Quantity& q = event.quantities(i);
  const int total = q.subtotal_of();
  if (total < 0 || total == i || total >= event.quantities_size()) return false;
  const v1::Quantity& whole = event.quantities(total);
  return whole.kind() == q.kind() && whole.value() > q.value();
}

struct Bucket {
  std::vector<std::string> keys;
  int64_t event_count = 0;
  // Figures in the bucket, each counted once however often it is mentioned.
  // Keyed by the claim (or, failing that, the quantity itself).
  absl::flat_hash_map<const void*, std::pair<v1::QuantityKind, int64_t>>
      figures;
};

}  // namespace

absl::StatusOr<v1::AggregateEventsResponse> QueryHandler::AggregateEvents(
    const v1::AggregateEventsRequest& request) const {
  for (const std::string& field : request.group_by()) {
    if (std::find(std::begin(kGroupByFields), std::end(kGroupByFields),
                  field) == std::end(kGroupByFields)) {
      return InvalidFieldError(
          "group_by", absl::StrCat("cannot group by \"", field, "\" (one of ",
                                   absl::StrJoin(kGroupByFields, ", "), ")"));
    }
  }
  NE_ASSIGN_OR_RETURN(EventFilter filter,
                      EventFilter::Compile(request.filter()));
  const int kind_column =
      static_cast<int>(std::find(request.group_by().begin(),
                                 request.group_by().end(), "quantities.kind") -
                       request.group_by().begin());

  v1::AggregateEventsResponse response;
  absl::flat_hash_map<std::string, Bucket> buckets;
  absl::ReaderMutexLock lock(&mu_);
  auto add = [&](const EventEntry& entry) {
    mu_.AssertReaderHeld();  // runs under `lock`
    const v1::Event& event = entry.event;
    if (!filter.Matches(event)) return;
    response.set_total_events(response.total_events() + 1);
    // Cartesian product of the group values (several only for quantities.kind).
    std::vector<std::vector<std::string>> combos(1);
    for (const std::string& field : request.group_by()) {
      std::vector<std::vector<std::string>> next;
      for (const std::string& value : GroupValues(event, field)) {
        for (const auto& combo : combos) {
          next.push_back(combo);
          next.back().push_back(value);
        }
      }
      combos = std::move(next);
    }
    for (auto& keys : combos) {
      const std::string kind_key =
          kind_column < static_cast<int>(keys.size()) ? keys[kind_column] : "";
      Bucket& bucket = buckets[absl::StrJoin(keys, "\x1f")];
      if (bucket.keys.empty()) bucket.keys = std::move(keys);
      ++bucket.event_count;
      for (int i = 0; i < event.quantities_size(); ++i) {
        const v1::Quantity& q = event.quantities(i);
        if (IsSubtotal(event, i)) continue;
        if (!kind_key.empty() && v1::QuantityKind_Name(q.kind()) != kind_key)
          continue;
        const v1::Claim* claim = claims_.ClaimOf(event.id(), i);
        const void* figure = claim != nullptr ? static_cast<const void*>(claim)
                                              : static_cast<const void*>(&q);
        bucket.figures.emplace(figure, std::make_pair(q.kind(), q.value()));
      }
    }
  };
  if (std::optional<std::vector<uint32_t>> candidates =
          events_.Candidates(filter)) {
    for (uint32_t position : *candidates) add(events_.at(position));
  } else {
    for (size_t position = 0; position < events_.size(); ++position)
      add(events_.at(position));
  }

  std::vector<Bucket*> ordered;
  for (auto& [key, bucket] : buckets) ordered.push_back(&bucket);
  std::sort(ordered.begin(), ordered.end(),
            [](const Bucket* a, const Bucket* b) {
              return a->event_count != b->event_count
                         ? a->event_count > b->event_count
                         : a->keys < b->keys;
            });
  for (const Bucket* bucket : ordered) {
    v1::AggregateBucket* out = response.add_buckets();
    for (const std::string& key : bucket->keys) out->add_keys(key);
    out->set_event_count(bucket->event_count);
    for (const auto& [figure, kind_value] : bucket->figures) {
      (*out->mutable_quantity_sums())[v1::QuantityKind_Name(
          kind_value.first)] += kind_value.second;
    }
  }
  return response;
}

}  // namespace newsevents::query
