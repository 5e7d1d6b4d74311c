#!/usr/bin/env bash
# The plugins against a hostile "validating resolver" (issue 7):
# tests/hostile/hostile_dns answers on 127.0.0.1 (UDP + TCP, a random port),
# sets AD itself and misbehaves one way per run (see hostile_dns -L). Every
# plugin run must keep the output contract (lib.sh): exit 0..3 (never a
# signal), one status line, nothing on stderr, within -t + 0.5 s. For
# check_tlsa the verdict is asserted too. No lab needed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lab/tap.sh"
. "$here/lib.sh"
builddir=${top_builddir:-$here/../..}
server=$builddir/tests/hostile/hostile_dns
T=${HOSTILE_TIMEOUT:-3}
LIMIT=$((T * 1000 + ${HOSTILE_SLACK_MS:-500})) # ms: the deadline + 0.5 s
D=dns.hostile.test

[ -x "$server" ] || tap_skip_all "$server not built (make check builds it)"
for p in check_tlsa check_dane_smtp check_dane_rollover check_dnssec_resolver check_mta_sts; do
	[ -x "$builddir/plugins/$p" ] || { echo "Bail out! $builddir/plugins/$p not built"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/hostile-dns.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap 'rm -rf "$work"' EXIT

# mode            check_tlsa exit (any: 0..3), and what its output must say
cases=(
	"good             0 1 MX host, all with usable DNSSEC-secure TLSA records"
	"tlsa-empty       2 none of the 2 TLSA records .* is usable"
	"tlsa-3bytes      2 none of the 1 TLSA records .* is usable"
	"tlsa-1byte       2 none of the 1 TLSA records .* is usable"
	"tlsa-64k         2 none of the 1 TLSA records .* is usable"
	"tlsa-64k-udp     2 none of the 1 TLSA records .* is usable"
	"tlsa-many        1 1200 usable DNSSEC-secure TLSA records"
	"tlsa-junk        1 1 of 6 TLSA records .* usable"
	"cname-self       2 no address records"
	"cname-cycle      2 no address records"
	"cname-cycle-a    0 1 MX host"
	"cname-long       0 CNAME to c15"
	"mx100            1 68 more MX hosts not checked"
	"mx100-2addr      1 68 more MX hosts not checked"
	"mx-names         0 4 MX hosts"
	"mx-nullmix       1 null MX"
	"mx-empty         0 1 MX host"
	"mx-longname      any ."
	"rdata-junk       2 address lookup failed: malformed reply"
	"many-addrs       0 9 MX hosts, all with usable"
	"tc-always        0 1 MX host, all with usable"
	"tc-notcp         2 MX lookup failed: TCP"
	"tcp-garbage      2 MX lookup failed: (malformed reply over TCP|reply over TCP does not match)"
	"tcp-short        2 MX lookup failed: TCP answer too short"
	"tcp-mismatch     2 MX lookup failed: reply over TCP does not match the query"
	"tcp-half         2 MX lookup failed: TCP connection closed mid-answer"
	"tcp-trickle      2 timed out after $T s while looking up the MX records"
	"bad-id           2 timed out after $T s while looking up the MX records"
	"bad-question     2 timed out after $T s while looking up the MX records"
	"spoof-first      0 1 MX host, all with usable"
	"garbage          2 MX lookup failed: malformed reply"
	"short            2 MX lookup failed: malformed reply"
	"count-lie        2 MX lookup failed: malformed reply"
	"compress-loop    2 MX lookup failed: malformed reply"
	"servfail         2 SERVFAIL, also with CD"
	"bogus            2 MX records do not validate \\(bogus\\)"
	"refused          2 REFUSED"
	"notimp           2 MX lookup failed: NOTIMPL"
	"nxdomain         2 the domain does not exist"
	"no-ad            2 domain is not DNSSEC-signed"
	"rrsig-weird      0 1 MX host"
	"no-question      2 timed out after $T s"
	"silent           2 timed out after $T s"
	"sts-good         0 1 MX host, all with usable"
	"sts-txt-64k      0 1 MX host, all with usable"
	"sts-txt-many     0 1 MX host, all with usable"
	"sts-txt-ctl      0 1 MX host, all with usable"
)
# check_mta_sts (issue 20) against every mode (the contract), and its verdict on these:
# the _mta-sts TXT records of the sts-* modes, no record in the others
declare -A sts_want=(
	[good]="0 no MTA-STS policy \\(no TXT record at _mta-sts"
	[sts-good]="2 cannot be used: cannot connect to mta-sts\\.$D"
	[sts-txt-64k]="2 the record is 64770 bytes long \\(at most 1024\\)"
	[sts-txt-many]="2 200 TXT records beginning with v=STSv1 at _mta-sts"
	[sts-txt-ctl]="2 byte 0x00 at offset 13 \\(NUL, control and non-ASCII bytes are not allowed\\)"
	[servfail]="2 the TXT lookup of _mta-sts\\.$D\\. failed"
)
# check_tlsa+local: check_tlsa --validate=local (issue 22), the hostile server as its
# forwarder and a trust anchor for hostile.test.: libunbound gets every mode's data
plugins=(check_tlsa check_dane_smtp check_dane_rollover check_dnssec_resolver check_mta_sts check_tlsa+local)
printf 'hostile.test. IN DS 4711 13 2 %s\n' \
	0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >"$work/anchor"

# run_case DIR MODE PLUGIN: one server, one plugin run; leaves out, err, rc, took in DIR
run_case() {
	local dir=$1 mode=$2 plugin=$3 pid port
	mkdir -p "$dir"
	"$server" -l 20 127.0.0.1 0 "$mode" >"$dir/port" 2>"$dir/server.err" &
	pid=$!
	if ! port=$(hostile_wait_port "$dir/port"); then
		hostile_stop "$pid"
		echo "server did not start" >"$dir/fail"
		return 0
	fi
	if [ "$plugin" = check_dnssec_resolver ]; then
		hostile_run "$dir/out" "$dir/err" "$builddir/plugins/$plugin" -H "127.0.0.1@$port" \
			-q "$D" -b "www.$D" -t "$T"
	elif [ "$plugin" = check_tlsa+local ]; then
		hostile_run "$dir/out" "$dir/err" "$builddir/plugins/check_tlsa" -D "$D" -p "$port" \
			-r "127.0.0.1@$port" -t "$T" --validate=local --trust-anchor "$work/anchor"
	else
		# -p: the SMTP port (nothing listens on 127.0.4.x there), TLSA at _PORT._tcp
		hostile_run "$dir/out" "$dir/err" "$builddir/plugins/$plugin" -D "$D" -p "$port" \
			-r "127.0.0.1@$port" -t "$T"
	fi
	hostile_stop "$pid"
	echo "$RC" >"$dir/rc"
	echo "$TOOK" >"$dir/took"
}

# The runs, several at a time (each server has its own port); those that wait
# for the deadline first, so that they overlap the rest. Then the checks.
JOBS=${HOSTILE_JOBS:-$(hostile_jobs)}
start=$(hostile_now)
for pass in slow fast; do
	i=0
	for c in "${cases[@]}"; do
		read -r mode _ <<<"$c"
		slow=fast
		[[ $c == *"timed out"* ]] && slow=slow
		if [ "$slow" = "$pass" ]; then
			for plugin in "${plugins[@]}"; do
				hostile_throttle "$JOBS"
				run_case "$work/$i.$plugin" "$mode" "$plugin" &
			done
		fi
		i=$((i + 1))
	done
done
wait
took_all=$(hostile_elapsed "$start")

service_of() {
	case $1 in
	check_tlsa | check_tlsa+local) echo TLSA ;;
	check_dane_smtp) echo DANE_SMTP ;;
	check_dane_rollover) echo DANE_ROLLOVER ;;
	check_dnssec_resolver) echo DNSSEC_RESOLVER ;;
	check_mta_sts) echo MTA_STS ;;
	esac
}

