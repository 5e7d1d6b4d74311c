#!/usr/bin/env bash
# End to end: a real Icinga 2 (own config, state, log and run dirs in a temp
# dir; the REST API on a random loopback port with a generated certificate)
# runs the BUILT plugins ($top_builddir/plugins) through packaging/icinga2/
# dane.conf (CheckCommands and its example apply rules) against the DNS lab,
# and the results are read back from the API and the perfdata writer files:
#   tlsa-good.test   dane-tlsa OK,       tlsa-bogus.test  dane-tlsa CRITICAL,
#   validating resolver OK,             non-validating resolver CRITICAL,
#   and, when the lab runs its Postfix servers (root, postfix installed),
#   smtp-ee.test dane-smtp OK,          smtp-wrong.test  dane-smtp CRITICAL,
# with the plugin output, the command line Icinga built, and the perfdata as
# Icinga 2 parsed it (parse_performance_data via the API console).
# Every wait is bounded; Icinga 2 and the lab are always stopped (traps).
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
[ -f "$conf" ] || { echo "Bail out! $conf missing"; exit 1; }

START_LIMIT=30  # s for Icinga 2 to start and answer the API
RESULT_LIMIT=60 # s for all check results
STOP_LIMIT=20   # s for Icinga 2 to stop on SIGTERM

lab_up

work=$(mktemp -d "${TMPDIR:-/tmp}/icinga2-e2e.XXXXXX")
_ic_pid=""
# _ic_down: stop our Icinga 2 (SIGTERM, then SIGKILL after STOP_LIMIT s); idempotent
_ic_down() {
    pk_stop icinga2 "$_ic_pid" "$STOP_LIMIT"
    _ic_pid=""
}
_e2e_cleanup() {
    _ic_down
    rm -rf "$work"
    _lab_down
}
# replaces lab_up's traps with ones that also stop Icinga 2 (and still stop the lab)
trap '_e2e_cleanup' EXIT
trap '_e2e_cleanup; trap - INT; kill -INT $$' INT
trap '_e2e_cleanup; exit 143' TERM
trap '_e2e_cleanup; exit 129' HUP

mkdir -p "$work"/{etc,data/certs,cache,log,run,spool,perfdata}
user=$(id -un)
group=$(id -gn)
# private paths; as root icinga2 would drop to the nagios user: stay
ic_defs=(-D Configuration.DataDir="$work/data" -D Configuration.CacheDir="$work/cache"
    -D Configuration.LogDir="$work/log" -D Configuration.InitRunDir="$work/run"
    -D Configuration.SpoolDir="$work/spool"
    -D Configuration.RunAsUser="$user" -D Configuration.RunAsGroup="$group")
ic() { icinga2 "$@" "${ic_defs[@]}"; }

node=dane-e2e
port=$(pk_free_port) || { echo "Bail out! no free port"; exit 1; }
pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
VAL=127.0.0.1@$LAB_VALIDATING_PORT

# the API's certificate (self-signed, also its own CA), where ApiListener looks
ic pki new-cert --cn "$node" --key "$work/data/certs/$node.key" --cert "$work/data/certs/$node.crt" \
    >"$work/pki.out" 2>&1
cp "$work/data/certs/$node.crt" "$work/data/certs/ca.crt"
tap_ok "icinga2 pki new-cert: API certificate" test -s "$work/data/certs/$node.crt"

# with Postfix (root, postfix installed) the lab also runs SMTP servers, on one
# port: then two SMTP scenarios too (good DANE-EE, wrong digest)
smtp_hosts=""
smtp=0
sts=0
if [ "${LAB_SMTP:-0}" = 1 ] && [ -n "${LAB_SMTP_PORT:-}" ] && [ -n "${LAB_DANE_EE_DOMAIN:-}" ] &&
    [ -n "${LAB_WRONG_DIGEST_DOMAIN:-}" ]; then
    smtp=1
    smtp_hosts="/* SMTP scenarios: TLSA records and servers on the lab's SMTP port. */
template Host \"lab-smtp\" {
    import \"lab-domain\"
    vars.tlsa_port = $LAB_SMTP_PORT
    vars.dane_smtp_port = $LAB_SMTP_PORT
    vars.dane_rollover_port = $LAB_SMTP_PORT
}
object Host \"smtp-ee\" {
    import \"lab-smtp\"
    vars.dane_domain = \"$LAB_DANE_EE_DOMAIN\"
}
object Host \"smtp-wrong\" {
    import \"lab-smtp\"
    vars.dane_domain = \"$LAB_WRONG_DIGEST_DOMAIN\"
}
"
    # MTA-STS (check_mta_sts): the policy servers listen on the SMTP port, the lab's CA
    if [ -n "${LAB_STS_ZONE:-}" ]; then
        sts=1
        smtp_hosts="$smtp_hosts
