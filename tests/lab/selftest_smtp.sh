#!/bin/bash
# Self test of the lab's SMTP part (servers.d/smtp.conf, zones.d/smtp.conf): for
# every scenario, the verdict of Postfix's posttls-finger -l dane (through
# posttls-finger.sh, with the lab's validating resolver) -- the oracle the DANE
# plugins are compared with -- and, per address, the verdict of openssl s_client
# with the TLSA RRset the validating resolver returns. Plus the silent server,
# the delay proxy, certificates, signatures, lab.env and a clean stop. Output is TAP.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$here/tap.sh"

lab_up
[ "${LAB_SMTP:-0}" = 1 ] || tap_skip_all "the lab has no SMTP servers: ${LAB_SMTP_WHY:-?} (needs root and postfix: scripts/install-deps)"
[ -n "${LAB_RESOLVER53:-}" ] || tap_skip_all "the lab has no resolver on port 53 (needs root)"
command -v posttls-finger >/dev/null 2>&1 || tap_skip_all "posttls-finger not installed (postfix)"
unshare -m --propagation private true 2>/dev/null || tap_skip_all "unshare -m does not work here"

P=$LAB_SMTP_PORT
PTF_OUT=""
tap_is "$LAB_HELPERS_MISSING" "" "helper programs built (tests/helpers: make check builds them)"

# ptf ARGS...: posttls-finger -l dane through the wrapper; sets PTF_OUT
ptf() { PTF_OUT=$("$here/posttls-finger.sh" "$LAB_DIR" -l dane -P /etc/ssl/certs "$@" 2>&1); }
# ptf_verdict: "VERDICT HOST[ADDR]" from PTF_OUT: Verified/Untrusted/Trusted/Anonymous
# when a TLS connection was made, "no STARTTLS" when the EHLO reply lacks it (needs
# the chat, i.e. no -c), "timeout" for a greeting that never came, else "none"
ptf_verdict() {
    local re='^posttls-finger: ([A-Za-z]+) TLS connection established to ([^ ]+):[0-9]+:'
    local line
    while IFS= read -r line; do
        if [[ "$line" =~ $re ]]; then echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"; return; fi
    done <<< "$PTF_OUT"
    if grep -q 'timeout while reading server greeting' <<< "$PTF_OUT"; then echo timeout
    elif grep -q '< 250 ' <<< "$PTF_OUT" && ! grep -q '< 250.STARTTLS' <<< "$PTF_OUT"; then echo "no STARTTLS"
    else echo none; fi
}
# ptf_case DESC EXPECTED ARGS...: posttls-finger -c -l dane ARGS; EXPECTED is the
# verdict with HOST[ADDR] or (if it names no address) the verdict alone
ptf_case() {
    local desc=$1 want=$2 got; shift 2
    ptf -c "$@"
    got=$(ptf_verdict)
    case "$want" in *\[*) ;; *) got=${got% *\[*\]} ;; esac
    tap_is "$got" "$want" "posttls-finger $*: $desc"
    [ "$got" = "$want" ] || tap_diag "$PTF_OUT"
}

# tlsa_of HOST: the TLSA rdata at _PORT._tcp.HOST from the validating resolver, one per
# line ("U S M hex"), only if the answer is DNSSEC-validated (AD)
tlsa_of() {
    local out
    out=$(timeout 10 drill -D -p "$LAB_VALIDATING_PORT" @"$LAB_ADDR" "_$P._tcp.$1" TLSA 2>&1)
    grep -q '^;; flags:.* ad[ ;]' <<< "$out" || return 0
    awk '$1 !~ /^;/ && $4 == "TLSA" { print $5, $6, $7, tolower($8) }' <<< "$out"
}
# sclient_verdict ADDR HOST: Verified/Untrusted by openssl s_client (STARTTLS) at ADDR with
# the validated TLSA RRset of HOST; "no STARTTLS" / "no TLSA" / "no connection" otherwise
sclient_verdict() {
    local addr=$1 host=$2 rr out connect
    local -a opts=()
    while IFS= read -r rr; do [ -z "$rr" ] || opts+=(-dane_tlsa_rrdata "$rr"); done < <(tlsa_of "$host")
    [ "${#opts[@]}" -gt 0 ] || { echo "no TLSA"; return; }
    case "$addr" in *:*) connect="[$addr]:$P" ;; *) connect="$addr:$P" ;; esac
    out=$(echo QUIT | timeout 10 openssl s_client -brief -starttls smtp -connect "$connect" \
        -dane_tlsa_domain "$host" "${opts[@]}" 2>&1)
    if grep -q '^Verification: OK' <<< "$out"; then echo Verified
    elif grep -q 'CONNECTION ESTABLISHED' <<< "$out"; then echo Untrusted
    elif grep -qi "didn't find starttls\|STARTTLS not supported" <<< "$out"; then echo "no STARTTLS"
    else echo "no connection"; fi
}

