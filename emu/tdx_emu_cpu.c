// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated platform's CPUs, as the hardware would behave under a host:
 * VMX operation per CPU (SEAMCALL raises #UD outside it; a "hypervisor"
 * that holds VMX or takes it away by IPI, as KVM does), IA32_FEATURE_CONTROL,
 * the CPU model, and which CPUs flushed their caches when it mattered.
 * None of it comes from tdx_sys: the host only reaches it through the
 * provider's operations, as it reaches the real CPU through instructions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/smp.h>

#include "tdx_emu.h"

enum {
	EMU_VMX_OFF,
	EMU_VMX_HOST,		/* entered through the provider (tdx_sys) */
	EMU_VMX_HYPERVISOR,	/* the modelled KVM holds it */
};

struct emu_cpu {
	u8 vmx;
	bool dirty;		/* ran a SEAMCALL since its last flush */
	bool kid0_dirty;	/* may cache KeyID-0 lines of PAMT: CONFIG, no flush */
};

static DEFINE_PER_CPU(struct emu_cpu, emu_cpu);

struct tdx_emu_cpu_stats tdx_emu_cpu_stats;

static struct task_struct *emu_churn_task;
static bool emu_hv_on_now;

/* ---- VMX operation ---- */

/*
 * The hypervisor's IPIs are asynchronous: a host that checks or enters VMX
 * with interrupts on can lose the race at any moment, and the model takes
 * the worst interleaving every time - VMX found on is gone by the call.
 */
static bool emu_race_lost(struct emu_cpu *c)
{
	if (irqs_disabled())
		return false;
	atomic64_inc(&tdx_emu_cpu_stats.irqs_on);
	if (c->vmx != EMU_VMX_HYPERVISOR)
		return false;
	c->vmx = EMU_VMX_OFF;
	return true;
}

/* VMXON, as the host driver asks for it through the provider. */
int tdx_emu_vmx_enter(void)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);
	u64 fc = READ_ONCE(tdx_emu_plat.feature_control);

	if ((fc & (TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX)) !=
	    (TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX))
		return -EACCES;	/* VMXON raises #GP */
	if (c->vmx != EMU_VMX_OFF && !emu_race_lost(c))
		return 1;
	c->vmx = EMU_VMX_HOST;
	atomic64_inc(&tdx_emu_cpu_stats.host_vmx_enters);
	return 0;
}

void tdx_emu_vmx_leave(void)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);

	/* VMXOFF of VMX the host did not enter would pull it from KVM */
	if (c->vmx != EMU_VMX_HOST) {
		atomic64_inc(&tdx_emu_cpu_stats.bad_vmx_leaves);
		return;
	}
	c->vmx = EMU_VMX_OFF;
}

/* SEAMCALL is a VMX-root instruction: #UD outside VMX operation. */
bool tdx_emu_vmx_on(void)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);

	if (!emu_race_lost(c) && c->vmx != EMU_VMX_OFF)
		return true;
	atomic64_inc(&tdx_emu_cpu_stats.seamcalls_ud);
	return false;
}

/*
 * KVM's enable: it refuses a CPU whose CR4.VMXE is already set (someone
 * left VMX on behind its back), as vmx_hardware_enable() does.
 */
static void emu_hv_enable(void *unused)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);
	u64 fc = READ_ONCE(tdx_emu_plat.feature_control);

	/* Its VMXON would #GP as ours does: KVM does not load there */
	if ((fc & (TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX)) !=
	    (TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX))
		return;
	if (c->vmx == EMU_VMX_HOST) {
		atomic64_inc(&tdx_emu_cpu_stats.hv_enables_refused);
		return;
	}
	c->vmx = EMU_VMX_HYPERVISOR;
}

static void emu_hv_disable(void *unused)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);

	if (c->vmx == EMU_VMX_HYPERVISOR)
		c->vmx = EMU_VMX_OFF;
}

/*
 * The hypervisor turns VMX on or off on every online CPU by IPI: @wait
 * false is KVM 6.1 tearing down after its last VM, which does not wait
 * for the host to be between SEAMCALLs.
 */
