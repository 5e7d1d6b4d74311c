#!/bin/bash
# Test lab, all on loopback, random ports: one nsd serving DNSSEC-signed zones
# under test. plus two unbound resolvers (validating / non-validating), test
# certificates made at start, and (as root, with Postfix installed) one Postfix
# instance with an smtpd per SMTP scenario address plus small helper servers.
#
#   lab.sh start DIR   make certs, keys and zones in DIR, start servers, write DIR/lab.env
#   lab.sh stop DIR    stop the servers started for DIR (DIR itself is left alone)
#
# Manifests (see README.md): zones.conf + zones.d/*.conf with templates
# zones/*.zone; certs.conf + certs.d/*.conf; servers.d/*.conf; env.d/*.env.
# Only DIR is written to (the source tree may be read-only).
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS_ADDR=127.0.0.1
PARENT=test.
WAIT_SECS=10          # max seconds to wait for each server to answer
LIFETIME=${LAB_LIFETIME:-14400}   # seconds: Postfix master and helpers end by themselves after it
SERVERS="nsd unbound-val unbound-nonval unbound-nosha1 unbound-root unbound-noparent"

msg() { printf 'lab: %s\n' "$*" >&2; }
die() { msg "$@"; exit 1; }
# LAB_TIMING=1: print the time each phase of "start" took on stderr
PHASE_T=$EPOCHREALTIME
phase() {
    [ -n "${LAB_TIMING:-}" ] || return 0
    local t=$EPOCHREALTIME
    awk -v a="$PHASE_T" -v b="$t" -v n="$1" 'BEGIN { printf "lab: %-28s %.2f s\n", n, b - a }' >&2
    PHASE_T=$t
}
# show the last lines of a log file on stderr, prefixed
show_log() { [ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/lab:   /' >&2; return 0; }
utc() { TZ=UTC printf -v "$1" '%(%Y%m%d%H%M%S)T' "$2"; }   # VAR EPOCH: VAR = ldns-signzone date
# run CMD with its stderr kept in a file (one per process, removed at the end),
# shown (prefixed) only if it fails
quiet() {
    local rc=0 err="$DIR/cmd.err.$BASHPID"
    "$@" 2> "$err" || rc=$?
    [ "$rc" -eq 0 ] || show_log "$err" 30
    return "$rc"
}
# manifest files for BASE: BASE.conf (if any), then BASE.d/*.conf in C-locale order
manifests() {
    local f
    [ -r "$LAB_SRC/$1.conf" ] && echo "$LAB_SRC/$1.conf"
    for f in "$LAB_SRC/$1.d"/*.conf; do [ -r "$f" ] && echo "$f"; done
    return 0
}
# print the non-empty lines of manifest files (comments removed) as "FILE:LINE: TEXT"
manifest_lines() {
    local f
    for f in "$@"; do
        awk -v f="${f#"$LAB_SRC"/}" '{ sub(/#.*/, "") } NF { print f ":" NR ": " $0 }' "$f"
    done
}

# ---------------------------------------------------------------- ports
port_in_use() {     # PORT [ADDR]: true if a local TCP/UDP socket uses PORT (on ADDR or any address)
    local p=$1 a=${2:-}
    if command -v ss >/dev/null 2>&1; then
        { ss -Hanu; ss -Hant; } 2>/dev/null |
            awk -v p=":$p" -v a="$a" '{ l = $4
                if (substr(l, length(l) - length(p) + 1) != p) next
                h = substr(l, 1, length(l) - length(p)); gsub(/[][]/, "", h); sub(/%.*/, "", h)
                if (a == "" || h == a || h == "*" || h == "0.0.0.0" || h == "::") f = 1 }
                END { exit !f }'
    else
        awk -v p="$(printf '%04X' "$p")" '{ split($2, a, ":"); if (a[2] == p) f = 1 }
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
# sets R53 to a random loopback address 127.X.Y.Z (X in 100-199) with port 53 free
pick_resolver53() {
    for _ in $(seq 50); do
        R53=127.$(( 100 + RANDOM % 100 )).$(( RANDOM % 256 )).$(( 1 + RANDOM % 254 ))
        port_in_use 53 "$R53" || return 0
    done
    R53=""
}

# sets ROOT53 to a random loopback address 127.X.Y.Z (X in 250-254) with port 53 free: the
# lab's whole hierarchy (root, test. and its children) is served there too, so that
# --validate=local --recursive can resolve from the lab's root (root hints give no port)
pick_root53() {
    local a
    ROOT53=""
    for _ in $(seq 50); do
        a=127.$(( 250 + RANDOM % 5 )).$(( RANDOM % 256 )).$(( 1 + RANDOM % 254 ))
        port_in_use 53 "$a" || { ROOT53=$a; return 0; }
    done
}

# AUTH_ADDR[1..3]: random loopback addresses 127.X.Y.Z (X in 200-249) with port 53
# free, for the lab's extra authoritative servers (zone option auth=, stale=)
pick_auth_addrs() {
    local i a
    for i in 1 2 3; do
        AUTH_ADDR[$i]=""
        for _ in $(seq 50); do
            a=127.$(( 200 + RANDOM % 50 )).$(( RANDOM % 256 )).$(( 1 + RANDOM % 254 ))
            case " ${AUTH_ADDR[*]} " in *" $a "*) continue ;; esac
            port_in_use 53 "$a" || { AUTH_ADDR[$i]=$a; break; }
        done
        [ -n "${AUTH_ADDR[$i]}" ] || die "no free loopback address with port 53 for authoritative server $i"
    done
}

# ---------------------------------------------------------------- processes
# pids of the processes of this lab: those having one of the lab's marker paths
# (DIR/nsd.conf, DIR/unbound-*.conf, DIR/postfix, DIR/*.pid of the helpers) as a
# command line argument, and Postfix's children (MAIL_CONFIG=DIR/postfix in their
# environment). With NAME: only the daemon started with DIR/NAME.conf.
# shellcheck disable=SC2317  # called through stop_pids
lab_pids() {
    local f pid a args env marks=" " one=${1:-}
    if [ -n "$one" ]; then
        marks=" $DIR/$one.conf "
    else
        for a in $SERVERS; do marks="$marks$DIR/$a.conf "; done
        for a in "$DIR"/auth-*.conf; do marks="$marks$a "; done   # extra authoritative servers
        marks="$marks$DIR/postfix "
        for a in "$DIR"/helper-*.pid; do marks="$marks$a "; done
    fi
    for f in /proc/[0-9]*/cmdline; do
        pid=${f#/proc/}; pid=${pid%/cmdline}
        [ "$pid" != "$$" ] || continue
        mapfile -d '' -t args 2>/dev/null < "$f" || continue
        for a in "${args[@]}"; do
            case "$marks" in *" $a "*) echo "$pid"; continue 2 ;; esac
        done
        if [ -z "$one" ] && [ "${args[0]:-}" != "" ]; then
            mapfile -d '' -t env 2>/dev/null < "/proc/$pid/environ" || continue
            for a in "${env[@]}"; do
                [ "$a" = "MAIL_CONFIG=$DIR/postfix" ] && { echo "$pid"; break; }
            done
        fi
    done
    return 0
}
stop_pids() {       # FINDER...: TERM the pids FINDER prints, wait up to 5 s, then KILL
    local pids
    pids=$("$@")
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086  # pids: one per word
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do
        pids=$("$@"); [ -n "$pids" ] || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    for _ in $(seq 20); do pids=$("$@"); [ -n "$pids" ] || return 0; sleep 0.1; done
    msg "could not stop pids $pids"
}
stop_server() { stop_pids lab_pids "$1"; }   # NAME: the daemon started with DIR/NAME.conf
lab_stop() {
    local pid args
    # Postfix first, in an orderly way: TERM to the master, which passes it on
    if [ -r "$DIR/postfix/queue/pid/master.pid" ]; then
        read -r pid < "$DIR/postfix/queue/pid/master.pid" || pid=""
        if [[ "$pid" =~ ^[0-9]+$ ]] && { mapfile -d '' -t args < "/proc/$pid/cmdline"; } 2>/dev/null &&
           [ "${args[2]:-}" = "$DIR/postfix" ]; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    fi
    stop_pids lab_pids                     # everything else, and any leftovers
}

