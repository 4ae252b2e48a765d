// The main() of every GoogleTest binary in the project. It exports the
// source and build directories as NEWSEVENTS_SOURCE_DIR and
// NEWSEVENTS_BINARY_DIR (unless already set) so tests can find data files and
// the service binaries however they are started: by ctest, by hand, or under
// a debugger. When the tests are done it removes the scratch directories
// they created (testing/test_directories.h).
#include <gtest/gtest.h>

#include <cstdlib>

#include "testing/test_directories.h"

namespace {

class RemoveScratchDirectories : public ::testing::Environment {
 public:
  void TearDown() override { newsevents::testing::RemoveTestDirectories(); }
};

}  // namespace

int main(int argc, char** argv) {
  setenv("NEWSEVENTS_SOURCE_DIR", NEWSEVENTS_SOURCE_DIR_DEFAULT,
         /*overwrite=*/0);
  setenv("NEWSEVENTS_BINARY_DIR", NEWSEVENTS_BINARY_DIR_DEFAULT,
         /*overwrite=*/0);
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new RemoveScratchDirectories);
  return RUN_ALL_TESTS();
}
