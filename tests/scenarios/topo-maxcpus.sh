#!/bin/bash
# Booted with maxcpus=1: the second CPU is present but offline. TDX needs
# LP.INIT on it, so initialization names it and says how to bring it
# online; once it is online, initialization succeeds. A package whose CPUs
# Linux does not run shows as a mismatch with the module's NUM_PKGS,
# caught before TDH.SYS.CONFIG.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: maxcpus=1
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_is "$(cat /sys/devices/system/cpu/online)" 0 "only CPU 0 online"
tap_is "$(cat /sys/devices/system/cpu/present)" 0-1 "CPU 1 present"

# A platform whose second CPU sits in another package than CPUID says:
# the module counts 2 packages, Linux runs platform CPUs in 1
tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
emu_set cpus "0:0,1:1"
emu_set attached 1
echo 1 >/sys/devices/system/cpu/cpu1/online
initialize
tap_is "$(cat $T/state)" uninitialized "package mismatch: not initialized"
err=$(cat $T/error)
tap_cmd "error: package count mismatch ($err)" -- \
	grep -q 'package count mismatch: the TDX module counts 2 packages (NUM_PKGS), the platform CPUs Linux runs are in 1 (package 0)' <<<"$err"
tap_cmd "caught before TDH.SYS.CONFIG" -- \
	grep -q '^TDH.SYS.CONFIG calls=0 ' $EMU/stats
tap_is "$(pamt_count allocated)" 0 "no PAMT held"
echo 0 >/sys/devices/system/cpu/cpu1/online
emu_fresh
emu_set cpus default
emu_set attached 1

initialize
tap_is "$(cat $T/state)" uninitialized "CPU 1 offline: not initialized"
err=$(cat $T/error)
tap_cmd "error names CPU 1, maxcpus= and how to online it ($err)" -- \
	grep -q 'CPU 1 offline (maxcpus=.*echo 1 > /sys/devices/system/cpu/cpuN/online' <<<"$err"
tap_cmd "no TDH.SYS.CONFIG attempted" -- \
	grep -q '^TDH.SYS.CONFIG calls=0 ' $EMU/stats
tap_cmd "CPU 1 online" -- sh -c "echo 1 > /sys/devices/system/cpu/cpu1/online"
initialize
tap_is "$(cat $T/state)" initialized "initialized once CPU 1 is online"
tap_is "$(cat $T/cpus)" 2/2 "LP.INIT on both CPUs"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
