// SPDX-License-Identifier: GPL-2.0
/*
 * Gathering the policy input from sysfs and applying the configuration.
 * The decision itself is tdx_policy_decide(), shared with the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tdx_decide.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

int tdx_ctx_load(struct tdx_ctx *c)
{
	char buf[64];
	int ret;

	memset(c, 0, sizeof(*c));
	tdx_rs_init(&c->cmrs, c->cmr_buf, TDX_MAX_CMRS);
	tdx_rs_init(&c->tdx_mem, c->mem_buf, TDXCTL_MAX_TDX_RANGES);
	ret = tdx_config_load(&c->cfg);
	if (ret)
		return ret;
	ret = tdx_sysfs_read(TDX_FW_DIR "/state", buf, sizeof(buf));
	if (ret == -ENOENT && !tdx_sysfs_exists(TDX_FW_DIR)) {
		c->loaded = false;
		c->state = TDX_STATE_UNSUPPORTED;
		return 0;
	}
	if (ret < 0) {
		tdxctl_err("cannot read %s/%s/state: %s", tdx_sysfs_root(),
			   TDX_FW_DIR, strerror(-ret));
		return ret;
	}
	if (tdx_state_parse(buf, &c->state)) {
		tdxctl_err("%s/%s/state: unknown state \"%s\"",
			   tdx_sysfs_root(), TDX_FW_DIR, buf);
		return -EINVAL;
	}
	c->loaded = true;
	if (c->state == TDX_STATE_UNSUPPORTED)
		return 0;
	ret = tdx_sysfs_read_ranges("cmrs", &c->cmrs);
	if (ret)
		return ret;
	if (c->state == TDX_STATE_INITIALIZED)
		ret = tdx_sysfs_read_ranges("tdx_memory", &c->tdx_mem);
	return ret;
}

void tdx_ctx_decide(const struct tdx_ctx *c, u64 start, u64 end,
		    struct tdx_verdict *v)
{
	struct tdx_policy_input in = {
		.state = c->state,
		.cmrs = &c->cmrs,
		.tdx_memory = &c->tdx_mem,
	};

	v->online_type = tdx_zone_online_type(c->cfg.zone);
	if (!c->loaded) {
		v->decision = TDX_DECISION_NONE;
		v->reason = "tdx_sys not loaded";
		return;
	}
	v->decision = tdx_policy_decide(&in, start, end, &v->reason);
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

const char *tdx_coverage(const struct tdx_rangeset *rs, u64 start, u64 end)
{
	if (tdx_rs_contains(rs, start, end))
		return "yes";
	return tdx_rs_overlaps(rs, start, end) ? "partial" : "no";
}
