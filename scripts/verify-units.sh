#!/bin/sh
# systemd-analyze verify over the units, in a scratch root holding the
# project's staged install plus the host's own units and modprobe, so every
# dependency and binary a unit names must really resolve.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
make -s -C "$top/tools" install DESTDIR="$root" >/dev/null
for d in /lib/systemd/system /usr/lib/systemd/system /etc/systemd/system; do
	[ -d "$d" ] && [ ! -L "$d" ] || continue
	mkdir -p "$root$d"
	cp -an "$d/." "$root$d/" 2>/dev/null || true
done
mkdir -p "$root/sbin" "$root/usr/sbin"
cp "$(command -v modprobe)" "$root/sbin/modprobe"
status=0
for u in "$top"/systemd-units/*.service; do
	name=$(basename "$u")
	out=$(systemd-analyze verify --man=no --root="$root" \
		"$root/lib/systemd/system/$name" 2>&1) || status=1
	if [ -n "$out" ]; then
		echo "$out"
		status=1
	fi
done
[ $status = 0 ] && echo "systemd-analyze verify: clean"
exit $status
