#include "ingest_service/extract/event_assembler.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "common/hashing.h"
#include "ingest_service/extract/discourse_state.h"
#include "ingest_service/extract/text_normalizer.h"

namespace newsevents::extract {
namespace {

// Where, when and who for one count or event.
struct Context {
  const gazetteer::Place* place = nullptr;
  int place_first = -1;  // token range of the place's mention, -1 if implied
  int place_end = -1;
  std::optional<DayDate> date;
  bool date_inherited = false;  // the date is the discourse's, not its own
  // Views of the speakers' texts in the annotations, which outlive the
  // assembly; contexts are copied around, and most have one or two sources.
  absl::InlinedVector<absl::string_view, 2> sources;
  const SpeakerMention* speaker = nullptr;  // the first source
};

struct MergedCount {
  const CountMention* mention = nullptr;    // first mention
  v1::Group group = v1::GROUP_UNSPECIFIED;  // the first one specified
  Context context;
  int total = -1;  // index of the total among merged counts
};

struct ActorDraft {
  int first = 0;  // token range of the group's words
  int end = 0;
  v1::Group group = v1::GROUP_UNSPECIFIED;
  v1::ActorRole role = v1::ACTOR_ROLE_UNSPECIFIED;
};

// Indices of spans grouped by sentence, in their order. One flat array
// rather than a vector per sentence: fewer allocations for each article.
class BySentence {
 public:
  template <typename Span>
  void Build(const Document& doc, const std::vector<Span>& spans) {
    std::vector<int> sentence(spans.size());
    offsets_.assign(doc.sentences.size() + 1, 0);
    for (size_t i = 0; i < spans.size(); ++i) {
      sentence[i] = doc.SentenceOf(spans[i].first);
      if (sentence[i] >= 0) ++offsets_[sentence[i] + 1];
    }
    for (size_t si = 0; si < doc.sentences.size(); ++si) {
      offsets_[si + 1] += offsets_[si];
    }
    items_.resize(offsets_.back());
    std::vector<int> next(offsets_.begin(), offsets_.end() - 1);
    for (size_t i = 0; i < spans.size(); ++i) {
      if (sentence[i] >= 0) items_[next[sentence[i]]++] = static_cast<int>(i);
    }
  }

  absl::Span<const int> operator[](int si) const {
    return absl::MakeConstSpan(items_).subspan(offsets_[si],
                                               offsets_[si + 1] - offsets_[si]);
  }

 private:
  // Sentence si's are items_[offsets_[si], offsets_[si + 1]).
  std::vector<int> offsets_;
  std::vector<int> items_;
};

struct EventDraft {
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  v1::Modality modality = v1::MODALITY_ACTUAL;
  int sentence = 0;
  int evidence_first = 0;
  int evidence_end = 0;
  Context context;
  std::vector<int> counts;  // indices of merged counts
  std::vector<ActorDraft> actors;
};

// A token range [first, end); empty by default.
struct TokenRange {
  int first = 0;
  int end = 0;
};

// A group of people named in a sentence ("riot police").
struct GroupMention {
  int first;
  int length;
  v1::Group group;
};

// The sets of event types a count can join, by what it counts.
enum class CountEvents {
  kArrest,     // ARRESTED: an ARREST
  kDamage,     // DAMAGED: a RIOT
  kCrowd,      // PARTICIPANTS: a PROTEST, else a RIOT
  kCrackdown,  // protesters killed or hurt by security forces: a CRACKDOWN
  kCasualty,   // other casualties: a CRACKDOWN, ARMED_CLASH, RIOT or PROTEST
};

// The types of `events`, most fitting first.
absl::Span<const v1::EventType> TypesOf(CountEvents events) {
  static constexpr v1::EventType kArrest[] = {v1::EVENT_TYPE_ARREST};
  static constexpr v1::EventType kDamage[] = {v1::EVENT_TYPE_RIOT};
  static constexpr v1::EventType kCrowd[] = {v1::EVENT_TYPE_PROTEST,
                                             v1::EVENT_TYPE_RIOT};
  static constexpr v1::EventType kCrackdown[] = {v1::EVENT_TYPE_CRACKDOWN};
  static constexpr v1::EventType kCasualty[] = {
      v1::EVENT_TYPE_CRACKDOWN, v1::EVENT_TYPE_ARMED_CLASH, v1::EVENT_TYPE_RIOT,
      v1::EVENT_TYPE_PROTEST};
  switch (events) {
    case CountEvents::kArrest:
      return kArrest;
    case CountEvents::kDamage:
      return kDamage;
    case CountEvents::kCrowd:
      return kCrowd;
    case CountEvents::kCrackdown:
      return kCrackdown;
    case CountEvents::kCasualty:
      return kCasualty;
  }
  return kCasualty;
}

// Whether two contexts can be of one event's day: the same date, or no
// date beside one only inherited from the discourse.
bool SameDay(const Context& a, const Context& b) {
  if (a.date == b.date) return true;
  return (!a.date && b.date_inherited) || (!b.date && a.date_inherited);
}

class Assembler {
 public:
  Assembler(const Document& doc, const Lexicons& lex,
            const gazetteer::Gazetteer* gazetteer, const ArticleAnnotations& a,
            const AssemblyOptions& options)
      : doc_(doc),
        lex_(lex),
        gazetteer_(gazetteer),
        a_(a),
        options_(options),
        security_class_(lex.WordClass("security")),
        outlet_class_(lex.WordClass("outlet")) {
    places_by_sentence_.Build(doc, a.places);
    dates_by_sentence_.Build(doc, a.dates);
    if (gazetteer_ != nullptr && !a.country_order.empty()) {
      main_country_ = gazetteer_->Country(a.country_order.front());
    }
    DiscourseState state(doc, lex, a.places, a.dates, a.triggers, a.speakers,
                         a.counts, main_country_, a.dateline);
    inherited_.reserve(doc.sentences.size());
    for (size_t si = 0; si < doc.sentences.size(); ++si) {
      inherited_.push_back(state.Enter(static_cast<int>(si)));
    }
  }

