#include "ingest_service/extract/line_start_screen.h"

#include <algorithm>
#include <bitset>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace newsevents::extract {
namespace {

// What LineStartScreen knows of a regular expression: a tree of the parts
// that consume bytes, parsed from the subset of RE2 syntax the boilerplate
// rules use. The analysis only ever widens: a part it cannot place exactly
// (a negated class, '.', a Unicode class) matches any bytes from there on,
// and syntax it does not know at all (flags, \Q, \x, POSIX classes) makes
// the whole pattern unscreened.
struct ScreenNode {
  enum class Kind { kBytes, kWild, kEmpty, kConcat, kAlt, kRepeat };
  Kind kind = Kind::kEmpty;
  std::bitset<256> bytes;  // kBytes: one byte out of these
  std::vector<ScreenNode> children;
  int min = 0;  // kRepeat
  int max = 0;  // kRepeat; -1: unbounded
};

class ScreenParser {
 public:
  explicit ScreenParser(absl::string_view pattern) : p_(pattern) {}

  // The tree of the whole pattern, or nullopt where the syntax is unknown.
  std::optional<ScreenNode> Parse() {
    ScreenNode root = ParseAlt();
    if (!ok_ || pos_ != p_.size()) return std::nullopt;
    return root;
  }

 private:
  static ScreenNode Bytes(std::bitset<256> bytes) {
    ScreenNode n;
    n.kind = ScreenNode::Kind::kBytes;
    n.bytes = bytes;
    return n;
  }
  static ScreenNode Byte(unsigned char c) {
    std::bitset<256> bytes;
    bytes.set(c);
    return Bytes(bytes);
  }
  static ScreenNode Of(ScreenNode::Kind kind) {
    ScreenNode n;
    n.kind = kind;
    return n;
  }
  // The UTF-8 bytes of one code point, in sequence.
  static ScreenNode Utf8(char32_t c) {
    char buf[4];
    int len;
    if (c < 0x800) {
      buf[0] = static_cast<char>(0xC0 | c >> 6);
      buf[1] = static_cast<char>(0x80 | (c & 0x3F));
      len = 2;
    } else if (c < 0x10000) {
      buf[0] = static_cast<char>(0xE0 | c >> 12);
      buf[1] = static_cast<char>(0x80 | (c >> 6 & 0x3F));
      buf[2] = static_cast<char>(0x80 | (c & 0x3F));
      len = 3;
    } else {
      buf[0] = static_cast<char>(0xF0 | c >> 18);
      buf[1] = static_cast<char>(0x80 | (c >> 12 & 0x3F));
      buf[2] = static_cast<char>(0x80 | (c >> 6 & 0x3F));
      buf[3] = static_cast<char>(0x80 | (c & 0x3F));
      len = 4;
    }
    ScreenNode n = Of(ScreenNode::Kind::kConcat);
    for (int i = 0; i < len; ++i) {
      n.children.push_back(Byte(static_cast<unsigned char>(buf[i])));
    }
    return n;
  }
  // RE2's ASCII Perl classes.
  static bool PerlClass(char c, std::bitset<256>* bytes) {
    switch (c) {
      case 'd':
        for (int b = '0'; b <= '9'; ++b) bytes->set(b);
        return true;
      case 'w':
        for (int b = 0; b < 128; ++b) {
          if (absl::ascii_isalnum(static_cast<unsigned char>(b)) || b == '_') {
            bytes->set(b);
          }
        }
        return true;
      case 's':
        for (char b : {'\t', '\n', '\v', '\f', '\r', ' '}) {
          bytes->set(static_cast<unsigned char>(b));
        }
        return true;
    }
    return false;
  }
  static bool ControlEscape(char c, unsigned char* byte) {
    switch (c) {
      case 'a':
        *byte = '\a';
        return true;
      case 'f':
        *byte = '\f';
        return true;
      case 'n':
        *byte = '\n';
        return true;
      case 'r':
        *byte = '\r';
        return true;
      case 't':
        *byte = '\t';
        return true;
      case 'v':
        *byte = '\v';
        return true;
    }
    return false;
  }
  static bool Punctuation(char c) {
    return static_cast<unsigned char>(c) < 0x80 && absl::ascii_ispunct(c);
  }

