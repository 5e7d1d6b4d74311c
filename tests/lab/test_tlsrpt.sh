#!/usr/bin/env bash
# check_tlsrpt on report directories and a Maildir built at test time (gzip,
# base64 MIME): domains with and without failures, reports outside the
# window, duplicates, malformed files among good ones (a gzip bomb, a
# 10,000-deep JSON array, spam), the bounds, and the TLSA records senders
# used compared with the lab's DNS (tests/lab/zones/tlsa-good.test.zone).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/tap.sh"
builddir=${top_builddir:-$here/../..}
plugin=$builddir/plugins/check_tlsrpt

[ -x "$plugin" ] || { echo "Bail out! $plugin not built"; exit 1; }
for cmd in gzip base64 sha256sum; do
	command -v "$cmd" >/dev/null 2>&1 || tap_skip_all "$cmd not installed"
done
export LAB_SMTP=0 # DNS only
lab_up
R=127.0.0.1@$LAB_VALIDATING_PORT
work=$(mktemp -d "${TMPDIR:-/tmp}/tlsrpt-lab.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap '_lab_down; rm -rf "$work"' EXIT

# Yesterday, UTC: the day the reports cover (it ended less than 24 h ago).
day=$(date -u -d yesterday +%Y-%m-%d)
old=$(date -u -d '5 days ago' +%Y-%m-%d)
START=${day}T00:00:00Z END=${day}T23:59:59Z

# The records the lab publishes at _25._tcp.mx1/mx2.tlsa-good.test, and an old one.
MX1_311=61acd439f64fd630d1feab8c501b69e23d88ad16c9bf63fb37f5eab9a0dbd882
MX1_201=f5826097e4d12c5e57a6ecdff46b2a05b9088f80ac981b7be5adc5d182f589ec
OLD_311=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b

# microsoft ID START END: Microsoft's report for tlsa-good.test: mx1 fine with the
# records published now, mx2 failing with a record that is not published (any more)
microsoft() {
	cat <<EOF
{"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"$2","end-datetime":"$3"},"contact-info":"tlsrpt-noreply@microsoft.com","report-id":"$1+tlsa-good.test","policies":[{"policy":{"policy-type":"tlsa","policy-string":["3 1 1 ${MX1_311^^}","2 0 1 ${MX1_201^^}"],"policy-domain":"tlsa-good.test","mx-host":"mx1.tlsa-good.test"},"summary":{"total-successful-session-count":1021,"total-failure-session-count":0}},{"policy":{"policy-type":"tlsa","policy-string":["3 1 1 ${OLD_311^^}"],"policy-domain":"tlsa-good.test","mx-host":"mx2.tlsa-good.test"},"summary":{"total-successful-session-count":722,"total-failure-session-count":97},"failure-details":[{"result-type":"tlsa-invalid","sending-mta-ip":"2a01:111:f403:c200::1","receiving-mx-hostname":"mx2.tlsa-good.test","receiving-ip":"127.0.3.2","failed-session-count":97,"additional-information":"no TLSA record matches the certificate"}]}]}
EOF
}

# google DOMAIN ID START END OK FAILED TYPE: an MTA-STS-less report, Google-shaped
google() {
	cat <<EOF
{"organization-name":"Google Inc.","date-range":{"start-datetime":"$3","end-datetime":"$4"},"contact-info":"smtp-tls-reporting@google.com","report-id":"$2","policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"$1"},"summary":{"total-successful-session-count":$5,"total-failure-session-count":$6}$([ "$6" -gt 0 ] && echo ",\"failure-details\":[{\"result-type\":\"$7\",\"receiving-mx-hostname\":\"mx.$1\",\"receiving-ip\":\"192.0.2.25\",\"failed-session-count\":$6}]")}]}
EOF
}

# --- a report directory, as a report receiver saves them
D=$work/reports
mkdir -p "$D"
microsoft 134096256 "$START" "$END" | gzip >"$D/microsoft.com!tlsa-good.test!1!2.json.gz"
microsoft 134096256 "$START" "$END" >"$D/the-same-report-again.json"
microsoft 134010000 "${old}T00:00:00Z" "${old}T23:59:59Z" | gzip >"$D/microsoft.com!tlsa-good.test!0!1.json.gz"
google ok.example "${day}T00:00:00Z_ok.example" "$START" "$END" 312 0 - |
	gzip >"$D/google.com!ok.example!1!2.json.gz"
