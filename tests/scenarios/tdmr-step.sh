#!/bin/bash
# The work per TDH.SYS.TDMR.INIT call is the module's choice (4 MiB of TDMR
# on 1.5, 16 MiB with Dynamic PAMT): tdx_sys loops on RDX progress, never
# on a call budget derived from one module's step. Here each call does
# 64 KiB - 16384 calls per GiB - and initialization completes, with the
# progress file ending at the total.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
tap_is "$(sysfs_write $EMU/tdmr_init_chunk 3000000)" "Invalid argument" \
	"tdmr_init_chunk: no power of two -> EINVAL"
tap_is "$(sysfs_write $EMU/tdmr_init_chunk 2048)" "Invalid argument" \
	"tdmr_init_chunk: below 4 KiB -> EINVAL"
tap_is "$(cat $EMU/tdmr_init_chunk)" 4194304 "default: 4 MiB, as 1.5"
emu_set tdmr_init_chunk 65536
emu_set attached 1
initialize
tap_is "$(cat $T/state)" initialized "initialized with a 64 KiB step"
tap_is "$(cat $T/error)" "" "no error"
calls=$(sed -n 's/^TDH.SYS.TDMR.INIT calls=\([0-9]*\) errors=0$/\1/p' $EMU/stats)
tap_cmd "$calls TDMR.INIT calls, none failed: 16384 per GiB" -- \
	test "${calls:-0}" -ge 16384
read -r done total <$T/progress
tap_is "$done" "$total" "progress complete ($done of $total bytes)"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"emulator: every PAMT byte initialized"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
