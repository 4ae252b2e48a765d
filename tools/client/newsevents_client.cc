// newsevents_client: a small command-line client for both services, used by
// the demo and handy for scripts. Output is JSON lines (protobuf JSON
// mapping) unless --table asks for a readable summary.
//
//   newsevents_client ingest [--ingest=ADDR] FILE...
//   newsevents_client list [--query=ADDR] [--filter=F] [--order_by=O]
//   [--page_size=N] [--table] newsevents_client claims [--query=ADDR]
//   [--filter=F] [--table] newsevents_client aggregate [--query=ADDR]
//   [--filter=F] --group_by=type,location.country_code newsevents_client status
//   [--ingest=ADDR]
//   TLS (docs/security.md): --tls_ca=PEM trusts that CA for both services;
//   --tls_cert=PEM --tls_key=PEM present a client certificate (mTLS).
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/tls.h"
#include "google/protobuf/util/json_util.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"

ABSL_FLAG(std::string, ingest, "127.0.0.1:50051", "ingest_service address");
ABSL_FLAG(std::string, query, "127.0.0.1:50052", "query_service address");
ABSL_FLAG(std::string, filter, "", "AIP-160 filter");
ABSL_FLAG(std::string, order_by, "", "sort order");
ABSL_FLAG(int, page_size, 50, "results per page");
ABSL_FLAG(std::string, group_by, "type", "comma-separated fields to group by");
ABSL_FLAG(bool, table, false, "print a readable table instead of JSON lines");
ABSL_FLAG(int, timeout_seconds, 30, "deadline of each call");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle the services' certificates must chain to; turns on "
          "TLS (default: plaintext)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate for services that require one (mTLS)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");

namespace {

using namespace newsevents::v1;  // NOLINT: a tool that uses the whole API

std::unique_ptr<grpc::ClientContext> NewContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds))));
  return context;
}

// Set by main() from the --tls_* flags before any command runs.
std::shared_ptr<grpc::ChannelCredentials>* credentials = nullptr;

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  return grpc::CreateChannel(address, *credentials);
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

int Fail(const grpc::Status& status) {
  std::cerr << "error: " << status.error_code() << " " << status.error_message()
            << "\n";
  return 1;
}

std::string Short(std::string_view name, std::string_view prefix) {
  if (name.substr(0, prefix.size()) == prefix)
    name.remove_prefix(prefix.size());
  return std::string(name);
}

std::string DateText(const Date& date) {
  if (date.month() == 0) return "-";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string QuantityText(const Quantity& quantity) {
  std::string text =
      absl::StrCat(Short(QuantityKind_Name(quantity.kind()), "QUANTITY_KIND_"),
                   " ", quantity.value());
  if (quantity.qualifier() == QUALIFIER_RANGE)
    absl::StrAppend(&text, "-", quantity.value_max());
  absl::StrAppend(&text, " (",
                  Short(Qualifier_Name(quantity.qualifier()), "QUALIFIER_"),
                  ", ", Short(Group_Name(quantity.group()), "GROUP_"));
  if (!quantity.object().empty())
    absl::StrAppend(&text, ", ", quantity.object());
  absl::StrAppend(&text, ")");
  return text;
}

void PrintEventRow(const Event& event) {
  std::vector<std::string> quantities;
  for (const Quantity& quantity : event.quantities())
    quantities.push_back(QuantityText(quantity));
  std::string place = event.location().name().empty()
                          ? "-"
                          : absl::StrCat(event.location().name(), ",",
                                         event.location().country_code());
  std::cout << absl::StrFormat(
      "%-19s %-22s %-10s %s\n",
      Short(EventType_Name(event.type()), "EVENT_TYPE_"), place,
      DateText(event.date()), absl::StrJoin(quantities, "; "));
  std::cout << "    \"" << event.evidence().text() << "\"";
  if (!event.attribution().text().empty())
    std::cout << " -- " << event.attribution().text();
  std::cout << "\n";
}

int Ingest(int argc, char** argv) {
  auto stub = IngestService::NewStub(Connect(absl::GetFlag(FLAGS_ingest)));
  int failures = 0;
  for (int i = 0; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::cerr << argv[i] << ": cannot read\n";
      ++failures;
      continue;
    }
    std::stringstream content;
    content << file.rdbuf();
    IngestArticleRequest request;
    request.mutable_article()->set_raw(content.str());
    request.mutable_article()->set_url(absl::StrCat("file://", argv[i]));
    IngestArticleResponse response;
    grpc::Status status =
        stub->IngestArticle(NewContext().get(), request, &response);
    if (!status.ok()) {
      std::cerr << argv[i] << ": " << status.error_message() << "\n";
      ++failures;
      continue;
    }
    std::cout << absl::StrFormat(
        "%s: %s, %d events%s\n", argv[i], response.article().name(),
        response.events_size(),
        response.already_ingested() ? " (already ingested)" : "");
  }
  return failures == 0 ? 0 : 1;
}

