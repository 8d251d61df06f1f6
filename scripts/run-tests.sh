#!/bin/bash
# make test: host unit tests, then the VM suite. Ends with one line
# "N passed, N failed" and exits non-zero on any failure or missing result.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
unit_only=0
[ "${1:-}" = --unit-only ] && unit_only=1

pass=0
fail=0
t0=$(date +%s)

echo "== host unit tests"
if ! make -s -C tests/unit all >/tmp/tdxsys-unit-build.$$ 2>&1; then
	cat /tmp/tdxsys-unit-build.$$
	echo "not ok - unit tests failed to build"
	fail=$((fail + 1))
else
	# tests/vm/test_*.py: the VM bed's own reading of guest consoles
	for t in tests/unit/test_* tests/vm/test_*.py; do
		case "$t" in *.c) continue ;; esac
		[ -x "$t" ] || continue
		name=$(basename "$t")
		out=$("$t" 2>&1)
		rc=$?
		p=$(grep -c '^ok ' <<<"$out")
		f=$(grep -c '^not ok ' <<<"$out")
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' <<<"$out" | tail -n 1)
		grep -E '^(not ok|#)' <<<"$out" | sed "s|^|  $name: |"
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			echo "not ok - unit/$name exited $rc without a failed check"
			f=$((f + 1))
		fi
		if [ -z "$plan" ] || [ "$plan" != $((p + f)) ]; then
			echo "not ok - unit/$name: plan ${plan:-missing} != $((p + f)) results"
			f=$((f + 1))
		fi
		echo "unit/$name: $p passed, $f failed"
		pass=$((pass + p))
		fail=$((fail + f))
	done
fi
rm -f /tmp/tdxsys-unit-build.$$
echo "== unit tests took $(($(date +%s) - t0)) s"

# Each libFuzzer harness for a few seconds from its seeds (make fuzz: longer)
t2=$(date +%s)
echo "== fuzz smoke"
make -j2 -s -C tests/fuzz smoke >/tmp/tdxsys-fuzz.$$ 2>&1
rc=$?
grep -E '^(not )?ok - fuzz/|^#' /tmp/tdxsys-fuzz.$$
p=$(grep -c '^ok - fuzz/' /tmp/tdxsys-fuzz.$$)
f=$(grep -c '^not ok - fuzz/' /tmp/tdxsys-fuzz.$$)
if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
	tail -n 20 /tmp/tdxsys-fuzz.$$
	echo "not ok - fuzz smoke failed (exit $rc)"
	f=1
fi
pass=$((pass + p))
fail=$((fail + f))
rm -f /tmp/tdxsys-fuzz.$$
echo "== fuzz smoke took $(($(date +%s) - t2)) s"

if [ $unit_only = 0 ]; then
	echo "== VM suite"
	t1=$(date +%s)
	python3 tests/vm/tdxvm.py suite 2>&1 | tee /tmp/tdxsys-vm.$$
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' /tmp/tdxsys-vm.$$ | tail -n 1)
	rm -f /tmp/tdxsys-vm.$$
	if [ -z "$line" ]; then
		echo "not ok - VM suite printed no result (exit $rc)"
		fail=$((fail + 1))
	else
		vp=${line%% passed*}
		vf=${line#*passed, }
		vf=${vf%% failed*}
		pass=$((pass + vp))
		fail=$((fail + vf))
		if [ "$rc" != 0 ] && [ "$vf" = 0 ]; then
			echo "not ok - VM suite exited $rc"
			fail=$((fail + 1))
		fi
	fi
	echo "== VM suite took $(($(date +%s) - t1)) s"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
