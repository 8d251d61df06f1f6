// SPDX-License-Identifier: GPL-2.0
/*
 * Gathering the policy input from sysfs and applying the configuration.
 * The decision itself is tdx_policy_decide(), shared with the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_before_init.h"
#include "tdx_decide.h"
#include "tdx_iomem.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

void tdx_ctx_reset(struct tdx_ctx *c)
{
	memset(c, 0, sizeof(*c));
	tdx_rs_init(&c->cmrs, c->cmr_buf, TDX_MAX_CMRS);
	tdx_rs_init(&c->tdx_mem, c->mem_buf, TDXCTL_MAX_TDX_RANGES);
	tdx_config_default(&c->cfg);
	c->state = TDX_STATE_UNSUPPORTED;
}

int tdx_ctx_load_tdx(struct tdx_ctx *c, unsigned int flags)
{
	bool present;
	int ret;

	if (!tdx_sysfs_exists(TDX_FW_DIR))
		return 0;
	ret = tdx_sysfs_read_state(&c->state);
	if (ret)
		return ret;
	c->loaded = true;
	if (c->state == TDX_STATE_UNSUPPORTED)
		return 0;
	ret = tdx_before_init_kernel(&c->before_init, &present);
	if (ret)
		return ret;
	ret = tdx_sysfs_read_ranges("cmrs", &c->cmrs);
	if (!ret && c->state == TDX_STATE_INITIALIZED)
		ret = tdx_sysfs_read_ranges("tdx_memory", &c->tdx_mem);
	if (ret || (flags & TDX_CTX_NO_RAM))
		return ret;
	/* Best effort: without it a block is judged as a whole. */
	c->ram_known = !tdx_iomem_load(&c->ram);
	return 0;
}

struct tdx_ctx *tdx_ctx_new_flags(unsigned int flags, int *code)
{
	struct tdx_ctx *c = malloc(sizeof(*c));
	int ret;

	if (!c) {
		tdxctl_err("out of memory");
		*code = TDXCTL_EXIT_FAIL;
		return NULL;
	}
	tdx_ctx_reset(c);
	ret = tdx_config_load(&c->cfg);
	if (!ret)
		ret = tdx_ctx_load_tdx(c, flags);
	if (ret) {
		tdx_ctx_free(c);
		*code = ret == -EINVAL ? TDXCTL_EXIT_USAGE : TDXCTL_EXIT_FAIL;
		return NULL;
	}
	*code = TDXCTL_EXIT_OK;
	return c;
}

struct tdx_ctx *tdx_ctx_new(int *code)
{
	return tdx_ctx_new_flags(0, code);
}

void tdx_ctx_free(struct tdx_ctx *c)
{
	if (!c)
		return;
	if (c->ram_known)
		tdx_rs_heap_free(&c->ram);
	free(c);
}

/*
 * The RAM parts of a block, or all of it when /proc/iomem did not tell or
 * shows no RAM there (then the whole block is what the kernel will see).
 */
static bool by_ram_parts(const struct tdx_ctx *c, u64 start, u64 end)
{
	return c->ram_known && tdx_rs_overlaps(&c->ram, start, end);
}

static int rank(enum tdx_decision d)
{
	switch (d) {
	case TDX_DECISION_REFUSE:
		return 3;
	case TDX_DECISION_WAIT:
		return 2;
	case TDX_DECISION_ONLINE:
		return 1;
	default:
		return 0;
	}
}

static void decide(const struct tdx_ctx *c, u64 start, u64 end,
		   bool ram_only, struct tdx_verdict *v)
{
	struct tdx_policy_input in = {
		.state = c->state,
		.cmrs = &c->cmrs,
		.tdx_memory = &c->tdx_mem,
		.any_before_init = c->before_init == TDX_BEFORE_INIT_ANY,
	};
	enum tdx_decision d;
	const char *why;
	u64 pos = start, s, e;
	bool first = true;

	v->online_type = tdx_zone_online_type(c->cfg.zone);
	if (!c->loaded) {
		v->decision = TDX_DECISION_NONE;
		v->reason = "tdx_sys not loaded";
		return;
	}
	if (!ram_only || !by_ram_parts(c, start, end)) {
		v->decision = tdx_policy_decide(&in, start, end, &v->reason);
	} else {
		while (tdx_ram_next(&c->ram, &pos, end, &s, &e)) {
			d = tdx_policy_decide(&in, s, e, &why);
			if (first || rank(d) > rank(v->decision)) {
				v->decision = d;
				v->reason = why;
			}
			first = false;
		}
	}
	/*
	 * online_before_init = no holds convertible memory back until the
	 * TDMRs are fixed, so initialization sees only boot memory.
	 */
	if (v->decision == TDX_DECISION_ONLINE &&
	    c->state != TDX_STATE_INITIALIZED && !c->cfg.online_before_init) {
		v->decision = TDX_DECISION_WAIT;
		v->reason = "convertible; waiting for TDX initialization (online_before_init = no)";
	}
}

void tdx_ctx_decide(const struct tdx_ctx *c, u64 start, u64 end,
		    struct tdx_verdict *v)
{
	decide(c, start, end, false, v);
}

void tdx_ctx_decide_block(const struct tdx_ctx *c, u64 start, u64 end,
			  struct tdx_verdict *v)
{
	decide(c, start, end, true, v);
}

const char *tdx_block_coverage(const struct tdx_ctx *c,
			       const struct tdx_rangeset *rs, u64 start,
			       u64 end)
{
	u64 pos = start, s, e;
	bool all, any;

	if (by_ram_parts(c, start, end)) {
		all = true;
		any = false;
		while (tdx_ram_next(&c->ram, &pos, end, &s, &e)) {
			all = all && tdx_rs_contains(rs, s, e);
			any = any || tdx_rs_overlaps(rs, s, e);
		}
	} else {
		all = tdx_rs_contains(rs, start, end);
		any = tdx_rs_overlaps(rs, start, end);
	}
	if (all)
		return "yes";
	return any ? "partial" : "no";
}
