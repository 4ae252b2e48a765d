#include "query_service/store/filter_parser.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/status_macros.h"

namespace newsevents::query {
namespace {

// Deep nesting would recurse once per level; a limit keeps hostile filters
// from exhausting the stack.
constexpr int kMaxDepth = 64;

struct Token {
  enum class Kind {
    kText,
    kString,
    kLParen,
    kRParen,
    kComparator,
    kAnd,
    kOr,
    kNot,
    kMinus,
    kEnd
  };
  Kind kind = Kind::kEnd;
  std::string text;  // kText/kString: the (unescaped) characters
  CompareOp op = CompareOp::kEq;
  size_t position = 0;  // 1-based
};

absl::Status SyntaxError(size_t position, absl::string_view what) {
  return InvalidFieldError("filter",
                           absl::StrCat(what, " at position ", position));
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool EndsText(char c) {
  return IsSpace(c) || c == '(' || c == ')' || c == '"' || c == '\'' ||
         c == '=' || c == '!' || c == '<' || c == '>' || c == ':';
}

class Lexer {
 public:
  explicit Lexer(absl::string_view input) : input_(input) {}

  absl::StatusOr<std::vector<Token>> Tokenize() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < input_.size() && IsSpace(input_[pos_])) ++pos_;
      Token token;
      token.position = pos_ + 1;
      if (pos_ >= input_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      const bool after_comparator =
          !tokens.empty() && tokens.back().kind == Token::Kind::kComparator;
      NE_RETURN_IF_ERROR(Next(after_comparator, token));
      tokens.push_back(std::move(token));
    }
  }

 private:
  absl::Status Next(bool after_comparator, Token& token) {
    const char c = input_[pos_];
    if (c == '(' || c == ')') {
      token.kind = c == '(' ? Token::Kind::kLParen : Token::Kind::kRParen;
      ++pos_;
      return absl::OkStatus();
    }
    if (c == '"' || c == '\'') return QuotedString(token);
    if (c == '=' || c == '!' || c == '<' || c == '>' || c == ':')
      return Comparator(token);
    // A leading '-' negates, except in a value position ("value > -5").
    if (c == '-' && !after_comparator) {
      token.kind = Token::Kind::kMinus;
      ++pos_;
      return absl::OkStatus();
    }
    const size_t start = pos_;
    // A value cannot be followed by a comparator, so ':' stays inside it:
    // this lets timestamps go unquoted (create_time > 2022-01-05T10:00:00Z).
    auto in_text = [after_comparator](char ch) {
      return !EndsText(ch) || (after_comparator && ch == ':');
    };
    while (pos_ < input_.size() && in_text(input_[pos_])) ++pos_;
    token.text = std::string(input_.substr(start, pos_ - start));
    token.kind = Token::Kind::kText;
    if (token.text == "AND") token.kind = Token::Kind::kAnd;
    if (token.text == "OR") token.kind = Token::Kind::kOr;
    if (token.text == "NOT") token.kind = Token::Kind::kNot;
    return absl::OkStatus();
  }

  absl::Status QuotedString(Token& token) {
    const char quote = input_[pos_++];
    token.kind = Token::Kind::kString;
    while (pos_ < input_.size() && input_[pos_] != quote) {
      if (input_[pos_] == '\\') {
        if (++pos_ >= input_.size()) break;
      }
      token.text.push_back(input_[pos_++]);
    }
    if (pos_ >= input_.size())
      return SyntaxError(token.position, "unterminated string");
    ++pos_;  // closing quote
    return absl::OkStatus();
  }

  absl::Status Comparator(Token& token) {
    token.kind = Token::Kind::kComparator;
    const char c = input_[pos_];
    const bool eq_follows = pos_ + 1 < input_.size() && input_[pos_ + 1] == '=';
    switch (c) {
      case '=':
        token.op = CompareOp::kEq;
        break;
      case ':':
        token.op = CompareOp::kHas;
        break;
      case '!':
        if (!eq_follows)
          return SyntaxError(token.position, "'!' must be followed by '='");
        token.op = CompareOp::kNe;
        break;
      case '<':
        token.op = eq_follows ? CompareOp::kLe : CompareOp::kLt;
        break;
      default:
        token.op = eq_follows ? CompareOp::kGe : CompareOp::kGt;
        break;
    }
    pos_ += (c != '=' && c != ':' && eq_follows) ? 2 : 1;
    return absl::OkStatus();
  }

  absl::string_view input_;
  size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  absl::StatusOr<FilterExpr> ParseAll() {
    if (Peek().kind == Token::Kind::kEnd) return FilterExpr{};
    NE_ASSIGN_OR_RETURN(FilterExpr expr, Expression(0));
    if (Peek().kind != Token::Kind::kEnd) {
      return SyntaxError(Peek().position, Peek().kind == Token::Kind::kRParen
                                              ? "unbalanced ')'"
                                              : "unexpected token");
    }
    return expr;
  }

 private:
  const Token& Peek() const { return tokens_[index_]; }
  const Token& Take() { return tokens_[index_++]; }

