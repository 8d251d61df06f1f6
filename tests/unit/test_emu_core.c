// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu_core: the emulated module's leaves driven through SEAMCALLs with
 * simulated physical memory, CPUs and locks: RAX checks, gating, the state
 * machine, operand checks, lock outcomes, fault injection, RD iteration,
 * TDMR.INIT call counts and the PAMT bytes it writes.
 */
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

static u8 *mem;
static unsigned int cur_cpu;
static int held[TDX_EMU_NR_LOCKS];	/* >0 readers, -1 writer */
static u64 delayed_ns, delay_calls;

static int h_read(void *ctx, u64 pa, void *buf, size_t len)
{
	(void)ctx;
	if (pa >= MEM || len > MEM - pa)
		return -EFAULT;
	memcpy(buf, mem + pa, len);
	return 0;
}

static int h_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	(void)ctx;
	if (pa >= MEM || len > MEM - pa)
		return -EFAULT;
	memcpy(mem + pa, buf, len);
	return 0;
}

static unsigned int h_cpu(void *ctx)
{
	(void)ctx;
	return cur_cpu;
}

static bool h_trylock(void *ctx, unsigned int l, bool shared)
{
	(void)ctx;
	if (held[l] < 0 || (!shared && held[l] > 0))
		return false;
	held[l] = shared ? held[l] + 1 : -1;
	return true;
}

static void h_lock(void *ctx, unsigned int l)
{
	(void)ctx;
	if (held[l])
		abort();	/* would deadlock */
	held[l] = -1;
}

static void h_unlock(void *ctx, unsigned int l, bool shared)
{
	(void)ctx;
	if (shared ? held[l] <= 0 : held[l] != -1)
		abort();	/* unbalanced */
	held[l] = shared ? held[l] - 1 : 0;
}

static void h_delay(void *ctx, u64 ns)
{
	(void)ctx;
	delayed_ns += ns;
	delay_calls++;
}

static const struct tdx_emu_ops ops = {
	.read = h_read, .write = h_write, .cpu = h_cpu,
	.trylock = h_trylock, .lock = h_lock, .unlock = h_unlock,
	.delay_ns = h_delay,
};

static struct tdx_emu *e;

static u64 call(u64 leaf, struct tdx_emu_regs *r)
{
	struct tdx_emu_regs z = { 0 };

	return tdx_emu_seamcall(e, leaf, r ? r : &z);
}

static u64 call_on(unsigned int cpu, u64 leaf)
{
	cur_cpu = cpu;
	return call(leaf, NULL);
}

static bool locks_free(void)
{
	unsigned int i;

	for (i = 0; i < TDX_EMU_NR_LOCKS; i++)
		if (held[i])
			return false;
	return true;
}

/*
 * Platform: CPUs 0-1 package 0, CPUs 2-3 package 1; CMRs [0, 4G) and
 * [8G, 9G); TDMR 0 [0,1G) with [0,64M) reserved (our RAM, holding the
 * PAMTs), TDMR 1 [1G,3G) with [1G+12K, 1G+20K) reserved.
 */
static void setup(void)
{
	unsigned int i;

	memset(mem, 0, MEM);
	memset(held, 0, sizeof(held));
	delayed_ns = 0;
	delay_calls = 0;
	cur_cpu = 0;
	tdx_emu_config_default(&e->cfg);
	for (i = 0; i < 4; i++)
		e->cfg.cpu_pkg[i] = i / 2;
	e->cfg.cmrs[0].base = 0;
	e->cfg.cmrs[0].size = 4 * G;
	e->cfg.cmrs[1].base = 8 * G;
	e->cfg.cmrs[1].size = G;
	e->cfg.nr_cmrs = 2;
	tdx_emu_init(e, &ops, NULL);
}

static void put_tdmrs(void)
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

static u64 do_config(void)
{
	struct tdx_emu_regs r = { .rcx = PA_PTRS, .rdx = 2, .r8 = 32 };

	return call(TDH_SYS_CONFIG, &r);
}

/* SYS.INIT + LP.INIT on every CPU */
static void to_sysinit_done(void)
{
	unsigned int i;

	call_on(0, TDH_SYS_INIT);
	for (i = 0; i < 4; i++)
		call_on(i, TDH_SYS_LP_INIT);
	cur_cpu = 0;
}

