#!/bin/bash
# tdx_sys: a non-retryable TDH.SYS.TDMR.INIT failure part way through a
# slow initialization: progress is published while it runs and stops
# short, the state ends "failed" with the TDMR named in the decoded error,
# the PAMT stays allocated and neither module can be unloaded.
# Needs its own boot: it leaves the module configured and failed.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 240
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

emu_modprobe
emu_platform
emu_set tdmr_init_delay_ns 10000000
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "attached"
# 10 ms per call, 256 calls per GiB: the 200th call fails about 2 s into
# TDMR.INIT, wide enough to look at it running even on the debug kernel
emu_set fault "leaf=36 status=0xC000010000000001 nth=200"
sysfs_write $T/state initialize >/dev/null
# TDMR.INIT publishes its progress once the PAMT is allocated and the
# module configured (seconds on the debug kernel): look then, not after a
# fixed sleep
progress_up() {
	local d t
	read -r d t <$T/progress && [ "$t" != 0 ]
}
wait_for 60 progress_up
read -r st <$T/state
read -r pdone total <$T/progress
tap_is "$st" initializing "slow TDMR.INIT: initializing"
tap_cmd "progress published while running ($pdone of $total)" -- \
	test "$total" -gt 0
wait_for 240 state_settled
tap_is "$(cat $T/state)" failed "TDMR.INIT fault: failed"
read -r pdone total <$T/progress
tap_cmd "progress stopped short ($pdone of $total)" -- \
	sh -c "[ $pdone -gt 0 ] && [ $pdone -lt $total ]"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- \
	grep -Eq "TDMR [0-9]+ \\[0x[0-9a-f]+-0x[0-9a-f]+\\]: TDH\\.SYS\\.TDMR\\.INIT failed: TDX_OPERAND_INVALID.*reboot needed" <<<"$err"

check_failed_after_config
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
