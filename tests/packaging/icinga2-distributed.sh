#!/usr/bin/env bash
# Icinga 2's own distribution: two real icinga2 daemons on loopback, a master
# and a satellite, each with its own configuration, data, log and run
# directories, certificates from `icinga2 pki` (a CA made for the test, a
# certificate per node signed by it), free ports. The master's zones.d holds
# packaging/icinga2/dane.conf and dane-hoster.conf in a global zone and the
# hosts in the satellite's zone; the master syncs that configuration to the
# satellite, the satellite runs the plugins (PluginDir: the built plugins)
# against the lab, and the results arrive at the master. Over the master's
# REST API the test asserts that every result was produced by the satellite
# (check_source) with the expected exit status and output, and the command
# lines the satellite built (--mx-expect from a host array). Then both stop
# cleanly and leave no process. Every wait is bounded and polls.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pk_need icinga2 curl jq
pk_need_lab
pk_need_plugins

conf=$PK_SRCDIR/packaging/icinga2/dane.conf
hconf=$PK_SRCDIR/packaging/icinga2/dane-hoster.conf
for f in "$conf" "$hconf"; do [ -f "$f" ] || { echo "Bail out! $f missing"; exit 1; }; done

START_LIMIT=30  # s for a daemon to start and answer (the master's API; the satellite's connection)
SYNC_LIMIT=60   # s for the satellite to receive the configuration and run with it
RESULT_LIMIT=60 # s for all check results at the master
STOP_LIMIT=20   # s for a daemon to stop on SIGTERM

lab_up

work=$(mktemp -d "${TMPDIR:-/tmp}/icinga2-distributed.XXXXXX")
chmod 755 "$work"
MASTER=dane-master
SAT=dane-satellite
declare -A pid_of=()

# down NODE: stop its icinga2 (SIGTERM, then SIGKILL after STOP_LIMIT s); idempotent
down() {
    pk_stop "icinga2 $1" "${pid_of[$1]:-}" "$STOP_LIMIT"
    pid_of[$1]=""
}
# left: pids of any icinga2 process of this test (its config files are in $work)
left() { pgrep -f -- "-c $work/" || true; }
_dist_cleanup() {
    down "$SAT"
    down "$MASTER"
    local p
    for p in $(left); do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$work"
    _lab_down
}
# replaces lab_up's traps with ones that also stop both daemons (and still stop the lab)
trap '_dist_cleanup' EXIT
trap '_dist_cleanup; trap - INT; kill -INT $$' INT
trap '_dist_cleanup; exit 143' TERM
trap '_dist_cleanup; exit 129' HUP

user=$(id -un)
group=$(id -gn)
# defs NODE: the private paths of NODE's daemon (as root icinga2 would drop to
# the nagios user: stay); ZonesDir only the master has (the satellite's zone
# configuration comes from the master, into its DataDir/api/zones)
defs() {
    local d=$work/$1
    printf '%s\n' -D "Configuration.DataDir=$d/data" -D "Configuration.CacheDir=$d/cache" \
        -D "Configuration.LogDir=$d/log" -D "Configuration.InitRunDir=$d/run" \
        -D "Configuration.SpoolDir=$d/spool" -D "Configuration.ZonesDir=$d/etc/zones.d" \
        -D "Configuration.RunAsUser=$user" -D "Configuration.RunAsGroup=$group"
}
ic() { # ic NODE ARGS...: icinga2 ARGS with NODE's paths
    local node=$1 d
    shift
    mapfile -t d < <(defs "$node")
    icinga2 "$@" "${d[@]}"
}
for n in "$MASTER" "$SAT"; do
    mkdir -p "$work/$n"/{etc/zones.d,data/certs,cache,log,run,spool}
done

mport=$(pk_free_port) || { echo "Bail out! no free port"; exit 1; }
sport=$(pk_free_port) || { echo "Bail out! no free port"; exit 1; }
[ "$sport" != "$mport" ] || sport=$(pk_free_port) || { echo "Bail out! no free port"; exit 1; }
pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
VAL=127.0.0.1@$LAB_VALIDATING_PORT

