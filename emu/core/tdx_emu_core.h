/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated TDX module: the whole state machine and every
 * initialization leaf, as pure C behind a small ops table so the kernel
 * module (tdx_emu.ko) and host unit tests run the same code. The model is
 * tdx-module-model.md; docs/emulator-conformance.md names, rule by rule,
 * the function of Intel's module source each behaviour comes from.
 *
 * Where the emulator does what the real module cannot (each for a reason):
 * - A PA the host passes that the ops cannot read or write gives
 *   OPERAND_INVALID with that operand's id (TDMR.INIT:
 *   TDX_OPERAND_ADDR_RANGE_ERROR | RCX). The real module maps any PA and
 *   would read garbage or machine-check; an emulator must not crash.
 * - A SEAMCALL from a CPU whose x2APIC id is not among the platform's
 *   logical processors returns TDX_SEAMCALL_VMFAILINVALID without
 *   reaching the module: the loader builds the per-LP SEAM state (VMCS,
 *   stack, local data) only for the LPs MCHECK counted, so such a CPU has
 *   no way into SEAM [inferred: the instruction's behaviour is not in the
 *   module's source].
 * - Leaves the emulator does not implement pass RAX checks and gating
 *   like the real ones, then return OPERAND_INVALID | RAX: TDH.SYS.RDALL
 *   (no host here uses it) and every TD leaf (no TDs are modelled).
 * - Test knobs: fault injection (tdx_emu_fault_add) replaces a leaf's
 *   status right after gating, its entry outputs set; transient failures
 *   (tdx_emu_set_transients) happen at the points where the real module
 *   meets them (entropy, PCONFIG, lock contention).
 * - max_tdmrs, max_reserved_per_tdmr and the PAMT entry size are
 *   configurable (the 1.5 module has 64, 16 and 16); CONFIG enforces the
 *   configured values so a host honouring the advertised limits is tested.
 *
 * PAMT entry encoding written by TDH.SYS.TDMR.INIT (pamt_entry_size bytes):
 * u64 0 = TDX_EMU_PAMT_MAGIC | level << 8 | type, u64 1 = the PA the entry
 * describes, the rest zero. Type is RSVD for a 4K page inside a reserved
 * area and for a 2M/1G page entirely reserved, NDA otherwise.
 *
 * Persistence: struct tdx_emu holds no pointer but its ops/ctx binding,
 * and starts with a header (magic, layout version, size), so the glue may
 * keep it in memory that survives the host driver or a kexec and rebind
 * it with tdx_emu_resume(); tdx_emu_reset() is the platform's power-on.
 */
#ifndef TDX_EMU_CORE_H
#define TDX_EMU_CORE_H

#include "tdx_abi.h"

#define TDX_EMU_MAX_LPS		1024	/* logical processors of a platform */
#define TDX_EMU_MAX_FAULTS	8
#define TDX_EMU_MAX_LEAF	63	/* per-leaf counters for leaves 0..63 */

#define TDX_EMU_PAMT_MAGIC	0x50414D5400000000ULL	/* "PAMT" */
#define TDX_EMU_PT_NDA		0
#define TDX_EMU_PT_RSVD		1

/* The 1.5 module serves 16-byte entries; the emulator accepts these. */
#define TDX_EMU_PAMT_ENTRY_MIN	16
#define TDX_EMU_PAMT_ENTRY_MAX	64

/*
 * TDMR bytes one TDH.SYS.TDMR.INIT call initializes: 4 MiB on 1.5 (the
 * default), 16 MiB with Dynamic PAMT; any power of two in [4 KiB, 1 GiB]
 * is accepted, so a host is tested for looping on RDX, not on a count.
 */
#define TDX_EMU_TDMR_INIT_CHUNK	(4ULL << 20)
#define TDX_EMU_TDMR_INIT_CHUNK_MIN	TDX_SZ_4K
#define TDX_EMU_TDMR_INIT_CHUNK_MAX	TDX_SZ_1G

/* struct tdx_emu's header: "TDXEMU" + layout version, and its size. */
#define TDX_EMU_MAGIC		0x554D455844545F31ULL
#define TDX_EMU_LAYOUT_VERSION	2

enum tdx_emu_sys_state {
	TDX_EMU_SYSINIT_PENDING = 0,
	TDX_EMU_SYSINIT_DONE = 1,
	TDX_EMU_SYSCONFIG_DONE = 2,
	TDX_EMU_SYS_READY = 3,
	TDX_EMU_SYS_SHUTDOWN = 4,
};

/* Locks the ops provide; all but LOCK_FAULTS are try-locks. */
#define TDX_EMU_LOCK_GLOBAL	0	/* shared (LP.INIT) or exclusive */
#define TDX_EMU_LOCK_FAULTS	1	/* short, blocking: fault list, knobs */
#define TDX_EMU_LOCK_TDMR(i)	(2 + (i))
#define TDX_EMU_NR_LOCKS	(2 + TDX_MAX_TDMRS)

struct tdx_emu_ops {
	/* Physical memory the host passed by address; 0 or -EFAULT. */
	int (*read)(void *ctx, u64 pa, void *buf, size_t len);
	int (*write)(void *ctx, u64 pa, const void *buf, size_t len);
	/* The calling CPU: its x2APIC id, and its package as CPUID says. */
	u32 (*cpu_apic_id)(void *ctx);
	u32 (*cpu_pkg)(void *ctx);
	bool (*trylock)(void *ctx, unsigned int lock, bool shared);
	void (*lock)(void *ctx, unsigned int lock);
	void (*unlock)(void *ctx, unsigned int lock, bool shared);
	void (*delay_ns)(void *ctx, u64 ns);	/* busy-wait, never sleeps */
};

/* A logical processor as MCHECK enumerates it (BIOS-enabled). */
struct tdx_emu_lp {
	u32 apic_id;	/* x2APIC id */
	u32 pkg;	/* its package (socket) */
};

/* The platform and module facts; frozen while the module runs. */
struct tdx_emu_config {
	struct tdx_cmr_info cmrs[TDX_MAX_CMRS];
	u32 nr_cmrs;
	u32 num_mktme_keyids;
	u32 num_tdx_keyids;
	u32 keyid_bits;				/* MSR 0x982 bits 35:32 */
	struct tdx_emu_lp lps[TDX_EMU_MAX_LPS];	/* no APIC id twice */
	u32 nr_lps;
	u64 seamrr_base, seamrr_size;		/* power of two, aligned */
	u32 cpu_fms;				/* CPUID.1.EAX: PKG_FMS */
	u32 max_tdmrs;
	u32 max_rsvd;
	u32 pamt_entry_size;
	u16 major, minor, update;
	u16 build_num;
	u32 vendor_id;
	u32 build_date;
	u32 attributes;
	u64 features0;
	u16 module_hv, min_update_hv;		/* handoff versions */
	u8 no_downgrade;
	u64 tdmr_init_delay_ns;
	u64 tdmr_init_chunk;			/* TDMR bytes per TDMR.INIT */
};

struct tdx_emu_fault {
	u16 leaf;
	u64 status;
	u32 nth;	/* 0: every call until cleared */
	u32 left;	/* calls of the leaf still to come before it fires */
};

/*
 * Transient failures that happen on their own, each at the point where the
 * real module can meet it, at a rate per mille drawn from a deterministic
 * generator (tdx_emu_set_transients).
 */
enum tdx_emu_transient {
	TDX_EMU_TR_RND_NO_ENTROPY,	/* RDRAND: SYS.INIT, LP.INIT */
	TDX_EMU_TR_KEY_GEN_FAILED,	/* PCONFIG entropy: KEY.CONFIG */
	TDX_EMU_TR_KEY_BUSY,		/* PCONFIG busy: OPERAND_BUSY | 187 */
	TDX_EMU_TR_SYS_BUSY,		/* global lock contention: SYS_BUSY */
	TDX_EMU_TR_TDMR_BUSY,		/* TDMR lock contention: BUSY | RCX */
	TDX_EMU_NR_TRANSIENTS,
};

#define TDX_EMU_RATE_MAX	1000	/* per mille */

struct tdx_emu_transients {
	u16 rate[TDX_EMU_NR_TRANSIENTS];	/* per mille, 0 = never */
	u64 seed;
};

struct tdx_emu_regs {
	u64 rcx, rdx, r8, r9, r10, r11;
};

struct tdx_emu_header {
	u64 magic;	/* TDX_EMU_MAGIC */
	u32 version;	/* TDX_EMU_LAYOUT_VERSION */
	u32 size;	/* sizeof(struct tdx_emu) */
};

struct tdx_emu {
	struct tdx_emu_header hdr;
	/* The binding: the only pointers, rebound by tdx_emu_resume(). */
	const struct tdx_emu_ops *ops;
	void *ctx;
	struct tdx_emu_config cfg;

	/* Module state, cleared by tdx_emu_reset() ("power on"). */
	u32 sys_state;
	u32 num_lps, num_pkgs;		/* from the platform at SYS.INIT */
	u32 num_init_lps, num_init_pkgs;
	u32 pkg_config_bitmap;		/* packages whose key is programmed */
	u64 sys_attributes;		/* TDH.SYS.INIT's RCX */
	u8 lp_init[TDX_EMU_MAX_LPS];	/* per platform LP */
	u8 lp_pkg[TDX_EMU_MAX_LPS];	/* package LP.INIT found (< 8) */
	u16 global_keyid;		/* the last CONFIG's R8 */
	u8 keyid_reserved[TDX_MODULE_MAX_HKIDS / 8];	/* KOT state RESERVED */
	u32 nr_tdmrs;
	struct tdx_tdmr_info tdmrs[TDX_MAX_TDMRS];
	u64 tdmr_next[TDX_MAX_TDMRS];	/* next PA to initialize */
	u64 pamt_bytes_init;
	u32 in_flight;			/* SEAMCALLs in the module (LP busy) */

	/* Statistics, cleared at power-on. */
	u64 calls[TDX_EMU_MAX_LEAF + 1];
	u64 errors[TDX_EMU_MAX_LEAF + 1];
	u64 bad_rax;
	u64 faults_fired;
	u64 transients_fired[TDX_EMU_NR_TRANSIENTS];
	u64 draws;			/* transient draws since power-on */

	/* Test knobs, kept across power-on. */
	struct tdx_emu_transients transients;
	u32 nr_faults;
	struct tdx_emu_fault faults[TDX_EMU_MAX_FAULTS];
};

struct tdx_emu_verify {
	u64 bytes_init;		/* PAMT bytes TDMR.INIT wrote */
	u64 bytes_expected;	/* PAMT bytes of all configured TDMRs */
	u64 entries_checked;
	u64 entries_corrupted;
	u64 first_bad_pa;	/* PA of the first corrupted entry */
	unsigned int tdmrs_busy;	/* skipped: being initialized */
	unsigned int read_errors;
};

/*
 * Defaults of a 1.5 module on a platform without CMRs or CPUs (the caller
 * adds them): KeyIDs mktme=31 tdx=32, SEAMRR 32 MiB at 0xFE000000 (never
 * RAM), TDX_FEATURES0 as the 1.5 module reports it.
 */
void tdx_emu_config_default(struct tdx_emu_config *c);
/*
 * The configuration is usable: LPs and CMRs within the arrays, no APIC id
 * twice, limits and entry size in range, SEAMRR a power of two aligned to
 * its size. 0 or -EINVAL. (CMR contents are TDH.SYS.INIT's to judge.)
 */
int tdx_emu_config_check(const struct tdx_emu_config *c);
/* Smallest MK_TME_KEYID_BITS that can number every KeyID. */
unsigned int tdx_emu_keyid_bits(u32 mktme, u32 tdx);
/* Private KeyID range; false if there is none. */
bool tdx_emu_private_keyids(const struct tdx_emu_config *c, u32 *min, u32 *max);
/* Index of the LP with @apic_id in c->lps, or -ENODEV. */
int tdx_emu_lp_find(const struct tdx_emu_config *c, u32 apic_id);
/* Packages of the platform (distinct pkg values among the LPs). */
unsigned int tdx_emu_platform_pkgs(const struct tdx_emu_config *c);

/* Bind ops, clear the knobs and power on. */
void tdx_emu_init(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx);
/* Power on: module state and statistics cleared; config and knobs kept. */
void tdx_emu_reset(struct tdx_emu *e);
/*
 * Take over a struct tdx_emu that survived its previous owner (driver
 * reload, kexec): check its header and bounds, rebind ops and ctx, keep
 * the module state. -EINVAL if it is not one (power on fresh instead).
 */
int tdx_emu_resume(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx);

/*
 * One SEAMCALL; @rax is leaf | version << 16. Returns the status, or
 * TDX_SEAMCALL_VMFAILINVALID for a CPU the platform does not have.
 */
u64 tdx_emu_seamcall(struct tdx_emu *e, u64 rax, struct tdx_emu_regs *r);

/* MSRs the host reads: 0xFE, 0x87, 0x982, 0x1400, 0x1401; -EIO otherwise. */
int tdx_emu_rdmsr(const struct tdx_emu *e, u32 msr, u64 *val);

const char *tdx_emu_state_name(int state);
unsigned int tdx_emu_lps_initialized(const struct tdx_emu *e);
unsigned int tdx_emu_pkgs_configured(const struct tdx_emu *e);
unsigned int tdx_emu_tdmrs_initialized(const struct tdx_emu *e);
/* KeyIDs CONFIG reserved (successful or not); never free until power-on. */
bool tdx_emu_keyid_reserved(const struct tdx_emu *e, u32 keyid);
unsigned int tdx_emu_keyids_reserved(const struct tdx_emu *e);

/* Fault list (safe against concurrent SEAMCALLs): -EINVAL, -ENOSPC. */
int tdx_emu_fault_add(struct tdx_emu *e, u16 leaf, u64 status, u32 nth);
void tdx_emu_fault_clear(struct tdx_emu *e);
/* Pending faults, "leaf=L status=0xS nth=N left=K\n" each; snprintf-like. */
int tdx_emu_fault_format(struct tdx_emu *e, char *buf, size_t len);

/*
 * Transient rates and seed (safe against concurrent SEAMCALLs): the draw
 * sequence restarts from the seed. -EINVAL if a rate exceeds 1000.
 */
int tdx_emu_set_transients(struct tdx_emu *e, const struct tdx_emu_transients *t);
void tdx_emu_get_transients(struct tdx_emu *e, struct tdx_emu_transients *t);

/* PAMT bytes TDMR.INIT writes for all configured TDMRs. */
u64 tdx_emu_pamt_expected(const struct tdx_emu *e);
/* Re-read every PAMT entry TDMR.INIT wrote and compare. */
void tdx_emu_verify(struct tdx_emu *e, struct tdx_emu_verify *v);

#endif /* TDX_EMU_CORE_H */
