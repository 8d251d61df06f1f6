// SPDX-License-Identifier: GPL-2.0
/*
 * The onlining decision. Before initialization anything convertible may come
 * online (it can still be covered) - or anything at all, if the operator
 * chose upstream's rule; afterwards only TDX memory may, because the TDMR
 * set is fixed until reboot.
 */
#include "tdx_policy.h"

static const char * const tdx_state_names[TDX_STATE_NR] = {
	[TDX_STATE_UNSUPPORTED] = "unsupported",
	[TDX_STATE_UNINITIALIZED] = "uninitialized",
	[TDX_STATE_INITIALIZING] = "initializing",
	[TDX_STATE_INITIALIZED] = "initialized",
	[TDX_STATE_FAILED] = "failed",
};

const char *tdx_state_name(enum tdx_state s)
{
	if ((unsigned int)s >= TDX_STATE_NR)
		return NULL;
	return tdx_state_names[s];
}

TDX_EXPORT(tdx_state_name);

int tdx_state_parse(const char *s, enum tdx_state *out)
{
	size_t len, n;
	unsigned int i;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < TDX_STATE_NR; i++) {
		n = strlen(tdx_state_names[i]);
		if (n == len && !memcmp(s, tdx_state_names[i], n)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

TDX_EXPORT(tdx_state_parse);

const char *tdx_decision_name(enum tdx_decision d)
{
	switch (d) {
	case TDX_DECISION_NONE:
		return "none";
	case TDX_DECISION_ONLINE:
		return "online";
	case TDX_DECISION_REFUSE:
		return "refuse";
	case TDX_DECISION_WAIT:
		return "wait";
	}
	return NULL;
}

TDX_EXPORT(tdx_decision_name);

#define TDX_WHY_ANY_BEFORE_INIT \
	"outside convertible memory (CMRs), allowed before initialization (before_init=any): initialization fails while it is online"

static bool inside(const struct tdx_rangeset *set, u64 start, u64 end)
{
	return set && tdx_rs_contains(set, start, end);
}

enum tdx_decision tdx_policy_decide(const struct tdx_policy_input *in,
				    u64 start, u64 end, const char **reason)
{
	const char *why;
	enum tdx_decision d;

	if (start >= end) {
		d = TDX_DECISION_REFUSE;
		why = "invalid range";
		goto out;
	}
	switch (in->state) {
	case TDX_STATE_UNSUPPORTED:
		d = TDX_DECISION_NONE;
		why = "TDX not supported";
		break;
	case TDX_STATE_FAILED:
		d = TDX_DECISION_NONE;
		why = "TDX initialization failed";
		break;
	case TDX_STATE_UNINITIALIZED:
		if (inside(in->cmrs, start, end)) {
			d = TDX_DECISION_ONLINE;
			why = "inside convertible memory (CMRs)";
		} else if (in->any_before_init) {
			d = TDX_DECISION_ONLINE;
			why = TDX_WHY_ANY_BEFORE_INIT;
		} else {
			d = TDX_DECISION_REFUSE;
			why = "outside convertible memory (CMRs)";
		}
		break;
	case TDX_STATE_INITIALIZING:
		d = TDX_DECISION_WAIT;
		why = "TDX initialization in progress";
		break;
	case TDX_STATE_INITIALIZED:
		d = TDX_DECISION_REFUSE;
		if (inside(in->tdx_memory, start, end)) {
			d = TDX_DECISION_ONLINE;
			why = "inside TDX memory";
		} else if (!in->cmrs) {
			why = "outside TDX memory (not covered by TDMRs)";
		} else if (inside(in->cmrs, start, end)) {
			why = "convertible but not TDX memory: initialized with tdmr_cover=present";
		} else {
			why = "outside convertible memory (CMRs)";
		}
		break;
	default:
		/* A state this code does not know: be safe, TDX may be live. */
		d = TDX_DECISION_REFUSE;
		why = "unknown TDX state";
		break;
	}
out:
	if (reason)
		*reason = why;
	return d;
}

TDX_EXPORT(tdx_policy_decide);
