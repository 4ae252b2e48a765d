#include "ingest_service/outbox/outbox_keys.h"

#include "common/coding.h"

namespace newsevents::outbox::keys {
namespace {

constexpr char kRecordPrefix = 'r';
constexpr char kArticlePrefix = 'a';

}  // namespace

std::string EncodeU64(uint64_t value) {
  return coding::EncodeBigEndian64(value);
}

bool DecodeU64(std::string_view bytes, uint64_t* value) {
  return coding::DecodeExactBigEndian64(bytes, value);
}

std::string RecordKey(uint64_t sequence) {
  std::string key(1, kRecordPrefix);
  coding::PutBigEndian64(sequence, &key);
  return key;
}

std::string RecordUpperBound() { return std::string(1, kRecordPrefix + 1); }

bool DecodeRecordKey(std::string_view key, uint64_t* sequence) {
  if (key.empty() || key[0] != kRecordPrefix) return false;
  return coding::DecodeExactBigEndian64(key.substr(1), sequence);
}

std::string ArticleKey(std::string_view article_id) {
  std::string key(1, kArticlePrefix);
  key.append(article_id);
  return key;
}

std::string EncodeRecordValue(int64_t append_unix_micros,
                              const newsevents::v1::ArticleRecord& record) {
  std::string value;
  coding::PutLittleEndian64(static_cast<uint64_t>(append_unix_micros), &value);
  record.AppendToString(&value);
  return value;
}

bool DecodeRecordValue(std::string_view value, int64_t* append_unix_micros,
                       newsevents::v1::ArticleRecord* record) {
  uint64_t bits = 0;
  if (!coding::GetLittleEndian64(&value, &bits)) return false;
  if (append_unix_micros != nullptr) {
    *append_unix_micros = static_cast<int64_t>(bits);
  }
  return record == nullptr ||
         record->ParseFromArray(value.data(), static_cast<int>(value.size()));
}

}  // namespace newsevents::outbox::keys
