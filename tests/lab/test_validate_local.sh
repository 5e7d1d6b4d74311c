#!/usr/bin/env bash
# --validate=local (issue 22): every DANE plugin validates DNSSEC itself (libunbound)
# through the lab's non-validating resolver and must come to the same verdicts (exit
# code, finding codes and states, perfdata but time) as through the validating one;
# --recursive --root-hints from the lab's root; a forwarder that strips signatures; a
# resolver that cannot reach the parent of a zone (no guess from a failed DS lookup);
# the root key sentinel (RFC 8509) of check_dnssec_resolver; and the second opinion.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
pl=$builddir/plugins
helpers=$builddir/tests/helpers
py=/usr/bin/python3

for p in check_dnssec_resolver check_tlsa check_dane_smtp check_dane_rollover; do
	[ -x "$pl/$p" ] || { echo "Bail out! $p not built"; exit 1; }
done
[ -x "$helpers/strip_dns" ] || { echo "Bail out! tests/helpers/strip_dns not built (make check)"; exit 1; }
lab_up

V=127.0.0.1@$LAB_VALIDATING_PORT
NV=127.0.0.1@$LAB_NONVALIDATING_PORT
LOCAL=(--validate=local --trust-anchor "$LAB_TRUST_ANCHOR")
P=${LAB_SMTP_PORT:-25}
work=$(mktemp -d)

# run PLUGIN ARGS...: sets OUT, ERR, RC, TOOK
run() {
	local plugin=$1 start
	shift
	start=$(now_s)
	OUT=$("$pl/$plugin" "$@" 2>"$work/err")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$work/err")
}

# verdict FILE: the findings of a JSON document, "STATE code" depth-first, and the
# perfdata but times: what must not depend on where the validation came from
verdict() {
	"$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
def walk(fs, depth):
    for f in fs:
        print("  " * depth + f["state"] + " " + f["code"])
        walk(f["findings"], depth + 1)
print(d["state"], d["exit_code"])
walk(d["findings"], 0)
for p in d["perfdata"]:
    if not p["label"].endswith("time") and p["label"] != "cert_expiry_days":
        print("perf", p["label"], p["value"])
' "$1"
}

# same NAME PLUGIN ARGS...: PLUGIN ARGS through the validating resolver, and with
# --validate=local through the non-validating one: the same verdicts
same() {
	local name=$1 plugin=$2
	shift 2
	run "$plugin" --output-format=json -r "$V" "$@"
	printf '%s\n' "$OUT" >"$work/resolver.json"
	local rc=$RC
	run "$plugin" --output-format=json -r "$NV" "${LOCAL[@]}" "$@"
	printf '%s\n' "$OUT" >"$work/local.json"
	tap_is "$RC" "$rc" "$name: the same exit code as through a validating resolver ($rc)"
	tap_is "$ERR" "" "$name: nothing on stderr"
	if [ -x "$py" ]; then
		tap_is "$(verdict "$work/local.json")" "$(verdict "$work/resolver.json")" \
			"$name: the same findings and perfdata"
	fi
}

# --- every DANE plugin, through the non-validating resolver ------------------------------
for d in tlsa-good tlsa-bogus tlsa-insecure tlsa-wrongds smtp-sigexp tlsa-cname island tlsa-nullmx; do
	same "check_tlsa -D $d.test" check_tlsa -D "$d.test"
done
run check_tlsa -r "$NV" "${LOCAL[@]}" -D tlsa-good.test
tap_is "$RC" 0 "check_tlsa --validate=local -r <non-validating> -D <signed domain>: exit 0"
tap_like "$OUT" "^TLSA OK - tlsa-good.test.: 2 MX hosts, all with usable DNSSEC-secure TLSA records" \
	"a signed domain: the words of a validating resolver"
run check_tlsa -r "$NV" "${LOCAL[@]}" -D tlsa-bogus.test
tap_is "$RC" 2 "a bogus domain: exit 2"
tap_like "$OUT" "^TLSA CRITICAL - .*TLSA at _25._tcp.mx.tlsa-bogus.test. does not validate \\(bogus\\): DANE senders defer mail; validated here: validation failure <_25._tcp.mx.tlsa-bogus.test. TLSA IN>: .*signature" \
	"a bogus domain: the reason, libunbound's why_bogus"
