#!/usr/bin/env bash
# Runs the "```sh security" blocks of docs/security.md in order, in one shell,
# from the source directory, with the variables the page lists pointed at a
# scratch directory and free ports: certificates made by deploy/make_certs.sh,
# both services started with mTLS, buf curl and newsevents_client calls. A
# block must exit 0, or, when marked "expect-failure", non-zero with
# "unavailable" or "canceled" (any case) in its output: a refused handshake;
# when marked "expect-failure WORD", non-zero with WORD in its output (e.g.
# unauthenticated, permission_denied: a refused token).
# Exits 77 (skipped) when buf is not installed.
#
#   security_walkthrough_test.sh SOURCE_DIR BINARY_DIR [NODE_MODULES]
set -uo pipefail
source_dir=$1
binary_dir=$2
buf_binary=${3:-$source_dir/tools/node_modules}/.bin/buf
if [ ! -x "$buf_binary" ]; then
  echo "SKIP: $buf_binary not installed (run deploy/setup.sh)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

python3 - "$source_dir/docs/security.md" >"$work/blocks.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"```sh security( expect-failure)?(?: (\w+))?\n(.*?)```", text, re.S)
if not blocks:
    sys.exit("no security blocks in docs/security.md")
for n, (fail, word, code) in enumerate(blocks, 1):
    print(f'echo "--- block {n}"; cat <<\'BLOCK_{n}\'\n{code}BLOCK_{n}')
    if fail:
        print(f"if {{ {code.rstrip()}\n}} >\"$WORK/out\" 2>&1; then cat \"$WORK/out\"; "
              f'echo "FAILED: block {n} succeeded but should fail"; exit 1; fi')
        print('head -c 600 "$WORK/out"; echo')
        # Refused for the documented reason, not e.g. a typo in the block.
        # (TLS 1.3: a refused client certificate may surface as "canceled".)
        expected = word or "unavailable|canceled"
        print(f'grep -Eqi "{expected}" "$WORK/out" || '
              f'{{ echo "FAILED: block {n} was not refused with {expected}"; exit 1; }}')
    else:
        print(f"{code.rstrip()}\n" f'echo "--- block {n} ok"')
PY

cd "$source_dir" || exit 1
# Services started by the blocks are this shell's jobs: stop them whatever
# happens (by their job pids only).
BUF_BINARY=$buf_binary WORK=$work DATA=$work/data INGEST=localhost:$(free_port) QUERY=localhost:$(free_port) \
  QUERY_INTERNAL=localhost:$(free_port) \
  BUILD=$binary_dir bash -c '
  set -e -o pipefail
  status=0
  stop_jobs() {
    status=$?
    pids=$(jobs -p)
    if [ -n "$pids" ]; then kill $pids 2>/dev/null; wait; fi
    exit $status
  }
  trap stop_jobs EXIT
  CERTS=$DATA/certs
  BUF="$BUF_BINARY curl --protocol grpc --timeout 20s"
  TLS="--cacert $CERTS/ca.pem --cert $CERTS/client.pem --key $CERTS/client.key"
  CLIENT_TLS="--tls_ca=$CERTS/ca.pem --tls_cert=$CERTS/client.pem --tls_key=$CERTS/client.key"
  source "$WORK/blocks.sh"
  echo "all blocks passed"'
