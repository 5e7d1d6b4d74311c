#!/usr/bin/env bash
# check_tlsa against the lab's signed zones (tests/lab/zones.d/tlsa.conf):
# one domain per case, asserting exit code and the words that tell cases apart.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_tlsa

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
lab_up

R=127.0.0.1@$LAB_VALIDATING_PORT

# run ARGS...: sets OUT, ERR, RC, TOOK
run() {
	local errf start
	errf=$(mktemp)
	start=$(now_s)
	OUT=$("$plugin" -r "$R" "$@" 2>"$errf")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$errf")
	rm -f "$errf"
}

# case NAME EXPECTED_RC REGEX [ARGS...]: run -D NAME.test and check rc + words
case_d() {
	local name=$1 rc=$2 re=$3
	shift 3
	run -D "$name.test" "$@"
	tap_is "$RC" "$rc" "$name: exit $rc"
	tap_like "$OUT" "$re" "$name: output says it"
	tap_is "$ERR" "" "$name: nothing on stderr"
	tap_like "$(printf '%s\n' "$OUT" | head -n 1)" '^TLSA (OK|WARNING|CRITICAL|UNKNOWN) - .* \| ' "$name: status line with perfdata"
}

case_d tlsa-good 0 "^TLSA OK - tlsa-good.test.: 2 MX hosts, all with usable DNSSEC-secure TLSA records \\(3 records\\) \\| 'mx_hosts'=2;;;0 'tlsa_records'=3;;;0 'usable_records'=3;;;0 'time'=[0-9.]+s;;;0$"
tap_is "$(printf '%s\n' "$OUT" | grep -c '^\[OK\] mx[12].tlsa-good.test. (MX [12]0): ')" 2 "tlsa-good: one line per host"
tap_like "$OUT" "mx1.tlsa-good.test. \\(MX 10\\): 2 usable DNSSEC-secure TLSA records at _25._tcp.mx1.tlsa-good.test. \\(3 1 1, 2 0 1\\)|mx1.tlsa-good.test. \\(MX 10\\): 2 usable DNSSEC-secure TLSA records at _25._tcp.mx1.tlsa-good.test. \\(2 0 1, 3 1 1\\)" \
	"tlsa-good: host line names the base domain and the records"
run -D tlsa-good.test -v
tap_like "$OUT" "^    \\[OK\\] 3 1 1 [0-9a-f]{10}\\.\\.\\.[0-9a-f]{10}: usable \\(DANE-EE SPKI SHA2-256\\)" "-v: one line per record with its verdict"
tap_unlike "$OUT" "addresses:" "-v: addresses only from -vv"
run -D tlsa-good.test -vv
tap_like "$OUT" "^    \\[OK\\] addresses: 127.0.3.1, ::1 \\(secure\\)" "-vv: addresses with their security"
run -D tlsa-good.test -4 -vv
tap_like "$OUT" "addresses: 127.0.3.1 \\(secure\\)" "-4: IPv4 addresses only"

run -H mx1.tlsa-good.test -H mx2.tlsa-good.test
tap_is "$RC" 0 "-H twice: exit 0"
tap_like "$OUT" "^TLSA OK - MX hosts: 2 MX hosts" "-H: status line"

# TLSRPT (RFC 8460 3): the record at _smtp._tls.<domain>, next to the TLSA verdicts
run -D tlsa-good.test -v
tap_like "$OUT" "^\\[OK\\] TLSRPT record at _smtp._tls.tlsa-good.test.: senders report TLS failures to mailto:tlsrpt@tlsa-good.test, https://reports.tlsa-good.test/v1$" \
	"tlsa-good -v: the TLSRPT record names where senders report (the SPF record next to it is none)"
run -D tlsa-good.test
tap_unlike "$OUT" "TLSRPT" "tlsa-good: a valid TLSRPT record is a -v line"
run -D tlsa-none.test -v
tap_like "$OUT" "^\\[OK\\] no TLSRPT record at _smtp._tls.tlsa-none.test.: senders cannot report TLS failures \\(RFC 8460\\)$" \
	"tlsa-none -v: no TLSRPT record is an OK note"