# --- posttls-finger, one domain (MX lookup) per scenario ------------------------
tap_diag "posttls-finger verdicts (the oracle for check_dane_smtp / check_dane_rollover)"
ptf_case "good DANE-EE, first MX host" "Verified mx1.smtp-ee.test[127.0.1.11]" "$LAB_DANE_EE_DOMAIN:$P"
ptf_case "good DANE-EE, second MX host" "Verified" "[mx2.smtp-ee.test]:$P" -a ipv4
tap_like "$(ptf_verdict)" '^Verified mx2\.smtp-ee\.test\[127\.0\.1\.1[23]\]$' "good DANE-EE: mx2 is one of its two addresses"
ptf_case "good DANE-TA (2 0 1 ca-int)" "Verified mx.smtp-ta.test[127.0.1.21]" "$LAB_DANE_TA_DOMAIN:$P"
tap_like "$PTF_OUT" "Matched DANE TA certificate at depth 1: ${LAB_DANE_TA_TLSA^^}" "DANE-TA: matched the intermediate at depth 1"
ptf_case "DANE-TA of ca-int, chain from the sibling CA" "Untrusted mx.smtp-taother.test[127.0.1.25]" "$LAB_TA_OTHER_DOMAIN:$P"
ptf_case "wrong digest" "Untrusted mx.smtp-wrong.test[127.0.1.31]" "$LAB_WRONG_DIGEST_DOMAIN:$P"
tap_like "$PTF_OUT" "no matching DANE TLSA records" "wrong digest: no matching DANE TLSA records"
ptf_case "new key deployed, old TLSA" "Untrusted mx.smtp-newkey.test[127.0.1.41]" "$LAB_NEW_KEY_DOMAIN:$P"
ptf_case "current + next published" "Verified mx.smtp-next.test[127.0.1.51]" "$LAB_NEXT_PUBLISHED_DOMAIN:$P"
tap_like "$PTF_OUT" "Matched DANE EE certificate at depth 0: ${LAB_NEXT_PUBLISHED_TLSA^^}" "current + next: the current record matched"
ptf_case "DANE-TA, leaf for another name" "Untrusted mx.smtp-taname.test[127.0.1.61]" "$LAB_TA_WRONG_NAME_DOMAIN:$P"
tap_like "$PTF_OUT" "hostname mismatch" "DANE-TA, other name: hostname mismatch"
ptf_case "RSA-2048, 3 1 2" "Verified mx.smtp-rsa.test[127.0.1.71]" "$LAB_RSA_DOMAIN:$P"
tap_like "$PTF_OUT" "RSA-PSS \\(2048 bits\\)|RSA \\(2048 bits\\)" "RSA-2048: the server signs with RSA 2048"
ptf_case "dual stack over IPv4" "Verified mx.smtp-dual.test[127.0.1.81]" -a ipv4 "$LAB_DUAL_STACK_DOMAIN:$P"
if [ "$LAB_IPV6" = 1 ]; then
    ptf_case "dual stack over IPv6 (other key)" "Untrusted mx.smtp-dual.test[::1]" -a ipv6 "$LAB_DUAL_STACK_DOMAIN:$P"
else
    tap_diag "no IPv6 loopback: the ::1 half of the dual-stack scenario is not served"
