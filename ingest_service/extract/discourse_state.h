#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_DISCOURSE_STATE_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_DISCOURSE_STATE_H_

// The discourse state of one article: what a sentence inherits from the
// sentences before it when it does not say it itself.
//
// Contract:
//  - DiscourseState is updated sentence by sentence, in text order, by
//    Enter(si). Enter returns what sentence si inherits (an Inherited),
//    computed from the sentences before si only (and the story date, below),
//    and then takes in what si itself says (its places, its dated events,
//    its speakers), so that the sentences after it inherit that. One pass,
//    constant work per token: no part of an article is read twice (the
//    story date reads the date annotations once, not the text).
//  - What is inherited is used only where a count's or event's own sentence
//    is silent: an own place, date or speaker always wins (the assembler
//    decides; see event_assembler.h).
//  - Setting: the place a sentence naming no venue is about. By level, the
//    first that is set wins:
//      paragraph  the one city (else region) the paragraph has named so far,
//                 when it has named exactly one; a paragraph that has named
//                 several gives no setting at all (the country: GUIDELINES
//                 "Several places");
//      section    a heading line that names a city or region (a heading
//                 that names the country opens a section about the country:
//                 no setting);
//      article    the dateline's city, else the one city (else region) the
//                 headline and lead (the first kLeadBytes of text) name, if
//                 they name it at least as often as the main country (a
//                 lead about the country that mentions its capital once is
//                 about the country), else, when the text never names the
//                 main country as a venue, the town it names as a venue
//                 most (DominantCity).
//    Every setting lies in the article's main country (a wire dateline from
//    a neighbouring capital is not the setting). A sentence that speaks of
//    the whole country or of several cities ("nationwide", "across the
//    country", "cities": word class `nationwide` of word_classes.tsv), and
//    the rest of its paragraph, inherit no setting.
//  - Event date: the date of the last dated event (a sentence with a
//    trigger or a count and a usable date) of the paragraph so far, else
//    the story date: when the text (boilerplate aside) gives one day only,
//    and a sentence with an event gives it, that day — a one-day story's
//    figures are of that day. An article that names two or more days has
//    no story date: which day a silent figure belongs to is then not said
//    (measured: taking the most named day dated 4 figures gold leaves null
//    for every 3 it dated right). It is for counts only (GUIDELINES: a
//    count said to happen during a dated event takes its date), and not for
//    a sentence that gives a total to date ("so far", "since", "toll": word
//    class `running_total`): GUIDELINES "Totals to date".
//  - Speakers: the speakers of the last sentence of the paragraph that
//    named any, while the paragraph continues; the next paragraph inherits
//    them only when it opens as a follow-on to the figure before it
//    ("Of the 87 arrested, ...", "Additionally, ...": word class
//    `follow_on`) or as a quotation continuing the speaker's words.
//
// Ownership: views the Document, Lexicons and annotations passed in, which
// must outlive it. Thread-safety: one instance per article.

#include <optional>
#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/count_annotator.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "ingest_service/gazetteer/place_finder.h"

namespace newsevents::extract {

struct DayDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const DayDate& o) const {
    return year == o.year && month == o.month && day == o.day;
  }
};

// Whether date mention `d` can be the date of an event: a resolved day,
// not the day of an announcement, not a year alone, not the end of a
// period, not the page's own date (MarkPageDates), not in boilerplate.
bool UsableEventDate(const Document& doc, const DateMention& d);

// What a sentence inherits from the discourse before it.
struct Inherited {
  const gazetteer::Place* setting = nullptr;  // null: the main country
  std::optional<DayDate> event_date;          // for counts tied to the event
  const std::vector<SpeakerMention>* speakers = nullptr;  // null: none
  bool nationwide = false;     // the sentence speaks of the whole country
  bool running_total = false;  // the sentence gives a total to date
};

