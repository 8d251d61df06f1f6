#!/bin/bash
# udev's decision table (/run/udev/rules.d/79-tdx-memory-table.rules):
# written when the platform attaches; it decides hot-added convertible
# blocks without running tdxctl (a counting wrapper shows it), with the
# same properties "tdxctl check --udev" prints; refusals are left to
# tdxctl, which names the range. It holds only for its TDX generation and
# tdxsys.conf settings: after a zone change, or with a stale generation,
# udev runs tdxctl, which renews it; a setting udev would read differently
# than tdxctl (a comment after the value) means no table at all.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

TABLE=/run/udev/rules.d/79-tdx-memory-table.rules
CONF=/etc/tdxsys/tdxsys.conf
CALLS=/run/tdxctl.calls
REAL=/run/tdxctl.real

cp $CONF /run/tdxsys.conf.orig
cleanup() {
	umount /usr/sbin/tdxctl 2>/dev/null
	cp /run/tdxsys.conf.orig $CONF
}
TAP_CLEANUP=cleanup

# Every run of tdxctl is logged (udev's too), then the real one runs.
cp /usr/sbin/tdxctl $REAL
printf '#!/bin/sh\necho "$*" >>%s\nexec %s "$@"\n' $CALLS $REAL >/run/tdxctl-counting
chmod 755 /run/tdxctl-counting
tap_cmd "tdxctl runs are counted" -- mount --bind /run/tdxctl-counting /usr/sbin/tdxctl

# checks ADDR SIZE: "check" runs of tdxctl for the DIMM's blocks
checks() {
	local b n=0
	for b in $(blocks "$1" "$2"); do
		n=$((n + $(grep -c "^check --udev memory$b\$" $CALLS)))
	done
	echo $n
}

# same_as_tdxctl N: udev's TDX_* properties of memoryN equal what
# tdxctl check --udev prints for it now
same_as_tdxctl() {
	local udev ctl
	udev=$(udevadm info -q property -p /devices/system/memory/memory$1 |
		grep '^TDX_' | sort)
	ctl=$($REAL check --udev memory$1 | tr -d '"' | sort)
	[ "$udev" = "$ctl" ] && [ -n "$udev" ] && return 0
	echo "udev:"; echo "$udev"; echo "tdxctl:"; echo "$ctl"
	return 1
}

# add_block ADDR: hot-add one block at ADDR (A, b) and wait until it is
# online
add_block() {
	local id
	A=$1
	b=$(block_of "$A")
	id=$(vm_hotadd_dimm "$A" 128M)
	tap_cmd "memory$b hot-added ($id) and onlined" -- \
		wait_for 30 all_online "$A" 128M
}

t0=$SECONDS
tap_cmd "attached, CMR [4G, 5G) added" -- emu_attach 0x100000000-0x13fffffff
gen=$(cat /sys/class/tdx/tdx/generation)
table_for_gen() {
	grep -q "^# key: .* generation=$gen .*zone=movable" $TABLE
}
# udev writes it while handling the attach's uevent, which emu_attach's
# "udevadm settle" waits for; a udev queue stalled past settle's timeout
# is a delay to report, a table never written a failure.
if wait_for 60 table_for_gen; then
	tap_ok "table written for generation $gen"
else
	tap_fail "table written for generation $gen" \
		"tdxctl runs: $(tr '\n' ';' <$CALLS)" \
		"table: $(grep '^# key' $TABLE)" \
		"$(journalctl -b -u systemd-udevd --no-pager | tail -n 20)"
fi
[ $((SECONDS - t0)) -gt 10 ] &&
	tap_diag "attach to table written: $((SECONDS - t0)) s (udev slow)"
tap_cmd "tdxctl udev-table: up to date" -- \
	bash -c "$REAL udev-table | grep -q 'up to date'"
tap_cmd "tdxctl udev-table --print prints it" -- \
	bash -c "$REAL udev-table --print | cmp - $TABLE"

: >$CALLS
IN=0x100000000
id=$(vm_hotadd_dimm $IN 256M)
tap_cmd "convertible DIMM hot-added ($id), onlined" -- wait_for 30 all_online $IN 256M
tap_is "$(checks $IN 256M)" 0 "decided by the table: tdxctl not run"
for b in $(blocks $IN 256M); do
	tap_cmd "memory$b: udev's properties are tdxctl's" -- same_as_tdxctl $b
done

OUT=0x180000000
id=$(vm_hotadd_dimm $OUT 128M)
b=$(block_of $OUT)
tap_is "$(checks $OUT 128M)" 1 "refusal ($id): tdxctl run once"
tap_is "$(udev_prop $b TDX_DECISION)" refuse "memory$b: refuse"
tap_is "$(udev_prop $b TDX_RANGE)" 0x180000000-0x187ffffff \
	"memory$b: tdxctl named the range"
tap_cmd "memory$b: udev's properties are tdxctl's" -- same_as_tdxctl $b
tap_cmd "memory$b offline" -- none_online $OUT 128M

# A zone change holds at once: the table no longer applies
sed -i 's/^zone = .*/zone = normal/' $CONF
add_block 0x110000000
tap_is "$(cat $MEMDIR/memory$b/valid_zones)" Normal "memory$b in ZONE_NORMAL"
tap_is "$(udev_prop $b TDX_ONLINE_TYPE)" online_kernel "memory$b: online_kernel"
tap_is "$(checks $A 128M)" 1 "stale settings: tdxctl decided"
tap_cmd "table renewed for zone=normal" -- grep -q "^# key: .* zone=normal " $TABLE
add_block 0x118000000
tap_is "$(checks $A 128M)" 0 "renewed table decides: tdxctl not run"
tap_is "$(udev_prop $b TDX_ONLINE_TYPE)" online_kernel "memory$b: online_kernel"

# A table for another generation does not apply
sed -i "s/$gen/1$gen/g" $TABLE
udevadm control --reload
add_block 0x120000000
tap_is "$(checks $A 128M)" 1 "stale generation: tdxctl decided"
tap_cmd "table renewed for generation $gen" -- \
	grep -q "generation}==\"$gen\"" $TABLE
tap_cmd "memory$b: udev's properties are tdxctl's" -- same_as_tdxctl $b

# A setting udev would read differently: no table, tdxctl decides
sed -i 's/^zone = .*/zone = movable # hot-added memory can go again/' $CONF
add_block 0x128000000
tap_is "$(udev_prop $b TDX_ONLINE_TYPE)" online_movable "memory$b: online_movable"
tap_is "$(checks $A 128M)" 2 "tdxctl decided (add and online)"
tap_cmd "no table" -- test ! -e $TABLE
cp /run/tdxsys.conf.orig $CONF
tap_cmd "tdxctl online --pending renews it" -- \
	bash -c "$REAL online --pending && grep -q \"generation}==\\\"$gen\\\"\" $TABLE"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
