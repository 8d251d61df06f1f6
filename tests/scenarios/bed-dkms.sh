#!/bin/bash
# Test bed check: the tdxsys modules of this boot are the ones DKMS built
# and installed for this very kernel (dkms add, build, install: on the
# Debian 12 host for 6.1, in the Debian 13 build root for 6.12), and they
# load.  The host writes what it knows to bed-facts: the kernel it built
# for, `dkms status`, and per module dkms installed its SHA-256 and its
# GNU build-id note.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 120
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"

facts=$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/bed-facts
fact() { sed -n "s/^$1=//p" "$facts"; }
kver=$(uname -r)

tap_cmd "the host left its build facts" -- test -s "$facts"
tap_diag "kernel $(fact kernel) (Debian $(fact release)), $kver"
tap_is "$(fact kabi)" "$kver" "modules were built for the running kernel"
status=$(fact dkms_status)
tap_diag "dkms status: $status"
case "$status" in
"tdxsys/"*", $kver, "*": installed"*)
	tap_ok "dkms status: tdxsys installed for $kver" ;;
*)	tap_fail "dkms status: tdxsys installed for $kver" "got: $status" ;;
esac

for m in tdx_sys tdx_emu; do
	path=$(modinfo -n $m 2>&1)
	case "$path" in
	*/modules/"$kver"/updates/dkms/$m.ko*)
		tap_ok "modprobe finds $m where dkms installs it ($path)" ;;
	*)	tap_fail "modprobe finds $m where dkms installs it" "got: $path" ;;
	esac
	want=$(fact dkms_module | awk -v f="updates/dkms/${path##*/}" \
		'$1 == f { print $2 }')
	got=$(sha256sum "$path" 2>/dev/null | cut -d' ' -f1)
	tap_cmd "$m is byte for byte what dkms installed" -- \
		test -n "$want" -a "$got" = "$want"
done

tap_cmd "modprobe tdx_emu (and tdx_sys)" -- modprobe tdx_emu
# The kernel shows each loaded module's build-id note; the host recorded
# the note of each module dkms installed.
for m in tdx_sys tdx_emu; do
	note=/sys/module/$m/notes/.note.gnu.build-id
	got=$(od -An -v -tx1 $note 2>&1 | tr -d ' \n')
	want=$(fact dkms_module | awk -v m="$m" \
		'$1 ~ "/" m "\\.ko" { print $3 }')
	tap_is "$got" "$want" "loaded $m is the one dkms built (build-id)"
done
tap_cmd "modprobe -r tdx_emu tdx_sys" -- modprobe -r tdx_emu tdx_sys
