#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_H_

// AIP-160 filters compiled once into a predicate tree over Event, Article or
// Claim messages. docs/filtering.md is the user-facing reference.
//
//   NE_ASSIGN_OR_RETURN(EventFilter filter,
//   EventFilter::Compile(request.filter())); if (filter.Matches(event)) ...
//
// Semantics in brief:
//  - String equality ignores ASCII case; '*' in the literal is a wildcard.
//  - `:` on a text field (evidence.text, and the bare-term global search)
//    means "contains these words, in order" (case-insensitive, whole words,
//    a trailing '*' matches a word prefix); on attribution.text and sources
//    it means "contains this substring"; elsewhere it means equality.
//    `field:*` means the field is set (non-empty, non-zero, year known).
//  - Enums by full name (EVENT_TYPE_RIOT) or suffix (RIOT), any case; only
//    =, != and : apply.
//  - Dates: YYYY-MM-DD, YYYY-MM or YYYY literals. A stored date with an
//    unknown part is the interval it could be; a comparison holds when it
//    could hold (= means the intervals overlap). Unknown year never matches.
//  - Timestamps (create_time, ingest_time, update_time): RFC-3339 literals.
//  - Repeated fields (quantities.*, actors.*, sources): each restriction
//    holds when SOME element satisfies it, independently per restriction.
//
// Errors: Compile returns INVALID_ARGUMENT on field "filter" with the reason
// and 1-based position (unknown field, bad literal, bad syntax).
// Thread-safety: a compiled Filter is immutable; Matches may be called from
// any number of threads and allocates nothing.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "newsevents/v1/article.pb.h"
#include "newsevents/v1/claim.pb.h"
#include "newsevents/v1/event.pb.h"
#include "query_service/store/filter_parser.h"

namespace newsevents::query {

// How a field's values are compared.
enum class ValueKind {
  kString,     // equality (with wildcards) and lexical order, ignoring case
  kSubstring,  // like kString, but ':' means "contains substring"
  kText,       // like kString, but ':' means "contains these words"
  kInt,
  kDouble,
  kEnum,
  kDate,
  kTimestamp,  // RFC-3339 literal, e.g. 2022-01-05T10:00:00Z
  kPresence,   // a repeated message: only `field:*` applies
};

// Which in-memory index (index.h) can answer `field = value` directly.
enum class IndexedField {
  kNone,
  kType,
  kModality,
  kArticleId,
  kOutlet,
  kCountry,
  kLocationName,
  kQuantityKind,
  kQuantityGroup,
  kEvidenceWords,  // ':' phrase search over evidence text
  kDate,
  kPublishedDate,
};

// A compiled literal and comparison, applied to one field value at a time.
struct ValueTest {
  ValueKind kind = ValueKind::kString;
  CompareOp op = CompareOp::kEq;
  bool presence = false;           // `field:*`
  bool wildcard = false;           // kString-like literal contains '*'
  std::string folded;              // string kinds: the lowercased literal
  std::vector<std::string> words;  // kText with ':': lowercased phrase words
  int64_t int_value = 0;           // kInt
  double double_value = 0;         // kDouble
  int enum_number = 0;             // kEnum
  int date_lo = 0;                 // kDate: literal interval as YYYYMMDD
  int date_hi = 0;
  int64_t unix_nanos = 0;  // kTimestamp

  bool TestString(absl::string_view value) const;
  bool TestInt(int64_t value) const;
  bool TestDouble(double value) const;
  // A float field compares with the literal rounded to float, so that
  // `confidence = 0.9` matches the stored 0.9f.
  bool TestFloat(float value) const;
  bool TestEnum(int value) const;
  bool TestDate(const v1::Date& value) const;
  bool TestCount(int size) const;  // kPresence
  bool TestTimestamp(const google::protobuf::Timestamp& value) const;
};

// One filterable field of `Msg`: its dotted path and how to test it.
template <typename Msg>
struct FieldSpec {
  absl::string_view path;
  ValueKind kind;
  // True when some value of the field in `msg` passes `test`.
  bool (*any)(const Msg& msg, const ValueTest& test);
  const google::protobuf::EnumDescriptor* (*enum_type)() = nullptr;
  IndexedField index = IndexedField::kNone;
};

// The filterable fields of `Msg` and its bare-term (global) search.
template <typename Msg>
struct FilterSchema {
  absl::Span<const FieldSpec<Msg>> fields;
  bool (*global)(const Msg& msg, const ValueTest& test);
};

// Defined for v1::Event, v1::Article and v1::Claim in filter_fields.cc.
template <typename Msg>
const FilterSchema<Msg>& SchemaFor();
template <>
const FilterSchema<v1::Event>& SchemaFor<v1::Event>();
template <>
const FilterSchema<v1::Article>& SchemaFor<v1::Article>();
template <>
const FilterSchema<v1::Claim>& SchemaFor<v1::Claim>();

// A node of a compiled filter. Exposed so the index can plan candidates.
template <typename Msg>
struct FilterNode {
  enum class Kind { kAll, kAnd, kOr, kNot, kTest };
  Kind kind = Kind::kAll;
  std::vector<FilterNode> children;
  const FieldSpec<Msg>* field =
      nullptr;  // kTest: null for a global search term
  ValueTest test;
};

template <typename Msg>
class Filter {
 public:
  // A filter matching everything.
  Filter() = default;

  // Parses and resolves `text` against SchemaFor<Msg>().
  static absl::StatusOr<Filter> Compile(absl::string_view text);

  bool Matches(const Msg& msg) const;
  const FilterNode<Msg>& root() const { return root_; }
  bool MatchesAll() const { return root_.kind == FilterNode<Msg>::Kind::kAll; }

 private:
  FilterNode<Msg> root_;
};

using EventFilter = Filter<v1::Event>;
using ArticleFilter = Filter<v1::Article>;
using ClaimFilter = Filter<v1::Claim>;

// YYYYMMDD interval a possibly partial date could denote; false when the year
// is unknown.
bool DateInterval(const v1::Date& date, int* lo, int* hi);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_H_