i=0
for c in "${cases[@]}"; do
	read -r mode want re <<<"$c"
	for plugin in "${plugins[@]}"; do
		dir=$work/$i.$plugin name="$plugin vs $mode"
		if [ -e "$dir/fail" ]; then
			_tap_result 1 "$name: server started"
			tap_diag "$(cat "$dir/fail" "$dir/server.err" 2>/dev/null)"
			continue
		fi
		read -r rc <"$dir/rc"
		read -r took <"$dir/took"
		if [ "$plugin" = check_tlsa ]; then
			hostile_assert "$name" TLSA "$dir/out" "$dir/err" "$rc" "$took" "$LIMIT" "$want"
			if grep -Eq -- "$re" "$dir/out"; then
				_tap_result 0 "$name: says why"
			else
				_tap_result 1 "$name: says why"
				tap_diag "output does not match /$re/:" "$(cat -v "$dir/out")"
			fi
		elif [ "$plugin" = check_mta_sts ] && [ -n "${sts_want[$mode]:-}" ]; then
			hostile_assert "$name" MTA_STS "$dir/out" "$dir/err" "$rc" "$took" "$LIMIT" \
				"${sts_want[$mode]%% *}"
			if grep -Eq -- "${sts_want[$mode]#* }" "$dir/out"; then
				_tap_result 0 "$name: says why"
			else
				_tap_result 1 "$name: says why"
				tap_diag "output does not match /${sts_want[$mode]#* }/:" "$(cat -v "$dir/out")"
			fi
		else
			hostile_assert "$name" "$(service_of "$plugin")" "$dir/out" "$dir/err" "$rc" "$took" \
				"$LIMIT" any
		fi
		[ -s "$dir/server.err" ] && tap_diag "hostile_dns said: $(head -c 500 "$dir/server.err")"
		if [ "${HOSTILE_VERBOSE:-0}" = 1 ]; then
			tap_diag "output of $name:" "$(cat -v "$dir/out" | head -n 5)"
		fi
	done
	i=$((i + 1))
