#!/bin/bash
# An orderly reboot after TDX initialization (QEMU exits on it): on the way
# out tdx_sys makes no SEAMCALL after the reboot notifiers, flushes every
# CPU's caches after the last one and, on this partial-write erratum CPU,
# resets the PAMT with MOVDIR64B; the emulator checks all of it last.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# console-expect: tdx_sys: shutdown: caches flushed on every CPU after the last SEAMCALL
# console-expect: tdx_sys: PAMT reset to KeyID 0 with MOVDIR64B: [1-9][0-9]* KiB
# console-expect: tdx_emu: reboot: 0 CPUs with caches not flushed after the last SEAMCALL; PAMT ([0-9]+) KiB, reset \1 KiB \(partial-write erratum: yes\)
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "attached" -- emu_attach
initialize
tap_is "$(cat $T/state)" initialized "initialized"
tap_cmd "caches dirty on a CPU that ran SEAMCALLs" -- \
	test "$(emu_cpu cpus_dirty)" -gt 0
tap_is "$(emu_cpu key_config_unflushed)" 0 "every CPU flushed before KEY.CONFIG"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
vm_reboot_after
