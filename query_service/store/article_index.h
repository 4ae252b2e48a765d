#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_ARTICLE_INDEX_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_ARTICLE_INDEX_H_

// In-memory catalogue of stored articles, in store-sequence order, holding
// their metadata without the text (the text stays in RocksDB and is read only
// for the articles a response returns).
// Thread-safety: not thread-safe; the owner serializes Add against readers.
// Entries are never moved or removed.

#include <cstdint>
#include <deque>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "query_service/store/event_store.h"

namespace newsevents::query {

struct ArticleEntry {
  uint64_t seq = 0;
  v1::Article meta;  // everything but text
};

class ArticleIndex {
 public:
  // Appends `stored`; its seq must exceed every seq added before.
  void Add(StoredArticle stored) {
    stored.article.clear_text();
    by_id_[stored.article.id()] = log_.size();
    log_.push_back(ArticleEntry{stored.seq, std::move(stored.article)});
  }

  // The article with id `id`, or null.
  const ArticleEntry* FindById(absl::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &log_[it->second];
  }

  size_t size() const { return log_.size(); }
  const ArticleEntry& at(size_t position) const { return log_[position]; }

 private:
  std::deque<ArticleEntry> log_;
  absl::flat_hash_map<std::string, size_t> by_id_;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_ARTICLE_INDEX_H_
