#!/usr/bin/env bash
# Benchmark (not a test): check_dane_smtp on the lab against the reference
# clients and the floor. Times, with tests/bench/interleave.py (N rounds, each
# running every command once, so all see the same machine: median wall time of
# the N runs; CPU = the mean user + system time of each run's own rusage):
#   A  check_dane_smtp -D <2 MX hosts, 3 addresses>          (the whole domain, every
#                                                            certificate type: 9 handshakes)
#   A0 the same with --key-types ecdsa                        (one type: 3 handshakes)
#   A1 check_dane_smtp -H <one host>                          (every type: 3 handshakes)
#   A2 check_dane_smtp -H <one host> --key-types ecdsa        (one handshake)
#   F  tests/bench/floor <one host>                           (the floor: one process with
#      OpenSSL and ldns loaded and started as the plugins start them, the A and TLSA
#      records from the resolver's cache, greeting, EHLO, STARTTLS, one TLS 1.3
#      handshake verified by OpenSSL's DANE verifier, QUIT; one thread, no output)
#   B  posttls-finger -c -l dane <one host>                   (Postfix's client)
#   C  check_ssl_cert -P smtp --dane 311 <one host>           (monitoring-plugins-contrib)
#   D  check_dane_smtp -D <4 addresses, greeting 0.5 s late>  (parallelism)
# and the peak RSS of A (GNU time). Every command runs in one private mount
# namespace where the lab's resolv.conf is bind-mounted over /etc/resolv.conf
# (posttls-finger asks the system's resolver), so none of them pays for a wrapper.
# Targets: A1 <= 1.3 F (wall); A <= 0.8 B, wall and CPU; A/A0 <= 1.2; C/A1 >= 30;
# RSS < 16 MiB; D < 0.8 s. Usage: tests/bench/bench.sh [RUNS]   (needs root: unshare + bind mount)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${top_builddir:-$top}
runs=${1:-20}
. "$top/tests/lab/tap.sh"

for p in python3 /usr/bin/time /usr/lib/nagios/plugins/check_ssl_cert posttls-finger jq; do
	command -v "$p" >/dev/null 2>&1 || [ -x "$p" ] || {
		echo "bench: installing python3 time monitoring-plugins-contrib jq bind9-dnsutils"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			python3 time monitoring-plugins-contrib jq bind9-dnsutils >/dev/null || exit 1
		break
	}
done
lab_up >/dev/null
R=127.0.0.1@$LAB_VALIDATING_PORT
P=$LAB_SMTP_PORT
plugin=$builddir/plugins/check_dane_smtp
host1=$(printf '%s\n' "$LAB_DANE_EE_MX" | awk '{print $1}')
json=$(mktemp)

