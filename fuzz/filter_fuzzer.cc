// libFuzzer target: AIP-160 filter text, as ListEvents, ListArticles,
// ListClaims, AggregateEvents and WatchEvents take it. Parsing and compiling
// must never crash, and must fail only with a small INVALID_ARGUMENT; a
// compiled filter is then matched against a few records.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_support.h"
#include "query_service/store/filter.h"
#include "query_service/store/filter_parser.h"

namespace {

using newsevents::query::Filter;

// Errors echo at most a short prefix of the input (common/errors.h).
constexpr size_t kMaxErrorBytes = 4096;

void CheckError(const absl::Status& status) {
  if (status.ok()) return;
  if (status.code() != absl::StatusCode::kInvalidArgument ||
      status.message().size() > kMaxErrorBytes) {
    std::fprintf(stderr, "unexpected error: %s\n", status.ToString().c_str());
    std::abort();
  }
}

template <typename Msg>
void CompileAndMatch(absl::string_view text, bool parsed,
                     const std::vector<Msg>& rows) {
  absl::StatusOr<Filter<Msg>> filter = Filter<Msg>::Compile(text);
  CheckError(filter.status());
  if (filter.ok() && !parsed) std::abort();  // compiled what cannot parse
  if (!filter.ok()) return;
  for (const Msg& row : rows) (void)filter->Matches(row);
}

struct Rows {
  std::vector<newsevents::v1::Event> events;
  std::vector<newsevents::v1::Article> articles;
  std::vector<newsevents::v1::Claim> claims;
};

const Rows& SampleRows() {
  static const Rows* const rows = [] {
    auto* rows = new Rows;
    for (const auto& record : newsevents::fuzz::SeedRecords()) {
      rows->articles.push_back(record.article());
      for (const auto& event : record.events()) {
        rows->events.push_back(event);
        newsevents::v1::Claim& claim = rows->claims.emplace_back();
        claim.set_id(event.id());
        claim.set_name("claims/" + event.id());
        if (event.quantities_size() > 0) {
          claim.set_kind(event.quantities(0).kind());
          claim.set_value(event.quantities(0).value());
        }
        *claim.mutable_location() = event.location();
        *claim.mutable_date() = event.date();
        claim.add_sources(event.evidence().text());
        claim.add_outlets(event.outlet());
      }
    }
    rows->events.emplace_back();  // every field unset
    rows->articles.emplace_back();
    rows->claims.emplace_back();
    return rows;
  }();
  return *rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto tree = newsevents::query::ParseFilter(text);
  CheckError(tree.status());
  const Rows& rows = SampleRows();
  CompileAndMatch(text, tree.ok(), rows.events);
  CompileAndMatch(text, tree.ok(), rows.articles);
  CompileAndMatch(text, tree.ok(), rows.claims);
  return 0;
}
