/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory blocks: /sys/devices/system/memory/memoryN.
 */
#ifndef TDXCTL_MEMBLOCK_H
#define TDXCTL_MEMBLOCK_H

#include "tdx_range.h"

struct tdx_memblock {
	unsigned long id;
	u64 start;
	u64 end;		/* exclusive */
	char state[24];		/* online, offline, going-offline */
	char zones[64];		/* valid_zones */
	int node;		/* -1 if unknown */
	bool removable;
};

/* Which attributes tdx_memblock_read() fills besides id, range and state. */
#define TDX_MB_DETAILS	1	/* zones, node, removable */

int tdx_memblock_size(u64 *bytes);
/* block_size_bytes' text: hex without a prefix, not 0. */
int tdx_parse_block_size(const char *s, u64 *bytes);
/* "12" or "memory12". */
int tdx_memblock_parse_name(const char *arg, unsigned long *id);
/* Block @id's range; -ERANGE beyond the address space. */
int tdx_memblock_range(unsigned long id, u64 block_size, u64 *start,
		       u64 *end);
int tdx_memblock_read(unsigned long id, u64 block_size, unsigned int flags,
		      struct tdx_memblock *mb);
struct tdx_memblocks {
	struct tdx_memblock *b;		/* sorted by id */
	size_t nr;
	u64 block_size;
};

/* Every block; tdx_memblock_list_free() afterwards. Prints errors. */
int tdx_memblock_list(unsigned int flags, struct tdx_memblocks *l);
void tdx_memblock_list_free(struct tdx_memblocks *l);
static inline bool tdx_memblock_online(const struct tdx_memblock *mb)
{
	return !strcmp(mb->state, "online");
}

/*
 * Write @type to the block's state. Another agent (the kernel's
 * auto-online, a udev rule) may online it at the same moment: a failed
 * write with the block now online is success, with *raced set.
 */
int tdx_memblock_set_online(struct tdx_memblock *mb, const char *type,
			    bool *raced);

#endif /* TDXCTL_MEMBLOCK_H */
