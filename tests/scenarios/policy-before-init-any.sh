#!/bin/bash
# Policy before initialization, upstream's way (tdx_sys.before_init=any):
# memory outside the CMRs may be onlined until TDX initialization, which
# then fails naming it, retryably; once it is offline again initialization
# succeeds, and afterwards only TDX memory may come online. The default
# (cmrs) refuses it up front: policy-before-init.sh.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.before_init=any
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

OUT=0x180000000		# 6 GiB: outside every CMR
SIZE=256M
P=/sys/module/tdx_sys/parameters/before_init

tap_cmd "attached" -- emu_attach
tap_is "$(cat $P)" any "before_init=any from the command line"
tap_is "$(sysfs_write $P sometimes)" "Invalid argument" "before_init: bad value -> EINVAL"
tap_is "$(cat $P)" any "unchanged"
id=$(vm_hotadd_dimm $OUT $SIZE)
tap_cmd "non-convertible DIMM hot-added ($id)" -- test -n "$id"
ok=1
for b in $(blocks $OUT $SIZE); do
	[ "$(mem_block_state "$b")" = online ] && continue
	err=$(sysfs_write /sys/devices/system/memory/memory$b/state online_movable) ||
		{ ok=0; tap_diag "memory$b: $err"; }
done
tap_is "$ok" 1 "the kernel lets it online before initialization"
tap_cmd "it is online" -- all_online $OUT $SIZE
tap_cmd "nonconvertible_online lists it" -- \
	grep -q '^0x180000000-0x18fffffff$' $T/nonconvertible_online

initialize
tap_is "$(cat $T/state)" uninitialized "initialization fails, retryably"
# udev's "tdxctl online --pending" on that state change onlines what
# before_init=any allows: let it finish before offlining
udevadm settle -t 30
tap_cmd "error names the range and before_init=any ($(cat $T/error))" -- \
	grep -q 'outside convertible memory (CMRs) is online: 0x180000000-0x18fffffff.*before_init=any' $T/error
for b in $(blocks $OUT $SIZE); do
	echo offline >/sys/devices/system/memory/memory$b/state
done
tap_cmd "offlined again" -- none_online $OUT $SIZE
tap_is "$(cat $T/nonconvertible_online)" "" "nonconvertible_online is empty again"
initialize
tap_is "$(cat $T/state)" initialized "initialized once it is offline"
b=$(block_of $OUT)
tap_is "$(sysfs_write /sys/devices/system/memory/memory$b/state online_movable)" \
	"Operation not permitted" "after initialization: outside TDX memory is refused"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
