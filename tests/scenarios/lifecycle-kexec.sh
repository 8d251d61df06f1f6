#!/bin/bash
# kexec after TDX initialization on a partial-write erratum CPU (Sapphire
# Rapids, the emulated platform's default). The module keeps its state
# across kexec (here in reserved memory, as the real one in SEAMRR). On the
# way out tdx_sys makes no SEAMCALL after the reboot notifiers, flushes
# every CPU's caches after the last one and resets the PAMT with MOVDIR64B;
# the next kernel boots clean, and its tdx_sys finds the module configured
# by the previous kernel and says so (failed, reboot needed), never a bare
# I/O error.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# cmdline: memmap=2M$0x10000000 tdx_emu.persist=0x10000000
# console-expect: tdx_sys: shutdown: caches flushed on every CPU after the last SEAMCALL
# console-expect: tdx_sys: PAMT reset to KeyID 0 with MOVDIR64B: [1-9][0-9]* KiB
# console-expect: tdx_emu: kexec: 0 CPUs with caches not flushed after the last SEAMCALL
# timeout: 600
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

stage1() {
	tap_cmd "attached" -- emu_attach
	tap_is "$(cat $T/partial_write_erratum)" 1 "erratum CPU (6/0x8f)"
	tap_is "$(cat $T/kexec)" safe "kexec safe: PAMT reset with MOVDIR64B on the way"
	tap_is "$(cat $T/kdump)" safe "kdump safe before TDH.SYS.CONFIG"
	initialize
	tap_is "$(cat $T/state)" initialized "initialized"
	tap_is "$(cat $T/kdump)" unsafe "kdump unsafe once the module owns PAMT"
	tap_cmd "PAMT private: out of the host's direct map" -- \
		test "$(emu_cpu pamt_private_unmapped)" -gt 0
	tap_is "$(emu_cpu pamt_host_reachable)" 0 "the host cannot reach the PAMT"
	echo "$(cat $T/pamt_kb)" >/var/lib/tdxtest-pamt-kb
	out=$(vm_kexec)
	tap_fail "kexec into the same kernel" "$out"
}

stage2() {
	tap_ok "booted again by kexec"
	tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
	st=$(cat $EMU/state)
	tap_diag "$st"
	tap_cmd "emulator resumed the module (SYS_READY) from reserved memory" -- \
		grep -qz 'resumed: 1.*sys_state: SYS_READY' <<<"$st"
	kb=$(cat /var/lib/tdxtest-pamt-kb)
	tap_cmd "previous kernel: safe: no dirty CPU, all $kb KiB of PAMT reset" -- \
		grep -q "^previous_kernel: safe cpus_dirty=0 pamt_bytes=$((kb * 1024)) pamt_reset_bytes=$((kb * 1024))$" <<<"$st"
	calls=$(grep -E '^TDH.SYS.(CONFIG|TDMR.INIT|KEY.CONFIG) ' $EMU/stats)
	emu_set attached 1
	tap_is "$(cat $T/state)" failed "tdx_sys: failed (found configured)"
	tap_cmd "error: configured by an earlier kernel, ready, reboot needed ($(cat $T/error))" -- \
		grep -q 'found the TDX module already configured (TDH.SYS.CONFIG done by an earlier kernel or driver instance; module ready).*reboot needed' $T/error
	tap_is "$(sysfs_write $T/state initialize)" "Input/output error" \
		"initialize: EIO, reboot needed"
	# One TDMR.INIT with no TDMR (RCX=1) probes readiness, and must fail.
	want=$(awk '/^TDH.SYS.TDMR.INIT / {
			sub("calls=", "", $2); sub("errors=", "", $3)
			$2 = "calls=" $2 + 1; $3 = "errors=" $3 + 1 } 1' <<<"$calls")
	tap_is "$(grep -E '^TDH.SYS.(CONFIG|TDMR.INIT|KEY.CONFIG) ' $EMU/stats)" \
		"$want" "no CONFIG, KEY.CONFIG or TDMR.INIT by this kernel but the failing readiness probe"
	tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
}

case $(tdx_stage) in
1) stage1 ;;
2) stage2 ;;
esac