# an old file that is not even opened
google ok.example old-file "${old}T00:00:00Z" "${old}T23:59:59Z" 1 0 - >"$D/old-file.json"
touch -d '30 days ago' "$D/old-file.json"
echo 'not for us' >"$D/README"
clean=$work/clean
cp -r "$D" "$clean"
# hostile files among the good ones
head -c $((64 * 1024 * 1024)) /dev/zero | gzip >"$D/bomb.json.gz"
{ printf '%.0s[' $(seq 10000); printf '%.0s]' $(seq 10000); } >"$D/deep.json"
printf '{"organization-name":"Mallory","report-id":"x","date-range":{"start-datetime":"%s","end-datetime":"%s"},"policies":[{"policy":{"policy-type":"tlsa","policy-domain":"tlsa-good.test"},"summary":{"total-successful-session-count":0,"total-failure-session-count":-5}}]}' \
	"$START" "$END" >"$D/negative.json"
printf '\x1f\x8b\x08\x00garbage' >"$D/broken.json.gz"

# --- a Maildir that the rua mailbox delivers to
M=$work/Maildir
mkdir -p "$M/cur" "$M/new" "$M/tmp"
# mail FILE DOMAIN SUBMITTER TYPE BODY-FILE: a report message, the report base64 in a part
mail() {
	{
		printf 'From: noreply@%s\nTo: tlsrpt@%s\nSubject: Report Domain: %s Submitter: %s Report-ID: <%s>\n' \
			"$3" "$2" "$2" "$3" "$(basename "$1")"
		printf 'TLS-Report-Domain: %s\nTLS-Report-Submitter: %s\nMIME-Version: 1.0\n' "$2" "$3"
		printf 'Content-Type: multipart/report; report-type="tlsrpt"; boundary="=_b1"\n\n'
		printf -- '--=_b1\nContent-Type: text/plain; charset=us-ascii\n\nThis is an aggregate TLS report from %s.\n' "$3"
		printf -- '--=_b1\nContent-Type: %s; name="%s!%s!1!2.json.gz"\nContent-Transfer-Encoding: base64\n' "$4" "$3" "$2"
		printf 'Content-Disposition: attachment; filename="%s!%s!1!2.json.gz"\n\n' "$3" "$2"
		gzip <"$5" | base64
		printf -- '--=_b1--\n'
	} >"$1"
}
google mail.example m1 "$START" "$END" 1000 40 dnssec-invalid >"$work/m1.json"
mail "$M/new/1733100000.M1P1.mx:2," mail.example google.com application/tlsrpt+gzip "$work/m1.json"
google mail.example m2 "$START" "$END" 500 0 - >"$work/m2.json"
mail "$M/cur/1733100001.M2P2.mx:2,S" mail.example example.net application/gzip "$work/m2.json"
printf 'From: spam@example.com\nSubject: cheap\n\nbuy now\n' >"$M/cur/1733100002.M3P3.mx:2,S"
cp "$work/m1.json" "$M/tmp/1733100003.M4P4.mx" # being delivered: not read

sums() { find "$@" -type f -exec sha256sum {} + | sort; }
before=$(sums "$D" "$M")

# run ARGS...: sets OUT, ERR, RC, TOOK, FIRST
run() {
	local errf start
	errf=$(mktemp)
	start=$(now_s)
	OUT=$("$plugin" "$@" 2>"$errf")
	RC=$?
	TOOK=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }')
	ERR=$(cat "$errf")
	rm -f "$errf"
	FIRST=$(printf '%s\n' "$OUT" | head -n 1)
	tap_is "$ERR" "" "$*: nothing on stderr"
}

# --- tlsa-invalid at mx2, reported by Microsoft: CRITICAL, with MX host and reporter
run -d "$D" -D tlsa-good.test -r "$R"
tap_is "$RC" 2 "failures: exit 2"
tap_like "$FIRST" "^TLSRPT CRITICAL - tlsa-good.test: 97 of 1840 sessions failed \\(5.3 %\\) in 48 h: tlsa-invalid at mx2.tlsa-good.test \\(127.0.3.2\\), reported by Microsoft Corporation \\| 'reports'=1;;;0 'successful_sessions'=1743;;;0 'failed_sessions'=97;;;0 'failed_pct'=5.271739%;0;5;0;100 'failed_tlsa-invalid'=97;;;0 'time'=" \
	"failures: status line names the result type, MX host, reporter, counts; perfdata"
tap_like "$OUT" "^    \\[CRITICAL\\] tlsa-invalid at mx2.tlsa-good.test \\(127.0.3.2\\): 97 sessions, reported by Microsoft Corporation: no TLSA record matches the certificate$" \
	"failures: one line per MX host and result type, with the additional information"
