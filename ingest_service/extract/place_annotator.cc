#include "ingest_service/extract/place_annotator.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/strings/string_view.h"
#include "ingest_service/extract/forward_search.h"

namespace newsevents::extract {
namespace {

bool IsCountry(const gazetteer::Place* p) {
  return p->precision == v1::LOCATION_PRECISION_COUNTRY;
}

// Whether the word before token `first` places something there ("in",
// "at", "near", ...).
bool AfterLocativePreposition(const std::vector<Token>& tokens,
                              const Sentence& s, int first) {
  if (first - 1 < s.first_token) return false;
  const absl::string_view w = tokens[first - 1].lower;
  return w == "in" || w == "at" || w == "near" || w == "outside" ||
         w == "across" || w == "throughout" || w == "around" || w == "inside";
}

// Whether the context of tokens [first, end) makes the place an actor, a
// comparison or part of a name rather than a venue.
bool ActorContext(const Document& doc, const Lexicons& lex, const Sentence& s,
                  int first, int end) {
  const std::vector<Token>& tokens = doc.tokens;
  for (int len = 1; len <= 3; ++len) {
    const int start = first - len;
    if (start < s.first_token) break;
    PhraseMatch m = lex.place_before.Match(tokens, start, first);
    if (m && m.length == len) return true;
  }
  // "Kamal said", "Russia sent": a name that acts is not a venue, unless a
  // locative preposition makes it one ("Police in Kisumu said").
  if (lex.place_after.Match(tokens, end, s.end_token) &&
      !AfterLocativePreposition(tokens, s, first)) {
    return true;
  }
  // A person's name: "Nursultan Nazarbayev" (a capitalized word that is not
  // a title or body word follows directly).
  if (end < s.end_token && tokens[end].Is(kCapitalized) &&
      tokens[end].Is(kSpaceBefore) && !tokens[end].Is(kAllCaps) &&
      !lex.speaker_words.contains(tokens[end].lower) &&
      !lex.date_words.Match(tokens, end, s.end_token)) {
    return true;
  }
  // A surname: "journalist Ed Lawrence" (a capitalized word that is not a
  // title, a date word or a compass word comes right before, mid-sentence).
  if (first - 1 > s.first_token) {
    const Token& prev = tokens[first - 1];
    const absl::string_view w = prev.lower;
    const bool compass = w == "north" || w == "south" || w == "east" ||
                         w == "west" || w == "central" || w == "northern" ||
                         w == "southern" || w == "eastern" || w == "western" ||
                         w == "greater" || w == "downtown" || w == "new";
    if (prev.Is(kCapitalized) && !prev.Is(kAllCaps) && !compass &&
        prev.end < tokens[first].begin &&
        !lex.speaker_words.contains(prev.lower) &&
        !lex.date_words.Match(tokens, first - 1, first)) {
      return true;
    }
  }
  return false;
}

// Document::SentenceOf for tokens in text order.
class SentenceSearch {
 public:
  explicit SentenceSearch(const std::vector<Sentence>& sentences)
      : sentences_(sentences), search_(sentences.size()) {}
  int Of(int token) {
    return static_cast<int>(search_.Next(
               [&](size_t i) { return sentences_[i].first_token <= token; })) -
           1;
  }

