#!/bin/bash
# Soak: udev storms racing "tdxctl online --pending". Four DIMMs of 512 MiB
# (16 blocks): two convertible (CMR [4G, 5G)), two not (at 6G). Each round
# offlines the convertible blocks, then at once: "udevadm trigger" of every
# memory block (add and change, twice each) and three "tdxctl online
# --pending". Before initialization (before_init=cmrs), during a slow one
# (decision "wait": nothing onlined until it ends, then the pending blocks
# are) and after it (tdmr_cover=cmrs): the convertible blocks end online,
# the others offline; no block outside the CMRs is ever online, no tdxctl
# fails, each udev decision matches "tdxctl check".
# Figures: "# soak: soak-udev-storm ..." (rounds, triggers, decisions).
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 420
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

SOAK_SCALE=1
ROUNDS=$((2 * SOAK_SCALE))	# storms before and after initialization
SIZE=512M
INS="0x100000000 0x120000000"
OUTS="0x180000000 0x1a0000000"
CMR_END=$((0x13fffffff))
RUN=$TDXTEST_STATE/storm

mapfile -t BIN < <(for a in $INS; do blocks "$a" $SIZE; done)
mapfile -t BOUT < <(for a in $OUTS; do blocks "$a" $SIZE; done)

offline_in() {
	local b
	for b in "${BIN[@]}"; do
		block_online "$b" || continue
		echo offline >"$MEMDIR/memory$b/state" || return 1
	done
}

in_online() {
	local a
	for a in $INS; do all_online "$a" $SIZE || return 1; done
}

in_offline() {
	local a
	for a in $INS; do none_online "$a" $SIZE || return 1; done
}

# outside_online: every online memory block that lies outside both the
# boot memory and the CMRs; printed, nothing when none
outside_online() {
	local d b bs start
	bs=$(mem_block_size)
	for d in "$MEMDIR"/memory[0-9]*; do
		b=${d##*memory}
		[ "$(cat "$d/state")" = online ] || continue
		start=$((b * bs))
		# boot RAM is below 4G here; the extra CMR is [4G, 5G)
		[ $start -lt $((1 << 32)) ] && continue
		[ $((start + bs - 1)) -le $CMR_END ] && continue
		echo "memory$b"
	done
}

# storm: every memory block triggered (add, change) twice and three
# tdxctl online --pending at once; tdxctl results in $RUN/pend*.rc
storm() {
	local pids=() i
	rm -f "$RUN"/*
	for i in 1 2; do
		udevadm trigger --subsystem-match=memory --action=add &
		pids+=($!)
		udevadm trigger --subsystem-match=memory --action=change &
		pids+=($!)
	done
	for i in 1 2 3; do
		(tdxctl online --pending >"$RUN/pend$i.out" 2>&1
		 echo $? >"$RUN/pend$i.rc") &
		pids+=($!)
	done
	wait "${pids[@]}"
	triggers=$((triggers + 4 * $(ls -d "$MEMDIR"/memory[0-9]* | wc -l)))
	pendings=$((pendings + 3))
}

pend_ok() {
	local f
	for f in "$RUN"/pend*.rc; do
		[ "$(cat "$f")" = 0 ] || { cat "${f%.rc}.out"; return 1; }
	done
}

# judge WHAT: the blocks' final states and udev's decisions as the
# policy says: convertible online, the others offline; counts rights
judge() {
	local what=$1 b bad=() d
	udevadm settle -t 120
	for b in "${BIN[@]}"; do
		if wait_for 30 block_online "$b"; then
			right=$((right + 1))
		else
			bad+=("memory$b $(mem_block_state "$b")")
		fi
	done
	for b in "${BOUT[@]}"; do
		if block_online "$b"; then
			bad+=("memory$b online")
		else
			right=$((right + 1))
		fi
		d=$(udev_prop "$b" TDX_DECISION)
		[ "$d" = online ] && bad+=("memory$b decided online")
	done
	decisions=$((decisions + ${#BIN[@]} + ${#BOUT[@]}))
	tap_is "${bad[*]}" "" "$what: convertible blocks online, the others offline"
	tap_is "$(outside_online)" "" "$what: no block outside the CMRs online"
	tap_cmd "$what: every tdxctl online --pending exits 0" -- pend_ok
}

mkdir -p "$RUN"
t0=$(ms_now)
# 1 MiB a TDMR.INIT call: 2048 calls for 2 GiB of TDMRs, 20 s at 10 ms
emu_load
emu_set tdmr_init_chunk 1048576
tap_cmd "attached, CMR [4G, 5G) added" -- emu_attach 0x100000000-0x13fffffff
for a in $INS $OUTS; do
	id=$(vm_hotadd_dimm "$a" $SIZE) || tap_fail "hot-add $a" "$id"
done
tap_cmd "${#BIN[@]} convertible blocks online (udev)" -- wait_for 60 in_online
right=0 decisions=0 triggers=0 pendings=0 rounds=0

for ((r = 1; r <= ROUNDS; r++)); do
	tap_cmd "round $r: convertible blocks offlined" -- offline_in
	storm
	judge "uninitialized, round $r"
	rounds=$((rounds + 1))
done

# During a slow initialization: everything waits, then is decided
tap_cmd "convertible blocks offlined" -- offline_in
echo 1 >/sys/module/tdx_sys/parameters/tdmr_init_threads
emu_set tdmr_init_delay_ns 10000000
sysfs_write $T/state initialize >/dev/null
storm
st=$(cat $T/state)
off=no
in_offline && off=yes
if [ "$st" = initializing ] && [ "$(cat $T/state)" = initializing ]; then
	tap_is "$off" yes "storm during initialization: convertible blocks wait offline"
else
	tap_skip "storm during initialization: blocks wait" "initialization ended first"
fi
wait_for 240 state_settled
tap_is "$(cat $T/state)" initialized "initialized" || tap_diag "$(cat $T/error)"
emu_set tdmr_init_delay_ns 0
judge "storm during initialization"
rounds=$((rounds + 1))

for ((r = 1; r <= ROUNDS; r++)); do
	tap_cmd "initialized, round $r: convertible blocks offlined" -- offline_in
	storm
	judge "initialized, round $r"
	rounds=$((rounds + 1))
done

tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
soak_line soak-udev-storm "blocks=$((${#BIN[@]} + ${#BOUT[@]})) rounds=$rounds" \
	"block_triggers=$triggers online_pending=$pendings" \
	"decisions_right=$right/$decisions secs=$((($(ms_now) - t0) / 1000))"