  void Run(google::protobuf::RepeatedPtrField<v1::Event>* out);

 private:
  // Places whose mention starts in `skip_places` are not considered.
  Context ContextOf(int si, int anchor, bool for_count,
                    TokenRange skip_places = {}) const;
  const gazetteer::Place* PlaceOf(int si, int anchor, int* first, int* end,
                                  TokenRange skip) const;
  // `for_count`: a period's start ("since October 25") is not the date of
  // a cumulative figure.
  std::optional<DayDate> DateOf(int si, int anchor, bool for_count) const;
  bool Historical(int si) const;
  // Whether speaker `sp` is a news outlet or agency (word class `outlet`).
  bool IsOutlet(const SpeakerMention& sp) const;
  bool HasNonOutlet(const std::vector<SpeakerMention>& speakers) const;
  // Whether sentence `si` names a place as a venue (not an actor).
  bool NamesVenue(int si) const;
  bool Compatible(const gazetteer::Place* a, const gazetteer::Place* b) const;
  void MergeCounts();
  // A place of the count's own evidence: one opening it, else the first
  // after its number; sets it in `context` when there is one.
  // Places in `skip` (its sub-totals') are not its.
  void OwnPlace(const CountMention& c, TokenRange skip,
                Context* context) const;
  // Whether sentence `si` is a line of its own without final punctuation
  // (a headline or title).
  bool TitleLine(int si) const;
  // Merges mention `c`, with its context, into *mc.
  void Absorb(const CountMention& c, const Context& context,
              MergedCount* mc) const;
  void MakeTriggerEvents();
  // Whether sentence `si` already has a draft of `type` at the place of
  // `context`, or any draft of `type` when `context` names no place itself.
  bool HasDraft(int si, v1::EventType type, const Context& context) const;
  // The trigger's clause, at most ten tokens either side: its evidence.
  TokenRange TriggerClause(const Sentence& s, const TriggerMention& t) const;
  // The groups of people named in sentence `s`, in order.
  void FindGroups(const Sentence& s, std::vector<GroupMention>* groups) const;
  // Copies of drafts_[draft] for the other places of a list its place is
  // part of.
  void AddListedPlaces(size_t draft);
  void AttachCounts();
  // The draft count `mc` joins: an event of its sentence whose type fits,
  // else one made for it (appended to drafts_). Only the first
  // `trigger_drafts` drafts, those made from triggers, are joined.
  int DraftForCount(const MergedCount& mc, size_t trigger_drafts);
  CountEvents EventsFor(const MergedCount& mc) const;
  // For a casualty figure without a trigger in its sentence: the type of
  // the nearest earlier event of a violent kind, else of the nearest later
  // one, else PROTEST.
  v1::EventType CasualtyTypeNear(int sentence, size_t trigger_drafts) const;
  bool SecurityInSentence(int si) const;
  // Merges drafts of one type, place, date and modality (the first in text
  // order takes the others' counts); returns the drafts kept, in text order.
  std::vector<EventDraft*> MergeDrafts();
  void Build(google::protobuf::RepeatedPtrField<v1::Event>* out);
  // Fills *q from merged count `ci` of draft `d`; subtotal_of is the
  // index of its total among d's counts.
  void FillQuantity(const EventDraft& d, int ci, v1::Quantity* q) const;
  void FillLocation(const Context& c, v1::Location* out) const;
  // Writes the id key of draft `d` to *key and records it in `used`.
  void EventIdKey(const EventDraft& d, const v1::TextSpan& evidence,
                  absl::flat_hash_set<std::string>& used,
                  std::string* key) const;
  void FillAttribution(const Context& c, v1::Attribution* out) const;
  void FillSpan(int first, int end, v1::TextSpan* out) const;
  // Sets *out to the raw bytes of `r`, repaired if the input had invalid
  // UTF-8; valid input (the usual case) is copied once, straight in.
  void SetRawText(const TextRange& r, std::string* out) const;

