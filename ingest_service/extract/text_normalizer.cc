#include "ingest_service/extract/text_normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>

#include "ingest_service/extract/byte_scan.h"

namespace newsevents::extract {
namespace {

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";

// The ASCII stand-in for a typographic character, or nullptr to keep it.
const char* AsciiFold(char32_t cp) {
  switch (cp) {
    case 0x00A0:
    case 0x2000:
    case 0x2001:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x1680:
      return " ";
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x00AD:
      return "";
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
    case 0x00AB:
    case 0x00BB:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
      return "-";
    case 0x2026:
      return "...";
    default:
      return nullptr;
  }
}

bool IsCombiningMark(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

}  // namespace

int DecodeUtf8(absl::string_view text, size_t pos, char32_t* code_point) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  int len;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > text.size()) return 0;
  for (int i = 1; i < len; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return len;
}

std::string RepairUtf8(absl::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    char32_t cp;
    const int len = DecodeUtf8(raw, pos, &cp);
    if (len == 0) {
      out.append(kReplacement.data(), kReplacement.size());
      ++pos;
    } else {
      out.append(raw.data() + pos, len);
      pos += len;
    }
  }
  return out;
}

uint32_t NormalizedText::RawOffset(uint32_t i) const {
  // The last run starting at or before i.
  auto it = std::upper_bound(
      runs.begin(), runs.end(), i,
      [](uint32_t offset, const Run& run) { return offset < run.text_begin; });
  if (it == runs.begin()) return 0;  // only for an empty map
  --it;
  return it->linear ? it->raw_begin + (i - it->text_begin) : it->raw_begin;
}

NormalizedText NormalizeText(absl::string_view raw) {
  NormalizedText result;
  std::string& out = result.text;
  std::vector<NormalizedText::Run>& runs = result.runs;
  out.reserve(raw.size());
  const auto emit = [&](absl::string_view bytes, uint32_t raw_pos) {
    if (bytes.empty()) return;  // a dropped character maps no byte
    runs.push_back({static_cast<uint32_t>(out.size()), raw_pos, false});
    out.append(bytes.data(), bytes.size());
  };

  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  size_t pos = 0;
  while (pos < raw.size()) {
    // ASCII fast path, a run at a time: most of every article. A byte
    // followed by 0xCC or 0xCD may carry combining marks (U+0300..U+036F)
    // and takes the slow path.
    size_t run_end = FirstNonAscii(raw, pos);
    if (run_end < raw.size() && run_end > pos &&
        (bytes[run_end] == 0xCC || bytes[run_end] == 0xCD)) {
      --run_end;
    }
    if (run_end > pos) {
      const size_t length = run_end - pos;
      const size_t out_start = out.size();
      out.resize(out_start + length);
      char* const to = out.data() + out_start;
      for (size_t i = 0; i < length; ++i) {
        const unsigned char c = bytes[pos + i];
        // Control characters other than line breaks and tabs become spaces.
        const bool control =
            (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F;
        to[i] = control ? ' ' : static_cast<char>(c);
      }
      runs.push_back(
          {static_cast<uint32_t>(out_start), static_cast<uint32_t>(pos), true});
      pos = run_end;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(raw, pos, &cp);
    if (len == 0) {
      ++result.invalid_sequences;
      emit(kReplacement, static_cast<uint32_t>(pos));
      ++pos;
      continue;
    }
    if (const char* folded = cp < 0x80 ? nullptr : AsciiFold(cp)) {
      emit(folded, static_cast<uint32_t>(pos));
      pos += len;
      continue;
    }
    // A character followed by combining marks: compose the cluster (NFC).
    size_t next = pos + len;
    char32_t mark;
    int mark_len;
    bool has_marks = false;
    while (next < raw.size() && (mark_len = DecodeUtf8(raw, next, &mark)) > 0 &&
           IsCombiningMark(mark)) {
      has_marks = true;
      next += mark_len;
    }
    if (!has_marks) {
      emit(raw.substr(pos, len), static_cast<uint32_t>(pos));
      pos = next;
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    std::string composed;
    if (U_SUCCESS(status)) {
      icu::UnicodeString cluster = icu::UnicodeString::fromUTF8(
          icu::StringPiece(raw.data() + pos, static_cast<int32_t>(next - pos)));
      icu::UnicodeString normalized = nfc->normalize(cluster, status);
      if (U_SUCCESS(status)) normalized.toUTF8String(composed);
    }
    if (composed.empty()) composed.assign(raw.data() + pos, next - pos);
    emit(composed, static_cast<uint32_t>(pos));
    pos = next;
  }
  runs.push_back({static_cast<uint32_t>(out.size()),
                  static_cast<uint32_t>(raw.size()), false});
  return result;
}

}  // namespace newsevents::extract
