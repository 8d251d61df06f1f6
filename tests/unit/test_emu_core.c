// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu_core: the emulated module's leaves driven through SEAMCALLs on a
 * simulated platform (emu_harness.h): RAX checks, gating, the outputs every
 * path sets, the state machine, operand checks, locks, LP identity by
 * x2APIC id, KeyID rules, RD lookup and iteration, TDMR.INIT and the PAMT
 * bytes it writes, shutdown, update and fault injection. Each rule is
 * checked with the exact status the 1.5 module returns.
 */
#include "emu_harness.h"

#define INV	TDX_OPERAND_INVALID
#define RAX_INV	(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX)

static bool regs_eq(const struct tdx_emu_regs *a, const struct tdx_emu_regs *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static const struct tdx_emu_regs junk = {
	.rcx = 0x1111, .rdx = 0x2222, .r8 = 0x8888, .r9 = 0x9999,
	.r10 = 0xAAAA, .r11 = 0xBBBB,
};

static void test_rax(void)
{
	struct tdx_emu_regs r = junk;

	setup();
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 16), &r), RAX_INV,
		   "RAX: version 1 on an init leaf");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 24), &r), RAX_INV,
		   "RAX: reserved bit 24");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 63), &r), RAX_INV,
		   "RAX: reserved bit 63");
	TAP_EQ_U64(call(46 | (1ULL << 16), &r), RAX_INV,
		   "RAX: version on an unknown leaf");
	TAP_OK(regs_eq(&r, &junk), "RAX errors change no register");
	TAP_EQ_U64(call(0, &r), TDX_SYS_NOT_READY,
		   "unknown before SYS_READY: TD leaf 0 -> SYS_NOT_READY");
	TAP_EQ_U64(call(46, &r), TDX_SYS_NOT_READY,
		   "unknown leaf 46 before SYS_READY -> SYS_NOT_READY");
	TAP_EQ_U64(call(0x1234, &r), TDX_SYS_NOT_READY,
		   "unknown leaf 0x1234 before SYS_READY -> SYS_NOT_READY");
	TAP_EQ_U64(call(3 | (1ULL << 16), &r), TDX_SYS_NOT_READY,
		   "TD leaf 3 has versions: RAX passes, then gating");
	TAP_EQ_U64(call(TDH_SYS_RDALL, &r), RAX_INV,
		   "RDALL passes gating, is not emulated: OPERAND_INVALID|RAX");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_PENDING,
		   "RAX errors change nothing");
	TAP_EQ_U64(e->bad_rax, 5, "bad RAX and unserved leaves counted");
	to_ready();
	r = junk;
	TAP_EQ_U64(call(46, &r), RAX_INV,
		   "unknown leaf after SYS_READY -> OPERAND_INVALID|RAX");
	TAP_EQ_U64(call(0, &r), RAX_INV,
		   "TD leaf after SYS_READY: not emulated -> OPERAND_INVALID|RAX");
	TAP_EQ_U64(call(TDH_SYS_INIT | (2ULL << 16), &r), RAX_INV,
		   "version 2 after SYS_READY");
	TAP_OK(regs_eq(&r, &junk), "no register changed");
}

static void test_gating(void)
{
	struct tdx_emu_regs r = junk;

	setup();
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, &r), TDX_SYS_NOT_READY,
		   "gating: TDMR.INIT before ready");
	TAP_OK(regs_eq(&r, &junk), "gated TDMR.INIT leaves RDX alone");
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), TDX_SYS_NOT_READY,
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
	TAP_EQ_U64(call(99, NULL), TDX_SYS_SHUTDOWN,
		   "after shutdown: unknown leaf refused the same way");
	TAP_EQ_U64(call(TDH_SYS_LP_SHUTDOWN, NULL), TDX_SUCCESS,
		   "after shutdown: LP.SHUTDOWN succeeds");
	TAP_EQ_U64(call(TDH_SYS_INIT | (1ULL << 30), NULL), RAX_INV,
		   "RAX check before shutdown gating");
}

