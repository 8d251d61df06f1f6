#!/bin/bash
# systemctl start tdx-init.service initializes TDX; every file under
# /sys/firmware/tdx reads cleanly and is consistent; tdxctl status --json,
# lsmem --json and plan --json are valid JSON with the expected content.
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

tap_cmd "tdx_sys + tdx_emu attached" -- emu_attach
tap_cmd "tdxctl plan predicts a layout" -- tdxctl plan
planned=$(tdxctl plan --json | jq -r '.pamt_bytes')
tap_cmd "systemctl start tdx-init.service" -- systemctl start tdx-init.service
tap_is "$(systemctl is-active tdx-init.service)" active "unit active"
tap_is "$(cat $T/state)" initialized "state initialized"
tap_cmd "systemctl start again is a no-op success" -- \
	systemctl start tdx-init.service
bad=""
for f in $T/*; do
	cat "$f" >/dev/null 2>&1 || bad+=" ${f##*/}"
done
tap_is "$bad" "" "cat /sys/firmware/tdx/* reads every file"
for f in state provider cmrs tdx_memory tdmrs pamt_kb progress version \
	keyids global_keyid max_tdmrs max_reserved_per_tdmr \
	pamt_entry_size cpus; do
	tap_cmd "$f is not empty" -- test -s $T/$f
done
tap_is "$(cat $T/error)" "" "no error"
read -r pdone ptotal <$T/progress
tap_cmd "progress complete ($pdone of $ptotal)" -- test "$pdone" = "$ptotal" -a "$ptotal" -gt 0

json=$(tdxctl status --json)
tap_cmd "tdxctl status --json parses" -- jq -e . <<<"$json"
tap_is "$(jq -r .state <<<"$json")" initialized "json state"
tap_cmd "json has TDMRs" -- jq -e '(.tdmrs | length) >= 1' <<<"$json"
tap_is "$(jq -r .pamt_bytes <<<"$json")" $(($(cat $T/pamt_kb) * 1024)) \
	"json pamt_bytes matches pamt_kb"
tap_is "$(jq -r .pamt_bytes <<<"$json")" "$planned" \
	"tdxctl plan predicted the PAMT size the kernel allocated"
tap_cmd "PAMT share of RAM about 0.4%" -- \
	jq -e '.pamt_percent_of_ram > 0.2 and .pamt_percent_of_ram < 1' <<<"$json"
tap_cmd "tdxctl status (text) shows the PAMT" -- \
	bash -c "tdxctl status | grep -q '^PAMT: .*% of'"
tap_cmd "tdxctl lsmem --json parses" -- bash -c "tdxctl lsmem --json | jq -e '.memory | length > 0'"
tap_cmd "boot memory is TDX memory" -- \
	bash -c "tdxctl lsmem --json | jq -e '[.memory[] | select(.state == \"online\") | .in_tdx] | index(\"yes\") != null'"
tap_cmd "tdxctl init when initialized exits 0" -- tdxctl init
