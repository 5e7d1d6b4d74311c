#!/usr/bin/env bash
# --output-format=json for every plugin against the lab: good, broken, WARNING,
# UNKNOWN (a resolver that does not validate, bad arguments), a timeout, and
# --help. Each run's stdout must be exactly one JSON document that a real JSON
# parser accepts and that validates against docs/findings.schema.json
# (tests/json_check.py, python3-jsonschema), with the process's exit code in
# it and the finding codes the case is about; its state and summary must be
# those of the same run in text.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
srcdir=${top_srcdir:-$here/../..}
py=/usr/bin/python3
schema=$srcdir/docs/findings.schema.json

for p in check_dnssec_resolver check_tlsa check_dane_smtp check_dane_rollover check_tlsrpt check_mta_sts; do
	[ -x "$builddir/plugins/$p" ] || { echo "Bail out! $p not built"; exit 1; }
done
"$py" -c 'import jsonschema' 2>/dev/null ||
	tap_skip_all "python3-jsonschema not installed (scripts/install-deps)"
command -v postfix >/dev/null 2>&1 || tap_skip_all "postfix not installed (scripts/install-deps)"
lab_up
[ -n "${LAB_SMTP_PORT:-}" ] || { echo "Bail out! the lab has no SMTP servers"; exit 1; }

R=127.0.0.1@$LAB_VALIDATING_PORT
NR=127.0.0.1@$LAB_NONVALIDATING_PORT
P=$LAB_SMTP_PORT
work=$(mktemp -d)
cases=()
n=0

# json NAME CODES PLUGIN ARGS...: run PLUGIN in JSON and in text; check the JSON later
# (one python run for all), compare state and summary with the text run now.
json() {
	local name=$1 codes=$2 plugin=$3 rc trc
	shift 3
	n=$((n + 1))
	"$builddir/plugins/$plugin" --output-format=json "$@" >"$work/$n.json" 2>"$work/$n.err"
	rc=$?
	"$builddir/plugins/$plugin" "$@" >"$work/$n.txt" 2>/dev/null
	trc=$?
	cases+=("$name=$work/$n.json:$rc:$codes")
	tap_is "$(cat "$work/$n.err")" "" "$name: nothing on stderr"
	tap_is "$rc" "$trc" "$name: the same exit code as in text ($trc)"
	# the summary of the text's status line, without the perfdata; times masked (two runs)
	local want got mask='s/[0-9]+(\.[0-9]+)? (s|ms|us)\b/T/g'
	want=$(head -n 1 "$work/$n.txt" | sed -E 's/^[A-Z_]+ (OK|WARNING|CRITICAL|UNKNOWN) - //; s/ \| .*$//' | sed -E "$mask")
	got=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"])' "$work/$n.json" 2>/dev/null | sed -E "$mask")
	if [ "$name" != "${name%%--help*}" ] || [ "$name" != "${name%%timeout*}" ]; then
		return 0 # help: the summary is its first line; timeouts: times differ between runs
	fi
	tap_is "$got" "$want" "$name: the same summary as the text's status line"
}

S=check_dane_smtp
json "dane_smtp ok" "tlsa.match[domain+host+address+port+cert_type+tlsa]" $S -r "$R" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
json "dane_smtp warning (-w)" "probe.slow[host+address],tlsa.match" $S -r "$R" -p "$P" -H "mx1.$LAB_DANE_EE_DOMAIN" -w 0.000001
json "dane_smtp critical (wrong digest)" "tlsa.no_match[domain+host+address+port+cert_type]" $S -r "$R" -p "$P" -D "$LAB_WRONG_DIGEST_DOMAIN"
json "dane_smtp critical (digest agility)" "tlsa.no_match,tlsa.digest_agility" $S -r "$R" -p "$P" -D "$LAB_AGILITY_DOMAIN"
json "dane_smtp critical (no STARTTLS)" "smtp.no_starttls[host+address+port]" $S -r "$R" -p "$P" -D "$LAB_NO_STARTTLS_DOMAIN"
json "dane_smtp unknown (resolver does not validate)" "resolver.not_validating[resolver+domain]" $S -r "$NR" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
json "dane_smtp timeout (silent server)" "smtp.timeout[host+address]" $S -r "$R" -p "$P" -D "$LAB_SILENT_DOMAIN" -t 2
json "dane_smtp unknown (bad option)" "plugin.usage" $S --bogus-option -D "$LAB_DANE_EE_DOMAIN"
json "dane_smtp --help" "" $S --help

