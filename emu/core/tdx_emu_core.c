// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated TDX module: SEAMCALL dispatch and gating, the sys_state
 * machine and the initialization leaves, each following the 1.5 module's
 * handler of the same name (tdh_sys_*() in src/vmm_dispatcher/api_calls/;
 * docs/emulator-conformance.md maps every rule). Nothing here trusts the
 * host: every PA goes through the ops, which may refuse it.
 */
#include "tdx_emu_core.h"
#include "tdx_emu_check.h"
#include "tdx_emu_meta.h"
#include "tdx_emu_transient.h"

#define OPERAND(id)	(TDX_OPERAND_INVALID | (id))
#define BUF_BYTES	512	/* stack buffer for PAMT and INFO chunks */
#define MAX_PA		0x0010000000000000ULL	/* 2^52 */

/*
 * Counters and sys_state are touched by SEAMCALLs on several CPUs at once;
 * compiler atomics work in both the kernel and user space builds.
 */
static void stat_add(u64 *v, u64 n)
{
	__atomic_fetch_add(v, n, __ATOMIC_RELAXED);
}

static u32 get_state(const struct tdx_emu *e)
{
	return __atomic_load_n(&e->sys_state, __ATOMIC_ACQUIRE);
}

static void set_state(struct tdx_emu *e, u32 s)
{
	__atomic_store_n(&e->sys_state, s, __ATOMIC_RELEASE);
}

/* ---- configuration ---- */

void tdx_emu_config_default(struct tdx_emu_config *c)
{
	memset(c, 0, sizeof(*c));
	c->num_mktme_keyids = 31;
	c->num_tdx_keyids = 32;
	c->keyid_bits = tdx_emu_keyid_bits(31, 32);
	c->seamrr_base = 0xFE000000ULL;
	c->seamrr_size = 32ULL << 20;
	c->cpu_fms = 0x000806F8;	/* family 6 model 0x8F stepping 8 */
	c->tdmr_init_chunk = TDX_EMU_TDMR_INIT_CHUNK;
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
	/* bits 0-5, 7, 9-11, 16-19: what the 1.5 module reports (no 8) */
	c->features0 = 0x00000000000F0EBFULL;
	c->tdmr_init_delay_ns = 0;
}

int tdx_emu_config_check(const struct tdx_emu_config *c)
{
	unsigned int i, j;

	if (c->nr_lps > TDX_EMU_MAX_LPS || c->nr_cmrs > TDX_MAX_CMRS ||
	    !c->max_tdmrs || c->max_tdmrs > TDX_MAX_TDMRS ||
	    !c->max_rsvd || c->max_rsvd > TDX_MAX_RSVD ||
	    c->pamt_entry_size < TDX_EMU_PAMT_ENTRY_MIN ||
	    c->pamt_entry_size > TDX_EMU_PAMT_ENTRY_MAX ||
	    c->keyid_bits > 15 ||
	    (u64)c->num_mktme_keyids + c->num_tdx_keyids > 0x7fff)
		return -EINVAL;
	if (c->tdmr_init_chunk < TDX_EMU_TDMR_INIT_CHUNK_MIN ||
	    c->tdmr_init_chunk > TDX_EMU_TDMR_INIT_CHUNK_MAX ||
	    (c->tdmr_init_chunk & (c->tdmr_init_chunk - 1)))
		return -EINVAL;
	if (c->seamrr_size < TDX_SZ_4K ||
	    (c->seamrr_size & (c->seamrr_size - 1)) ||
	    !tdx_is_aligned(c->seamrr_base, c->seamrr_size) ||
	    c->seamrr_base + c->seamrr_size > MAX_PA)
		return -EINVAL;
	for (i = 0; i < c->nr_lps; i++)
		for (j = i + 1; j < c->nr_lps; j++)
			if (c->lps[i].apic_id == c->lps[j].apic_id)
				return -EINVAL;
	return 0;
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

int tdx_emu_lp_find(const struct tdx_emu_config *c, u32 apic_id)
{
	unsigned int i, n = c->nr_lps < TDX_EMU_MAX_LPS ? c->nr_lps :
							  TDX_EMU_MAX_LPS;

	for (i = 0; i < n; i++)
		if (c->lps[i].apic_id == apic_id)
			return i;
	return -ENODEV;
}

unsigned int tdx_emu_platform_pkgs(const struct tdx_emu_config *c)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < c->nr_lps && i < TDX_EMU_MAX_LPS; i++) {
		for (j = 0; j < i; j++)
			if (c->lps[j].pkg == c->lps[i].pkg)
				break;
		n += j == i;
	}
	return n;
}

