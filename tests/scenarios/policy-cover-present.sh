#!/bin/bash
# After initialization with tdmr_cover=present (the default): a convertible
# DIMM outside TDX memory is refused (the TDMRs cannot grow), and so is a
# non-convertible one.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=present
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

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
