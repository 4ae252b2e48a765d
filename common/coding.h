#ifndef NEWSEVENTS_COMMON_CODING_H_
#define NEWSEVENTS_COMMON_CODING_H_

// Fixed-width integer encodings for storage keys and values: the one home
// for them, as leveldb's util/coding.h is for LevelDB.
//
//   BigEndian64:    8 bytes, most significant first. Used in RocksDB keys,
//                   where byte order must be numeric order (sequences).
//   LittleEndian64: 8 bytes, least significant first. Used inside values.
//
// Put* append to *out; Encode* return a new string. Decode* read exactly the
// first 8 bytes of `bytes` and return false, leaving *value unchanged, when
// fewer than 8 bytes are there (Get* also consume them from the input);
// DecodeExact* also refuse longer input, for a value that must be nothing
// but the integer.
//
// Thread-safety: stateless functions; safe from any thread.

#include <cstdint>
#include <string>
#include <string_view>

namespace newsevents::coding {

inline constexpr size_t kFixed64Size = 8;

void PutBigEndian64(uint64_t value, std::string* out);
std::string EncodeBigEndian64(uint64_t value);
bool DecodeBigEndian64(std::string_view bytes, uint64_t* value);
bool DecodeExactBigEndian64(std::string_view bytes, uint64_t* value);
// Decodes the first 8 bytes of *input and removes them from it.
bool GetBigEndian64(std::string_view* input, uint64_t* value);

void PutLittleEndian64(uint64_t value, std::string* out);
bool DecodeLittleEndian64(std::string_view bytes, uint64_t* value);
bool GetLittleEndian64(std::string_view* input, uint64_t* value);

}  // namespace newsevents::coding

#endif  // NEWSEVENTS_COMMON_CODING_H_