case_d tlsa-rptmulti 1 "^TLSA WARNING - tlsa-rptmulti.test.: 2 TLSRPT records at _smtp._tls.tlsa-rptmulti.test.: senders send no reports \\(RFC 8460 3 wants exactly one\\) \\| "
tap_like "$OUT" "^\\[OK\\] mx1.tlsa-rptmulti.test. \\(MX 10\\): 2 usable" "tlsa-rptmulti: the hosts are judged as well"
case_d tlsa-rptbad 1 "^\\[WARNING\\] the TLSRPT record at _smtp._tls.tlsa-rptbad.test. does not parse \\(no rua field\\): senders send no reports; it reads \"v=TLSRPTv1; rue=mailto:tlsrpt@tlsa-rptbad.test\"$"
run -H mx1.tlsa-rptmulti.test
tap_is "$RC" 0 "-H: no TLSRPT verdict (it belongs to a mail domain)"
case_d tlsa-badlen 2 "none of the 1 TLSA records at _25._tcp.mx.tlsa-badlen.test. is usable"
run -D tlsa-badlen.test -v
tap_like "$OUT" "digest of the wrong length" "tlsa-badlen -v: says why"
case_d tlsa-pkix 2 "none of the 2 TLSA records .* is usable for SMTP"
run -D tlsa-pkix.test -v
tap_like "$OUT" "PKIX usage \\(0/1\\), not used for SMTP" "tlsa-pkix -v: says why"
case_d tlsa-mixed 1 "^TLSA WARNING - .*1 of 2 TLSA records at _25._tcp.mx.tlsa-mixed.test. usable \\(3 1 1\\)"
case_d tlsa-agility 1 "1 of 2 TLSA records .* usable \\(3 1 2\\)"
run -D tlsa-agility.test -v
tap_like "$OUT" "\\[WARNING\\] 3 1 1 .*ignored: a stronger digest type .*digest agility" "tlsa-agility -v: the shadowed record is named"
# the SMTP lab's digest-agility case: check_dane_smtp gives the same finding on that record
if [ -n "${LAB_AGILITY_DOMAIN:-}" ] && [ -n "${LAB_SMTP_PORT:-}" ]; then
	run -D "$LAB_AGILITY_DOMAIN" -p "$LAB_SMTP_PORT" -v
	tap_is "$RC" 1 "$LAB_AGILITY_DOMAIN: exit 1 (a usable record next to one digest agility disables)"
	tap_like "$OUT" "^    \\[WARNING\\] 3 1 1 [0-9a-f.]+: ignored: a stronger digest type is published for the same usage and selector \\(digest agility, RFC 7671 9\\) \\(DANE-EE SPKI SHA2-256\\)$" \
		"$LAB_AGILITY_DOMAIN -v: the 3 1 1 of the deployed key is ignored (digest agility)"
fi
case_d tlsa-big 1 "^TLSA WARNING - .*13 usable DNSSEC-secure TLSA records .*\\(3 1 1 x13\\), more than 12 in one RRset: large sets have broken delivery"
case_d tlsa-none 2 "no TLSA records at _25._tcp.mx.tlsa-none.test. \\(secure denial\\): the host has no DANE"
case_d tlsa-nullmx 0 "^TLSA OK - tlsa-nullmx.test.: null MX \\(RFC 7505\\): the domain accepts no mail"
case_d tlsa-implicit 0 "tlsa-implicit.test. \\(implicit MX\\): 1 usable DNSSEC-secure TLSA record at _25._tcp.tlsa-implicit.test."
case_d tlsa-cname 0 "^TLSA OK - tlsa-cname.test.: 2 MX hosts"
tap_like "$OUT" "mx1.tlsa-cname.test. \\(MX 10, CNAME to host1.tlsa-target.test.\\): 1 usable .* at _25._tcp.host1.tlsa-target.test. \\(" \
	"tlsa-cname: TLSA found at the expanded name"
tap_like "$OUT" "mx2.tlsa-cname.test. \\(MX 20, CNAME to host2.tlsa-target.test.\\): 1 usable .* at _25._tcp.mx2.tlsa-cname.test. \\(no TLSA at the CNAME target\\)" \
	"tlsa-cname: falls back to the original name"
