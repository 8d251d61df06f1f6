#!/bin/bash
# Test bed check: a hot-added DIMM can be onlined (movable), offlined and
# hot-removed again; its memory blocks disappear and MemTotal returns.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 240
# share-boot: yes
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

ADDR=0x180000000
SIZE=256M
first=$(block_of $ADDR)
last=$((first + $(size_bytes $SIZE) / $(mem_block_size) - 1))
memtotal() { awk '/^MemTotal/ {print $2}' /proc/meminfo; }
m0=$(memtotal)

id=$(vm_hotadd_dimm $ADDR $SIZE)
tap_cmd "hot-add $SIZE at $ADDR ($id)" -- test -n "$id"
for ((b = first; b <= last; b++)); do
	tap_cmd "online_movable memory$b" -- \
		sh -c "echo online_movable > /sys/devices/system/memory/memory$b/state"
done
tap_is "$(memtotal)" $((m0 + $(size_bytes $SIZE) / 1024)) "MemTotal grew by $SIZE"
for ((b = first; b <= last; b++)); do
	tap_cmd "offline memory$b" -- \
		sh -c "echo offline > /sys/devices/system/memory/memory$b/state"
done
tap_cmd "hot-remove $id" -- vm_hotremove_dimm "$id"
for ((b = first; b <= last; b++)); do
	tap_cmd "memory$b gone" -- test ! -e /sys/devices/system/memory/memory$b
done
tap_is "$(memtotal)" "$m0" "MemTotal back to boot value"
# The same range can be plugged again (the host slot and address are free).
id2=$(vm_hotadd_dimm $ADDR $SIZE)
tap_cmd "re-add at the same address ($id2)" -- test -n "$id2"
tap_is "$(mem_block_state $first 2>&1)" offline "re-added memory$first offline"
tap_cmd "remove the offline DIMM directly" -- vm_hotremove_dimm "$id2"
tap_cmd "memory$first gone again" -- test ! -e /sys/devices/system/memory/memory$first
