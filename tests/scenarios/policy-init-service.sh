#!/bin/bash
# systemctl start tdx-init.service initializes TDX; every file under
# /sys/firmware/tdx reads cleanly and is consistent; tdxctl status --json,
# lsmem --json and plan --json are valid JSON with the expected content.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "tdx_sys + tdx_emu attached" -- emu_attach
tap_cmd "tdxctl plan predicts a layout" -- tdxctl plan
planned=$(tdxctl plan --json | jq -r '.pamt_bytes')
tap_cmd "systemctl start tdx-init.service" -- systemctl start tdx-init.service
tap_is "$(systemctl is-active tdx-init.service)" active "unit active"
tap_is "$(cat $T/state)" initialized "state initialized"
tap_cmd "systemctl start again is a no-op success" -- \
	systemctl start tdx-init.service
bad=""
for f in $T/*; do
	cat "$f" >/dev/null 2>&1 || bad+=" ${f##*/}"
done
tap_is "$bad" "" "cat /sys/firmware/tdx/* reads every file"
for f in state provider cmrs tdx_memory tdmrs pamt_kb progress version \
	keyids global_keyid max_tdmrs max_reserved_per_tdmr \
	pamt_entry_size cpus; do
	tap_cmd "$f is not empty" -- test -s $T/$f
done
tap_is "$(cat $T/error)" "" "no error"
read -r pdone ptotal <$T/progress
tap_cmd "progress complete ($pdone of $ptotal)" -- test "$pdone" = "$ptotal" -a "$ptotal" -gt 0

json=$(tdxctl status --json)
tap_cmd "tdxctl status --json parses" -- jq -e . <<<"$json"
tap_is "$(jq -r .state <<<"$json")" initialized "json state"
tap_cmd "json has TDMRs" -- jq -e '(.tdmrs | length) >= 1' <<<"$json"
tap_is "$(jq -r .pamt_bytes <<<"$json")" $(($(cat $T/pamt_kb) * 1024)) \
	"json pamt_bytes matches pamt_kb"
tap_is "$(jq -r .pamt_bytes <<<"$json")" "$planned" \
	"tdxctl plan predicted the PAMT size the kernel allocated"
tap_cmd "PAMT share of RAM about 0.4%" -- \
	jq -e '.pamt_percent_of_ram > 0.2 and .pamt_percent_of_ram < 1' <<<"$json"
tap_cmd "tdxctl status (text) shows the PAMT" -- \
	bash -c "tdxctl status | grep -q '^PAMT: .*% of'"
tap_cmd "tdxctl lsmem --json parses" -- bash -c "tdxctl lsmem --json | jq -e '.memory | length > 0'"
tap_cmd "boot memory is TDX memory" -- \
	bash -c "tdxctl lsmem --json | jq -e '[.memory[] | select(.state == \"online\") | .in_tdx] | index(\"yes\") != null'"
tap_cmd "tdxctl init when initialized exits 0" -- tdxctl init
