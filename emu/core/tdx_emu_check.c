// SPDX-License-Identifier: GPL-2.0
/*
 * Validation rules of the emulated TDX module: the CMR list checked by
 * TDH.SYS.INIT and the TDMR_INFO rules of TDH.SYS.CONFIG, in the real
 * module's order so that a host sees the same first error.
 */
#include "tdx_emu_check.h"

#define MAX_PA		0x0010000000000000ULL	/* 2^52 */

/*
 * PAMT levels in the orders the module checks them: shapes and CMRs
 * (check_pamt_addresses, check_pamt_in_cmr) 1G, 2M, 4K; overlaps
 * (check_all_pamt_overlap, check_pamt_overlaps_available_areas) 4K, 2M, 1G.
 */
static const unsigned int shape_order[3] = { 2, 1, 0 };
static const unsigned int overlap_order[3] = { 0, 1, 2 };

static const u64 level_page[3] = { TDX_SZ_4K, TDX_SZ_2M, TDX_SZ_1G };

u64 tdx_emu_hkid_mask(unsigned int keyid_bits)
{
	if (!keyid_bits)
		return 0;
	if (keyid_bits > TDX_MAX_PA_BITS)
		keyid_bits = TDX_MAX_PA_BITS;
	return (MAX_PA - 1) & ~((1ULL << (TDX_MAX_PA_BITS - keyid_bits)) - 1);
}

bool tdx_emu_pa_range_ok(u64 pa, u64 size, u64 hkid_mask)
{
	u64 end = pa + size;

	if (end < pa || end > MAX_PA || (pa & hkid_mask))
		return false;
	return !size || !((end - 1) & hkid_mask);
}

u64 tdx_emu_check_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
		       u64 hkid_mask)
{
	u64 prev_end = 0;
	unsigned int k, used = 0;

	if (nr > TDX_MAX_CMRS)
		return TDX_CMR_LIST_INVALID;
	for (k = 0; k < nr; k++) {
		u64 base = cmrs[k].base, size = cmrs[k].size;

		if (!size)
			continue;
		if (!tdx_is_aligned(base, TDX_SZ_4K) ||
		    !tdx_is_aligned(size, TDX_SZ_4K) ||
		    !tdx_emu_pa_range_ok(base, size, hkid_mask))
			return TDX_CMR_LIST_INVALID;
		if (used && base < prev_end)
			return TDX_CMR_LIST_INVALID;
		prev_end = base + size;
		used++;
	}
	/* An all-null list passes: check_cmrs() only judges entries. */
	return TDX_SUCCESS;
}

bool tdx_emu_in_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
		     u64 start, u64 end)
{
	u64 cur = start;
	unsigned int k;

	if (start >= end)
		return true;
	for (k = 0; k < nr; k++) {
		u64 b = cmrs[k].base, e = cmrs[k].base + cmrs[k].size;

		if (!cmrs[k].size || e <= cur)
			continue;
		if (b > cur)
			return false;	/* a hole below the next CMR */
		cur = e;
		if (cur >= end)
			return true;
	}
	return false;
}

/* Number of reserved areas in use (the list ends at the first size 0). */
static unsigned int rsvd_count(const struct tdx_tdmr_info *t,
			       unsigned int max_rsvd)
{
	unsigned int j;

	for (j = 0; j < max_rsvd && j < TDX_MAX_RSVD; j++)
		if (!t->rsvd[j].size)
			break;
	return j;
}

bool tdx_emu_tdmr_reserved(const struct tdx_tdmr_info *t, unsigned int max_rsvd,
			   u64 start, u64 end)
{
	unsigned int j, n = rsvd_count(t, max_rsvd);
	u64 cur = start;

	for (j = 0; j < n && cur < end; j++) {
		u64 b = t->base + t->rsvd[j].offset;
		u64 e = b + t->rsvd[j].size;

		if (e <= cur)
			continue;
		if (b > cur)
			return false;
		cur = e;
	}
	return cur >= end;
}

/*
 * Call @fn on each available (non-reserved) part of TDMR @t until it
 * returns true; returns whether it did.
 */
typedef bool (*avail_fn)(u64 s, u64 e, const void *arg);

static bool walk_avail(const struct tdx_tdmr_info *t, unsigned int max_rsvd,
		       avail_fn fn, const void *arg)
{
	unsigned int j, n = rsvd_count(t, max_rsvd);
	u64 cur = t->base, end = t->base + t->size;

	for (j = 0; j < n; j++) {
		u64 b = t->base + t->rsvd[j].offset;

		if (b > cur && fn(cur, b, arg))
			return true;
		cur = b + t->rsvd[j].size;
	}
	return cur < end && fn(cur, end, arg);
}

static bool overlap(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 < e2 && s2 < e1;
}