# ---------------------------------------------------------------- DNS queries
q() {               # PORT ADDR NAME TYPE [drill opts]: print drill output
    local port=$1 addr=$2 name=$3 type=$4; shift 4
    timeout 3 drill "$@" -p "$port" "@$addr" "$name" "$type" 2>&1 || true
}
# wait until PORT answers NAME TYPE with output matching REGEX (extended)
wait_answer() {     # PORT ADDR NAME TYPE REGEX
    local deadline=$(( EPOCHSECONDS + WAIT_SECS ))
    while :; do
        grep -Eq -- "$5" <<< "$(q "$1" "$2" "$3" "$4" -D)" && return 0
        [ "$EPOCHSECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# ---------------------------------------------------------------- certificates
# certs.conf + certs.d/*.conf: NAME KIND [ISSUER] [DNSNAMES] [OPTIONS], see README.md.
# Every item gets DIR/certs/NAME.key (PKCS#8 PEM), NAME.pub.pem and NAME.spki.der;
# certificates also NAME.crt, NAME.cert.der, NAME.chain.pem (NAME.crt + the issuing
# CAs below the root) and NAME.keychain.pem (NAME.key + NAME.chain.pem, for
# Postfix's smtpd_tls_chain_files). Few processes: forks are slow on small VMs.
declare -A M_KIND M_ISSUER M_DNS M_KEY M_DAYS M_EXPIRED M_WINDOW M_WHERE DIGEST
M_ORDER=()
read_material() {
    local where line name kind a
    while IFS= read -r line; do
        where=${line%%: *}; line=${line#*: }
        # shellcheck disable=SC2086
        set -- $line
        [ $# -ge 2 ] || die "$where: want NAME KIND [ISSUER] [DNSNAMES] [OPTIONS]"
        name=$1 kind=$2; shift 2
        [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "$where: bad name '$name'"
        [ -z "${M_KIND[$name]:-}" ] || die "$where: $name already defined at ${M_WHERE[$name]}"
        M_WHERE[$name]=$where M_KIND[$name]=$kind M_ISSUER[$name]="" M_DNS[$name]=""
        M_KEY[$name]=ec M_DAYS[$name]="" M_EXPIRED[$name]=0 M_WINDOW[$name]=""
        case "$kind" in
            root|key) ;;
            ca)   [ $# -ge 1 ] || die "$where: usage: NAME ca ISSUER [OPTIONS]"
                  M_ISSUER[$name]=$1; shift ;;
            leaf) [ $# -ge 2 ] || die "$where: usage: NAME leaf ISSUER|self DNSNAME[,DNSNAME...] [OPTIONS]"
                  M_ISSUER[$name]=$1 M_DNS[$name]=$2; shift 2 ;;
            *)    die "$where: unknown kind '$kind' (root, ca, leaf, key)" ;;
        esac
        for a in "$@"; do
            case "$a" in
                key=ec|key=ec384|key=rsa2048|key=rsa3072|key=rsa4096) M_KEY[$name]=${a#key=} ;;
                days=*) if ! [[ "${a#days=}" =~ ^[1-9][0-9]*$ ]] || [ "$kind" = key ]; then
                            die "$where: bad $a"
                        fi
                        M_DAYS[$name]=${a#days=} ;;
                expired) [ "$kind" = leaf ] || die "$where: expired: only for leaf"
                         M_EXPIRED[$name]=1 ;;
                window=*) # window=FROM,TO: notBefore and notAfter in hours from now (-48,96)
                         [[ "${a#window=}" =~ ^-?[0-9]+,-?[0-9]+$ ]] && [ "$kind" != key ] ||
                             die "$where: bad $a (window=FROM_HOURS,TO_HOURS, e.g. -48,96)"
                         M_WINDOW[$name]=${a#window=} ;;
                *) die "$where: unknown option '$a'" ;;
            esac
        done
        M_ORDER+=("$name")
    done < <(manifest_lines "$@")
    for name in "${M_ORDER[@]}"; do
        a=${M_ISSUER[$name]}
        case "$a" in ""|self) continue ;; esac
        case "${M_KIND[$a]:-}" in root|ca) ;; *) die "${M_WHERE[$name]}: issuer '$a' of $name is not a root or ca item" ;; esac
    done
}
# DER files of all PEM public keys and certificates given (NAME.pub.pem -> NAME.spki.der,
# NAME.crt -> NAME.cert.der): one process for all (perl-base, Essential in Debian)
# shellcheck disable=SC2317  # called in a subshell
pem2der() {
    # base64 decoding through unpack("u") (no MIME::Base64 in perl-base)
    perl -e 'for my $f (@ARGV) {
        open(my $in, "<", $f) or die "$f: $!\n"; local $/; my $pem = <$in>;
        my ($s) = $pem =~ /-----BEGIN [^-]+-----\s*(.*?)-----END/s or die "$f: no PEM\n";
        $s =~ tr|A-Za-z0-9+/||cd; $s =~ tr|A-Za-z0-9+/| -_|;
        my ($uu, $i) = ("", 0);
        for (; $i + 60 <= length($s); $i += 60) { $uu .= "M" . substr($s, $i, 60) }
        $uu .= chr(32 + int(length($s) - $i) * 3 / 4) . substr($s, $i) if $i < length($s);
        my $o = $f; $o =~ s/\.pub\.pem$/.spki.der/ or $o =~ s/\.crt$/.cert.der/ or die "$f?\n";
        open(my $out, ">:raw", $o) or die "$o: $!\n"; print $out unpack("u", $uu); close($out) or die "$o: $!\n";
    }' -- "$@"
}
# make the key and certificate of item NAME (its issuer already exists): one openssl
# run (two for "expired"), PEM output split here
make_item() {
    local name=$1 c="$CERTS/$1" kind=${M_KIND[$1]} iss=${M_ISSUER[$1]} days san="" d subj all
    local -a dns newkey sign=()
    case "${M_KEY[$name]}" in
        ec)    newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
        ec384) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-384) ;;
        rsa*)  newkey=(-newkey "rsa:${M_KEY[$name]#rsa}") ;;
    esac
    {
        printf '%s\n' "[req]" "distinguished_name = dn" "x509_extensions = ext" "[dn]" "[ext]"
        case "$kind" in
            root|ca)
                days=${M_DAYS[$name]:-3650} subj="/O=DANE test lab/CN=$name"
                printf '%s\n' "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign,cRLSign" \
                    "subjectKeyIdentifier=hash"
                [ "$kind" = root ] || echo "authorityKeyIdentifier=keyid" ;;
            leaf)
                days=${M_DAYS[$name]:-365}
                IFS=, read -r -a dns <<< "${M_DNS[$name]}"
                for d in "${dns[@]}"; do san+="${san:+,}DNS:$d"; done
                subj="/CN=${dns[0]}"
                printf '%s\n' "basicConstraints=critical,CA:FALSE" "extendedKeyUsage=serverAuth" \
                    "subjectAltName=$san" "subjectKeyIdentifier=hash"
                case "${M_KEY[$name]}" in
                    rsa*) echo "keyUsage=critical,digitalSignature,keyEncipherment" ;;
                    *)    echo "keyUsage=critical,digitalSignature" ;;
                esac
                [ "$iss" = self ] || echo "authorityKeyIdentifier=keyid" ;;
            key) subj="/CN=$name" ;;
        esac
    } > "$c.cnf"
    case "$kind" in root|key) ;; *) [ "$iss" = self ] || sign=(-CA "$CERTS/$iss.crt" -CAkey "$CERTS/$iss.key") ;; esac
    if [ "$kind" = key ]; then
        quiet openssl req -new -config "$c.cnf" "${newkey[@]}" -nodes -keyout "$c.key" \
            -subj "$subj" -pubkey -noout -out "$c.pub.pem" || return 1
    elif [ "${M_EXPIRED[$name]}" = 1 ] || [ -n "${M_WINDOW[$name]}" ]; then
        # validity in the past, or a chosen window: only "openssl ca" sets both dates
        quiet openssl req -new -config "$c.cnf" "${newkey[@]}" -nodes -keyout "$c.key" \
            -subj "$subj" -pubkey -out "$c.csr" || return 1
        mkdir -p "$c.ca"; : > "$c.ca/index.txt"; echo 01 > "$c.ca/serial"
        # shellcheck disable=SC2016  # $dir is openssl's
        printf '%s\n' "[ca]" "default_ca = lab" "[lab]" "dir = $c.ca" 'database = $dir/index.txt' \
            'new_certs_dir = $dir' 'serial = $dir/serial' "default_md = sha256" "policy = pol" \
            "unique_subject = no" "email_in_dn = no" "[pol]" "commonName = supplied" >> "$c.cnf"
        [ "${#sign[@]}" -gt 0 ] || { msg "$name: expired and window= need an issuing CA"; return 1; }
        if [ -n "${M_WINDOW[$name]}" ]; then
            utc d $(( NOW + ${M_WINDOW[$name]%,*} * 3600 )); utc days $(( NOW + ${M_WINDOW[$name]#*,} * 3600 ))
        else
            utc d $(( NOW - 30 * 86400 )); utc days $(( NOW - 86400 ))
        fi
        quiet openssl ca -batch -notext -config "$c.cnf" -extensions ext -in "$c.csr" -out "$c.crt" \
            -cert "$CERTS/$iss.crt" -keyfile "$CERTS/$iss.key" -startdate "${d}Z" -enddate "${days}Z" || return 1
        all=$(< "$c.csr")
        printf '%s\n' "${all%%-----BEGIN CERTIFICATE REQUEST-----*}" > "$c.pub.pem"
    else
        quiet openssl req -x509 -new -config "$c.cnf" "${newkey[@]}" -nodes -keyout "$c.key" \
            -subj "$subj" -days "$days" -pubkey "${sign[@]}" -out "$c.out" || return 1
        all=$(< "$c.out")
        printf '%s' "${all%%-----BEGIN CERTIFICATE-----*}" > "$c.pub.pem"
        printf '%s\n' "-----BEGIN CERTIFICATE-----${all#*-----BEGIN CERTIFICATE-----}" > "$c.crt"
    fi
}
# chain file of cert item NAME: its certificate, then its issuers' up to (not
# including) the root; a root's chain is itself
chain_of() {
    local n=$1
    printf '%s\n' "$(< "$CERTS/$n.crt")"
    while [ -n "${M_ISSUER[$n]}" ] && [ "${M_ISSUER[$n]}" != self ]; do
        n=${M_ISSUER[$n]}
        [ "${M_KIND[$n]}" = root ] && break
        printf '%s\n' "$(< "$CERTS/$n.crt")"
    done
}
build_material() {
    local -A made=()
    local name i todo progress hex f s
    local -a pids names files
    CERTS="$DIR/certs"
    mkdir -p "$CERTS"
    mapfile -t files < <(manifests certs)
    read_material "${files[@]}"
    # in rounds: every item whose issuer exists, in parallel
    todo=${#M_ORDER[@]}
    while [ "$todo" -gt 0 ]; do
        pids=() names=() progress=0
        for name in "${M_ORDER[@]}"; do
            [ -z "${made[$name]:-}" ] || continue
            case "${M_ISSUER[$name]}" in ""|self) ;; *) [ -n "${made[${M_ISSUER[$name]}]:-}" ] || continue ;; esac
            make_item "$name" & pids+=($!) names+=("$name")
        done
        for i in "${!pids[@]}"; do
            wait "${pids[$i]}" || die "${M_WHERE[${names[$i]}]}: could not make ${names[$i]}"
            made[${names[$i]}]=1; todo=$(( todo - 1 )); progress=1
        done
        [ "$progress" = 1 ] || die "certs: issuer loop among ${!M_KIND[*]}"
    done
    rm -f "$CERTS"/*.out "$CERTS"/*.csr
    (cd "$CERTS" && quiet pem2der ./*.pub.pem ./*.crt) || die "certs: cannot make DER files"
    for name in "${M_ORDER[@]}"; do
        [ "${M_KIND[$name]}" = key ] && continue
        chain_of "$name" > "$CERTS/$name.chain.pem"
        printf '%s\n' "$(< "$CERTS/$name.key")" "$(< "$CERTS/$name.chain.pem")" > "$CERTS/$name.keychain.pem"
    done
    # all SHA-256 and SHA-512 digests at once: DIGEST["S M NAME"]
    [ "${#M_ORDER[@]}" -gt 0 ] || return 0
    for i in 1 2; do
        while read -r hex f; do
            f=${f##*/}; name=${f%.*.der}
            case "$f" in *.spki.der) s=1 ;; *) s=0 ;; esac
            DIGEST["$s $i $name"]=$hex
        done < <(cd "$CERTS" && if [ "$i" = 1 ]; then sha256sum -- *.der; else sha512sum -- *.der; fi)
    done
}
# DIGEST S M NAME: sets REPLY to the hex (lower case) of matching type M (0 full,
# 1 sha256, 2 sha512) over selector S (0 certificate, 1 SubjectPublicKeyInfo) of NAME
digest_of() {
    local f
    [ -n "${M_KIND[$3]:-}" ] || { msg "no certs item '$3'"; return 1; }
    [ "$1" = 1 ] || [ "${M_KIND[$3]}" != key ] || { msg "$3 is a key without certificate (selector 0)"; return 1; }
    if [ "$2" = 0 ]; then
        f="$CERTS/$3.$([ "$1" = 1 ] && echo spki || echo cert).der"
        REPLY=$(od -An -v -tx1 "$f" | tr -d ' \n')
    else
        REPLY=${DIGEST["$1 $2 $3"]:-}
    fi
    [ -n "$REPLY" ] || { msg "no digest $1 $2 of $3"; return 1; }
}

