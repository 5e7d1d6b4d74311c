#!/usr/bin/env bash
# The man pages (man/check_*.1) against the plugins' --help: every option in
# --help is an item of the man page's OPTIONS section (same short and long
# name, same argument name), the man page documents no option the plugin does
# not have, the NAME line is a proper whatis entry, and groff / man-db render
# the pages without a warning.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lab/tap.sh
. "$here/../lab/tap.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

pk_need groff man-db
pk_need_plugins

# render FILE: the page as plain text, one line per paragraph line, no wrapping
render() {
    groff -man -Tascii -rLL=250n -P-c -P-b -P-u "$1" 2>/dev/null
}

for p in $PK_PLUGINS; do
    page=$PK_SRCDIR/man/$p.1
    if [ ! -f "$page" ]; then
        tap_ok "$p.1 exists" false
        continue
    fi

    help=$("$PK_BUILDDIR/plugins/$p" --help 2>&1)
    rc=$?
    tap_is "$rc" 3 "$p --help: exit 3"

    warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    tap_is "$warn" "" "$p.1: groff -man -ww gives no warning"
    warn=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    tap_is "$warn" "" "$p.1: man --warnings gives no warning"
    whatis=$(lexgrog "$page" 2>&1)
    tap_like "$whatis" ": \"$p - [a-z]" "$p.1: NAME is a whatis entry ($whatis)"
    tap_like "$(head -n 20 "$page")" "^\\.TH $(tr '[:lower:]' '[:upper:]' <<<"$p") 1 " "$p.1: .TH names the page, section 1"

    text=$(render "$page")
    options_text=$(awk '/^OPTIONS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' <<<"$text")
    # help option lines: " -X, --long[=ARG]" or "     --long[=ARG]"
    help_opts=$(grep -E '^ (-[[:alnum:]], |    )--[[:alnum:]-]+(=[^ ]+)?$' <<<"$help" | sed 's/^ *//')
    n=$(grep -c . <<<"$help_opts")
    tap_cmp_lt 2 "$n" "$p --help lists its options ($n)"
    while IFS= read -r opt; do
        [ -n "$opt" ] || continue
        found=$(sed 's/^ *//' <<<"$options_text" | grep -cxF -- "$opt")
        tap_is "$found" 1 "$p.1 documents '$opt' (once, as an OPTIONS item)"
        [ "$found" = 1 ] || tap_diag "OPTIONS items of $p.1:" "$(grep -E '^ {7}-' <<<"$options_text")"
    done <<<"$help_opts"
    # the reverse: every item of the man page's OPTIONS is in --help
    extra=$(grep -E '^ {7}-' <<<"$options_text" | sed 's/^ *//' | grep -vxF -f <(printf '%s\n' "$help_opts") || true)
    tap_is "$extra" "" "$p.1 documents no option that $p --help lacks"
    # each long option named in the synopsis exists
    synopsis=$(awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' <<<"$text")
    bad=""
    for o in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$synopsis" | sort -u); do
        grep -qE -- "(^| )$o(=| |$)" <<<"$help" || bad="$bad $o"
    done
    tap_is "$bad" "" "$p.1: the synopsis names only options of $p"
done

tap_done
