// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware provider: the SEAMCALL instruction, VMX operation (VMXON/
 * VMXOFF with a per-CPU VMXON region, as KVM and upstream's
 * arch/x86/virt/hw.c do), WBINVD, MOVDIR64B, and the checks that say
 * whether this machine can run any of it. Registered at load when every
 * prerequisite holds; otherwise the reason becomes the `unsupported` error
 * and an emulated provider may register instead.
 *
 * Only TDX hardware runs this file; docs/design.md says what the emulated
 * provider models in its place.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/perf_event.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
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

#define TDX_VMX_BASIC_REV_MASK	GENMASK_ULL(30, 0)
#define TDX_VMX_BASIC_SIZE(b)	(((b) >> 32) & GENMASK_ULL(12, 0))

static bool tdx_hw_registered;
static DEFINE_PER_CPU(void *, tdx_vmxon_region);

/*
 * SEAMCALL: leaf in RAX, operands in RCX, RDX, R8-R11. #GP (SEAM not
 * enabled) and #UD (not in VMX operation) are caught through the
 * exception table; VMfailInvalid (CF set) means no TDX module is loaded.
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

/* VMXON: -EFAULT if it faulted (#GP, #UD), -EIO on VMfail. */
static int tdx_hw_vmxon(u64 pa)
{
	u8 fail = 0, fault = 0;

	asm volatile("1:	vmxon	%[pa]\n\t"
		     "setna	%[fail]\n\t"
		     "jmp	3f\n"
		     "2:	movb	$1, %[fault]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [fail] "+qm" (fail), [fault] "+qm" (fault)
		     : [pa] "m" (pa)
		     : "memory", "cc");
	if (fault)
		return -EFAULT;
	return fail ? -EIO : 0;
}

/*
 * Interrupts are off (tdx_seamcall()). VMX found on belongs to whoever
 * turned it on (KVM): use it. Otherwise enter it as KVM's
 * vmx_hardware_enable() does, and tdx_hw_vmx_leave() undoes all of it.
 */
static int tdx_hw_vmx_enter(void)
{
	void *region = this_cpu_read(tdx_vmxon_region);
	int ret;

	if (cr4_read_shadow() & X86_CR4_VMXE)
		return 1;
	if (!region)
		return -EIO;	/* a CPU hot-added after we allocated */
	intel_pt_handle_vmx(1);
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	ret = tdx_hw_vmxon(__pa(region));
	if (ret) {
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		intel_pt_handle_vmx(0);
		return ret == -EFAULT ? -EACCES : -EIO;
	}
	return 0;
}

static void tdx_hw_vmx_leave(void)
{
	/* A fault here means VMX was already off: CR4.VMXE goes anyway */
	asm volatile("1:	vmxoff\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     ::: "cc", "memory");
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	intel_pt_handle_vmx(0);
}

static void tdx_hw_flush_cache(void)
{
	wbinvd();
}

/*
 * MOVDIR64B writes whole 64-byte lines with KeyID 0 and clears the
 * poison a partial write would have left: upstream's PAMT reset.
 */
static int tdx_hw_reset_memory(u64 pa, u64 size)
{
	const void *zero = page_address(ZERO_PAGE(0));
	u64 p;

	if (!boot_cpu_has(X86_FEATURE_MOVDIR64B))
		return -EOPNOTSUPP;
	for (p = pa; p < pa + size; p += 64) {
		movdir64b((void __iomem *)__va(p), zero);
		if (!(p & (SZ_2M - 1)))
			cond_resched();
	}
	mb();	/* ordered before anything that reuses the memory */
	return 0;
}

static int tdx_hw_rdmsr(u32 msr, u64 *val)
{
	return rdmsrl_safe(msr, val) ? -EIO : 0;
}

static void tdx_hw_cpu_model(u32 *family, u32 *model)
{
	*family = boot_cpu_data.x86;
	*model = boot_cpu_data.x86_model;
}

static const struct tdx_provider tdx_hw_provider = {
	.name = "hardware",
	.owner = THIS_MODULE,
	.seamcall = tdx_hw_seamcall,
	.vmx_enter = tdx_hw_vmx_enter,
	.vmx_leave = tdx_hw_vmx_leave,
	.flush_cache = tdx_hw_flush_cache,
	.reset_memory = tdx_hw_reset_memory,
	.rdmsr = tdx_hw_rdmsr,
	.cpu_model = tdx_hw_cpu_model,
};

static void tdx_hw_free_regions(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)per_cpu(tdx_vmxon_region, cpu));
		per_cpu(tdx_vmxon_region, cpu) = NULL;
	}
}

/* One VMXON region per possible CPU, with the CPU's VMCS revision id. */
static const char *tdx_hw_alloc_regions(void)
{
	unsigned int cpu;
	u64 basic;

	if (rdmsrl_safe(MSR_IA32_VMX_BASIC, &basic) ||
	    TDX_VMX_BASIC_SIZE(basic) > PAGE_SIZE)
		return "TDX not usable: IA32_VMX_BASIC unreadable or invalid";
	for_each_possible_cpu(cpu) {
		struct page *pg = alloc_pages_node(cpu_to_node(cpu),
						   GFP_KERNEL | __GFP_ZERO, 0);

		if (!pg) {
			tdx_hw_free_regions();
			return "TDX not usable: out of memory for VMXON regions";
		}
		*(u32 *)page_address(pg) = basic & TDX_VMX_BASIC_REV_MASK;
		per_cpu(tdx_vmxon_region, cpu) = page_address(pg);
	}
	return NULL;
}