static void to_ready(void)
{
	to_sysinit_done();
	put_tdmrs();
	do_config();
	call_on(0, TDH_SYS_KEY_CONFIG);
	call_on(2, TDH_SYS_KEY_CONFIG);
	cur_cpu = 0;
}

static void test_rax(void)
{
	const u64 inv = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX;

	setup();
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 16), NULL), inv,
		   "RAX: version 1 on an init leaf");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 24), NULL), inv,
		   "RAX: reserved bit 24");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 63), NULL), inv,
		   "RAX: reserved bit 63");
	TAP_EQ_U64(call(0, NULL), inv, "RAX: unknown leaf 0");
	TAP_EQ_U64(call(46, NULL), inv, "RAX: unknown leaf 46");
	TAP_EQ_U64(call(TDH_SYS_RDALL, NULL), inv, "RDALL not emulated");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_PENDING,
		   "RAX errors change nothing");
	TAP_EQ_U64(e->bad_rax, 5, "bad RAX counted");
}

static void test_gating(void)
{
	setup();
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, NULL), TDX_SYS_NOT_READY,
		   "gating: TDMR.INIT before ready");
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, NULL), TDX_SYS_NOT_READY,
		   "gating: SHUTDOWN before ready");
	TAP_EQ_U64(call(TDH_SYS_LP_SHUTDOWN, NULL), TDX_SUCCESS,
		   "LP.SHUTDOWN always succeeds");
	to_ready();
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_READY, "reached SYS_READY");
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, NULL), TDX_SUCCESS, "SHUTDOWN");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_SHUTDOWN, "state SYS_SHUTDOWN");
	TAP_EQ_U64(call(TDH_SYS_INFO, NULL), TDX_SYS_SHUTDOWN,
		   "after shutdown: INFO refused");
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_SHUTDOWN,
		   "after shutdown: INIT refused");
	TAP_EQ_U64(call(TDH_SYS_RDALL, NULL), TDX_SYS_SHUTDOWN,
		   "after shutdown: RDALL refused");
	TAP_EQ_U64(call(TDH_SYS_LP_SHUTDOWN, NULL), TDX_SUCCESS,
		   "after shutdown: LP.SHUTDOWN succeeds");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 30), NULL),
		   TDX_OPERAND_INVALID, "RAX check before shutdown gating");
}

static void test_sys_init(void)
{
	struct tdx_emu_regs r = { .rcx = 1 };

	setup();
	TAP_EQ_U64(call(TDH_SYS_INIT, &r),
		   TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
		   "SYS.INIT: RCX attributes must be 0");
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_BUSY,
		   "SYS.INIT: global lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 1;	/* shared holder, e.g. LP.INIT */
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), TDX_SYS_BUSY,
		   "SYS.INIT: lock checked before RCX");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS, "SYS.INIT succeeds");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE, "state SYSINIT_DONE");
	TAP_OK(e->num_lps == 4 && e->num_pkgs == 2, "num_lps 4, num_pkgs 2");
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_INIT_NOT_PENDING,
		   "SYS.INIT twice");
	r.rcx = 1;
	TAP_EQ_U64(call(TDH_SYS_INIT, &r),
		   TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
		   "SYS.INIT: RCX checked before state");

	setup();
	e->cfg.cmrs[1].base = 2 * G;	/* overlaps CMR 0 */
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_CMR_LIST_INVALID,
		   "SYS.INIT: overlapping CMRs");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_PENDING, "state unchanged");
	setup();
	e->cfg.cmrs[0].size = 4 * G + 0x800;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_CMR_LIST_INVALID,
		   "SYS.INIT: unaligned CMR");
	setup();
	e->cfg.nr_cmrs = 0;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_CMR_LIST_INVALID,
		   "SYS.INIT: empty CMR list");
	setup();
	e->cfg.num_tdx_keyids = 0;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL),
		   TDX_INCORRECT_MSR_VALUE | TDX_MSR_KEYID_PARTITIONING,
		   "SYS.INIT: no TDX KeyIDs");
	setup();
	TAP_EQ_U64(tdx_emu_fault_add(e, TDH_SYS_INIT, TDX_RND_NO_ENTROPY, 1), 0,
		   "fault added");
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_RND_NO_ENTROPY,
		   "SYS.INIT: injected RND_NO_ENTROPY");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_PENDING,
		   "injected failure changes no state");
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS,
		   "SYS.INIT retry succeeds (one-shot fault)");
	TAP_OK(locks_free(), "all locks released");
}