done
# Bugs these servers found (issue 7; fixed in 6541332), kept as regression tests.
bug_case() { # MODE PEERS PLUGIN ARGS...: output in $work/bug.out; PEERS: hostile_smtp
	local mode=$1 peers=$2 plugin=$3 pid port a ppids=()
	shift 3
	rm -f "$work/bug.port" # not the last case's port: the redirection below is asynchronous
	"$server" -l 30 127.0.0.1 0 "$mode" >"$work/bug.port" 2>/dev/null &
	pid=$!
	port=$(hostile_wait_port "$work/bug.port") || { hostile_stop "$pid"; : >"$work/bug.out"; return 0; }
	if [ "$peers" -gt 0 ] && [ -x "$builddir/tests/hostile/hostile_smtp" ]; then
		for ((a = 100; a < 100 + peers; a++)); do
			"$builddir/tests/hostile/hostile_smtp" -l 30 -k "$here/hostile.key" "127.0.4.$a" "$port" good \
				>/dev/null 2>&1 &
			ppids+=($!)
		done
		sleep 0.3
	fi
	timeout -k 2 60 "$builddir/plugins/$plugin" -D "$D" -p "$port" -r "127.0.0.1@$port" -t 10 "$@" \
		>"$work/bug.out" 2>&1
	for a in "${ppids[@]}"; do hostile_stop "$a"; done
	hostile_stop "$pid"
}
# 1. 9 MX hosts x 16 addresses = 144 > PROBE_MAX_TARGETS (128): the 9th host is
#    never probed, and nothing says so ("OK - 128 addresses of 9 MX hosts verified").
bug_case many-addrs 16 check_dane_smtp
ok=1
grep -Eq 'mx8\.dns\.hostile\.test|not (probed|checked)' "$work/bug.out" && ok=0
_tap_result "$ok" "check_dane_smtp, 144 addresses (over the 128 probes): the unprobed host is named"
[ "$ok" = 0 ] || tap_diag "$(cut -c1-300 "$work/bug.out" | head -n 3)"
# 2. 100 MX hosts: the 32 checked are the first 32 of the answer, not the 32 most
#    preferred; mx98 (preference 0, late in the answer) is dropped for mx6 (preference 6).
bug_case mx100 0 check_tlsa
ok=1
grep -q '^\[[A-Z]*\] mx98\.dns\.hostile\.test\. (MX 0)' "$work/bug.out" && ok=0
_tap_result "$ok" "check_tlsa, 100 MX hosts: the 32 most preferred are checked"
[ "$ok" = 0 ] || tap_diag "$(cut -c1-300 "$work/bug.out" | head -n 3)"
# 3. A legal 253-byte MX host name of unprintable bytes is longer than MX_NAME_MAX in
#    presentation form (\DDD escapes): cut, it is "an invalid query name".
bug_case mx-longname 0 check_tlsa
ok=1
grep -q 'invalid query name' "$work/bug.out" || ok=0
_tap_result "$ok" "check_tlsa, a 253-byte MX host name of unprintable bytes is looked up"
[ "$ok" = 0 ] || tap_diag "$(cut -c1-300 "$work/bug.out" | head -n 3)"

