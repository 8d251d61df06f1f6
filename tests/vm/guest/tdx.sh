# shellcheck shell=bash
# tdxsys helpers shared by the scenarios: tdx_sys sysfs, the tdx_emu
# platform in configfs, System RAM and the BIOS's CMRs, memory block
# states, PAMT pages.
# Source it after lib.sh (it uses lib.sh's TAP and memory helpers):
#   . "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
#   . "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

T=/sys/firmware/tdx
EMU=/sys/kernel/config/tdx_emu
GIB=$((1 << 30))

# --- tdx_sys / tdx_emu attributes --------------------------------------

# configfs_mount: configfs mounted (tdx_emu's attributes live there)
configfs_mount() {
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
}

# sysfs_write FILE VALUE: writes with bash (dash says "I/O error" for
# every errno); on failure prints the error message and returns 1
sysfs_write() {
	local out
	out=$( (printf '%s\n' "$2" >"$1") 2>&1) && return 0
	echo "${out##*: }"
	return 1
}

# emu_set ATTR VALUE: configure tdx_emu; a refused write is a failed check
emu_set() {
	local err
	err=$(sysfs_write "$EMU/$1" "$2") || tap_fail "tdx_emu $1 = $2" "$err"
}

# emu_stat KEY: value of KEY=N in the emulator's stats
emu_stat() {
	sed -n "s/^$1=\([0-9]*\).*/\1/p" "$EMU/stats"
}

# state_settled: tdx_sys is not (or no longer) initializing
state_settled() {
	[ "$(cat $T/state)" != initializing ]
}

# initialize: request initialization, wait up to 240 s until it settled
initialize() {
	sysfs_write $T/state initialize >/dev/null
	wait_for 240 state_settled
}

# --- System RAM, TDX memory, the BIOS's CMRs ------------------------------

# ram_ranges [LIMIT]: System RAM as 4 KiB-aligned inclusive "START END"
# (decimal) lines, touching ranges merged; with LIMIT only ranges ending
# below it
ram_ranges() {
	local limit=${1:-} s e
	awk -F'[- :]+' '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ {
		print $1, $2 }' /proc/iomem |
	while read -r s e; do
		s=$(((0x$s + 0xfff) & ~0xfff))
		e=$((((0x$e + 1) & ~0xfff) - 1))
		[ $s -lt $e ] || continue
		[ -n "$limit" ] && [ $e -ge $((limit)) ] && continue
		printf '%d %d\n' $s $e
	done | awk 'NR > 1 && $1 == pe + 1 { pe = $2; next }
		    NR > 1 { print ps, pe } { ps = $1; pe = $2 }
		    END { if (NR) print ps, pe }'
}

# tdx_ram_ranges [LIMIT]: ram_ranges that can be TDX memory: not the first
# MiB, which Linux never gives to the page allocator
tdx_ram_ranges() {
	local s e
	ram_ranges "$@" | while read -r s e; do
		[ $e -lt $((1 << 20)) ] && continue
		[ $s -lt $((1 << 20)) ] && s=$((1 << 20))
		echo "$s $e"
	done
}

# ram_cmrs [LIMIT]: ram_ranges as CMR lines "0xSTART-0xEND"
ram_cmrs() {
	local s e
	ram_ranges "$@" | while read -r s e; do
		printf '0x%x-0x%x\n' "$s" "$e"
	done
}

# boot_e820: the memory map the firmware handed the kernel at boot, from
# boot_params: "START END TYPE" lines, END exclusive, by address. Unlike
# /proc/iomem and /sys/firmware/memmap it never shows hot-added memory.
boot_e820() {
	local bp=/sys/kernel/boot_params/data n i off a sz t
	n=$(od -An -tu1 -j $((0x1e8)) -N1 $bp | tr -d ' ')
	for ((i = 0; i < n; i++)); do
		off=$((0x2d0 + 20 * i))
		read -r a sz < <(od -An -tu8 -j $off -N16 $bp)
		t=$(od -An -tu4 -j $((off + 16)) -N4 $bp | tr -d ' ')
		echo "$a $((a + sz)) $t"
	done | sort -n
}

