// SPDX-License-Identifier: GPL-2.0
/*
 * PAMT is private memory from TDH.SYS.CONFIG on: the real module writes it
 * with its private KeyID, and a host access with KeyID 0 reads garbage or,
 * on partial-write erratum CPUs, poisons the line. The emulator makes that
 * physical: the PAMT pages leave the kernel's direct map, so a host that
 * touches them faults, and the module writes them through an alias of its
 * own (vmap), as the real one does through its own mappings in SEAM.
 *
 * The switch happens in a worker right after CONFIG succeeds (SEAMCALLs run
 * with interrupts off and cannot sleep): it maps the alias, waits until no
 * SEAMCALL can still be using the direct map (synchronize_rcu() covers
 * interrupts-off sections), then clears the direct map's present bits and
 * flushes every TLB. A platform reset maps the pages back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <asm/pgtable.h>
#include <asm/set_memory.h>
#include <asm/tlbflush.h>

#include "tdx_emu.h"
#include "tdx_emu_check.h"

struct emu_private {
	u64 pa, size;		/* page-aligned physical range */
	void *alias;		/* the module's own mapping */
	unsigned long unmapped;	/* bytes taken out of the direct map */
};

static struct emu_private emu_priv[TDX_MAX_TDMRS * 3];	/* per PAMT level */
static unsigned int emu_nr_priv;	/* published with release */
static DEFINE_MUTEX(emu_priv_lock);	/* the worker against a reset */

static void emu_private_fn(struct work_struct *w);
static DECLARE_WORK(emu_private_work, emu_private_fn);

/* For emu_access(): the alias of @pa when it is private, else NULL. */
void *tdx_emu_private_va(u64 pa)
{
	/* Pairs with the release in emu_private_fn(): entries are complete */
	unsigned int i, n = smp_load_acquire(&emu_nr_priv);

	for (i = 0; i < n; i++)
		if (pa >= emu_priv[i].pa && pa < emu_priv[i].pa + emu_priv[i].size)
			return emu_priv[i].alias + (pa - emu_priv[i].pa);
	return NULL;
}

static void emu_flush_tlb_one(void *unused)
{
	__flush_tlb_all();
}

/*
 * Clear (or set) the present bit of the direct map for [va, va + size):
 * 4 KiB entries, and large ones the range covers whole. Returns the bytes
 * changed; the rest stays as it was (and is reported).
 */
static unsigned long emu_direct_map(unsigned long va, unsigned long size,
				    bool present)
{
	unsigned long end = va + size, done = 0, step;
	unsigned int level;
	pte_t *pte;

	while (va < end) {
		pte = lookup_address(va, &level);
		step = level == PG_LEVEL_4K ? PAGE_SIZE :
		       level == PG_LEVEL_2M ? PMD_SIZE : PUD_SIZE;
		if (!pte || !IS_ALIGNED(va, step) || va + step > end) {
			va = ALIGN_DOWN(va, step) + step;
			continue;
		}
		if (level == PG_LEVEL_4K)
			set_pte(pte, present ? pte_set_flags(*pte, _PAGE_PRESENT) :
				      pte_clear_flags(*pte, _PAGE_PRESENT));
		else if (level == PG_LEVEL_2M)
			set_pmd((pmd_t *)pte,
				present ? pmd_set_flags(*(pmd_t *)pte, _PAGE_PRESENT) :
					  pmd_clear_flags(*(pmd_t *)pte, _PAGE_PRESENT));
		else
			set_pud((pud_t *)pte,
				present ? pud_set_flags(*(pud_t *)pte, _PAGE_PRESENT) :
					  pud_clear_flags(*(pud_t *)pte, _PAGE_PRESENT));
		done += step;
		va += step;
	}
	return done;
}

static void *emu_alias(u64 pa, u64 size)
{
	unsigned long i, n = size >> PAGE_SHIFT;
	struct page **pages;
	void *va;

	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(PHYS_PFN(pa) + i);
	va = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	return va;
}

