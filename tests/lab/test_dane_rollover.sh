#!/usr/bin/env bash
# check_dane_rollover against the lab's rollover scenarios: real Postfix
# presenting chains, TLSA records in signed zones, staged next keys/certs.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_dane_rollover

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
command -v postfix >/dev/null 2>&1 || tap_skip_all "postfix not installed (scripts/install-deps)"
lab_up
[ -n "${LAB_SMTP_PORT:-}" ] || { echo "Bail out! the lab has no SMTP servers"; exit 1; }

R=127.0.0.1@$LAB_VALIDATING_PORT
P=$LAB_SMTP_PORT

# run ARGS...: sets OUT, ERR, RC
run() {
	local errf
	errf=$(mktemp)
	OUT=$("$plugin" -r "$R" -p "$P" -t 8 "$@" 2>"$errf")
	RC=$?
	ERR=$(cat "$errf")
	rm -f "$errf"
}

contract() {
	tap_is "$ERR" "" "$1: nothing on stderr"
	tap_like "$(printf '%s\n' "$OUT" | head -n 1)" "^DANE_ROLLOVER (OK|WARNING|CRITICAL) - .* \\| 'cert_days'=[-0-9.U]+;[0-9.]+:;[0-9.]+: 'sig_days'=[-0-9.U]+;[0-9.]+:;[0-9.]+: 'time'=" \
		"$1: status line and perfdata"
}

# A one-year certificate expiring in 5 days pinned by 3 0 1: exit 1 with
# -w 21 -c 3, a line naming the record and the expiry date.
expiry=$(openssl x509 -in "$LAB_EXPIRING_CERT_PEM" -noout -enddate | sed 's/notAfter=//')
expiry_date=$(date -u -d "$expiry" +%Y-%m-%d)
run -D "$LAB_EXPIRING_DOMAIN" -w 21 -c 3
tap_is "$RC" 1 "3 0 1 pin, certificate expiring in 5 days, -w 21 -c 3: exit 1"
contract "3 0 1 pin"
tap_like "$OUT" "\\[WARNING\\] 3 0 1 [0-9a-f.]+ pins the certificate itself: any renewal breaks it \\(the certificate expires $expiry_date; renewal overdue since [0-9-]+\\)" \
	"3 0 1 pin: names the record and the expiry date"
tap_like "$OUT" "certificate mx.$LAB_EXPIRING_DOMAIN expires $expiry_date \\([45] days\\)" "3 0 1 pin: days left of the leaf"
tap_like "$OUT" "'cert_days'=[45](\\.[0-9])?;21:;3:" "3 0 1 pin: cert_days perfdata with the thresholds"
run -D "$LAB_EXPIRING_DOMAIN"
tap_is "$RC" 2 "same with the defaults (a one-year certificate: CRITICAL under 7 days): exit 2"

# only the current 3 1 1 published
run -D "$LAB_NO_NEXT_DOMAIN"
tap_is "$RC" 0 "only the current key published, far from expiry: exit 0"
tap_like "$OUT" "\\[OK\\] renewal expected around [0-9]{4}-[0-9]{2}-[0-9]{2}, in [0-9]+ days: no next-key record published: only records for the current key" \
	"only current: a detail line says no next-key record, and when the renewal is expected"
run -D "$LAB_NO_NEXT_DOMAIN" -w 400 -c 1
tap_is "$RC" 1 "only the current key published, inside the -w window: exit 1"
tap_like "$OUT" "\\[WARNING\\] renewal expected around [0-9-]+, in [0-9]+ days: no next-key record published" "only current, inside the window: WARNING"

# staged next key not published: exit 2 and the record to publish
want=$(printf '%s\n' "$LAB_NO_NEXT_NEXT_TLSA" | awk '{print tolower($4)}')
run -D "$LAB_NO_NEXT_DOMAIN" --next-key "$LAB_NO_NEXT_NEXTKEY_PEM"
tap_is "$RC" 2 "--next-key not published: exit 2"
contract "--next-key not published"
tap_like "$OUT" "next key .* is not published: deploying it breaks DANE; publish _$P._tcp.mx.$LAB_NO_NEXT_DOMAIN. IN TLSA 3 1 1 $want" \
	"--next-key not published: prints the 3 1 1 record to publish"
