/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated platform for the emulated module's unit tests: 64 MiB of
 * RAM at PA 0, logical CPUs by x2APIC id with the package CPUID reports,
 * try-locks that record holders, and a counted busy-wait.
 *
 * Platform: APIC ids 0, 1 (package 0) and 8, 9 (package 1); CMRs [0, 4G)
 * and [8G, 9G); SEAMRR 16 MiB at 48 MiB. TDMR 0 [0,1G) with [0,64M)
 * reserved (our RAM, holding the PAMTs), TDMR 1 [1G,3G) with
 * [1G+12K, 1G+20K) reserved.
 */
#ifndef EMU_HARNESS_H
#define EMU_HARNESS_H

#include <stdlib.h>
#include "tap.h"
#include "tdx_emu_core.h"

#define G	TDX_SZ_1G
#define M	0x100000ULL
#define K4	TDX_SZ_4K
#define MEM	(64 * M)	/* simulated RAM at PA [0, 64M) */

/* Buffers in simulated memory */
#define PA_INFO		0x10000ULL
#define PA_CMRS		0x11000ULL
#define PA_PTRS		0x12000ULL
#define PA_TDMR0	0x13000ULL
#define PA_TDMR1	0x13200ULL
#define PA_PAMT0	(16 * M)	/* 4K 4M, 2M 8K, 1G 4K */
#define PA_PAMT1	(32 * M)	/* 4K 8M, 2M 16K, 1G 4K */
#define PA_SEAMRR	(48 * M)	/* 16 MiB */

#define NR_APIC		16
static const u32 plat_apic[4] = { 0, 1, 8, 9 };

static u8 *mem;
static u32 cur_apic;
static u32 cpuid_pkg[NR_APIC];		/* what CPUID says per APIC id */
static int held[TDX_EMU_NR_LOCKS];	/* >0 readers, -1 writer */
static u64 delayed_ns, delay_calls, ctx_mismatch;
static void *want_ctx;
static struct tdx_emu *e;

static inline void h_ctx(void *ctx)
{
	if (ctx != want_ctx)
		ctx_mismatch++;
}

static inline int h_read(void *ctx, u64 pa, void *buf, size_t len)
{
	h_ctx(ctx);
	if (pa >= MEM || len > MEM - pa)
		return -EFAULT;
	memcpy(buf, mem + pa, len);
	return 0;
}

static inline int h_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	h_ctx(ctx);
	if (pa >= MEM || len > MEM - pa)
		return -EFAULT;
	memcpy(mem + pa, buf, len);
	return 0;
}

static inline u32 h_apic(void *ctx)
{
	h_ctx(ctx);
	return cur_apic;
}

static inline u32 h_pkg(void *ctx)
{
	h_ctx(ctx);
	return cur_apic < NR_APIC ? cpuid_pkg[cur_apic] : 0;
}

static inline bool h_trylock(void *ctx, unsigned int l, bool shared)
{
	h_ctx(ctx);
	if (held[l] < 0 || (!shared && held[l] > 0))
		return false;
	held[l] = shared ? held[l] + 1 : -1;
	return true;
}

static inline void h_lock(void *ctx, unsigned int l)
{
	h_ctx(ctx);
	if (held[l])
		abort();	/* would deadlock */
	held[l] = -1;
}

static inline void h_unlock(void *ctx, unsigned int l, bool shared)
{
	h_ctx(ctx);
	if (shared ? held[l] <= 0 : held[l] != -1)
		abort();	/* unbalanced */
	held[l] = shared ? held[l] - 1 : 0;
}

static inline void h_delay(void *ctx, u64 ns)
{
	h_ctx(ctx);
	delayed_ns += ns;
	delay_calls++;
}

static const struct tdx_emu_ops ops = {
	.read = h_read, .write = h_write,
	.cpu_apic_id = h_apic, .cpu_pkg = h_pkg,
	.trylock = h_trylock, .lock = h_lock, .unlock = h_unlock,
	.delay_ns = h_delay,
};

static inline u64 call(u64 leaf, struct tdx_emu_regs *r)
{
	struct tdx_emu_regs z = { 0 };

	return tdx_emu_seamcall(e, leaf, r ? r : &z);
}

/* On the platform's CPU number @cpu (0..3) */
static inline u64 call_on(unsigned int cpu, u64 leaf)
{
	cur_apic = plat_apic[cpu];
	return call(leaf, NULL);
}

