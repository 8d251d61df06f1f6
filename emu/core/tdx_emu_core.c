// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated TDX module: SEAMCALL dispatch, gating, the sys_state machine
 * and the initialization leaves, faithful to tdx-module-model.md. Nothing
 * here trusts the host: every PA goes through the ops, which may refuse it.
 */
#include "tdx_emu_core.h"
#include "tdx_emu_check.h"

#define OPERAND(id)	(TDX_OPERAND_INVALID | (id))
#define BUF_BYTES	512	/* stack buffer for PAMT and INFO chunks */

/*
 * Counters and sys_state are touched by SEAMCALLs on several CPUs at once;
 * compiler atomics work in both the kernel and user space builds.
 */
static void stat_add(u64 *v, u64 n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

static int get_state(const struct tdx_emu *e)
{
	return __atomic_load_n(&e->sys_state, __ATOMIC_ACQUIRE);
}

static void set_state(struct tdx_emu *e, int s)
{
	__atomic_store_n(&e->sys_state, s, __ATOMIC_RELEASE);
}

void tdx_emu_config_default(struct tdx_emu_config *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->num_mktme_keyids = 31;
	c->num_tdx_keyids = 32;
	c->keyid_bits = tdx_emu_keyid_bits(31, 32);
	for (i = 0; i < TDX_EMU_MAX_CPUS; i++)
		c->cpu_pkg[i] = TDX_EMU_NO_PKG;
	c->max_tdmrs = TDX_MAX_TDMRS;
	c->max_rsvd = TDX_MAX_RSVD;
	c->pamt_entry_size = 16;
	c->major = 1;
	c->minor = 5;
	c->update = 0;
	c->vendor_id = 0x8086;
	c->build_date = 20240315;
	c->build_num = 698;
	c->attributes = 0;
	c->features0 = 1ULL << 18;	/* no RBP clobber */
	c->tdmr_init_delay_ns = 0;
}

unsigned int tdx_emu_keyid_bits(u32 mktme, u32 tdx)
{
	u64 total = (u64)mktme + tdx;
	unsigned int bits = 0;

	while (bits < 15 && (1ULL << bits) <= total)
		bits++;
	return bits;
}

bool tdx_emu_private_keyids(const struct tdx_emu_config *c, u32 *min, u32 *max)
{
	if (!c->num_tdx_keyids)
		return false;
	*min = c->num_mktme_keyids + 1;
	*max = c->num_mktme_keyids + c->num_tdx_keyids;
	return true;
}

void tdx_emu_reset(struct tdx_emu *e)
{
	e->num_lps = 0;
	e->num_pkgs = 0;
	memset(e->lp_init, 0, sizeof(e->lp_init));
	memset(e->pkg_key_done, 0, sizeof(e->pkg_key_done));
	e->global_keyid = 0;
	e->nr_tdmrs = 0;
	memset(e->tdmrs, 0, sizeof(e->tdmrs));
	memset(e->tdmr_next, 0, sizeof(e->tdmr_next));
	e->pamt_bytes_init = 0;
	memset(e->calls, 0, sizeof(e->calls));
	memset(e->errors, 0, sizeof(e->errors));
	e->bad_rax = 0;
	e->faults_fired = 0;
	set_state(e, TDX_EMU_SYSINIT_PENDING);
}

void tdx_emu_init(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx)
{
	e->ops = ops;
	e->ctx = ctx;
	e->nr_faults = 0;
	tdx_emu_reset(e);
}

int tdx_emu_cpu_package(const struct tdx_emu_config *c, unsigned int cpu)
{
	if (cpu >= TDX_EMU_MAX_CPUS || c->cpu_pkg[cpu] == TDX_EMU_NO_PKG)
		return -ENODEV;
	return c->cpu_pkg[cpu];
}

unsigned int tdx_emu_platform_cpus(const struct tdx_emu_config *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < TDX_EMU_MAX_CPUS; i++)
		n += c->cpu_pkg[i] != TDX_EMU_NO_PKG;
	return n;
}