template Host \"lab-sts\" {
    import \"lab-smtp\"
    vars.mta_sts = true
    vars.mta_sts_port = $LAB_SMTP_PORT
    vars.mta_sts_policy_port = $LAB_SMTP_PORT
    vars.mta_sts_ca_file = \"$LAB_STS_CA_PEM\"
}
object Host \"sts-enforce\" {
    import \"lab-sts\"
    vars.dane_domain = \"enforce.$LAB_STS_ZONE\"
}
object Host \"sts-self\" {
    import \"lab-sts\"
    vars.dane_domain = \"self.$LAB_STS_ZONE\"
}
"
    fi
else
    tap_diag "the lab runs no SMTP servers (${LAB_SMTP_WHY:-needs root and postfix}): no dane_smtp OK/CRITICAL cases"
fi

cat >"$work/etc/icinga2.conf" <<CONF
const PluginDir = "$PK_BUILDDIR/plugins"
const NodeName = "$node"
const ZoneName = "$node"

include <itl>
include <plugins>
include "$conf"

object IcingaApplication "app" { }
object CheckerComponent "checker" { }
object FileLogger "main-log" {
    path = "$work/log/icinga2.log"
    severity = "information"
}
object PerfdataWriter "perfdata" {
    service_perfdata_path = "$work/perfdata/service-perfdata"
    service_temp_path = "$work/perfdata/service-perfdata.tmp"
    host_perfdata_path = "$work/perfdata/host-perfdata"
    host_temp_path = "$work/perfdata/host-perfdata.tmp"
}
object ApiListener "api" {
    bind_host = "127.0.0.1"
    bind_port = $port
}
object Endpoint NodeName { }
object Zone ZoneName {
    endpoints = [ NodeName ]
}
object ApiUser "dane-e2e" {
    password = "$pw"
    permissions = [ "objects/query/*", "actions/reschedule-check", "console", "status/query" ]
}

/* Mail domains of the lab: the example apply rules give each four services. */
template Host "lab-domain" {
    check_command = "dummy"
    enable_active_checks = false
    vars.dane_resolver = "$VAL"
    vars.dnssec_resolver_query = "$LAB_SECURE_NAME"
    vars.dnssec_resolver_bogus = "$LAB_BOGUS_NAME"
}
object Host "tlsa-good" {
    import "lab-domain"
    vars.dane_domain = "tlsa-good.test"
}
object Host "tlsa-bogus" {
    import "lab-domain"
    vars.dane_domain = "tlsa-bogus.test"
}

$smtp_hosts
/* Resolvers as hosts: -H is the host address (\$check_address\$), -p the port. */
template Host "lab-resolver" {
    check_command = "dummy"
    enable_active_checks = false
    address = "127.0.0.1"
    vars.dnssec_resolver_query = "$LAB_SECURE_NAME"
    vars.dnssec_resolver_bogus = "$LAB_BOGUS_NAME"
}
object Host "resolver-validating" {
    import "lab-resolver"
    vars.dnssec_resolver_port = $LAB_VALIDATING_PORT
}
object Host "resolver-nonvalidating" {
    import "lab-resolver"
    vars.dnssec_resolver_port = $LAB_NONVALIDATING_PORT
}
apply Service "resolver" {
    check_command = "dnssec_resolver"
    check_interval = 1s
    retry_interval = 1s
    assign where "lab-resolver" in host.templates
}
CONF

out=$(ic daemon -C -c "$work/etc/icinga2.conf" 2>&1)
rc=$?
tap_is "$rc" 0 "icinga2 daemon -C accepts the e2e configuration"
if [ "$rc" -ne 0 ]; then
    tap_diag "$out"
    tap_done
fi

# not through ic(): $! must be icinga2 itself (/usr/sbin/icinga2 execs the daemon)
icinga2 daemon -c "$work/etc/icinga2.conf" "${ic_defs[@]}" >"$work/log/stdout.log" 2>&1 </dev/null &
_ic_pid=$!
tap_diag "icinga2 pid $_ic_pid, API https://127.0.0.1:$port, dir $work"