# bios_cmrs: the CMRs a TDX BIOS reports for this VM, computed here on
# its own from boot_e820 (the emulator has its own code for it): each run
# of touching entries holding RAM gives one CMR from its first RAM entry
# to its last, firmware-reserved memory between them included, nothing
# below 1 MiB, 4 KiB granular; inclusive "0xSTART-0xEND" lines
bios_cmrs() {
	local s e t rs=0 re=0 run=0 inram=0
	_bios_emit() {
		local a=$1 b=$2
		[ $a -lt $((1 << 20)) ] && a=$((1 << 20))
		a=$(((a + 4095) & ~4095))
		b=$((b & ~4095))
		[ $a -lt $b ] && printf '0x%x-0x%x\n' $a $((b - 1))
		return 0
	}
	while read -r s e t; do
		[ $e -gt $s ] || continue
		# usable (1) and soft-reserved RAM; reserved, ACPI, NVS, unusable
		# (2-5) are firmware-held DRAM inside a run
		if [ $inram = 1 ] && { [ $s -gt $run ] || [ "$t" -gt 5 ] &&
			[ "$t" != 4026531839 ]; }; then
			_bios_emit $rs $re
			inram=0
		fi
		if [ "$t" = 1 ] || [ "$t" = 4026531839 ]; then
			[ $inram = 1 ] || rs=$s
			inram=1
			re=$e
		fi
		[ $e -gt $run ] && run=$e
	done < <(boot_e820)
	[ $inram = 1 ] && _bios_emit $rs $re
	return 0
}

# boot_ram_cmrs: the BIOS's CMRs (the scenarios hot-add DIMMs above them)
boot_ram_cmrs() {
	bios_cmrs
}

# cmr_list RANGES...: ranges (words or lines) as one comma-separated list:
# each write of tdx_emu's cmrs replaces the whole list
cmr_list() {
	# shellcheck disable=SC2048,SC2086 # split lines and words alike
	echo $* | tr ' ' ,
}

# --- setting up the emulated platform -----------------------------------

# emu_load: tdx_sys and tdx_emu loaded, configfs mounted
emu_load() {
	modprobe tdx_sys || return 1
	configfs_mount
	modprobe tdx_emu
}