run check_tlsa -r "$NV" "${LOCAL[@]}" -D tlsa-wrongds.test
tap_like "$OUT" "MX records do not validate \\(bogus\\).*DS hash mismatches key" "a wrong DS: says so"
run check_tlsa -r "$NV" "${LOCAL[@]}" -D tlsa-insecure.test
tap_like "$OUT" "domain is not DNSSEC-signed: DANE cannot apply \\(the MX RRset is not signed \\(validated here\\)\\)" \
	"an unsigned domain: not signed, validated here (no resolver to blame)"
run check_tlsa -r "$NV" "${LOCAL[@]}" -D island.test
tap_like "$OUT" "the zone island.test. is signed but has no DS at its parent: an island of security" \
	"an island, validated here: named as the zone"
run check_tlsa -r "$NV" "${LOCAL[@]}" -D tlsa-good.test -v --output-format=json
tap_unlike "$OUT" "resolver\\.(not_validating|no_dnssec_data)" "a good domain: no resolver finding"
if [ "${LAB_AUTH:-0}" = 1 ]; then
	same "check_tlsa -A -D agree.test" check_tlsa -A -D agree.test
	same "check_tlsa -A -D drift.test" check_tlsa -A -D drift.test
fi

if [ "${LAB_SMTP:-0}" = 1 ]; then
	for d in "$LAB_DANE_EE_DOMAIN" "$LAB_WRONG_DIGEST_DOMAIN" "$LAB_SIG_EXPIRING_DOMAIN" tlsa-bogus.test tlsa-wrongds.test; do
		same "check_dane_smtp -D $d" check_dane_smtp -p "$P" -D "$d"
	done
	for d in "$LAB_DANE_EE_DOMAIN" "$LAB_SIG_EXPIRING_DOMAIN" "$LAB_NO_NEXT_DOMAIN"; do
		same "check_dane_rollover -D $d" check_dane_rollover -p "$P" -D "$d"
	done
	run check_dane_rollover -r "$NV" "${LOCAL[@]}" -p "$P" -D "$LAB_SIG_EXPIRING_DOMAIN"
	tap_is "$RC" 1 "check_dane_rollover, expiring signatures validated here: WARNING"
	tap_like "$OUT" "DNSSEC signatures on the MX RRset expire .* \\(3\\.0 days\\)" \
		"check_dane_rollover: the signatures' expiry from libunbound's answers"
else
	tap_diag "no SMTP servers in this lab (${LAB_SMTP_WHY:-}): check_dane_smtp and check_dane_rollover left out"
fi