api() { # api METHOD PATH [JSON]: print the response body
    curl -sS -k --max-time 10 -u "dane-e2e:$pw" -H 'Accept: application/json' -X "$1" \
        ${3:+-d "$3"} "https://127.0.0.1:$port$2"
}
api_up() { # (jq 1.6 -e exits 0 on empty input: compare the answer instead)
    [ "$(api GET /v1/status/IcingaApplication 2>/dev/null |
        jq -r '.results[0].status.icingaapplication.app.node_name' 2>/dev/null)" = "$node" ]
}

start=$(now_s)
if pk_wait_for "$START_LIMIT" api_up; then
    tap_ok "Icinga 2 runs and answers the API within $START_LIMIT s" true
else
    tap_ok "Icinga 2 runs and answers the API within $START_LIMIT s" false
    tap_diag "$(tail -n 30 "$work/log/stdout.log")"
    tap_done
fi

services_json=$(api GET '/v1/objects/services?attrs=__name' 2>&1)
services=$(jq -r '.results[].name' <<<"$services_json" | sort | tr '\n' ' ')
[ -n "$services" ] || tap_diag "API answer: $services_json"
expected="resolver-nonvalidating!resolver resolver-validating!resolver"
domains="tlsa-bogus tlsa-good"
[ "$smtp" = 0 ] || domains="smtp-ee smtp-wrong $domains"
[ "$sts" = 0 ] || domains="sts-enforce sts-self $domains"
for h in $domains; do
    for sv in dane-rollover dane-smtp dane-tlsa dnssec-resolver; do expected="$expected $h!$sv"; done
    case "$h" in sts-*) expected="$expected $h!mta-sts" ;; esac
done
tap_is "$services" "$(tr ' ' '\n' <<<"$expected" | sort | tr '\n' ' ')" \
    "the services: four per mail domain from the example apply rules, one per resolver"
nservices=$(wc -w <<<"$services")

# run every check now (the apply rules' intervals are minutes): Icinga 2
# executes the plugins itself; then wait for a result newer than this moment
t0=$(date +%s)
resched=$(api POST /v1/actions/reschedule-check '{"type": "Service", "filter": "true", "force": true}')
tap_is "$(jq '[.results[] | select(.code == 200)] | length' <<<"$resched")" "$nservices" "reschedule-check: all $nservices checks forced"

fresh() { # number of services with a check result that ended after t0
    api GET '/v1/objects/services?attrs=last_check_result' |
        jq --argjson t0 "$t0" '[.results[] | select(.attrs.last_check_result != null and .attrs.last_check_result.execution_end >= $t0)] | length'
}
all_fresh() { [ "$(fresh)" = "$nservices" ]; }
if pk_wait_for "$RESULT_LIMIT" all_fresh; then
    tap_ok "all $nservices check results within $RESULT_LIMIT s ($(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s after start)" true
else
    tap_ok "all $nservices check results within $RESULT_LIMIT s (got $(fresh))" false
fi

results=$(api GET '/v1/objects/services?attrs=last_check_result&attrs=state')
# r SERVICE FIELD: one field of the service's last check result (jq path)
r() { jq -r --arg n "$1" ".results[] | select(.name == \$n) | .attrs.last_check_result$2" <<<"$results"; }
show() { tap_diag "$1: state $(r "$1" .state), command $(r "$1" '.command | join(" ")')" "$(r "$1" .output)"; }

# tlsa-good: OK, the command line Icinga built, the perfdata
s='tlsa-good!dane-tlsa'
tap_is "$(r "$s" .state)" 0 "$s: OK"
tap_is "$(r "$s" .exit_status)" 0 "$s: plugin exit 0"
tap_like "$(r "$s" .output)" "^TLSA OK - tlsa-good.test.: 2 MX hosts, all with usable DNSSEC-secure TLSA records \\(3 records\\)" "$s: plugin output"
tap_like "$(r "$s" .output)" "\\[OK\\] mx1.tlsa-good.test. \\(MX 10\\)" "$s: detail lines kept"
tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_tlsa -D tlsa-good.test -r $VAL -t 10" \
    "$s: command line from dane.conf (domain and resolver from host vars, default timeout)"
perf=$(r "$s" '.performance_data | join(" ")')
tap_like "$perf" "^'?mx_hosts'?=2;;;0 '?tlsa_records'?=3;;;0 '?usable_records'?=3;;;0 '?time'?=[0-9.]+s;;;0$" \
    "$s: performance_data, split by Icinga 2 into 4 items ($perf)"
tap_is "$(r "$s" '.performance_data | length')" 4 "$s: 4 perfdata items"
# Icinga 2's own perfdata parser on what it stored
parsed=$(api POST /v1/console/execute-script \
    "{\"command\": \"var r = []; for (p in get_service(\\\"tlsa-good\\\", \\\"dane-tlsa\\\").last_check_result.performance_data) { r.add(parse_performance_data(p)) }; r\", \"sandboxed\": false}")
