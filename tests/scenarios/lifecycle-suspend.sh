#!/bin/bash
# S3 and hibernation lose the TDX module's keys: from TDH.SYS.INIT on
# (attach already runs it) suspend to RAM and hibernation are refused with
# a log line naming TDX, before any device is suspended; s2idle keeps
# everything powered and stays allowed. An RTC alarm ends a suspend to RAM
# that is not refused, so a missing refusal shows as a completed suspend.
# Each attempt freezes every task, patching the freezer's static key in
# and out; one TCG thread for both vCPUs avoids QEMU's stale-INT3 crash
# there (tests/vm/README.md, "Crashes that are QEMU's").
# vm: mem=1G slots=8 maxmem=16G cpus=2 tcg=single
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "tdx_sys loaded" -- modprobe tdx_sys
tap_is "$(cat $T/suspend)" allowed "no module yet: suspend allowed"
tap_diag "mem_sleep: $(cat /sys/power/mem_sleep), state: $(cat /sys/power/state)"
tap_cmd "S3 (deep) offered by the VM" -- grep -qw deep /sys/power/mem_sleep

tap_cmd "attached (TDH.SYS.INIT done)" -- emu_attach
tap_is "$(cat $T/suspend)" refused "initialized module: suspend refused"

# Suspend to RAM
echo deep >/sys/power/mem_sleep
dmesg -C
out=$(rtcwake -m mem -s 10 2>&1)
rc=$?
tap_cmd "suspend to RAM fails (rtcwake rc $rc: $out)" -- test $rc -ne 0
tap_cmd "refusal logged naming TDX" -- \
	sh -c "dmesg | grep -q 'tdx_sys: refusing to suspend to RAM (S3): the TDX module'"
tap_is "$(sysfs_write /sys/power/state mem)" "Device or resource busy" \
	"echo mem > /sys/power/state: EBUSY"
tap_cmd "refused at device prepare, before any device suspended" -- \
	sh -c "dmesg | grep -q 'tdx tdx: PM: not prepared for power transition: code -16'"

# Hibernation
dmesg -C
tap_is "$(sysfs_write /sys/power/state disk)" "Device or resource busy" \
	"echo disk > /sys/power/state: EBUSY"
tap_cmd "hibernation refusal logged naming TDX" -- \
	sh -c "dmesg | grep -q 'tdx_sys: refusing to hibernate: the TDX module'"

# s2idle is fine: nothing loses power. The kernel's PM test mode runs it
# through every device's prepare and suspend and back (nothing in this VM
# wakes it from a real s2idle)
echo s2idle >/sys/power/mem_sleep
echo devices >/sys/power/pm_test
dmesg -C
t0=$SECONDS
out=$(sysfs_write /sys/power/state mem)
rc=$?
echo none >/sys/power/pm_test
tap_is "$rc" 0 "s2idle through device suspend and back ($((SECONDS - t0)) s)${out:+: $out}"
tap_cmd "s2idle not refused" -- sh -c "! dmesg | grep -q 'tdx_sys: refusing'"
tap_cmd "the tdx device was prepared and suspended" -- \
	sh -c "dmesg | grep -q 'PM: suspend entry (s2idle)'"
tap_is "$(cat $T/state)" uninitialized "TDX state untouched"
tap_is "$(cat $T/error)" "" "no error"
echo deep >/sys/power/mem_sleep
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