# --- certificates: a CA (in the master's DataDir/ca), one signed certificate per node
ic "$MASTER" pki new-ca >"$work/pki.log" 2>&1
tap_ok "icinga2 pki new-ca: the test's CA" test -s "$work/$MASTER/data/ca/ca.crt"
for n in "$MASTER" "$SAT"; do
    c=$work/$n/data/certs
    ic "$MASTER" pki new-cert --cn "$n" --key "$c/$n.key" --csr "$c/$n.csr" >>"$work/pki.log" 2>&1 &&
        ic "$MASTER" pki sign-csr --csr "$c/$n.csr" --cert "$c/$n.crt" >>"$work/pki.log" 2>&1
    cp "$work/$MASTER/data/ca/ca.crt" "$c/ca.crt"
    tap_ok "icinga2 pki new-cert + sign-csr: $n's certificate, signed by the CA" \
        openssl verify -CAfile "$c/ca.crt" "$c/$n.crt"
done

# --- the zones, the same on both nodes but for who connects to whom: the
# satellite connects to the master (its Endpoint has host and port)
zones() { # zones MASTER_ENDPOINT_ATTRS
    cat <<CONF
object Endpoint "$MASTER" { $1 }
object Zone "master" { endpoints = [ "$MASTER" ] }
object Endpoint "$SAT" { }
object Zone "satellite" {
    endpoints = [ "$SAT" ]
    parent = "master"
}
object Zone "global-templates" { global = true }
CONF
}
# node_conf NODE ZONE PORT EXTRA: the node's icinga2.conf
node_conf() {
    cat <<CONF
const PluginDir = "$PK_BUILDDIR/plugins"
const NodeName = "$1"
const ZoneName = "$2"
include <itl>
include <plugins>

object IcingaApplication "app" { }
object CheckerComponent "checker" { }
object FileLogger "main-log" {
    path = "$work/$1/log/icinga2.log"
    severity = "information"
}
object ApiListener "api" {
    bind_host = "127.0.0.1"
    bind_port = $3
$4
}
include "zones.conf"
CONF
}
node_conf "$MASTER" master "$mport" "" >"$work/$MASTER/etc/icinga2.conf"
cat >>"$work/$MASTER/etc/icinga2.conf" <<CONF
object ApiUser "dane-dist" {
    password = "$pw"
    permissions = [ "objects/query/*", "actions/reschedule-check", "status/query" ]
}
CONF
zones "" >"$work/$MASTER/etc/zones.conf"
node_conf "$SAT" satellite "$sport" "    accept_config = true
    accept_commands = true" >"$work/$SAT/etc/icinga2.conf"
cat >>"$work/$SAT/etc/icinga2.conf" <<CONF
object ApiUser "dane-dist" {
    password = "$pw"
    permissions = [ "objects/query/*", "actions/reschedule-check", "status/query" ]
}
CONF
zones "host = \"127.0.0.1\"; port = \"$mport\"" >"$work/$SAT/etc/zones.conf"

# the master's zones.d: the CheckCommands and the hoster rules for every node,
# the hosts in the satellite's zone (so the satellite checks them)
mkdir -p "$work/$MASTER/etc/zones.d/global-templates" "$work/$MASTER/etc/zones.d/satellite"
cp "$conf" "$hconf" "$work/$MASTER/etc/zones.d/global-templates/"
smtp=0
smtp_hosts=""
if [ "${LAB_SMTP:-0}" = 1 ] && [ -n "${LAB_SMTP_PORT:-}" ] && [ -n "${LAB_DANE_EE_MX:-}" ]; then
    smtp=1
    mx1=$(awk '{ print $1 }' <<<"$LAB_DANE_EE_MX")
    smtp_hosts="/* a shared MX host of the lab (DANE-EE), its SMTP port */
object Host \"$mx1\" {
    check_command = \"dummy\"
    vars.dane_mx_host = \"$mx1\"
    vars.dane_resolver = \"$VAL\"
    vars.dane_smtp_port = $LAB_SMTP_PORT
    vars.dane_rollover_port = $LAB_SMTP_PORT
    vars.tlsa_port = $LAB_SMTP_PORT
}"
else
    tap_diag "the lab runs no SMTP servers (${LAB_SMTP_WHY:-needs root and postfix}): no dane-mx-* services"
fi
cat >"$work/$MASTER/etc/zones.d/satellite/hosts.conf" <<CONF
$smtp_hosts

