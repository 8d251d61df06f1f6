#!/bin/bash
# vm-init.sh with tdmr_init_threads=1 (serial TDH.SYS.TDMR.INIT), in its own
# boot. Run together with vm-init.sh (`make bench-vm`), whose copy it uses.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# cmdline: tdx_sys.tdmr_cover=cmrs tdx_sys.tdmr_init_threads=1
# timeout: 400
bench=$(dirname "$0")/vm-init.sh
if [ ! -f "$bench" ]; then
	echo "Bail out! $bench missing: run vm-init-serial.sh with vm-init.sh"
	exit 1
fi
# shellcheck source=tests/bench/vm-init.sh
. "$bench"
