#!/usr/bin/env bash
# check_mta_sts against the lab: MTA-STS policies served over HTTPS by
# tests/helpers/https_policy (certificates of the lab's CA, --ca-file), MX
# hosts on Postfix with a CA-issued and a self-signed certificate, DANE-EE
# published for some (tests/lab/zones/sts.test.zone lists the scenarios),
# and hostile policy servers. Oracles: openssl s_client's verify result for
# the MX certificates, curl(1) for the policy servers.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_mta_sts

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
command -v postfix >/dev/null 2>&1 || tap_skip_all "postfix not installed (scripts/install-deps)"
lab_up
[ "${LAB_SMTP:-0}" = 1 ] || tap_skip_all "the lab has no SMTP servers: ${LAB_SMTP_WHY:-}"
case " ${LAB_HELPERS_MISSING:-} " in
*" https_policy "*) echo "Bail out! tests/helpers/https_policy not built"; exit 1 ;;
esac

R=127.0.0.1@$LAB_VALIDATING_PORT
P=$LAB_SMTP_PORT
CA=$LAB_STS_CA_PEM
T=5

# run ARGS...: sets OUT, ERR, RC, TOOK (the lab's resolver, ports and CA)
run() {
	local errf start
	errf=$(mktemp)
	start=$(now_s)
	OUT=$("$plugin" -r "$R" -p "$P" --policy-port "$P" --ca-file "$CA" -t "$T" "$@" 2>"$errf")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$errf")
	rm -f "$errf"
}

# contract NAME: one status line, nothing on stderr, within -t + 0.5 s, printable ASCII
contract() {
	tap_is "$ERR" "" "$1: nothing on stderr"
	tap_like "$(head -n 1 <<<"$OUT")" '^MTA_STS (OK|WARNING|CRITICAL|UNKNOWN) - ' "$1: status line"
	tap_cmp_lt "$TOOK" "$((T + 1)).0" "$1: ends within -t ($TOOK s)"
	if LC_ALL=C grep -q '[^[:print:]]' <<<"$OUT"; then
		_tap_result 1 "$1: printable ASCII only"
	else
		_tap_result 0 "$1: printable ASCII only"
	fi
}

# case DOMAIN EXIT STATUS_ERE [ARGS...]: one run, its exit code, its status line, the contract
case_() {
	local d=$1 want=$2 re=$3
	shift 3
	run -D "$d" "$@"
	tap_is "$RC" "$want" "$d: exit $want"
	tap_like "$(head -n 1 <<<"$OUT")" "$re" "$d: status line"
	contract "$d"
	[ "$RC" = "$want" ] || tap_diag "$OUT"
}

Z=$LAB_STS_ZONE

# --- what the issue must show: enforce, self-signed MX, DANE valid ---------
case_ "self.$Z" 2 "^MTA_STS CRITICAL - self\\.$Z\\.: 1 of 1 address fails \\(policy enforce\\); .*senders that use MTA-STS and not DANE defer mail to mx\\.self\\.$Z: the certificate is self-signed; DANE senders: verified \\(3 1 1 "
tap_like "$OUT" "^\\[CRITICAL\\] mx\\.self\\.$Z\\.\\[$LAB_STS_SELF_ADDR\\]:$P ECDSA P-256 certificate: senders that use MTA-STS and not DANE defer mail" \
	"self: the line names the address and the certificate type"

# --- the good case: both kinds of senders verify ---------------------------
case_ "enforce.$Z" 0 "^MTA_STS OK - enforce\\.$Z\\.: MTA-STS policy enforce: 1 of 1 MX host covered by its mx, 1 of 1 certificate valid for MTA-STS senders \\(1 verified by DANE too\\)" --key-types ecdsa
tap_like "$OUT" "MTA-STS senders: valid for mx\\.good\\.$Z .*; DANE senders: verified \\(3 1 1 " "enforce: both verdicts on one line"
run -D "enforce.$Z" -v
tap_like "$OUT" "\\[OK\\] mx\\.good\\.$Z\\.\\[$LAB_STS_MX_ADDR\\]:$P RSA certificate: not offered" "enforce -v: the types the server lacks"
tap_like "$OUT" "policy id 20240101T000000" "enforce -v: the TXT record and its id"
tap_like "$OUT" "'pkix_valid'=1;;;0 'pkix_failed'=0;;;0 'policy_max_age'=604800s;;;0 'cert_expiry_days'=" "enforce: perfdata"

# --- modes -------------------------------------------------------------------
case_ "testing.$Z" 1 "^MTA_STS WARNING - testing\\.$Z\\.: 1 of 1 address fails \\(policy testing\\); .*mode testing: senders that use MTA-STS and not DANE still deliver"
case_ "none.$Z" 0 "^MTA_STS OK - none\\.$Z\\.: MTA-STS policy none"
tap_like "$OUT" "mode none: .*the certificate is self-signed" "none: the self-signed certificate is said, OK"