case_d tlsa-insecure 2 "^TLSA CRITICAL - tlsa-insecure.test.: domain is not DNSSEC-signed: DANE cannot apply"
case_d tlsa-insecurehost 2 "mx.tlsa-insecure.test. \\(MX 10\\): address records are not DNSSEC-secure: senders do not use TLSA"
case_d tlsa-bogus 2 "TLSA at _25._tcp.mx.tlsa-bogus.test. does not validate \\(bogus\\): DANE senders defer mail"
tap_unlike "$OUT" "no TLSA records" "tlsa-bogus: bogus is not reported as missing records"

run -D no-such-domain.test
tap_is "$RC" 2 "nonexistent domain: exit 2"
tap_like "$OUT" "the domain does not exist \\(NXDOMAIN\\)" "nonexistent domain: says so"

run -D "$LAB_BOGUS_NAME"
tap_is "$RC" 2 "bogus MX lookup (expired/tampered zone): exit 2"

# the two broken cases must be told apart in the first line
run -D tlsa-bogus.test
first_bogus=$(printf '%s\n' "$OUT" | head -n 1)
run -D tlsa-insecure.test
first_insecure=$(printf '%s\n' "$OUT" | head -n 1)
tap_like "$first_bogus" "bogus" "bogus case: first line says bogus"
tap_like "$first_insecure" "not DNSSEC-signed" "insecure case: first line says not signed"

# resolver trust (issue 13): never blame the domain for the resolver
run -D tlsa-good.test -r "127.0.0.1@$LAB_NONVALIDATING_PORT"
tap_is "$RC" 3 "signed domain through a non-validating resolver: exit 3"
tap_like "$OUT" "^TLSA UNKNOWN - tlsa-good.test.: the resolver 127.0.0.1@$LAB_NONVALIDATING_PORT does not validate DNSSEC \\(the DS RRset of tlsa-good.test. came with signatures \\(RRSIG\\) but without the AD flag\\).* use -r with a validating resolver" \
	"signed domain, non-validating resolver: the resolver is named, with why and what to do"
tap_unlike "$OUT" "not DNSSEC-signed" "signed domain, non-validating resolver: no word that the domain is unsigned"
run -D tlsa-insecure.test -r "127.0.0.1@$LAB_NONVALIDATING_PORT"
tap_is "$RC" 3 "unsigned domain, non-validating resolver (the parent's denial is signed): exit 3"
run -H mx1.tlsa-good.test -r "127.0.0.1@$LAB_NONVALIDATING_PORT"
tap_is "$RC" 3 "-H through a non-validating resolver: exit 3"
case_d island 2 "^TLSA CRITICAL - island.test.: domain is not DNSSEC-signed: DANE cannot apply \\(the MX RRset has no AD flag; the zone island.test. is signed but has no DS at its parent: an island of security\\)"
run -D tlsa-sha1.test -r "127.0.0.1@$LAB_NOSHA1_PORT"
tap_is "$RC" 3 "RSASHA1 domain through a resolver that does not validate SHA-1: exit 3"
tap_like "$OUT" "does not validate the zone tlsa-sha1.test., signed with RSASHA1 \\(5\\)" "RSASHA1 domain, SHA-1 policy: the resolver and the algorithm are named"
run -D tlsa-sha1.test
tap_is "$RC" 0 "RSASHA1 domain through the validating resolver: exit 0"
run -D tlsa-bogus.test
tap_like "$OUT" "does not validate \\(bogus\\): DANE senders defer mail; SERVFAIL, the data is there with CD but does not validate; EDE 6 \\(DNSSEC Bogus\\)" "bogus TLSA: the resolver's Extended DNS Error"