tap_is "$(jq -c '.results[0].result | map({label: .label, value: .value, min: .min, unit: .unit})' <<<"$parsed" 2>&1 |
    sed -E 's/"unit":null/"unit":""/g; s/"value":[0-9.e-]+,"min":0,"unit":"seconds"/"value":T,"min":0,"unit":"seconds"/')" \
    '[{"label":"mx_hosts","value":2,"min":0,"unit":""},{"label":"tlsa_records","value":3,"min":0,"unit":""},{"label":"usable_records","value":3,"min":0,"unit":""},{"label":"time","value":T,"min":0,"unit":"seconds"}]' \
    "$s: Icinga 2 parses the perfdata (labels, values, min 0, unit s = seconds)"
[ "$(r "$s" .state)" = 0 ] || show "$s"

# tlsa-bogus: CRITICAL
s='tlsa-bogus!dane-tlsa'
tap_is "$(r "$s" .state)" 2 "$s: CRITICAL"
tap_like "$(r "$s" .output)" "^TLSA CRITICAL - .*TLSA at _25._tcp.mx.tlsa-bogus.test. does not validate \\(bogus\\)" "$s: plugin output says bogus"
tap_like "$(r "$s" '.performance_data | join(" ")')" "mx_hosts'?=1;;;0" "$s: perfdata"
[ "$(r "$s" .state)" = 2 ] || show "$s"

# the resolver the DANE checks use (apply rule: vars.dane_resolver): OK
s='tlsa-good!dnssec-resolver'
tap_is "$(r "$s" .state)" 0 "$s: OK"
tap_like "$(r "$s" .output)" "^DNSSEC_RESOLVER OK - $VAL validates DNSSEC" "$s: plugin output"
tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_dnssec_resolver -H $VAL -b $LAB_BOGUS_NAME -q $LAB_SECURE_NAME -t 10" \
    "$s: command line (-H from vars.dane_resolver, -q/-b from host vars)"
tap_like "$(r "$s" '.performance_data | join(" ")')" "^'?time'?=[0-9.]+s;[^ ]* '?bogus_time'?=[0-9.]+s;" "$s: perfdata time and bogus_time"
[ "$(r "$s" .state)" = 0 ] || show "$s"

# resolvers as hosts: $check_address$ and -p
s='resolver-validating!resolver'
tap_is "$(r "$s" .state)" 0 "$s: OK"
tap_like "$(r "$s" '.command | join(" ")')" "check_dnssec_resolver -H 127.0.0.1 -b $LAB_BOGUS_NAME -p $LAB_VALIDATING_PORT -q $LAB_SECURE_NAME -t 10$" \
    "$s: -H is the host address (check_address), -p the port"
[ "$(r "$s" .state)" = 0 ] || show "$s"
s='resolver-nonvalidating!resolver'
tap_is "$(r "$s" .state)" 2 "$s: CRITICAL"
tap_like "$(r "$s" .output)" "^DNSSEC_RESOLVER CRITICAL - " "$s: plugin output"
[ "$(r "$s" .state)" = 2 ] || show "$s"

# the SMTP plugins (their lab scenarios are elsewhere): Icinga 2 ran them with
# arguments they accept, so they answered with a status line, not a usage error
for h in tlsa-good tlsa-bogus; do
    for s in "$h!dane-smtp:DANE_SMTP" "$h!dane-rollover:DANE_ROLLOVER"; do
        name=${s%%:*}
        tap_like "$(r "$name" .output | head -n 1)" "^${s#*:} (OK|WARNING|CRITICAL|UNKNOWN) - " "$name: ran, status line"
        tap_unlike "$(r "$name" .output)" "unknown option|needs an argument|unexpected argument|give either" "$name: arguments accepted"
        tap_like "$(r "$name" '.command | join(" ")')" "-D $h.test -r $VAL -t 10$" "$name: command line"
    done
done

