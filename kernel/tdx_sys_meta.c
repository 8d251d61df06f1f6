// SPDX-License-Identifier: GPL-2.0
/*
 * Reading what the TDX module says about the platform: CMRs, limits and
 * version through TDH.SYS.RD, or TDH.SYS.INFO where RD is not served, and
 * the private KeyID range from MSR 0x87.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/slab.h>

#include "tdx_status.h"
#include "tdx_sys.h"

struct tdx_meta_read {
	struct tdx_meta meta;
	struct tdx_limits lim;
	struct tdx_cmr_info cmr[TDX_MAX_CMRS];
	unsigned int nr_cmr;
};

static u64 tdx_rd(u64 fid, u64 *val)
{
	struct tdx_module_args a = { .rdx = fid };
	unsigned int sz = TDX_FID_ELEM_SIZE(fid);
	u64 st;

	st = tdx_seamcall_retry(nr_cpu_ids, TDH_SYS_RD, &a);
	if (!tdx_status_is_error(st))
		*val = sz == 3 ? a.r8 : a.r8 & ((1ULL << (8 << sz)) - 1);
	return st;
}

/* Fields initialization cannot do without; @fid_out names a failing one. */
static u64 tdx_read_rd_required(struct tdx_meta_read *m, u64 *fid_out)
{
	static const u64 fids[] = {
		TDX_FID_MAJOR_VERSION, TDX_FID_MINOR_VERSION,
		TDX_FID_TDX_FEATURES0, TDX_FID_MAX_TDMRS,
		TDX_FID_MAX_RESERVED_PER_TDMR, TDX_FID_PAMT_4K_ENTRY_SIZE,
		TDX_FID_PAMT_2M_ENTRY_SIZE, TDX_FID_PAMT_1G_ENTRY_SIZE,
		TDX_FID_NUM_CMRS,
	};
	u64 v[ARRAY_SIZE(fids)];
	unsigned int i, n;
	u64 st;

	for (i = 0; i < ARRAY_SIZE(fids); i++) {
		*fid_out = fids[i];
		st = tdx_rd(fids[i], &v[i]);
		if (tdx_status_is_error(st))
			return st;
	}
	m->meta.major = v[0];
	m->meta.minor = v[1];
	m->meta.features0 = v[2];
	m->lim.max_tdmrs = v[3];
	m->lim.max_rsvd_per_tdmr = v[4];
	m->lim.pamt_entry_size[TDX_PAMT_4K] = v[5];
	m->lim.pamt_entry_size[TDX_PAMT_2M] = v[6];
	m->lim.pamt_entry_size[TDX_PAMT_1G] = v[7];

	n = min_t(u64, v[8], TDX_MAX_CMRS);
	m->nr_cmr = 0;
	for (i = 0; i < n; i++) {
		u64 base, size;

		*fid_out = TDX_FID_CMR_BASE(i);
		st = tdx_rd(TDX_FID_CMR_BASE(i), &base);
		if (tdx_status_is_error(st))
			return st;
		*fid_out = TDX_FID_CMR_SIZE(i);
		st = tdx_rd(TDX_FID_CMR_SIZE(i), &size);
		if (tdx_status_is_error(st))
			return st;
		if (!size)	/* null entry */
			continue;
		m->cmr[m->nr_cmr].base = base;
		m->cmr[m->nr_cmr].size = size;
		m->nr_cmr++;
	}
	return TDX_SUCCESS;
}

/*
 * Facts initialization does not need: a module without them is still
 * usable, so their absence is logged, never a failure.
 */
