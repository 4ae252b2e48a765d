#include "ingest_service/extract/extractor.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/hashing.h"
#include "common/status_macros.h"
#include "ingest_service/extract/byte_scan.h"
#include "ingest_service/extract/count_annotator.h"
#include "ingest_service/extract/date_annotator.h"
#include "ingest_service/extract/discourse_state.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/event_assembler.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/number_annotator.h"
#include "ingest_service/extract/place_annotator.h"
#include "ingest_service/extract/sentence_splitter.h"
#include "ingest_service/extract/speaker_annotator.h"
#include "ingest_service/extract/text_normalizer.h"
#include "ingest_service/extract/trigger_annotator.h"
#include "ingest_service/gazetteer/place_finder.h"

namespace newsevents::extract {

struct Extractor::Impl {
  const gazetteer::Gazetteer* gazetteer = nullptr;
  std::unique_ptr<gazetteer::PlaceFinder> place_finder;
  ExtractorOptions options;
  std::unique_ptr<Lexicons> lexicons;
  std::unique_ptr<SentenceSplitter> splitter;
};

namespace {

// Rejects input that is not text: NUL bytes, or mostly control characters
// and invalid UTF-8.
absl::Status CheckLooksLikeText(absl::string_view raw,
                                absl::string_view field) {
  size_t bad = 0;
  size_t pos = 0;
  while (pos < raw.size()) {
    // Printable ASCII (most of an article) needs no look.
    pos = FirstNotPrintableAscii(raw, pos);
    if (pos >= raw.size()) break;
    const unsigned char c = static_cast<unsigned char>(raw[pos]);
    if (c == 0) {
      return InvalidFieldError(field, "input contains NUL bytes; not text");
    }
    if (c < 0x80) {
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++bad;
      ++pos;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(raw, pos, &cp);
    if (len == 0) {
      ++bad;
      ++pos;
    } else {
      pos += len;
    }
  }
  if (bad * 10 > raw.size()) {
    return InvalidFieldError(field,
                             "input is mostly control bytes or invalid UTF-8; "
                             "not text");
  }
  return absl::OkStatus();
}

// A leading " date YYYY-MM-DD" header (as crawled files carry).
bool HeaderDate(absl::string_view raw, v1::Date* date) {
  constexpr absl::string_view kPrefix = " date ";
  if (raw.size() < kPrefix.size() + 10 ||
      raw.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  const absl::string_view d = raw.substr(kPrefix.size(), 10);
  int y, m, day;
  if (d[4] != '-' || d[7] != '-' || !absl::SimpleAtoi(d.substr(0, 4), &y) ||
      !absl::SimpleAtoi(d.substr(5, 2), &m) ||
      !absl::SimpleAtoi(d.substr(8, 2), &day) || m < 1 || m > 12 || day < 1 ||
      day > 31) {
    return false;
  }
  date->set_year(y);
  date->set_month(m);
  date->set_day(day);
  return true;
}

}  // namespace

Extractor::Extractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Extractor::~Extractor() = default;

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Create(
    const gazetteer::Gazetteer* gazetteer, ExtractorOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->gazetteer = gazetteer;
  if (gazetteer != nullptr) {
    impl->place_finder = std::make_unique<gazetteer::PlaceFinder>(gazetteer);
  }
  impl->options = options;
  NE_ASSIGN_OR_RETURN(impl->lexicons, Lexicons::Load());
  NE_ASSIGN_OR_RETURN(impl->splitter, SentenceSplitter::Create());
  return std::unique_ptr<Extractor>(new Extractor(std::move(impl)));
}

absl::StatusOr<v1::ParseArticleResponse> Extractor::Parse(
    const v1::ArticleInput& input) const {
  const bool is_raw = input.content_case() == v1::ArticleInput::kRaw;
  const absl::string_view field = is_raw ? "article.raw" : "article.text";
  const absl::string_view raw = is_raw ? input.raw() : input.text();
  if (absl::StripAsciiWhitespace(raw).empty()) {
    return InvalidFieldError(field, "the article is empty");
  }
  if (raw.size() > impl_->options.max_article_bytes) {
    return LimitExceededError(
        "article size",
        absl::StrCat("the article has ", raw.size(), " bytes; the limit is ",
                     impl_->options.max_article_bytes));
  }
  NE_RETURN_IF_ERROR(CheckLooksLikeText(raw, field));

  const Lexicons& lex = *impl_->lexicons;
  Document doc;
  BuildDocument(raw, lex, *impl_->splitter, &doc);

  v1::ParseArticleResponse response;
  v1::Article& article = *response.mutable_article();
  article.set_id(ContentId(raw));
  article.set_name(absl::StrCat("articles/", article.id()));
  article.set_url(input.url());
  article.set_title(input.title());
  article.set_outlet(input.outlet());
  article.set_language("en");
  v1::Date published = input.published_date();
  if (published.year() == 0) HeaderDate(raw, &published);
  if (published.year() > 0) *article.mutable_published_date() = published;
  if (doc.norm.invalid_sequences > 0) {
    article.set_text(RepairUtf8(raw));
    article.add_warnings(absl::StrCat("replaced ", doc.norm.invalid_sequences,
                                      " invalid UTF-8 sequences with U+FFFD"));
  } else {
    article.set_text(std::string(raw));
  }
  for (const BoilerplateRange& b : doc.boilerplate) {
    v1::BoilerplateSpan* span = article.add_boilerplate_spans();
    span->set_kind(b.kind);
    const TextRange r = doc.RawRange(b.range.begin, b.range.end);
    span->mutable_span()->set_start(r.begin);
    span->mutable_span()->set_end(r.end);
    span->mutable_span()->set_text(
        RepairUtf8(raw.substr(r.begin, r.end - r.begin)));
  }

  // Annotators.
  ArticleAnnotations ann;
  const size_t n_sentences = doc.sentences.size();
  for (const Sentence& s : doc.sentences) {
    // Dates everywhere, embeds included: they set the reference date.
    FindDates(doc, lex, s.first_token, s.end_token, &ann.dates);
  }
  ann.reference = ReferenceDate(published, ann.dates);
  ResolveDates(ann.reference, &ann.dates);
  MarkPageDates(doc, ann.reference, &ann.dates);
  std::vector<uint8_t> skip(doc.tokens.size(), 0);
  std::vector<uint8_t> date_tokens(doc.tokens.size(), 0);
  for (const DateMention& d : ann.dates) {
    for (int t = d.first; t < d.end; ++t) skip[t] = date_tokens[t] = 1;
  }
  for (size_t t = 0; t < doc.tokens.size(); ++t) {
    if (doc.tokens[t].Is(kBoilerplate) || doc.tokens[t].Is(kUrl) ||
        doc.tokens[t].Is(kHashtag)) {
      skip[t] = 1;
    }
  }
  if (impl_->place_finder != nullptr) {
    FindPlaces(doc, lex, *impl_->place_finder, &ann.places, &ann.country_order);
    ann.dateline = DatelinePlace(doc, *impl_->place_finder, ann.country_order);
  }
  ann.triggers.resize(n_sentences);
  ann.speakers.resize(n_sentences);
  CountAnnotator counter(doc, lex);
  std::vector<NumberMention> numbers;
  for (size_t si = 0; si < n_sentences; ++si) {
    const Sentence& s = doc.sentences[si];
    if (s.boilerplate) continue;
    FindTriggers(doc, lex, s, &ann.triggers[si]);
    FindSpeakers(doc, lex, s, date_tokens, &ann.speakers[si]);
    numbers.clear();
    FindNumbers(doc, lex, s.first_token, s.end_token, skip, &numbers);
    counter.Annotate(static_cast<int>(si), numbers, &ann.counts);
  }
  ResolveSpeakers(&ann.speakers);

  AssemblyOptions options;
  options.article_id = article.id();
  options.published_date = published;
  options.outlet = input.outlet();
  options.keep_non_actual = impl_->options.keep_non_actual_events;
  AssembleEvents(doc, lex, impl_->gazetteer, ann, options,
                 response.mutable_events());
  article.set_event_count(response.events_size());
  return response;
}

}  // namespace newsevents::extract
