#!/usr/bin/env bash
# Runs every "```sh walkthrough" block of docs/api.md with buf curl, an
# independent command-line client speaking server reflection, against both
# services started for real on free ports. A block must exit 0, or non-zero
# when marked "expect-failure". Exits 77 (skipped) when buf is not installed.
#
#   api_walkthrough_test.sh SOURCE_DIR BINARY_DIR
set -uo pipefail
source_dir=$1
binary_dir=$2
buf_binary="$source_dir/tools/node_modules/.bin/buf"
if [ ! -x "$buf_binary" ]; then
  echo "SKIP: $buf_binary not installed (run deploy/setup.sh)"
  exit 77
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a service on port 0. (Not inside $(...): the pid must reach the
# cleanup's list in this shell, or the services outlive the test.)
launch() {
  local name=$1; shift
  "$binary_dir/$name/$name" --listen=127.0.0.1:0 "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
}
# Prints the port from a started service's "listening on" line.
port_of() {
  local name=$1
  for _ in $(seq 1 600); do
    if grep -q "listening on" "$work/$name.out"; then
      sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$work/$name.out" | head -1
      return 0
    fi
    sleep 0.05
  done
  echo "$name did not start" >&2
  cat "$work/$name.log" >&2
  return 1
}
launch query_service --data_dir="$work/query" --internal_listen=127.0.0.1:0
query_port=$(port_of query_service) || exit 1
# The ingest service delivers to the query service's internal listener.
for _ in $(seq 1 600); do
  grep -q "internal listening on" "$work/query_service.out" && break
  sleep 0.05
done
internal_port=$(sed -n 's/.*internal listening on .*:\([0-9]*\)$/\1/p' "$work/query_service.out")
[ -n "$internal_port" ] || { echo "no internal listener" >&2; exit 1; }
launch ingest_service --data_dir="$work/ingest" --query_address=127.0.0.1:$internal_port
ingest_port=$(port_of ingest_service) || exit 1

export INGEST=127.0.0.1:$ingest_port
export QUERY=127.0.0.1:$query_port
export BUF="$buf_binary curl --protocol grpc --http2-prior-knowledge --timeout 20s"

# Waits until everything ingested so far is visible in the query service.
drain() {
  for _ in $(seq 1 200); do
    $BUF http://$INGEST/newsevents.v1.IngestService/GetDeliveryStatus | grep -q outboxDepth || return 0
    sleep 0.05
  done
}

python3 - "$source_dir/docs/api.md" >"$work/blocks" <<'PY'
import re, sys, json
text = open(sys.argv[1]).read()
for m in re.finditer(r"```sh walkthrough( expect-failure)?\n(.*?)```", text, re.S):
    print(json.dumps({"fail": bool(m.group(1)), "code": m.group(2)}))
PY

count=0
failed=0
cd "$source_dir"
while IFS= read -r block; do
  count=$((count + 1))
  code=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["code"])' "$block")
  expect_failure=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["fail"])' "$block")
  echo "--- block $count"
  echo "$code"
  bash -e -o pipefail -c "$code" >"$work/out" 2>&1
  status=$?
  head -c 1500 "$work/out"; echo
  if { [ "$expect_failure" = "True" ] && [ $status -eq 0 ]; } ||
     { [ "$expect_failure" = "False" ] && [ $status -ne 0 ]; }; then
    echo "FAILED: block $count exited $status"
    failed=$((failed + 1))
  fi
  drain
done <"$work/blocks"

if [ "$count" -eq 0 ]; then
  echo "no walkthrough blocks found in docs/api.md"
  exit 1
fi
echo "$((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
