#!/bin/bash
# tdx_sys under injected faults, for everything that can fail before
# TDH.SYS.CONFIG succeeds (all retryable): attach-time SYS.INIT, LP.INIT,
# RD/INFO and KeyID failures; init-time LP.INIT failure, an offline CPU,
# a CONFIG failure, online non-convertible memory. Each must leave the
# right state (unsupported or uninitialized), a decoded error, a log line,
# no leaked pages (MemFree, tdx_sys's PAMT page counters in debugfs,
# emulator state) and no kernel warning; then
# transient statuses at CONFIG, KEY.CONFIG and TDMR.INIT are retried and
# a clean retry reaches "initialized".
# Needs its own boot (it ends configured). Failures after CONFIG need a
# boot each: sys-faults-keyconfig.sh, sys-faults-tdmrinit.sh.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

TDX_SYS_BUSY=0x8000020200000000
TDX_RND_NO_ENTROPY=0x8000020300000000
TDX_OPERAND_INVALID=0xC000010000000000
TDX_OPERAND_BUSY_RCX=0x8000020000000001
TDX_SYS_NOT_READY=0xC000050500000000
TDX_CMR_LIST_INVALID=0xC0000A2200000000
TDX_INCORRECT_CPUID_VALUE=0xC000090000000000
TDX_INVALID_PAMT=0xC0000A1000000000
TDX_KEY_GENERATION_FAILED=0x8000080000000000

inject() {		# LEAF STATUS [NTH]
	emu_set fault "leaf=$1 status=$2 nth=${3:-1}"
}

memfree() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree/ {print $2}' /proc/meminfo
}

# check_no_pamt DESC: tdx_sys's own counters show no PAMT page held and
# every page it allocated freed again
check_no_pamt() {
	local a t f
	a=$(pamt_count allocated)
	t=$(pamt_count total_allocated)
	f=$(pamt_count total_freed)
	tap_cmd "$1: no PAMT page held (allocated=$a), all freed ($t allocated, $f freed)" -- \
		test "${a:-x}" = 0 -a "${t:-x}" = "${f:-y}"
}

# expect STATE ERROR-REGEX DESC: state, decoded error and its log line,
# and (every failure here is before CONFIG) no PAMT page kept
expect() {
	local err
	err=$(cat $T/error)
	tap_is "$(cat $T/state)" "$1" "$3: state $1"
	if grep -Eq -- "$2" <<<"$err"; then
		tap_ok "$3: error decoded"
	else
		tap_fail "$3: error decoded" "error: '$err'" "want: /$2/"
	fi
	tap_cmd "$3: logged with tdx_sys: prefix" -- \
		sh -c "dmesg | grep 'tdx_sys: ' | grep -Eq -- '$2'"
	check_no_pamt "$3"
}

emu_modprobe
emu_platform
emu_set version "1.5.7"

# --- attach-time (probe) failures ---------------------------------------
inject 33 $TDX_CMR_LIST_INVALID
tap_cmd "attach fails when TDH.SYS.INIT fails" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
expect unsupported "TDH\.SYS\.INIT.*TDX_CMR_LIST_INVALID" "SYS.INIT fault"
tap_is "$(cat $T/provider)" none "SYS.INIT fault: provider none"
emu_set fault clear

inject 33 $TDX_SYS_BUSY
inject 35 $TDX_RND_NO_ENTROPY
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "SYS_BUSY / RND_NO_ENTROPY at probe retried"
emu_fresh
tap_is "$(cat $T/state)" unsupported "detach: unsupported again"
emu_set fault clear

# A module without TDH.SYS.RD is too old, whatever INFO says its version is
inject 34 $TDX_SYS_NOT_READY 0
tap_cmd "attach fails when RD is not served" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
expect unsupported "TDX module 1\.5 too old: it does not serve TDH\.SYS\.RD.*update the TDX module" \
	"RD not served (INFO: 1.5)"
inject 32 $TDX_OPERAND_INVALID 0
tap_cmd "attach fails when neither RD nor INFO work" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
expect unsupported "TDX module too old.*update the TDX module" "RD SYS_NOT_READY"
emu_set fault clear
emu_fresh

emu_set keyids "mktme=15 tdx=0"
tap_cmd "attach fails without TDX KeyIDs" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
expect unsupported "too few TDX private KeyIDs.*at least 2" "no private KeyIDs"
emu_set keyids "mktme=15 tdx=1"
tap_cmd "attach fails with one TDX KeyID" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
expect unsupported "too few TDX private KeyIDs: the BIOS assigned 1" \
	"one private KeyID: none left for TDs"
emu_set keyids "mktme=15 tdx=48"