/* customer domains of the lab: tlsa-good (MX hosts mx1, mx2.tlsa-good.test),
 * tlsa-cname (CNAMEs to tlsa-target.test), tlsa-implicit (no MX: elsewhere),
 * tlsa-bogus (bogus TLSA) */
object Host "mail-customers" {
    check_command = "dummy"
    vars.dane_resolver = "$VAL"
    vars.dane_mx_expect = [ "mx?.tlsa-good.test", "*.tlsa-target.test" ]
    vars.dane_domains = {
        "tlsa-good.test" = { }
        "tlsa-cname.test" = { }
        "tlsa-implicit.test" = { }
        "tlsa-bogus.test" = { }
    }
}
/* the Director's form: an array, no --mx-expect */
object Host "director-customers" {
    check_command = "dummy"
    vars.dane_resolver = "$VAL"
    vars.dane_domain_list = [ "tlsa-good.test" ]
}
CONF

for n in "$MASTER" "$SAT"; do
    out=$(ic "$n" daemon -C -c "$work/$n/etc/icinga2.conf" 2>&1)
    rc=$?
    tap_is "$rc" 0 "icinga2 daemon -C accepts the $n configuration"
    [ "$rc" -eq 0 ] || { tap_diag "$out"; tap_done; }
done

# start NODE: the daemon in the background (not through ic(): $! must be icinga2)
start() {
    local d
    mapfile -t d < <(defs "$1")
    icinga2 daemon -c "$work/$1/etc/icinga2.conf" "${d[@]}" >"$work/$1/log/stdout.log" 2>&1 </dev/null &
    pid_of[$1]=$!
    tap_diag "icinga2 $1: pid ${pid_of[$1]}, API 127.0.0.1:$([ "$1" = "$MASTER" ] && echo "$mport" || echo "$sport"), dir $work/$1"
}
api() { # api METHOD PATH [JSON]: the master's API, print the response body
    curl -sS -k --max-time 10 -u "dane-dist:$pw" -H 'Accept: application/json' -X "$1" \
        ${3:+-d "$3"} "https://127.0.0.1:$mport$2"
}
sat_api() { # sat_api METHOD PATH [JSON]: the satellite's API, print the response body
    curl -sS -k --max-time 10 -u "dane-dist:$pw" -H 'Accept: application/json' -X "$1" \
        ${3:+-d "$3"} "https://127.0.0.1:$sport$2"
}
master_up() {
    [ "$(api GET /v1/status/IcingaApplication 2>/dev/null |
        jq -r '.results[0].status.icingaapplication.app.node_name' 2>/dev/null)" = "$MASTER" ]
}
sat_connected() {
    [ "$(api GET "/v1/objects/endpoints/$SAT?attrs=connected" 2>/dev/null |
        jq -r '.results[0].attrs.connected' 2>/dev/null)" = true ]
}
# the satellite runs with the configuration the master synced (it reloads after
# receiving it): its own API knows the hosts of its zone, and it is connected
sat_synced() {
    [ "$(sat_api GET '/v1/objects/hosts?attrs=zone' 2>/dev/null | jq -r '[.results[].attrs.zone] | unique | join(" ")' 2>/dev/null)" = satellite ] &&
        sat_connected
}

t_start=$(now_s)
# since: seconds since t_start, one decimal
since() { awk -v a="$t_start" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }
start "$MASTER"
if pk_wait_for "$START_LIMIT" master_up; then
    tap_ok "the master runs and answers its API within $START_LIMIT s ($(since) s)" true
else
    tap_ok "the master runs and answers its API within $START_LIMIT s" false
    tap_diag "$(tail -n 30 "$work/$MASTER/log/stdout.log")"
    tap_done
fi
start "$SAT"
if pk_wait_for "$START_LIMIT" sat_connected; then
    tap_ok "the satellite connects to the master (TLS, certificates of the test's CA) within $START_LIMIT s ($(since) s)" true
else
    tap_ok "the satellite connects to the master within $START_LIMIT s" false
    tap_diag "$(tail -n 30 "$work/$SAT/log/stdout.log")" "$(tail -n 30 "$work/$MASTER/log/icinga2.log")"
    tap_done
fi
if pk_wait_for "$SYNC_LIMIT" sat_synced; then
    tap_ok "the satellite receives the zones' configuration from the master (global-templates, satellite) ($(since) s)" true
