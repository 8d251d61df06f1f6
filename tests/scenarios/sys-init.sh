#!/bin/bash
# tdx_sys happy path on the emulated platform: load (unsupported: no TDX in
# the VM), attach tdx_emu (uninitialized, facts published), write
# "initialize", wait for "initialized", check the published CMRs, TDMRs,
# PAMT, progress, KeyIDs, version and CPUs against the configured platform
# and the layout rules, the emulator's own count of PAMT bytes initialized,
# a clean `cat /sys/firmware/tdx/*`, the state-change uevent seen by a udev
# rule, and that nothing can be unloaded afterwards.
# Needs its own boot: it leaves the TDX module configured.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

RULE=/run/udev/rules.d/99-tdxsys-test-uevent.rules
EVLOG=/run/tdxsys-test-uevents

cleanup() {
	rm -f "$RULE"
	udevadm control --reload 2>/dev/null
}
# shellcheck disable=SC2034 # read by lib.sh at exit
TAP_CLEANUP=cleanup

tap_cmd "modprobe tdx_sys" -- modprobe tdx_sys
tap_is "$(cat $T/state)" unsupported "no TDX hardware in the VM: unsupported"
tap_is "$(cat $T/provider)" none "no provider"
err=$(cat $T/error)
tap_cmd "error says why (${err:-empty})" -- test -n "$err"
tap_is "$(sysfs_write $T/state initialize)" "No such device" \
	"initialize refused while unsupported"

configfs_mount
tap_cmd "modprobe tdx_emu" -- modprobe tdx_emu
tap_cmd "tdx_emu configfs present" -- test -d $EMU

# The platform: the BIOS's CMRs and CPUs, known facts
emu_platform
emu_set version "1.5.7"
emu_set build_num 777
emu_set tdmr_init_delay_ns 20000
emu_set attached 1

tap_is "$(cat $T/provider)" emulated "provider emulated"
tap_is "$(cat $T/state)" uninitialized "attach probes: uninitialized"
tap_is "$(cat $T/error)" "" "no error after attach"
tap_is "$(cat $T/cmrs)" "$CMRS" "cmrs: the BIOS's, from 1 MiB"
tap_is "$(cat $T/version)" 1.5.7 "version"
tap_is "$(cat $T/build_num)" 777 "build_num"
tap_is "$(cat $T/vendor_id)" 0x8086 "vendor_id"
tap_is "$(cat $T/keyids)" 16-63 "private KeyIDs from MSR 0x87"
tap_is "$(cat $T/global_keyid)" 0 "no global KeyID before CONFIG"
tap_is "$(cat $T/cpus)" 1/2 "LP.INIT on the probing CPU only"
tap_is "$(cat $T/max_tdmrs)" 64 "max_tdmrs"
tap_is "$(cat $T/max_reserved_per_tdmr)" 16 "max_reserved_per_tdmr"
tap_is "$(cat $T/nonconvertible_online)" "" "no non-convertible online memory"
tap_is "$(cat $T/tdmrs)" "" "no TDMRs before initialization"
tap_is "$(cat $T/pamt_kb)" 0 "no PAMT before initialization"

# Bad writes change nothing
tap_is "$(sysfs_write $T/state bogus)" "Invalid argument" "state: bogus -> EINVAL"
tap_is "$(sysfs_write $T/state initialized)" "Invalid argument" \
	"state: a state name -> EINVAL"
tap_is "$(sysfs_write /sys/module/tdx_sys/parameters/tdmr_cover all)" \
	"Invalid argument" "tdmr_cover: bad value -> EINVAL"
tap_is "$(cat /sys/module/tdx_sys/parameters/tdmr_cover)" present \
	"tdmr_cover default present"
if command -v setpriv >/dev/null; then
	out=$(setpriv --bounding-set -sys_admin -- bash -c \
		"echo initialize > $T/state" 2>&1)
	tap_cmd "initialize without CAP_SYS_ADMIN: EPERM ($out)" -- \
		grep -q "Operation not permitted" <<<"$out"
else
	tap_fail "initialize without CAP_SYS_ADMIN" "setpriv (util-linux) missing in the guest"
fi
tap_is "$(cat $T/state)" uninitialized "still uninitialized"

# The uevent, through a udev rule
mkdir -p /run/udev/rules.d
rm -f $EVLOG
cat >"$RULE" <<EOF
SUBSYSTEM=="tdx", ACTION=="change", ENV{TDX_STATE}=="?*", RUN+="/bin/sh -c 'echo \$env{TDX_PREV_STATE} \$env{TDX_STATE} >>$EVLOG'"
EOF
udevadm control --reload
tap_cmd "class device /sys/class/tdx/tdx" -- test -e /sys/class/tdx/tdx

t0=$SECONDS
tap_cmd "write initialize" -- sh -c "echo initialize > $T/state"
st=$(cat $T/state)
case $st in
initializing | initialized) tap_ok "state $st right after the write" ;;
*) tap_fail "state right after the write" "got $st" ;;
esac
out=$(sysfs_write $T/state initialize)
case $out in
"" | "Device or resource busy") tap_ok "second request: '${out:-ok}'" ;;
*) tap_fail "second request: EBUSY while running, success once done" "$out" ;;
esac
wait_for 240 state_settled
tap_is "$(cat $T/state)" initialized "initialized ($((SECONDS - t0)) s)"
tap_is "$(cat $T/error)" "" "no error"
tap_is "$(cat $T/cpus)" 2/2 "LP.INIT on both CPUs"
tap_is "$(cat $T/global_keyid)" 16 "global KeyID = first private KeyID"

