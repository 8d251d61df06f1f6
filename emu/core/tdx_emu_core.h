/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated TDX module: the whole state machine and every leaf handler,
 * as pure C behind a small ops table so the kernel module (tdx_emu.ko) and
 * host unit tests run the same code. The model is tdx-module-model.md.
 *
 * Emulator-only conventions (not in the real module):
 * - A PA the host passes that the ops cannot read or write gives
 *   OPERAND_INVALID with that operand's id (TDX_OPERAND_ADDR_RANGE_ERROR|RCX
 *   from TDH.SYS.TDMR.INIT, whose PAMT was validated by TDH.SYS.CONFIG).
 * - TDH.SYS.RDALL and TDH.SYS.UPDATE pass gating but are not emulated:
 *   OPERAND_INVALID|RAX.
 * - TDH.SYS.RD with RDX = -1 returns the first field id in RDX, R8 = 0.
 * - LP.INIT on a CPU the platform does not have: TDX_INCORRECT_CPUID_VALUE
 *   (its topology does not match what TDH.SYS.INIT sampled); a package id
 *   of 8 or more: TDX_INVALID_PKG_ID.
 * - TDH.SYS.INIT with no TDX KeyIDs in MSR 0x87:
 *   TDX_INCORRECT_MSR_VALUE | 0x87.
 * - KEY.CONFIG, TDMR.INIT and SHUTDOWN on a CPU without LP.INIT:
 *   TDX_SYS_LP_INIT_NOT_DONE.
 *
 * PAMT entry encoding written by TDH.SYS.TDMR.INIT (pamt_entry_size bytes):
 * u64 0 = TDX_EMU_PAMT_MAGIC | level << 8 | type, u64 1 = the PA the entry
 * describes, the rest zero. Type is RSVD for a 4K page inside a reserved
 * area and for a 2M/1G page entirely reserved, NDA otherwise.
 */
#ifndef TDX_EMU_CORE_H
#define TDX_EMU_CORE_H

#include "tdx_abi.h"

#define TDX_EMU_MAX_CPUS	512	/* CPU ids the platform map can hold */
#define TDX_EMU_MAX_PKGS	8	/* package ids LP.INIT accepts */
#define TDX_EMU_MAX_PKG_ID	254	/* package ids the map can hold */
#define TDX_EMU_NO_PKG		0xff	/* CPU not in the platform */
#define TDX_EMU_MAX_FAULTS	8
#define TDX_EMU_MAX_LEAF	63	/* per-leaf counters for leaves 0..63 */

#define TDX_EMU_PAMT_MAGIC	0x50414D5400000000ULL	/* "PAMT" */
#define TDX_EMU_PT_NDA		0
#define TDX_EMU_PT_RSVD		1

/* The 1.5 module serves 16-byte entries; the emulator accepts these. */
#define TDX_EMU_PAMT_ENTRY_MIN	16
#define TDX_EMU_PAMT_ENTRY_MAX	64

/* Bytes of PAMT initialized per TDH.SYS.TDMR.INIT call: 4 MiB of TDMR. */
#define TDX_EMU_TDMR_INIT_CHUNK	(4ULL << 20)

enum tdx_emu_sys_state {
	TDX_EMU_SYSINIT_PENDING = 0,
	TDX_EMU_SYSINIT_DONE = 1,
	TDX_EMU_SYSCONFIG_DONE = 2,
	TDX_EMU_SYS_READY = 3,
	TDX_EMU_SYS_SHUTDOWN = 4,
};

/* Locks the ops provide; all but LOCK_FAULTS are try-locks. */
#define TDX_EMU_LOCK_GLOBAL	0	/* shared (LP.INIT) or exclusive */
#define TDX_EMU_LOCK_FAULTS	1	/* short, blocking: the fault list */
#define TDX_EMU_LOCK_TDMR(i)	(2 + (i))
#define TDX_EMU_NR_LOCKS	(2 + TDX_MAX_TDMRS)

struct tdx_emu_ops {
	/* Physical memory the host passed by address; 0 or -EFAULT. */
	int (*read)(void *ctx, u64 pa, void *buf, size_t len);
	int (*write)(void *ctx, u64 pa, const void *buf, size_t len);
	unsigned int (*cpu)(void *ctx);	/* the calling logical CPU */
	bool (*trylock)(void *ctx, unsigned int lock, bool shared);
	void (*lock)(void *ctx, unsigned int lock);
	void (*unlock)(void *ctx, unsigned int lock, bool shared);
	void (*delay_ns)(void *ctx, u64 ns);	/* busy-wait, never sleeps */
};

