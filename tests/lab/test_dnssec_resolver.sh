#!/usr/bin/env bash
# check_dnssec_resolver against the lab: a validating and a non-validating
# unbound, a port nothing listens on, and a resolver that never answers.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_dnssec_resolver
blackhole=$builddir/tests/helpers/blackhole_udp

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
lab_up

V=127.0.0.1@$LAB_VALIDATING_PORT
NV=127.0.0.1@$LAB_NONVALIDATING_PORT

# run ARGS...: sets OUT (stdout), ERR (stderr), RC, TOOK (seconds)
run() {
	local errf start
	errf=$(mktemp)
	start=$(now_s)
	OUT=$("$plugin" "$@" 2>"$errf")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$errf")
	rm -f "$errf"
}

# contract: one status line for SERVICE, nothing on stderr, perfdata only there
contract() {
	local what=$1
	tap_is "$ERR" "" "$what: nothing on stderr"
	tap_like "$(printf '%s\n' "$OUT" | head -n 1)" '^DNSSEC_RESOLVER (OK|WARNING|CRITICAL|UNKNOWN) - ' \
		"$what: status line"
	tap_is "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c '|')" "0" "$what: no '|' after the first line"
}

# --- a validating resolver -------------------------------------------------
run -H "$V" -q "$LAB_SECURE_NAME"
tap_is "$RC" 0 "validating resolver: exit 0"
contract "validating resolver"
tap_like "$OUT" "^DNSSEC_RESOLVER OK - $V validates DNSSEC \\($LAB_SECURE_NAME SOA with AD in [0-9.]+ (s|ms|us)\\) \\| 'time'=[0-9.]+s;;;0$" \
	"validating resolver: status line and perfdata"
tap_like "$OUT" "^\\[OK\\] $V validates: asked $LAB_SECURE_NAME SOA, got NOERROR, 1 SOA record \\+ RRSIG, AD set" \
	"validating resolver: detail says what was asked and what came back"

run -H "$V" -q "$LAB_SECURE_NAME" -v
tap_like "$OUT" "^    \\[OK\\] $LAB_SECURE_NAME[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA" "-v shows the answer records"

run -H "$V" -q "$LAB_SECURE_A"
tap_is "$RC" 0 "validating resolver, signed name without SOA (validated NODATA): exit 0"

run -H "$V" -p "$LAB_VALIDATING_PORT" -q "$LAB_SECURE_NAME"
tap_is "$RC" 0 "-p gives the port of -H ADDR"

run -H "$V" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME"
tap_is "$RC" 0 "validating resolver rejects the tampered name: exit 0"
contract "bogus probe"
tap_like "$OUT" "\\[OK\\] $V rejects bogus data: asked $LAB_BOGUS_NAME A, got SERVFAIL; with CD: NOERROR" \
	"bogus probe: SERVFAIL explained by the CD answer"
tap_like "$OUT" "'time'=[0-9.]+s;;;0 'bogus_time'=[0-9.]+s;;;0" "bogus probe: bogus_time perfdata"
tap_like "$OUT" "bogus data rejected" "bogus probe: named in the summary"

run -H "$V" -q "$LAB_SECURE_NAME" -b "$LAB_EXPIRED_NAME"
tap_is "$RC" 0 "validating resolver rejects expired signatures: exit 0"

run -H "$V" -q "$LAB_INSECURE_NAME"
tap_is "$RC" 2 "unsigned name as -q: exit 2"
tap_like "$OUT" "does not validate DNSSEC: asked $LAB_INSECURE_NAME SOA, got .*no AD.*is $LAB_INSECURE_NAME signed" \
	"unsigned name as -q: says AD is missing and asks whether the name is signed"

run -H "$V" -q "$LAB_EXPIRED_NAME"
tap_is "$RC" 2 "bogus name as the signed name: exit 2"
tap_like "$OUT" "fails to validate the signed name $LAB_EXPIRED_NAME: .*trust anchor and clock" \
	"bogus name as the signed name: points at trust anchor and clock"

