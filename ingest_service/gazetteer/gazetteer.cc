// Loads the gazetteer file written by gazetteer_builder into lookup tables.
// The builder has already folded every key and ordered every candidate
// list, so loading is parsing plus hash-table inserts: no ICU, no sorting.

#include "ingest_service/gazetteer/gazetteer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest_service/gazetteer/gazetteer_data.pb.h"
#include "ingest_service/gazetteer/read_file.h"

// Bounds of gazetteer.binpb, placed in .rodata by gazetteer_embed.S.
extern "C" const char newsevents_gazetteer_data_start[];
extern "C" const char newsevents_gazetteer_data_end[];

namespace newsevents::gazetteer {
namespace {

// Must match builder::kGazetteerFormatVersion.
constexpr uint32_t kSupportedFormatVersion = 1;

// A slice of LoadedGazetteer::candidates_.
struct CandidateRange {
  uint32_t begin = 0;
  uint32_t count = 0;
};

// Hash and equality for the folded-key table. The finder asks it about
// every capitalised word, so both are inline and tuned for short keys:
// absl's string hash and memcmp are out-of-line calls that cost more than
// the comparison itself here.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline uint64_t Mix(uint64_t a, uint64_t b) {
  const unsigned __int128 product =
      static_cast<unsigned __int128>(a ^ 0x9E3779B97F4A7C15ULL) *
      (b ^ 0xBF58476D1CE4E5B9ULL);
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// The `n` (< 8) bytes at `p` as one word, without a variable-length copy:
// two overlapping loads for 4-7 bytes, three byte loads for 1-3. Equal
// bytes of equal length give equal words and every byte counts.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline uint64_t LoadTail(const char* p, size_t n) {
  if (n >= 4) {
    uint32_t low, high;
    std::memcpy(&low, p, sizeof(low));
    std::memcpy(&high, p + n - 4, sizeof(high));
    return (uint64_t{high} << 32) | low;
  }
  if (n == 0) return 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(p);
  return (uint64_t{bytes[0]} << 16) | (uint64_t{bytes[n / 2]} << 8) |
         bytes[n - 1];
}

struct FoldedKeyHash {
  size_t operator()(absl::string_view key) const {
    const char* p = key.data();
    size_t n = key.size();
    uint64_t h = n;
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      h = Mix(h, word);
    }
    return Mix(h, LoadTail(p, n));
  }
};

struct FoldedKeyEq {
  bool operator()(absl::string_view a, absl::string_view b) const {
    if (a.size() != b.size()) return false;
    const char* p = a.data();
    const char* q = b.data();
    size_t n = a.size();
    for (; n >= 8; p += 8, q += 8, n -= 8) {
      uint64_t x, y;
      std::memcpy(&x, p, sizeof(x));
      std::memcpy(&y, q, sizeof(y));
      if (x != y) return false;
    }
    return LoadTail(p, n) == LoadTail(q, n);
  }
};

class LoadedGazetteer final : public Gazetteer {
 public:
  // Fills the tables from `data`, taking some of its buffers; `origin` names
  // the source in errors.
  absl::Status Init(data::GazetteerData& data, absl::string_view origin);

  std::span<const Place* const> Lookup(absl::string_view name) const override {
    return LookupFolded(FoldName(name));
  }

  std::span<const Place* const> LookupFolded(
      absl::string_view folded_name) const override {
    const KeyInfo* info = Find(folded_name);
    return info == nullptr ? std::span<const Place* const>() : Places(*info);
  }

  const Place* Country(absl::string_view country_code) const override {
    const auto it = countries_.find(country_code);
    return it == countries_.end() ? nullptr : it->second;
  }

  const Place* CountryOfDemonym(absl::string_view word) const override {
    return CountryOfFoldedDemonym(FoldName(word));
  }

