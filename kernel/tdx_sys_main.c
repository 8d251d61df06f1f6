// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_sys: module entry points, provider registration, and publication of
 * the state and the last error.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "tdx_sys.h"

struct tdx_sys tdx = {
	.lock = __MUTEX_INITIALIZER(tdx.lock),
	.pub = __MUTEX_INITIALIZER(tdx.pub),
	.state = TDX_STATE_UNSUPPORTED,
	.provider_name = "none",
};

int tdx_param_cover = TDX_COVER_PRESENT;
bool tdx_param_any_before_init;

/* A module parameter that takes one of a few names; root only to set. */
struct tdx_enum_param {
	int *val;
	const char * const *names;
	unsigned int nr;
};

static int tdx_enum_set(const char *val, const struct kernel_param *kp)
{
	const struct tdx_enum_param *e = kp->arg;
	int i;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	i = __sysfs_match_string(e->names, e->nr, val);
	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(*e->val, i);
	return 0;
}

static int tdx_enum_get(char *buf, const struct kernel_param *kp)
{
	const struct tdx_enum_param *e = kp->arg;

	return sysfs_emit(buf, "%s\n", e->names[READ_ONCE(*e->val)]);
}

static const struct kernel_param_ops tdx_enum_ops = {
	.set = tdx_enum_set,
	.get = tdx_enum_get,
};

static const char * const tdx_cover_names[] = {
	[TDX_COVER_PRESENT] = "present",
	[TDX_COVER_CMRS] = "cmrs",
};

static struct tdx_enum_param tdx_cover_param = {
	.val = &tdx_param_cover,
	.names = tdx_cover_names,
	.nr = ARRAY_SIZE(tdx_cover_names),
};

module_param_cb(tdmr_cover, &tdx_enum_ops, &tdx_cover_param, 0644);
MODULE_PARM_DESC(tdmr_cover,
		 "What the TDMRs cover: present (memory online at initialization, default) or cmrs (all convertible memory, so it can be onlined later; costs PAMT for all of it)");

static int tdx_before_init;	/* 0 cmrs, 1 any; mirrored in the bool */

static const char * const tdx_before_init_names[] = { "cmrs", "any" };

static int tdx_before_init_set(const char *val, const struct kernel_param *kp)
{
	int ret = tdx_enum_set(val, kp);

	if (!ret)
		WRITE_ONCE(tdx_param_any_before_init, READ_ONCE(tdx_before_init));
	return ret;
}

static const struct kernel_param_ops tdx_before_init_ops = {
	.set = tdx_before_init_set,
	.get = tdx_enum_get,
};

static struct tdx_enum_param tdx_before_init_param = {
	.val = &tdx_before_init,
	.names = tdx_before_init_names,
	.nr = ARRAY_SIZE(tdx_before_init_names),
};

module_param_cb(before_init, &tdx_before_init_ops, &tdx_before_init_param,
		0644);
MODULE_PARM_DESC(before_init,
		 "What may be onlined before TDX initialization: cmrs (only convertible memory, so initialization cannot fail on it; default) or any (everything, as upstream Linux; initialization then fails while memory outside the CMRs is online)");

/* Called under tdx.lock. Sends the uevent after dropping tdx.pub. */
void tdx_set_state(enum tdx_state s)
{
	enum tdx_state prev;

	mutex_lock(&tdx.pub);
	prev = tdx.state;
	tdx.state = s;
	/*
	 * Everything the onlining decision depends on (CMRs, TDX memory) is
	 * published before the state that uses it, so a new generation per
	 * state tells user space when a decision made earlier may be stale.
	 */
	if (prev != s)
		tdx.generation++;
	mutex_unlock(&tdx.pub);
	if (prev != s) {
		pr_info("state %s -> %s\n", tdx_state_name(prev),
			tdx_state_name(s));
		tdx_uevent(prev, s);
	}
}

/* Record the error sysfs shows and log it (every failure does both). */
void tdx_err(const char *fmt, ...)
{
	va_list ap;

	mutex_lock(&tdx.pub);
	va_start(ap, fmt);
	vscnprintf(tdx.error, sizeof(tdx.error), fmt, ap);
	va_end(ap);
	pr_err("%s\n", tdx.error);
	mutex_unlock(&tdx.pub);
}

void tdx_append_error(const char *s)
{
	size_t n;

	mutex_lock(&tdx.pub);
	n = strlen(tdx.error);
	scnprintf(tdx.error + n, sizeof(tdx.error) - n, "%s", s);
	mutex_unlock(&tdx.pub);
}

void tdx_clear_error(void)
{
	mutex_lock(&tdx.pub);
	tdx.error[0] = '\0';
	mutex_unlock(&tdx.pub);
}

/* Inclusive "0xSTART-0xEND" entries joined by @sep; truncated with "..." */
int tdx_format_ranges(char *buf, size_t len, const struct tdx_rangeset *rs,
		      const char *sep)
{
	unsigned int i;
	int n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < rs->nr; i++) {
		int w = snprintf(buf + n, len - n, "%s0x%llx-0x%llx",
				 i ? sep : "", rs->r[i].start, rs->r[i].end - 1);

		if (w >= (int)(len - n)) {
			/* Leave room to say the list goes on */
			if (len > 4 && n + 4 < (int)len)
				strscpy(buf + n, "...", len - n);
			else if (len > 4)
				strscpy(buf + len - 4, "...", 4);
			return strlen(buf);
		}
		n += w;
	}
	return n;
}