static void test_lp_init(void)
{
	setup();
	TAP_EQ_U64(call_on(0, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING,
		   "LP.INIT before SYS.INIT");
	call_on(0, TDH_SYS_INIT);
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SYS_BUSY,
		   "LP.INIT: global lock held exclusively -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 1;
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SUCCESS,
		   "LP.INIT: shares the lock with another LP.INIT");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_DONE,
		   "LP.INIT twice on one CPU");
	TAP_EQ_U64(call_on(7, TDH_SYS_LP_INIT), TDX_INCORRECT_CPUID_VALUE,
		   "LP.INIT on a CPU outside the platform");
	TAP_EQ_U64(call_on(TDX_EMU_MAX_CPUS + 5, TDH_SYS_LP_INIT),
		   TDX_INCORRECT_CPUID_VALUE, "LP.INIT on a huge CPU id");
	TAP_EQ_U64(tdx_emu_lps_initialized(e), 1, "one LP initialized");

	setup();
	e->cfg.cpu_pkg[3] = 8;
	call_on(0, TDH_SYS_INIT);
	TAP_EQ_U64(call_on(3, TDH_SYS_LP_INIT), TDX_INVALID_PKG_ID,
		   "LP.INIT: package id 8");
	setup();
	to_sysinit_done();
	put_tdmrs();
	do_config();
	TAP_EQ_U64(call_on(1, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_NOT_PENDING,
		   "LP.INIT after CONFIG");
}

static u16 get16(u64 pa)
{
	u16 v;

	memcpy(&v, mem + pa, 2);
	return v;
}

static u32 get32(u64 pa)
{
	u32 v;

	memcpy(&v, mem + pa, 4);
	return v;
}

static u64 get64(u64 pa)
{
	u64 v;

	memcpy(&v, mem + pa, 8);
	return v;
}

static void test_info(void)
{
	struct tdx_emu_regs ok = { .rcx = PA_INFO, .rdx = 1024, .r8 = PA_CMRS,
				   .r9 = 32 };
	struct tdx_emu_regs r;
	const u64 inv = TDX_OPERAND_INVALID;
	unsigned int k;
	bool nulls = true;

	setup();
	call_on(0, TDH_SYS_INIT);
	r = ok;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SYS_LP_INIT_NOT_DONE,
		   "INFO without LP.INIT");
	call_on(0, TDH_SYS_LP_INIT);
	r = ok;
	r.rcx += 512;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 1, "INFO: RCX not 1024-aligned");
	r = ok;
	r.rcx = MEM;	/* aligned, not memory */
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 1, "INFO: RCX not memory");
	r = ok;
	r.rcx = 1ULL << 50;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 1, "INFO: RCX with HKID bits");
	r = ok;
	r.rdx = 1023;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 2, "INFO: RDX < 1024");
	r = ok;
	r.r8 += 256;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 8, "INFO: R8 not 512-aligned");
	r = ok;
	r.r8 = MEM;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 8, "INFO: R8 not memory");
	r = ok;
	r.r9 = 31;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), inv | 9, "INFO: R9 < 32");

	memset(mem + PA_INFO, 0xAA, 1024);
	memset(mem + PA_CMRS, 0xAA, 512);
	r = ok;
	r.rdx = 4096;
	r.r9 = 40;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SUCCESS, "INFO succeeds");
	TAP_OK(r.rdx == 1024 && r.r9 == 32, "INFO returns RDX 1024, R9 32");
	TAP_OK(get32(PA_INFO + 4) == 0x8086 && get16(PA_INFO + 14) == 5 &&
	       get16(PA_INFO + 16) == 1 && get16(PA_INFO + 32) == 64 &&
	       get16(PA_INFO + 34) == 16 && get16(PA_INFO + 36) == 16 &&
	       get32(PA_INFO + 8) == e->cfg.build_date &&
	       get16(PA_INFO + 12) == e->cfg.build_num &&
	       get32(PA_INFO) == 0,
	       "TDSYSINFO fields");
	TAP_EQ_U64(get64(PA_INFO + 1016), 0, "TDSYSINFO fully written");
	TAP_OK(get64(PA_CMRS) == 0 && get64(PA_CMRS + 8) == 4 * G &&
	       get64(PA_CMRS + 16) == 8 * G && get64(PA_CMRS + 24) == G,
	       "CMR entries 0, 1");
	for (k = 2; k < 32; k++)
		nulls &= !get64(PA_CMRS + 16 * k) && !get64(PA_CMRS + 16 * k + 8);
	TAP_OK(nulls, "CMR entries 2..31 written as null");
	TAP_EQ_U64(get64(PA_CMRS + 512), 0, "nothing written past 32 entries");
}

