#!/bin/bash
# CPUs: with a platform CPU offline initialization fails retryably and the
# error names it; online again, init succeeds; after init, offlining and
# onlining a CPU breaks nothing; a vCPU hot-added after attach is reported
# as not a platform CPU and TDX keeps working.
# vm: mem=1G slots=8 maxmem=16G cpus=2 maxcpus=4
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

CPU1=/sys/devices/system/cpu/cpu1/online

tap_cmd "attached" -- emu_attach
tap_is "$(cat $T/cpus)" "1/2" "one platform CPU initialized at attach" ||
	tap_diag "cpus: $(cat $T/cpus)"
tap_cmd "offline CPU 1" -- bash -c "echo 0 > $CPU1"
out=$(tdxctl init 2>&1)
rc=$?
tap_is "$rc" 1 "tdxctl init fails"
tap_cmd "error names CPU 1: $out" -- grep -qi "cpu 1" <<<"$out"
tap_is "$(cat $T/state)" uninitialized "retryable: uninitialized"
tap_cmd "online CPU 1" -- bash -c "echo 1 > $CPU1"
tap_cmd "tdxctl init succeeds" -- tdxctl init
tap_is "$(cat $T/cpus)" "2/2" "2/2 platform CPUs"
tap_cmd "offline CPU 1 after init" -- bash -c "echo 0 > $CPU1"
tap_cmd "online CPU 1 after init" -- bash -c "echo 1 > $CPU1"
tap_is "$(cat $T/state)" initialized "still initialized"
dmesg -c >/dev/null
read -r id cpu <<<"$(vm_hotadd_cpu)"
tap_cmd "vCPU hot-added ($id, cpu$cpu)" -- test -n "$cpu"
[ -e /sys/devices/system/cpu/cpu$cpu/online ] &&
	[ "$(cat /sys/devices/system/cpu/cpu$cpu/online)" = 0 ] &&
	echo 1 >/sys/devices/system/cpu/cpu$cpu/online
tap_cmd "cpu$cpu online" -- \
	wait_for 10 bash -c "[ \"\$(cat /sys/devices/system/cpu/cpu$cpu/online 2>/dev/null || echo 1)\" = 1 ]"
tap_cmd "kernel reports cpu$cpu as not a platform CPU" -- \
	wait_for 10 bash -c "dmesg | grep -q 'CPU $cpu is not one of the TDX platform'"
tap_is "$(cat $T/state)" initialized "TDX still initialized"
tap_is "$(cat $T/cpus)" "2/2" "platform CPUs unchanged"
tap_cmd "tdxctl status works" -- tdxctl status
