// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/config/tdx_emu: the emulated platform's configuration,
 * attach/detach, fault injection and read-only state. Attributes sit in
 * the subsystem's root group (one platform). The text formats are parsed
 * by lib/tdx_emu_parse.c; see docs/ABI/testing/configfs-tdx_emu.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/configfs.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include "tdx_emu.h"
#include "tdx_emu_bios.h"
#include "tdx_emu_parse.h"

static struct tdx_emu_platform *const plat = &tdx_emu_plat;
static struct tdx_emu_config *const cfg = &tdx_emu_plat.emu.cfg;

/*
 * Start a store: CAP_SYS_ADMIN, and unless @live the platform must be
 * detached. On success the configuration lock is held.
 */
static int store_begin(const char *name, bool live)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&plat->lock);
	if (!live && plat->attached) {
		mutex_unlock(&plat->lock);
		pr_warn("%s: refused while attached; write 0 to attached first\n",
			name);
		return -EBUSY;
	}
	/* The module sampled the platform at TDH.SYS.INIT: it is fixed now */
	if (!live && !tdx_emu_fresh()) {
		mutex_unlock(&plat->lock);
		pr_warn("%s: refused: the module is past power-on; write 1 to reset first\n",
			name);
		return -EBUSY;
	}
	return 0;
}

static ssize_t store_end(const char *name, int err, size_t count)
{
	mutex_unlock(&plat->lock);
	if (err == -EINVAL)
		pr_info("%s: malformed or out-of-range value, nothing changed\n",
			name);
	return err ? err : count;
}

/* A numeric attribute with bounds: shown with _fmt, stored parsed. */
#define EMU_NUM_ATTR(_name, _ptr, _min, _max, _fmt)			\
static typeof(_ptr) const emu_##_name##_field = (_ptr);		\
static ssize_t emu_##_name##_show(struct config_item *item, char *page)\
{									\
	u64 v;								\
									\
	mutex_lock(&plat->lock);					\
	v = *emu_##_name##_field;					\
	mutex_unlock(&plat->lock);					\
	return sysfs_emit(page, _fmt "\n", (unsigned long long)v);	\
}									\
static ssize_t emu_##_name##_store(struct config_item *item,		\
				   const char *page, size_t count)	\
{									\
	int err = store_begin(#_name, false);				\
	u64 v;								\
									\
	if (err)							\
		return err;						\
	err = tdx_emu_parse_u64(page, count, _min, _max, &v);		\
	if (!err)							\
		*emu_##_name##_field = v;				\
	return store_end(#_name, err, count);				\
}

EMU_NUM_ATTR(max_tdmrs, &tdx_emu_plat.emu.cfg.max_tdmrs, 1, TDX_MAX_TDMRS, "%llu")
EMU_NUM_ATTR(max_reserved_per_tdmr, &tdx_emu_plat.emu.cfg.max_rsvd, 1, TDX_MAX_RSVD, "%llu")
EMU_NUM_ATTR(vendor_id, &tdx_emu_plat.emu.cfg.vendor_id, 0, U32_MAX, "0x%llx")
EMU_NUM_ATTR(build_date, &tdx_emu_plat.emu.cfg.build_date, 0, U32_MAX, "%llu")
EMU_NUM_ATTR(build_num, &tdx_emu_plat.emu.cfg.build_num, 0, U16_MAX, "%llu")
EMU_NUM_ATTR(attributes, &tdx_emu_plat.emu.cfg.attributes, 0, U32_MAX, "0x%llx")
EMU_NUM_ATTR(features0, &tdx_emu_plat.emu.cfg.features0, 0, U64_MAX, "0x%llx")

static ssize_t emu_pamt_entry_size_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(cfg->pamt_entry_size));
}

static ssize_t emu_pamt_entry_size_store(struct config_item *item,
					 const char *page, size_t count)
{
	int err = store_begin("pamt_entry_size", false);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, TDX_EMU_PAMT_ENTRY_MIN,
				TDX_EMU_PAMT_ENTRY_MAX, &v);
	if (!err && !is_power_of_2(v))
		err = -EINVAL;
	if (!err)
		cfg->pamt_entry_size = v;
	return store_end("pamt_entry_size", err, count);
}