static u64 rd(u64 fid, u64 *val, u64 *next)
{
	struct tdx_emu_regs r = { .rdx = fid };
	u64 st = call(TDH_SYS_RD, &r);

	*val = r.r8;
	*next = r.rdx;
	return st;
}

static void test_rd(void)
{
	u64 v, n, fid, st;
	unsigned int count = 0, cmr_base = 0;
	bool all_ok = true;

	setup();
	call_on(0, TDH_SYS_INIT);
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION, &v, &n), TDX_SYS_LP_INIT_NOT_DONE,
		   "RD without LP.INIT");
	TAP_EQ_U64(n, ~0ULL, "RD error: RDX = -1");
	call_on(0, TDH_SYS_LP_INIT);
	TAP_OK(!rd(TDX_FID_MAJOR_VERSION, &v, &n) && v == 1 &&
	       n == TDX_FID_UPDATE_VERSION, "RD MAJOR_VERSION = 1, next UPDATE");
	TAP_OK(!rd(TDX_FID_MINOR_VERSION, &v, &n) && v == 5, "RD MINOR = 5");
	TAP_OK(!rd(TDX_FID_NUM_PKGS, &v, &n) && v == 2, "RD NUM_PKGS = 2");
	TAP_OK(!rd(TDX_FID_VENDOR_ID, &v, &n) && v == 0x8086, "RD VENDOR_ID");
	TAP_OK(!rd(TDX_FID_TDX_FEATURES0, &v, &n) && v == (1ULL << 18),
	       "RD TDX_FEATURES0 bit 18");
	TAP_OK(!rd(TDX_FID_NUM_CMRS, &v, &n) && v == 32, "RD NUM_CMRS = 32");
	TAP_OK(!rd(TDX_FID_CMR_BASE(1), &v, &n) && v == 8 * G, "RD CMR_BASE[1]");
	TAP_OK(!rd(TDX_FID_CMR_SIZE(0), &v, &n) && v == 4 * G, "RD CMR_SIZE[0]");
	TAP_OK(!rd(TDX_FID_CMR_SIZE(31), &v, &n) && v == 0 &&
	       n == TDX_FID_MAX_TDMRS, "RD CMR_SIZE[31] null, next MAX_TDMRS");
	TAP_OK(!rd(TDX_FID_MAX_TDMRS, &v, &n) && v == 64, "RD MAX_TDMRS");
	TAP_OK(!rd(TDX_FID_MAX_RESERVED_PER_TDMR, &v, &n) && v == 16,
	       "RD MAX_RESERVED_PER_TDMR");
	TAP_OK(!rd(TDX_FID_PAMT_1G_ENTRY_SIZE, &v, &n) && v == 16 && n == ~0ULL,
	       "RD last field, next -1");
	TAP_EQ_U64(rd(0x0800000100000077ULL, &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD unknown field");
	TAP_EQ_U64(n, ~0ULL, "RD unknown field: RDX = -1");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 33), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD wrong element size");

	for (fid = ~0ULL, st = rd(fid, &v, &n); !st && n != ~0ULL && count < 200;
	     count++) {
		fid = n;
		st = rd(fid, &v, &n);
		all_ok &= !st;
		if ((fid & ~0xffULL) == 0x9000000300000000ULL && fid < 0x9000000300000100ULL)
			cmr_base++;
	}
	TAP_OK(all_ok && count == 9 + 64 + 5, "RD iterates all %u fields", count);
	TAP_EQ_U64(cmr_base, 32, "RD iteration covers 32 CMR bases");

	setup();
	e->cfg.minor = 0;	/* a 1.0 module */
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION, &v, &n), TDX_SYS_NOT_READY,
		   "1.0: RD before ready -> 0xC000050500000000");
	setup();
	e->cfg.minor = 0;
	to_ready();
	TAP_OK(!rd(TDX_FID_MINOR_VERSION, &v, &n) && v == 0,
	       "1.0: RD works once ready");
}