/* VMXON needs CR0 and CR4 (with VMXE) to honour the VMX fixed bits. */
static const char *tdx_hw_check_fixed_bits(void)
{
	u64 f0, f1, cr;

	if (rdmsrl_safe(MSR_IA32_VMX_CR0_FIXED0, &f0) ||
	    rdmsrl_safe(MSR_IA32_VMX_CR0_FIXED1, &f1))
		return "TDX not usable: VMX CR0 fixed-bit MSRs unreadable";
	cr = read_cr0();
	if ((cr & f0) != f0 || (cr & ~f1))
		return "TDX not usable: CR0 breaks the VMX fixed bits (IA32_VMX_CR0_FIXED0/1)";
	if (rdmsrl_safe(MSR_IA32_VMX_CR4_FIXED0, &f0) ||
	    rdmsrl_safe(MSR_IA32_VMX_CR4_FIXED1, &f1))
		return "TDX not usable: VMX CR4 fixed-bit MSRs unreadable";
	cr = cr4_read_shadow() | X86_CR4_VMXE;
	if ((cr & f0) != f0 || (cr & ~f1))
		return "TDX not usable: CR4 breaks the VMX fixed bits (IA32_VMX_CR4_FIXED0/1)";
	return NULL;
}

enum { TDX_HW_NO_MODULE, TDX_HW_NO_VMX, TDX_HW_VMXON_GP };
static const char * const tdx_hw_why[] = {
	[TDX_HW_NO_MODULE] = "TDX module not loaded (SEAMCALL VMfailInvalid)",
	[TDX_HW_NO_VMX] =
		"TDX not usable: VMX is disabled (enable Intel Virtualization Technology (VT-x) in the BIOS setup)",
	[TDX_HW_VMXON_GP] =
		"TDX not usable: VMXON faulted: IA32_FEATURE_CONTROL forbids VMX (enable VT-x in the BIOS setup)",
};

/* A SEAMCALL in VMX operation, as tdx_seamcall() makes it. */
static u64 tdx_hw_probe_call(void)
{
	struct tdx_module_args a = { .rdx = TDX_FID_MAJOR_VERSION };
	unsigned long flags;
	int vmx;
	u64 st;

	local_irq_save(flags);
	vmx = tdx_hw_vmx_enter();
	if (vmx < 0) {
		st = vmx == -EACCES ? TDX_SC_VMX_BIOS : TDX_SC_VMX_FAIL;
	} else {
		st = tdx_hw_seamcall(TDH_SYS_RD, &a);
		if (!vmx)
			tdx_hw_vmx_leave();
	}
	local_irq_restore(flags);
	return st;
}

/* NULL when SEAMCALL can work here, else why not. */
static const char *tdx_hw_detect(void)
{
	const char *why;
	u64 v, st;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL)
		return "TDX not supported: not an Intel CPU";
	if (rdmsrl_safe(TDX_MSR_MTRRCAP, &v) || !(v & BIT_ULL(15)))
		return "TDX not enabled by BIOS (SEAMRR disabled)";
	if (rdmsrl_safe(TDX_MSR_SEAMRR_PHYS_MASK, &v) || !(v & BIT_ULL(11)))
		return "TDX not enabled by BIOS (SEAMRR disabled)";
	if (rdmsrl_safe(TDX_MSR_KEYID_PARTITIONING, &v) ||
	    upper_32_bits(v) < TDX_MIN_KEYIDS)
		return "too few TDX private KeyIDs (fewer than 2 assigned by the BIOS)";
	/* Linux clears VMX when the BIOS locked IA32_FEATURE_CONTROL without it */
	if (!boot_cpu_has(X86_FEATURE_VMX))
		return tdx_hw_why[TDX_HW_NO_VMX];
	why = tdx_hw_check_fixed_bits();
	if (why)
		return why;
	why = tdx_hw_alloc_regions();
	if (why)
		return why;

	/* Any module status means a module answered; only these mean none */
	preempt_disable();
	st = tdx_hw_probe_call();
	preempt_enable();
	if (st == TDX_SEAMCALL_VMFAILINVALID)
		why = tdx_hw_why[TDX_HW_NO_MODULE];
	else if (st == TDX_SEAMCALL_GP)
		why = "TDX not enabled: SEAMCALL raised #GP (SEAM mode off)";
	else if (st == TDX_SEAMCALL_UD)
		why = "TDX not usable: SEAMCALL raised #UD in VMX operation";
	else if (st == TDX_SC_VMX_BIOS)
		why = tdx_hw_why[TDX_HW_VMXON_GP];
	else if (st == TDX_SC_VMX_FAIL)
		why = "TDX not usable: VMXON failed";
	if (why)
		tdx_hw_free_regions();
	return why;
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
	ret = tdx_provider_register(&tdx_hw_provider);
	if (ret) {
		mutex_lock(&tdx.pub);
		strscpy(tdx.hw_reason, tdx.error, sizeof(tdx.hw_reason));
		mutex_unlock(&tdx.pub);
		tdx_hw_free_regions();
		return 0;
	}
	tdx_hw_registered = true;
	return 0;
}

void tdx_hw_exit(void)
{
	if (tdx_hw_registered && !tdx_provider_unregister(&tdx_hw_provider))
		tdx_hw_free_regions();
	tdx_hw_registered = false;
}

#endif /* CONFIG_INTEL_TDX_HOST */
