#include "query_service/store/claim_index.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/hashing.h"
#include "query_service/store/text_match.h"

namespace newsevents::query {
namespace {

// Window length in days after its first date: +-3 days around the middle.
constexpr int64_t kWindowDays = 6;

bool HasPlace(const v1::Location& location) {
  return location.geoname_id() != 0 || !location.name().empty() ||
         !location.country_code().empty();
}

std::string PlaceKey(const v1::Location& location) {
  if (location.geoname_id() != 0)
    return absl::StrCat("g", location.geoname_id());
  if (!location.name().empty())
    return absl::StrCat("n", FoldCase(location.name()));
  if (!location.country_code().empty())
    return absl::StrCat("c", FoldCase(location.country_code()));
  return "";
}

int64_t DayNumber(const v1::Date& date) {
  if (date.year() <= 0 || date.month() <= 0 || date.day() <= 0) return -1;
  return (absl::CivilDay(date.year(), date.month(), date.day()) -
          absl::CivilDay(1970, 1, 1));
}

int DateOrder(const v1::Date& date) {
  return date.year() * 10000 + date.month() * 100 + date.day();
}

bool EarlierMention(const v1::ClaimMention& a, const v1::ClaimMention& b) {
  const int da = DateOrder(a.published_date()),
            db = DateOrder(b.published_date());
  if (da != db) return da < db;
  return a.event() < b.event();
}

void AddDistinct(google::protobuf::RepeatedPtrField<std::string>* list,
                 const std::string& value) {
  if (value.empty()) return;
  for (const std::string& existing : *list) {
    if (existing == value) return;
  }
  *list->Add() = value;
}

}  // namespace

void ClaimIndex::Add(const v1::Event& event, const ArticleEntry* article) {
  for (int i = 0; i < event.quantities_size(); ++i) {
    const v1::Quantity& q = event.quantities(i);
    std::string mention_key = absl::StrCat(event.id(), "#", i);
    if (!seen_mentions_.insert(mention_key).second) continue;
    const v1::Location& location =
        HasPlace(q.location()) ? q.location() : event.location();
    const v1::Date& date = q.date().year() > 0 ? q.date() : event.date();
    std::string identity = absl::StrCat(q.kind(), "|", q.value(), "|",
                                        q.group(), "|", PlaceKey(location));
    Figure& figure = figures_[identity];
    if (figure.identity.empty()) {
      figure.identity = identity;
      figure.kind = q.kind();
      figure.value = q.value();
      figure.group = q.group();
    }
    Mention m;
    m.mention_key = std::move(mention_key);
    m.location = location;
    m.location.clear_mention();
    m.date = date;
    m.day = DayNumber(date);
    m.value_max = q.value_max();
    m.create_time = event.create_time();
    v1::ClaimMention& cm = m.mention;
    cm.set_event(event.name().empty() ? absl::StrCat("events/", event.id())
                                      : event.name());
    cm.set_article(absl::StrCat("articles/", event.article_id()));
    cm.set_outlet(article != nullptr && !article->meta.outlet().empty()
                      ? article->meta.outlet()
                      : event.outlet());
    if (article != nullptr) cm.set_url(article->meta.url());
    *cm.mutable_published_date() =
        article != nullptr && article->meta.has_published_date()
            ? article->meta.published_date()
            : event.published_date();
    *cm.mutable_attribution() =
        q.has_attribution() && !q.attribution().text().empty()
            ? q.attribution()
            : event.attribution();
    *cm.mutable_evidence() = q.evidence();
    cm.set_qualifier(q.qualifier());
    figure.mentions.push_back(std::move(m));
    dirty_.insert(identity);
  }
}

void ClaimIndex::Refresh() {
  for (const std::string& identity : dirty_) Rebuild(figures_[identity]);
  dirty_.clear();
}

void ClaimIndex::Rebuild(Figure& figure) {
  for (const v1::Claim& old : figure.claims) by_id_.erase(old.id());
  figure.claims.clear();

  std::vector<const Mention*> dated, undated;
  for (const Mention& m : figure.mentions)
    (m.day >= 0 ? dated : undated).push_back(&m);
  std::sort(dated.begin(), dated.end(), [](const Mention* a, const Mention* b) {
    return a->day != b->day ? a->day < b->day : a->mention_key < b->mention_key;
  });
  // Windows: built before taking pointers to claims, since the vector grows.
  std::vector<std::pair<std::vector<const Mention*>, std::string>> windows;
  for (size_t i = 0; i < dated.size();) {
    const int64_t start = dated[i]->day;
    std::vector<const Mention*> window;
    while (i < dated.size() && dated[i]->day <= start + kWindowDays)
      window.push_back(dated[i++]);
    const v1::Date& d = window.front()->date;
    windows.emplace_back(
        std::move(window),
        absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day()));
  }
  if (!undated.empty()) windows.emplace_back(std::move(undated), "undated");

