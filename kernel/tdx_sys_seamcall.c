// SPDX-License-Identifier: GPL-2.0
/*
 * The SEAMCALL layer: the one place a SEAMCALL is made. It puts the CPU in
 * VMX operation for the call (SEAMCALL raises #UD outside it), dispatches to
 * the registered provider, and offers helpers to run a call on a given
 * CPU, retry the statuses the module documents as transient and decode
 * failures.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/smp.h>

#include "tdx_status.h"
#include "tdx_sys.h"

#define TDX_RETRIES	32

static u64 tdx_vmx_status(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return TDX_SC_VMX_NONE;
	case -EACCES:
		return TDX_SC_VMX_BIOS;
	default:
		return TDX_SC_VMX_FAIL;
	}
}

/*
 * Make SEAMCALL @fn with @args on the current CPU. The provider is stable:
 * callers hold tdx.lock (directly or through the CPU that waits for an IPI).
 *
 * VMX operation and the call form one interrupts-off section. KVM enables
 * and disables VMX on every CPU by IPI (6.1: when the first VM is created
 * and the last one destroyed; 6.12: at load and unload), so it can neither
 * take VMX away between the check and the SEAMCALL nor find CR4.VMXE set
 * behind us - KVM refuses to enable VMX on such a CPU. VMX we found on is
 * the hypervisor's and stays as it was.
 */
u64 tdx_seamcall(u64 fn, struct tdx_module_args *args)
{
	const struct tdx_provider *p = READ_ONCE(tdx.provider);
	unsigned long flags;
	int vmx;
	u64 st;

	if (!p)
		return TDX_SEAMCALL_VMFAILINVALID;
	/* Caches are flushed after the last SEAMCALL: none may follow */
	if (READ_ONCE(tdx.stopping))
		return TDX_SC_STOPPING;
	local_irq_save(flags);
	vmx = p->vmx_enter();
	if (vmx < 0) {
		st = tdx_vmx_status(vmx);
	} else {
		st = p->seamcall(fn, args);
		if (!vmx)
			p->vmx_leave();
	}
	local_irq_restore(flags);
	return st;
}

/*
 * Before the first SEAMCALL: VMXON needs IA32_FEATURE_CONTROL locked with
 * VMX allowed, which only the BIOS (or Linux at boot, if the BIOS left it
 * unlocked) can arrange. Under tdx.lock with a provider.
 */
int tdx_check_vmx_allowed(void)
{
	int (*rd)(u32 msr, u64 *val) = tdx.provider->rdmsr;
	u64 v;

	if (rd(TDX_MSR_FEATURE_CONTROL, &v))
		return 0;	/* unknown: VMXON will tell */
	if ((v & (TDX_FEAT_CTL_LOCKED | TDX_FEAT_CTL_VMX)) ==
	    (TDX_FEAT_CTL_LOCKED | TDX_FEAT_CTL_VMX))
		return 0;
	tdx_seamcall_error(TDH_SYS_INIT, TDX_SC_VMX_BIOS, NULL);
	return -EACCES;
}

static void tdx_flush_cache_ipi(void *data)
{
	const struct tdx_provider *p = data;

	p->flush_cache();
}

/* WBINVD on every online CPU, through the provider. */
void tdx_flush_all_caches(void)
{
	on_each_cpu(tdx_flush_cache_ipi, (void *)tdx.provider, 1);
}

struct tdx_sc_ctx {
	u64 fn;
	struct tdx_module_args *args;
	u64 status;
};

static void tdx_sc_ipi(void *data)
{
	struct tdx_sc_ctx *c = data;

	c->status = tdx_seamcall(c->fn, c->args);
}

/* On @cpu, which the caller keeps online (cpus_read_lock()). */
u64 tdx_seamcall_on(unsigned int cpu, u64 fn, struct tdx_module_args *args)
{
	struct tdx_sc_ctx c = { .fn = fn, .args = args };

	if (smp_call_function_single(cpu, tdx_sc_ipi, &c, 1))
		return TDX_SC_NO_CPU;
	return c.status;
}