# --- algorithm coverage, Extended DNS Errors, precise times (issue 13) ------
algs="rsasha1 rsasha256 rsasha512 ecdsap256 ecdsap384 ed25519 ed448"
qs=(); for a in $algs; do qs+=(-q "alg-$a.test."); done
run -H "$V" "${qs[@]}"
tap_is "$RC" 0 "one zone per signing algorithm, validating resolver: exit 0"
contract "algorithms"
n=0
for want in "RSASHA1 (5)" "RSASHA256 (8)" "RSASHA512 (10)" "ECDSAP256SHA256 (13)" "ECDSAP384SHA384 (14)" "ED25519 (15)" "ED448 (16)"; do
	grep -qF "AD set (validated, secure), signed with $want in" <<<"$OUT" && n=$((n + 1))
done
tap_is "$n" 7 "algorithms: each line names its signing algorithm, all 7 validated"
tap_like "$OUT" "'time_alg-ed448.test.'=[0-9.]+s;;;0" "algorithms: perfdata per -q name"
# microseconds: of 7 answers at least one time is not a whole number of milliseconds
tap_cmp_lt 0 "$(grep -oE "'time[^']*'=[0-9]+\.[0-9]{4,}s" <<<"$OUT" | wc -l)" "times are measured in microseconds, not milliseconds"
run -H "127.0.0.1@$LAB_NOSHA1_PORT" -q alg-ecdsap256.test. -q alg-rsasha1.test. -q alg-rsasha256.test.
tap_is "$RC" 2 "a resolver that treats SHA-1 signatures as insecure: exit 2"
tap_like "$OUT" "^DNSSEC_RESOLVER CRITICAL - 127.0.0.1@$LAB_NOSHA1_PORT does not validate algorithm RSASHA1 \\(5\\): asked alg-rsasha1.test. SOA" \
	"SHA-1 disabled: names the algorithm the resolver does not validate"
tap_like "$OUT" "\\[OK\\] 127.0.0.1@$LAB_NOSHA1_PORT validates: asked alg-rsasha256.test. SOA" "SHA-1 disabled: the other algorithms validate"
run -H "$V" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME"
# (unbound sends the EXTRA-TEXT with the first answer only, not from its cache)
tap_like "$OUT" "rejects bogus data: .*; EDE 6 \\(DNSSEC Bogus\\)" "bogus probe: the resolver's Extended DNS Error"
run -H "$V" -q "$LAB_EXPIRED_NAME"
tap_like "$OUT" "fails to validate the signed name $LAB_EXPIRED_NAME: .*EDE (7 \\(Signature Expired\\)|6 \\(DNSSEC Bogus\\))" "expired signatures: the resolver's Extended DNS Error"
run -H "$V" -q "$LAB_SECURE_NAME" -w 0.000001
tap_is "$RC" 1 "a threshold of one microsecond fires (times are precise): exit 1"

# --- a resolver that does not validate --------------------------------------
run -H "$NV" -q "$LAB_SECURE_NAME"
tap_is "$RC" 2 "non-validating resolver: exit 2"
contract "non-validating resolver"
tap_like "$OUT" "^DNSSEC_RESOLVER CRITICAL - $NV does not validate DNSSEC: asked $LAB_SECURE_NAME SOA, got NOERROR, 1 SOA record \\+ RRSIG, no AD" \
	"non-validating resolver: status line says it does not validate"

run -H "$NV" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME"
tap_is "$RC" 2 "non-validating resolver with bogus probe: exit 2"
tap_like "$OUT" "\\[CRITICAL\\] $NV returned bogus data for $LAB_BOGUS_NAME A" \
	"non-validating resolver: bogus data returned is named"

run -H "$V" -H "$NV" -q "$LAB_SECURE_NAME"
tap_is "$RC" 2 "two resolvers, one not validating: exit 2"
tap_like "$OUT" "'time_$V'=[0-9.]+s;;;0 'time_$NV'=[0-9.]+s;;;0" "two resolvers: perfdata per resolver"
tap_is "$(printf '%s\n' "$OUT" | head -n 2 | tail -n 1 | cut -c1-10)" "[CRITICAL]" "two resolvers: worst detail line first"

# --- thresholds on response time ---------------------------------------------
run -H "$V" -q "$LAB_SECURE_NAME" -w @0:100
tap_is "$RC" 1 "-w range that the time falls in: exit 1"
tap_like "$OUT" "^DNSSEC_RESOLVER WARNING - .*response time threshold.* \\| 'time'=[0-9.]+s;@0:100;;0$" \
	"-w: WARNING with the threshold in perfdata"
