// SPDX-License-Identifier: GPL-2.0
/*
 * Global-scope metadata of the emulated TDX module (TDH.SYS.RD). The table
 * lists every field of the 1.5 module's global context in its order, so a
 * host walking "next field id" sees the same sequence as on hardware.
 */
#include "tdx_emu_meta.h"

/* Field id layout */
#define FID_CODE(f)		((f) & 0xFFFFFFULL)		/* 23:0 */
#define FID_CLASS(f)		(((f) >> 56) & 0x3F)		/* 61:56 */
/* Bits 31:24, 37:34 (last element), 46:38 (last field), 49:47, 55, 62 */
#define FID_MUST_BE_ZERO	0x4083FFFCFF000000ULL

/* How an entry's value is found. */
enum meta_src {
	M_ZERO,		/* TD-related: not modelled, reads 0 */
	M_NUM_PKGS, M_PKG_FMS, M_VENDOR, M_BUILD_DATE, M_BUILD_NUM,
	M_MINOR, M_MAJOR, M_UPDATE, M_MODULE_HV, M_MIN_UPDATE_HV,
	M_NO_DOWNGRADE, M_SYS_ATTRIBUTES, M_NUM_FEATURES, M_FEATURES0,
	M_NUM_CMRS, M_CMR_BASE, M_CMR_SIZE, M_MAX_TDMRS, M_MAX_RSVD,
	M_PAMT_ENTRY,
};

struct meta_entry {
	u64 id;			/* first element of the first field */
	u16 nfields;
	u16 nelem;		/* elements per field */
	u8 src;
};

