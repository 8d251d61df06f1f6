#!/bin/bash
# Hot-add while a slow initialization runs (tdmr_init_delay_ns): the new
# blocks wait (decision "wait", kernel refuses onlining), status stays
# readable, and when initialization ends they are decided: with
# tdmr_cover=cmrs the convertible DIMM is TDX memory and comes online.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 400
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
SIZE=256M

# 8 GiB of CMRs at 4 GiB: with 1 GiB of RAM that is ~2300 TDH.SYS.TDMR.INIT
# calls, at 10 ms each more than 20 s of initialization.
tap_cmd "attached, CMR [4G, 12G) added" -- emu_attach 0x100000000-0x2ffffffff
echo 10000000 >$EMU/tdmr_init_delay_ns
tdxctl init --timeout 300 >/tmp/init.out 2>&1 &
init_pid=$!
tap_cmd "initialization running" -- \
	wait_for 10 bash -c "[ \"\$(cat $T/state)\" = initializing ]"
b=$(block_of $IN)
vm_hotadd_dimm $IN $SIZE >/tmp/hotadd.id 2>&1 &
hotadd_pid=$!
# The blocks must appear (and be decided) while initialization still runs.
tap_cmd "memory$b appears during initialization" -- \
	wait_for 60 test -d /sys/devices/system/memory/memory$b
tap_is "$(cat $T/state)" initializing "still initializing when it appeared"
tap_cmd "udev decided memory$b within 10 s" -- \
	wait_for 10 bash -c "udevadm info -q property -p /devices/system/memory/memory$b | grep -q TDX_DECISION="
tap_is "$(udev_prop "$b" TDX_DECISION)" wait "udev: decision wait"
tap_is "$(cat $T/state)" initializing "still initializing after the decision"
tap_cmd "block offline meanwhile" -- none_online $IN $SIZE
tap_cmd "tdxctl status answers within 5 s during init" -- timeout 5 tdxctl status
tap_cmd "tdxctl check says wait (exit 4)" -- \
	bash -c "tdxctl check memory$b; test \$? = 4"
# A manual online during init waits for it (tdx_sys serializes them) and is
# then decided like any other; it must not hang past the end of init.
(echo online_movable >/sys/devices/system/memory/memory$b/state) 2>/dev/null &
echo_pid=$!
sleep 2
tap_cmd "manual online waits while initializing" -- \
	bash -c "kill -0 $echo_pid && [ \"\$(cat $T/state)\" = initializing ]"
tap_cmd "block still offline meanwhile" -- none_online $IN $SIZE
tap_cmd "tdxctl init finishes" -- wait_for 300 bash -c "! kill -0 $init_pid 2>/dev/null"
wait $init_pid
tap_is "$?" 0 "tdxctl init exit 0"
tap_cmd "the waiting manual online returned" -- \
	wait_for 30 bash -c "! kill -0 $echo_pid 2>/dev/null"
wait $hotadd_pid
tap_cmd "hot-add completed ($(cat /tmp/hotadd.id))" -- test -s /tmp/hotadd.id
tap_cmd "tdxctl init printed progress" -- grep -q "progress: 100%" /tmp/init.out
tap_is "$(cat $T/state)" initialized "initialized"
echo 0 >$EMU/tdmr_init_delay_ns
tap_cmd "waiting DIMM onlined after init (udev change rule)" -- \
	wait_for 30 all_online $IN $SIZE
