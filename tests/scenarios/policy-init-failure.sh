#!/bin/bash
# Injected failures through the unit: a retryable one (TDH.SYS.LP.INIT
# keeps failing with TDX_RND_NO_ENTROPY) fails tdx-init.service, and
# systemctl status shows the decoded error; state is back to
# uninitialized; after clearing the fault, systemctl restart succeeds.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

T=/sys/firmware/tdx
EMU=/sys/kernel/config/tdx_emu
GIB=$((1 << 30))

# Boot RAM below 4 GiB (hot-added DIMMs go above) as 4 KiB-aligned
# inclusive CMR lines, touching ranges merged.
boot_ram_cmrs() {
	awk -F'[- :]+' '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ {
		print $1, $2 }' /proc/iomem |
	while read -r s e; do
		s=$(((0x$s + 0xfff) & ~0xfff))
		e=$((((0x$e + 1) & ~0xfff) - 1))
		[ $s -lt $e ] && [ $e -lt $((4 * GIB)) ] && echo "$s $e"
	done | awk 'NR > 1 && $1 == pe + 1 { pe = $2; next }
		    NR > 1 { print ps, pe } { ps = $1; pe = $2 }
		    END { if (NR) print ps, pe }' |
	while read -r s e; do printf '0x%x-0x%x\n' "$s" "$e"; done
}

# emu_attach EXTRA_CMRS...: tdx_sys + tdx_emu with boot RAM plus the given
# inclusive ranges as CMRs, attached (state uninitialized).
emu_attach() {
	local cmrs
	cmrs="$(boot_ram_cmrs)"
	[ $# -gt 0 ] && cmrs+=$'\n'$(printf '%s\n' "$@")
	modprobe tdx_sys || return 1
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
	modprobe tdx_emu || return 1
	# One write, comma-separated: each write replaces the whole list.
	echo $cmrs | tr ' ' , >$EMU/cmrs || return 1
	echo 1 >$EMU/attached || return 1
	udevadm settle -t 30
	[ "$(cat $T/state)" = uninitialized ]
}

# udev_prop N KEY: a property udev recorded for memoryN
udev_prop() {
	udevadm info -q property -p "/devices/system/memory/memory$1" |
		sed -n "s/^$2=//p"
}

block_online() {
	[ "$(mem_block_state "$1")" = online ]
}

# blocks ADDR SIZE: the block numbers of a DIMM
blocks() {
	local bs first n
	bs=$(mem_block_size)
	first=$(($1 / bs))
	n=$(($(size_bytes "$2") / bs))
	seq "$first" $((first + n - 1))
}

all_online() {		# ADDR SIZE
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" || return 1; done
}

none_online() {		# ADDR SIZE
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" && return 1; done
	return 0
}

tap_cmd "attached" -- emu_attach
tap_cmd "inject LP.INIT RND_NO_ENTROPY on every call" -- \
	bash -c "echo 'leaf=35 status=0x8000020300000000 nth=0' > $EMU/fault"
tap_cmd "systemctl start tdx-init fails" -- bash -c "! systemctl start tdx-init.service"
tap_is "$(systemctl is-failed tdx-init.service)" failed "unit is failed"
tap_is "$(cat $T/state)" uninitialized "state back to uninitialized (retryable)"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- grep -q "TDX_RND_NO_ENTROPY" <<<"$err"
status=$(systemctl status --no-pager -n 20 tdx-init.service 2>&1)
tap_cmd "systemctl status shows the decoded error" -- \
	grep -q "tdxctl: TDX initialization failed.*TDX_RND_NO_ENTROPY" <<<"$status"
tap_cmd "and that it can be retried" -- grep -q "retryable" <<<"$status"
tap_cmd "tdxctl status shows it" -- \
	bash -c "tdxctl status | grep -q '^Error: .*TDX_RND_NO_ENTROPY'"
tap_cmd "clear the fault" -- bash -c "echo clear > $EMU/fault"
tap_cmd "systemctl restart tdx-init succeeds" -- systemctl restart tdx-init.service
tap_is "$(systemctl is-active tdx-init.service)" active "unit active"
tap_is "$(cat $T/state)" initialized "initialized"
tap_is "$(cat $T/error)" "" "error cleared"
