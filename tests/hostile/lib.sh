# lib.sh -- shared by the hostile-peer TAP scripts (issue 7); source it after
# tests/lab/tap.sh. The contract every plugin run is held to, whatever the peer:
#   exit 0..3 (never a signal), ONE status line "SERVICE STATE - summary" first,
#   detail lines "[STATE] text" (indented by 4 per level), perfdata only after
#   the one '|' of the first line, only printable ASCII and newlines, nothing on
#   stderr, and the run ends within -t + 0.5 s.
# Mostly bash builtins: these checks run hundreds of times per script.
# shellcheck shell=bash

HOSTILE_CASES=0

# hostile_now: seconds since the epoch with microseconds (no process)
hostile_now() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		printf '%s' "${EPOCHREALTIME/,/.}"
	else
		date +%s.%N
	fi
}

# hostile_elapsed START: seconds since START (from hostile_now), 3 decimals
hostile_elapsed() {
	local a=$1 b fa fb d
	b=$(hostile_now)
	# microseconds as integers: bash arithmetic, no awk
	fa=${a#*.}000000 fb=${b#*.}000000
	d=$(( (${b%.*} - ${a%.*}) * 1000000 + 10#${fb:0:6} - 10#${fa:0:6} ))
	printf '%d.%03d' $(( d / 1000000 )) $(( (d % 1000000) / 1000 ))
}

# hostile_run OUTFILE ERRFILE CMD...: run CMD; sets RC and TOOK (seconds). A
# hard bound (HOSTILE_KILL_AFTER seconds, default 60) kills a CMD that hangs
# despite its deadline: its exit code is then 124 or 137, a failure.
hostile_run() {
	local outf=$1 errf=$2 start
	shift 2
	start=$(hostile_now)
	timeout -k 2 "${HOSTILE_KILL_AFTER:-60}" "$@" >"$outf" 2>"$errf" </dev/null
	RC=$?
	TOOK=$(hostile_elapsed "$start")
}

# hostile_assert NAME SERVICE OUTFILE ERRFILE RC TOOK LIMIT_MS EXPECTED_RC
#   TOOK: seconds with 3 decimals (hostile_run); LIMIT_MS: -t + slack, in ms;
#   EXPECTED_RC: a number, or "any" (0..3). Two TAP results: the exit code, and
#   the whole contract (each broken property is named in a diagnostic).
hostile_assert() {
	local name=$1 service=$2 outf=$3 errf=$4 rc=$5 took=$6 limit=$7 want=$8
	local -a lines=() broken=()
	local first line pipes_first pipes_rest="" nstatus=0 nbad=0 badline="" bad_bytes ok i
	local status_re='^[A-Z_]+ (OK|WARNING|CRITICAL|UNKNOWN) - '
	local detail_re='^(    )*\[(OK|WARNING|CRITICAL|UNKNOWN)\] '
	local perf_item="'([^']|'')+'=[-0-9.U][^ ;]*(;[^ ;]*){0,4}"
	local perf_re=" \\| $perf_item( $perf_item)*\$"

	HOSTILE_CASES=$((HOSTILE_CASES + 1))
	ok=1
	if [ "$want" = any ]; then
		[ "$rc" -ge 0 ] && [ "$rc" -le 3 ] && ok=0
		_tap_result "$ok" "$name: exit $rc (0..3)"
	else
		[ "$rc" = "$want" ] && ok=0
		_tap_result "$ok" "$name: exit $want"
		[ "$ok" = 0 ] || tap_diag "got exit $rc"
	fi
	[ "$rc" -lt 128 ] || tap_diag "killed by signal $((rc - 128))"

	mapfile -t lines <"$outf"
	first=${lines[0]:-}
	[[ $first =~ ^$service\ (OK|WARNING|CRITICAL|UNKNOWN)\ -\  ]] ||
		broken+=("the first line is not a '$service STATE - ' status line: '$first'")
	for ((i = 0; i < ${#lines[@]}; i++)); do
		line=${lines[$i]}
		[[ $line =~ $status_re ]] && nstatus=$((nstatus + 1))
		if [ "$i" -gt 0 ]; then
			if ! [[ $line =~ $detail_re ]]; then
				nbad=$((nbad + 1))
				[ -n "$badline" ] || badline=$line
			fi
			pipes_rest+=${line//[^|]/}
		fi
	done
	[ "$nstatus" = 1 ] || broken+=("$nstatus lines look like status lines, not 1")
	[ "$nbad" = 0 ] || broken+=("$nbad lines after the first are no '[STATE] ' detail lines, e.g. '$badline'")
	pipes_first=${first//[^|]/}
	[ "${#pipes_first}" = 1 ] || broken+=("${#pipes_first} '|' on the first line, not 1")
	[ "${#pipes_rest}" = 0 ] || broken+=("${#pipes_rest} '|' after the first line")
	[[ $first =~ $perf_re ]] || broken+=("no well-formed perfdata after the '|'")
	bad_bytes=$(LC_ALL=C tr -d '\n\040-\176' <"$outf" | wc -c)
	[ "$bad_bytes" -eq 0 ] || broken+=("$bad_bytes control, NUL, ESC or 8-bit bytes in the output: $(od -c "$outf" | head -n 12)")
	[ -s "$errf" ] && broken+=("stderr: $(head -c 2000 "$errf")")
	[ "$(( 10#${took%.*} * 1000 + 10#${took#*.} ))" -lt "$limit" ] ||
		broken+=("took $took s, over $limit ms")
	ok=1
	[ ${#broken[@]} -eq 0 ] && ok=0
	_tap_result "$ok" "$name: output contract, within $limit ms ($took s)"
	for line in "${broken[@]}"; do
		tap_diag "$line"
	done
	return 0
}

# hostile_wait_port FILE: wait (5 s at most) until FILE holds a port; prints it
hostile_wait_port() {
	local i p
	for ((i = 0; i < 250; i++)); do
		if [ -s "$1" ]; then
			read -r p <"$1" || true
			if [[ ${p:-} =~ ^[0-9]+$ ]]; then
				printf '%s\n' "$p"
				return 0
			fi
		fi
		sleep 0.02
	done
	return 1
}

# hostile_stop PID: end a helper we started (by its pid) and reap it
hostile_stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# hostile_throttle N: wait until fewer than N of our background jobs run
hostile_throttle() {
	while [ "$(jobs -rp | wc -l)" -ge "$1" ]; do
		wait -n 2>/dev/null || true
	done
}

# hostile_jobs: how many cases to run at a time by default: 2 per CPU, 2..6
hostile_jobs() {
	local n
	n=$(( $(nproc 2>/dev/null || echo 1) * 2 ))
	[ "$n" -ge 2 ] || n=2
	[ "$n" -le 6 ] || n=6
	echo "$n"
}

# hostile_known_bug OK DESC WHY: a TAP result for a bug reported but not fixed
# yet: "not ok ... # TODO" (automake: XFAIL) while it is there; once fixed it
# passes as "ok ... # TODO" (XPASS, which make check reports: drop the call's
# TODO then, by turning it into _tap_result).
hostile_known_bug() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %d - %s # TODO %s\n' "$TAP_N" "$2" "$3"
	else
		printf 'not ok %d - %s # TODO %s\n' "$TAP_N" "$2" "$3"
	fi
	return 0
}
