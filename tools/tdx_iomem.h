/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System RAM from /proc/iomem: a boot memory block may hold firmware holes
 * the kernel never put in the page allocator, so a block is judged by its
 * RAM parts only.
 */
#ifndef TDXCTL_IOMEM_H
#define TDXCTL_IOMEM_H

#include "tdx_range.h"

/*
 * $TDXCTL_PROC, else "/proc"; NULL when only TDXCTL_SYSFS is set: the
 * host's memory map says nothing about a fake sysfs tree.
 */
const char *tdx_proc_root(void);

/*
 * The "System RAM" lines of /proc/iomem text, at any nesting level (as the
 * kernel's own walk sees them), rounded inward to 4 KiB pages into @rs.
 * -EPERM when the addresses are hidden (zeroed for non-root), -EINVAL for
 * a malformed line (numbers are bare hex as the kernel prints them: no
 * sign, prefix or blank), -ENOSPC when @rs is too small; @rs is left empty
 * on error.
 */
int tdx_iomem_parse(const char *text, struct tdx_rangeset *rs);
/* Read and parse it into a heap set (tdx_rs_heap_free()); -errno. */
int tdx_iomem_load(struct tdx_rangeset *rs);

/*
 * The next part of [*pos, end) inside @ram: [*s, *e); *pos moves past it.
 * False when none is left.
 */
bool tdx_ram_next(const struct tdx_rangeset *ram, u64 *pos, u64 end,
		  u64 *s, u64 *e);

#endif /* TDXCTL_IOMEM_H */
