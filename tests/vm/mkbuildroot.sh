#!/bin/bash
# Build a Debian build root (a chroot directory) for one bed kernel.
#
#   mkbuildroot.sh OUTDIR SUITE MIRROR SECURITY-MIRROR KABI PACKAGE-LIST
#
# debootstrap --variant=minbase SUITE with the listed packages (compiler,
# libraries tdxctl links, dkms), then that release's linux-headers-KABI
# (from SUITE or SUITE-security, whichever has it), so out-of-tree modules
# are built with the compiler and headers the kernel KABI was built with.
# The host's apt configuration is not touched: apt runs inside the root.
# OUTDIR is created atomically (built next to it, then renamed); tdxvm.py
# caches it keyed by a hash of this script, the package list and its
# arguments.
set -euo pipefail

out=$1
suite=$2
mirror=$3
secmirror=$4
kabi=$5
pkglist=$6

# shellcheck source=tests/vm/bed-debootstrap.sh
. "$(dirname "$0")/bed-debootstrap.sh"
work=$(mktemp -d "$(dirname "$out")/.buildroot.XXXXXX")
root=$work/root
cleanup() {
	mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
	rm -rf "$work"
}
trap cleanup EXIT

bed_debootstrap mkbuildroot "$root" "$suite" "$mirror" "$pkglist" \
	"$work/debootstrap.log"
t1=$(date +%s)

# The headers of the exact kernel ABI; security updates carry new ABIs.
# linux-headers-KABI depends on that kernel's image (which would pull an
# initramfs generator into the root): install what the headers need to
# work (common headers, kbuild, the compiler) and unpack the headers
# package itself, as the bed does with kernel images.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $secmirror $suite-security main
EOF
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
in_root() {
	chroot "$root" "$@" >>"$work/apt.log" 2>&1 && return 0
	tail -n 30 "$work/apt.log" >&2
	echo "mkbuildroot: $* failed" >&2
	exit 1
}
in_root apt-get update -q
mkdir -p "$root/tmp/hdr"
in_root sh -c "cd /tmp/hdr && apt-get download -q linux-headers-$kabi"
deb=$(ls "$root"/tmp/hdr/*.deb)
# "a (= 1), b | c, d (>= 2)" -> "a=1 b d": exact versions kept, the
# kernel image (and linux-base, its helper) left out.
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//' |
	grep -v -e 'linux-image' -e 'linux-base' |
	sed -e 's/^ *//' -e 's/ *(= *\([^)]*\))/=\1/' -e 's/ *(.*)//' |
	tr '\n' ' ')
echo "linux-headers-$kabi needs: $deps" >>"$work/apt.log"
# shellcheck disable=SC2086
in_root apt-get install -y -q --no-install-recommends $deps
dpkg-deb -x "$deb" "$root"
rm -rf "$root/tmp/hdr"
umount "$root/proc"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
	"$root"/usr/share/man/* "$root"/usr/share/locale/*
t2=$(date +%s)
echo "mkbuildroot: phase headers $((t2 - t1))s (linux-headers-$kabi)"
echo "mkbuildroot: tree $(du -sm "$root" | cut -f1) MiB"

[ -e "$out" ] && { echo "mkbuildroot: $out appeared meanwhile, kept"; exit 0; }
mv "$root" "$out"