fi
ptf_case "CNAME'd MX host, TLSA at the target" "Verified mx.smtp-cname.test[127.0.1.91]" "$LAB_CNAME_DOMAIN:$P"
ptf -l dane "$LAB_NO_STARTTLS_DOMAIN:$P"     # with the chat: the EHLO reply shows it
tap_is "$(ptf_verdict)" "no STARTTLS" "posttls-finger $LAB_NO_STARTTLS_DOMAIN:$P: no STARTTLS (TLSA published)"
t0=$(now_s)
ptf_case "silent server" "timeout" -t 2 "$LAB_SILENT_DOMAIN:$P"
tap_cmp_lt "$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')" 4 "silent server: posttls-finger gives up after -t 2"
ptf_case "leaf expiring in 5 days, 3 0 1" "Verified mx.smtp-expiring.test[127.0.1.121]" "$LAB_EXPIRING_DOMAIN:$P"
tap_like "$PTF_OUT" "Matched DANE EE certificate at depth 0: ${LAB_EXPIRING_TLSA^^}" "expiring leaf: matched by 3 0 1"
ptf_case "only the current key published" "Verified mx.smtp-nonext.test[127.0.1.131]" "$LAB_NO_NEXT_DOMAIN:$P"
ptf_case "partial rollover (some address)" "Verified" "$LAB_PARTIAL_DOMAIN:$P"
tap_like "$(ptf_verdict)" '^Verified mx\.smtp-partial\.test\[127\.0\.1\.14[12]\]$' "partial rollover: one of its two addresses"
ptf_case "stale record next to the matching one" "Verified mx.smtp-stale.test[127.0.1.151]" "$LAB_STALE_DOMAIN:$P"
ptf_case "signatures expiring in 3 days" "Verified mx.smtp-sigexp.test[127.0.1.161]" "$LAB_SIG_EXPIRING_DOMAIN:$P"
t0=$(now_s)
ptf_case "greeting 0.5 s late" "Verified" "$LAB_DELAY_DOMAIN:$P"
tap_like "$(ptf_verdict)" '^Verified mx1\.smtp-delay\.test\[127\.0\.1\.17[12]\]$' "delay: verified through the proxy"
t1=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')
tap_cmp_lt 0.45 "$t1" "delay: posttls-finger took at least the delay ($t1 s)"
ptf_case "expired leaf, DANE-EE" "Verified mx.smtp-expired.test[127.0.1.181]" "$LAB_EXPIRED_CERT_DOMAIN:$P"
ptf_case "self-signed leaf, DANE-EE" "Verified mx.smtp-selfsigned.test[127.0.1.191]" "$LAB_SELFSIGNED_DOMAIN:$P"
ptf_case "3 1 1 of the key next to a 3 1 2 (digest agility)" "Untrusted mx.smtp-agility.test[127.0.1.221]" "$LAB_AGILITY_DOMAIN:$P"

# --- every address: openssl s_client with the validated TLSA RRset ----------------
# ADDR HOST EXPECTED (HOST: where the TLSA RRset is, the CNAME target for smtp-cname)
while read -r addr host want; do
    [ "$addr" != ::1 ] || [ "$LAB_IPV6" = 1 ] || continue
    tap_is "$(sclient_verdict "$addr" "$host")" "${want//_/ }" "s_client $addr ($host): ${want//_/ }"
done <<EOF
127.0.1.11  mx1.smtp-ee.test         Verified
127.0.1.12  mx2.smtp-ee.test         Verified
127.0.1.13  mx2.smtp-ee.test         Verified
127.0.1.21  mx.smtp-ta.test          Verified
127.0.1.25  mx.smtp-taother.test     Untrusted
127.0.1.31  mx.smtp-wrong.test       Untrusted
127.0.1.41  mx.smtp-newkey.test      Untrusted
127.0.1.51  mx.smtp-next.test        Verified
127.0.1.61  mx.smtp-taname.test      Untrusted
127.0.1.71  mx.smtp-rsa.test         Verified
127.0.1.81  mx.smtp-dual.test        Verified
::1         mx.smtp-dual.test        Untrusted
127.0.1.91  smtp.smtp-target.test    Verified
127.0.1.101 mx.smtp-notls.test       no_STARTTLS
127.0.1.121 mx.smtp-expiring.test    Verified
127.0.1.131 mx.smtp-nonext.test      Verified
127.0.1.141 mx.smtp-partial.test     Verified
127.0.1.142 mx.smtp-partial.test     Verified
127.0.1.151 mx.smtp-stale.test       Verified
127.0.1.161 mx.smtp-sigexp.test      Verified
127.0.1.171 mx1.smtp-delay.test      Verified
127.0.1.172 mx1.smtp-delay.test      Verified
127.0.1.173 mx2.smtp-delay.test      Verified
127.0.1.174 mx2.smtp-delay.test      Verified
127.0.1.181 mx.smtp-expired.test     Verified
127.0.1.191 mx.smtp-selfsigned.test  Verified
127.0.1.221 mx.smtp-agility.test     Untrusted
EOF