  bool AtEnd() const { return pos_ >= p_.size(); }
  ScreenNode Fail() {
    ok_ = false;
    return Of(ScreenNode::Kind::kEmpty);
  }

  // One UTF-8 code point at pos_ (advanced past it).
  std::optional<char32_t> CodePoint() {
    const unsigned char lead = static_cast<unsigned char>(p_[pos_]);
    int len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead >= 0x80 && lead < 0xC0) return std::nullopt;
    if (pos_ + len > p_.size()) return std::nullopt;
    char32_t c = len == 1 ? lead : lead & (0x7F >> len);
    for (int i = 1; i < len; ++i) {
      const unsigned char next = static_cast<unsigned char>(p_[pos_ + i]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      c = c << 6 | (next & 0x3F);
    }
    pos_ += len;
    return c;
  }

  ScreenNode ParseAlt() {
    ScreenNode alt = Of(ScreenNode::Kind::kAlt);
    alt.children.push_back(ParseConcat());
    while (ok_ && !AtEnd() && p_[pos_] == '|') {
      ++pos_;
      alt.children.push_back(ParseConcat());
    }
    if (alt.children.size() == 1) return std::move(alt.children.front());
    return alt;
  }

  ScreenNode ParseConcat() {
    ScreenNode concat = Of(ScreenNode::Kind::kConcat);
    while (ok_ && !AtEnd() && p_[pos_] != '|' && p_[pos_] != ')') {
      ScreenNode item = ParseRepeat();
      if (item.kind == ScreenNode::Kind::kConcat) {
        for (ScreenNode& child : item.children) {
          concat.children.push_back(std::move(child));
        }
      } else {
        concat.children.push_back(std::move(item));
      }
    }
    return concat;
  }

  ScreenNode ParseRepeat() {
    ScreenNode item = ParseAtom();
    while (ok_ && !AtEnd()) {
      int min;
      int max;
      const char c = p_[pos_];
      if (c == '*') {
        min = 0, max = -1;
        ++pos_;
      } else if (c == '+') {
        min = 1, max = -1;
        ++pos_;
      } else if (c == '?') {
        min = 0, max = 1;
        ++pos_;
      } else if (c == '{') {
        if (!ParseCount(&min, &max)) return Fail();
      } else {
        break;
      }
      if (!AtEnd() && p_[pos_] == '?') ++pos_;  // non-greedy: same bytes
      ScreenNode repeat = Of(ScreenNode::Kind::kRepeat);
      repeat.min = min;
      repeat.max = max;
      repeat.children.push_back(std::move(item));
      item = std::move(repeat);
    }
    return item;
  }

  // {n}, {n,} or {n,m} at pos_.
  bool ParseCount(int* min, int* max) {
    const size_t close = p_.find('}', pos_);
    if (close == absl::string_view::npos) return false;
    const absl::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
    const size_t comma = body.find(',');
    if (!absl::SimpleAtoi(body.substr(0, comma), min) || *min < 0) {
      return false;
    }
    if (comma == absl::string_view::npos) {
      *max = *min;
    } else if (comma + 1 == body.size()) {
      *max = -1;
    } else if (!absl::SimpleAtoi(body.substr(comma + 1), max) || *max < *min) {
      return false;
    }
    pos_ = close + 1;
    return true;
  }

