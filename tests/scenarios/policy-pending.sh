#!/bin/bash
# Memory hot-added before tdx_sys is loaded stays offline (no opinion:
# "none"), and is decided when TDX becomes known: loading tdx_sys alone
# (unsupported) changes nothing, attaching the platform (uninitialized)
# onlines the convertible DIMM and leaves the other one offline.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

IN=0x100000000
OUT=0x180000000
SIZE=256M

tap_cmd "tdx_sys not loaded at boot" -- test ! -d $T
cmrs=$(boot_ram_cmrs)
id1=$(vm_hotadd_dimm $IN $SIZE)
id2=$(vm_hotadd_dimm $OUT $SIZE)
tap_cmd "two DIMMs added ($id1, $id2)" -- test -n "$id1" -a -n "$id2"
sleep 2
both_offline() {
	none_online $IN $SIZE && none_online $OUT $SIZE
}
tap_cmd "both offline" -- both_offline
b1=$(block_of $IN)
b2=$(block_of $OUT)
tap_is "$(udev_prop "$b1" TDX_DECISION)" none "udev: none before tdx_sys"
tap_is "$(udev_prop "$b1" TDX_REASON)" "tdx_sys not loaded" "udev: reason"
tdxctl check memory$b1 >/dev/null
tap_is "$?" 3 "tdxctl check exits 3 (no opinion)"

tap_cmd "modprobe tdx_sys" -- modprobe tdx_sys
udevadm settle -t 30
tap_is "$(cat $T/state)" unsupported "no platform yet: unsupported"
tap_cmd "still offline" -- none_online $IN $SIZE

configfs_mount
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
cmr_list "$cmrs" 0x100000000-0x13fffffff >$EMU/cmrs
tap_cmd "attach the platform" -- bash -c "echo 1 > $EMU/attached"
tap_is "$(cat $T/state)" uninitialized "uninitialized"
tap_cmd "pending convertible DIMM onlined" -- wait_for 30 all_online $IN $SIZE
tap_cmd "non-convertible DIMM still offline" -- none_online $OUT $SIZE
tap_cmd "tdxctl check refuses it" -- bash -c "! tdxctl check memory$b2"
