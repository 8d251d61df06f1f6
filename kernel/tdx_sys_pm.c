// SPDX-License-Identifier: GPL-2.0
/*
 * Hibernation: the TDX module's state, keys and PAMT do not survive it.
 * The kernel does not export hibernation_available() and `nohibernate` is
 * not visible to modules, so instead of refusing TDX when hibernation is
 * merely possible, refuse hibernation once the module is configured.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/suspend.h>

#include "tdx_sys.h"

static int tdx_pm_cb(struct notifier_block *nb, unsigned long action,
		     void *data)
{
	if (action != PM_HIBERNATION_PREPARE || !READ_ONCE(tdx.configured))
		return NOTIFY_DONE;
	pr_warn("refusing to hibernate: the TDX module is configured and would not survive it\n");
	return notifier_from_errno(-EPERM);
}

static struct notifier_block tdx_pm_nb = {
	.notifier_call = tdx_pm_cb,
};

int tdx_pm_init(void)
{
	return register_pm_notifier(&tdx_pm_nb);
}

void tdx_pm_exit(void)
{
	unregister_pm_notifier(&tdx_pm_nb);
}