unsigned int tdx_emu_platform_pkgs(const struct tdx_emu_config *c)
{
	u8 seen[TDX_EMU_MAX_PKG_ID + 1] = { 0 };
	unsigned int i, n = 0;

	for (i = 0; i < TDX_EMU_MAX_CPUS; i++) {
		int p = c->cpu_pkg[i];

		if (p != TDX_EMU_NO_PKG && !seen[p]) {
			seen[p] = 1;
			n++;
		}
	}
	return n;
}

const char *tdx_emu_state_name(int state)
{
	static const char * const names[] = {
		"SYSINIT_PENDING", "SYSINIT_DONE", "SYSCONFIG_DONE",
		"SYS_READY", "SYS_SHUTDOWN",
	};

	if (state < 0 || state > TDX_EMU_SYS_SHUTDOWN)
		return "unknown";
	return names[state];
}

unsigned int tdx_emu_lps_initialized(const struct tdx_emu *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < TDX_EMU_MAX_CPUS; i++)
		n += !!e->lp_init[i];
	return n;
}

unsigned int tdx_emu_pkgs_configured(const struct tdx_emu *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < TDX_EMU_MAX_PKGS; i++)
		n += !!e->pkg_key_done[i];
	return n;
}

unsigned int tdx_emu_tdmrs_initialized(const struct tdx_emu *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < e->nr_tdmrs; i++)
		n += e->tdmr_next[i] >= e->tdmrs[i].base + e->tdmrs[i].size;
	return n;
}

int tdx_emu_rdmsr(const struct tdx_emu *e, u32 msr, u64 *val)
{
	const struct tdx_emu_config *c = &e->cfg;

	switch (msr) {
	case TDX_MSR_MTRRCAP:
		/* 8 variable MTRRs, fixed MTRRs, WC, SEAMRR */
		*val = 8 | (1ULL << 8) | (1ULL << 10) | (1ULL << 15);
		return 0;
	case TDX_MSR_KEYID_PARTITIONING:
		*val = (u64)c->num_mktme_keyids |
		       ((u64)c->num_tdx_keyids << 32);
		return 0;
	case TDX_MSR_TME_ACTIVATE:
		/* locked, enabled, AES-XTS-128, KeyID bits in 35:32 */
		*val = 1 | (1ULL << 1) | ((u64)(c->keyid_bits & 0xf) << 32) |
		       (1ULL << 48);
		return 0;
	case TDX_MSR_SEAMRR_PHYS_BASE:
		*val = 1ULL << 3;	/* configured */
		return 0;
	case TDX_MSR_SEAMRR_PHYS_MASK:
		/* 32 MiB range, locked (10), enabled (11) */
		*val = (((1ULL << TDX_MAX_PA_BITS) - 1) & ~((32ULL << 20) - 1)) |
		       (1ULL << 10) | (1ULL << 11);
		return 0;
	}
	return -EIO;
}

/* ---- faults ---- */

int tdx_emu_fault_add(struct tdx_emu *e, u16 leaf, u64 status, u32 nth)
{
	int ret = 0;

	if (leaf > TDX_EMU_MAX_LEAF)
		return -EINVAL;
	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	if (e->nr_faults >= TDX_EMU_MAX_FAULTS) {
		ret = -ENOSPC;
	} else {
		struct tdx_emu_fault *f = &e->faults[e->nr_faults++];

		f->leaf = leaf;
		f->status = status;
		f->nth = nth;
		f->left = nth;
	}
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
	return ret;
}

void tdx_emu_fault_clear(struct tdx_emu *e)
{
	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	e->nr_faults = 0;
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
}

int tdx_emu_fault_format(struct tdx_emu *e, char *buf, size_t len)
{
	unsigned int i;
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	for (i = 0; i < e->nr_faults; i++) {
		const struct tdx_emu_fault *f = &e->faults[i];

		n += snprintf(buf + (n < len ? n : len), n < len ? len - n : 0,
			      "leaf=%u status=0x%016llx nth=%u left=%u\n",
			      f->leaf, (unsigned long long)f->status, f->nth,
			      f->left);
	}
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
	return (int)n;
}

/*
 * Count this call of @leaf against every pending fault for it; the first
 * that comes due decides the status. One-shot faults that came due go.
 */
