#!/usr/bin/env bash
# check_dane_smtp against real Postfix smtpd services in the lab, one scenario
# per domain (tests/lab/zones.d/smtp.conf), and Postfix's own posttls-finger as
# the oracle: for every address posttls-finger reports as "Verified" or
# "Untrusted", our verdict for that address must agree.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_dane_smtp

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
command -v postfix >/dev/null 2>&1 || tap_skip_all "postfix not installed (scripts/install-deps)"
lab_up
[ -n "${LAB_SMTP_PORT:-}" ] || { echo "Bail out! the lab has no SMTP servers"; exit 1; }

R=127.0.0.1@$LAB_VALIDATING_PORT
P=$LAB_SMTP_PORT
PF=0

# run ARGS...: sets OUT, ERR, RC, TOOK
run() {
	local errf start
	errf=$(mktemp)
	start=$(now_s)
	OUT=$("$plugin" -r "$R" -p "$P" "$@" 2>"$errf")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$errf")
	rm -f "$errf"
}

# line_for HOST ADDR [TYPE]: our first (worst) detail line for that address, or for its
# certificate of TYPE (ECDSA, RSA, Ed25519), "" if none. The address comes as
# "HOST.[ADDR]:PORT", followed by the certificate ("ECDSA P-256 certificate") when the
# address was probed per certificate type.
line_for() {
	printf '%s\n' "$OUT" | grep -F "] $1.[$2]:$P" |
		grep -E "^\[[A-Z]+\] [^ ]+:$P( ${3:-[A-Za-z0-9]+}[A-Za-z0-9 -]* certificate)?: " | head -n 1
}

# ptf_type OUTPUT: the certificate type posttls-finger's session got ("server-signature
# ECDSA (prime256v1)" -> ECDSA; RSA, RSA-PSS -> RSA; TLS 1.2 ciphers ECDHE-RSA/ECDSA)
ptf_type() {
	case "$1" in
	*"server-signature ECDSA"* | *"-ECDSA-"*) echo ECDSA ;;
	*"server-signature RSA"* | *"ECDHE-RSA-"* | *"DHE-RSA-"*) echo RSA ;;
	*"server-signature ED25519"* | *"server-signature Ed25519"*) echo Ed25519 ;;
	*) echo "" ;;
	esac
}

# oracle_ran RC OUTPUT: did posttls-finger reach the destination? It must exit 0,
# report no fatal error, no failed lookup, and have connected (a "Connected to" line,
# hence no -c). A wrapper or posttls-finger failure is not a verdict.
oracle_ran() {
	[ "$1" -eq 0 ] || return 1
	grep -Eq '^posttls-finger(\.sh)?: (fatal|panic|warning: .*(resolv|DNS))|lookup failed|Name service error|^unshare: ' <<<"$2" && return 1
	grep -q '^posttls-finger: Connected to ' <<<"$2"
}

# agree DESTINATION [posttls-finger options]: compare per-address verdicts
agree() {
	local dest=$1 pf pfrc=0 host addr verdict ours n=0
	shift
	pf=$(timeout 30 "$here/posttls-finger.sh" "$LAB_DIR" -l dane -t 4 "$@" "$dest:$P" 2>&1) || pfrc=$?
	if ! oracle_ran "$pfrc" "$pf"; then
		_tap_result 1 "posttls-finger ran against $dest (the oracle; no comparison without it)"
		tap_diag "tests/lab/posttls-finger.sh exited $pfrc; its output:" "${pf:-(none)}"
		return 0
	fi
	while read -r verdict host addr; do
		n=$((n + 1))
		# our line for the certificate type posttls-finger's session got
		ours=$(line_for "$host" "$addr" "$(ptf_type "$(grep -F "TLS connection established to $host[$addr]" <<<"$pf")")")
		if [ "$verdict" = Verified ]; then
			tap_like "$ours" '^\[OK\] ' "posttls-finger says Verified for $host[$addr]: we say OK"
		else
			tap_like "$ours" '^\[CRITICAL\] ' "posttls-finger says $verdict for $host[$addr]: we say CRITICAL"
		fi
		PF=$((PF + 1))
	done < <(printf '%s\n' "$pf" | sed -n 's/^posttls-finger: \([A-Za-z]*\) TLS connection established to \([^[]*\)\[\([^]]*\)\]:.*/\1 \2 \3/p')
	if [ "$n" -eq 0 ]; then
		# no TLS session at all (no STARTTLS, silent): both must call it a failure
		tap_unlike "$pf" 'Verified TLS connection' "posttls-finger has no verified session for $dest"
		tap_is "$RC" 2 "no TLS session for $dest: we say CRITICAL too"
		PF=$((PF + 1))
	fi
}

