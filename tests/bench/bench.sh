#!/usr/bin/env bash
# Benchmark (not a test): check_dane_smtp on the lab against the reference
# clients. Times, with hyperfine (median of N runs):
#   A  check_dane_smtp -D <2 MX hosts, 3 addresses>          (the whole domain, every
#                                                            certificate type: 9 handshakes)
#   A0 the same with --key-types ecdsa                        (one type: 3 handshakes)
#   A1 check_dane_smtp -H <one host>
#   B  posttls-finger -c -l dane <one host>                   (Postfix's client)
#   C  check_ssl_cert -P smtp --dane 311 <one host>           (monitoring-plugins-contrib)
#   D  check_dane_smtp -D <4 addresses, greeting 0.5 s late>  (parallelism)
# and the peak RSS of A (GNU time). Targets: A <= B, A/A0 <= 1.2, C/A1 >= 30,
# RSS < 16 MiB, D < 0.8 s. Usage: tests/bench/bench.sh [RUNS]   (needs root: unshare + bind mount)
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${top_builddir:-$top}
runs=${1:-20}
. "$top/tests/lab/tap.sh"

for p in hyperfine /usr/bin/time /usr/lib/nagios/plugins/check_ssl_cert posttls-finger jq; do
	command -v "$p" >/dev/null 2>&1 || [ -x "$p" ] || {
		echo "bench: installing hyperfine time monitoring-plugins-contrib jq bind9-dnsutils"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			hyperfine time monitoring-plugins-contrib jq bind9-dnsutils >/dev/null || exit 1
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
cmd_b="$top/tests/lab/posttls-finger.sh $LAB_DIR -c -l dane [$host1]:$P"
cmd_c="unshare -m --propagation private -- sh -c 'mount --bind $LAB_DIR/resolv.conf /etc/resolv.conf && exec /usr/lib/nagios/plugins/check_ssl_cert -H $host1 -p $P -P smtp --dane 311 --ignore-exp --ignore-sig-alg --ignore-ocsp --ignore-incomplete-chain --ignore-sct --ignore-maximum-validity --rootcert-file $LAB_DIR/certs/ca-root.crt'"
cmd_d="$plugin -D $LAB_DELAY_DOMAIN -r $R -p $P"

echo "== sanity: one run of each (exit code, first line)"
for c in "$cmd_a" "$cmd_a0" "$cmd_a1" "$cmd_b" "$cmd_c" "$cmd_d"; do
	out=$(bash -c "$c" 2>&1); rc=$?
	printf '  [%d] %s\n      %s\n' "$rc" "${c:0:110}" "$(printf '%s\n' "$out" | grep -m1 -E 'DANE_SMTP|Verified|Untrusted|SSL_CERT|CRITICAL|OK' | cut -c1-150)"
done

hyperfine -N --warmup 2 --runs "$runs" --export-json "$json" \
	-n A_domain_3_addresses "$cmd_a" -n A0_domain_one_type "$cmd_a0" -n A1_one_host "$cmd_a1" \
	-n B_posttls_finger_one_host "$cmd_b" -n D_4_addresses_0.5s_greeting_delay "$cmd_d" \
	>/dev/null 2>&1 || hyperfine --warmup 2 --runs "$runs" --export-json "$json" \
	-n A_domain_3_addresses "$cmd_a" -n A0_domain_one_type "$cmd_a0" -n A1_one_host "$cmd_a1" \
	-n B_posttls_finger_one_host "$cmd_b" -n D_4_addresses_0.5s_greeting_delay "$cmd_d" >/dev/null
json_c=$(mktemp)
hyperfine --warmup 1 --runs "$(( runs < 5 ? runs : 5 ))" --export-json "$json_c" -n C_check_ssl_cert_one_host "$cmd_c" >/dev/null 2>&1

med() { jq -r --arg n "$2" '.results[] | select(.command == $n) | .median' "$1"; }
a=$(med "$json" A_domain_3_addresses); a0=$(med "$json" A0_domain_one_type); a1=$(med "$json" A1_one_host)
b=$(med "$json" B_posttls_finger_one_host); d=$(med "$json" D_4_addresses_0.5s_greeting_delay)
c=$(med "$json_c" C_check_ssl_cert_one_host)
rss=$( { /usr/bin/time -f '%M' $cmd_a >/dev/null; } 2>&1 | tail -n 1 )

echo
echo "| what | median |"
echo "| --- | --- |"
printf '| A  check_dane_smtp, domain with 2 MX hosts / 3 addresses, every certificate type | %.3f s |\n' "$a"
printf '| A0 the same, --key-types ecdsa | %.3f s |\n' "$a0"
printf '| A1 check_dane_smtp, one host | %.3f s |\n' "$a1"
printf '| B  posttls-finger -c -l dane, one host | %.3f s |\n' "$b"
printf '| C  check_ssl_cert -P smtp --dane 311, one host | %.3f s |\n' "$c"
printf '| D  check_dane_smtp, 4 addresses with a 0.5 s greeting delay | %.3f s |\n' "$d"
printf '| peak RSS of A | %d KiB |\n' "$rss"
echo
awk -v a="$a" -v a0="$a0" -v a1="$a1" -v b="$b" -v c="$c" -v d="$d" -v rss="$rss" 'BEGIN {
	printf "A / B (whole domain vs reference client for one host): %.2f  (target <= 1)  %s\n", a / b, (a <= b) ? "met" : "NOT MET"
	printf "A / A0 (every certificate type vs one): %.2f  (target <= 1.2)  %s\n", a / a0, (a / a0 <= 1.2) ? "met" : "NOT MET"
	printf "C / A1 (check_ssl_cert vs us, per host): %.1fx  (target >= 30)  %s\n", c / a1, (c / a1 >= 30) ? "met" : "NOT MET"
	printf "peak RSS: %.1f MiB  (target < 16)  %s\n", rss / 1024, (rss < 16384) ? "met" : "NOT MET"
	printf "D (0.5 s greeting delay on 4 addresses): %.3f s  (target < 0.8)  %s\n", d, (d < 0.8) ? "met" : "NOT MET"
}'
rm -f "$json" "$json_c"
