#include "ingest_service/extract/phrase_lexicon.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/errors.h"

namespace newsevents::extract {

absl::StatusOr<std::vector<std::vector<std::string>>> ReadTsv(
    absl::string_view file_name, absl::string_view content, int min_columns) {
  std::vector<std::vector<std::string>> rows;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    ++line_number;
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    if (static_cast<int>(columns.size()) < min_columns) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_number, ": expected ", min_columns,
                       " TAB-separated columns"));
    }
    rows.push_back(std::move(columns));
  }
  return rows;
}

void Vocabulary::Place(const Slot& slot) {
  const size_t mask = slots_.size() - 1;
  size_t i = slot.hash & mask;
  while (slots_[i].id != 0) i = (i + 1) & mask;
  slots_[i] = slot;
}

uint32_t Vocabulary::Intern(absl::string_view word) {
  if (const uint32_t id = Find(word); id != 0) return id;
  // Keep the table at most half full so probes stay short.
  if ((words_.size() + 1) * 2 > slots_.size()) {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.id != 0) Place(slot);
    }
  }
  words_.emplace_back(word);
  const uint32_t id = static_cast<uint32_t>(words_.size());
  Place(Slot{Hash(word), id, words_.back()});
  return id;
}

uint32_t Vocabulary::Find(absl::string_view word) const {
  const uint32_t hash = Hash(word);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].id != 0; i = (i + 1) & mask) {
    if (slots_[i].hash == hash && slots_[i].word == word) return slots_[i].id;
  }
  return 0;
}

bool PhraseLexicon::Add(absl::string_view phrase, int id) {
  const std::string lower = AsciiLower(phrase);
  std::vector<Token> tokens;
  Tokenize(lower, lower, &tokens);
  if (tokens.empty()) return false;
  Entry entry{{}, id};
  std::vector<std::string> all;
  uint32_t first = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    all.emplace_back(tokens[i].lower);
    const uint32_t word = vocabulary_->Intern(tokens[i].lower);
    if (i == 0) {
      first = word;
    } else {
      entry.rest.push_back(word);
    }
  }
  by_text_.emplace(absl::StrJoin(all, " "), id);
  if (by_first_.size() <= first) {
    by_first_.resize(first + 1);
    first_words_.resize(first + 1);
  }
  first_words_[first] = true;
  std::vector<Entry>& entries = by_first_[first];
  entries.push_back(std::move(entry));
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) {
                     return a.rest.size() > b.rest.size();
                   });
  return true;
}

const std::vector<PhraseLexicon::Entry>* PhraseLexicon::EntriesAt(
    const std::vector<Token>& tokens, int pos, int end) const {
  if (pos < 0 || pos >= end) return nullptr;
  const uint32_t first = tokens[pos].id;
  if (first == 0 || first >= by_first_.size()) return nullptr;
  return &by_first_[first];
}

bool PhraseLexicon::MatchesAt(const Entry& entry,
                              const std::vector<Token>& tokens, int pos,
                              int end) {
  if (pos + 1 + static_cast<int>(entry.rest.size()) > end) return false;
  for (size_t k = 0; k < entry.rest.size(); ++k) {
    if (tokens[pos + 1 + k].id != entry.rest[k]) return false;
  }
  return true;
}

void PhraseLexicon::MatchAllStarted(const std::vector<Token>& tokens, int pos,
                                    int end,
                                    std::vector<PhraseMatch>* out) const {
  const std::vector<Entry>* entries = EntriesAt(tokens, pos, end);
  if (entries == nullptr) return;
  for (const Entry& entry : *entries) {
    if (MatchesAt(entry, tokens, pos, end)) {
      out->push_back(
          PhraseMatch{1 + static_cast<int>(entry.rest.size()), entry.id});
    }
  }
}

PhraseMatch PhraseLexicon::MatchStarted(const std::vector<Token>& tokens,
                                        int pos, int end) const {
  const std::vector<Entry>* entries = EntriesAt(tokens, pos, end);
  if (entries == nullptr) return {};
  // Entries are longest first, so the first match is the longest.
  for (const Entry& entry : *entries) {
    if (MatchesAt(entry, tokens, pos, end)) {
      return PhraseMatch{1 + static_cast<int>(entry.rest.size()), entry.id};
    }
  }
  return {};
}

int PhraseLexicon::Find(absl::string_view phrase) const {
  auto it = by_text_.find(phrase);
  return it == by_text_.end() ? -1 : it->second;
}

}  // namespace newsevents::extract