static void test_config(void)
{
	struct tdx_emu_regs r;
	const u64 inv = TDX_OPERAND_INVALID;
	struct tdx_tdmr_info *t1 = (void *)(mem + PA_TDMR1);

	setup();
	put_tdmrs();
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING,
		   "CONFIG before SYS.INIT");
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	call_on(1, TDH_SYS_LP_INIT);
	call_on(2, TDH_SYS_LP_INIT);
	cur_cpu = 0;
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING,
		   "CONFIG with CPU 3 not LP.INIT'ed");
	call_on(3, TDH_SYS_LP_INIT);
	cur_cpu = 0;
	held[TDX_EMU_LOCK_GLOBAL] = 1;
	TAP_EQ_U64(do_config(), TDX_SYS_BUSY, "CONFIG: lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS + 8, .rdx = 2, .r8 = 32 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 1, "CONFIG: RCX unaligned");
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS, .rdx = 0, .r8 = 32 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 2, "CONFIG: RDX 0");
	r.rdx = 65;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 2, "CONFIG: RDX 65");
	e->cfg.max_tdmrs = 1;
	r.rdx = 2;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 2,
		   "CONFIG: RDX above the advertised max_tdmrs");
	e->cfg.max_tdmrs = 64;
	r.r8 = 31;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 8, "CONFIG: KeyID 31 (MKTME)");
	r.r8 = 64;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 8, "CONFIG: KeyID 64");
	r.r8 = 32 | (1ULL << 16);
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 8, "CONFIG: R8 bits 63:16");
	r = (struct tdx_emu_regs){ .rcx = MEM, .rdx = 2, .r8 = 63 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), inv | 1, "CONFIG: array not memory");
	((u64 *)(mem + PA_PTRS))[1] = PA_TDMR1 + 64;
	TAP_EQ_U64(do_config(), inv | 1, "CONFIG: TDMR_INFO pointer unaligned");
	((u64 *)(mem + PA_PTRS))[1] = MEM;
	TAP_EQ_U64(do_config(), inv | 1, "CONFIG: TDMR_INFO pointer not memory");
	((u64 *)(mem + PA_PTRS))[1] = PA_TDMR1;
	t1->pamt_2m_size = 8192;
	TAP_EQ_U64(do_config(), TDX_INVALID_PAMT | TDX_DETAIL(1, 1, 0),
		   "CONFIG: TDMR 1 PAMT_2M too small (2 GiB TDMR)");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE,
		   "failed CONFIG keeps SYSINIT_DONE");
	t1->pamt_2m_size = 16384;
	t1->pamt_4k_base = 2 * G;	/* TDMR 1's own available memory */
	TAP_EQ_U64(do_config(), TDX_PAMT_OVERLAP | TDX_DETAIL(1, 0, 1),
		   "CONFIG: PAMT_4K in TDMR 1's own memory");
	t1->pamt_4k_base = PA_PAMT1;
	TAP_EQ_U64(do_config(), TDX_SUCCESS, "CONFIG after fixing succeeds");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSCONFIG_DONE, "state SYSCONFIG_DONE");
	TAP_OK(e->nr_tdmrs == 2 && e->global_keyid == 32, "2 TDMRs, KeyID 32");
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING, "CONFIG twice");
	TAP_EQ_U64(tdx_emu_pamt_expected(e),
		   (G / K4 + G / TDX_SZ_2M + 1 + 2 * G / K4 + 2 * G / TDX_SZ_2M + 2) * 16,
		   "expected PAMT bytes");
	TAP_OK(locks_free(), "all locks released");
}