else
    tap_ok "the satellite receives the zones' configuration from the master" false
    tap_diag "$(find "$work/$SAT/data/api" -type f 2>/dev/null)" "$(tail -n 30 "$work/$SAT/log/icinga2.log")"
fi

# the services at the master, all in the satellite's zone
services_json=$(api GET '/v1/objects/services?attrs=zone' 2>&1)
services=$(jq -r '.results[].name' <<<"$services_json" 2>/dev/null | sort | tr '\n' ' ')
expected="director-customers!dane-tlsa-tlsa-good.test mail-customers!dane-tlsa-tlsa-bogus.test mail-customers!dane-tlsa-tlsa-cname.test mail-customers!dane-tlsa-tlsa-good.test mail-customers!dane-tlsa-tlsa-implicit.test"
[ "$smtp" = 0 ] || expected="$expected $mx1!dane-mx-rollover $mx1!dane-mx-smtp $mx1!dane-mx-tlsa"
expected=$(tr ' ' '\n' <<<"$expected" | sort | tr '\n' ' ')
tap_is "$services" "$expected" "the master knows the services of dane-hoster.conf's rules: per MX host and per customer domain"
tap_is "$(jq -r '[.results[].attrs.zone] | unique | join(" ")' <<<"$services_json" 2>/dev/null)" satellite \
    "every service is in the satellite's zone"
nservices=$(wc -w <<<"$services")

# run every check now (the rules' intervals are 15 min to 6 h; a first check
# would come within a minute): asked at the satellite, which runs them (a
# reschedule-check at the master is not passed on to it by Icinga 2.13), then
# wait for results newer than this moment at the master, asking again every 5 s
t0=$(date +%s)
fresh() {
    api GET '/v1/objects/services?attrs=last_check_result' |
        jq --argjson t0 "$t0" '[.results[] | select(.attrs.last_check_result != null and .attrs.last_check_result.execution_end >= $t0)] | length'
}
resched() {
    sat_api POST /v1/actions/reschedule-check '{"type": "Service", "filter": "true", "force": true}' |
        jq '[.results[] | select(.code == 200)] | length'
}
tap_is "$(resched)" "$nservices" "reschedule-check at the satellite: all $nservices checks forced"
last=$(date +%s)
all_fresh() {
    [ "$(fresh)" != "$nservices" ] || return 0
    [ $(($(date +%s) - last)) -lt 5 ] || { resched >/dev/null; last=$(date +%s); }
    return 1
}
if pk_wait_for "$RESULT_LIMIT" all_fresh; then
    tap_ok "all $nservices check results at the master within $RESULT_LIMIT s ($(since) s after the start)" true
else
    tap_ok "all $nservices check results at the master within $RESULT_LIMIT s (got $(fresh))" false
    tap_diag "$(tail -n 20 "$work/$SAT/log/icinga2.log")"
fi

results=$(api GET '/v1/objects/services?attrs=last_check_result')
r() { jq -r --arg n "$1" ".results[] | select(.name == \$n) | .attrs.last_check_result$2" <<<"$results"; }
show() { tap_diag "$1: state $(r "$1" .exit_status), check_source $(r "$1" .check_source), command $(r "$1" '.command | join(" ")')" "$(r "$1" .output)"; }

tap_is "$(jq -r '[.results[].attrs.last_check_result.check_source] | unique | join(" ")' <<<"$results")" "$SAT" \
    "every result was produced by the satellite (check_source $SAT)"
tap_is "$(jq -r '[.results[].attrs.last_check_result.scheduling_source] | unique | join(" ")' <<<"$results")" "$SAT" \
    "... and scheduled by it"

