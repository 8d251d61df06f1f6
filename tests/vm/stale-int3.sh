#!/bin/bash
# Bed experiment, not part of the suite: freeze and thaw every task 4000
# times (pm_test=freezer), each freeze patching the freezer's static key
# in and out, while a shell forks on the other vCPU. Under multi-threaded
# TCG on a busy host this ends in QEMU's stale-INT3 oops (README.md,
# "Crashes that are QEMU's"); with one TCG thread it passes:
#   TDXSYS_TCG=multi  python3 tests/vm/tdxvm.py suite --kernels 6.12 stale-int3
#   TDXSYS_TCG=single python3 tests/vm/tdxvm.py suite --kernels 6.12 stale-int3
# vm: mem=1G cpus=2
# timeout: 900
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

n=4000
(while :; do /bin/true; done) &
bg=$!
echo 0 >/sys/module/suspend/parameters/pm_test_delay
echo freezer >/sys/power/pm_test
t0=$SECONDS
ok=0
for _ in $(seq $n); do
	echo mem >/sys/power/state 2>/dev/null && ok=$((ok + 1))
done
kill $bg
echo none >/sys/power/pm_test
tap_is "$ok" "$n" "freeze/thaw cycles: $ok of $n in $((SECONDS - t0)) s"
