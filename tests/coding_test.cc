// The fixed-width encodings of common/coding.h.
#include "common/coding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace newsevents::coding {
namespace {

TEST(Coding, BigEndianPutsTheMostSignificantByteFirst) {
  EXPECT_EQ(EncodeBigEndian64(0x0102030405060708u),
            std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
}

TEST(Coding, LittleEndianPutsTheLeastSignificantByteFirst) {
  std::string out = "x";
  PutLittleEndian64(0x0102030405060708u, &out);
  EXPECT_EQ(out, std::string("x\x08\x07\x06\x05\x04\x03\x02\x01", 9));
}

TEST(Coding, BigEndianRoundTripsAndSortsInNumericOrder) {
  const uint64_t values[] = {0,
                             1,
                             255,
                             256,
                             1ull << 32,
                             (1ull << 63) + 5,
                             std::numeric_limits<uint64_t>::max()};
  std::string previous;
  for (uint64_t value : values) {
    const std::string encoded = EncodeBigEndian64(value);
    uint64_t decoded = 0;
    ASSERT_TRUE(DecodeExactBigEndian64(encoded, &decoded));
    EXPECT_EQ(decoded, value);
    EXPECT_LT(previous, encoded) << value;  // byte order = numeric order
    previous = encoded;
  }
}

TEST(Coding, LittleEndianRoundTrips) {
  for (uint64_t value : {uint64_t{0}, uint64_t{42}, ~uint64_t{0} - 7}) {
    std::string encoded;
    PutLittleEndian64(value, &encoded);
    uint64_t decoded = 1;
    ASSERT_TRUE(DecodeLittleEndian64(encoded, &decoded));
    EXPECT_EQ(decoded, value);
  }
}

TEST(Coding, ShortInputIsRefusedAndLeavesTheValueAlone) {
  uint64_t value = 99;
  for (size_t size = 0; size < kFixed64Size; ++size) {
    const std::string bytes(size, '\x01');
    EXPECT_FALSE(DecodeBigEndian64(bytes, &value)) << size;
    EXPECT_FALSE(DecodeExactBigEndian64(bytes, &value)) << size;
    EXPECT_FALSE(DecodeLittleEndian64(bytes, &value)) << size;
    std::string_view input = bytes;
    EXPECT_FALSE(GetBigEndian64(&input, &value)) << size;
    EXPECT_FALSE(GetLittleEndian64(&input, &value)) << size;
    EXPECT_EQ(input.size(), size);  // nothing consumed
  }
  EXPECT_EQ(value, 99u);
}

TEST(Coding, ExactDecodingRefusesTrailingBytes) {
  uint64_t value = 0;
  const std::string nine = EncodeBigEndian64(7) + "!";
  EXPECT_FALSE(DecodeExactBigEndian64(nine, &value));
  EXPECT_TRUE(DecodeBigEndian64(nine, &value));  // reads the first eight
  EXPECT_EQ(value, 7u);
}

TEST(Coding, GetConsumesEightBytes) {
  std::string bytes = EncodeBigEndian64(3);
  PutLittleEndian64(4, &bytes);
  bytes += "rest";
  std::string_view input = bytes;
  uint64_t first = 0, second = 0;
  ASSERT_TRUE(GetBigEndian64(&input, &first));
  ASSERT_TRUE(GetLittleEndian64(&input, &second));
  EXPECT_EQ(first, 3u);
  EXPECT_EQ(second, 4u);
  EXPECT_EQ(input, "rest");
}

}  // namespace
}  // namespace newsevents::coding