/* ---- power on, resume ---- */

void tdx_emu_reset(struct tdx_emu *e)
{
	e->hdr.magic = TDX_EMU_MAGIC;
	e->hdr.version = TDX_EMU_LAYOUT_VERSION;
	e->hdr.size = sizeof(*e);
	/* Module state and statistics: from sys_state up to the test knobs */
	memset((u8 *)e + offsetof(struct tdx_emu, sys_state), 0,
	       offsetof(struct tdx_emu, transients) -
	       offsetof(struct tdx_emu, sys_state));
	set_state(e, TDX_EMU_SYSINIT_PENDING);
}

void tdx_emu_init(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx)
{
	e->ops = ops;
	e->ctx = ctx;
	memset(&e->transients, 0, sizeof(e->transients));
	e->nr_faults = 0;
	tdx_emu_reset(e);
}

/* Everything used as an index or a shift is in range. */
static bool state_sane(const struct tdx_emu *e)
{
	unsigned int i;

	if (e->sys_state > TDX_EMU_SYS_SHUTDOWN ||
	    e->num_lps > TDX_EMU_MAX_LPS || e->nr_tdmrs > TDX_MAX_TDMRS ||
	    e->nr_faults > TDX_EMU_MAX_FAULTS ||
	    e->global_keyid >= TDX_MODULE_MAX_HKIDS)
		return false;
	for (i = 0; i < TDX_EMU_MAX_LPS; i++)
		if (e->lp_init[i] && e->lp_pkg[i] >= TDX_MODULE_MAX_PKGS)
			return false;
	for (i = 0; i < e->nr_tdmrs; i++) {
		const struct tdx_tdmr_info *t = &e->tdmrs[i];

		if (t->base + t->size < t->base || e->tdmr_next[i] < t->base ||
		    e->tdmr_next[i] > t->base + t->size)
			return false;
	}
	for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
		if (e->transients.rate[i] > TDX_EMU_RATE_MAX)
			return false;
	return true;
}

int tdx_emu_resume(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx)
{
	if (e->hdr.magic != TDX_EMU_MAGIC ||
	    e->hdr.version != TDX_EMU_LAYOUT_VERSION ||
	    e->hdr.size != sizeof(*e) || tdx_emu_config_check(&e->cfg) ||
	    !state_sane(e))
		return -EINVAL;
	e->ops = ops;
	e->ctx = ctx;
	/* No SEAMCALL survives its caller: none is in flight now. */
	__atomic_store_n(&e->in_flight, 0, __ATOMIC_RELAXED);
	return 0;
}

/* ---- read-only views ---- */

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
	return __atomic_load_n(&e->num_init_lps, __ATOMIC_RELAXED);
}

unsigned int tdx_emu_pkgs_configured(const struct tdx_emu *e)
{
	return __atomic_load_n(&e->num_init_pkgs, __ATOMIC_RELAXED);
}

unsigned int tdx_emu_tdmrs_initialized(const struct tdx_emu *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < e->nr_tdmrs; i++)
		n += e->tdmr_next[i] >= e->tdmrs[i].base + e->tdmrs[i].size;
	return n;
}

bool tdx_emu_keyid_reserved(const struct tdx_emu *e, u32 keyid)
{
	return keyid < TDX_MODULE_MAX_HKIDS &&
	       (e->keyid_reserved[keyid / 8] & (1 << (keyid % 8)));
}