static bool avail_hits(u64 s, u64 e, const void *arg)
{
	const u64 *r = arg;

	return overlap(s, e, r[0], r[1]);
}

static bool avail_overlaps(const struct tdx_tdmr_info *t, unsigned int max_rsvd,
			   u64 start, u64 end)
{
	u64 r[2] = { start, end };

	return walk_avail(t, max_rsvd, avail_hits, r);
}

static bool avail_outside_cmrs(u64 s, u64 e, const void *arg)
{
	const struct tdx_emu_check_params *p = arg;

	return !tdx_emu_in_cmrs(p->cmrs, p->nr_cmrs, s, e);
}

u64 tdx_emu_pamt_required(u64 tdmr_size, unsigned int level,
			  unsigned int entry_size)
{
	if (level > 2)
		return 0;
	return tdx_align_up(tdmr_size / level_page[level] * entry_size,
			    TDX_SZ_4K);
}

void tdx_emu_pamt_of(const struct tdx_tdmr_info *t, unsigned int level,
		     u64 *base, u64 *size)
{
	switch (level) {
	case 0:
		*base = t->pamt_4k_base;
		*size = t->pamt_4k_size;
		break;
	case 1:
		*base = t->pamt_2m_base;
		*size = t->pamt_2m_size;
		break;
	default:
		*base = t->pamt_1g_base;
		*size = t->pamt_1g_size;
		break;
	}
}

/*
 * Rule 4 (check_tdmr_reserved_areas): a null entry (size 0) may only be
 * followed by null entries, judged by the next entry's size alone and
 * reported at the null slot; a non-null entry must not overflow, must be
 * ascending and not overlap its predecessor, aligned and inside the TDMR.
 */
static u64 check_rsvd(const struct tdx_emu_check_params *p,
		      const struct tdx_tdmr_info *t, unsigned int i)
{
	unsigned int j, max = p->max_rsvd < TDX_MAX_RSVD ? p->max_rsvd :
							   TDX_MAX_RSVD;

	for (j = 0; j < max; j++) {
		u64 off = t->rsvd[j].offset, size = t->rsvd[j].size;

		if (!size) {
			if (j + 1 < max && t->rsvd[j + 1].size)
				return TDX_NON_ORDERED_RESERVED_IN_TDMR |
				       TDX_DETAIL(i, j, 0);
			continue;
		}
		if (off + size < off)
			return TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(i, j, 0);
		if (j && off < t->rsvd[j - 1].offset + t->rsvd[j - 1].size)
			return TDX_NON_ORDERED_RESERVED_IN_TDMR |
			       TDX_DETAIL(i, j, 0);
		if (!tdx_is_aligned(off, TDX_SZ_4K) ||
		    !tdx_is_aligned(size, TDX_SZ_4K) || off + size > t->size)
			return TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(i, j, 0);
	}
	return TDX_SUCCESS;
}

/* Rule 5 (check_pamt_addresses): each PAMT's shape and size. */
static u64 check_pamt_shape(const struct tdx_emu_check_params *p,
			    const struct tdx_tdmr_info *t, unsigned int i)
{
	unsigned int n, lvl;
	u64 b, s;

	for (n = 0; n < 3; n++) {
		lvl = shape_order[n];
		tdx_emu_pamt_of(t, lvl, &b, &s);
		if (!tdx_is_aligned(b, TDX_SZ_4K) ||
		    !tdx_is_aligned(s, TDX_SZ_4K) ||
		    !tdx_emu_pa_range_ok(b, s, p->hkid_mask) ||
		    s < tdx_emu_pamt_required(t->size, lvl, p->pamt_entry_size))
			return TDX_INVALID_PAMT | TDX_DETAIL(i, lvl, 0);
	}
	return TDX_SUCCESS;
}

static bool pamt_hits(const struct tdx_tdmr_info *t, unsigned int lvl,
		      const struct tdx_tdmr_info *o, unsigned int olvl)
{
	u64 b, s, ob, os;

	tdx_emu_pamt_of(t, lvl, &b, &s);
	tdx_emu_pamt_of(o, olvl, &ob, &os);
	return overlap(b, b + s, ob, ob + os);
}

/*
 * Rule 6 (check_all_pamt_overlap): for each earlier TDMR j, this TDMR's
 * PAMTs (4K, 2M, 1G) against all of j's; then its own levels against each
 * other, the lower level reported.
 */
