#!/bin/bash
# tdx_sys: a non-retryable TDH.SYS.TDMR.INIT failure part way through a
# slow initialization: progress is published while it runs and stops
# short, the state ends "failed" with the TDMR named in the decoded error,
# the PAMT stays allocated and neither module can be unloaded.
# Needs its own boot: it leaves the module configured and failed.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 240
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

T=/sys/firmware/tdx
EMU=/sys/kernel/config/tdx_emu

sysfs_write() {
	local out
	out=$( (printf '%s\n' "$2" >"$1") 2>&1) && return 0
	echo "${out##*: }"
	return 1
}

emu_set() {
	local err
	err=$(sysfs_write "$EMU/$1" "$2") || tap_fail "tdx_emu $1 = $2" "$err"
}

state_settled() {
	[ "$(cat $T/state)" != initializing ]
}

# pamt_free_pages: PAMT pages (from debugfs) flagged BUDDY (bit 10) in
# /proc/kpageflags, i.e. heads of free blocks: 0 while the PAMT is
# allocated, more once it went back to the page allocator. -1: unknown.
pamt_free_pages() {
	local base kib n free=0 line
	line=$(grep -c '^tdmr ' /sys/kernel/debug/tdx_sys/tdmrs 2>/dev/null)
	[ "${line:-0}" -gt 0 ] || { echo -1; return; }
	while read -r base kib; do
		n=$((kib / 4))
		free=$((free + $(dd if=/proc/kpageflags bs=8 skip=$((base / 4096)) \
			count=$n 2>/dev/null | od -An -tx8 -v | tr -s ' ' '\n' |
			grep -c '[4567cdef][0-9a-f][0-9a-f]$')))
	done < <(sed -n 's/^tdmr .* pamt \(0x[0-9a-f]*\) (\([0-9]*\) KiB).*/\1 \2/p' \
		/sys/kernel/debug/tdx_sys/tdmrs)
	echo $free
}

ram_ranges() {
	awk -F'[- :]+' '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ {
		print $1, $2 }' /proc/iomem |
	while read -r s e; do
		s=$(((0x$s + 0xfff) & ~0xfff))
		e=$((((0x$e + 1) & ~0xfff) - 1))
		[ $s -lt $e ] && printf '%d %d\n' $s $e
	done | awk 'NR > 1 && $1 == pe + 1 { pe = $2; next }
		    NR > 1 { print ps, pe } { ps = $1; pe = $2 }
		    END { if (NR) print ps, pe }'
}

tap_cmd "modprobe tdx_sys" -- modprobe tdx_sys
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
CMRS=""
while read -r s e; do
	CMRS+=$(printf '0x%x-0x%x' "$s" "$e")$'\n'
done < <(ram_ranges)
emu_set cmrs "$(echo $CMRS | tr ' ' ,)"
emu_set cpus "0-1:0"
emu_set keyids "mktme=15 tdx=48"
emu_set tdmr_init_delay_ns 2000000
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "attached"
# 2 ms per call, 256 calls per GiB: the 200th call fails about 0.4 s in
emu_set fault "leaf=36 status=0xC000010000000001 nth=200"
sysfs_write $T/state initialize >/dev/null
sleep 0.2
tap_is "$(cat $T/state)" initializing "slow TDMR.INIT: initializing"
read -r pdone total <$T/progress
tap_cmd "progress published while running ($pdone of $total)" -- \
	test "$total" -gt 0
wait_for 240 state_settled
tap_is "$(cat $T/state)" failed "TDMR.INIT fault: failed"
read -r pdone total <$T/progress
tap_cmd "progress stopped short ($pdone of $total)" -- \
	sh -c "[ $pdone -gt 0 ] && [ $pdone -lt $total ]"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- \
	grep -Eq "TDMR [0-9]+ \\[0x[0-9a-f]+-0x[0-9a-f]+\\]: TDH\\.SYS\\.TDMR\\.INIT failed: TDX_OPERAND_INVALID.*reboot needed" <<<"$err"

# After CONFIG: the module owns the PAMT; nothing may be undone
tap_is "$(sysfs_write $T/state initialize)" "Input/output error" \
	"initialize again: EIO (reboot needed)"
tap_cmd "reboot needed logged" -- sh -c "dmesg | grep -q 'tdx_sys: .*reboot needed'"
tap_is "$(cat $T/state)" failed "still failed"
pamt=$(cat $T/pamt_kb)
tap_cmd "PAMT kept ($pamt kB), TDMRs published" -- \
	sh -c "[ $pamt -gt 0 ] && [ -s $T/tdmrs ]"
tap_is "$(pamt_free_pages)" 0 "PAMT pages still allocated (no BUDDY page)"
tap_is "$(sysfs_write $EMU/attached 0)" "Device or resource busy" \
	"detach refused"
tap_cmd "rmmod tdx_emu refused" -- sh -c "! rmmod tdx_emu 2>/dev/null"
tap_cmd "rmmod tdx_sys refused" -- sh -c "! rmmod tdx_sys 2>/dev/null"
out=$(cat $T/* 2>&1 >/dev/null)
tap_is "$out" "" "cat /sys/firmware/tdx/* still clean"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
