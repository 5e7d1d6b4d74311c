#!/bin/sh
# make-certs.sh -- regenerate the fixed test certificates and keys used by
# the unit tests (tests/unit/testdata.c), and the expected TLSA association
# data (*.hex), computed independently of the code under test with the
# openssl CLI.
#
# Usage: tests/data/make-certs.sh [DIR]   (DIR: where to write, default: here)
#
# Everything is replaced: new keys, new certificates, new digests (the test
# reads the digests from the *.hex files, so it keeps passing). Needs only
# the openssl command (OpenSSL 3.0 or later). See README.md for the list.
set -eu

dir=${1:-$(cd "$(dirname "$0")" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$dir"

# Fixed validity: from well before any plausible clock to 100 years on
# (about 36500 days), so that the tests do not depend on when they run.
# "openssl x509 -req" of OpenSSL 3.0 has -days but no -not_before/-not_after,
# so every certificate is issued by "openssl ca" with -startdate/-enddate.
start=20200101000000Z
end=21200101000000Z

mkdir "$tmp/ca"
: >"$tmp/ca/index.txt"
echo 1000 >"$tmp/ca/serial"
cat >"$tmp/ca.cnf" <<CNF
[ca]
default_ca = lab

[lab]
dir = $tmp/ca
database = $tmp/ca/index.txt
serial = $tmp/ca/serial
new_certs_dir = $tmp/ca
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
preserve = yes

[anything]
organizationName = optional
commonName = supplied

[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:\${ENV::LEAF_NAME}
CNF

ec_key() {
	openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# issue OUT KEY CN EXTENSIONS START END [CA-CERT CA-KEY]: a certificate for
# KEY with subject "O=DANE Lab, CN=CN", self-signed when no CA is given.
# The subjectAltName of the "leaf" extensions is DNS:$LEAF_NAME.
issue() {
	out=$1 key=$2 cn=$3 ext=$4 from=$5 to=$6
	if [ $# -ge 8 ]; then
		set -- -cert "$7" -keyfile "$8"
	else
		set -- -selfsign -keyfile "$key"
	fi
	openssl req -new -key "$key" -subj "/O=DANE Lab/CN=$cn" -out "$tmp/req.csr"
	openssl ca -batch -config "$tmp/ca.cnf" -extensions "$ext" -startdate "$from" \
	    -enddate "$to" -notext -in "$tmp/req.csr" -out "$out" "$@" 2>"$tmp/ca.log" ||
	    { cat "$tmp/ca.log" >&2; exit 1; }
}
LEAF_NAME=none
export LEAF_NAME

# The lab root CA (self-signed) and an intermediate CA signed by it.
ec_key root.key
issue root.pem root.key "DANE Lab Root CA" root "$start" "$end"
ec_key inter.key
issue inter.pem inter.key "DANE Lab Intermediate CA" inter "$start" "$end" root.pem root.key

# Server certificates from the intermediate, with their chain files (leaf,
# then intermediate: what a server sends; the root is not sent).
ec_key mx1.key
LEAF_NAME=mx1.example.test
issue mx1.pem mx1.key mx1.example.test leaf "$start" "$end" inter.pem inter.key
cat mx1.pem inter.pem >mx1-chain.pem

ec_key other.key
LEAF_NAME=other.example.test
issue other.pem other.key other.example.test leaf "$start" "$end" inter.pem inter.key
cat other.pem inter.pem >other-chain.pem

# An expired certificate for mx1.example.test: valid during 2020 only.
ec_key expired.key
LEAF_NAME=mx1.example.test
issue expired.pem expired.key mx1.example.test leaf 20200101000000Z 20210101000000Z \
    inter.pem inter.key
cat expired.pem inter.pem >expired-chain.pem

# A self-signed RSA-2048 server certificate.
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
LEAF_NAME=rsa.example.test
issue rsa.pem rsa.key rsa.example.test leaf "$start" "$end"

# A spare "next" key (as staged for a key rollover) and its public key.
ec_key next.key
openssl pkey -in next.key -pubout -out next.pub.pem

# Expected TLSA association data, hex, computed with the CLI only:
# NAME.spki-sha256.hex = "x 1 1", NAME.spki-sha512.hex = "x 1 2",
# NAME.cert-sha256.hex = "x 0 1".
spki() { openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER; }
cert() { openssl x509 -in "$1" -outform DER; }
hexof() { od -An -v -tx1 | tr -d ' \n'; echo; }
for c in root inter mx1 other expired rsa; do
	spki "$c.pem" | openssl dgst -sha256 -binary | hexof >"$c.spki-sha256.hex"
	spki "$c.pem" | openssl dgst -sha512 -binary | hexof >"$c.spki-sha512.hex"
	cert "$c.pem" | openssl dgst -sha256 -binary | hexof >"$c.cert-sha256.hex"
done
openssl pkey -pubin -in next.pub.pem -outform DER | openssl dgst -sha256 -binary |
    hexof >next.spki-sha256.hex

chmod 644 ./*.pem ./*.key ./*.hex
