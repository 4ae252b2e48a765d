#include "query_service/store/filter.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "query_service/store/text_match.h"

namespace newsevents::query {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Three-way comparison of `text` (any case) with the lowercase `folded`.
int CompareFolded(absl::string_view text, absl::string_view folded) {
  const size_t n = std::min(text.size(), folded.size());
  for (size_t i = 0; i < n; ++i) {
    const char a = Lower(text[i]);
    if (a != folded[i])
      return static_cast<unsigned char>(a) <
                     static_cast<unsigned char>(folded[i])
                 ? -1
                 : 1;
  }
  if (text.size() == folded.size()) return 0;
  return text.size() < folded.size() ? -1 : 1;
}

template <typename T>
bool CompareOrdered(CompareOp op, T value, T literal) {
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kHas:
      return value == literal;
    case CompareOp::kNe:
      return value != literal;
    case CompareOp::kLt:
      return value < literal;
    case CompareOp::kGt:
      return value > literal;
    case CompareOp::kLe:
      return value <= literal;
    case CompareOp::kGe:
      return value >= literal;
  }
  return false;
}

absl::Status LiteralError(const FilterExpr& expr, absl::string_view problem) {
  return InvalidFieldError(
      "filter", absl::StrCat(problem, " at position ", expr.value_position));
}

// Parses YYYY, YYYY-MM or YYYY-MM-DD into the interval it denotes.
bool ParseDateLiteral(absl::string_view text, int* lo, int* hi) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.empty() || parts.size() > 3 || parts[0].size() != 4) return false;
  int ymd[3] = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i].size() > 4 ||
        !absl::SimpleAtoi(parts[i], &ymd[i]))
      return false;
  }
  if (ymd[0] < 1 || (parts.size() > 1 && (ymd[1] < 1 || ymd[1] > 12)) ||
      (parts.size() > 2 && (ymd[2] < 1 || ymd[2] > 31))) {
    return false;
  }
  v1::Date date;
  date.set_year(ymd[0]);
  date.set_month(ymd[1]);
  date.set_day(ymd[2]);
  return DateInterval(date, lo, hi);
}

// Index of the enum value named `name` (full or after the type's prefix).
const google::protobuf::EnumValueDescriptor* FindEnumValue(
    const google::protobuf::EnumDescriptor* type, absl::string_view name) {
  // The prefix is what precedes UNSPECIFIED in the zero value's name.
  std::string prefix;
  const std::string& zero = type->value(0)->name();
  if (absl::EndsWith(zero, "UNSPECIFIED"))
    prefix = zero.substr(0, zero.size() - 11);
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* value = type->value(i);
    absl::string_view full = value->name();
    if (absl::EqualsIgnoreCase(full, name)) return value;
    if (absl::StartsWith(full, prefix) &&
        absl::EqualsIgnoreCase(full.substr(prefix.size()), name)) {
      return value;
    }
  }
  return nullptr;
}

std::string EnumNames(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i)
    names.push_back(type->value(i)->name());
  return absl::StrJoin(names, ", ");
}

template <typename Msg>
std::string FieldNames() {
  std::vector<std::string> names;
  for (const auto& field : SchemaFor<Msg>().fields)
    names.emplace_back(field.path);
  return absl::StrJoin(names, ", ");
}

