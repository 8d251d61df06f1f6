// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated module's state outlives its owner: struct tdx_emu copied to
 * another address (as memory kept across a driver reload or a kexec) and
 * taken over with tdx_emu_resume() continues where it was; a header or
 * bounds that do not fit are refused so the owner powers on fresh; power-on
 * clears the module and keeps the platform and the knobs.
 */
#include "emu_harness.h"

static struct tdx_emu *moved;
static int ctx2;

static struct tdx_emu *relocate(void)
{
	memcpy(moved, e, sizeof(*e));
	/* the old copy is gone: a stale pointer would read this */
	memset(e, 0x5A, sizeof(*e));
	return moved;
}

static void test_resume(void)
{
	struct tdx_emu *old = e;
	struct tdx_emu_regs r;

	setup();
	to_sysinit_done();
	put_tdmrs();
	((struct tdx_tdmr_info *)(mem + PA_TDMR1))->pamt_2m_size = 8192;
	TAP_EQ_U64(do_config_n(2, 40), TDX_INVALID_PAMT | TDX_DETAIL(1, 1, 0),
		   "a failed CONFIG (KeyID 40 reserved)");
	((struct tdx_tdmr_info *)(mem + PA_TDMR1))->pamt_2m_size = 16384;
	TAP_EQ_U64(do_config(), TDX_SUCCESS, "CONFIG");
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_SUCCESS, "package 0 keyed");
	tdx_emu_fault_add(e, TDH_SYS_KEY_CONFIG, TDX_KEY_GENERATION_FAILED, 1);
	e->in_flight = 3;	/* calls that were in the module at the kexec */

	e = relocate();
	want_ctx = &ctx2;
	TAP_EQ_U64(tdx_emu_resume(e, &ops, &ctx2), 0, "resume at a new address");
	TAP_OK(e->ops == &ops && e->ctx == &ctx2 && e->in_flight == 0,
	       "ops and ctx rebound, nothing in flight");
	TAP_OK(e->sys_state == TDX_EMU_SYSCONFIG_DONE && e->nr_tdmrs == 2 &&
	       tdx_emu_lps_initialized(e) == 4 && e->pkg_config_bitmap == 1 &&
	       tdx_emu_keyid_reserved(e, 40) && e->global_keyid == 32,
	       "the module state is kept");
	TAP_EQ_U64(call_on(0, TDH_SYS_INIT), TDX_SYS_INIT_NOT_PENDING,
		   "a new host's SYS.INIT: SYS_INIT_NOT_PENDING");
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING,
		   "LP.INIT: LP_INIT_NOT_PENDING (configured)");
	TAP_EQ_U64(call_on(3, TDH_SYS_KEY_CONFIG), TDX_KEY_GENERATION_FAILED,
		   "the armed fault survived too");
	TAP_EQ_U64(call_on(1, TDH_SYS_KEY_CONFIG), TDX_KEY_CONFIGURED,
		   "package 0: KEY_CONFIGURED");
	TAP_EQ_U64(call_on(3, TDH_SYS_KEY_CONFIG), TDX_SUCCESS, "package 1");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_READY, "ready");
	r = (struct tdx_emu_regs){ .rcx = 0 };
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, &r), TDX_SUCCESS,
		   "TDMR.INIT works after resume");
	TAP_EQ_U64(ctx_mismatch, 0, "every op got the new ctx");
	TAP_OK(locks_free(), "all locks released");
	moved = old;
}

static void refused(const char *what, void (*spoil)(struct tdx_emu *))
{
	struct tdx_emu *copy;

	setup();
	to_ready();
	spoil(e);
	copy = calloc(1, sizeof(*e));
	if (!copy)
		abort();
	memcpy(copy, e, sizeof(*e));
	TAP_EQ_U64(tdx_emu_resume(e, &ops, &ctx2), (u64)-EINVAL, "%s", what);
	TAP_OK(!memcmp(copy, e, sizeof(*e)), "%s: nothing changed", what);
	free(copy);
}

