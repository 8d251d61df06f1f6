#!/bin/bash
# Soak: CPU offline/online loops on every CPU but CPU 0, on two packages,
# while initializations run and after. Initialization holds CPU hotplug
# off (cpus_read_lock) for its whole run, so a toggle that comes during it
# waits and completes after it; one that lands before it leaves a platform
# CPU offline, and that attempt fails retryably ("uninitialized", the error
# names the CPU), never "failed". First attempts that fail at
# TDH.SYS.CONFIG (injected), then attempts (slow TDMR.INIT, 5 ms a call,
# serial and on a thread per CPU in turns) repeated with the togglers
# running until one succeeds; then they go on for a while: TDX stays
# initialized, every platform CPU keeps its LP.INIT (cpus N/N, no LP.INIT
# after initialization).
# Figures: "# soak: soak-cpu-init ..." (attempts, toggles during and after).
# vm: mem=1G slots=8 maxmem=16G cpus=4 sockets=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

SOAK_SCALE=1
FAIL_ATTEMPTS=$((8 * SOAK_SCALE))	# failing at CONFIG, togglers running
ATTEMPTS=$((10 * SOAK_SCALE))	# at most, to succeed, togglers running
TDX_OPERAND_INVALID=0xC000010000000000
AFTER_SECS=$((20 * SOAK_SCALE))	# toggling once initialized
RUN=$TDXTEST_STATE/cpusoak
TOGGLERS=()

stop_togglers() {
	rm -f "$RUN/go"
	[ ${#TOGGLERS[@]} -gt 0 ] && wait "${TOGGLERS[@]}" 2>/dev/null
	TOGGLERS=()
}
TAP_CLEANUP=stop_togglers

# toggler CPU: offline and online CPU while $RUN/go exists, online for
# 0.2-1.2 s in between; counts each done pair in $RUN/CPU.n, failures in
# $RUN/CPU.err, the longest toggle (ms) in $RUN/CPU.max
toggler() {
	local c=$1 f=$CPUDIR/cpu$1/online n=0 max=0 t
	while [ -e "$RUN/go" ]; do
		t=$(ms_now)
		if ! (echo 0 >"$f") 2>>"$RUN/$c.err"; then
			sleep 0.5
			continue
		fi
		until (echo 1 >"$f") 2>>"$RUN/$c.err"; do sleep 0.2; done
		t=$(($(ms_now) - t))
		[ $t -gt $max ] && max=$t
		n=$((n + 1))
		echo $n >"$RUN/$c.n"
		echo $max >"$RUN/$c.max"
		sleep 0.$((2 + RANDOM % 10))
	done
}

start_togglers() {
	local c
	rm -f "$RUN"/*
	: >"$RUN/go"
	for c in $CPUS; do
		toggler "$c" &
		TOGGLERS+=($!)
	done
}

toggles() {
	cat "$RUN"/*.n 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

cpus_all_online() {
	local c
	for c in $CPUS; do
		[ "$(cat $CPUDIR/cpu$c/online)" = 1 ] || return 1
	done
}

mkdir -p "$RUN"
t0=$(ms_now)
CPUS=$(cd $CPUDIR && ls -d cpu[1-9]* | sed 's/cpu//' | sort -n | tr '\n' ' ')
tap_cmd "CPUs to toggle: $CPUS" -- test -n "$CPUS"
tap_cmd "attached, CMR [4G, 6G) added" -- emu_attach 0x100000000-0x17fffffff
NCPU=$(cat $T/cpus)
NCPU=${NCPU#*/}

start_togglers
# Initializations that fail at TDH.SYS.CONFIG (an injected fault, which
# reserves no KeyID): each checks the CPUs, does LP.INIT where missing and
# allocates and frees the PAMT while the togglers run
emu_set fault "leaf=45 status=$TDX_OPERAND_INVALID nth=0"
attempts=0 retryable=0 config_failed=0 other=()
for ((a = 1; a <= FAIL_ATTEMPTS; a++)); do
	attempts=$((attempts + 1))
	initialize
	st=$(cat $T/state)
	if [ "$st" = uninitialized ] && grep -q offline $T/error; then
		retryable=$((retryable + 1))
	elif [ "$st" = uninitialized ] && grep -q 'TDH.SYS.CONFIG failed' $T/error; then
		config_failed=$((config_failed + 1))
	else
		other+=("attempt $attempts: $st: $(cat $T/error)")
		break
	fi
	sleep 0.$((RANDOM % 10))
done
emu_set fault clear
tap_is "$(pamt_count allocated)" 0 "PAMT of the failed attempts all freed"
# Then the real thing, slow, until it succeeds
emu_set tdmr_init_delay_ns 5000000
while [ $attempts -lt $((FAIL_ATTEMPTS + ATTEMPTS)) ] && [ ${#other[@]} = 0 ]; do
	attempts=$((attempts + 1))
	# TDMR.INIT serial in the worker, then on a thread per CPU, in turns
	echo $((attempts % 2)) >/sys/module/tdx_sys/parameters/tdmr_init_threads
	initialize
	st=$(cat $T/state)
	[ "$st" = initialized ] && break
	if [ "$st" = uninitialized ] && grep -q offline $T/error; then
		retryable=$((retryable + 1))
	else
		other+=("attempt $attempts: $st: $(cat $T/error)")
		break
	fi
	sleep 0.$((RANDOM % 10))
done
during=$(toggles)
max_during=$(cat "$RUN"/*.max 2>/dev/null | sort -n | tail -1)
stop_togglers
tap_is "${other[*]}" "" "every failed attempt was retryable: a CPU offline, or the injected CONFIG fault"
if [ "$(cat $T/state)" != initialized ]; then
	# Not a success under the togglers: the last word is a quiet retry
	tap_diag "no success in $attempts attempts with the togglers running"
	initialize
fi
tap_is "$(cat $T/state)" initialized "initialized ($attempts attempts, $config_failed failed at CONFIG, $retryable found a CPU offline)"
tap_cmd "every CPU online after the togglers stopped" -- cpus_all_online
tap_is "$(cat $T/cpus)" "$NCPU/$NCPU" "every platform CPU did LP.INIT"
emu_set tdmr_init_delay_ns 0
lp0=$(emu_leaf_stat TDH.SYS.LP.INIT calls)

start_togglers
sleep "$AFTER_SECS"
after=$(toggles)
stop_togglers
errs=$(cat "$RUN"/*.err 2>/dev/null)
tap_is "$errs" "" "toggles after initialization: no write failed"
tap_cmd "toggles after initialization: $after" -- test "$after" -ge 1
tap_cmd "every CPU online" -- cpus_all_online
tap_is "$(cat $T/state)" initialized "still initialized"
tap_is "$(cat $T/cpus)" "$NCPU/$NCPU" "platform CPUs still all done"
tap_is "$(emu_leaf_stat TDH.SYS.LP.INIT calls)" "$lp0" \
	"no LP.INIT after initialization (done CPUs keep it)"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"every PAMT byte initialized"
check_pamt_held "after the loops"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
soak_line soak-cpu-init "cpus=$NCPU attempts=$attempts" \
	"config_failures=$config_failed cpu_offline_failures=$retryable toggles_during_init=$during" \
	"longest_toggle_ms=${max_during:-0} toggles_after=$after" \
	"secs=$((($(ms_now) - t0) / 1000))"
