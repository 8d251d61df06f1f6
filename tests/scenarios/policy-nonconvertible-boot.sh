#!/bin/bash
# Boot memory online outside the CMRs (the emulated platform leaves out the
# top 128 MiB of boot RAM) blocks initialization, and the error lists the
# ranges; tdxctl status and plan show them too.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

# Boot RAM minus its last 128 MiB as CMRs.
cmrs=$(boot_ram_cmrs)
last=$(tail -n 1 <<<"$cmrs")
s=${last%-*}
e=${last#*-}
cut=$((e - (128 << 20)))
hole=$(printf '0x%x-0x%x' $((cut + 1)) $((e)))
cmrs=$(sed '$d' <<<"$cmrs"; printf '0x%x-0x%x\n' $((s)) $cut)
tap_diag "CMRs leave out $hole"
emu_load
cmr_list "$cmrs" >$EMU/cmrs
tap_cmd "attached" -- bash -c "echo 1 > $EMU/attached"
tap_cmd "nonconvertible_online lists the hole" -- \
	grep -q "^$hole\$" $T/nonconvertible_online
out=$(tdxctl init 2>&1)
rc=$?
tap_is "$rc" 1 "tdxctl init fails"
tap_cmd "error lists $hole: $out" -- grep -q "$hole" <<<"$out"
tap_is "$(cat $T/state)" uninitialized "retryable"
tap_cmd "tdxctl status shows it" -- \
	bash -c "tdxctl status --json | jq -e --arg h '${hole%-*}' '.nonconvertible_online[0].start == \$h'"
tap_cmd "tdxctl plan fails naming it" -- \
	bash -c "tdxctl plan 2>&1 >/dev/null | grep -q 'outside the CMRs'; tdxctl plan >/dev/null 2>&1; test \$? = 1"