static void test_key_config(void)
{
	setup();
	to_sysinit_done();
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_SYS_KEY_CONFIG_NOT_PENDING,
		   "KEY.CONFIG before CONFIG");
	put_tdmrs();
	do_config();
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	TAP_EQ_U64(call_on(2, TDH_SYS_KEY_CONFIG), TDX_SYS_BUSY,
		   "KEY.CONFIG concurrent (other package) -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	tdx_emu_fault_add(e, TDH_SYS_KEY_CONFIG,
			  TDX_OPERAND_BUSY | TDX_OPERAND_ID_KEYID_BUSY, 1);
	tdx_emu_fault_add(e, TDH_SYS_KEY_CONFIG, TDX_KEY_GENERATION_FAILED, 2);
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), 0x80000200000000BBULL,
		   "KEY.CONFIG: injected key programming busy");
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_KEY_GENERATION_FAILED,
		   "KEY.CONFIG: injected KEY_GENERATION_FAILED");
	TAP_EQ_U64(call_on(0, TDH_SYS_KEY_CONFIG), TDX_SUCCESS,
		   "KEY.CONFIG package 0 after retries");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSCONFIG_DONE,
		   "not ready with one package left");
	TAP_EQ_U64(call_on(1, TDH_SYS_KEY_CONFIG), TDX_KEY_CONFIGURED,
		   "KEY.CONFIG package 0 again (other CPU)");
	TAP_EQ_U64(call_on(3, TDH_SYS_KEY_CONFIG), TDX_SUCCESS,
		   "KEY.CONFIG package 1");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_READY, "last package -> SYS_READY");
	TAP_EQ_U64(call_on(2, TDH_SYS_KEY_CONFIG), TDX_SYS_KEY_CONFIG_NOT_PENDING,
		   "KEY.CONFIG after ready");
	TAP_OK(locks_free(), "all locks released");
}

static u64 tdmr_init(u64 base, u64 *rdx)
{
	struct tdx_emu_regs r = { .rcx = base, .rdx = 0x1234 };
	u64 st = call(TDH_SYS_TDMR_INIT, &r);

	*rdx = r.rdx;
	return st;
}

static bool entry_is(u64 pa, unsigned int level, unsigned int type, u64 covered)
{
	return get64(pa) == (TDX_EMU_PAMT_MAGIC | (level << 8) | type) &&
	       get64(pa + 8) == covered;
}

