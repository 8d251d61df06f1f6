// SPDX-License-Identifier: GPL-2.0
/*
 * TDX across the host's own lifecycle. From TDH.SYS.INIT on the module
 * holds state, and from TDH.SYS.CONFIG on it owns the PAMT (written with
 * its private KeyID), until the machine goes through a firmware reset:
 *
 * - Reboot, power-off and kexec: tdx_sys's reboot notifier (run first)
 *   ends SEAMCALLs for good, then each CPU flushes its caches and, on CPUs
 *   with the partial-write erratum, the PAMT is reset to KeyID 0 with
 *   MOVDIR64B, so the next kernel can use that memory as RAM. It is the
 *   one hook every path runs: 6.1's kernel_kexec() runs no syscore
 *   shutdown (6.7 added it), and nothing can issue a SEAMCALL after it.
 * - S3 and hibernation lose the module's keys: refused from TDH.SYS.INIT
 *   on, as upstream does; s2idle keeps everything powered and is allowed.
 * - kdump runs no notifier and no syscore hook: nothing here can act on
 *   the crash path (see docs/design.md for what that costs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/suspend.h>
#include <linux/syscore_ops.h>

#include "tdx_kcompat.h"
#include "tdx_sys.h"

/* Sapphire Rapids (0x8f) and Emerald Rapids (0xcf): X86_BUG_TDX_PW_MCE */
bool tdx_cpu_has_pw_erratum(u32 family, u32 model)
{
	return family == 6 && (model == 0x8f || model == 0xcf);
}

/* The CPU's facts, at probe. Under tdx.lock with a provider. */
void tdx_lifecycle_probe(void)
{
	u32 family = 0, model = 0;

	tdx.provider->cpu_model(&family, &model);
	mutex_lock(&tdx.pub);
	tdx.pw_erratum = tdx_cpu_has_pw_erratum(family, model);
	/* Asking to reset nothing says whether resetting is possible */
	tdx.can_reset = !tdx.provider->reset_memory(0, 0);
	mutex_unlock(&tdx.pub);
	if (tdx.pw_erratum)
		pr_info("CPU family %u model 0x%x has the partial-write erratum: PAMT is reset before kexec%s\n",
			family, model, tdx.can_reset ? "" :
			", but this CPU cannot (no MOVDIR64B): kexec is unsafe");
}

/* For sysfs, under tdx.pub: "safe" or "unsafe". */
const char *tdx_kexec_safety(void)
{
	if (!tdx.sysinit_done || !tdx.pw_erratum || tdx.can_reset)
		return "safe";
	return "unsafe";
}

/*
 * The crash path flushes no cache and resets no PAMT: on erratum CPUs
 * the crash kernel reading the old kernel's memory may meet poisoned PAMT.
 */
const char *tdx_kdump_safety(void)
{
	return tdx.configured && tdx.pw_erratum ? "unsafe" : "safe";
}

const char *tdx_suspend_policy(void)
{
	return tdx.sysinit_done ? "refused" : "allowed";
}

static void tdx_reset_pamts(void)
{
	const struct tdx_layout *l = tdx.layout;
	u64 bytes = 0;
	unsigned int i;
	int ret = 0;

	for (i = 0; l && i < l->nr && !ret; i++) {
		ret = tdx.provider->reset_memory(l->tdmr[i].pamt_base,
						 tdx_tdmr_pamt_bytes(&l->tdmr[i]));
		if (!ret)
			bytes += tdx_tdmr_pamt_bytes(&l->tdmr[i]);
	}
	if (ret)
		pr_emerg("resetting the PAMT failed (%d): the next kernel may machine-check on it\n",
			 ret);
	else
		pr_info("PAMT reset to KeyID 0 with MOVDIR64B: %llu KiB\n",
			bytes >> 10);
}

/*
 * Reboot notifiers, on every path out of this kernel but a crash: from
 * here on no SEAMCALL. Initialization sees tdx.stopping at its next call
 * and ends; once it has, under tdx.lock, the last SEAMCALL is behind us,
 * so every CPU (all still run) flushes the module's dirty lines.
 */
static int tdx_reboot_cb(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	WRITE_ONCE(tdx.stopping, true);
	mutex_lock(&tdx.lock);
	if (tdx.provider && tdx.sysinit_done) {
		tdx_flush_all_caches();
		if (tdx.configured && tdx.pw_erratum && tdx.can_reset)
			tdx_reset_pamts();
		pr_info("shutdown: caches flushed on every CPU after the last SEAMCALL\n");
	}
	mutex_unlock(&tdx.lock);
	return NOTIFY_DONE;
}

static struct notifier_block tdx_reboot_nb = {
	.notifier_call = tdx_reboot_cb,
	/* Before KVM's, which takes VMX away, and before a provider's */
	.priority = INT_MAX,
};

/*
 * Suspend to RAM and hibernation (not s2idle, which never reaches here):
 * the module's keys would not survive them.
 */
static int tdx_syscore_suspend(TDX_SYSCORE_ARG)
{
	if (!READ_ONCE(tdx.sysinit_done))
		return 0;
	pr_err("refusing to suspend (S3/S4): the TDX module is initialized and its keys would not survive; s2idle is allowed\n");
	return -EBUSY;
}

TDX_SYSCORE(tdx_syscore, tdx_syscore_suspend, NULL);

/*
 * Suspend to RAM or standby, refused early: the tdx class device is
 * prepared before any device is suspended, once the target is known.
 */
static int tdx_pm_prepare(struct device *dev)
{
	suspend_state_t target = READ_ONCE(pm_suspend_target_state);

	if (!READ_ONCE(tdx.sysinit_done) || target == PM_SUSPEND_TO_IDLE ||
	    target == PM_SUSPEND_ON)
		return 0;
	pr_err("refusing to suspend to RAM (S3): the TDX module is initialized and its keys would not survive; s2idle is allowed\n");
	return -EBUSY;
}

const struct dev_pm_ops tdx_class_pm_ops = {
	.prepare = tdx_pm_prepare,
};

/* Hibernation: refused before it freezes anything. */
static int tdx_pm_cb(struct notifier_block *nb, unsigned long action,
		     void *data)
{
	if (action != PM_HIBERNATION_PREPARE || !READ_ONCE(tdx.sysinit_done))
		return NOTIFY_DONE;
	pr_err("refusing to hibernate: the TDX module is initialized and would not survive it\n");
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block tdx_pm_nb = {
	.notifier_call = tdx_pm_cb,
};

static bool tdx_syscore_on;

/* Under tdx.lock: with a provider, after the provider's own hooks. */
void tdx_lifecycle_provider(bool on)
{
	if (on && !tdx_syscore_on)
		tdx_register_syscore(&tdx_syscore);
	else if (!on && tdx_syscore_on)
		tdx_unregister_syscore(&tdx_syscore);
	tdx_syscore_on = on;
}

int tdx_lifecycle_init(void)
{
	int ret = register_pm_notifier(&tdx_pm_nb);

	if (ret)
		return ret;
	ret = register_reboot_notifier(&tdx_reboot_nb);
	if (ret)
		unregister_pm_notifier(&tdx_pm_nb);
	return ret;
}

void tdx_lifecycle_exit(void)
{
	unregister_reboot_notifier(&tdx_reboot_nb);
	unregister_pm_notifier(&tdx_pm_nb);
	tdx_lifecycle_provider(false);
}
