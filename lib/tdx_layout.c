// SPDX-License-Identifier: GPL-2.0
/*
 * TDMR layout shared by tdx_sys and tdxctl: see tdx_layout.h for the steps.
 * Nothing here allocates; a struct tdx_layout is large, so it is only ever
 * reached through pointers.
 */
#include "tdx_layout.h"
#include "tdx_memory.h"

/* 2^TDX_MAX_PA_BITS */
#define TDX_PA_LIMIT	0x10000000000000ULL

static void layout_err(struct tdx_layout_error *e, int err, const char *what,
		       u64 start, u64 end, const char *why)
{
	if (!e)
		return;
	e->err = err;
	snprintf(e->msg, sizeof(e->msg), "%s [0x%llx, 0x%llx): %s", what,
		 (unsigned long long)start, (unsigned long long)end, why);
}

static void layout_err_count(struct tdx_layout_error *e, u64 start, u64 end,
			     unsigned int needed, unsigned int allowed)
{
	if (!e)
		return;
	e->err = -ENOSPC;
	snprintf(e->msg, sizeof(e->msg),
		 "TDMR [0x%llx, 0x%llx): reserved areas exhausted (%u needed, %u allowed)",
		 (unsigned long long)start, (unsigned long long)end, needed,
		 allowed);
}

void tdx_limits_default(struct tdx_limits *lim)
{
	lim->max_tdmrs = TDX_MAX_TDMRS;
	lim->max_rsvd_per_tdmr = TDX_MAX_RSVD;
	lim->pamt_entry_size[TDX_PAMT_4K] = 16;
	lim->pamt_entry_size[TDX_PAMT_2M] = 16;
	lim->pamt_entry_size[TDX_PAMT_1G] = 16;
}

TDX_EXPORT(tdx_limits_default);

u64 tdx_pamt_level_bytes(u64 tdmr_size, enum tdx_pamt_level level,
			 unsigned int entry_size)
{
	unsigned int shift;

	switch (level) {
	case TDX_PAMT_4K:
		shift = 12;
		break;
	case TDX_PAMT_2M:
		shift = 21;
		break;
	case TDX_PAMT_1G:
		shift = 30;
		break;
	default:
		return 0;
	}
	/* Sized over the whole TDMR, reserved parts included. */
	return tdx_align_up((tdmr_size >> shift) * entry_size, TDX_SZ_4K);
}

TDX_EXPORT(tdx_pamt_level_bytes);

u64 tdx_tdmr_pamt_bytes(const struct tdx_tdmr *t)
{
	return t->pamt_size[TDX_PAMT_4K] + t->pamt_size[TDX_PAMT_2M] +
	       t->pamt_size[TDX_PAMT_1G];
}

TDX_EXPORT(tdx_tdmr_pamt_bytes);

u64 tdx_layout_pamt_bytes(const struct tdx_layout *l)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < l->nr; i++)
		sum += tdx_tdmr_pamt_bytes(&l->tdmr[i]);
	return sum;
}

TDX_EXPORT(tdx_layout_pamt_bytes);

static bool limits_valid(const struct tdx_limits *lim)
{
	unsigned int k;

	if (!lim->max_tdmrs || lim->max_tdmrs > TDX_MAX_TDMRS ||
	    lim->max_rsvd_per_tdmr > TDX_MAX_RSVD)
		return false;
	for (k = 0; k < TDX_PAMT_LEVELS; k++)
		if (!lim->pamt_entry_size[k] || lim->pamt_entry_size[k] > 4096)
			return false;
	return true;
}

/*
 * First part of [start, end) outside @set, as [*gs, *ge); false if the set
 * covers it all.
 */
static bool first_uncovered(const struct tdx_rangeset *set, u64 start,
			    u64 end, u64 *gs, u64 *ge)
{
	unsigned int i;
	u64 pos = start;

	/* Ranges ending at or before start cannot matter: skip them at once. */
	for (i = tdx_rs_first_after(set, pos); i < set->nr && pos < end; i++) {
		if (set->r[i].start > pos) {
			*gs = pos;
			*ge = set->r[i].start < end ? set->r[i].start : end;
			return true;
		}
		pos = set->r[i].end;
	}
	if (pos < end) {
		*gs = pos;
		*ge = end;
		return true;
	}
	return false;
}

/*
 * Count the holes of [start, end) outside @cmrs, widened to whole 4 KiB
 * pages (the module takes reserved areas in pages; a partial page cannot be
 * TDX memory anyway) and merged; store the first @cap of them in @out.
 */
