// Events end to end (the event rules of docs/extraction.md): types from
// triggers in context, modality, places (venues, not actors or comparisons)
// and dates.

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Extractor& TheExtractor(bool keep_non_actual = false) {
  ExtractorOptions options;
  options.keep_non_actual_events = keep_non_actual;
  return testing::EmbeddedExtractor(options);
}

v1::ParseArticleResponse Parse(const std::string& text, bool all = false) {
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor(all).Parse(input);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::ParseArticleResponse();
}

std::set<v1::EventType> TypesOf(const std::string& text) {
  std::set<v1::EventType> types;
  const v1::ParseArticleResponse response = Parse(text);
  for (const v1::Event& e : response.events()) types.insert(e.type());
  return types;
}

std::string Names(const std::set<v1::EventType>& types) {
  std::string out;
  for (v1::EventType t : types)
    absl::StrAppend(&out, v1::EventType_Name(t), " ");
  return out;
}

struct Case {
  const char* text;
  v1::EventType type;
  bool expected;  // whether the type must be found (else must be absent)
};

class EventTypesTest : public ::testing::TestWithParam<Case> {};

TEST_P(EventTypesTest, Type) {
  const Case& c = GetParam();
  std::set<v1::EventType> types = TypesOf(c.text);
  EXPECT_EQ(types.count(c.type) > 0, c.expected)
      << c.text << "\nwanted " << (c.expected ? "" : "no ")
      << v1::EventType_Name(c.type) << ", got " << Names(types);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EventTypesTest,
    ::testing::Values(
        Case{"Protests broke out in Lima after the president was removed.",
             v1::EVENT_TYPE_PROTEST, true},
        // Stones thrown, crowds pushed back, people detained.
        Case{"Protestors in Bulawayo were reported to have thrown stones at "
             "the police.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"Royalists throw bricks at the Government House in Bangkok.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"The police were able to push back some 500 protesters from the "
             "legislature.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Security forces continued to detain people leaving the building.",
             v1::EVENT_TYPE_ARREST, true},
        Case{"Thousands took to the streets of Colombo.",
             v1::EVENT_TYPE_PROTEST, true},
        Case{"Truckers went on strike across Chile.", v1::EVENT_TYPE_PROTEST,
             true},
        Case{"Protesters stormed the parliament and looted shops.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"A mob set fire to the governor's office in Kano.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"Police used tear gas and water cannon to disperse the crowd.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Soldiers opened fire on demonstrators in Mandalay.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Security forces killed at least 41 protesters in Zahedan.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Gunfire was heard in several districts of Khartoum.",
             v1::EVENT_TYPE_ARMED_CLASH, true},
        Case{"Protesters clashed with police in Paris.",
             v1::EVENT_TYPE_ARMED_CLASH, false},
        Case{"Police arrested 40 people in Quito.", v1::EVENT_TYPE_ARREST,
             true},
        Case{"The government imposed a curfew in Colombo.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"Authorities shut down the internet across Iran.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"The army deployed troops to Port Moresby.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"The minister said the military had been deployed to support "
             "police in Nairobi.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"Gendarmes were deployed to the port city of Abidjan.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"The government called in the army to restore order in Lahore.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"The alliance sent 2,000 troops to Almaty at Tokayev's request.",
             v1::EVENT_TYPE_REQUEST_ASSISTANCE, true},
        Case{"President Tokayev appealed to the CSTO heads of state for "
             "assistance.",
             v1::EVENT_TYPE_REQUEST_ASSISTANCE, true},
        Case{"A counter-terrorist operation regime was introduced in Almaty.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"Flights from Almaty remained suspended.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"Internet access, which had been cut nationwide for five days, "
             "was restored.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        // Dismissals name the post; other things dismissed or removed are
        // not resignations.
        Case{"Tokayev dismissed the chairman of the security committee.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"Tokayev removed his predecessor as head of the Security Council.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"Police in Almaty dismissed the claims as false.",
             v1::EVENT_TYPE_RESIGNATION, false},
        Case{"Tokayev said he had fired the head of the security service.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"Police fired the first tear gas canisters at the head of the "
             "march in Almaty.",
             v1::EVENT_TYPE_RESIGNATION, false},
        Case{"Workers removed the barricades in Almaty.",
             v1::EVENT_TYPE_RESIGNATION, false},
        // Price caps and reversals are changes made.
        Case{"The government capped the price of gas in Mangystau.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"The cabinet reversed the fuel increase on Thursday.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"More than 4,500 people in Almaty sought medical help.",
             v1::EVENT_TYPE_REQUEST_ASSISTANCE, false},
        Case{"The head of criminal prosecution in Almaty spoke to reporters.",
             v1::EVENT_TYPE_INVESTIGATION, false},
        Case{"Mobile data services remained suspended across Pakistan.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"The government said it would send military assistance to Lima.",
             v1::EVENT_TYPE_DEPLOYMENT, false},
        Case{"Police deployed water cannon and stun grenades in Tbilisi.",
             v1::EVENT_TYPE_DEPLOYMENT, false},
        Case{"The president appealed for international assistance.",
             v1::EVENT_TYPE_REQUEST_ASSISTANCE, true},
        Case{"The villagers received help from neighbours.",
             v1::EVENT_TYPE_REQUEST_ASSISTANCE, false},
        Case{"Prime Minister Ranil Wickremesinghe resigned on Saturday.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"Congress voted on Wednesday to remove President Pedro Castillo "
             "from office.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"Phone lines and internet services were cut across Khartoum.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"Analysts said the move could trigger protests in Puno.",
             v1::EVENT_TYPE_PROTEST, false},
        Case{"Bullets were fired into the palace grounds.",
             v1::EVENT_TYPE_RESIGNATION, false},
        Case{"The protests began after the government doubled the price of "
             "fuel.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"Prosecutors opened criminal cases against 30 people.",
             v1::EVENT_TYPE_INVESTIGATION, true},
        Case{"The minister was in charge of the ministry.",
             v1::EVENT_TYPE_INVESTIGATION, false},
        Case{"In March, students met the minister in Santiago.",
             v1::EVENT_TYPE_PROTEST, false},
        Case{"Riot police guarded the ministry in Lima.", v1::EVENT_TYPE_RIOT,
             false},
        Case{"Protesters demanded the resignation of the president.",
             v1::EVENT_TYPE_RESIGNATION, false},
        Case{"She has spent years fighting for women's rights in Tehran.",
             v1::EVENT_TYPE_ARMED_CLASH, false},
        Case{"An air strike hit the town.", v1::EVENT_TYPE_PROTEST, false},
        Case{"No curfew was imposed in Nairobi.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, false},
        Case{"Read also: Curfew imposed in Lagos after riots",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, false},
        // Session 5 vocabulary: general constructions of unrest reporting.
        Case{"Youths threw stones and bottles at officers in Accra.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"Demonstrators burned two buses near the market in Accra.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"The march in Accra turned violent in the afternoon.",
             v1::EVENT_TYPE_RIOT, true},
        Case{"Farmers burned their old crops in Accra.", v1::EVENT_TYPE_RIOT,
             false},
        Case{"Police attacked the camp in Accra.", v1::EVENT_TYPE_RIOT, false},
        Case{"Officers used pepper spray on the crowd in Accra.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Soldiers opened fire yesterday on demonstrators in Accra.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"A teenager was shot by police during the march in Accra.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Gunshots could be heard across Accra overnight.",
             v1::EVENT_TYPE_ARMED_CLASH, true},
        Case{"Men wielding machetes attacked a checkpoint in Accra.",
             v1::EVENT_TYPE_ARMED_CLASH, true},
        Case{"The president deploys soldiers to Accra.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"Soldiers were patrolling the streets of Accra.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"Police said they were investigating the deaths in Accra.",
             v1::EVENT_TYPE_INVESTIGATION, true},
        Case{"Twelve people were held in Accra on charges of arson.",
             v1::EVENT_TYPE_INVESTIGATION, true},
        Case{"Three ministers were resigning from the cabinet in Accra.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"The president replaced the army chief in Accra.",
             v1::EVENT_TYPE_RESIGNATION, true},
        Case{"The council annulled the election results in Accra.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"Access to social networks was blocked across Ghana.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"Police set up checkpoints around central Accra.",
             v1::EVENT_TYPE_EMERGENCY_MEASURE, true},
        Case{"A two-day strike shut schools across Ghana.",
             v1::EVENT_TYPE_PROTEST, true},
        Case{"A drone strike hit a convoy near the border.",
             v1::EVENT_TYPE_PROTEST, false},
        Case{"The army was ordered to crack down on protesters in Accra.",
             v1::EVENT_TYPE_CRACKDOWN, true},
        Case{"Military vehicles were dispatched to Accra.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"Troops had taken control of the airport in Accra.",
             v1::EVENT_TYPE_DEPLOYMENT, true},
        Case{"The government withdrew the new tax law after the riots in "
             "Accra.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"Hours after the security law came into effect, police in Accra "
             "made arrests.",
             v1::EVENT_TYPE_POLICY_CHANGE, true},
        Case{"The runner withdrew from the race in Accra.",
             v1::EVENT_TYPE_POLICY_CHANGE, false}));

TEST(Events, FutureDeploymentsAreKeptWithTheirModality) {
  v1::ParseArticleResponse r =
      Parse("The alliance announced that it would deploy troops to Bolivia.");
  ASSERT_EQ(r.events_size(), 1);
  EXPECT_EQ(r.events(0).type(), v1::EVENT_TYPE_DEPLOYMENT);
  EXPECT_EQ(r.events(0).modality(), v1::MODALITY_FUTURE);
  EXPECT_EQ(r.events(0).location().name(), "Bolivia");
}

TEST(Events, NegatedEventsAreDroppedUnlessAsked) {
  const std::string text = "The government did not impose a curfew in Lima.";
  EXPECT_EQ(Parse(text).events_size(), 0);
  v1::ParseArticleResponse all = Parse(text, /*all=*/true);
  ASSERT_EQ(all.events_size(), 1);
  EXPECT_EQ(all.events(0).modality(), v1::MODALITY_NEGATED);
}

TEST(Events, PlacesAreVenuesNotActorsOrComparisons) {
  v1::ParseArticleResponse r = Parse(
      "Peacekeepers from a Russia-led alliance were deployed in Kazakhstan. "
      "Kazakhstan is five times the size of France. "
      "Protests broke out in Almaty on January 5, 2022.");
  std::set<std::string> places;
  for (const v1::Event& e : r.events()) places.insert(e.location().name());
  EXPECT_EQ(places, (std::set<std::string>{"Kazakhstan", "Almaty"}));
  for (const v1::Event& e : r.events()) {
    if (e.type() == v1::EVENT_TYPE_PROTEST) {
      EXPECT_EQ(e.location().country_code(), "KZ");
      EXPECT_NE(e.location().geoname_id(), 0);
      EXPECT_EQ(e.location().precision(), v1::LOCATION_PRECISION_CITY);
      EXPECT_EQ(e.date().year(), 2022);
      EXPECT_EQ(e.date().day(), 5);
    }
  }
}

// A name followed by "supporters" or inside "pro-"/"anti-" names a side,
// not where something happened.
TEST(Events, SidesNamedAfterAPlaceAreNotVenues) {
  for (const char* text : {"Lima supporters threw stones at police.",
                           "Pro-Lima demonstrators threw stones at police.",
                           "Anti-Lima protesters marched on Monday."}) {
    v1::ParseArticleResponse r = Parse(text);
    ASSERT_GE(r.events_size(), 1) << text;
    for (const v1::Event& e : r.events()) {
      EXPECT_NE(e.location().name(), "Lima") << text;
    }
  }
}

TEST(Events, SurnamesThatArePlaceNamesAreNotPlaces) {
  v1::ParseArticleResponse r = Parse(
      "A BBC journalist, Ed Lawrence, was detained by police in Shanghai.");
  ASSERT_GE(r.events_size(), 1);
  for (const v1::Event& e : r.events()) {
    EXPECT_EQ(e.location().name(), "Shanghai");
  }
}

// A town's name the article uses for a person elsewhere ("Mohamed Morsi")
// and never after "in"/"at" is the person everywhere, the headline too.
TEST(Events, ANameUsedForAPersonIsNotAPlaceAnywhereInTheArticle) {
  v1::ParseArticleResponse r =
      Parse("Morsi declares state of emergency\n\nEgyptian president Mohamed "
            "Morsi declared a state of emergency in Port Said after seven "
            "people died.\n");
  ASSERT_GE(r.events_size(), 1);
  for (const v1::Event& e : r.events()) {
    EXPECT_NE(e.location().name(), "Morsi");
  }
  // A town named as a venue somewhere stays a place in every mention.
  r = Parse("Lawrence hit by riots\n\nRioters burned 12 cars in Lawrence on "
            "Monday, police said.\n");
  ASSERT_GE(r.events_size(), 1);
  EXPECT_EQ(r.events(0).location().name(), "Lawrence");
}

// Names that speak, titled names, bodies, places where an actor is based
// and common capitalised words are not venues: the event stays at the
// venue the sentence names, or at the article's country.
TEST(Events, NonVenuesAreNotPlaces) {
  struct Row {
    const char* text;
    const char* place;
  };
  for (const Row& row : {
           Row{"Police detained 40 people in Lusaka, Kamal said.", "Lusaka"},
           Row{"Pope Francis urged calm after 12 people were killed in "
               "Cali.",
               "Cali"},
           Row{"Over 100 people were arrested in Mombasa.", "Mombasa"},
           Row{"The UN said 30 people were arrested in Goma.", "Goma"},
           Row{"Soldiers of the Defence Force detained 25 people in "
               "Kingston.",
               "Kingston"},
           Row{"A rights group based in Norway said 8 monks were arrested "
               "in Yangon.",
               "Yangon"},
           // A place after a locative preposition stays a venue even when
           // a reporting verb follows it.
           Row{"Police in Kisumu said 14 people were arrested.", "Kisumu"},
       }) {
    v1::ParseArticleResponse r = Parse(row.text);
    ASSERT_GE(r.events_size(), 1) << row.text;
    for (const v1::Event& e : r.events()) {
      EXPECT_EQ(e.location().name(), row.place) << row.text;
    }
  }
}

TEST(Events, CountsWithoutTriggersStillMakeEvents) {
  v1::ParseArticleResponse r =
      Parse("Officials said 300 people were detained in Dhaka.");
  ASSERT_EQ(r.events_size(), 1);
  EXPECT_EQ(r.events(0).type(), v1::EVENT_TYPE_ARREST);
  EXPECT_EQ(r.events(0).quantities_size(), 1);
}

// A casualty figure with no event of its own sentence takes the type of the
// nearest earlier violent event, else of the nearest later one, else
// PROTEST; protesters killed by security forces make a CRACKDOWN.
TEST(Events, CasualtiesWithoutATriggerTakeTheNearestViolentType) {
  // The type of the event a text's only count sits on.
  const auto type_of_count = [](const std::string& text) {
    const v1::ParseArticleResponse r = Parse(text);
    v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
    for (const v1::Event& e : r.events()) {
      if (e.quantities_size() > 0) type = e.type();
    }
    return type;
  };
  EXPECT_EQ(type_of_count("Rioters torched the city hall in Almaty on Monday."
                          "\nHospital staff in Almaty said five people were "
                          "killed.\n"),
            v1::EVENT_TYPE_RIOT);
  EXPECT_EQ(type_of_count("Hospital staff in Almaty said five people were "
                          "killed.\nLater, rioters torched the city hall in "
                          "Almaty.\n"),
            v1::EVENT_TYPE_RIOT);
  EXPECT_EQ(type_of_count("Officials in Almaty said five people were killed."),
            v1::EVENT_TYPE_PROTEST);
  EXPECT_EQ(
      type_of_count("Doctors in Almaty said police shot dead five protesters."),
      v1::EVENT_TYPE_CRACKDOWN);
}

TEST(Events, EvidenceIsExactRawBytes) {
  const std::string text =
      "\xE2\x80\x9CPolice used tear gas\xE2\x80\x9D in\xC2\xA0Lima, "
      "witnesses said.";
  v1::ParseArticleResponse r = Parse(text);
  ASSERT_GE(r.events_size(), 1);
  for (const v1::Event& e : r.events()) {
    EXPECT_EQ(text.substr(e.evidence().start(),
                          e.evidence().end() - e.evidence().start()),
              e.evidence().text());
  }
}

// The end of a period is not the date of the event that sets it.
TEST(Events, APeriodsEndIsNotTheEventsDate) {
  const v1::ParseArticleResponse r = Parse(
      " date 2022-01-10\nThe state of emergency in Almaty was extended until "
      "January 19.");
  ASSERT_EQ(r.events_size(), 1) << r.DebugString();
  EXPECT_EQ(r.events(0).type(), v1::EVENT_TYPE_EMERGENCY_MEASURE);
  EXPECT_FALSE(r.events(0).has_date()) << r.events(0).date().DebugString();
}

// A country that acts ("Russia sent ...") is not where the event is.
TEST(Events, ACountryThatSendsTroopsIsNotTheVenue) {
  const v1::ParseArticleResponse r =
      Parse("Russia sent paratroopers to Kazakhstan on Thursday.");
  ASSERT_EQ(r.events_size(), 1) << r.DebugString();
  EXPECT_EQ(r.events(0).type(), v1::EVENT_TYPE_DEPLOYMENT);
  EXPECT_EQ(r.events(0).location().country_code(), "KZ");
}

// Each place of a list is a place of the event; a second trigger of the
// same type elsewhere in the sentence adds its own places.
TEST(Events, EveryPlaceOfAListIsAVenue) {
  const v1::ParseArticleResponse r = Parse(
      "Protests spread from Zhanaozen to Aktau, Aktobe and Uralsk, and "
      "thousands rallied in Shymkent.");
  std::set<std::string> places;
  for (const v1::Event& e : r.events()) {
    EXPECT_EQ(e.type(), v1::EVENT_TYPE_PROTEST);
    places.insert(e.location().name());
  }
  EXPECT_EQ(places, (std::set<std::string>{"Zhanaozen", "Aktau", "Aktobe",
                                           "Uralsk", "Shymkent"}))
      << r.DebugString();
  // Places joined by other words are not a list.
  const v1::ParseArticleResponse one =
      Parse("Protesters in Almaty toppled a statue of the former leader.");
  ASSERT_EQ(one.events_size(), 1) << one.DebugString();
  EXPECT_EQ(one.events(0).type(), v1::EVENT_TYPE_RIOT);
}

}  // namespace
}  // namespace newsevents::extract
