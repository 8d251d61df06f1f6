// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/firmware/tdx: the status an operator needs, one regular file each,
 * and the class device "tdx" whose change uevents report state changes.
 * Files with physical addresses are root-only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "tdx_sys.h"
#include "tdx_kcompat.h"

static struct kobject *tdx_kobj;
static struct class *tdx_class;
static struct device *tdx_dev;

static ssize_t tdx_show_ranges(char *buf, const struct tdx_rangeset *rs)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < rs->nr; i++)
		n += sysfs_emit_at(buf, n, "0x%llx-0x%llx\n", rs->r[i].start,
				   rs->r[i].end - 1);
	return n;
}

static ssize_t state_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!sysfs_streq(buf, "initialize"))
		return -EINVAL;
	ret = tdx_request_init();
	return ret ? ret : count;
}

static ssize_t error_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	ssize_t n;

	mutex_lock(&tdx.pub);
	n = tdx.error[0] ? sysfs_emit(buf, "%s\n", tdx.error) : 0;
	mutex_unlock(&tdx.pub);
	return n;
}

static ssize_t cmrs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	unsigned int i;
	int n = 0;

	mutex_lock(&tdx.pub);
	for (i = 0; i < tdx.nr_cmr_raw; i++)
		n += sysfs_emit_at(buf, n, "0x%llx-0x%llx\n",
				   tdx.cmr_raw[i].base,
				   tdx.cmr_raw[i].base + tdx.cmr_raw[i].size - 1);
	mutex_unlock(&tdx.pub);
	return n;
}

static ssize_t tdx_memory_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	ssize_t n;

	mutex_lock(&tdx.pub);
	n = tdx_show_ranges(buf, &tdx.tdx_mem);
	mutex_unlock(&tdx.pub);
	return n;
}

static ssize_t nonconvertible_online_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	ssize_t n;

	mutex_lock(&tdx.pub);
	n = tdx_show_ranges(buf, &tdx.nonconv);
	mutex_unlock(&tdx.pub);
	return n;
}

static ssize_t tdmrs_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	const struct tdx_layout *l;
	unsigned int i;
	int n = 0;

	mutex_lock(&tdx.pub);
	l = tdx.layout;
	for (i = 0; l && i < l->nr; i++)
		n += sysfs_emit_at(buf, n, "0x%llx-0x%llx pamt=%llu reserved=%u\n",
				   l->tdmr[i].base,
				   l->tdmr[i].base + l->tdmr[i].size - 1,
				   tdx_tdmr_pamt_bytes(&l->tdmr[i]),
				   l->tdmr[i].nr_rsvd);
	mutex_unlock(&tdx.pub);
	return n;
}

/* The small values: one show routine, told apart by the attribute. */
enum tdx_val {
	TDX_V_STATE, TDX_V_PROVIDER, TDX_V_PAMT_KB, TDX_V_PROGRESS,
	TDX_V_CPUS, TDX_V_GLOBAL_KEYID, TDX_V_KEYIDS, TDX_V_VERSION,
	TDX_V_BUILD_DATE, TDX_V_BUILD_NUM, TDX_V_ATTRIBUTES, TDX_V_VENDOR_ID,
	TDX_V_MAX_TDMRS, TDX_V_MAX_RSVD, TDX_V_PAMT_ENTRY, TDX_V_FEATURES0,
	TDX_V_PW_ERRATUM, TDX_V_KEXEC, TDX_V_KDUMP, TDX_V_SUSPEND,
};

struct tdx_val_attr {
	struct kobj_attribute ka;
	enum tdx_val v;
};