static unsigned int cmr_holes(const struct tdx_rangeset *cmrs, u64 start,
			      u64 end, struct tdx_range *out, unsigned int cap)
{
	unsigned int n = 0;
	u64 pos = start, hs, he, next, last_end = 0;

	while (pos < end && first_uncovered(cmrs, pos, end, &hs, &he)) {
		next = he;
		hs = tdx_align_down(hs, TDX_SZ_4K);
		he = tdx_align_up(he, TDX_SZ_4K);
		if (hs < start)
			hs = start;
		if (he > end)
			he = end;
		if (n && hs <= last_end) {
			if (he > last_end)
				last_end = he;
			if (n <= cap)
				out[n - 1].end = last_end;
		} else {
			n++;
			last_end = he;
			if (n <= cap) {
				out[n - 1].start = hs;
				out[n - 1].end = he;
			}
		}
		pos = next;
	}
	return n;
}

/* Granule-aligned runs of @cover, at most @max, smallest gaps merged first. */
static void build_runs(struct tdx_layout *l, const struct tdx_rangeset *cover,
		       unsigned int max)
{
	struct tdx_tdmr *t = l->tdmr;
	unsigned int i, k, min_k;
	u64 s, e, gap, min_gap = 0;

	l->nr = 0;
	for (i = 0; i < cover->nr; i++) {
		s = tdx_align_down(cover->r[i].start, TDX_SZ_1G);
		e = tdx_align_up(cover->r[i].end, TDX_SZ_1G);
		if (l->nr && t[l->nr - 1].base + t[l->nr - 1].size >= s) {
			if (e > t[l->nr - 1].base + t[l->nr - 1].size)
				t[l->nr - 1].size = e - t[l->nr - 1].base;
			continue;
		}
		if (l->nr < max) {
			t[l->nr].base = s;
			t[l->nr].size = e - s;
			l->nr++;
			continue;
		}
		/*
		 * One run too many: close the smallest gap among those kept
		 * and the new one. Ties close the lowest gap, so the result
		 * equals sorting all gaps and merging from the smallest.
		 */
		min_k = l->nr - 1;
		for (k = 0; k + 1 < l->nr; k++) {
			gap = t[k + 1].base - (t[k].base + t[k].size);
			if (k == 0 || gap < min_gap) {
				min_gap = gap;
				min_k = k;
			}
		}
		gap = s - (t[l->nr - 1].base + t[l->nr - 1].size);
		if (l->nr == 1 || gap < min_gap) {
			t[l->nr - 1].size = e - t[l->nr - 1].base;
			continue;
		}
		t[min_k].size = t[min_k + 1].base + t[min_k + 1].size -
				t[min_k].base;
		memmove(&t[min_k + 1], &t[min_k + 2],
			(l->nr - min_k - 2) * sizeof(t[0]));
		t[l->nr - 1].base = s;
		t[l->nr - 1].size = e - s;
	}
}

int tdx_layout_build(struct tdx_layout *l, const struct tdx_rangeset *cover,
		     const struct tdx_rangeset *cmrs,
		     const struct tdx_limits *lim, struct tdx_layout_error *e)
{
	struct tdx_tdmr *t;
	unsigned int i, k, n;
	u64 gs, ge;

	if (e) {
		e->err = 0;
		e->msg[0] = '\0';
	}
	l->nr = 0;

	if (!limits_valid(lim)) {
		if (e) {
			e->err = -EINVAL;
			snprintf(e->msg, sizeof(e->msg),
				 "invalid limits (max_tdmrs %u, max_reserved_per_tdmr %u)",
				 lim->max_tdmrs, lim->max_rsvd_per_tdmr);
		}
		return -EINVAL;
	}
	if (!tdx_rs_bytes(cover)) {
		if (e) {
			e->err = -EINVAL;
			snprintf(e->msg, sizeof(e->msg), "no memory to cover");
		}
		return -EINVAL;
	}
	for (i = 0; i < cover->nr; i++) {
		if (cover->r[i].end > TDX_PA_LIMIT) {
			layout_err(e, -EINVAL, "memory", cover->r[i].start,
				   cover->r[i].end,
				   "beyond the 52-bit physical address limit");
			return -EINVAL;
		}
		if (first_uncovered(cmrs, cover->r[i].start, cover->r[i].end,
				    &gs, &ge)) {
			layout_err(e, -EINVAL, "memory", gs, ge,
				   "not convertible (outside CMRs)");
			return -EINVAL;
		}
	}

	build_runs(l, cover, lim->max_tdmrs);

	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		n = cmr_holes(cmrs, t->base, t->base + t->size, t->rsvd,
			      lim->max_rsvd_per_tdmr);
		if (n > lim->max_rsvd_per_tdmr) {
			layout_err_count(e, t->base, t->base + t->size, n,
					 lim->max_rsvd_per_tdmr);
			l->nr = 0;
			return -ENOSPC;
		}
		t->nr_rsvd = n;
		t->pamt_base = 0;
		for (k = 0; k < TDX_PAMT_LEVELS; k++)
			t->pamt_size[k] =
				tdx_pamt_level_bytes(t->size, k,
						     lim->pamt_entry_size[k]);
		t->nid = -1;
	}
	return 0;
}

