#!/bin/bash
# Soak: DIMM hot-add and hot-remove loops while a slow initialization runs
# (TDH.SYS.TDMR.INIT 10 ms a call on one CPU, tdmr_init_chunk shrunk by
# SOAK_SCALE), then after it. A convertible DIMM (in the CMR [4G, 12G))
# and a non-convertible one (at 12G) are added and removed in turns.
# During initialization every block waits offline (decision "wait");
# after it, with tdmr_cover=cmrs, the convertible blocks come online and
# the others stay offline (refused). Blocks still there when
# initialization ends are decided then. Every block's final state is
# checked against the policy; MemTotal returns to its value before the
# loops (no block leaked).
# Figures: "# soak: soak-hotplug-init ..." (cycles during/after, blocks).
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 420
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

SOAK_SCALE=1
AFTER=$((3 * SOAK_SCALE))	# cycles once initialized
IN=0x100000000
OUT=0x300000000
SIZE=256M

memtotal() { awk '/^MemTotal/ {print $2}' /proc/meminfo; }

# offline_dimm ADDR: every online block of the DIMM offline
offline_dimm() {
	local b
	for b in $(blocks "$1" $SIZE); do
		block_online "$b" || continue
		echo offline >"$MEMDIR/memory$b/state" || return 1
	done
}

# remove ID ADDR: the DIMM offline and gone
remove() {
	offline_dimm "$2" && vm_hotremove_dimm "$1"
}

# decided ADDR WANT: udev recorded decision WANT for every block
decided() {
	local b
	for b in $(blocks "$1" $SIZE); do
		[ "$(udev_prop "$b" TDX_DECISION)" = "$2" ] || return 1
	done
}

# expected WHERE ADDR: the DIMM at ADDR is as the policy says once
# initialized: convertible online, the other offline
final_ok() {
	if [ "$1" = in ]; then all_online "$2" $SIZE; else none_online "$2" $SIZE; fi
}

t0=$(ms_now)
# ~2300 TDMR.INIT calls of 4 MiB for 9 GiB of TDMRs: over 20 s at 10 ms
chunk=4194304
for ((s = SOAK_SCALE; s > 1; s /= 2)); do chunk=$((chunk / 2)); done
emu_load
emu_set tdmr_init_chunk $chunk
tap_cmd "attached, CMR [4G, 12G) added" -- emu_attach 0x100000000-0x2ffffffff
m0=$(memtotal)
echo 1 >/sys/module/tdx_sys/parameters/tdmr_init_threads
emu_set tdmr_init_delay_ns 10000000
sysfs_write $T/state initialize >/dev/null
tap_cmd "slow initialization running (chunk $chunk)" -- \
	wait_for 10 bash -c "[ \"\$(cat $T/state)\" = initializing ]"

during=0 during_ok=0 blocks_seen=0 bad=()
id_in='' id_out=''
while [ "$(cat $T/state)" = initializing ]; do
	id_in=$(vm_hotadd_dimm $IN $SIZE) || { bad+=("add in"); break; }
	id_out=$(vm_hotadd_dimm $OUT $SIZE) || { bad+=("add out"); break; }
	blocks_seen=$((blocks_seen + 4))
	[ "$(cat $T/state)" = initializing ] || break   # decided below
	if decided $IN wait && decided $OUT wait &&
		none_online $IN $SIZE && none_online $OUT $SIZE; then
		during_ok=$((during_ok + 1))
	elif [ "$(cat $T/state)" = initializing ]; then
		bad+=("cycle $during: in $(udev_prop "$(block_of $IN)" TDX_DECISION)/$(mem_block_state "$(block_of $IN)"), out $(udev_prop "$(block_of $OUT)" TDX_DECISION)/$(mem_block_state "$(block_of $OUT)")")
	else
		break
	fi
	during=$((during + 1))
	remove "$id_in" $IN || bad+=("remove in $id_in")
	remove "$id_out" $OUT || bad+=("remove out $id_out")
	id_in='' id_out=''
done
tap_is "${bad[*]}" "" "during initialization: $during cycles, every block waited offline"
tap_cmd "at least one add/remove cycle during initialization" -- test $during -ge 1
wait_for 300 state_settled
tap_is "$(cat $T/state)" initialized "initialized" || tap_diag "$(cat $T/error)"
emu_set tdmr_init_delay_ns 0
# DIMMs still there when initialization ended are decided by the
# end-of-initialization rule (tdxctl online --pending)
if [ -n "$id_in" ]; then
	tap_cmd "convertible DIMM left from the last cycle onlined after init" -- \
		wait_for 60 all_online $IN $SIZE
	tap_cmd "non-convertible DIMM left from the last cycle offline" -- \
		none_online $OUT $SIZE
	remove "$id_in" $IN || tap_fail "remove $id_in"
	[ -n "$id_out" ] && { remove "$id_out" $OUT || tap_fail "remove $id_out"; }
fi

after_ok=0 bad=()
for ((c = 1; c <= AFTER; c++)); do
	id_in=$(vm_hotadd_dimm $IN $SIZE) || { bad+=("add in"); break; }
	id_out=$(vm_hotadd_dimm $OUT $SIZE) || { bad+=("add out"); break; }
	blocks_seen=$((blocks_seen + 4))
	if wait_for 30 final_ok in $IN && final_ok out $OUT &&
		decided $IN online; then
		after_ok=$((after_ok + 1))
	else
		bad+=("cycle $c: in $(mem_block_state "$(block_of $IN)"), out $(mem_block_state "$(block_of $OUT)")")
	fi
	remove "$id_in" $IN || bad+=("remove in $id_in")
	remove "$id_out" $OUT || bad+=("remove out $id_out")
done
tap_is "${bad[*]}" "" "after initialization: $after_ok/$AFTER cycles decided right"
tap_is "$(memtotal)" "$m0" "MemTotal back to its value before the loops"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
soak_line soak-hotplug-init "cycles_during_init=$during right=$during_ok" \
	"cycles_after=$AFTER right=$after_ok blocks=$blocks_seen" \
	"init_ms=$(dmesg | sed -n 's/.*TDMR\.INIT of .* took \([0-9]*\) ms/\1/p' | tail -1)" \
	"secs=$((($(ms_now) - t0) / 1000))"