# per customer domain: check_tlsa -D DOMAIN --mx-expect ...
s='mail-customers!dane-tlsa-tlsa-good.test'
tap_is "$(r "$s" .exit_status)" 0 "$s: exit 0"
tap_like "$(r "$s" .output | head -n 1)" "^TLSA OK - tlsa-good.test.: 2 MX hosts, all with usable DNSSEC-secure TLSA records \\(3 records\\) and matching --mx-expect ?$" "$s: OK, the MX hosts as expected"
tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_tlsa --mx-expect mx?.tlsa-good.test --mx-expect *.tlsa-target.test -D tlsa-good.test -r $VAL -t 10" \
    "$s: the command line the satellite built (--mx-expect from the host's array, once per pattern)"
[ "$(r "$s" .exit_status)" = 0 ] || show "$s"
s='mail-customers!dane-tlsa-tlsa-cname.test'
tap_is "$(r "$s" .exit_status)" 0 "$s: exit 0 (MX hosts CNAME'd into *.tlsa-target.test)"
[ "$(r "$s" .exit_status)" = 0 ] || show "$s"
s='mail-customers!dane-tlsa-tlsa-implicit.test'
tap_is "$(r "$s" .exit_status)" 1 "$s: exit 1 (its mail goes elsewhere)"
tap_like "$(r "$s" .output)" "^TLSA WARNING - tlsa-implicit.test.: tlsa-implicit.test. \\(implicit MX\\) is not an expected MX host: it matches none of mx\\?.tlsa-good.test, \\*.tlsa-target.test \\(--mx-expect\\)" \
    "$s: the WARNING names the host and the patterns"
s='mail-customers!dane-tlsa-tlsa-bogus.test'
tap_is "$(r "$s" .exit_status)" 2 "$s: exit 2"
tap_like "$(r "$s" .output)" "does not validate \\(bogus\\)" "$s: bogus"
s='director-customers!dane-tlsa-tlsa-good.test'
tap_is "$(r "$s" .exit_status)" 0 "$s: exit 0"
tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_tlsa -D tlsa-good.test -r $VAL -t 10" \
    "$s: without dane_mx_expect no --mx-expect"
[ "$(r "$s" .exit_status)" = 0 ] || show "$s"

# per MX host: the handshakes, once (check_dane_smtp -H)
if [ "$smtp" = 1 ]; then
    s="$mx1!dane-mx-smtp"
    tap_is "$(r "$s" .exit_status)" 0 "$s: exit 0"
    tap_like "$(r "$s" .output)" "^DANE_SMTP OK - MX hosts: " "$s: verified by DANE"
    tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_dane_smtp -H $mx1 -p $LAB_SMTP_PORT -r $VAL -t 10" \
        "$s: the command line (-H the MX host)"
    [ "$(r "$s" .exit_status)" = 0 ] || show "$s"
    s="$mx1!dane-mx-tlsa"
    tap_is "$(r "$s" .exit_status)" 0 "$s: exit 0"
    tap_like "$(r "$s" '.command | join(" ")')" "check_tlsa -H $mx1 -p $LAB_SMTP_PORT -r $VAL -t 10$" "$s: the command line"
    s="$mx1!dane-mx-rollover"
    tap_like "$(r "$s" .output)" "^DANE_ROLLOVER (OK|WARNING|CRITICAL) - MX hosts: " "$s: ran against the server"
fi

# the master schedules none of them: its checker's queue is empty, the
# satellite's holds every service and host of its zone
checker() { jq -r '.results[0].status.checkercomponent.checker | "\(.idle + .pending)"' 2>/dev/null; }
tap_is "$(api GET /v1/status/CheckerComponent | checker)" 0 "the master's checker schedules nothing (the zone's checks are the satellite's)"
nhosts=$(api GET '/v1/objects/hosts?attrs=zone' | jq '.results | length')
tap_is "$(sat_api GET /v1/status/CheckerComponent | checker)" "$((nservices + nhosts))" \
    "the satellite's checker schedules the $nservices services and $nhosts hosts of its zone"
tap_unlike "$(grep -hE 'warning/|critical/' "$work/$MASTER/log/icinga2.log" "$work/$SAT/log/icinga2.log" |
    grep -vE 'does not match anywhere|ApiListener|JsonRpcConnection|ConfigCompiler: Ignoring|Removing old|no longer' || true)" "." \
    "no warning or error about the checks in either log"

# stop: the satellite, then the master; nothing of the test left
for n in "$SAT" "$MASTER"; do
    p=${pid_of[$n]}
    down "$n"
    tap_ok "$n stopped on SIGTERM" test ! -e "/proc/$p"
    tap_like "$(cat "$work/$n/log/stdout.log")" "Icinga has shut down" "$n shut down cleanly"
done
tap_is "$(left)" "" "no icinga2 process of this test left"

tap_done