# the system-resolver clients see the lab resolver through a private resolv.conf
inns() { unshare -m --propagation private -- sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$LAB_DIR/resolv.conf" "$@"; }
export -f inns 2>/dev/null
export LAB_DIR

cmd_a="$plugin -D $LAB_DANE_EE_DOMAIN -r $R -p $P"
cmd_a0="$plugin -D $LAB_DANE_EE_DOMAIN -r $R -p $P --key-types ecdsa"
cmd_a1="$plugin -H $host1 -r $R -p $P"
cmd_a2="$plugin -H $host1 -r $R -p $P --key-types ecdsa"
cmd_f="$builddir/tests/bench/floor $host1 127.0.0.1 $LAB_VALIDATING_PORT $P"
cmd_b="posttls-finger -c -l dane [$host1]:$P"
cmd_c="/usr/lib/nagios/plugins/check_ssl_cert -H $host1 -p $P -P smtp --dane 311 --ignore-exp --ignore-sig-alg --ignore-ocsp --ignore-incomplete-chain --ignore-sct --ignore-maximum-validity --rootcert-file $LAB_DIR/certs/ca-root.crt"
cmd_d="$plugin -D $LAB_DELAY_DOMAIN -r $R -p $P"

[ -x "$builddir/tests/bench/floor" ] || make -C "$builddir" tests/bench/floor >/dev/null || exit 1
export MAIL_CONFIG=$LAB_DIR/posttls-finger

echo "== sanity: one run of each (exit code, first line)"
for c in "$cmd_a" "$cmd_a0" "$cmd_a1" "$cmd_a2" "$cmd_f" "$cmd_b" "$cmd_c" "$cmd_d"; do
	out=$(inns bash -c "$c" 2>&1); rc=$?
	printf '  [%d] %s\n      %s\n' "$rc" "${c:0:110}" "$(printf '%s\n' "$out" | grep -m1 -E 'DANE_SMTP|Verified|Untrusted|SSL_CERT|CRITICAL|OK' | cut -c1-150)"
done

inns python3 "$here/interleave.py" "$runs" 3 A_domain_3_addresses="$cmd_a" \
	A0_domain_one_type="$cmd_a0" A1_one_host="$cmd_a1" A2_one_host_one_type="$cmd_a2" \
	F_floor_one_host="$cmd_f" B_posttls_finger_one_host="$cmd_b" \
	D_4_addresses_0.5s_greeting_delay="$cmd_d" >"$json" ||
	{ echo "bench: a command exited non-zero:"; cat "$json"; exit 1; }
json_c=$(mktemp)
inns python3 "$here/interleave.py" "$(( runs < 5 ? runs : 5 ))" 1 C_check_ssl_cert_one_host="$cmd_c" >"$json_c"

med() { jq -r --arg n "$2" '.[$n].median' "$1"; }
cpu() { jq -r --arg n "$2" '.[$n].cpu' "$1"; }
a=$(med "$json" A_domain_3_addresses); a0=$(med "$json" A0_domain_one_type); a1=$(med "$json" A1_one_host)
a2=$(med "$json" A2_one_host_one_type); f=$(med "$json" F_floor_one_host)
b=$(med "$json" B_posttls_finger_one_host); d=$(med "$json" D_4_addresses_0.5s_greeting_delay)
a_cpu=$(cpu "$json" A_domain_3_addresses); a1_cpu=$(cpu "$json" A1_one_host)
f_cpu=$(cpu "$json" F_floor_one_host); b_cpu=$(cpu "$json" B_posttls_finger_one_host)
c=$(med "$json_c" C_check_ssl_cert_one_host)
rss=$( { /usr/bin/time -f '%M' $cmd_a >/dev/null; } 2>&1 | tail -n 1 )

echo
echo "| what | median wall | mean CPU (user + system) |"
echo "| --- | --- | --- |"
row() { printf '| %s | %.4f s | %s |\n' "$1" "$2" "$3"; }
cpums() { awk -v x="$1" 'BEGIN { printf "%.1f ms", x * 1000 }'; }
row "A  check_dane_smtp, domain with 2 MX hosts / 3 addresses, every certificate type" "$a" "$(cpums "$a_cpu")"
row "A0 the same, --key-types ecdsa" "$a0" "$(cpums "$(cpu "$json" A0_domain_one_type)")"
row "A1 check_dane_smtp, one host, every certificate type" "$a1" "$(cpums "$a1_cpu")"
row "A2 check_dane_smtp, one host, --key-types ecdsa" "$a2" "$(cpums "$(cpu "$json" A2_one_host_one_type)")"
row "F  the floor for one host (tests/bench/floor)" "$f" "$(cpums "$f_cpu")"
row "B  posttls-finger -c -l dane, one host" "$b" "$(cpums "$b_cpu")"
row "C  check_ssl_cert -P smtp --dane 311, one host" "$c" "$(cpums "$(cpu "$json_c" C_check_ssl_cert_one_host)")"
row "D  check_dane_smtp, 4 addresses with a 0.5 s greeting delay" "$d" "$(cpums "$(cpu "$json" D_4_addresses_0.5s_greeting_delay)")"
printf '| peak RSS of A | %d KiB | |\n' "$rss"
echo
awk -v a="$a" -v a0="$a0" -v a1="$a1" -v f="$f" -v b="$b" -v c="$c" -v d="$d" -v rss="$rss" \
	-v acpu="$a_cpu" -v bcpu="$b_cpu" -v a1cpu="$a1_cpu" -v fcpu="$f_cpu" 'BEGIN {
	printf "A1 / F (one host, every type, vs the floor), wall: %.2f  (target <= 1.3)  %s\n", a1 / f, (a1 / f <= 1.3) ? "met" : "NOT MET"
	printf "A1 / F, CPU: %.2f\n", a1cpu / fcpu
	printf "A / B (whole domain vs reference client for one host), wall: %.2f  (target <= 0.8)  %s\n", a / b, (a / b <= 0.8) ? "met" : "NOT MET"
	printf "A / B, CPU: %.2f  (target <= 0.8)  %s\n", acpu / bcpu, (acpu / bcpu <= 0.8) ? "met" : "NOT MET"
	printf "A / A0 (every certificate type vs one): %.2f  (target <= 1.2)  %s\n", a / a0, (a / a0 <= 1.2) ? "met" : "NOT MET"
	printf "C / A1 (check_ssl_cert vs us, per host): %.1fx  (target >= 30)  %s\n", c / a1, (c / a1 >= 30) ? "met" : "NOT MET"
	printf "peak RSS: %.1f MiB  (target < 16)  %s\n", rss / 1024, (rss < 16384) ? "met" : "NOT MET"
	printf "D (0.5 s greeting delay on 4 addresses): %.3f s  (target < 0.8)  %s\n", d, (d < 0.8) ? "met" : "NOT MET"
}'
rm -f "$json" "$json_c"
