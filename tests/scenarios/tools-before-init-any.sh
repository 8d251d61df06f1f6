#!/bin/bash
# before_init = any set in tdxsys.conf reaches tdx_sys when it loads (the
# udev rule runs "tdxctl apply"), and tdxctl predicts the kernel's verdict
# for memory outside the CMRs whichever value tdx_sys has: online with
# any, refused with cmrs, refused by both after initialization. udev's
# decision table keys on the kernel's value (a DIMM outside the CMRs is
# onlined from the table, without running tdxctl). A bad value in
# tdxsys.conf is an error naming the line and changes nothing.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

CONF=/etc/tdxsys/tdxsys.conf
P=/sys/module/tdx_sys/parameters/before_init
TABLE=/run/udev/rules.d/79-tdx-memory-table.rules
CALLS=/run/tdxctl.calls
REAL=/run/tdxctl.real
MEMDIR=/sys/devices/system/memory
OUT=0x180000000		# 6 GiB: outside every CMR
OUT2=0x1c0000000	# 7 GiB: outside every CMR

cp $CONF /run/tdxsys.conf.orig
cleanup() {
	umount /usr/sbin/tdxctl 2>/dev/null
	cp /run/tdxsys.conf.orig $CONF
}
TAP_CLEANUP=cleanup

# set_conf VALUE: before_init = VALUE in tdxsys.conf, other lines kept
set_conf() {
	{ grep -v '^#*before_init' /run/tdxsys.conf.orig
	  echo "before_init = $1"; } >$CONF
}

# same_verdict N: tdxctl check predicts what the kernel then does when
# offline memoryN is onlined; prints "online" or "refuse"
same_verdict() {
	local b=$1 ctl kern
	if $REAL check "memory$b" >/dev/null; then ctl=online; else ctl=refuse; fi
	if sysfs_write $MEMDIR/memory$b/state online_movable >/dev/null; then
		kern=online
	else
		kern=refuse
	fi
	[ "$ctl" = "$kern" ] || { echo "tdxctl $ctl, kernel $kern"; return 1; }
	echo "$ctl"
}

# Every run of tdxctl is logged (udev's too), then the real one runs.
cp /usr/sbin/tdxctl $REAL
printf '#!/bin/sh\necho "$*" >>%s\nexec %s "$@"\n' $CALLS $REAL >/run/tdxctl-counting
chmod 755 /run/tdxctl-counting
tap_cmd "tdxctl runs are counted" -- mount --bind /run/tdxctl-counting /usr/sbin/tdxctl

set_conf any
tap_cmd "attached" -- emu_attach
tap_is "$(cat $P)" any "tdxsys.conf's before_init = any reached tdx_sys on load"
tap_cmd "udev ran tdxctl apply" -- grep -qx apply $CALLS
tap_cmd "tdxctl status: before_init any" -- \
	bash -c "$REAL status | grep -qx 'Before init:     any'"

id=$(vm_hotadd_dimm $OUT 256M)
tap_cmd "DIMM outside the CMRs hot-added ($id), onlined by udev" -- \
	wait_for 30 all_online $OUT 256M
b=$(block_of $OUT)
tap_cmd "tdxctl check memory$b: online, before_init=any" -- \
	bash -c "$REAL check memory$b | grep -q 'online: .*before_init=any'"
tap_cmd "nonconvertible_online lists it" -- \
	grep -q '^0x180000000-0x18fffffff$' $T/nonconvertible_online
echo offline >$MEMDIR/memory$b/state
tap_is "$(same_verdict "$b")" online "any: tdxctl and the kernel say online"

tap_cmd "table keyed on before_init any" -- \
	grep -q 'parameters/before_init}=="any"' $TABLE
: >$CALLS
id=$(vm_hotadd_dimm $OUT2 128M)
tap_cmd "second DIMM outside the CMRs ($id) onlined" -- \
	wait_for 30 all_online $OUT2 128M
tap_is "$(grep -c "^check --udev memory$(block_of $OUT2)\$" $CALLS)" 0 \
	"decided by the table: tdxctl not run"
tap_is "$(udev_prop "$(block_of $OUT2)" TDX_DECISION)" online "udev: online"

# cmrs through tdxsys.conf: tdxctl and the kernel both refuse
set_conf cmrs
tap_cmd "tdxctl apply: before_init cmrs" -- \
	bash -c "$REAL apply | grep -qx 'before_init: cmrs (written)'"
tap_is "$(cat $P)" cmrs "tdx_sys has cmrs"
echo offline >$MEMDIR/memory$b/state
tap_is "$(same_verdict "$b")" refuse "cmrs: tdxctl and the kernel refuse"
tap_cmd "tdxctl check says outside the CMRs" -- \
	bash -c "$REAL check memory$b | grep -q 'refuse: outside convertible memory (CMRs)$'"
: >$CALLS
b2=$(block_of $OUT2)
echo offline >$MEMDIR/memory$b2/state
udevadm settle -t 30
tap_is "$(udev_prop "$b2" TDX_DECISION)" refuse "udev: the table for any no longer applies: refuse"
tap_cmd "table rebuilt for cmrs" -- \
	grep -q 'parameters/before_init}=="cmrs"' $TABLE

# A bad value: an error naming the line, nothing changed
set_conf sometimes
out=$($REAL apply 2>&1)
rc=$?
tap_is "$rc" 2 "bad before_init: tdxctl apply exits 2"
tap_cmd "error names the file, line and value ($out)" -- \
	grep -q "^tdxctl: $CONF:[0-9]*: before_init must be cmrs or any, not \"sometimes\"$" <<<"$out"
tap_is "$(cat $P)" cmrs "tdx_sys unchanged"
tap_cmd "tdxctl check refuses to decide (exit 2)" -- \
	bash -c "$REAL check memory$b >/dev/null 2>&1; test \$? = 2"

# Back to any, then initialization: afterwards both refuse
set_conf any
tap_cmd "tdxctl apply: any" -- $REAL apply
tap_is "$(same_verdict "$b")" online "any again: both say online"
initialize
tap_is "$(cat $T/state)" uninitialized "initialization fails while it is online"
tap_cmd "error names the range and before_init=any" -- \
	grep -q 'outside convertible memory (CMRs) is online: 0x180000000-.*before_init=any' $T/error
# udev's "online --pending" on that state change would online it again
# under any: back to cmrs before offlining it
udevadm settle -t 30
set_conf cmrs
tap_cmd "tdxctl apply: cmrs" -- $REAL apply
for x in $(blocks $OUT 256M) $(blocks $OUT2 128M); do
	echo offline >$MEMDIR/memory$x/state
done
udevadm settle -t 30
tap_cmd "memory outside the CMRs offline" -- \
	bash -c "! grep -q . $T/nonconvertible_online"
tap_cmd "systemctl start tdx-init.service" -- systemctl start tdx-init.service
tap_is "$(cat $T/state)" initialized "initialized"
tap_is "$(same_verdict "$b")" refuse "initialized: both refuse memory outside TDX memory"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
