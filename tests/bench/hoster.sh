#!/usr/bin/env bash
# Benchmark (not a test): a hosting provider's sweep. N customer domains (default
# 10 000), each its own DNSSEC-signed zone delegated from a signed parent
# "example.", whose MX records point at 2 of 3 shared MX hosts
# mx1..mx3.hoster.example. (TLSA 3 1 1 at _PORT._tcp; their addresses are the
# lab's DANE-EE Postfix servers), made and signed at bench time by
# tests/bench/hostergen, served by one nsd, validated by one unbound (trust
# anchor: the DS of "example."), both on loopback, both started here.
# The sweep, as dane-hoster.conf runs it, through tests/bench/loadgen (fork +
# wait4 per run, PARALLEL at a time):
#   the MX hosts once:  check_dane_smtp -H mxK.hoster.example   (3 runs)
#   every domain:       check_tlsa -D DOMAIN --mx-expect 'mx?.hoster.example'
# first with the resolver's cache cold (every zone's DS, DNSKEY and MX fetched
# and validated), then again warm. Prints: domains per second, the plugin's CPU
# per domain check (each run's rusage), the CPU unbound and nsd spent
# (/proc/PID/stat before and after, all their processes), the CPU of a domain
# all told and the rate the machine's cores would allow at it, and the wall
# time of the whole sweep. Target on a 2-core machine: >= 800 domain checks/s,
# the 10 000-domain sweep < 15 s. Never fails on speed; exits 1 only when a
# check was not OK (the figures would be of the wrong work).
# Usage: tests/bench/hoster.sh [N [PARALLEL]]   (the TLS part needs the lab's
# Postfix: root and postfix installed; `make check` builds loadgen and hostergen)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${top_builddir:-$top}
n=${1:-10000} par=${2:-8}
loadgen=$builddir/tests/bench/loadgen
hostergen=$builddir/tests/bench/hostergen
pl=$builddir/plugins
. "$top/tests/lab/tap.sh"

for p in "$loadgen" "$hostergen" "$pl/check_tlsa" "$pl/check_dane_smtp"; do
	[ -x "$p" ] || { echo "hoster: $p not built (make check builds the bench tools)" >&2; exit 2; }
done
for c in nsd nsd-checkconf unbound unbound-checkconf drill; do
	command -v "$c" >/dev/null 2>&1 || { echo "hoster: $c not installed" >&2; exit 2; }
done
lab_up >/dev/null
smtp=0
if [ "${LAB_SMTP:-0}" = 1 ] && [ -n "${LAB_DANE_EE_ADDRS:-}" ]; then
	smtp=1
	P=$LAB_SMTP_PORT
	read -r a1 a2 a3 _ <<<"$LAB_DANE_EE_ADDRS"
	tlsa=$LAB_DANE_EE_TLSA
else
	echo "hoster: the lab runs no SMTP servers (${LAB_SMTP_WHY:-root and postfix needed}): DNS only" >&2
	P=25 a1=127.0.1.11 a2=127.0.1.12 a3=127.0.1.13
	tlsa="3 1 1 $(printf '%064d' 1)"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/hoster.XXXXXX")