# --- --recursive: from the lab's root (port 53 of LAB_ROOT53) ----------------------------
if [ -n "${LAB_ROOT53:-}" ]; then
	REC=(--validate=local --recursive --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_ROOT_ANCHOR")
	for d in tlsa-good tlsa-bogus tlsa-insecure tlsa-wrongds smtp-sigexp; do
		run check_tlsa --output-format=json -r "$V" -D "$d.test"
		printf '%s\n' "$OUT" >"$work/resolver.json"
		rc=$RC
		run check_tlsa --output-format=json "${REC[@]}" -D "$d.test"
		printf '%s\n' "$OUT" >"$work/local.json"
		tap_is "$RC" "$rc" "--recursive, $d: the same exit code ($rc)"
		tap_is "$ERR" "" "--recursive, $d: nothing on stderr"
		[ ! -x "$py" ] || tap_is "$(verdict "$work/local.json")" "$(verdict "$work/resolver.json")" \
			"--recursive, $d: the same findings"
	done
	run check_tlsa "${REC[@]}" -D tlsa-bogus.test
	tap_like "$OUT" "validated here: validation failure <_25._tcp.mx.tlsa-bogus.test. TLSA IN>: .* from $LAB_ROOT53" \
		"--recursive: asked the lab's authoritative servers"
	if [ "${LAB_SMTP:-0}" = 1 ]; then
		run check_dane_smtp "${REC[@]}" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
		tap_is "$RC" 0 "--recursive, check_dane_smtp: exit 0"
	fi
	run check_dnssec_resolver -H "$NV" -q secure.test. --validate=local --recursive --root-hints "$LAB_ROOT_HINTS" --trust-anchor "$LAB_ROOT_ANCHOR"
	tap_like "$OUT" "says secure.test. SOA is insecure, local validation says secure" \
		"check_dnssec_resolver --recursive: a second opinion independent of the resolver"
else
	tap_diag "no lab root on port 53 (not root): the --recursive cases are left out"
fi

# --- a forwarder that strips DNSSEC data ----------------------------------------------------
"$helpers/strip_dns" 127.0.0.1 127.0.0.1 "$LAB_NONVALIDATING_PORT" 60 >"$work/strip.port" </dev/null &
for _ in $(seq 50); do [ -s "$work/strip.port" ] && break; sleep 0.05; done
SD=127.0.0.1@$(head -n 1 "$work/strip.port")
run check_tlsa -r "$SD" "${LOCAL[@]}" -D tlsa-good.test
tap_is "$RC" 3 "a forwarder that strips signatures: UNKNOWN"
tap_like "$OUT" "^TLSA UNKNOWN - tlsa-good.test.: the resolver $SD does not pass DNSSEC data \\(its answer to the DNSKEY query of test. came without signatures \\(RRSIG\\)\\); use --validate=local --recursive" \
	"a forwarder that strips signatures: named, with what to do"
tap_unlike "$OUT" "bogus" "a forwarder that strips signatures: the domain is not called bogus"
tap_is "$ERR" "" "a forwarder that strips signatures: nothing on stderr"
run check_dane_smtp -r "$SD" "${LOCAL[@]}" -p "$P" -D tlsa-good.test
tap_is "$RC" 3 "check_dane_smtp through it: UNKNOWN"
run check_dnssec_resolver -H "$SD" -q secure.test. "${LOCAL[@]}"
tap_is "$RC" 2 "check_dnssec_resolver --validate=local: a resolver without DNSSEC data is CRITICAL"
tap_like "$OUT" "\\[CRITICAL\\] $SD does not pass DNSSEC data \\(its answer to the DNSKEY query of test. came without signatures" \
	"check_dnssec_resolver: says what it strips"

# --- no guess from a failed DS lookup ---------------------------------------------------
NP=127.0.0.1@$LAB_NOPARENT_PORT
run check_tlsa -r "$NP" -D tlsa-good.test
tap_is "$RC" 3 "a resolver that cannot reach the parent: UNKNOWN, as for a timeout"
tap_like "$OUT" "^TLSA UNKNOWN - tlsa-good.test.: whether the resolver $NP validates DNSSEC could not be told \\(the DS query of tlsa-good.test. failed: SERVFAIL" \
	"the failed DS lookup is named"
tap_unlike "$OUT" "island of security|not DNSSEC-signed: DANE" "no island concluded from a failed lookup"
run check_tlsa -r "$NP" -D tlsa-good.test --output-format=json
tap_like "$OUT" '"code":"resolver.trust_undetermined"' "JSON: resolver.trust_undetermined"
tap_unlike "$OUT" '"code":"mx.island_of_security"' "JSON: no mx.island_of_security"
if [ "${LAB_SMTP:-0}" = 1 ]; then
	run check_dane_smtp -r "$NP" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
	tap_is "$RC" 3 "check_dane_smtp through it: UNKNOWN"
fi

# --- the root key sentinel (RFC 8509) -----------------------------------------------------
RV=127.0.0.1@$LAB_ROOT_VALIDATING_PORT
run check_dnssec_resolver -H "$RV" -q sentinel.test. --root-key "$LAB_ROOT_KEY_TAG"
tap_is "$RC" 0 "sentinel, the lab's root key: exit 0"
tap_like "$OUT" "^\\[OK\\] $RV trusts root key $LAB_ROOT_KEY_TAG \\(root key sentinel, RFC 8509: root-key-sentinel-is-ta-$(printf '%05d' "$LAB_ROOT_KEY_TAG").sentinel.test. answered" \
	"sentinel: the lab resolver trusts the lab's root key (five-digit tag in the label)"
tap_like "$OUT" "trusts root key $LAB_ROOT_KEY_TAG\\)" "sentinel: named in the summary"
run check_dnssec_resolver -H "$RV" -q sentinel.test. --root-key 38696
tap_is "$RC" 2 "sentinel, KSK-2024 against the lab resolver: CRITICAL"
tap_like "$OUT" "^DNSSEC_RESOLVER CRITICAL - $RV does not trust root key 38696 \\(KSK-2024\\): its trust anchor is out of date" \
	"sentinel: does not trust KSK-2024"
run check_dnssec_resolver -H "$V" -q sentinel.test. --root-key "$LAB_ROOT_KEY_TAG"
tap_is "$RC" 2 "sentinel: a resolver whose anchor is test.'s DS does not trust the root key"
run check_dnssec_resolver -H "$NV" -q sentinel.test. --root-key 38696 -b "$LAB_BOGUS_NAME"
tap_like "$OUT" "\\[OK\\] $NV does not support the root key sentinel \\(RFC 8509\\)" \
	"sentinel: a resolver without it gets a note, not an alarm"
run check_dnssec_resolver -H "$RV" -q secure.test. --root-key 38696
tap_is "$RC" 2 "sentinel under a signed name without a wildcard: unbound answers the denial, not trusted"
run check_dnssec_resolver -H "$RV" -q insecure.test. --root-key 38696
tap_like "$OUT" "\\[WARNING\\] $RV: the root key sentinel for root key 38696 \\(KSK-2024\\) proves nothing: .*use a signed -q name with a wildcard A record" \
	"sentinel under an unsigned name: proves nothing, says what to do"
run check_dnssec_resolver -H "$RV" -q sentinel.test.
tap_unlike "$OUT" "root key" "no --root-key: no sentinel queries (existing service definitions keep their verdicts)"

# --- check_dnssec_resolver's second opinion ---------------------------------------------
run check_dnssec_resolver -H "$V" -q secure.test. -b "$LAB_BOGUS_NAME" "${LOCAL[@]}" -v
tap_is "$RC" 0 "second opinion, validating resolver: exit 0"
tap_like "$OUT" "^DNSSEC_RESOLVER OK - $V validates DNSSEC \\(.*, bogus data rejected, local validation agrees\\)" \
	"second opinion: the summary says local validation agrees"
tap_like "$OUT" "^    \\[OK\\] local validation agrees: NOERROR, the data does not validate \\(bogus, validated here: validation failure <$LAB_BOGUS_NAME A IN>" \
	"second opinion: -v shows it per answer, with libunbound's why"
run check_dnssec_resolver -H "$V" -q secure.test. "${LOCAL[@]}"
tap_unlike "$OUT" "local validation agrees:" "second opinion: agreement only from -v on"
run check_dnssec_resolver -H "$NV" -q secure.test. -b "$LAB_BOGUS_NAME" "${LOCAL[@]}"
tap_is "$RC" 2 "second opinion, non-validating resolver: exit 2"
tap_like "$OUT" "\\[CRITICAL\\] $NV says $LAB_BOGUS_NAME A is insecure, local validation says bogus \\(" \
	"second opinion: bogus data the resolver passes on is named"
run check_dnssec_resolver -H "$V" -H "$NV" -q secure.test. "${LOCAL[@]}"
tap_like "$OUT" "\\[CRITICAL\\] $NV says secure.test. SOA is insecure, local validation says secure" \
	"second opinion per resolver, through that resolver"

# --- files, options, the deadline ---------------------------------------------------------
run check_tlsa -r "$NV" --validate=local --trust-anchor "$work/none.key" -D tlsa-good.test
tap_is "$RC" 3 "a missing trust anchor file: UNKNOWN"
tap_like "$OUT" "^TLSA UNKNOWN - --validate=local: cannot read the trust anchor file $work/none.key: No such file or directory" \
	"a missing trust anchor file is named"
: >"$work/empty.key"
run check_tlsa -r "$NV" --validate=local --trust-anchor "$work/empty.key" -D tlsa-good.test
tap_like "$OUT" "the trust anchor file $work/empty.key holds no DS or DNSKEY record" "no usable anchor: named"
run check_tlsa -r "$NV" --validate=local --trust-anchor "$LAB_TRUST_ANCHOR" --recursive -D tlsa-good.test
tap_is "$RC" 3 "--recursive with -r: a usage error"
run check_tlsa -r "$NV" --trust-anchor "$LAB_TRUST_ANCHOR" -D tlsa-good.test
tap_like "$OUT" "--trust-anchor needs --validate=local" "--trust-anchor alone: a usage error"
bh="$work/bh.port"
"$helpers/blackhole_udp" 127.0.0.1 6 >"$bh" &
for _ in $(seq 50); do [ -s "$bh" ] && break; sleep 0.05; done
run check_tlsa -r "127.0.0.1@$(cat "$bh")" "${LOCAL[@]}" -D tlsa-good.test -t 2
tap_is "$RC" 2 "a silent forwarder: CRITICAL"
tap_like "$OUT" "timed out after 2 s while looking up the MX records" "a silent forwarder: the deadline's words"
tap_cmp_lt "$TOOK" 2.5 "a silent forwarder: ends within -t (took $TOOK s)"
tap_is "$ERR" "" "a silent forwarder: nothing on stderr"
wait

# --- libunbound, opened at run time: only with --validate=local ---------------------------
soname=$(sed -n 's/^#define UNBOUND_SONAME "\(.*\)"$/\1/p' "$builddir/config.h")
tap_like "$soname" "^libunbound\\.so\\.[0-9]+$" "configure found libunbound's SONAME ($soname)"
for p in check_dnssec_resolver check_tlsa check_dane_smtp check_dane_rollover check_tlsrpt; do
	tap_unlike "$(ldd "$pl/$p" 2>&1)" "libunbound|libevent|libnettle|libhogweed|libgmp" \
		"$p does not link libunbound (nor libevent, nettle, hogweed, gmp)"
done
# check_mta_sts links libcurl, whose own dependencies (GnuTLS via LDAP and RTMP) bring nettle,
# hogweed and gmp: libunbound and libevent it does not link
[ ! -x "$pl/check_mta_sts" ] ||
	tap_unlike "$(ldd "$pl/check_mta_sts" 2>&1)" "libunbound|libevent" "check_mta_sts does not link libunbound (nor libevent)"
dbg=$(LD_DEBUG=files "$pl/check_tlsa" -r "$V" -D tlsa-good.test 2>&1 >/dev/null)
tap_unlike "$dbg" "file=$soname " "the default mode does not load $soname"
dbg=$(LD_DEBUG=files "$pl/check_tlsa" -r "$NV" "${LOCAL[@]}" -D tlsa-good.test 2>&1 >/dev/null)
tap_like "$dbg" "file=$soname \\[0\\]; +dynamically loaded by " "--validate=local opens $soname with dlopen()"
# a libunbound that cannot be loaded: an empty file bound over it in a mount namespace of
# the plugin's own (root only; the unit tests cover a missing one and one without a function)
lib=$(ldconfig -p | awk -v s="$soname" '$1 == s && !found { print $NF; found = 1 }')
if [ "$(id -u)" = 0 ] && [ -n "$lib" ] && unshare -m true 2>/dev/null; then
	: >"$work/empty.so"
	hide() { unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh "$work/empty.so" "$(readlink -f "$lib")" "$@"; }
	OUT=$(hide "$pl/check_tlsa" -r "$NV" "${LOCAL[@]}" -D tlsa-good.test 2>"$work/err")
	RC=$?
	ERR=$(cat "$work/err")
	tap_is "$RC" 3 "libunbound unusable: UNKNOWN"
	tap_like "$OUT" "^TLSA UNKNOWN - --validate=local: cannot load libunbound \\($soname\\), which validates DNSSEC here: $lib: file too short \\(install it: Debian package libunbound8, RPM unbound-libs\\)" \
		"libunbound unusable: the library, dlerror()'s text and the package are named"
	tap_is "$ERR" "" "libunbound unusable: nothing on stderr"
	hide "$pl/check_tlsa" -r "$NV" "${LOCAL[@]}" -D tlsa-good.test --output-format=json >"$work/nolib.json" 2>/dev/null
	tap_is "$("$py" "$here/../json_check.py" "$here/../../docs/findings.schema.json" \
		"nolib=$work/nolib.json:$?:validation.library_unavailable[file]" 2>&1)" "ok nolib" \
		"libunbound unusable, JSON: valid against the schema, exit code 3"
	tap_is "$("$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"][0]
print(d["exit_code"], f["state"], f["code"], f["subject"]["file"], f["params"]["library"], "error" in f["params"])
' "$work/nolib.json" 2>&1)" "3 UNKNOWN validation.library_unavailable $soname $soname True" \
		"libunbound unusable, JSON: validation.library_unavailable, subject file and params"
	OUT=$(hide "$pl/check_tlsa" -r "$V" -D tlsa-good.test 2>&1)
	tap_is "$?" 0 "libunbound unusable: the default mode does not need it"
else
	for d in UNKNOWN named stderr schema JSON default; do
		TAP_N=$((TAP_N + 1))
		printf 'ok %d - libunbound unusable: %s # SKIP needs root and unshare -m\n' "$TAP_N" "$d"
	done
fi
rm -rf "$work"

tap_done
