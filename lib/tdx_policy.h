/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The onlining decision: may a physical range enter the page allocator?
 * Written once; the kernel's memory notifier and tdxctl both call it.
 */
#ifndef TDX_POLICY_H
#define TDX_POLICY_H

#include "tdx_range.h"

enum tdx_state {
	TDX_STATE_UNSUPPORTED,
	TDX_STATE_UNINITIALIZED,
	TDX_STATE_INITIALIZING,
	TDX_STATE_INITIALIZED,
	TDX_STATE_FAILED,
	TDX_STATE_NR,
};

enum tdx_decision {
	TDX_DECISION_NONE,	/* no opinion: TDX absent or unusable this boot */
	TDX_DECISION_ONLINE,
	TDX_DECISION_REFUSE,
	TDX_DECISION_WAIT,	/* initialization running: decide when it ends */
};

struct tdx_policy_input {
	enum tdx_state state;
	const struct tdx_rangeset *cmrs;	/* used before initialization */
	const struct tdx_rangeset *tdx_memory;	/* used after it */
	/*
	 * Before initialization, allow memory outside the CMRs too (upstream
	 * Linux's rule); initialization then fails while it is online.
	 */
	bool any_before_init;
};

/* "unsupported", "uninitialized", ...; NULL for an out-of-range value. */
const char *tdx_state_name(enum tdx_state s);
/* Parses a state name (trailing newline allowed); -EINVAL if unknown. */
int tdx_state_parse(const char *s, enum tdx_state *out);
const char *tdx_decision_name(enum tdx_decision d);	/* "none", "online", "refuse", "wait" */

/*
 * Decide for [start, end). @reason gets a static string suitable for a log
 * line or udev property, e.g. "outside convertible memory (CMRs)".
 */
enum tdx_decision tdx_policy_decide(const struct tdx_policy_input *in,
				    u64 start, u64 end, const char **reason);

#endif /* TDX_POLICY_H */