# ---------------------------------------------------------------- templates
# expand the placeholders of template file IN into OUT; ZONE (may be empty) for @ZONE@
# (see README.md: @NS_ADDR@ @ZONE@ @SERIAL@ @SMTP_PORT@ @DIR@ @CERTS@
# @TLSA U S M NAME@ @DIGEST S M NAME@). Pure bash: no processes.
expand() {
    local in=$1 out=$2 zone=$3 line ph u s m n re='@(TLSA|DIGEST) ([^@]*)@'
    local -a lines words
    mapfile -t lines < "$in"
    for i in "${!lines[@]}"; do
        line=${lines[$i]}
        [[ "$line" == *@* ]] || continue
        while [[ "$line" =~ $re ]]; do
            ph=${BASH_REMATCH[0]}
            read -r -a words <<< "${BASH_REMATCH[2]}"
            case "${BASH_REMATCH[1]} ${#words[@]}" in
                "TLSA 4") u=${words[0]} s=${words[1]} m=${words[2]} n=${words[3]} ;;
                "DIGEST 3") u="" s=${words[0]} m=${words[1]} n=${words[2]} ;;
                *) die "${in#"$LAB_SRC"/}: bad placeholder '$ph' (want @TLSA U S M NAME@ or @DIGEST S M NAME@)" ;;
            esac
            if ! [[ "$u" =~ ^[0-3]?$ && "$s" =~ ^[01]$ && "$m" =~ ^[012]$ ]]; then
                die "${in#"$LAB_SRC"/}: bad placeholder '$ph' (usage 0-3, selector 0-1, matching type 0-2)"
            fi
            digest_of "$s" "$m" "$n" || die "${in#"$LAB_SRC"/}: cannot expand '$ph'"
            [ -z "$u" ] || REPLY="$u $s $m $REPLY"
            line=${line//"$ph"/"$REPLY"}
        done
        line=${line//@NS_ADDR@/"$NS_GLUE"}; line=${line//@ZONE@/"$zone"}
        line=${line//@SERIAL@/"$SERIAL"};   line=${line//@SMTP_PORT@/"$SMTP_PORT"}
        line=${line//@SERIAL_OLD@/"$((SERIAL - 1))"}
        line=${line//@AUTH1@/"${AUTH_ADDR[1]:-127.0.0.1}"}; line=${line//@AUTH2@/"${AUTH_ADDR[2]:-127.0.0.1}"}
        line=${line//@AUTH3@/"${AUTH_ADDR[3]:-127.0.0.1}"}
        line=${line//@DIR@/"$DIR"};         line=${line//@CERTS@/"$CERTS"}
        lines[i]=$line
    done
    printf '%s\n' "${lines[@]}" > "$out"
}

# ---------------------------------------------------------------- zones
# expand template zones/<zone>zone into $ZDIR/<zone>zone
instantiate() {   # ZONE [TEMPLATE]: zones/<TEMPLATE or zone without final dot>.zone
    local zone=$1 tpl="$LAB_SRC/zones/${2:-${1%.}}.zone"
    [ -r "$tpl" ] || die "missing template $tpl for zone $zone"
    expand "$tpl" "$ZDIR/${zone}zone" "$zone"
}
# create a KSK and a ZSK for ZONE in $DIR/keys (algorithm $ALG, default
# ECDSAP256SHA256; RSA keys of 2048 bits); sets KSK and ZSK (base paths)
gen_keys() {
    local zone=$1 k="" z="" f="$DIR/keys/$1keygen" alg=${ALG:-ECDSAP256SHA256} bits=()
    case "$alg" in RSA*) bits=(-b 2048) ;; esac
    for _ in 1 2 3; do      # retry on a (very unlikely) key tag collision
        if ! (cd "$DIR/keys" && exec ldns-keygen -a "$alg" "${bits[@]}" -k "$zone") > "$f" 2> "$f.err" ||
           ! read -r k < "$f" ||
           ! (cd "$DIR/keys" && exec ldns-keygen -a "$alg" "${bits[@]}" "$zone") > "$f" 2> "$f.err" ||
           ! read -r z < "$f"; then
            show_log "$f.err"; die "ldns-keygen failed for $zone"
        fi
        [ "$k" != "$z" ] && break
    done
    if [ -z "$k" ] || [ "$k" = "$z" ]; then die "ldns-keygen failed for $zone"; fi
    KSK="$DIR/keys/$k" ZSK="$DIR/keys/$z"
}
# sign ZONE (file $ZDIR/<zone>zone -> .signed) with fresh keys; extra args go to
# ldns-signzone (e.g. -i/-e); writes the DS of a child zone to $ZDIR/<zone>ds
sign_zone() {
    local zone=$1; shift
    gen_keys "$zone"
    quiet ldns-signzone -o "$zone" -i "$INCEPTION" "$@" \
        "$ZDIR/${zone}zone" "$KSK" "$ZSK" || die "ldns-signzone failed for $zone"
    if [ "$zone" != "$PARENT" ]; then
        quiet ldns-key2ds -n -2 "$KSK.key" > "$ZDIR/${zone}ds" || die "ldns-key2ds failed for $zone"
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
# check one manifest line (WHERE: ZONE MODE [ARGS...]); adds ZONE to ZONES
check_zone() {
    local where=$1 zone=$2 mode=${3:-}
    [ $# -ge 3 ] || die "$where: bad line (want: ZONE MODE [ARGS])"
    case "$zone" in
        *.*.) ;;
        *) die "$where: '$zone' must be a fully qualified name ending with '.'" ;;
    esac
    [ "${zone#*.}" = "$PARENT" ] || die "$where: $zone is not a child of $PARENT"
    case " $ZONES " in *" $zone "*) die "$where: zone $zone listed twice" ;; esac
    case "$mode" in
        signed|unsigned|expired|island|wrongds) ;;
        tamper) [ $# -eq 5 ] || die "$where: $zone: usage: tamper NAME TYPE" ;;
        *) die "$where: $zone: unknown mode '$mode'" ;;
    esac
    local a n=3
    for a in "${@:4}"; do case "$a" in template=*|alg=*|auth=*|stale=*) n=$((n + 1)) ;; esac; done
    for a in "${@:4}"; do
        case "$a" in
            auth=*) [[ "${a#auth=}" =~ ^[123](,[123])*$ ]] || die "$where: $zone: auth=N[,N] (1-3)"
                    AUTH_ZONES="$AUTH_ZONES $zone:${a#auth=}" ;;
            stale=*) [[ "${a#stale=}" =~ ^[A-Za-z0-9.-]+:[123]$ ]] || die "$where: $zone: stale=TEMPLATE:N"
                     local t=${a#stale=}
                     [ -r "$LAB_SRC/zones/${t%%:*}.zone" ] || die "$where: $zone: no template zones/${t%%:*}.zone"
                     AUTH_ZONES="$AUTH_ZONES $zone:${a##*:}:stale" ;;
        esac
    done
    case "$mode" in unsigned|expired|island|wrongds) [ $# -eq "$n" ] || die "$where: $zone: $mode takes no arguments but template= and alg=" ;; esac
    ZONES="$ZONES $zone"
}
# build one zone (WHERE: ZONE MODE [ARGS...]): instantiate, sign (writes its DS)
build_zone() {
    local where=$1 zone=$2 mode=$3 a tpl="" ALG="" opts=() rest=()
    shift 3
    # options of every mode: template=NAME (zones/NAME.zone), alg=ALGORITHM (ldns-keygen -a)
    local stale=""
    for a in "$@"; do
        case "$a" in
            template=*) tpl=${a#*=} ;;
            alg=*) ALG=${a#*=} ;;
            auth=*) ;;   # which extra authoritative servers serve it: write_auth_conf
            stale=*) stale=${a#*=}; stale=${stale%%:*} ;;
            *) rest+=("$a") ;;
        esac
    done
    set -- "${rest[@]}"
    instantiate "$zone" "$tpl"
    case "$mode" in
        unsigned)
            cp "$ZDIR/${zone}zone" "$ZDIR/${zone}zone.signed" ;;   # nsd serves *.signed
        island)   # signed, but no DS at the parent: insecure for a validating resolver
            sign_zone "$zone"
            rm -f "$ZDIR/${zone}ds" ;;
        wrongds)  # signed, but the DS at the parent matches no key: bogus
            sign_zone "$zone"
            awk 'function flip(c,   s, i) {
                     s = "0123456789abcdefABCDEF"; i = index(s, c) - 1
                     return substr(s, (i % 2 ? i - 1 : i + 1) + 1, 1)
                 }
                 { sub(/[ \t]+$/, ""); $0 = substr($0, 1, length($0) - 1) flip(substr($0, length($0), 1)); print }' \
                "$ZDIR/${zone}ds" > "$ZDIR/${zone}ds.tmp" && mv "$ZDIR/${zone}ds.tmp" "$ZDIR/${zone}ds" ;;
        signed)
            for a in "$@"; do
                case "$a" in
                    sigexpire=*)
                        [[ "${a#*=}" =~ ^[0-9]+$ ]] || die "$where: $zone: bad $a"
                        local e; utc e $(( NOW + ${a#*=} * 86400 )); opts+=(-e "$e") ;;
                    *) die "$where: $zone: unknown argument '$a'" ;;
                esac
            done
            sign_zone "$zone" "${opts[@]}"
            if [ -n "$stale" ]; then
                # an older version of the zone (serial - 1), signed with the same keys
                expand "$LAB_SRC/zones/$stale.zone" "$ZDIR/${zone}zone.stale" "$zone"
                quiet ldns-signzone -o "$zone" -i "$INCEPTION" -f "$ZDIR/${zone}zone.stale.signed" \
                    "${opts[@]}" "$ZDIR/${zone}zone.stale" "$KSK" "$ZSK" ||
                    die "ldns-signzone failed for the stale copy of $zone"
            fi ;;
        tamper)
            sign_zone "$zone"
            tamper "$ZDIR/${zone}zone.signed" "$1" "$2" ;;
        expired)
            local i e
            utc i $(( NOW - 30 * 86400 )); utc e $(( NOW - 10 * 86400 ))
            sign_zone "$zone" -i "$i" -e "$e" ;;
    esac
}
build_zones() {
    local line where zone pid
    local -a lines=() pids=() names=()
    mkdir -p "$ZDIR" "$DIR/keys"
    while IFS= read -r line; do
        where=${line%%: *}; line=${line#*: }
        # shellcheck disable=SC2086
        check_zone "$where" $line
        lines+=("$where: $line")
    done < <(mapfile -t files < <(manifests zones); manifest_lines "${files[@]}")
    # the children in parallel (two at a time per CPU), then the parent
    local jobs=$(( 2 * $(nproc 2>/dev/null || echo 1) ))
    for line in "${lines[@]}"; do
        where=${line%%: *}; line=${line#*: }
        # shellcheck disable=SC2086
        build_zone "$where" $line & pids+=($!) names+=("${line%% *}")
        if [ "${#pids[@]}" -ge "$jobs" ]; then
            wait "${pids[0]}" || die "could not build zone ${names[0]}"
            pids=("${pids[@]:1}") names=("${names[@]:1}")
        fi
    done
    for pid in "${!pids[@]}"; do wait "${pids[$pid]}" || die "could not build zone ${names[$pid]}"; done
    instantiate "$PARENT"
    for zone in $ZONES; do
        echo "$zone 3600 IN NS ns.$PARENT" >> "$ZDIR/${PARENT}zone"
        [ ! -e "$ZDIR/${zone}ds" ] || printf '%s\n' "$(< "$ZDIR/${zone}ds")" >> "$ZDIR/${PARENT}zone"
    done
    sign_zone "$PARENT"                         # last: includes children's DS + NS
    quiet ldns-key2ds -n -2 "$KSK.key" > "$DIR/test.anchor" || die "ldns-key2ds failed for $PARENT"
    build_root
}
# the lab's root zone ".": the delegation of test. (NS ns.test. with its glue) and its DS,
# signed with keys of its own; DIR/root.anchor is the DS of the root KSK (its key tag:
# ROOT_KEY_TAG), DIR/root.hints the root servers (ns.test. at NS_GLUE)
build_root() {
    expand "$LAB_SRC/zones/root.zone" "$ZDIR/root.zone" "."
    {
        echo "$PARENT 3600 IN NS ns.$PARENT"
        echo "ns.$PARENT 3600 IN A $NS_GLUE"
        printf '%s\n' "$(< "$DIR/test.anchor")"
    } >> "$ZDIR/root.zone"
    gen_keys .
    quiet ldns-signzone -o . -i "$INCEPTION" -f "$ZDIR/root.zone.signed" \
        "$ZDIR/root.zone" "$KSK" "$ZSK" || die "ldns-signzone failed for the root"
    quiet ldns-key2ds -n -2 "$KSK.key" > "$DIR/root.anchor" || die "ldns-key2ds failed for the root"
    ROOT_KEY_TAG=${KSK##*+}; ROOT_KEY_TAG=$((10#$ROOT_KEY_TAG))
    printf '%s\n' ". 3600000 IN NS ns.$PARENT" "ns.$PARENT 3600000 IN A $NS_GLUE" > "$DIR/root.hints"
}

# ---------------------------------------------------------------- DNS servers
# wait until nsd.log says "zone Z read with success" for every zone (no processes)
nsd_loaded_all() {
    local -A ok=()
    local line z missing deadline=$(( EPOCHSECONDS + WAIT_SECS ))
    while :; do
        while IFS= read -r line; do
            [[ "$line" =~ zone\ ([^ ]+)\ read\ with\ success ]] && ok[${BASH_REMATCH[1]}]=1
        done < "$DIR/nsd.log"
        missing=""
        for z in . $PARENT $ZONES; do [ -n "${ok[$z]:-}" ] || missing="$missing $z"; done
        [ -n "$missing" ] || return 0
        [ "$EPOCHSECONDS" -lt "$deadline" ] || { msg "zones not loaded:$missing"; return 1; }
        sleep 0.1
    done
}
write_nsd_conf() {
    local z
    cat > "$DIR/nsd.conf" <<EOF
server:
    ip-address: $NS_ADDR@$NSD_PORT$([ -z "$ROOT53" ] || printf '\n    ip-address: %s@53' "$ROOT53")
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
    printf 'zone:\n    name: "."\n    zonefile: "root.zone.signed"\n' >> "$DIR/nsd.conf"
    for z in $PARENT $ZONES; do
        printf 'zone:\n    name: "%s"\n    zonefile: "%szone.signed"\n' "$z" "$z" >> "$DIR/nsd.conf"
    done
}
write_unbound_conf() {   # NAME MODULES PORT IPV6(0|1) [ADDR53]
    local name=$1 port=$3 z f="$DIR/$1.conf"
    {
        echo "server:"
        echo "    interface: 127.0.0.1@$port"
        [ "$4" = 1 ] && echo "    interface: ::1@$port"
        [ -z "${5:-}" ] || echo "    interface: $5@53"
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
        # unbound-root: the lab's root key (RFC 8509 sentinel tests); the others: test.'s DS
        if [ "$2" != iterator ]; then
            printf '    trust-anchor-file: "%s"\n' "$DIR/$([ "$name" = unbound-root ] && echo root || echo test).anchor"
        fi
        # a validating resolver that treats RSASHA1 zones as insecure, like RHEL 9's crypto
        # policy: they come back signed but without AD
        [ "$name" != unbound-nosha1 ] || printf '    domain-insecure: "%s"\n' alg-rsasha1.test. tlsa-sha1.test.
        printf 'remote-control:\n    control-enable: no\n'
        case "$name" in
            # the root too, from nsd
            unbound-root) printf 'stub-zone:\n    name: "."\n    stub-addr: %s@%s\n' "$NS_ADDR" "$NSD_PORT" ;;
            # a resolver that serves the children but cannot reach their parent (nor a root):
            # every DS query fails at once (SERVFAIL), the parent's address being one it
            # must not ask
            unbound-noparent)
                echo "server:"
                echo "    do-not-query-address: 127.0.0.2"
                for z in . "$PARENT"; do
                    printf 'stub-zone:\n    name: "%s"\n    stub-addr: 127.0.0.2@%s\n' "$z" "$NSD_PORT"
                done ;;
        esac
        for z in $PARENT $ZONES; do
            [ "$name" != unbound-noparent ] || [ "$z" != "$PARENT" ] || continue
            printf 'stub-zone:\n    name: "%s"\n    stub-addr: %s@%s\n' "$z" "$NS_ADDR" "$NSD_PORT"
        done
    } > "$f"
}
# write_auth_conf N: DIR/auth-N.conf, an nsd on port 53 of AUTH_ADDR[N] serving the zones
# with auth=...N... (their current signed file) or stale=TEMPLATE:N (the stale copy)
write_auth_conf() {
    local n=$1 item zone list f
    cat > "$DIR/auth-$n.conf" <<EOF
server:
    ip-address: ${AUTH_ADDR[$n]}@53
    port: 53
    do-ip6: no
    reuseport: no
    server-count: 1
    username: ""
    chroot: ""
    zonesdir: "$ZDIR"
    database: ""
    pidfile: "$DIR/auth-$n.pid"
    logfile: "$DIR/auth-$n.log"
    xfrdfile: "$DIR/auth-$n-xfrd.state"
    xfrdir: "$DIR"
    zonelistfile: "$DIR/auth-$n-zone.list"
    verbosity: 1
    hide-version: yes
remote-control:
    control-enable: no
EOF
    for item in $AUTH_ZONES; do
        zone=${item%%:*} list=${item#*:}
        case "$list" in
            *:stale) [ "${list%:stale}" = "$n" ] || continue; f="${zone}zone.stale.signed" ;;
            *) case ",$list," in *",$n,"*) ;; *) continue ;; esac
               # a stale copy for this server replaces the current one
               case " $AUTH_ZONES " in *" $zone:$n:stale "*) continue ;; esac
               f="${zone}zone.signed" ;;
        esac
        printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$zone" "$f" >> "$DIR/auth-$n.conf"
    done
}
# start the extra authoritative servers (auth-1, auth-2; auth-3's address stays silent)
launch_auth() {
    local n zone
    for n in 1 2; do
        write_auth_conf "$n"
        grep -q '^zone:' "$DIR/auth-$n.conf" || continue
        nsd-checkconf "$DIR/auth-$n.conf" > "$DIR/auth-$n.checkconf" 2>&1 ||
            { show_log "$DIR/auth-$n.checkconf"; die "nsd-checkconf failed for auth-$n"; }
        SERVERS="$SERVERS auth-$n"
        nsd -c "$DIR/auth-$n.conf" < /dev/null >> "$DIR/auth-$n.log" 2>&1 ||
            { show_log "$DIR/auth-$n.log"; die "authoritative server auth-$n did not start on ${AUTH_ADDR[$n]}@53"; }
        zone=$(awk '/^ *name:/ { gsub(/"/, "", $2); print $2; exit }' "$DIR/auth-$n.conf")
        wait_answer 53 "${AUTH_ADDR[$n]}" "$zone" SOA 'flags: qr aa' ||
            { show_log "$DIR/auth-$n.log"; die "auth-$n on ${AUTH_ADDR[$n]}@53 does not serve $zone"; }
    done
}
# launch NAME (nsd, unbound-val or unbound-nonval; writes DIR/NAME.conf) on a fresh port,
# retrying a few times with another port if the daemon fails (e.g. port race)
launch() {   # NAME
    local name=$1 try ipv6 r53 log="$DIR/$1.log"
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
            r53=""                                        # port 53: validating only, not on the last try
            if [ "$name" = unbound-val ] && [ "$CAN_BIND53" = 1 ] && [ "$try" -le 3 ]; then
                pick_resolver53; r53=$R53
            fi
            write_unbound_conf "$name" "$(case "$name" in unbound-nonval|unbound-noparent) echo iterator ;;
                *) echo "validator iterator" ;; esac)" "$PORT" "$ipv6" "$r53"
            unbound-checkconf "$DIR/$name.conf" > "$DIR/$name.checkconf" 2>&1 ||
                { show_log "$DIR/$name.checkconf"; die "unbound-checkconf failed for $name"; }
            if unbound -c "$DIR/$name.conf" < /dev/null >> "$log" 2>&1; then
                [ "$ipv6" = 1 ] || LAB_IPV6=0
                [ "$name" != unbound-val ] || RESOLVER53=$r53
                return 0
            fi
        fi
        stop_server "$name"
    done
    show_log "$log"; die "$name did not start (port $PORT, see $log)"
}