static inline bool locks_free(void)
{
	unsigned int i;

	for (i = 0; i < TDX_EMU_NR_LOCKS; i++)
		if (held[i])
			return false;
	return true;
}

/* The test platform, powered on; @clear_mem zeroes the RAM too. */
static inline void setup_platform(bool clear_mem)
{
	unsigned int i;

	if (clear_mem)
		memset(mem, 0, MEM);
	memset(held, 0, sizeof(held));
	delayed_ns = 0;
	delay_calls = 0;
	ctx_mismatch = 0;
	want_ctx = NULL;
	cur_apic = 0;
	tdx_emu_config_default(&e->cfg);
	for (i = 0; i < 4; i++) {
		e->cfg.lps[i].apic_id = plat_apic[i];
		e->cfg.lps[i].pkg = i / 2;
	}
	e->cfg.nr_lps = 4;
	memset(cpuid_pkg, 0, sizeof(cpuid_pkg));
	cpuid_pkg[8] = cpuid_pkg[9] = 1;
	e->cfg.cmrs[0].base = 0;
	e->cfg.cmrs[0].size = 4 * G;
	e->cfg.cmrs[1].base = 8 * G;
	e->cfg.cmrs[1].size = G;
	e->cfg.nr_cmrs = 2;
	e->cfg.seamrr_base = PA_SEAMRR;
	e->cfg.seamrr_size = 16 * M;
	tdx_emu_init(e, &ops, NULL);
}

static inline void setup(void)
{
	setup_platform(true);
}

static inline void put_tdmrs(void)
{
	struct tdx_tdmr_info t[2];
	u64 ptrs[2] = { PA_TDMR0, PA_TDMR1 };

	memset(t, 0, sizeof(t));
	t[0].base = 0;
	t[0].size = G;
	t[0].pamt_4k_base = PA_PAMT0;
	t[0].pamt_4k_size = 4 * M;
	t[0].pamt_2m_base = PA_PAMT0 + 4 * M;
	t[0].pamt_2m_size = 8192;
	t[0].pamt_1g_base = PA_PAMT0 + 4 * M + 8192;
	t[0].pamt_1g_size = K4;
	t[0].rsvd[0].offset = 0;
	t[0].rsvd[0].size = 64 * M;
	t[1].base = G;
	t[1].size = 2 * G;
	t[1].pamt_4k_base = PA_PAMT1;
	t[1].pamt_4k_size = 8 * M;
	t[1].pamt_2m_base = PA_PAMT1 + 8 * M;
	t[1].pamt_2m_size = 16384;
	t[1].pamt_1g_base = PA_PAMT1 + 8 * M + 16384;
	t[1].pamt_1g_size = K4;
	t[1].rsvd[0].offset = 3 * K4;
	t[1].rsvd[0].size = 2 * K4;
	memcpy(mem + PA_TDMR0, &t[0], sizeof(t[0]));
	memcpy(mem + PA_TDMR1, &t[1], sizeof(t[1]));
	memcpy(mem + PA_PTRS, ptrs, sizeof(ptrs));
}

static inline u64 do_config_n(unsigned int n, u64 keyid)
{
	struct tdx_emu_regs r = { .rcx = PA_PTRS, .rdx = n, .r8 = keyid };

	return call(TDH_SYS_CONFIG, &r);
}

static inline u64 do_config(void)
{
	return do_config_n(2, 32);
}

/* SYS.INIT + LP.INIT on every platform CPU */
static inline void to_sysinit_done(void)
{
	unsigned int i;

	call_on(0, TDH_SYS_INIT);
	for (i = 0; i < 4; i++)
		call_on(i, TDH_SYS_LP_INIT);
	cur_apic = 0;
}

static inline void to_ready(void)
{
	to_sysinit_done();
	put_tdmrs();
	do_config();
	call_on(0, TDH_SYS_KEY_CONFIG);
	call_on(2, TDH_SYS_KEY_CONFIG);
	cur_apic = 0;
}

static inline int harness_alloc(void)
{
	mem = calloc(1, MEM);
	e = calloc(1, sizeof(*e));
	return mem && e ? 0 : -1;
}

static inline void harness_free(void)
{
	free(mem);
	free(e);
}

#endif /* EMU_HARNESS_H */