/* Section 0: outputs each leaf sets on every path, errors included. */
static void test_outputs(void)
{
	struct tdx_emu_regs r;

	setup();
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), TDX_SYS_BUSY, "INIT busy");
	TAP_OK(!r.rcx && !r.rdx && !r.r8 && !r.r9 && !r.r10 && r.r11 == 0xBBBB,
	       "SYS.INIT zeroes RCX, RDX, R8-R10 even on SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_LP_INIT, &r), TDX_SYS_LP_INIT_NOT_PENDING,
		   "LP.INIT before INIT");
	TAP_OK(!r.rcx && !r.rdx && !r.r8 && r.r9 == 0x9999 && r.r10 == 0xAAAA,
	       "LP.INIT zeroes RCX, RDX, R8 on error");
	call(TDH_SYS_INIT, NULL);
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SYS_LP_INIT_NOT_DONE,
		   "INFO without LP.INIT");
	TAP_OK(!r.rdx && !r.r9 && r.rcx == 0x1111 && r.r8 == 0x8888,
	       "INFO sets RDX = R9 = 0 on error");
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_RD, &r), TDX_SYS_LP_INIT_NOT_DONE,
		   "RD without LP.INIT");
	TAP_OK(r.rdx == ~0ULL && !r.r8 && r.rcx == 0x1111,
	       "RD sets RDX = -1, R8 = 0 on error");
	to_sysinit_done();
	put_tdmrs();
	r = junk;
	r.rcx = PA_PTRS + 8;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1, "CONFIG error");
	TAP_EQ_U64(r.rdx, 0x2222, "CONFIG writes no output");
	to_ready();
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_TDMR_INIT, &r), INV | 1,
		   "TDMR.INIT with a bad RCX");
	TAP_OK(!r.rdx && r.rcx == 0x1111 && r.r8 == 0x8888,
	       "TDMR.INIT sets RDX = 0 on entry");
	setup();
	tdx_emu_fault_add(e, TDH_SYS_INIT, TDX_RND_NO_ENTROPY, 1);
	r = junk;
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), TDX_RND_NO_ENTROPY,
		   "injected status");
	TAP_OK(!r.rcx && !r.rdx && !r.r8 && !r.r9 && !r.r10,
	       "an injected status comes with the leaf's entry outputs");
}

static void test_sys_init(void)
{
	struct tdx_emu_regs r = { .rcx = 1 };

	setup();
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), INV | TDX_OPERAND_ID_RCX,
		   "SYS.INIT: RCX attributes must be 0");
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_BUSY,
		   "SYS.INIT: global lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 1;	/* shared holder, e.g. LP.INIT */
	r.rcx = 1;
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), TDX_SYS_BUSY,
		   "SYS.INIT: lock checked before RCX");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS, "SYS.INIT succeeds");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE, "state SYSINIT_DONE");
	TAP_OK(e->num_lps == 4 && e->num_pkgs == 2,
	       "num_lps 4, num_pkgs 2 from the platform's LPs");
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SYS_INIT_NOT_PENDING,
		   "SYS.INIT twice");
	r.rcx = 1;
	TAP_EQ_U64(call(TDH_SYS_INIT, &r), INV | TDX_OPERAND_ID_RCX,
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
	memset(e->cfg.cmrs, 0, sizeof(e->cfg.cmrs));
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS,
		   "SYS.INIT: an all-null CMR list passes");
	setup();
	e->cfg.num_tdx_keyids = 0;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS,
		   "SYS.INIT: zero TDX KeyIDs is no SYS.INIT error");
	setup();
	e->cfg.num_mktme_keyids = 1000;
	e->cfg.num_tdx_keyids = 1048;	/* private_hkid_max 2048 */
	e->cfg.keyid_bits = tdx_emu_keyid_bits(1000, 1048);
	e->cfg.cmrs[1].base = 2 * G;	/* and a bad CMR list */
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), 0xC000082500000800ULL,
		   "SYS.INIT: private_hkid_max 2048 -> NUM_ACTIVATED_HKIDS|2048, before CMRs");
	e->cfg.num_tdx_keyids = 1047;
	e->cfg.cmrs[1].base = 8 * G;
	TAP_EQ_U64(call(TDH_SYS_INIT, NULL), TDX_SUCCESS,
		   "SYS.INIT: private_hkid_max 2047 passes");
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
	struct tdx_emu_regs r = junk;

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
	TAP_EQ_U64(tdx_emu_lps_initialized(e), 1, "one LP initialized");

	cur_apic = 7;	/* not one of the platform's LPs */
	TAP_EQ_U64(call(TDH_SYS_LP_INIT, &r), TDX_SEAMCALL_VMFAILINVALID,
		   "a CPU the platform did not enumerate: VMfailInvalid");
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SEAMCALL_VMFAILINVALID,
		   "VMfailInvalid for every leaf on it");
	TAP_OK(regs_eq(&r, &junk) && e->calls[TDH_SYS_INFO] == 0,
	       "nothing reaches the module from it");
	cur_apic = 2;	/* Linux CPU 2 would be APIC 8: ids, not numbers */
	TAP_EQ_U64(call(TDH_SYS_LP_INIT, NULL), TDX_SEAMCALL_VMFAILINVALID,
		   "LPs are keyed by x2APIC id");

	cpuid_pkg[8] = 8;
	TAP_EQ_U64(call_on(2, TDH_SYS_LP_INIT), 0xC000090600000008ULL,
		   "LP.INIT: package 8 -> INVALID_PKG_ID | 8");
	cpuid_pkg[8] = 0x1234;
	TAP_EQ_U64(call_on(2, TDH_SYS_LP_INIT), TDX_INVALID_PKG_ID | 0x1234,
		   "INVALID_PKG_ID carries the package id in bits 31:0");
	TAP_EQ_U64(tdx_emu_lps_initialized(e), 1, "that LP is not counted");
	cpuid_pkg[8] = 1;
	TAP_EQ_U64(call_on(2, TDH_SYS_LP_INIT), TDX_SUCCESS,
		   "the package from CPUID, per call");
	cpuid_pkg[8] = 9;
	TAP_EQ_U64(call_on(2, TDH_SYS_LP_INIT), TDX_SYS_LP_INIT_DONE,
		   "LP_INIT_DONE is checked before the package");
	TAP_OK(e->lp_pkg[2] == 1, "the package LP.INIT found is kept");

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

