// SPDX-License-Identifier: GPL-2.0
/*
 * Transient failures that happen on their own: each kind at the point the
 * real module meets it, with its exact status, leaving the module state as
 * it was; a deterministic sequence per seed; and the whole initialization
 * sequence driven by a retrying host hundreds of times under such rates,
 * always ending in the same initialized module.
 */
#include "emu_harness.h"
#include "tdx_emu_transient.h"

static void rates(unsigned int rnd, unsigned int keygen, unsigned int keybusy,
		  unsigned int sysbusy, unsigned int tdmrbusy, u64 seed)
{
	struct tdx_emu_transients t = { .seed = seed };

	t.rate[TDX_EMU_TR_RND_NO_ENTROPY] = rnd;
	t.rate[TDX_EMU_TR_KEY_GEN_FAILED] = keygen;
	t.rate[TDX_EMU_TR_KEY_BUSY] = keybusy;
	t.rate[TDX_EMU_TR_SYS_BUSY] = sysbusy;
	t.rate[TDX_EMU_TR_TDMR_BUSY] = tdmrbusy;
	if (tdx_emu_set_transients(e, &t))
		abort();
}

/* The module state a host can observe change; statistics excluded. */
struct snap {
	u32 state, lps, pkgs, bitmap, nr_tdmrs;
	u8 lp_init[4];
	u16 global_keyid;
	u8 reserved[TDX_MODULE_MAX_HKIDS / 8];
	u64 next[2];
};

static void take(struct snap *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->state = e->sys_state;
	s->lps = e->num_init_lps;
	s->pkgs = e->num_init_pkgs;
	s->bitmap = e->pkg_config_bitmap;
	s->nr_tdmrs = e->nr_tdmrs;
	for (i = 0; i < 4; i++)
		s->lp_init[i] = e->lp_init[i];
	s->global_keyid = e->global_keyid;
	memcpy(s->reserved, e->keyid_reserved, sizeof(s->reserved));
	s->next[0] = e->tdmr_next[0];
	s->next[1] = e->tdmr_next[1];
}

