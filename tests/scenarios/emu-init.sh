#!/bin/bash
# Full initialization through tdx_sys against tdx_emu: the emulated module
# reaches SYS_READY, every PAMT byte TDH.SYS.TDMR.INIT wrote is intact,
# detach and rmmod are refused afterwards. Also a 1.0 module and a fault
# that the host is expected to retry.
# vm: mem=2G cpus=2
# timeout: 240
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

configfs_mount
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu

# A 1.0 module: TDH.SYS.RD before ready gives TDX_SYS_NOT_READY, and Linux
# needs 1.5 or later: attaching is refused, the error says update
echo 1.0.0 >$EMU/version
tap_cmd "1.0: attach refused" -- sh -c "! echo 1 > $EMU/attached 2>/dev/null"
tap_cmd "1.0: TDH.SYS.RD refused before ready (errors counted)" -- \
	grep -q '^TDH.SYS.RD calls=[0-9]* errors=[1-9]' $EMU/stats
tap_is "$(cat $T/state)" unsupported "1.0: tdx_sys unsupported"
tap_cmd "1.0: error says too old, update ($(cat $T/error))" -- \
	grep -q 'TDX module 1.0 too old.*update the TDX module' $T/error
tap_is "$(cat $EMU/attached)" 0 "not attached after the 1.0 probe"
echo 1 >$EMU/reset

# A 1.5 module without NO_RBP_MOD (TDX_FEATURES0 bit 18)
echo 1.5.0 >$EMU/version
f0=$(cat $EMU/features0)
echo $((f0 & ~(1 << 18))) >$EMU/features0
tap_cmd "no NO_RBP_MOD: attach refused" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
tap_cmd "no NO_RBP_MOD: error names it ($(cat $T/error))" -- \
	grep -q 'lacks NO_RBP_MOD, bit 18.*update the TDX module' $T/error
echo 1 >$EMU/reset
echo "$f0" >$EMU/features0

# One RND_NO_ENTROPY on SYS.INIT: the host retries
echo "leaf=33 status=0x8000020300000000 nth=1" >$EMU/fault
tap_cmd "attach (SYS.INIT retried after RND_NO_ENTROPY)" -- \
	sh -c "echo 1 > $EMU/attached"
tap_cmd "the fault fired" -- grep -q '^faults_fired=1$' $EMU/stats
tap_is "$(cat $EMU/fault)" "" "one-shot fault consumed"
echo 3000 >$EMU/tdmr_init_delay_ns

tap_cmd "initialize" -- sh -c "echo initialize > $T/state"
wait_for 120 sh -c "grep -qx 'initialized\|failed' $T/state"
tap_is "$(cat $T/state)" initialized "tdx_sys: initialized"
[ "$(cat $T/state)" = initialized ] || tap_diag "$(cat $T/error)"

st=$(cat $EMU/state)
tap_cmd "emulator: SYS_READY" -- grep -q '^sys_state: SYS_READY$' <<<"$st"
n=$(sed -n 's/^tdmrs_initialized: \([0-9]*\)\/\([0-9]*\)$/\1 \2/p' <<<"$st")
read -r ndone total <<<"$n"
tap_cmd "every TDMR initialized ($ndone/$total)" -- \
	test -n "$total" -a "$total" -gt 0 -a "$ndone" = "$total"
s=$(cat $EMU/stats)
init=$(sed -n 's/^pamt_bytes_initialized=//p' <<<"$s")
exp=$(sed -n 's/^pamt_bytes_expected=//p' <<<"$s")
tap_cmd "PAMT bytes initialized == expected ($init)" -- \
	test -n "$init" -a "$init" -gt 0 -a "$init" = "$exp"
tap_cmd "verify: no corrupted PAMT entry" -- \
	grep -q '^verify: .* corrupted=0 .* ok$' <<<"$s"
tap_cmd "no TDMR.INIT error" -- \
	grep -q '^TDH.SYS.TDMR.INIT calls=[1-9][0-9]* errors=0$' <<<"$s"
tap_cmd "KEY.CONFIG called" -- grep -q '^TDH.SYS.KEY.CONFIG calls=[1-9]' <<<"$s"

tap_cmd "detach refused once configured" -- \
	sh -c "! echo 0 > $EMU/attached"
tap_is "$(cat $EMU/attached)" 1 "still attached"
tap_cmd "rmmod tdx_emu refused while configured" -- sh -c "! rmmod tdx_emu"
