/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory-map files (docs/memmap-format.md): e820, NUMA node and CMR lines
 * of a machine, for "tdxctl plan --memmap".
 */
#ifndef TDXCTL_MEMMAP_H
#define TDXCTL_MEMMAP_H

#include "tdx_range.h"

struct tdx_memmap_node {
	u64 start;
	u64 end;	/* exclusive */
	int nid;
};

struct tdx_memmap {
	struct tdx_rangeset usable;	/* e820 usable */
	struct tdx_rangeset node_ram;	/* union of the node lines */
	struct tdx_rangeset cmrs;	/* cmr and cmr-excl lines */
	struct tdx_rangeset ram_cmrs;	/* RAM rounded inward to 4 KiB */
	struct tdx_memmap_node *nodes;
	unsigned int nr_nodes;
	unsigned int nr_e820;		/* e820 lines of any type */
	unsigned int nr_cmr;
};

/*
 * Parse @text, the contents of @file. On error nothing is left allocated
 * and @err holds "file:line: message".
 */
int tdx_memmap_parse(const char *text, const char *file, struct tdx_memmap *m,
		     char *err, size_t errlen);
int tdx_memmap_load(const char *path, struct tdx_memmap *m, char *err,
		    size_t errlen);
void tdx_memmap_free(struct tdx_memmap *m);

/*
 * The machine's RAM: usable e820 ranges, else the node ranges, else the
 * CMRs. NULL if the file describes no memory at all.
 */
const struct tdx_rangeset *tdx_memmap_ram(const struct tdx_memmap *m);
/* The CMRs: the cmr lines, else the RAM (every e820 hole a CMR hole). */
const struct tdx_rangeset *tdx_memmap_cmrs(const struct tdx_memmap *m);
/* NUMA node of the most bytes of [start, end) per the node lines, or -1. */
int tdx_memmap_nid(const struct tdx_memmap *m, u64 start, u64 end);

#endif /* TDXCTL_MEMMAP_H */