  figure.claims.reserve(windows.size());
  for (const auto& [window, anchor] : windows) {
    figure.claims.push_back(BuildClaim(figure, window, anchor));
  }
  for (size_t w = 0; w < windows.size(); ++w) {
    const v1::Claim* claim = &figure.claims[w];
    by_id_[claim->id()] = claim;
    for (const Mention* m : windows[w].first)
      by_mention_[m->mention_key] = claim;
  }
}

v1::Claim ClaimIndex::BuildClaim(const Figure& figure,
                                 const std::vector<const Mention*>& window,
                                 absl::string_view anchor) const {
  v1::Claim claim;
  claim.set_id(ContentId(absl::StrCat(figure.identity, "|", anchor)));
  claim.set_name(absl::StrCat("claims/", claim.id()));
  claim.set_kind(figure.kind);
  claim.set_value(figure.value);
  claim.set_group(figure.group);

  std::vector<const Mention*> ordered = window;
  std::sort(ordered.begin(), ordered.end(),
            [](const Mention* a, const Mention* b) {
              return EarlierMention(a->mention, b->mention);
            });
  std::map<int, int> qualifier_votes;
  int64_t latest_update = 0;
  for (const Mention* m : ordered) {
    ++qualifier_votes[m->mention.qualifier()];
    if (claim.value_max() == 0) claim.set_value_max(m->value_max);
    if (!claim.has_location() && HasPlace(m->location))
      *claim.mutable_location() = m->location;
    if (!claim.has_date() && m->date.year() > 0)
      *claim.mutable_date() = m->date;
    AddDistinct(claim.mutable_sources(), m->mention.attribution().text());
    AddDistinct(claim.mutable_outlets(), m->mention.outlet());
    const v1::Date& published = m->mention.published_date();
    if (published.year() > 0) {
      if (!claim.has_first_reported() ||
          DateOrder(published) < DateOrder(claim.first_reported())) {
        *claim.mutable_first_reported() = published;
      }
      if (!claim.has_last_reported() ||
          DateOrder(published) > DateOrder(claim.last_reported())) {
        *claim.mutable_last_reported() = published;
      }
    }
    const int64_t update =
        m->create_time.seconds() * 1000000000 + m->create_time.nanos();
    if (update >= latest_update) {
      latest_update = update;
      *claim.mutable_update_time() = m->create_time;
    }
    if (claim.mentions_size() < kMaxListedMentions)
      *claim.add_mentions() = m->mention;
  }
  // Most frequent qualifier; std::map iteration makes ties go to the lowest.
  int best_votes = 0;
  for (const auto& [qualifier, votes] : qualifier_votes) {
    if (votes > best_votes) {
      best_votes = votes;
      claim.set_qualifier(static_cast<v1::Qualifier>(qualifier));
    }
  }
  claim.set_mention_count(static_cast<int32_t>(window.size()));
  return claim;
}

std::vector<const v1::Claim*> ClaimIndex::All() const {
  std::vector<const v1::Claim*> all;
  all.reserve(by_id_.size());
  for (const auto& [id, claim] : by_id_) all.push_back(claim);
  std::sort(all.begin(), all.end(), [](const v1::Claim* a, const v1::Claim* b) {
    return a->id() < b->id();
  });
  return all;
}

const v1::Claim* ClaimIndex::ClaimOf(absl::string_view event_id,
                                     int quantity_index) const {
  auto it = by_mention_.find(absl::StrCat(event_id, "#", quantity_index));
  return it == by_mention_.end() ? nullptr : it->second;
}

}  // namespace newsevents::query
