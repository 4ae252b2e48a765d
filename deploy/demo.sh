#!/usr/bin/env bash
# The newcomer's first command: sets up and builds newsevents, starts
# query_service and ingest_service on localhost with the embedded defaults,
# ingests the sample articles in data/samples/, shows what the query service
# serves, and leaves both running until Ctrl-C stops them cleanly.
#
#   deploy/demo.sh            # ports 50051 (ingest), 50052 (query) and
#                             # 50053 (query's internal listener, loopback)
#   INGEST_PORT=6001 QUERY_PORT=6002 QUERY_INTERNAL_PORT=6003 deploy/demo.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ingest_port=${INGEST_PORT:-50051}
query_port=${QUERY_PORT:-50052}
query_internal_port=${QUERY_INTERNAL_PORT:-50053}
data_dir=${DATA_DIR:-$root/.data}
build="$root/build"

"$root/deploy/setup.sh"

mkdir -p "$data_dir"
pids=()
stop() {
  trap - INT TERM
  echo
  echo "demo: stopping services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo: stopped"
  exit 0
}
trap stop INT TERM

# Starts a service in the background and waits for its "listening on" line.
start_service() {
  local name=$1; shift
  local log="$data_dir/$name.log"
  "$build/$name/$name" "$@" >"$log.out" 2>"$log" &
  pids+=($!)
  for _ in $(seq 1 300); do
    if grep -q "listening on" "$log.out" 2>/dev/null; then
      echo "demo: $(grep -m1 'listening on' "$log.out") (log: $log)"
      return 0
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "demo: $name failed to start:" >&2
      tail -5 "$log" >&2
      stop
    fi
    sleep 0.1
  done
  echo "demo: $name did not start in 30 s" >&2
  stop
}

# The query service's internal listener (EventSinkService) is where the ingest
# service delivers; the public port 50052 serves queries only.
start_service query_service --listen="127.0.0.1:$query_port" \
  --internal_listen="127.0.0.1:$query_internal_port" --data_dir="$data_dir/query"
start_service ingest_service --listen="127.0.0.1:$ingest_port" --data_dir="$data_dir/ingest" \
  --query_address="127.0.0.1:$query_internal_port"

client=("$build/tools/client/newsevents_client" --ingest="127.0.0.1:$ingest_port"
        --query="127.0.0.1:$query_port")
echo
echo "demo: ingesting the sample articles"
"${client[@]}" ingest "$root"/data/samples/*.txt

# Delivery to the query service is asynchronous; wait until the outbox is empty.
for _ in $(seq 1 100); do
  "${client[@]}" status | grep -q '"outboxDepth"' || break
  sleep 0.1
done

echo
echo "demo: events by type and country"
"${client[@]}" aggregate --group_by=type,location.country_code --table
echo
echo "demo: events with people killed (filter: quantities.kind = KILLED)"
"${client[@]}" list --filter='quantities.kind = KILLED' --page_size=10 --table
echo
echo "demo: figures consolidated across articles"
"${client[@]}" claims --page_size=10 --table
echo
cat <<MSG
demo: both services are running: ingest on 127.0.0.1:$ingest_port, query on 127.0.0.1:$query_port.
      Try: $build/tools/client/newsevents_client list --query=127.0.0.1:$query_port --filter='type = RIOT' --table
      or the buf curl walkthrough in docs/api.md. Press Ctrl-C to stop them.
MSG
wait