  ScreenNode ParseAtom() {
    const char c = p_[pos_];
    switch (c) {
      case '(': {
        ++pos_;
        if (!AtEnd() && p_[pos_] == '?') {
          if (p_.substr(pos_, 2) == "?:") {
            pos_ += 2;
          } else if (p_.substr(pos_, 3) == "?P<" ||
                     p_.substr(pos_, 2) == "?<") {
            const size_t close = p_.find('>', pos_);
            if (close == absl::string_view::npos) return Fail();
            pos_ = close + 1;
          } else {
            return Fail();  // flags
          }
        }
        ScreenNode group = ParseAlt();
        if (AtEnd() || p_[pos_] != ')') return Fail();
        ++pos_;
        return group;
      }
      case '[':
        return ParseClass();
      case '.':
        ++pos_;
        return Of(ScreenNode::Kind::kWild);
      case '^':
      case '$':
        ++pos_;
        return Of(ScreenNode::Kind::kEmpty);
      case '\\':
        return ParseEscape();
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
      case '|':
        return Fail();
    }
    const std::optional<char32_t> cp = CodePoint();
    if (!cp) return Fail();
    return *cp < 0x80 ? Byte(static_cast<unsigned char>(*cp)) : Utf8(*cp);
  }

  ScreenNode ParseEscape() {
    if (pos_ + 1 >= p_.size()) return Fail();
    const char c = p_[pos_ + 1];
    pos_ += 2;
    std::bitset<256> bytes;
    unsigned char byte;
    if (PerlClass(c, &bytes)) return Bytes(bytes);
    if (ControlEscape(c, &byte)) return Byte(byte);
    if (Punctuation(c)) return Byte(static_cast<unsigned char>(c));
    switch (c) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        return Of(ScreenNode::Kind::kEmpty);
      case 'D':
      case 'W':
      case 'S':
      case 'p':
      case 'P':
        // Classes with non-ASCII members: any bytes from here on. (\p's
        // name is left unread: the pattern is no longer followed.)
        if (c == 'p' || c == 'P') return Fail();
        return Of(ScreenNode::Kind::kWild);
    }
    return Fail();
  }

  // One literal character inside a class: an escaped control or
  // punctuation character, or a code point. False for anything else.
  bool ClassLiteral(char32_t* out) {
    if (AtEnd()) return false;
    if (p_[pos_] == '\\') {
      if (pos_ + 1 >= p_.size()) return false;
      const char c = p_[pos_ + 1];
      unsigned char byte;
      if (ControlEscape(c, &byte)) {
        *out = byte;
      } else if (Punctuation(c)) {
        *out = static_cast<unsigned char>(c);
      } else {
        return false;
      }
      pos_ += 2;
      return true;
    }
    const std::optional<char32_t> cp = CodePoint();
    if (!cp) return false;
    *out = *cp;
    return true;
  }

  ScreenNode ParseClass() {
    ++pos_;  // '['
    bool negated = false;
    if (!AtEnd() && p_[pos_] == '^') {
      negated = true;
      ++pos_;
    }
    std::bitset<256> ascii;
    std::vector<std::pair<char32_t, char32_t>> wide;  // non-ASCII ranges
    bool wild = negated;
    bool first = true;
    while (true) {
      if (AtEnd()) return Fail();
      if (p_[pos_] == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      if (p_.substr(pos_, 2) == "[:") return Fail();
      if (p_[pos_] == '\\' && pos_ + 1 < p_.size()) {
        const char c = p_[pos_ + 1];
        if (PerlClass(c, &ascii)) {
          pos_ += 2;
          continue;
        }
        if (c == 'D' || c == 'W' || c == 'S') {
          pos_ += 2;
          wild = true;
          continue;
        }
      }
      char32_t lo;
      if (!ClassLiteral(&lo)) return Fail();
      char32_t hi = lo;
      if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        if (!ClassLiteral(&hi) || hi < lo) return Fail();
      }
      for (char32_t c = lo; c <= hi && c < 0x80; ++c) ascii.set(c);
      if (hi >= 0x80) wide.push_back({std::max<char32_t>(lo, 0x80), hi});
    }
    // A few wide code points are spelled out byte by byte; many, or a
    // negated class, match any bytes from here on.
    size_t wide_count = 0;
    for (const auto& [lo, hi] : wide) wide_count += hi - lo + 1;
    if (wild || wide_count > 64) return Of(ScreenNode::Kind::kWild);
    if (wide.empty()) return Bytes(ascii);
    ScreenNode alt = Of(ScreenNode::Kind::kAlt);
    if (ascii.any()) alt.children.push_back(Bytes(ascii));
    for (const auto& [lo, hi] : wide) {
      for (char32_t c = lo; c <= hi; ++c) alt.children.push_back(Utf8(c));
    }
    return alt;
  }

