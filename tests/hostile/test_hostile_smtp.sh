#!/usr/bin/env bash
# check_dane_smtp (and check_dane_rollover) against hostile SMTP peers (issue 7).
# tests/hostile/hostile_smtp plays one misbehaving server per run on 127.0.4.1
# (a random port); the lab zone hostile.test (tests/lab/zones/hostile.test.zone)
# gives peer.hostile.test that address and a wildcard TLSA 3 1 1 record naming
# tests/hostile/hostile.key. Every run must keep the output contract (lib.sh)
# and end within -t + 0.5 s; the exit code is asserted per mode.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lab/tap.sh"
. "$here/lib.sh"
builddir=${top_builddir:-$here/../..}
smtp_plugin=$builddir/plugins/check_dane_smtp
rollover_plugin=$builddir/plugins/check_dane_rollover
peer=$builddir/tests/hostile/hostile_smtp
key=$here/hostile.key
T=${HOSTILE_TIMEOUT:-3}
LIMIT=$((T * 1000 + ${HOSTILE_SLACK_MS:-500})) # ms: the deadline + 0.5 s

[ -x "$smtp_plugin" ] || { echo "Bail out! $smtp_plugin not built"; exit 1; }
[ -x "$peer" ] || tap_skip_all "$peer not built (make check builds it)"
[ -r "$key" ] || tap_skip_all "$key missing"
# Only nsd + unbound are needed: the lab's Postfix part (where lab.sh has one) stays off.
export LAB_SMTP=${LAB_SMTP:-0}
lab_up
R=127.0.0.1@$LAB_VALIDATING_PORT

