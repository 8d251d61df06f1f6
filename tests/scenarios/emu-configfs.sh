#!/bin/bash
# tdx_emu configfs: defaults visible, modes, malformed writes rejected with
# EINVAL and nothing changed, EPERM without CAP_SYS_ADMIN, EBUSY while
# attached, fault list, attach/detach without configuring.
# vm: mem=2G cpus=2
# timeout: 120
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

cleanup() {
	[ -w $EMU/attached ] && echo 0 >$EMU/attached 2>/dev/null
	[ -w $EMU/fault ] && echo clear >$EMU/fault 2>/dev/null
}
# shellcheck disable=SC2034 # read by lib.sh at exit
TAP_CLEANUP=cleanup

configfs_mount
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
tap_cmd "configfs directory exists" -- test -d $EMU
tap_is "$(cat $EMU/attached)" 0 "not attached after load"

# write VALUE ATTR: prints the errno name of a failed write, or "ok"
wr() {
	local out
	if out=$(bash -c "printf '%s' \"\$1\" > \"\$2\"" sh "$1" "$2" 2>&1); then
		echo ok
	else
		case $out in
		*"Invalid argument"*) echo EINVAL ;;
		*"Device or resource busy"*) echo EBUSY ;;
		*"Operation not permitted"*) echo EPERM ;;
		*"No space left"*) echo ENOSPC ;;
		*) echo "other: $out" ;;
		esac
	fi
}

# Defaults
tap_is "$(cat $EMU/keyids)" "mktme=31 tdx=32" "default KeyIDs"
tap_is "$(cat $EMU/version)" "1.5.0" "default version"
tap_is "$(cat $EMU/max_tdmrs)" 64 "default max_tdmrs"
tap_is "$(cat $EMU/max_reserved_per_tdmr)" 16 "default max_reserved_per_tdmr"
tap_is "$(cat $EMU/pamt_entry_size)" 16 "default pamt_entry_size"
tap_is "$(cat $EMU/vendor_id)" 0x8086 "default vendor_id"
tap_is "$(cat $EMU/tdmr_init_delay_ns)" 0 "default tdmr_init_delay_ns"
tap_is "$(cat $EMU/fault)" "" "no faults pending"
# Default CPUs: the firmware's (MADT, CPUID), one "APIC:PACKAGE" each;
# here every one is also a Linux CPU, whose APIC id and package Linux shows
expand_lps() {	# "A[-B]:P" items -> "APIC:PKG" lines, sorted
	tr ', ' '\n\n' | while IFS=: read -r ids p; do
		[ -n "$ids" ] || continue
		a=${ids%-*} b=${ids#*-}
		for ((i = a; i <= b; i++)); do echo "$i:$p"; done
	done | sort -n
}
want_lps=$(for c in /sys/devices/system/cpu/cpu[0-9]*; do
	n=${c##*cpu}
	a=$(awk -v n="$n" '$1 == "processor" { p = $3 } $1 == "apicid" && p == n { print $3 }' /proc/cpuinfo)
	echo "$a:$(cat $c/topology/physical_package_id)"
done | sort -n)
tap_is "$(expand_lps <$EMU/cpus)" "$want_lps" "default cpus: the firmware's, APIC id:package"

# Default CMRs: a BIOS's, from the boot memory map (computed here on its
# own); like real CMR lists they start at 1 MiB, unlike /proc/iomem
want_cmrs=$(bios_cmrs)
tap_is "$(cat $EMU/cmrs)" "$want_cmrs" "default cmrs: the BIOS's, from the boot memory map"
tap_cmd "default cmrs start at 1 MiB ($(head -n 1 <<<"$want_cmrs"))" -- \
	grep -q '^0x100000-' <<<"$want_cmrs"

tap_is "$(stat -c %a $EMU/cmrs)" 600 "cmrs root only (0600)"
tap_is "$(stat -c %a $EMU/stats)" 400 "stats root only (0400)"
tap_is "$(stat -c %a $EMU/state)" 444 "state world-readable"

# Malformed writes: EINVAL, nothing changes
check_bad() {	# ATTR VALUE
	local before after
	before=$(cat "$EMU/$1")
	tap_is "$(wr "$2" "$EMU/$1")" EINVAL "$1: '$2' rejected with EINVAL"
	after=$(cat "$EMU/$1")
	tap_is "$after" "$before" "$1 unchanged"
}
check_bad cmrs "garbage"
check_bad cmrs "0x2000-0x1000"
check_bad cmrs "0x1000"
check_bad cpus "0-1"
check_bad cpus "0:0 0:1"
check_bad cpus "0xffffffff:0"	# the x2APIC broadcast id
check_bad keyids "foo=3"
check_bad keyids "mktme=30000 tdx=30000"
check_bad version "1"
check_bad version "1.5.0.0"
check_bad max_tdmrs 0
check_bad max_tdmrs 65
check_bad max_reserved_per_tdmr 17
check_bad pamt_entry_size 24
check_bad build_num 65536
check_bad tdmr_init_delay_ns 10000001
check_bad fault "leaf=64 status=1"
check_bad fault "leaf=33"
check_bad attached 2

# Good writes round-trip
tap_is "$(wr "0x100000-0x7fffffff,0x100000000-0x17fffffff" $EMU/cmrs)" ok \
	"cmrs accepted"
tap_is "$(cat $EMU/cmrs)" "0x100000-0x7fffffff
0x100000000-0x17fffffff" "cmrs read back"
tap_is "$(wr default $EMU/cmrs)" ok "cmrs reset to default"
tap_is "$(cat $EMU/cmrs)" "$want_cmrs" "default cmrs again"
tap_is "$(wr "mktme=15 tdx=16" $EMU/keyids)" ok "keyids accepted"
tap_is "$(cat $EMU/keyids)" "mktme=15 tdx=16" "keyids read back"
wr "mktme=31 tdx=32" $EMU/keyids >/dev/null
tap_is "$(wr "1.5.6" $EMU/version)" ok "version accepted"
tap_is "$(cat $EMU/version)" "1.5.6" "version read back"
wr "1.5.0" $EMU/version >/dev/null
tap_is "$(wr 32 $EMU/pamt_entry_size)" ok "pamt_entry_size 32 accepted"
wr 16 $EMU/pamt_entry_size >/dev/null

# CAP_SYS_ADMIN
if command -v setpriv >/dev/null; then
	out=$(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
		bash -c "echo 5 > $EMU/max_tdmrs" 2>&1)
	case $out in
	*"Operation not permitted"*) tap_ok "store without CAP_SYS_ADMIN: EPERM" ;;
	*) tap_fail "store without CAP_SYS_ADMIN: EPERM" "got: $out" ;;
	esac
	tap_is "$(cat $EMU/max_tdmrs)" 64 "max_tdmrs unchanged"
