#ifndef NEWSEVENTS_TESTING_SINK_SERVER_H_
#define NEWSEVENTS_TESTING_SINK_SERVER_H_

// Test support: a real gRPC server serving EventSinkServiceImpl over a
// given BatchStore on 127.0.0.1 (port 0 picks a free port; a fixed port
// lets a test "restart" the peer at the same address). Header-only.
// Thread-safety: Start/Stop from one thread; the store must outlive it.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "query_service/sink/event_sink_service.h"

namespace newsevents::query::testing {

class SinkServer {
 public:
  explicit SinkServer(BatchStore* store) : store_(store) {}
  ~SinkServer() { Stop(absl::Seconds(2)); }

  // Returns false when the port cannot be bound.
  bool Start(int port = 0) {
    service_ = std::make_unique<EventSinkServiceImpl>(store_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureServerCredentials(), &port_);
    builder.AddChannelArgument(
        GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    return server_ != nullptr && port_ != 0;
  }

  // Ends streams at a batch boundary, then stops the server; calls still
  // open at `grace` are cancelled.
  void Stop(absl::Duration grace) {
    if (server_ == nullptr) return;
    service_->BeginShutdown();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
    server_.reset();
    service_.reset();
  }

  // Stops without a graceful end: open calls are cancelled at once, as a
  // crashed peer would leave them.
  void Kill() {
    if (server_ == nullptr) return;
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_->Wait();
    server_.reset();
    service_.reset();
  }

  int port() const { return port_; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  EventSinkServiceImpl* service() { return service_.get(); }

 private:
  BatchStore* const store_;
  std::unique_ptr<EventSinkServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace newsevents::query::testing

#endif  // NEWSEVENTS_TESTING_SINK_SERVER_H_
