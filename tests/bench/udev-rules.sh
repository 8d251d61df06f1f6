#!/bin/bash
# In-VM benchmark of the udev rules, all in one boot, before TDX
# initialization with all hot-added memory convertible (so every decision
# is "online"), each measurement alternating between
#   tdxsys: the installed 80-tdx-memory.rules (and its decision table)
#   plain:  SUBSYSTEM=="memory", ACTION=="add", ATTR{state}=="offline",
#           ATTR{state}="online_movable"   (80-tdx-memory.rules masked)
# 1. Hot-add latency per block: single-block (128 MiB) DIMMs hot-added one
#    at a time, BENCH_PER_BLOCK per rule; from "udevadm monitor -k -u"
#    timestamps, kernel "add" uevent to udev done with it (add_ms) and to
#    udev done with the "online" uevent the onlining causes (online_ms).
# 2. Coldplug: BENCH_COLD_GIB GiB of DIMMs (8 GiB each) hot-added with no
#    rule at all, so their blocks stay offline (1024 blocks by default);
#    then, BENCH_COLD_RUNS times per rule, "udevadm trigger --action=add"
#    over the offline blocks and "udevadm settle": the wall time until all
#    are online and udev is idle; offlined again between runs.
# 3. The cost of one exec of /bin/true, tdxctl check --udev (what every
#    block cost before the decision table) and tdxctl udev-table.
# Results are TAP lines "bench: key=value ..."; `make bench-udev` prints
# medians, spread and the tdxsys/plain ratios (tests/bench/udev-report.awk).
# vm: mem=4G slots=80 maxmem=160G cpus=2
# timeout: 3000
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

PER_BLOCK=${BENCH_PER_BLOCK:-24}
COLD_GIB=${BENCH_COLD_GIB:-128}
COLD_RUNS=${BENCH_COLD_RUNS:-3}
COLD_DIMM_GIB=8
RULES=/run/udev/rules.d
PLAIN='SUBSYSTEM=="memory", ACTION=="add", ATTR{state}=="offline", ATTR{state}="online_movable"'
OUT=/run/bench
MON=
mkdir -p $RULES $OUT

cleanup() {
	[ -n "$MON" ] && kill "$MON" 2>/dev/null
	rm -f $RULES/80-tdx-memory.rules $RULES/81-bench-plain.rules
	udevadm control --reload
}
TAP_CLEANUP=cleanup

# use_rule tdxsys|plain|none: which rule onlines memory from now on
use_rule() {
	case $1 in
	tdxsys) rm -f $RULES/80-tdx-memory.rules $RULES/81-bench-plain.rules ;;
	plain)
		: >$RULES/80-tdx-memory.rules
		echo "$PLAIN" >$RULES/81-bench-plain.rules
		;;
	none)
		: >$RULES/80-tdx-memory.rules
		rm -f $RULES/81-bench-plain.rules
		;;
	esac
	udevadm control --reload
}

# stats FILE: "n= median= p25= p75= min= max=" of the numbers in FILE
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 }
		function q(p,   i) { i = int(p * (NR - 1) + 0.5) + 1; return v[i] }
		END { if (!NR) { print "n=0"; exit }
		      printf "n=%d median=%.1f p25=%.1f p75=%.1f min=%.1f max=%.1f\n",
			     NR, q(0.5), q(0.25), q(0.75), v[1], v[NR] }'
}

# Device memory (DIMMs) starts at the first GiB above RAM and 4 GiB.
top=$(awk -F'[- :]+' '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ { print $2 }' \
	/proc/iomem | while read -r e; do echo $((0x$e + 1)); done | sort -n | tail -n 1)
BASE=$(((top > 4 * GIB ? top : 4 * GIB) + GIB - 1))
BASE=$((BASE / GIB * GIB))
BS=$(mem_block_size)
COLD_BASE=$((BASE + ((PER_BLOCK * 2 * BS + GIB - 1) / GIB) * GIB))
END=$((COLD_BASE + COLD_GIB * GIB))
tap_diag "DIMMs from $(printf 0x%x $BASE), coldplug from $(printf 0x%x $COLD_BASE), block size $((BS >> 20)) MiB"

# The BIOS's CMRs (boot RAM) plus every DIMM's range convertible: every
# decision is "online". CMRs may not overlap: the DIMMs' starts above RAM.
tap_cmd "attached, CMRs up to $(printf 0x%x $END)" -- \
	emu_attach "$(printf '0x%x-0x%x' $BASE $((END - 1)))"
tap_is "$(cat $T/state)" uninitialized "before TDX initialization"
tap_cmd "decision table written" -- \
	test -s $RULES/79-tdx-memory-table.rules

# --- 1. hot-add latency per block --------------------------------------------
udevadm monitor -k -u -s memory >$OUT/monitor &
MON=$!
sleep 1
cg=/sys/fs/cgroup/system.slice/systemd-udevd.service/cpu.stat
udevd_cpu() { sed -n 's/^usage_usec //p' $cg 2>/dev/null || echo 0; }
addr=$BASE
: >$OUT/blocks
for ((i = 0; i < PER_BLOCK * 2; i++)); do
	# ABBA order, so neither rule always comes first
	if (((i + i / 2) % 2)); then rule=plain; else rule=tdxsys; fi
	use_rule $rule
	b=$((addr / BS))
	c0=$(udevd_cpu)
	id=$(vm_hotadd_dimm $addr $((BS >> 20))M) ||
		tap_fail "$rule: hot-add memory$b"
	wait_for 30 block_online $b || tap_fail "$rule: memory$b online"
	udevadm settle -t 60
	echo "$rule $b $((($(udevd_cpu) - c0) / 1000))" >>$OUT/blocks
	[ $rule = tdxsys ] && [ "$(udev_prop $b TDX_DECISION)" != online ] &&
		tap_fail "memory$b: TDX_DECISION $(udev_prop $b TDX_DECISION)"
	addr=$((addr + BS))
