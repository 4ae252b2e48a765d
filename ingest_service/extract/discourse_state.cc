#include "ingest_service/extract/discourse_state.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace newsevents::extract {
namespace {

bool IsCountry(const gazetteer::Place* p) {
  return p->precision == v1::LOCATION_PRECISION_COUNTRY;
}

// The boilerplate range of a dateline: a line-start navigation range near
// the top whose text ends with " -" or ":" ("LIMA, Peru (AP) -").
constexpr uint32_t kDatelineSearchBytes = 3000;

}  // namespace

bool UsableEventDate(const Document& doc, const DateMention& d) {
  if (d.announcement || d.year_only || !d.resolved || d.day == 0) return false;
  if (d.page_date) return false;  // the page's own date, not the event's
  if (d.until) return false;      // the end of a period is no event's date
  return !doc.tokens[d.first].Is(kBoilerplate);
}

const gazetteer::Place* DatelinePlace(
    const Document& doc, const gazetteer::PlaceFinder& finder,
    const std::vector<std::string>& country_order) {
  for (const BoilerplateRange& b : doc.boilerplate) {
    if (b.range.begin >= kDatelineSearchBytes) break;
    if (b.kind != v1::BOILERPLATE_KIND_NAVIGATION) continue;
    if (b.range.begin > 0 && doc.norm.text[b.range.begin - 1] != '\n') {
      continue;
    }
    const absl::string_view text = absl::StripTrailingAsciiWhitespace(
        absl::string_view(doc.norm.text)
            .substr(b.range.begin, b.range.end - b.range.begin));
    if (text.empty() || (text.back() != '-' && text.back() != ':')) continue;
    const std::vector<gazetteer::PlaceMention> found =
        finder.Find(text, country_order);
    for (const gazetteer::PlaceMention& m : found) {
      if (m.place != nullptr && !m.demonym) return m.place;
    }
    return nullptr;  // only the first dateline counts
  }
  return nullptr;
}

void DiscourseState::OnePlace::Add(const gazetteer::Place* p) {
  if (p->precision == v1::LOCATION_PRECISION_CITY) {
    if (city == nullptr) city = p;
    if (city != p) cities_differ = true;
  } else if (p->precision == v1::LOCATION_PRECISION_REGION) {
    if (region == nullptr) region = p;
    if (region != p) regions_differ = true;
  }
}

const gazetteer::Place* DiscourseState::OnePlace::Get() const {
  if (city != nullptr) return cities_differ ? nullptr : city;
  return regions_differ ? nullptr : region;
}

DiscourseState::DiscourseState(
    const Document& doc, const Lexicons& lex,
    const std::vector<PlaceSpan>& places, const std::vector<DateMention>& dates,
    const std::vector<std::vector<TriggerMention>>& triggers,
    const std::vector<std::vector<SpeakerMention>>& speakers,
    const std::vector<CountMention>& counts,
    const gazetteer::Place* main_country, const gazetteer::Place* dateline)
    : doc_(doc),
      lex_(lex),
      places_(places),
      dates_(dates),
      triggers_(triggers),
      speakers_(speakers),
      main_country_(main_country),
      nationwide_class_(lex.WordClass("nationwide")),
      running_total_class_(lex.WordClass("running_total")),
      follow_on_class_(lex.WordClass("follow_on")) {
  const bool dateline_in_setting =
      dateline != nullptr && !IsCountry(dateline) &&
      (main_country_ == nullptr ||
       dateline->country_code == main_country_->country_code);
  article_setting_ = dateline_in_setting ? dateline : LeadSetting();
  if (article_setting_ == nullptr) article_setting_ = DominantCity();
  has_event_.resize(doc_.sentences.size());
  for (size_t si = 0; si < has_event_.size(); ++si) {
    has_event_[si] = !triggers_[si].empty();
  }
  for (const CountMention& c : counts) has_event_[c.sentence] = true;
  story_date_ = StoryDate();
}

bool DiscourseState::InSetting(const PlaceSpan& p) const {
  if (p.actor || p.demonym || IsCountry(p.place)) return false;
  return main_country_ == nullptr ||
         p.place->country_code == main_country_->country_code;
}

const gazetteer::Place* DiscourseState::LeadSetting() const {
  OnePlace lead;
  int setting_mentions = 0;
  int country_mentions = 0;
  for (const PlaceSpan& p : places_) {
    if (doc_.tokens[p.first].begin >= kLeadBytes) break;
    if (InSetting(p)) {
      lead.Add(p.place);
      if (p.place == lead.Get()) ++setting_mentions;
    } else if (p.place == main_country_ && !p.demonym) {
      ++country_mentions;
    }
  }
  return setting_mentions >= country_mentions ? lead.Get() : nullptr;
}

const gazetteer::Place* DiscourseState::DominantCity() const {
  // An article that never names its country as a venue but names one of
  // its towns again and again is set there ("... in Bangkok", "Bangkok's
  // hospitals", with Thailand only inferred).
  std::vector<std::pair<const gazetteer::Place*, int>> mentions;
  for (const PlaceSpan& p : places_) {
    if (p.place == main_country_ && !p.demonym && !p.actor) return nullptr;
    if (!InSetting(p)) continue;
    auto it = std::find_if(mentions.begin(), mentions.end(),
                           [&](const auto& m) { return m.first == p.place; });
    if (it == mentions.end()) {
      mentions.emplace_back(p.place, 1);
    } else {
      ++it->second;
    }
  }
  const gazetteer::Place* top = nullptr;
  int top_count = 0;
  int second_count = 0;
  for (const auto& [place, count] : mentions) {
    if (count > top_count) {
      second_count = top_count;
      top = place;
      top_count = count;
    } else if (count > second_count) {
      second_count = count;
    }
  }
  return top_count >= kDominantMentions && top_count > 2 * second_count
             ? top
             : nullptr;
}