/* Forget everything the previous provider told us. Under tdx.lock. */
static void tdx_reset_published(void)
{
	mutex_lock(&tdx.pub);
	memset(&tdx.meta, 0, sizeof(tdx.meta));
	memset(&tdx.limits, 0, sizeof(tdx.limits));
	tdx.have_limits = false;
	tdx.keyid_min = 1;
	/* Distinct from every generation of an earlier load of the module */
	tdx.generation = ktime_get_boottime_ns();
	tdx.keyid_max = 0;
	tdx.global_keyid = 0;
	tdx_rs_clear(&tdx.cmrs);
	tdx_rs_clear(&tdx.nonconv);
	tdx_rs_clear(&tdx.tdx_mem);
	tdx.progress_done = 0;
	tdx.progress_total = 0;
	tdx.cpus_platform = 0;
	tdx.cpus_done = 0;
	tdx.pw_erratum = false;
	tdx.can_reset = false;
	if (!tdx.provider)
		strscpy(tdx.provider_name, "none", sizeof(tdx.provider_name));
	mutex_unlock(&tdx.pub);
	tdx.sysinit_done = false;
	tdx.sysinit_found = false;
	tdx.found_configured = false;
	cpumask_clear(&tdx.lp_done);
	cpumask_clear(&tdx.nonplatform_reported);
	memset(&tdx.topo, 0, sizeof(tdx.topo));
}

static bool tdx_provider_valid(const struct tdx_provider *p)
{
	return p && p->name && p->seamcall && p->vmx_enter && p->vmx_leave &&
	       p->flush_cache && p->reset_memory && p->rdmsr && p->cpu_model;
}

int tdx_provider_register(const struct tdx_provider *p)
{
	int ret;

	if (!tdx_provider_valid(p))
		return -EINVAL;

	cpus_read_lock();
	mutex_lock(&tdx.lock);
	if (tdx.provider) {
		ret = -EBUSY;
		goto out;
	}
	tdx_reset_published();
	tdx_clear_error();
	tdx.provider = p;
	mutex_lock(&tdx.pub);
	strscpy(tdx.provider_name, p->name, sizeof(tdx.provider_name));
	mutex_unlock(&tdx.pub);
	pr_info("provider %s registered, probing the TDX module\n", p->name);
	ret = tdx_probe_provider();
	if (ret) {
		/* The error says why; keep it, forget the provider. */
		pr_err("provider %s rejected (%d)\n", p->name, ret);
		tdx.provider = NULL;
		tdx_reset_published();
		tdx_set_state(TDX_STATE_UNSUPPORTED);
	} else {
		tdx_lifecycle_provider(true);
	}
out:
	mutex_unlock(&tdx.lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_provider_register);

int tdx_provider_unregister(const struct tdx_provider *p)
{
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&tdx.lock);
	if (!p || tdx.provider != p) {
		ret = -EINVAL;
	} else if (tdx.configured) {
		/* The module owns the PAMT now; it stays until reboot. */
		ret = -EBUSY;
	} else {
		pr_info("provider %s unregistered\n", p->name);
		tdx_lifecycle_provider(false);
		tdx.provider = NULL;
		tdx_reset_published();
		if (tdx.hw_reason[0])
			tdx_err("%s", tdx.hw_reason);
		else
			tdx_clear_error();
		tdx_set_state(TDX_STATE_UNSUPPORTED);
	}
	mutex_unlock(&tdx.lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_provider_unregister);

static int __init tdx_sys_init(void)
{
	int ret = -ENOMEM;

	tdx.nonconv_buf = kcalloc(TDX_MEM_RANGES, sizeof(*tdx.nonconv_buf),
				  GFP_KERNEL);
	tdx.tdx_mem_buf = kcalloc(TDX_MEM_RANGES, sizeof(*tdx.tdx_mem_buf),
				  GFP_KERNEL);
	if (!tdx.nonconv_buf || !tdx.tdx_mem_buf)
		goto err_free;
	tdx_rs_init(&tdx.cmrs, tdx.cmrs_buf, TDX_MAX_CMRS);
	tdx_rs_init(&tdx.nonconv, tdx.nonconv_buf, TDX_MEM_RANGES);
	tdx_rs_init(&tdx.tdx_mem, tdx.tdx_mem_buf, TDX_MEM_RANGES);
	tdx_rs_init(&tdx.inflight, tdx.inflight_buf, TDX_INFLIGHT_RANGES);
	tdx.keyid_min = 1;
	/* Distinct from every generation of an earlier load of the module */
	tdx.generation = ktime_get_boottime_ns();

	ret = tdx_sysfs_init();
	if (ret)
		goto err_free;
	tdx_debugfs_init();
	ret = tdx_mem_notifier_register();
	if (ret)
		goto err_debugfs;
	ret = tdx_cpu_hp_setup();
	if (ret)
		goto err_mem;
	ret = tdx_lifecycle_init();
	if (ret)
		goto err_cpu;
	/* Never fails the load: a missing prerequisite is a state. */
	tdx_hw_init();
	return 0;

err_cpu:
	tdx_cpu_hp_remove();
err_mem:
	tdx_mem_notifier_unregister();
err_debugfs:
	tdx_debugfs_exit();
	tdx_sysfs_exit();
err_free:
	kfree(tdx.tdx_mem_buf);
	kfree(tdx.nonconv_buf);
	return ret;
}

static void __exit tdx_sys_exit(void)
{
	tdx_hw_exit();
	tdx_init_flush();
	tdx_lifecycle_exit();
	tdx_cpu_hp_remove();
	tdx_mem_notifier_unregister();
	tdx_debugfs_exit();
	tdx_sysfs_exit();
	kfree(tdx.layout);
	kfree(tdx.tdx_mem_buf);
	kfree(tdx.nonconv_buf);
}

module_init(tdx_sys_init);
module_exit(tdx_sys_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Intel TDX host initialization, serialized against memory onlining");
