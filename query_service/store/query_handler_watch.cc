// QueryHandler::Watch: resumable, filtered reads of the event log plus a
// wake-up callback when new events are stored.
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "query_service/store/query_handler.h"

namespace newsevents::query {

namespace {
constexpr absl::string_view kCursorPrefix = "ne-log:";
}  // namespace

std::string EncodeCursor(uint64_t seq) {
  return absl::WebSafeBase64Escape(absl::StrCat(kCursorPrefix, seq));
}

absl::StatusOr<uint64_t> DecodeCursor(absl::string_view cursor) {
  std::string raw;
  uint64_t seq = 0;
  const bool decoded = absl::WebSafeBase64Unescape(cursor, &raw);
  absl::string_view digits = raw;
  if (!decoded || !absl::ConsumePrefix(&digits, kCursorPrefix) ||
      !absl::SimpleAtoi(digits, &seq)) {
    return InvalidFieldError("start_cursor",
                             "is not a cursor from a WatchEventsResponse");
  }
  return seq;
}

class EventWatchImpl : public EventWatch {
 public:
  EventWatchImpl(QueryHandler* handler, EventFilter filter, uint64_t cursor)
      : handler_(handler),
        filter_(std::move(filter)),
        start_cursor_(EncodeCursor(cursor)),
        cursor_(cursor) {
    handler_->Register(this);
  }
  ~EventWatchImpl() override { handler_->Unregister(this); }

  std::vector<v1::WatchEventsResponse> Next(size_t max) override {
    absl::MutexLock lock(&mu_);
    return handler_->ReadAfter(&cursor_, filter_, max);
  }

  const std::string& start_cursor() const override { return start_cursor_; }

  void SetNotify(std::function<void()> notify) override {
    absl::MutexLock lock(&notify_mu_);
    notify_ = std::move(notify);
  }

  // Called by the handler, under its watch registry lock (so the watch is
  // alive).
  void Notify() {
    std::function<void()> notify;
    {
      absl::MutexLock lock(&notify_mu_);
      notify = notify_;
    }
    // Called outside notify_mu_ so the callback may call Next or SetNotify.
    if (notify) notify();
  }

 private:
  QueryHandler* const handler_;
  const EventFilter filter_;
  const std::string start_cursor_;
  absl::Mutex mu_;  // serializes Next calls on this watch
  uint64_t cursor_ ABSL_GUARDED_BY(mu_);
  absl::Mutex notify_mu_;
  std::function<void()> notify_ ABSL_GUARDED_BY(notify_mu_);
};

absl::StatusOr<std::unique_ptr<EventWatch>> QueryHandler::Watch(
    const v1::WatchEventsRequest& request) {
  NE_ASSIGN_OR_RETURN(EventFilter filter,
                      EventFilter::Compile(request.filter()));
  uint64_t cursor = 0;
  if (request.start_cursor().empty()) {
    absl::ReaderMutexLock lock(&mu_);
    cursor = events_.last_seq();
  } else {
    NE_ASSIGN_OR_RETURN(cursor, DecodeCursor(request.start_cursor()));
  }
  return std::unique_ptr<EventWatch>(
      new EventWatchImpl(this, std::move(filter), cursor));
}

std::vector<v1::WatchEventsResponse> QueryHandler::ReadAfter(
    uint64_t* cursor, const EventFilter& filter, size_t max) const {
  std::vector<v1::WatchEventsResponse> out;
  absl::ReaderMutexLock lock(&mu_);
  for (size_t position = events_.FirstAfter(*cursor);
       position < events_.size() && out.size() < max; ++position) {
    const EventEntry& entry = events_.at(position);
    *cursor = entry.seq;
    if (!filter.Matches(entry.event)) continue;
    v1::WatchEventsResponse& response = out.emplace_back();
    *response.mutable_event() = entry.event;
    response.set_cursor(EncodeCursor(entry.seq));
  }
  return out;
}

void QueryHandler::Register(EventWatchImpl* watch) {
  absl::MutexLock lock(&watch_mu_);
  watches_.insert(watch);
}

void QueryHandler::Unregister(EventWatchImpl* watch) {
  absl::MutexLock lock(&watch_mu_);
  watches_.erase(watch);
}

void QueryHandler::NotifyWatches() {
  absl::MutexLock lock(&watch_mu_);
  for (EventWatchImpl* watch : watches_) watch->Notify();
}

}  // namespace newsevents::query