  absl::string_view p_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Runs a tree over the first kBytes bytes of a line: which bytes each
// position can hold, given the offsets (a bit mask; bit kBytes for "at or
// past kBytes") at which a part can start.
class ScreenEvaluator {
 public:
  static constexpr size_t kBytes = LineStartScreen::kBytes;
  static constexpr uint32_t kPast = 1u << kBytes;
  using Positions = std::array<std::bitset<257>, kBytes>;

  explicit ScreenEvaluator(Positions* positions) : positions_(*positions) {}

  uint32_t Run(const ScreenNode& n, uint32_t in) {
    if (in == 0) return 0;
    switch (n.kind) {
      case ScreenNode::Kind::kEmpty:
        return in;
      case ScreenNode::Kind::kBytes: {
        uint32_t out = in & kPast;
        for (size_t o = 0; o < kBytes; ++o) {
          if (!(in >> o & 1)) continue;
          for (size_t b = 0; b < 256; ++b) {
            if (n.bytes[b]) positions_[o].set(b);
          }
          out |= 1u << (o + 1);
        }
        return out;
      }
      case ScreenNode::Kind::kWild:
        AnyFrom(in);
        return kPast;
      case ScreenNode::Kind::kConcat:
        for (const ScreenNode& child : n.children) in = Run(child, in);
        return in;
      case ScreenNode::Kind::kAlt: {
        uint32_t out = 0;
        for (const ScreenNode& child : n.children) out |= Run(child, in);
        return out;
      }
      case ScreenNode::Kind::kRepeat: {
        // Counts past the horizon are widened to "any number of times",
        // which only adds offsets.
        constexpr int kExact = 2 * kBytes + 2;
        const ScreenNode& child = n.children.front();
        uint32_t cur = in;
        if (n.min <= kExact) {
          for (int i = 0; i < n.min && cur != 0; ++i) cur = Run(child, cur);
        } else {
          cur = Closure(child, cur);
        }
        if (n.max >= 0 && n.max - n.min <= kExact) {
          uint32_t out = cur;
          for (int i = n.min; i < n.max && cur != 0; ++i) {
            cur = Run(child, cur);
            out |= cur;
          }
          return out;
        }
        return Closure(child, cur);
      }
    }
    return kPast;
  }

  // The line may end at any offset in `at`, or (not `whole_line`) go on
  // with anything.
  void End(uint32_t at, bool whole_line) {
    for (size_t o = 0; o < kBytes; ++o) {
      if (!(at >> o & 1)) continue;
      if (!whole_line) {
        AnyFrom(1u << o);
        return;
      }
      for (size_t i = o; i < kBytes; ++i) positions_[i].set(256);
    }
  }

  void AnyFrom(uint32_t in) {
    for (size_t o = 0; o < kBytes; ++o) {
      if (!(in >> o & 1)) continue;
      for (size_t i = o; i < kBytes; ++i) positions_[i].set();
      return;
    }
  }

 private:
  // Every offset reachable by any number of runs of `child`.
  uint32_t Closure(const ScreenNode& child, uint32_t in) {
    uint32_t reach = in;
    while (true) {
      const uint32_t next = reach | Run(child, reach);
      if (next == reach) return reach;
      reach = next;
    }
  }