# TDMRs: 1 GiB granular, ascending, covering all System RAM; PAMT sizes
mapfile -t tdmrs <$T/tdmrs
tap_cmd "at least one TDMR" -- test ${#tdmrs[@]} -ge 1
esz=$(cat $T/pamt_entry_size)
pamt_sum=0 total=0 prev_end=-1 bad=""
lvl() {	# SIZE PAGE: PAMT bytes of one level, 4 KiB rounded
	echo $(((($1 / $2) * esz + 4095) & ~4095))
}
for l in "${tdmrs[@]}"; do
	if ! [[ $l =~ ^0x([0-9a-f]+)-0x([0-9a-f]+)\ pamt=([0-9]+)\ reserved=([0-9]+)$ ]]; then
		bad+="format: '$l' "
		continue
	fi
	s=$((0x${BASH_REMATCH[1]})) e=$((0x${BASH_REMATCH[2]} + 1))
	p=${BASH_REMATCH[3]}
	size=$((e - s))
	[ $((s % GIB)) -eq 0 ] && [ $((size % GIB)) -eq 0 ] && [ $size -gt 0 ] ||
		bad+="not 1 GiB granular: $l "
	[ $s -gt $prev_end ] || bad+="not ascending: $l "
	want=$(($(lvl $size 4096) + $(lvl $size $((2 << 20))) + $(lvl $size $GIB)))
	[ "$p" -eq "$want" ] || bad+="pamt $p != $want for $l "
	pamt_sum=$((pamt_sum + p)) total=$((total + size)) prev_end=$((e - 1))
done
tap_is "$bad" "" "TDMR lines well formed, 1 GiB granular, PAMT sized per level"
uncovered=""
while read -r s e; do
	ok=0
	for l in "${tdmrs[@]}"; do
		[[ $l =~ ^0x([0-9a-f]+)-0x([0-9a-f]+) ]] || continue
		[ $s -ge $((0x${BASH_REMATCH[1]})) ] &&
			[ $e -le $((0x${BASH_REMATCH[2]})) ] && ok=1
	done
	[ $ok = 1 ] || uncovered+=$(printf '0x%x-0x%x ' $s $e)
done < <(tdx_ram_ranges)
tap_is "$uncovered" "" "every System RAM range (from 1 MiB) inside a TDMR"
tap_is "$(cat $T/pamt_kb)" $((pamt_sum / 1024)) "pamt_kb = sum of TDMR PAMTs"
tap_is "$(cat $T/progress)" "$total $total" "progress complete"
tap_cmd "tdx_memory published" -- test -s $T/tdx_memory

# The emulator's view: every PAMT byte initialized, entries verified
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"emulator: all PAMT bytes initialized"
tap_cmd "emulator: PAMT entries verify ok" -- grep -q '^verify: .* ok$' $EMU/stats
tap_cmd "emulator: SYS_READY" -- grep -q 'sys_state: .*READY' $EMU/state
# The PAMT is the module's: out of the host's direct map
wait_for 30 sh -c "[ \$(sed -n 's/^pamt_private_bytes: //p' $EMU/state) -gt 0 ]"
priv=$(emu_cpu pamt_private_bytes)
tap_cmd "PAMT private: $priv bytes" -- test "${priv:-0}" -ge $(($(cat $T/pamt_kb) * 1024))
tap_is "$(emu_cpu pamt_private_unmapped)" "$priv" "all of it out of the direct map"
tap_is "$(emu_cpu pamt_host_reachable)" 0 "the host cannot read it any more"
tap_cmd "the module still verifies its entries through its own mapping" -- \
	grep -q '^verify: .* corrupted=0 .* ok$' $EMU/stats
tap_is "$(grep -c '^tdmr ' /sys/kernel/debug/tdx_sys/tdmrs 2>/dev/null)" \
	"${#tdmrs[@]}" "debugfs table lists every TDMR"

# cat of everything: complete and clean
out=$(cat $T/* 2>&1 >/dev/null)
tap_is "$out" "" "cat /sys/firmware/tdx/* prints no error"
tap_is "$(find $T -mindepth 1 ! -type f | wc -l)" 0 "only regular files"
for f in cmrs tdx_memory nonconvertible_online tdmrs error; do
	tap_is "$(stat -c %a $T/$f)" 400 "$f root only"
done
tap_is "$(stat -c %a $T/state)" 644 "state 0644"

udevadm settle -t 30
tap_cmd "udev rule saw TDX_STATE=initialized" -- \
	grep -qx "initializing initialized" $EVLOG
tap_cmd "udev rule saw the start" -- grep -qx "uninitialized initializing" $EVLOG
tap_diag "$(cat $EVLOG 2>/dev/null)"

# Configured: idempotent request, nothing can go away
tap_cmd "initialize again: no-op success" -- sh -c "echo initialize > $T/state"
tap_is "$(sysfs_write $EMU/attached 0)" "Device or resource busy" \
	"detach refused once configured"
tap_cmd "rmmod tdx_emu refused" -- sh -c "! rmmod tdx_emu 2>/dev/null"
tap_cmd "rmmod tdx_sys refused" -- sh -c "! rmmod tdx_sys 2>/dev/null"
tap_is "$(cat $T/state)" initialized "still initialized"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