/* Under tdx.pub. A value that does not exist yet shows as an empty file. */
static ssize_t tdx_val_emit(char *buf, enum tdx_val v)
{
	bool meta = tdx.have_limits;

	switch (v) {
	case TDX_V_STATE:
		return sysfs_emit(buf, "%s\n", tdx_state_name(tdx.state));
	case TDX_V_PROVIDER:
		return sysfs_emit(buf, "%s\n", tdx.provider_name);
	case TDX_V_PAMT_KB:
		return sysfs_emit(buf, "%llu\n", tdx.layout ?
				  tdx_layout_pamt_bytes(tdx.layout) >> 10 : 0);
	case TDX_V_PROGRESS:
		return sysfs_emit(buf, "%llu %llu\n", tdx.progress_done,
				  tdx.progress_total);
	case TDX_V_CPUS:
		return sysfs_emit(buf, "%u/%u\n", tdx.cpus_done,
				  tdx.cpus_platform);
	case TDX_V_GLOBAL_KEYID:
		return sysfs_emit(buf, "%u\n", tdx.global_keyid);
	case TDX_V_KEYIDS:
		if (tdx.keyid_max < tdx.keyid_min)
			return 0;
		return sysfs_emit(buf, "%u-%u\n", tdx.keyid_min,
				  tdx.keyid_max);
	case TDX_V_PW_ERRATUM:
		return sysfs_emit(buf, "%d\n", tdx.pw_erratum);
	case TDX_V_KEXEC:
		return sysfs_emit(buf, "%s\n", tdx_kexec_safety());
	case TDX_V_KDUMP:
		return sysfs_emit(buf, "%s\n", tdx_kdump_safety());
	case TDX_V_SUSPEND:
		return sysfs_emit(buf, "%s\n", tdx_suspend_policy());
	default:
		break;
	}
	if (!meta)
		return 0;
	switch (v) {
	case TDX_V_VERSION:
		return sysfs_emit(buf, "%u.%u.%u\n", tdx.meta.major,
				  tdx.meta.minor, tdx.meta.update);
	case TDX_V_BUILD_DATE:
		return sysfs_emit(buf, "%u\n", tdx.meta.build_date);
	case TDX_V_BUILD_NUM:
		return sysfs_emit(buf, "%u\n", tdx.meta.build_num);
	case TDX_V_ATTRIBUTES:
		return sysfs_emit(buf, "0x%08x\n", tdx.meta.attributes);
	case TDX_V_VENDOR_ID:
		return sysfs_emit(buf, "0x%04x\n", tdx.meta.vendor_id);
	case TDX_V_MAX_TDMRS:
		return sysfs_emit(buf, "%u\n", tdx.limits.max_tdmrs);
	case TDX_V_MAX_RSVD:
		return sysfs_emit(buf, "%u\n", tdx.limits.max_rsvd_per_tdmr);
	case TDX_V_PAMT_ENTRY:
		return sysfs_emit(buf, "%u\n",
				  tdx.limits.pamt_entry_size[TDX_PAMT_4K]);
	case TDX_V_FEATURES0:
		return sysfs_emit(buf, "0x%llx\n", tdx.meta.features0);
	default:
		return 0;
	}
}

static ssize_t tdx_val_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	const struct tdx_val_attr *va = container_of(attr, struct tdx_val_attr,
						     ka);
	ssize_t n;

	mutex_lock(&tdx.pub);
	n = tdx_val_emit(buf, va->v);
	mutex_unlock(&tdx.pub);
	return n;
}

#define TDX_VAL_ATTR(_name, _v)						\
	static struct tdx_val_attr tdx_attr_##_name = {			\
		.ka = __ATTR(_name, 0444, tdx_val_show, NULL),		\
		.v = _v,						\
	}

TDX_VAL_ATTR(provider, TDX_V_PROVIDER);
TDX_VAL_ATTR(pamt_kb, TDX_V_PAMT_KB);
TDX_VAL_ATTR(progress, TDX_V_PROGRESS);
TDX_VAL_ATTR(cpus, TDX_V_CPUS);
TDX_VAL_ATTR(global_keyid, TDX_V_GLOBAL_KEYID);
TDX_VAL_ATTR(keyids, TDX_V_KEYIDS);
TDX_VAL_ATTR(version, TDX_V_VERSION);
TDX_VAL_ATTR(build_date, TDX_V_BUILD_DATE);
TDX_VAL_ATTR(build_num, TDX_V_BUILD_NUM);
TDX_VAL_ATTR(attributes, TDX_V_ATTRIBUTES);
TDX_VAL_ATTR(vendor_id, TDX_V_VENDOR_ID);
TDX_VAL_ATTR(max_tdmrs, TDX_V_MAX_TDMRS);
TDX_VAL_ATTR(max_reserved_per_tdmr, TDX_V_MAX_RSVD);
TDX_VAL_ATTR(pamt_entry_size, TDX_V_PAMT_ENTRY);
TDX_VAL_ATTR(features0, TDX_V_FEATURES0);
TDX_VAL_ATTR(partial_write_erratum, TDX_V_PW_ERRATUM);
TDX_VAL_ATTR(kexec, TDX_V_KEXEC);
TDX_VAL_ATTR(kdump, TDX_V_KDUMP);
TDX_VAL_ATTR(suspend, TDX_V_SUSPEND);

static struct tdx_val_attr tdx_attr_state = {
	.ka = __ATTR(state, 0644, tdx_val_show, state_store),
	.v = TDX_V_STATE,
};