void tdx_emu_hv_set(bool on, bool wait)
{
	WRITE_ONCE(emu_hv_on_now, on);
	atomic64_inc(&tdx_emu_cpu_stats.hv_toggles);
	if (on) {
		on_each_cpu(emu_hv_enable, NULL, 1);
		return;
	}
	if (wait) {
		on_each_cpu(emu_hv_disable, NULL, 1);
		return;
	}
	preempt_disable();
	smp_call_function(emu_hv_disable, NULL, 0);
	preempt_enable();
	/* This CPU too, as an interrupt would find it */
	local_irq_disable();
	emu_hv_disable(NULL);
	local_irq_enable();
}

bool tdx_emu_hv_is_on(void)
{
	return READ_ONCE(emu_hv_on_now);
}

/* VMs coming and going: VMX on, then off without waiting, again and again. */
static int emu_churn_fn(void *data)
{
	unsigned long us = (unsigned long)data;

	while (!kthread_should_stop()) {
		cpus_read_lock();
		tdx_emu_hv_set(true, true);
		cpus_read_unlock();
		usleep_range(us, us + us / 4 + 1);
		cpus_read_lock();
		tdx_emu_hv_set(false, false);
		cpus_read_unlock();
		usleep_range(us, us + us / 4 + 1);
	}
	return 0;
}

/* Under tdx_emu_plat.lock. 0 stops the churn. */
int tdx_emu_hv_churn(unsigned long us)
{
	struct task_struct *t;

	if (emu_churn_task) {
		kthread_stop(emu_churn_task);
		emu_churn_task = NULL;
	}
	if (!us)
		return 0;
	t = kthread_run(emu_churn_fn, (void *)us, "tdx_emu_churn");
	if (IS_ERR(t))
		return PTR_ERR(t);
	emu_churn_task = t;
	return 0;
}

unsigned int tdx_emu_vmx_count(int who)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		n += per_cpu(emu_cpu, cpu).vmx == (who ? EMU_VMX_HYPERVISOR :
							 EMU_VMX_HOST);
	return n;
}

/* ---- caches ---- */

void tdx_emu_flush_cache(void)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);

	c->dirty = false;
	c->kid0_dirty = false;
	atomic64_inc(&tdx_emu_cpu_stats.flushes);
}

/*
 * After a SEAMCALL on this CPU (interrupts off). From CONFIG on, the
 * module's writes with the private KeyID may sit in this CPU's caches.
 */
void tdx_emu_cpu_after_call(u64 leaf, u64 status, int state_before,
			    int state_after)
{
	struct emu_cpu *c = this_cpu_ptr(&emu_cpu);

	if (state_after >= TDX_EMU_SYSCONFIG_DONE)
		c->dirty = true;
	atomic64_inc(&tdx_emu_cpu_stats.seamcalls);
}

/*
 * TDH.SYS.CONFIG succeeded: until each CPU flushes, any of them may hold
 * KeyID-0 lines of the PAMT pages, which a later write-back would lay
 * over the module's private data. Called with interrupts off.
 */
void tdx_emu_cpu_configured(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(emu_cpu, cpu).kid0_dirty = true;
}

/* CPUs (online) that still may hold KeyID-0 lines of the PAMT. */
unsigned int tdx_emu_cpus_kid0_dirty(void)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		n += per_cpu(emu_cpu, cpu).kid0_dirty;
	return n;
}

/* CPUs (online) that ran a SEAMCALL since their last flush. */
unsigned int tdx_emu_cpus_dirty(void)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		n += per_cpu(emu_cpu, cpu).dirty;
	return n;
}

/* A platform reset: CPUs out of VMX, caches clean, counters zero. */
void tdx_emu_cpu_reset(void)
{
	unsigned int cpu;

	tdx_emu_hv_churn(0);
	WRITE_ONCE(tdx_emu_plat.churn_us, 0);
	cpus_read_lock();
	tdx_emu_hv_set(false, true);
	cpus_read_unlock();
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&emu_cpu, cpu), 0, sizeof(struct emu_cpu));
	memset(&tdx_emu_cpu_stats, 0, sizeof(tdx_emu_cpu_stats));
}

void tdx_emu_cpu_exit(void)
{
	tdx_emu_hv_churn(0);
	/* The modelled hypervisor goes with the platform */
	cpus_read_lock();
	tdx_emu_hv_set(false, true);
	cpus_read_unlock();
}
