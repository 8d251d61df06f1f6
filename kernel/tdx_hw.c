// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware provider: the SEAMCALL instruction and the checks that say
 * whether this machine can run it. Registered at load when every
 * prerequisite holds; otherwise the reason becomes the `unsupported` error
 * and an emulated provider may register instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/trapnr.h>

#include "tdx_sys.h"

#ifdef CONFIG_INTEL_TDX_HOST

int tdx_hw_init(void)
{
	strscpy(tdx.hw_reason,
		"the kernel's own TDX host support (CONFIG_INTEL_TDX_HOST) owns TDX: the tdx_sys hardware provider is not built",
		sizeof(tdx.hw_reason));
	tdx_err("%s", tdx.hw_reason);
	return 0;
}

void tdx_hw_exit(void)
{
}

#else /* !CONFIG_INTEL_TDX_HOST */

static struct cpumask tdx_hw_cpus;
static bool tdx_hw_registered;

/*
 * SEAMCALL: leaf in RAX, operands in RCX, RDX, R8-R11. #GP (SEAM not
 * enabled) and #UD (VMX off) are caught through the exception table;
 * VMfailInvalid (CF set) means no TDX module is loaded.
 */
static u64 tdx_hw_seamcall(u64 fn, struct tdx_module_args *args)
{
	register u64 r8 asm("r8") = args->r8;
	register u64 r9 asm("r9") = args->r9;
	register u64 r10 asm("r10") = args->r10;
	register u64 r11 asm("r11") = args->r11;
	u64 rax = fn, rcx = args->rcx, rdx = args->rdx;
	u8 cf = 0, fault = 0;

	asm volatile("1:	.byte 0x66,0x0f,0x01,0xcf\n\t"
		     "setc	%[cf]\n\t"
		     "jmp	3f\n"
		     "2:	movb	$1, %[fault]\n"
		     "3:\n\t"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_FAULT)
		     : "+a" (rax), "+c" (rcx), "+d" (rdx), "+r" (r8),
		       "+r" (r9), "+r" (r10), "+r" (r11),
		       [cf] "+qm" (cf), [fault] "+qm" (fault)
		     :
		     : "memory", "cc");

	if (fault)	/* EX_TYPE_FAULT left the trap number in RAX */
		return rax == X86_TRAP_UD ? TDX_SEAMCALL_UD : TDX_SEAMCALL_GP;
	if (cf)
		return TDX_SEAMCALL_VMFAILINVALID;
	args->rcx = rcx;
	args->rdx = rdx;
	args->r8 = r8;
	args->r9 = r9;
	args->r10 = r10;
	args->r11 = r11;
	return rax;
}

static int tdx_hw_rdmsr(u32 msr, u64 *val)
{
	return rdmsrl_safe(msr, val) ? -EIO : 0;
}

static const struct cpumask *tdx_hw_platform_cpus(void)
{
	return &tdx_hw_cpus;
}

static int tdx_hw_cpu_package(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpumask_test_cpu(cpu, &tdx_hw_cpus))
		return -ENODEV;
	return topology_physical_package_id(cpu);
}

static const struct tdx_provider tdx_hw_provider = {
	.name = "hardware",
	.owner = THIS_MODULE,
	.seamcall = tdx_hw_seamcall,
	.rdmsr = tdx_hw_rdmsr,
	.cpu_package = tdx_hw_cpu_package,
	.platform_cpus = tdx_hw_platform_cpus,
};

static const char tdx_hw_no_module[] =
	"TDX module not loaded (SEAMCALL VMfailInvalid)";
/* tdx_sys does not enter VMX operation itself: a hypervisor must have */
static const char tdx_hw_vmx_off[] =
	"TDX not usable: SEAMCALL raised #UD, VMX is off";

/* NULL when SEAMCALL can work here, else why not. */
static const char *tdx_hw_detect(void)
{
	struct tdx_module_args a = { .rdx = TDX_FID_MAJOR_VERSION };
	u64 v, st;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL)
		return "TDX not supported: not an Intel CPU";
	if (rdmsrl_safe(TDX_MSR_MTRRCAP, &v) || !(v & BIT_ULL(15)))
		return "TDX not enabled by BIOS (SEAMRR disabled)";
	if (rdmsrl_safe(TDX_MSR_SEAMRR_PHYS_MASK, &v) || !(v & BIT_ULL(11)))
		return "TDX not enabled by BIOS (SEAMRR disabled)";
	if (rdmsrl_safe(TDX_MSR_KEYID_PARTITIONING, &v) ||
	    upper_32_bits(v) < 1)
		return "too few private KeyIDs (none assigned to TDX by the BIOS)";
	if (!boot_cpu_has(X86_FEATURE_VMX))
		return "TDX not usable: VMX is not available (disabled by BIOS?)";

	/* Any module status means a module answered; only these mean none */
	preempt_disable();
	st = tdx_hw_seamcall(TDH_SYS_RD, &a);
	preempt_enable();
	if (st == TDX_SEAMCALL_VMFAILINVALID)
		return tdx_hw_no_module;
	if (st == TDX_SEAMCALL_GP)
		return "TDX not enabled: SEAMCALL raised #GP (SEAM mode off)";
	if (st == TDX_SEAMCALL_UD)
		return tdx_hw_vmx_off;
	return NULL;
}

int tdx_hw_init(void)
{
	const char *why = tdx_hw_detect();
	int ret;

	if (why) {
		strscpy(tdx.hw_reason, why, sizeof(tdx.hw_reason));
		tdx_err("%s", why);
		pr_info("hardware provider unavailable: %s\n", why);
		return 0;
	}
	/* The CPUs the BIOS enabled; later hot-adds are not TDX CPUs */
	cpumask_copy(&tdx_hw_cpus, cpu_present_mask);
	ret = tdx_provider_register(&tdx_hw_provider);
	if (ret) {
		mutex_lock(&tdx.pub);
		strscpy(tdx.hw_reason, tdx.error, sizeof(tdx.hw_reason));
		mutex_unlock(&tdx.pub);
		return 0;
	}
	tdx_hw_registered = true;
	return 0;
}

void tdx_hw_exit(void)
{
	if (tdx_hw_registered)
		tdx_provider_unregister(&tdx_hw_provider);
	tdx_hw_registered = false;
}

#endif /* CONFIG_INTEL_TDX_HOST */