static void tdx_read_rd_optional(struct tdx_meta_read *m)
{
	u64 v;

	if (!tdx_status_is_error(tdx_rd(TDX_FID_UPDATE_VERSION, &v)))
		m->meta.update = v;
	if (!tdx_status_is_error(tdx_rd(TDX_FID_VENDOR_ID, &v)))
		m->meta.vendor_id = v;
	if (!tdx_status_is_error(tdx_rd(TDX_FID_BUILD_DATE, &v)))
		m->meta.build_date = v;
	if (!tdx_status_is_error(tdx_rd(TDX_FID_BUILD_NUM, &v)))
		m->meta.build_num = v;
	if (!tdx_status_is_error(tdx_rd(TDX_FID_NUM_PKGS, &v))) {
		m->meta.num_pkgs = v;
		m->meta.have_num_pkgs = true;
	}
	if (!m->meta.build_date || !m->meta.have_num_pkgs)
		pr_info("TDX module: some optional metadata is not readable (build date %u, package count %s)\n",
			m->meta.build_date,
			m->meta.have_num_pkgs ? "read" : "unknown");
}

/*
 * Linux drives 1.5 and later modules only, and only ones that leave RBP
 * alone across SEAMCALLs (upstream's rule too).
 */
static int tdx_check_module(const struct tdx_meta_read *m)
{
	const struct tdx_meta *mt = &m->meta;

	if (mt->major < TDX_MIN_MAJOR ||
	    (mt->major == TDX_MIN_MAJOR && mt->minor < TDX_MIN_MINOR)) {
		tdx_err("TDX module %u.%u too old: Linux needs %u.%u or later; update the TDX module (BIOS update, or the module file the BIOS loads)",
			mt->major, mt->minor, TDX_MIN_MAJOR, TDX_MIN_MINOR);
		return -EOPNOTSUPP;
	}
	if (!(mt->features0 & TDX_FEATURES0_NO_RBP_MOD)) {
		tdx_err("TDX module %u.%u.%u clobbers RBP across SEAMCALLs (TDX_FEATURES0 0x%llx lacks NO_RBP_MOD, bit 18): update the TDX module",
			mt->major, mt->minor, mt->update, mt->features0);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * TDH.SYS.INFO: a 1024-byte TDSYSINFO_STRUCT (1024-aligned) and 32 CMR
 * entries (512-aligned), passed by physical address. kmalloc() of a power
 * of two is naturally aligned.
 */
static u64 tdx_read_info(struct tdx_meta_read *m, bool attributes_only)
{
	struct tdx_module_args a = {};
	struct tdx_cmr_info *cmr;
	u8 *si;
	unsigned int i;
	u64 st;

	BUILD_BUG_ON(sizeof(*cmr) * TDX_CMR_INFO_ENTRIES != 512);
	si = kzalloc(TDX_SYSINFO_SIZE, GFP_KERNEL);
	cmr = kcalloc(TDX_CMR_INFO_ENTRIES, sizeof(*cmr), GFP_KERNEL);
	if (!si || !cmr) {
		st = TDX_SC_NOMEM;
		goto out;
	}
	if (WARN_ON_ONCE(!IS_ALIGNED((unsigned long)si, TDX_SYSINFO_ALIGN) ||
			 !IS_ALIGNED((unsigned long)cmr, TDX_CMR_INFO_ALIGN))) {
		st = TDX_SC_NOMEM;
		goto out;
	}
	a.rcx = virt_to_phys(si);
	a.rdx = TDX_SYSINFO_SIZE;
	a.r8 = virt_to_phys(cmr);
	a.r9 = TDX_CMR_INFO_ENTRIES;
	st = tdx_seamcall_retry(nr_cpu_ids, TDH_SYS_INFO, &a);
	if (tdx_status_is_error(st))
		goto out;

#define SI(type, off) (*(type *)(si + (off)))
	m->meta.attributes = SI(u32, TDX_SYSINFO_OFF_ATTRIBUTES);
	m->meta.have_attributes = true;
	if (attributes_only)
		goto out;
	m->meta.vendor_id = SI(u32, TDX_SYSINFO_OFF_VENDOR_ID);
	m->meta.build_date = SI(u32, TDX_SYSINFO_OFF_BUILD_DATE);
	m->meta.build_num = SI(u16, TDX_SYSINFO_OFF_BUILD_NUM);
	m->meta.minor = SI(u16, TDX_SYSINFO_OFF_MINOR);
	m->meta.major = SI(u16, TDX_SYSINFO_OFF_MAJOR);
	m->meta.update = 0;
	m->lim.max_tdmrs = SI(u16, TDX_SYSINFO_OFF_MAX_TDMRS);
	m->lim.max_rsvd_per_tdmr = SI(u16, TDX_SYSINFO_OFF_MAX_RSVD);
	for (i = 0; i < TDX_PAMT_LEVELS; i++)
		m->lim.pamt_entry_size[i] = SI(u16, TDX_SYSINFO_OFF_PAMT_ENTRY);
#undef SI
	m->nr_cmr = 0;
	for (i = 0; i < TDX_CMR_INFO_ENTRIES; i++) {
		if (!cmr[i].size)
			continue;
		m->cmr[m->nr_cmr++] = cmr[i];
	}
out:
	kfree(cmr);
	kfree(si);
	return st;
}

/* The module's CMRs and limits must make sense before we build on them. */
static int tdx_check_meta(const struct tdx_meta_read *m)
{
	unsigned int i;

	if (!m->nr_cmr) {
		tdx_err("TDX module reported no CMRs (convertible memory): check the BIOS memory configuration for TDX");
		return -EINVAL;
	}
	for (i = 0; i < m->nr_cmr; i++) {
		const struct tdx_cmr_info *c = &m->cmr[i];

		if (!IS_ALIGNED(c->base, TDX_SZ_4K) ||
		    !IS_ALIGNED(c->size, TDX_SZ_4K) ||
		    c->base + c->size < c->base ||
		    c->base + c->size > (1ULL << TDX_MAX_PA_BITS) ||
		    (i && c->base < m->cmr[i - 1].base + m->cmr[i - 1].size)) {
			tdx_err("TDX module reported an invalid CMR %u [0x%llx-0x%llx]: not 4 KiB aligned, unordered or overlapping",
				i, c->base, c->base + c->size - 1);
			return -EINVAL;
		}
	}
	if (!m->lim.max_tdmrs || !m->lim.max_rsvd_per_tdmr ||
	    !m->lim.pamt_entry_size[TDX_PAMT_4K] ||
	    !m->lim.pamt_entry_size[TDX_PAMT_2M] ||
	    !m->lim.pamt_entry_size[TDX_PAMT_1G]) {
		tdx_err("TDX module reported invalid limits (max_tdmrs %u, max_reserved_per_tdmr %u, PAMT entry size %u)",
			m->lim.max_tdmrs, m->lim.max_rsvd_per_tdmr,
			m->lim.pamt_entry_size[TDX_PAMT_4K]);
		return -EINVAL;
	}
	return 0;
}

static void tdx_publish_meta(const struct tdx_meta_read *m)
{
	unsigned int i;

	mutex_lock(&tdx.pub);
	tdx.meta = m->meta;
	tdx.limits = m->lim;
	/* Our structures hold at most the ABI maximum */
	tdx.limits.max_tdmrs = min_t(unsigned int, m->lim.max_tdmrs,
				     TDX_MAX_TDMRS);
	tdx.limits.max_rsvd_per_tdmr = min_t(unsigned int,
					     m->lim.max_rsvd_per_tdmr,
					     TDX_MAX_RSVD);
	tdx.have_limits = true;
	tdx_rs_clear(&tdx.cmrs);
	for (i = 0; i < m->nr_cmr; i++) {
		tdx.cmr_raw[i] = m->cmr[i];
		/* Cannot run out of room: at most TDX_MAX_CMRS entries */
		tdx_rs_add(&tdx.cmrs, m->cmr[i].base,
			   m->cmr[i].base + m->cmr[i].size);
	}
	tdx.nr_cmr_raw = m->nr_cmr;
	mutex_unlock(&tdx.pub);
}

/* Under tdx.lock with LP.INIT done on at least one online CPU. */
int tdx_read_metadata(void)
{
	struct tdx_meta_read *m;
	u64 fid = 0, st, st_info;
	int ret;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;

	st = tdx_read_rd_required(m, &fid);
	if (!tdx_status_is_error(st)) {
		tdx_read_rd_optional(m);
		/* Attributes have no TDH.SYS.RD field in our table: best effort */
		tdx_read_info(m, true);
	} else if (tdx_status_is(st, TDX_SYS_NOT_READY) ||
		   st == (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX)) {
		/* A 1.0 module has no TDH.SYS.RD: INFO tells its version */
		memset(m, 0, sizeof(*m));
		st_info = tdx_read_info(m, false);
		if (tdx_status_is_error(st_info)) {
			char buf[256];

			tdx_status_format(TDH_SYS_INFO, st_info, buf,
					  sizeof(buf));
			tdx_err("TDX module too old: TDH.SYS.RD failed with 0x%016llx (%s) and TDH.SYS.INFO failed too (%s); Linux needs %u.%u or later: update the TDX module",
				st, tdx_status_name(st) ?: "unknown", buf,
				TDX_MIN_MAJOR, TDX_MIN_MINOR);
			ret = -EOPNOTSUPP;
			goto out;
		}
		/* Whatever INFO claims: 1.5 and later serve RD */
		tdx_err("TDX module %u.%u too old: it does not serve TDH.SYS.RD (status 0x%016llx); Linux needs %u.%u or later: update the TDX module (BIOS update, or the module file the BIOS loads)",
			m->meta.major, m->meta.minor, st, TDX_MIN_MAJOR,
			TDX_MIN_MINOR);
		ret = -EOPNOTSUPP;
		goto out;
	} else {
		char ctx[64];

		scnprintf(ctx, sizeof(ctx),
			  "reading metadata field 0x%016llx", fid);
		tdx_seamcall_error(TDH_SYS_RD, st, ctx);
		ret = -EIO;
		goto out;
	}
	ret = tdx_check_meta(m);
	if (ret)
		goto out;
	tdx_publish_meta(m);
	ret = tdx_check_module(m);
	if (ret)
		goto out;
	pr_info("TDX module %u.%u.%u build %u (%08x), %u CMRs, max %u TDMRs x %u reserved areas\n",
		m->meta.major, m->meta.minor, m->meta.update,
		m->meta.build_num, m->meta.build_date, m->nr_cmr,
		m->lim.max_tdmrs, m->lim.max_rsvd_per_tdmr);
out:
	kfree(m);
	return ret;
}

/* MSR 0x87: NUM_MKTME_KIDS in 31:0, NUM_TDX_PRIV_KIDS in 63:32. */
int tdx_read_keyids(void)
{
	/* Through a pointer: the paravirt rdmsr() macro must not expand */
	int (*rd)(u32 msr, u64 *val) = tdx.provider->rdmsr;
	u64 v;
	u32 mktme, priv;

	if (rd(TDX_MSR_KEYID_PARTITIONING, &v)) {
		tdx_err("cannot read the KeyID partitioning MSR 0x%x: TDX KeyIDs unknown",
			TDX_MSR_KEYID_PARTITIONING);
		return -EIO;
	}
	mktme = lower_32_bits(v);
	priv = upper_32_bits(v);
	/* One for the global (PAMT) KeyID, at least one more for a TD */
	if (priv < TDX_MIN_KEYIDS) {
		tdx_err("too few TDX private KeyIDs: the BIOS assigned %u (MSR 0x87 = 0x%016llx), TDX needs at least %u (one for the TDX module, one per TD); give TDX more KeyIDs in the BIOS memory encryption settings (TME-MT/TDX key split)",
			priv, v, TDX_MIN_KEYIDS);
		return -ENODEV;
	}
	mutex_lock(&tdx.pub);
	tdx.keyid_min = mktme + 1;
	tdx.keyid_max = mktme + priv;
	mutex_unlock(&tdx.pub);
	return 0;
}
