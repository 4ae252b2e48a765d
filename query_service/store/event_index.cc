#include "query_service/store/event_index.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "query_service/store/text_match.h"

namespace newsevents::query {
namespace {

// Widest interval a partial date can denote is one year (YYYY0101..YYYY1231),
// so a date stored under key `lo` can reach at most lo + this.
constexpr int kMaxDateSpan = 10000;

void AddPosting(absl::flat_hash_map<std::string, std::vector<uint32_t>>& map,
                const std::string& key, uint32_t position) {
  auto it = map.find(key);  // find first: most keys exist, so no copy
  if (it == map.end()) it = map.emplace(key, std::vector<uint32_t>()).first;
  std::vector<uint32_t>& postings = it->second;
  // One posting per event even when a key occurs twice in it.
  if (postings.empty() || postings.back() != position)
    postings.push_back(position);
}

void AddWords(absl::flat_hash_map<std::string, std::vector<uint32_t>>& map,
              absl::string_view text, uint32_t position) {
  absl::string_view word;
  size_t pos = 0;
  std::string folded;  // reused, so indexing a word allocates only for new keys
  while (NextWord(text, pos, &word, &pos)) {
    folded.assign(word.data(), word.size());
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    AddPosting(map, folded, position);
  }
}

void AddDate(std::map<int, std::vector<uint32_t>>& map, const v1::Date& date,
             uint32_t position) {
  int lo = 0, hi = 0;
  if (DateInterval(date, &lo, &hi)) map[lo].push_back(position);
}

}  // namespace

std::vector<uint32_t> IntersectPostings(const std::vector<uint32_t>& a,
                                        const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                        std::back_inserter(out));
  return out;
}

std::vector<uint32_t> UnionPostings(const std::vector<uint32_t>& a,
                                    const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                 std::back_inserter(out));
  return out;
}

void EventIndex::Add(StoredEvent stored) {
  const auto position = static_cast<uint32_t>(log_.size());
  log_.push_back(EventEntry{stored.seq, std::move(stored.event)});
  const v1::Event& e = log_.back().event;
  by_id_[e.id()] = position;
  AddPosting(by_type_, std::to_string(e.type()), position);
  AddPosting(by_modality_, std::to_string(e.modality()), position);
  AddPosting(by_article_, FoldCase(e.article_id()), position);
  AddPosting(by_outlet_, FoldCase(e.outlet()), position);
  AddPosting(by_country_, FoldCase(e.location().country_code()), position);
  AddPosting(by_place_, FoldCase(e.location().name()), position);
  for (const v1::Quantity& q : e.quantities()) {
    AddPosting(by_quantity_kind_, std::to_string(q.kind()), position);
    AddPosting(by_quantity_group_, std::to_string(q.group()), position);
  }
  AddWords(evidence_words_, e.evidence().text(), position);
  // The other texts the bare-term search looks at (evidence has its own).
  for (absl::string_view text :
       {absl::string_view(e.attribution().text()),
        absl::string_view(e.location().name()),
        absl::string_view(e.location().mention().text())}) {
    AddWords(other_words_, text, position);
  }
  AddDate(by_date_, e.date(), position);
  AddDate(by_published_date_, e.published_date(), position);
}

const EventEntry* EventIndex::FindById(absl::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &log_[it->second];
}

size_t EventIndex::FirstAfter(uint64_t seq) const {
  auto it = std::upper_bound(
      log_.begin(), log_.end(), seq,
      [](uint64_t s, const EventEntry& entry) { return s < entry.seq; });
  return static_cast<size_t>(it - log_.begin());
}

std::optional<std::vector<uint32_t>> EventIndex::Candidates(
    const EventFilter& filter) const {
  return Plan(filter.root());
}

