#include "ingest_service/extract/parse_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/util/json_util.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace newsevents::extract {
namespace {

bool ReadWholeFile(const char* path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  *out = buffer.str();
  return true;
}

}  // namespace

int RunParseCommand(int argc, char** argv) {
  if (argc < 1) {
    std::cerr << "usage: parse FILE...\n";
    return 2;
  }
  auto gazetteer = gazetteer::Gazetteer::LoadEmbedded();
  if (!gazetteer.ok()) {
    std::cerr << "parse: cannot load the gazetteer: " << gazetteer.status()
              << "\n";
    return 2;
  }
  auto extractor = Extractor::Create(gazetteer->get());
  if (!extractor.ok()) {
    std::cerr << "parse: cannot load the extraction rules: "
              << extractor.status() << "\n";
    return 2;
  }
  google::protobuf::util::JsonPrintOptions json;
  json.always_print_primitive_fields = true;
  json.preserve_proto_field_names = false;
  int status = 0;
  for (int i = 0; i < argc; ++i) {
    std::string raw;
    if (!ReadWholeFile(argv[i], &raw)) {
      std::cerr << "parse: cannot read " << argv[i] << "\n";
      status = 1;
      continue;
    }
    v1::ArticleInput input;
    input.set_raw(std::move(raw));
    auto response = (*extractor)->Parse(input);
    if (!response.ok()) {
      // The message only: the status payloads are binary details for RPCs.
      std::cerr << "parse: " << argv[i] << ": "
                << absl::StatusCodeToString(response.status().code()) << ": "
                << response.status().message() << "\n";
      status = 1;
      continue;
    }
    std::string line;
    auto printed =
        google::protobuf::util::MessageToJsonString(*response, &line, json);
    if (!printed.ok()) {
      std::cerr << "parse: " << argv[i] << ": " << printed.ToString() << "\n";
      status = 1;
      continue;
    }
    std::cout << line << "\n";
  }
  std::cout.flush();
  return status;
}

}  // namespace newsevents::extract