  static FilterExpr Combine(FilterExpr::Kind kind,
                            std::vector<FilterExpr> parts) {
    if (parts.size() == 1) return std::move(parts[0]);
    FilterExpr expr;
    expr.kind = kind;
    expr.children = std::move(parts);
    return expr;
  }

  absl::StatusOr<FilterExpr> Expression(int depth) {
    if (depth > kMaxDepth)
      return SyntaxError(Peek().position, "filter nested too deeply");
    std::vector<FilterExpr> parts;
    NE_ASSIGN_OR_RETURN(FilterExpr first, Sequence(depth));
    parts.push_back(std::move(first));
    while (Peek().kind == Token::Kind::kAnd) {
      Take();
      NE_ASSIGN_OR_RETURN(FilterExpr next, Sequence(depth));
      parts.push_back(std::move(next));
    }
    return Combine(FilterExpr::Kind::kAnd, std::move(parts));
  }

  static bool StartsTerm(Token::Kind kind) {
    return kind == Token::Kind::kText || kind == Token::Kind::kString ||
           kind == Token::Kind::kLParen || kind == Token::Kind::kNot ||
           kind == Token::Kind::kMinus;
  }

  absl::StatusOr<FilterExpr> Sequence(int depth) {
    std::vector<FilterExpr> parts;
    do {
      NE_ASSIGN_OR_RETURN(FilterExpr factor, Factor(depth));
      parts.push_back(std::move(factor));
    } while (StartsTerm(Peek().kind));
    return Combine(FilterExpr::Kind::kAnd, std::move(parts));
  }

  absl::StatusOr<FilterExpr> Factor(int depth) {
    std::vector<FilterExpr> parts;
    NE_ASSIGN_OR_RETURN(FilterExpr first, Term(depth));
    parts.push_back(std::move(first));
    while (Peek().kind == Token::Kind::kOr) {
      Take();
      NE_ASSIGN_OR_RETURN(FilterExpr next, Term(depth));
      parts.push_back(std::move(next));
    }
    return Combine(FilterExpr::Kind::kOr, std::move(parts));
  }

  absl::StatusOr<FilterExpr> Term(int depth) {
    if (Peek().kind == Token::Kind::kNot ||
        Peek().kind == Token::Kind::kMinus) {
      const Token& negation = Take();
      if (!StartsTerm(Peek().kind) || Peek().kind == Token::Kind::kNot ||
          Peek().kind == Token::Kind::kMinus) {
        return SyntaxError(negation.position,
                           "expected a restriction after negation");
      }
      NE_ASSIGN_OR_RETURN(FilterExpr inner, Simple(depth));
      FilterExpr expr;
      expr.kind = FilterExpr::Kind::kNot;
      expr.position = negation.position;
      expr.children.push_back(std::move(inner));
      return expr;
    }
    return Simple(depth);
  }

  absl::StatusOr<FilterExpr> Simple(int depth) {
    const Token& token = Peek();
    if (token.kind == Token::Kind::kLParen) {
      Take();
      if (Peek().kind == Token::Kind::kRParen)
        return SyntaxError(token.position, "empty '()'");
      NE_ASSIGN_OR_RETURN(FilterExpr inner, Expression(depth + 1));
      if (Peek().kind != Token::Kind::kRParen) {
        return SyntaxError(token.position, "'(' is not closed");
      }
      Take();
      return inner;
    }
    return Restriction();
  }

  absl::StatusOr<FilterExpr> Restriction() {
    const Token& comparable = Take();
    if (comparable.kind != Token::Kind::kText &&
        comparable.kind != Token::Kind::kString) {
      return SyntaxError(comparable.position,
                         "expected a field or a search term");
    }
    FilterExpr expr;
    expr.position = comparable.position;
    if (Peek().kind != Token::Kind::kComparator) {
      expr.kind = FilterExpr::Kind::kGlobal;
      expr.value = comparable.text;
      expr.value_quoted = comparable.kind == Token::Kind::kString;
      expr.value_position = comparable.position;
      return expr;
    }
    if (comparable.kind == Token::Kind::kString) {
      return SyntaxError(comparable.position,
                         "a quoted string cannot be a field name");
    }
    const Token& comparator = Take();
    const Token& value = Take();
    if (value.kind != Token::Kind::kText &&
        value.kind != Token::Kind::kString) {
      return SyntaxError(comparator.position,
                         absl::StrCat("expected a value after '",
                                      CompareOpName(comparator.op), "'"));
    }
    expr.kind = FilterExpr::Kind::kRestriction;
    expr.field = comparable.text;
    expr.op = comparator.op;
    expr.value = value.text;
    expr.value_quoted = value.kind == Token::Kind::kString;
    expr.value_position = value.position;
    return expr;
  }

  std::vector<Token> tokens_;
  size_t index_ = 0;
};

}  // namespace

absl::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGe:
      return ">=";
    case CompareOp::kHas:
      return ":";
  }
  return "?";
}

absl::StatusOr<FilterExpr> ParseFilter(absl::string_view filter) {
  NE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(filter).Tokenize());
  return Parser(std::move(tokens)).ParseAll();
}

}  // namespace newsevents::query