// Fills `test` from the restriction's literal according to `kind`.
absl::Status CompileLiteral(
    const FilterExpr& expr, ValueKind kind,
    const google::protobuf::EnumDescriptor* (*enum_type)(),
    absl::string_view field_name, ValueTest& test) {
  test.kind = kind;
  test.op = expr.op;
  if (expr.op == CompareOp::kHas && expr.value == "*" && !expr.value_quoted) {
    test.presence = true;
    return absl::OkStatus();
  }
  const std::string& value = expr.value;
  const bool ordering = expr.op == CompareOp::kLt ||
                        expr.op == CompareOp::kGt ||
                        expr.op == CompareOp::kLe || expr.op == CompareOp::kGe;
  switch (kind) {
    case ValueKind::kString:
    case ValueKind::kSubstring:
    case ValueKind::kText:
      test.folded = FoldCase(value);
      test.wildcard = test.folded.find('*') != std::string::npos;
      if (kind == ValueKind::kText && expr.op == CompareOp::kHas) {
        test.words = FoldedWords(value);
        if (!value.empty() && value.back() == '*' && !test.words.empty())
          test.words.back() += '*';
        if (test.words.empty()) {
          return LiteralError(expr,
                              absl::StrCat("search text for \"", field_name,
                                           "\" has no words"));
        }
      }
      if (kind == ValueKind::kSubstring && expr.op == CompareOp::kHas &&
          test.wildcard) {
        test.folded = absl::StrCat("*", test.folded, "*");
      }
      if (ordering && test.wildcard) {
        return LiteralError(expr, "'*' is only allowed with =, != and :");
      }
      return absl::OkStatus();
    case ValueKind::kInt:
      if (!absl::SimpleAtoi(value, &test.int_value)) {
        return LiteralError(
            expr, absl::StrCat("\"", value, "\" is not an integer (field \"",
                               field_name, "\")"));
      }
      return absl::OkStatus();
    case ValueKind::kDouble:
      if (!absl::SimpleAtod(value, &test.double_value)) {
        return LiteralError(
            expr, absl::StrCat("\"", value, "\" is not a number (field \"",
                               field_name, "\")"));
      }
      return absl::OkStatus();
    case ValueKind::kEnum: {
      if (ordering) {
        return LiteralError(expr, absl::StrCat("enum field \"", field_name,
                                               "\" supports only =, != and :"));
      }
      const auto* found = FindEnumValue(enum_type(), value);
      if (found == nullptr) {
        return LiteralError(
            expr,
            absl::StrCat("\"", value, "\" is not a value of \"", field_name,
                         "\" (one of ", EnumNames(enum_type()), ")"));
      }
      test.enum_number = found->number();
      return absl::OkStatus();
    }
    case ValueKind::kDate:
      if (!ParseDateLiteral(value, &test.date_lo, &test.date_hi)) {
        return LiteralError(
            expr,
            absl::StrCat("\"", value, "\" is not a date (field \"", field_name,
                         "\"; expected YYYY-MM-DD, YYYY-MM or YYYY)"));
      }
      return absl::OkStatus();
    case ValueKind::kTimestamp: {
      absl::Time time;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, value, &time, &error)) {
        return LiteralError(
            expr, absl::StrCat("\"", value,
                               "\" is not an RFC-3339 timestamp (field \"",
                               field_name, "\"; e.g. 2022-01-05T10:00:00Z)"));
      }
      test.unix_nanos = absl::ToUnixNanos(time);
      return absl::OkStatus();
    }
    case ValueKind::kPresence:
      return LiteralError(
          expr, absl::StrCat("field \"", field_name, "\" supports only \"",
                             field_name, ":*\"; name a subfield"));
  }
  return absl::OkStatus();
}

template <typename Msg>
absl::StatusOr<FilterNode<Msg>> CompileExpr(const FilterExpr& expr) {
  using Node = FilterNode<Msg>;
  Node node;
  switch (expr.kind) {
    case FilterExpr::Kind::kAnd:
    case FilterExpr::Kind::kOr:
    case FilterExpr::Kind::kNot:
      node.kind = expr.kind == FilterExpr::Kind::kAnd  ? Node::Kind::kAnd
                  : expr.kind == FilterExpr::Kind::kOr ? Node::Kind::kOr
                                                       : Node::Kind::kNot;
      if (expr.kind == FilterExpr::Kind::kAnd && expr.children.empty())
        node.kind = Node::Kind::kAll;
      for (const FilterExpr& child : expr.children) {
        NE_ASSIGN_OR_RETURN(Node compiled, CompileExpr<Msg>(child));
        node.children.push_back(std::move(compiled));
      }
      return node;
    case FilterExpr::Kind::kGlobal: {
      node.kind = Node::Kind::kTest;
      node.test.kind = ValueKind::kText;
      node.test.op = CompareOp::kHas;
      node.test.words = FoldedWords(expr.value);
      if (!expr.value.empty() && expr.value.back() == '*' &&
          !node.test.words.empty()) {
        node.test.words.back() += '*';
      }
      if (node.test.words.empty()) {
        return LiteralError(expr, absl::StrCat("search term \"", expr.value,
                                               "\" has no words"));
      }
      return node;
    }
    case FilterExpr::Kind::kRestriction:
      break;
  }
  for (const FieldSpec<Msg>& field : SchemaFor<Msg>().fields) {
    if (field.path != expr.field) continue;
    node.kind = Node::Kind::kTest;
    node.field = &field;
    NE_RETURN_IF_ERROR(CompileLiteral(expr, field.kind, field.enum_type,
                                      field.path, node.test));
    return node;
  }
  return InvalidFieldError(
      "filter",
      absl::StrCat("unknown field \"", expr.field, "\" at position ",
                   expr.position, " (known fields: ", FieldNames<Msg>(), ")"));
}