/* The busy-wait may change while attached: it models speed, not the platform. */
static ssize_t emu_tdmr_init_delay_ns_show(struct config_item *item,
					   char *page)
{
	return sysfs_emit(page, "%llu\n", READ_ONCE(cfg->tdmr_init_delay_ns));
}

static ssize_t emu_tdmr_init_delay_ns_store(struct config_item *item,
					    const char *page, size_t count)
{
	int err = store_begin("tdmr_init_delay_ns", true);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, 0, TDX_EMU_MAX_DELAY_NS, &v);
	if (!err)
		WRITE_ONCE(cfg->tdmr_init_delay_ns, v);
	return store_end("tdmr_init_delay_ns", err, count);
}

EMU_NUM_ATTR(feature_control, &tdx_emu_plat.feature_control, 0, U64_MAX, "0x%llx")

/* TDMR bytes per TDH.SYS.TDMR.INIT call: a power of two, 4 KiB to 1 GiB */
static ssize_t emu_tdmr_init_chunk_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%llu\n", READ_ONCE(cfg->tdmr_init_chunk));
}

static ssize_t emu_tdmr_init_chunk_store(struct config_item *item,
					 const char *page, size_t count)
{
	int err = store_begin("tdmr_init_chunk", false);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, TDX_EMU_TDMR_INIT_CHUNK_MIN,
				TDX_EMU_TDMR_INIT_CHUNK_MAX, &v);
	if (!err && !is_power_of_2(v))
		err = -EINVAL;
	if (!err)
		cfg->tdmr_init_chunk = v;
	return store_end("tdmr_init_chunk", err, count);
}

/* "FAMILY MODEL" of CPUID leaf 1, e.g. "6 0xcf": errata follow from it. */
static ssize_t emu_cpu_model_show(struct config_item *item, char *page)
{
	u32 family, model;

	mutex_lock(&plat->lock);
	tdx_emu_fms_decode(cfg->cpu_fms, &family, &model);
	mutex_unlock(&plat->lock);
	return sysfs_emit(page, "%u 0x%x\n", family, model);
}

static ssize_t emu_cpu_model_store(struct config_item *item, const char *page,
				   size_t count)
{
	int err = store_begin("cpu_model", false);
	u32 family, model;

	if (err)
		return err;
	err = tdx_emu_parse_cpu_model(page, count, &family, &model);
	if (!err)
		cfg->cpu_fms = tdx_emu_fms_encode(family, model) |
			       (cfg->cpu_fms & 0xf);	/* keep the stepping */
	return store_end("cpu_model", err, count);
}

/* Whether the CPU has MOVDIR64B, with which a host resets PAMT. */
static ssize_t emu_movdir64b_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(plat->movdir64b));
}

static ssize_t emu_movdir64b_store(struct config_item *item, const char *page,
				   size_t count)
{
	int err = store_begin("movdir64b", false);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, 0, 1, &v);
	if (!err)
		WRITE_ONCE(plat->movdir64b, v);
	return store_end("movdir64b", err, count);
}

/* Write 1: a firmware reset of the platform (detached only). */
static ssize_t emu_reset_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", !tdx_emu_fresh());
}

static ssize_t emu_reset_store(struct config_item *item, const char *page,
			       size_t count)
{
	int err = store_begin("reset", true);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, 1, 1, &v);
	if (!err)
		err = tdx_emu_platform_reset();
	if (err == -EBUSY)
		pr_warn("reset: refused while attached; write 0 to attached first\n");
	return store_end("reset", err, count);
}

/* Transient failures at rates per mille; a live knob. */
static ssize_t emu_transients_show(struct config_item *item, char *page)
{
	struct tdx_emu_transients t;
	int n;

	tdx_emu_get_transients(&plat->emu, &t);
	n = tdx_emu_format_transients(&t, page, PAGE_SIZE);
	return min_t(ssize_t, n, PAGE_SIZE - 1);
}

static ssize_t emu_transients_store(struct config_item *item,
				    const char *page, size_t count)
{
	int err = store_begin("transients", true);
	struct tdx_emu_transients t;

	if (err)
		return err;
	tdx_emu_get_transients(&plat->emu, &t);
	err = tdx_emu_parse_transients(page, count, &t);
	if (!err)
		err = tdx_emu_set_transients(&plat->emu, &t);
	return store_end("transients", err, count);
}

