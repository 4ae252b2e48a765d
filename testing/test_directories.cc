#include "testing/test_directories.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace newsevents::testing {
namespace {

struct Registry {
  absl::Mutex mutex;
  std::vector<std::string> directories ABSL_GUARDED_BY(mutex);
};

Registry& TheRegistry() {
  static Registry* const registry = new Registry;  // never destroyed
  return *registry;
}

}  // namespace

std::string FreshTestDirectory(absl::string_view name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string path = absl::StrCat(base != nullptr ? base : "/tmp",
                                  "/newsevents_test_", getpid(), "_", name);
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
  std::filesystem::create_directories(path, ignored);
  Registry& registry = TheRegistry();
  absl::MutexLock lock(&registry.mutex);
  registry.directories.push_back(path);
  return path;
}

void RemoveTestDirectories() {
  if (std::getenv("NEWSEVENTS_KEEP_TEST_DATA") != nullptr) return;
  Registry& registry = TheRegistry();
  absl::MutexLock lock(&registry.mutex);
  for (const std::string& path : registry.directories) {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  registry.directories.clear();
}

}  // namespace newsevents::testing
