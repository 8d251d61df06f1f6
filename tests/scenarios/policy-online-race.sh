#!/bin/bash
# tdxctl online racing other agents (like daxctl): with the udev rule
# masked, a convertible DIMM of several blocks is hot-added and left
# offline; then two "tdxctl online BLOCK...", two "tdxctl online --pending"
# and one raw "echo online_movable > state" per block start together.
# Every tdxctl exits 0, every block ends online in ZONE_MOVABLE, onlined
# exactly once (one successful write, one "online" uevent), no kernel
# warning. Three rounds (blocks offlined in between): two before
# initialization, one after it. Initializing with the 512 MiB movable DIMM
# online also checks that the PAMT search skips its 128 unusable windows
# without using up its allocation attempts.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

IN=0x100000000		# inside the extra CMR [4G, 5G)
SIZE=512M
MASK=/run/udev/rules.d/80-tdx-memory.rules
RUN=$TDXTEST_STATE/race
MON=

unmask() {
	[ -n "$MON" ] && kill "$MON" 2>/dev/null
	rm -f $MASK
	udevadm control --reload
}
TAP_CLEANUP=unmask

# An empty file in /run/udev/rules.d hides the installed rule of that name
mask() {
	mkdir -p "${MASK%/*}" && : >$MASK && udevadm control --reload
}

mapfile -t B < <(blocks $IN $SIZE)
NAMES=("${B[@]/#/memory}")
REV=()
for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do REV+=("${NAMES[i]}"); done

# agent NAME CMD...: run CMD once $RUN/go exists, output to $RUN/NAME.out,
# exit status to $RUN/NAME.rc
agent() {
	local name=$1
	shift
	(
		until [ -e "$RUN/go" ]; do sleep 0.01; done
		"$@" >"$RUN/$name.out" 2>&1
		echo $? >"$RUN/$name.rc"
	) &
}

# raw_write B: bash's own write of online_movable; success leaves $RUN/rawB.ok
raw_write() {
	(printf 'online_movable\n' >"$MEMDIR/memory$1/state") 2>/dev/null &&
		: >"$RUN/raw$1.ok"
}

# race ROUND: all agents at once on the offline blocks, then the checks
race() {
	local r=$1 pids=() a b n rc uev
	rm -rf "$RUN"
	mkdir -p "$RUN"
	udevadm monitor --kernel --subsystem-match=memory >"$RUN/uevents" &
	MON=$!
	sleep 1			# the monitor listens before anything happens
	agent ctl-list tdxctl online --zone movable "${NAMES[@]}"
	pids+=($!)
	agent ctl-rev tdxctl online --zone movable "${REV[@]}"
	pids+=($!)
	agent ctl-pend1 tdxctl online --pending --zone movable
	pids+=($!)
	agent ctl-pend2 tdxctl online --pending --zone movable
	pids+=($!)
	for b in "${B[@]}"; do
		agent "raw$b" raw_write "$b"
		pids+=($!)
	done
	: >"$RUN/go"
	wait "${pids[@]}"
	sleep 1			# let the last uevents reach the monitor
	kill "$MON"
	wait "$MON" 2>/dev/null
	MON=

	for a in ctl-list ctl-rev ctl-pend1 ctl-pend2; do
		rc=$(cat "$RUN/$a.rc")
		if [ "$rc" = 0 ]; then
			tap_ok "round $r: tdxctl ($a) exits 0"
		else
			tap_fail "round $r: tdxctl ($a) exits 0" "exit $rc" \
				"$(cat "$RUN/$a.out")"
		fi
	done
	for b in "${B[@]}"; do
		tap_is "$(mem_block_state "$b")" online "round $r: memory$b online"
		tap_is "$(cat "$MEMDIR/memory$b/valid_zones")" Movable \
			"round $r: memory$b in ZONE_MOVABLE"
		# Writes the kernel accepted: tdxctl's own plus the raw one
		n=$(cat "$RUN"/ctl-*.out | grep -c "^memory$b: onlined as ")
		[ -e "$RUN/raw$b.ok" ] && n=$((n + 1))
		uev=$(grep -c " online .*/memory$b (memory)" "$RUN/uevents")
		if [ "$n" = 1 ] && [ "$uev" = 1 ]; then
			tap_ok "round $r: memory$b onlined exactly once"
		else
			tap_fail "round $r: memory$b onlined exactly once" \
				"accepted writes: $n, online uevents: $uev" \
				"$(grep -h "memory$b:" "$RUN"/ctl-*.out)"
		fi
	done
	tap_diag "round $r: $(cat "$RUN"/ctl-*.out | grep -c 'concurrently') raced, $(cat "$RUN"/ctl-*.out | grep -c 'already online') already online, $(find "$RUN" -name 'raw*.ok' | wc -l) raw writes won"
}

offline_all() {
	local b
	for b in "${B[@]}"; do
		echo offline >"$MEMDIR/memory$b/state" || return 1
	done
	none_online $IN $SIZE
}

tap_cmd "udev rule 80-tdx-memory.rules masked" -- mask
tap_cmd "tdx_sys + tdx_emu attached, CMR [4G, 5G) added" -- \
	emu_attach 0x100000000-0x13fffffff
id=$(vm_hotadd_dimm $IN $SIZE)
tap_cmd "convertible DIMM of ${#B[@]} blocks hot-added ($id)" -- \
	test -n "$id" -a ${#B[@]} -ge 2
sleep 2
tap_cmd "its blocks stay offline (rule masked)" -- none_online $IN $SIZE

race 1
tap_cmd "offline them again" -- offline_all
race 2
tap_cmd "initialize (blocks online, covered)" -- initialize
tap_is "$(cat $T/state)" initialized "initialized" || tap_diag "$(cat $T/error)"
tap_cmd "offline them again" -- offline_all
race 3

tap_is "$(dmesg | grep -c 'refusing to online')" 0 "no onlining refused"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