int List() {
  auto stub = QueryService::NewStub(Connect(absl::GetFlag(FLAGS_query)));
  ListEventsRequest request;
  request.set_filter(absl::GetFlag(FLAGS_filter));
  request.set_order_by(absl::GetFlag(FLAGS_order_by));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  ListEventsResponse response;
  grpc::Status status =
      stub->ListEvents(NewContext().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (!absl::GetFlag(FLAGS_table)) {
    std::cout << Json(response) << "\n";
    return 0;
  }
  std::cout << absl::StrFormat("%d of %d events matching '%s'\n",
                               response.events_size(), response.total_size(),
                               request.filter());
  for (const Event& event : response.events()) PrintEventRow(event);
  return 0;
}

int Claims() {
  auto stub = QueryService::NewStub(Connect(absl::GetFlag(FLAGS_query)));
  ListClaimsRequest request;
  request.set_filter(absl::GetFlag(FLAGS_filter));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  ListClaimsResponse response;
  grpc::Status status =
      stub->ListClaims(NewContext().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (!absl::GetFlag(FLAGS_table)) {
    std::cout << Json(response) << "\n";
    return 0;
  }
  std::cout << absl::StrFormat("%d claims\n", response.total_size());
  for (const Claim& claim : response.claims()) {
    std::cout << absl::StrFormat(
        "%-12s %8d %-12s %-16s %-14s %d mention(s); sources: %s\n",
        Short(QuantityKind_Name(claim.kind()), "QUANTITY_KIND_"), claim.value(),
        Short(Qualifier_Name(claim.qualifier()), "QUALIFIER_"),
        Short(Group_Name(claim.group()), "GROUP_"),
        claim.location().name().empty() ? "-" : claim.location().name(),
        claim.mention_count(),
        claim.sources().empty() ? "-" : absl::StrJoin(claim.sources(), "; "));
  }
  return 0;
}

int Aggregate() {
  auto stub = QueryService::NewStub(Connect(absl::GetFlag(FLAGS_query)));
  AggregateEventsRequest request;
  request.set_filter(absl::GetFlag(FLAGS_filter));
  for (absl::string_view field :
       absl::StrSplit(absl::GetFlag(FLAGS_group_by), ',', absl::SkipEmpty())) {
    request.add_group_by(std::string(field));
  }
  AggregateEventsResponse response;
  grpc::Status status =
      stub->AggregateEvents(NewContext().get(), request, &response);
  if (!status.ok()) return Fail(status);
  if (!absl::GetFlag(FLAGS_table)) {
    std::cout << Json(response) << "\n";
    return 0;
  }
  for (const AggregateBucket& bucket : response.buckets()) {
    std::vector<std::string> sums;
    for (const auto& [kind, sum] : bucket.quantity_sums()) {
      sums.push_back(absl::StrCat(Short(kind, "QUANTITY_KIND_"), "=", sum));
    }
    std::sort(sums.begin(), sums.end());
    std::cout << absl::StrFormat(
        "%-40s %5d events  %s\n", absl::StrJoin(bucket.keys(), " / "),
        bucket.event_count(), absl::StrJoin(sums, " "));
  }
  return 0;
}

int Status() {
  auto stub = IngestService::NewStub(Connect(absl::GetFlag(FLAGS_ingest)));
  GetDeliveryStatusResponse response;
  grpc::Status status = stub->GetDeliveryStatus(
      NewContext().get(), GetDeliveryStatusRequest(), &response);
  if (!status.ok()) return Fail(status);
  std::cout << Json(response) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "newsevents_client ingest|list|claims|aggregate|status [flags] "
      "[FILE...]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::cerr << "usage: newsevents_client ingest|list|claims|aggregate|status "
                 "[flags]\n";
    return 2;
  }
  newsevents::ChannelTlsFiles tls;
  tls.ca = absl::GetFlag(FLAGS_tls_ca);
  tls.cert = absl::GetFlag(FLAGS_tls_cert);
  tls.key = absl::GetFlag(FLAGS_tls_key);
  auto built = newsevents::ChannelCredentialsFromFiles(tls);
  if (!built.ok()) {
    std::cerr << "newsevents_client: " << built.status().message() << "\n";
    return 2;
  }
  credentials = new std::shared_ptr<grpc::ChannelCredentials>(*built);
  std::string command = args[1];
  if (command == "ingest")
    return Ingest(static_cast<int>(args.size()) - 2, args.data() + 2);
  if (command == "list") return List();
  if (command == "claims") return Claims();
  if (command == "aggregate") return Aggregate();
  if (command == "status") return Status();
  std::cerr << "unknown command: " << command << "\n";
  return 2;
}
