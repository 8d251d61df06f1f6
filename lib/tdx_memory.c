// SPDX-License-Identifier: GPL-2.0
/*
 * What counts as TDX memory (see tdx_memory.h).
 */
#include "tdx_memory.h"

bool tdx_memory_clip(u64 *start, u64 *end)
{
	u64 s = *start, e = *end;

	if (s < TDX_MEMORY_FLOOR)
		s = TDX_MEMORY_FLOOR;
	/* Rounding up must not wrap past the top of the address space. */
	if (s > ~0ULL - (TDX_SZ_4K - 1))
		return false;
	s = tdx_align_up(s, TDX_SZ_4K);
	e = tdx_align_down(e, TDX_SZ_4K);
	if (s >= e)
		return false;
	*start = s;
	*end = e;
	return true;
}

TDX_EXPORT(tdx_memory_clip);

int tdx_memory_add(struct tdx_rangeset *rs, u64 start, u64 end)
{
	if (!tdx_memory_clip(&start, &end))
		return 0;
	return tdx_rs_add(rs, start, end);
}

TDX_EXPORT(tdx_memory_add);