static bool fault_due(struct tdx_emu *e, u16 leaf, u64 *status)
{
	bool hit = false;
	unsigned int i, o;

	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	for (i = 0, o = 0; i < e->nr_faults; i++) {
		struct tdx_emu_fault *f = &e->faults[i];
		bool fire = false, keep = true;

		if (f->leaf == leaf) {
			if (!f->nth) {
				fire = true;
			} else if (--f->left == 0) {
				fire = true;
				keep = false;
			}
		}
		if (fire && !hit) {
			hit = true;
			*status = f->status;
		}
		if (keep)
			e->faults[o++] = *f;
	}
	e->nr_faults = o;
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
	if (hit)
		stat_add(&e->faults_fired, 1);
	return hit;
}

/* ---- helpers ---- */

static u64 hkid_mask(const struct tdx_emu *e)
{
	return tdx_emu_hkid_mask(e->cfg.keyid_bits);
}

static bool pa_ok(const struct tdx_emu *e, u64 pa, u64 size)
{
	return tdx_emu_pa_range_ok(pa, size, hkid_mask(e));
}

static bool this_lp_init(struct tdx_emu *e, unsigned int *cpu_out)
{
	unsigned int cpu = e->ops->cpu(e->ctx);

	if (cpu_out)
		*cpu_out = cpu;
	return cpu < TDX_EMU_MAX_CPUS && e->lp_init[cpu];
}

static void put16(u8 *b, unsigned int off, u16 v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put32(u8 *b, unsigned int off, u32 v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* ---- leaves ---- */

static u64 sys_init(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	const struct tdx_emu_config *c = &e->cfg;
	u64 st = TDX_SUCCESS;

	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, false))
		return TDX_SYS_BUSY;
	if (r->rcx) {
		st = OPERAND(TDX_OPERAND_ID_RCX);
	} else if (get_state(e) != TDX_EMU_SYSINIT_PENDING) {
		st = TDX_SYS_INIT_NOT_PENDING;
	} else if (!c->num_tdx_keyids ||
		   (u64)c->num_mktme_keyids + c->num_tdx_keyids >=
		   (1ULL << c->keyid_bits)) {
		st = TDX_INCORRECT_MSR_VALUE | TDX_MSR_KEYID_PARTITIONING;
	} else {
		st = tdx_emu_check_cmrs(c->cmrs, c->nr_cmrs, hkid_mask(e));
	}
	if (!st) {
		e->num_lps = tdx_emu_platform_cpus(c);
		e->num_pkgs = tdx_emu_platform_pkgs(c);
		memset(e->lp_init, 0, sizeof(e->lp_init));
		memset(e->pkg_key_done, 0, sizeof(e->pkg_key_done));
		set_state(e, TDX_EMU_SYSINIT_DONE);
	}
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, false);
	return st;
}

static u64 lp_init(struct tdx_emu *e)
{
	unsigned int cpu = e->ops->cpu(e->ctx);
	u64 st = TDX_SUCCESS;
	int pkg;

	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, true))
		return TDX_SYS_BUSY;
	pkg = tdx_emu_cpu_package(&e->cfg, cpu);
	if (get_state(e) != TDX_EMU_SYSINIT_DONE)
		st = TDX_SYS_LP_INIT_NOT_PENDING;
	else if (cpu < TDX_EMU_MAX_CPUS && e->lp_init[cpu])
		st = TDX_SYS_LP_INIT_DONE;
	else if (pkg < 0)
		st = TDX_INCORRECT_CPUID_VALUE;
	else if (pkg >= TDX_EMU_MAX_PKGS)
		st = TDX_INVALID_PKG_ID;
	else
		e->lp_init[cpu] = 1;	/* only this CPU writes its entry */
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, true);
	return st;
}

