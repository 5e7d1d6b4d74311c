#!/usr/bin/env bash
# packaging/nagios/dane.cfg against a real Nagios (Debian package
# nagios4-core): `nagios4 -v` accepts it in a minimal private configuration
# with one service per command, each command runs $USER1$/<its plugin> (a
# built plugin), and a broken copy is refused (the check is real).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pk_need nagios4-core
pk_need_plugins

cfg=$PK_SRCDIR/packaging/nagios/dane.cfg
[ -f "$cfg" ] || { echo "Bail out! $cfg missing"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nagios-validate.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/spool"
user=$(id -un)
group=$(id -gn)

# main FILE.cfg OBJECTS: a minimal nagios.cfg that reads OBJECTS
main() {
    cat >"$work/resource.cfg" <<CFG
\$USER1\$=$PK_BUILDDIR/plugins
CFG
    cat >"$1" <<CFG
log_file=$work/nagios.log
cfg_file=$work/base.cfg
cfg_file=$2
resource_file=$work/resource.cfg
object_cache_file=$work/objects.cache
precached_object_file=$work/objects.precache
status_file=$work/status.dat
temp_file=$work/nagios.tmp
temp_path=$work
lock_file=$work/nagios.lock
check_result_path=$work/spool
state_retention_file=$work/retention.dat
command_file=$work/nagios.cmd
nagios_user=$user
nagios_group=$group
illegal_macro_output_chars=\`~\$&|'"<>
CFG
}

cat >"$work/base.cfg" <<'CFG'
define timeperiod {
    timeperiod_name 24x7
    alias           always
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
    sunday          00:00-24:00
}
define contact {
    contact_name                  admin
    host_notifications_enabled    0
    service_notifications_enabled 0
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    check_tlsa
    service_notification_commands check_tlsa
}
define host {
    host_name             mail.example.org
    address               192.0.2.25
    max_check_attempts    3
    check_period          24x7
    contacts              admin
    notification_interval 0
    notification_period   24x7
}
define service {
    host_name             mail.example.org
    service_description   DNSSEC resolver
    check_command         check_dnssec_resolver!127.0.0.1!-q example.org
    max_check_attempts    3
    check_interval        5
    retry_interval        1
    check_period          24x7
    contacts              admin
    notification_interval 0
    notification_period   24x7
}
define service {
    host_name             mail.example.org
    service_description   DANE TLSA
    check_command         check_tlsa!example.org!-r 127.0.0.1
    max_check_attempts    3
    check_interval        15
    retry_interval        5
    check_period          24x7
    contacts              admin
    notification_interval 0
    notification_period   24x7
}
define service {
    host_name             mail.example.org
    service_description   DANE SMTP
    check_command         check_dane_smtp!example.org
    max_check_attempts    3
    check_interval        15
    retry_interval        5
    check_period          24x7
    contacts              admin
    notification_interval 0
    notification_period   24x7
}
define service {
    host_name             mail.example.org
    service_description   DANE rollover
    check_command         check_dane_rollover!example.org!-w 30 -c 10
    max_check_attempts    3
    check_interval        360
    retry_interval        30
    check_period          24x7
    contacts              admin
    notification_interval 0
    notification_period   24x7
}
CFG

main "$work/nagios.cfg" "$cfg"
out=$(nagios4 -v "$work/nagios.cfg" 2>&1)
rc=$?
tap_is "$rc" 0 "nagios4 -v accepts dane.cfg"
[ "$rc" -eq 0 ] || tap_diag "$out"
tap_like "$out" "Total Errors: +0" "no errors"
tap_like "$out" "Total Warnings: +0" "no warnings"
tap_like "$out" "Checked 4 services" "the four example services use the commands"

for p in $PK_PLUGINS; do
    line=$(grep -A2 -E "^[[:space:]]*command_name[[:space:]]+$p\$" "$cfg" | sed -n 's/^[[:space:]]*command_line[[:space:]]*//p')
    tap_like "$line" "^\\\$USER1\\\$/$p -" "command $p runs \$USER1\$/$p"
    tap_ok "$p exists in \$USER1\$ ($PK_BUILDDIR/plugins)" test -x "$PK_BUILDDIR/plugins/$p"
done
commands=$(sed -n 's/^[[:space:]]*command_name[[:space:]]*//p' "$cfg" | sort | tr '\n' ' ')
tap_is "$commands" "check_dane_rollover check_dane_smtp check_dnssec_resolver check_tlsa check_tlsrpt " "one command per plugin"

# the validation is real: a command without command_line is refused
sed '0,/command_line/{/command_line/d}' "$cfg" >"$work/broken.cfg"
main "$work/broken-nagios.cfg" "$work/broken.cfg"
out=$(nagios4 -v "$work/broken-nagios.cfg" 2>&1)
rc=$?
tap_is "$rc" 1 "nagios4 -v refuses a command without command_line"
tap_like "$out" "Could not register command" "... and says so"

tap_done
