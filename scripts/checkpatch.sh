#!/bin/sh
# checkpatch.pl --strict from Debian's linux-source-6.1, extracted once into
# the cache (keyed by the source package version) and run on the given files.
set -eu
cache=${TDXSYS_CACHE:-/var/cache/tdxsys}
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) ||
	{ echo "checkpatch.sh: linux-source-6.1 not installed (make deps)" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
dir="$cache/checkpatch-$ver"
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	tmp=$(mktemp -d "$cache/.checkpatch.XXXXXX" 2>/dev/null) ||
		{ mkdir -p "$cache"; tmp=$(mktemp -d "$cache/.checkpatch.XXXXXX"); }
	tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	rm -rf "$dir"
	mv "$tmp" "$dir"
fi
status=0
for f in "$@"; do
	ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES
	# The compat header is the one place allowed to test the kernel version.
	case "$f" in
	*/tdx_kcompat.h) ignore=$ignore,LINUX_VERSION_CODE ;;
	esac
	"$dir/scripts/checkpatch.pl" --no-tree --strict --quiet --terse \
		--ignore "$ignore" -f "$f" || status=1
done
exit $status
