# shellcheck shell=bash
# Guest-side helpers for tdxsys VM scenarios. Source it first:
#   . "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
#
# TAP: tap_plan N (optional; without it the plan is printed at exit),
# tap_ok DESC, tap_fail DESC [DIAG...], tap_is GOT WANT DESC,
# tap_cmd DESC -- CMD..., tap_skip DESC REASON, tap_diag TEXT, tap_bail TEXT.
# Checks return 0 when they pass, 1 when they fail.  The scenario exits
# non-zero when any check failed.  Scenarios may set TAP_CLEANUP to a
# function name run at exit (before the plan is printed).
#
# Hotplug (performed by the host over QMP, requested over virtio-serial):
#   vm_hotadd_dimm ADDR SIZE   prints the DIMM id once all its memory
#                              blocks exist in sysfs
#   vm_hotremove_dimm ID       returns once the blocks are gone
#   vm_hotadd_cpu              prints "ID CPU" (CPU = new Linux cpu number)
#   vm_hotremove_cpu ID        returns once the cpu directory is gone
# Misc: wait_for TIMEOUT CMD..., block_of ADDR, mem_block_size,
# size_bytes SIZE, mem_block_state N.

TDXTEST_CTL=${TDXTEST_CTL:-/dev/virtio-ports/org.tdxsys.ctl}
TDXTEST_STATE=${TDXTEST_STATE:-/run/tdxtest}
MEMDIR=/sys/devices/system/memory
CPUDIR=/sys/devices/system/cpu

_tap_n=0
_tap_failed=0
_tap_planned=

tap_plan() {
	_tap_planned=$1
	echo "1..$1"
}

tap_diag() {
	local l
	while IFS= read -r l; do
		echo "# $l"
	done <<<"$*"
}

tap_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
	return 0
}

tap_fail() {
	local desc=$1
	shift
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $desc"
	[ $# -gt 0 ] && tap_diag "$(printf '%s\n' "$@")"
	return 1
}

tap_skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
	return 0
}

tap_is() {
	if [ "$1" = "$2" ]; then
		tap_ok "$3"
	else
		tap_fail "$3" "got:  '$1'" "want: '$2'"
	fi
}

# tap_cmd DESC -- CMD...: passes when CMD exits 0; its output is shown as
# diagnostics when it fails.
tap_cmd() {
	local desc=$1 out rc
	shift
	[ "${1:-}" = -- ] && shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "command: $*" "exit status $rc" \
			"$(printf '%s\n' "$out" | tail -n 20)"
	fi
}

tap_bail() {
	echo "Bail out! $*"
	_tap_failed=$((_tap_failed + 1))
	exit 1
}

_tap_end() {
	local rc=$?
	[ -n "${TAP_CLEANUP:-}" ] && "$TAP_CLEANUP"
	[ -z "$_tap_planned" ] && echo "1..$_tap_n"
	[ $_tap_failed -gt 0 ] && [ $rc -eq 0 ] && rc=1
	exit $rc
}
trap _tap_end EXIT

# vm_reboot_after: end this boot with an orderly reboot instead of a
# power-off, once every scenario ran; what the kernel prints on its way
# out is checked with '# console-expect:' headers
vm_reboot_after() {
	mkdir -p /run/tdxtest && touch /run/tdxtest/reboot
}

# --- kexec: one scenario across two kernels -----------------------------
# A scenario that kexecs runs in stages: tdx_stage says which (1 in the
# first kernel); vm_kexec saves the TAP counters, repacks the root file
# system as it is now into an initrd and kexecs into the same kernel with
# the same command line, where run-scenarios resumes the scenario at its
# next stage. The results port carries both kernels' output.
TDXTEST_RESUME=/var/lib/tdxtest/resume

# tdx_stage: this scenario's stage, 1 unless resumed after vm_kexec
tdx_stage() {
	local name stage
	if [ -r $TDXTEST_RESUME ] && read -r name stage _ <$TDXTEST_RESUME &&
		[ "$name" = "${TDXTEST_NAME:-}" ]; then
		echo "$stage"
	else
		echo 1
	fi
}

# Resumed: go on counting where the previous stage stopped
if [ -r $TDXTEST_RESUME ]; then
	read -r _rn _rs _tap_n _tap_failed <$TDXTEST_RESUME
	[ "$_rn" = "${TDXTEST_NAME:-}" ] || { _tap_n=0; _tap_failed=0; }
fi

# vm_kexec [LOAD_ARGS...]: kexec into the next stage; returns only when
# loading the kernel failed (status of kexec -l, its output on stdout)
vm_kexec() {
	local base img=/run/tdxtest-kexec.cpio.gz
	base=$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")
	mkdir -p "$(dirname $TDXTEST_RESUME)"
	echo "${TDXTEST_NAME:-} $(($(tdx_stage) + 1)) $_tap_n $_tap_failed" \
		>$TDXTEST_RESUME
	(cd / && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev \
		-o -path ./run -o -path ./tmp -o -path ./usr/share/doc \
		-o -path ./usr/share/man -o -path ./usr/share/locale \) -prune \
		-o -print | cpio -o -H newc --quiet | gzip -1) >$img
	if ! kexec -l "$base/vmlinuz" --initrd=$img --reuse-cmdline "$@" 2>&1; then
		rm -f $TDXTEST_RESUME $img
		return 1
	fi
	sync
	# Counters now belong to the next stage: nothing more from this one
	trap - EXIT
	systemctl kexec
	sleep 600
	exit 1
}

