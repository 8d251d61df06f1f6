/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The onlining decision as tdxctl applies it: tdx_policy_decide() on the
 * state, CMRs and TDX memory read from /sys/firmware/tdx and tdx_sys's
 * before_init parameter, then the configuration (online_before_init,
 * zone) on top.
 */
#ifndef TDXCTL_DECIDE_H
#define TDXCTL_DECIDE_H

#include "tdx_abi.h"
#include "tdx_policy.h"
#include "tdx_config.h"

/* TDX memory is TDMRs minus reserved areas: at most 64 * 17 ranges. */
#define TDXCTL_MAX_TDX_RANGES	(TDX_MAX_TDMRS * (TDX_MAX_RSVD + 1))

struct tdx_ctx {
	bool loaded;			/* /sys/firmware/tdx exists */
	enum tdx_state state;
	struct tdx_rangeset cmrs;
	struct tdx_rangeset tdx_mem;
	struct tdx_range cmr_buf[TDX_MAX_CMRS];
	struct tdx_range mem_buf[TDXCTL_MAX_TDX_RANGES];
	/* System RAM per /proc/iomem (heap); unknown: blocks judged whole. */
	struct tdx_rangeset ram;
	bool ram_known;
	/* What tdx_sys enforces (not tdxsys.conf's: the kernel decides) */
	enum tdx_before_init before_init;
	struct tdxsys_config cfg;
};

struct tdx_verdict {
	enum tdx_decision decision;
	const char *reason;
	const char *online_type;	/* online_movable, online_kernel, online */
};

/* Which parts tdx_ctx_load_tdx() reads. */
#define TDX_CTX_NO_RAM	1	/* not /proc/iomem: blocks are judged whole */

/* An empty context: default configuration, no ranges, not loaded. */
void tdx_ctx_reset(struct tdx_ctx *c);
/*
 * Read what the policy needs from sysfs and (unless TDX_CTX_NO_RAM)
 * /proc/iomem into a reset context. A missing /sys/firmware/tdx is not an
 * error (loaded = false); an unreadable /proc/iomem leaves ram_known
 * false. Prints errors.
 */
int tdx_ctx_load_tdx(struct tdx_ctx *c, unsigned int flags);
/*
 * A new context with the configuration and tdx_ctx_load_tdx(); on failure
 * NULL, with *code the exit code (usage for a malformed configuration).
 */
struct tdx_ctx *tdx_ctx_new_flags(unsigned int flags, int *code);
/* tdx_ctx_new_flags(0, code) */
struct tdx_ctx *tdx_ctx_new(int *code);
void tdx_ctx_free(struct tdx_ctx *c);

/* The decision for all of [start, end), as the user gave it. */
void tdx_ctx_decide(const struct tdx_ctx *c, u64 start, u64 end,
		    struct tdx_verdict *v);
/*
 * The decision for a memory block: only its System RAM parts count (a
 * boot block's firmware holes never enter the page allocator). Refuse
 * beats wait beats online beats none.
 */
void tdx_ctx_decide_block(const struct tdx_ctx *c, u64 start, u64 end,
			  struct tdx_verdict *v);
/* "yes", "no", "partial": the block's RAM parts inside @rs. */
const char *tdx_block_coverage(const struct tdx_ctx *c,
			       const struct tdx_rangeset *rs, u64 start,
			       u64 end);

#endif /* TDXCTL_DECIDE_H */