# ---------------------------------------------------------------- SMTP servers
# servers.d/*.conf: ADDR KIND [ARGS...], all on port SMTP_PORT, see README.md.
# Writes DIR/postfix/{main,master}.cf and HELPER_CMDS (one command per helper).
read_servers() {
    local line where addr kind a tls host mat svc
    PF_SERVICES="" HELPER_CMDS=() SMTP_ADDRS=""
    while IFS= read -r line; do
        where=${line%%: *}; line=${line#*: }
        # shellcheck disable=SC2086
        set -- $line
        [ $# -ge 2 ] || die "$where: want ADDR KIND [ARGS]"
        addr=$1 kind=$2; shift 2
        case "$addr" in
            127.*.*.*) svc="$addr:$SMTP_PORT" ;;
            ::1) svc="[::1]:$SMTP_PORT"
                 [ "$HAVE_IPV6" = 1 ] || continue ;;
            *) die "$where: address must be 127.x.y.z or ::1: $addr" ;;
        esac
        case " $SMTP_ADDRS " in *" $addr "*) die "$where: address $addr used twice" ;; esac
        SMTP_ADDRS="$SMTP_ADDRS $addr"
        case "$kind" in
            smtpd)
                [ $# -ge 1 ] || die "$where: usage: ADDR smtpd CERT[,CERT2]|- [tls=may|none|encrypt] [host=NAME]"
                mat=$1 tls=may host=""; shift
                for a in "$@"; do
                    case "$a" in
                        tls=may|tls=none|tls=encrypt) tls=${a#tls=} ;;
                        host=*) host=${a#host=} ;;
                        *) die "$where: unknown option '$a'" ;;
                    esac
                done
                PF_SERVICES="$PF_SERVICES$svc inet n - n - - smtpd -o smtpd_tls_security_level=$tls"
                if [ "$mat" != - ]; then
                    # CERT[,CERT2]: a second certificate of another key type (ECDSA + RSA)
                    local m files=""
                    for m in ${mat//,/ }; do
                        case "${M_KIND[$m]:-key}" in
                            key) die "$where: '$m' is no certificate of certs.conf/certs.d" ;;
                        esac
                        files="$files${files:+,}$CERTS/$m.keychain.pem"
                    done
                    PF_SERVICES="$PF_SERVICES -o smtpd_tls_chain_files=$files"
                elif [ "$tls" != none ]; then
                    die "$where: smtpd without certificate needs tls=none"
                fi
                [ -z "$host" ] || PF_SERVICES="$PF_SERVICES -o myhostname=$host"
                PF_SERVICES="$PF_SERVICES"$'\n' ;;
            silent)
                [ $# -eq 0 ] || die "$where: silent takes no arguments"
                HELPER_CMDS+=("silent_tcp $addr $SMTP_PORT $LIFETIME $DIR/helper-${#HELPER_CMDS[@]}.pid") ;;
            delay)
                case $# in 1|2) ;; *) die "$where: usage: ADDR delay BACKEND_ADDR [MS]" ;; esac
                [[ "${2:-500}" =~ ^[0-9]+$ ]] || die "$where: bad delay '$2'"
                HELPER_CMDS+=("delay_proxy -d ${2:-500} -t $LIFETIME -l $SMTP_PORT -P $DIR/helper-${#HELPER_CMDS[@]}.pid $1 $SMTP_PORT $addr") ;;
            https)  # an HTTPS server for MTA-STS policies (check_mta_sts): CERT and a directory
                    # of responses under tests/lab, one file per host name (https_policy)
                [ $# -eq 2 ] || die "$where: usage: ADDR https CERT DIR"
                [ "${M_KIND[$1]:-key}" != key ] || die "$where: '$1' is no certificate of certs.conf/certs.d"
                [ -d "$LAB_SRC/$2" ] || die "$where: no directory tests/lab/$2"
                HELPER_CMDS+=("https_policy -t $LIFETIME -P $DIR/helper-${#HELPER_CMDS[@]}.pid -c $CERTS/$1.keychain.pem -d $LAB_SRC/$2 $addr $SMTP_PORT") ;;
            *) die "$where: unknown kind '$kind' (smtpd, silent, delay, https)" ;;
        esac
    done < <(mapfile -t files < <(manifests servers); manifest_lines "${files[@]}")
}
write_postfix_conf() {
    local pf="$DIR/postfix"
    mkdir -p "$pf/queue/pid" "$pf/queue/private" "$pf/queue/public" "$pf/data"
    chown postfix "$pf/queue/private" "$pf/queue/public" "$pf/data"
    chmod 700 "$pf/queue/private"; chmod 710 "$pf/queue/public"
    # Postfix's processes run as user postfix and use $pf/data by its full path:
    # DIR (e.g. mktemp -d, mode 700) must let others through (search permission only)
    chmod o+x "$DIR" "$pf"
    runuser -u postfix -- test -w "$pf/data" ||
        die "user postfix cannot reach $pf/data (a parent directory of $DIR is closed; use one under /tmp)"
    cat > "$pf/main.cf" <<EOF
# Postfix instance of the lab (lab.sh): receives no mail, only answers EHLO/STARTTLS.
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
maillog_file = $DIR/postfix.log
maillog_file_prefixes = $DIR
# 127.0.1.x are no interface addresses: the smtpd services of master.cf name their own
inet_interfaces = 127.0.0.1$([ "$HAVE_IPV6" = 1 ] && echo ", [::1]")
inet_protocols = $([ "$HAVE_IPV6" = 1 ] && echo "ipv4, ipv6" || echo ipv4)
myhostname = lab.test
mydomain = lab.test
myorigin = lab.test
mydestination =
mynetworks = 127.0.0.0/8 [::1]/128
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_peername_lookup = no
smtpd_banner = \$myhostname ESMTP lab
smtpd_tls_loglevel = 1
smtpd_tls_received_header = no
biff = no
EOF
    {
        echo "# generated by lab.sh from servers.d/*.conf: one smtpd per address, no chroot"
        printf '%s' "$PF_SERVICES"
        echo "tlsmgr    unix  -       -       n       1000?   1       tlsmgr"
        echo "anvil     unix  -       -       n       -       1       anvil"
        echo "postlog   unix-dgram n  -       n       -       1       postlogd"
    } > "$pf/master.cf"
    # Postfix waits (up to 1.5 s) until main.cf is older than a second or so
    touch -d "@$(( EPOCHSECONDS - 60 ))" "$pf/main.cf" "$pf/master.cf"
}
start_smtp() {
    local daemon_dir cmd bin pidf i t
    read_servers
    write_postfix_conf
    if [ -n "$PF_SERVICES" ]; then
        daemon_dir=/usr/lib/postfix/sbin
        [ -x "$daemon_dir/master" ] ||
            daemon_dir=$(postconf -c "$DIR/postfix" -h daemon_directory 2>/dev/null) || die "postconf failed"
        : > "$DIR/postfix.log"
        # the master daemon directly: "postfix -c DIR start" works too (as root it
        # needs no alternate_config_directories) but runs postfix-script's checks,
        # 1.5-3 s here; "-e": it ends by itself after LIFETIME seconds
        "$daemon_dir/master" -c "$DIR/postfix" -w -e "$LIFETIME" < /dev/null > "$DIR/postfix.out" 2>&1 ||
            { show_log "$DIR/postfix.log"; show_log "$DIR/postfix.out"; die "Postfix did not start (port $SMTP_PORT, see $DIR/postfix.log)"; }
    fi
    local -a hpids=()
    for i in "${!HELPER_CMDS[@]}"; do    # start them all, then wait for their pid files
        cmd=${HELPER_CMDS[$i]}
        bin=$HELPERS/${cmd%% *}
        hpids+=("")
        if [ ! -x "$bin" ]; then         # not built: its listener is missing (lab.env says so)
            case " $HELPERS_MISSING " in *" ${cmd%% *} "*) ;; *) HELPERS_MISSING="$HELPERS_MISSING ${cmd%% *}" ;; esac
            continue
        fi
        # shellcheck disable=SC2086
        "$bin" ${cmd#* } < /dev/null > "$DIR/helper-$i.log" 2>&1 &
        hpids[i]=$!
    done
    for i in "${!HELPER_CMDS[@]}"; do
        [ -n "${hpids[i]}" ] || continue
        pidf="$DIR/helper-$i.pid"
        for (( t = 0; t < WAIT_SECS * 50; t++ )); do
            [ -s "$pidf" ] && break
            kill -0 "${hpids[i]}" 2>/dev/null || break
            sleep 0.02
        done
        [ -s "$pidf" ] || { show_log "$DIR/helper-$i.log"; die "helper did not start: ${HELPER_CMDS[$i]}"; }
    done
}

