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

# A certificate expiring in 5 days pinned by 3 0 1: exit 1 with -w 21 -c 3,
# a line naming the record and the expiry date.
expiry=$(openssl x509 -in "$LAB_EXPIRING_CERT_PEM" -noout -enddate | sed 's/notAfter=//')
expiry_date=$(date -u -d "$expiry" +%Y-%m-%d)
run -D "$LAB_EXPIRING_DOMAIN" -w 21 -c 3
tap_is "$RC" 1 "3 0 1 pin, certificate expiring in 5 days, -w 21 -c 3: exit 1"
contract "3 0 1 pin"
tap_like "$OUT" "\\[WARNING\\] 3 0 1 [0-9a-f.]+ pins the certificate itself: any renewal breaks it \\(the certificate expires $expiry_date\\)" \
	"3 0 1 pin: names the record and the expiry date"
tap_like "$OUT" "certificate mx.$LAB_EXPIRING_DOMAIN expires $expiry_date \\([45] days\\)" "3 0 1 pin: days left of the leaf"
tap_like "$OUT" "'cert_days'=[45](\\.[0-9])?;21:;3:" "3 0 1 pin: cert_days perfdata with the thresholds"
run -D "$LAB_EXPIRING_DOMAIN"
tap_is "$RC" 2 "same with the default -c 7: exit 2"

# only the current 3 1 1 published
run -D "$LAB_NO_NEXT_DOMAIN"
tap_is "$RC" 0 "only the current key published, far from expiry: exit 0"
tap_like "$OUT" "\\[OK\\] no next-key record published: only records for the current key" "only current: a detail line says no next-key record"
run -D "$LAB_NO_NEXT_DOMAIN" -w 400 -c 1
tap_is "$RC" 1 "only the current key published, inside the -w window: exit 1"
tap_like "$OUT" "\\[WARNING\\] no next-key record published" "only current, inside the window: WARNING"

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

# command line
run -D x.test -w 10:20
tap_is "$RC" 3 "-w with a range instead of days: exit 3"
run -D x.test --sig-warning abc
tap_is "$RC" 3 "--sig-warning not a number: exit 3"
run -h
tap_is "$RC" 3 "-h: exit 3"
tap_like "$OUT" "--next-key=FILE" "-h documents --next-key"

tap_done
