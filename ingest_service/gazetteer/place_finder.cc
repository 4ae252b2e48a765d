#include "ingest_service/gazetteer/place_finder.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ingest_service/gazetteer/text_words.h"

namespace newsevents::gazetteer {
namespace {

using internal::NextCapitalizedWordStart;
using internal::TextWord;
using internal::WordGap;
using internal::WordRun;

// Scanning more words than any sensible name costs time for nothing; the
// few longer gazetteer names are ISO formal names nobody writes in news.
constexpr int kMaxScannedWords = 6;

// Lowercase words allowed inside (never at either end of) a name:
// "Gulf of Aden", "Rio de Janeiro", "Ras al Khaimah", "Rostov-on-Don".
bool IsConnector(absl::string_view folded) {
  static constexpr absl::string_view kConnectors[] = {
      "al",  "am",  "an",  "bin", "d",    "da",  "das", "de",  "del", "della",
      "den", "der", "des", "di",  "do",   "dos", "du",  "e",   "el",  "en",
      "es",  "et",  "ibn", "l",   "la",   "las", "le",  "les", "los", "na",
      "of",  "on",  "sur", "the", "upon", "van", "von", "y",   "zu"};
  return std::find(std::begin(kConnectors), std::end(kConnectors), folded) !=
         std::end(kConnectors);
}

// Abbreviations that may be followed by "." inside a name ("St. Louis").
bool IsAbbreviation(absl::string_view folded) {
  return folded == "st" || folded == "ste" || folded == "mt" ||
         folded == "ft" || folded == "pt";
}

// Appends the folded form of one word. ASCII words (nearly all of them in
// English news) are lowercased inline; others go through ICU.
void AppendFoldedWord(absl::string_view text, const TextWord& word,
                      std::string& key) {
  const absl::string_view raw = text.substr(word.start, word.end - word.start);
  if (word.ascii) {
    const size_t at = key.size();
    key.resize(at + raw.size());
    char* out = key.data() + at;
    for (char c : raw) {
      *out++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
  } else {
    key += FoldName(raw);
  }
}

// May words[next] continue a name that currently ends at words[next - 1]?
bool CanJoin(const TextWord& next, absl::string_view previous_folded) {
  switch (next.gap_before) {
    case WordGap::kSpace:
    case WordGap::kHyphen:
    case WordGap::kApostrophe:
      return true;
    case WordGap::kDot:  // initials: "U.S.", "U.K."
      return previous_folded.size() == 1 && next.end - next.start == 1;
    case WordGap::kDotSpace:
      return IsAbbreviation(previous_folded);
    case WordGap::kOther:
      return false;
  }
  return false;
}

// What joins two words in a folded key; FoldName deletes full stops.
absl::string_view KeySeparator(WordGap gap) {
  return gap == WordGap::kDot ? "" : " ";
}

// The longest name found at one word.
struct Match {
  size_t last_word = 0;
  std::span<const Place* const> places;    // when a place name
  const Place* demonym_country = nullptr;  // when a demonym
  // A multi-word stop phrase ("New York Times", "Latin American"): its
  // words are consumed and nothing is reported.
  bool stop_phrase = false;
  // The matched key is on the common-word list (the same lookup says so).
  bool common_word = false;
};

// Finds the longest gazetteer name or demonym that starts at the run's first
// word and spans at most `max_words` words; false when there is none.
// `key` is scratch space.
bool LongestMatchAt(const Gazetteer& gazetteer, absl::string_view text,
                    WordRun& words, int max_words, std::string& key,
                    Match* best) {
  bool found = false;
  key.clear();
  size_t word_key_start = 0;
  // Whether a longer name can start with `key`, when the gazetteer has
  // been asked: the lookup that says whether `key` is a name says so too.
  // Only the fields needed are kept: copying the whole answer out of the
  // call's return slot stalls on store forwarding.
  bool continuation_known = false;
  bool may_continue = false;
  constexpr size_t first = 0;
  for (size_t last = first; static_cast<int>(last - first) < max_words;
       ++last) {
    const TextWord* word_in_run = words.At(last);
    if (word_in_run == nullptr) break;
    const TextWord& word = *word_in_run;
    if (last > first) {
      const absl::string_view previous_word =
          absl::string_view(key).substr(word_key_start);
      if (!CanJoin(word, previous_word) || word.has_digit) break;
      const absl::string_view separator = KeySeparator(word.gap_before);
      // No longer name starts with these words: stop before folding more.
      if (separator == " ") {
        if (!continuation_known) {
          may_continue = gazetteer.DescribeFoldedKey(key).may_continue;
        }
        if (!may_continue) break;
      }
      key.append(separator.data(), separator.size());
    }
    word_key_start = key.size();
    AppendFoldedWord(text, word, key);
    continuation_known = false;
    if (!word.capitalized) {
      if (!IsConnector(absl::string_view(key).substr(word_key_start))) break;
      continue;  // a name never ends on a connector
    }
    const Gazetteer::FoldedKey described = gazetteer.DescribeFoldedKey(key);
    continuation_known = true;
    may_continue = described.may_continue;
    // A demonym outranks a place of the same words: the curated demonym
    // list is more reliable than a same-named village.
    if (last > first && described.common_word) {
      *best = Match{last, {}, nullptr, /*stop_phrase=*/true};
      found = true;
    } else if (described.demonym_country != nullptr) {
      *best = Match{last, {}, described.demonym_country};
      found = true;
    } else if (!described.places.empty()) {
      *best = Match{last, described.places, nullptr, /*stop_phrase=*/false,
                    described.common_word};
      found = true;
    }
  }
  return found;
}

// Country codes are two letters; comparing them inline spares a memcmp
// call per place and hint.
bool SameCode(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() == 2) return a[0] == b[0] && a[1] == b[1];
  return a == b;
}

// The index of the first hint naming `place`'s country among the first
// `limit` hints, or `limit`.
size_t HintRank(const Place& place, absl::Span<const std::string> hints,
                size_t limit) {
  for (size_t i = 0; i < limit; ++i) {
    if (SameCode(place.country_code, hints[i])) return i;
  }
  return limit;
}

// The first place in the strongest hinted country, else the first place.
// One pass over the places (each a likely cache miss in a long list such
// as "Santiago"'s) rather than one pass per hint.
const Place* ChoosePlace(std::span<const Place* const> places,
                         absl::Span<const std::string> hints) {
  const Place* best = places.front();
  size_t best_rank = hints.size();
  for (const Place* place : places) {
    if (best_rank == 0) break;
    const size_t rank = HintRank(*place, hints, best_rank);
    if (rank < best_rank) {
      best = place;
      best_rank = rank;
    }
  }
  return best;
}

// "Vladimir Putin", "Nursultan Nazarbayev", "Jordan Peterson": a one-word
// place name directly followed by a capitalised word that is neither a
// common word ("Almaty Mayor", "Moscow Metro") nor a place of its own
// ("Russia Ukraine war") is more likely a given name than a place.
bool StartsPersonName(const Gazetteer& gazetteer, absl::string_view text,
                      WordRun& words, size_t word) {
  const TextWord* following = words.At(word + 1);
  if (following == nullptr) return false;
  const TextWord& next = *following;
  if (next.gap_before != WordGap::kSpace || !next.capitalized ||
      next.has_digit) {
    return false;
  }
  std::string folded;
  AppendFoldedWord(text, next, folded);
  const Gazetteer::FoldedKey described = gazetteer.DescribeFoldedKey(folded);
  if (described.common_word || described.demonym_country != nullptr) {
    return false;
  }
  // Only a place that would be reported on its own counts ("Post", Texas
  // does not make "Washington Post" a pair of places).
  const auto places = described.places;
  return places.empty() ||
         (places.front()->precision == v1::LOCATION_PRECISION_CITY &&
          places.front()->population < kMinUnhintedCityPopulation);
}

bool IsHinted(const Place& place, absl::Span<const std::string> hints) {
  return HintRank(place, hints, hints.size()) < hints.size();
}

// The candidate for `match`, found at the run's first word.
PlaceCandidate MakeCandidate(const Gazetteer& gazetteer, absl::string_view text,
                             WordRun& words, const Match& match) {
  PlaceCandidate candidate;
  const TextWord& last = *words.At(match.last_word);
  candidate.start = words.At(0)->start;
  candidate.end = last.end;
  // Dotted initials keep their final stop: "U.S." rather than "U.S".
  if (last.gap_before == WordGap::kDot && match.last_word > 0 &&
      candidate.end < text.size() && text[candidate.end] == '.') {
    ++candidate.end;
  }
  candidate.demonym_country = match.demonym_country;
  candidate.places = match.places;
  if (match.demonym_country == nullptr && match.last_word == 0) {
    candidate.single_word = true;
    candidate.common_word = match.common_word;
    candidate.followed_by_surname = StartsPersonName(gazetteer, text, words, 0);
  }
  return candidate;
}

}  // namespace

PlaceFinder::PlaceFinder(const Gazetteer* gazetteer)
    : gazetteer_(gazetteer),
      max_name_words_(
          std::clamp(gazetteer->max_name_words(), 1, kMaxScannedWords)) {}

std::vector<PlaceCandidate> PlaceFinder::FindCandidates(
    absl::string_view text) const {
  std::vector<PlaceCandidate> candidates;
  // Names start with a capital letter: jump from one capitalised word to the
  // next and split only the words a name could continue into.
  std::string key;
  key.reserve(64);
  WordRun words(text);
  size_t pos = NextCapitalizedWordStart(text, 0);
  while (pos < text.size()) {
    words.Reset(pos);
    const TextWord* first = words.At(0);
    if (first == nullptr) break;
    size_t next = first->end;
    Match match;
    if (!first->has_digit && LongestMatchAt(*gazetteer_, text, words,
                                            max_name_words_, key, &match)) {
      next = words.At(match.last_word)->end;
      if (!match.stop_phrase) {
        candidates.push_back(MakeCandidate(*gazetteer_, text, words, match));
      }
    }
    pos = NextCapitalizedWordStart(text, next);
  }
  return candidates;
}

std::optional<PlaceMention> PlaceFinder::Resolve(
    const PlaceCandidate& candidate,
    absl::Span<const std::string> country_hints) const {
  PlaceMention mention;
  mention.start = candidate.start;
  mention.end = candidate.end;
  if (candidate.demonym_country != nullptr) {
    mention.place = candidate.demonym_country;
    mention.demonym = true;
    return mention;
  }
  mention.place = ChoosePlace(candidate.places, country_hints);
  if (candidate.single_word) {
    const Place& place = *mention.place;
    if (candidate.common_word) return std::nullopt;
    const bool city = place.precision == v1::LOCATION_PRECISION_CITY;
    if (city && place.population < kMinUnhintedCityPopulation &&
        !IsHinted(place, country_hints)) {
      return std::nullopt;
    }
    const bool big_city =
        city && place.population >= kMinGivenNameCityPopulation;
    if (!big_city && candidate.followed_by_surname) return std::nullopt;
  }
  return mention;
}

std::vector<PlaceMention> PlaceFinder::Find(
    absl::string_view text, absl::Span<const std::string> country_hints) const {
  std::vector<PlaceMention> mentions;
  for (const PlaceCandidate& candidate : FindCandidates(text)) {
    if (auto mention = Resolve(candidate, country_hints)) {
      mentions.push_back(*mention);
    }
  }
  return mentions;
}

}  // namespace newsevents::gazetteer