template <typename Msg>
bool Evaluate(const FilterNode<Msg>& node, const Msg& msg) {
  using Node = FilterNode<Msg>;
  switch (node.kind) {
    case Node::Kind::kAll:
      return true;
    case Node::Kind::kAnd:
      for (const Node& child : node.children) {
        if (!Evaluate(child, msg)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (const Node& child : node.children) {
        if (Evaluate(child, msg)) return true;
      }
      return false;
    case Node::Kind::kNot:
      return !Evaluate(node.children[0], msg);
    case Node::Kind::kTest:
      return node.field == nullptr ? SchemaFor<Msg>().global(msg, node.test)
                                   : node.field->any(msg, node.test);
  }
  return false;
}

}  // namespace

bool DateInterval(const v1::Date& date, int* lo, int* hi) {
  if (date.year() <= 0) return false;
  const int base = date.year() * 10000;
  if (date.month() <= 0) {
    *lo = base + 101;
    *hi = base + 1231;
  } else if (date.day() <= 0) {
    *lo = base + date.month() * 100 + 1;
    *hi = base + date.month() * 100 + 31;
  } else {
    *lo = *hi = base + date.month() * 100 + date.day();
  }
  return true;
}

bool ValueTest::TestString(absl::string_view value) const {
  if (presence) return !value.empty();
  if (op == CompareOp::kHas) {
    if (kind == ValueKind::kText) return ContainsPhrase(value, words);
    if (kind == ValueKind::kSubstring) {
      // A wildcard substring literal was compiled to "*literal*".
      return wildcard ? GlobMatchesFolded(value, folded)
                      : ContainsFolded(value, folded);
    }
  }
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kHas:
      return wildcard ? GlobMatchesFolded(value, folded)
                      : EqualsFolded(value, folded);
    case CompareOp::kNe:
      return !(wildcard ? GlobMatchesFolded(value, folded)
                        : EqualsFolded(value, folded));
    default:
      return CompareOrdered(op, CompareFolded(value, folded), 0);
  }
}

bool ValueTest::TestInt(int64_t value) const {
  if (presence) return value != 0;
  return CompareOrdered(op, value, int_value);
}

bool ValueTest::TestDouble(double value) const {
  if (presence) return value != 0;
  return CompareOrdered(op, value, double_value);
}

bool ValueTest::TestFloat(float value) const {
  if (presence) return value != 0;
  return CompareOrdered(op, value, static_cast<float>(double_value));
}

bool ValueTest::TestEnum(int value) const {
  if (presence) return value != 0;
  return CompareOrdered(op, value, enum_number);
}

bool ValueTest::TestDate(const v1::Date& value) const {
  int lo = 0, hi = 0;
  if (!DateInterval(value, &lo, &hi)) return false;
  if (presence) return true;
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kHas:
      return lo <= date_hi && date_lo <= hi;
    case CompareOp::kNe:
      return !(lo <= date_hi && date_lo <= hi);
    case CompareOp::kLt:
      return lo < date_lo;
    case CompareOp::kLe:
      return lo <= date_hi;
    case CompareOp::kGt:
      return hi > date_hi;
    case CompareOp::kGe:
      return hi >= date_lo;
  }
  return false;
}

bool ValueTest::TestTimestamp(const google::protobuf::Timestamp& value) const {
  const int64_t nanos = value.seconds() * 1000000000 + value.nanos();
  if (presence) return nanos != 0;
  return CompareOrdered(op, nanos, unix_nanos);
}

bool ValueTest::TestCount(int size) const { return presence && size > 0; }

template <typename Msg>
absl::StatusOr<Filter<Msg>> Filter<Msg>::Compile(absl::string_view text) {
  NE_ASSIGN_OR_RETURN(FilterExpr expr, ParseFilter(text));
  Filter filter;
  NE_ASSIGN_OR_RETURN(filter.root_, CompileExpr<Msg>(expr));
  return filter;
}

template <typename Msg>
bool Filter<Msg>::Matches(const Msg& msg) const {
  return Evaluate(root_, msg);
}

template class Filter<v1::Event>;
template class Filter<v1::Article>;
template class Filter<v1::Claim>;

}  // namespace newsevents::query
