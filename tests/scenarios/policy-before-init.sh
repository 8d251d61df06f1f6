#!/bin/bash
# Policy before TDX initialization: a DIMM inside a CMR is onlined by the
# udev rule into ZONE_MOVABLE; a DIMM outside the CMRs stays offline, and
# udevadm info, tdxctl check and the kernel log say why; writing "online"
# and chmem -e both fail.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

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
