# pristine-source.sh -- sourced by scripts/sanitize-check, valgrind-check and
# fuzz-check: pristine_source SRCDIR DEST copies the source tree without build
# products into DEST and runs autoreconf there, so that an out-of-tree build
# can be configured (configure refuses a source tree configured in place).
# From a git checkout: tracked and new files, not ignored ones, never an
# executable built in place. From anything else (a release tarball, a copy):
# everything, then "make distclean" in the copy when it was configured.
# Messages go to stderr; returns non-zero on failure.
# shellcheck shell=bash

pristine_source() {
	local srcdir=$1 dest=$2 f
	mkdir -p "$dest" || return 1
	if command -v git >/dev/null 2>&1 && git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$srcdir" && git ls-files -z -co --exclude-standard) |
			while IFS= read -r -d '' f; do
				[ -f "$srcdir/$f" ] || continue
				[ "$(head -c 4 "$srcdir/$f" | od -An -c | tr -d ' ')" = '177ELF' ] && continue
				printf '%s\0' "$f"
			done | tar -C "$srcdir" --null -T - -cf - | tar -C "$dest" -xf - || return 1
	else
		cp -a "$srcdir/." "$dest/" || return 1
		if [ -e "$dest/config.status" ]; then
			if ! make -C "$dest" distclean >"$dest/.distclean.log" 2>&1; then
				echo "pristine_source: make distclean failed in the copy of $srcdir (see $dest/.distclean.log)" >&2
				return 1
			fi
		fi
	fi
	(cd "$dest" && autoreconf -fi >/dev/null 2>&1) || { echo "pristine_source: autoreconf failed in $dest" >&2; return 1; }
}
