#!/bin/bash
# In-VM benchmark of TDX initialization on the emulated module: CMRs make
# nine TDMRs (boot RAM plus 8 x 4 GiB with 1 GiB holes between them, 34 GiB
# with tdmr_cover=cmrs), each TDH.SYS.TDMR.INIT costs tdmr_init_delay_ns =
# 7000 (the figure measured on hardware) on top of the emulator's own work,
# and the wall time of initialization is taken from tdx_sys's log: the state
# change timestamps (initializing -> initialized) and its TDMR.INIT line.
# Runs with whatever tdmr_init_threads the boot has: this script the default
# (every CPU), vm-init-serial.sh the same with tdmr_init_threads=1 (each
# needs its own boot: initialization cannot be undone). `make bench-vm` runs
# both and prints the speedup. Results are TAP lines "bench: key=value ...".
# vm: mem=2G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

NR_CMRS=${BENCH_NR_CMRS:-8}
CMR_GIB=${BENCH_CMR_GIB:-4}
DELAY_NS=${BENCH_DELAY_NS:-7000}

# NR_CMRS CMRs of CMR_GIB GiB from 4 GiB on, 1 GiB apart: one TDMR each
extra=()
for ((k = 0; k < NR_CMRS; k++)); do
	s=$(((4 + k * (CMR_GIB + 1)) * GIB))
	extra+=("$(printf '0x%x-0x%x' $s $((s + CMR_GIB * GIB - 1)))")
done

# log_time PATTERN: timestamp (s) of the last tdx_sys log line matching it
log_time() {
	dmesg | sed -n "s/^\[ *\([0-9.]*\)\] tdx_sys: $1.*/\1/p" | tail -n 1
}

tap_cmd "attached, ${NR_CMRS} CMRs of ${CMR_GIB} GiB added" -- \
	emu_attach "${extra[@]}"
threads=$(cat /sys/module/tdx_sys/parameters/tdmr_init_threads)
tap_is "$(cat /sys/module/tdx_sys/parameters/tdmr_cover)" cmrs "tdmr_cover=cmrs"
emu_set tdmr_init_delay_ns "$DELAY_NS"
lp_cpus=$(cut -d/ -f2 $T/cpus)
want_cpus=$lp_cpus
[ "$threads" -gt 0 ] && [ "$threads" -lt "$lp_cpus" ] && want_cpus=$threads

t0=$(date +%s.%N)
tap_cmd "tdxctl init" -- tdxctl init --timeout 300
t1=$(date +%s.%N)
tap_is "$(cat $T/state)" initialized "initialized"
tap_is "$(cat $T/error)" "" "no error"

nr=$(wc -l <$T/tdmrs)
read -r pdone total <$T/progress
tap_cmd "at least 4 TDMRs ($nr), $((total / GIB)) GiB" -- test "$nr" -ge 4
tap_is "$pdone" "$total" "progress complete"
tap_is "$(emu_stat pamt_bytes_initialized)" "$(emu_stat pamt_bytes_expected)" \
	"emulator: all PAMT bytes initialized"
tap_cmd "emulator: PAMT entries verify ok" -- grep -q '^verify: .* ok$' $EMU/stats

line=$(dmesg | grep 'tdx_sys: TDH.SYS.TDMR.INIT of ' | tail -n 1)
re='TDMR.INIT of ([0-9]+) TDMRs \(([0-9]+) MiB\) on ([0-9]+) CPUs? took ([0-9]+) ms'
if [[ $line =~ $re ]]; then
	tap_ok "TDMR.INIT logged: ${line#*tdx_sys: }"
	used=${BASH_REMATCH[3]} tdmr_ms=${BASH_REMATCH[4]}
else
	tap_fail "TDMR.INIT logged" "log line: '$line'"
	used=0 tdmr_ms=0
fi
# the default spreads the TDMRs over the CPUs, 1 keeps them serial
want=$((want_cpus < nr ? want_cpus : nr))
tap_is "$used" "$want" "tdmr_init_threads=$threads: TDMR.INIT ran on $want CPU(s)"

ts=$(log_time 'state uninitialized -> initializing')
te=$(log_time 'state initializing -> initialized')
init_ms=$(awk -v s="$ts" -v e="$te" 'BEGIN { printf "%d", (e - s) * 1000 }')
wall_ms=$(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%d", (e - s) * 1000 }')
tap_cmd "init time from the log ($ts -> $te)" -- test "$init_ms" -gt 0
gib=$(awk -v b="$total" 'BEGIN { printf "%.2f", b / 2^30 }')
per_gib() {
	awk -v ms="$1" -v g="$gib" 'BEGIN { printf "%.1f", ms / g }'
}
tap_ok "bench: threads=$threads cpus=$used tdmrs=$nr gib=$gib delay_ns=$DELAY_NS init_ms=$init_ms init_ms_per_gib=$(per_gib "$init_ms") tdmr_init_ms=$tdmr_ms tdmr_init_ms_per_gib=$(per_gib "$tdmr_ms") tdxctl_ms=$wall_ms"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
