// FoldName: the one normalisation every gazetteer key goes through, used by
// the builder (to write keys) and at run time (to look them up), so both
// sides always agree.

#include <string>

#include "absl/strings/string_view.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace newsevents::gazetteer {
namespace {

bool IsAsciiSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v' || c == '-' || c == '\'' || c == '`';
}

// Apostrophe look-alikes that appear in transliterated names ("Oʻzbekiston")
// and in typographic text ("Kazakhstan’s").
bool IsApostrophe(UChar32 c) {
  return c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x201B ||
         c == 0x02BB || c == 0x02BC || c == 0x02B9 || c == 0x00B4 ||
         c == 0x2032;
}

bool IsSeparator(UChar32 c) {
  return IsApostrophe(c) || u_isUWhiteSpace(c) ||
         u_charType(c) == U_DASH_PUNCTUATION;
}

// Letters that NFKD does not decompose into a base letter plus marks but
// that readers treat as that base letter ("Łódź" is written "Lodz").
// Returns nullptr for letters that need no replacement.
const char* AsciiReplacement(UChar32 c) {
  switch (c) {
    case 0x0141:
    case 0x0142:
      return "l";  // Ł ł
    case 0x00D8:
    case 0x00F8:
      return "o";  // Ø ø
    case 0x0110:
    case 0x0111:
      return "d";  // Đ đ
    case 0x00D0:
    case 0x00F0:
      return "d";  // Ð ð
    case 0x0131:
      return "i";  // dotless ı
    case 0x00C6:
    case 0x00E6:
      return "ae";  // Æ æ
    case 0x0152:
    case 0x0153:
      return "oe";  // Œ œ
    case 0x00DF:
      return "ss";  // ß
    case 0x00DE:
    case 0x00FE:
      return "th";  // Þ þ
    case 0x0126:
    case 0x0127:
      return "h";  // Ħ ħ
    default:
      return nullptr;
  }
}

// Collects output with separators collapsed: a separator is only written
// once a non-separator follows it, so leading/trailing ones vanish.
class FoldedWriter {
 public:
  explicit FoldedWriter(size_t size_hint) { out_.reserve(size_hint); }
  void Separator() { pending_space_ = !out_.empty(); }
  void Append(absl::string_view text) {
    if (pending_space_) out_.push_back(' ');
    pending_space_ = false;
    out_.append(text.data(), text.size());
  }
  void Append(char c) { Append(absl::string_view(&c, 1)); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  bool pending_space_ = false;
};

std::string FoldAscii(absl::string_view name) {
  FoldedWriter writer(name.size());
  for (char c : name) {
    if (c == '.') continue;  // "U.S." == "US", "St. Louis" == "St Louis"
    if (IsAsciiSeparator(c)) {
      writer.Separator();
    } else {
      writer.Append((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
    }
  }
  return writer.Take();
}

std::string FoldUnicode(absl::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  icu::UnicodeString decomposed;
  if (U_SUCCESS(status)) {
    decomposed =
        nfkd->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                            name.data(), static_cast<int32_t>(name.size()))),
                        status);
  }
  if (U_FAILURE(status)) {
    // ICU data missing: fall back to folding the ASCII letters only.
    return FoldAscii(name);
  }
  FoldedWriter writer(name.size());
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0xFFFD || c == '.') continue;  // invalid UTF-8; see FoldAscii
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) continue;
    if (IsSeparator(c)) {
      writer.Separator();
      continue;
    }
    if (const char* ascii = AsciiReplacement(c)) {
      writer.Append(ascii);
      continue;
    }
    const UChar32 lower = u_tolower(c);
    char utf8[U8_MAX_LENGTH];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(utf8), length, U8_MAX_LENGTH, lower,
              error);
    if (!error) writer.Append(absl::string_view(utf8, length));
  }
  return writer.Take();
}

bool IsAscii(absl::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string FoldName(absl::string_view name) {
  return IsAscii(name) ? FoldAscii(name) : FoldUnicode(name);
}

}  // namespace newsevents::gazetteer