# scenario NAME DOMAIN EXPECTED_RC REGEX: run -D DOMAIN and check the contract
scenario() {
	local name=$1 dom=$2 rc=$3 re=$4
	run -D "$dom" -t 6
	tap_is "$RC" "$rc" "$name: exit $rc"
	tap_like "$OUT" "$re" "$name: output says it"
	tap_is "$ERR" "" "$name: nothing on stderr"
	tap_like "$(printf '%s\n' "$OUT" | head -n 1)" "^DANE_SMTP (OK|WARNING|CRITICAL) - $dom\\.: .* \\| .*'addresses'=[0-9]+;;;0 'verified'=[0-9]+;;;0 'failed'=[0-9]+;;;0 'cert_expiry_days'=" \
		"$name: status line and perfdata"
	tap_is "$(printf '%s\n' "$OUT" | tail -n +2 | grep -c '|')" 0 "$name: no '|' in detail lines"
}

scenario "good DANE-EE, 2 hosts, 3 addresses" "$LAB_DANE_EE_DOMAIN" 0 \
	"^DANE_SMTP OK - $LAB_DANE_EE_DOMAIN\\.: 3 addresses of 2 MX hosts verified by DANE"
tap_is "$(printf '%s\n' "$OUT" | grep -c '^\[OK\] .*matched 3 1 1 .* at depth 0')" 3 "good DANE-EE: one OK line per address, record and depth"
tap_like "$OUT" "'mx2.$LAB_DANE_EE_DOMAIN.\\[127.0.1.13\\]_time'=[0-9.]+s;;;0" "good DANE-EE: per-address time perfdata"
tap_like "$OUT" "TLSv1\\.[23] " "good DANE-EE: TLS version named"
tap_cmp_lt "$TOOK" 2 "good DANE-EE: three addresses in parallel ($TOOK s)"
agree "$LAB_DANE_EE_DOMAIN"

scenario "good DANE-TA" "$LAB_DANE_TA_DOMAIN" 0 "matched 2 0 1 [0-9a-f.]+ at depth 1, name mx.$LAB_DANE_TA_DOMAIN"
agree "$LAB_DANE_TA_DOMAIN"

scenario "wrong digest" "$LAB_WRONG_DIGEST_DOMAIN" 2 \
	"no TLSA record matches \\(no matching DANE TLSA records\\); senders that negotiate ECDSA defer mail; presented mx.$LAB_WRONG_DIGEST_DOMAIN .*the presented key would match: 3 1 1 [0-9a-f]{64}"
want=$(printf '%s\n' "$LAB_WRONG_DIGEST_PRESENTED_TLSA" | awk '{print tolower($4)}')
tap_like "$OUT" "would match: 3 1 1 $want" "wrong digest: the record printed is the one that matches the presented key"
agree "$LAB_WRONG_DIGEST_DOMAIN"

# digest agility (RFC 7671 9): the published 3 1 1 matches the key, but the 3 1 2 of another
# key makes senders ignore every 3 1 1: say so, and what to publish, not "would match"
scenario "3 1 1 of the key shadowed by a 3 1 2 (digest agility)" "$LAB_AGILITY_DOMAIN" 2 \
	"no TLSA record matches \\(no matching DANE TLSA records\\); senders that negotiate ECDSA defer mail; presented mx.$LAB_AGILITY_DOMAIN .*the published 3 1 1 [0-9a-f]{6}\\.\\.\\.[0-9a-f]{6} matches its key, but senders ignore every 3 1 1 record because 3 1 2 records exist for the same usage and selector \\(digest agility, RFC 7671 9\\): publish 3 1 2 [0-9a-f]{128}, or drop the 3 1 2 records"
tap_like "$OUT" "publish ${LAB_AGILITY_PUBLISH_TLSA,,}, or drop" "digest agility: the 3 1 2 to publish is the one of the presented key"
tap_unlike "$OUT" "would match" "digest agility: no 'would match' of a record that is published"
tap_like "$OUT" "^    \\[WARNING\\] 3 1 1 [0-9a-f.]+: ignored: a stronger digest type is published for the same usage and selector \\(digest agility, RFC 7671 9\\) \\(DANE-EE SPKI SHA2-256\\)$" \
	"digest agility: check_tlsa's finding on that record, below the address"
agree "$LAB_AGILITY_DOMAIN"

scenario "new key deployed, old TLSA" "$LAB_NEW_KEY_DOMAIN" 2 "no TLSA record matches"
want=$(printf '%s\n' "$LAB_NEW_KEY_PRESENTED_TLSA" | awk '{print tolower($4)}')
tap_like "$OUT" "would match: 3 1 1 $want" "new key: prints the 3 1 1 record of the new key"
agree "$LAB_NEW_KEY_DOMAIN"

scenario "current + next published" "$LAB_NEXT_PUBLISHED_DOMAIN" 0 "^DANE_SMTP OK - "
agree "$LAB_NEXT_PUBLISHED_DOMAIN"

