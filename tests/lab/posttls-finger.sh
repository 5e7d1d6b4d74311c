#!/bin/bash
# posttls-finger.sh DIR [posttls-finger options] [inet:]domain[:port] [match ...]
#
# Runs Postfix's posttls-finger(1) against the lab started in DIR. posttls-finger
# has no resolver option: it asks the nameserver of /etc/resolv.conf (port 53).
# So it runs in a private mount namespace (unshare -m, root) where DIR/resolv.conf,
# naming the lab's validating unbound on $LAB_RESOLVER53 port 53, is bind-mounted
# over /etc/resolv.conf; nothing changes outside. It also gets its own Postfix
# client configuration (MAIL_CONFIG=DIR/posttls-finger), so no /etc/postfix/main.cf
# is needed or read. Output and exit status are posttls-finger's; 2 if it cannot run.
#
# Example (DANE, MX lookup, the lab's SMTP port; TLSA at _PORT._tcp.<MX host>):
#   tests/lab/posttls-finger.sh "$LAB_DIR" -c -l dane -P /etc/ssl/certs "$LAB_DANE_EE_DOMAIN:$LAB_SMTP_PORT"
# One host, no MX lookup: "[mx1.smtp-ee.test]:$LAB_SMTP_PORT"; -a ipv4 / -a ipv6 picks
# the address family. A time limit for the connection and the greeting: -t SECONDS.
set -u
me=posttls-finger.sh
[ $# -ge 2 ] || { echo "usage: $me LAB_DIR [posttls-finger options] destination [match ...]" >&2; exit 2; }
dir=$1; shift
[ -r "$dir/lab.env" ] || { echo "$me: no lab in $dir (no lab.env)" >&2; exit 2; }
# shellcheck disable=SC1091
. "$dir/lab.env"
if [ -z "${LAB_RESOLVER53:-}" ] || [ ! -r "$LAB_DIR/resolv.conf" ]; then
    echo "$me: the lab in $dir has no resolver on port 53 (needs root)" >&2; exit 2
fi
command -v posttls-finger >/dev/null 2>&1 ||
    { echo "$me: posttls-finger not installed (apt-get install postfix)" >&2; exit 2; }
command -v unshare >/dev/null 2>&1 || { echo "$me: unshare not installed (util-linux)" >&2; exit 2; }
# shellcheck disable=SC2016  # $1 and $@ belong to the inner shell
exec unshare -m --propagation private -- /bin/sh -c '
    mount --bind "$1" /etc/resolv.conf || { echo "posttls-finger.sh: cannot bind-mount $1 over /etc/resolv.conf" >&2; exit 2; }
    shift
    exec "$@"' sh "$LAB_DIR/resolv.conf" env MAIL_CONFIG="$LAB_DIR/posttls-finger" posttls-finger "$@"
