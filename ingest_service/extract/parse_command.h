#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_PARSE_COMMAND_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_PARSE_COMMAND_H_

// The `parse FILE...` command: loads the embedded gazetteer, parses each file
// as raw bytes (ArticleInput.raw) and prints one line of protobuf JSON per
// file: the ParseArticleResponse, with API field names in lowerCamelCase and
// enum names, default values included (so GROUP_UNSPECIFIED is printed).
//
// argv holds only the file arguments. Returns 0 when every file parsed; 1
// after printing a message on stderr for each file that could not be read or
// parsed (the others are still printed); 2 when no file is given or the
// gazetteer or rules cannot be loaded.

namespace newsevents::extract {

int RunParseCommand(int argc, char** argv);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_PARSE_COMMAND_H_