TDX_EXPORT(tdx_layout_build);

/* Item @idx of TDMR @t's reserved areas followed by the PAMTs inside it. */
static bool rsvd_item(const struct tdx_layout *l, const struct tdx_tdmr *t,
		      unsigned int idx, u64 *s, u64 *e)
{
	const struct tdx_tdmr *p;
	u64 end = t->base + t->size;

	if (idx < t->nr_rsvd) {
		*s = t->rsvd[idx].start;
		*e = t->rsvd[idx].end;
		return true;
	}
	p = &l->tdmr[idx - t->nr_rsvd];
	*s = p->pamt_base > t->base ? p->pamt_base : t->base;
	*e = p->pamt_base + tdx_tdmr_pamt_bytes(p);
	if (*e > end)
		*e = end;
	return *s < *e;
}

/*
 * How many areas the union of @t's reserved areas and the PAMTs inside it
 * has once touching ones merge. Counted without storage: an item starts a
 * new area unless its start lies within (or touches) an item that starts
 * before it (ties: an earlier item).
 */
static unsigned int rsvd_needed(const struct tdx_layout *l,
				const struct tdx_tdmr *t)
{
	unsigned int nitems = t->nr_rsvd + l->nr, a, b, n = 0;
	u64 as, ae, bs, be;
	bool leader;

	for (a = 0; a < nitems; a++) {
		if (!rsvd_item(l, t, a, &as, &ae))
			continue;
		leader = true;
		for (b = 0; b < nitems && leader; b++) {
			if (b == a || !rsvd_item(l, t, b, &bs, &be))
				continue;
			if ((bs < as || (bs == as && b < a)) && be >= as)
				leader = false;
		}
		n += leader;
	}
	return n;
}

int tdx_layout_add_pamts(struct tdx_layout *l, const struct tdx_limits *lim,
			 struct tdx_layout_error *e)
{
	struct tdx_rangeset rs;
	struct tdx_tdmr *t;
	unsigned int i, j, n;
	u64 s, end;

	if (e) {
		e->err = 0;
		e->msg[0] = '\0';
	}
	if (!limits_valid(lim)) {
		if (e) {
			e->err = -EINVAL;
			snprintf(e->msg, sizeof(e->msg),
				 "invalid limits (max_tdmrs %u, max_reserved_per_tdmr %u)",
				 lim->max_tdmrs, lim->max_rsvd_per_tdmr);
		}
		return -EINVAL;
	}
	/* Check everything first so a failure changes nothing. */
	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		if (!t->pamt_base || !tdx_is_aligned(t->pamt_base, TDX_SZ_4K)) {
			layout_err(e, -EINVAL, "TDMR", t->base,
				   t->base + t->size,
				   t->pamt_base ? "PAMT not 4 KiB aligned" :
						  "PAMT not placed");
			return -EINVAL;
		}
	}
	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		n = rsvd_needed(l, t);
		if (n > lim->max_rsvd_per_tdmr) {
			layout_err_count(e, t->base, t->base + t->size, n,
					 lim->max_rsvd_per_tdmr);
			return -ENOSPC;
		}
	}
	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		rs.r = t->rsvd;
		rs.nr = t->nr_rsvd;
		rs.cap = TDX_MAX_RSVD;
		for (j = 0; j < l->nr; j++) {
			if (!rsvd_item(l, t, t->nr_rsvd + j, &s, &end))
				continue;
			/* Cannot fail: rsvd_needed() counted the result. */
			tdx_rs_add(&rs, s, end);
		}
		t->nr_rsvd = rs.nr;
	}
	return 0;
}

TDX_EXPORT(tdx_layout_add_pamts);

/* Highest free 4 KiB-aligned spot of @size in @ram within [lo, hi). */
static bool find_spot(const struct tdx_layout *l, unsigned int i,
		      const struct tdx_rangeset *ram, u64 lo, u64 hi, u64 size,
		      u64 *out)
{
	const struct tdx_tdmr *p;
	unsigned int r, j;
	u64 s, top, cand, pend;
	bool moved;

	/*
	 * Only ranges starting below hi and ending above lo can hold a spot:
	 * start at the last of them, stop below the first.
	 */
	r = hi ? tdx_rs_first_after(ram, hi - 1) : 0;
	if (r < ram->nr && ram->r[r].start < hi)
		r++;
	while (r-- > 0 && ram->r[r].end > lo) {
		s = ram->r[r].start > lo ? ram->r[r].start : lo;
		top = ram->r[r].end < hi ? ram->r[r].end : hi;
		/* A start in the last page would wrap to 0 rounded up. */
		if (s > ~0ULL - (TDX_SZ_4K - 1))
			continue;
		s = tdx_align_up(s, TDX_SZ_4K);
		/* pamt_base 0 means "not placed": never place one there. */
		if (!s)
			s = TDX_SZ_4K;
		top = tdx_align_down(top, TDX_SZ_4K);
		while (top > s && top - s >= size) {
			cand = top - size;
			moved = false;
			/* Below any earlier PAMT in the way, then try again. */
			for (j = 0; j < i; j++) {
				p = &l->tdmr[j];
				pend = p->pamt_base + tdx_tdmr_pamt_bytes(p);
				if (p->pamt_base < top && pend > cand) {
					top = tdx_align_down(p->pamt_base,
							     TDX_SZ_4K);
					moved = true;
					break;
				}
			}
			if (!moved) {
				*out = cand;
				return true;
			}
		}
	}
	return false;
}

