#!/usr/bin/env bash
# Each plugin under valgrind (memcheck) in at least one good and
# one failing lab scenario (issue 7). Fails on any valgrind error: invalid
# reads/writes, uninitialised values, bad frees, and "definitely lost" leaks
# ("still reachable" memory of OpenSSL/ldns globals is fine). The plugins must
# also keep their output contract (lib.sh) and exit code under valgrind.
# Slow (valgrind): run by scripts/valgrind-check, not by make check.
# DNS: the lab (nsd + validating unbound); SMTP: tests/hostile/hostile_smtp.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lab/tap.sh"
. "$here/lib.sh"
builddir=${top_builddir:-$here/../..}
peer=$builddir/tests/hostile/hostile_smtp
key=$here/hostile.key
T=${VALGRIND_TIMEOUT:-30}    # valgrind is 20-50 times slower: a generous -t
LIMIT=$((T * 1000 + 2000))   # ms; and valgrind's own start and leak check
export HOSTILE_KILL_AFTER=$((T + 60))

command -v valgrind >/dev/null 2>&1 || tap_skip_all "valgrind not installed (apt-get install valgrind)"
for p in check_dnssec_resolver check_tlsa check_dane_smtp check_dane_rollover check_tlsrpt check_mta_sts; do
	[ -x "$builddir/plugins/$p" ] || { echo "Bail out! $builddir/plugins/$p not built"; exit 1; }
