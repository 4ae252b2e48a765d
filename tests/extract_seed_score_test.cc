// Runs shared/eval/score.py on the seed articles with newsevents_parse and
// fails below the quality floors of the extraction issue. Skips when the
// shared evaluation directory ($NEWSEVENTS_SOURCE_DIR/../shared) is absent,
// as in a clone without it.

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace {

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

double Number(const google::protobuf::Struct& s, const std::string& section,
              const std::string& field) {
  const auto& fields = s.fields();
  auto it = fields.find(section);
  if (it == fields.end()) return -1;
  const auto& inner = it->second.struct_value().fields();
  auto f = inner.find(field);
  if (f == inner.end() || !f->second.has_number_value()) return -1;
  return f->second.number_value();
}

TEST(ExtractSeedScore, MeetsTheFloors) {
  const char* source = std::getenv("NEWSEVENTS_SOURCE_DIR");
  const char* binary = std::getenv("NEWSEVENTS_BINARY_DIR");
#ifdef NEWSEVENTS_DEFAULT_SOURCE_DIR
  if (source == nullptr) source = NEWSEVENTS_DEFAULT_SOURCE_DIR;
  if (binary == nullptr) binary = NEWSEVENTS_DEFAULT_BINARY_DIR;
#endif
  if (source == nullptr || binary == nullptr) {
    GTEST_SKIP() << "NEWSEVENTS_SOURCE_DIR/NEWSEVENTS_BINARY_DIR not set";
  }
  const std::string score = std::string(source) + "/../shared/eval/score.py";
  if (!Exists(score)) {
    GTEST_SKIP() << score << " is absent; the seed score needs ../shared";
  }
  const std::string parser =
      std::string(binary) + "/ingest_service/extract/newsevents_parse";
  ASSERT_TRUE(Exists(parser)) << parser << " is not built";
  const std::string out = std::string(binary) + "/extract_seed_score.json";
  const std::string command = "python3 '" + score + "' --cmd '" + parser +
                              "' --json '" + out + "' > /dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;

  std::ifstream in(out);
  std::stringstream buffer;
  buffer << in.rdbuf();
  google::protobuf::Struct report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(buffer.str(), &report).ok());
  const google::protobuf::Struct& summary =
      report.fields().at("summary").struct_value();
  EXPECT_EQ(summary.fields().at("errors").list_value().values_size(), 0);
  EXPECT_GE(Number(summary, "counts", "f1"), 0.95);
  EXPECT_GE(Number(summary, "events", "f1"), 0.90);
  EXPECT_GE(Number(summary, "places", "f1"), 0.95);
  EXPECT_EQ(summary.fields().at("noise_hits").number_value(), 0);
  for (const char* attribute : {"group", "qualifier", "country", "source"}) {
    EXPECT_GE(Number(summary, "count_attributes", attribute), 0.90)
        << attribute;
  }
  EXPECT_GE(Number(summary, "count_attributes", "date"), 0.80);
}

}  // namespace
