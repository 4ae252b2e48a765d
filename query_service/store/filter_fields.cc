// The filterable fields of Event, Article and Claim. Adding a field is one
// line here plus a line in docs/filtering.md.

#include "query_service/store/filter.h"

namespace newsevents::query {
namespace {

using v1::Article;
using v1::Claim;
using v1::Event;

template <typename Repeated, typename Fn>
bool AnyOf(const Repeated& items, Fn fn) {
  for (const auto& item : items) {
    if (fn(item)) return true;
  }
  return false;
}

const FieldSpec<Event> kEventFields[] = {
    {"name", ValueKind::kString,
     [](const Event& e, const ValueTest& t) { return t.TestString(e.name()); }},
    {"id", ValueKind::kString,
     [](const Event& e, const ValueTest& t) { return t.TestString(e.id()); }},
    {"article_id", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.article_id());
     },
     nullptr, IndexedField::kArticleId},
    {"type", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) { return t.TestEnum(e.type()); },
     v1::EventType_descriptor, IndexedField::kType},
    {"modality", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return t.TestEnum(e.modality());
     },
     v1::Modality_descriptor, IndexedField::kModality},
    {"date", ValueKind::kDate,
     [](const Event& e, const ValueTest& t) { return t.TestDate(e.date()); },
     nullptr, IndexedField::kDate},
    {"date.year", ValueKind::kInt,
     [](const Event& e, const ValueTest& t) {
       return e.date().year() != 0 && t.TestInt(e.date().year());
     }},
    {"published_date", ValueKind::kDate,
     [](const Event& e, const ValueTest& t) {
       return t.TestDate(e.published_date());
     },
     nullptr, IndexedField::kPublishedDate},
    {"published_date.year", ValueKind::kInt,
     [](const Event& e, const ValueTest& t) {
       return e.published_date().year() != 0 &&
              t.TestInt(e.published_date().year());
     }},
    {"location", ValueKind::kPresence,
     [](const Event& e, const ValueTest& t) {
       return t.TestCount(e.has_location() ? 1 : 0);
     }},
    {"location.name", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.location().name());
     },
     nullptr, IndexedField::kLocationName},
    {"location.country_code", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.location().country_code());
     },
     nullptr, IndexedField::kCountry},
    {"location.geoname_id", ValueKind::kInt,
     [](const Event& e, const ValueTest& t) {
       return t.TestInt(e.location().geoname_id());
     }},
    {"location.admin_region", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.location().admin_region());
     }},
    {"location.latitude", ValueKind::kDouble,
     [](const Event& e, const ValueTest& t) {
       return e.has_location() && t.TestDouble(e.location().latitude());
     }},
    {"location.longitude", ValueKind::kDouble,
     [](const Event& e, const ValueTest& t) {
       return e.has_location() && t.TestDouble(e.location().longitude());
     }},
    {"location.precision", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return t.TestEnum(e.location().precision());
     },
     v1::LocationPrecision_descriptor},
    {"outlet", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.outlet());
     },
     nullptr, IndexedField::kOutlet},
    {"quantities", ValueKind::kPresence,
     [](const Event& e, const ValueTest& t) {
       return t.TestCount(e.quantities_size());
     }},
    {"quantities.kind", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestEnum(q.kind());
       });
     },
     v1::QuantityKind_descriptor, IndexedField::kQuantityKind},
    {"quantities.value", ValueKind::kInt,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestInt(q.value());
       });
     }},
    {"quantities.value_max", ValueKind::kInt,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestInt(q.value_max());
       });
     }},
    {"quantities.group", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestEnum(q.group());
       });
     },
     v1::Group_descriptor, IndexedField::kQuantityGroup},
    {"quantities.qualifier", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestEnum(q.qualifier());
       });
     },
     v1::Qualifier_descriptor},
    {"quantities.object", ValueKind::kString,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestString(q.object());
       });
     }},
    {"quantities.raw_text", ValueKind::kSubstring,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.quantities(), [&](const v1::Quantity& q) {
         return t.TestString(q.raw_text());
       });
     }},
    {"actors", ValueKind::kPresence,
     [](const Event& e, const ValueTest& t) {
       return t.TestCount(e.actors_size());
     }},
    {"actors.text", ValueKind::kSubstring,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.actors(),
                    [&](const v1::Actor& a) { return t.TestString(a.text()); });
     }},
    {"actors.group", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.actors(),
                    [&](const v1::Actor& a) { return t.TestEnum(a.group()); });
     },
     v1::Group_descriptor},
    {"actors.role", ValueKind::kEnum,
     [](const Event& e, const ValueTest& t) {
       return AnyOf(e.actors(),
                    [&](const v1::Actor& a) { return t.TestEnum(a.role()); });
     },
     v1::ActorRole_descriptor},
    {"attribution.text", ValueKind::kSubstring,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.attribution().text());
     }},
    {"attribution.person", ValueKind::kSubstring,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.attribution().person());
     }},
    {"attribution.organization", ValueKind::kSubstring,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.attribution().organization());
     }},
    {"evidence.text", ValueKind::kText,
     [](const Event& e, const ValueTest& t) {
       return t.TestString(e.evidence().text());
     },
     nullptr, IndexedField::kEvidenceWords},
    {"confidence", ValueKind::kDouble,
     [](const Event& e, const ValueTest& t) {
       return t.TestFloat(e.confidence());
     }},
    {"create_time", ValueKind::kTimestamp,
     [](const Event& e, const ValueTest& t) {
       return t.TestTimestamp(e.create_time());
     }},
};

