# shellcheck shell=bash
# Sourced by mkrootfs.sh and mkbuildroot.sh (part of their cache keys).
#
#   bed_debootstrap TAG ROOT SUITE MIRROR PACKAGE-LIST LOG
#
# debootstrap --variant=minbase SUITE into ROOT with the packages of
# PACKAGE-LIST (one a line, # comments), its output in LOG; on failure the
# end of both logs and a line naming TAG on stderr, then exit 1.
bed_debootstrap() {
	local tag=$1 root=$2 suite=$3 mirror=$4 pkglist=$5 log=$6 pkgs t0
	pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$pkglist" |
		tr -s ' \n' ',' | sed 's/,$//')
	t0=$(date +%s)
	echo "$tag: debootstrap $suite from $mirror (+ $pkgs)"
	if ! debootstrap --variant=minbase --include="$pkgs" "$suite" "$root" \
			"$mirror" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		[ -f "$root/debootstrap/debootstrap.log" ] &&
			tail -n 30 "$root/debootstrap/debootstrap.log" >&2
		echo "$tag: debootstrap failed" >&2
		exit 1
	fi
	echo "$tag: phase debootstrap $(($(date +%s) - t0))s"
}
