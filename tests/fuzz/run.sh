#!/bin/bash
# Run the libFuzzer harnesses: run.sh [--smoke] SECONDS HARNESS...
#
# Each harness runs SECONDS from its seeds: corpus/<harness>/ (in git),
# plus tests/data/memmaps for memmap. A long run (make fuzz) keeps what it
# finds in out/<harness>/corpus/ and starts from it next time; a smoke run
# (make test) starts from the seeds alone in a scratch directory, so it
# neither grows nor depends on earlier runs. One line per harness:
#   ok - fuzz/<harness>: <executions> execs, cov <n> ft <n>, <s> s
#   not ok - fuzz/<harness>: ... (then the report, and the saved input)
# Exits non-zero if any harness failed.
set -u
cd "$(dirname "$0")"
smoke=0
if [ "${1:-}" = --smoke ]; then
	smoke=1
	shift
fi
secs=$1
shift
failed=0

for h in "$@"; do
	seeds=(corpus/"$h")
	[ "$h" = memmap ] && seeds+=(../data/memmaps)
	mkdir -p out/"$h"
	if [ $smoke = 1 ]; then
		work=$(mktemp -d)
	else
		work=out/"$h"/corpus
		mkdir -p "$work"
	fi
	dict=()
	[ -f "$h".dict ] && dict=(-dict="$h".dict)
	log=out/"$h"/last.log
	[ $smoke = 1 ] && log=out/"$h"/smoke.log
	t0=$(date +%s)
	./fuzz_"$h" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=out/"$h"/ "${dict[@]}" \
		"$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	t=$(($(date +%s) - t0))
	[ $smoke = 1 ] && rm -rf "$work"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	covft=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' |
		tail -n 1 | awk '{print "cov " $2 " ft " $4}')
	if [ $rc = 0 ] && [ -n "$execs" ]; then
		echo "ok - fuzz/$h: $execs execs, $covft, $t s"
	else
		echo "not ok - fuzz/$h: exit $rc after ${execs:-?} execs, $t s"
		grep -A 3 -E 'property violated|runtime error|ERROR: [A-Z][a-z]+Sanitizer|ERROR: libFuzzer: (timeout|out-of-memory|fuzz target)' "$log" |
			head -n 12 | sed 's/^/#   /'
		grep -o 'Test unit written to .*' "$log" | sed 's/^/#   /'
		echo "#   full log: tests/fuzz/$log"
		failed=1
	fi
done
exit $failed
