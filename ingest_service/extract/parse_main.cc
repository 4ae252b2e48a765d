// newsevents_parse FILE...: prints the events of each article file as one
// line of JSON (see parse_command.h).

#include "common/logging.h"
#include "ingest_service/extract/parse_command.h"

int main(int argc, char** argv) {
  newsevents::SetQuietLogging(true);
  return newsevents::extract::RunParseCommand(argc - 1, argv + 1);
}