T=check_tlsa
json "tlsa ok" "tlsa.usable[domain+host+name],tlsa.record_usable[tlsa],host.addresses" $T -r "$R" -D tlsa-good.test -vv
json "tlsa critical (no TLSA)" "tlsa.none[domain+host+name]" $T -r "$R" -D tlsa-none.test
json "tlsa warning (digest agility)" "tlsa.some_unusable,tlsa.digest_agility" $T -r "$R" -p "$P" -D "$LAB_AGILITY_DOMAIN"
json "tlsa unknown (resolver does not validate)" "resolver.not_validating[resolver]" $T -r "$NR" -D "$LAB_DANE_EE_DOMAIN"
json "tlsa unknown (-D and -H)" "plugin.usage" $T -D a.test -H b.test

D=check_dnssec_resolver
json "dnssec_resolver ok" "resolver.validates[resolver+name],resolver.rejects_bogus[resolver+name]" $D -H "$R" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME"
json "dnssec_resolver critical (no AD)" "resolver.no_ad[resolver+name]" $D -H "$NR" -q "$LAB_SECURE_NAME"
json "dnssec_resolver unknown (bad name)" "plugin.usage" $D -H "$R" -q 'a..b'

O=check_dane_rollover
json "dane_rollover ok or warning" "renewal.host[host],cert.expiry[host+address+cert_type],rrsig.expiry" $O -r "$R" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
json "dane_rollover critical (wrong digest)" "cert.no_match[host+address]" $O -r "$R" -p "$P" -D "$LAB_WRONG_DIGEST_DOMAIN"
json "dane_rollover unknown (missing --cert file)" "file.unusable[file]" $O -r "$R" -p "$P" -H "mx1.$LAB_DANE_EE_DOMAIN" --cert /nonexistent.pem