run -H "$V" -q "$LAB_SECURE_NAME" -w 10 -c @0:100
tap_is "$RC" 2 "-c range that the time falls in: exit 2"
run -H "$V" -q "$LAB_SECURE_NAME" -w 10 -c 20
tap_is "$RC" 0 "thresholds not reached: exit 0"
tap_like "$OUT" "'time'=[0-9.]+s;10;20;0" "thresholds appear in perfdata"

# --- IPv6 ---------------------------------------------------------------------
if [ "${LAB_IPV6:-0}" = 1 ]; then
	run -6 -H "::1@$LAB_VALIDATING_PORT" -q "$LAB_SECURE_NAME"
	tap_is "$RC" 0 "IPv6 resolver literal ::1@PORT: exit 0"
else
	tap_diag "IPv6 loopback not available in the lab: IPv6 case not run"
fi
run -4 -H "::1@$LAB_VALIDATING_PORT"
tap_is "$RC" 3 "-4 with an IPv6 resolver: exit 3"

# --- failures of the network --------------------------------------------------
deadport=$("$blackhole" 127.0.0.1 0 </dev/null)   # binds, prints the port, exits at once
run -H "127.0.0.1@$deadport" -q "$LAB_SECURE_NAME" -t 5
tap_is "$RC" 2 "port nothing listens on: exit 2"
contract "dead port"
tap_like "$OUT" "connection refused" "dead port: says connection refused"
tap_cmp_lt "$TOOK" 5 "dead port: ends within -t ($TOOK s)"
tap_like "$OUT" "'time'=U;;;0" "dead port: time is U in perfdata"

bhfile=$(mktemp)
"$blackhole" 127.0.0.1 8 >"$bhfile" &
bhpid=$!
for _ in $(seq 50); do [ -s "$bhfile" ] && break; sleep 0.05; done
bhport=$(head -n 1 "$bhfile")
run -H "127.0.0.1@$bhport" -q "$LAB_SECURE_NAME" -t 2
tap_is "$RC" 2 "resolver that never answers: exit 2"
contract "silent resolver"
tap_like "$OUT" "^DNSSEC_RESOLVER CRITICAL - 127.0.0.1@$bhport: no answer for $LAB_SECURE_NAME SOA: timed out after 2 s while querying 127.0.0.1@$bhport for $LAB_SECURE_NAME SOA" \
	"silent resolver: timed out after N s while <stage>"
tap_cmp_lt "$TOOK" 2.5 "silent resolver: ends within -t + 0.5 s ($TOOK s)"
run -H "127.0.0.1@$bhport" -H "$V" -q "$LAB_SECURE_NAME" -t 2
tap_is "$RC" 2 "silent and good resolver together: exit 2"
tap_like "$OUT" "\\[OK\\] $V validates" "silent and good resolver together: the good one is still reported"
kill "$bhpid" 2>/dev/null; wait "$bhpid" 2>/dev/null; rm -f "$bhfile"

# --- the command line ----------------------------------------------------------
run -h
tap_is "$RC" 3 "-h: exit 3"
tap_like "$OUT" "^Usage: check_dnssec_resolver" "-h: usage"
tap_like "$OUT" "-b, --bogus=NAME" "-h: plugin options"
tap_like "$OUT" "^Examples:" "-h: examples"
run -V
tap_is "$RC" 3 "-V: exit 3"
tap_like "$OUT" "^check_dnssec_resolver \\(monitoring-plugins-dane\\) [0-9]" "-V: version line"
run --bogus
tap_is "$RC" 3 "missing argument: exit 3"
contract "missing argument"
run -x
tap_is "$RC" 3 "unknown option: exit 3"
tap_like "$OUT" "^DNSSEC_RESOLVER UNKNOWN - unknown option '-x'" "unknown option: named"
tap_like "$OUT" "Usage: check_dnssec_resolver" "unknown option: short usage"
run -H "$V" -t 0
tap_is "$RC" 3 "invalid -t: exit 3"
run -H "$V" -w abc
tap_is "$RC" 3 "invalid -w: exit 3"
tap_like "$OUT" "invalid threshold range 'abc'" "invalid -w: clear message"
run -H "not-an-address"
tap_is "$RC" 3 "resolver that is no address literal: exit 3"
run -H "$V" -q "a..b"
tap_is "$RC" 3 "invalid -q name: exit 3"

tap_done