/* The platform and module facts; frozen while the module runs. */
struct tdx_emu_config {
	struct tdx_cmr_info cmrs[TDX_MAX_CMRS];
	unsigned int nr_cmrs;
	u32 num_mktme_keyids;
	u32 num_tdx_keyids;
	unsigned int keyid_bits;		/* derived from the two above */
	u8 cpu_pkg[TDX_EMU_MAX_CPUS];		/* TDX_EMU_NO_PKG if absent */
	unsigned int max_tdmrs;
	unsigned int max_rsvd;
	unsigned int pamt_entry_size;
	u16 major, minor, update;
	u32 vendor_id;
	u32 build_date;
	u16 build_num;
	u32 attributes;
	u64 features0;
	u64 tdmr_init_delay_ns;
};

struct tdx_emu_fault {
	u16 leaf;
	u64 status;
	u32 nth;	/* 0: every call until cleared */
	u32 left;	/* calls of the leaf still to come before it fires */
};

struct tdx_emu_regs {
	u64 rcx, rdx, r8, r9, r10, r11;
};

struct tdx_emu {
	const struct tdx_emu_ops *ops;
	void *ctx;
	struct tdx_emu_config cfg;

	/* Runtime state, reset by tdx_emu_reset() ("power on"). */
	int sys_state;
	unsigned int num_lps;
	unsigned int num_pkgs;
	u8 lp_init[TDX_EMU_MAX_CPUS];
	u8 pkg_key_done[TDX_EMU_MAX_PKGS];
	u16 global_keyid;
	unsigned int nr_tdmrs;
	struct tdx_tdmr_info tdmrs[TDX_MAX_TDMRS];
	u64 tdmr_next[TDX_MAX_TDMRS];	/* next PA to initialize */
	u64 pamt_bytes_init;

	u64 calls[TDX_EMU_MAX_LEAF + 1];
	u64 errors[TDX_EMU_MAX_LEAF + 1];
	u64 bad_rax;
	u64 faults_fired;
	unsigned int nr_faults;
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

/* Defaults of a 1.5.0 module: no CMRs, no CPUs (the caller adds them). */
void tdx_emu_config_default(struct tdx_emu_config *c);
/* Smallest MK_TME_KEYID_BITS that can number every KeyID. */
unsigned int tdx_emu_keyid_bits(u32 mktme, u32 tdx);
/* Private KeyID range; false if there is none. */
bool tdx_emu_private_keyids(const struct tdx_emu_config *c, u32 *min, u32 *max);

/* Bind ops and power on: sys_state SYSINIT_PENDING, counters zero. */
void tdx_emu_init(struct tdx_emu *e, const struct tdx_emu_ops *ops, void *ctx);
void tdx_emu_reset(struct tdx_emu *e);

/* One SEAMCALL; @rax is leaf | version << 16. Returns the status. */
u64 tdx_emu_seamcall(struct tdx_emu *e, u64 rax, struct tdx_emu_regs *r);

/* MSRs the host reads: 0xFE, 0x87, 0x982, 0x1400, 0x1401; -EIO otherwise. */
int tdx_emu_rdmsr(const struct tdx_emu *e, u32 msr, u64 *val);
/* Package of @cpu or -ENODEV if the platform does not have it. */
int tdx_emu_cpu_package(const struct tdx_emu_config *c, unsigned int cpu);
unsigned int tdx_emu_platform_cpus(const struct tdx_emu_config *c);
unsigned int tdx_emu_platform_pkgs(const struct tdx_emu_config *c);

const char *tdx_emu_state_name(int state);
unsigned int tdx_emu_lps_initialized(const struct tdx_emu *e);
unsigned int tdx_emu_pkgs_configured(const struct tdx_emu *e);
unsigned int tdx_emu_tdmrs_initialized(const struct tdx_emu *e);

/* Fault list (safe against concurrent SEAMCALLs): -EINVAL, -ENOSPC. */
int tdx_emu_fault_add(struct tdx_emu *e, u16 leaf, u64 status, u32 nth);
void tdx_emu_fault_clear(struct tdx_emu *e);
/* Pending faults, "leaf=L status=0xS nth=N left=K\n" each; snprintf-like. */
int tdx_emu_fault_format(struct tdx_emu *e, char *buf, size_t len);

/* PAMT bytes TDMR.INIT writes for all configured TDMRs. */
u64 tdx_emu_pamt_expected(const struct tdx_emu *e);
/* Re-read every PAMT entry TDMR.INIT wrote and compare. */
void tdx_emu_verify(struct tdx_emu *e, struct tdx_emu_verify *v);

#endif /* TDX_EMU_CORE_H */