  const Place* CountryOfFoldedDemonym(
      absl::string_view folded_word) const override {
    const KeyInfo* info = Find(folded_word);
    return info == nullptr ? nullptr : info->demonym_country;
  }

  bool IsCommonWord(absl::string_view folded_word) const override {
    const KeyInfo* info = Find(folded_word);
    return info != nullptr && info->common_word;
  }

  std::span<const std::string> AlternateNames(
      const Place& place) const override {
    const auto it = alternate_names_.find(&place);
    if (it == alternate_names_.end()) return {};
    return std::span<const std::string>(
        alternate_name_pool_.data() + it->second.begin, it->second.count);
  }

  bool MayContinueFoldedName(absl::string_view folded_words) const override {
    const KeyInfo* info = Find(folded_words);
    return info != nullptr && info->continued;
  }

  FoldedKey DescribeFoldedKey(absl::string_view folded_key) const override {
    const KeyInfo* info = Find(folded_key);
    if (info == nullptr) return FoldedKey{{}, nullptr, false, false};
    return FoldedKey{Places(*info), info->demonym_country, info->common_word,
                     info->continued};
  }

  int max_name_words() const override { return max_name_words_; }
  size_t size() const override { return places_.size(); }

 private:
  absl::Status AddPlaces(const data::PlaceColumns& columns,
                         absl::string_view origin);
  absl::Status AddAlternateNames(const data::GazetteerData& data,
                                 absl::string_view origin);
  absl::Status AddNames(data::NameIndex& index, absl::string_view origin);
  absl::Status AddDemonyms(const data::GazetteerData& data,
                           absl::string_view origin);

  // Never resized after Init: the tables below point into it.
  std::vector<Place> places_;
  std::vector<const Place*> candidates_;
  // What a folded key is: a name, a demonym, a common word, the start of
  // a longer key, or several of these. One table, so that the finder's
  // questions about a key cost one lookup.
  struct KeyInfo {
    CandidateRange places;  // count 0: not a name
    const Place* demonym_country = nullptr;
    bool common_word = false;
    // Some name, demonym or common phrase starts with this key and a space.
    bool continued = false;
  };

  const KeyInfo* Find(absl::string_view key) const {
    const auto it = keys_.find(key);
    return it == keys_.end() ? nullptr : &it->second;
  }
  std::span<const Place* const> Places(const KeyInfo& info) const {
    return std::span<const Place* const>(candidates_.data() + info.places.begin,
                                         info.places.count);
  }
  // The entry for `key`, created if new. `key` must outlive the gazetteer
  // (a view into name_keys_ or owned_keys_).
  KeyInfo& Entry(absl::string_view key) { return keys_[key]; }
  // The entry for a key that lives in the (temporary) data message.
  KeyInfo& OwnedEntry(absl::string_view key) {
    const auto it = keys_.find(key);
    if (it != keys_.end()) return it->second;
    return Entry(owned_keys_.emplace_back(key));
  }
  // Marks every prefix of `key` that ends before a space; `key` must
  // outlive the gazetteer.
  void AddContinuedPrefixes(absl::string_view key) {
    for (size_t space = key.find(' '); space != absl::string_view::npos;
         space = key.find(' ', space + 1)) {
      Entry(key.substr(0, space)).continued = true;
    }
  }

  // The '\0'-separated folded names; keys_ holds views into it.
  std::string name_keys_;
  // Demonyms and common words, copied out of the data message (a deque, so
  // the views in keys_ stay valid as it grows).
  std::deque<std::string> owned_keys_;
  absl::flat_hash_map<absl::string_view, KeyInfo, FoldedKeyHash, FoldedKeyEq>
      keys_;
  absl::flat_hash_map<std::string, const Place*> countries_;
  std::vector<std::string> alternate_name_pool_;
  absl::flat_hash_map<const Place*, CandidateRange> alternate_names_;
  int max_name_words_ = 1;
};

absl::Status Corrupt(absl::string_view origin, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("gazetteer ", origin, " is corrupt: ", what));
}