X=check_tlsrpt
rd=$work/tlsrpt
mkdir -p "$rd"
day=$(date -u -d yesterday +%Y-%m-%d)
# a report with hostile text in it: '|', an escape sequence, UTF-8 (JSON escapes, as sent)
sed "s/@DAY@/$day/g" <<'EOF' | gzip >"$rd/microsoft.com!tlsa-good.test!1!2.json.gz"
{"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"@DAY@T00:00:00Z","end-datetime":"@DAY@T23:59:59Z"},"report-id":"1","policies":[{"policy":{"policy-type":"tlsa","policy-string":["3 1 1 0b0b"],"policy-domain":"tlsa-good.test","mx-host":"mx2.tlsa-good.test"},"summary":{"total-successful-session-count":722,"total-failure-session-count":97},"failure-details":[{"result-type":"tlsa-invalid","receiving-mx-hostname":"mx2.tlsa-good.test","receiving-ip":"127.0.3.2","failed-session-count":97,"additional-information":"|\u001b[31m\u00e9"}]}]}
EOF
printf 'not a report \377|\n' >"$rd/bad.json"
json "tlsrpt critical (tlsa-invalid)" "tlsrpt.failures[domain],tlsrpt.failure[domain+host+address],tlsrpt.policy_outdated[domain+host+name],tlsrpt.bad_report[file]" \
	$X -d "$rd" -D tlsa-good.test -r "$R" -v
json "tlsrpt ok (no reports)" "tlsrpt.no_reports[domain],tlsrpt.files_read" $X -d "$rd" -D none.example -r "$R"
json "tlsrpt warning (--max-age)" "tlsrpt.report_stale[domain]" $X -d "$rd" -D none.example --max-age 24 -r "$R"
json "tlsrpt unknown (no directory)" "tlsrpt.source_unreadable[file]" $X -d "$work/nonexistent" -r "$R"
json "tlsrpt unknown (no -d)" "plugin.usage" $X -D a.test
json "tlsrpt --help" "" $X --help

# --validate=local (issue 22): DNSSEC validated in the plugin, through the non-validating
# resolver; the root key sentinel; a failed DS lookup
L=(--validate=local --trust-anchor "$LAB_TRUST_ANCHOR")
json "tlsa local ok" "tlsa.usable" $T -r "$NR" "${L[@]}" -D tlsa-good.test -v
json "tlsa local critical (bogus)" "tlsa.bogus" $T -r "$NR" "${L[@]}" -D tlsa-bogus.test
json "tlsa local unknown (no trust anchor)" "validation.file_unusable" $T -r "$NR" --validate=local --trust-anchor /nonexistent.key -D tlsa-good.test
json "tlsa unknown (DS lookup failed)" "resolver.trust_undetermined" $T -r "127.0.0.1@$LAB_NOPARENT_PORT" -D tlsa-good.test
json "dane_smtp local ok" "tlsa.match" $S -r "$NR" "${L[@]}" -p "$P" -D "$LAB_DANE_EE_DOMAIN"
json "dane_rollover local" "" $O -r "$NR" "${L[@]}" -p "$P" -D "$LAB_SIG_EXPIRING_DOMAIN"
json "dnssec_resolver local second opinion" "resolver.local_agrees,resolver.local_disagrees" $D -H "$R" -H "$NR" -q "$LAB_SECURE_NAME" "${L[@]}"
json "dnssec_resolver sentinel" "resolver.trusts_root_key,resolver.root_key_not_trusted" $D -H "127.0.0.1@$LAB_ROOT_VALIDATING_PORT" -q sentinel.test. --root-key "$LAB_ROOT_KEY_TAG" --root-key 38696

# check_mta_sts (issue 20): the two kinds of senders, policy failures, hostile servers
if [ -x "$builddir/plugins/check_mta_sts" ] && [ -n "${LAB_STS_ZONE:-}" ]; then
	M=check_mta_sts
	MA=(-r "$R" -p "$P" --policy-port "$P" --ca-file "$LAB_STS_CA_PEM")
	json "mta_sts ok" "sts.policy[domain+name],sts.cert_valid[domain+host+address+port+cert_type],sts.mx_covered[domain+host],sts.txt[domain+name]" $M "${MA[@]}" -D "enforce.$LAB_STS_ZONE" -v
	json "mta_sts critical (self-signed, DANE valid)" "sts.cert_invalid[domain+host+address+port+cert_type]" $M "${MA[@]}" -D "self.$LAB_STS_ZONE"
	json "mta_sts warning (testing)" "sts.cert_invalid[host+address]" $M "${MA[@]}" -D "testing.$LAB_STS_ZONE"
	json "mta_sts critical (mx not covered)" "sts.mx_not_covered[domain+host]" $M "${MA[@]}" -D "uncovered.$LAB_STS_ZONE"
	json "mta_sts critical (DANE fails)" "sts.dane_fails[domain+host+address+port+cert_type]" $M "${MA[@]}" -D "danefail.$LAB_STS_ZONE"
	json "mta_sts critical (404)" "sts.policy_http_status[domain+name+address+port]" $M "${MA[@]}" -D "p404.$LAB_STS_ZONE"
	json "mta_sts critical (redirect)" "sts.policy_redirect[domain+name]" $M "${MA[@]}" -D "redirect.$LAB_STS_ZONE"
	json "mta_sts critical (policy certificate)" "sts.policy_cert_invalid[domain+name]" $M "${MA[@]}" -D "wrongname.$LAB_STS_ZONE"
	json "mta_sts critical (two TXT records)" "sts.txt_several[domain+name]" $M "${MA[@]}" -D "twotxt.$LAB_STS_ZONE"
	json "mta_sts critical (NUL in the policy)" "sts.policy_invalid[domain+name]" $M "${MA[@]}" -D "nul.$LAB_STS_ZONE"
	json "mta_sts critical (endless headers)" "sts.policy_fetch_failed[domain+name]" $M "${MA[@]}" -D "endless.$LAB_STS_ZONE"
	json "mta_sts ok (no policy)" "sts.no_policy[domain+name]" $M "${MA[@]}" -D "nosts.$LAB_STS_ZONE"
	json "mta_sts warning (resolver does not validate)" "sts.dane_not_judged[domain+resolver]" $M -r "$NR" -p "$P" --policy-port "$P" --ca-file "$LAB_STS_CA_PEM" -D "enforce.$LAB_STS_ZONE"
	json "mta_sts unknown (no -D)" "plugin.usage" $M -r "$R"
	json "mta_sts --help" "" $M --help
fi

# every document, against the schema, in one run of the checker
while read -r line; do
	case "$line" in
	"ok "*) _tap_result 0 "json: ${line#ok }: one JSON document, valid against the schema" ;;
	*) _tap_result 1 "json: ${line#not ok }"; tap_diag "$line" ;;
	esac
done < <("$py" "$srcdir/tests/json_check.py" "$schema" "${cases[@]}" 2>&1)
rm -rf "$work"
tap_done