/* A 1 in the lowest HKID bit makes KeyID 1 (6 KeyID bits: bit 46). */
#define KEYID(k)	((u64)(k) << 46)

static bool all_bytes(u64 pa, u64 len, u8 v)
{
	u64 i;

	for (i = 0; i < len; i++)
		if (mem[pa + i] != v)
			return false;
	return true;
}

static void test_info(void)
{
	struct tdx_emu_regs ok = { .rcx = PA_INFO, .rdx = 1024, .r8 = PA_CMRS,
				   .r9 = 32 };
	struct tdx_emu_regs r;
	unsigned int k;
	bool nulls = true;

	setup();
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	r = ok;
	r.rcx += 512;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 1, "INFO: RCX not 1024-aligned");
	r = ok;
	r.rcx = MEM;	/* aligned, not memory */
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 1, "INFO: RCX not memory");
	r = ok;
	r.rcx = PA_INFO | KEYID(32);
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 1,
		   "INFO: RCX with a private KeyID");
	r = ok;
	r.rcx = 1ULL << 52;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 1, "INFO: RCX at 2^52");
	r = ok;
	r.rcx = PA_SEAMRR + 4 * M;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 1, "INFO: RCX inside SEAMRR");
	memset(mem + PA_INFO, 0xAA, 1024);
	r = ok;
	r.rdx = 1023;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 2, "INFO: RDX < 1024");
	TAP_OK(all_bytes(PA_INFO, 1024, 0xAA), "RDX error: buffer untouched");
	r = ok;
	r.r8 += 256;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 8, "INFO: R8 not 512-aligned");
	TAP_OK(all_bytes(PA_INFO, 1024, 0), "zero-filled before R8 is checked");
	memset(mem + PA_INFO, 0xAA, 1024);
	r = ok;
	r.r8 = PA_CMRS | KEYID(40);
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 8, "INFO: R8 private KeyID");
	r = ok;
	r.r8 = PA_SEAMRR;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 8, "INFO: R8 inside SEAMRR");
	memset(mem + PA_INFO, 0xAA, 1024);
	r = ok;
	r.r9 = 31;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), INV | 9, "INFO: R9 < 32");
	TAP_OK(all_bytes(PA_INFO, 1024, 0) && !r.rdx && !r.r9,
	       "zero-filled before R9 is checked; RDX, R9 0");

	memset(mem + PA_INFO, 0xAA, 1024);
	memset(mem + PA_CMRS, 0xAA, 1024);
	r = ok;
	r.rcx |= KEYID(5);	/* a shared (MKTME) KeyID is fine */
	r.rdx = 4096;
	r.r9 = 40;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SUCCESS,
		   "INFO succeeds (RCX with shared KeyID 5)");
	TAP_OK(r.rdx == 1024 && r.r9 == 32, "INFO returns RDX 1024, R9 32");
	TAP_OK(get32(PA_INFO + 4) == 0x8086 && get16(PA_INFO + 14) == 5 &&
	       get16(PA_INFO + 16) == 1 && get16(PA_INFO + 32) == 64 &&
	       get16(PA_INFO + 34) == 16 && get16(PA_INFO + 36) == 16 &&
	       get32(PA_INFO + 8) == e->cfg.build_date &&
	       get16(PA_INFO + 12) == e->cfg.build_num &&
	       get32(PA_INFO) == 0,
	       "TDSYSINFO fields");
	TAP_EQ_U64(mem[PA_INFO + 18], 1, "TDSYSINFO.SYS_RD = 1: use TDH.SYS.RD");
	TAP_OK(all_bytes(PA_INFO + 19, 13, 0) && all_bytes(PA_INFO + 38, 986, 0),
	       "TDSYSINFO: everything else zero");
	TAP_OK(get64(PA_CMRS) == 0 && get64(PA_CMRS + 8) == 4 * G &&
	       get64(PA_CMRS + 16) == 8 * G && get64(PA_CMRS + 24) == G,
	       "CMR entries 0, 1");
	for (k = 2; k < 32; k++)
		nulls &= !get64(PA_CMRS + 16 * k) && !get64(PA_CMRS + 16 * k + 8);
	TAP_OK(nulls, "CMR entries 2..31 written as null");
	TAP_EQ_U64(mem[PA_CMRS + 512], 0xAA, "nothing written past 32 entries");

	setup();
	e->cfg.minor = 0;	/* a 1.0 module */
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	r = ok;
	TAP_EQ_U64(call(TDH_SYS_INFO, &r), TDX_SUCCESS, "1.0: INFO");
	TAP_EQ_U64(mem[PA_INFO + 18], 0, "1.0: TDSYSINFO.SYS_RD = 0");
}

