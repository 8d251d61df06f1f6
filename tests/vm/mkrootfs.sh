#!/bin/bash
# Build the guest base root filesystem as a compressed initramfs archive.
#
#   mkrootfs.sh OUT.cpio.zst MIRROR PACKAGE-LIST [RELEASE]
#
# debootstrap --variant=minbase RELEASE (default bookworm; the bed uses
# bookworm for its 6.1 kernel, trixie for 6.12) plus the listed packages,
# trimmed (docs, man pages, locales, apt caches) because the whole tree lives
# in the guest's RAM, then packed as a newc cpio with systemd as /init.  Nothing
# outside the scratch directory next to OUT is touched.  tdxvm.py caches the
# result keyed by a hash of this script, the package list and RELEASE.
set -euo pipefail

out=$1
mirror=$2
pkglist=$3
suite=${4:-bookworm}

# shellcheck source=tests/vm/bed-debootstrap.sh
. "$(dirname "$0")/bed-debootstrap.sh"
work=$(mktemp -d "$(dirname "$out")/rootfs.XXXXXX")
root=$work/root
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

bed_debootstrap mkrootfs "$root" "$suite" "$mirror" "$pkglist" \
	"$work/debootstrap.log"

# --- configure: a throw-away test machine, root without password ---------
echo tdxvm >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 tdxvm\n' >"$root/etc/hosts"
: >"$root/etc/fstab"
# A fixed machine id: an empty one would make systemd treat every boot as
# a first boot (systemd-firstboot prompts on the console).
echo 7464787379732d746573742d766d3031 >"$root/etc/machine-id"
chroot "$root" passwd -d root >/dev/null
# Units that only cost boot time (or would wait for hardware) in the VM.
for u in systemd-firstboot.service systemd-remount-fs.service \
	apt-daily.timer apt-daily-upgrade.timer fstrim.timer \
	e2scrub_all.timer e2scrub_reap.service getty@tty1.service \
	systemd-timesyncd.service systemd-networkd-wait-online.service \
	ndctl-monitor.service daxctl-monitor.service \
	systemd-pcrphase.service systemd-pcrphase-sysinit.service \
	systemd-pcrphase-initrd.service dpkg-db-backup.timer; do
	ln -sf /dev/null "$root/etc/systemd/system/$u"
done
# Interactive boots (tdxvm.py boot) get a root shell on the serial console.
mkdir -p "$root/etc/systemd/system/serial-getty@ttyS0.service.d"
cat >"$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
EOF
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' \
	>"$root/etc/systemd/journald.conf.d/tdxvm.conf"
ln -sf /lib/systemd/systemd "$root/init"

# --- trim ------------------------------------------------------------------
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* \
	"$root"/usr/share/info/* "$root"/usr/share/lintian \
	"$root"/usr/share/locale/* "$root"/usr/share/i18n \
	"$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
	"$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/debootstrap \
	"$root"/usr/share/zsh "$root"/usr/share/bash-completion \
	"$root"/usr/share/common-licenses "$root"/usr/lib/udev/hwdb.bin \
	"$root"/etc/udev/hwdb.bin
echo "mkrootfs: tree $(du -sm "$root" | cut -f1) MiB"

# --- pack ------------------------------------------------------------------
t2=$(date +%s)
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc) | zstd -q -T0 -10 >"$work/rootfs.cpio.zst"
mv "$work/rootfs.cpio.zst" "$out"
t3=$(date +%s)
echo "mkrootfs: phase pack $((t3 - t2))s ($(du -m "$out" | cut -f1) MiB)"
