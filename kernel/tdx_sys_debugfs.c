// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs tdx_sys/tdmrs: the full TDMR table handed to the module, with
 * reserved areas and where each PAMT level lives, for diagnosis.
 * tdx_sys/pamt_pages: PAMT pages held, allocated and freed, for leak checks.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "tdx_sys.h"

static struct dentry *tdx_debugfs_dir;

static void tdx_show_pamt_level(struct seq_file *m, const char *name,
				u64 base, u64 size)
{
	if (!size)
		return;
	seq_printf(m, "  pamt_%s 0x%llx-0x%llx (%llu KiB) node %d\n", name,
		   base, base + size - 1, size >> 10, tdx_pamt_nid(base));
}

static int tdx_tdmrs_show(struct seq_file *m, void *v)
{
	struct tdx_tdmr_info info;
	const struct tdx_layout *l;
	unsigned int i, j;

	mutex_lock(&tdx.pub);
	l = tdx.layout;
	if (!l)
		seq_puts(m, "no TDMRs: the TDX module is not configured\n");
	for (i = 0; l && i < l->nr; i++) {
		const struct tdx_tdmr *t = &l->tdmr[i];

		tdx_layout_to_info(l, i, &info);
		seq_printf(m, "tdmr %u 0x%llx-0x%llx (%llu MiB) node %d pamt 0x%llx (%llu KiB) reserved %u\n",
			   i, t->base, t->base + t->size - 1, t->size >> 20,
			   t->nid, t->pamt_base, tdx_tdmr_pamt_bytes(t) >> 10,
			   t->nr_rsvd);
		tdx_show_pamt_level(m, "4k", info.pamt_4k_base,
				    info.pamt_4k_size);
		tdx_show_pamt_level(m, "2m", info.pamt_2m_base,
				    info.pamt_2m_size);
		tdx_show_pamt_level(m, "1g", info.pamt_1g_base,
				    info.pamt_1g_size);
		for (j = 0; j < t->nr_rsvd; j++)
			seq_printf(m, "  reserved %u 0x%llx-0x%llx (%llu KiB)\n",
				   j, t->rsvd[j].start, t->rsvd[j].end - 1,
				   (t->rsvd[j].end - t->rsvd[j].start) >> 10);
	}
	mutex_unlock(&tdx.pub);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_tdmrs);

static int tdx_pamt_pages_show(struct seq_file *m, void *v)
{
	mutex_lock(&tdx.pub);
	seq_printf(m, "allocated=%llu total_allocated=%llu total_freed=%llu\n",
		   tdx.pamt_pages_allocated - tdx.pamt_pages_freed,
		   tdx.pamt_pages_allocated,
		   tdx.pamt_pages_freed);
	mutex_unlock(&tdx.pub);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_pamt_pages);

void tdx_debugfs_init(void)
{
	/* debugfs is optional: errors only lose the diagnostics */
	tdx_debugfs_dir = debugfs_create_dir("tdx_sys", NULL);
	debugfs_create_file("tdmrs", 0400, tdx_debugfs_dir, NULL,
			    &tdx_tdmrs_fops);
	debugfs_create_file("pamt_pages", 0444, tdx_debugfs_dir, NULL,
			    &tdx_pamt_pages_fops);
}

void tdx_debugfs_exit(void)
{
	debugfs_remove_recursive(tdx_debugfs_dir);
	tdx_debugfs_dir = NULL;
}