# ---------------------------------------------------------------- start
lab_start() {
    local cmd
    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd)
    [ -w "$DIR" ] || die "$DIR is not writable"
    # the lab finds its own processes (to stop them) and free ports in /proc
    [ -r /proc/self/cmdline ] ||
        die "/proc is not mounted or not readable: the lab needs it to find its processes (mount -t proc proc /proc)"
    for cmd in nsd nsd-checkconf unbound unbound-checkconf ldns-keygen ldns-signzone ldns-key2ds drill openssl; do
        command -v "$cmd" >/dev/null 2>&1 || die "$cmd not installed (apt-get install nsd unbound ldnsutils openssl)"
    done
    ZDIR="$DIR/zones" ZONES="" NOW=$EPOCHSECONDS SERIAL=$EPOCHSECONDS
    utc INCEPTION $(( NOW - 3600 ))
    HAVE_IPV6=0 LAB_IPV6=1 RESOLVER53="" HELPERS_MISSING=""
    if { [ "$(< /proc/sys/net/ipv6/conf/lo/disable_ipv6)" = 0 ]; } 2>/dev/null &&
       grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then HAVE_IPV6=1; fi
    [ "$HAVE_IPV6" = 1 ] || LAB_IPV6=0
    # port 53 (resolver for posttls-finger) and Postfix need root
    CAN_BIND53=0
    if [ "$EUID" = 0 ] || { [ "$(< /proc/sys/net/ipv4/ip_unprivileged_port_start)" -le 53 ]; } 2>/dev/null; then
        CAN_BIND53=1
    fi
    SMTP=${LAB_SMTP:-1} SMTP_WHY=""
    if [ "$SMTP" = 1 ]; then
        if [ "$EUID" != 0 ]; then SMTP=0 SMTP_WHY="not root"
        elif ! command -v postconf >/dev/null 2>&1 || ! id postfix >/dev/null 2>&1; then
            SMTP=0 SMTP_WHY="postfix not installed"
        elif [[ "$DIR" =~ [[:space:]] ]]; then SMTP=0 SMTP_WHY="lab directory has blanks"
        fi
    else
        SMTP=0 SMTP_WHY="LAB_SMTP=$SMTP"
    fi
    HELPERS=${LAB_HELPERS:-${top_builddir:+$top_builddir/tests/helpers}}
    HELPERS=${HELPERS:-$LAB_SRC/../helpers}
    # on any failure: stop what was started (background jobs first)
    trap 'p=$(jobs -p); [ -z "$p" ] || kill $p 2>/dev/null; wait; lab_stop' EXIT
    pick_port; SMTP_PORT=$PORT             # in TLSA owner names, so before the zones
    AUTH_ZONES="" AUTH=0                   # extra authoritative servers on port 53 (root)
    declare -g -a AUTH_ADDR=()
    if [ "$CAN_BIND53" = 1 ] && [ "${LAB_AUTH:-1}" = 1 ]; then pick_auth_addrs; AUTH=1; fi
    # the hierarchy on port 53 of ROOT53 too (root): ns.test. points there
    ROOT53="" NS_GLUE=$NS_ADDR ROOT_KEY_TAG=""
    if [ "$CAN_BIND53" = 1 ] && [ "${LAB_RECURSIVE:-1}" = 1 ]; then
        pick_root53; NS_GLUE=${ROOT53:-$NS_ADDR}
    fi
    build_material;  phase "certificates"
    build_zones;     phase "zones"

    launch nsd
    local z
    wait_answer "$NSD_PORT" "$NS_ADDR" "$PARENT" SOA 'flags: qr aa' ||
        { show_log "$DIR/nsd.log"; die "nsd on port $NSD_PORT does not serve $PARENT"; }
    nsd_loaded_all || { show_log "$DIR/nsd.log" 30; die "nsd did not load every zone (see $DIR/nsd.log)"; }
    [ "$AUTH" = 0 ] || [ -z "$AUTH_ZONES" ] || launch_auth
    phase "nsd"
    launch unbound-val;    VAL_PORT=$PORT
    launch unbound-nonval; NONVAL_PORT=$PORT
    launch unbound-nosha1; NOSHA1_PORT=$PORT
    launch unbound-root; ROOTVAL_PORT=$PORT
    launch unbound-noparent; NOPARENT_PORT=$PORT
    for z in "$VAL_PORT" "$NONVAL_PORT" "$NOSHA1_PORT" "$ROOTVAL_PORT"; do
        wait_answer "$z" 127.0.0.1 "$PARENT" SOA 'rcode: NOERROR' ||
            die "unbound on 127.0.0.1@$z does not answer"
        if [ "$LAB_IPV6" = 1 ]; then
            wait_answer "$z" ::1 "$PARENT" SOA 'rcode: NOERROR' || die "unbound on ::1@$z does not answer"
        fi
    done
    wait_answer "$VAL_PORT" 127.0.0.1 "$PARENT" SOA 'flags:.* ad[ ;]' ||
        { show_log "$DIR/unbound-val.log"; die "validating unbound does not validate $PARENT"; }
    wait_answer "$ROOTVAL_PORT" 127.0.0.1 "$PARENT" SOA 'flags:.* ad[ ;]' ||
        { show_log "$DIR/unbound-root.log"; die "unbound-root does not validate $PARENT from the lab's root key"; }
    wait_answer "$NOPARENT_PORT" 127.0.0.1 secure.test. SOA 'rcode: NOERROR' ||
        { show_log "$DIR/unbound-noparent.log"; die "unbound-noparent does not answer"; }
    if [ -n "$ROOT53" ]; then
        wait_answer 53 "$ROOT53" . SOA 'flags: qr aa' ||
            { show_log "$DIR/nsd.log"; die "nsd does not serve the root on $ROOT53@53"; }
    fi
    phase "unbound"
    if [ -n "$RESOLVER53" ]; then
        wait_answer 53 "$RESOLVER53" "$PARENT" SOA 'flags:.* ad[ ;]' ||
            { show_log "$DIR/unbound-val.log"; die "validating unbound does not answer on $RESOLVER53@53"; }
        printf 'nameserver %s\noptions trust-ad timeout:2 attempts:2\n' "$RESOLVER53" > "$DIR/resolv.conf"
        # posttls-finger.sh: its own (empty) Postfix client configuration
        mkdir -p "$DIR/posttls-finger"
        printf '%s\n' "compatibility_level = 3.6" "myhostname = posttls-finger.lab.test" \
            "# no DNSSEC probe of the root: nothing outside test. resolves" "dnssec_probe =" \
            > "$DIR/posttls-finger/main.cf"
    fi
    if [ "$SMTP" = 1 ]; then
        start_smtp
        phase "smtp"
    fi

    local v f bogus_addr=""   # tampered address actually served for www.bogus.test.
    [ -r "$ZDIR/bogus.test.zone.signed" ] &&
        bogus_addr=$(awk '$1 == "www.bogus.test." && $4 == "A" { print $5; exit }' "$ZDIR/bogus.test.zone.signed")
    {
        for v in "LAB_DIR=$DIR" "LAB_NSD_PORT=$NSD_PORT" "LAB_VALIDATING_PORT=$VAL_PORT" \
                 "LAB_NONVALIDATING_PORT=$NONVAL_PORT" "LAB_NOSHA1_PORT=$NOSHA1_PORT" \
                 "LAB_ADDR=127.0.0.1" "LAB_IPV6=$LAB_IPV6" \
                 "LAB_ZONE=$PARENT" "LAB_ZONES=$PARENT$ZONES" "LAB_TRUST_ANCHOR=$DIR/test.anchor" \
                 "LAB_SECURE_NAME=secure.test." "LAB_SECURE_A=www.secure.test." \
                 "LAB_SECURE_A_ADDR=127.0.0.10" "LAB_INSECURE_NAME=www.insecure.test." \
                 "LAB_BOGUS_NAME=www.bogus.test." "LAB_BOGUS_A_ADDR=$bogus_addr" \
                 "LAB_EXPIRED_NAME=www.expired.test." \
                 "LAB_RESOLVER53=$RESOLVER53" "LAB_RESOLV_CONF=$([ -n "$RESOLVER53" ] && echo "$DIR/resolv.conf")" \
                 "LAB_CERTS=$CERTS" "LAB_SMTP=$SMTP" "LAB_SMTP_WHY=$SMTP_WHY" "LAB_SMTP_PORT=$SMTP_PORT" \
                 "LAB_SMTP_ADDRS=$([ "$SMTP" = 1 ] && echo "${SMTP_ADDRS# }")" \
                 "LAB_SMTP_LOG=$DIR/postfix.log" "LAB_HELPERS_MISSING=${HELPERS_MISSING# }" \
                 "LAB_POSTTLS_FINGER=$LAB_SRC/posttls-finger.sh" "LAB_AUTH=$AUTH" \
                 "LAB_AUTH1=${AUTH_ADDR[1]:-}" "LAB_AUTH2=${AUTH_ADDR[2]:-}" "LAB_AUTH3=${AUTH_ADDR[3]:-}" \
                 "LAB_ROOT_VALIDATING_PORT=$ROOTVAL_PORT" "LAB_NOPARENT_PORT=$NOPARENT_PORT" \
                 "LAB_ROOT_ANCHOR=$DIR/root.anchor" "LAB_ROOT_KEY_TAG=$ROOT_KEY_TAG" \
                 "LAB_ROOT53=$ROOT53" "LAB_ROOT_HINTS=$([ -n "$ROOT53" ] && echo "$DIR/root.hints")"; do
            printf '%s=%q\n' "${v%%=*}" "${v#*=}"
        done
        # env.d/*.env: NAME=VALUE lines, placeholders expanded
        for f in "$LAB_SRC"/env.d/*.env; do
            [ -r "$f" ] || continue
            expand "$f" "$DIR/env.tmp" ""
            awk '{ sub(/^[ \t]+/, "") } /^#/ || !NF { next }
                 !/^[A-Za-z_][A-Za-z0-9_]*=/ { print "bad line " NR ": " $0 > "/dev/stderr"; exit 1 }
                 { print }' "$DIR/env.tmp" > "$DIR/env.lines" || die "${f#"$LAB_SRC"/}: want NAME=VALUE lines"
            while IFS= read -r v; do printf '%s=%q\n' "${v%%=*}" "${v#*=}"; done < "$DIR/env.lines"
        done
        rm -f "$DIR/env.tmp" "$DIR/env.lines"
    } > "$DIR/lab.env"
    rm -f "$DIR"/cmd.err.* "$DIR"/keys/*keygen*
    phase "lab.env"
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