static struct kobj_attribute tdx_attr_error = __ATTR_RO_MODE(error, 0400);
static struct kobj_attribute tdx_attr_cmrs = __ATTR_RO_MODE(cmrs, 0400);
static struct kobj_attribute tdx_attr_tdx_memory =
	__ATTR_RO_MODE(tdx_memory, 0400);
static struct kobj_attribute tdx_attr_nonconvertible_online =
	__ATTR_RO_MODE(nonconvertible_online, 0400);
static struct kobj_attribute tdx_attr_tdmrs = __ATTR_RO_MODE(tdmrs, 0400);

static struct attribute *tdx_attrs[] = {
	&tdx_attr_state.ka.attr,
	&tdx_attr_error.attr,
	&tdx_attr_provider.ka.attr,
	&tdx_attr_cmrs.attr,
	&tdx_attr_tdx_memory.attr,
	&tdx_attr_nonconvertible_online.attr,
	&tdx_attr_tdmrs.attr,
	&tdx_attr_pamt_kb.ka.attr,
	&tdx_attr_progress.ka.attr,
	&tdx_attr_version.ka.attr,
	&tdx_attr_build_date.ka.attr,
	&tdx_attr_build_num.ka.attr,
	&tdx_attr_attributes.ka.attr,
	&tdx_attr_vendor_id.ka.attr,
	&tdx_attr_keyids.ka.attr,
	&tdx_attr_global_keyid.ka.attr,
	&tdx_attr_max_tdmrs.ka.attr,
	&tdx_attr_max_reserved_per_tdmr.ka.attr,
	&tdx_attr_pamt_entry_size.ka.attr,
	&tdx_attr_cpus.ka.attr,
	&tdx_attr_features0.ka.attr,
	&tdx_attr_partial_write_erratum.ka.attr,
	&tdx_attr_kexec.ka.attr,
	&tdx_attr_kdump.ka.attr,
	&tdx_attr_suspend.ka.attr,
	NULL,
};

static const struct attribute_group tdx_group = {
	.attrs = tdx_attrs,
};

/*
 * On the class device, where udev rules can read it as
 * ATTR{[tdx/tdx]generation}: a decision table built for one generation
 * is valid while the attribute still reads the same.
 */
static ssize_t generation_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u64 gen;

	mutex_lock(&tdx.pub);
	gen = tdx.generation;
	mutex_unlock(&tdx.pub);
	return sysfs_emit(buf, "%llu\n", gen);
}

static DEVICE_ATTR_RO(generation);

static struct attribute *tdx_dev_attrs[] = {
	&dev_attr_generation.attr,
	NULL,
};

ATTRIBUTE_GROUPS(tdx_dev);

void tdx_uevent(enum tdx_state prev, enum tdx_state now)
{
	char state[32], prev_state[40];
	char *envp[3];

	if (!tdx_dev)
		return;
	snprintf(state, sizeof(state), "TDX_STATE=%s", tdx_state_name(now));
	snprintf(prev_state, sizeof(prev_state), "TDX_PREV_STATE=%s",
		 tdx_state_name(prev));
	envp[0] = state;
	envp[1] = prev_state;
	envp[2] = NULL;
	kobject_uevent_env(&tdx_dev->kobj, KOBJ_CHANGE, envp);
}

int tdx_sysfs_init(void)
{
	int ret;

	tdx_kobj = kobject_create_and_add("tdx", firmware_kobj);
	if (!tdx_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(tdx_kobj, &tdx_group);
	if (ret)
		goto err_kobj;
	tdx_class = tdx_class_create("tdx");
	if (IS_ERR(tdx_class)) {
		ret = PTR_ERR(tdx_class);
		goto err_group;
	}
	tdx_class->pm = &tdx_class_pm_ops;
	tdx_dev = device_create_with_groups(tdx_class, NULL, MKDEV(0, 0),
					    NULL, tdx_dev_groups, "tdx");
	if (IS_ERR(tdx_dev)) {
		ret = PTR_ERR(tdx_dev);
		tdx_dev = NULL;
		goto err_class;
	}
	return 0;

err_class:
	class_destroy(tdx_class);
err_group:
	sysfs_remove_group(tdx_kobj, &tdx_group);
err_kobj:
	kobject_put(tdx_kobj);
	return ret;
}

void tdx_sysfs_exit(void)
{
	device_destroy(tdx_class, MKDEV(0, 0));
	tdx_dev = NULL;
	class_destroy(tdx_class);
	sysfs_remove_group(tdx_kobj, &tdx_group);
	kobject_put(tdx_kobj);
}
