// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: which RAM is online in the page allocator (the candidate TDX
 * memory), which of it is not convertible, and the memory notifier that
 * refuses to online ranges the TDX state does not allow.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/slab.h>

#include "tdx_memory.h"
#include "tdx_sys.h"

struct tdx_ram_walk {
	struct tdx_rangeset *rs;
	u64 block;
	int err;
};

/* The online memory blocks of one System RAM resource, as TDX memory. */
static int tdx_ram_cb(struct resource *res, void *arg)
{
	struct tdx_ram_walk *w = arg;
	u64 start = res->start, end = (u64)res->end + 1;
	u64 s, next;

	if (!tdx_memory_clip(&start, &end))
		return 0;
	for (s = start; s < end; s = next) {
		next = min(ALIGN_DOWN(s, w->block) + w->block, end);
		if (!pfn_to_online_page(PHYS_PFN(s)))
			continue;
		w->err = tdx_rs_add(w->rs, s, next);
		if (w->err)
			return w->err;
	}
	return 0;
}

/*
 * Memory in the page allocator now plus ranges approved to come online
 * (between MEM_GOING_ONLINE and MEM_ONLINE). Under tdx.lock.
 */
int tdx_online_memory(struct tdx_rangeset *out)
{
	struct tdx_ram_walk w = { .rs = out, .block = memory_block_size_bytes() };
	unsigned int i;
	int ret;

	tdx_rs_clear(out);
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &w, tdx_ram_cb);
	if (w.err)
		goto nospc;
	for (i = 0; i < tdx.inflight.nr; i++) {
		ret = tdx_memory_add(out, tdx.inflight.r[i].start,
				     tdx.inflight.r[i].end);
		if (ret) {
			w.err = ret;
			goto nospc;
		}
	}
	return 0;
nospc:
	tdx_err("online memory is too fragmented to describe (more than %u ranges): %d",
		out->cap, w.err);
	return w.err;
}

/*
 * Online memory outside the CMRs, published as nonconvertible_online.
 * Returns the number of such ranges or a negative errno. Under tdx.lock.
 */
int tdx_update_nonconvertible(void)
{
	struct tdx_range *buf;
	struct tdx_rangeset rs;
	unsigned int i;
	int ret;

	buf = kcalloc(TDX_MEM_RANGES, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	tdx_rs_init(&rs, buf, TDX_MEM_RANGES);
	ret = tdx_online_memory(&rs);
	if (ret)
		goto out;
	/* Subtract each CMR: what is left is not convertible. */
	for (i = 0; i < tdx.cmrs.nr && !ret; i++)
		ret = tdx_rs_remove(&rs, tdx.cmrs.r[i].start,
				    tdx.cmrs.r[i].end);
	if (ret) {
		tdx_err("online memory is too fragmented to check against the CMRs: %d",
			ret);
		goto out;
	}
	mutex_lock(&tdx.pub);
	ret = tdx_rs_copy(&tdx.nonconv, &rs);
	mutex_unlock(&tdx.pub);
	if (!ret)
		ret = rs.nr;
out:
	kfree(buf);
	return ret;
}

static int tdx_mem_going_online(u64 start, u64 end)
{
	struct tdx_policy_input in = {
		.cmrs = &tdx.cmrs,
		.tdx_memory = &tdx.tdx_mem,
		.any_before_init = READ_ONCE(tdx_param_any_before_init),
	};
	enum tdx_decision d;
	const char *reason = NULL;
	int ret = 0;

	mutex_lock(&tdx.lock);
	/*
	 * Initialization holds tdx.lock while it runs, so here it is either
	 * over or merely queued: a queued one has not looked at memory yet
	 * and will include what we approve now (tdx.inflight).
	 */
	in.state = tdx.state;
	if (in.state == TDX_STATE_INITIALIZING && !tdx.init_running)
		in.state = TDX_STATE_UNINITIALIZED;
	d = tdx_policy_decide(&in, start, end, &reason);
	if (d == TDX_DECISION_WAIT) {
		d = TDX_DECISION_REFUSE;
		reason = "TDX initialization in progress";
	}
	if (d != TDX_DECISION_REFUSE && tdx_rs_add(&tdx.inflight, start, end) &&
	    in.state == TDX_STATE_UNINITIALIZED) {
		/* Could not track it, so initialization could miss it */
		d = TDX_DECISION_REFUSE;
		reason = "too many memory blocks coming online at once";
	}
	if (d == TDX_DECISION_REFUSE) {
		pr_warn_ratelimited("refusing to online [mem 0x%llx-0x%llx]: %s\n",
				    start, end - 1, reason ?: "not allowed");
		ret = -EPERM;
	}
	mutex_unlock(&tdx.lock);
	return ret;
}

/*
 * Memory outside the CMRs came online (before_init=any allows it before
 * initialization) or went offline: nonconvertible_online follows. The
 * sections of a block going offline may still read as online here.
 * Under tdx.lock.
 */
static void tdx_mem_track_nonconvertible(bool offline, u64 start, u64 end)
{
	if (!tdx.cmrs.nr || tdx_rs_contains(&tdx.cmrs, start, end))
		return;
	if (tdx_update_nonconvertible() < 0 || !offline)
		return;
	mutex_lock(&tdx.pub);
	tdx_rs_remove(&tdx.nonconv, start, end);
	mutex_unlock(&tdx.pub);
}

static int tdx_mem_cb(struct notifier_block *nb, unsigned long action,
		      void *data)
{
	const struct memory_notify *mn = data;
	u64 start = PFN_PHYS(mn->start_pfn);
	u64 end = PFN_PHYS(mn->start_pfn + mn->nr_pages);

	switch (action) {
	case MEM_GOING_ONLINE:
		return notifier_from_errno(tdx_mem_going_online(start, end));
	case MEM_ONLINE:
	case MEM_CANCEL_ONLINE:
		mutex_lock(&tdx.lock);
		tdx_rs_remove(&tdx.inflight, start, end);
		if (action == MEM_ONLINE)
			tdx_mem_track_nonconvertible(false, start, end);
		mutex_unlock(&tdx.lock);
		break;
	case MEM_OFFLINE:
		mutex_lock(&tdx.lock);
		tdx_mem_track_nonconvertible(true, start, end);
		mutex_unlock(&tdx.lock);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block tdx_mem_nb = {
	.notifier_call = tdx_mem_cb,
};

int tdx_mem_notifier_register(void)
{
	return register_memory_notifier(&tdx_mem_nb);
}

void tdx_mem_notifier_unregister(void)
{
	unregister_memory_notifier(&tdx_mem_nb);
}
