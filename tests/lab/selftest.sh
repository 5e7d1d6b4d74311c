#!/bin/bash
# Self test of the DNS lab: checks with drill that nsd and both unbounds
# behave as the zones.conf modes promise. Output is TAP.
set -u
# shellcheck source-path=SCRIPTDIR source=tap.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tap.sh"

lab_up

# ask PORT NAME TYPE [drill options]: DNSSEC (DO bit) query to the lab, print drill output
ask() {
    local port=$1 name=$2 type=$3; shift 3
    timeout 10 drill -D "$@" -p "$port" "@$LAB_ADDR" "$name" "$type" 2>&1
}
rcode_of() { printf '%s\n' "$1" | sed -n 's/.*rcode: \([A-Z]*\).*/\1/p'; }
# header flags, space separated and padded with spaces: " qr rd ra ad "
flags_of() { printf ' %s \n' "$(printf '%s\n' "$1" | sed -n 's/^;; flags: \([^;]*\);.*/\1/p')" | tr -s ' '; }
# answer records of TYPE for NAME (rdata only)
rdata_of() { printf '%s\n' "$1" | awk -v n="$2" -v t="$3" '$1 == n && $4 == t { print $5 }'; }

V=$LAB_VALIDATING_PORT N=$LAB_NONVALIDATING_PORT

# --- validating resolver
out=$(ask "$V" "$LAB_SECURE_NAME" SOA)
tap_is "$(rcode_of "$out")" NOERROR "validating: $LAB_SECURE_NAME SOA is NOERROR"
tap_like "$(flags_of "$out")" ' ad ' "validating: $LAB_SECURE_NAME SOA has ad"
tap_like "$out" "^${LAB_SECURE_NAME}[[:space:]].*SOA" "validating: $LAB_SECURE_NAME SOA has an answer"

out=$(ask "$V" "$LAB_SECURE_A" A)
tap_like "$(flags_of "$out")" ' ad ' "validating: $LAB_SECURE_A A has ad"
tap_is "$(rdata_of "$out" "$LAB_SECURE_A" A)" "$LAB_SECURE_A_ADDR" "validating: $LAB_SECURE_A A is $LAB_SECURE_A_ADDR"

out=$(ask "$V" "$LAB_INSECURE_NAME" A)
tap_is "$(rcode_of "$out")" NOERROR "validating: $LAB_INSECURE_NAME A is NOERROR"
tap_unlike "$(flags_of "$out")" ' ad ' "validating: $LAB_INSECURE_NAME A has no ad"
tap_is "$(rdata_of "$out" "$LAB_INSECURE_NAME" A)" 127.0.0.11 "validating: $LAB_INSECURE_NAME A is 127.0.0.11"

out=$(ask "$V" "$LAB_BOGUS_NAME" A)
tap_is "$(rcode_of "$out")" SERVFAIL "validating: $LAB_BOGUS_NAME A is SERVFAIL"

out=$(ask "$V" "$LAB_BOGUS_NAME" A -o CD)
tap_is "$(rcode_of "$out")" NOERROR "validating+CD: $LAB_BOGUS_NAME A is NOERROR"
tap_unlike "$(flags_of "$out")" ' ad ' "validating+CD: $LAB_BOGUS_NAME A has no ad"
tap_is "$(rdata_of "$out" "$LAB_BOGUS_NAME" A)" "$LAB_BOGUS_A_ADDR" "validating+CD: $LAB_BOGUS_NAME A is the tampered $LAB_BOGUS_A_ADDR"

out=$(ask "$V" "$LAB_EXPIRED_NAME" A)
tap_is "$(rcode_of "$out")" SERVFAIL "validating: $LAB_EXPIRED_NAME A is SERVFAIL"

if [ "$LAB_IPV6" = 1 ]; then
    out=$(timeout 10 drill -D -p "$V" @::1 "$LAB_SECURE_NAME" SOA 2>&1)
    tap_like "$(flags_of "$out")" ' ad ' "validating over ::1: $LAB_SECURE_NAME SOA has ad"
else
    tap_diag "unbound does not listen on ::1 here"
fi

# --- non-validating resolver
out=$(ask "$N" "$LAB_SECURE_NAME" SOA)
tap_is "$(rcode_of "$out")" NOERROR "non-validating: $LAB_SECURE_NAME SOA is NOERROR"
tap_unlike "$(flags_of "$out")" ' ad ' "non-validating: $LAB_SECURE_NAME SOA has no ad"

out=$(ask "$N" "$LAB_BOGUS_NAME" A)
tap_is "$(rcode_of "$out")" NOERROR "non-validating: $LAB_BOGUS_NAME A is NOERROR"
tap_is "$(rdata_of "$out" "$LAB_BOGUS_NAME" A)" "$LAB_BOGUS_A_ADDR" "non-validating: $LAB_BOGUS_NAME A returns the data"

# --- authoritative nsd
t0=$(now_s)
out=$(ask "$LAB_NSD_PORT" "$LAB_SECURE_NAME" SOA)
t1=$(now_s)
tap_is "$(rcode_of "$out")" NOERROR "nsd: $LAB_SECURE_NAME SOA is NOERROR"
tap_like "$(flags_of "$out")" ' aa ' "nsd: $LAB_SECURE_NAME SOA has aa"
tap_like "$out" "RRSIG[[:space:]]+SOA" "nsd: $LAB_SECURE_NAME SOA comes with its RRSIG"
tap_cmp_lt "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" 2 "nsd answers in less than 2 s"

tap_ok "trust anchor $LAB_TRUST_ANCHOR holds the DS of $LAB_ZONE" \
    grep -Eq "^${LAB_ZONE}[[:space:]].*DS[[:space:]]" "$LAB_TRUST_ANCHOR"

tap_done
