#!/usr/bin/env bash
# Instruction budgets: one run of each plugin against the lab under
# valgrind --tool=callgrind, whose instruction count is repeatable (the same
# binary, inputs and libraries give the same count whatever else the machine
# does, unlike wall or CPU time). Compared with tests/bench/instructions.baseline:
# a case that needs more than BUDGET_PCT (20) % more instructions than its
# baseline fails. Updating the baseline is a deliberate, reviewed commit:
#   tests/bench/instructions.sh --update      (writes the baseline file)
#   tests/bench/instructions.sh               (checks; run by ./run-tests)
#   tests/bench/instructions.sh --top CASE    (callgrind's 25 costliest functions, inclusive)
# Ends with "N passed, N failed, N skipped"; exit 1 on any failure.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
builddir=${top_builddir:-$top}
baseline=$here/instructions.baseline
budget=${BUDGET_PCT:-20}
mode=check topcase=""
case "${1:-}" in
--update) mode=update ;;
--top) mode=top topcase=${2:-} ;;
"") ;;
*) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
. "$top/tests/lab/tap.sh"
command -v valgrind >/dev/null 2>&1 || { echo "instructions: valgrind not installed"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }
lab_up >/dev/null
R=127.0.0.1@$LAB_VALIDATING_PORT
P=${LAB_SMTP_PORT:-25}
host1=$(printf '%s\n' "${LAB_DANE_EE_MX:-}" | awk '{print $1}')
pl=$builddir/plugins

# the cases: NAME NEEDS COMMAND... (NEEDS: 0 the DNS, 1 the SMTP servers, sts those and the
# MTA-STS policy servers)
cases=(
	"dnssec_resolver 0 $pl/check_dnssec_resolver -H $R -q $LAB_SECURE_NAME -b $LAB_BOGUS_NAME"
	"tlsa_domain 0 $pl/check_tlsa -D ${LAB_DANE_EE_DOMAIN:-smtp-ee.test} -r $R -p $P"
	"dane_smtp_version 0 $pl/check_dane_smtp -V"
	"dane_smtp_host 1 $pl/check_dane_smtp -H $host1 -r $R -p $P"
	"dane_smtp_host_one_type 1 $pl/check_dane_smtp -H $host1 -r $R -p $P --key-types ecdsa"
	"floor_one_host 1 $builddir/tests/bench/floor $host1 127.0.0.1 ${LAB_VALIDATING_PORT:-} $P"
	"dane_smtp_domain 1 $pl/check_dane_smtp -D ${LAB_DANE_EE_DOMAIN:-} -r $R -p $P"
	"dane_rollover_domain 1 $pl/check_dane_rollover -D ${LAB_DANE_EE_DOMAIN:-} -r $R -p $P"
	"mta_sts_domain sts $pl/check_mta_sts -D enforce.${LAB_STS_ZONE:-} -r $R -p $P --policy-port $P --ca-file ${LAB_STS_CA_PEM:-} --key-types ecdsa"
)

# count CMD...: the instructions of one run (all threads), or "" on failure
count() {
	local out rc
	"$@" >/dev/null 2>&1 # warm the resolver's cache: every counted run sees the same answers
	out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null)
	rc=$?
	# -V and -h exit 3 by the guidelines; any other exit must be 0 (the lab case is good)
	case "$*" in *" -V") [ "$rc" -eq 3 ] || return 1 ;; *) [ "$rc" -eq 0 ] || return 1 ;; esac
	printf '%s\n' "$out" | sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

if [ "$mode" = top ]; then
	for c in "${cases[@]}"; do
		read -r name _ cmd <<<"$c"
		[ "$name" = "$topcase" ] || continue
		f=$(mktemp)
		# shellcheck disable=SC2086
		valgrind --tool=callgrind --callgrind-out-file="$f" $cmd >/dev/null 2>&1
		callgrind_annotate --inclusive=yes "$f" 2>/dev/null | sed -n '1,45p'
		rm -f "$f"
		exit 0
	done
	echo "instructions: no case $topcase (cases: $(printf '%s\n' "${cases[@]}" | awk '{printf "%s ", $1}'))" >&2
	exit 2
fi

passed=0 failed=0 skipped=0 new=""
printf '%-22s %14s %14s %8s\n' case instructions baseline ratio
for c in "${cases[@]}"; do
	read -r name smtp cmd <<<"$c"
	if [ "$smtp" = sts ] && [ -z "${LAB_STS_ZONE:-}" ]; then
		printf '%-22s skipped: the lab has no MTA-STS policy servers\n' "$name"
		skipped=$((skipped + 1))
		continue
	fi
	if [ "$smtp" != 0 ] && [ "${LAB_SMTP:-0}" != 1 ]; then
		printf '%-22s skipped: the lab has no SMTP servers (%s)\n' "$name" "${LAB_SMTP_WHY:-}"
		skipped=$((skipped + 1))
		continue
	fi
	# shellcheck disable=SC2086
	n=$(count $cmd)
	if [ -z "$n" ]; then
		printf '%-22s FAILED: the run did not succeed: %s\n' "$name" "$cmd"
		failed=$((failed + 1))
		continue
	fi
	new+="$name $n"$'\n'
	base=$(awk -v n="$name" '$1 == n { print $2 }' "$baseline" 2>/dev/null)
	if [ -z "$base" ]; then
		printf '%-22s %14s %14s %8s\n' "$name" "$n" "-" "-"
		[ "$mode" = update ] || { echo "  no baseline for $name: run $0 --update"; failed=$((failed + 1)); continue; }
		passed=$((passed + 1))
		continue
	fi
	ratio=$(awk -v a="$n" -v b="$base" 'BEGIN { printf "%.3f", a / b }')
	printf '%-22s %14s %14s %8s\n' "$name" "$n" "$base" "$ratio"
	if [ "$mode" = check ] && awk -v a="$n" -v b="$base" -v p="$budget" 'BEGIN { exit !(a > b * (1 + p / 100)) }'; then
		echo "  $name needs more than $budget % over its baseline: find what costs (--top $name) or update the baseline deliberately"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
done
if [ "$mode" = update ] && [ "$failed" -eq 0 ]; then
	{
		echo "# Instructions per plugin run against the lab (valgrind --tool=callgrind, all threads),"
		echo "# written by tests/bench/instructions.sh --update; checked by ./run-tests ($budget % budget)."
		echo "# $(date -u +%Y-%m-%d), $(. /etc/os-release && echo "$PRETTY_NAME"), $(openssl version | cut -d' ' -f1-2), $(uname -m)"
		printf '%s' "$new"
	} >"$baseline"
	echo "instructions: wrote $baseline"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