# wait_for TIMEOUT CMD...: poll CMD until it succeeds; 1 after TIMEOUT s.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
	return 0
}

size_bytes() {
	local s=${1%iB}
	s=${s%B}
	case $s in
	*K) echo $((${s%K} << 10)) ;;
	*M) echo $((${s%M} << 20)) ;;
	*G) echo $((${s%G} << 30)) ;;
	*T) echo $((${s%T} << 40)) ;;
	*) echo $((s)) ;;
	esac
}

mem_block_size() {
	echo $((0x$(cat $MEMDIR/block_size_bytes)))
}

# block_of ADDR: memory block number containing physical address ADDR.
block_of() {
	echo $(($1 / $(mem_block_size)))
}

mem_block_state() {
	cat "$MEMDIR/memory$1/state"
}

# vm_request CMD ARGS...: one request to the host; prints the reply after
# "ok"; on "err" prints the message to stderr and returns 1.
vm_request() {
	local seq=$RANDOM$RANDOM reply rseq status rest
	if ! exec 9<>"$TDXTEST_CTL"; then
		echo "vm_request: cannot open $TDXTEST_CTL" >&2
		return 1
	fi
	printf '%s %s\n' "$seq" "$*" >&9
	while :; do
		if ! IFS= read -r -t 180 reply <&9; then
			exec 9>&-
			echo "vm_request: no reply to '$*'" >&2
			return 1
		fi
		read -r rseq status rest <<<"$reply"
		[ "$rseq" = "$seq" ] && break   # a late reply to an older request
	done
	exec 9>&-
	if [ "$status" != ok ]; then
		echo "vm_request: $* failed: $rest" >&2
		return 1
	fi
	echo "$rest"
}

_blocks_exist() {
	local b
	for ((b = $1; b < $2; b++)); do
		[ -d "$MEMDIR/memory$b" ] || return 1
	done
}

_blocks_gone() {
	local b
	for ((b = $1; b < $2; b++)); do
		[ -d "$MEMDIR/memory$b" ] && return 1
	done
	return 0
}

_dimm_blocks() {        # ADDR SIZE -> "FIRST END" (END exclusive)
	local bs first
	bs=$(mem_block_size)
	first=$(($1 / bs))
	echo "$first $((first + ($2 + bs - 1) / bs))"
}

vm_hotadd_dimm() {
	local addr=$1 size reply id first end
	size=$(size_bytes "$2")
	reply=$(vm_request hotadd-dimm "$addr" "$size") || return 1
	id=${reply%% *}
	read -r first end <<<"$(_dimm_blocks "$addr" "$size")"
	mkdir -p "$TDXTEST_STATE"
	echo "$addr $size" >"$TDXTEST_STATE/$id"
	if ! wait_for 60 _blocks_exist "$first" "$end"; then
		echo "vm_hotadd_dimm: memory$first..memory$((end - 1)) did not appear" >&2
		return 1
	fi
	udevadm settle -t 60
	echo "$id"
}

vm_hotremove_dimm() {
	local id=$1 addr size first end
	read -r addr size <"$TDXTEST_STATE/$id" 2>/dev/null
	vm_request hotremove-dimm "$id" >/dev/null || return 1
	rm -f "$TDXTEST_STATE/$id"
	[ -n "$addr" ] || return 0
	read -r first end <<<"$(_dimm_blocks "$addr" "$size")"
	if ! wait_for 60 _blocks_gone "$first" "$end"; then
		echo "vm_hotremove_dimm: memory$first..memory$((end - 1)) still there" >&2
		return 1
	fi
	udevadm settle -t 60
}

_cpu_list() {
	local d
	for d in "$CPUDIR"/cpu[0-9]*; do
		echo "${d##*/cpu}"
	done | sort -n
}

_new_cpu() {            # BEFORE-LIST: prints a cpu number not in it
	local c
	for c in $(_cpu_list); do
		grep -qx "$c" <<<"$1" || { echo "$c"; return 0; }
	done
	return 1
}

vm_hotadd_cpu() {
	local before reply id cpu
	before=$(_cpu_list)
	reply=$(vm_request hotadd-cpu) || return 1
	id=${reply%% *}
	if ! wait_for 60 _new_cpu "$before" >/dev/null; then
		echo "vm_hotadd_cpu: no new cpu directory appeared" >&2
		return 1
	fi
	cpu=$(_new_cpu "$before")
	mkdir -p "$TDXTEST_STATE"
	echo "$cpu" >"$TDXTEST_STATE/$id"
	udevadm settle -t 60
	echo "$id $cpu"
}

vm_hotremove_cpu() {
	local id=$1 cpu
	cpu=$(cat "$TDXTEST_STATE/$id" 2>/dev/null)
	vm_request hotremove-cpu "$id" >/dev/null || return 1
	rm -f "$TDXTEST_STATE/$id"
	[ -n "$cpu" ] || return 0
	if ! wait_for 60 eval "[ ! -d $CPUDIR/cpu$cpu ]"; then
		echo "vm_hotremove_cpu: cpu$cpu still there" >&2
		return 1
	fi
	udevadm settle -t 60
}