unsigned int tdx_emu_keyids_reserved(const struct tdx_emu *e)
{
	unsigned int k, n = 0;

	for (k = 0; k < TDX_MODULE_MAX_HKIDS; k++)
		n += tdx_emu_keyid_reserved(e, k);
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
		*val = c->seamrr_base | (1ULL << 3);	/* configured */
		return 0;
	case TDX_MSR_SEAMRR_PHYS_MASK:
		/* locked (10), enabled (11) */
		*val = ((MAX_PA - 1) & ~(c->seamrr_size - 1)) |
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

/* The KeyID of a PA: its bits 51 down to 52 - keyid_bits. */
static u32 hkid_of(const struct tdx_emu *e, u64 pa)
{
	if (!e->cfg.keyid_bits)
		return 0;
	return (pa & hkid_mask(e)) >> (TDX_MAX_PA_BITS - e->cfg.keyid_bits);
}

/*
 * shared_hpa_check_with_pwr_2_alignment(): aligned to @size, below 2^52,
 * [pa, pa + size) clear of SEAMRR, KeyID shared (below the private ones).
 */
static bool shared_hpa_ok(const struct tdx_emu *e, u64 pa, u64 size)
{
	const struct tdx_emu_config *c = &e->cfg;
	u64 addr = pa & ~hkid_mask(e);

	if (!tdx_is_aligned(pa, size) || pa >= MAX_PA)
		return false;
	if (addr < c->seamrr_base + c->seamrr_size &&
	    c->seamrr_base < addr + size)
		return false;
	return hkid_of(e, pa) < c->num_mktme_keyids + 1;
}

/* Shared memory is the same memory under any shared KeyID. */
static int shared_read(struct tdx_emu *e, u64 pa, void *buf, size_t len)
{
	return e->ops->read(e->ctx, pa & ~hkid_mask(e), buf, len);
}

static int shared_write(struct tdx_emu *e, u64 pa, const void *buf,
			size_t len)
{
	return e->ops->write(e->ctx, pa & ~hkid_mask(e), buf, len);
}

/* The global lock, as a try-lock; contention may also happen on its own. */
static bool global_trylock(struct tdx_emu *e, bool shared)
{
	if (tdx_emu_transient_due(e, TDX_EMU_TR_SYS_BUSY))
		return false;
	return e->ops->trylock(e->ctx, TDX_EMU_LOCK_GLOBAL, shared);
}

static void global_unlock(struct tdx_emu *e, bool shared)
{
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_GLOBAL, shared);
}

static bool lp_is_init(const struct tdx_emu *e, unsigned int lp)
{
	return __atomic_load_n(&e->lp_init[lp], __ATOMIC_ACQUIRE);
}

