#!/usr/bin/env bash
# packaging/rpm/monitoring-plugins-dane.spec: rpmspec -P parses it (Debian
# package rpm), the version is configure.ac's, %configure gets
# --with-plugindir=%{_libdir}/nagios/plugins, %check runs only the unit
# tests, the BuildRequires are there, %files lists the plugins and man pages
# that `make install` installs. Then, when the tree is configured, a real
# rpmbuild -bb (--nodeps: the build dependencies are Debian packages here)
# from the `make dist` tarball, and the files of the binary RPM.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pk_need rpm
spec=$PK_SRCDIR/packaging/rpm/monitoring-plugins-dane.spec
[ -f "$spec" ] || { echo "Bail out! $spec missing"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rpmspec.XXXXXX")
trap 'rm -rf "$work"' EXIT

parsed=$(rpmspec -P "$spec" 2>"$work/err")
rc=$?
tap_is "$rc" 0 "rpmspec -P parses the spec"
tap_is "$(grep -v '^$' "$work/err")" "" "rpmspec -P: nothing on stderr (no warning)"
[ "$rc" -eq 0 ] || { tap_diag "$(cat "$work/err")"; tap_done; }

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$PK_SRCDIR/configure.ac")
tap_is "$(rpmspec -q --srpm --qf '%{version}' "$spec" 2>/dev/null)" "$version" "spec Version is configure.ac's ($version)"
tap_is "$(rpmspec -q --srpm --qf '%{name}' "$spec" 2>/dev/null)" "monitoring-plugins-dane" "spec Name"
tap_is "$(rpmspec -q --srpm --qf '%{license}' "$spec" 2>/dev/null)" "MIT" "spec License MIT"
libdir=$(rpm --eval '%{_libdir}')
joined=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' <<<"$parsed") # continuation lines joined
tap_like "$joined" "^ *\\./configure .*--with-plugindir=$libdir/nagios/plugins( |$)" "%configure --with-plugindir=%{_libdir}/nagios/plugins"
tap_like "$parsed" "make .*-j[0-9]" "%build uses %make_build"
tap_like "$parsed" "make install DESTDIR=" "%install uses %make_install"
check=$(sed -n '/^%check/,/^%files/p' <<<"$parsed")
tap_like "$check" "make .*check TESTS='\\\$\\(UNIT_TESTS\\)'" "%check runs only the unit tests (TESTS='\$(UNIT_TESTS)')"
breq=$(rpmspec -q --buildrequires "$spec" 2>/dev/null | tr '\n' ' ')
for b in gcc make autoconf automake pkgconfig openssl-devel ldns-devel unbound-devel check-devel zlib-devel gmime30-devel; do
    tap_like "$breq" "(^| )$b( |$)" "BuildRequires: $b"
done
# libunbound is opened with dlopen() (--validate=local): rpm's automatic requirements
# do not see it, the spec names it
tap_like "$(rpmspec -q --requires "$spec" 2>/dev/null | tr '\n' ' ')" "(^| )unbound-libs( |$)" "Requires: unbound-libs (libunbound, dlopen()ed)"
files=$(sed -n '/^%files/,/^%changelog/p' <<<"$parsed")
for p in $PK_PLUGINS; do
    tap_like "$files" "^$libdir/nagios/plugins/$p\$" "%files: $p"
    tap_like "$files" "^/usr/share/man/man1/$p\\.1\\*\$" "%files: man page $p.1"
done
tap_like "$files" "examples" "%files: the configuration examples"

# a real build, from the release tarball
if [ ! -f "$PK_BUILDDIR/Makefile" ]; then
    tap_diag "tree not configured: no rpmbuild"
    tap_done
fi
pk_need build-essential libssl-dev libldns-dev libunbound-dev libjansson-dev zlib1g-dev libgmime-3.0-dev check pkg-config locales
dist=$work/dist
mkdir -p "$dist"
if make -C "$PK_BUILDDIR" distdir distdir="$dist/monitoring-plugins-dane-$version" >"$work/dist.log" 2>&1 &&
    tar -C "$dist" -czf "$work/monitoring-plugins-dane-$version.tar.gz" "monitoring-plugins-dane-$version"; then
    tap_ok "release tarball (make distdir + tar)" true
else
    tap_ok "release tarball (make distdir + tar)" false
    tap_diag "$(tail -n 20 "$work/dist.log")"
    tap_done
fi
start=$(now_s)
rpmbuild -bb --nodeps --define "_topdir $work/rpmbuild" --define "_sourcedir $work" "$spec" >"$work/rpmbuild.log" 2>&1
rc=$?
tap_is "$rc" 0 "rpmbuild -bb --nodeps ($(awk -v a="$start" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }') s, %check included)"
[ "$rc" -eq 0 ] || tap_diag "$(tail -n 40 "$work/rpmbuild.log")"
tap_like "$(cat "$work/rpmbuild.log")" "^# PASS: +[1-9]" "%check: the unit tests passed"
rpmfile=$(ls "$work"/rpmbuild/RPMS/*/monitoring-plugins-dane-"$version"-*.rpm 2>/dev/null | head -n 1)
tap_ok "binary RPM built" test -f "$rpmfile"
if [ -f "$rpmfile" ]; then
    contents=$(rpm -qpl "$rpmfile" 2>/dev/null)
    for p in $PK_PLUGINS; do
        tap_like "$contents" "^$libdir/nagios/plugins/$p\$" "RPM contains $p"
    done
    tap_like "$contents" "^/usr/share/man/man1/check_tlsa\\.1" "RPM contains the man pages"
    tap_like "$contents" "/examples/icinga2/dane.conf\$" "RPM contains the Icinga 2 example"
    tap_like "$contents" "/examples/icinga2/dane-hoster.conf\$" "RPM contains the Icinga 2 example for many domains"
    tap_like "$contents" "/examples/nagios/dane.cfg\$" "RPM contains the Nagios example"
    tap_like "$contents" "/examples/acme/dane-renewal-gate\$" "RPM contains the renewal gate"
fi

tap_done