run -D "$LAB_NO_NEXT_DOMAIN" --next-key "$LAB_NO_NEXT_NEXTPUB_PEM"
tap_is "$RC" 2 "--next-key as a public key file: same verdict"
run -D "$LAB_NO_NEXT_DOMAIN" --next-cert "$LAB_NO_NEXT_NEXTCERT_PEM"
tap_is "$RC" 2 "--next-cert not published: exit 2"
tap_like "$OUT" "next certificate .* matches no published record" "--next-cert not published: says so"

# current + next published
run -D "$LAB_NEXT_PUBLISHED_DOMAIN" --next-key "$LAB_NEXT_PUBLISHED_NEXTKEY_PEM"
tap_is "$RC" 0 "--next-key published: exit 0"
tap_like "$OUT" "\\[OK\\] next key .* already published at _$P._tcp.mx.$LAB_NEXT_PUBLISHED_DOMAIN." "--next-key published: OK line"
tap_unlike "$OUT" "matches nothing presented" "--next-key published: its record is not called stale"
run -D "$LAB_NEXT_PUBLISHED_DOMAIN" --next-cert "$LAB_NEXT_PUBLISHED_NEXTCERT_PEM"
tap_is "$RC" 0 "--next-cert published: exit 0"
run -D "$LAB_NEXT_PUBLISHED_DOMAIN"
tap_is "$RC" 0 "current + next published, no staged file: exit 0"
tap_unlike "$OUT" "no next-key record" "current + next published: no next-key warning"

# two addresses presenting different keys
run -D "$LAB_PARTIAL_DOMAIN"
tap_is "$RC" 1 "partial rollover: exit 1"
tap_like "$OUT" "partial rollover: the addresses present 2 different ECDSA keys \\(.*\\[$LAB_PARTIAL_OLD_ADDR\\].*\\)" "partial rollover: names the addresses"
tap_like "$(printf '%s\n' "$OUT" | head -n 1)" "partial rollover" "partial rollover: in the status line"

# stale record
run -D "$LAB_STALE_DOMAIN"
tap_is "$RC" 0 "stale record: a detail by default, exit 0"
stale=$(printf '%s\n' "$LAB_STALE_STALE_TLSA" | awk '{print tolower(substr($4,1,6))}')
tap_like "$OUT" "\\[OK\\] 3 1 1 $stale[0-9a-f.]* matches nothing presented" "stale record: named"
run -D "$LAB_STALE_DOMAIN" --stale-warning
tap_is "$RC" 1 "stale record with --stale-warning: exit 1"

# signatures expiring in 3 days
run -D "$LAB_SIG_EXPIRING_DOMAIN"
tap_is "$RC" 1 "signatures expiring in 3 days: exit 1"
contract "signatures expiring"
tap_like "$OUT" "DNSSEC signatures on the MX RRset expire [0-9-]+ \\([23]\\.[0-9] days\\): re-sign the zone" "signatures expiring: says when and what to do"
tap_like "$OUT" "'sig_days'=[23](\\.[0-9])?;7:;2:" "signatures expiring: sig_days perfdata"
run -D "$LAB_SIG_EXPIRING_DOMAIN" --sig-warning 1 --sig-critical 1
tap_is "$RC" 0 "signatures expiring, smaller windows: exit 0"
run -D "$LAB_SIG_EXPIRING_DOMAIN" --sig-critical 4
tap_is "$RC" 2 "signatures expiring, --sig-critical 4: exit 2"

# DANE-TA: the anchoring CA, its expiry and the issuer-change risk
run -D "$LAB_DANE_TA_DOMAIN"
tap_like "$OUT" "2 0 1 [0-9a-f.]+ anchors on intermediate CA .* which expires [0-9-]+" "DANE-TA: names the CA and its expiry"
tap_like "$OUT" "a renewal issued by another intermediate .* breaks DANE unless its sibling or successor CAs are published too" "DANE-TA: warns about an issuer change"

# a new key deployed with the old record: broken now
run -D "$LAB_NEW_KEY_DOMAIN"
tap_is "$RC" 2 "new key deployed, old record: exit 2"
tap_like "$OUT" "no usable record matches it: DANE fails now" "new key deployed: says DANE fails now"