static u64 sys_info(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	const struct tdx_emu_config *c = &e->cfg;
	u8 buf[BUF_BYTES];
	unsigned int off, k;

	if (!this_lp_init(e, NULL))
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!tdx_is_aligned(r->rcx, TDX_SYSINFO_ALIGN) ||
	    !pa_ok(e, r->rcx, TDX_SYSINFO_SIZE))
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (r->rdx < TDX_SYSINFO_SIZE)
		return OPERAND(TDX_OPERAND_ID_RDX);
	if (!tdx_is_aligned(r->r8, TDX_CMR_INFO_ALIGN) ||
	    !pa_ok(e, r->r8, TDX_CMR_INFO_ENTRIES * sizeof(struct tdx_cmr_info)))
		return OPERAND(TDX_OPERAND_ID_R8);
	if (r->r9 < TDX_CMR_INFO_ENTRIES)
		return OPERAND(TDX_OPERAND_ID_R9);

	for (off = 0; off < TDX_SYSINFO_SIZE; off += sizeof(buf)) {
		memset(buf, 0, sizeof(buf));
		if (!off) {
			put32(buf, TDX_SYSINFO_OFF_ATTRIBUTES, c->attributes);
			put32(buf, TDX_SYSINFO_OFF_VENDOR_ID, c->vendor_id);
			put32(buf, TDX_SYSINFO_OFF_BUILD_DATE, c->build_date);
			put16(buf, TDX_SYSINFO_OFF_BUILD_NUM, c->build_num);
			put16(buf, TDX_SYSINFO_OFF_MINOR, c->minor);
			put16(buf, TDX_SYSINFO_OFF_MAJOR, c->major);
			put16(buf, TDX_SYSINFO_OFF_MAX_TDMRS, c->max_tdmrs);
			put16(buf, TDX_SYSINFO_OFF_MAX_RSVD, c->max_rsvd);
			put16(buf, TDX_SYSINFO_OFF_PAMT_ENTRY,
			      c->pamt_entry_size);
		}
		if (e->ops->write(e->ctx, r->rcx + off, buf, sizeof(buf)))
			return OPERAND(TDX_OPERAND_ID_RCX);
	}
	/* 32 entries of 16 bytes: exactly one buffer, null entries included */
	memset(buf, 0, sizeof(buf));
	for (k = 0; k < c->nr_cmrs && k < TDX_CMR_INFO_ENTRIES; k++)
		memcpy(buf + k * sizeof(struct tdx_cmr_info), &c->cmrs[k],
		       sizeof(struct tdx_cmr_info));
	if (e->ops->write(e->ctx, r->r8, buf,
			  TDX_CMR_INFO_ENTRIES * sizeof(struct tdx_cmr_info)))
		return OPERAND(TDX_OPERAND_ID_R8);
	r->rdx = TDX_SYSINFO_SIZE;
	r->r9 = TDX_CMR_INFO_ENTRIES;
	return TDX_SUCCESS;
}

/* Field ids TDH.SYS.RD serves, in iteration order. */
static const u64 rd_fields_head[] = {
	TDX_FID_NUM_PKGS, TDX_FID_VENDOR_ID, TDX_FID_BUILD_DATE,
	TDX_FID_BUILD_NUM, TDX_FID_MINOR_VERSION, TDX_FID_MAJOR_VERSION,
	TDX_FID_UPDATE_VERSION, TDX_FID_TDX_FEATURES0, TDX_FID_NUM_CMRS,
};

static const u64 rd_fields_tail[] = {
	TDX_FID_MAX_TDMRS, TDX_FID_MAX_RESERVED_PER_TDMR,
	TDX_FID_PAMT_4K_ENTRY_SIZE, TDX_FID_PAMT_2M_ENTRY_SIZE,
	TDX_FID_PAMT_1G_ENTRY_SIZE,
};

#define RD_HEAD		ARRAY_SIZE_LOCAL(rd_fields_head)
#define RD_TAIL		ARRAY_SIZE_LOCAL(rd_fields_tail)
#define ARRAY_SIZE_LOCAL(a)	(sizeof(a) / sizeof((a)[0]))
#define RD_NR		(RD_HEAD + 2 * TDX_MAX_CMRS + RD_TAIL)

static u64 rd_field_at(unsigned int idx)
{
	if (idx < RD_HEAD)
		return rd_fields_head[idx];
	idx -= RD_HEAD;
	if (idx < TDX_MAX_CMRS)
		return TDX_FID_CMR_BASE(idx);
	idx -= TDX_MAX_CMRS;
	if (idx < TDX_MAX_CMRS)
		return TDX_FID_CMR_SIZE(idx);
	return rd_fields_tail[idx - TDX_MAX_CMRS];
}