static void test_each_kind(void)
{
	struct tdx_emu_regs r;
	struct snap a, b;

	setup();
	rates(1000, 0, 0, 0, 0, 1);
	take(&a);
	TAP_EQ_U64(call_on(0, TDH_SYS_INIT), TDX_RND_NO_ENTROPY,
		   "rnd_no_entropy: SYS.INIT -> TDX_RND_NO_ENTROPY");
	take(&b);
	TAP_OK(!memcmp(&a, &b, sizeof(a)), "... state as before (PENDING)");
	e->cfg.cmrs[1].base = 2 * G;
	TAP_EQ_U64(call_on(0, TDH_SYS_INIT), TDX_CMR_LIST_INVALID,
		   "... drawn after the platform checks (bad CMRs win)");
	e->cfg.cmrs[1].base = 8 * G;
	rates(0, 0, 0, 0, 0, 1);
	TAP_EQ_U64(call_on(0, TDH_SYS_INIT), TDX_SUCCESS, "retry succeeds");
	rates(1000, 0, 0, 0, 0, 1);
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_RND_NO_ENTROPY,
		   "rnd_no_entropy: LP.INIT -> TDX_RND_NO_ENTROPY");
	TAP_OK(!e->lp_init[1] && !e->num_init_lps, "... LP not initialized");
	TAP_EQ_U64(call_on(1, TDH_SYS_INIT), TDX_SYS_INIT_NOT_PENDING,
		   "... no draw for a call failing earlier");
	rates(0, 0, 0, 1000, 0, 1);
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SYS_BUSY,
		   "sys_busy: LP.INIT -> TDX_SYS_BUSY");
	rates(0, 0, 0, 0, 0, 1);
	to_sysinit_done();
	rates(0, 0, 0, 1000, 0, 1);
	r = (struct tdx_emu_regs){ .rcx = PA_INFO, .rdx = 1024, .r8 = PA_CMRS,
				   .r9 = 32 };
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SUCCESS,
		   "sys_busy: INFO takes no lock, never busy");
	r = (struct tdx_emu_regs){ .rdx = TDX_FID_MAJOR_VERSION };
	TAP_EQ_U64(call(TDH_SYS_RD, &r), TDX_SUCCESS,
		   "sys_busy: RD takes no lock, never busy");
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), TDX_SYS_BUSY,
		   "sys_busy: UPDATE -> TDX_SYS_BUSY");
	put_tdmrs();
	take(&a);
	TAP_EQ_U64(do_config(), TDX_SYS_BUSY, "sys_busy: CONFIG -> TDX_SYS_BUSY");
	take(&b);
	TAP_OK(!memcmp(&a, &b, sizeof(a)), "... no KeyID reserved, nothing moved");
	rates(0, 0, 0, 0, 0, 1);
	TAP_EQ_U64(do_config(), TDX_SUCCESS, "CONFIG retry succeeds");
	rates(0, 0, 0, 1000, 0, 1);
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_SYS_BUSY,
		   "sys_busy: KEY.CONFIG -> TDX_SYS_BUSY");
	rates(0, 0, 1000, 0, 0, 1);
	take(&a);
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), 0x80000200000000BBULL,
		   "key_busy: KEY.CONFIG -> OPERAND_BUSY | 187");
	take(&b);
	TAP_OK(!memcmp(&a, &b, sizeof(a)), "... the package stays unconfigured");
	rates(0, 1000, 0, 0, 0, 1);
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), 0x8000080000000000ULL,
		   "key_generation_failed: KEY.CONFIG -> KEY_GENERATION_FAILED");
	TAP_EQ_U64(e->pkg_config_bitmap, 0, "... the package stays unconfigured");
	rates(0, 0, 0, 0, 0, 1);
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_SUCCESS,
		   "KEY.CONFIG retry succeeds");
	rates(0, 1000, 1000, 0, 0, 1);
	TAP_EQ_U64(call_on(1, TDH_SYS_KEY_CONFIG), TDX_KEY_CONFIGURED,
		   "a configured package is KEY_CONFIGURED before any draw");
	rates(0, 0, 0, 0, 0, 1);
	TAP_EQ_U64(call_on(2, TDH_SYS_KEY_CONFIG), TDX_SUCCESS, "package 1");
	rates(0, 0, 0, 0, 1000, 1);
	r = (struct tdx_emu_regs){ .rcx = G };
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, &r), 0x8000020000000001ULL,
		   "tdmr_busy: TDMR.INIT -> OPERAND_BUSY | RCX");
	TAP_OK(!r.rdx && e->tdmr_next[1] == G, "... RDX 0, no progress");
	rates(0, 0, 0, 1000, 0, 1);
	r = (struct tdx_emu_regs){ .rcx = 0 };
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), TDX_SYS_BUSY,
		   "sys_busy: SHUTDOWN -> TDX_SYS_BUSY");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_READY, "... still ready");
	TAP_OK(locks_free(), "all locks released");
}

