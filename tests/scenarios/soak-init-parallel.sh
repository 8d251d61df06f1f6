#!/bin/bash
# Soak: N parallel "initialize" writes to /sys/firmware/tdx/state, in
# waves that start together. While initializations fail fast (LP.INIT
# refused on CPU 1 until cleared), every write that returns 0 starts one
# initialization and every other one gets EBUSY: writes returning 0 ==
# "initializing" uevents, per wave. Then one wave against a slow
# initialization (TDMR.INIT 10 ms a call): exactly one write starts it,
# N-1 get EBUSY, one TDH.SYS.CONFIG; and a wave once initialized: every
# write succeeds and does nothing (no uevent, no SEAMCALL of CONFIG).
# Figures: "# soak: soak-init-parallel ..." (writes, starts, EBUSY, waves).
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 240
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

SOAK_SCALE=1
N=16				# writers per wave
WAVES=$((4 * SOAK_SCALE))	# fast-failing waves
RUN=$TDXTEST_STATE/initpar
MON=
TDX_RND_NO_ENTROPY=0x8000020300000000

stop_mon() {
	[ -n "$MON" ] && kill "$MON" 2>/dev/null
	wait "$MON" 2>/dev/null
	MON=
}
TAP_CLEANUP=stop_mon

# wave TAG: N writers of "initialize" at once; results in $RUN/TAG.*
# ("ok" or the error), "initializing" uevents in $RUN/TAG.uev
wave() {
	local tag=$1 i pids=()
	rm -f "$RUN/go" "$RUN/$tag".*
	udevadm monitor --kernel --property --subsystem-match=tdx \
		>"$RUN/$tag.uevents" &
	MON=$!
	sleep 1			# listening before anything happens
	for ((i = 0; i < N; i++)); do
		(
			until [ -e "$RUN/go" ]; do sleep 0.01; done
			if err=$(sysfs_write $T/state initialize); then
				echo ok >"$RUN/$tag.$i"
			else
				echo "$err" >"$RUN/$tag.$i"
			fi
		) &
		pids+=($!)
	done
	: >"$RUN/go"
	wait "${pids[@]}"
	wait_for 240 state_settled
	sleep 1			# the last uevents reach the monitor
	stop_mon
	grep -c '^TDX_STATE=initializing$' "$RUN/$tag.uevents" >"$RUN/$tag.uev"
}

# count TAG WHAT: writers of wave TAG whose result was WHAT
count() {
	cat "$RUN/$1".[0-9]* | grep -cx "$2"
}

# other TAG: results of wave TAG that are neither ok nor EBUSY
other() {
	cat "$RUN/$1".[0-9]* | grep -vx -e ok -e 'Device or resource busy' |
		sort | uniq -c
}

mkdir -p "$RUN"
t0=$(ms_now)
tap_cmd "attached, CMR [4G, 8G) added" -- emu_attach 0x100000000-0x1ffffffff
writes=0 starts=0 ebusy=0 right=0

# --- fast-failing waves: each 0 is one initialization -------------------
emu_set fault "leaf=35 status=$TDX_RND_NO_ENTROPY nth=0"
for ((w = 1; w <= WAVES; w++)); do
	wave f$w
	ok=$(count f$w ok)
	busy=$(count f$w 'Device or resource busy')
	uev=$(cat "$RUN/f$w.uev")
	writes=$((writes + N)) starts=$((starts + ok)) ebusy=$((ebusy + busy))
	tap_is "$(other f$w)" "" "wave $w: every write returned 0 or EBUSY" &&
		right=$((right + ok + busy))
	tap_cmd "wave $w: writes returning 0 ($ok) = initializations ($uev), >= 1" -- \
		test "$ok" = "$uev" -a "$ok" -ge 1
	tap_is "$(cat $T/state)" uninitialized "wave $w: back to uninitialized"
done
tap_cmd "error names LP.INIT" -- grep -q 'TDH.SYS.LP.INIT' $T/error
emu_set fault clear
tap_is "$(emu_leaf_stat TDH.SYS.CONFIG calls)" 0 "no TDH.SYS.CONFIG yet"

# --- one slow initialization: exactly one start -----------------------
emu_set tdmr_init_delay_ns 10000000
wave slow
ok=$(count slow ok)
busy=$(count slow 'Device or resource busy')
writes=$((writes + N)) starts=$((starts + ok)) ebusy=$((ebusy + busy))
tap_is "$ok" 1 "slow wave: exactly one write started it" &&
	right=$((right + 1))
tap_is "$busy" $((N - 1)) "slow wave: the other $((N - 1)) got EBUSY" &&
	right=$((right + busy))
tap_is "$(cat "$RUN/slow.uev")" 1 "slow wave: one initializing uevent"
tap_is "$(cat $T/state)" initialized "initialized" || tap_diag "$(cat $T/error)"
emu_set tdmr_init_delay_ns 0
tap_is "$(emu_leaf_stat TDH.SYS.CONFIG calls)" 1 "one TDH.SYS.CONFIG"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"every PAMT byte initialized once"

# --- once initialized: every write succeeds and does nothing -----------
calls=$(emu_leaf_stat TDH.SYS.CONFIG calls)
wave final
ok=$(count final ok)
writes=$((writes + N)) starts=$((starts + $(cat "$RUN/final.uev")))
tap_is "$ok" $N "initialized: all $N writes return 0" && right=$((right + ok))
tap_is "$(cat "$RUN/final.uev")" 0 "initialized: no new initialization"
tap_is "$(emu_leaf_stat TDH.SYS.CONFIG calls)" "$calls" "no SEAMCALL of CONFIG"
tap_is "$(cat $T/state)" initialized "still initialized"
check_pamt_held "after the waves"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
soak_line soak-init-parallel "waves=$((WAVES + 2)) writes=$writes" \
	"initializations=$starts ebusy=$ebusy results_right=$right/$writes" \
	"secs=$((($(ms_now) - t0) / 1000))"
