#!/bin/bash
# SEAMCALL is a VMX-root instruction: on a CPU not in VMX operation it
# raises #UD (the emulated CPUs do the same). tdx_sys enters VMX around each
# SEAMCALL with interrupts off and leaves it, or uses a hypervisor's VMX as
# it finds it, and never leaves VMX on behind it (KVM refuses to enable VMX
# on such a CPU). The modelled hypervisor (KVM) holds VMX on every CPU or
# takes it away by IPI without waiting, as KVM 6.1 does when its last VM
# exits; here it churns all through initialization.
# vm: mem=2G slots=8 maxmem=16G cpus=2
# timeout: 400
# shellcheck source=tests/vm/guest/lib.sh
. "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}"
# shellcheck source=tests/vm/guest/tdx.sh
. "$(dirname "${TDXTEST_LIB:-/usr/lib/tdxsys-tests/lib.sh}")/tdx.sh"

ncpu=$(nproc)
tap_cmd "tdx_sys, tdx_emu loaded" -- emu_load

# VMX forbidden by the BIOS: IA32_FEATURE_CONTROL locked without VMX
emu_set feature_control 0x1
tap_cmd "feature control without VMX: attach refused" -- \
	sh -c "! echo 1 > $EMU/attached 2>/dev/null"
tap_cmd "error names IA32_FEATURE_CONTROL and the BIOS setting ($(cat $T/error))" -- \
	grep -q 'IA32_FEATURE_CONTROL (MSR 0x3a) = 0x1 .*enable Intel Virtualization Technology' $T/error
tap_is "$(emu_cpu seamcalls)" 0 "no SEAMCALL made without VMX"
emu_set feature_control 0x5

# No hypervisor: tdx_sys enters VMX for each call and leaves it
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "attached without a hypervisor"
calls=$(emu_cpu seamcalls)
tap_cmd "probe SEAMCALLs ($calls) each in VMX tdx_sys entered" -- \
	test "$calls" -gt 0 -a "$(emu_cpu host_vmx_enters)" = "$calls"
tap_is "$(emu_cpu seamcalls_ud)" 0 "no SEAMCALL raised #UD"
tap_is "$(emu_cpu vmx_host_cpus)" 0 "VMX left on no CPU"
tap_is "$(emu_cpu bad_vmx_leaves)" 0 "VMX left only where tdx_sys entered it"
emu_set attached 0

# The hypervisor holds VMX: tdx_sys uses it and leaves it as it was
emu_set hypervisor on
tap_is "$(emu_cpu vmx_hypervisor_cpus)" "$ncpu" "hypervisor VMX on all $ncpu CPUs"
enters=$(emu_cpu host_vmx_enters)
calls=$(emu_cpu seamcalls)
emu_set attached 1
tap_is "$(cat $T/state)" uninitialized "attached with the hypervisor's VMX"
tap_cmd "probe SEAMCALLs ($(($(emu_cpu seamcalls) - calls))) in the hypervisor's VMX" -- \
	test "$(emu_cpu seamcalls)" -gt "$calls"
tap_is "$(emu_cpu host_vmx_enters)" "$enters" "tdx_sys entered no VMX of its own"
tap_is "$(emu_cpu vmx_hypervisor_cpus)" "$ncpu" "VMX still the hypervisor's on every CPU"

# VMs come and go all through initialization: VMX on, then off without
# waiting, every 200 us, while TDMR.INIT is slow
emu_set tdmr_init_delay_ns 20000
toggles=$(emu_cpu hypervisor_toggles)
emu_set hypervisor_churn_us 200
initialize
emu_set hypervisor_churn_us 0
tap_is "$(cat $T/state)" initialized "initialized while the hypervisor churned"
tap_is "$(cat $T/error)" "" "no error"
n=$(($(emu_cpu hypervisor_toggles) - toggles))
tap_cmd "the hypervisor toggled VMX $n times during initialization" -- \
	test "$n" -gt 20
tap_cmd "both: tdx_sys's own VMX ($(emu_cpu host_vmx_enters) enters) and the hypervisor's" -- \
	test "$(emu_cpu host_vmx_enters)" -gt "$enters"
tap_is "$(emu_cpu seamcalls_ud)" 0 "no SEAMCALL raised #UD: VMX never pulled from under a call"
tap_is "$(emu_cpu vmx_irqs_on)" 0 \
	"VMX never checked or used with interrupts on (the emulator loses every such race)"
tap_is "$(emu_cpu hypervisor_enables_refused)" 0 \
	"the hypervisor never found VMX left on by tdx_sys"
tap_is "$(emu_cpu bad_vmx_leaves)" 0 "tdx_sys never left the hypervisor's VMX"
tap_cmd "emulator: SYS_READY" -- grep -q '^sys_state: SYS_READY$' $EMU/state

# Afterwards KVM can take every CPU: nothing was left on
emu_set hypervisor off
tap_is "$(emu_cpu vmx_host_cpus)" 0 "no CPU in tdx_sys's VMX"
emu_set hypervisor on
tap_is "$(emu_cpu hypervisor_enables_refused)" 0 "hypervisor enabled VMX everywhere"
tap_is "$(emu_cpu vmx_hypervisor_cpus)" "$ncpu" "hypervisor VMX on all $ncpu CPUs"
emu_set hypervisor off-async
wait_for 10 sh -c "grep -q '^vmx_hypervisor_cpus: 0$' $EMU/state"
tap_is "$(emu_cpu vmx_hypervisor_cpus)" 0 "off-async reached every CPU"
tap_is "$(sysfs_write $EMU/hypervisor maybe)" "Invalid argument" \
	"hypervisor: bad value -> EINVAL"
tap_is "$(sysfs_write $EMU/hypervisor_churn_us 1000001)" "Invalid argument" \
	"hypervisor_churn_us: above 1 s -> EINVAL"
tap_is "$(dmesg | grep -c 'WARNING:')" 0 "no kernel warning"
