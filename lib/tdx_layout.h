/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDMR layout: which 1 GiB-aligned regions to hand the TDX module, their
 * reserved areas and PAMT sizes. Shared by tdx_sys (the real layout) and
 * tdxctl plan (a preview from sysfs or a memory-map file).
 *
 * Usage, in both worlds:
 *   tdx_layout_build()        TDMRs from the memory to cover, CMR holes reserved
 *   place each TDMR's PAMT    (kernel: alloc_contig_range; tdxctl: simulated)
 *   tdx_layout_add_pamts()    PAMTs inside TDMRs become reserved areas
 *   tdx_layout_tdx_memory()   what ends up as TDX memory
 */
#ifndef TDX_LAYOUT_H
#define TDX_LAYOUT_H

#include "tdx_abi.h"
#include "tdx_range.h"

enum tdx_pamt_level {
	TDX_PAMT_4K = 0,
	TDX_PAMT_2M = 1,
	TDX_PAMT_1G = 2,
	TDX_PAMT_LEVELS = 3,
};

struct tdx_limits {
	unsigned int max_tdmrs;			/* <= TDX_MAX_TDMRS */
	unsigned int max_rsvd_per_tdmr;		/* <= TDX_MAX_RSVD */
	unsigned int pamt_entry_size[TDX_PAMT_LEVELS];
};

struct tdx_tdmr {
	u64 base;
	u64 size;
	/*
	 * One physically contiguous PAMT allocation per TDMR holding the 4K,
	 * 2M and 1G levels back to back; 0 until placed.
	 */
	u64 pamt_base;
	u64 pamt_size[TDX_PAMT_LEVELS];
	unsigned int nr_rsvd;
	struct tdx_range rsvd[TDX_MAX_RSVD];	/* absolute, sorted, merged */
	int nid;	/* NUMA node of most of the covered memory, -1 unknown */
};

struct tdx_layout {
	unsigned int nr;
	struct tdx_tdmr tdmr[TDX_MAX_TDMRS];
};

#define TDX_LAYOUT_MSG_LEN 192

struct tdx_layout_error {
	int err;		/* -ENOSPC, -EINVAL, -ENOMEM, ... */
	/* "TDMR [0x0, 0x80000000): reserved areas exhausted (17 needed, 16 allowed)" */
	char msg[TDX_LAYOUT_MSG_LEN];
};

void tdx_limits_default(struct tdx_limits *lim);

/* Bytes of PAMT for one level of a TDMR of tdmr_size bytes (4 KiB rounded). */
u64 tdx_pamt_level_bytes(u64 tdmr_size, enum tdx_pamt_level level,
			 unsigned int entry_size);
/* Sum of the three levels of one TDMR (the size of its single allocation). */
u64 tdx_tdmr_pamt_bytes(const struct tdx_tdmr *t);
u64 tdx_layout_pamt_bytes(const struct tdx_layout *l);

/*
 * Build TDMRs covering @cover (which must lie inside @cmrs): 1 GiB granules
 * touched by @cover, one TDMR per run of granules; runs separated by gaps of
 * whole granules stay apart while max_tdmrs allows, the smallest gaps are
 * merged first otherwise. Reserved areas are the parts of each TDMR outside
 * @cmrs (never the finer e820 holes). PAMT sizes are filled in, pamt_base
 * left 0, nid set to -1. Returns 0 or a negative errno with @e filled.
 */
int tdx_layout_build(struct tdx_layout *l, const struct tdx_rangeset *cover,
		     const struct tdx_rangeset *cmrs,
		     const struct tdx_limits *lim, struct tdx_layout_error *e);

/*
 * After every TDMR's pamt_base is set: add each PAMT's overlap with every
 * TDMR to that TDMR's reserved areas (sorted, adjacent areas merged).
 * Fails with -ENOSPC naming the TDMR if max_rsvd_per_tdmr is exceeded.
 */
int tdx_layout_add_pamts(struct tdx_layout *l, const struct tdx_limits *lim,
			 struct tdx_layout_error *e);

/*
 * Simulated PAMT placement for previews: each PAMT at the highest 4 KiB-aligned
 * spot of @ram inside its own TDMR (else anywhere in @ram) not used by an
 * earlier PAMT, never at address 0 (pamt_base 0 is "not placed"). -ENOMEM
 * with @e filled if a PAMT does not fit.
 */
int tdx_layout_place_pamts(struct tdx_layout *l, const struct tdx_rangeset *ram,
			   struct tdx_layout_error *e);

/* TDX memory: TDMR-covered, not reserved, inside @cmrs. */
int tdx_layout_tdx_memory(const struct tdx_layout *l,
			  const struct tdx_rangeset *cmrs,
			  struct tdx_rangeset *out);

/* Fill the module's TDMR_INFO for TDMR @i (reserved offsets relative). */
void tdx_layout_to_info(const struct tdx_layout *l, unsigned int i,
			struct tdx_tdmr_info *info);

#endif /* TDX_LAYOUT_H */
