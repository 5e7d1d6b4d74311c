#!/bin/bash
# DNS test lab: one nsd serving DNSSEC-signed zones under test. plus two
# unbound resolvers (validating / non-validating), all on loopback, random ports.
#
#   lab.sh start DIR   build keys and zones in DIR, start servers, write DIR/lab.env
#   lab.sh stop DIR    stop the servers started for DIR (DIR itself is left alone)
#
# Zones: tests/lab/zones.conf (manifest) + tests/lab/zones/*.zone (templates),
# see README.md. Only DIR is written to (the source tree may be read-only).
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS_ADDR=127.0.0.1
PARENT=test.
WAIT_SECS=10          # max seconds to wait for each server to answer
SERVERS="nsd unbound-val unbound-nonval"

msg() { printf 'lab: %s\n' "$*" >&2; }
die() { msg "$@"; exit 1; }
# show the last lines of a log file on stderr, prefixed
show_log() { [ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/lab:   /' >&2; return 0; }
utc() { date -u -d "@$1" +%Y%m%d%H%M%S; }   # epoch -> ldns-signzone date
# run CMD with its stderr kept in DIR/cmd.err, shown (prefixed) only if it fails
quiet() {
    local rc=0
    "$@" 2> "$DIR/cmd.err" || rc=$?
    [ "$rc" -eq 0 ] || show_log "$DIR/cmd.err" 30
    return "$rc"
}

# ---------------------------------------------------------------- ports
port_in_use() {     # PORT: true if any local TCP/UDP socket uses it
    if command -v ss >/dev/null 2>&1; then
        { ss -Hanu; ss -Hant; } 2>/dev/null |
            awk -v p=":$1" '{ l = $4; if (substr(l, length(l) - length(p) + 1) == p) f = 1 }
                            END { exit !f }'
    else
        awk -v p="$(printf '%04X' "$1")" '{ split($2, a, ":"); if (a[2] == p) f = 1 }
                                         END { exit !f }' /proc/net/{udp,tcp,udp6,tcp6} 2>/dev/null
    fi
}
USED_PORTS=" "
pick_port() {       # sets PORT to a free random port in 20000-60000
    for _ in $(seq 200); do
        PORT=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
        case "$USED_PORTS" in *" $PORT "*) continue ;; esac
        port_in_use "$PORT" && continue
        USED_PORTS="$USED_PORTS$PORT "
        return 0
    done
    die "no free port found"
}

# ---------------------------------------------------------------- processes
# pids of processes having CONF as a command line argument (no procps needed)
procs_of() {
    local f pid a args
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        mapfile -d '' -t args 2>/dev/null < "$f" || continue
        for a in "${args[@]}"; do [ "$a" = "$1" ] && { echo "$pid"; break; }; done
    done
    return 0
}
stop_server() {     # NAME: stop the daemon started with DIR/NAME.conf
    local conf="$DIR/$1.conf" pids
    pids=$(procs_of "$conf")
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # pids: one per word
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do          # up to 5 s, then SIGKILL
        pids=$(procs_of "$conf"); [ -n "$pids" ] || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    for _ in $(seq 20); do pids=$(procs_of "$conf"); [ -n "$pids" ] || return 0; sleep 0.1; done
    msg "could not stop $1 (pids $pids)"
}
lab_stop() { local s; for s in $SERVERS; do stop_server "$s"; done; }

# ---------------------------------------------------------------- DNS queries
q() {               # PORT ADDR NAME TYPE [drill opts]: print drill output
    local port=$1 addr=$2 name=$3 type=$4; shift 4
    timeout 3 drill "$@" -p "$port" "@$addr" "$name" "$type" 2>&1 || true
}
# wait until PORT answers NAME TYPE with output matching REGEX (extended)
wait_answer() {     # PORT ADDR NAME TYPE REGEX
    local deadline=$(( $(date +%s) + WAIT_SECS ))
    while :; do
        grep -Eq -- "$5" <<< "$(q "$1" "$2" "$3" "$4" -D)" && return 0
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# ---------------------------------------------------------------- zones
# substitute placeholders of template zones/<zone>zone into $ZDIR/<zone>zone
instantiate() {
    local zone=$1 tpl="$LAB_SRC/zones/${1%.}.zone"
    [ -r "$tpl" ] || die "missing template $tpl for zone $zone"
    sed -e "s/@NS_ADDR@/$NS_ADDR/g" -e "s/@ZONE@/$zone/g" -e "s/@SERIAL@/$SERIAL/g" \
        "$tpl" > "$ZDIR/${zone}zone"
}
# create a KSK and a ZSK for ZONE in $DIR/keys; sets KSK and ZSK (base paths)
gen_keys() {
    local zone=$1 k z
    for _ in 1 2 3; do      # retry on a (very unlikely) key tag collision
        k=$(cd "$DIR/keys" && quiet ldns-keygen -a ECDSAP256SHA256 -k "$zone") || die "ldns-keygen failed for $zone"
        z=$(cd "$DIR/keys" && quiet ldns-keygen -a ECDSAP256SHA256 "$zone") || die "ldns-keygen failed for $zone"
        [ "$k" != "$z" ] && break
    done
    if [ -z "$k" ] || [ "$k" = "$z" ]; then die "ldns-keygen failed for $zone"; fi
    KSK="$DIR/keys/$k" ZSK="$DIR/keys/$z"
}
# sign ZONE (file $ZDIR/<zone>zone -> .signed) with fresh keys; extra args go to
# ldns-signzone (e.g. -i/-e); appends its DS to the parent zone file
sign_zone() {
    local zone=$1; shift
    gen_keys "$zone"
    quiet ldns-signzone -o "$zone" -i "$(utc $(( NOW - 3600 )))" "$@" \
        "$ZDIR/${zone}zone" "$KSK" "$ZSK" || die "ldns-signzone failed for $zone"
    if [ "$zone" != "$PARENT" ]; then
        quiet ldns-key2ds -n -2 "$KSK.key" >> "$ZDIR/${PARENT}zone" || die "ldns-key2ds failed for $zone"
    fi
}
# alter the rdata of the first NAME/TYPE record of a signed file, after signing:
# the last letter/digit of the rdata is swapped with its neighbour (0<->1, 2<->3,
# a<->b ...), which keeps A/AAAA/hex/base64/names syntactically valid.
tamper() {
    local file=$1 name=$2 type=$3
    awk -v n="$name" -v t="$type" '
        function flip(c,   s, i) {
            s = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            i = index(s, c) - 1
            return substr(s, (i % 2 ? i - 1 : i + 1) + 1, 1)
        }
        !done && tolower($1) == tolower(n) && toupper($4) == toupper(t) {
            sub(/[ \t]*;\{[^}]*\}[ \t]*$/, ""); sub(/[ \t]+$/, "")
            for (p = length($0); p > 0 && substr($0, p, 1) !~ /[0-9A-Za-z]/; p--) ;
            $0 = substr($0, 1, p - 1) flip(substr($0, p, 1)) substr($0, p + 1)
            done = 1
        }
        { print }
        END { exit !done }' "$file" > "$file.tmp" || die "tamper: no $name $type in $file"
    mv "$file.tmp" "$file"
}
# process one manifest line: ZONE MODE [ARGS...]
add_zone() {
    [ $# -ge 2 ] || die "zones.conf: bad line '$*' (want: ZONE MODE [ARGS])"
    local zone=$1 mode=$2; shift 2
    case "$zone" in
        *.*.) ;;
        *) die "zones.conf: '$zone' must be a fully qualified name ending with '.'" ;;
    esac
    [ "${zone#*.}" = "$PARENT" ] || die "zones.conf: $zone is not a child of $PARENT"
    case "$mode" in signed|unsigned|tamper|expired) ;; *) die "zones.conf: $zone: unknown mode '$mode'" ;; esac
    ZONES="$ZONES $zone"
    instantiate "$zone"
    echo "$zone 3600 IN NS ns.$PARENT" >> "$ZDIR/${PARENT}zone"
    case "$mode" in
        unsigned)
            [ $# -eq 0 ] || die "zones.conf: $zone: unsigned takes no arguments"
            cp "$ZDIR/${zone}zone" "$ZDIR/${zone}zone.signed" ;;   # nsd serves *.signed
        signed)
            local a opts=()
            for a in "$@"; do
                case "$a" in
                    sigexpire=*)
                        [[ "${a#*=}" =~ ^[0-9]+$ ]] || die "zones.conf: $zone: bad $a"
                        opts+=(-e "$(utc $(( NOW + ${a#*=} * 86400 )))") ;;
                    *) die "zones.conf: $zone: unknown argument '$a'" ;;
                esac
            done
            sign_zone "$zone" "${opts[@]}" ;;
        tamper)
            [ $# -eq 2 ] || die "zones.conf: $zone: usage: tamper NAME TYPE"
            sign_zone "$zone"
            tamper "$ZDIR/${zone}zone.signed" "$1" "$2" ;;
        expired)
            [ $# -eq 0 ] || die "zones.conf: $zone: expired takes no arguments"
            sign_zone "$zone" -i "$(utc $(( NOW - 30 * 86400 )))" -e "$(utc $(( NOW - 10 * 86400 )))" ;;
    esac
}
build_zones() {
    mkdir -p "$ZDIR" "$DIR/keys"
    instantiate "$PARENT"
    local line
    while read -r line || [ -n "$line" ]; do
        line=${line%%#*}
        [ -n "${line//[[:space:]]/}" ] || continue
        # shellcheck disable=SC2086
        add_zone $line
    done < "$LAB_SRC/zones.conf"
    sign_zone "$PARENT"                         # last: includes children's DS + NS
    quiet ldns-key2ds -n -2 "$KSK.key" > "$DIR/test.anchor" || die "ldns-key2ds failed for $PARENT"
}

# ---------------------------------------------------------------- servers
write_nsd_conf() {
    local z
    cat > "$DIR/nsd.conf" <<EOF
server:
    ip-address: $NS_ADDR@$NSD_PORT
    port: $NSD_PORT
    do-ip6: no
    reuseport: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$ZDIR"
    database: ""
    pidfile: "$DIR/nsd.pid"
    logfile: "$DIR/nsd.log"
    xfrdfile: "$DIR/nsd-xfrd.state"
    xfrdir: "$DIR"
    zonelistfile: "$DIR/nsd-zone.list"
    verbosity: 1
    hide-version: yes
remote-control:
    control-enable: no
EOF
    for z in $PARENT $ZONES; do
        printf 'zone:\n    name: "%s"\n    zonefile: "%szone.signed"\n' "$z" "$z" >> "$DIR/nsd.conf"
    done
}
write_unbound_conf() {   # NAME MODULES PORT IPV6(0|1)
    local name=$1 port=$3 z f="$DIR/$1.conf"
    {
        echo "server:"
        echo "    interface: 127.0.0.1@$port"
        [ "$4" = 1 ] && echo "    interface: ::1@$port"
        cat <<EOF
    port: $port
    do-ip6: $([ "$4" = 1 ] && echo yes || echo no)
    so-reuseport: no
    num-threads: 1
    username: ""
    chroot: ""
    directory: "$DIR"
    pidfile: "$DIR/$name.pid"
    logfile: "$DIR/$name.log"
    use-syslog: no
    log-time-ascii: yes
    log-servfail: yes
    verbosity: 1
    access-control: 127.0.0.0/8 allow
    access-control: ::1/128 allow
    module-config: "$2"
    do-not-query-localhost: no
    local-zone: "$PARENT" nodefault
    qname-minimisation: no
    harden-dnssec-stripped: yes
    val-permissive-mode: no
    val-log-level: 2
    ede: yes
    trust-anchor-signaling: no
    msg-cache-size: 1m
    rrset-cache-size: 2m
    key-cache-size: 1m
    neg-cache-size: 1m
    outgoing-range: 64
    num-queries-per-thread: 32
EOF
        [ "$2" = iterator ] || echo "    trust-anchor-file: \"$DIR/test.anchor\""
        printf 'remote-control:\n    control-enable: no\n'
        for z in $PARENT $ZONES; do
            printf 'stub-zone:\n    name: "%s"\n    stub-addr: %s@%s\n' "$z" "$NS_ADDR" "$NSD_PORT"
        done
    } > "$f"
}
# launch NAME (nsd, unbound-val or unbound-nonval; writes DIR/NAME.conf) on a fresh port,
# retrying a few times with another port if the daemon fails (e.g. port race)
launch() {   # NAME
    local name=$1 try ipv6 log="$DIR/$1.log"
    for try in 1 2 3 4; do
        pick_port
        : > "$log"
        if [ "$name" = nsd ]; then
            NSD_PORT=$PORT; write_nsd_conf
            nsd-checkconf "$DIR/nsd.conf" > "$DIR/nsd.checkconf" 2>&1 ||
                { show_log "$DIR/nsd.checkconf"; die "nsd-checkconf failed"; }
            nsd -c "$DIR/nsd.conf" < /dev/null >> "$log" 2>&1 && return 0
        else
            ipv6=$HAVE_IPV6; [ "$try" -le 2 ] || ipv6=0   # last tries without ::1
            write_unbound_conf "$name" "$([ "$name" = unbound-val ] &&
                echo "validator iterator" || echo iterator)" "$PORT" "$ipv6"
            unbound-checkconf "$DIR/$name.conf" > "$DIR/$name.checkconf" 2>&1 ||
                { show_log "$DIR/$name.checkconf"; die "unbound-checkconf failed for $name"; }
            if unbound -c "$DIR/$name.conf" < /dev/null >> "$log" 2>&1; then
                [ "$ipv6" = 1 ] || LAB_IPV6=0
                return 0
            fi
        fi
        stop_server "$name"
    done
    show_log "$log"; die "$name did not start (port $PORT, see $log)"
}