/* The PAMT ranges of the configured TDMRs: each level on its own. */
static unsigned int emu_pamt_ranges(struct emu_private *out)
{
	const struct tdx_emu *e = &tdx_emu_plat.emu;
	unsigned int i, lvl, n = 0;
	u64 b, s;

	for (i = 0; i < READ_ONCE(e->nr_tdmrs) && i < TDX_MAX_TDMRS; i++) {
		for (lvl = 0; lvl < 3; lvl++) {
			tdx_emu_pamt_of(&e->tdmrs[i], lvl, &b, &s);
			if (!s)
				continue;
			out[n].pa = ALIGN_DOWN(b, PAGE_SIZE);
			out[n].size = ALIGN(b + s, PAGE_SIZE) - out[n].pa;
			n++;
		}
	}
	return n;
}

static void emu_private_fn(struct work_struct *w)
{
	static struct emu_private r[TDX_MAX_TDMRS * 3];
	unsigned long unmapped = 0, total = 0;
	unsigned int i, n;

	mutex_lock(&emu_priv_lock);
	if (emu_nr_priv || READ_ONCE(tdx_emu_plat.emu.sys_state) <
			   TDX_EMU_SYSCONFIG_DONE)
		goto out;
	n = emu_pamt_ranges(r);
	for (i = 0; i < n; i++) {
		r[i].alias = emu_alias(r[i].pa, r[i].size);
		if (!r[i].alias) {
			pr_warn("no alias for PAMT [0x%llx, 0x%llx): left in the direct map\n",
				r[i].pa, r[i].pa + r[i].size);
			n = i;
			break;
		}
		emu_priv[i] = r[i];
	}
	/* Entries complete before any SEAMCALL can see the count */
	smp_store_release(&emu_nr_priv, n);
	/* No SEAMCALL still writes the PAMT through the direct map */
	synchronize_rcu();
	for (i = 0; i < n; i++) {
		unsigned long va = (unsigned long)__va(emu_priv[i].pa);

		/* Split large pages the PAMT shares, so all of it can go */
		if (!set_memory_uc(va, emu_priv[i].size >> PAGE_SHIFT))
			set_memory_wb(va, emu_priv[i].size >> PAGE_SHIFT);
		emu_priv[i].unmapped = emu_direct_map(va, emu_priv[i].size,
						      false);
		unmapped += emu_priv[i].unmapped;
		total += emu_priv[i].size;
	}
	on_each_cpu(emu_flush_tlb_one, NULL, 1);
	atomic64_set(&tdx_emu_cpu_stats.private_bytes, total);
	atomic64_set(&tdx_emu_cpu_stats.private_unmapped, unmapped);
	pr_info("PAMT private: %lu KiB out of the host's direct map (%lu KiB could not be)\n",
		unmapped >> 10, (total - unmapped) >> 10);
out:
	mutex_unlock(&emu_priv_lock);
}

/* TDH.SYS.CONFIG succeeded (interrupts off): the PAMT becomes private. */
void tdx_emu_private_configured(void)
{
	queue_work(system_unbound_wq, &emu_private_work);
}

/* A platform reset: the PAMT is ordinary memory again. */
void tdx_emu_private_reset(void)
{
	unsigned int i, n;

	flush_work(&emu_private_work);
	mutex_lock(&emu_priv_lock);
	n = emu_nr_priv;
	for (i = 0; i < n; i++)
		emu_direct_map((unsigned long)__va(emu_priv[i].pa),
			       emu_priv[i].size, true);
	if (n)
		on_each_cpu(emu_flush_tlb_one, NULL, 1);
	/* Back to the direct map before the aliases go */
	smp_store_release(&emu_nr_priv, 0);
	synchronize_rcu();
	for (i = 0; i < n; i++) {
		vunmap(emu_priv[i].alias);
		memset(&emu_priv[i], 0, sizeof(emu_priv[i]));
	}
	atomic64_set(&tdx_emu_cpu_stats.private_bytes, 0);
	atomic64_set(&tdx_emu_cpu_stats.private_unmapped, 0);
	mutex_unlock(&emu_priv_lock);
}

/*
 * Whether the host still reaches PAMT through the direct map: a read that
 * tolerates the fault, on the first page of each private range.
 */
unsigned int tdx_emu_private_reachable(void)
{
	/* Pairs with the release in emu_private_fn() */
	unsigned int i, n = smp_load_acquire(&emu_nr_priv), reach = 0;
	u64 v;

	for (i = 0; i < n; i++)
		if (emu_priv[i].unmapped &&
		    !copy_from_kernel_nofault(&v, __va(emu_priv[i].pa),
					      sizeof(v)))
			reach++;
	return reach;
}
