#!/bin/bash
# Test bed check: ACPI vCPU hot-add makes new (offline) cpus appear; one can
# be onlined; hot-remove (which offlines an online cpu first) makes them
# disappear.  QEMU 7.2 under TCG crashes on a vCPU plug after an unplug, so
# the host refuses that and all removals come last.
# vm: mem=1G slots=8 maxmem=16G cpus=2 maxcpus=4 sockets=4
# needs: vcpu-hotadd
# timeout: 180
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

CPUS=/sys/devices/system/cpu
ncpus() { ls -d $CPUS/cpu[0-9]* | wc -l; }
n0=$(ncpus)
tap_is "$n0" 2 "boots with 2 cpus"

read -r id cpu <<<"$(vm_hotadd_cpu)"
tap_cmd "host hot-added a vCPU ($id)" -- test -n "$id"
tap_cmd "cpu$cpu appeared" -- test -d $CPUS/cpu$cpu
tap_is "$(ncpus)" $((n0 + 1)) "one more cpu"
tap_is "$(cat $CPUS/cpu$cpu/online 2>&1)" 0 "cpu$cpu offline after hot-add"
tap_cmd "online cpu$cpu" -- sh -c "echo 1 > $CPUS/cpu$cpu/online"
tap_is "$(cat $CPUS/cpu$cpu/online 2>&1)" 1 "cpu$cpu online"
tap_is "$(nproc)" $((n0 + 1)) "nproc counts it"

read -r id2 cpu2 <<<"$(vm_hotadd_cpu)"
tap_cmd "second hot-add ($id2)" -- test -n "$id2"
tap_cmd "cpu$cpu2 appeared, distinct from cpu$cpu" -- \
	test -d "$CPUS/cpu$cpu2" -a "$cpu2" != "$cpu"
tap_is "$(ncpus)" $((n0 + 2)) "two more cpus"

tap_cmd "hot-remove online $id (cpu$cpu)" -- vm_hotremove_cpu "$id"
tap_cmd "cpu$cpu gone" -- test ! -e $CPUS/cpu$cpu
tap_is "$(nproc)" "$n0" "nproc back to $n0"
tap_cmd "hot-remove offline $id2 (cpu$cpu2)" -- vm_hotremove_cpu "$id2"
tap_cmd "cpu$cpu2 gone" -- test ! -e "$CPUS/cpu$cpu2"
tap_is "$(ncpus)" "$n0" "back to $n0 cpus"
if out=$(vm_request hotadd-cpu 2>&1); then
	tap_fail "host refuses a vCPU plug after an unplug" "it plugged: $out"
else
	case $out in
	*"crashes QEMU"*) tap_ok "host refuses a vCPU plug after an unplug" ;;
	*) tap_fail "host refuses a vCPU plug after an unplug" "$out" ;;
	esac
fi
