// SPDX-License-Identifier: GPL-2.0
/* The onlining decision for every state and range class. */
#include <string.h>
#include "tap.h"
#include "tdx_policy.h"

#define G 0x40000000ULL

static struct tdx_range cmr_buf[4], mem_buf[4];
static struct tdx_rangeset cmrs, tdx_mem;

static enum tdx_decision decide(enum tdx_state st, u64 s, u64 e,
				const char **why)
{
	struct tdx_policy_input in = {
		.state = st, .cmrs = &cmrs, .tdx_memory = &tdx_mem,
	};

	return tdx_policy_decide(&in, s, e, why);
}

#define CHECK(st, s, e, want, reason, name) do {			\
	const char *_why = NULL;					\
	enum tdx_decision _d = decide(st, s, e, &_why);			\
	TAP_EQ_STR(tdx_decision_name(_d), tdx_decision_name(want),	\
		   name ": decision");					\
	TAP_EQ_STR(_why, reason, name ": reason");			\
} while (0)

static void test_states(void)
{
	enum tdx_state st;
	unsigned int i;
	static const char * const names[] = {
		"unsupported", "uninitialized", "initializing", "initialized",
		"failed",
	};

	for (i = 0; i < TDX_STATE_NR; i++) {
		TAP_EQ_STR(tdx_state_name(i), names[i], "state name %u", i);
		st = TDX_STATE_NR;
		TAP_OK(!tdx_state_parse(names[i], &st) && st == i,
		       "parse %s", names[i]);
	}
	TAP_OK(tdx_state_name(TDX_STATE_NR) == NULL, "state out of range");
	TAP_OK(!tdx_state_parse("initialized\n", &st) &&
	       st == TDX_STATE_INITIALIZED, "parse with trailing newline");
	TAP_EQ_U64(tdx_state_parse("initialize", &st), (u64)-EINVAL,
		   "prefix is not a state");
	TAP_EQ_U64(tdx_state_parse("initialized\n\n", &st), (u64)-EINVAL,
		   "only one newline allowed");
	TAP_EQ_U64(tdx_state_parse("", &st), (u64)-EINVAL, "empty string");
	TAP_EQ_STR(tdx_decision_name(TDX_DECISION_NONE), "none", "none");
	TAP_EQ_STR(tdx_decision_name(TDX_DECISION_ONLINE), "online", "online");
	TAP_EQ_STR(tdx_decision_name(TDX_DECISION_REFUSE), "refuse", "refuse");
	TAP_EQ_STR(tdx_decision_name(TDX_DECISION_WAIT), "wait", "wait");
}

static void test_decide(void)
{
	struct tdx_policy_input in = { .state = TDX_STATE_INITIALIZED };
	const char *why;

	/* CMRs [0,4G) [8G,16G); TDX memory only [0,4G) (tdmr_cover=present). */
	tdx_rs_init(&cmrs, cmr_buf, 4);
	tdx_rs_init(&tdx_mem, mem_buf, 4);
	tdx_rs_add(&cmrs, 0, 4 * G);
	tdx_rs_add(&cmrs, 8 * G, 16 * G);
	tdx_rs_add(&tdx_mem, 0x100000, 4 * G);

	CHECK(TDX_STATE_UNSUPPORTED, 20 * G, 21 * G, TDX_DECISION_NONE,
	      "TDX not supported", "unsupported");
	CHECK(TDX_STATE_FAILED, 20 * G, 21 * G, TDX_DECISION_NONE,
	      "TDX initialization failed", "failed");
	CHECK(TDX_STATE_UNINITIALIZED, 8 * G, 9 * G, TDX_DECISION_ONLINE,
	      "inside convertible memory (CMRs)", "uninitialized, in CMR");
	CHECK(TDX_STATE_UNINITIALIZED, 15 * G, 17 * G, TDX_DECISION_REFUSE,
	      "outside convertible memory (CMRs)",
	      "uninitialized, straddling a CMR end");
	CHECK(TDX_STATE_UNINITIALIZED, 4 * G, 5 * G, TDX_DECISION_REFUSE,
	      "outside convertible memory (CMRs)", "uninitialized, CMR hole");
	CHECK(TDX_STATE_INITIALIZING, 8 * G, 9 * G, TDX_DECISION_WAIT,
	      "TDX initialization in progress", "initializing");
	CHECK(TDX_STATE_INITIALIZED, 2 * G, 3 * G, TDX_DECISION_ONLINE,
	      "inside TDX memory", "initialized, TDX memory");
	CHECK(TDX_STATE_INITIALIZED, 8 * G, 9 * G, TDX_DECISION_REFUSE,
	      "convertible but not TDX memory: initialized with tdmr_cover=present",
	      "initialized, convertible only");
	CHECK(TDX_STATE_INITIALIZED, 0, 0x200000, TDX_DECISION_REFUSE,
	      "convertible but not TDX memory: initialized with tdmr_cover=present",
	      "initialized, partly TDX memory");
	CHECK(TDX_STATE_INITIALIZED, 20 * G, 21 * G, TDX_DECISION_REFUSE,
	      "outside convertible memory (CMRs)", "initialized, not in CMRs");
	CHECK(TDX_STATE_INITIALIZED, 3 * G, 3 * G, TDX_DECISION_REFUSE,
	      "invalid range", "empty range");
	CHECK(TDX_STATE_UNINITIALIZED, 3 * G, 2 * G, TDX_DECISION_REFUSE,
	      "invalid range", "inverted range");
	CHECK(TDX_STATE_UNSUPPORTED, 3 * G, 2 * G, TDX_DECISION_REFUSE,
	      "invalid range", "inverted range even without TDX");

	in.tdx_memory = &tdx_mem;
	TAP_EQ_U64(tdx_policy_decide(&in, 8 * G, 9 * G, &why),
		   TDX_DECISION_REFUSE, "no CMRs given: refuse");
	TAP_EQ_STR(why, "outside TDX memory (not covered by TDMRs)",
		   "no CMRs given: not covered by TDMRs");
	in.state = TDX_STATE_NR;
	TAP_EQ_U64(tdx_policy_decide(&in, 0, G, NULL), TDX_DECISION_REFUSE,
		   "unknown state refuses (NULL reason allowed)");
}

int main(void)
{
	test_states();
	test_decide();
	return tap_done();
}