scenario "DANE-TA, certificate for another name" "$LAB_TA_WRONG_NAME_DOMAIN" 2 \
	"DANE-TA name check failed: the certificate names CN=[^;]+; SANs DNS:[^,]+, expected mx.$LAB_TA_WRONG_NAME_DOMAIN"
agree "$LAB_TA_WRONG_NAME_DOMAIN"

scenario "DANE-TA 2 1 0 of a root the server does not send" "$LAB_TAROOT_DOMAIN" 0 \
	"matched 2 1 0 [0-9a-f.]+ \\(the trust anchor is the record itself, from DNS; it signed the certificate at depth 1\\), name mx.$LAB_TAROOT_DOMAIN"
agree "$LAB_TAROOT_DOMAIN"

scenario "DANE-TA of a sibling CA" "$LAB_TA_OTHER_DOMAIN" 2 "no TLSA record matches"
agree "$LAB_TA_OTHER_DOMAIN"

scenario "RSA key, 3 1 2" "$LAB_RSA_DOMAIN" 0 "matched 3 1 2 "
agree "$LAB_RSA_DOMAIN"

scenario "dual stack, IPv6 presents another key" "$LAB_DUAL_STACK_DOMAIN" 2 \
	"^DANE_SMTP CRITICAL - $LAB_DUAL_STACK_DOMAIN\\.: 1 of 2 addresses failed DANE verification"
tap_like "$(line_for "mx.$LAB_DUAL_STACK_DOMAIN" ::1)" '^\[CRITICAL\] .*no TLSA record matches' "dual stack: ::1 CRITICAL"
tap_like "$(line_for "mx.$LAB_DUAL_STACK_DOMAIN" 127.0.1.81)" '^\[OK\] ' "dual stack: IPv4 OK"
agree "$LAB_DUAL_STACK_DOMAIN" -a ipv4
agree "$LAB_DUAL_STACK_DOMAIN" -a ipv6
run -D "$LAB_DUAL_STACK_DOMAIN" -4
tap_is "$RC" 0 "dual stack with -4: only the IPv4 address, exit 0"
run -D "$LAB_DUAL_STACK_DOMAIN" -6
tap_is "$RC" 2 "dual stack with -6: only ::1, exit 2"

scenario "CNAME'd MX host" "$LAB_CNAME_DOMAIN" 0 "TLSA base domain "
agree "$LAB_CNAME_DOMAIN"

scenario "no STARTTLS" "$LAB_NO_STARTTLS_DOMAIN" 2 "STARTTLS not offered"
agree "$LAB_NO_STARTTLS_DOMAIN"

run -D "$LAB_SILENT_DOMAIN" -t 3
tap_is "$RC" 2 "silent server, -t 3: exit 2"
tap_like "$OUT" "timed out after 3 s while waiting for the greeting" "silent server: says where it timed out"
tap_cmp_lt "$TOOK" 3.5 "silent server: ends in under 3.5 s ($TOOK s)"
agree "$LAB_SILENT_DOMAIN"

run -D "$LAB_DELAY_DOMAIN" -t 5
tap_is "$RC" 0 "4 addresses whose greeting is 0.5 s late: exit 0"
tap_cmp_lt "$TOOK" 1.5 "4 addresses whose greeting is 0.5 s late are probed in parallel ($TOOK s, not 4 x 0.5 s)"

scenario "expired leaf under DANE-EE (dates ignored)" "$LAB_EXPIRED_CERT_DOMAIN" 0 "^DANE_SMTP OK - "
tap_like "$OUT" "'cert_expiry_days'=-[0-9]+" "expired leaf: negative cert_expiry_days"
agree "$LAB_EXPIRED_CERT_DOMAIN"

scenario "self-signed leaf under DANE-EE" "$LAB_SELFSIGNED_DOMAIN" 0 "^DANE_SMTP OK - "
agree "$LAB_SELFSIGNED_DOMAIN"

# One server, an ECDSA and an RSA certificate (issue 12): each certificate type is
# verified on its own; posttls-finger, made to negotiate one type (TLS 1.2 with only
# aECDSA or aRSA ciphers), is the oracle per type.
agree_type() { # DESTINATION TYPE (ECDSA or RSA)
	local cipher=aECDSA
	[ "$2" = RSA ] && cipher=aRSA
	agree "$1" -p '<=TLSv1.2' -g high -o "tls_high_cipherlist=$cipher"
}
dc=$LAB_DUALCERT_DOMAIN
scenario "ECDSA + RSA, TLSA for the ECDSA key only" "$dc" 2 \
	"^DANE_SMTP CRITICAL - $dc\\.: 1 of 1 address failed DANE verification; mx.$dc.\\[127.0.1.201\\]:$P RSA 2048 certificate: no TLSA record matches"
