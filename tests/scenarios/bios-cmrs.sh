#!/bin/bash
# CMRs as real BIOSes report them (the emulator's default, from the boot
# memory map): they start at 1 MiB, although /proc/iomem calls 0x1000-
# 0x9efff System RAM and its block is online. That low RAM never reaches
# the page allocator and is not TDX memory: nothing non-convertible is
# online, tdx-init.service initializes TDX, and tdxctl plan - live and from
# a memory map written from this VM's own firmware tables - predicts the
# TDMRs the kernel builds.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

MAP=/run/tdxsys-vm.memmap

tap_cmd "low RAM in /proc/iomem" -- \
	grep -Eq '^0+1000-0+9f[0-9a-f]{3} : System RAM$' /proc/iomem
tap_cmd "attached with the emulator's default CMRs" -- emu_attach
want=$(bios_cmrs)
tap_is "$(cat $T/cmrs)" "$want" "CMRs: the BIOS's"
tap_cmd "first CMR starts at 1 MiB ($(head -n 1 $T/cmrs))" -- \
	grep -q '^0x100000-' $T/cmrs
tap_is "$(cat $T/nonconvertible_online)" "" \
	"nothing non-convertible online (the first MiB is not TDX memory)"
tap_is "$(tdxctl status --json | jq -c '.nonconvertible_online')" "[]" \
	"tdxctl status agrees"
tap_is "$(tdxctl check 0 >/dev/null; echo $?)" 0 "tdxctl check: block 0 convertible"

# A memory map of this VM: the firmware's e820 and the module's CMRs
{
	echo "# this VM: boot_params e820, CMRs from /sys/firmware/tdx/cmrs"
	boot_e820 | while read -r s e t; do
		case $t in
		1) n=usable ;; 3) n=acpi ;; 4) n=nvs ;; 5) n=unusable ;;
		7 | 12) n=pmem ;; 4026531839) n=soft-reserved ;; *) n=reserved ;;
		esac
		printf 'e820 0x%x-0x%x %s\n' "$s" $((e - 1)) "$n"
	done
	sed 's/^/cmr /' $T/cmrs
} >$MAP
tap_diag "$(cat $MAP)"
# Per TDMR "START-END PAMT_BYTES HOLES": HOLES are the reserved areas
# without the PAMT, i.e. the CMR holes (where a PAMT lands depends on what
# is free at initialization; plan only simulates that)
holes() {	# "S E" reserved lines (decimal, inclusive) minus PAMT [P, Q]
	sort -n | awk -v p="$1" -v q="$2" '
		function out(a, b) {
			if (a > b) return
			if (n && a == pe + 1) { pe = b; return }
			if (n) printf "%d-%d,", ps, pe
			ps = a; pe = b; n = 1
		}
		{ a = $1; b = $2
		  if (b < p || a > q) { out(a, b); next }
		  if (a < p) out(a, p - 1)
		  if (b > q) out(q + 1, b) }
		END { if (n) printf "%d-%d", ps, pe }'
}
plan_tdmrs() {	# tdxctl plan ARGS
	local j n i s e ps pz
	j=$(tdxctl plan --json "$@") || return 1
	n=$(jq '.tdmrs | length' <<<"$j")
	for ((i = 0; i < n; i++)); do
		read -r s e ps pz < <(jq -r ".tdmrs[$i] |
			\"\(.start) \(.end) \(.pamt_base) \(.pamt_size)\"" <<<"$j")
		echo "$s-$e $pz $(jq -r ".tdmrs[$i].reserved[] |
			\"\(.start) \(.end)\"" <<<"$j" |
			while read -r a b; do echo $((a)) $((b)); done |
			holes $((ps)) $((ps + pz - 1)))"
	done
}
kernel_tdmrs() {	# the same from the kernel's debugfs table
	local i=0 line s e ps pk
	while read -r line; do
		[[ $line =~ ^tdmr\ [0-9]+\ (0x[0-9a-f]+)-(0x[0-9a-f]+)\ .*\ pamt\ (0x[0-9a-f]+)\ \(([0-9]+)\ KiB\) ]] ||
			continue
		s=${BASH_REMATCH[1]} e=${BASH_REMATCH[2]} ps=${BASH_REMATCH[3]}
		pk=${BASH_REMATCH[4]}
		echo "$s-$e $((pk * 1024)) $(awk -v t="$i" '
			/^tdmr / { cur = $2 }
			cur == t && $1 == "reserved" { split($3, r, "-"); print r[1], r[2] }' \
			/sys/kernel/debug/tdx_sys/tdmrs |
			while read -r a b; do echo $((a)) $((b)); done |
			holes $((ps)) $((ps + pk * 1024 - 1)))"
		i=$((i + 1))
	done </sys/kernel/debug/tdx_sys/tdmrs
}
live=$(plan_tdmrs)
file=$(plan_tdmrs --memmap $MAP)
tap_cmd "tdxctl plan (live) predicts TDMRs: $live" -- test -n "$live"
tap_is "$file" "$live" "tdxctl plan --memmap (this VM's map) agrees with the live plan"
tap_is "$(tdxctl plan --json --memmap $MAP | jq -r '.ram[0].start')" 0x100000 \
	"plan --memmap: RAM from 1 MiB, as the kernel counts it"

tap_cmd "systemctl start tdx-init.service" -- systemctl start tdx-init.service
tap_is "$(cat $T/state)" initialized "initialized with the BIOS's CMRs"
tap_is "$(cat $T/error)" "" "no error"
tap_is "$(kernel_tdmrs)" "$live" \
	"the kernel built the TDMRs, PAMT sizes and CMR holes tdxctl plan predicted"
tap_cmd "TDX memory starts at 1 MiB or above ($(head -n 1 $T/tdx_memory))" -- \
	sh -c "[ \$((\$(head -n 1 $T/tdx_memory | cut -d- -f1))) -ge $((1 << 20)) ]"
tap_is "$(tdxctl lsmem --json | jq -r '.memory[0].in_tdx')" yes \
	"tdxctl lsmem: block 0 in TDX memory"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