# the two addresses of the partial rollover present different keys, each published
spki_at() {   # ADDR: SHA-256 of the SPKI the server at ADDR presents
    echo QUIT | timeout 10 openssl s_client -starttls smtp -connect "$1:$P" 2>/dev/null |
        openssl x509 -pubkey -noout 2>/dev/null | openssl pkey -pubin -outform DER 2>/dev/null |
        sha256sum | cut -d' ' -f1
}
tap_is "3 1 1 $(spki_at "$LAB_PARTIAL_OLD_ADDR")" "$LAB_PARTIAL_OLD_TLSA" "partial: $LAB_PARTIAL_OLD_ADDR presents the old key"
tap_is "3 1 1 $(spki_at "$LAB_PARTIAL_NEW_ADDR")" "$LAB_PARTIAL_NEW_TLSA" "partial: $LAB_PARTIAL_NEW_ADDR presents the new key"
tap_is "$(spki_at 127.0.1.11)" "$LAB_DANE_EE_SPKI_SHA256" "lab.env: LAB_DANE_EE_SPKI_SHA256 is what the server presents"
tap_is "$(tlsa_of mx.smtp-stale.test | sort | tr '\n' ,)" "$(printf '%s\n' "$LAB_STALE_TLSA" "$LAB_STALE_STALE_TLSA" | sort | tr '\n' ,)" \
    "stale: the RRset holds the matching and the stale record"

# --- the silent server and the delay proxy ------------------------------------------
# greeting ADDR: sets GREET to the first line the server sends within 3 s ("" if
# none) and TOOK to the seconds from connect to that line
greeting() {
    local fd line="" t0
    t0=$(now_s)
    if exec {fd}<>"/dev/tcp/$1/$P"; then
        IFS= read -r -t 3 -u "$fd" line || line=""
        exec {fd}>&-
    fi
    TOOK=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')
    GREET=${line%$'\r'}
}
# shellcheck disable=SC2317  # called through tap_ok
silent_check() {   # connects, then nothing within 1 s
    local fd rc=0 line
    exec {fd}<>"/dev/tcp/$LAB_SILENT_ADDRS/$P" || return 2
    IFS= read -r -t 1 -u "$fd" line || rc=$?
    exec {fd}>&-
    [ "$rc" -gt 128 ]          # timed out (not EOF, not a line)
}
tap_ok "silent server $LAB_SILENT_ADDRS accepts and says nothing for 1 s" silent_check
greeting "$LAB_DELAY_BACKEND_ADDR"
tap_like "$GREET" '^220 ' "delay backend greets at once"
tap_cmp_lt "$TOOK" 0.3 "delay backend greets in less than 0.3 s ($TOOK s)"
for a in $LAB_DELAY_ADDRS; do
    greeting "$a"
    tap_like "$GREET" '^220 delay-backend\.lab\.test ESMTP' "delay $a: the backend's greeting"
    tap_cmp_lt 0.45 "$TOOK" "delay $a: greeting after at least 0.45 s ($TOOK s)"
    tap_cmp_lt "$TOOK" 1.5 "delay $a: greeting within 1.5 s ($TOOK s)"
done
# the four at once: the proxies handle connections in parallel
t0=$(now_s)
for a in $LAB_DELAY_ADDRS; do ( greeting "$a"; echo "$GREET" > "$LAB_DIR/greet.$a" ) & done
wait
t1=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }')
tap_is "$(cat "$LAB_DIR"/greet.127.* | grep -c '^220 ')" 4 "four delayed greetings in parallel: all arrive"
tap_cmp_lt "$t1" 1.5 "four delayed greetings in parallel take less than 1.5 s ($t1 s)"

# --- Postfix itself --------------------------------------------------------------
greeting 127.0.1.11
tap_is "$GREET" "220 mx1.smtp-ee.test ESMTP lab" "Postfix greets with the MX host name"
out=$(echo QUIT | timeout 10 openssl s_client -starttls smtp -connect "127.0.1.11:$P" -brief 2>&1)
tap_like "$out" "CONNECTION ESTABLISHED" "openssl s_client -starttls smtp: handshake with 127.0.1.11"
out=$(echo QUIT | timeout 10 openssl s_client -starttls smtp -connect "127.0.1.101:$P" -brief 2>&1)
tap_unlike "$out" "CONNECTION ESTABLISHED" "openssl s_client -starttls smtp: no handshake with the no-STARTTLS server"