chmod 755 "$dir"
mkdir -p "$dir/zones"
pids() { # the pids of our nsd (every process) and unbound: those with our config on their command line
	pgrep -f -- "-c $dir/$1.conf" || true
}
_hoster_down() {
	local p
	for d in unbound nsd; do
		for p in $(pids "$d"); do kill -TERM "$p" 2>/dev/null; done
	done
	for _ in $(seq 50); do
		[ -n "$(pids nsd)$(pids unbound)" ] || break
		sleep 0.1
	done
	for d in unbound nsd; do
		for p in $(pids "$d"); do kill -KILL "$p" 2>/dev/null; done
	done
	rm -rf "$dir"
	_lab_down
}
trap '_hoster_down' EXIT
trap '_hoster_down; trap - INT; kill -INT $$' INT
trap '_hoster_down; exit 143' TERM
free_port() {
	local port
	for _ in $(seq 100); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		ss -Hln "sport = :$port" 2>/dev/null | grep -q . && continue
		echo "$port"
		return 0
	done
	return 1
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- the zones
t=$EPOCHREALTIME
"$hostergen" "$dir" "$n" "$P" "$tlsa" 127.0.0.1 "$a1" "$a2" "$a3" || exit 2
t_gen=$(secs "$t" "$EPOCHREALTIME")

# --- nsd and unbound
nsd_port=$(free_port) && res_port=$(free_port) || { echo "hoster: no free port" >&2; exit 2; }
cat >"$dir/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$nsd_port
    port: $nsd_port
    do-ip6: no
    reuseport: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$dir/zones"
    database: ""
    pidfile: "$dir/nsd.pid"
    logfile: "$dir/nsd.log"
    xfrdfile: "$dir/nsd-xfrd.state"
    xfrdir: "$dir"
    zonelistfile: "$dir/nsd-zone.list"
    verbosity: 0
    hide-version: yes
remote-control:
    control-enable: no
include: "$dir/nsd-zones.conf"
EOF
cat >"$dir/unbound.conf" <<EOF
server:
    interface: 127.0.0.1@$res_port
    port: $res_port
    do-ip6: no
    so-reuseport: no
    num-threads: 1
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    logfile: "$dir/unbound.log"
    use-syslog: no
    verbosity: 0
    access-control: 127.0.0.0/8 allow
    module-config: "validator iterator"
    trust-anchor-file: "$dir/example.anchor"
    do-not-query-localhost: no
    qname-minimisation: no
    harden-dnssec-stripped: yes
    msg-cache-size: 64m
    rrset-cache-size: 128m
    key-cache-size: 64m
    neg-cache-size: 8m
    num-queries-per-thread: 1024
    outgoing-range: 2048
remote-control:
    control-enable: no
stub-zone:
    name: "example."
    stub-addr: 127.0.0.1@$nsd_port
EOF
nsd-checkconf "$dir/nsd.conf" || exit 2
unbound-checkconf "$dir/unbound.conf" >/dev/null || exit 2
t=$EPOCHREALTIME
nsd -c "$dir/nsd.conf" </dev/null || { tail -n 5 "$dir/nsd.log" >&2; exit 2; }
last=$(tail -n 1 "$dir/domains")
for _ in $(seq 600); do
	timeout 3 drill -p "$nsd_port" @127.0.0.1 "$last" SOA 2>/dev/null | grep -q 'flags: qr aa' && break
	sleep 0.1
done
t_nsd=$(secs "$t" "$EPOCHREALTIME")
unbound -c "$dir/unbound.conf" </dev/null || { tail -n 5 "$dir/unbound.log" >&2; exit 2; }
for _ in $(seq 100); do
	timeout 3 drill -p "$res_port" @127.0.0.1 hoster.example. SOA 2>/dev/null | grep -q 'rcode: NOERROR' && break
	sleep 0.1
done
R=127.0.0.1@$res_port

# sanity: one domain and one MX host, OK (the run warms nothing but those)
first=$(head -n 1 "$dir/domains")
out=$("$pl/check_tlsa" -r "$R" -p "$P" -D "$first" --mx-expect 'mx?.hoster.example') ||
	{ echo "hoster: check_tlsa is not OK: $out" >&2; exit 1; }
if [ "$smtp" = 1 ]; then
	out=$("$pl/check_dane_smtp" -r "$R" -p "$P" -H mx1.hoster.example) ||
		{ echo "hoster: check_dane_smtp is not OK: $out" >&2; exit 1; }
fi

# the runs
while read -r d; do
	echo "$pl/check_tlsa -r $R -p $P -D $d --mx-expect mx?.hoster.example"
done <"$dir/domains" >"$dir/domain-runs"
: >"$dir/mx-runs"
[ "$smtp" = 0 ] || for k in 1 2 3; do
	echo "$pl/check_dane_smtp -r $R -p $P -H mx$k.hoster.example" >>"$dir/mx-runs"
done

# cpu NAME: clock ticks (user + system) of every process of our nsd or unbound
cpu() {
	local p sum=0 s f
	for p in $(pids "$1"); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		# fields 14 and 15 (utime, stime), counted after the command name "(...)",
		# which may hold blanks ("nsd: main")
		read -r -a f <<<"${s##*) }"
		sum=$((sum + f[11] + f[12]))
	done
	echo "$sum"
}
hz=$(getconf CLK_TCK)
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# sweep NAME: the MX hosts (cold only), then every domain; sets the row figures
declare -A row
sweep() {
	local name=$1 u0 n0 u1 n1 t0 t1 mx="" dom
	u0=$(cpu unbound) n0=$(cpu nsd)
	t0=$EPOCHREALTIME
	if [ -s "$dir/mx-runs" ] && [ "$name" = cold ]; then
		mx=$("$loadgen" -f "$dir/mx-runs" 3)
	fi
	dom=$("$loadgen" -f "$dir/domain-runs" "$par")
	t1=$EPOCHREALTIME
	u1=$(cpu unbound) n1=$(cpu nsd)
	row[$name.wall]=$(secs "$t0" "$t1")
	row[$name.rate]=$(field "$dom" checks_per_s)
	row[$name.dom_wall]=$(field "$dom" wall_s)
	row[$name.cpu]=$(field "$dom" cpu_ms_per_run)
	row[$name.user]=$(field "$dom" user_ms_per_run)
	row[$name.sys]=$(field "$dom" sys_ms_per_run)
	row[$name.notok]=$(field "$dom" not_ok)
	row[$name.codes]=$(field "$dom" exit_codes)
	row[$name.unbound]=$(awk -v a="$u0" -v b="$u1" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / hz * 1000 / n }')
	row[$name.nsd]=$(awk -v a="$n0" -v b="$n1" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / hz * 1000 / n }')
	row[$name.unbound_s]=$(awk -v a="$u0" -v b="$u1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
	row[$name.nsd_s]=$(awk -v a="$n0" -v b="$n1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz }')
	row[$name.mx]=$mx
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
sweep cold
sweep warm
load1=$(cut -d' ' -f1-3 /proc/loadavg)

cores=$(nproc)
echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"); load average before $load0, after $load1"
echo "zones: $n customer domains (each its own signed zone, 2 MX of 3 shared hosts) + hoster.example. + example.; made and signed by hostergen in $t_gen s, loaded by nsd in $t_nsd s; $par checks at a time"
if [ -n "${row[cold.mx]}" ]; then
	echo "MX hosts: 3 x check_dane_smtp -H (every certificate type): wall $(field "${row[cold.mx]}" wall_s) s, CPU $(field "${row[cold.mx]}" cpu_ms_per_run) ms a run, not OK $(field "${row[cold.mx]}" not_ok)"
fi
echo
echo "| sweep | domains/s | plugin CPU ms/domain (user + sys) | unbound CPU ms/domain | nsd CPU ms/domain | all CPU ms/domain | rate the $cores cores allow | wall of the sweep | not OK |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for s in cold warm; do
	all=$(awk -v a="${row[$s.cpu]}" -v b="${row[$s.unbound]}" -v c="${row[$s.nsd]}" 'BEGIN { printf "%.2f", a + b + c }')
	allow=$(awk -v a="$all" -v c="$cores" 'BEGIN { printf "%.0f", c * 1000 / a }')
	what="$s cache"
	[ "$s" = warm ] || what="cold cache, with the MX hosts"
	printf '| %s | %s | %s (%s + %s) | %s (%s s) | %s (%s s) | %s | %s/s | %s s | %s |\n' "$what" "${row[$s.rate]}" \
		"${row[$s.cpu]}" "${row[$s.user]}" "${row[$s.sys]}" "${row[$s.unbound]}" "${row[$s.unbound_s]}" \
		"${row[$s.nsd]}" "${row[$s.nsd_s]}" "$all" "$allow" "${row[$s.wall]}" "${row[$s.notok]}"
done
echo
awk -v r="${row[cold.rate]}" -v w="${row[cold.wall]}" -v n="$n" 'BEGIN {
	printf "domain checks per second (cold): %.0f (target >= 800) %s\n", r, (r >= 800 ? "met" : "NOT MET")
	printf "whole sweep of %d domains and the MX hosts (cold): %.2f s (target < 15 s for 10 000) %s\n", n, w, (w * 10000 / n < 15 ? "met" : "NOT MET")
}'
bad=$(( ${row[cold.notok]:-1} + ${row[warm.notok]:-1} ))
[ -z "${row[cold.mx]}" ] || bad=$((bad + $(field "${row[cold.mx]}" not_ok)))
echo "checks not OK: $bad (exit codes cold ${row[cold.codes]}, warm ${row[warm.codes]})"
[ "$bad" -eq 0 ]
