#!/bin/sh
# Print the kernel ABI (e.g. 6.1.0-56-amd64) of Debian's linux-headers-amd64:
# the kernel the VM boots and the modules are built for. Never hard-coded.
set -eu
kver=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/.*linux-headers-\([0-9][^ ,()]*-amd64\).*/\1/p' | head -n 1)
if [ -z "$kver" ] || [ ! -d "/usr/src/linux-headers-$kver" ]; then
	kver=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
fi
[ -n "$kver" ] || { echo "kver.sh: linux-headers-amd64 is not installed (run make deps)" >&2; exit 1; }
echo "$kver"