static void test_sequence_rules(void)
{
	struct tdx_emu_transients t = { .seed = 7 };
	u64 fired, draws;
	unsigned int i, same = 1, a[64], b[64];

	setup();
	t.rate[TDX_EMU_TR_SYS_BUSY] = 1001;
	TAP_EQ_U64(tdx_emu_set_transients(e, &t), (u64)-EINVAL,
		   "a rate above 1000 refused");
	TAP_EQ_U64(e->transients.rate[TDX_EMU_TR_SYS_BUSY], 0,
		   "... nothing changed");
	for (i = 0; i < 100; i++)
		call(TDH_SYS_UPDATE, NULL);
	TAP_EQ_U64(e->draws, 0, "rate 0: no draw taken");
	rates(0, 0, 0, 100, 0, 42);
	for (i = 0; i < 10000; i++)
		tdx_emu_transient_due(e, TDX_EMU_TR_SYS_BUSY);
	fired = e->transients_fired[TDX_EMU_TR_SYS_BUSY];
	TAP_OK(fired > 900 && fired < 1100,
	       "100 per mille: %llu of 10000 draws fire",
	       (unsigned long long)fired);
	rates(0, 0, 0, 500, 0, 42);
	for (i = 0; i < 64; i++)
		a[i] = tdx_emu_transient_due(e, TDX_EMU_TR_SYS_BUSY);
	rates(0, 0, 0, 500, 0, 42);
	for (i = 0; i < 64; i++)
		b[i] = tdx_emu_transient_due(e, TDX_EMU_TR_SYS_BUSY);
	TAP_OK(!memcmp(a, b, sizeof(a)), "same seed: same outcomes");
	rates(0, 0, 0, 500, 0, 43);
	for (i = 0; i < 64; i++)
		same &= a[i] == (unsigned int)tdx_emu_transient_due(e,
						TDX_EMU_TR_SYS_BUSY);
	TAP_OK(!same, "another seed: other outcomes");
	draws = e->draws;
	tdx_emu_reset(e);
	TAP_OK(draws == 64 && e->draws == 0 &&
	       e->transients.rate[TDX_EMU_TR_SYS_BUSY] == 500 &&
	       e->transients.seed == 43 && !e->transients_fired[3],
	       "power-on keeps the rates, restarts the sequence");
	rates(0, 0, 0, 1000, 0, 1);
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_BUSY, "rate 1000: always");
	TAP_OK(locks_free(), "all locks released");
}

/* A host: retry what the module calls retryable, on the same CPU. */
static unsigned int wrong_status, moved, gave_up;
static u64 seen[8];	/* INIT rnd, LP rnd, busy INIT/LP/CONFIG/KEY, key, gen */

static bool transient_for(u64 leaf, u64 st)
{
	switch (leaf) {
	case TDH_SYS_INIT:
	case TDH_SYS_LP_INIT:
		return st == TDX_SYS_BUSY || st == TDX_RND_NO_ENTROPY;
	case TDH_SYS_CONFIG:
		return st == TDX_SYS_BUSY;
	case TDH_SYS_KEY_CONFIG:
		return st == TDX_SYS_BUSY || st == TDX_KEY_GENERATION_FAILED ||
		       st == (TDX_OPERAND_BUSY | TDX_OPERAND_ID_KEYID_BUSY);
	case TDH_SYS_TDMR_INIT:
		return st == (TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	}
	return false;
}

static void note(u64 leaf, u64 st)
{
	if (st == TDX_RND_NO_ENTROPY)
		seen[leaf == TDH_SYS_INIT ? 0 : 1]++;
	else if (st == TDX_SYS_BUSY)
		seen[leaf == TDH_SYS_INIT ? 2 : leaf == TDH_SYS_LP_INIT ? 3 :
		     leaf == TDH_SYS_CONFIG ? 4 : 5]++;
	else if (st == (TDX_OPERAND_BUSY | TDX_OPERAND_ID_KEYID_BUSY))
		seen[6]++;
	else if (st == TDX_KEY_GENERATION_FAILED)
		seen[7]++;
}

static u64 trace;	/* a hash of every status the host saw */

static u64 host_call(unsigned int cpu, u64 leaf, struct tdx_emu_regs *in)
{
	struct tdx_emu_regs r;
	struct snap a, b;
	unsigned int tries;
	u64 st = 0;

	cur_apic = plat_apic[cpu];
	for (tries = 0; tries < 1000; tries++) {
		take(&a);
		r = *in;
		st = call(leaf, &r);
		trace = trace * 31 + st;
		if (!transient_for(leaf, st))
			break;
		take(&b);
		if (memcmp(&a, &b, sizeof(a)))
			moved++;
		note(leaf, st);
	}
	if (tries == 1000)
		gave_up++;
	*in = r;
	return st;
}

/* SYS.INIT .. TDMR.INIT on the test platform; true if all went as meant */
static bool initialize(void)
{
	struct tdx_emu_regs r;
	struct tdx_emu_verify v;
	unsigned int cpu, calls = 0;
	bool ok = true;

	r = (struct tdx_emu_regs){ 0 };
	ok &= host_call(0, TDH_SYS_INIT, &r) == TDX_SUCCESS;
	for (cpu = 0; cpu < 4; cpu++) {
		r = (struct tdx_emu_regs){ 0 };
		ok &= host_call(cpu, TDH_SYS_LP_INIT, &r) == TDX_SUCCESS;
	}
	r = (struct tdx_emu_regs){ .rdx = TDX_FID_MAX_TDMRS };
	ok &= host_call(1, TDH_SYS_RD, &r) == TDX_SUCCESS && r.r8 == 64;
	/* TDMR 0 only: [0, 1G), its first 64 MiB (our RAM) reserved */
	put_tdmrs();
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS, .rdx = 1, .r8 = 32 };
	ok &= host_call(0, TDH_SYS_CONFIG, &r) == TDX_SUCCESS;
	r = (struct tdx_emu_regs){ 0 };
	ok &= host_call(1, TDH_SYS_KEY_CONFIG, &r) == TDX_SUCCESS;
	r = (struct tdx_emu_regs){ 0 };
	ok &= host_call(3, TDH_SYS_KEY_CONFIG, &r) == TDX_SUCCESS;
	do {
		r = (struct tdx_emu_regs){ .rcx = 0 };
		ok &= host_call(calls % 4, TDH_SYS_TDMR_INIT, &r) == TDX_SUCCESS;
		calls++;
	} while (ok && r.rdx != G && calls < 300);
	tdx_emu_verify(e, &v);
	wrong_status += !ok;
	return ok && calls == 256 && e->sys_state == TDX_EMU_SYS_READY &&
	       tdx_emu_tdmrs_initialized(e) == 1 && e->global_keyid == 32 &&
	       tdx_emu_keyids_reserved(e) == 1 && !v.entries_corrupted &&
	       !v.read_errors && v.bytes_init == v.bytes_expected &&
	       locks_free();
}