# Limits (issue 15): a domain of 100 MX hosts with 2 addresses each, where a silent
# SMTP server accepts every connection, with only 64 file descriptors (ulimit -n 64):
# every plugin ends within -t, keeps the contract, names the hosts it left out, and
# its peak RSS stays under 32 MiB.
limits_case() { # PLUGIN
	local plugin=$1 dir=$work/limits.$1 pid port sport spids=() rss
	mkdir -p "$dir"
	"$server" -l 30 127.0.0.1 0 mx100-2addr >"$dir/port" 2>"$dir/server.err" &
	pid=$!
	port=$(hostile_wait_port "$dir/port") || { hostile_stop "$pid"; _tap_result 1 "$plugin, limits: server started"; return 0; }
	"$builddir/tests/helpers/silent_tcp" 127.0.6.1 0 30 >"$dir/sport" 2>/dev/null &
	spids+=($!)
	sport=$(hostile_wait_port "$dir/sport") || sport=""
	[ -n "$sport" ] && { "$builddir/tests/helpers/silent_tcp" 127.0.6.2 "$sport" 30 >/dev/null 2>&1 & spids+=($!); }
	hostile_run "$dir/out" "$dir/err" bash -c 'ulimit -n 64 && exec /usr/bin/time -f %M -o "$0" "$@"' "$dir/rss" \
		"$builddir/plugins/$plugin" -D "$D" -p "${sport:-1}" -r "127.0.0.1@$port" -t "$T"
	for a in "${spids[@]}"; do hostile_stop "$a"; done
	hostile_stop "$pid"
	hostile_assert "$plugin, 100 MX hosts x 2 addresses, ulimit -n 64" "$(service_of "$plugin")" \
		"$dir/out" "$dir/err" "$RC" "$TOOK" "$LIMIT" any
	tap_like "$(cat "$dir/out")" "68 more MX hosts not checked" "$plugin, limits: names the MX hosts left out"
	# a local limit is no fault of the domain: no DNS or socket failure from it
	tap_unlike "$(cat "$dir/out")" "Too many open files" "$plugin, limits: no 'Too many open files' (queries and probes fit the descriptors)"
	[ "$plugin" = check_tlsa ] ||
		tap_like "$(cat "$dir/out")" "^( {4})*\\[WARNING\\] .* not probed: the deadline \\(3 s\\) came before its turn \\([0-9]+ probes at once: file descriptors are limited" \
			"$plugin, limits: names the probes the deadline left out"
	rss=$(tail -n 1 "$dir/rss" 2>/dev/null)
	[[ $rss =~ ^[0-9]+$ ]] || rss=999999
	# AddressSanitizer (scripts/sanitize-check) adds its shadow memory and quarantine:
	# there the bound is 4 times as large
	if ldd "$builddir/plugins/$plugin" 2>/dev/null | grep -q libasan; then
		tap_cmp_lt "$rss" 131072 "$plugin, limits: peak RSS $rss KiB < 128 MiB (built with ASan: 32 MiB x 4)"
	else
		tap_cmp_lt "$rss" 32768 "$plugin, limits: peak RSS $rss KiB < 32 MiB"
	fi
	[ "${HOSTILE_VERBOSE:-0}" = 1 ] && tap_diag "output:" "$(head -c 2000 "$dir/out")"
	return 0
}
if [ -x /usr/bin/time ] && [ -x "$builddir/tests/helpers/silent_tcp" ]; then
	for p in check_tlsa check_dane_smtp check_dane_rollover; do limits_case "$p"; done
