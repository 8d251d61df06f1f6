#!/bin/bash
# Booted with nr_cpus=1 on a two-CPU machine: the BIOS enabled two logical
# CPUs, MCHECK counted both and TDH.SYS.CONFIG needs LP.INIT on both, but
# Linux never brings up the second. TDX is impossible this boot, and
# tdx_sys says why (which CPU, which boot option) before trying.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: nr_cpus=1
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_is "$(nproc --all)" 1 "Linux runs one CPU"
tap_cmd "attached" -- emu_attach
tap_cmd "the emulated platform has the firmware's two CPUs ($(cat $EMU/cpus))" -- \
	grep -Eq '^0-1:0$' $EMU/cpus
tap_is "$(cat $T/cpus)" 1/2 "tdx_sys counts 2 platform CPUs"
initialize
tap_is "$(cat $T/state)" uninitialized "not initialized"
err=$(cat $T/error)
tap_cmd "error: the CPU unknown to Linux, nr_cpus=, reboot ($err)" -- \
	grep -q "1 of the 2 logical CPUs the BIOS enabled are unknown to Linux (APIC ids 1; booted with nr_cpus=.*reboot without such a limit" <<<"$err"
tap_cmd "no TDH.SYS.CONFIG attempted" -- \
	grep -q '^TDH.SYS.CONFIG calls=0 ' $EMU/stats
tap_is "$(cat $T/tdmrs)" "" "no TDMRs"
tap_is "$(pamt_count allocated)" 0 "no PAMT held"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
