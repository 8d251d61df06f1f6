#!/bin/bash
# Run the soak scenarios longer than make test does:
#   tests/vm/soak.sh [--scale N] [--kernels K] [SOAK...]
# N (default $SOAK_SCALE, else 5) multiplies every count a soak runs
# (its "SOAK_SCALE=1" line) and its timeout header; --scale 10 gives
# soak-reload 100 cycles. SOAK... defaults to every soak-*.sh and
# emu-transients.sh.
# The copies keep their names; the figures are the "# soak:" lines.
set -e
here=$(cd "$(dirname "$0")" && pwd)
scale=${SOAK_SCALE:-5}
kernels=()
while [ $# -gt 0 ]; do
	case $1 in
	--scale) scale=$2; shift 2 ;;
	--kernels) kernels=(--kernels "$2"); shift 2 ;;
	-h|--help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
case $scale in
'' | *[!0-9]* | 0) echo "soak.sh: --scale takes a positive integer" >&2; exit 2 ;;
esac
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(soak-init-parallel soak-hotplug-init
	soak-cpu-init soak-udev-storm soak-reload emu-transients)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in "${names[@]}"; do
	src=$here/../scenarios/${n%.sh}.sh
	if ! grep -qx 'SOAK_SCALE=1' "$src"; then
		echo "soak.sh: $src has no SOAK_SCALE=1 line" >&2
		exit 2
	fi
	awk -v s="$scale" '
		/^# timeout: [0-9]+$/ && !t { print "# timeout: " $3 * s; t = 1; next }
		$0 == "SOAK_SCALE=1" { print "SOAK_SCALE=" s; next }
		{ print }' "$src" >"$tmp/${n%.sh}.sh"
done
python3 "$here/tdxvm.py" suite "${kernels[@]}" "$tmp"/*.sh
