#!/bin/bash
# CPUs: with a platform CPU offline initialization fails retryably and the
# error names it; online again, init succeeds; after init, offlining and
# onlining a CPU breaks nothing; a vCPU hot-added after attach is reported
# as not a platform CPU and TDX keeps working.
# vm: mem=1G slots=8 maxmem=16G cpus=2 maxcpus=4 sockets=4
# needs: vcpu-hotadd
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

CPU1=/sys/devices/system/cpu/cpu1/online

tap_cmd "attached" -- emu_attach
tap_is "$(cat $T/cpus)" "1/2" "one platform CPU initialized at attach" ||
	tap_diag "cpus: $(cat $T/cpus)"
tap_cmd "offline CPU 1" -- bash -c "echo 0 > $CPU1"
out=$(tdxctl init 2>&1)
rc=$?
tap_is "$rc" 1 "tdxctl init fails"
tap_cmd "error names CPU 1: $out" -- grep -qi "cpu 1" <<<"$out"
tap_is "$(cat $T/state)" uninitialized "retryable: uninitialized"
tap_cmd "online CPU 1" -- bash -c "echo 1 > $CPU1"
tap_cmd "tdxctl init succeeds" -- tdxctl init
tap_is "$(cat $T/cpus)" "2/2" "2/2 platform CPUs"
tap_cmd "offline CPU 1 after init" -- bash -c "echo 0 > $CPU1"
tap_cmd "online CPU 1 after init" -- bash -c "echo 1 > $CPU1"
tap_is "$(cat $T/state)" initialized "still initialized"
dmesg -c >/dev/null
read -r id cpu <<<"$(vm_hotadd_cpu)"
tap_cmd "vCPU hot-added ($id, cpu$cpu)" -- test -n "$cpu"
[ -e /sys/devices/system/cpu/cpu$cpu/online ] &&
	[ "$(cat /sys/devices/system/cpu/cpu$cpu/online)" = 0 ] &&
	echo 1 >/sys/devices/system/cpu/cpu$cpu/online
tap_cmd "cpu$cpu online" -- \
	wait_for 10 bash -c "[ \"\$(cat /sys/devices/system/cpu/cpu$cpu/online 2>/dev/null || echo 1)\" = 1 ]"
tap_cmd "kernel reports cpu$cpu as not a platform CPU" -- \
	wait_for 10 bash -c "dmesg | grep -q 'CPU $cpu is not one of the TDX platform'"
tap_is "$(cat $T/state)" initialized "TDX still initialized"
tap_is "$(cat $T/cpus)" "2/2" "platform CPUs unchanged"
tap_cmd "tdxctl status works" -- tdxctl status
