#!/bin/bash
# tdx_sys: a non-retryable TDH.SYS.KEY.CONFIG failure, after CONFIG
# succeeded: state "failed", decoded error ending in "reboot needed",
# further "initialize" writes fail with EIO, the PAMT stays allocated and
# neither module can be unloaded.
# Needs its own boot: it leaves the module configured and failed.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 240
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

emu_modprobe
emu_platform
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "attached"
emu_set fault "leaf=31 status=0xC000092100000000 nth=1"
initialize
tap_is "$(cat $T/state)" failed "KEY.CONFIG fault after CONFIG: failed"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- \
	grep -Eq "TDH\.SYS\.KEY\.CONFIG failed: TDX_INCORRECT_MSR_VALUE.*reboot needed" <<<"$err"
tap_cmd "emulator configured, not ready" -- \
	grep -Eiq 'sys_state: .*config.done' $EMU/state

check_failed_after_config
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
