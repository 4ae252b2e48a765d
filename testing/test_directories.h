#ifndef NEWSEVENTS_TESTING_TEST_DIRECTORIES_H_
#define NEWSEVENTS_TESTING_TEST_DIRECTORIES_H_

// Scratch directories for tests that need real files (RocksDB stores,
// outboxes, service data directories).
//
// FreshTestDirectory(name) returns an empty directory under the test
// temporary directory ($TEST_TMPDIR, else /tmp), unique to this process, and
// remembers it. The project's test main() removes every remembered
// directory when the test binary exits normally, so runs do not pile up
// gigabytes of stores; set NEWSEVENTS_KEEP_TEST_DATA=1 to keep them for a
// post-mortem. A crashed test leaves its directories behind.
// Thread-safety: may be called from any thread.

#include <string>

#include "absl/strings/string_view.h"

namespace newsevents::testing {

std::string FreshTestDirectory(absl::string_view name);

// Removes every directory FreshTestDirectory created in this process
// (unless NEWSEVENTS_KEEP_TEST_DATA is set). Called by the test main().
void RemoveTestDirectories();

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_TEST_DIRECTORIES_H_