tap_like "$OUT" "^    \\[CRITICAL\\] mx2.tlsa-good.test: Microsoft Corporation used TLSA records other than those published now at _25._tcp.mx2.tlsa-good.test; used, not published now: 3 1 1 0b0b0b0b...0b0b0b0b; published now, not used: 3 1 2 0b95feff...157e8bb8" \
	"policy-string: the record the sender used is not published; what DNS serves now"
tap_unlike "$OUT" "mx1.tlsa-good.test: Microsoft Corporation used the TLSA records published now" \
	"policy-string: a match is a -v line"
good_first=$FIRST
# the same comparison validated here (--validate=local) through the non-validating resolver
run -d "$D" -D tlsa-good.test -r "127.0.0.1@$LAB_NONVALIDATING_PORT" --validate=local --trust-anchor "$LAB_TRUST_ANCHOR"
tap_is "$(sed 's/ .time.=.*//' <<<"$FIRST")" "$(sed 's/ .time.=.*//' <<<"$good_first")" \
	"--validate=local through a non-validating resolver: the same status line"
tap_like "$OUT" "used TLSA records other than those published now at _25._tcp.mx2.tlsa-good.test" \
	"--validate=local: the records senders used are compared with what validates here"
run -d "$D" -D tlsa-good.test -r "$R" -v
tap_like "$OUT" "^    \\[OK\\] mx1.tlsa-good.test: Microsoft Corporation used the TLSA records published now at _25._tcp.mx1.tlsa-good.test \\(2 0 1 f5826097\\.\\.\\.82f589ec, 3 1 1 61acd439\\.\\.\\.a0dbd882\\)$" \
	"-v: the records mx1's sender used are those published now"
tap_like "$OUT" "^\\[OK\\] [0-9]+ files read in 1 directory: 4 reports, 1 counted in 48 h, 1 older, 1 duplicate, 1 for other domains or policy types; 1 file last changed before the window not opened$" \
	"-v: the files read: a duplicate and an old report do not count, an old file is not opened"

# --- the hostile files are named, not alarms; the verdict is the clean directory's
tap_like "$OUT" "^\\[OK\\] $D/bomb.json.gz: not a TLSRPT report: it decompresses to more than 4194304 bytes \\(a gzip bomb\\?\\)$" "gzip bomb: a clear per-file error"
tap_like "$OUT" "^\\[OK\\] $D/deep.json: not a TLSRPT report: not JSON: maximum parsing depth reached" "10,000-deep array: a clear per-file error"
tap_like "$OUT" "^\\[OK\\] $D/negative.json: not a TLSRPT report: policies\\[0\\]: total-failure-session-count is negative \\(-5\\)$" "negative count: refused"
tap_like "$OUT" "^\\[OK\\] $D/broken.json.gz: not a TLSRPT report: broken gzip data" "broken gzip: named"
tap_unlike "$OUT" "README" "other files are not read"
run -d "$clean" -D tlsa-good.test -r "$R"
tap_is "$(sed 's/ .time.=.*//' <<<"$FIRST")" "$(sed 's/ .time.=.*//' <<<"$good_first")" \
	"the hostile files change neither the verdict nor the counts"
run -d "$D" -D ok.example -r "$R"
tap_is "$RC" 0 "a domain whose reports are all successful: exit 0"
tap_like "$FIRST" "^TLSRPT OK - ok.example: 312 sessions in 48 h, none failed \\(1 report from Google Inc.\\) \\| 'reports'=1;;;0 'successful_sessions'=312;;;0 'failed_sessions'=0;;;0 'failed_pct'=0%;0;5;0;100 'time'=" \
	"all successful: OK with the counts"
ok_first=$FIRST
run -d "$clean" -D ok.example -r "$R"
tap_is "$(sed 's/ .time.=.*//' <<<"$FIRST")" "$(sed 's/ .time.=.*//' <<<"$ok_first")" \
	"all successful: the hostile files do not change it either"

# --- the Maildir: base64 gzip parts (also as application/gzip), spam named, tmp/ not read
run -d "$M" -D mail.example -r "$R"
tap_is "$RC" 1 "Maildir: 40 of 1540 failed (2.6 %): WARNING"
tap_like "$FIRST" "^TLSRPT WARNING - mail.example: 40 of 1540 sessions failed \\(2.6 %\\) in 48 h: dnssec-invalid at mx.mail.example \\(192.0.2.25\\), reported by Google Inc. \\|" \
	"Maildir: both reports counted, the failure named"
tap_like "$OUT" "^\\[OK\\] $M/cur/1733100002.M3P3.mx:2,S: not a TLSRPT report: a mail message without an application/tlsrpt\\+gzip or application/tlsrpt\\+json part \\(text/plain\\)$" \
	"Maildir: a message without a report is named"
