/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of physical address ranges. Ranges are half-open [start, end).
 * A set is kept sorted, with overlapping and touching ranges merged.
 * Storage is supplied by the caller, so nothing here allocates.
 */
#ifndef TDX_RANGE_H
#define TDX_RANGE_H

#include "tdx_compat.h"

struct tdx_range {
	u64 start;
	u64 end;	/* exclusive */
};

struct tdx_rangeset {
	struct tdx_range *r;
	unsigned int nr;
	unsigned int cap;
};

void tdx_rs_init(struct tdx_rangeset *rs, struct tdx_range *buf,
		 unsigned int cap);
void tdx_rs_clear(struct tdx_rangeset *rs);
/* Union in [start, end); -ENOSPC if out of room (set unchanged), -EINVAL if start > end. */
int tdx_rs_add(struct tdx_rangeset *rs, u64 start, u64 end);
/* Remove [start, end) from the set; -ENOSPC if a split needs room (set unchanged). */
int tdx_rs_remove(struct tdx_rangeset *rs, u64 start, u64 end);
/* out = a & b; out must not alias a or b. */
int tdx_rs_intersect(const struct tdx_rangeset *a,
		     const struct tdx_rangeset *b, struct tdx_rangeset *out);
/* True if [start, end) is entirely covered by the set (empty range: true). */
bool tdx_rs_contains(const struct tdx_rangeset *rs, u64 start, u64 end);
/* True if [start, end) shares at least one byte with the set. */
bool tdx_rs_overlaps(const struct tdx_rangeset *rs, u64 start, u64 end);
/* Index of the first range ending after @x (end > @x), or rs->nr. */
unsigned int tdx_rs_first_after(const struct tdx_rangeset *rs, u64 x);
u64 tdx_rs_bytes(const struct tdx_rangeset *rs);
int tdx_rs_copy(struct tdx_rangeset *dst, const struct tdx_rangeset *src);

#endif /* TDX_RANGE_H */
