#!/bin/bash
# tdx_sys: TDH.SYS.TDMR.INIT spread over both CPUs (tdmr_init_threads
# default) and a non-retryable failure in one of them: one bound thread per
# CPU runs while initializing, the first error is the one reported (one
# TDMR named), the other thread stops at its next call instead of finishing
# its TDMR, both are joined by the end, and the module is left failed with
# its PAMT kept.
# Needs its own boot: it leaves the module configured and failed.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 240
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

NTH=1000

# tdmr_calls: TDH.SYS.TDMR.INIT calls the emulator counted
tdmr_calls() {
	sed -n 's/^TDH\.SYS\.TDMR\.INIT calls=\([0-9]*\).*/\1/p' $EMU/stats
}

# Boot RAM plus [4G, 8G) and [9G, 13G): three TDMRs
tap_cmd "attached, CMRs [4G, 8G) and [9G, 13G) added" -- \
	emu_attach 0x100000000-0x1ffffffff 0x240000000-0x33fffffff
tap_is "$(cat /sys/module/tdx_sys/parameters/tdmr_init_threads)" 0 \
	"tdmr_init_threads default 0 (every CPU)"
tap_is "$(sysfs_write /sys/module/tdx_sys/parameters/tdmr_init_threads x)" \
	"Invalid argument" "tdmr_init_threads: bad value -> EINVAL"
# 5 ms per call, 1024 calls per 4 GiB TDMR: call 1000 fails about 2.5 s
# in, while both threads are still busy with a TDMR of their own
emu_set tdmr_init_delay_ns 5000000
emu_set fault "leaf=36 status=0xC000010000000001 nth=$NTH"
sysfs_write $T/state initialize >/dev/null
tap_is "$(cat $T/state)" initializing "slow TDMR.INIT: initializing"
# scan_threads: the running TDMR.INIT threads' names, in $threads. Bash
# builtins only: both CPUs spin in TDMR.INIT with interrupts off, and on
# the debug kernel a poll that forks (pgrep, sleep) can miss the window.
scan_threads() {
	local c name
	threads=()
	for c in /proc/[0-9]*/comm; do
		read -r name 2>/dev/null <"$c" || continue
		[[ $name =~ ^tdx_tdmr/[0-9]+$ ]] && threads+=("$name")
	done
}
# threads_up: both threads seen, or initialization already over
threads_up() {
	local s
	scan_threads
	read -r s <$T/state
	[ ${#threads[@]} = 2 ] || [ "$s" != initializing ]
}
# The threads start once the PAMT is allocated and the module configured:
# seconds in on the debug kernel
end=$((SECONDS + 60))
until threads_up || [ $SECONDS -ge $end ]; do :; done
tap_is "${#threads[@]}" 2 "one TDMR.INIT thread per CPU: ${threads[*]}"
wait_for 240 state_settled
tap_is "$(cat $T/state)" failed "TDMR.INIT fault: failed"
tap_is "$(pgrep -c '^tdx_tdmr/')" 0 "threads joined"
read -r pdone total <$T/progress
tap_cmd "progress stopped short ($pdone of $total)" -- \
	sh -c "[ $pdone -gt 0 ] && [ $pdone -lt $total ]"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- \
	grep -Eq "^TDMR [0-9]+ \\[0x[0-9a-f]+-0x[0-9a-f]+\\]: TDH\\.SYS\\.TDMR\\.INIT failed: TDX_OPERAND_INVALID.*reboot needed" <<<"$err"
tap_is "$(grep -o 'TDMR [0-9]' <<<"$err" | wc -l)" 1 "one TDMR named: the first error"
calls=$(tdmr_calls)
# Finishing its TDMR would take the other thread hundreds more calls
tap_cmd "other thread stopped at its next call ($calls calls, fault at $NTH)" -- \
	test "$calls" -ge $NTH -a "$calls" -lt $((NTH + 50))
tap_is "$(sed -n 's/^TDH\.SYS\.TDMR\.INIT calls=[0-9]* errors=\([0-9]*\)/\1/p' $EMU/stats)" \
	1 "one TDMR.INIT error in the emulator"

check_failed_after_config
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