static u64 rd(u64 fid, u64 *val, u64 *next)
{
	struct tdx_emu_regs r = { .rdx = fid, .r8 = 0x5555 };
	u64 st = call(TDH_SYS_RD, &r);

	*val = r.r8;
	*next = r.rdx;
	return st;
}

#define FID_INTERNAL_VERSION	0x0800000100000006ULL
#define FID_TDR_BASE_SIZE	0x9800000100000000ULL
#define FID_LAST		0xA200000300000006ULL
#define FID_NUM_TDX_FEATURES	0x0A00000000000001ULL
#define FID_PKG_FMS(k)		(0x0000000200000001ULL + (k))

static void test_rd(void)
{
	u64 v, n, fid, st;
	unsigned int count = 0, cmr_base = 0;
	bool all_ok = true;

	setup();
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	TAP_EQ_U64(rd(~0ULL, &v, &n), TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT,
		   "RD null id -> 0x00000C0B00000000 (not an error, not 0)");
	TAP_OK(n == TDX_FID_NUM_PKGS && v == 0,
	       "null id: RDX = the first field id, R8 = 0");
	TAP_EQ_U64(rd(~TDX_FID_CONTEXT_MASK, &v, &n),
		   TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT,
		   "null id with context bits 0");
	TAP_EQ_U64(rd(~0ULL & ~(2ULL << 52), &v, &n),
		   TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT,
		   "null id: the context bits are ignored");
	TAP_EQ_U64(rd(~0ULL & ~1ULL, &v, &n), TDX_METADATA_FIELD_ID_INCORRECT,
		   "all ones but bit 0 is no null id");
	TAP_OK(!rd(TDX_FID_MAJOR_VERSION, &v, &n) && v == 1 &&
	       n == TDX_FID_UPDATE_VERSION, "RD MAJOR_VERSION = 1, next UPDATE");
	TAP_OK(!rd(TDX_FID_UPDATE_VERSION, &v, &n) && v == 0 &&
	       n == FID_INTERNAL_VERSION,
	       "RD UPDATE_VERSION, next INTERNAL_VERSION (the 1.5 table)");
	TAP_OK(!rd(TDX_FID_MINOR_VERSION, &v, &n) && v == 5, "RD MINOR = 5");
	TAP_OK(!rd(TDX_FID_NUM_PKGS, &v, &n) && v == 2 && n == FID_PKG_FMS(0),
	       "RD NUM_PKGS = 2, next PKG_FMS[0]");
	TAP_OK(!rd(FID_PKG_FMS(1), &v, &n) && v == 0x806F8 &&
	       !rd(FID_PKG_FMS(2), &v, &n) && v == 0,
	       "RD PKG_FMS per platform package");
	TAP_OK(!rd(TDX_FID_VENDOR_ID, &v, &n) && v == 0x8086, "RD VENDOR_ID");
	TAP_OK(!rd(TDX_FID_TDX_FEATURES0, &v, &n) && v == 0xF0EBFULL,
	       "RD TDX_FEATURES0: bits 0-5, 7, 9-11, 16-19");
	TAP_OK(!rd(FID_NUM_TDX_FEATURES, &v, &n) && v == 1,
	       "RD NUM_TDX_FEATURES = 1");
	TAP_OK(!rd(TDX_FID_NUM_CMRS, &v, &n) && v == 32, "RD NUM_CMRS = 32");
	TAP_OK(!rd(TDX_FID_CMR_BASE(1), &v, &n) && v == 8 * G, "RD CMR_BASE[1]");
	TAP_OK(!rd(TDX_FID_CMR_SIZE(0), &v, &n) && v == 4 * G, "RD CMR_SIZE[0]");
	TAP_OK(!rd(TDX_FID_CMR_SIZE(31), &v, &n) && v == 0 &&
	       n == TDX_FID_MAX_TDMRS, "RD CMR_SIZE[31] null, next MAX_TDMRS");
	TAP_OK(!rd(TDX_FID_MAX_TDMRS, &v, &n) && v == 64, "RD MAX_TDMRS");
	TAP_OK(!rd(TDX_FID_MAX_RESERVED_PER_TDMR, &v, &n) && v == 16,
	       "RD MAX_RESERVED_PER_TDMR");
	TAP_OK(!rd(TDX_FID_PAMT_1G_ENTRY_SIZE, &v, &n) && v == 16 &&
	       n == FID_TDR_BASE_SIZE, "RD PAMT_1G_ENTRY_SIZE, next TDR_BASE_SIZE");
	TAP_OK(!rd(FID_LAST, &v, &n) && v == 0 && n == ~0ULL,
	       "RD the last field: next -1");

	TAP_OK(!rd(TDX_FID_MAJOR_VERSION | (3ULL << 32), &v, &n) && v == 1,
	       "lookup ignores the element size bits");
	TAP_OK(!rd(TDX_FID_MAJOR_VERSION | (1ULL << 63), &v, &n) && v == 1,
	       "lookup ignores the non-arch bit");
	TAP_OK(!rd(TDX_FID_MAJOR_VERSION | (3ULL << 50), &v, &n) && v == 1,
	       "lookup ignores inc_size and write_mask");
	TAP_OK(!rd(TDX_FID_MAJOR_VERSION | (5ULL << 52), &v, &n) && v == 1,
	       "lookup ignores the context (forced to global)");
	TAP_OK(!rd(0x9000000000000083ULL, &v, &n) &&
	       n == 0x9000000000000084ULL,
	       "next element in a field array keeps the caller's id bits");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 24), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: reserved bit 24");
	TAP_OK(n == ~0ULL && v == 0, "RD error: RDX = -1, R8 = 0");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 34), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: LAST_ELEMENT must be 0");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 38), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: LAST_FIELD must be 0");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 47), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: reserved bit 47");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 55), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: reserved bit 55");
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION | (1ULL << 62), &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD: reserved bit 62");
	TAP_EQ_U64(rd(0x0800000100000077ULL, &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD unknown field code");
	TAP_EQ_U64(rd(0x3F00000100000004ULL, &v, &n),
		   TDX_METADATA_FIELD_ID_INCORRECT, "RD unknown class");

	for (st = rd(~0ULL, &v, &n), fid = n;
	     fid != ~0ULL && count < 1000; count++) {
		st = rd(fid, &v, &n);
		all_ok &= !st;
		if (fid >= TDX_FID_CMR_BASE(0) && fid < TDX_FID_CMR_BASE(32))
			cmr_base++;
		fid = n;
	}
	TAP_OK(all_ok && count == 354,
	       "RD walks all 354 elements of the 1.5 global table (%u)", count);
	TAP_EQ_U64(cmr_base, 32, "RD iteration covers 32 CMR bases");

	setup();
	e->cfg.minor = 0;	/* a 1.0 module */
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	TAP_EQ_U64(rd(TDX_FID_MAJOR_VERSION, &v, &n), 0xC000050500000000ULL,
		   "1.0: RD before ready -> TDX_SYS_NOT_READY");
	TAP_OK(n == TDX_FID_MAJOR_VERSION && v == 0x5555,
	       "1.0: gated, so no output register changes");
	setup();
	e->cfg.minor = 0;
	to_ready();
	TAP_EQ_U64(rd(TDX_FID_MINOR_VERSION, &v, &n), RAX_INV,
		   "1.0: RD after ready -> OPERAND_INVALID|RAX");
}

static void test_config(void)
{
	struct tdx_emu_regs r;
	struct tdx_tdmr_info *t1 = (void *)(mem + PA_TDMR1);

	setup();
	put_tdmrs();
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING,
		   "CONFIG before SYS.INIT");
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	call_on(1, TDH_SYS_LP_INIT);
	call_on(2, TDH_SYS_LP_INIT);
	cur_apic = 0;
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING,
		   "CONFIG with APIC 9 not LP.INIT'ed");
	call_on(3, TDH_SYS_LP_INIT);
	cur_apic = 0;
	held[TDX_EMU_LOCK_GLOBAL] = 1;
	TAP_EQ_U64(do_config(), TDX_SYS_BUSY, "CONFIG: lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS + 8, .rdx = 2, .r8 = 32 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1, "CONFIG: RCX unaligned");
	r.rdx = 0;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1,
		   "CONFIG: RCX alignment checked before RDX");
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS | KEYID(33), .rdx = 0 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1,
		   "CONFIG: RCX private KeyID (shared-HPA) checked before RDX");
	r = (struct tdx_emu_regs){ .rcx = PA_SEAMRR, .rdx = 2, .r8 = 32 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1, "CONFIG: RCX in SEAMRR");
	r = (struct tdx_emu_regs){ .rcx = PA_PTRS, .rdx = 0, .r8 = 0 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 2,
		   "CONFIG: RDX 0 (checked before R8)");
	r.rdx = 65;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 2, "CONFIG: RDX 65");
	e->cfg.max_tdmrs = 1;
	r.rdx = 2;
	r.r8 = 32;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 2,
		   "CONFIG: RDX above the advertised max_tdmrs");
	e->cfg.max_tdmrs = 64;
	r.r8 = 31;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 8, "CONFIG: KeyID 31 (MKTME)");
	r.r8 = 64;
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 8, "CONFIG: KeyID 64");
	r.r8 = 32 | (1ULL << 16);
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 8, "CONFIG: R8 bits 63:16");
	TAP_EQ_U64(tdx_emu_keyids_reserved(e), 0,
		   "no KeyID reserved by CONFIGs that failed on operands");
	r = (struct tdx_emu_regs){ .rcx = MEM, .rdx = 2, .r8 = 63 };
	TAP_EQ_U64(call(TDH_SYS_CONFIG, &r), INV | 1, "CONFIG: array not memory");
	TAP_OK(tdx_emu_keyid_reserved(e, 63) && e->global_keyid == 63,
	       "the KeyID is reserved before the array is read");
	((u64 *)(mem + PA_PTRS))[1] = PA_TDMR1 + 64;
	TAP_EQ_U64(do_config(), INV | 1, "CONFIG: TDMR_INFO pointer unaligned");
	((u64 *)(mem + PA_PTRS))[1] = PA_TDMR1 | KEYID(32);
	TAP_EQ_U64(do_config(), INV | 1,
		   "CONFIG: TDMR_INFO pointer with a private KeyID");
	((u64 *)(mem + PA_PTRS))[1] = MEM;
	TAP_EQ_U64(do_config(), INV | 1, "CONFIG: TDMR_INFO pointer not memory");
	((u64 *)(mem + PA_PTRS))[1] = PA_TDMR1 | KEYID(3);
	t1->pamt_2m_size = 8192;
	TAP_EQ_U64(do_config_n(2, 40), TDX_INVALID_PAMT | TDX_DETAIL(1, 1, 0),
		   "CONFIG: TDMR 1 PAMT_2M too small (pointer via shared KeyID 3)");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE,
		   "failed CONFIG keeps SYSINIT_DONE");
	TAP_OK(tdx_emu_keyid_reserved(e, 40) && e->global_keyid == 40,
	       "the failed CONFIG's KeyID stays reserved");
	t1->pamt_2m_size = 16384;
	t1->pamt_4k_base = 2 * G;	/* TDMR 1's own available memory */
	TAP_EQ_U64(do_config(), TDX_PAMT_OVERLAP | TDX_DETAIL(1, 0, 1),
		   "CONFIG: PAMT_4K in TDMR 1's own memory");
	t1->pamt_4k_base = PA_PAMT1;
	TAP_EQ_U64(do_config(), TDX_SUCCESS, "CONFIG after fixing succeeds");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSCONFIG_DONE, "state SYSCONFIG_DONE");
	TAP_OK(e->nr_tdmrs == 2 && e->global_keyid == 32, "2 TDMRs, KeyID 32");
	TAP_OK(tdx_emu_keyids_reserved(e) == 3 &&
	       tdx_emu_keyid_reserved(e, 40) && tdx_emu_keyid_reserved(e, 63),
	       "KeyIDs of failed CONFIGs stay reserved (never free for TDs)");
	TAP_EQ_U64(do_config(), TDX_SYS_CONFIG_NOT_PENDING, "CONFIG twice");
	TAP_EQ_U64(tdx_emu_pamt_expected(e),
		   (G / K4 + G / TDX_SZ_2M + 1 + 2 * G / K4 + 2 * G / TDX_SZ_2M + 2) * 16,
		   "expected PAMT bytes");
	TAP_OK(locks_free(), "all locks released");

	setup();
	e->cfg.num_tdx_keyids = 0;
	to_sysinit_done();
	put_tdmrs();
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE,
		   "zero TDX KeyIDs: initialization gets to CONFIG");
	TAP_EQ_U64(do_config_n(2, 32), INV | 8,
		   "zero TDX KeyIDs: CONFIG fails OPERAND_INVALID|R8");
	TAP_EQ_U64(do_config_n(2, 31), INV | 8, "... whatever the KeyID");
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
		   "KEY.CONFIG package 0 again (other CPU): KEY_CONFIGURED");
	TAP_EQ_U64(TDX_KEY_CONFIGURED & TDX_STATUS_ERROR_BIT, 0,
		   "KEY_CONFIGURED is informational");
	cpuid_pkg[9] = 0;	/* CPUID now disagrees; LP.INIT's answer counts */
	TAP_EQ_U64(call_on(3, TDH_SYS_KEY_CONFIG), TDX_SUCCESS,
		   "KEY.CONFIG package 1 (the package LP.INIT found)");
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
	TAP_EQ_U64(tdmr_init(G + TDX_SZ_2M, &rdx), INV | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX not 1G aligned");
	TAP_EQ_U64(rdx, 0, "error: RDX = 0");
	TAP_EQ_U64(tdmr_init(2 * G, &rdx), INV | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX not a TDMR base");
	TAP_EQ_U64(tdmr_init(G | KEYID(1), &rdx), INV | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX with KeyID bits");
	TAP_EQ_U64(tdmr_init(1ULL << 52, &rdx), INV | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: RCX at 2^52");
	held[TDX_EMU_LOCK_TDMR(1)] = -1;
	TAP_EQ_U64(tdmr_init(G, &rdx), 0x8000020000000001ULL,
		   "TDMR.INIT: TDMR lock held -> OPERAND_BUSY|RCX");
	TAP_EQ_U64(tdmr_init(0, &rdx), TDX_SUCCESS,
		   "TDMR.INIT: another TDMR proceeds meanwhile");
	held[TDX_EMU_LOCK_TDMR(1)] = 0;
	TAP_EQ_U64(rdx, 0, "first call on TDMR 0 returns RDX 0 (rounded)");
	cur_apic = 9;
	TAP_EQ_U64(tdmr_init(G, &rdx), TDX_SUCCESS,
		   "TDMR.INIT on any platform CPU");
	cur_apic = 0;
	calls = 1;

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
		   "TDMR.INIT after completion: 0x00000A0300000000");
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
	e->tdmrs[0].pamt_4k_base = MEM;
	TAP_EQ_U64(tdmr_init(0, &rdx),
		   TDX_OPERAND_ADDR_RANGE_ERROR | TDX_OPERAND_ID_RCX,
		   "TDMR.INIT: PAMT memory not accessible");
	TAP_EQ_U64(e->tdmr_next[0], 0, "no progress recorded");
	TAP_OK(locks_free(), "all locks released");
}

static void test_shutdown(void)
{
	struct tdx_emu_regs r = { .rcx = 1 };

	setup();
	to_ready();
	held[TDX_EMU_LOCK_GLOBAL] = -1;
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), INV | 1,
		   "SHUTDOWN: handoff version 1 > module_hv 0, checked before the lock");
	r.rcx = 0;
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), TDX_SYS_BUSY,
		   "SHUTDOWN: lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	e->cfg.module_hv = 3;
	e->cfg.min_update_hv = 1;
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), INV | 1,
		   "SHUTDOWN: version below min_update_hv");
	e->cfg.no_downgrade = 1;
	r.rcx = 2;
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), INV | 1,
		   "SHUTDOWN: no_downgrade wants module_hv exactly");
	e->cfg.no_downgrade = 0;
	e->in_flight++;	/* another LP is inside the module */
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), TDX_SYS_BUSY,
		   "SHUTDOWN with another LP busy -> SYS_BUSY");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_READY, "... and the module stays ready");
	e->in_flight--;
	TAP_EQ_U64(call(TDH_SYS_SHUTDOWN, &r), TDX_SUCCESS, "SHUTDOWN version 2");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYS_SHUTDOWN, "shut down");
	TAP_OK(locks_free(), "all locks released");
}