 private:
  const std::vector<Sentence>& sentences_;
  ForwardSearch search_;
};

// A town's name that the article uses for a person or speaker somewhere
// ("Felip Puig, the spokesman ...", "Puig said", "president Mohamed Morsi")
// and never after a locative preposition ("in Puig") is that person in
// all its mentions: "Morsi declares state of emergency" names no venue.
// Countries and regions are left alone: "Russia said" is its government,
// and the country is still a venue elsewhere.
template <typename SentenceAt>
void MarkPersonsEverywhere(const Document& doc, size_t base,
                           const SentenceAt& sentence_at,
                           std::vector<PlaceSpan>* out) {
  std::vector<const gazetteer::Place*> persons;
  std::vector<const gazetteer::Place*> venues;
  for (size_t k = base; k < out->size(); ++k) {
    const PlaceSpan& span = (*out)[k];
    if (span.place->precision != v1::LOCATION_PRECISION_CITY) continue;
    const Sentence& s = doc.sentences[sentence_at(k)];
    if (AfterLocativePreposition(doc.tokens, s, span.first)) {
      venues.push_back(span.place);
    } else if (span.actor && !span.demonym) {
      persons.push_back(span.place);
    }
  }
  auto has = [](const std::vector<const gazetteer::Place*>& v,
                const gazetteer::Place* p) {
    return std::find(v.begin(), v.end(), p) != v.end();
  };
  for (size_t k = base; k < out->size(); ++k) {
    PlaceSpan& span = (*out)[k];
    if (has(persons, span.place) && !has(venues, span.place)) {
      span.actor = true;
    }
  }
}

}  // namespace

void FindPlaces(const Document& doc, const Lexicons& lex,
                const gazetteer::PlaceFinder& finder,
                std::vector<PlaceSpan>* out,
                std::vector<std::string>* country_order) {
  const std::string& text = doc.norm.text;
  // Names are found once; pass 1 resolves them without hints to learn
  // which countries the article is about, pass 2 with those hints.
  const std::vector<gazetteer::PlaceCandidate> candidates =
      finder.FindCandidates(text);
  // Each name's first token, or -1 for a name in boilerplate (never used).
  std::vector<int> first_token(candidates.size());
  TokenCursor starts(doc.tokens);  // candidates come in text order
  for (size_t i = 0; i < candidates.size(); ++i) {
    const int t = starts.FirstAtOrAfter(candidates[i].start);
    first_token[i] = t < static_cast<int>(doc.tokens.size()) &&
                             !doc.tokens[t].Is(kBoilerplate)
                         ? t
                         : -1;
  }
  // Votes per country code; an article names few countries, so a vector
  // searched from the front beats hashing strings. The codes live in the
  // gazetteer.
  std::vector<std::pair<absl::string_view, int>> country_count;
  // The headline and lead name the article's countries; counting only
  // them keeps a long article's background from voting.
  constexpr size_t kHintPrefix = 4096;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].end > kHintPrefix) break;
    if (first_token[i] < 0) continue;
    const auto m = finder.Resolve(candidates[i], {});
    if (!m || m->place == nullptr) continue;
    const absl::string_view code = m->place->country_code;
    auto it =
        std::find_if(country_count.begin(), country_count.end(),
                     [&](const auto& entry) { return entry.first == code; });
    if (it == country_count.end()) {
      country_count.emplace_back(code, 0);
      it = country_count.end() - 1;
    }
    it->second += IsCountry(m->place) ? 2 : 1;
  }
  // Most votes first, ties by code: the codes are distinct, so the order
  // is total.
  std::sort(country_count.begin(), country_count.end(),
            [](const auto& a, const auto& b) {
              return a.second != b.second ? a.second > b.second
                                          : a.first < b.first;
            });
  country_order->clear();
  for (const auto& [code, n] : country_count) {
    country_order->emplace_back(code);
  }

  // Pass 2: resolve with hints.
  TokenCursor ends(doc.tokens);
  SentenceSearch sentence_of(doc.sentences);
  // The sentence of each span appended below, for the list check.
  const size_t base = out->size();
  std::vector<int> span_sentence;
  span_sentence.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (first_token[i] < 0) continue;
    const auto resolved = finder.Resolve(candidates[i], *country_order);
    if (!resolved || resolved->place == nullptr) continue;
    const gazetteer::PlaceMention& m = *resolved;
    PlaceSpan span;
    span.first = first_token[i];
    span.end = ends.FirstAtOrAfter(m.end);
    if (span.end <= span.first) continue;
    span.place = m.place;
    span.demonym = m.demonym;
    const int si = sentence_of.Of(span.first);
    if (si < 0) continue;
    const Sentence& s = doc.sentences[si];
    span.actor = m.demonym || ActorContext(doc, lex, s, span.first, span.end);
    out->push_back(span);
    span_sentence.push_back(si);
  }
  auto sentence_at = [&](size_t k) {
    return k >= base ? span_sentence[k - base]
                     : doc.SentenceOf((*out)[k].first);
  };
  MarkPersonsEverywhere(doc, base, sentence_at, out);
  // Members of a list of three or more countries ("an alliance of Russia,
  // Armenia, Belarus, Kazakhstan and Tajikistan") are not venues.
  size_t i = 0;
  while (i < out->size()) {
    size_t j = i;
    while (j + 1 < out->size() && IsCountry((*out)[j].place) &&
           IsCountry((*out)[j + 1].place) &&
           (*out)[j + 1].first - (*out)[j].end <= 1 &&
           sentence_at(j + 1) == sentence_at(j)) {
      const absl::string_view sep = doc.tokens[(*out)[j].end].lower;
      if (sep != "," && sep != "and") break;
      ++j;
    }
    if (j - i + 1 >= 3) {
      for (size_t k = i; k <= j; ++k) (*out)[k].actor = true;
    }
    i = j + 1;
  }
}

}  // namespace newsevents::extract