# --- certificates, signatures, lab.env -------------------------------------------------
tap_ok "expiring leaf: still valid in 4 days" openssl x509 -in "$LAB_EXPIRING_CERT_PEM" -noout -checkend $(( 4 * 86400 ))
tap_ok "expiring leaf: expired in 6 days" sh -c "! openssl x509 -in '$LAB_EXPIRING_CERT_PEM' -noout -checkend $(( 6 * 86400 )) >/dev/null"
tap_ok "expired leaf: expired now" sh -c "! openssl x509 -in '$LAB_EXPIRED_CERT_CERT_PEM' -noout -checkend 0 >/dev/null"
tap_ok "DANE-TA chain verifies to the lab root" openssl verify -CAfile "$LAB_CA_ROOT_PEM" -untrusted "$LAB_CA_INT_PEM" "$LAB_DANE_TA_CERT_PEM"
tap_ok "sibling chain does not verify to the lab root" sh -c "! openssl verify -CAfile '$LAB_CA_ROOT_PEM' -untrusted '$LAB_OTHER_INT_PEM' '$LAB_TA_OTHER_CHAIN_PEM' >/dev/null 2>&1"
tap_like "$(openssl pkey -in "$LAB_RSA_KEY_PEM" -noout -text 2>&1 | head -n 1)" "2048 bit" "RSA key is 2048 bits"
for v in LAB_NEXT_PUBLISHED_NEXTKEY_PEM LAB_NEXT_PUBLISHED_NEXTCERT_PEM LAB_NO_NEXT_NEXTKEY_PEM \
         LAB_NO_NEXT_NEXTCERT_PEM LAB_NO_NEXT_NEXTPUB_PEM LAB_DANE_EE_CHAIN_PEM; do
    tap_ok "lab.env: $v is a readable file" test -s "${!v}"
done
nextspki=$(openssl pkey -in "$LAB_NO_NEXT_NEXTKEY_PEM" -pubout -outform DER | sha256sum | cut -d' ' -f1)
tap_is "3 1 1 $nextspki" "$LAB_NO_NEXT_NEXT_TLSA" "lab.env: LAB_NO_NEXT_NEXT_TLSA is the digest of the staged key"
tap_is "$(tlsa_of mx.smtp-nonext.test)" "$LAB_NO_NEXT_TLSA" "no next: only the current record is published"
# signatures of smtp-sigexp.test expire in 3 days (sigexpire=3), others in about 4 weeks
exp_days() {   # ZONE: days until the SOA RRSIG expires, from nsd
    timeout 10 drill -D -p "$LAB_NSD_PORT" @"$LAB_ADDR" "$1" SOA 2>/dev/null |
        awk -v now="$(date -u +%s)" '$4 == "RRSIG" && $5 == "SOA" {
            e = $9; cmd = "date -u -d \"" substr(e,1,4) "-" substr(e,5,2) "-" substr(e,7,2) " " \
                substr(e,9,2) ":" substr(e,11,2) ":" substr(e,13,2) "\" +%s"
            cmd | getline t; close(cmd); printf "%.2f\n", (t - now) / 86400; exit }'
}
d=$(exp_days "$LAB_SIG_EXPIRING_DOMAIN.")
tap_cmp_lt 2.9 "$d" "sigexpire=3: RRSIG expires in more than 2.9 days ($d)"
tap_cmp_lt "$d" 3.1 "sigexpire=3: RRSIG expires in less than 3.1 days ($d)"
d=$(exp_days "$LAB_DANE_EE_DOMAIN.")
tap_cmp_lt 20 "$d" "default signatures expire in more than 20 days ($d)"

# --- stop: nothing of the lab is left running -------------------------------------
"$LAB_SH" stop "$LAB_DIR"
left=""
for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    mapfile -d '' -t args 2>/dev/null < "$f" || continue
    [ "${#args[@]}" -gt 0 ] || continue            # kernel threads and zombies
    case " ${args[*]} " in *" $LAB_DIR/"*) left="$left $pid:${args[0]}" ;; esac
    if tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" | grep -qx "MAIL_CONFIG=$LAB_DIR/postfix"; then
        left="$left $pid:${args[0]}"
    fi
done
tap_is "${left# }" "" "lab.sh stop: no process of the lab left (nsd, unbound, postfix, helpers)"

tap_done
