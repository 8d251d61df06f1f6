/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What counts as TDX memory: RAM the page allocator holds. Written once;
 * the kernel (online memory, nonconvertible_online, the init check,
 * tdx_memory) and tdxctl (status, lsmem, check, plan) all use it.
 */
#ifndef TDX_MEMORY_H
#define TDX_MEMORY_H

#include "tdx_range.h"

/*
 * Linux reserves the first 1 MiB at boot and never frees it to the page
 * allocator, although /proc/iomem calls parts of it System RAM; no BIOS
 * reports it as convertible (CMRs start at 1 MiB). Upstream leaves it
 * out of TDX memory too.
 */
#define TDX_MEMORY_FLOOR	0x100000ULL

/*
 * Shrink RAM [*start, *end) to what can be TDX memory: whole 4 KiB pages
 * at or above TDX_MEMORY_FLOOR. False when nothing is left.
 */
bool tdx_memory_clip(u64 *start, u64 *end);

/* tdx_rs_add() of the clipped range; 0 when nothing is left to add. */
int tdx_memory_add(struct tdx_rangeset *rs, u64 start, u64 end);

#endif /* TDX_MEMORY_H */
