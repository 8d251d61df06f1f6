#!/bin/bash
# Injected failures through the unit: a retryable one (TDH.SYS.LP.INIT
# keeps failing with TDX_RND_NO_ENTROPY) fails tdx-init.service, and
# systemctl status shows the decoded error; state is back to
# uninitialized; after clearing the fault, systemctl restart succeeds.
# vm: mem=1G slots=8 maxmem=16G cpus=2
# timeout: 300
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

tap_cmd "attached" -- emu_attach
tap_cmd "inject LP.INIT RND_NO_ENTROPY on every call" -- \
	bash -c "echo 'leaf=35 status=0x8000020300000000 nth=0' > $EMU/fault"
tap_cmd "systemctl start tdx-init fails" -- bash -c "! systemctl start tdx-init.service"
tap_is "$(systemctl is-failed tdx-init.service)" failed "unit is failed"
tap_is "$(cat $T/state)" uninitialized "state back to uninitialized (retryable)"
err=$(cat $T/error)
tap_cmd "error decoded: $err" -- grep -q "TDX_RND_NO_ENTROPY" <<<"$err"
status=$(systemctl status --no-pager -n 20 tdx-init.service 2>&1)
tap_cmd "systemctl status shows the decoded error" -- \
	grep -q "tdxctl: TDX initialization failed.*TDX_RND_NO_ENTROPY" <<<"$status"
tap_cmd "and that it can be retried" -- grep -q "retryable" <<<"$status"
tap_cmd "tdxctl status shows it" -- \
	bash -c "tdxctl status | grep -q '^Error: .*TDX_RND_NO_ENTROPY'"
tap_cmd "clear the fault" -- bash -c "echo clear > $EMU/fault"
tap_cmd "systemctl restart tdx-init succeeds" -- systemctl restart tdx-init.service
tap_is "$(systemctl is-active tdx-init.service)" active "unit active"
tap_is "$(cat $T/state)" initialized "initialized"
tap_is "$(cat $T/error)" "" "error cleared"
