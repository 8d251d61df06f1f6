#!/bin/bash
# On a partial-write erratum CPU without MOVDIR64B (Sapphire Rapids as the
# emulator models it, movdir64b = 0) tdx_sys cannot make kexec safe: once
# tdx-init.service initialized TDX, kernel.kexec_load_disabled is 1, the
# journal says why, kexec -l is refused, and tdxctl status shows kexec,
# kdump and suspend as tdx_sys reports them. A bad unsafe_kexec value in
# tdxsys.conf makes the service fail with the line named and nothing
# changed; unsafe_kexec = allow would only warn (unit-tested).
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

CONF=/etc/tdxsys/tdxsys.conf
KD=/proc/sys/kernel/kexec_load_disabled

cp $CONF /run/tdxsys.conf.orig
cleanup() {
	cp /run/tdxsys.conf.orig $CONF
}
TAP_CLEANUP=cleanup

tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load
emu_set cpu_model "6 0x8f"
emu_set movdir64b 0
emu_set attached 1
udevadm settle -t 30
tap_is "$(cat $T/state)" uninitialized "attached"
tap_is "$(cat $T/partial_write_erratum)" 1 "erratum CPU (6/0x8f)"
tap_is "$(cat $T/kexec)" unsafe "kexec unsafe from TDH.SYS.INIT (run at attach) on"
tap_is "$(cat $KD)" 0 "kexec_load still enabled before initialization"
tap_cmd "tdxctl status: kexec unsafe, not disabled yet" -- \
	bash -c "tdxctl status | grep -q '^Kexec: *unsafe: .*without MOVDIR64B.*; kexec_load disabled: no$'"

# A bad value: the service fails, nothing is initialized or disabled
sed -i 's/^unsafe_kexec = .*/unsafe_kexec = sometimes/' $CONF
tap_cmd "bad unsafe_kexec: tdx-init.service fails" -- \
	bash -c "! systemctl start tdx-init.service"
tap_cmd "journal names the line and value" -- \
	bash -c "journalctl -b -u tdx-init.service | grep -q 'tdxsys.conf:[0-9]*: unsafe_kexec must be disable or allow, not \"sometimes\"'"
tap_is "$(cat $T/state)" uninitialized "not initialized"
tap_is "$(cat $KD)" 0 "kexec_load still enabled"
cp /run/tdxsys.conf.orig $CONF
systemctl reset-failed tdx-init.service

tap_cmd "systemctl start tdx-init.service" -- systemctl start tdx-init.service
tap_is "$(cat $T/state)" initialized "initialized"
tap_is "$(cat $T/kexec)" unsafe "tdx_sys: kexec unsafe (no MOVDIR64B)"
tap_is "$(cat $KD)" 1 "kernel.kexec_load_disabled = 1"
tap_cmd "journal says why" -- \
	bash -c "journalctl -b -u tdx-init.service | grep -q 'kexec disabled (kernel.kexec_load_disabled = 1) until reboot: this CPU has the partial-write erratum and no MOVDIR64B'"
out=$(kexec -l "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/vmlinuz" --reuse-cmdline 2>&1)
rc=$?
tap_cmd "kexec -l fails (exit $rc)" -- test "$rc" != 0
tap_cmd "kexec -l: Operation not permitted ($out)" -- \
	grep -q 'Operation not permitted' <<<"$out"

json=$(tdxctl status --json)
tap_is "$(jq -r .lifecycle.kexec.safety <<<"$json")" unsafe "status json: kexec unsafe"
tap_is "$(jq -r .lifecycle.kexec.load_disabled <<<"$json")" true "status json: kexec_load disabled"
tap_is "$(jq -r .lifecycle.kdump.safety <<<"$json")" "$(cat $T/kdump)" "status json: kdump as tdx_sys says"
tap_is "$(jq -r .lifecycle.kdump.safety <<<"$json")" unsafe "kdump unsafe (erratum, configured)"
tap_is "$(jq -r .lifecycle.suspend.s3_hibernation <<<"$json")" refused "status json: S3/hibernation refused"
tap_is "$(jq -r .features0 <<<"$json")" "$(cat $T/features0)" "status json: features0"
text=$(tdxctl status)
tap_cmd "status text: kexec unsafe, disabled" -- \
	grep -q '^Kexec: *unsafe: .*; kexec_load disabled: yes$' <<<"$text"
tap_cmd "status text: kdump, what is lost" -- \
	grep -q '^Kdump: *unsafe: .*the dump is lost; crash kernel loaded: no$' <<<"$text"
tap_cmd "status text: suspend refused" -- \
	grep -q '^Suspend: *S3 and hibernation refused' <<<"$text"
tap_cmd "tdxctl init again: already disabled" -- \
	bash -c "tdxctl init | grep -q 'kexec already disabled'"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
