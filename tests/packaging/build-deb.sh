#!/usr/bin/env bash
# The Debian package from packaging/debian: copy the distributed source
# (`make distdir`, i.e. what the release tarball holds) to a temp dir, move
# packaging/debian to debian/, install the Build-Depends, dpkg-buildpackage
# -us -uc -b (which runs the unit tests), lintian (no error), check the
# .deb's contents and hardening, install it with apt-get, run the installed
# plugins (-V, -h, and real checks against the DNS lab), then remove it again
# if it was not installed before.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pkg=monitoring-plugins-dane
plugindir=/usr/lib/nagios/plugins

pk_need dpkg-dev debhelper lintian build-essential binutils man-db
pk_need_lab
[ -f "$PK_BUILDDIR/Makefile" ] || { echo "Bail out! $PK_BUILDDIR is not configured (no Makefile)"; exit 1; }
# the lab, for the real checks at the end; started first because lab_up may
# skip the whole script, which TAP allows only before the first test
lab_up

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$PK_SRCDIR/configure.ac")
changelog_version=$(dpkg-parsechangelog -l "$PK_SRCDIR/packaging/debian/changelog" -S Version)
tap_is "${changelog_version%-*}" "$version" "debian/changelog's upstream version is configure.ac's ($version)"

work=$(mktemp -d "${TMPDIR:-/tmp}/build-deb.XXXXXX")
was_installed=0
pk_installed "$pkg" && was_installed=1
_deb_cleanup() {
    if [ "$was_installed" -eq 0 ] && pk_installed "$pkg"; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$pkg" >/dev/null 2>&1
    fi
    rm -rf "$work"
    _lab_down
}
# replaces lab_up's traps with ones that also stop the lab
trap '_deb_cleanup' EXIT
trap '_deb_cleanup; trap - INT; kill -INT $$' INT
trap '_deb_cleanup; exit 143' TERM
trap '_deb_cleanup; exit 129' HUP

# 1. the source, as distributed, with debian/ at the top
src=$work/$pkg-$version
tap_ok "make distdir: the distributed source in $src" \
    make -C "$PK_BUILDDIR" distdir distdir="$src"
tap_ok "packaging/debian is in the distributed source" test -f "$src/packaging/debian/control"
[ -f "$src/packaging/debian/control" ] || tap_done
mv "$src/packaging/debian" "$src/debian"

# 2. Build-Depends
if ! (cd "$src" && dpkg-checkbuilddeps) >/dev/null 2>&1; then
    log=$work/build-dep.log
    { DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends "$src" ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends "$src"; }; } \
        >"$log" 2>&1 || tap_diag "$(tail -n 20 "$log")"
fi
out=$(cd "$src" && dpkg-checkbuilddeps 2>&1)
tap_is "$?" 0 "Build-Depends installed (dpkg-checkbuilddeps)"
[ -z "$out" ] || tap_diag "$out"

