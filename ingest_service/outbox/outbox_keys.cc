#include "ingest_service/outbox/outbox_keys.h"

namespace newsevents::outbox::keys {
namespace {

constexpr char kRecordPrefix = 'r';
constexpr char kArticlePrefix = 'a';

void AppendBigEndian(uint64_t value, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

}  // namespace

std::string EncodeU64(uint64_t value) {
  std::string out;
  AppendBigEndian(value, &out);
  return out;
}

bool DecodeU64(std::string_view bytes, uint64_t* value) {
  if (bytes.size() != 8) return false;
  *value = ReadBigEndian(bytes);
  return true;
}

std::string RecordKey(uint64_t sequence) {
  std::string key(1, kRecordPrefix);
  AppendBigEndian(sequence, &key);
  return key;
}

std::string RecordUpperBound() { return std::string(1, kRecordPrefix + 1); }

bool DecodeRecordKey(std::string_view key, uint64_t* sequence) {
  if (key.size() != 9 || key[0] != kRecordPrefix) return false;
  *sequence = ReadBigEndian(key.substr(1));
  return true;
}

std::string ArticleKey(std::string_view article_id) {
  std::string key(1, kArticlePrefix);
  key.append(article_id);
  return key;
}

std::string EncodeRecordValue(int64_t append_unix_micros,
                              const newsevents::v1::ArticleRecord& record) {
  std::string value;
  uint64_t bits = static_cast<uint64_t>(append_unix_micros);
  for (int i = 0; i < 8; ++i)
    value.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  record.AppendToString(&value);
  return value;
}

bool DecodeRecordValue(std::string_view value, int64_t* append_unix_micros,
                       newsevents::v1::ArticleRecord* record) {
  if (value.size() < 8) return false;
  if (append_unix_micros != nullptr) {
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) {
      bits = (bits << 8) | static_cast<unsigned char>(value[i]);
    }
    *append_unix_micros = static_cast<int64_t>(bits);
  }
  if (record != nullptr &&
      !record->ParseFromArray(value.data() + 8,
                              static_cast<int>(value.size() - 8))) {
    return false;
  }
  return true;
}

}  // namespace newsevents::outbox::keys