std::optional<EventIndex::Postings> EventIndex::Plan(
    const FilterNode<v1::Event>& node) const {
  using Kind = FilterNode<v1::Event>::Kind;
  switch (node.kind) {
    case Kind::kAll:
    case Kind::kNot:
      return std::nullopt;
    case Kind::kAnd: {
      // Every indexable conjunct narrows the set; the rest are checked later.
      std::optional<Postings> best;
      for (const auto& child : node.children) {
        std::optional<Postings> candidates = Plan(child);
        if (!candidates) continue;
        best = best ? IntersectPostings(*best, *candidates)
                    : std::move(candidates);
        if (best->empty()) break;
      }
      return best;
    }
    case Kind::kOr: {
      // A disjunction narrows only when every branch does.
      Postings all;
      for (const auto& child : node.children) {
        std::optional<Postings> candidates = Plan(child);
        if (!candidates) return std::nullopt;
        all = UnionPostings(all, *candidates);
      }
      return all;
    }
    case Kind::kTest:
      return TestCandidates(node);
  }
  return std::nullopt;
}

const EventIndex::PostingMap* EventIndex::MapFor(IndexedField field) const {
  switch (field) {
    case IndexedField::kType:
      return &by_type_;
    case IndexedField::kModality:
      return &by_modality_;
    case IndexedField::kArticleId:
      return &by_article_;
    case IndexedField::kOutlet:
      return &by_outlet_;
    case IndexedField::kCountry:
      return &by_country_;
    case IndexedField::kLocationName:
      return &by_place_;
    case IndexedField::kQuantityKind:
      return &by_quantity_kind_;
    case IndexedField::kQuantityGroup:
      return &by_quantity_group_;
    default:
      return nullptr;
  }
}

std::optional<EventIndex::Postings> EventIndex::TestCandidates(
    const FilterNode<v1::Event>& node) const {
  const ValueTest& test = node.test;
  if (test.presence) return std::nullopt;
  if (node.field == nullptr) {
    // A phrase lies within one text, so it is in the evidence or elsewhere.
    return UnionPostings(WordCandidates(evidence_words_, test.words),
                         WordCandidates(other_words_, test.words));
  }
  const IndexedField field = node.field->index;
  if (field == IndexedField::kEvidenceWords) {
    if (test.op != CompareOp::kHas) return std::nullopt;
    return WordCandidates(evidence_words_, test.words);
  }
  if (field == IndexedField::kDate) return DateCandidates(by_date_, test);
  if (field == IndexedField::kPublishedDate)
    return DateCandidates(by_published_date_, test);
  const PostingMap* map = MapFor(field);
  if (map == nullptr || test.wildcard) return std::nullopt;
  if (test.op != CompareOp::kEq && test.op != CompareOp::kHas)
    return std::nullopt;
  const std::string key = test.kind == ValueKind::kEnum
                              ? std::to_string(test.enum_number)
                              : test.folded;
  auto it = map->find(key);
  return it == map->end() ? Postings() : it->second;
}

EventIndex::Postings EventIndex::WordCandidates(
    const PostingMap& words, const std::vector<std::string>& phrase) const {
  std::optional<Postings> result;
  for (const std::string& word : phrase) {
    if (!word.empty() && word.back() == '*')
      continue;  // prefixes are checked by the filter
    auto it = words.find(word);
    if (it == words.end()) return {};
    result = result ? IntersectPostings(*result, it->second) : it->second;
  }
  if (!result) {
    // Only prefix words: fall back to every event (still correct, just slower).
    Postings all(log_.size());
    for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
    return all;
  }
  return *result;
}

EventIndex::Postings EventIndex::DateCandidates(
    const std::map<int, Postings>& dates, const ValueTest& test) {
  int from = 0, to = 99999999;  // inclusive range of stored `lo` keys
  switch (test.op) {
    case CompareOp::kEq:
    case CompareOp::kHas:
      from = test.date_lo - kMaxDateSpan;
      to = test.date_hi;
      break;
    case CompareOp::kLt:
      to = test.date_lo - 1;
      break;
    case CompareOp::kLe:
      to = test.date_hi;
      break;
    case CompareOp::kGt:
      from = test.date_hi - kMaxDateSpan;
      break;
    case CompareOp::kGe:
      from = test.date_lo - kMaxDateSpan;
      break;
    case CompareOp::kNe:
      break;  // every known date
  }
  Postings out;
  for (auto it = dates.lower_bound(from); it != dates.end() && it->first <= to;
       ++it) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace newsevents::query