/* On a CPU that has done LP.INIT, which most leaves require. */
u64 tdx_seamcall_lp(u64 fn, struct tdx_module_args *args)
{
	unsigned int cpu = get_cpu();
	u64 st;

	if (cpumask_test_cpu(cpu, &tdx.lp_done)) {
		st = tdx_seamcall(fn, args);
		put_cpu();
		return st;
	}
	put_cpu();
	cpu = cpumask_first_and(&tdx.lp_done, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		return TDX_SC_NO_CPU;
	return tdx_seamcall_on(cpu, fn, args);
}

/*
 * @cpu or, if @cpu is nr_cpu_ids, any CPU with LP.INIT. Retries what the
 * module calls transient (busy, entropy) a bounded number of times with
 * the same inputs; the final status is returned.
 */
u64 tdx_seamcall_retry(unsigned int cpu, u64 fn, struct tdx_module_args *args)
{
	struct tdx_module_args in = *args;
	unsigned int i;
	u64 st = 0;

	for (i = 0; i < TDX_RETRIES; i++) {
		*args = in;
		if (cpu < nr_cpu_ids)
			st = tdx_seamcall_on(cpu, fn, args);
		else
			st = tdx_seamcall_lp(fn, args);
		if (!tdx_status_retryable(fn & 0xffff, st))
			break;
		usleep_range(50, 200);
	}
	return st;
}

bool tdx_status_is(u64 status, u64 code)
{
	return (status & TDX_STATUS_CODE_MASK) == code;
}

/* The host-side pseudo statuses, which only tdx_sys produces. */
static bool tdx_host_status_format(u64 fn, u64 status, char *buf,
				   size_t len)
{
	const char *leaf = tdx_leaf_name(fn & 0xffff) ?: "SEAMCALL";
	int (*rd)(u32 msr, u64 *val);
	u64 v = 0;

	switch (status) {
	case TDX_SC_NO_CPU:
		scnprintf(buf, len,
			  "%s: no online CPU to run it on (CPU went offline?)",
			  leaf);
		return true;
	case TDX_SC_NOMEM:
		scnprintf(buf, len, "%s: out of memory for its buffers", leaf);
		return true;
	case TDX_SC_STOPPING:
		scnprintf(buf, len,
			  "%s: not made: the host is rebooting or kexec'ing",
			  leaf);
		return true;
	case TDX_SC_VMX_NONE:
		scnprintf(buf, len,
			  "%s: SEAMCALL needs VMX operation and this CPU has no VMX: enable Intel Virtualization Technology (VT-x) in the BIOS setup",
			  leaf);
		return true;
	case TDX_SC_VMX_BIOS:
		/* Through a pointer: the paravirt rdmsr() macro must not expand */
		rd = tdx.provider ? tdx.provider->rdmsr : NULL;
		if (rd)
			rd(TDX_MSR_FEATURE_CONTROL, &v);
		scnprintf(buf, len,
			  "%s: VMX operation is not allowed: IA32_FEATURE_CONTROL (MSR 0x3a) = 0x%llx is not locked with VMX enabled; enable Intel Virtualization Technology (VT-x) in the BIOS setup",
			  leaf, v);
		return true;
	case TDX_SC_VMX_FAIL:
		scnprintf(buf, len,
			  "%s: entering VMX operation (VMXON) failed: CR0/CR4 break the VMX fixed bits or the VMXON region is invalid",
			  leaf);
		return true;
	}
	return false;
}

/* Decode @status into tdx.error and the log, prefixed with @context. */
void tdx_seamcall_error(u64 fn, u64 status, const char *context)
{
	char buf[384];

	if (!tdx_host_status_format(fn, status, buf, sizeof(buf)))
		tdx_status_format(fn & 0xffff, status, buf, sizeof(buf));
	if (context)
		tdx_err("%s: %s", context, buf);
	else
		tdx_err("%s", buf);
}
