#!/bin/bash
# kexec after TDX initialization on a CPU without the partial-write erratum
# (Granite Rapids, family 6 model 0xad): caches are flushed on the way out,
# the PAMT needs no reset, and the next kernel finds the module configured.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# cmdline: memmap=2M$0x10000000 tdx_emu.persist=0x10000000
# console-expect: tdx_sys: shutdown: caches flushed on every CPU after the last SEAMCALL
# console-expect: tdx_emu: kexec: 0 CPUs with caches not flushed after the last SEAMCALL; PAMT [0-9]+ KiB, reset 0 KiB \(partial-write erratum: no\)
# timeout: 600
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

stage1() {
	tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
	emu_set cpu_model "6 0xad"
	emu_set attached 1
	tap_is "$(cat $T/partial_write_erratum)" 0 "no erratum (6/0xad)"
	tap_is "$(cat $T/kexec)" safe "kexec safe"
	initialize
	tap_is "$(cat $T/state)" initialized "initialized"
	tap_is "$(cat $T/kdump)" safe "kdump safe without the erratum"
	out=$(vm_kexec)
	tap_fail "kexec into the same kernel" "$out"
}

stage2() {
	tap_ok "booted again by kexec"
	tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
	st=$(cat $EMU/state)
	tap_cmd "previous kernel: safe, no dirty CPU, no PAMT reset needed" -- \
		grep -Eq '^previous_kernel: safe cpus_dirty=0 pamt_bytes=[1-9][0-9]* pamt_reset_bytes=0$' <<<"$st"
	emu_set attached 1
	tap_is "$(cat $T/state)" failed "tdx_sys: failed (found configured)"
	tap_cmd "error says reboot needed" -- grep -q 'found the TDX module already configured.*reboot needed' $T/error
	tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
}

case $(tdx_stage) in
1) stage1 ;;
2) stage2 ;;
esac