# an ECDSA and an RSA certificate (issue 12): every certificate gets its forecast
run -D "$LAB_DUALCERT_DOMAIN"
tap_is "$RC" 2 "ECDSA + RSA, TLSA for the ECDSA key only: exit 2"
tap_like "$OUT" "\\[CRITICAL\\] mx.$LAB_DUALCERT_DOMAIN.\\[127.0.1.201\\]:$P RSA 2048 certificate: certificate mx.$LAB_DUALCERT_DOMAIN expires [0-9-]+ \\([0-9]+ days\\), no usable record matches it" \
	"ECDSA + RSA: the RSA certificate's own line, with its expiry"
tap_like "$OUT" "\\[OK\\] mx.$LAB_DUALCERT_DOMAIN.\\[127.0.1.201\\]:$P ECDSA P-256 certificate: .*matched by 3 1 1 " \
	"ECDSA + RSA: the ECDSA certificate matches"
run -D "$LAB_DUALOK_DOMAIN"
tap_is "$RC" 0 "ECDSA + RSA, both published: exit 0"
tap_unlike "$OUT" "partial rollover" "ECDSA + RSA: two keys of two types are no partial rollover"
tap_is "$(printf '%s\n' "$OUT" | grep -c ' certificate: certificate mx\.')" 2 "ECDSA + RSA, both published: one line per certificate"

# -A: a next key published by one authoritative server and not by the other (issue 12)
if [ "${LAB_AUTH:-0}" = 1 ]; then
	run -D "$LAB_DRIFT_DOMAIN" -p 25 --cert "$LAB_DANE_EE_CHAIN_PEM" --next-key "$LAB_DRIFT_NEXT_KEY_PEM"
	tap_like "$OUT" "\\[OK\\] next key .* already published at _25._tcp.mx.$LAB_DRIFT_DOMAIN." "drift, without -A: the resolver sees the next key published"
	run -D "$LAB_DRIFT_DOMAIN" -p 25 -A --cert "$LAB_DANE_EE_CHAIN_PEM" --next-key "$LAB_DRIFT_NEXT_KEY_PEM"
	tap_is "$RC" 2 "drift, -A: exit 2"
	tap_like "$OUT" "\\[CRITICAL\\] next key $LAB_DRIFT_NEXT_KEY_PEM is published at _25._tcp.mx.$LAB_DRIFT_DOMAIN. \\(3 1 1 [0-9a-f.]+\\), but not on every authoritative server: ns2.$LAB_DRIFT_DOMAIN.\\[$LAB_AUTH2\\] serves no record for it" \
		"drift, -A: the next key is not published on ns2, named"
	tap_like "$OUT" "ns2.$LAB_DRIFT_DOMAIN.\\[$LAB_AUTH2\\] \\(SOA serial [0-9]+\\) is stale" "drift, -A: check_tlsa's verdict on the stale server too"
	run -D "$LAB_AGREE_DOMAIN" -p 25 -A --cert "$LAB_DANE_EE_CHAIN_PEM"
	tap_like "$OUT" "\\[OK\\] they agree" "agree, -A: the servers agree"
	# the renewal gate with -A: every server must serve the staged file's record
	run -D "$LAB_DRIFT_DOMAIN" -p 25 -A --gate --next-key "$LAB_DRIFT_NEXT_KEY_PEM"
	tap_is "$RC" 2 "--gate -A, next key missing on ns2: exit 2"
	tap_like "$OUT" "but not on every authoritative server: ns2.$LAB_DRIFT_DOMAIN.\\[$LAB_AUTH2\\] serves no record for it" "--gate -A: names the server that lacks it"
	run -D "$LAB_DRIFT_DOMAIN" -p 25 -A --gate --next-cert "$LAB_DANE_EE_CHAIN_PEM"
	tap_is "$RC" 1 "--gate -A, served by every server that answered, ns3 silent: exit 1 (cannot tell)"
	tap_like "$OUT" "\\[WARNING\\] next certificate .* already matched by a published record .*, not confirmed on 1 authoritative server that did not answer" \
		"--gate -A: a silent server leaves the staged certificate unconfirmed"
	tap_unlike "$OUT" "is stale" "--gate -A: judges only the staged file (ns2's other differences are check_tlsa's business)"
else
	tap_diag "no authoritative servers on port 53 in this lab (not root): the -A cases are left out"
fi