bool DiscourseState::HasClass(int cls, const Sentence& s) const {
  if (cls < 0) return false;
  for (int k = s.first_token; k < s.end_token; ++k) {
    if (lex_.MatchClass(cls, doc_.tokens, k, s.end_token) > 0) return true;
  }
  return false;
}

bool DiscourseState::IsHeading(const Sentence& s) const {
  if (s.end_token - s.first_token > kHeadingTokens) return false;
  if (doc_.tokens[s.first_token].begin < kLeadBytes) return false;
  const absl::string_view last = doc_.tokens[s.end_token - 1].lower;
  if (last == "." || last == "!" || last == "?" || last == "\"") return false;
  // The whole line: the sentences either side are on other lines.
  const int si = doc_.SentenceOf(s.first_token);
  const auto& all = doc_.sentences;
  return (si == 0 || all[si - 1].paragraph != s.paragraph) &&
         (si + 1 == static_cast<int>(all.size()) ||
          all[si + 1].paragraph != s.paragraph);
}

bool DiscourseState::OpensAsFollowOn(const Sentence& s) const {
  if (doc_.tokens[s.first_token].lower == "\"") return true;  // a quotation
  // A list line: a bullet or dash opens it, or a colon ends it ("Ayala
  // Bridge - A total of 51 individuals arrested:").
  if (IsBullet(doc_.tokens[s.first_token]) ||
      doc_.tokens[s.end_token - 1].lower == ":") {
    return true;
  }
  return follow_on_class_ >= 0 &&
         lex_.MatchClass(follow_on_class_, doc_.tokens, s.first_token,
                         s.end_token) > 0;
}

void DiscourseState::NewParagraph(const Sentence& s) {
  paragraph_ = s.paragraph;
  paragraph_places_ = OnePlace();
  paragraph_nationwide_ = false;
  paragraph_event_date_.reset();
  if (!s.boilerplate && !OpensAsFollowOn(s)) speakers_now_ = nullptr;
}

Inherited DiscourseState::Enter(int si) {
  const Sentence& s = doc_.sentences[si];
  if (s.paragraph != paragraph_) NewParagraph(s);
  Inherited in;
  if (!s.boilerplate) {
    in.nationwide = HasClass(nationwide_class_, s);
    in.running_total = HasClass(running_total_class_, s);
  }
  paragraph_nationwide_ = paragraph_nationwide_ || in.nationwide;
  in.nationwide = paragraph_nationwide_;
  if (!in.nationwide && !paragraph_places_.Several()) {
    in.setting = paragraph_places_.Get();
    if (in.setting == nullptr && !section_is_country_) {
      in.setting =
          section_setting_ != nullptr ? section_setting_ : article_setting_;
    }
  }
  in.event_date = paragraph_event_date_ ? paragraph_event_date_ : story_date_;
  in.speakers = speakers_now_;
  TakeIn(si);
  return in;
}

void DiscourseState::TakeIn(int si) {
  const Sentence& s = doc_.sentences[si];
  // Places: a heading's place opens a section; others join the paragraph.
  OnePlace heading;
  bool heading_names_country = false;
  const bool is_heading = !s.boilerplate && IsHeading(s);
  for (;
       next_place_ < places_.size() && places_[next_place_].first < s.end_token;
       ++next_place_) {
    const PlaceSpan& p = places_[next_place_];
    if (p.first < s.first_token || s.boilerplate) continue;
    if (is_heading && p.place == main_country_ && !p.actor) {
      heading_names_country = true;
    }
    if (!InSetting(p)) continue;
    (is_heading ? heading : paragraph_places_).Add(p.place);
  }
  if (is_heading && (heading.Get() != nullptr || heading_names_country)) {
    section_setting_ = heading.Get();
    section_is_country_ = section_setting_ == nullptr;
  }
  // Dates: the first usable date of a sentence with an event dates it.
  const std::optional<DayDate> own = OwnDate(s, &next_date_);
  if (own && has_event_[si]) paragraph_event_date_ = own;
  // Speakers: a sentence that names one makes it the current speaker.
  for (const SpeakerMention& sp : speakers_[si]) {
    if (!sp.pronoun) {
      speakers_now_ = &speakers_[si];
      break;
    }
  }
}

std::optional<DayDate> DiscourseState::OwnDate(const Sentence& s,
                                               size_t* next) const {
  std::optional<DayDate> own;
  for (; *next < dates_.size() && dates_[*next].first < s.end_token; ++*next) {
    const DateMention& d = dates_[*next];
    if (!own && CanDate(s, d)) own = DayDate{d.year, d.month, d.day};
  }
  return own;
}

bool DiscourseState::CanDate(const Sentence& s, const DateMention& d) const {
  return d.first >= s.first_token && !d.since && UsableEventDate(doc_, d);
}

std::optional<DayDate> DiscourseState::StoryDate() const {
  std::optional<DayDate> day;  // the one day the text gives, so far
  bool an_event_gives_it = false;
  size_t next = 0;
  for (size_t si = 0; si < doc_.sentences.size(); ++si) {
    const Sentence& s = doc_.sentences[si];
    const size_t from = next;
    const std::optional<DayDate> own = OwnDate(s, &next);
    if (s.boilerplate) continue;
    for (size_t k = from; k < next; ++k) {
      const DateMention& d = dates_[k];
      if (!CanDate(s, d)) continue;
      const DayDate this_day{d.year, d.month, d.day};
      if (day && !(*day == this_day)) return std::nullopt;  // several days
      day = this_day;
    }
    if (own && has_event_[si]) an_event_gives_it = true;
  }
  return an_event_gives_it ? day : std::nullopt;
}

}  // namespace newsevents::extract