static void test_tdmr_init(void)
{
	struct tdx_emu_verify v;
	unsigned int calls = 0;
	bool seq_ok = true;
	u64 rdx, st;

	setup();
	to_ready();
	e->cfg.tdmr_init_delay_ns = 7000;
	TAP_EQ_U64(tdmr_init(G + TDX_SZ_2M, &rdx),
		   TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX not 1G aligned");
	TAP_EQ_U64(tdmr_init(2 * G, &rdx),
		   TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX not a TDMR base");
	held[TDX_EMU_LOCK_TDMR(1)] = -1;
	TAP_EQ_U64(tdmr_init(G, &rdx), 0x8000020000000001ULL,
		   "TDMR.INIT: TDMR lock held -> OPERAND_BUSY|RCX");
	TAP_EQ_U64(tdmr_init(0, &rdx), TDX_SUCCESS,
		   "TDMR.INIT: another TDMR proceeds meanwhile");
	held[TDX_EMU_LOCK_TDMR(1)] = 0;
	TAP_EQ_U64(rdx, 0, "first call on TDMR 0 returns RDX 0 (rounded)");

	/* TDMR 1: 2 GiB -> 512 calls */
	do {
		st = tdmr_init(G, &rdx);
		calls++;
		if (calls < 256)
			seq_ok &= rdx == G;
		else if (calls < 512)
			seq_ok &= rdx == 2 * G;
	} while (!st && rdx != 3 * G && calls < 1000);
	TAP_OK(!st && calls == 512, "2 GiB TDMR takes 512 calls (%u)", calls);
	TAP_OK(seq_ok, "RDX = next rounded down to 1 GiB during the walk");
	TAP_EQ_U64(rdx, 3 * G, "last call returns base + size");
	TAP_EQ_U64(tdmr_init(G, &rdx), TDX_TDMR_ALREADY_INITIALIZED,
		   "TDMR.INIT after completion");
	TAP_EQ_U64(rdx, 0, "ALREADY_INITIALIZED returns RDX 0");
	TAP_OK(delay_calls == 513 && delayed_ns == 513 * 7000ULL,
	       "busy-wait per successful call");

	/* PAMT contents of TDMR 1 */
	TAP_OK(entry_is(PA_PAMT1, 0, 0, G) &&
	       entry_is(PA_PAMT1 + 16 * 2, 0, 0, G + 2 * K4) &&
	       entry_is(PA_PAMT1 + 16 * 3, 0, 1, G + 3 * K4) &&
	       entry_is(PA_PAMT1 + 16 * 4, 0, 1, G + 4 * K4) &&
	       entry_is(PA_PAMT1 + 16 * 5, 0, 0, G + 5 * K4),
	       "4K entries: reserved pages RSVD, others NDA");
	TAP_OK(entry_is(PA_PAMT1 + 16 * (2 * G / K4 - 1), 0, 0, 3 * G - K4),
	       "last 4K entry");
	TAP_OK(entry_is(PA_PAMT1 + 8 * M, 1, 0, G) &&
	       entry_is(PA_PAMT1 + 8 * M + 16 * 1023, 1, 0, 3 * G - TDX_SZ_2M),
	       "2M entries");
	TAP_OK(entry_is(PA_PAMT1 + 8 * M + 16384, 2, 0, G) &&
	       entry_is(PA_PAMT1 + 8 * M + 16384 + 16, 2, 0, 2 * G),
	       "1G entries");
	TAP_EQ_U64(get64(PA_PAMT1 + 8 * M + 16384 + 32), 0,
		   "nothing written past the 1G entries");
	/* TDMR 0 after one call: 4 MiB, all reserved */
	TAP_OK(entry_is(PA_PAMT0 + 16 * 1023, 0, 1, 1023 * K4) &&
	       get64(PA_PAMT0 + 16 * 1024) == 0 &&
	       entry_is(PA_PAMT0 + 4 * M + 16, 1, 1, TDX_SZ_2M) &&
	       get64(PA_PAMT0 + 4 * M + 32) == 0 &&
	       entry_is(PA_PAMT0 + 4 * M + 8192, 2, 0, 0),
	       "one call: 1024 4K entries, 2 2M entries, the 1G entry");

	tdx_emu_verify(e, &v);
	TAP_OK(v.entries_corrupted == 0 && v.read_errors == 0 &&
	       v.bytes_init == (1024 + 2 + 1 + 2 * G / K4 + 1024 + 2) * 16,
	       "verify: intact, bytes initialized counted");
	TAP_EQ_U64(v.entries_checked, 1024 + 2 + 1 + 2 * G / K4 + 1024 + 2,
		   "verify checks every written entry");
	mem[PA_PAMT1 + 16 * 77 + 3] ^= 1;
	mem[PA_PAMT1 + 8 * M + 16 * 5 + 15] = 0x7;
	tdx_emu_verify(e, &v);
	TAP_OK(v.entries_corrupted == 2 && v.first_bad_pa == PA_PAMT1 + 16 * 77,
	       "verify finds 2 corrupted entries, first at its PA");
	held[TDX_EMU_LOCK_TDMR(1)] = -1;
	tdx_emu_verify(e, &v);
	TAP_OK(v.tdmrs_busy == 1 && v.entries_corrupted == 0,
	       "verify skips a TDMR being initialized");
	held[TDX_EMU_LOCK_TDMR(1)] = 0;

	/* TDMR 0 walk: 256 calls total */
	calls = 1;	/* the call made above */
	do {
		st = tdmr_init(0, &rdx);
		calls++;
	} while (!st && rdx != G && calls < 1000);
	TAP_EQ_U64(calls, 256, "1 GiB TDMR takes 256 calls");
	TAP_EQ_U64(tdx_emu_tdmrs_initialized(e), 2, "both TDMRs initialized");
	tdx_emu_verify(e, &v);
	TAP_EQ_U64(v.bytes_init, v.bytes_expected,
		   "bytes initialized == expected when done");

	/* PAMT memory that vanished */
	setup();
	to_ready();
	((struct tdx_emu *)e)->tdmrs[0].pamt_4k_base = MEM;
	TAP_EQ_U64(tdmr_init(0, &rdx),
		   TDX_OPERAND_ADDR_RANGE_ERROR | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: PAMT memory not accessible");
	TAP_EQ_U64(e->tdmr_next[0], 0, "no progress recorded");
	TAP_OK(locks_free(), "all locks released");
}

static void test_faults(void)
{
	char buf[512];

	setup();
	TAP_EQ_U64(tdx_emu_fault_add(e, 64, 1, 1), (u64)-EINVAL,
		   "fault: leaf 64 refused");
	tdx_emu_fault_add(e, TDH_SYS_LP_SHUTDOWN, 0xC000010000000009ULL, 3);
	TAP_OK(!call(TDH_SYS_LP_SHUTDOWN, NULL) &&
	       !call(TDH_SYS_LP_SHUTDOWN, NULL) &&
	       call(TDH_SYS_LP_SHUTDOWN, NULL) == 0xC000010000000009ULL &&
	       !call(TDH_SYS_LP_SHUTDOWN, NULL),
	       "fault nth=3 fires on the third call only");
	tdx_emu_fault_add(e, TDH_SYS_LP_SHUTDOWN, TDX_SYS_BUSY, 0);
	TAP_OK(call(TDH_SYS_LP_SHUTDOWN, NULL) == TDX_SYS_BUSY &&
	       call(TDH_SYS_LP_SHUTDOWN, NULL) == TDX_SYS_BUSY,
	       "fault nth=0 fires on every call");
	tdx_emu_fault_add(e, TDH_SYS_INIT, TDX_RND_NO_ENTROPY, 2);
	tdx_emu_fault_format(e, buf, sizeof(buf));
	TAP_EQ_STR(buf,
		   "leaf=44 status=0x8000020200000000 nth=0 left=0\n"
		   "leaf=33 status=0x8000020300000000 nth=2 left=2\n",
		   "pending faults listed");
	tdx_emu_fault_clear(e);
	TAP_OK(!call(TDH_SYS_LP_SHUTDOWN, NULL) && e->nr_faults == 0,
	       "clear removes all faults");
	while (e->nr_faults < TDX_EMU_MAX_FAULTS)
		tdx_emu_fault_add(e, 1, 1, 1);
	TAP_EQ_U64(tdx_emu_fault_add(e, 1, 1, 1), (u64)-ENOSPC,
		   "fault list full");
	tdx_emu_fault_clear(e);
	tdx_emu_fault_add(e, TDH_SYS_TDMR_INIT, TDX_SYS_BUSY, 1);
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, NULL), TDX_SYS_NOT_READY,
		   "gating happens before injection");
	TAP_EQ_U64(e->nr_faults, 1, "gated call does not consume the fault");
	TAP_OK(e->calls[TDH_SYS_TDMR_INIT] == 1 &&
	       e->calls[TDH_SYS_LP_SHUTDOWN] == 7 &&
	       e->errors[TDH_SYS_TDMR_INIT] == 1,
	       "per-leaf call and error counts");
	TAP_OK(locks_free(), "all locks released");
}

static void test_msrs(void)
{
	u64 v;

	setup();
	TAP_OK(!tdx_emu_rdmsr(e, 0x87, &v) && v == (31 | (32ULL << 32)),
	       "MSR 0x87: 31 MKTME, 32 TDX KeyIDs");
	TAP_OK(!tdx_emu_rdmsr(e, 0x982, &v) && ((v >> 32) & 0xf) == 6 &&
	       (v & 3) == 3, "MSR 0x982: locked, enabled, 6 KeyID bits");
	TAP_OK(!tdx_emu_rdmsr(e, 0xFE, &v) && (v & (1 << 15)),
	       "MSR 0xFE: SEAMRR supported");
	TAP_OK(!tdx_emu_rdmsr(e, 0x1401, &v) && (v & (1 << 11)),
	       "MSR 0x1401: SEAMRR enabled");
	TAP_EQ_U64(tdx_emu_rdmsr(e, 0x10, &v), (u64)-EIO, "other MSR: -EIO");
	TAP_OK(tdx_emu_cpu_package(&e->cfg, 3) == 1 &&
	       tdx_emu_cpu_package(&e->cfg, 4) == -ENODEV &&
	       tdx_emu_cpu_package(&e->cfg, 100000) == -ENODEV,
	       "cpu_package: configured or -ENODEV");
	TAP_OK(tdx_emu_keyid_bits(31, 32) == 6 && tdx_emu_keyid_bits(63, 64) == 7 &&
	       tdx_emu_keyid_bits(0, 1) == 1, "KeyID bits derived");
	TAP_EQ_STR(tdx_emu_state_name(3), "SYS_READY", "state names");
}

int main(void)
{
	mem = calloc(1, MEM);
	e = calloc(1, sizeof(*e));
	if (!mem || !e)
		return 2;
	test_rax();
	test_gating();
	test_sys_init();
	test_lp_init();
	test_info();
	test_rd();
	test_config();
	test_key_config();
	test_tdmr_init();
	test_faults();
	test_msrs();
	free(mem);
	free(e);
	return tap_done();
}
