#include "common/coding.h"

namespace newsevents::coding {

void PutBigEndian64(uint64_t value, std::string* out) {
  char bytes[kFixed64Size];
  for (int i = kFixed64Size - 1; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, kFixed64Size);
}

std::string EncodeBigEndian64(uint64_t value) {
  std::string out;
  PutBigEndian64(value, &out);
  return out;
}

bool DecodeBigEndian64(std::string_view bytes, uint64_t* value) {
  if (bytes.size() < kFixed64Size) return false;
  uint64_t result = 0;
  for (size_t i = 0; i < kFixed64Size; ++i) {
    result = (result << 8) | static_cast<unsigned char>(bytes[i]);
  }
  *value = result;
  return true;
}

bool DecodeExactBigEndian64(std::string_view bytes, uint64_t* value) {
  return bytes.size() == kFixed64Size && DecodeBigEndian64(bytes, value);
}

bool GetBigEndian64(std::string_view* input, uint64_t* value) {
  if (!DecodeBigEndian64(*input, value)) return false;
  input->remove_prefix(kFixed64Size);
  return true;
}

void PutLittleEndian64(uint64_t value, std::string* out) {
  char bytes[kFixed64Size];
  for (size_t i = 0; i < kFixed64Size; ++i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  out->append(bytes, kFixed64Size);
}

bool DecodeLittleEndian64(std::string_view bytes, uint64_t* value) {
  if (bytes.size() < kFixed64Size) return false;
  uint64_t result = 0;
  for (int i = kFixed64Size - 1; i >= 0; --i) {
    result = (result << 8) | static_cast<unsigned char>(bytes[i]);
  }
  *value = result;
  return true;
}

bool GetLittleEndian64(std::string_view* input, uint64_t* value) {
  if (!DecodeLittleEndian64(*input, value)) return false;
  input->remove_prefix(kFixed64Size);
  return true;
}

}  // namespace newsevents::coding
