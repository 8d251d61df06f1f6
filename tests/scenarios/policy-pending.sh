#!/bin/bash
# Memory hot-added before tdx_sys is loaded stays offline (no opinion:
# "none"), and is decided when TDX becomes known: loading tdx_sys alone
# (unsupported) changes nothing, attaching the platform (uninitialized)
# onlines the convertible DIMM and leaves the other one offline.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

T=/sys/firmware/tdx
EMU=/sys/kernel/config/tdx_emu
GIB=$((1 << 30))

# Boot RAM below 4 GiB (hot-added DIMMs go above) as 4 KiB-aligned
# inclusive CMR lines, touching ranges merged.
boot_ram_cmrs() {
	awk -F'[- :]+' '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ {
		print $1, $2 }' /proc/iomem |
	while read -r s e; do
		s=$(((0x$s + 0xfff) & ~0xfff))
		e=$((((0x$e + 1) & ~0xfff) - 1))
		[ $s -lt $e ] && [ $e -lt $((4 * GIB)) ] && echo "$s $e"
	done | awk 'NR > 1 && $1 == pe + 1 { pe = $2; next }
		    NR > 1 { print ps, pe } { ps = $1; pe = $2 }
		    END { if (NR) print ps, pe }' |
	while read -r s e; do printf '0x%x-0x%x\n' "$s" "$e"; done
}

# emu_attach EXTRA_CMRS...: tdx_sys + tdx_emu with boot RAM plus the given
# inclusive ranges as CMRs, attached (state uninitialized).
emu_attach() {
	local cmrs
	cmrs="$(boot_ram_cmrs)"
	[ $# -gt 0 ] && cmrs+=$'\n'$(printf '%s\n' "$@")
	modprobe tdx_sys || return 1
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
	modprobe tdx_emu || return 1
	# One write, comma-separated: each write replaces the whole list.
	echo $cmrs | tr ' ' , >$EMU/cmrs || return 1
	echo 1 >$EMU/attached || return 1
	udevadm settle -t 30
	[ "$(cat $T/state)" = uninitialized ]
}

# udev_prop N KEY: a property udev recorded for memoryN
udev_prop() {
	udevadm info -q property -p "/devices/system/memory/memory$1" |
		sed -n "s/^$2=//p"
}

block_online() {
	[ "$(mem_block_state "$1")" = online ]
}

# blocks ADDR SIZE: the block numbers of a DIMM
blocks() {
	local bs first n
	bs=$(mem_block_size)
	first=$(($1 / bs))
	n=$(($(size_bytes "$2") / bs))
	seq "$first" $((first + n - 1))
}

all_online() {		# ADDR SIZE
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" || return 1; done
}

none_online() {		# ADDR SIZE
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" && return 1; done
	return 0
}

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

mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
echo $cmrs 0x100000000-0x13fffffff | tr ' ' , >$EMU/cmrs
tap_cmd "attach the platform" -- bash -c "echo 1 > $EMU/attached"
tap_is "$(cat $T/state)" uninitialized "uninitialized"
tap_cmd "pending convertible DIMM onlined" -- wait_for 30 all_online $IN $SIZE
tap_cmd "non-convertible DIMM still offline" -- none_online $OUT $SIZE
tap_cmd "tdxctl check refuses it" -- bash -c "! tdxctl check memory$b2"