done
sleep 1
kill $MON
wait $MON 2>/dev/null
MON=
# "KERNEL[t] add /devices/system/memory/memoryN (memory)", "UDEV [t] ..."
awk '/^KERNEL\[/ { t = substr($1, 8); sub(/\]/, "", t)
		   if ($2 == "add") k[$3] = t; next }
     /^UDEV/ { t = substr($2, 2); sub(/\]/, "", t)
	       if ($3 == "add") a[$4] = t; else if ($3 == "online") o[$4] = t }
     END { for (d in k) { n = d; sub(/.*memory/, "", n)
		  printf "%s %.1f %.1f\n", n, (a[d] - k[d]) * 1000,
			 (o[d] - k[d]) * 1000 } }' $OUT/monitor >$OUT/lat
for rule in tdxsys plain; do
	: >$OUT/add.$rule
	: >$OUT/online.$rule
	: >$OUT/cpu.$rule
	while read -r r b cpu; do
		[ "$r" = $rule ] || continue
		awk -v b="$b" '$1 == b { print $2 >> "'$OUT/add.$rule'"
				       print $3 >> "'$OUT/online.$rule'" }' $OUT/lat
		echo "$cpu" >>$OUT/cpu.$rule
	done <$OUT/blocks
	n=$(wc -l <$OUT/add.$rule)
	tap_is "$n" "$PER_BLOCK" "$rule: $n blocks timed"
	tap_ok "bench: kind=hotadd rule=$rule metric=add_ms $(stats $OUT/add.$rule)"
	tap_ok "bench: kind=hotadd rule=$rule metric=online_ms $(stats $OUT/online.$rule)"
	tap_ok "bench: kind=hotadd rule=$rule metric=udevd_cpu_ms $(stats $OUT/cpu.$rule)"
done
tap_diag "per block (block add_ms online_ms): $(sort -n $OUT/lat | tr '\n' ';')"

# Where a program's time goes: one exec of each, N times from this shell
b=$((BASE / BS))
per_call() {
	local t0 t1 i
	t0=$(date +%s%N)
	for ((i = 0; i < 20; i++)); do "$@" >/dev/null; done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 20000))
}
tap_ok "bench: kind=exec what=true us_per_call=$(per_call /bin/true)"
tap_ok "bench: kind=exec what=tdxctl_check_udev us_per_call=$(per_call tdxctl check --udev memory$b)"
tap_ok "bench: kind=exec what=tdxctl_udev_table us_per_call=$(per_call tdxctl udev-table)"

# --- 2. coldplug --------------------------------------------------------------
use_rule none
first=$((COLD_BASE / BS))
last=$((END / BS - 1))
for ((a = COLD_BASE; a < END; a += COLD_DIMM_GIB * GIB)); do
	vm_hotadd_dimm $a ${COLD_DIMM_GIB}G >/dev/null ||
		tap_bail "hot-add of $COLD_DIMM_GIB GiB at $(printf 0x%x $a) failed"
done
count_online() {
	local b n=0
	for ((b = first; b <= last; b++)); do
		[ "$(cat $MEMDIR/memory$b/state)" = online ] && n=$((n + 1))
	done
	echo $n
}
nblocks=$((last - first + 1))
tap_is "$(count_online)" 0 "coldplug: $nblocks blocks hot-added, all offline"
offline_all() {
	local b
	for ((b = first; b <= last; b++)); do
		echo offline >$MEMDIR/memory$b/state || return 1
	done
}
for ((run = 1; run <= COLD_RUNS; run++)); do
	if ((run % 2)); then order="plain tdxsys"; else order="tdxsys plain"; fi
	for rule in $order; do
		use_rule $rule
		c0=$(udevd_cpu)
		t0=$(date +%s%N)
		udevadm trigger --action=add --subsystem-match=memory \
			--attr-match=state=offline
		udevadm settle -t 900
		t1=$(date +%s%N)
		cpu=$((($(udevd_cpu) - c0) / 1000))
		n=$(count_online)
		tap_is "$n" "$nblocks" "coldplug run $run, $rule: all $nblocks blocks online"
		ms=$(((t1 - t0) / 1000000))
		echo "$ms" >>$OUT/cold.$rule
		echo "$cpu" >>$OUT/coldcpu.$rule
		tap_diag "coldplug run $run $rule: $ms ms, udevd cpu $cpu ms, load $(cut -d' ' -f1-3 /proc/loadavg)"
		[ $rule = tdxsys ] &&
			tap_is "$(udev_prop $last TDX_DECISION)" online \
				"coldplug run $run: memory$last decided online"
		use_rule none
		offline_all || tap_fail "coldplug run $run: offlining failed"
		udevadm settle -t 300
	done
done
for rule in tdxsys plain; do
	tap_ok "bench: kind=coldplug rule=$rule blocks=$nblocks metric=ms $(stats $OUT/cold.$rule)"
	tap_ok "bench: kind=coldplug rule=$rule blocks=$nblocks metric=udevd_cpu_ms $(stats $OUT/coldcpu.$rule)"
done
tap_diag "guest load at the end: $(cat /proc/loadavg)"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