# Non-convertible online memory: CMRs without the last 128 MiB of RAM
read -r ls le < <(ram_ranges | tail -n 1)
cut=$((le + 1 - (128 << 20)))
emu_set cmrs "$(cmr_list "$(sed '$d' <<<"$CMRS")" \
	"$(printf '0x%x-0x%x' "$ls" $((cut - 1)))")"
emu_set attached 1
tap_is "$(cat $T/nonconvertible_online)" "$(printf '0x%x-0x%x' "$cut" "$le")" \
	"nonconvertible_online names the RAM outside the CMRs"
m0=$(memfree)
initialize
expect uninitialized "outside convertible memory.*$(printf '0x%x-0x%x' "$cut" "$le").*offline those memory blocks" \
	"non-convertible online memory"
tap_is "$(cat $T/tdmrs)" "" "non-convertible: no TDMRs"
emu_fresh
emu_set cmrs "$(cmr_list "$CMRS")"

# --- init-time failures before CONFIG: retryable ------------------------
emu_set attached 1
tap_is "$(cat $T/nonconvertible_online)" "" "all online memory convertible"
m0=$(memfree)

inject 35 $TDX_INCORRECT_CPUID_VALUE
initialize
expect uninitialized "CPU [01]: TDH\.SYS\.LP\.INIT failed: TDX_INCORRECT_CPUID_VALUE" \
	"LP.INIT fault"
failed_cpu=$(sed -n 's/^CPU \([01]\): .*/\1/p' $T/error)
tap_is "$(cat $T/cpus)" 1/2 "LP.INIT fault: CPU $failed_cpu not counted"
emu_set fault clear

if echo 0 >/sys/devices/system/cpu/cpu1/online 2>/dev/null; then
	initialize
	expect uninitialized "CPU 1 offline .*: online them and retry" "offline CPU"
	echo 1 >/sys/devices/system/cpu/cpu1/online
	# The CPU whose LP.INIT failed gets it from the hotplug callback
	want=1/2
	[ "$failed_cpu" = 1 ] && want=2/2
	tap_is "$(cat $T/cpus)" $want "CPU 1 back online (LP.INIT had failed on CPU $failed_cpu)"
else
	tap_fail "offline CPU" "cpu1 cannot be offlined"
fi

# Four failing attempts: a leaked PAMT (8 MiB each here) would show
alloc0=$(pamt_count total_allocated)
for _ in 1 2 3; do
	inject 45 $TDX_INVALID_PAMT
	initialize
done
calls0=$(sed -n 's/^TDH.SYS.CONFIG calls=\([0-9]*\).*/\1/p' $EMU/stats)
inject 45 $TDX_INVALID_PAMT
initialize
expect uninitialized "TDH\.SYS\.CONFIG failed: TDX_INVALID_PAMT" "CONFIG fault"
tap_cmd "CONFIG fault: emulator still SYSINIT_DONE" -- \
	grep -Eiq 'sys_state: .*sysinit.done' $EMU/state
tap_is "$(sed -n 's/^TDH.SYS.CONFIG calls=\([0-9]*\).*/\1/p' $EMU/stats)" \
	$((calls0 + 1)) "CONFIG fault: CONFIG called once, not retried"
tap_is "$(cat $T/tdmrs)" "" "CONFIG fault: no TDMRs published"
tap_is "$(cat $T/pamt_kb)" 0 "CONFIG fault: no PAMT kept"
m1=$(memfree)
tap_cmd "CONFIG faults: PAMTs freed (MemFree $m0 -> $m1 kB)" -- \
	test $((m0 - m1)) -lt 8192
per_try=$((($(pamt_count total_allocated) - alloc0) / 4))
tap_cmd "CONFIG faults: each of 4 tries allocated a PAMT ($per_try pages)" -- \
	test $((alloc0 + 4 * per_try)) -eq "$(pamt_count total_allocated)" \
	-a $per_try -gt 0
emu_set fault clear

# --- transient statuses are retried; the clean retry succeeds -----------
fired0=$(emu_stat faults_fired)
inject 45 $TDX_SYS_BUSY
inject 31 $TDX_KEY_GENERATION_FAILED
inject 31 0x80000200000000BB 2
inject 36 $TDX_OPERAND_BUSY_RCX 3
initialize
tap_is "$(cat $T/state)" initialized "retry after failures: initialized"
tap_is "$(cat $T/error)" "" "no error left"
tap_is "$(($(emu_stat faults_fired) - fired0))" 4 "all four transient faults fired"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"emulator: all PAMT bytes initialized"
tap_is "$(pamt_free_pages)" 0 "PAMT pages allocated (no BUDDY page)"
check_pamt_held "initialized"
tap_is "$(pamt_count allocated)" "$per_try" \
	"initialized: same PAMT size as each failed try"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