static void put16(u8 *b, unsigned int off, u16 v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put32(u8 *b, unsigned int off, u32 v)
{
	memcpy(b + off, &v, sizeof(v));
}

static bool module_1_0(const struct tdx_emu *e)
{
	return e->cfg.major == 1 && e->cfg.minor == 0;
}

/* ---- leaves ---- */

/* tdh_sys_init() */
static u64 sys_init(struct tdx_emu *e, const struct tdx_emu_regs *in)
{
	const struct tdx_emu_config *c = &e->cfg;
	u64 st = TDX_SUCCESS;

	if (!global_trylock(e, false))
		return TDX_SYS_BUSY;
	if (in->rcx) {
		st = OPERAND(TDX_OPERAND_ID_RCX);
	} else if (get_state(e) != TDX_EMU_SYSINIT_PENDING) {
		st = TDX_SYS_INIT_NOT_PENDING;
	} else if ((u64)c->num_mktme_keyids + c->num_tdx_keyids >=
		   TDX_MODULE_MAX_HKIDS) {
		/* check_key_management_config(); zero TDX KeyIDs pass */
		st = TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED | TDX_MODULE_MAX_HKIDS;
	} else if (tdx_emu_check_cmrs(c->cmrs, c->nr_cmrs, hkid_mask(e))) {
		st = TDX_CMR_LIST_INVALID;
	} else if (tdx_emu_transient_due(e, TDX_EMU_TR_RND_NO_ENTROPY)) {
		st = TDX_RND_NO_ENTROPY;	/* tdx_init_stack_canary() */
	} else {
		/* tdx_init_global_data(): the platform's counts, as MCHECK */
		e->sys_attributes = in->rcx;
		e->num_lps = c->nr_lps;
		e->num_pkgs = tdx_emu_platform_pkgs(c);
		__atomic_store_n(&e->num_init_lps, 0, __ATOMIC_RELAXED);
		e->num_init_pkgs = 0;
		e->pkg_config_bitmap = 0;
		set_state(e, TDX_EMU_SYSINIT_DONE);
	}
	global_unlock(e, false);
	return st;
}

/* tdh_sys_lp_init() */
static u64 lp_init(struct tdx_emu *e, unsigned int lp)
{
	u64 st = TDX_SUCCESS;
	u32 pkg;

	if (!global_trylock(e, true))
		return TDX_SYS_BUSY;
	if (get_state(e) != TDX_EMU_SYSINIT_DONE) {
		st = TDX_SYS_LP_INIT_NOT_PENDING;
	} else if (lp_is_init(e, lp)) {
		st = TDX_SYS_LP_INIT_DONE;
	} else if (tdx_emu_transient_due(e, TDX_EMU_TR_RND_NO_ENTROPY)) {
		st = TDX_RND_NO_ENTROPY;	/* lfsr_init_seed() */
	} else {
		/* compare_cpuid_configuration(): the package from CPUID */
		pkg = e->ops->cpu_pkg(e->ctx);
		if (pkg >= TDX_MODULE_MAX_PKGS) {
			st = TDX_INVALID_PKG_ID | pkg;
		} else {
			/* only this CPU writes its entries */
			e->lp_pkg[lp] = pkg;
			__atomic_store_n(&e->lp_init[lp], 1, __ATOMIC_RELEASE);
			__atomic_fetch_add(&e->num_init_lps, 1,
					   __ATOMIC_RELAXED);
		}
	}
	global_unlock(e, true);
	return st;
}

/* tdh_sys_info(): zero-fills the buffer before R8/R9 are checked. */
static u64 sys_info(struct tdx_emu *e, unsigned int lp,
		    const struct tdx_emu_regs *in, struct tdx_emu_regs *r)
{
	const struct tdx_emu_config *c = &e->cfg;
	u8 buf[BUF_BYTES];
	unsigned int off, k;

	if (!lp_is_init(e, lp))
		return TDX_SYS_LP_INIT_NOT_DONE;
	if (!shared_hpa_ok(e, in->rcx, TDX_SYSINFO_ALIGN))
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (in->rdx < TDX_SYSINFO_SIZE)
		return OPERAND(TDX_OPERAND_ID_RDX);
	memset(buf, 0, sizeof(buf));
	for (off = 0; off < TDX_SYSINFO_SIZE; off += sizeof(buf))
		if (shared_write(e, in->rcx + off, buf, sizeof(buf)))
			return OPERAND(TDX_OPERAND_ID_RCX);
	if (!shared_hpa_ok(e, in->r8,
			   TDX_CMR_INFO_ENTRIES * sizeof(struct tdx_cmr_info)))
		return OPERAND(TDX_OPERAND_ID_R8);
	if (in->r9 < TDX_CMR_INFO_ENTRIES)
		return OPERAND(TDX_OPERAND_ID_R9);

	/* 32 entries of 16 bytes: exactly one buffer, null entries included */
	for (k = 0; k < c->nr_cmrs && k < TDX_CMR_INFO_ENTRIES; k++)
		memcpy(buf + k * sizeof(struct tdx_cmr_info), &c->cmrs[k],
		       sizeof(struct tdx_cmr_info));
	if (shared_write(e, in->r8, buf,
			 TDX_CMR_INFO_ENTRIES * sizeof(struct tdx_cmr_info)))
		return OPERAND(TDX_OPERAND_ID_R8);
	memset(buf, 0, sizeof(buf));
	put32(buf, TDX_SYSINFO_OFF_ATTRIBUTES, c->attributes);
	put32(buf, TDX_SYSINFO_OFF_VENDOR_ID, c->vendor_id);
	put32(buf, TDX_SYSINFO_OFF_BUILD_DATE, c->build_date);
	put16(buf, TDX_SYSINFO_OFF_BUILD_NUM, c->build_num);
	put16(buf, TDX_SYSINFO_OFF_MINOR, c->minor);
	put16(buf, TDX_SYSINFO_OFF_MAJOR, c->major);
	buf[TDX_SYSINFO_OFF_SYS_RD] = !module_1_0(e);
	put16(buf, TDX_SYSINFO_OFF_MAX_TDMRS, c->max_tdmrs);
	put16(buf, TDX_SYSINFO_OFF_MAX_RSVD, c->max_rsvd);
	put16(buf, TDX_SYSINFO_OFF_PAMT_ENTRY, c->pamt_entry_size);
	if (shared_write(e, in->rcx, buf, 64))
		return OPERAND(TDX_OPERAND_ID_RCX);
	r->rdx = TDX_SYSINFO_SIZE;
	r->r9 = TDX_CMR_INFO_ENTRIES;
	return TDX_SUCCESS;
}

/* tdh_sys_rd(): the context is forced to SYS, then the null id is asked. */
static u64 sys_rd(struct tdx_emu *e, unsigned int lp,
		  const struct tdx_emu_regs *in, struct tdx_emu_regs *r)
{
	u64 fid = in->rdx & ~TDX_FID_CONTEXT_MASK, val, next;
	u64 st;

	if (!lp_is_init(e, lp))
		return TDX_SYS_LP_INIT_NOT_DONE;
	if ((fid | TDX_FID_CONTEXT_MASK) == TDX_FID_NULL) {
		r->rdx = tdx_emu_meta_first();
		return TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT;
	}
	st = tdx_emu_meta_read(e, fid, &val, &next);
	r->r8 = val;
	if (!st)
		r->rdx = next;
	return st;
}

/* tdh_sys_config(), under the global lock */
static u64 sys_config_locked(struct tdx_emu *e, const struct tdx_emu_regs *in)
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
	u32 kmin = c->num_mktme_keyids + 1;
	u32 kmax = c->num_mktme_keyids + c->num_tdx_keyids;
	unsigned int i, n = in->rdx;
	u16 hkid;
	u64 st;

	if (get_state(e) != TDX_EMU_SYSINIT_DONE)
		return TDX_SYS_CONFIG_NOT_PENDING;
	if (tdx_emu_lps_initialized(e) < e->num_lps)
		return TDX_SYS_CONFIG_NOT_PENDING;
	if (!shared_hpa_ok(e, in->rcx, TDX_TDMR_ARRAY_ALIGN))
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (in->rdx > TDX_MAX_TDMRS || in->rdx > c->max_tdmrs || !in->rdx)
		return OPERAND(TDX_OPERAND_ID_RDX);
	if ((in->r8 >> 16) || in->r8 < kmin || in->r8 > kmax)
		return OPERAND(TDX_OPERAND_ID_R8);
	/* Reserved before any TDMR is looked at; kept if CONFIG fails. */
	hkid = in->r8;
	e->keyid_reserved[hkid / 8] |= 1 << (hkid % 8);
	e->global_keyid = hkid;
	if (shared_read(e, in->rcx, ptrs, n * sizeof(u64)))
		return OPERAND(TDX_OPERAND_ID_RCX);
	for (i = 0; i < n; i++) {
		if (!shared_hpa_ok(e, ptrs[i], TDX_TDMR_INFO_ALIGN) ||
		    shared_read(e, ptrs[i], &e->tdmrs[i], TDX_TDMR_INFO_SIZE))
			return OPERAND(TDX_OPERAND_ID_RCX);
		st = tdx_emu_check_tdmr(&p, e->tdmrs, i);
		if (st)
			return st;
	}
	e->nr_tdmrs = n;
	for (i = 0; i < n; i++)
		e->tdmr_next[i] = e->tdmrs[i].base;
	e->pamt_bytes_init = 0;
	e->pkg_config_bitmap = 0;
	set_state(e, TDX_EMU_SYSCONFIG_DONE);
	return TDX_SUCCESS;
}

