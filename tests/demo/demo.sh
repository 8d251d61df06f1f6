#!/bin/bash
# vm: mem=1G slots=8 maxmem=16G cpus=2
# make demo: an operator's walk through tdxsys on the emulated platform.
# Runs inside the VM; every command is echoed before it runs.
. /usr/lib/tdxsys-tests/lib.sh

run() {
	printf '\n\033[1m# %s\033[0m\n' "$*"
	"$@"
}

bs=$(( $(cat /sys/devices/system/memory/block_size_bytes | sed 's/^/0x/') ))
echo "Memory block size: $((bs >> 20)) MiB"
run lsmem

# The emulated platform: boot RAM is convertible, and so is a 1 GiB window
# at 4 GiB where a DIMM will be hot-added; 6 GiB and up is not convertible.
run modprobe tdx_emu
cfg=/sys/kernel/config/tdx_emu
# Before attach, cmrs reads the default: the System RAM present now.
boot=$(paste -sd, $cfg/cmrs)
echo "$boot,0x100000000-0x13fffffff" > $cfg/cmrs
run cat $cfg/cmrs
run sh -c "echo 1 > $cfg/attached"
run cat /sys/firmware/tdx/state
run tdxctl status

echo; echo "# hot-add a convertible DIMM at 4 GiB and a non-convertible one at 6 GiB"
vm_hotadd_dimm 0x100000000 256M >/dev/null
vm_hotadd_dimm 0x180000000 256M >/dev/null
udevadm settle
run tdxctl lsmem
b=$(block_of 0x180000000)
run tdxctl check "memory$b"
run udevadm info -q property -p "/devices/system/memory/memory$b" | grep TDX_
run sh -c "echo online > /sys/devices/system/memory/memory$b/state"
run sh -c "dmesg | grep 'tdx_sys: refusing' | tail -n 2"

run systemctl start tdx-init.service
run systemctl status --no-pager tdx-init.service
run tdxctl lsmem
run grep -H . /sys/firmware/tdx/*
run tdxctl status