# a non-validating resolver is named, never blamed on the domain (issue 13)
OUT=$("$plugin" -r "127.0.0.1@$LAB_NONVALIDATING_PORT" -p "$P" -D "$LAB_NO_NEXT_DOMAIN" 2>&1); RC=$?
tap_is "$RC" 3 "signed domain through a non-validating resolver: exit 3"
tap_like "$(head -n 1 <<<"$OUT")" "^DANE_ROLLOVER UNKNOWN - .*the resolver 127.0.0.1@$LAB_NONVALIDATING_PORT does not validate DNSSEC" \
	"non-validating resolver: the status line names the resolver"

# --cert instead of connecting
run -H "mx1.$LAB_DANE_EE_DOMAIN" --cert "$LAB_DANE_EE_CHAIN_PEM"
tap_is "$RC" 0 "--cert with the deployed chain: exit 0"
tap_like "$OUT" "\\[OK\\] $LAB_DANE_EE_CHAIN_PEM: certificate mx1.$LAB_DANE_EE_DOMAIN expires" "--cert: the file is the peer"
run -H "mx1.$LAB_DANE_EE_DOMAIN" --cert /nonexistent.pem
tap_is "$RC" 3 "--cert unreadable: exit 3"

# ACME-era lifetimes (issue 14): thresholds against the lifetime, hours, renewal dates
run -H "a.$LAB_ACME_DOMAIN" --cert "$LAB_ACME6_CHAIN_PEM"
tap_is "$RC" 0 "6-day certificate, 4 days left, renewal not due: exit 0"
contract "6-day certificate"
tap_like "$OUT" "certificate a.$LAB_ACME_DOMAIN expires [0-9-]+ \\([34] days\\)" "6-day certificate: days left"
tap_like "$OUT" "'cert_days'=[34](\\.[0-9]+)?;1.8:;0.6:" "6-day certificate: thresholds 30 % and 10 % of the lifetime (43 and 14 hours)"
tap_like "$OUT" "\\[OK\\] renewal expected around [0-9-]+, in (4[0-8]|[0-9]) hours" "6-day certificate: the renewal, at two thirds of the lifetime, in hours"
run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM"
tap_is "$RC" 1 "45-day certificate, 10 days left: exit 1"
contract "45-day certificate"
tap_like "$OUT" "\\[WARNING\\] $LAB_ACME45_CHAIN_PEM: certificate b.$LAB_ACME_DOMAIN expires [0-9-]+ \\((9|10) days\\)" "45-day certificate: WARNING with the days left"
tap_like "$OUT" "'cert_days'=(9|10)(\\.[0-9]+)?;13.5:;4.5:" "45-day certificate: warns at 13.5 days, critical at 4.5"
tap_like "$OUT" "\\[WARNING\\] renewal overdue since [0-9]{4}-[0-9]{2}-[0-9]{2}: no next-key record published" "45-day certificate: the renewal is overdue"
run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM" -w 33%
tap_is "$RC" 1 "45-day certificate, -w 33%: exit 1"
tap_like "$OUT" "'cert_days'=[0-9.]+;14.85:;4.5:" "-w 33%: a third of 45 days in the perfdata"
run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM" -w 10%
tap_is "$RC" 0 "45-day certificate, 22 % left, -w 10%: exit 0"
tap_like "$OUT" "\\[OK\\] renewal overdue since [0-9-]+" "-w 10%: the overdue renewal is a detail line"
run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM" -c 25%
tap_is "$RC" 2 "45-day certificate, -c 25%: exit 2"
run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM" -w 12 -c 9.5
tap_like "$OUT" "'cert_days'=[0-9.]+;12:;9.5:" "explicit days stay absolute, fractions allowed"
run -H "c.$LAB_ACME_DOMAIN" --cert "$LAB_ACME6H_CHAIN_PEM"
tap_is "$RC" 2 "6-day certificate, 12 hours left: exit 2"
contract "12 hours left"
tap_like "$(head -n 1 <<<"$OUT")" "certificate c.$LAB_ACME_DOMAIN expires [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC \\(1[12] hours\\)" \
	"12 hours left: said in hours, with the time, in the status line"
tap_like "$OUT" "'cert_days'=0\\.[45][0-9]*;1.8:;0.6:" "12 hours left: cert_days with two decimals"