# 3. build (the unit tests run in dh_auto_test)
start=$(now_s)
(cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
rc=$?
took=$(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }')
tap_is "$rc" 0 "dpkg-buildpackage -us -uc -b ($took s)"
if [ "$rc" -ne 0 ]; then
    tap_diag "$(tail -n 60 "$work/build.log")"
    tap_done
fi
tap_like "$(cat "$work/build.log")" "make[^ ]* .*check .*TESTS=" "dh_auto_test ran make check with TESTS set"
tap_like "$(cat "$work/build.log")" "^# PASS: +[1-9]" "the unit tests passed in the build"
tap_unlike "$(grep -E '^(PASS|FAIL|SKIP|ERROR): ' "$work/build.log" | grep -v ' tests/unit/' || true)" "." "only unit tests ran in the build (no lab test)"

arch=$(dpkg --print-architecture)
deb=$(ls "$work/${pkg}_${changelog_version}_$arch.deb" 2>/dev/null)
changes=$(ls "$work/${pkg}_${changelog_version}_$arch.changes" 2>/dev/null)
tap_ok "the .deb exists (${pkg}_${changelog_version}_$arch.deb)" test -f "$deb"
tap_ok "the .changes exists" test -f "$changes"
[ -f "$deb" ] || tap_done

# 4. lintian: no error (warnings are listed as diagnostics)
lint=$(lintian --fail-on error --display-level '>=info' --tag-display-limit 0 "$changes" 2>&1)
rc=$?
tap_is "$rc" 0 "lintian: no error"
[ -z "$lint" ] || tap_diag "lintian:" "$lint"
tap_unlike "$lint" "^E: " "lintian reports no E: tag"
nwarn=$(grep -c '^W: ' <<<"$lint")
tap_diag "lintian: $nwarn warning(s)"

# 5. contents
list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for p in $PK_PLUGINS; do
    tap_like "$list" "^$plugindir/$p\$" ".deb: $plugindir/$p"
    tap_like "$list" "^/usr/share/man/man1/$p\\.1\\.gz\$" ".deb: man page $p.1.gz"
done
tap_like "$list" "^/usr/share/doc/$pkg/examples/icinga2/dane.conf\$" ".deb: Icinga 2 example (CheckCommands + apply rules)"
tap_like "$list" "^/usr/share/doc/$pkg/examples/icinga2/dane-hoster.conf\$" ".deb: Icinga 2 example for many domains on shared MX hosts"
tap_like "$list" "^/usr/share/doc/$pkg/examples/nagios/dane.cfg\$" ".deb: Nagios example"
tap_like "$list" "^/usr/share/doc/$pkg/examples/acme/dane-renewal-gate\$" ".deb: the renewal gate for ACME hooks, uncompressed"
tap_like "$(dpkg-deb -c "$deb" | grep 'examples/acme/dane-renewal-gate$')" "^-rwxr-xr-x " ".deb: the renewal gate is executable"
tap_like "$list" "^/usr/share/doc/$pkg/copyright\$" ".deb: copyright"
tap_like "$list" "^/usr/share/doc/$pkg/findings\\.schema\\.json(\\.gz)?\$" ".deb: the JSON Schema of --output-format=json"
tap_like "$(dpkg-deb -f "$deb" Depends)" "libldns3.*libssl3|libssl3.*libldns3" ".deb: Depends from shlibs (libldns, libssl)"
# libunbound is opened with dlopen() (--validate=local only): shlibs cannot see it
tap_like "$(dpkg-deb -f "$deb" Depends)" "(^|, )libunbound8 \\(>= [0-9.]+\\)(,|$)" ".deb: Depends on libunbound8 (dlopen()ed, named in control)"
tap_like "$(dpkg-deb -f "$deb" Recommends)" "(^|, )dns-root-data(,|$)" ".deb: Recommends dns-root-data (the default trust anchor of --validate=local)"
mkdir -p "$work/x"
dpkg-deb -x "$deb" "$work/x"
for p in $PK_PLUGINS; do
    f=$work/x$plugindir/$p
    hard=""
    readelf -h "$f" | grep -q 'Type: *DYN' || hard="$hard no-PIE"
    readelf -lW "$f" | grep -q 'GNU_RELRO' || hard="$hard no-RELRO"
    readelf -dW "$f" | grep -qE 'BIND_NOW|FLAGS_1.*NOW' || hard="$hard no-BIND_NOW"
    readelf -sW --dyn-syms "$f" | grep -q '__stack_chk_fail' || hard="$hard no-stack-protector"
    readelf -sW --dyn-syms "$f" | grep -qE '__[a-z]+_chk@' || hard="$hard no-FORTIFY"
    tap_is "$hard" "" "$p: hardened (PIE, RELRO, BIND_NOW, stack protector, FORTIFY)"
    tap_unlike "$(readelf -dW "$f" | grep NEEDED)" "libunbound|libevent|libnettle|libhogweed|libgmp" "$p: libunbound not linked (opened by --validate=local)"
done

# 6. install
out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" 2>&1)
rc=$?
tap_is "$rc" 0 "apt-get install ./$(basename "$deb")"
[ "$rc" -eq 0 ] || tap_diag "$(tail -n 20 <<<"$out")"
tap_ok "$pkg is installed" pk_installed "$pkg"

out=$("$plugindir/check_dnssec_resolver" -V 2>&1)
tap_is "$?" 3 "installed check_dnssec_resolver -V: exit 3"
tap_is "$out" "check_dnssec_resolver ($pkg) $version" "installed check_dnssec_resolver -V: version"
out=$("$plugindir/check_dnssec_resolver" -h 2>&1)
tap_is "$?" 3 "installed check_dnssec_resolver -h: exit 3"
tap_like "$out" "^Usage: check_dnssec_resolver " "installed check_dnssec_resolver -h: usage"
for p in $PK_PLUGINS; do
    tap_is "$(man -w "$p" 2>&1)" "/usr/share/man/man1/$p.1.gz" "man -w $p finds the installed page"
done

# 7. real checks with the installed plugins against the lab
R=127.0.0.1@$LAB_VALIDATING_PORT
out=$("$plugindir/check_dnssec_resolver" -H "$R" -q "$LAB_SECURE_NAME" -b "$LAB_BOGUS_NAME" 2>&1)
rc=$?
tap_is "$rc" 0 "installed check_dnssec_resolver against the lab's validating resolver: OK"
tap_like "$out" "^DNSSEC_RESOLVER OK - $R validates DNSSEC .*\\| 'time'=" "... output and perfdata"
out=$("$plugindir/check_dnssec_resolver" -H "127.0.0.1@$LAB_NONVALIDATING_PORT" -q "$LAB_SECURE_NAME" 2>&1)
tap_is "$?" 2 "installed check_dnssec_resolver against the non-validating resolver: CRITICAL"
out=$("$plugindir/check_tlsa" -r "$R" -D tlsa-good.test 2>&1)
tap_is "$?" 0 "installed check_tlsa -D tlsa-good.test: OK"
tap_like "$out" "^TLSA OK - tlsa-good.test.: 2 MX hosts" "... output"
out=$("$plugindir/check_tlsa" -r "$R" -D tlsa-bogus.test 2>&1)
tap_is "$?" 2 "installed check_tlsa -D tlsa-bogus.test: CRITICAL"
# --validate=local through the non-validating resolver: the installed plugin opens the
# libunbound its Depends brought
out=$("$plugindir/check_tlsa" -r "127.0.0.1@$LAB_NONVALIDATING_PORT" --validate=local \
    --trust-anchor "$LAB_TRUST_ANCHOR" -D tlsa-good.test 2>&1)
tap_is "$?" 0 "installed check_tlsa --validate=local -D tlsa-good.test: OK (libunbound loaded)"
tap_like "$out" "^TLSA OK - tlsa-good.test.: 2 MX hosts" "... output"
if [ "${LAB_SMTP:-0}" = 1 ] && [ -n "${LAB_SMTP_PORT:-}" ] && [ -n "${LAB_DANE_EE_DOMAIN:-}" ]; then
    out=$("$plugindir/check_dane_smtp" -r "$R" -p "$LAB_SMTP_PORT" -D "$LAB_DANE_EE_DOMAIN" 2>&1)
    tap_is "$?" 0 "installed check_dane_smtp against the lab's Postfix ($LAB_DANE_EE_DOMAIN): OK"
    tap_like "$out" "^DANE_SMTP OK - $LAB_DANE_EE_DOMAIN\\.: 3 addresses of 2 MX hosts verified by DANE" "... output"
else
    tap_diag "the lab runs no SMTP servers (${LAB_SMTP_WHY:-needs root and postfix}): installed check_dane_smtp not run"
fi
_lab_down

# 8. removal (only what this test installed)
if [ "$was_installed" -eq 0 ]; then
    out=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$pkg" 2>&1)
    tap_is "$?" 0 "apt-get purge $pkg"
    tap_ok "the plugins are gone after purge" test ! -e "$plugindir/check_tlsa"
fi

tap_done
