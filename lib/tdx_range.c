// SPDX-License-Identifier: GPL-2.0
/*
 * Sorted, merged sets of half-open physical ranges in caller storage.
 * Every operation either succeeds or leaves the set as it was.
 */
#include "tdx_range.h"

void tdx_rs_init(struct tdx_rangeset *rs, struct tdx_range *buf,
		 unsigned int cap)
{
	rs->r = buf;
	rs->nr = 0;
	rs->cap = cap;
}

TDX_EXPORT(tdx_rs_init);

void tdx_rs_clear(struct tdx_rangeset *rs)
{
	rs->nr = 0;
}

TDX_EXPORT(tdx_rs_clear);

/*
 * Binary search: a merged set's ranges ascend with gaps between them, so
 * their ends ascend too. Keeps a set of n ranges O(log n) per lookup and
 * sorted insertion O(log n) per range (the kernel's CMRs are few, but
 * tdxctl plans for memory maps of any length).
 */
unsigned int tdx_rs_first_after(const struct tdx_rangeset *rs, u64 x)
{
	unsigned int lo = 0, hi = rs->nr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rs->r[mid].end > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

TDX_EXPORT(tdx_rs_first_after);

int tdx_rs_add(struct tdx_rangeset *rs, u64 start, u64 end)
{
	unsigned int i, j, k;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;

	/* First range that ends at or after start: it touches or follows. */
	i = start ? tdx_rs_first_after(rs, start - 1) : 0;
	/* Ranges i..j-1 touch or overlap [start, end). */
	for (j = i; j < rs->nr && rs->r[j].start <= end; j++)
		;

	if (i == j) {
		if (rs->nr >= rs->cap)
			return -ENOSPC;
		memmove(&rs->r[i + 1], &rs->r[i],
			(rs->nr - i) * sizeof(rs->r[0]));
		rs->r[i].start = start;
		rs->r[i].end = end;
		rs->nr++;
		return 0;
	}

	if (rs->r[i].start < start)
		start = rs->r[i].start;
	if (rs->r[j - 1].end > end)
		end = rs->r[j - 1].end;
	rs->r[i].start = start;
	rs->r[i].end = end;
	/* Close the gap left by the ranges absorbed into r[i]. */
	k = j - i - 1;
	if (k) {
		memmove(&rs->r[i + 1], &rs->r[j],
			(rs->nr - j) * sizeof(rs->r[0]));
		rs->nr -= k;
	}
	return 0;
}

TDX_EXPORT(tdx_rs_add);

int tdx_rs_remove(struct tdx_rangeset *rs, u64 start, u64 end)
{
	unsigned int i, j, k;
	u64 head_end, tail_start;
	bool head, tail;

	if (start > end)
		return -EINVAL;
	if (start == end)
		return 0;

	/* Ranges i..j-1 share at least one byte with [start, end). */
	i = tdx_rs_first_after(rs, start);
	for (j = i; j < rs->nr && rs->r[j].start < end; j++)
		;
	if (i == j)
		return 0;

	head = rs->r[i].start < start;
	head_end = start;
	tail = rs->r[j - 1].end > end;
	tail_start = end;

	if (i + 1 == j && head && tail) {
		/* Splitting one range in two needs one more slot. */
		if (rs->nr >= rs->cap)
			return -ENOSPC;
		memmove(&rs->r[j + 1], &rs->r[j],
			(rs->nr - j) * sizeof(rs->r[0]));
		rs->r[i + 1].start = tail_start;
		rs->r[i + 1].end = rs->r[i].end;
		rs->r[i].end = head_end;
		rs->nr++;
		return 0;
	}

	if (head) {
		rs->r[i].end = head_end;
		i++;
	}
	if (tail) {
		j--;
		rs->r[j].start = tail_start;
	}
	/* Drop the fully covered ranges i..j-1. */
	k = j - i;
	if (k) {
		memmove(&rs->r[i], &rs->r[j],
			(rs->nr - j) * sizeof(rs->r[0]));
		rs->nr -= k;
	}
	return 0;
}

TDX_EXPORT(tdx_rs_remove);

int tdx_rs_intersect(const struct tdx_rangeset *a,
		     const struct tdx_rangeset *b, struct tdx_rangeset *out)
{
	unsigned int i = 0, j = 0;
	u64 s, e;

	out->nr = 0;
	while (i < a->nr && j < b->nr) {
		s = a->r[i].start > b->r[j].start ? a->r[i].start :
						    b->r[j].start;
		e = a->r[i].end < b->r[j].end ? a->r[i].end : b->r[j].end;
		if (s < e) {
			/* Inputs are merged, so pieces never touch: append. */
			if (out->nr >= out->cap) {
				out->nr = 0;
				return -ENOSPC;
			}
			out->r[out->nr].start = s;
			out->r[out->nr].end = e;
			out->nr++;
		}
		if (a->r[i].end < b->r[j].end)
			i++;
		else
			j++;
	}
	return 0;
}

TDX_EXPORT(tdx_rs_intersect);

bool tdx_rs_contains(const struct tdx_rangeset *rs, u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return true;
	/* First range reaching end: merged sets cover it in one. */
	i = tdx_rs_first_after(rs, end - 1);
	return i < rs->nr && rs->r[i].start <= start;
}

TDX_EXPORT(tdx_rs_contains);

bool tdx_rs_overlaps(const struct tdx_rangeset *rs, u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return false;
	i = tdx_rs_first_after(rs, start);
	return i < rs->nr && rs->r[i].start < end;
}

TDX_EXPORT(tdx_rs_overlaps);

u64 tdx_rs_bytes(const struct tdx_rangeset *rs)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < rs->nr; i++)
		sum += rs->r[i].end - rs->r[i].start;
	return sum;
}

TDX_EXPORT(tdx_rs_bytes);

int tdx_rs_copy(struct tdx_rangeset *dst, const struct tdx_rangeset *src)
{
	if (dst == src)
		return 0;
	if (src->nr > dst->cap)
		return -ENOSPC;
	memmove(dst->r, src->r, src->nr * sizeof(src->r[0]));
	dst->nr = src->nr;
	return 0;
}

TDX_EXPORT(tdx_rs_copy);