# --issuers: which intermediates of the ACME CA the DANE-TA records cover
bundle=$(mktemp); both=$(mktemp); junk=$(mktemp); empty=$(mktemp); many=$(mktemp); flag=$(mktemp -u)
cat "$LAB_CA_INT_PEM" >"$bundle"
cat "$LAB_CA_INT_PEM" "$LAB_CA_INT2_PEM" >"$both"
printf 'not a certificate\n' >"$junk"
for _ in $(seq 100); do cat "$LAB_CA_INT_PEM"; done >"$many"
run -H "d.$LAB_ACME_DOMAIN" --cert "$LAB_ACMETA_CHAIN_PEM" --issuers "$both"
tap_is "$RC" 1 "--issuers with an uncovered intermediate: exit 1"
contract "--issuers uncovered"
ta2=$(printf '%s\n' "$LAB_CA_INT2_TLSA" | awk '{print tolower($4)}')
tap_like "$OUT" "\\[WARNING\\] a renewal issued by CN=ca-int2,O=DANE test lab breaks DANE: .*publish _$P._tcp.d.$LAB_ACME_DOMAIN. IN TLSA 2 1 1 $ta2" \
	"--issuers: the uncovered intermediate named, with the 2 1 1 record to publish"
tap_unlike "$OUT" "issued by CN=ca-int,O=" "--issuers: the covered intermediate is not called uncovered"
run -H "d.$LAB_ACME_DOMAIN" --cert "$LAB_ACMETA_CHAIN_PEM" --issuers "$bundle"
tap_is "$RC" 0 "--issuers, every intermediate covered: exit 0"
tap_like "$OUT" "\\[OK\\] the DANE-TA records cover every issuer of $bundle \\(1\\): CN=ca-int,O=DANE test lab" "--issuers covered: lists them"
run -H "a.$LAB_ACME_DOMAIN" --cert "$LAB_ACME6_CHAIN_PEM" --issuers "$both" -v
tap_is "$RC" 0 "--issuers on a DANE-EE host: exit 0"
tap_like "$OUT" "--issuers does not apply: no usable DANE-TA \\(2 x x\\) record" "--issuers on a DANE-EE host: -v says it does not apply"
run -H "d.$LAB_ACME_DOMAIN" --cert "$LAB_ACMETA_CHAIN_PEM" --issuers "$many"
tap_like "$OUT" "only the first 64 of the 100 certificates in $many were checked" "--issuers with 100 certificates: bounded, says how many were read"

# bad input: UNKNOWN naming the option and the problem
bad() {
	local want=$1 desc=$2
	shift 2
	run -H "b.$LAB_ACME_DOMAIN" --cert "$LAB_ACME45_CHAIN_PEM" "$@"
	tap_is "$RC" 3 "$desc: exit 3"
	tap_like "$(head -n 1 <<<"$OUT")" "^DANE_ROLLOVER UNKNOWN - .*$want" "$desc: says what is wrong"
}
bad "-w: '150%': a share of the lifetime is more than 0 % and at most 100 %" "-w 150%" -w 150%
bad "-w: '-3': days must be more than 0" "-w -3" -w -3
bad "-w: '10%:': a number of days or a percentage, not a range" "-w 10%:" -w 10%:
bad "the warning threshold \\(-w 5\\) is below the critical one \\(-c 8\\)" "-w 5 -c 8" -w 5 -c 8
bad "the warning threshold \\(-w 10%\\) is below the critical one \\(-c 20%\\)" "-w 10% -c 20%" -w 10% -c 20%
bad "--issuers /nonexistent.pem: No such file or directory" "--issuers missing" --issuers /nonexistent.pem
bad "--issuers /: not a regular file" "--issuers a directory" --issuers /
bad "--issuers: no certificate in $empty" "--issuers empty" --issuers "$empty"
bad "--issuers: no certificate in $junk" "--issuers not PEM" --issuers "$junk"
bad "--issuers .*: certificate #1 \\(CN=a.acme.test\\) is no CA certificate" "--issuers holding a leaf" --issuers "$LAB_ACME6_CHAIN_PEM"