/*
 * The modelled hypervisor (KVM): "on" holds VMX on every CPU, as KVM 6.12
 * does from load and 6.1 while a VM exists; "off" takes it back waiting
 * for each CPU, "off-async" without waiting, as KVM 6.1 does when the
 * last VM exits. A live knob: that is what it is for.
 */
static ssize_t emu_hypervisor_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", tdx_emu_hv_is_on() ? "on" : "off");
}

static ssize_t emu_hypervisor_store(struct config_item *item, const char *page,
				    size_t count)
{
	int err = store_begin("hypervisor", true);

	if (err)
		return err;
	if (sysfs_streq(page, "on"))
		tdx_emu_hv_set(true, true);
	else if (sysfs_streq(page, "off"))
		tdx_emu_hv_set(false, true);
	else if (sysfs_streq(page, "off-async"))
		tdx_emu_hv_set(false, false);
	else
		err = -EINVAL;
	return store_end("hypervisor", err, count);
}

/* Microseconds between the hypervisor's VMX on and off, 0 = no churn. */
static ssize_t emu_hypervisor_churn_us_show(struct config_item *item,
					    char *page)
{
	return sysfs_emit(page, "%lu\n", READ_ONCE(plat->churn_us));
}

static ssize_t emu_hypervisor_churn_us_store(struct config_item *item,
					     const char *page, size_t count)
{
	int err = store_begin("hypervisor_churn_us", true);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, 0, TDX_EMU_MAX_CHURN_US, &v);
	if (!err) {
		err = tdx_emu_hv_churn(v);
		/* A failed start leaves no churn running */
		WRITE_ONCE(plat->churn_us, err ? 0 : v);
	}
	return store_end("hypervisor_churn_us", err, count);
}

static ssize_t emu_version_show(struct config_item *item, char *page)
{
	ssize_t n;

	mutex_lock(&plat->lock);
	n = sysfs_emit(page, "%u.%u.%u\n", cfg->major, cfg->minor, cfg->update);
	mutex_unlock(&plat->lock);
	return n;
}

static ssize_t emu_version_store(struct config_item *item, const char *page,
				 size_t count)
{
	int err = store_begin("version", false);

	if (err)
		return err;
	err = tdx_emu_parse_version(page, count, &cfg->major, &cfg->minor,
				    &cfg->update);
	return store_end("version", err, count);
}

static ssize_t emu_keyids_show(struct config_item *item, char *page)
{
	ssize_t n;

	mutex_lock(&plat->lock);
	n = sysfs_emit(page, "mktme=%u tdx=%u\n", cfg->num_mktme_keyids,
		       cfg->num_tdx_keyids);
	mutex_unlock(&plat->lock);
	return n;
}

static ssize_t emu_keyids_store(struct config_item *item, const char *page,
				size_t count)
{
	int err = store_begin("keyids", false);

	if (err)
		return err;
	err = tdx_emu_parse_keyids(page, count, &cfg->num_mktme_keyids,
				   &cfg->num_tdx_keyids);
	if (!err)
		cfg->keyid_bits = tdx_emu_keyid_bits(cfg->num_mktme_keyids,
						     cfg->num_tdx_keyids);
	return store_end("keyids", err, count);
}

static bool is_default(const char *page)
{
	return sysfs_streq(page, "default");
}

