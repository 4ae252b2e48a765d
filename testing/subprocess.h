#ifndef NEWSEVENTS_TESTING_SUBPROCESS_H_
#define NEWSEVENTS_TESTING_SUBPROCESS_H_

// Starts a real child process (a service binary) for end-to-end tests, reads
// its stdout line by line with a deadline, and signals or reaps it. Used to
// start query_service and ingest_service on port 0 and learn their ports from
// the "<program> listening on host:port" line, without sleeping.
//
// Thread-safety: one thread per Subprocess. The destructor kills (SIGKILL)
// and reaps a child that is still running.

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace newsevents::testing {

class Subprocess {
 public:
  // Starts `argv[0]` with `argv`; stdout is piped to the test, stderr is
  // inherited (so service logs appear in the test output).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv);

  ~Subprocess();

  // Reads stdout until a line containing `needle`; returns that line.
  // DEADLINE_EXCEEDED at the deadline, UNAVAILABLE at end of output.
  absl::StatusOr<std::string> ReadLineContaining(const std::string& needle,
                                                 absl::Duration timeout);

  // Reads the "listening on host:port" line and returns the port.
  absl::StatusOr<int> WaitForListeningPort(absl::Duration timeout);
  // Reads the first line containing `needle` (ending ":port") and returns
  // the port.
  absl::StatusOr<int> WaitForPortLine(const std::string& needle,
                                      absl::Duration timeout);

  // Sends `signal_number` to the child.
  void Signal(int signal_number);

  // Waits for the child to exit and returns its exit status (as waitpid).
  // DEADLINE_EXCEEDED if it is still running at the deadline.
  absl::StatusOr<int> Wait(absl::Duration timeout);

  pid_t pid() const { return pid_; }

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  bool reaped_ = false;
  std::string buffered_;
};

// Path of a built binary: $NEWSEVENTS_BINARY_DIR/<relative_path>.
std::string BinaryPath(const std::string& relative_path);

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_SUBPROCESS_H_