# emu_attach EXTRA_CMRS...: tdx_sys + tdx_emu with the BIOS's CMRs (the
# emulator's default) plus the given inclusive ranges, attached (state
# uninitialized).  No TAP output: meant to run under tap_cmd.
emu_attach() {
	emu_load || return 1
	echo default >$EMU/cmrs || return 1
	if [ $# -gt 0 ]; then
		echo "$(cmr_list "$(cat $EMU/cmrs)" "$@")" >$EMU/cmrs || return 1
	fi
	echo 1 >$EMU/attached || return 1
	udevadm settle -t 30
	[ "$(cat $T/state)" = uninitialized ]
}

# emu_modprobe: (TAP) load tdx_sys, then tdx_emu, configfs mounted
emu_modprobe() {
	tap_cmd "modprobe tdx_sys" -- modprobe tdx_sys
	configfs_mount
	tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
}

# emu_platform: configure, not attach, the default platform: the BIOS's
# CMRs (also left in CMRS, one per line), the firmware's CPUs, 15 MKTME
# and 48 TDX KeyIDs
emu_platform() {
	CMRS=$(bios_cmrs)
	emu_set cmrs default
	emu_set cpus default
	emu_set keyids "mktme=15 tdx=48"
}

# --- memory blocks ------------------------------------------------------

# udev_prop N KEY: a property udev recorded for memoryN
udev_prop() {
	udevadm info -q property -p "/devices/system/memory/memory$1" |
		sed -n "s/^$2=//p"
}

# block_online N: memoryN is online
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

# all_online ADDR SIZE: every block of the DIMM online
all_online() {
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" || return 1; done
}

# none_online ADDR SIZE: no block of the DIMM online
none_online() {
	local b
	for b in $(blocks "$1" "$2"); do block_online "$b" && return 1; done
	return 0
}

# --- PAMT -----------------------------------------------------------------

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

# pamt_count KEY: tdx_sys's own PAMT page counter KEY (allocated,
# total_allocated, total_freed) from debugfs; empty when unreadable
pamt_count() {
	sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" \
		/sys/kernel/debug/tdx_sys/pamt_pages 2>/dev/null
}

# check_pamt_held DESC: (TAP) tdx_sys holds exactly the published PAMT,
# pamt_kb/4 pages (each TDMR's PAMT is a whole number of pages)
check_pamt_held() {
	local kb held
	kb=$(cat $T/pamt_kb)
	held=$(pamt_count allocated)
	tap_cmd "$1: PAMT pages held ($held) = pamt_kb/4 ($kb/4), > 0" -- \
		test "${held:--1}" -eq $((kb / 4)) -a "${held:-0}" -gt 0
	tap_is "$(($(pamt_count total_allocated) - $(pamt_count total_freed)))" \
		"$held" "$1: PAMT pages allocated - freed = held"
}

# check_failed_after_config: (TAP) the module failed after TDH.SYS.CONFIG
# succeeded: it owns the PAMT, so nothing may be undone until a reboot
check_failed_after_config() {
	local pamt out
	tap_is "$(sysfs_write $T/state initialize)" "Input/output error" \
		"initialize again: EIO (reboot needed)"
	tap_cmd "reboot needed logged" -- \
		sh -c "dmesg | grep -q 'tdx_sys: .*reboot needed'"
	tap_is "$(cat $T/state)" failed "still failed"
	pamt=$(cat $T/pamt_kb)
	tap_cmd "PAMT kept ($pamt kB), TDMRs published" -- \
		sh -c "[ $pamt -gt 0 ] && [ -s $T/tdmrs ]"
	tap_is "$(pamt_free_pages)" 0 "PAMT pages still allocated (no BUDDY page)"
	check_pamt_held "failed after CONFIG"
	tap_is "$(sysfs_write $EMU/attached 0)" "Device or resource busy" \
		"detach refused"
	tap_cmd "rmmod tdx_emu refused" -- sh -c "! rmmod tdx_emu 2>/dev/null"
	tap_cmd "rmmod tdx_sys refused" -- sh -c "! rmmod tdx_sys 2>/dev/null"
	out=$(cat $T/* 2>&1 >/dev/null)
	tap_is "$out" "" "cat /sys/firmware/tdx/* still clean"
}

# --- the emulated CPUs ----------------------------------------------------

# emu_cpu KEY: value of "KEY: N" in the emulator's state (CPU counters)
emu_cpu() {
	sed -n "s/^$1: \([0-9]*\)$/\1/p" "$EMU/state"
}

# emu_fresh: (TAP on failure) detach the emulator and reset the platform:
# the module keeps its state across detach/attach, as the real one does
# across driver reloads, so only this gives a module at power-on
emu_fresh() {
	[ "$(cat $EMU/attached)" = 1 ] && emu_set attached 0
	emu_set reset 1
}

# --- soaks ----------------------------------------------------------------
# A soak scenario sets SOAK_SCALE=1 on a line of its own; every count it
# runs is a multiple of it. tests/vm/soak.sh --scale N runs copies with
# that line (and the timeout header) scaled, for long runs by hand.

# soak_line NAME KEY=VALUE...: the soak's figures as one TAP comment,
# "# soak: NAME kernel=RELEASE scale=N KEY=VALUE ..."
soak_line() {
	local name=$1
	shift
	echo "# soak: $name kernel=$(uname -r) scale=${SOAK_SCALE:-1} $*"
}

# emu_leaf_stat LEAF FIELD: calls or errors of one leaf in the emulator's
# stats, e.g. emu_leaf_stat TDH.SYS.CONFIG calls
emu_leaf_stat() {
	awk -v l="$1" -v f="$2" '$1 == l {
		for (i = 2; i <= NF; i++) { split($i, kv, "=")
			if (kv[1] == f) print kv[2] } }' "$EMU/stats"
}

# ms_now: milliseconds since boot
ms_now() {
	local s
	read -r s _ </proc/uptime
	echo $((${s/./} * 10))
}
