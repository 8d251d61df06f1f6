#!/bin/bash
# Hot-add while a slow initialization runs (tdmr_init_delay_ns): the new
# blocks wait (decision "wait", kernel refuses onlining), status stays
# readable, and when initialization ends they are decided: with
# tdmr_cover=cmrs the convertible DIMM is TDX memory and comes online.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

IN=0x100000000
SIZE=256M

# 8 GiB of CMRs at 4 GiB: with 1 GiB of RAM that is ~2300 TDH.SYS.TDMR.INIT
# calls, at 10 ms each more than 20 s of initialization.
tap_cmd "attached, CMR [4G, 12G) added" -- emu_attach 0x100000000-0x2ffffffff
echo 10000000 >$EMU/tdmr_init_delay_ns
tdxctl init --timeout 300 >/tmp/init.out 2>&1 &
init_pid=$!
tap_cmd "initialization running" -- \
	wait_for 10 bash -c "[ \"\$(cat $T/state)\" = initializing ]"
b=$(block_of $IN)
vm_hotadd_dimm $IN $SIZE >/tmp/hotadd.id 2>&1 &
hotadd_pid=$!
# The blocks must appear (and be decided) while initialization still runs.
tap_cmd "memory$b appears during initialization" -- \
	wait_for 60 test -d /sys/devices/system/memory/memory$b
tap_is "$(cat $T/state)" initializing "still initializing when it appeared"
tap_cmd "udev decided memory$b within 10 s" -- \
	wait_for 10 bash -c "udevadm info -q property -p /devices/system/memory/memory$b | grep -q TDX_DECISION="
tap_is "$(udev_prop "$b" TDX_DECISION)" wait "udev: decision wait"
tap_is "$(cat $T/state)" initializing "still initializing after the decision"
tap_cmd "block offline meanwhile" -- none_online $IN $SIZE
tap_cmd "tdxctl status answers within 5 s during init" -- timeout 5 tdxctl status
tap_cmd "tdxctl check says wait (exit 4)" -- \
	bash -c "tdxctl check memory$b; test \$? = 4"
# A manual online during init waits for it (tdx_sys serializes them) and is
# then decided like any other; it must not hang past the end of init.
(echo online_movable >/sys/devices/system/memory/memory$b/state) 2>/dev/null &
echo_pid=$!
sleep 2
tap_cmd "manual online waits while initializing" -- \
	bash -c "kill -0 $echo_pid && [ \"\$(cat $T/state)\" = initializing ]"
tap_cmd "block still offline meanwhile" -- none_online $IN $SIZE
tap_cmd "tdxctl init finishes" -- wait_for 300 bash -c "! kill -0 $init_pid 2>/dev/null"
wait $init_pid
tap_is "$?" 0 "tdxctl init exit 0"
tap_cmd "the waiting manual online returned" -- \
	wait_for 30 bash -c "! kill -0 $echo_pid 2>/dev/null"
wait $hotadd_pid
tap_cmd "hot-add completed ($(cat /tmp/hotadd.id))" -- test -s /tmp/hotadd.id
tap_cmd "tdxctl init printed progress" -- grep -q "progress: 100%" /tmp/init.out
tap_is "$(cat $T/state)" initialized "initialized"
echo 0 >$EMU/tdmr_init_delay_ns
tap_cmd "waiting DIMM onlined after init (udev change rule)" -- \
	wait_for 30 all_online $IN $SIZE