// The place a dateline ("LIMA, Peru (AP) -") at the start of the article
// names, or null. Datelines are boilerplate, so the annotators never see
// them; this reads the first dateline-like boilerplate range again.
const gazetteer::Place* DatelinePlace(
    const Document& doc, const gazetteer::PlaceFinder& finder,
    const std::vector<std::string>& country_order);

class DiscourseState {
 public:
  // The lead: the headline and the first paragraphs, in normalized bytes.
  static constexpr uint32_t kLeadBytes = 800;
  // A heading line has at most this many tokens and no final punctuation.
  static constexpr int kHeadingTokens = 6;

  // `places`, `dates` in text order; `speakers` by sentence, resolved;
  // `triggers` by sentence; `counts` in text order. `main_country` and
  // `dateline` may be null.
  DiscourseState(const Document& doc, const Lexicons& lex,
                 const std::vector<PlaceSpan>& places,
                 const std::vector<DateMention>& dates,
                 const std::vector<std::vector<TriggerMention>>& triggers,
                 const std::vector<std::vector<SpeakerMention>>& speakers,
                 const std::vector<CountMention>& counts,
                 const gazetteer::Place* main_country,
                 const gazetteer::Place* dateline);

  // Sentences must be entered in order 0, 1, 2, ...
  Inherited Enter(int si);

 private:
  // A running choice of "exactly one" place: city over region.
  struct OnePlace {
    const gazetteer::Place* city = nullptr;
    const gazetteer::Place* region = nullptr;
    bool cities_differ = false;
    bool regions_differ = false;
    void Add(const gazetteer::Place* p);
    // The one place named, or null when none or several were.
    const gazetteer::Place* Get() const;
    bool Several() const { return cities_differ || regions_differ; }
  };

  bool InSetting(const PlaceSpan& p) const;
  const gazetteer::Place* LeadSetting() const;
  // When the text never names the main country as a venue: the town it
  // names as a venue at least kDominantMentions times and more than twice
  // as often as any other, else null.
  const gazetteer::Place* DominantCity() const;
  static constexpr int kDominantMentions = 2;
  bool IsHeading(const Sentence& s) const;
  bool HasClass(int cls, const Sentence& s) const;
  bool OpensAsFollowOn(const Sentence& s) const;
  void NewParagraph(const Sentence& s);
  void TakeIn(int si);
  // Whether date mention `d`, met while scanning sentence `s`, can date an
  // event of it: inside it, not a period's start, and UsableEventDate.
  bool CanDate(const Sentence& s, const DateMention& d) const;
  // The first date of sentence `s` that CanDate, advancing *next (a cursor
  // into dates_) past the sentence's dates.
  std::optional<DayDate> OwnDate(const Sentence& s, size_t* next) const;
  // The story date (see the contract above), or none.
  std::optional<DayDate> StoryDate() const;

  const Document& doc_;
  const Lexicons& lex_;
  const std::vector<PlaceSpan>& places_;
  const std::vector<DateMention>& dates_;
  const std::vector<std::vector<TriggerMention>>& triggers_;
  const std::vector<std::vector<SpeakerMention>>& speakers_;
  const gazetteer::Place* main_country_;
  // Whether each sentence tells of an event: a trigger or a count.
  std::vector<bool> has_event_;
  const int nationwide_class_;
  const int running_total_class_;
  const int follow_on_class_;

  // Cursors into places_ and dates_ (text order).
  size_t next_place_ = 0;
  size_t next_date_ = 0;
  // Article, section and paragraph levels.
  const gazetteer::Place* article_setting_ = nullptr;
  const gazetteer::Place* section_setting_ = nullptr;
  bool section_is_country_ = false;  // a heading named the main country
  int paragraph_ = -1;
  OnePlace paragraph_places_;
  bool paragraph_nationwide_ = false;
  std::optional<DayDate> paragraph_event_date_;
  std::optional<DayDate> story_date_;
  const std::vector<SpeakerMention>* speakers_now_ = nullptr;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_DISCOURSE_STATE_H_