# -A: every authoritative server asked directly (issue 12). drift.test: ns1 serves the
# current zone, ns2 a stale copy without the next key's record, nothing answers at ns3;
# agree.test: ns1 and ns2 agree. They listen on port 53 of their own loopback addresses.
if [ "${LAB_AUTH:-0}" = 1 ]; then
	case_d drift 2 "^TLSA CRITICAL - drift.test.: zone drift.test.: 3 authoritative server addresses: ns2.drift.test.\\[$LAB_AUTH2\\] \\(SOA serial [0-9]+\\) is stale: its TLSA RRset at _25._tcp.mx.drift.test. lacks $(awk '{print tolower($0)}' <<<"$LAB_DRIFT_NEXT_TLSA"), compared with ns1.drift.test.\\[$LAB_AUTH1\\]" -A
	tap_like "$OUT" "^    \\[WARNING\\] ns3.drift.test.\\[$LAB_AUTH3\\]: no answer: " "drift -A: the server that does not answer is a WARNING, named"
	tap_unlike "$OUT" "ns1.drift.test.\\[[0-9.]*\\] .*is stale" "drift -A: the server with the higher serial is not called stale"
	s2=$(sed -n 's/.*ns2.drift.test.\[[0-9.]*\] (SOA serial \([0-9]*\)) is stale.*/\1/p' <<<"$OUT" | head -n 1)
	tap_like "$OUT" "compared with ns1.drift.test.\\[$LAB_AUTH1\\] \\(SOA serial $((${s2:-0} + 1))\\)" "drift -A: names both serials, the stale one lower"
	run -D drift.test
	tap_is "$RC" 0 "drift without -A: the resolver's view is fine, exit 0"
	case_d agree 0 "^TLSA OK - agree.test.: 1 MX host, all with usable DNSSEC-secure TLSA records \\(1 record\\); the authoritative servers agree" -A
	tap_like "$OUT" "\\[OK\\] they agree: SOA serial [0-9]+ and the 2 RRsets asked \\(MX, TLSA\\)" "agree -A: says what was compared"
	run -H mx.agree.test -A
	tap_is "$RC" 0 "-H with -A: the zone of the TLSA records is asked, exit 0"
	tap_like "$OUT" "zone agree.test.: 2 authoritative server addresses" "-H with -A: names the zone"
	run -H mx.tlsa-insecure.test -A
	tap_is "$RC" 3 "-A with -H and no zone to be found: exit 3"
	tap_like "$OUT" "^TLSA UNKNOWN - -A: the zone of the MX and TLSA records cannot be found" "-A without a zone: says what is wrong"
	tap_like "$OUT" "Usage: check_tlsa" "-A without a zone: with the usage line"
else
	tap_diag "no authoritative servers on port 53 in this lab (not root): the -A cases are left out"
fi

# --mx-expect (issue 21): the domain must use the hoster's MX hosts
case_d tlsa-good 0 "^TLSA OK - tlsa-good.test.: 2 MX hosts, all with usable DNSSEC-secure TLSA records \\(3 records\\) and matching --mx-expect \\| " --mx-expect '*.TLSA-GOOD.test.'
tap_like "$OUT" "^\\[OK\\] tlsa-good.test.: every MX host matches \\*.TLSA-GOOD.test. \\(--mx-expect\\)$" \
	"--mx-expect: every host matches (case and the final dot do not matter), said in a line"
case_d tlsa-good 1 "^TLSA WARNING - tlsa-good.test.: mx2.tlsa-good.test. \\(MX 20\\) is not an expected MX host: it matches none of mx1.tlsa-good.test, mx9.\\* \\(--mx-expect\\) \\| " \
	--mx-expect mx1.tlsa-good.test --mx-expect 'mx9.*'
tap_unlike "$OUT" "mx1.tlsa-good.test. \\(MX 10\\) is not" "--mx-expect: the host that matches is not named"
tap_like "$OUT" "^\\[OK\\] mx2.tlsa-good.test. \\(MX 20\\): 1 usable DNSSEC-secure TLSA record" "--mx-expect: the unexpected host's own DANE verdict stays"
run -D tlsa-good.test --mx-expect '*.elsewhere.test'
tap_is "$RC" 1 "--mx-expect: both hosts elsewhere (the customer moved away): exit 1"
tap_like "$OUT" "^TLSA WARNING - tlsa-good.test.: 2 of 2 MX hosts with problems; " "--mx-expect: both hosts counted"
tap_is "$(grep -c '^\[WARNING\] .* is not an expected MX host' <<<"$OUT")" 2 "--mx-expect: one WARNING line per unexpected host"
run -D tlsa-good.test --mx-expect '*.elsewhere.test' --output-format=json
tap_like "$OUT" '"code":"mx.unexpected_host","subject":\{"domain":"tlsa-good.test.","host":"mx1.tlsa-good.test."\},"params":\{"preference":10,"patterns":"\*.elsewhere.test"\}' \
	"--mx-expect JSON: code mx.unexpected_host, the domain and host as subject, the patterns as a param"
