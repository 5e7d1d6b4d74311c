# lib.sh - shared setup for the packaging tests (tests/packaging/*.sh).
# shellcheck shell=bash
# Source it after tests/lab/tap.sh:
#   here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
#   . "$here/../lab/tap.sh"; . "$here/lib.sh"
# Sets PK_SRCDIR / PK_BUILDDIR (absolute; from $top_srcdir / $top_builddir,
# default: two levels above this file) and provides pk_need, pk_free_port,
# pk_wait_for.

# Run from `make check-packaging`, the environment carries the outer make's
# flags (TESTS=... among them): they must not reach the builds these tests
# start (rpmbuild, dpkg-buildpackage, make distdir), or those would run the
# packaging tests again, recursively.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

_PK_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PK_SRCDIR=$(cd "${top_srcdir:-$_PK_HERE/../..}" && pwd)
PK_BUILDDIR=$(cd "${top_builddir:-$PK_SRCDIR}" && pwd)
PK_PLUGINS="check_dnssec_resolver check_tlsa check_dane_smtp check_dane_rollover check_tlsrpt check_mta_sts"
_PK_APT_UPDATED=0

# pk_installed PKG: is the Debian package installed?
pk_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# pk_need PKG...: install the missing Debian packages (apt-get, no recommends);
# skips the whole script when they cannot be installed (not root, no apt).
# apt's output goes to a log, shown as TAP diagnostics on failure.
pk_need() {
    local missing=() p log rc=0
    for p in "$@"; do pk_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    command -v apt-get >/dev/null 2>&1 || tap_skip_all "needs ${missing[*]} (no apt-get here)"
    [ "$(id -u)" -eq 0 ] || tap_skip_all "needs ${missing[*]}: run as root to install them"
    log=$(mktemp)
    _pk_apt_install "${missing[@]}" >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && [ "$_PK_APT_UPDATED" -eq 0 ]; then
        _PK_APT_UPDATED=1
        rc=0
        { apt-get update -q && _pk_apt_install "${missing[@]}"; } >>"$log" 2>&1 || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then
        echo "Bail out! could not install ${missing[*]}"
        tail -n 20 "$log" | sed 's/^/# /'
        rm -f "$log"
        exit 1
    fi
    tap_diag "installed ${missing[*]}"
    rm -f "$log"
}
_pk_apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# pk_free_port: print a TCP port in 20000-60000 that nothing listens on.
pk_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if command -v ss >/dev/null 2>&1; then
            ss -Htln "sport = :$port" 2>/dev/null | grep -q . && continue
        fi
        (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        echo "$port"
        return 0
    done
    return 1
}

# pk_wait_for SECONDS CMD...: run CMD every 0.5 s until it succeeds or SECONDS pass.
pk_wait_for() {
    local limit=$1 start
    shift
    start=$(date +%s)
    while ! "$@" >/dev/null 2>&1; do
        [ $(($(date +%s) - start)) -lt "$limit" ] || return 1
        sleep 0.5
    done
    return 0
}

# pk_need_lab: the Debian packages the DNS lab (tests/lab/lab.sh) needs.
# Call it, and lab_up, before the first TAP line: lab_up skips the whole
# script when something is missing, which is only valid before any test.
pk_need_lab() {
    pk_need nsd unbound ldnsutils openssl iproute2
}

# pk_need_plugins: bail out unless the plugins are built in PK_BUILDDIR.
pk_need_plugins() {
    local p
    for p in $PK_PLUGINS; do
        [ -x "$PK_BUILDDIR/plugins/$p" ] || {
            echo "Bail out! $PK_BUILDDIR/plugins/$p not built (run make first)"
            exit 1
        }
    done
}

# pk_stop NAME PID LIMIT: stop a daemon this shell started (SIGTERM, then SIGKILL after
# LIMIT s, with a TAP diagnostic naming NAME) and reap it; nothing when PID is empty
pk_stop() {
    local name=$1 p=$2 limit=$3
    [ -n "$p" ] || return 0
    if kill -0 "$p" 2>/dev/null; then
        kill -TERM "$p" 2>/dev/null
        for _ in $(seq 1 $((limit * 10))); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$p" 2>/dev/null; then
            tap_diag "$name (pid $p) did not stop in $limit s: SIGKILL"
            kill -KILL "$p" 2>/dev/null
        fi
    fi
    wait "$p" 2>/dev/null
    return 0
}
