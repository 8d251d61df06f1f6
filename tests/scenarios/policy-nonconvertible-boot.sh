#!/bin/bash
# Boot memory online outside the CMRs (the emulated platform leaves out the
# top 128 MiB of boot RAM) blocks initialization, and the error lists the
# ranges; tdxctl status and plan show them too.
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

# Boot RAM minus its last 128 MiB as CMRs.
cmrs=$(boot_ram_cmrs)
last=$(tail -n 1 <<<"$cmrs")
s=${last%-*}
e=${last#*-}
cut=$((e - (128 << 20)))
hole=$(printf '0x%x-0x%x' $((cut + 1)) $((e)))
cmrs=$(sed '$d' <<<"$cmrs"; printf '0x%x-0x%x\n' $((s)) $cut)
tap_diag "CMRs leave out $hole"
modprobe tdx_sys
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
modprobe tdx_emu
echo $cmrs | tr ' ' , >$EMU/cmrs
tap_cmd "attached" -- bash -c "echo 1 > $EMU/attached"
tap_cmd "nonconvertible_online lists the hole" -- \
	grep -q "^$hole\$" $T/nonconvertible_online
out=$(tdxctl init 2>&1)
rc=$?
tap_is "$rc" 1 "tdxctl init fails"
tap_cmd "error lists $hole: $out" -- grep -q "$hole" <<<"$out"
tap_is "$(cat $T/state)" uninitialized "retryable"
tap_cmd "tdxctl status shows it" -- \
	bash -c "tdxctl status --json | jq -e --arg h '${hole%-*}' '.nonconvertible_online[0].start == \$h'"
tap_cmd "tdxctl plan fails naming it" -- \
	bash -c "tdxctl plan 2>&1 >/dev/null | grep -q 'outside the CMRs'; tdxctl plan >/dev/null 2>&1; test \$? = 1"