  const Document& doc_;
  const Lexicons& lex_;
  const gazetteer::Gazetteer* gazetteer_;
  const ArticleAnnotations& a_;
  const AssemblyOptions& options_;
  const gazetteer::Place* main_country_ = nullptr;
  BySentence places_by_sentence_;
  BySentence dates_by_sentence_;
  // What each sentence inherits from the discourse before it.
  std::vector<Inherited> inherited_;
  int security_class_ = -1;  // lex_.WordClass("security")
  int outlet_class_ = -1;    // lex_.WordClass("outlet")
  std::vector<MergedCount> merged_;
  std::vector<EventDraft> drafts_;
};

const gazetteer::Place* Assembler::PlaceOf(int si, int anchor, int* first,
                                           int* end, TokenRange skip) const {
  const gazetteer::Place* best = nullptr;
  int best_distance = 0;
  for (int pi : places_by_sentence_[si]) {
    const PlaceSpan& p = a_.places[pi];
    if (p.actor) continue;
    if (p.first >= skip.first && p.first < skip.end) continue;
    // At equal distance the place after the anchor wins: a locative
    // follows what it places ("three in A, two in B").
    const int distance =
        p.first >= anchor ? 2 * (p.first - anchor) - 1 : 2 * (anchor - p.first);
    if (best == nullptr || p.place->precision > best->precision ||
        (p.place->precision == best->precision && distance < best_distance)) {
      best = p.place;
      best_distance = distance;
      *first = p.first;
      *end = p.end;
    }
  }
  return best;
}

std::optional<DayDate> Assembler::DateOf(int si, int anchor,
                                         bool for_count) const {
  std::optional<DayDate> best;
  int best_distance = 0;
  for (int di : dates_by_sentence_[si]) {
    const DateMention& d = a_.dates[di];
    if (!UsableEventDate(doc_, d)) continue;
    if (for_count && d.since) continue;
    const int distance = std::abs(d.first - anchor);
    if (!best || distance < best_distance) {
      best = DayDate{d.year, d.month, d.day};
      best_distance = distance;
    }
  }
  return best;
}

bool Assembler::Historical(int si) const {
  if (a_.reference.year() == 0) return false;
  for (int di : dates_by_sentence_[si]) {
    const DateMention& d = a_.dates[di];
    if (d.year_only && d.year < a_.reference.year() - 1) return true;
  }
  return false;
}

bool Assembler::IsOutlet(const SpeakerMention& sp) const {
  for (int k = sp.first; k < sp.end; ++k) {
    if (lex_.MatchClass(outlet_class_, doc_.tokens, k, sp.end) > 0) {
      return true;
    }
  }
  return false;
}

bool Assembler::HasNonOutlet(
    const std::vector<SpeakerMention>& speakers) const {
  for (const SpeakerMention& sp : speakers) {
    if (!sp.pronoun && !IsOutlet(sp)) return true;
  }
  return false;
}

bool Assembler::NamesVenue(int si) const {
  for (int pi : places_by_sentence_[si]) {
    if (!a_.places[pi].actor) return true;
  }
  return false;
}

Context Assembler::ContextOf(int si, int anchor, bool for_count,
                             TokenRange skip_places) const {
  // The sentence's own place, date and speakers, else what it inherits
  // (discourse_state.h).
  const Inherited& in = inherited_[si];
  Context c;
  c.place = PlaceOf(si, anchor, &c.place_first, &c.place_end, skip_places);
  // A sentence whose only venue is a sub-total's ("164 people including
  // 103 in Almaty") names a place: its total is not the setting's.
  if (c.place == nullptr && !NamesVenue(si)) c.place = in.setting;
  if (c.place == nullptr) c.place = main_country_;
  c.date = DateOf(si, anchor, for_count);
  if (!c.date && for_count && !in.running_total && in.event_date) {
    c.date = in.event_date;
    c.date_inherited = true;
  }
  const std::vector<SpeakerMention>* speakers = &a_.speakers[si];
  if (speakers->empty() && in.speakers != nullptr) speakers = in.speakers;
  // An outlet that relays another speaker's figure is not its source.
  const bool relayed = speakers->size() > 1 && HasNonOutlet(*speakers);
  for (const SpeakerMention& sp : *speakers) {
    if (sp.pronoun) continue;  // unresolved
    if (relayed && IsOutlet(sp)) continue;
    if (std::find(c.sources.begin(), c.sources.end(), sp.text) ==
        c.sources.end()) {
      c.sources.push_back(sp.text);
      if (c.speaker == nullptr) c.speaker = &sp;
    }
  }
  return c;
}

bool Assembler::Compatible(const gazetteer::Place* a,
                           const gazetteer::Place* b) const {
  if (a == b || a == nullptr || b == nullptr) return true;
  if (a->precision == v1::LOCATION_PRECISION_COUNTRY &&
      a->country_code == b->country_code) {
    return true;
  }
  if (b->precision == v1::LOCATION_PRECISION_COUNTRY &&
      a->country_code == b->country_code) {
    return true;
  }
  return false;
}

void Assembler::OwnPlace(const CountMention& c, TokenRange skip,
                         Context* context) const {
  // "Caracas (10)": a place that opens the count's own evidence is its;
  // else the first one inside it after the number ("two in Kitengela, one
  // in Sondu": each item of a list has its own place, whatever place of
  // the sentence is more precise).
  const PlaceSpan* own = nullptr;
  for (int pi : places_by_sentence_[c.sentence]) {
    const PlaceSpan& p = a_.places[pi];
    if (p.actor || (p.first >= skip.first && p.first < skip.end)) continue;
    if (p.first == c.evidence_first) {
      own = &p;
      break;
    }
    if (own == nullptr && p.first >= c.number.end && p.end <= c.evidence_end) {
      own = &p;
    }
  }
  if (own == nullptr) return;
  context->place = own->place;
  context->place_first = own->first;
  context->place_end = own->end;
}

void Assembler::MergeCounts() {
  std::vector<int> merged_index(a_.counts.size(), -1);
  merged_.reserve(a_.counts.size());
  for (size_t i = 0; i < a_.counts.size(); ++i) {
    const CountMention& c = a_.counts[i];
    // "164 people including 103 in Almaty had died": a place named inside
    // a sub-total belongs to the sub-total, not to its total.
    TokenRange subtotals;
    for (size_t j = i + 1;
         j < a_.counts.size() && a_.counts[j].sentence == c.sentence; ++j) {
      const CountMention& part = a_.counts[j];
      if (part.subtotal_of != static_cast<int>(i)) continue;
      if (subtotals.end <= subtotals.first) subtotals.first = part.number.first;
      subtotals.end = std::max(subtotals.end, part.evidence_end);
    }
    Context context = ContextOf(c.sentence, c.number.num_first,
                                /*for_count=*/true, subtotals);
    OwnPlace(c, subtotals, &context);
    int into = -1;
    for (size_t m = 0; m < merged_.size(); ++m) {
      const CountMention& o = *merged_[m].mention;
      if (o.kind == c.kind && o.number.value == c.number.value &&
          o.number.value_max == c.number.value_max && o.object == c.object &&
          Compatible(merged_[m].context.place, context.place)) {
        into = static_cast<int>(m);
        break;
      }
    }
    if (into < 0) {
      MergedCount mc;
      mc.mention = &c;
      mc.group = c.group;
      mc.context = std::move(context);
      if (c.subtotal_of >= 0) mc.total = merged_index[c.subtotal_of];
      merged_index[i] = static_cast<int>(merged_.size());
      merged_.push_back(std::move(mc));
      continue;
    }
    merged_index[i] = into;
    Absorb(c, context, &merged_[into]);
  }
}

bool Assembler::TitleLine(int si) const {
  const Sentence& s = doc_.sentences[si];
  const auto on_line = [&](int other) {
    return other >= 0 && other < static_cast<int>(doc_.sentences.size()) &&
           doc_.sentences[other].paragraph == s.paragraph;
  };
  if (on_line(si - 1) || on_line(si + 1)) return false;
  for (int k = s.end_token - 1; k >= s.first_token; --k) {
    const absl::string_view w = doc_.tokens[k].lower;
    if (w == "\"" || w == "'" || w == ")") continue;  // closing marks
    return w != "." && w != "!" && w != "?";
  }
  return true;
}

void Assembler::Absorb(const CountMention& c, const Context& context,
                       MergedCount* mc) const {
  // Headlines round ("60 hurt" over "At least 60"): the body's mention
  // gives the qualifier and the evidence.
  if (TitleLine(mc->mention->sentence) && !TitleLine(c.sentence)) {
    mc->mention = &c;
  }
  if (mc->group == v1::GROUP_UNSPECIFIED) mc->group = c.group;
  Context& into = mc->context;
  if (context.place != nullptr &&
      (into.place == nullptr ||
       context.place->precision > into.place->precision)) {
    into.place = context.place;
    into.place_first = context.place_first;
    into.place_end = context.place_end;
  }
  // A repeated count takes the first date the article gives it; a date it
  // only inherited gives way to one a later mention states.
  if (!into.date ||
      (into.date_inherited && context.date && !context.date_inherited)) {
    into.date = context.date;
    into.date_inherited = context.date_inherited;
  }
  for (absl::string_view s : context.sources) {
    if (std::find(into.sources.begin(), into.sources.end(), s) ==
        into.sources.end()) {
      into.sources.push_back(s);
    }
  }
  if (into.speaker == nullptr) into.speaker = context.speaker;
}

void Assembler::MakeTriggerEvents() {
  std::vector<GroupMention> groups;
  for (size_t si = 0; si < doc_.sentences.size(); ++si) {
    const Sentence& s = doc_.sentences[si];
    if (a_.triggers[si].empty()) continue;
    const bool historical = Historical(static_cast<int>(si));
    bool groups_found = false;
    for (const TriggerMention& t : a_.triggers[si]) {
      v1::Modality modality = t.modality;
      if (historical && modality == v1::MODALITY_ACTUAL) {
        modality = v1::MODALITY_HISTORICAL;
      }
      if (!options_.keep_non_actual && modality != v1::MODALITY_ACTUAL &&
          modality != v1::MODALITY_FUTURE) {
        continue;
      }
      // One event per type and place in a sentence ("Protests spread ...,
      // and thousands rallied in Shymkent": two places, two events).
      Context context =
          ContextOf(static_cast<int>(si), t.first, /*for_count=*/false);
      if (HasDraft(static_cast<int>(si), t.type, context)) continue;
      EventDraft d;
      d.type = t.type;
      d.modality = modality;
      d.sentence = static_cast<int>(si);
      const TokenRange clause = TriggerClause(s, t);
      d.evidence_first = clause.first;
      d.evidence_end = clause.end;
      d.context = std::move(context);
      // Actors: the groups named in the sentence (found once per sentence).
      if (!groups_found) {
        groups_found = true;
        FindGroups(s, &groups);
      }
      for (const GroupMention& group : groups) {
        ActorDraft actor;
        actor.first = group.first;
        actor.end = group.first + group.length;
        actor.group = group.group;
        actor.role = group.first < t.first ? v1::ACTOR_ROLE_INITIATOR
                                           : v1::ACTOR_ROLE_TARGET;
        d.actors.push_back(actor);
      }
      const size_t first_of_list = drafts_.size();
      drafts_.push_back(std::move(d));
      AddListedPlaces(first_of_list);
    }
  }
}

bool Assembler::HasDraft(int si, v1::EventType type,
                         const Context& context) const {
  // Drafts are made in sentence order: only the last ones can be of `si`.
  for (auto it = drafts_.rbegin(); it != drafts_.rend() && it->sentence == si;
       ++it) {
    if (it->type == type &&
        (it->context.place == context.place || context.place_first < 0)) {
      return true;
    }
  }
  return false;
}

TokenRange Assembler::TriggerClause(const Sentence& s,
                                    const TriggerMention& t) const {
  int b = t.first;
  while (b > s.first_token && b > t.first - 10) {
    const absl::string_view w = doc_.tokens[b - 1].lower;
    if (w == "," || w == ";" || w == ":" || w == "\"" || w == "(" ||
        doc_.tokens[b - 1].Is(kBoilerplate)) {
      break;
    }
    --b;
  }
  int e = t.end;
  while (e < s.end_token && e < t.end + 10) {
    const absl::string_view w = doc_.tokens[e].lower;
    if (w == "," || w == ";" || w == ":" || w == "." || w == "\"" || w == ")") {
      break;
    }
    ++e;
  }
  return TokenRange{b, e};
}

void Assembler::FindGroups(const Sentence& s,
                           std::vector<GroupMention>* groups) const {
  groups->clear();
  for (int k = s.first_token; k < s.end_token;) {
    PhraseMatch m = lex_.people.Match(doc_.tokens, k, s.end_token);
    if (!m) {
      ++k;
      continue;
    }
    const v1::Group g = lex_.people_groups[m.id];
    if (g != v1::GROUP_UNSPECIFIED) groups->push_back({k, m.length, g});
    k += m.length;
  }
}

void Assembler::AddListedPlaces(size_t draft) {
  // "Protests spread from Zhanaozen to Aktau, Aktobe and Uralsk": every
  // place of the list the draft's place stands in is a place of the event.
  // The copies are appended to drafts_, which may then move: the draft is
  // read by index, never through a reference held across a push.
  const int sentence = drafts_[draft].sentence;
  const int place_first = drafts_[draft].context.place_first;
  if (place_first < 0) return;
  const absl::Span<const int> places = places_by_sentence_[sentence];
  int at = -1;
  for (size_t k = 0; k < places.size(); ++k) {
    if (a_.places[places[k]].first == place_first) {
      at = static_cast<int>(k);
    }
  }
  if (at < 0) return;
  // Whether only list punctuation and conjunctions stand between places
  // `a` and `b` (b after a).
  const auto joined = [&](const PlaceSpan& a, const PlaceSpan& b) {
    if (a.actor || b.actor || b.first <= a.end) return false;
    for (int k = a.end; k < b.first; ++k) {
      const absl::string_view w = doc_.tokens[k].lower;
      if (w != "," && w != "and" && w != "or" && w != "to") return false;
    }
    return true;
  };
  int first = at;
  while (first > 0 &&
         joined(a_.places[places[first - 1]], a_.places[places[first]])) {
    --first;
  }
  int last = at;
  while (last + 1 < static_cast<int>(places.size()) &&
         joined(a_.places[places[last]], a_.places[places[last + 1]])) {
    ++last;
  }
  for (int k = first; k <= last; ++k) {
    if (k == at) continue;
    const PlaceSpan& p = a_.places[places[k]];
    EventDraft copy = drafts_[draft];
    copy.context.place = p.place;
    copy.context.place_first = p.first;
    copy.context.place_end = p.end;
    drafts_.push_back(std::move(copy));
  }
}

bool Assembler::SecurityInSentence(int si) const {
  const int cls = security_class_;
  const Sentence& s = doc_.sentences[si];
  for (int k = s.first_token; k < s.end_token; ++k) {
    if (lex_.MatchClass(cls, doc_.tokens, k, s.end_token) > 0) return true;
  }
  return false;
}

void Assembler::AttachCounts() {
  const size_t trigger_drafts = drafts_.size();
  // The draft each merged count went to. A sub-total goes where its total
  // went, keeping its own place ("1.28 million nationwide, including
  // 119,000 in Paris"), so that it can point at the total.
  std::vector<int> draft_of(merged_.size(), -1);
  for (size_t ci = 0; ci < merged_.size(); ++ci) {
    const MergedCount& mc = merged_[ci];
    const bool goes_with_total = mc.total >= 0 &&
                                 mc.total < static_cast<int>(ci) &&
                                 draft_of[mc.total] >= 0;
    const int chosen = goes_with_total ? draft_of[mc.total]
                                       : DraftForCount(mc, trigger_drafts);
    drafts_[chosen].counts.push_back(static_cast<int>(ci));
    draft_of[ci] = chosen;
  }
}

int Assembler::DraftForCount(const MergedCount& mc, size_t trigger_drafts) {
  const CountMention& c = *mc.mention;
  const CountEvents events = EventsFor(mc);
  const absl::Span<const v1::EventType> fits = TypesOf(events);
  // An event of its sentence whose type fits, with a compatible date.
  for (v1::EventType type : fits) {
    for (size_t di = 0; di < trigger_drafts; ++di) {
      const EventDraft& d = drafts_[di];
      // A date the count only inherits does not part it from its
      // sentence's undated event.
      if (d.sentence == c.sentence && d.type == type &&
          SameDay(d.context, mc.context)) {
        return static_cast<int>(di);
      }
    }
  }
  // Else an event made for it.
  EventDraft d;
  d.type = events == CountEvents::kCasualty
               ? CasualtyTypeNear(c.sentence, trigger_drafts)
               : fits.front();
  d.sentence = c.sentence;
  d.evidence_first = c.evidence_first;
  d.evidence_end = c.evidence_end;
  d.context = mc.context;
  drafts_.push_back(std::move(d));
  return static_cast<int>(drafts_.size()) - 1;
}

CountEvents Assembler::EventsFor(const MergedCount& mc) const {
  const CountMention& c = *mc.mention;
  switch (c.kind) {
    case v1::QUANTITY_KIND_ARRESTED:
      return CountEvents::kArrest;
    case v1::QUANTITY_KIND_DAMAGED:
      return CountEvents::kDamage;
    case v1::QUANTITY_KIND_PARTICIPANTS:
      return CountEvents::kCrowd;
    default:
      // Protesters killed or hurt by security forces: a crackdown.
      if (mc.group == v1::GROUP_PROTESTERS &&
          (c.security_agent || SecurityInSentence(c.sentence))) {
        return CountEvents::kCrackdown;
      }
      return CountEvents::kCasualty;
  }
}

v1::EventType Assembler::CasualtyTypeNear(int sentence,
                                          size_t trigger_drafts) const {
  const absl::Span<const v1::EventType> casualty =
      TypesOf(CountEvents::kCasualty);
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  for (size_t di = 0; di < trigger_drafts; ++di) {
    const EventDraft& d = drafts_[di];
    if (std::find(casualty.begin(), casualty.end(), d.type) == casualty.end()) {
      continue;
    }
    if (d.sentence <= sentence || type == v1::EVENT_TYPE_UNSPECIFIED) {
      type = d.type;
    }
    if (d.sentence > sentence) break;
  }
  return type == v1::EVENT_TYPE_UNSPECIFIED ? v1::EVENT_TYPE_PROTEST : type;
}

void Assembler::SetRawText(const TextRange& r, std::string* out) const {
  const absl::string_view raw = doc_.raw.substr(r.begin, r.end - r.begin);
  if (doc_.norm.invalid_sequences == 0) {
    out->assign(raw.data(), raw.size());
  } else {
    *out = RepairUtf8(raw);
  }
}

void Assembler::FillSpan(int first, int end, v1::TextSpan* out) const {
  const TextRange r = doc_.RawTokens(first, end);
  out->set_start(r.begin);
  out->set_end(r.end);
  SetRawText(r, out->mutable_text());
}

void Assembler::FillLocation(const Context& c, v1::Location* out) const {
  const gazetteer::Place* p = c.place;
  out->set_name(p->name);
  out->set_country_code(p->country_code);
  out->set_latitude(p->latitude);
  out->set_longitude(p->longitude);
  out->set_geoname_id(p->geoname_id);
  out->set_admin_region(p->admin_region);
  out->set_precision(p->precision);
  if (c.place_first >= 0)
    FillSpan(c.place_first, c.place_end, out->mutable_mention());
}

void Assembler::FillAttribution(const Context& c, v1::Attribution* out) const {
  out->set_text(absl::StrJoin(c.sources, "; "));
  if (c.speaker != nullptr) {
    out->set_person(c.speaker->person);
    out->set_organization(c.speaker->organization);
    if (c.speaker->end > c.speaker->first) {
      FillSpan(c.speaker->first, c.speaker->end, out->mutable_evidence());
    }
  }
}

// EventType_Name looks the descriptor up on every call; ids need it once per
// event.
absl::string_view TypeName(v1::EventType type) {
  static const auto* const kNames = [] {
    auto* names = new std::array<std::string, v1::EventType_ARRAYSIZE>();
    for (int i = 0; i < v1::EventType_ARRAYSIZE; ++i) {
      (*names)[i] = v1::EventType_Name(i);
    }
    return names;
  }();
  if (type < 0 || type >= v1::EventType_ARRAYSIZE) {
    return v1::EventType_Name(type);
  }
  return (*kNames)[type];
}

std::vector<EventDraft*> Assembler::MergeDrafts() {
  std::vector<int> order(drafts_.size());
  for (size_t i = 0; i < drafts_.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return doc_.tokens[drafts_[x].evidence_first].begin <
           doc_.tokens[drafts_[y].evidence_first].begin;
  });
  // Pointers into drafts_, which no longer changes size.
  std::vector<EventDraft*> kept;
  kept.reserve(drafts_.size());
  for (int i : order) {
    EventDraft& d = drafts_[i];
    bool merged = false;
    for (EventDraft*& k : kept) {
      if (k->type == d.type && k->modality == d.modality &&
          k->context.place == d.context.place &&
          SameDay(k->context, d.context)) {
        // The first draft that gives figures is the event's evidence: a
        // caption or a headline before it only names the event.
        EventDraft* into = k;
        EventDraft* from = &d;
        if (k->counts.empty() && !d.counts.empty()) std::swap(into, from);
        into->counts.insert(into->counts.end(), from->counts.begin(),
                            from->counts.end());
        if (into->context.sources.empty()) {
          into->context.sources = from->context.sources;
          into->context.speaker = from->context.speaker;
        }
        k = into;
        merged = true;
        break;
      }
    }
    if (!merged) kept.push_back(&d);
  }
  return kept;
}

// The event id key (see "Event ids" in event_assembler.h): article id, type
// and evidence span; when an earlier event of the article has that key, the
// place, modality and date are added, then an ordinal if still needed.
void Assembler::EventIdKey(const EventDraft& d, const v1::TextSpan& evidence,
                           absl::flat_hash_set<std::string>& used,
                           std::string* key) const {
  key->clear();
  absl::StrAppend(key, options_.article_id, "|", TypeName(d.type), "|",
                  evidence.start(), "|", evidence.end());
  if (used.insert(*key).second) return;
  const gazetteer::Place* place = d.context.place;
  absl::StrAppend(key, "|place=",
                  place == nullptr
                      ? std::string("-")
                      : absl::StrCat(place->geoname_id, ":", place->name),
                  "|modality=", static_cast<int>(d.modality), "|date=");
  if (d.context.date) {
    absl::StrAppend(key, d.context.date->year, "-", d.context.date->month, "-",
                    d.context.date->day);
  }
  const size_t base = key->size();
  for (int ordinal = 2; !used.insert(*key).second; ++ordinal) {
    key->resize(base);
    absl::StrAppend(key, "|#", ordinal);
  }
}

void Assembler::Build(google::protobuf::RepeatedPtrField<v1::Event>* out) {
  const std::vector<EventDraft*> kept = MergeDrafts();
  out->Reserve(out->size() + static_cast<int>(kept.size()));
  std::string id_key;  // reused: one allocation for all the ids
  // Keys already used in this article (the event id formula is in
  // event_assembler.h).
  absl::flat_hash_set<std::string> used_keys;
  for (const EventDraft* draft : kept) {
    const EventDraft& d = *draft;
    v1::Event& e = *out->Add();
    FillSpan(d.evidence_first, d.evidence_end, e.mutable_evidence());
    EventIdKey(d, e.evidence(), used_keys, &id_key);
    e.set_id(ContentId(id_key));
    e.set_name(absl::StrCat("events/", e.id()));
    e.set_article_id(options_.article_id.data(), options_.article_id.size());
    e.set_type(d.type);
    e.set_modality(d.modality);
    if (d.context.date) {
      e.mutable_date()->set_year(d.context.date->year);
      e.mutable_date()->set_month(d.context.date->month);
      e.mutable_date()->set_day(d.context.date->day);
    }
    if (d.context.place != nullptr)
      FillLocation(d.context, e.mutable_location());
    e.mutable_actors()->Reserve(static_cast<int>(d.actors.size()));
    for (const ActorDraft& draft : d.actors) {
      v1::Actor* actor = e.add_actors();
      const absl::string_view text = doc_.TextOf(draft.first, draft.end);
      actor->set_text(text.data(), text.size());
      actor->set_group(draft.group);
      actor->set_role(draft.role);
    }
    if (!d.context.sources.empty())
      FillAttribution(d.context, e.mutable_attribution());
    e.set_confidence(d.counts.empty() ? 0.6f : 0.8f);
    if (options_.published_date.year() > 0) {
      *e.mutable_published_date() = options_.published_date;
    }
    e.set_outlet(options_.outlet.data(), options_.outlet.size());
    e.mutable_quantities()->Reserve(static_cast<int>(d.counts.size()));
    for (int ci : d.counts) FillQuantity(d, ci, e.add_quantities());
  }
}

void Assembler::FillQuantity(const EventDraft& d, int ci,
                             v1::Quantity* q) const {
  const MergedCount& mc = merged_[ci];
  const CountMention& c = *mc.mention;
  q->set_kind(c.kind);
  q->set_value(c.number.value);
  q->set_value_max(c.number.value_max);
  q->set_qualifier(c.number.qualifier);
  q->set_group(mc.group);
  q->set_object(c.object);
  FillSpan(c.evidence_first, c.evidence_end, q->mutable_evidence());
  SetRawText(doc_.RawTokens(c.number.first, c.number.end),
             q->mutable_raw_text());
  if (mc.context.place != nullptr)
    FillLocation(mc.context, q->mutable_location());
  if (mc.context.date) {
    q->mutable_date()->set_year(mc.context.date->year);
    q->mutable_date()->set_month(mc.context.date->month);
    q->mutable_date()->set_day(mc.context.date->day);
  }
  if (!mc.context.sources.empty()) {
    FillAttribution(mc.context, q->mutable_attribution());
  }
  q->set_subtotal_of(-1);
  if (mc.total >= 0) {
    for (size_t k = 0; k < d.counts.size(); ++k) {
      if (d.counts[k] == mc.total) q->set_subtotal_of(static_cast<int>(k));
    }
  }
}

void Assembler::Run(google::protobuf::RepeatedPtrField<v1::Event>* out) {
  MergeCounts();
  // One draft per trigger and one per count, mostly: the places of a list
  // (AddListedPlaces) add copies beyond this.
  size_t triggers = 0;
  for (const std::vector<TriggerMention>& t : a_.triggers) triggers += t.size();
  drafts_.reserve(triggers + merged_.size());
  MakeTriggerEvents();
  AttachCounts();
  Build(out);
}

}  // namespace

void AssembleEvents(const Document& doc, const Lexicons& lex,
                    const gazetteer::Gazetteer* gazetteer,
                    const ArticleAnnotations& annotations,
                    const AssemblyOptions& options,
                    google::protobuf::RepeatedPtrField<v1::Event>* out) {
  Assembler assembler(doc, lex, gazetteer, annotations, options);
  assembler.Run(out);
}

}  // namespace newsevents::extract
