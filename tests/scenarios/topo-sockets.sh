#!/bin/bash
# Two sockets: the emulated platform takes its CPUs from the ACPI MADT and
# their packages from the x2APIC ids CPUID reports, as MCHECK does; the
# module counts two packages (NUM_PKGS), tdx_sys runs TDH.SYS.KEY.CONFIG
# once on a CPU of each, and initialization completes.
# vm: mem=2G slots=8 maxmem=16G cpus=4 sockets=2
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

pkgs=$(cat /sys/devices/system/cpu/cpu*/topology/physical_package_id | sort -u | wc -l)
tap_is "$pkgs" 2 "Linux sees two packages"
tap_cmd "attached" -- emu_attach
lps=$(cat $EMU/cpus)
tap_diag "emulated platform CPUs (APIC:package): $lps"
tap_cmd "the emulator's CPUs span packages 0 and 1" -- \
	sh -c "echo '$lps' | grep -q ':0' && echo '$lps' | grep -q ':1'"
tap_is "$(cat $T/cpus)" 1/4 "4 platform CPUs, LP.INIT on the probing one"
initialize
tap_is "$(cat $T/state)" initialized "initialized on two sockets"
tap_is "$(cat $T/error)" "" "no error"
tap_is "$(cat $T/cpus)" 4/4 "LP.INIT on all 4 CPUs"
tap_cmd "emulator: 2/2 packages configured" -- \
	grep -q '^packages_configured: 2/2$' $EMU/state
tap_cmd "emulator: SYS_READY" -- grep -q '^sys_state: SYS_READY$' $EMU/state
tap_cmd "KEY.CONFIG: exactly 2 successful calls" -- \
	grep -q '^TDH.SYS.KEY.CONFIG calls=2 errors=0$' $EMU/stats
tap_cmd "tdx_sys logged KEY.CONFIG on 2 packages" -- \
	sh -c "dmesg | grep -q 'tdx_sys: TDH.SYS.KEY.CONFIG done on 2 packages'"
tap_is "$(emu_cpu key_config_unflushed)" 0 "every CPU flushed its caches before KEY.CONFIG"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
