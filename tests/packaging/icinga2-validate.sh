#!/usr/bin/env bash
# packaging/icinga2/dane.conf (and dane-hoster.conf, many domains on shared MX
# hosts) against a real Icinga 2 (Debian package icinga2):
# `icinga2 daemon -C` accepts it with a minimal private configuration (own
# data/cache/log/run dirs, no /etc/icinga2), the four CheckCommands exist and
# run the built plugins, every option of each plugin's --help has an argument,
# every argument has a description and uses variables named after its
# command, the example apply rules create one service per plugin for a host
# with vars.dane_domain, and a broken file is refused (the check is real).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pk_need icinga2
pk_need_plugins

conf=$PK_SRCDIR/packaging/icinga2/dane.conf
[ -f "$conf" ] || { echo "Bail out! $conf missing"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/icinga2-validate.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{data,cache,log,run,spool}
user=$(id -un)
group=$(id -gn)
# icinga2 with private paths; as root it would drop to the nagios user: stay.
ic() {
    icinga2 "$@" -D Configuration.DataDir="$work/data" -D Configuration.CacheDir="$work/cache" \
        -D Configuration.LogDir="$work/log" -D Configuration.InitRunDir="$work/run" \
        -D Configuration.SpoolDir="$work/spool" \
        -D Configuration.RunAsUser="$user" -D Configuration.RunAsGroup="$group"
}

# validate FILE: icinga2 daemon -C; output in $work/validate.out
validate() {
    ic daemon -C -c "$1" >"$work/validate.out" 2>&1
}

cat >"$work/commands.conf" <<CONF
const PluginDir = "$PK_BUILDDIR/plugins"
include <itl>
include <plugins>
include "$conf"
CONF
validate "$work/commands.conf"
rc=$?
tap_is "$rc" 0 "icinga2 daemon -C accepts dane.conf (ITL + plugins include, PluginDir = built plugins)"
[ "$rc" -eq 0 ] || tap_diag "$(tail -n 30 "$work/validate.out")"
tap_unlike "$(grep -v 'does not match anywhere' "$work/validate.out")" "warning/|critical/" \
    "validation prints no warning (but that the apply rules match no host)"

# objects: CheckCommand NAME -> plugin, variable prefix
declare -A plugin_of=([dnssec_resolver]=check_dnssec_resolver [tlsa]=check_tlsa
    [dane_smtp]=check_dane_smtp [dane_rollover]=check_dane_rollover [tlsrpt]=check_tlsrpt)
for cmd in dnssec_resolver tlsa dane_smtp dane_rollover tlsrpt; do
    p=${plugin_of[$cmd]}
    obj=$(ic object list --type CheckCommand --name "$cmd" 2>&1)
    tap_like "$obj" "^Object '$cmd' of type 'CheckCommand':" "CheckCommand $cmd exists"
    tap_like "$obj" "\\* command = \\[ \"$PK_BUILDDIR/plugins/$p\" \\]" "$cmd runs PluginDir/$p"
    # argument keys: lines "    * -D" / "    * --helo" inside "  * arguments"
    keys=$(awk '/^  \* arguments/ { on = 1; next } /^  \* / { on = 0 } on && /^    \* -/ { print $2 }' <<<"$obj")
    # every option of --help (but -h, -V) is an argument, by short or long name
    absent=""
    while read -r short long; do
        case "$short" in -h | -V) continue ;; esac
        grep -qxF -- "$short" <<<"$keys" || grep -qxF -- "$long" <<<"$keys" || absent="$absent $short/$long"
    done < <("$PK_BUILDDIR/plugins/$p" --help | sed -nE 's/^ (-[[:alnum:]]), (--[[:alnum:]-]+).*/\1 \2/p; s/^     (--[[:alnum:]-]+).*/- \1/p' | sed 's/^- /-- /')
    tap_is "$absent" "" "$cmd has an argument for every option of $p --help"
    # no argument the plugin does not know
    unknown=""
    for k in $keys; do
        "$PK_BUILDDIR/plugins/$p" --help | grep -qE -- "^ ($k, |-[[:alnum:]], $k(=| |$)|    $k(=| |$))" || unknown="$unknown $k"
    done
    tap_is "$unknown" "" "$cmd has no argument that $p lacks"
    # every argument has a description; variables are named after the command
    nodesc=$(awk '/^    \* -/ { if (k != "" && !d) print k; k = $2; d = 0 } /^      \* description = "[^"]+"/ { d = 1 }
        /^  \* command/ { if (k != "" && !d) print k; k = "" } END { if (k != "" && !d) print k }' <<<"$obj")
    tap_is "$nodesc" "" "$cmd: every argument has a description"
    badvars=$(awk '/^  \* arguments/ { on = 1; next } /^  \* / { on = 0 } on' <<<"$obj" |
        grep -oE '\$[a-z0-9_.]+\$' | sort -u | grep -vE "^\\\$${cmd}_" || true)
    tap_is "$badvars" "" "$cmd: argument variables all start with ${cmd}_"
done

# apply rules: a host with vars.dane_domain gets one service per plugin
cat >"$work/services.conf" <<CONF
const PluginDir = "$PK_BUILDDIR/plugins"
include <itl>
include <plugins>
include "$conf"
object Host "mail.example.org" {
    check_command = "dummy"
    vars.dane_domain = "example.org"
    vars.dane_tlsrpt_directory = "/var/mail/tlsrpt/Maildir"
}
object Host "www.example.org" {
    check_command = "dummy"
    address = "192.0.2.1"
}
CONF
validate "$work/services.conf"
rc=$?
tap_is "$rc" 0 "icinga2 daemon -C accepts dane.conf with hosts"
[ "$rc" -eq 0 ] || tap_diag "$(tail -n 30 "$work/validate.out")"
tap_unlike "$(cat "$work/validate.out")" "warning/|critical/" "validation with hosts prints no warning"
services=$(ic object list --type Service 2>&1 | sed -n "s/^Object '\\(.*\\)' of type 'Service':/\\1/p" | sort | tr '\n' ' ')
tap_is "$services" "mail.example.org!dane-rollover mail.example.org!dane-smtp mail.example.org!dane-tlsa mail.example.org!dane-tlsrpt mail.example.org!dnssec-resolver " \
    "apply rules: one service per plugin for the host with vars.dane_domain, none for the other"
for s in dane-rollover:dane_rollover dane-smtp:dane_smtp dane-tlsa:tlsa dane-tlsrpt:tlsrpt dnssec-resolver:dnssec_resolver; do
    obj=$(ic object list --type Service --name "mail.example.org!${s%%:*}" 2>&1)
    tap_like "$obj" "\\* check_command = \"${s#*:}\"" "service ${s%%:*} runs CheckCommand ${s#*:}"
done

# packaging/icinga2/dane-hoster.conf: many domains on shared MX hosts. The example
# in its comment (hosts and domains), with a Director-style host (an array)
# added, must validate and give the services the comment promises.
hconf=$PK_SRCDIR/packaging/icinga2/dane-hoster.conf
awk '/^ \* Example \(the hosts and the domains\):/ { on = 1; next }
    on && /^ \* Each value/ { exit }
    on { sub(/^ \*( {3})?/, ""); print }' "$hconf" >"$work/hoster-example.conf"
tap_like "$(cat "$work/hoster-example.conf")" 'object Host "mail-customers"' "dane-hoster.conf: the example in its comment is found"
cat >"$work/hoster.conf" <<CONF
const PluginDir = "$PK_BUILDDIR/plugins"
include <itl>
include <plugins>
include "$conf"
include "$hconf"
include "$work/hoster-example.conf"
object Host "director-customers" {
    check_command = "dummy"
    vars.dane_domain_list = [ "customer3.example", "customer4.example" ]
}
CONF
validate "$work/hoster.conf"
rc=$?
tap_is "$rc" 0 "icinga2 daemon -C accepts dane.conf + dane-hoster.conf + the example hosts"
[ "$rc" -eq 0 ] || tap_diag "$(tail -n 30 "$work/validate.out")"
tap_unlike "$(grep -v "dane.conf: .* does not match anywhere" "$work/validate.out")" "warning/|critical/" \
    "dane-hoster.conf: validation prints no warning (but that dane.conf's rules for vars.dane_domain match no host)"
services=$(ic object list --type Service 2>&1 | sed -n "s/^Object '\\(.*\\)' of type 'Service':/\\1/p" | sort | tr '\n' ' ')
tap_is "$services" "director-customers!dane-tlsa-customer3.example director-customers!dane-tlsa-customer4.example mail-customers!dane-tlsa-customer1.example mail-customers!dane-tlsa-customer2.example mail-customers!dane-tlsa-own-mx.example mx1.example-hoster.net!dane-mx-rollover mx1.example-hoster.net!dane-mx-smtp mx1.example-hoster.net!dane-mx-tlsa " \
    "dane-hoster.conf: three services per MX host, one per customer domain (dictionary and Director array)"
obj=$(ic object list --type Service --name 'mx1.example-hoster.net!dane-mx-smtp' 2>&1)
tap_like "$obj" '\* check_command = "dane_smtp"' "dane-mx-smtp runs dane_smtp"
tap_like "$obj" '\* dane_smtp_hosts = "mx1.example-hoster.net"' "dane-mx-smtp: -H is the MX host name"
obj=$(ic object list --type Service --name 'mx1.example-hoster.net!dane-mx-tlsa' 2>&1)
tap_like "$obj" '\* tlsa_hosts = "mx1.example-hoster.net"' "dane-mx-tlsa: tlsa -H the MX host name"
obj=$(ic object list --type Service --name 'mail-customers!dane-tlsa-customer1.example' 2>&1)
tap_like "$obj" '\* check_command = "tlsa"' "dane-tlsa-customer1.example runs tlsa"
tap_like "$obj" '\* tlsa_domain = "customer1.example"' "dane-tlsa-customer1.example: -D is the domain"
tap_like "$obj" "\\* tlsa_mx_expect = \"\\\$dane_mx_expect\\\$\"" "dane-tlsa-customer1.example: --mx-expect from the host's dane_mx_expect"
tap_like "$obj" '\* check_interval = 3600' "dane-tlsa-customer1.example: checked hourly (DNS only)"
obj=$(ic object list --type Service --name 'mail-customers!dane-tlsa-customer2.example' 2>&1)
tap_like "$obj" '\* tlsa_authoritative = true' "per-domain variables are merged (customer2.example: -A)"
obj=$(ic object list --type Service --name 'mail-customers!dane-tlsa-own-mx.example' 2>&1)
tap_like "$obj" '\* tlsa_mx_expect = \[ "mx.own-mx.example" \]' "per-domain variables override the defaults (own-mx.example: its own MX)"
obj=$(ic object list --type Service --name 'director-customers!dane-tlsa-customer4.example' 2>&1)
tap_like "$obj" '\* tlsa_domain = "customer4.example"' "Director array: one service per item, -D the item"

# the validation is real: a broken copy is refused
sed 's/^object CheckCommand "tlsa" {/object CheckCommand "tlsa" {\n\tunknown_attribute = 1/' "$conf" >"$work/broken.conf"
sed "s|$conf|$work/broken.conf|" "$work/commands.conf" >"$work/broken-main.conf"
validate "$work/broken-main.conf"
tap_is "$?" 1 "icinga2 daemon -C refuses a CheckCommand with an unknown attribute"
tap_like "$(cat "$work/validate.out")" "unknown_attribute" "... and names it"
cat "$conf" "$conf" >"$work/twice.conf"
sed "s|$conf|$work/twice.conf|" "$work/commands.conf" >"$work/twice-main.conf"
validate "$work/twice-main.conf"
tap_is "$?" 1 "icinga2 daemon -C refuses the CheckCommands defined twice"
tap_like "$(cat "$work/validate.out")" "already exists|re-defined|redefined" "... and says why"

tap_done