static void test_many_runs(void)
{
	unsigned int seed, good = 0, kinds = 0, i;
	u64 t1, t2, fired = 0;

	memset(seen, 0, sizeof(seen));
	for (seed = 1; seed <= 300; seed++) {
		/* RAM kept: TDMR.INIT rewrites every PAMT entry verify reads */
		setup_platform(false);
		rates(150, 200, 200, 150, 100, seed);
		good += initialize();
		for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
			fired += e->transients_fired[i];
	}
	TAP_EQ_U64(good, 300,
		   "300 initializations under transient failures all complete");
	TAP_EQ_U64(wrong_status, 0, "no status but the transient ones");
	TAP_EQ_U64(moved, 0, "no transient status changed module state");
	TAP_EQ_U64(gave_up, 0, "every retry loop ended");
	for (i = 0; i < 8; i++)
		kinds += seen[i] > 0;
	TAP_OK(kinds == 8,
	       "each transient seen at each point: INIT rnd %llu, LP rnd %llu, busy %llu/%llu/%llu/%llu, key busy %llu, keygen %llu",
	       (unsigned long long)seen[0], (unsigned long long)seen[1],
	       (unsigned long long)seen[2], (unsigned long long)seen[3],
	       (unsigned long long)seen[4], (unsigned long long)seen[5],
	       (unsigned long long)seen[6], (unsigned long long)seen[7]);
	TAP_OK(fired > 1000, "%llu transient failures in all",
	       (unsigned long long)fired);

	setup();
	rates(150, 200, 200, 150, 100, 12345);
	trace = 0;
	initialize();
	t1 = trace;
	setup();
	rates(150, 200, 200, 150, 100, 12345);
	trace = 0;
	initialize();
	t2 = trace;
	TAP_OK(t1 == t2 && t1, "a seed replays the same run");
}

int main(void)
{
	if (harness_alloc())
		return 2;
	test_each_kind();
	test_sequence_rules();
	test_many_runs();
	harness_free();
	return tap_done();
}
