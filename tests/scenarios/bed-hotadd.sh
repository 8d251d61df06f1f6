#!/bin/bash
# Test bed check: ACPI hot-add of a 256 MiB DIMM at 5 GiB creates the
# matching memory blocks, and they stay offline (nothing onlines memory
# behind our back: no auto-online in the kernel, no distribution rule).
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 180
# share-boot: yes
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

ADDR=0x140000000
SIZE=256M
bs=$(mem_block_size)
first=$(block_of $ADDR)
nblocks=$(($(size_bytes $SIZE) / bs))
last=$((first + nblocks - 1))
tap_diag "block size $bs, expecting memory$first..memory$last"

m0=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
tap_cmd "memory$first absent before hot-add" -- test ! -e /sys/devices/system/memory/memory$first
id=$(vm_hotadd_dimm $ADDR $SIZE)
tap_cmd "host hot-added the DIMM ($id)" -- test -n "$id"
for ((b = first; b <= last; b++)); do
	tap_cmd "memory$b exists" -- test -d /sys/devices/system/memory/memory$b
	tap_is "$(mem_block_state $b 2>&1)" offline "memory$b is offline"
done
tap_cmd "no block past the DIMM (memory$((last + 1)))" -- \
	test ! -e /sys/devices/system/memory/memory$((last + 1))
tap_is "$(awk '/^MemTotal/ {print $2}' /proc/meminfo)" "$m0" \
	"MemTotal unchanged (offline memory is not counted)"