static ssize_t emu_cmrs_show(struct config_item *item, char *page)
{
	struct tdx_cmr_info *tmp;
	unsigned int nr = 0;
	ssize_t n;

	tmp = kcalloc(TDX_MAX_CMRS, sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	mutex_lock(&plat->lock);
	if (plat->cmrs_set || plat->attached || !tdx_emu_fresh()) {
		memcpy(tmp, cfg->cmrs, sizeof(cfg->cmrs));
		nr = cfg->nr_cmrs;
	} else if (tdx_emu_firmware_cmrs(tmp, &nr)) {
		nr = 0;		/* attach will fail and say why */
	}
	mutex_unlock(&plat->lock);
	n = tdx_emu_format_cmrs(tmp, nr, page, PAGE_SIZE);
	kfree(tmp);
	return min_t(ssize_t, n, PAGE_SIZE - 1);
}

static ssize_t emu_cmrs_store(struct config_item *item, const char *page,
			      size_t count)
{
	int err = store_begin("cmrs", false);

	if (err)
		return err;
	if (is_default(page)) {
		plat->cmrs_set = false;
	} else {
		err = tdx_emu_parse_cmrs(page, count, cfg->cmrs, &cfg->nr_cmrs);
		if (!err) {
			memset(cfg->cmrs + cfg->nr_cmrs, 0,
			       sizeof(cfg->cmrs[0]) *
			       (TDX_MAX_CMRS - cfg->nr_cmrs));
			plat->cmrs_set = true;
		}
	}
	return store_end("cmrs", err, count);
}

static ssize_t emu_cpus_show(struct config_item *item, char *page)
{
	struct tdx_emu_lp *lps;
	unsigned int nr;
	ssize_t n;

	lps = kmalloc_array(TDX_EMU_MAX_LPS, sizeof(*lps), GFP_KERNEL);
	if (!lps)
		return -ENOMEM;
	mutex_lock(&plat->lock);
	if (plat->cpus_set || plat->attached || !tdx_emu_fresh()) {
		nr = cfg->nr_lps;
		memcpy(lps, cfg->lps, nr * sizeof(*lps));
	} else if (tdx_emu_firmware_lps(lps, &nr)) {
		nr = 0;		/* attach will fail and say why */
	}
	mutex_unlock(&plat->lock);
	n = tdx_emu_format_lps(lps, nr, page, PAGE_SIZE);
	kfree(lps);
	return min_t(ssize_t, n, PAGE_SIZE - 1);
}

static ssize_t emu_cpus_store(struct config_item *item, const char *page,
			      size_t count)
{
	int err = store_begin("cpus", false);

	if (err)
		return err;
	if (is_default(page)) {
		plat->cpus_set = false;
	} else {
		err = tdx_emu_parse_lps(page, count, cfg->lps, &cfg->nr_lps);
		if (!err)
			plat->cpus_set = true;
	}
	return store_end("cpus", err, count);
}

static ssize_t emu_fault_show(struct config_item *item, char *page)
{
	int n = tdx_emu_fault_format(&plat->emu, page, PAGE_SIZE);

	return min_t(ssize_t, n, PAGE_SIZE - 1);
}

/* Faults may be armed while attached: that is what they are for. */
static ssize_t emu_fault_store(struct config_item *item, const char *page,
			       size_t count)
{
	int err = store_begin("fault", true);
	bool clear;
	u16 leaf;
	u64 status;
	u32 nth;

	if (err)
		return err;
	err = tdx_emu_parse_fault(page, count, &clear, &leaf, &status, &nth);
	if (!err && clear)
		tdx_emu_fault_clear(&plat->emu);
	else if (!err)
		err = tdx_emu_fault_add(&plat->emu, leaf, status, nth);
	if (err == -ENOSPC)
		pr_warn("fault: at most %d pending faults\n", TDX_EMU_MAX_FAULTS);
	return store_end("fault", err, count);
}

static ssize_t emu_attached_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(plat->attached));
}

static ssize_t emu_attached_store(struct config_item *item, const char *page,
				  size_t count)
{
	int err = store_begin("attached", true);
	u64 v;

	if (err)
		return err;
	err = tdx_emu_parse_u64(page, count, 0, 1, &v);
	if (!err)
		err = v ? tdx_emu_attach() : tdx_emu_detach();
	return store_end("attached", err, count);
}

