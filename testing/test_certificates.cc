#include "testing/test_certificates.h"

#include <sys/wait.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "testing/subprocess.h"
#include "testing/test_directories.h"

namespace newsevents::testing {
namespace {

absl::Status RunMakeCerts(const std::vector<std::string>& args) {
  const char* source = std::getenv("NEWSEVENTS_SOURCE_DIR");
  std::vector<std::string> argv = {
      "/bin/sh",
      absl::StrCat(source == nullptr ? "." : source, "/deploy/make_certs.sh")};
  argv.insert(argv.end(), args.begin(), args.end());
  auto process = Subprocess::Start(argv);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> status = (*process)->Wait(absl::Seconds(60));
  if (!status.ok()) return status.status();
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return absl::InternalError(
        absl::StrCat("deploy/make_certs.sh failed, wait status ", *status));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> MakeTestCertificates(const std::string& name) {
  std::string dir = FreshTestDirectory(name);
  if (absl::Status status = RunMakeCerts({dir}); !status.ok()) return status;
  return dir;
}

absl::Status MakeExpiredCertificate(const std::string& dir,
                                    const std::string& name) {
  return RunMakeCerts({"--expired", dir, name});
}

std::string CertPath(const std::string& dir, const std::string& file) {
  return absl::StrCat(dir, "/", file);
}

}  // namespace newsevents::testing
