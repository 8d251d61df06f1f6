#!/bin/sh
# Install every build and test dependency with apt-get, idempotently.
# --check: exit 0 if everything is there, 1 otherwise (installs nothing).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs="build-essential pkg-config libudev-dev libjson-c-dev linux-headers-amd64
linux-source-6.1 kmod systemd udev jq xz-utils clang libclang-rt-14-dev"
if [ -f "$top/tests/vm/deps.txt" ]; then
	pkgs="$pkgs $(grep -v '^#' "$top/tests/vm/deps.txt" | tr '\n' ' ')"
fi

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && exit 0
	echo "missing packages:$missing" >&2
	exit 1
fi
[ -z "$missing" ] && { echo "deps: all installed"; exit 0; }
if [ "$(id -u)" != 0 ]; then
	echo "deps: need root to install:$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
