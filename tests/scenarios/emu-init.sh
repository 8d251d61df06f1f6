#!/bin/bash
# Full initialization through tdx_sys against tdx_emu: the emulated module
# reaches SYS_READY, every PAMT byte TDH.SYS.TDMR.INIT wrote is intact,
# detach and rmmod are refused afterwards. Also a 1.0 module and a fault
# that the host is expected to retry.
# vm: mem=2G cpus=2
# timeout: 240
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

E=/sys/kernel/config/tdx_emu
T=/sys/firmware/tdx

mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu

# A 1.0 module: TDH.SYS.RD before ready gives TDX_SYS_NOT_READY
echo 1.0.0 >$E/version
echo 1 >$E/attached 2>/dev/null
tap_cmd "1.0: TDH.SYS.RD refused before ready (errors counted)" -- \
	grep -q '^TDH.SYS.RD calls=[0-9]* errors=[1-9]' $E/stats
tap_diag "tdx_sys with a 1.0 module: state=$(cat $T/state 2>/dev/null) error=$(cat $T/error 2>/dev/null)"
echo 0 >$E/attached 2>/dev/null
echo 1.5.0 >$E/version
tap_is "$(cat $E/attached)" 0 "detached after the 1.0 probe"

# One RND_NO_ENTROPY on SYS.INIT: the host retries
echo "leaf=33 status=0x8000020300000000 nth=1" >$E/fault
tap_cmd "attach (SYS.INIT retried after RND_NO_ENTROPY)" -- \
	sh -c "echo 1 > $E/attached"
tap_cmd "the fault fired" -- grep -q '^faults_fired=1$' $E/stats
tap_is "$(cat $E/fault)" "" "one-shot fault consumed"
echo 3000 >$E/tdmr_init_delay_ns

tap_cmd "initialize" -- sh -c "echo initialize > $T/state"
wait_for 120 sh -c "grep -qx 'initialized\|failed' $T/state"
tap_is "$(cat $T/state)" initialized "tdx_sys: initialized"
[ "$(cat $T/state)" = initialized ] || tap_diag "$(cat $T/error)"

st=$(cat $E/state)
tap_cmd "emulator: SYS_READY" -- grep -q '^sys_state: SYS_READY$' <<<"$st"
n=$(sed -n 's/^tdmrs_initialized: \([0-9]*\)\/\([0-9]*\)$/\1 \2/p' <<<"$st")
read -r ndone total <<<"$n"
tap_cmd "every TDMR initialized ($ndone/$total)" -- \
	test -n "$total" -a "$total" -gt 0 -a "$ndone" = "$total"
s=$(cat $E/stats)
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
	sh -c "! echo 0 > $E/attached"
tap_is "$(cat $E/attached)" 1 "still attached"
tap_cmd "rmmod tdx_emu refused while configured" -- sh -c "! rmmod tdx_emu"
