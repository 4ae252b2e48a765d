#ifndef NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_KEYS_H_
#define NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_KEYS_H_

// The outbox's RocksDB layout (one column family, prefix per kind):
//   "r" + big-endian u64 sequence -> fixed64 little-endian append time
//                                    (unix micros) + serialized ArticleRecord
//   "a" + article id              -> big-endian u64 sequence (dedup index)
//   "m:acked" / "m:written"       -> big-endian u64 counters
//   "m:producer_id"               -> the producer id string
// Big-endian sequences make RocksDB's byte order the sequence order.
// Thread-safety: stateless functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "newsevents/v1/event_sink_service.pb.h"

namespace newsevents::outbox::keys {

inline constexpr char kAcknowledged[] = "m:acked";
inline constexpr char kLastWritten[] = "m:written";
inline constexpr char kProducerId[] = "m:producer_id";

std::string EncodeU64(uint64_t value);
bool DecodeU64(std::string_view bytes, uint64_t* value);

std::string RecordKey(uint64_t sequence);
// The smallest key above every record key.
std::string RecordUpperBound();
// False when `key` is not a record key.
bool DecodeRecordKey(std::string_view key, uint64_t* sequence);

std::string ArticleKey(std::string_view article_id);

std::string EncodeRecordValue(int64_t append_unix_micros,
                              const newsevents::v1::ArticleRecord& record);
// Either output may be null to skip it. False when the value is corrupt.
bool DecodeRecordValue(std::string_view value, int64_t* append_unix_micros,
                       newsevents::v1::ArticleRecord* record);

}  // namespace newsevents::outbox::keys

#endif  // NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_KEYS_H_