static u64 rd_value(const struct tdx_emu *e, u64 fid)
{
	const struct tdx_emu_config *c = &e->cfg;
	u64 k;

	switch (fid) {
	case TDX_FID_NUM_PKGS:
		return e->num_pkgs;
	case TDX_FID_VENDOR_ID:
		return c->vendor_id;
	case TDX_FID_BUILD_DATE:
		return c->build_date;
	case TDX_FID_BUILD_NUM:
		return c->build_num;
	case TDX_FID_MINOR_VERSION:
		return c->minor;
	case TDX_FID_MAJOR_VERSION:
		return c->major;
	case TDX_FID_UPDATE_VERSION:
		return c->update;
	case TDX_FID_TDX_FEATURES0:
		return c->features0;
	case TDX_FID_NUM_CMRS:
		return TDX_MAX_CMRS;
	case TDX_FID_MAX_TDMRS:
		return c->max_tdmrs;
	case TDX_FID_MAX_RESERVED_PER_TDMR:
		return c->max_rsvd;
	case TDX_FID_PAMT_4K_ENTRY_SIZE:
	case TDX_FID_PAMT_2M_ENTRY_SIZE:
	case TDX_FID_PAMT_1G_ENTRY_SIZE:
		return c->pamt_entry_size;
	}
	if (fid >= TDX_FID_CMR_BASE(0) && fid < TDX_FID_CMR_BASE(TDX_MAX_CMRS)) {
		k = fid - TDX_FID_CMR_BASE(0);
		return k < c->nr_cmrs ? c->cmrs[k].base : 0;
	}
	k = fid - TDX_FID_CMR_SIZE(0);
	return k < c->nr_cmrs ? c->cmrs[k].size : 0;
}

static u64 sys_rd(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	u64 fid = r->rdx;
	unsigned int i;

	if (!this_lp_init(e, NULL)) {
		r->rdx = ~0ULL;
		return TDX_SYS_LP_INIT_NOT_DONE;
	}
	if (fid == ~0ULL) {
		r->r8 = 0;
		r->rdx = rd_field_at(0);
		return TDX_SUCCESS;
	}
	for (i = 0; i < RD_NR; i++)
		if (rd_field_at(i) == fid)
			break;
	if (i == RD_NR) {
		r->rdx = ~0ULL;
		r->r8 = 0;
		return TDX_METADATA_FIELD_ID_INCORRECT;
	}
	r->r8 = rd_value(e, fid);
	r->rdx = i + 1 < RD_NR ? rd_field_at(i + 1) : ~0ULL;
	return TDX_SUCCESS;
}

static u64 sys_config_locked(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	const struct tdx_emu_config *c = &e->cfg;
	struct tdx_emu_check_params p = {
		.cmrs = c->cmrs,
		.nr_cmrs = c->nr_cmrs,
		.max_rsvd = c->max_rsvd,
		.pamt_entry_size = c->pamt_entry_size,
		.hkid_mask = hkid_mask(e),
	};
	u64 ptrs[TDX_MAX_TDMRS];
	u32 kmin, kmax;
	unsigned int i;
	u64 st;

	if (get_state(e) != TDX_EMU_SYSINIT_DONE)
		return TDX_SYS_CONFIG_NOT_PENDING;
	for (i = 0; i < TDX_EMU_MAX_CPUS; i++)
		if (c->cpu_pkg[i] != TDX_EMU_NO_PKG && !e->lp_init[i])
			return TDX_SYS_CONFIG_NOT_PENDING;
	if (!this_lp_init(e, NULL))
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!tdx_is_aligned(r->rcx, TDX_TDMR_ARRAY_ALIGN))
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (!r->rdx || r->rdx > c->max_tdmrs || r->rdx > TDX_MAX_TDMRS)
		return OPERAND(TDX_OPERAND_ID_RDX);
	if ((r->r8 >> 16) || !tdx_emu_private_keyids(c, &kmin, &kmax) ||
	    r->r8 < kmin || r->r8 > kmax)
		return OPERAND(TDX_OPERAND_ID_R8);
	if (!pa_ok(e, r->rcx, r->rdx * sizeof(u64)) ||
	    e->ops->read(e->ctx, r->rcx, ptrs, r->rdx * sizeof(u64)))
		return OPERAND(TDX_OPERAND_ID_RCX);
	for (i = 0; i < r->rdx; i++) {
		if (!tdx_is_aligned(ptrs[i], TDX_TDMR_INFO_ALIGN) ||
		    !pa_ok(e, ptrs[i], TDX_TDMR_INFO_SIZE) ||
		    e->ops->read(e->ctx, ptrs[i], &e->tdmrs[i],
				 TDX_TDMR_INFO_SIZE))
			return OPERAND(TDX_OPERAND_ID_RCX);
		st = tdx_emu_check_tdmr(&p, e->tdmrs, i);
		if (st)
			return st;
	}
	e->nr_tdmrs = r->rdx;
	for (i = 0; i < e->nr_tdmrs; i++)
		e->tdmr_next[i] = e->tdmrs[i].base;
	e->global_keyid = r->r8;
	e->pamt_bytes_init = 0;
	set_state(e, TDX_EMU_SYSCONFIG_DONE);
	return TDX_SUCCESS;
}