else
	_tap_result 1 "limits: /usr/bin/time (package time) and tests/helpers/silent_tcp are needed"
fi

# -A (issue 12): the server also plays the authoritative server of the zone on port 53 of
# its own loopback address (NS ns.dns.hostile.test. there; root only), and misbehaves only
# as that. check_tlsa's verdict per mode; check_dane_rollover (--cert: no SMTP) keeps the
# contract; both within -t + 0.5 s.
auth_cases=(
	"auth-good        0 they agree: SOA serial 7"
	"auth-noaa        1 answers without authority: answered NOERROR without AA"
	"auth-garbage     1 fails: malformed reply"
	"auth-huge        0 they agree"
	"auth-wrongname   1 answered with records of another name \\(w.dns.hostile.test.\\)"
	"auth-silent      1 no answer: timed out after $T s"
	"auth-refused     1 refuses the zone: REFUSED \\(the server does not serve the zone\\)"
)
auth_addr=""
if [ "$(id -u)" = 0 ]; then
	for _ in $(seq 20); do
		a=127.0.$((7 + RANDOM % 8)).$((1 + RANDOM % 254))
		if ! { ss -Hanu; ss -Hant; } 2>/dev/null | awk '{ print $4 }' | grep -qxF "$a:53"; then
			auth_addr=$a
			break
		fi
	done
fi
auth_case() { # MODE PLUGIN ARGS...: leaves out, err, rc, took in $work/auth.MODE.PLUGIN
	local mode=$1 plugin=$2 dir=$work/auth.$1.$2 pid
	shift 2
	mkdir -p "$dir"
	"$server" -l 20 "$auth_addr" 53 "$mode" >"$dir/port" 2>"$dir/server.err" &
	pid=$!
	if ! hostile_wait_port "$dir/port" >/dev/null; then
		hostile_stop "$pid"
		RC=99 TOOK=0
		return 0
	fi
	hostile_run "$dir/out" "$dir/err" "$builddir/plugins/$plugin" -D "$D" -r "$auth_addr@53" -A -t "$T" "$@"
	hostile_stop "$pid"
}
if [ -n "$auth_addr" ]; then
	for c in "${auth_cases[@]}"; do
		read -r mode want re <<<"$c"
		auth_case "$mode" check_tlsa
		hostile_assert "check_tlsa -A vs $mode" TLSA "$work/auth.$mode.check_tlsa/out" \
			"$work/auth.$mode.check_tlsa/err" "$RC" "$TOOK" "$LIMIT" "$want"
		tap_like "$(cat "$work/auth.$mode.check_tlsa/out")" "$re" "check_tlsa -A vs $mode: says why"
		auth_case "$mode" check_dane_rollover --cert "$here/../data/mx1-chain.pem"
		hostile_assert "check_dane_rollover -A vs $mode" DANE_ROLLOVER "$work/auth.$mode.check_dane_rollover/out" \
			"$work/auth.$mode.check_dane_rollover/err" "$RC" "$TOOK" "$LIMIT" any
	done
else
	tap_diag "no free loopback address with port 53 (or not root): the -A cases are left out"
fi

# Every mode of the server is tested.
tap_is "$("$server" -L | awk '{ print $1 }' | sort | tr '\n' ' ')" \
	"$(for c in "${cases[@]}" "${auth_cases[@]}"; do read -r m _ <<<"$c"; echo "$m"; done | sort | tr '\n' ' ')" \
	"every mode of hostile_dns is tested"

tap_diag "$HOSTILE_CASES hostile DNS cases ran (${#cases[@]} server modes x ${#plugins[@]} plugins, $JOBS at a time, in $took_all s)"
tap_done