static ssize_t emu_state_show(struct config_item *item, char *page)
{
	struct tdx_emu *e = &plat->emu;
	struct tdx_emu_cpu_stats *cs = &tdx_emu_cpu_stats;
	u32 kmin = 0, kmax = 0;
	unsigned int t;
	ssize_t n;

	tdx_emu_private_keyids(&e->cfg, &kmin, &kmax);
	n = sysfs_emit(page,
		       "attached: %d\nresumed: %d\nsys_state: %s\nlps_initialized: %u/%u\npackages_configured: %u/%u\ntdmrs_initialized: %u/%u\nprivate_keyids: %u-%u\nglobal_keyid: %u\nkeyids_reserved: %u\n",
		       READ_ONCE(plat->attached), READ_ONCE(plat->resumed),
		       tdx_emu_state_name(READ_ONCE(e->sys_state)),
		       tdx_emu_lps_initialized(e), e->num_lps,
		       tdx_emu_pkgs_configured(e), e->num_pkgs,
		       tdx_emu_tdmrs_initialized(e), e->nr_tdmrs,
		       kmin, kmax, e->global_keyid, tdx_emu_keyids_reserved(e));
	n += sysfs_emit_at(page, n,
			   "vmx_host_cpus: %u\nvmx_hypervisor_cpus: %u\nseamcalls: %lld\nseamcalls_ud: %lld\nvmx_irqs_on: %lld\nhost_vmx_enters: %lld\nbad_vmx_leaves: %lld\nhypervisor_toggles: %lld\nhypervisor_enables_refused: %lld\n",
			   tdx_emu_vmx_count(0), tdx_emu_vmx_count(1),
			   atomic64_read(&cs->seamcalls),
			   atomic64_read(&cs->seamcalls_ud),
			   atomic64_read(&cs->irqs_on),
			   atomic64_read(&cs->host_vmx_enters),
			   atomic64_read(&cs->bad_vmx_leaves),
			   atomic64_read(&cs->hv_toggles),
			   atomic64_read(&cs->hv_enables_refused));
	n += sysfs_emit_at(page, n,
			   "cache_flushes: %lld\nkey_config_unflushed: %lld\ncpus_kid0_dirty: %u\ncpus_dirty: %u\npamt_reset_bytes: %lld\npamt_private_bytes: %lld\npamt_private_unmapped: %lld\npamt_host_reachable: %u\n",
			   atomic64_read(&cs->flushes),
			   atomic64_read(&cs->key_config_unflushed),
			   tdx_emu_cpus_kid0_dirty(), tdx_emu_cpus_dirty(),
			   atomic64_read(&cs->pamt_reset_bytes),
			   atomic64_read(&cs->private_bytes),
			   atomic64_read(&cs->private_unmapped),
			   tdx_emu_private_reachable());
	for (t = 0; t < TDX_EMU_NR_TRANSIENTS; t++)
		n += sysfs_emit_at(page, n, "transient_%s: %llu\n",
				   tdx_emu_transient_name(t),
				   READ_ONCE(e->transients_fired[t]));
	n += tdx_emu_handoff_format(page + n, PAGE_SIZE - n);
	return n;
}

static const struct {
	unsigned int leaf;
	const char *name;
} emu_leaves[] = {
	{ TDH_SYS_KEY_CONFIG, "TDH.SYS.KEY.CONFIG" },
	{ TDH_SYS_INFO, "TDH.SYS.INFO" },
	{ TDH_SYS_INIT, "TDH.SYS.INIT" },
	{ TDH_SYS_RD, "TDH.SYS.RD" },
	{ TDH_SYS_LP_INIT, "TDH.SYS.LP.INIT" },
	{ TDH_SYS_TDMR_INIT, "TDH.SYS.TDMR.INIT" },
	{ TDH_SYS_RDALL, "TDH.SYS.RDALL" },
	{ TDH_SYS_LP_SHUTDOWN, "TDH.SYS.LP.SHUTDOWN" },
	{ TDH_SYS_CONFIG, "TDH.SYS.CONFIG" },
	{ TDH_SYS_SHUTDOWN, "TDH.SYS.SHUTDOWN" },
	{ TDH_SYS_UPDATE, "TDH.SYS.UPDATE" },
};

