#!/bin/bash
# vm: mem=1G slots=8 maxmem=16G cpus=2
# make demo: an operator's walk through tdxsys on the emulated platform.
# Runs inside the VM; each command is shown before it runs, and the story's
# key facts are checked (TAP "ok" lines), so the demo fails if they break.
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

run() {
	printf '\n\033[1m# %s\033[0m\n' "$*"
	"$@"
}

CFG=/sys/kernel/config/tdx_emu
T=/sys/firmware/tdx
IN=0x100000000		# convertible (a CMR the emulated platform declares)
OUT=0x180000000		# not convertible

run lsmem

# The emulated platform: boot RAM is convertible (the default CMRs, as a
# BIOS reports them: from 1 MiB up), and so is a 1 GiB window at 4 GiB
# where a DIMM will be hot-added.
run modprobe tdx_emu
boot=$(paste -sd, $CFG/cmrs)	# before attach: the BIOS's CMRs
echo "$boot,0x100000000-0x13fffffff" > $CFG/cmrs
run cat $CFG/cmrs
run bash -c "echo 1 > $CFG/attached"
tap_is "$(cat $T/state)" uninitialized "TDX module found, not initialized"
run tdxctl status

printf '\n\033[1m# hot-add a convertible DIMM at 4 GiB and a non-convertible one at 6 GiB\033[0m\n'
vm_hotadd_dimm $IN 256M >/dev/null
vm_hotadd_dimm $OUT 256M >/dev/null
udevadm settle
run tdxctl lsmem
bin=$(block_of $IN)
bout=$(block_of $OUT)
tap_is "$(mem_block_state "$bin")" online "udev onlined the convertible DIMM"
tap_is "$(mem_block_state "$bout")" offline "the non-convertible DIMM stays offline"
run tdxctl check "memory$bout"
run bash -c "udevadm info -q property -p /devices/system/memory/memory$bout | grep ^TDX_"
run bash -c "echo online > /sys/devices/system/memory/memory$bout/state"
tap_is "$?" 1 "the kernel refuses to online it"
run bash -c "dmesg | grep 'tdx_sys: refusing' | tail -n 1"

run systemctl start tdx-init.service
tap_is "$?" 0 "tdx-init.service started"
run systemctl status --no-pager tdx-init.service
run tdxctl lsmem
run grep -H . $T/*
run tdxctl status
tap_is "$(cat $T/state)" initialized "TDX initialized"