# the renewal gate: --gate judges only the staged certificate, without connecting
run -H "d.$LAB_ACME_DOMAIN" --gate --next-cert "$LAB_ACMETA_CHAIN_PEM"
tap_is "$RC" 0 "--gate, next certificate from the covered intermediate: exit 0"
tap_like "$(head -n 1 <<<"$OUT")" "deploying the staged certificate keeps DANE working" "--gate covered: the status line says so"
run -H "d.$LAB_ACME_DOMAIN" --gate --next-cert "$LAB_ACMETA_NEXT_CHAIN_PEM"
tap_is "$RC" 2 "--gate, next certificate from an uncovered intermediate: exit 2"
tap_like "$OUT" "publish _$P._tcp.d.$LAB_ACME_DOMAIN. IN TLSA 2 1 1 $ta2 \\(its issuer CN=ca-int2,O=DANE test lab, as the other DANE-TA records\\) or 3 1 1 [0-9a-f]{64}" \
	"--gate uncovered: the records that would cover it"
run -H "d.$LAB_ACME_DOMAIN" --gate
tap_is "$RC" 3 "--gate without a staged file: exit 3"
# the wrapper an ACME client's hook runs
gate=$here/../../contrib/dane-renewal-gate
GOUT=$("$gate" --plugin "$plugin" --chain "$LAB_ACMETA_CHAIN_PEM" --then "touch '$flag'" -- -r "$R" -p "$P" -H "d.$LAB_ACME_DOMAIN" 2>&1); GRC=$?
tap_is "$GRC" 0 "dane-renewal-gate, covered certificate: exit 0"
tap_ok "dane-renewal-gate, covered certificate: the deploy command ran" test -e "$flag"
rm -f "$flag"
GOUT=$("$gate" --plugin "$plugin" --chain "$LAB_ACMETA_NEXT_CHAIN_PEM" --then "touch '$flag'" -- -r "$R" -p "$P" -H "d.$LAB_ACME_DOMAIN" 2>&1); GRC=$?
tap_is "$GRC" 1 "dane-renewal-gate, uncovered certificate: exit 1"
tap_ok "dane-renewal-gate, uncovered certificate: the deploy command did not run" test ! -e "$flag"
tap_like "$GOUT" "dane-renewal-gate: refused: the new certificate or key is not covered" "dane-renewal-gate, uncovered: says it refused"
tap_like "$GOUT" "IN TLSA 2 1 1 $ta2" "dane-renewal-gate, uncovered: shows the record to publish"
lineage=$(mktemp -d)
cp "$LAB_ACMETA_CHAIN_PEM" "$lineage/fullchain.pem"
GOUT=$(RENEWED_LINEAGE=$lineage "$gate" --plugin "$plugin" --then "touch '$flag'" -- -r "$R" -p "$P" -H "d.$LAB_ACME_DOMAIN" 2>&1); GRC=$?
tap_is "$GRC" 0 "dane-renewal-gate as certbot's --deploy-hook (RENEWED_LINEAGE): exit 0"
tap_ok "dane-renewal-gate as certbot's hook: the deploy command ran" test -e "$flag"
cp "$LAB_ACMETA_NEXT_CHAIN_PEM" "$lineage/fullchain.pem"
rm -f "$flag"
GOUT=$(CERT_FULLCHAIN_PATH=$lineage/fullchain.pem "$gate" --plugin "$plugin" --then "touch '$flag'" -- -r "$R" -p "$P" -H "d.$LAB_ACME_DOMAIN" 2>&1); GRC=$?
tap_is "$GRC" 1 "dane-renewal-gate as acme.sh's --reloadcmd (CERT_FULLCHAIN_PATH), uncovered: exit 1"
tap_ok "dane-renewal-gate as acme.sh's hook, uncovered: no deploy" test ! -e "$flag"
GOUT=$("$gate" --plugin "$plugin" --chain "$LAB_ACMETA_CHAIN_PEM" -- -r "127.0.0.1@$LAB_NONVALIDATING_PORT" -p "$P" -H "d.$LAB_ACME_DOMAIN" 2>&1); GRC=$?
tap_is "$GRC" 2 "dane-renewal-gate through a non-validating resolver: exit 2 (cannot tell)"
rm -rf "$bundle" "$both" "$junk" "$empty" "$many" "$lineage" "$flag"

# command line
run -D x.test -w 10:20
tap_is "$RC" 3 "-w with a range instead of days: exit 3"
run -D x.test --sig-warning abc
tap_is "$RC" 3 "--sig-warning not a number: exit 3"
run -h
tap_is "$RC" 3 "-h: exit 3"
tap_like "$OUT" "--next-key=FILE" "-h documents --next-key"

tap_done
