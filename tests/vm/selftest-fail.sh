#!/bin/bash
# Deliberately failing scenario (run with TDXSYS_FAILTEST=1): proves that a
# failed assertion in the guest surfaces on the host named after the
# scenario and makes the suite exit non-zero.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 60
# share-boot: yes
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

tap_ok "this one passes"
tap_is "$(cat /sys/devices/system/memory/block_size_bytes)" "not-a-size" \
	"deliberate failure: block size is not-a-size"