// Splits a blob of '\0'-terminated strings; views point into `blob`.
std::vector<absl::string_view> SplitTerminated(absl::string_view blob) {
  std::vector<absl::string_view> parts;
  while (!blob.empty()) {
    const size_t end = blob.find('\0');
    if (end == absl::string_view::npos) break;  // caught by the count check
    parts.push_back(blob.substr(0, end));
    blob.remove_prefix(end + 1);
  }
  return parts;
}

int CountWords(absl::string_view folded) {
  int words = folded.empty() ? 0 : 1;
  for (char c : folded) words += (c == ' ');
  return words;
}

absl::Status LoadedGazetteer::Init(data::GazetteerData& data,
                                   absl::string_view origin) {
  if (data.format_version() != kSupportedFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "gazetteer ", origin, " has format version ", data.format_version(),
        ", this binary reads version ", kSupportedFormatVersion,
        "; rebuild it with the matching gazetteer_builder"));
  }
  NE_RETURN_IF_ERROR(AddPlaces(data.places(), origin));
  NE_RETURN_IF_ERROR(AddAlternateNames(data, origin));
  NE_RETURN_IF_ERROR(AddNames(*data.mutable_names(), origin));
  NE_RETURN_IF_ERROR(AddDemonyms(data, origin));
  for (const std::string& word : data.common_words()) {
    KeyInfo& info = OwnedEntry(word);
    info.common_word = true;
  }
  // Demonyms and common phrases ("prime minister") can be the start of a
  // longer key too; owned_keys_ now holds them all.
  for (const std::string& key : owned_keys_) AddContinuedPrefixes(key);
  return absl::OkStatus();
}

absl::Status LoadedGazetteer::AddPlaces(const data::PlaceColumns& columns,
                                        absl::string_view origin) {
  const size_t count = static_cast<size_t>(columns.geoname_ids_size());
  const std::vector<absl::string_view> names = SplitTerminated(columns.names());
  const std::vector<absl::string_view> admin_regions =
      SplitTerminated(columns.admin_regions());
  if (count == 0) return Corrupt(origin, "no places");
  if (names.size() != count || admin_regions.size() != count ||
      columns.country_codes().size() != 2 * count ||
      static_cast<size_t>(columns.latitudes_e5_size()) != count ||
      static_cast<size_t>(columns.longitudes_e5_size()) != count ||
      static_cast<size_t>(columns.populations_size()) != count ||
      columns.precisions().size() != count) {
    return Corrupt(origin, "place columns differ in length");
  }
  constexpr double kDegreesPerUnit = 1e-5;
  places_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    Place& place = places_[i];
    place.geoname_id = columns.geoname_ids(i);
    place.name.assign(names[i].data(), names[i].size());
    place.country_code.assign(columns.country_codes(), 2 * i, 2);
    place.admin_region.assign(admin_regions[i].data(), admin_regions[i].size());
    place.latitude = columns.latitudes_e5(i) * kDegreesPerUnit;
    place.longitude = columns.longitudes_e5(i) * kDegreesPerUnit;
    place.population = columns.populations(i);
    const int precision = static_cast<unsigned char>(columns.precisions()[i]);
    if (!v1::LocationPrecision_IsValid(precision)) {
      return Corrupt(origin, "unknown precision");
    }
    place.precision = static_cast<v1::LocationPrecision>(precision);
    if (place.precision == v1::LOCATION_PRECISION_COUNTRY) {
      countries_.emplace(place.country_code, &place);
    }
  }
  return absl::OkStatus();
}