tap_like "$(line_for "mx.$dc" 127.0.1.201 RSA)" \
	"^\\[CRITICAL\\] .* RSA 2048 certificate: no TLSA record matches .*senders that negotiate RSA defer mail; .*would match: $(awk '{print tolower($0)}' <<<"$LAB_DUALCERT_RSA_TLSA")\$" \
	"ECDSA + RSA: the RSA line names the type and the record to publish"
tap_like "$(line_for "mx.$dc" 127.0.1.201 ECDSA)" '^\[OK\] .* ECDSA P-256 certificate: .*matched 3 1 1 ' "ECDSA + RSA: the ECDSA certificate verifies"
tap_like "$OUT" "'verified'=1;;;0 'failed'=1;;;0 .*'not_offered'=1;;;0" "ECDSA + RSA: perfdata counts (address, type) pairs"
agree "$dc"
agree_type "$dc" ECDSA
agree_type "$dc" RSA
run -D "$dc" --key-types=ecdsa
tap_is "$RC" 0 "ECDSA + RSA, --key-types=ecdsa: the RSA certificate is not asked for, exit 0"
run -D "$dc" --key-types=rsa
tap_is "$RC" 2 "ECDSA + RSA, --key-types=rsa: exit 2"
run -D "$dc" -v
tap_like "$OUT" "^\\[OK\\] mx.$dc.\\[127.0.1.201\\]:$P Ed25519 certificate: not offered" "-v: one line per (address, type), Ed25519 not offered"
do=$LAB_DUALOK_DOMAIN
scenario "ECDSA + RSA, TLSA for both keys" "$do" 0 "^DANE_SMTP OK - $do\\.: 1 address of 1 MX host verified by DANE"
tap_is "$(printf '%s\n' "$OUT" | grep -c '^\[OK\] .* certificate: TLSv1\.[23] .*matched 3 1 1 ')" 2 "ECDSA + RSA, both published: one OK line per certificate"
agree_type "$do" ECDSA
agree_type "$do" RSA
# single-type servers: the types a server lacks are not offered, not failures
run -D "$LAB_DANE_EE_DOMAIN"
tap_like "$OUT" "'verified'=3;;;0 'failed'=0;;;0 .*'not_offered'=6;;;0" "ECDSA-only server: 3 addresses verified, RSA and Ed25519 not offered"
run -D "$LAB_DANE_EE_DOMAIN" --key-types=ecdsa,bogus
tap_is "$RC" 3 "--key-types with an unknown type: exit 3"
tap_like "$OUT" "^DANE_SMTP UNKNOWN - invalid --key-types: unknown certificate type 'bogus'" "--key-types with an unknown type: says which"

# a non-validating resolver is named, never blamed on the domain (issue 13)
OUT=$("$plugin" -r "127.0.0.1@$LAB_NONVALIDATING_PORT" -p "$P" -D "$LAB_DANE_EE_DOMAIN" 2>&1); RC=$?
tap_is "$RC" 3 "signed domain through a non-validating resolver: exit 3"
tap_like "$(head -n 1 <<<"$OUT")" "^DANE_SMTP UNKNOWN - $LAB_DANE_EE_DOMAIN.: the resolver 127.0.0.1@$LAB_NONVALIDATING_PORT does not validate DNSSEC" \
	"non-validating resolver: the status line names the resolver"
tap_unlike "$OUT" "not DNSSEC-signed" "non-validating resolver: no word that the domain is unsigned"

# hosts without usable TLSA get check_tlsa's verdict (shared code)
run -D tlsa-none.test
tap_is "$RC" 2 "host without TLSA: exit 2"
tap_like "$OUT" "no TLSA records at _$P._tcp.mx.tlsa-none.test." "host without TLSA: check_tlsa's words"

# -H, thresholds, EHLO name
run -H "mx1.$LAB_DANE_EE_DOMAIN" -w @0:100 --helo monitor.example.test
tap_is "$RC" 1 "-w range the time falls in: exit 1"
tap_like "$OUT" "slowest address mx1.$LAB_DANE_EE_DOMAIN.\\[127.0.1.11\\]:$P took" "-w: names the slowest address"
run -H "mx1.$LAB_DANE_EE_DOMAIN" -w 10 -c 20
tap_is "$RC" 0 "thresholds not reached: exit 0"
tap_like "$OUT" "_time'=[0-9.]+s;10;20;0" "thresholds in per-address perfdata"
run --helo "bad name" -H x.test
tap_is "$RC" 3 "invalid --helo: exit 3"
run -h
tap_is "$RC" 3 "-h: exit 3"
tap_like "$OUT" "--helo=NAME" "-h: documents --helo"

tap_diag "posttls-finger comparisons: $PF"
tap_done