tap_unlike "$OUT" "Maildir/tmp/" "Maildir: tmp/ is not read"

# --- both directories, every domain: labels with the domain, the worst domain first
run -d "$D" -d "$M" -r "$R"
tap_is "$RC" 2 "every domain: exit 2 (the worst)"
tap_like "$FIRST" "^TLSRPT CRITICAL - 2 domains with failures; tlsa-good.test: 97 of 1840 sessions failed" "every domain: the worst named, the others counted"
tap_like "$FIRST" "'failed_pct_mail.example'=2.597403%;0;5;0;100" "every domain: perfdata labels end in the domain"
tap_like "$FIRST" "'failed_dnssec-invalid_mail.example'=40;;;0" "every domain: failures per result type"

# --- thresholds, --policy, --window, --max-age, a domain without reports
run -d "$D" -D tlsa-good.test -r "$R" -w 10 -c 20
tap_is "$RC" 0 "-w 10 -c 20: 5.3 % is OK"
run -d "$D" -D tlsa-good.test -r "$R" -w 5 -c 20
tap_is "$RC" 1 "-w 5 -c 20: 5.3 % is a WARNING"
run -d "$D" -D tlsa-good.test -r "$R" --policy sts
tap_is "$RC" 0 "--policy sts: Microsoft's DANE reports do not count"
tap_like "$FIRST" "^TLSRPT OK - no reports in 48 h for tlsa-good.test \\|" "--policy sts: no reports"
run -d "$D" -D none.example -r "$R"
tap_is "$RC" 0 "no report in the window without --max-age: OK"
tap_like "$FIRST" "^TLSRPT OK - no reports in 48 h for none.example \\|" "no reports: said so"
run -d "$D" -D none.example -r "$R" --max-age 72
tap_is "$RC" 1 "--max-age and no report: WARNING"
tap_like "$FIRST" "^TLSRPT WARNING - none.example: no report found \\(--max-age 72 h\\)" "--max-age: reporting broken"
run -d "$D" -D tlsa-good.test -r "$R" --window 200 --max-age 150
tap_like "$OUT" "2 reports from Microsoft Corporation" "--window 200: the older report counts too"

# --- the bounds: more files than are read in one run
B=$work/many
mkdir -p "$B"
for i in $(seq 1 1003); do
	google ok.example "many-$i" "$START" "$END" 1 0 - >"$B/r$i.json"
done
run -d "$B" -D ok.example -r "$R"
tap_is "$RC" 1 "1003 files: WARNING"
tap_like "$OUT" "^\\[WARNING\\] 3 report files not read \\(only the newest files are read\\): failures in them are not seen$" "1003 files: how many were skipped"
tap_cmp_lt "$TOOK" 5 "1003 files read within 5 s"

# --- a resolver that never answers: the comparison gives up after 5 s, the verdict stays
bh=$builddir/tests/helpers/blackhole_udp
if [ -x "$bh" ]; then
	"$bh" 127.0.0.1 60 >"$work/bh.port" 2>/dev/null &
	bhpid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$work/bh.port" ] && break; sleep 0.2; done
	run -d "$clean" -D tlsa-good.test -r "127.0.0.1@$(cat "$work/bh.port")"
	kill "$bhpid" 2>/dev/null
	wait "$bhpid" 2>/dev/null
	tap_is "$RC" 2 "silent resolver: the reports still decide (exit 2)"
	tap_like "$OUT" "mx2.tlsa-good.test: the TLSA records Microsoft Corporation used \\(3 1 1 0b0b0b0b...0b0b0b0b\\) not compared with DNS: timed out after 5 s" \
		"silent resolver: the comparison says why it is missing"
	tap_cmp_lt "$TOOK" 7 "silent resolver: the lookups take at most 5 s"
else
	_tap_result 0 "# SKIP blackhole_udp not built"
fi

# --- usage and local failures
run -d "$work/nonexistent" -r "$R"
tap_is "$RC" 3 "a directory that does not exist: UNKNOWN"
tap_like "$FIRST" "^TLSRPT UNKNOWN - $work/nonexistent: the report directory cannot be read: No such file or directory" "unreadable directory: named"
run -D tlsa-good.test
tap_is "$RC" 3 "no -d: usage error"
run -d "$D" --window 0
tap_is "$RC" 3 "--window 0: usage error"
run -d "$D" --policy dane
tap_is "$RC" 3 "--policy dane: usage error"

# --- read only
tap_is "$(sums "$D" "$M")" "$before" "no report file or message was changed, moved or deleted"
tap_done