static void bad_magic(struct tdx_emu *x) { x->hdr.magic ^= 1; }
static void bad_version(struct tdx_emu *x) { x->hdr.version++; }
static void bad_size(struct tdx_emu *x) { x->hdr.size -= 8; }
static void bad_state(struct tdx_emu *x) { x->sys_state = 9; }
static void bad_tdmrs(struct tdx_emu *x) { x->nr_tdmrs = TDX_MAX_TDMRS + 1; }
static void bad_next(struct tdx_emu *x) { x->tdmr_next[1] = 0; }
static void bad_pkg(struct tdx_emu *x) { x->lp_pkg[2] = 8; }
static void bad_lps(struct tdx_emu *x) { x->cfg.nr_lps = TDX_EMU_MAX_LPS + 1; }
static void bad_faults(struct tdx_emu *x) { x->nr_faults = 99; }
static void bad_rate(struct tdx_emu *x) { x->transients.rate[0] = 1001; }
static void bad_keyid(struct tdx_emu *x) { x->global_keyid = 4096; }
static void zeroed(struct tdx_emu *x) { memset(x, 0, sizeof(*x)); }

static void test_refused(void)
{
	refused("foreign magic refused", bad_magic);
	refused("other layout version refused", bad_version);
	refused("other size refused", bad_size);
	refused("sys_state out of range refused", bad_state);
	refused("65 TDMRs refused", bad_tdmrs);
	refused("TDMR progress outside its TDMR refused", bad_next);
	refused("an LP's package 8 refused", bad_pkg);
	refused("too many LPs in the config refused", bad_lps);
	refused("fault count out of range refused", bad_faults);
	refused("rate above 1000 refused", bad_rate);
	refused("global KeyID out of range refused", bad_keyid);
	refused("zeroed memory refused", zeroed);
}

static void test_power_on(void)
{
	struct tdx_emu_transients t = { .seed = 5 };

	setup();
	t.rate[TDX_EMU_TR_TDMR_BUSY] = 7;
	tdx_emu_set_transients(e, &t);
	tdx_emu_fault_add(e, TDH_SYS_INIT, TDX_SYS_BUSY, 3);
	to_ready();
	e->cfg.build_num = 4242;
	tdx_emu_reset(e);
	TAP_OK(e->sys_state == TDX_EMU_SYSINIT_PENDING && !e->nr_tdmrs &&
	       !tdx_emu_lps_initialized(e) && !tdx_emu_pkgs_configured(e) &&
	       !tdx_emu_keyids_reserved(e) && !e->global_keyid &&
	       !e->calls[TDH_SYS_INIT] && !e->lp_init[0],
	       "power-on clears the module state and statistics");
	TAP_OK(e->cfg.nr_lps == 4 && e->cfg.build_num == 4242 &&
	       e->nr_faults == 1 && e->transients.rate[TDX_EMU_TR_TDMR_BUSY] == 7,
	       "power-on keeps the platform, faults and rates");
	TAP_OK(e->hdr.magic == TDX_EMU_MAGIC &&
	       e->hdr.version == TDX_EMU_LAYOUT_VERSION &&
	       e->hdr.size == sizeof(*e), "power-on writes the header");
	TAP_EQ_U64(tdx_emu_resume(e, &ops, NULL), 0, "a fresh module resumes");
	tdx_emu_init(e, &ops, NULL);
	TAP_OK(!e->nr_faults && !e->transients.rate[TDX_EMU_TR_TDMR_BUSY],
	       "init also clears the knobs");
}

int main(void)
{
	if (harness_alloc())
		return 2;
	moved = calloc(1, sizeof(*moved));
	if (!moved)
		return 2;
	test_resume();
	test_refused();
	test_power_on();
	free(moved);
	harness_free();
	return tap_done();
}
