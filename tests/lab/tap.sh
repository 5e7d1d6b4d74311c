# tap.sh - tiny TAP (Test Anything Protocol) producer for bash test scripts.
# shellcheck shell=bash
# Source it:  . "$(dirname "$0")/tap.sh"  (from tests/, use tests/lab/tap.sh)
# The plan is printed at the end by tap_done. All tap_* assertions return 0,
# so they are safe under `set -e`; results are counted in TAP_N / TAP_FAILED.
# lab_up starts the lab (DNS; as root with Postfix installed also the SMTP servers;
# see lab.sh / README.md) and installs an EXIT trap that stops it: do not replace
# that EXIT trap in the test script.

TAP_N=0
TAP_FAILED=0
_TAP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_SH=${LAB_SH:-$_TAP_DIR/lab.sh}
_LAB_TMP=""

# tap_diag MSG...: print "# MSG"; each argument (and each line of it) on its own line
tap_diag() {
    local line
    printf '%s\n' "$@" | while IFS= read -r line; do printf '# %s\n' "$line"; done
    return 0
}

# _tap_result STATUS DESC: STATUS 0 = pass
_tap_result() {
    TAP_N=$((TAP_N + 1))
    if [ "$1" -eq 0 ]; then
        printf 'ok %d - %s\n' "$TAP_N" "$2"
    else
        printf 'not ok %d - %s\n' "$TAP_N" "$2"
        TAP_FAILED=$((TAP_FAILED + 1))
    fi
}

# tap_ok DESC CMD [ARGS...]: pass if CMD exits 0 (its output is shown on failure)
tap_ok() {
    local desc=$1 out rc=0; shift
    out=$("$@" 2>&1) || rc=$?
    _tap_result "$rc" "$desc"
    if [ "$rc" -ne 0 ]; then
        tap_diag "command: $*" "exit status: $rc"
        [ -z "$out" ] || tap_diag "$out"
    fi
    return 0
}

# tap_is GOT EXPECTED DESC: string equality
tap_is() {
    if [ "$1" = "$2" ]; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        tap_diag "     got: '$1'" "expected: '$2'"
    fi
    return 0
}

# tap_like TEXT REGEX DESC / tap_unlike TEXT REGEX DESC: grep -E match or not
tap_like() {
    if grep -Eq -- "$2" <<< "$1"; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        tap_diag "text does not match /$2/:" "$1"
    fi
    return 0
}
tap_unlike() {
    if grep -Eq -- "$2" <<< "$1"; then
        _tap_result 1 "$3"
        tap_diag "text matches /$2/ (it should not):" "$1"
    else
        _tap_result 0 "$3"
    fi
    return 0
}

# tap_cmp_lt A B DESC: numeric A < B (decimals accepted)
tap_cmp_lt() {
    local num='^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$'
    if [[ "$1" =~ $num ]] && [[ "$2" =~ $num ]] &&
       awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; then
        _tap_result 0 "$3"
    else
        _tap_result 1 "$3"
        tap_diag "expected '$1' < '$2'"
    fi
    return 0
}

# tap_skip_all REASON: skip the whole script
tap_skip_all() {
    printf '1..0 # SKIP %s\n' "$1"
    exit 0
}

# tap_done: print the plan; exit 1 if any test failed
tap_done() {
    printf '1..%d\n' "$TAP_N"
    [ "$TAP_FAILED" -eq 0 ] || { tap_diag "failed $TAP_FAILED of $TAP_N tests"; exit 1; }
    exit 0
}

# now_s: current time in seconds with fractional part
now_s() { date +%s.%N; }

# _lab_down: stop the lab and remove its directory (idempotent)
_lab_down() {
    [ -n "$_LAB_TMP" ] || return 0
    "$LAB_SH" stop "$_LAB_TMP" || true
    rm -rf "$_LAB_TMP"
    _LAB_TMP=""
}

# lab_up: start the DNS lab in a temp dir and source its lab.env (LAB_* variables)
lab_up() {
    local cmd
    for cmd in nsd unbound ldns-signzone drill openssl; do
        command -v "$cmd" >/dev/null 2>&1 ||
            tap_skip_all "lab servers not installed (apt-get install nsd unbound ldnsutils openssl)"
    done
    _LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dnslab.XXXXXX") || {
        echo "Bail out! lab did not start (mktemp failed)"; exit 1; }
    trap '_lab_down' EXIT
    trap '_lab_down; trap - INT; kill -INT $$' INT
    trap '_lab_down; exit 143' TERM
    trap '_lab_down; exit 129' HUP
    if ! "$LAB_SH" start "$_LAB_TMP"; then
        echo "Bail out! lab did not start"
        exit 1
    fi
    # shellcheck disable=SC1091
    . "$_LAB_TMP/lab.env"
    tap_diag "lab: nsd 127.0.0.1@$LAB_NSD_PORT, validating @$LAB_VALIDATING_PORT, non-validating @$LAB_NONVALIDATING_PORT, ipv6=$LAB_IPV6, dir $LAB_DIR"
    [ "${LAB_SMTP:-0}" != 1 ] ||
        tap_diag "lab: Postfix and helpers on port $LAB_SMTP_PORT, resolver ${LAB_RESOLVER53:-(none)}@53"
}
