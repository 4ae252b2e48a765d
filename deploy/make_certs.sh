#!/bin/sh
# Makes a local certificate authority and the certificates for a secure local
# setup (docs/security.md), with Debian's openssl. Also used by the tests.
#
#   deploy/make_certs.sh DIR
#       DIR/ca.pem, DIR/ca.key       the CA (made once; reused when present)
#       DIR/query.pem, query.key     query_service  (server + client auth)
#       DIR/ingest.pem, ingest.key   ingest_service (server + client auth: it
#                                    is also query_service's client)
#       DIR/client.pem, client.key   a client such as newsevents_client
#     Every service certificate names localhost and 127.0.0.1. Re-running
#     issues new certificates (new keys) from the same CA; each file is
#     replaced by a rename, so running services reload them (docs/security.md).
#
#   deploy/make_certs.sh --expired DIR NAME
#       DIR/NAME.pem, NAME.key: a client certificate from DIR's CA that was
#       valid only from 2020-01-01 to 2020-01-02 (for tests of expiry).
#
# Environment: CERT_DAYS (default 825) is the validity of new certificates,
# CA_DAYS (default 3650) that of a new CA. Keys are ECDSA P-256, unencrypted:
# keep DIR readable only by the services' user.
set -eu

usage() {
  echo "usage: $0 DIR | $0 --expired DIR NAME" >&2
  exit 2
}

CERT_DAYS=${CERT_DAYS:-825}
CA_DAYS=${CA_DAYS:-3650}
SAN="subjectAltName=DNS:localhost,IP:127.0.0.1"

# new_key_and_csr NAME CN: NAME.key.new and NAME.csr in $DIR.
new_key_and_csr() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$DIR/$1.key.new" -out "$DIR/$1.csr" -subj "/CN=$2" 2>/dev/null
  chmod 600 "$DIR/$1.key.new"
}

# install NAME: moves NAME.key.new and NAME.pem.new into place (key first, so
# the pair is consistent again as soon as the certificate lands).
install_pair() {
  mv -f "$DIR/$1.key.new" "$DIR/$1.key"
  mv -f "$DIR/$1.pem.new" "$DIR/$1.pem"
  rm -f "$DIR/$1.csr" "$DIR/$1.ext"
}

# issue NAME CN USAGE [SAN]: a certificate signed by the CA.
issue() {
  new_key_and_csr "$1" "$2"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$3"
    if [ $# -ge 4 ]; then echo "$4"; fi
  } >"$DIR/$1.ext"
  openssl x509 -req -in "$DIR/$1.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$CERT_DAYS" -sha256 \
    -extfile "$DIR/$1.ext" -out "$DIR/$1.pem.new" 2>/dev/null
  install_pair "$1"
}

make_ca() {
  if [ -f "$DIR/ca.pem" ] && [ -f "$DIR/ca.key" ]; then return; fi
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" -days "$CA_DAYS" -sha256 \
    -subj "/CN=newsevents local CA $(openssl rand -hex 4)" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$DIR/ca.key"
}

# issue_expired NAME: uses `openssl ca`, the one Debian 12 (OpenSSL 3.0)
# command that sets a start date in the past.
issue_expired() {
  new_key_and_csr "$1" "$1"
  db=$(mktemp -d)
  : >"$db/index.txt"
  echo 01 >"$db/serial"
  cat >"$db/ca.cnf" <<EOF
[ca]
default_ca = local
[local]
database = $db/index.txt
new_certs_dir = $db
serial = $db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[ext]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = clientAuth,serverAuth
$SAN
EOF
  openssl ca -batch -config "$db/ca.cnf" -cert "$DIR/ca.pem" \
    -keyfile "$DIR/ca.key" -in "$DIR/$1.csr" -out "$DIR/$1.pem.new" \
    -startdate 20200101000000Z -enddate 20200102000000Z -extensions ext \
    -notext 2>/dev/null
  rm -rf "$db"
  install_pair "$1"
}

if [ $# -eq 3 ] && [ "$1" = "--expired" ]; then
  DIR=$2
  [ -f "$DIR/ca.key" ] || { echo "$0: no CA in $DIR" >&2; exit 1; }
  issue_expired "$3"
  echo "made expired certificate $DIR/$3.pem"
  exit 0
fi
[ $# -eq 1 ] || usage
case "$1" in -*) usage ;; esac
DIR=$1
mkdir -p "$DIR"
make_ca
issue query query_service serverAuth,clientAuth "$SAN"
issue ingest ingest_service serverAuth,clientAuth "$SAN"
issue client newsevents_client clientAuth
echo "certificates in $DIR: ca.pem, query.{pem,key}, ingest.{pem,key}, client.{pem,key}"