done
[ -x "$peer" ] || tap_skip_all "$peer not built (make check builds it)"
export LAB_SMTP=${LAB_SMTP:-0}
lab_up
V=127.0.0.1@$LAB_VALIDATING_PORT
N=127.0.0.1@$LAB_NONVALIDATING_PORT
work=$(mktemp -d "${TMPDIR:-/tmp}/hostile-vg.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --track-origins=yes --num-callers=30)

# vg NAME SERVICE EXPECTED_RC [MODE] -- PLUGIN ARGS...: the plugin under valgrind,
# with a hostile_smtp peer in MODE (its port replaces @PORT@ in ARGS) when given
vg() {
	local name=$1 service=$2 want=$3 mode=$4 pid="" port="" errs="" log a
	local -a args=()
	shift 5
	if [ "$mode" != - ]; then
		rm -f "$work/port" # not the last run's port: the redirection below is asynchronous
		"$peer" -l $((T + 30)) -k "$key" "${PEER_ADDR:-127.0.4.1}" 0 "$mode" >"$work/port" 2>"$work/peer.err" &
		pid=$!
		if ! port=$(hostile_wait_port "$work/port"); then
			_tap_result 1 "$name: peer started"
			tap_diag "$(cat "$work/peer.err")"
			hostile_stop "$pid"
			return 0
		fi
	fi
	for a in "$@"; do args+=("${a//@PORT@/$port}"); done
	rm -f "$work"/vg.*
	hostile_run "$work/out" "$work/err" "${VG[@]}" --log-file="$work/vg.%p" "${args[@]}"
	[ -z "$pid" ] || hostile_stop "$pid"
	log=$(cat "$work"/vg.* 2>/dev/null)
	if [ "$RC" = 99 ]; then
		_tap_result 1 "$name: no valgrind errors"
	else
		errs=$(grep -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|Invalid (read|write|free)|uninitialised|Mismatched free' <<<"$log" | head -n 5)
		if [ -z "$errs" ]; then _tap_result 0 "$name: no valgrind errors"; else _tap_result 1 "$name: no valgrind errors"; fi
	fi
	if [ "$RC" = 99 ] || [ -n "${errs:-}" ]; then
		tap_diag "valgrind says:" "$(head -n 80 <<<"$log")"
		RC=$want # the error is reported once; the contract checks go on
	fi
	hostile_assert "$name" "$service" "$work/out" "$work/err" "$RC" "$TOOK" "$LIMIT" "$want"
	[ "$RC" = "$want" ] || tap_diag "output:" "$(cat -v "$work/out")"
	return 0
}

P=$builddir/plugins
vg "check_dnssec_resolver, validating resolver" DNSSEC_RESOLVER 0 - -- \
	"$P/check_dnssec_resolver" -H "$V" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME" -t "$T"
vg "check_dnssec_resolver, non-validating resolver" DNSSEC_RESOLVER 2 - -- \
	"$P/check_dnssec_resolver" -H "$N" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME" -t "$T"
vg "check_tlsa, secure TLSA" TLSA 0 - -- \
	"$P/check_tlsa" -r "$V" -H peer.hostile.test -t "$T" -vv
vg "check_tlsa, bogus MX" TLSA 2 - -- \
	"$P/check_tlsa" -r "$V" -D "$LAB_BOGUS_NAME" -t "$T"
vg "check_tlsa, insecure domain" TLSA 2 - -- \
	"$P/check_tlsa" -r "$V" -D insecure.test -t "$T" -v
vg "check_tlsa, non-validating resolver (UNKNOWN naming it)" TLSA 3 - -- \
	"$P/check_tlsa" -r "$N" -D hostile.test -t "$T" -v
# --validate=local (issue 22): libunbound's worker thread, its contexts, its answers
L=(--validate=local --trust-anchor "$LAB_TRUST_ANCHOR")
vg "check_tlsa --validate=local, secure TLSA" TLSA 0 - -- \
	"$P/check_tlsa" -r "$N" "${L[@]}" -H peer.hostile.test -t "$T" -vv
vg "check_tlsa --validate=local, bogus TLSA" TLSA 2 - -- \
	"$P/check_tlsa" -r "$N" "${L[@]}" -D tlsa-bogus.test -t "$T"
vg "check_tlsa --validate=local, insecure domain" TLSA 2 - -- \
	"$P/check_tlsa" -r "$N" "${L[@]}" -D insecure.test -t "$T" -v
vg "check_dnssec_resolver --validate=local --root-key, two resolvers" DNSSEC_RESOLVER 2 - -- \
	"$P/check_dnssec_resolver" -H "$V" -H "$N" -q sentinel.test. -b "$LAB_BOGUS_NAME" \
	--root-key 38696 "${L[@]}" -t "$T"
vg "check_dane_smtp --validate=local, DANE-EE peer" DANE_SMTP 0 good -- \
	"$P/check_dane_smtp" -r "$N" "${L[@]}" -H peer.hostile.test -p @PORT@ -t "$T"
vg "check_dane_smtp, DANE-EE peer" DANE_SMTP 0 good -- \
	"$P/check_dane_smtp" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T" -v
vg "check_dane_smtp, 50 certificates, wrong key" DANE_SMTP 2 chain50-wrongkey -- \
	"$P/check_dane_smtp" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T"
vg "check_dane_smtp, garbage after STARTTLS" DANE_SMTP 2 starttls-garbage -- \
	"$P/check_dane_smtp" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T"
LIMIT=10000 vg "check_dane_smtp, peer never greets (deadline -t 8)" DANE_SMTP 2 silent -- \
	"$P/check_dane_smtp" -r "$V" -H peer.hostile.test -p @PORT@ -t 8
vg "check_dane_rollover, DANE-EE peer" DANE_ROLLOVER 0 good -- \
	"$P/check_dane_rollover" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T" -w 30 -c 10
vg "check_dane_rollover, expired certificate" DANE_ROLLOVER 2 expired -- \
	"$P/check_dane_rollover" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T"
vg "check_dane_rollover, --next-key not published" DANE_ROLLOVER 2 good -- \
	"$P/check_dane_rollover" -r "$V" -H peer.hostile.test -p @PORT@ -t "$T" \
	--next-key "$here/../data/next.key"
# check_tlsrpt: a report directory with hostile files, a Maildir (base64 gzip part)
rd=$work/tlsrpt md=$work/Maildir day=$(date -u -d yesterday +%Y-%m-%d)
mkdir -p "$rd" "$md/cur" "$md/new"
report() { # DOMAIN MX-HOST OK FAILED
	printf '{"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"%sT00:00:00Z","end-datetime":"%sT23:59:59Z"},"report-id":"%s","policies":[{"policy":{"policy-type":"tlsa","policy-string":["3 1 1 0b0b"],"policy-domain":"%s","mx-host":"%s"},"summary":{"total-successful-session-count":%s,"total-failure-session-count":%s},"failure-details":[{"result-type":"tlsa-invalid","receiving-mx-hostname":"%s","receiving-ip":"127.0.3.2","failed-session-count":%s}]}]}' \
		"$day" "$day" "$1" "$1" "$2" "$3" "$4" "$2" "$4"
}
report tlsa-good.test mx2.tlsa-good.test 722 97 | gzip >"$rd/microsoft.com!tlsa-good.test!1!2.json.gz"
head -c $((16 * 1024 * 1024)) /dev/zero | gzip >"$rd/bomb.json.gz"
{ printf '%.0s[' $(seq 5000); printf '%.0s]' $(seq 5000); } >"$rd/deep.json"
{
	printf 'From: a@b\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary=b\n\n'
	printf -- '--b\nContent-Type: text/plain\n\nreport\n--b\nContent-Type: application/tlsrpt+gzip\n'
	printf 'Content-Transfer-Encoding: base64\n\n'
	report tlsa-good.test mx1.tlsa-good.test 100 0 | gzip | base64
	printf -- '--b--\n'
} >"$md/new/1.M1.host"
printf 'From: a@b\nSubject: spam\n\nbuy\n' >"$md/cur/2.M2.host:2,S"
vg "check_tlsrpt, tlsa-invalid with a gzip bomb and a deep array" TLSRPT 2 - -- \
	"$P/check_tlsrpt" -r "$V" -d "$rd" -D tlsa-good.test -t "$T" -v
vg "check_tlsrpt, Maildir, no failures" TLSRPT 0 - -- \
	"$P/check_tlsrpt" -r "$V" -d "$md" -D tlsa-good.test -t "$T" -v

# check_mta_sts (issue 20): the lab's MTA-STS zone, its policy server started here
# (tests/helpers/https_policy, the lab's certificate), a hostile_smtp peer as the MX
# (mx.good.sts.test is 127.0.2.1: PEER_ADDR); libcurl, the WebPKI verifier, the parsers
https=$builddir/tests/helpers/https_policy
if [ -x "$https" ] && [ -n "${LAB_STS_ZONE:-}" ]; then
	"$https" -t $((10 * T)) -c "$LAB_CERTS/sts-web.keychain.pem" -d "$here/../lab/mta-sts" \
		"${LAB_STS_WEB_ADDR:-127.0.2.10}" 0 >"$work/https.port" 2>"$work/https.err" &
	https_pid=$!
	if hp=$(hostile_wait_port "$work/https.port"); then
		M=("$P/check_mta_sts" -r "$V" --ca-file "$LAB_STS_CA_PEM" --policy-port "$hp" -t "$T")
		vg "check_mta_sts, no policy" MTA_STS 0 - -- "${M[@]}" -D "nosts.$LAB_STS_ZONE"
		PEER_ADDR=127.0.2.1 vg "check_mta_sts, policy fetched, the MX's chain fails both" MTA_STS 2 good -- \
			"${M[@]}" -D "enforce.$LAB_STS_ZONE" -p @PORT@ -v
		PEER_ADDR=127.0.2.1 vg "check_mta_sts, unsigned domain, expired MX certificate" MTA_STS 2 expired -- \
			"${M[@]}" -D "$LAB_STS_UNSIGNED_DOMAIN" -p @PORT@
		vg "check_mta_sts, endless headers" MTA_STS 2 - -- "${M[@]}" -D "endless.$LAB_STS_ZONE" -p 1
		vg "check_mta_sts, 10,000 mx lines" MTA_STS 2 - -- "${M[@]}" -D "manymx.$LAB_STS_ZONE" -p 1
		vg "check_mta_sts, a redirect" MTA_STS 2 - -- "${M[@]}" -D "redirect.$LAB_STS_ZONE" -p 1
	else
		_tap_result 1 "https_policy started"
		tap_diag "$(cat "$work/https.err")"
	fi
	hostile_stop "$https_pid"
else
	_tap_result 1 "check_mta_sts: tests/helpers/https_policy built and the lab's MTA-STS zone"
fi

rm -rf "$work"
tap_diag "$HOSTILE_CASES plugin runs under valgrind"
tap_done
