// SPDX-License-Identifier: GPL-2.0
/*
 * The work per TDH.SYS.TDMR.INIT call is the module's choice: 4 MiB of
 * TDMR on 1.5, 16 MiB with Dynamic PAMT, less on a future module. Whatever
 * the step, a TDMR is done when RDX reaches its end, RDX only moves in whole
 * GiBs, and every PAMT entry ends up written exactly as with the default.
 */
#include "emu_harness.h"

/* TDMR.INIT on TDMR 1 ([1G, 3G)) until RDX says done; the calls made. */
static u64 init_tdmr1(u64 *bad_rdx)
{
	u64 calls = 0, st;

	*bad_rdx = 0;
	for (;;) {
		struct tdx_emu_regs r = { .rcx = G };

		st = call(TDH_SYS_TDMR_INIT, &r);
		if (st) {
			*bad_rdx = st;
			return calls;
		}
		calls++;
		if (r.rdx % G || r.rdx < G || r.rdx > 3 * G)
			*bad_rdx = r.rdx;
		if (r.rdx == 3 * G || calls > (2 * G) / K4 + 1)
			return calls;
	}
}

static void one(u64 chunk, const char *what)
{
	struct tdx_emu_verify v;
	u64 calls, bad;

	setup();
	e->cfg.tdmr_init_chunk = chunk;
	TAP_OK(!tdx_emu_config_check(&e->cfg), "%s: config accepted", what);
	to_ready();
	calls = init_tdmr1(&bad);
	TAP_EQ_U64(calls, (2 * G) / chunk, "%s: 2 GiB take %llu calls", what,
		   (unsigned long long)((2 * G) / chunk));
	TAP_EQ_U64(bad, 0, "%s: RDX only ever a GiB boundary inside the TDMR", what);
	{
		struct tdx_emu_regs r = { .rcx = G };

		TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, &r),
			   TDX_TDMR_ALREADY_INITIALIZED,
			   "%s: then ALREADY_INITIALIZED", what);
	}
	tdx_emu_verify(e, &v);
	TAP_OK(v.entries_checked && !v.entries_corrupted && !v.read_errors,
	       "%s: every PAMT entry of TDMR 1 verifies (%llu checked)", what,
	       (unsigned long long)v.entries_checked);
}

int main(void)
{
	if (harness_alloc())
		return 1;
	one(4 * M, "4 MiB (1.5)");
	one(16 * M, "16 MiB (Dynamic PAMT)");
	one(64 * 1024, "64 KiB (a slower module)");
	one(G, "1 GiB");
	setup();
	e->cfg.tdmr_init_chunk = 3 * M;
	TAP_EQ_U64(tdx_emu_config_check(&e->cfg), (u64)-EINVAL,
		   "a step that is no power of two: -EINVAL");
	e->cfg.tdmr_init_chunk = 2 * G;
	TAP_EQ_U64(tdx_emu_config_check(&e->cfg), (u64)-EINVAL,
		   "a step above 1 GiB: -EINVAL");
	harness_free();
	return tap_done();
}