static u64 sys_config(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	u64 st;

	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, false))
		return TDX_SYS_BUSY;
	st = sys_config_locked(e, r);
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, false);
	return st;
}

static u64 key_config(struct tdx_emu *e)
{
	unsigned int cpu;
	u64 st = TDX_SUCCESS;
	int pkg;

	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, false))
		return TDX_SYS_BUSY;
	if (get_state(e) != TDX_EMU_SYSCONFIG_DONE) {
		st = TDX_SYS_KEY_CONFIG_NOT_PENDING;
	} else if (!this_lp_init(e, &cpu)) {
		st = TDX_SYS_LP_INIT_NOT_DONE;
	} else {
		/* LP.INIT guaranteed 0 <= pkg < TDX_EMU_MAX_PKGS */
		pkg = e->cfg.cpu_pkg[cpu];
		if (e->pkg_key_done[pkg]) {
			st = TDX_KEY_CONFIGURED;
		} else {
			e->pkg_key_done[pkg] = 1;
			if (tdx_emu_pkgs_configured(e) >= e->num_pkgs)
				set_state(e, TDX_EMU_SYS_READY);
		}
	}
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, false);
	return st;
}

/* ---- PAMT entries ---- */

static const u64 level_page[3] = { TDX_SZ_4K, TDX_SZ_2M, TDX_SZ_1G };

static u64 pamt_base_of(const struct tdx_tdmr_info *t, unsigned int level)
{
	u64 b, s;

	tdx_emu_pamt_of(t, level, &b, &s);
	return b;
}

static void pamt_entry(const struct tdx_emu *e, const struct tdx_tdmr_info *t,
		       unsigned int level, u64 idx, u8 *out)
{
	u64 pa = t->base + idx * level_page[level];
	bool rsvd = tdx_emu_tdmr_reserved(t, e->cfg.max_rsvd, pa,
					  pa + level_page[level]);
	u64 w[2];

	w[0] = TDX_EMU_PAMT_MAGIC | ((u64)level << 8) |
	       (rsvd ? TDX_EMU_PT_RSVD : TDX_EMU_PT_NDA);
	w[1] = pa;
	memset(out, 0, e->cfg.pamt_entry_size);
	memcpy(out, w, sizeof(w));
}

/*
 * Write (or, with @v, verify) @count entries from @idx of one PAMT level
 * of TDMR @i. Returns 0 or -EFAULT when the memory cannot be accessed.
 */
