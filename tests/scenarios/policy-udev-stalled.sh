#!/bin/bash
# tdxctl asks udevd to reread its rules after writing the decision table,
# also when udev runs it for an event; a udevd that does not answer its
# control socket (stopped here with SIGSTOP) must not hold tdxctl, and so
# the event, for udevadm's default 60 s: 5 s at most.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

TABLE=/run/udev/rules.d/79-tdx-memory-table.rules
UDEVD=$(pgrep -x systemd-udevd)
cleanup() {
	kill -CONT "$UDEVD" 2>/dev/null
}
TAP_CLEANUP=cleanup

# rewrite_ms: a fresh table written, and udevd asked to reload; in ms
rewrite_ms() {
	local t0
	rm -f $TABLE
	t0=$(ms_now)
	tdxctl udev-table >/dev/null || return 1
	echo $(($(ms_now) - t0))
}

tap_cmd "attached" -- emu_attach
t=$(rewrite_ms)
tap_cmd "table rewritten in $t ms while udevd answers" -- test "$t" -lt 4000
kill -STOP "$UDEVD"
t=$(rewrite_ms)
tap_cmd "table rewritten in $t ms while udevd does not answer (4.5-9 s)" -- \
	test "$t" -ge 4500 -a "$t" -lt 9000
tap_cmd "table written all the same" -- test -s $TABLE
kill -CONT "$UDEVD"
udevadm settle -t 30
t=$(rewrite_ms)
tap_cmd "table rewritten in $t ms once udevd answers again" -- \
	test "$t" -lt 4000
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