/* The 1.5 module's global_sys_lookup, in order (65 entries). */
static const struct meta_entry meta[] = {
	{ 0x0000000200000000ULL, 1, 1, M_NUM_PKGS },
	{ 0x0000000200000001ULL, 8, 1, M_PKG_FMS },
	{ 0x0800000200000000ULL, 1, 1, M_VENDOR },
	{ 0x8800000200000001ULL, 1, 1, M_BUILD_DATE },
	{ 0x8800000100000002ULL, 1, 1, M_BUILD_NUM },
	{ 0x0800000100000003ULL, 1, 1, M_MINOR },
	{ 0x0800000100000004ULL, 1, 1, M_MAJOR },
	{ 0x0800000100000005ULL, 1, 1, M_UPDATE },
	{ 0x0800000100000006ULL, 1, 1, M_ZERO },	/* INTERNAL_VERSION */
	{ 0x8900000100000000ULL, 1, 1, M_MODULE_HV },
	{ 0x8900000100000001ULL, 1, 1, M_MIN_UPDATE_HV },
	{ 0x8900000000000002ULL, 1, 1, M_NO_DOWNGRADE },
	{ 0x8900000100000003ULL, 1, 1, M_ZERO },	/* NUM_HANDOFF_PAGES */
	{ 0x8900000000000004ULL, 1, 1, M_ZERO },	/* HANDOFF_DATA_VALID */
	{ 0x8900000100000005ULL, 1, 1, M_ZERO },	/* HANDOFF_DATA_HV */
	{ 0x8900000200000006ULL, 1, 1, M_ZERO },	/* HANDOFF_DATA_SIZE */
	{ 0x0A00000200000000ULL, 1, 1, M_SYS_ATTRIBUTES },
	{ 0x0A00000000000001ULL, 1, 1, M_NUM_FEATURES },
	{ 0x0A00000300000008ULL, 1, 1, M_FEATURES0 },
	{ 0x9000000100000000ULL, 1, 1, M_NUM_CMRS },
	{ 0x9000000300000080ULL, 32, 1, M_CMR_BASE },
	{ 0x9000000300000100ULL, 32, 1, M_CMR_SIZE },
	{ 0x9100000100000008ULL, 1, 1, M_MAX_TDMRS },
	{ 0x9100000100000009ULL, 1, 1, M_MAX_RSVD },
	{ 0x9100000100000010ULL, 1, 1, M_PAMT_ENTRY },	/* 4K */
	{ 0x9100000100000011ULL, 1, 1, M_PAMT_ENTRY },	/* 2M */
	{ 0x9100000100000012ULL, 1, 1, M_PAMT_ENTRY },	/* 1G */
	{ 0x9800000100000000ULL, 1, 1, M_ZERO },	/* TDR_BASE_SIZE */
	{ 0x9800000100000100ULL, 1, 1, M_ZERO },	/* TDCS_BASE_SIZE */
	{ 0x9800000100000101ULL, 1, 1, M_ZERO },	/* TDCS_SIZE_PER_L2_VM */
	{ 0x9800000100000200ULL, 1, 1, M_ZERO },	/* TDVPS_BASE_SIZE */
	{ 0x9800000100000201ULL, 1, 1, M_ZERO },	/* TDVPS_SIZE_PER_L2_VM */
	{ 0x1900000300000000ULL, 1, 1, M_ZERO },	/* ATTRIBUTES_FIXED0 */
	{ 0x1900000300000001ULL, 1, 1, M_ZERO },	/* ATTRIBUTES_FIXED1 */
	{ 0x1900000300000002ULL, 1, 1, M_ZERO },	/* XFAM_FIXED0 */
	{ 0x1900000300000003ULL, 1, 1, M_ZERO },	/* XFAM_FIXED1 */
	{ 0x9900000100000004ULL, 1, 1, M_ZERO },	/* NUM_CPUID_CONFIG */
	{ 0x9900000300000006ULL, 1, 1, M_ZERO },	/* CONFIG_FLAGS_FIXED0 */
	{ 0x9900000300000007ULL, 1, 1, M_ZERO },	/* CONFIG_FLAGS_FIXED1 */
	{ 0x9900000300000400ULL, 32, 1, M_ZERO },	/* CPUID_CONFIG_LEAVES */
	{ 0x9900000300000500ULL, 32, 2, M_ZERO },	/* CPUID_CONFIG_VALUES */
	{ 0x9900000300000600ULL, 1, 1, M_ZERO },	/* ARCH_CAP_CONFIG_MASK */
	{ 0x9900000100000800ULL, 1, 1, M_ZERO },	/* NUM_ALLOWED_FMS */
	{ 0x9900000100000801ULL, 1, 1, M_ZERO },	/* NUM_DISALLOWED_FMS */
	{ 0x9900000300000810ULL, 64, 1, M_ZERO },	/* ALLOWED_FMS */
	{ 0x9900000300000850ULL, 64, 1, M_ZERO },	/* DISALLOWED_FMS */
	{ 0xA000000300000000ULL, 1, 1, M_ZERO },	/* MIG_ATTRIBUTES */
	{ 0x2000000100000001ULL, 1, 1, M_ZERO },	/* MIN_EXPORT_VERSION */
	{ 0x2000000100000002ULL, 1, 1, M_ZERO },	/* MAX_EXPORT_VERSION */
	{ 0x2000000100000003ULL, 1, 1, M_ZERO },	/* MIN_IMPORT_VERSION */
	{ 0x2000000100000004ULL, 1, 1, M_ZERO },	/* MAX_IMPORT_VERSION */
	{ 0xA000000100000010ULL, 1, 1, M_ZERO },	/* MAX_MIGS */
	{ 0xA000000000000020ULL, 1, 1, M_ZERO },	/* NUM_IMMUTABLE_STATE_PAGES */
	{ 0xA000000000000021ULL, 1, 1, M_ZERO },	/* NUM_TD_STATE_PAGES */
	{ 0xA000000000000022ULL, 1, 1, M_ZERO },	/* NUM_VP_STATE_PAGES */
	{ 0xA100000100000000ULL, 1, 1, M_ZERO },	/* MAX_SERV_TDS */
	{ 0xA100000300000001ULL, 1, 1, M_ZERO },	/* SERVTD_ATTR_FIXED0 */
	{ 0xA100000300000002ULL, 1, 1, M_ZERO },	/* SERVTD_ATTR_FIXED1 */
	{ 0xA200000100000000ULL, 1, 1, M_ZERO },	/* GUEST_L2_GPA_ATTR_MASK */
	{ 0xA200000300000001ULL, 1, 1, M_ZERO },	/* VM_CTLS_FIXED0 */
	{ 0xA200000300000002ULL, 1, 1, M_ZERO },	/* VM_CTLS_FIXED1 */
	{ 0xA200000300000003ULL, 1, 1, M_ZERO },	/* L2_CTLS_FIXED0 */
	{ 0xA200000300000004ULL, 1, 1, M_ZERO },	/* L2_CTLS_FIXED1 */
	{ 0xA200000300000005ULL, 1, 1, M_ZERO },	/* L2_DEBUG_CTLS_FIXED0 */
	{ 0xA200000300000006ULL, 1, 1, M_ZERO },	/* L2_DEBUG_CTLS_FIXED1 */
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define NR_META		ARRAY_SIZE(meta)

u64 tdx_emu_meta_first(void)
{
	return meta[0].id;
}

static u32 entry_elems(const struct meta_entry *m)
{
	return (u32)m->nfields * m->nelem;
}

static int find(u64 fid)
{
	unsigned int i;

	for (i = 0; i < NR_META; i++) {
		u64 first = FID_CODE(meta[i].id);

		if (FID_CLASS(fid) == FID_CLASS(meta[i].id) &&
		    FID_CODE(fid) >= first &&
		    FID_CODE(fid) < first + entry_elems(&meta[i]))
			return i;
	}
	return -1;
}

/* Element @k (0-based within the entry) of entry @m. */
static u64 value(const struct tdx_emu *e, const struct meta_entry *m, u32 k)
{
	const struct tdx_emu_config *c = &e->cfg;

	switch (m->src) {
	case M_NUM_PKGS:
		/* MCHECK's socket count: readable before SYS.INIT's copy */
		return tdx_emu_platform_pkgs(c);
	case M_PKG_FMS:
		return k < tdx_emu_platform_pkgs(c) ? c->cpu_fms : 0;
	case M_VENDOR:
		return c->vendor_id;
	case M_BUILD_DATE:
		return c->build_date;
	case M_BUILD_NUM:
		return c->build_num;
	case M_MINOR:
		return c->minor;
	case M_MAJOR:
		return c->major;
	case M_UPDATE:
		return c->update;
	case M_MODULE_HV:
		return c->module_hv;
	case M_MIN_UPDATE_HV:
		return c->min_update_hv;
	case M_NO_DOWNGRADE:
		return c->no_downgrade;
	case M_SYS_ATTRIBUTES:
		return e->sys_attributes;
	case M_NUM_FEATURES:
		return 1;
	case M_FEATURES0:
		return c->features0;
	case M_NUM_CMRS:
		return TDX_MAX_CMRS;
	case M_CMR_BASE:
		return k < c->nr_cmrs ? c->cmrs[k].base : 0;
	case M_CMR_SIZE:
		return k < c->nr_cmrs ? c->cmrs[k].size : 0;
	case M_MAX_TDMRS:
		return c->max_tdmrs;
	case M_MAX_RSVD:
		return c->max_rsvd;
	case M_PAMT_ENTRY:
		return c->pamt_entry_size;
	}
	return 0;
}

u64 tdx_emu_meta_read(const struct tdx_emu *e, u64 fid, u64 *value_out,
		      u64 *next)
{
	unsigned int size;
	const struct meta_entry *m;
	u64 v;
	u32 k;
	int i;

	*value_out = 0;
	*next = TDX_FID_NULL;
	if (fid & FID_MUST_BE_ZERO)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	i = find(fid);
	if (i < 0)
		return TDX_METADATA_FIELD_ID_INCORRECT;
	m = &meta[i];
	k = (u32)(FID_CODE(fid) - FID_CODE(m->id));
	size = TDX_FID_ELEM_SIZE(m->id);
	v = value(e, m, k);
	if (size < 3)
		v &= (1ULL << (8 << size)) - 1;
	*value_out = v;
	/*
	 * Within an entry the next element keeps the caller's other id bits
	 * (the module steps the field code of the id it was given); past the
	 * entry comes the next entry's own id.
	 */
	if (k + 1 < entry_elems(m))
		*next = fid + 1;
	else if (i + 1 < (int)NR_META)
		*next = meta[i + 1].id;
	return TDX_SUCCESS;
}