static int pamt_entries(struct tdx_emu *e, unsigned int i, unsigned int level,
			u64 idx, u64 count, struct tdx_emu_verify *v)
{
	const struct tdx_tdmr_info *t = &e->tdmrs[i];
	unsigned int es = e->cfg.pamt_entry_size;
	unsigned int per = BUF_BYTES / es, n, k;
	u8 buf[BUF_BYTES], want[TDX_EMU_PAMT_ENTRY_MAX];
	u64 pa;

	while (count) {
		n = count < per ? (unsigned int)count : per;
		pa = pamt_base_of(t, level) + idx * es;
		if (v) {
			if (e->ops->read(e->ctx, pa, buf, (size_t)n * es))
				return -EFAULT;
			for (k = 0; k < n; k++) {
				pamt_entry(e, t, level, idx + k, want);
				v->entries_checked++;
				if (memcmp(buf + k * es, want, es)) {
					if (!v->entries_corrupted)
						v->first_bad_pa = pa + k * es;
					v->entries_corrupted++;
				}
			}
		} else {
			for (k = 0; k < n; k++)
				pamt_entry(e, t, level, idx + k, buf + k * es);
			if (e->ops->write(e->ctx, pa, buf, (size_t)n * es))
				return -EFAULT;
		}
		idx += n;
		count -= n;
	}
	return 0;
}

static u64 tdmr_init(struct tdx_emu *e, struct tdx_emu_regs *r)
{
	const u64 chunk = TDX_EMU_TDMR_INIT_CHUNK;
	unsigned int i, es = e->cfg.pamt_entry_size;
	const struct tdx_tdmr_info *t;
	u64 next, end, off, bytes;
	int err;

	if (!this_lp_init(e, NULL))
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!tdx_is_aligned(r->rcx, TDX_SZ_1G))
		return OPERAND(TDX_OPERAND_ID_RCX);
	for (i = 0; i < e->nr_tdmrs; i++)
		if (e->tdmrs[i].base == r->rcx)
			break;
	if (i == e->nr_tdmrs)
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_TDMR(i), false))
		return TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
	t = &e->tdmrs[i];
	next = e->tdmr_next[i];
	end = t->base + t->size;
	if (next >= end) {
		e->ops->unlock(e->ctx, TDX_EMU_LOCK_TDMR(i), false);
		r->rdx = 0;
		return TDX_TDMR_ALREADY_INITIALIZED;
	}
	off = next - t->base;
	bytes = (chunk / TDX_SZ_4K + chunk / TDX_SZ_2M) * es;
	err = pamt_entries(e, i, 0, off / TDX_SZ_4K, chunk / TDX_SZ_4K, NULL);
	if (!err)
		err = pamt_entries(e, i, 1, off / TDX_SZ_2M, chunk / TDX_SZ_2M,
				   NULL);
	if (!err && tdx_is_aligned(off, TDX_SZ_1G)) {
		err = pamt_entries(e, i, 2, off / TDX_SZ_1G, 1, NULL);
		bytes += es;
	}
	if (err) {
		e->ops->unlock(e->ctx, TDX_EMU_LOCK_TDMR(i), false);
		return TDX_OPERAND_ADDR_RANGE_ERROR | TDX_OPERAND_ID_RCX;
	}
	if (e->cfg.tdmr_init_delay_ns)
		e->ops->delay_ns(e->ctx, e->cfg.tdmr_init_delay_ns);
	next += chunk;
	__atomic_store_n(&e->tdmr_next[i], next, __ATOMIC_RELEASE);
	stat_add(&e->pamt_bytes_init, bytes);
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_TDMR(i), false);
	r->rdx = next >= end ? end : tdx_align_down(next, TDX_SZ_1G);
	return TDX_SUCCESS;
}

static u64 sys_shutdown(struct tdx_emu *e)
{
	u64 st = TDX_SUCCESS;

	if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, false))
		return TDX_SYS_BUSY;
	if (!this_lp_init(e, NULL))
		st = TDX_SYS_LP_INIT_NOT_DONE;
	else
		set_state(e, TDX_EMU_SYS_SHUTDOWN);
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, false);
	return st;
}

/* ---- dispatch ---- */

static bool leaf_known(u64 leaf)
{
	switch (leaf) {
	case TDH_SYS_KEY_CONFIG:
	case TDH_SYS_INFO:
	case TDH_SYS_INIT:
	case TDH_SYS_RD:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_TDMR_INIT:
	case TDH_SYS_RDALL:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_CONFIG:
	case TDH_SYS_SHUTDOWN:
	case TDH_SYS_UPDATE:
		return true;
	}
	return false;
}