static u64 sys_config(struct tdx_emu *e, const struct tdx_emu_regs *in)
{
	u64 st;

	if (!global_trylock(e, false))
		return TDX_SYS_BUSY;
	st = sys_config_locked(e, in);
	global_unlock(e, false);
	return st;
}

/* tdh_sys_key_config(): one package per call, the package LP.INIT found */
static u64 key_config(struct tdx_emu *e, unsigned int lp)
{
	u64 st = TDX_SUCCESS;
	u32 bit;

	if (!global_trylock(e, false))
		return TDX_SYS_BUSY;
	bit = 1U << e->lp_pkg[lp];
	if (get_state(e) != TDX_EMU_SYSCONFIG_DONE) {
		st = TDX_SYS_KEY_CONFIG_NOT_PENDING;
	} else if (e->pkg_config_bitmap & bit) {
		st = TDX_KEY_CONFIGURED;
	} else if (tdx_emu_transient_due(e, TDX_EMU_TR_KEY_BUSY)) {
		/* program_mktme_keys(): PCONFIG busy; the package stays open */
		st = TDX_OPERAND_BUSY | TDX_OPERAND_ID_KEYID_BUSY;
	} else if (tdx_emu_transient_due(e, TDX_EMU_TR_KEY_GEN_FAILED)) {
		st = TDX_KEY_GENERATION_FAILED;
	} else {
		e->pkg_config_bitmap |= bit;
		__atomic_fetch_add(&e->num_init_pkgs, 1, __ATOMIC_RELAXED);
		if (tdx_emu_pkgs_configured(e) == e->num_pkgs)
			set_state(e, TDX_EMU_SYS_READY);
	}
	global_unlock(e, false);
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

/* tdh_sys_tdmr_init(): RDX is 0 on every path but success */
static u64 tdmr_init(struct tdx_emu *e, const struct tdx_emu_regs *in,
		     struct tdx_emu_regs *r)
{
	const u64 chunk = e->cfg.tdmr_init_chunk;
	unsigned int i, es = e->cfg.pamt_entry_size;
	const struct tdx_tdmr_info *t;
	u64 next, end, off, bytes, first2m, n2m;
	int err;

	if (!tdx_is_aligned(in->rcx, TDX_SZ_1G) || in->rcx >= MAX_PA ||
	    (in->rcx & hkid_mask(e)))
		return OPERAND(TDX_OPERAND_ID_RCX);
	for (i = 0; i < e->nr_tdmrs; i++)
		if (e->tdmrs[i].base == in->rcx)
			break;
	if (i == e->nr_tdmrs)
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (tdx_emu_transient_due(e, TDX_EMU_TR_TDMR_BUSY) ||
	    !e->ops->trylock(e->ctx, TDX_EMU_LOCK_TDMR(i), false))
		return TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
	t = &e->tdmrs[i];
	next = e->tdmr_next[i];
	end = t->base + t->size;
	if (next >= end) {
		e->ops->unlock(e->ctx, TDX_EMU_LOCK_TDMR(i), false);
		return TDX_TDMR_ALREADY_INITIALIZED;
	}
	/* The 4K entries of this chunk, the 2M ones starting in it, the 1G */
	off = next - t->base;
	first2m = tdx_align_up(off, TDX_SZ_2M) / TDX_SZ_2M;
	n2m = tdx_align_up(off + chunk, TDX_SZ_2M) / TDX_SZ_2M - first2m;
	bytes = (chunk / TDX_SZ_4K + n2m) * es;
	err = pamt_entries(e, i, 0, off / TDX_SZ_4K, chunk / TDX_SZ_4K, NULL);
	if (!err && n2m)
		err = pamt_entries(e, i, 1, first2m, n2m, NULL);
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
	r->rdx = tdx_align_down(next, TDX_SZ_1G);
	return TDX_SUCCESS;
}

/* tdh_sys_shutdown(): the handoff version first, then the lock */
static u64 sys_shutdown(struct tdx_emu *e, const struct tdx_emu_regs *in)
{
	const struct tdx_emu_config *c = &e->cfg;
	u64 st = TDX_SUCCESS;

	if (in->rcx < c->min_update_hv || in->rcx > c->module_hv ||
	    (c->no_downgrade && in->rcx != c->module_hv))
		return OPERAND(TDX_OPERAND_ID_RCX);
	if (!global_trylock(e, false))
		return TDX_SYS_BUSY;
	set_state(e, TDX_EMU_SYS_SHUTDOWN);
	/* Another LP inside the module: back to ready */
	if (__atomic_load_n(&e->in_flight, __ATOMIC_ACQUIRE) > 1) {
		set_state(e, TDX_EMU_SYS_READY);
		st = TDX_SYS_BUSY;
	}
	global_unlock(e, false);
	return st;
}

/*
 * tdh_sys_update(): continuing a module that handed off its state. No
 * module ran before this one, so there is never handoff data.
 */
static u64 sys_update(struct tdx_emu *e)
{
	u64 st = TDX_SYS_INVALID_HANDOFF;

	if (!global_trylock(e, false))
		return TDX_SYS_BUSY;
	if (get_state(e) != TDX_EMU_SYSINIT_DONE ||
	    tdx_emu_lps_initialized(e) < e->num_lps)
		st = TDX_SYS_STATE_INCORRECT;
	global_unlock(e, false);
	return st;
}

/* ---- dispatch: tdx_vmm_dispatcher() ---- */

/* The leaves this module has (a 1.0 module has no TDH.SYS.RD*). */
static bool leaf_emulated(const struct tdx_emu *e, u64 leaf)
{
	switch (leaf) {
	case TDH_SYS_KEY_CONFIG:
	case TDH_SYS_INFO:
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
	case TDH_SYS_TDMR_INIT:
	case TDH_SYS_LP_SHUTDOWN:
	case TDH_SYS_CONFIG:
	case TDH_SYS_SHUTDOWN:
	case TDH_SYS_UPDATE:
		return true;
	case TDH_SYS_RD:
		return !module_1_0(e);
	}
	return false;
}

/* Dispatched before SYS_READY; everything else gets SYS_NOT_READY. */
static bool allowed_before_ready(const struct tdx_emu *e, u64 leaf)
{
	switch (leaf) {
	case TDH_SYS_RD:
	case TDH_SYS_RDALL:
		return !module_1_0(e);
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

/* Leaves with a version above 0 (TD leaves only, none emulated). */
static bool leaf_versioned(u64 leaf)
{
	return leaf == 3 || leaf == 11 || leaf == 23 || leaf == 26 ||
	       leaf == 30;
}

/* Outputs each handler sets first, so on every path after gating. */
static void outputs_on_entry(u64 leaf, struct tdx_emu_regs *r)
{
	switch (leaf) {
	case TDH_SYS_INIT:
		r->rcx = 0;
		r->rdx = 0;
		r->r8 = 0;
		r->r9 = 0;
		r->r10 = 0;
		break;
	case TDH_SYS_LP_INIT:
		r->rcx = 0;
		r->rdx = 0;
		r->r8 = 0;
		break;
	case TDH_SYS_INFO:
		r->rdx = 0;
		r->r9 = 0;
		break;
	case TDH_SYS_RD:
		r->rdx = TDX_FID_NULL;
		r->r8 = 0;
		break;
	case TDH_SYS_TDMR_INIT:
		r->rdx = 0;
		break;
	}
}

static u64 run_leaf(struct tdx_emu *e, unsigned int lp, u64 leaf,
		    struct tdx_emu_regs *r)
{
	const struct tdx_emu_regs in = *r;
	u32 state = get_state(e);
	u64 st;

	if (state == TDX_EMU_SYS_SHUTDOWN && leaf != TDH_SYS_LP_SHUTDOWN)
		return TDX_SYS_SHUTDOWN;
	if (state != TDX_EMU_SYS_READY && !allowed_before_ready(e, leaf))
		return TDX_SYS_NOT_READY;
	if (!leaf_emulated(e, leaf)) {
		stat_add(&e->bad_rax, 1);
		return OPERAND(TDX_OPERAND_ID_RAX);
	}
	outputs_on_entry(leaf, r);
	if (leaf <= TDX_EMU_MAX_LEAF && fault_due(e, (u16)leaf, &st))
		return st;

	switch (leaf) {
	case TDH_SYS_INIT:
		return sys_init(e, &in);
	case TDH_SYS_LP_INIT:
		return lp_init(e, lp);
	case TDH_SYS_INFO:
		return sys_info(e, lp, &in, r);
	case TDH_SYS_RD:
		return sys_rd(e, lp, &in, r);
	case TDH_SYS_CONFIG:
		return sys_config(e, &in);
	case TDH_SYS_KEY_CONFIG:
		return key_config(e, lp);
	case TDH_SYS_TDMR_INIT:
		return tdmr_init(e, &in, r);
	case TDH_SYS_SHUTDOWN:
		return sys_shutdown(e, &in);
	case TDH_SYS_UPDATE:
		return sys_update(e);
	}
	return TDX_SUCCESS;	/* TDH.SYS.LP.SHUTDOWN: deprecated, no-op */
}

u64 tdx_emu_seamcall(struct tdx_emu *e, u64 rax, struct tdx_emu_regs *r)
{
	int lp = tdx_emu_lp_find(&e->cfg, e->ops->cpu_apic_id(e->ctx));
	u64 leaf = rax & 0xffff, version = (rax >> 16) & 0xff;
	u64 st;

	if (lp < 0)
		return TDX_SEAMCALL_VMFAILINVALID;
	__atomic_fetch_add(&e->in_flight, 1, __ATOMIC_ACQ_REL);
	if ((rax >> 24) || (version && !leaf_versioned(leaf))) {
		stat_add(&e->bad_rax, 1);
		st = OPERAND(TDX_OPERAND_ID_RAX);
	} else {
		if (leaf <= TDX_EMU_MAX_LEAF)
			stat_add(&e->calls[leaf], 1);
		st = run_leaf(e, lp, leaf, r);
		if ((st & TDX_STATUS_ERROR_BIT) && leaf <= TDX_EMU_MAX_LEAF)
			stat_add(&e->errors[leaf], 1);
	}
	__atomic_fetch_sub(&e->in_flight, 1, __ATOMIC_ACQ_REL);
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