# --- the policy against the MX RRset ----------------------------------------
case_ "uncovered.$Z" 2 "^MTA_STS CRITICAL - mx2\\.good\\.$Z\\. \\(MX 20\\) matches no mx of the policy \\(mx\\.good\\.$Z\\): senders that use MTA-STS do not deliver to mx2\\.good\\.$Z"
case_ "wildcard.$Z" 0 "^MTA_STS OK - wildcard\\.$Z\\.: MTA-STS policy enforce: 2 of 2 MX hosts covered"
case_ "gone.$Z" 2 "nowhere\\.gone\\.$Z\\. \\(MX 20\\): no address: senders cannot deliver to it"

# --- DANE fails, MTA-STS holds --------------------------------------------------
case_ "danefail.$Z" 2 "DANE senders defer mail to mx\\.danefail\\.$Z: certificate verification failed: .*; MTA-STS senders: valid"

# --- the policy server -------------------------------------------------------------
case_ "p404.$Z" 2 "cannot be used: HTTP status 404, not 200: senders fall back"
case_ "redirect.$Z" 2 "cannot be used: a redirect \\(HTTP status 301\\) to 'https://www\\.other\\.$Z/\\.well-known/mta-sts\\.txt' \\(senders follow none\\)"
case_ "wrongname.$Z" 2 "cannot be used: the certificate of mta-sts\\.wrongname\\.$Z is not valid: "
case_ "html.$Z" 2 "cannot be used: Content-Type 'text/html' is not text/plain"
case_ "nohost.$Z" 2 "cannot be used: mta-sts\\.nohost\\.$Z has no address record"
case_ "short.$Z" 1 "max_age 3600 \\(1 hour\\) is under one day"
case_ "crlf.$Z" 0 "^MTA_STS OK - crlf\\.$Z\\.: MTA-STS policy enforce"

# --- the TXT record ------------------------------------------------------------------
case_ "twotxt.$Z" 2 "2 TXT records beginning with v=STSv1 at _mta-sts\\.twotxt\\.$Z\\. \\('v=STSv1; id=1', 'v=STSv1; id=2'\\)"
case_ "badtxt.$Z" 2 "the TXT record at _mta-sts\\.badtxt\\.$Z\\. does not parse \\(the id in 'id=not-valid!' is not 1-32 letters and digits\\)"
case_ "nosts.$Z" 0 "^MTA_STS OK - nosts\\.$Z\\.: no MTA-STS policy \\(1 TXT record at _mta-sts\\.nosts\\.$Z\\., none beginning with v=STSv1\\) \\| "
tap_unlike "$OUT" 'mx\.good' "nosts: nothing else is checked"

# --- no DNSSEC: MTA-STS alone ---------------------------------------------------------
case_ "$LAB_STS_UNSIGNED_DOMAIN" 0 "^MTA_STS OK - $LAB_STS_UNSIGNED_DOMAIN\\.: MTA-STS policy enforce: 1 of 1 MX host covered by its mx, 1 of 1 certificate valid for MTA-STS senders \\|" --key-types ecdsa
tap_unlike "$OUT" "DANE senders" "unsigned: no DANE side"
# a resolver that does not validate: the DANE side is not judged, MTA-STS is
R=127.0.0.1@$LAB_NONVALIDATING_PORT
case_ "self.$Z" 2 "senders that use MTA-STS defer mail to mx\\.self\\.$Z: the certificate is self-signed"
tap_like "$OUT" "\\[WARNING\\] self\\.$Z\\.: the resolver 127\\.0\\.0\\.1@$LAB_NONVALIDATING_PORT does not validate DNSSEC" "blind resolver: said, DANE not judged"
# the same through the non-validating resolver, DNSSEC validated here (--validate=local):
# the DANE side is judged again, as through the validating resolver
run -D "self.$Z" --validate=local --trust-anchor "$LAB_TRUST_ANCHOR"
tap_is "$RC" 2 "self.$Z --validate=local through the non-validating resolver: exit 2"
tap_like "$OUT" "senders that use MTA-STS and not DANE defer mail to mx\\.self\\.$Z: the certificate is self-signed; DANE senders: verified \\(3 1 1 " \
	"--validate=local: both kinds of senders named again"
tap_unlike "$OUT" "does not validate DNSSEC" "--validate=local: no warning about the resolver"
contract "self.$Z --validate=local"
R=127.0.0.1@$LAB_VALIDATING_PORT

