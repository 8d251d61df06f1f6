#!/bin/bash
# After initialization with tdmr_cover=cmrs: the TDMRs cover all convertible
# memory, so a convertible DIMM hot-added later is onlined by udev; a
# non-convertible one is still refused.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

IN=0x100000000
OUT=0x180000000
SIZE=256M

tap_cmd "attached, CMR [4G, 5G) added" -- emu_attach 0x100000000-0x13fffffff
tap_is "$(cat /sys/module/tdx_sys/parameters/tdmr_cover)" cmrs "tdmr_cover=cmrs"
tap_cmd "tdxctl plan uses tdmr_cover=cmrs" -- \
	bash -c "tdxctl plan | grep -q 'cover=cmrs'"
tap_cmd "tdxctl init" -- tdxctl init
tap_cmd "TDX memory includes [4G, 5G)" -- grep -q '^0x100000000-' $T/tdx_memory
id=$(vm_hotadd_dimm $IN $SIZE)
tap_cmd "convertible DIMM added ($id)" -- test -n "$id"
tap_cmd "onlined by udev" -- wait_for 30 all_online $IN $SIZE
tap_is "$(udev_prop "$(block_of $IN)" TDX_REASON)" "inside TDX memory" "udev reason"
id=$(vm_hotadd_dimm $OUT $SIZE)
tap_cmd "non-convertible DIMM added ($id)" -- test -n "$id"
sleep 2
tap_cmd "non-convertible: stays offline" -- none_online $OUT $SIZE
tap_is "$(udev_prop "$(block_of $OUT)" TDX_DECISION)" refuse "udev: refuse"
