#!/usr/bin/env bash
# Benchmark (not a test): throughput and cost per check as a busy Icinga node
# sees them. Against the lab, with tests/bench/loadgen (fork + wait4 per run):
#   check_dane_smtp -D <2 MX hosts, 3 addresses>   N_SMTP runs (400), 8 at a time
#     (every certificate type: 3 addresses x ECDSA, RSA, Ed25519 = 9 handshakes),
#     and the same with --key-types ecdsa (3 handshakes, one type as posttls-finger)
#   check_tlsa -D <the same domain>                N_TLSA runs (200), 8 at a time
#   posttls-finger -c -l dane <one host>           N_PTF runs (100), 8 at a time
# For each: checks per second, CPU ms per run (user + system, each run's own
# rusage, and its user and system parts), minor page faults per run, peak RSS
# of any run, runs that did not exit 0 (must be 0).
# Target: CPU per domain check <= posttls-finger's CPU for one host (printed
# for both: every type, and one type like posttls-finger).
# Usage: tests/bench/load.sh [N_SMTP [N_TLSA [N_PTF [PARALLEL]]]]  (root: the lab's
# SMTP part and posttls-finger's private resolv.conf need it; make check builds loadgen)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${top_builddir:-$top}
n_smtp=${1:-400} n_tlsa=${2:-200} n_ptf=${3:-100} par=${4:-8}
loadgen=$builddir/tests/bench/loadgen
. "$top/tests/lab/tap.sh"

[ -x "$loadgen" ] || { echo "load: $loadgen not built (make check builds it)" >&2; exit 2; }
lab_up >/dev/null
[ -n "${LAB_SMTP_PORT:-}" ] && [ "${LAB_SMTP:-0}" = 1 ] || { echo "load: the lab has no SMTP servers (root, postfix)" >&2; exit 2; }
R=127.0.0.1@$LAB_VALIDATING_PORT
P=$LAB_SMTP_PORT
host1=$(printf '%s\n' "$LAB_DANE_EE_MX" | awk '{print $1}')

# sanity: one run of each must be OK before we count
out=$("$builddir/plugins/check_dane_smtp" -D "$LAB_DANE_EE_DOMAIN" -r "$R" -p "$P") ||
	{ echo "load: check_dane_smtp is not OK on the lab: $out" >&2; exit 1; }
out=$("$builddir/plugins/check_tlsa" -D "$LAB_DANE_EE_DOMAIN" -r "$R" -p "$P") ||
	{ echo "load: check_tlsa is not OK on the lab: $out" >&2; exit 1; }

smtp=$("$loadgen" "$n_smtp" "$par" "$builddir/plugins/check_dane_smtp" -D "$LAB_DANE_EE_DOMAIN" -r "$R" -p "$P")
smtp1=$("$loadgen" "$n_smtp" "$par" "$builddir/plugins/check_dane_smtp" -D "$LAB_DANE_EE_DOMAIN" -r "$R" -p "$P" --key-types ecdsa)
tlsa=$("$loadgen" "$n_tlsa" "$par" "$builddir/plugins/check_tlsa" -D "$LAB_DANE_EE_DOMAIN" -r "$R" -p "$P")
# posttls-finger asks /etc/resolv.conf: a private mount namespace where the lab's is bind-mounted
ptf=$(unshare -m --propagation private -- sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
	"$LAB_DIR/resolv.conf" env MAIL_CONFIG="$LAB_DIR/posttls-finger" \
	"$loadgen" "$n_ptf" "$par" posttls-finger -c -l dane "[$host1]:$P")

field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
row() { # NAME LINE
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(field "$2" runs)" "$(field "$2" checks_per_s)" \
		"$(field "$2" cpu_ms_per_run)" "$(field "$2" user_ms_per_run)" "$(field "$2" sys_ms_per_run)" \
		"$(field "$2" minflt_per_run)" "$(field "$2" peak_rss_kib)" "$(field "$2" not_ok)" "$(field "$2" wall_s)"
}
echo "machine: $(nproc) cores, $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME"); $par at a time"
echo
echo "| what | runs | checks/s | CPU ms/run | user ms | system ms | page faults | peak RSS KiB | not OK | wall s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
row "check_dane_smtp, domain: 2 MX hosts, 3 addresses, every certificate type" "$smtp"
row "check_dane_smtp, the same domain, --key-types ecdsa" "$smtp1"
row "check_tlsa, the same domain" "$tlsa"
row "posttls-finger -c -l dane, one host" "$ptf"
echo
awk -v a="$(field "$smtp" cpu_ms_per_run)" -v a1="$(field "$smtp1" cpu_ms_per_run)" -v b="$(field "$ptf" cpu_ms_per_run)" \
	-v n1="$(field "$smtp" not_ok)" -v n2="$(field "$tlsa" not_ok)" -v n3="$(field "$smtp1" not_ok)" 'BEGIN {
	printf "CPU per domain check / posttls-finger per host, one type: %.2f (target <= 1) %s\n", a1 / b, a1 <= b ? "met" : "NOT MET"
	printf "CPU per domain check / posttls-finger per host, every type (3x the handshakes): %.2f (target <= 1) %s\n", a / b, a <= b ? "met" : "NOT MET"
	printf "results not OK: %d (target 0) %s\n", n1 + n2 + n3, n1 + n2 + n3 == 0 ? "met" : "NOT MET"
	exit (n1 + n2 + n3 != 0)
}'