/* Leaves dispatched before SYS_READY; a 1.0 module does not serve RD then. */
static bool allowed_before_ready(const struct tdx_emu *e, u64 leaf)
{
	switch (leaf) {
	case TDH_SYS_RD:
	case TDH_SYS_RDALL:
		return !(e->cfg.major == 1 && e->cfg.minor == 0);
	case TDH_SYS_INFO:
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_CONFIG:
	case TDH_SYS_KEY_CONFIG:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_UPDATE:
		return true;
	}
	return false;
}

static u64 dispatch(struct tdx_emu *e, u64 leaf, struct tdx_emu_regs *r)
{
	int state = get_state(e);
	u64 st;

	if (state == TDX_EMU_SYS_SHUTDOWN && leaf != TDH_SYS_LP_SHUTDOWN)
		return TDX_SYS_SHUTDOWN;
	if (state != TDX_EMU_SYS_READY && !allowed_before_ready(e, leaf))
		return TDX_SYS_NOT_READY;
	if (fault_due(e, (u16)leaf, &st))
		return st;

	switch (leaf) {
	case TDH_SYS_INIT:
		return sys_init(e, r);
	case TDH_SYS_LP_INIT:
		return lp_init(e);
	case TDH_SYS_INFO:
		return sys_info(e, r);
	case TDH_SYS_RD:
		return sys_rd(e, r);
	case TDH_SYS_CONFIG:
		return sys_config(e, r);
	case TDH_SYS_KEY_CONFIG:
		return key_config(e);
	case TDH_SYS_TDMR_INIT:
		return tdmr_init(e, r);
	case TDH_SYS_SHUTDOWN:
		return sys_shutdown(e);
	case TDH_SYS_LP_SHUTDOWN:
		return TDX_SUCCESS;
	}
	/* RDALL, UPDATE: not emulated */
	return OPERAND(TDX_OPERAND_ID_RAX);
}

u64 tdx_emu_seamcall(struct tdx_emu *e, u64 rax, struct tdx_emu_regs *r)
{
	u64 leaf = rax & 0xffff;
	u64 st;

	if ((rax >> 16) || !leaf_known(leaf)) {
		stat_add(&e->bad_rax, 1);
		return OPERAND(TDX_OPERAND_ID_RAX);
	}
	stat_add(&e->calls[leaf], 1);
	st = dispatch(e, leaf, r);
	if (st & TDX_STATUS_ERROR_BIT)
		stat_add(&e->errors[leaf], 1);
	return st;
}

/* ---- verification ---- */

u64 tdx_emu_pamt_expected(const struct tdx_emu *e)
{
	unsigned int i;
	u64 n = 0, s;

	if (get_state(e) < TDX_EMU_SYSCONFIG_DONE)
		return 0;
	for (i = 0; i < e->nr_tdmrs; i++) {
		s = e->tdmrs[i].size;
		n += s / TDX_SZ_4K + s / TDX_SZ_2M + s / TDX_SZ_1G;
	}
	return n * e->cfg.pamt_entry_size;
}

void tdx_emu_verify(struct tdx_emu *e, struct tdx_emu_verify *v)
{
	unsigned int i;
	u64 done;

	memset(v, 0, sizeof(*v));
	v->bytes_init = __atomic_load_n(&e->pamt_bytes_init, __ATOMIC_RELAXED);
	v->bytes_expected = tdx_emu_pamt_expected(e);
	if (get_state(e) < TDX_EMU_SYSCONFIG_DONE)
		return;
	for (i = 0; i < e->nr_tdmrs; i++) {
		if (!e->ops->trylock(e->ctx, TDX_EMU_LOCK_TDMR(i), false)) {
			v->tdmrs_busy++;
			continue;
		}
		done = e->tdmr_next[i] - e->tdmrs[i].base;
		if (pamt_entries(e, i, 0, 0, done / TDX_SZ_4K, v) ||
		    pamt_entries(e, i, 1, 0, done / TDX_SZ_2M, v) ||
		    pamt_entries(e, i, 2, 0,
				 tdx_align_up(done, TDX_SZ_1G) / TDX_SZ_1G, v))
			v->read_errors++;
		e->ops->unlock(e->ctx, TDX_EMU_LOCK_TDMR(i), false);
	}
}
