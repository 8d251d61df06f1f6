#!/bin/bash
# Transient failures that happen on their own (tdx_emu "transients", at a
# rate per mille) are retried by tdx_sys to a successful end. Two packages.
# Rounds before TDH.SYS.CONFIG: attach (SYS.INIT, LP.INIT under
# rnd_no_entropy and sys_busy), an initialization that does LP.INIT on
# every CPU under the same rates and then fails on an injected CONFIG
# fault (retryable), detach, platform reset. Then one initialization under
# every rate (sys_busy at CONFIG, key_busy and key_generation_failed at
# KEY.CONFIG, tdmr_busy at TDMR.INIT) reaches "initialized". No transient
# status is ever the outcome; the emulator's transient_<kind> counters in
# "state" (docs/ABI/testing/configfs-tdx_emu) count what fired, each a
# failed call in "stats" that tdx_sys retried: the errors in stats equal
# the transients fired plus the injected faults, and a retried call ran
# again: TDMR.INIT calls = successful calls + tdmr_busy.
# vm: mem=1G slots=8 maxmem=16G cpus=4 sockets=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

SOAK_SCALE=1
ROUNDS=$((3 * SOAK_SCALE))
TDX_OPERAND_INVALID=0xC000010000000000
KINDS="rnd_no_entropy key_generation_failed key_busy sys_busy tdmr_busy"
# High enough that transients fire at every leaf that has many calls, low
# enough that 32 failures in a row (tdx_sys's bound) stay out of reach: a
# KEY.CONFIG call fails with 1 - 0.8 * 0.75 * 0.75 = 0.55, 0.55^32 < 1e-8
RATES="rnd_no_entropy=300 key_generation_failed=250 key_busy=250 sys_busy=200 tdmr_busy=200"

# fired KIND: transient_KIND from the emulator's state
fired() {
	sed -n "s/^transient_$1: \([0-9]*\)$/\1/p" $EMU/state
}

fired_all() {
	local k n=0
	for k in $KINDS; do n=$((n + $(fired $k))); done
	echo $n
}

# errors_all: errors of every leaf in stats
errors_all() {
	sed -n 's/^TDH\..* calls=[0-9]* errors=\([0-9]*\)$/\1/p' $EMU/stats |
		awk '{ s += $1 } END { print s + 0 }'
}

t0=$(ms_now)
emu_load
tap_cmd "tdx_emu loaded" -- test -d $EMU
emu_set transients "$RATES"
fired_pre=0 bad=()
for ((r = 1; r <= ROUNDS; r++)); do
	# A platform reset restarts the draw sequence: a seed per round, or
	# every round would replay the first one's transients
	emu_set transients "seed=$((RANDOM * 32768 + RANDOM))"
	tap_diag "round $r: transients: $(cat $EMU/transients)"
	emu_set cmrs default
	f0=$(fired_all) e0=$(errors_all)
	if ! err=$(sysfs_write $EMU/attached 1); then
		bad+=("round $r: attach: $err: $(cat $T/error)")
		break
	fi
	emu_set fault "leaf=45 status=$TDX_OPERAND_INVALID"
	initialize
	st=$(cat $T/state) e=$(cat $T/error)
	# The only failure may be the injected one
	[ "$st" = uninitialized ] && grep -q 'TDH.SYS.CONFIG failed: TDX_OPERAND_INVALID' <<<"$e" ||
		bad+=("round $r: $st: $e")
	grep -q '^lps_initialized: 4/4$' $EMU/state ||
		bad+=("round $r: $(grep lps_initialized $EMU/state)")
	# Errors so far: transients fired + the one injected fault
	f=$(($(fired_all) - f0)) e=$(($(errors_all) - e0))
	[ "$e" = $((f + 1)) ] ||
		bad+=("round $r: stats errors $e != transients $f + 1 fault")
	fired_pre=$((fired_pre + f))
	emu_set fault clear
	emu_set attached 0
	emu_set reset 1
done
tap_is "$(printf '%s\n' "${bad[@]}")" "" \
	"$ROUNDS rounds to CONFIG under transients: only the injected fault failed"
tap_cmd "transients fired before CONFIG: $fired_pre" -- test $fired_pre -gt 0

# The whole initialization under every rate
emu_set cmrs default
dmesg -C
f0=$(fired_all) e0=$(errors_all)
tap_cmd "attached under transients" -- sh -c "echo 1 > $EMU/attached"
initialize
tap_is "$(cat $T/state)" initialized "initialized under transients" ||
	tap_diag "$(cat $T/error)"
tap_is "$(cat $T/error)" "" "no error"
tap_is "$(cat $T/cpus)" 4/4 "LP.INIT on every CPU"
tap_cmd "both packages configured" -- grep -q '^packages_configured: 2/2$' $EMU/state
figures=
for k in $KINDS; do figures+=" $k=$(fired $k)"; done
# Which kinds fire depends on the draws (KEY.CONFIG is called only a few
# times); TDMR.INIT's hundreds of calls make tdmr_busy certain
tap_cmd "transients fired during initialization:$figures" -- \
	test $(($(fired_all) - f0)) -gt 0 -a "$(fired tdmr_busy)" -gt 0
tap_is "$(($(errors_all) - e0))" "$(($(fired_all) - f0))" \
	"every failed call in stats is a transient that fired ($(($(fired_all) - f0)))"
calls=$(emu_leaf_stat TDH.SYS.TDMR.INIT calls)
errs=$(emu_leaf_stat TDH.SYS.TDMR.INIT errors)
tap_is "$errs" "$(fired tdmr_busy)" "TDMR.INIT errors = tdmr_busy fired"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"every PAMT byte initialized once (busy calls made no progress)"
tap_is "$(dmesg | grep 'tdx_sys: .*failed')" "" "no failure logged by tdx_sys"
check_pamt_held "after transients"
emu_set transients off
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
soak_line emu-transients "rounds=$((ROUNDS + 1)) transients_before_config=$fired_pre" \
	"fired:$figures tdmr_init_calls=$calls" \
	"secs=$((($(ms_now) - t0) / 1000))"