# SMTP scenarios through Icinga 2: good DANE-EE OK, wrong digest CRITICAL
if [ "$smtp" = 1 ]; then
    s='smtp-ee!dane-smtp'
    tap_is "$(r "$s" .state)" 0 "$s: OK"
    tap_like "$(r "$s" .output)" "^DANE_SMTP OK - $LAB_DANE_EE_DOMAIN\\.: 3 addresses of 2 MX hosts verified by DANE" "$s: plugin output"
    tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_dane_smtp -D $LAB_DANE_EE_DOMAIN -p $LAB_SMTP_PORT -r $VAL -t 10" \
        "$s: command line (-p from vars.dane_smtp_port)"
    tap_like "$(r "$s" '.performance_data | join(" ")')" "addresses'?=3;;;0 '?verified'?=3;;;0 '?failed'?=0;;;0" "$s: perfdata"
    [ "$(r "$s" .state)" = 0 ] || show "$s"
    s='smtp-wrong!dane-smtp'
    tap_is "$(r "$s" .state)" 2 "$s: CRITICAL"
    tap_like "$(r "$s" .output)" "no TLSA record matches" "$s: plugin output"
    [ "$(r "$s" .state)" = 2 ] || show "$s"
    s='smtp-ee!dane-tlsa'
    tap_is "$(r "$s" .state)" 0 "$s: OK (TLSA at _$LAB_SMTP_PORT._tcp, -p from vars.tlsa_port)"
    s='smtp-ee!dane-rollover'
    tap_like "$(r "$s" .output)" "^DANE_ROLLOVER (OK|WARNING|CRITICAL) - $LAB_DANE_EE_DOMAIN\\.: " "$s: ran against the servers"
    tap_like "$(r "$s" '.performance_data | join(" ")')" "cert_days'?=[0-9]" "$s: perfdata cert_days"
fi

# MTA-STS through Icinga 2: both kinds of senders verify; a self-signed MX under enforce
if [ "$sts" = 1 ]; then
    s='sts-enforce!mta-sts'
    tap_is "$(r "$s" .state)" 0 "$s: OK"
    tap_is "$(r "$s" '.command | join(" ")')" "$PK_BUILDDIR/plugins/check_mta_sts --ca-file $LAB_STS_CA_PEM --policy-port $LAB_SMTP_PORT -D enforce.$LAB_STS_ZONE -p $LAB_SMTP_PORT -r $VAL -t 10" \
        "$s: command line (ports and --ca-file from host vars)"
    tap_like "$(r "$s" '.performance_data | join(" ")')" "pkix_valid'?=1;;;0 '?pkix_failed'?=0;;;0 '?policy_max_age'?=604800s" "$s: perfdata"
    [ "$(r "$s" .state)" = 0 ] || show "$s"
    s='sts-self!mta-sts'
    tap_is "$(r "$s" .state)" 2 "$s: CRITICAL"
    tap_like "$(r "$s" .output)" "senders that use MTA-STS and not DANE defer mail to mx\\.self\\.$LAB_STS_ZONE: the certificate is self-signed; DANE senders: verified" "$s: plugin output names both kinds of senders"
    [ "$(r "$s" .state)" = 2 ] || show "$s"
fi

# Icinga 2's log: no warning about our commands (undefined macros, set_if, ...)
tap_unlike "$(grep -E 'warning/|critical/' "$work/log/icinga2.log" || true)" "." "no warning or error in the Icinga 2 log"

pid=$_ic_pid
_ic_down
tap_ok "Icinga 2 stopped on SIGTERM" test ! -e "/proc/$pid"
left=$(pgrep -f -- "-c $work/etc/icinga2.conf" || true)
tap_is "$left" "" "no Icinga 2 process of this test left"
tap_like "$(cat "$work/log/stdout.log")" "Icinga has shut down" "Icinga 2 shut down cleanly"
# the perfdata writer's files (rotated or flushed at shutdown)
pdata=$(cat "$work"/perfdata/service-perfdata* 2>/dev/null)
line=$(grep -P 'HOSTNAME::tlsa-good\tSERVICEDESC::dane-tlsa\t' <<<"$pdata" | tail -n 1)
[ -n "$line" ] || tap_diag "perfdata files:" "$(ls -la "$work/perfdata")" "$(head -c 2000 <<<"$pdata")"
tap_like "$line" "SERVICEPERFDATA::'?mx_hosts'?=2;;;0 '?tlsa_records'?=3;;;0 '?usable_records'?=3;;;0 '?time'?=[0-9.]+s;;;0" \
    "PerfdataWriter file: tlsa-good dane-tlsa perfdata"
tap_like "$line" "SERVICECHECKCOMMAND::tlsa" "PerfdataWriter file: check command tlsa"
tap_like "$(grep -P 'HOSTNAME::tlsa-bogus\tSERVICEDESC::dane-tlsa\t' <<<"$pdata" | tail -n 1)" "SERVICESTATE::CRITICAL" \
    "PerfdataWriter file: tlsa-bogus dane-tlsa CRITICAL"

tap_done
