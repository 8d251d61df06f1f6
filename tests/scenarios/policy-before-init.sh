#!/bin/bash
# Policy before TDX initialization: a DIMM inside a CMR is onlined by the
# udev rule into ZONE_MOVABLE; a DIMM outside the CMRs stays offline, and
# udevadm info, tdxctl check and the kernel log say why; writing "online"
# and chmem -e both fail.
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

IN=0x100000000		# 4 GiB: inside the extra CMR
OUT=0x180000000		# 6 GiB: outside every CMR
SIZE=256M

tap_cmd "tdx_sys + tdx_emu attached, CMR [4G, 5G) added" -- \
	emu_attach 0x100000000-0x13fffffff
tap_cmd "udev rule installed" -- \
	test -f /lib/udev/rules.d/80-tdx-memory.rules -o \
	-f /usr/lib/udev/rules.d/80-tdx-memory.rules
tap_is "$(cat /sys/devices/system/memory/auto_online_blocks)" offline \
	"kernel auto-online is off (udev decides)"

id=$(vm_hotadd_dimm $IN $SIZE)
tap_cmd "convertible DIMM hot-added ($id)" -- test -n "$id"
tap_cmd "its blocks come online (udev)" -- wait_for 30 all_online $IN $SIZE
for b in $(blocks $IN $SIZE); do
	tap_is "$(cat /sys/devices/system/memory/memory$b/valid_zones)" \
		Movable "memory$b is in ZONE_MOVABLE"
	tap_is "$(udev_prop "$b" TDX_DECISION)" online \
		"udevadm info: memory$b TDX_DECISION=online"
	tap_is "$(udev_prop "$b" TDX_ONLINE_TYPE)" online_movable \
		"udevadm info: memory$b TDX_ONLINE_TYPE=online_movable"
done

id=$(vm_hotadd_dimm $OUT $SIZE)
tap_cmd "non-convertible DIMM hot-added ($id)" -- test -n "$id"
sleep 2
tap_cmd "its blocks stay offline" -- none_online $OUT $SIZE
b=$(block_of $OUT)
tap_is "$(udev_prop "$b" TDX_DECISION)" refuse \
	"udevadm info: memory$b TDX_DECISION=refuse"
reason=$(udev_prop "$b" TDX_REASON)
tap_cmd "udevadm info: reason '$reason' says outside the CMRs" -- \
	grep -q "outside convertible memory" <<<"$reason"
tap_is "$(udev_prop "$b" TDX_RANGE)" "0x180000000-0x187ffffff" \
	"udevadm info: memory$b TDX_RANGE"
out=$(tdxctl check memory$b)
rc=$?
tap_is "$rc" 1 "tdxctl check memory$b exits 1 (refuse)"
tap_cmd "tdxctl check says why: $out" -- grep -q "refuse: outside convertible" <<<"$out"

dmesg -c >/dev/null
err=$( (echo online >/sys/devices/system/memory/memory$b/state) 2>&1)
tap_cmd "echo online > memory$b/state fails (${err##*: })" -- \
	test "$(mem_block_state "$b")" = offline -a -n "$err"
tap_cmd "chmem -e fails" -- bash -c "! chmem -e -b $b-$b"
tap_cmd "still offline" -- none_online $OUT $SIZE
log=$(dmesg)
tap_cmd "kernel log names the range" -- \
	grep -q "refusing to online \[mem 0x180000000-0x187ffffff\]: outside convertible" <<<"$log"
tap_cmd "tdxctl lsmem shows the refusal" -- \
	bash -c "tdxctl lsmem | grep -E '^0x0*180000000-.* offline .* no +- +refuse'"