lab_start() {
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    [ -w "$DIR" ] || die "$DIR is not writable"
    for cmd in nsd nsd-checkconf unbound unbound-checkconf ldns-keygen ldns-signzone ldns-key2ds drill; do
        command -v "$cmd" >/dev/null 2>&1 || die "$cmd not installed (apt-get install nsd unbound ldnsutils)"
    done
    ZDIR="$DIR/zones" ZONES="" NOW=$(date +%s) SERIAL=$(date +%s)
    HAVE_IPV6=0 LAB_IPV6=1
    if [ "$(cat /proc/sys/net/ipv6/conf/lo/disable_ipv6 2>/dev/null)" = 0 ] &&
       grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then HAVE_IPV6=1; fi
    [ "$HAVE_IPV6" = 1 ] || LAB_IPV6=0
    trap 'lab_stop' EXIT                   # on any failure: stop what was started
    build_zones

    launch nsd
    local z
    for z in $PARENT $ZONES; do            # every zone must be loaded (aa flag)
        wait_answer "$NSD_PORT" "$NS_ADDR" "$z" SOA 'flags: qr aa' ||
            { show_log "$DIR/nsd.log"; die "nsd on port $NSD_PORT does not serve $z"; }
    done
    launch unbound-val;    VAL_PORT=$PORT
    launch unbound-nonval; NONVAL_PORT=$PORT
    for z in "$VAL_PORT" "$NONVAL_PORT"; do
        wait_answer "$z" 127.0.0.1 "$PARENT" SOA 'rcode: NOERROR' ||
            die "unbound on 127.0.0.1@$z does not answer"
        if [ "$LAB_IPV6" = 1 ]; then
            wait_answer "$z" ::1 "$PARENT" SOA 'rcode: NOERROR' || die "unbound on ::1@$z does not answer"
        fi
    done
    wait_answer "$VAL_PORT" 127.0.0.1 "$PARENT" SOA 'flags:.* ad[ ;]' ||
        { show_log "$DIR/unbound-val.log"; die "validating unbound does not validate $PARENT"; }

    local v bogus_addr=""   # tampered address actually served for www.bogus.test.
    [ -r "$ZDIR/bogus.test.zone.signed" ] &&
        bogus_addr=$(awk '$1 == "www.bogus.test." && $4 == "A" { print $5; exit }' "$ZDIR/bogus.test.zone.signed")
    {
        for v in "LAB_DIR=$DIR" "LAB_NSD_PORT=$NSD_PORT" "LAB_VALIDATING_PORT=$VAL_PORT" \
                 "LAB_NONVALIDATING_PORT=$NONVAL_PORT" "LAB_ADDR=127.0.0.1" "LAB_IPV6=$LAB_IPV6" \
                 "LAB_ZONE=$PARENT" "LAB_ZONES=$PARENT$ZONES" "LAB_TRUST_ANCHOR=$DIR/test.anchor" \
                 "LAB_SECURE_NAME=secure.test." "LAB_SECURE_A=www.secure.test." \
                 "LAB_SECURE_A_ADDR=127.0.0.10" "LAB_INSECURE_NAME=www.insecure.test." \
                 "LAB_BOGUS_NAME=www.bogus.test." "LAB_BOGUS_A_ADDR=$bogus_addr" \
                 "LAB_EXPIRED_NAME=www.expired.test."; do
            printf '%s=%q\n' "${v%%=*}" "${v#*=}"
        done
    } > "$DIR/lab.env"
    trap - EXIT
}

# ---------------------------------------------------------------- main
[ $# -eq 2 ] || { echo "lab: usage: $0 start|stop DIR" >&2; exit 2; }
DIR=$2
case "$1" in
    start) lab_start ;;
    stop)  if [ -d "$DIR" ]; then DIR=$(cd "$DIR" && pwd); lab_stop; fi ;;
    *)     echo "lab: usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
exit 0
