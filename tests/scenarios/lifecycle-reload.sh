#!/bin/bash
# The module's state outlives its host driver. tdx_sys and tdx_emu are
# unloaded after an initialization that failed past TDH.SYS.INIT (LP.INIT
# failed on a CPU) and loaded again: the emulated module comes back as it
# was (kept in reserved memory, as the real one in SEAMRR), tdx_sys finds
# SYS.INIT done and LP.INIT done where it was, says so, and continues to a
# complete initialization.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: memmap=2M$0x10000000 tdx_emu.persist=0x10000000
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "attached" -- emu_attach
emu_set fault "leaf=35 status=0x8000020300000000 nth=0"
initialize
tap_is "$(cat $T/state)" uninitialized "LP.INIT failed: uninitialized"
emu_set fault clear
tap_cmd "emulator past SYS.INIT, LP.INIT on one CPU" -- \
	grep -qz 'sys_state: SYSINIT_DONE.lps_initialized: 1/2' $EMU/state
emu_set attached 0
tap_cmd "rmmod tdx_emu tdx_sys" -- rmmod tdx_emu tdx_sys
tap_cmd "modprobe tdx_sys, tdx_emu" -- emu_load
st=$(cat $EMU/state)
tap_cmd "the module came back as it was" -- \
	grep -qz 'resumed: 1.sys_state: SYSINIT_DONE.lps_initialized: 1/2' <<<"$st"
dmesg -C
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "tdx_sys continues: uninitialized"
tap_cmd "logged: SYS.INIT already done by an earlier instance" -- \
	sh -c "dmesg | grep -q 'tdx_sys: TDH.SYS.INIT was already done, by an earlier kernel or driver instance'"
tap_is "$(cat $T/error)" "" "no error"
initialize
tap_is "$(cat $T/state)" initialized "initialization completes"
tap_is "$(cat $T/cpus)" 2/2 "LP.INIT on both CPUs"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