absl::Status LoadedGazetteer::AddAlternateNames(const data::GazetteerData& data,
                                                absl::string_view origin) {
  size_t total = 0;
  for (const data::AlternateNames& entry : data.alternate_names()) {
    total += entry.names_size();
  }
  alternate_name_pool_.reserve(total);
  for (const data::AlternateNames& entry : data.alternate_names()) {
    if (entry.place_index() >= places_.size()) {
      return Corrupt(origin, "alternate name of an unknown place");
    }
    alternate_names_[&places_[entry.place_index()]] =
        CandidateRange{static_cast<uint32_t>(alternate_name_pool_.size()),
                       static_cast<uint32_t>(entry.names_size())};
    alternate_name_pool_.insert(alternate_name_pool_.end(),
                                entry.names().begin(), entry.names().end());
  }
  return absl::OkStatus();
}

absl::Status LoadedGazetteer::AddNames(data::NameIndex& index,
                                       absl::string_view origin) {
  // Take the key blob without copying; names_ keeps views into it.
  name_keys_.swap(*index.mutable_keys());
  const std::vector<absl::string_view> keys = SplitTerminated(name_keys_);
  if (keys.size() != static_cast<size_t>(index.candidate_counts_size())) {
    return Corrupt(origin, "name keys and candidate counts differ");
  }
  candidates_.reserve(index.candidates_size());
  keys_.reserve(keys.size() * 5 / 4);
  size_t next = 0;
  for (size_t k = 0; k < keys.size(); ++k) {
    const uint32_t count = index.candidate_counts(k);
    if (count == 0 ||
        next + count > static_cast<size_t>(index.candidates_size())) {
      return Corrupt(origin, "candidate counts overrun the candidates");
    }
    const CandidateRange range{static_cast<uint32_t>(next), count};
    for (uint32_t c = 0; c < count; ++c) {
      const uint32_t place = index.candidates(static_cast<int>(next++));
      if (place >= places_.size()) {
        return Corrupt(origin, "candidate index out of range");
      }
      candidates_.push_back(&places_[place]);
    }
    Entry(keys[k]).places = range;
    AddContinuedPrefixes(keys[k]);
    max_name_words_ = std::max(max_name_words_, CountWords(keys[k]));
  }
  return absl::OkStatus();
}

absl::Status LoadedGazetteer::AddDemonyms(const data::GazetteerData& data,
                                          absl::string_view origin) {
  for (const data::DemonymEntry& demonym : data.demonyms()) {
    if (demonym.place_index() >= places_.size()) {
      return Corrupt(origin, "demonym of an unknown place");
    }
    KeyInfo& info = OwnedEntry(demonym.key());
    // The first entry for a key wins, as it did in a map keyed by demonym.
    if (info.demonym_country == nullptr) {
      info.demonym_country = &places_[demonym.place_index()];
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Gazetteer>> LoadFromBytes(
    const char* bytes, size_t size, absl::string_view origin) {
  // The column layout makes the parsed message a few large buffers, so no
  // arena is needed; it is freed once the tables are built.
  data::GazetteerData data;
  if (size > static_cast<size_t>(INT32_MAX) ||
      !data.ParseFromArray(bytes, static_cast<int>(size))) {
    return absl::DataLossError(absl::StrCat("gazetteer ", origin,
                                            " is not a valid gazetteer file (",
                                            size, " bytes did not parse)"));
  }
  auto gazetteer = std::make_unique<LoadedGazetteer>();
  NE_RETURN_IF_ERROR(gazetteer->Init(data, origin));
  return gazetteer;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Gazetteer>> Gazetteer::LoadEmbedded() {
  return LoadFromBytes(newsevents_gazetteer_data_start,
                       static_cast<size_t>(newsevents_gazetteer_data_end -
                                           newsevents_gazetteer_data_start),
                       "embedded in the binary");
}

absl::StatusOr<std::unique_ptr<Gazetteer>> Gazetteer::LoadFromFile(
    const std::string& path) {
  NE_ASSIGN_OR_RETURN(const std::string bytes, ReadFileToString(path));
  return LoadFromBytes(bytes.data(), bytes.size(), path);
}

}  // namespace newsevents::gazetteer