case_d tlsa-cname 0 "and matching --mx-expect" --mx-expect '*.tlsa-target.test'
tap_like "$OUT" "every MX host matches" "--mx-expect: a host CNAME'd into the expected names is expected"
case_d tlsa-nullmx 1 "^TLSA WARNING - tlsa-nullmx.test.: null MX: the domain accepts no mail, at none of the expected MX hosts \\*.tlsa-good.test \\(--mx-expect\\)" \
	--mx-expect '*.tlsa-good.test'
run -D tlsa-good.test --mx-expect a --mx-expect b --mx-expect c --mx-expect d --mx-expect e \
	--mx-expect f --mx-expect g --mx-expect h --mx-expect i
tap_is "$RC" 3 "--mx-expect more than 8 times: exit 3"
tap_like "$OUT" "at most 8 --mx-expect patterns" "--mx-expect more than 8 times: says so"
run -D tlsa-good.test --mx-expect ''
tap_is "$RC" 3 "--mx-expect with an empty pattern: exit 3"

# timeouts and failures
deadport=$("$builddir/tests/helpers/blackhole_udp" 127.0.0.1 0 </dev/null)
run -D tlsa-good.test -r "127.0.0.1@$deadport"
tap_is "$RC" 2 "resolver not listening: exit 2"
tap_like "$OUT" "MX lookup failed: connection refused" "resolver not listening: says so"
bhfile=$(mktemp)
"$builddir/tests/helpers/blackhole_udp" 127.0.0.1 6 >"$bhfile" &
bhpid=$!
for _ in $(seq 50); do [ -s "$bhfile" ] && break; sleep 0.05; done
OUT=$(start=$(now_s); "$plugin" -D tlsa-good.test -r "127.0.0.1@$(head -n 1 "$bhfile")" -t 2; echo "rc=$? took=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')")
tap_like "$OUT" "^TLSA CRITICAL - tlsa-good.test.: MX lookup failed: timed out after 2 s while looking up the MX records of tlsa-good.test." \
	"silent resolver: timed out after N s while <stage>"
took=$(printf '%s\n' "$OUT" | sed -n 's/.*took=//p')
tap_cmp_lt "$took" 2.5 "silent resolver: ends within -t + 0.5 s ($took s)"
kill "$bhpid" 2>/dev/null; wait "$bhpid" 2>/dev/null; rm -f "$bhfile"

# command line
run
tap_is "$RC" 3 "neither -D nor -H: exit 3"
tap_like "$OUT" "give either -D DOMAIN or -H HOST" "neither -D nor -H: says so"
run -D a.test -H b.test
tap_is "$RC" 3 "both -D and -H: exit 3"
run -h
tap_is "$RC" 3 "-h: exit 3"
tap_like "$OUT" "Perfdata: mx_hosts, tlsa_records, usable_records" "-h documents the perfdata"
run -D "a..b"
tap_is "$RC" 3 "invalid domain: exit 3"

# The resolver answers the name (NXDOMAIN, without AD: .invalid is served
# locally) but cannot answer the DS queries that tell whether it validates (the
# root is out of reach from the lab): the run ends at -t and says it timed out.
if ! timeout 3 drill -p "$LAB_VALIDATING_PORT" @127.0.0.1 invalid DS >/dev/null 2>&1; then
	start=$(date +%s%N)
	run -H nonexist.invalid -t 2
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	tap_is "$RC" 2 "trust check out of time: exit 2 (no address records)"
	tap_cmp_lt "$ms" 3500 "trust check out of time: ends at -t 2, not later ($ms ms)"
	tap_like "$OUT" "\\[WARNING\\] MX hosts: whether the resolver validates DNSSEC could not be told \\(timed out after 2 s while asking 127.0.0.1@$LAB_VALIDATING_PORT for the DS of nonexist.invalid. and its ancestors\\)" \
		"trust check out of time: says it timed out, and while doing what"
else
	tap_diag "the resolver reaches the root here: the trust-check timeout case is left out"
fi

tap_done
