// SPDX-License-Identifier: GPL-2.0
/*
 * The SEAMCALL layer: the one place a SEAMCALL is made, dispatched to the
 * registered provider, plus helpers to run it on a given CPU, retry the
 * statuses the module documents as transient, and decode failures.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/preempt.h>
#include <linux/smp.h>

#include "tdx_status.h"
#include "tdx_sys.h"

#define TDX_RETRIES	32

/*
 * Make SEAMCALL @fn with @args on the current CPU. The provider is stable:
 * callers hold tdx.lock (directly or through the CPU that waits for an IPI).
 */
u64 tdx_seamcall(u64 fn, struct tdx_module_args *args)
{
	const struct tdx_provider *p = READ_ONCE(tdx.provider);
	u64 st;

	if (!p)
		return TDX_SEAMCALL_VMFAILINVALID;
	preempt_disable();
	st = p->seamcall(fn, args);
	preempt_enable();
	return st;
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

/* Decode @status into tdx.error and the log, prefixed with @context. */
void tdx_seamcall_error(u64 fn, u64 status, const char *context)
{
	char buf[384];

	if (status == TDX_SC_NO_CPU)
		scnprintf(buf, sizeof(buf),
			  "%s: no online CPU to run it on (CPU went offline?)",
			  tdx_leaf_name(fn & 0xffff) ?: "SEAMCALL");
	else if (status == TDX_SC_NOMEM)
		scnprintf(buf, sizeof(buf), "%s: out of memory for its buffers",
			  tdx_leaf_name(fn & 0xffff) ?: "SEAMCALL");
	else
		tdx_status_format(fn & 0xffff, status, buf, sizeof(buf));
	if (context)
		tdx_err("%s: %s", context, buf);
	else
		tdx_err("%s", buf);
}