static u64 check_pamt_pamt(const struct tdx_tdmr_info *tdmrs, unsigned int i)
{
	static const unsigned int own[3][2] = { { 0, 1 }, { 0, 2 }, { 1, 2 } };
	const struct tdx_tdmr_info *t = &tdmrs[i];
	unsigned int j, n, m, lvl;

	for (j = 0; j < i; j++) {
		for (n = 0; n < 3; n++) {
			lvl = overlap_order[n];
			for (m = 0; m < 3; m++)
				if (pamt_hits(t, lvl, &tdmrs[j], m))
					return TDX_PAMT_OVERLAP |
					       TDX_DETAIL(i, lvl, j);
		}
	}
	for (n = 0; n < 3; n++)
		if (pamt_hits(t, own[n][0], t, own[n][1]))
			return TDX_PAMT_OVERLAP | TDX_DETAIL(i, own[n][0], i);
	return TDX_SUCCESS;
}

/* PAMT @lvl of TDMR @o lies in TDMR @t's available memory. */
static bool pamt_in_avail(const struct tdx_emu_check_params *p,
			  const struct tdx_tdmr_info *t,
			  const struct tdx_tdmr_info *o, unsigned int lvl)
{
	u64 b, s;

	tdx_emu_pamt_of(o, lvl, &b, &s);
	return avail_overlaps(t, p->max_rsvd, b, b + s);
}

/*
 * Rule 7 (check_pamt_overlaps_available_areas): for j = 0..i, this TDMR's
 * PAMTs against j's available memory, then (j < i) j's PAMTs against this
 * TDMR's available memory, reported with the PAMT's owner first.
 */
static u64 check_pamt_avail(const struct tdx_emu_check_params *p,
			    const struct tdx_tdmr_info *tdmrs, unsigned int i)
{
	const struct tdx_tdmr_info *t = &tdmrs[i];
	unsigned int j, n, lvl;

	for (j = 0; j <= i; j++) {
		for (n = 0; n < 3; n++) {
			lvl = overlap_order[n];
			if (pamt_in_avail(p, &tdmrs[j], t, lvl))
				return TDX_PAMT_OVERLAP | TDX_DETAIL(i, lvl, j);
		}
		if (j == i)
			break;
		for (n = 0; n < 3; n++) {
			lvl = overlap_order[n];
			if (pamt_in_avail(p, t, &tdmrs[j], lvl))
				return TDX_PAMT_OVERLAP | TDX_DETAIL(j, lvl, i);
		}
	}
	return TDX_SUCCESS;
}

u64 tdx_emu_check_tdmr(const struct tdx_emu_check_params *p,
		       const struct tdx_tdmr_info *tdmrs, unsigned int i)
{
	const struct tdx_tdmr_info *t = &tdmrs[i];
	unsigned int n, lvl;
	u64 st, b, s;

	/* 1: overflow */
	if (t->base + t->size < t->base)
		return TDX_INVALID_TDMR | TDX_DETAIL(i, 0, 0);
	/* 2: strictly ascending, touching allowed */
	if (i && t->base < tdmrs[i - 1].base + tdmrs[i - 1].size)
		return TDX_NON_ORDERED_TDMR | TDX_DETAIL(i, 0, 0);
	/* 3: 1 GiB granular, addressable, no HKID bits */
	if (!tdx_is_aligned(t->base, TDX_SZ_1G) || !t->size ||
	    !tdx_is_aligned(t->size, TDX_SZ_1G) ||
	    !tdx_emu_pa_range_ok(t->base, t->size, p->hkid_mask))
		return TDX_INVALID_TDMR | TDX_DETAIL(i, 0, 0);
	st = check_rsvd(p, t, i);				/* 4 */
	if (st)
		return st;
	st = check_pamt_shape(p, t, i);				/* 5 */
	if (st)
		return st;
	st = check_pamt_pamt(tdmrs, i);				/* 6 */
	if (st)
		return st;
	st = check_pamt_avail(p, tdmrs, i);			/* 7 */
	if (st)
		return st;
	for (n = 0; n < 3; n++) {				/* 8 */
		lvl = shape_order[n];
		tdx_emu_pamt_of(t, lvl, &b, &s);
		if (!tdx_emu_in_cmrs(p->cmrs, p->nr_cmrs, b, b + s))
			return TDX_PAMT_OUTSIDE_CMRS | TDX_DETAIL(i, lvl, 0);
	}
	if (walk_avail(t, p->max_rsvd, avail_outside_cmrs, p))	/* 9 */
		return TDX_TDMR_OUTSIDE_CMRS | TDX_DETAIL(i, 0, 0);
	return TDX_SUCCESS;
}

u64 tdx_emu_check_tdmrs(const struct tdx_emu_check_params *p,
			const struct tdx_tdmr_info *tdmrs, unsigned int n)
{
	unsigned int i;
	u64 st;

	for (i = 0; i < n; i++) {
		st = tdx_emu_check_tdmr(p, tdmrs, i);
		if (st)
			return st;
	}
	return TDX_SUCCESS;
}