/* Reading stats re-verifies every PAMT entry the module wrote. */
static ssize_t emu_stats_show(struct config_item *item, char *page)
{
	struct tdx_emu *e = &plat->emu;
	struct tdx_emu_verify v;
	unsigned int i;
	ssize_t n = 0;

	for (i = 0; i < ARRAY_SIZE(emu_leaves); i++)
		n += sysfs_emit_at(page, n, "%s calls=%llu errors=%llu\n",
				   emu_leaves[i].name,
				   READ_ONCE(e->calls[emu_leaves[i].leaf]),
				   READ_ONCE(e->errors[emu_leaves[i].leaf]));
	mutex_lock(&plat->lock);	/* no attach (reset) meanwhile */
	tdx_emu_verify(e, &v);
	mutex_unlock(&plat->lock);
	n += sysfs_emit_at(page, n,
			   "bad_rax=%llu\nfaults_fired=%llu\npamt_bytes_initialized=%llu\npamt_bytes_expected=%llu\nverify: entries_checked=%llu corrupted=%llu first_bad=0x%llx busy_tdmrs=%u read_errors=%u %s\n",
			   READ_ONCE(e->bad_rax), READ_ONCE(e->faults_fired),
			   v.bytes_init, v.bytes_expected, v.entries_checked,
			   v.entries_corrupted, v.first_bad_pa, v.tdmrs_busy,
			   v.read_errors,
			   v.entries_corrupted || v.read_errors ? "CORRUPTED" :
								  "ok");
	return n;
}

#define EMU_ATTR(_name, _mode)						\
static struct configfs_attribute emu_attr_##_name = {			\
	.ca_name = __stringify(_name),					\
	.ca_mode = _mode,						\
	.ca_owner = THIS_MODULE,					\
	.show = emu_##_name##_show,					\
	.store = emu_##_name##_store,					\
}

#define EMU_ATTR_RO(_name, _mode)					\
static struct configfs_attribute emu_attr_##_name = {			\
	.ca_name = __stringify(_name),					\
	.ca_mode = _mode,						\
	.ca_owner = THIS_MODULE,					\
	.show = emu_##_name##_show,					\
}

EMU_ATTR(cmrs, 0600);		/* physical addresses: root only */
EMU_ATTR(keyids, 0644);
EMU_ATTR(cpus, 0644);
EMU_ATTR(max_tdmrs, 0644);
EMU_ATTR(max_reserved_per_tdmr, 0644);
EMU_ATTR(pamt_entry_size, 0644);
EMU_ATTR(version, 0644);
EMU_ATTR(vendor_id, 0644);
EMU_ATTR(build_date, 0644);
EMU_ATTR(build_num, 0644);
EMU_ATTR(attributes, 0644);
EMU_ATTR(features0, 0644);
EMU_ATTR(tdmr_init_delay_ns, 0644);
EMU_ATTR(feature_control, 0644);
EMU_ATTR(cpu_model, 0644);
EMU_ATTR(tdmr_init_chunk, 0644);
EMU_ATTR(movdir64b, 0644);
EMU_ATTR(reset, 0644);
EMU_ATTR(transients, 0644);
EMU_ATTR(hypervisor, 0644);
EMU_ATTR(hypervisor_churn_us, 0644);
EMU_ATTR(fault, 0644);
EMU_ATTR(attached, 0644);
EMU_ATTR_RO(state, 0444);
EMU_ATTR_RO(stats, 0400);	/* names a corrupted entry's address */

static struct configfs_attribute *emu_attrs[] = {
	&emu_attr_cmrs,
	&emu_attr_keyids,
	&emu_attr_cpus,
	&emu_attr_max_tdmrs,
	&emu_attr_max_reserved_per_tdmr,
	&emu_attr_pamt_entry_size,
	&emu_attr_version,
	&emu_attr_vendor_id,
	&emu_attr_build_date,
	&emu_attr_build_num,
	&emu_attr_attributes,
	&emu_attr_features0,
	&emu_attr_tdmr_init_delay_ns,
	&emu_attr_feature_control,
	&emu_attr_cpu_model,
	&emu_attr_tdmr_init_chunk,
	&emu_attr_movdir64b,
	&emu_attr_reset,
	&emu_attr_transients,
	&emu_attr_hypervisor,
	&emu_attr_hypervisor_churn_us,
	&emu_attr_fault,
	&emu_attr_attached,
	&emu_attr_state,
	&emu_attr_stats,
	NULL,
};

static const struct config_item_type emu_root_type = {
	.ct_attrs = emu_attrs,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem emu_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "tdx_emu",
			.ci_type = &emu_root_type,
		},
	},
};

int tdx_emu_configfs_init(void)
{
	config_group_init(&emu_subsys.su_group);
	mutex_init(&emu_subsys.su_mutex);
	return configfs_register_subsystem(&emu_subsys);
}

void tdx_emu_configfs_exit(void)
{
	configfs_unregister_subsystem(&emu_subsys);
}
