#include "testing/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace newsevents::testing {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0)
    return absl::InternalError("pipe failed");
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    // The test's blocked signals must not leak into the service.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  return std::unique_ptr<Subprocess>(new Subprocess(pid, pipe_fds[0]));
}

Subprocess::~Subprocess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  close(stdout_fd_);
}

absl::StatusOr<std::string> Subprocess::ReadLineContaining(
    const std::string& needle, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    size_t newline;
    while ((newline = buffered_.find('\n')) != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      if (line.find(needle) != std::string::npos) return line;
    }
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(
          absl::StrCat("no line containing '", needle, "'"));
    }
    pollfd poll_fd{stdout_fd_, POLLIN, 0};
    int ready = poll(&poll_fd, 1,
                     static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready <= 0) continue;
    char chunk[4096];
    ssize_t got = read(stdout_fd_, chunk, sizeof(chunk));
    if (got <= 0) return absl::UnavailableError("process output ended");
    buffered_.append(chunk, static_cast<size_t>(got));
  }
}

absl::StatusOr<int> Subprocess::WaitForListeningPort(absl::Duration timeout) {
  return WaitForPortLine("listening on ", timeout);
}

absl::StatusOr<int> Subprocess::WaitForPortLine(const std::string& needle,
                                                absl::Duration timeout) {
  absl::StatusOr<std::string> line = ReadLineContaining(needle, timeout);
  if (!line.ok()) return line.status();
  size_t colon = line->rfind(':');
  int port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(line->substr(colon + 1), &port)) {
    return absl::InternalError(absl::StrCat("cannot read port from: ", *line));
  }
  return port;
}

void Subprocess::Signal(int signal_number) {
  if (!reaped_) kill(pid_, signal_number);
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      return status;
    }
    if (absl::Now() >= deadline)
      return absl::DeadlineExceededError("still running");
    // Polling a child's exit has no blocking-with-timeout call; 10 ms steps
    // bound the wait without a fixed sleep.
    absl::SleepFor(absl::Milliseconds(10));
  }
}

std::string BinaryPath(const std::string& relative_path) {
  const char* dir = std::getenv("NEWSEVENTS_BINARY_DIR");
  return absl::StrCat(dir == nullptr ? "." : dir, "/", relative_path);
}

}  // namespace newsevents::testing