else
	tap_fail "store without CAP_SYS_ADMIN" "setpriv (util-linux) missing in the guest"
fi

# Faults
tap_is "$(wr "leaf=31 status=0x8000080000000000 nth=2" $EMU/fault)" ok \
	"fault added"
tap_is "$(wr "leaf=44 status=0x8000020200000000 nth=0" $EMU/fault)" ok \
	"second fault added"
tap_is "$(cat $EMU/fault)" "leaf=31 status=0x8000080000000000 nth=2 left=2
leaf=44 status=0x8000020200000000 nth=0 left=0" "faults listed"
tap_is "$(wr clear $EMU/fault)" ok "faults cleared"
tap_is "$(cat $EMU/fault)" "" "no faults pending"

# Attach / detach (needs tdx_sys, which the module depends on)
if [ "$(cat /sys/firmware/tdx/provider 2>/dev/null)" = hardware ]; then
	tap_fail "attach" "a hardware provider is registered: the emulator cannot attach"
else
	tap_is "$(wr 1 $EMU/attached)" ok "attach"
	tap_is "$(cat $EMU/attached)" 1 "attached reads 1"
	tap_is "$(cat /sys/firmware/tdx/provider 2>/dev/null)" emulated \
		"tdx_sys sees the emulated provider"
	st=$(cat $EMU/state)
	tap_cmd "SYS.INIT done by the probe" -- \
		grep -Eq '^sys_state: (SYSINIT_DONE|SYSCONFIG_DONE|SYS_READY)$' \
		<<<"$st"
	tap_cmd "stats count TDH.SYS.INIT" -- \
		grep -q '^TDH.SYS.INIT calls=[1-9]' $EMU/stats
	before=$(cat $EMU/max_tdmrs)
	tap_is "$(wr 5 $EMU/max_tdmrs)" EBUSY "config write while attached: EBUSY"
	tap_is "$(cat $EMU/max_tdmrs)" "$before" "max_tdmrs unchanged"
	tap_is "$(wr 0x0-0xfff $EMU/cmrs)" EBUSY "cmrs write while attached: EBUSY"
	tap_cmd "EBUSY logged" -- sh -c \
		"dmesg | grep -q 'tdx_emu: max_tdmrs: refused while attached'"
	tap_is "$(wr 1000 $EMU/tdmr_init_delay_ns)" ok \
		"tdmr_init_delay_ns writable while attached"
	wr 0 $EMU/tdmr_init_delay_ns >/dev/null
	tap_is "$(wr 1 $EMU/attached)" ok "attach again is a no-op"
	case $(cat /sys/firmware/tdx/state 2>/dev/null) in
	initializing | initialized | failed)
		tap_is "$(wr 0 $EMU/attached)" EBUSY \
			"detach refused once the host configured the module" ;;
	*)
		tap_is "$(wr 1 $EMU/reset)" EBUSY "reset while attached: EBUSY"
		tap_is "$(wr 0 $EMU/attached)" ok "detach before configuration"
		tap_is "$(cat $EMU/attached)" 0 "attached reads 0"
		# The module keeps its state, as the real one in SEAMRR does
		tap_cmd "detached module still past SYS.INIT" -- \
			grep -q '^sys_state: SYSINIT_DONE$' $EMU/state
		tap_is "$(wr 5 $EMU/max_tdmrs)" EBUSY \
			"config write after SYS.INIT, detached: EBUSY"
		tap_cmd "logged: reset first" -- sh -c \
			"dmesg | grep -q 'tdx_emu: max_tdmrs: refused: the module is past power-on; write 1 to reset first'"
		tap_is "$(wr 2 $EMU/reset)" EINVAL "reset: only 1"
		tap_is "$(cat $EMU/reset)" 1 "reset reads 1: not at power-on"
		tap_is "$(wr 1 $EMU/reset)" ok "platform reset"
		tap_cmd "module powered on afresh" -- \
			grep -q '^sys_state: SYSINIT_PENDING$' $EMU/state
		tap_is "$(cat $EMU/reset)" 0 "reset reads 0 at power-on"
		tap_is "$(wr 5 $EMU/max_tdmrs)" ok "config writable after a reset"
		wr 64 $EMU/max_tdmrs >/dev/null
		tap_cmd "rmmod tdx_emu" -- rmmod tdx_emu
		tap_cmd "modprobe tdx_emu again" -- modprobe tdx_emu ;;
	esac
fi
