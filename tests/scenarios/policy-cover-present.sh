#!/bin/bash
# After initialization with tdmr_cover=present (the default): a convertible
# DIMM outside TDX memory is refused (the TDMRs cannot grow), and so is a
# non-convertible one.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=present
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

tap_cmd "attached, CMR [4G, 5G) added" -- emu_attach 0x100000000-0x13fffffff
tap_is "$(cat /sys/module/tdx_sys/parameters/tdmr_cover)" present "tdmr_cover=present"
tap_cmd "tdxctl init" -- tdxctl init
tap_cmd "TDX memory ends below 4 GiB" -- \
	bash -c "! grep -q '^0x1[0-9a-f]\{8\}-' $T/tdx_memory"
id=$(vm_hotadd_dimm $IN $SIZE)
tap_cmd "convertible DIMM added ($id)" -- test -n "$id"
sleep 2
tap_cmd "convertible but not TDX memory: stays offline" -- none_online $IN $SIZE
b=$(block_of $IN)
tap_is "$(udev_prop "$b" TDX_DECISION)" refuse "udev: refuse"
tap_cmd "reason names tdmr_cover=present" -- \
	grep -q "tdmr_cover=present" <<<"$(udev_prop "$b" TDX_REASON)"
tap_cmd "tdxctl online memory$b refuses (exit 1)" -- bash -c "! tdxctl online memory$b"
tap_cmd "kernel refuses echo online" -- \
	bash -c "! echo online > /sys/devices/system/memory/memory$b/state"
id=$(vm_hotadd_dimm $OUT $SIZE)
tap_cmd "non-convertible DIMM added ($id)" -- test -n "$id"
sleep 2
tap_cmd "non-convertible: stays offline" -- none_online $OUT $SIZE
tap_cmd "reason: outside CMRs" -- \
	grep -q "outside convertible" <<<"$(udev_prop "$(block_of $OUT)" TDX_REASON)"
tap_cmd "tdxctl online --pending leaves both offline, exit 0" -- tdxctl online --pending
tap_cmd "still offline" -- none_online $IN $SIZE