work=$(mktemp -d "${TMPDIR:-/tmp}/hostile-smtp.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }

# run_case DIR PLUGIN MODE [ARGS...]: one peer, one plugin run; leaves port, out, err, rc,
# took in DIR
run_case() {
	local dir=$1 plugin=$2 mode=$3 pid port
	shift 3
	mkdir -p "$dir"
	"$peer" -l 20 -k "$key" 127.0.4.1 0 "$mode" >"$dir/port" 2>"$dir/peer.err" &
	pid=$!
	if ! port=$(hostile_wait_port "$dir/port"); then
		hostile_stop "$pid"
		echo "peer did not start" >"$dir/fail"
		return 0
	fi
	hostile_run "$dir/out" "$dir/err" "$plugin" -H peer.hostile.test -p "$port" -r "$R" -t "$T" "$@"
	hostile_stop "$pid"
	echo "$RC" >"$dir/rc"
	echo "$TOOK" >"$dir/took"
}

# check_case DIR NAME SERVICE EXPECTED_RC [REGEX]: the contract, and what the output says
check_case() {
	local dir=$1 name=$2 service=$3 want=$4 re=${5:-} rc took show=${HOSTILE_VERBOSE:-0}
	if [ -e "$dir/fail" ]; then
		_tap_result 1 "$name: peer started"
		tap_diag "$(cat "$dir/fail" "$dir/peer.err" 2>/dev/null)"
		return 0
	fi
	read -r rc <"$dir/rc"
	read -r took <"$dir/took"
	hostile_assert "$name" "$service" "$dir/out" "$dir/err" "$rc" "$took" "$LIMIT" "$want"
	if [ -n "$re" ]; then
		if grep -Eq -- "$re" "$dir/out"; then
			_tap_result 0 "$name: says why"
		else
			_tap_result 1 "$name: says why"
			tap_diag "output does not match /$re/"
			show=1
		fi
	fi
	if [ "$show" = 1 ] || { [ "$want" != any ] && [ "$rc" != "$want" ]; }; then
		tap_diag "output of $name:" "$(cat -v "$dir/out")"
	fi
	return 0
}

S=check_dane_smtp
# mode                        exit  what the output must say
cases=(
	"good                        0 verified by DANE"
	"silent                      2 timed out after $T s while waiting for the greeting"
	"slow-greeting               2 timed out after $T s while waiting for the greeting \\(part of a reply came\\)"
	"huge-greeting               2 reply line too long"
	"many-lines                  2 too many lines in one reply"
	"code-abc                    2 invalid reply code"
	"code-2500                   2 invalid reply code"
	"code-25                     2 invalid reply code"
	"code-600                    2 invalid reply code"
	"empty-lines                 2 invalid reply code"
	"mixed-codes                 2 reply code changes from 220 to 250"
	"banner-newline              2 protocol error after EHLO"
	"banner-forge                2 greeting is 554"
	"numbered-554                2 greeting is 554, not 2xx: 554 5.3.2 refused, connection [123]"
	"banner-multi-forge          2 protocol error while waiting for the greeting"
	"ehlo-mixed                  2 reply code changes from 250 to 220"
	"ehlo-forge                  2 EHLO rejected with 550"
	"ehlo-forge-250              2 STARTTLS not offered"
	"ehlo-huge                   2 reply too long"
	"starttls-forge              2 STARTTLS refused with 454"
	"starttls-inject             2 command injection"
	"starttls-close              2 the server closed the connection after STARTTLS, without answering the TLS ClientHello"
	"starttls-half-close         2 the server closed the connection after STARTTLS, without answering the TLS ClientHello"
	"starttls-rst-unread         2 the server closed the connection after STARTTLS, without answering the TLS ClientHello"
	"starttls-garbage            2 TLS handshake failed"
	"tls-alert                   2 alert"
	"tls-close-mid               2 closed the connection during the TLS handshake"
	"tls-reset                   2 the server closed the connection after STARTTLS, without answering the TLS ClientHello"
	"tls-silent                  2 timed out in the TLS handshake"
	"chain50                     0 matched 3 1 1 213132"
	"chain50-wrongkey            2 no TLSA record matches"
	"bigsubject                  0 matched 3 1 1 213132"
	"bigsubject-wrongkey         2 no TLSA record matches"
	"bigsubject-selfsigned       2 excessive message size"
	"forged-names                2 no TLSA record matches"
	"expired                     0 matched 3 1 1 213132"
	"not-yet-valid               0 matched 3 1 1 213132"
	"quit-hang                   0 verified by DANE"
	"post-tls-garbage            0 verified by DANE"
)
# All runs first, several at a time (each peer has its own port), then the checks.
JOBS=${HOSTILE_JOBS:-$(hostile_jobs)}
start=$(hostile_now)
i=0
for c in "${cases[@]}"; do
	read -r mode _ <<<"$c"
	hostile_throttle "$JOBS"
	run_case "$work/smtp.$i" "$smtp_plugin" "$mode" &
	if [ -x "$rollover_plugin" ]; then
		hostile_throttle "$JOBS"
		run_case "$work/roll.$i" "$rollover_plugin" "$mode" &
	fi
	hostile_throttle "$JOBS"
	run_case "$work/json.$i" "$smtp_plugin" "$mode" --output-format=json &
	i=$((i + 1))
done
wait
took_all=$(hostile_elapsed "$start")

i=0
json_cases=()
for c in "${cases[@]}"; do
	read -r mode want re <<<"$c"
	check_case "$work/smtp.$i" "check_dane_smtp vs $mode" DANE_SMTP "$want" "$re"
	# an address's probes fold into one line only when their words agree
	if [ "$mode" = numbered-554 ]; then
		n=$(grep -o 'refused, connection [0-9]*' "$work/smtp.$i/out" | sort -u | wc -l)
		tap_is "$n" 3 "check_dane_smtp vs $mode: a line for each probe, whose words differ"
		[ "$n" = 3 ] || tap_diag "output of check_dane_smtp vs $mode:" "$(cat -v "$work/smtp.$i/out")"
	fi
	# check_dane_rollover fetches the chains the same way: any verdict, same contract
	[ -x "$rollover_plugin" ] &&
		check_case "$work/roll.$i" "check_dane_rollover vs $mode" DANE_ROLLOVER any
	# the same run in JSON: one valid document (checked below), the same exit code
	if [ -e "$work/json.$i/fail" ]; then
		_tap_result 1 "check_dane_smtp --output-format=json vs $mode: peer started"
	else
		tap_is "$(cat "$work/json.$i/rc")" "$want" "check_dane_smtp --output-format=json vs $mode: exit $want"
		tap_is "$(head -c 2000 "$work/json.$i/err")" "" "check_dane_smtp --output-format=json vs $mode: nothing on stderr"
		json_cases+=("check_dane_smtp --output-format=json vs $mode=$work/json.$i/out:$want")
	fi
	i=$((i + 1))
done
# The JSON documents: a real parser, the schema (python3-jsonschema), the exit code.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	while read -r line; do
		case "$line" in
		"ok "*) _tap_result 0 "${line#ok }: one JSON document, valid against the schema" ;;
		*) _tap_result 1 "${line#not ok }"; tap_diag "$line" ;;
		esac
	done < <(/usr/bin/python3 "${top_srcdir:-$here/../..}/tests/json_check.py" \
		"${top_srcdir:-$here/../..}/docs/findings.schema.json" "${json_cases[@]}" 2>&1)
else
	_tap_result 1 "python3-jsonschema is installed (scripts/install-deps) for the JSON checks"
fi
# Every mode of the peer is tested.
tap_is "$("$peer" -L | awk '{ print $1 }' | sort | tr '\n' ' ')" \
	"$(for c in "${cases[@]}"; do read -r m _ <<<"$c"; echo "$m"; done | sort | tr '\n' ' ')" \
	"every mode of hostile_smtp is tested"

rm -rf "$work"
tap_diag "$HOSTILE_CASES hostile cases ran (${#cases[@]} peer modes x 2 plugins, and check_dane_smtp in JSON, $JOBS at a time, in $took_all s)"
tap_done