bool EventGlobal(const Event& e, const ValueTest& t) {
  return t.TestString(e.evidence().text()) ||
         t.TestString(e.attribution().text()) ||
         t.TestString(e.location().name()) ||
         t.TestString(e.location().mention().text());
}

const FieldSpec<Article> kArticleFields[] = {
    {"name", ValueKind::kString,
     [](const Article& a, const ValueTest& t) {
       return t.TestString(a.name());
     }},
    {"id", ValueKind::kString,
     [](const Article& a, const ValueTest& t) { return t.TestString(a.id()); }},
    {"url", ValueKind::kString,
     [](const Article& a, const ValueTest& t) {
       return t.TestString(a.url());
     }},
    {"title", ValueKind::kText,
     [](const Article& a, const ValueTest& t) {
       return t.TestString(a.title());
     }},
    {"outlet", ValueKind::kString,
     [](const Article& a, const ValueTest& t) {
       return t.TestString(a.outlet());
     }},
    {"published_date", ValueKind::kDate,
     [](const Article& a, const ValueTest& t) {
       return t.TestDate(a.published_date());
     }},
    {"published_date.year", ValueKind::kInt,
     [](const Article& a, const ValueTest& t) {
       return a.published_date().year() != 0 &&
              t.TestInt(a.published_date().year());
     }},
    {"language", ValueKind::kString,
     [](const Article& a, const ValueTest& t) {
       return t.TestString(a.language());
     }},
    {"event_count", ValueKind::kInt,
     [](const Article& a, const ValueTest& t) {
       return t.TestInt(a.event_count());
     }},
    {"ingest_time", ValueKind::kTimestamp,
     [](const Article& a, const ValueTest& t) {
       return t.TestTimestamp(a.ingest_time());
     }},
};

bool ArticleGlobal(const Article& a, const ValueTest& t) {
  return t.TestString(a.title()) || t.TestString(a.outlet());
}

const FieldSpec<Claim> kClaimFields[] = {
    {"name", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) { return t.TestString(c.name()); }},
    {"id", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) { return t.TestString(c.id()); }},
    {"kind", ValueKind::kEnum,
     [](const Claim& c, const ValueTest& t) { return t.TestEnum(c.kind()); },
     v1::QuantityKind_descriptor},
    {"value", ValueKind::kInt,
     [](const Claim& c, const ValueTest& t) { return t.TestInt(c.value()); }},
    {"value_max", ValueKind::kInt,
     [](const Claim& c, const ValueTest& t) {
       return t.TestInt(c.value_max());
     }},
    {"qualifier", ValueKind::kEnum,
     [](const Claim& c, const ValueTest& t) {
       return t.TestEnum(c.qualifier());
     },
     v1::Qualifier_descriptor},
    {"group", ValueKind::kEnum,
     [](const Claim& c, const ValueTest& t) { return t.TestEnum(c.group()); },
     v1::Group_descriptor},
    {"location.name", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) {
       return t.TestString(c.location().name());
     }},
    {"location.country_code", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) {
       return t.TestString(c.location().country_code());
     }},
    {"location.geoname_id", ValueKind::kInt,
     [](const Claim& c, const ValueTest& t) {
       return t.TestInt(c.location().geoname_id());
     }},
    {"location.admin_region", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) {
       return t.TestString(c.location().admin_region());
     }},
    {"date", ValueKind::kDate,
     [](const Claim& c, const ValueTest& t) { return t.TestDate(c.date()); }},
    {"sources", ValueKind::kSubstring,
     [](const Claim& c, const ValueTest& t) {
       return AnyOf(c.sources(),
                    [&](const std::string& s) { return t.TestString(s); });
     }},
    {"outlets", ValueKind::kString,
     [](const Claim& c, const ValueTest& t) {
       return AnyOf(c.outlets(),
                    [&](const std::string& s) { return t.TestString(s); });
     }},
    {"mention_count", ValueKind::kInt,
     [](const Claim& c, const ValueTest& t) {
       return t.TestInt(c.mention_count());
     }},
    {"first_reported", ValueKind::kDate,
     [](const Claim& c, const ValueTest& t) {
       return t.TestDate(c.first_reported());
     }},
    {"last_reported", ValueKind::kDate,
     [](const Claim& c, const ValueTest& t) {
       return t.TestDate(c.last_reported());
     }},
    {"update_time", ValueKind::kTimestamp,
     [](const Claim& c, const ValueTest& t) {
       return t.TestTimestamp(c.update_time());
     }},
};

bool ClaimGlobal(const Claim& c, const ValueTest& t) {
  return t.TestString(c.location().name()) ||
         AnyOf(c.sources(),
               [&](const std::string& s) { return t.TestString(s); });
}

}  // namespace

template <>
const FilterSchema<Event>& SchemaFor<Event>() {
  static const FilterSchema<Event> schema{kEventFields, EventGlobal};
  return schema;
}

template <>
const FilterSchema<Article>& SchemaFor<Article>() {
  static const FilterSchema<Article> schema{kArticleFields, ArticleGlobal};
  return schema;
}

template <>
const FilterSchema<Claim>& SchemaFor<Claim>() {
  static const FilterSchema<Claim> schema{kClaimFields, ClaimGlobal};
  return schema;
}

}  // namespace newsevents::query