static void test_update(void)
{
	setup();
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), 0xC000050800000000ULL,
		   "UPDATE before SYS.INIT: SYS_STATE_INCORRECT");
	call_on(0, TDH_SYS_INIT);
	call_on(0, TDH_SYS_LP_INIT);
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), TDX_SYS_STATE_INCORRECT,
		   "UPDATE with LPs missing: SYS_STATE_INCORRECT");
	to_sysinit_done();
	held[TDX_EMU_LOCK_GLOBAL] = 1;
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), TDX_SYS_BUSY,
		   "UPDATE: lock held -> SYS_BUSY");
	held[TDX_EMU_LOCK_GLOBAL] = 0;
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), 0xC000050900000000ULL,
		   "UPDATE without a previous module: SYS_INVALID_HANDOFF");
	TAP_EQ_U64(e->sys_state, TDX_EMU_SYSINIT_DONE, "state unchanged");
	put_tdmrs();
	TAP_EQ_U64(do_config(), TDX_SUCCESS, "CONFIG still possible");
	to_ready();
	TAP_EQ_U64(call(TDH_SYS_UPDATE, NULL), TDX_SYS_STATE_INCORRECT,
		   "UPDATE when ready: SYS_STATE_INCORRECT");
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

static void test_platform(void)
{
	struct tdx_emu_config *c;
	u64 v;

	setup();
	c = &e->cfg;
	TAP_OK(!tdx_emu_rdmsr(e, 0x87, &v) && v == (31 | (32ULL << 32)),
	       "MSR 0x87: 31 MKTME, 32 TDX KeyIDs");
	TAP_OK(!tdx_emu_rdmsr(e, 0x982, &v) && ((v >> 32) & 0xf) == 6 &&
	       (v & 3) == 3, "MSR 0x982: locked, enabled, 6 KeyID bits");
	TAP_OK(!tdx_emu_rdmsr(e, 0xFE, &v) && (v & (1 << 15)),
	       "MSR 0xFE: SEAMRR supported");
	TAP_OK(!tdx_emu_rdmsr(e, 0x1400, &v) && v == (PA_SEAMRR | 8),
	       "MSR 0x1400: SEAMRR base, configured");
	TAP_OK(!tdx_emu_rdmsr(e, 0x1401, &v) && (v & (1 << 11)) &&
	       (v & ~0xfffULL) == (((1ULL << 52) - 1) & ~(16 * M - 1)),
	       "MSR 0x1401: SEAMRR mask for 16 MiB, enabled");
	TAP_EQ_U64(tdx_emu_rdmsr(e, 0x10, &v), (u64)-EIO, "other MSR: -EIO");
	TAP_OK(tdx_emu_lp_find(c, 9) == 3 && tdx_emu_lp_find(c, 2) == -ENODEV,
	       "LPs found by APIC id");
	TAP_EQ_U64(tdx_emu_platform_pkgs(c), 2, "two packages");
	TAP_OK(tdx_emu_keyid_bits(31, 32) == 6 && tdx_emu_keyid_bits(63, 64) == 7 &&
	       tdx_emu_keyid_bits(0, 1) == 1, "KeyID bits derived");
	TAP_EQ_STR(tdx_emu_state_name(3), "SYS_READY", "state names");
	TAP_EQ_U64(tdx_emu_config_check(c), 0, "the test platform is valid");
	c->lps[3].apic_id = 1;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL, "APIC id twice");
	c->lps[3].apic_id = 9;
	c->nr_lps = TDX_EMU_MAX_LPS + 1;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL, "too many LPs");
	c->nr_lps = 4;
	c->seamrr_size = 24 * M;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL,
		   "SEAMRR size not a power of two");
	c->seamrr_size = 32 * M;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL,
		   "SEAMRR base not aligned to its size");
	c->seamrr_size = 16 * M;
	c->max_tdmrs = 0;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL, "max_tdmrs 0");
	c->max_tdmrs = 64;
	c->pamt_entry_size = 8;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL, "PAMT entry 8 bytes");
	c->pamt_entry_size = 16;
	c->nr_cmrs = 33;
	TAP_EQ_U64(tdx_emu_config_check(c), (u64)-EINVAL, "33 CMRs");
	c->nr_cmrs = 2;
	TAP_EQ_U64(ctx_mismatch, 0, "every op got its ctx");
}

int main(void)
{
	if (harness_alloc())
		return 2;
	test_rax();
	test_gating();
	test_outputs();
	test_sys_init();
	test_lp_init();
	test_info();
	test_rd();
	test_config();
	test_key_config();
	test_tdmr_init();
	test_shutdown();
	test_update();
	test_faults();
	test_platform();
	harness_free();
	return tap_done();
}
