#!/bin/bash
# A crash kernel loaded (kexec -p) on a partial-write erratum CPU (the
# emulated platform's default, Sapphire Rapids): with kdump = refuse in
# tdxsys.conf tdx-init.service refuses to initialize TDX, says why and
# starts nothing; with the default (warn) it initializes with a warning,
# and tdxctl status shows kdump unsafe with the crash kernel loaded.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# cmdline: crashkernel=96M
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

CONF=/etc/tdxsys/tdxsys.conf
CL=/sys/kernel/kexec_crash_loaded
BASE=$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")

cp $CONF /run/tdxsys.conf.orig
cleanup() {
	kexec -p -u 2>/dev/null
	cp /run/tdxsys.conf.orig $CONF
}
TAP_CLEANUP=cleanup

tap_cmd "attached" -- emu_attach
tap_is "$(cat $T/partial_write_erratum)" 1 "erratum CPU (6/0x8f)"
tap_cmd "crash kernel loaded (kexec -p)" -- \
	kexec -p "$BASE/vmlinuz" --append="console=ttyS0 maxcpus=1 reset_devices"
tap_is "$(cat $CL)" 1 "kexec_crash_loaded = 1"

sed -i 's/^kdump = .*/kdump = refuse/' $CONF
tap_cmd "kdump = refuse: tdx-init.service fails" -- \
	bash -c "! systemctl start tdx-init.service"
tap_cmd "journal: refusing, why, what to do" -- \
	bash -c "journalctl -b -u tdx-init.service | grep -q 'refusing to initialize TDX: a crash kernel is loaded .*partial-write erratum.*(kdump = refuse in $CONF); unload it (kexec -p -u) or set kdump = warn'"
tap_is "$(cat $T/state)" uninitialized "nothing started"
tap_is "$(grep -E '^TDH.SYS.CONFIG ' $EMU/stats)" "TDH.SYS.CONFIG calls=0 errors=0" \
	"no TDH.SYS.CONFIG"
tap_cmd "tdxctl status: kdump safe for now, crash kernel loaded" -- \
	bash -c "tdxctl status | grep -q '^Kdump: *safe for now: .*; crash kernel loaded: yes$'"

cp /run/tdxsys.conf.orig $CONF
systemctl reset-failed tdx-init.service
tap_cmd "kdump = warn (default): tdx-init.service initializes" -- \
	systemctl start tdx-init.service
tap_is "$(cat $T/state)" initialized "initialized"
tap_cmd "journal: the warning" -- \
	bash -c "journalctl -b -u tdx-init.service | grep -q 'warning: a crash kernel is loaded .*(kdump = warn in $CONF; kdump = refuse refuses initialization instead)'"
json=$(tdxctl status --json)
tap_is "$(jq -r .lifecycle.kdump.safety <<<"$json")" unsafe "kdump unsafe now (configured, erratum)"
tap_is "$(jq -r .lifecycle.kdump.crash_kernel_loaded <<<"$json")" true "crash kernel loaded"
tap_is "$(jq -r .lifecycle.kexec.safety <<<"$json")" safe "kexec safe (MOVDIR64B resets the PAMT)"
tap_is "$(cat /proc/sys/kernel/kexec_load_disabled)" 0 "kexec left enabled"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
