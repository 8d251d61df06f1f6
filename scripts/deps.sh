#!/bin/sh
# Install every build and test dependency with apt-get, idempotently.
# --check: exit 0 if everything is there, 1 otherwise (installs nothing).
#
# The host is Debian 12: its own 6.1 headers (linux-headers-amd64) build the
# bed's 6.1 modules; Debian 13's kernel, headers and compiler are reached by
# the bed itself (a private apt configuration and a debootstrap build root,
# tests/vm/kernels.py), which needs a keyring that knows trixie's keys.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs="build-essential pkg-config libudev-dev libjson-c-dev linux-headers-amd64
linux-source-6.1 kmod systemd udev jq xz-utils dkms clang libclang-rt-14-dev"
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
# An older Debian 12 keyring lacks Debian 13's keys: upgrade it.
[ -f /usr/share/keyrings/debian-archive-trixie-stable.gpg ] ||
	case "$missing" in
	*" debian-archive-keyring"*) ;;
	*) missing="$missing debian-archive-keyring" ;;
	esac

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
# The machine may be shared: wait for another apt/dpkg instead of failing.
lock="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
apt-get $lock update -q
# shellcheck disable=SC2086
apt-get $lock install -y -q --no-install-recommends $missing