int tdx_layout_place_pamts(struct tdx_layout *l, const struct tdx_rangeset *ram,
			   struct tdx_layout_error *e)
{
	struct tdx_tdmr *t;
	unsigned int i;
	u64 size, base;
	char why[64];

	if (e) {
		e->err = 0;
		e->msg[0] = '\0';
	}
	for (i = 0; i < l->nr; i++)
		l->tdmr[i].pamt_base = 0;
	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		size = tdx_tdmr_pamt_bytes(t);
		if (find_spot(l, i, ram, t->base, t->base + t->size, size,
			      &base) ||
		    find_spot(l, i, ram, 0, ~0ULL, size, &base)) {
			t->pamt_base = base;
			continue;
		}
		snprintf(why, sizeof(why), "no room for its PAMT (%llu KiB)",
			 (unsigned long long)(size >> 10));
		layout_err(e, -ENOMEM, "TDMR", t->base, t->base + t->size, why);
		for (i = 0; i < l->nr; i++)
			l->tdmr[i].pamt_base = 0;
		return -ENOMEM;
	}
	return 0;
}

TDX_EXPORT(tdx_layout_place_pamts);

/* Add [start, end) & @cmrs to @out. */
static int add_convertible(struct tdx_rangeset *out,
			   const struct tdx_rangeset *cmrs, u64 start, u64 end)
{
	unsigned int i;
	u64 s, e;
	int ret;

	for (i = tdx_rs_first_after(cmrs, start);
	     i < cmrs->nr && cmrs->r[i].start < end; i++) {
		s = cmrs->r[i].start > start ? cmrs->r[i].start : start;
		e = cmrs->r[i].end < end ? cmrs->r[i].end : end;
		/* Never the first MiB, whatever the CMRs say */
		ret = tdx_memory_add(out, s, e);
		if (ret)
			return ret;
	}
	return 0;
}

int tdx_layout_tdx_memory(const struct tdx_layout *l,
			  const struct tdx_rangeset *cmrs,
			  struct tdx_rangeset *out)
{
	const struct tdx_tdmr *t;
	unsigned int i, j;
	u64 pos;
	int ret = 0;

	tdx_rs_clear(out);
	for (i = 0; i < l->nr && !ret; i++) {
		t = &l->tdmr[i];
		pos = t->base;
		for (j = 0; j < t->nr_rsvd && !ret; j++) {
			if (t->rsvd[j].start > pos)
				ret = add_convertible(out, cmrs, pos,
						      t->rsvd[j].start);
			if (t->rsvd[j].end > pos)
				pos = t->rsvd[j].end;
		}
		if (!ret && pos < t->base + t->size)
			ret = add_convertible(out, cmrs, pos,
					      t->base + t->size);
	}
	if (ret)
		tdx_rs_clear(out);
	return ret;
}

TDX_EXPORT(tdx_layout_tdx_memory);

void tdx_layout_to_info(const struct tdx_layout *l, unsigned int i,
			struct tdx_tdmr_info *info)
{
	const struct tdx_tdmr *t;
	unsigned int j;

	memset(info, 0, sizeof(*info));
	if (i >= l->nr)
		return;
	t = &l->tdmr[i];
	info->base = t->base;
	info->size = t->size;
	info->pamt_4k_base = t->pamt_base;
	info->pamt_4k_size = t->pamt_size[TDX_PAMT_4K];
	info->pamt_2m_base = info->pamt_4k_base + info->pamt_4k_size;
	info->pamt_2m_size = t->pamt_size[TDX_PAMT_2M];
	info->pamt_1g_base = info->pamt_2m_base + info->pamt_2m_size;
	info->pamt_1g_size = t->pamt_size[TDX_PAMT_1G];
	for (j = 0; j < t->nr_rsvd && j < TDX_MAX_RSVD; j++) {
		info->rsvd[j].offset = t->rsvd[j].start - t->base;
		info->rsvd[j].size = t->rsvd[j].end - t->rsvd[j].start;
	}
}

TDX_EXPORT(tdx_layout_to_info);