  Positions& positions_;
};

// A substring every match contains: the longest run of single bytes in the
// top-level sequence.
std::string RequiredText(const ScreenNode& root) {
  std::string best;
  std::string run;
  auto single = [](const ScreenNode& n) {
    return n.kind == ScreenNode::Kind::kBytes && n.bytes.count() == 1;
  };
  if (root.kind != ScreenNode::Kind::kConcat) {
    if (single(root))
      best.push_back(static_cast<char>(root.bytes._Find_first()));
    return best;
  }
  for (const ScreenNode& n : root.children) {
    if (n.kind == ScreenNode::Kind::kEmpty) continue;  // zero-width
    if (single(n)) {
      run.push_back(static_cast<char>(n.bytes._Find_first()));
      if (run.size() > best.size()) best = run;
    } else {
      run.clear();
    }
  }
  return best;
}

// Which byte of `text` to look for first: in article text, spaces are the
// most common bytes, then letters and digits; punctuation is rare.
size_t RarestByte(absl::string_view text) {
  auto commonness = [](unsigned char c) {
    if (c == ' ') return 3;
    if (absl::ascii_isalnum(c)) return absl::ascii_islower(c) ? 2 : 1;
    return 0;
  };
  size_t rare = 0;
  for (size_t i = 1; i < text.size(); ++i) {
    if (commonness(text[i]) < commonness(text[rare])) rare = i;
  }
  return rare;
}

// Whether `line` contains `text`, found by memchr for text[rare] (which
// absl::StrContains would do for text's first byte, often a space).
bool Contains(absl::string_view line, absl::string_view text, size_t rare) {
  if (line.size() < text.size()) return false;
  const char* const data = line.data();
  // text[rare] can only sit at [rare, line.size() - text.size() + rare].
  const char* from = data + rare;
  const char* const last = data + (line.size() - text.size() + rare);
  while (from <= last) {
    const void* hit = std::memchr(from, text[rare], last - from + 1);
    if (hit == nullptr) return false;
    const char* at = static_cast<const char*>(hit);
    if (std::memcmp(at - rare, text.data(), text.size()) == 0) return true;
    from = at + 1;
  }
  return false;
}

}  // namespace

uint64_t LineStartScreen::AddPattern() {
  const int index = size_++;
  return uint64_t{1} << std::min(index, 63);
}

int LineStartScreen::AddRegex(absl::string_view pattern, bool whole_line) {
  const int index = size_;
  const uint64_t bit = AddPattern();
  ScreenEvaluator::Positions positions;
  ScreenEvaluator evaluator(&positions);
  const std::optional<ScreenNode> root = ScreenParser(pattern).Parse();
  if (!root) {
    evaluator.AnyFrom(1);
  } else {
    evaluator.End(evaluator.Run(*root, 1), whole_line);
    std::string required = RequiredText(*root);
    // Bit 63 is shared: one pattern's requirement says nothing of another's.
    if (!required.empty() && index < 63) {
      const size_t rare = RarestByte(required);
      required_.push_back({std::move(required), rare, bit});
    }
  }
  for (size_t i = 0; i < kBytes; ++i) {
    for (size_t c = 0; c < 257; ++c) {
      if (positions[i][c]) start_[i][c] |= bit;
    }
  }
  return index;
}

int LineStartScreen::AddLowerLiteral(absl::string_view literal,
                                     bool whole_line) {
  const int index = size_;
  const uint64_t bit = AddPattern();
  for (size_t i = 0; i < kBytes; ++i) {
    if (i < literal.size()) {
      const unsigned char c = static_cast<unsigned char>(literal[i]);
      start_[i][c] |= bit;
      // The lower-cased line has c where the line has c or its capital.
      if (absl::ascii_islower(c)) start_[i][absl::ascii_toupper(c)] |= bit;
    } else if (whole_line) {
      start_[i][256] |= bit;
    } else {
      for (uint64_t& mask : start_[i]) mask |= bit;
    }
  }
  return index;
}

uint64_t LineStartScreen::Candidates(absl::string_view line) const {
  uint64_t maybe = ~uint64_t{0};
  for (size_t i = 0; i < kBytes; ++i) {
    const size_t c =
        i < line.size() ? static_cast<unsigned char>(line[i]) : 256;
    maybe &= start_[i][c];
  }
  if (maybe == 0) return 0;
  for (const Required& required : required_) {
    if ((maybe & required.bit) != 0 &&
        !Contains(line, required.text, required.rare)) {
      maybe &= ~required.bit;
    }
  }
  return maybe;
}

}  // namespace newsevents::extract
