// SPDX-License-Identifier: GPL-2.0
/*
 * PAMT placement: one physically contiguous allocation per TDMR, taken from
 * online convertible RAM with alloc_contig_range(), on the TDMR's own NUMA
 * node when memory allows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sched.h>

#include "tdx_sys.h"

int tdx_pamt_nid(u64 pa)
{
	struct page *pg = pfn_to_online_page(PHYS_PFN(pa));

	return pg ? page_to_nid(pg) : NUMA_NO_NODE;
}

/* The node holding most of the TDMR's online RAM. */
static int tdx_tdmr_nid(const struct tdx_tdmr *t, const struct tdx_rangeset *ram)
{
	u64 best_bytes = 0;
	int nid, best = NUMA_NO_NODE;

	for_each_online_node(nid) {
		u64 ns = PFN_PHYS(node_start_pfn(nid));
		u64 ne = PFN_PHYS(node_end_pfn(nid));
		u64 bytes = 0;
		unsigned int i;

		for (i = 0; i < ram->nr; i++) {
			u64 s = max3(ram->r[i].start, ns, t->base);
			u64 e = min3(ram->r[i].end, ne, t->base + t->size);

			if (s < e)
				bytes += e - s;
		}
		if (bytes > best_bytes) {
			best_bytes = bytes;
			best = nid;
		}
	}
	return best;
}

/* Online, one non-movable zone, on @nid (unless NUMA_NO_NODE). */
static bool tdx_pamt_window_ok(u64 base, u64 size, int nid)
{
	u64 block = memory_block_size_bytes();
	unsigned long spfn = PHYS_PFN(base), epfn = PHYS_PFN(base + size);
	struct page *first = pfn_to_online_page(spfn);
	struct page *last = pfn_to_online_page(epfn - 1);
	struct zone *z;
	u64 pa;

	if (!first || !last)
		return false;
	z = page_zone(first);
	if (z != page_zone(last) || zone_idx(z) == ZONE_MOVABLE ||
	    spfn < z->zone_start_pfn || epfn > zone_end_pfn(z))
		return false;
	if (nid != NUMA_NO_NODE &&
	    (page_to_nid(first) != nid || page_to_nid(last) != nid))
		return false;
	for (pa = ALIGN_DOWN(base, block); pa < base + size; pa += block)
		if (!pfn_to_online_page(PHYS_PFN(max(pa, base))))
			return false;
	return true;
}

static bool tdx_pamt_overlaps_placed(const struct tdx_layout *l,
				     unsigned int idx, u64 base, u64 size)
{
	unsigned int j;

	for (j = 0; j < idx; j++) {
		const struct tdx_tdmr *o = &l->tdmr[j];
		u64 osize = tdx_tdmr_pamt_bytes(o);

		if (o->pamt_base && base < o->pamt_base + osize &&
		    o->pamt_base < base + size)
			return true;
	}
	return false;
}

/* Leak checks compare these with MemFree: count exactly what succeeded. */
static void tdx_pamt_account(u64 pages, bool alloc)
{
	mutex_lock(&tdx.pub);
	if (alloc)
		tdx.pamt_pages_allocated += pages;
	else
		tdx.pamt_pages_freed += pages;
	mutex_unlock(&tdx.pub);
}

static bool tdx_pamt_take(struct tdx_tdmr *t, u64 base, u64 size)
{
	if (alloc_contig_range(PHYS_PFN(base), PHYS_PFN(base + size),
			       MIGRATE_MOVABLE, GFP_KERNEL | __GFP_NOWARN))
		return false;
	tdx_pamt_account(size >> PAGE_SHIFT, true);
	t->pamt_base = base;
	return true;
}

/*
 * Top-down over @ram, every pageblock-aligned window: no cap on attempts,
 * so this fails only where a search of the whole node would. Unusable
 * windows (offline, ZONE_MOVABLE, other node) are cheap to skip; an
 * alloc_contig_range() that meets an unmovable page fails fast.
 */
static int tdx_pamt_try(struct tdx_layout *l, unsigned int idx,
			const struct tdx_rangeset *ram, int nid)
{
	struct tdx_tdmr *t = &l->tdmr[idx];
	u64 size = tdx_tdmr_pamt_bytes(t);
	u64 align = (u64)pageblock_nr_pages << PAGE_SHIFT;
	u64 step = align;
	int i;

	for (i = ram->nr - 1; i >= 0; i--) {
		const struct tdx_range *r = &ram->r[i];
		u64 base;

		if (r->end - r->start < size)
			continue;
		for (base = ALIGN_DOWN(r->end - size, align);
		     base >= r->start && base + size <= r->end;
		     base -= step) {
			if (!tdx_pamt_overlaps_placed(l, idx, base, size) &&
			    tdx_pamt_window_ok(base, size, nid) &&
			    tdx_pamt_take(t, base, size))
				return 0;
			cond_resched();
			if (base < step)
				break;
		}
	}
	return -ENOMEM;
}

static void tdx_pamt_free_one(struct tdx_tdmr *t)
{
	unsigned long pages = tdx_tdmr_pamt_bytes(t) >> PAGE_SHIFT;

	if (!t->pamt_base)
		return;
	free_contig_range(PHYS_PFN(t->pamt_base), pages);
	tdx_pamt_account(pages, false);
	t->pamt_base = 0;
}

void tdx_pamt_free_all(struct tdx_layout *l)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++)
		tdx_pamt_free_one(&l->tdmr[i]);
}

/*
 * Place every TDMR's PAMT in @ram (online convertible memory). On failure
 * nothing stays allocated and tdx.error says which TDMR did not fit.
 */
int tdx_pamt_alloc_all(struct tdx_layout *l, const struct tdx_rangeset *ram)
{
	unsigned int i;

	for (i = 0; i < l->nr; i++) {
		struct tdx_tdmr *t = &l->tdmr[i];
		u64 size = tdx_tdmr_pamt_bytes(t);

		t->pamt_base = 0;
		t->nid = tdx_tdmr_nid(t, ram);
		if (!IS_ALIGNED(size, PAGE_SIZE) || !size) {
			tdx_err("TDMR %u [0x%llx-0x%llx]: invalid PAMT size %llu",
				i, t->base, t->base + t->size - 1, size);
			goto fail;
		}
		if (t->nid != NUMA_NO_NODE &&
		    !tdx_pamt_try(l, i, ram, t->nid))
			continue;
		if (!tdx_pamt_try(l, i, ram, NUMA_NO_NODE)) {
			if (t->nid != NUMA_NO_NODE)
				pr_info("TDMR %u: PAMT placed off its node %d (node %d)\n",
					i, t->nid, tdx_pamt_nid(t->pamt_base));
			continue;
		}
		tdx_err("cannot allocate %llu KiB of physically contiguous memory for the PAMT of TDMR %u [0x%llx-0x%llx]: memory too fragmented or too little free; free some memory and retry",
			size >> 10, i, t->base, t->base + t->size - 1);
		goto fail;
	}
	return 0;
fail:
	tdx_pamt_free_all(l);
	return -ENOMEM;
}