# --- hostile policy servers --------------------------------------------------------------
case_ "endless.$Z" 2 "cannot be used: more than 100 header lines or 16384 bytes of headers"
case_ "slow.$Z" 2 "cannot be used: timed out after [0-9.]+ s \\(HTTP status 200, [0-9]+ bytes of the body received\\)"
tap_like "$OUT" "\\[OK\\] mx\\.good\\.$Z\\." "slow: the MX hosts still probed in the time left"
case_ "big.$Z" 2 "cannot be used: the body is over 65536 bytes \\(its Content-Length says so\\)"
case_ "nolength.$Z" 2 "cannot be used: the body is over 65536 bytes \\(6[0-9]{4} received, then the fetch was stopped\\)"
case_ "manymx.$Z" 2 "does not parse: more than 128 mx fields \\(line 129\\)"
case_ "nul.$Z" 2 "does not parse: line 2 holds the byte 0x00"
tap_unlike "$OUT" 'CHECK OK' "nul: the policy's bytes are not echoed raw"

# --- the system's roots (no --ca-file): $SSL_CERT_DIR as the hashed directory, with the lab's root
sysca=$(mktemp -d)
cp "$CA" "$sysca/" && openssl rehash "$sysca" 2>/dev/null
OUT=$(SSL_CERT_DIR=$sysca "$plugin" -r "$R" -p "$P" --policy-port "$P" -t "$T" -D "enforce.$Z" 2>&1)
tap_like "$OUT" "^MTA_STS OK - enforce\\.$Z\\.: MTA-STS policy enforce" "system roots from the hashed directory (SSL_CERT_DIR): policy and MX valid"
OUT=$(SSL_CERT_DIR=$sysca "$plugin" -r "$R" -p "$P" --policy-port "$P" -t "$T" -D "self.$Z" 2>&1)
tap_like "$OUT" "^MTA_STS CRITICAL - self\\.$Z\\.: .*the certificate is self-signed" "system roots: the self-signed MX is still not trusted"
rm -rf "$sysca"
# the real system store does not know the lab's CA: the policy server is not trusted
OUT=$("$plugin" -r "$R" -p "$P" --policy-port "$P" -t "$T" -D "enforce.$Z" --key-types ecdsa 2>&1)
tap_like "$OUT" "cannot be used: the certificate of mta-sts\\.enforce\\.$Z is not valid: " "system roots without the lab's CA: the policy server is not trusted"
tap_like "$OUT" "no chain to a trusted root" "system roots without the lab's CA: nor the MX"

# --- JSON ----------------------------------------------------------------------------------
run -D "self.$Z" --output-format=json
tap_is "$RC" 2 "self JSON: exit 2"
tap_like "$OUT" '"code": ?"sts.cert_invalid"' "self JSON: sts.cert_invalid"
tap_like "$OUT" '"dane_verified": ?true' "self JSON: DANE verified"

# --- usage -----------------------------------------------------------------------------------
run -D "enforce.$Z" --ca-file /nonexistent/ca.pem
tap_is "$RC" 3 "--ca-file missing: UNKNOWN"
tap_like "$OUT" '^MTA_STS UNKNOWN - --ca-file /nonexistent/ca.pem: cannot read the CA file' "--ca-file missing: says so"
OUT=$("$plugin" -r "$R" 2>&1)
tap_like "$OUT" '^MTA_STS UNKNOWN - -D DOMAIN is required' "no -D: usage error"

# --- oracles ---------------------------------------------------------------------------------
# openssl s_client's verdict on the MX certificates with the same roots and names
sclient() { # ADDR NAME: the verify return code
	timeout 10 openssl s_client -connect "$1:$P" -starttls smtp -CAfile "$CA" \
		-verify_hostname "$2" -servername "$2" </dev/null 2>/dev/null |
		sed -n 's/^ *Verify return code: \([0-9]*\).*/\1/p' | head -n 1
}
tap_is "$(sclient "$LAB_STS_MX_ADDR" "mx.good.$Z")" 0 "s_client: mx.good is valid (we say valid)"
tap_is "$(sclient "$LAB_STS_SELF_ADDR" "mx.self.$Z")" 18 "s_client: mx.self is self-signed (we say self-signed)"
tap_is "$(sclient "$LAB_STS_MX_ADDR" "mx.danefail.$Z")" 0 "s_client: mx.danefail is valid (we say valid)"
# curl(1) on the policy servers
if command -v curl >/dev/null 2>&1; then
	curlrc() { # DOMAIN: curl's exit code for the policy URL
		curl -sS -o /dev/null --max-time 5 --cacert "$CA" --resolve "mta-sts.$1:$P:$2" \
			"https://mta-sts.$1:$P/.well-known/mta-sts.txt" 2>/dev/null
		echo $?
	}
	tap_is "$(curlrc "enforce.$Z" "$LAB_STS_WEB_ADDR")" 0 "curl: the enforce policy is fetched"
	tap_is "$(curlrc "wrongname.$Z" "$LAB_STS_WEB_OTHER_ADDR")" 60 "curl: wrongname's certificate is refused (60)"
fi

tap_done
