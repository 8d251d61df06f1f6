/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdx_emu.ko internals: the one emulated platform, its configuration lock
 * and the pieces the configfs front end, the provider glue, the firmware
 * and CPU models share.
 */
#ifndef TDX_EMU_H
#define TDX_EMU_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include "tdx_emu_core.h"

/* Longest busy-wait per TDH.SYS.TDMR.INIT call the configuration accepts. */
#define TDX_EMU_MAX_DELAY_NS	10000000ULL

/* IA32_FEATURE_CONTROL (MSR 0x3a) bits VMXON depends on */
#define TDX_EMU_MSR_FEATURE_CONTROL	0x3a
#define TDX_EMU_FEAT_CTL_LOCKED		BIT_ULL(0)
#define TDX_EMU_FEAT_CTL_VMX		BIT_ULL(2)

/* Longest hypervisor churn period: VMs come and go at least this often */
#define TDX_EMU_MAX_CHURN_US		1000000UL

struct tdx_emu_platform {
	struct mutex lock;	/* configuration and attach state */
	bool attached;		/* registered as the SEAMCALL provider */
	bool cmrs_set;		/* else the BIOS's, from the boot memory map */
	bool cpus_set;		/* else the firmware's (ACPI MADT, CPUID) */
	bool resumed;		/* module state taken over at load */
	/* The CPU: MSR 0x3a as the BIOS left it; MOVDIR64B present */
	u64 feature_control;
	bool movdir64b;
	unsigned long churn_us;	/* hypervisor VMX churn period, 0 = off */
	struct tdx_emu emu;
};

/* What the CPUs saw; counters only grow (cleared by a platform reset). */
struct tdx_emu_cpu_stats {
	atomic64_t seamcalls;
	atomic64_t seamcalls_ud;	/* SEAMCALL outside VMX operation */
	atomic64_t irqs_on;		/* VMX checked or used with interrupts on */
	atomic64_t host_vmx_enters;
	atomic64_t bad_vmx_leaves;	/* VMXOFF of VMX the host did not enter */
	atomic64_t hv_toggles;
	atomic64_t hv_enables_refused;	/* KVM found CR4.VMXE already set */
	atomic64_t flushes;
	atomic64_t key_config_unflushed; /* KEY.CONFIG before every CPU flushed */
	atomic64_t pamt_reset_bytes;	/* MOVDIR64B over PAMT memory */
	atomic64_t private_bytes;	/* PAMT the module owns */
	atomic64_t private_unmapped;	/* of which out of the direct map */
};

extern struct tdx_emu_platform tdx_emu_plat;
extern const struct tdx_emu_ops tdx_emu_kernel_ops;
extern struct tdx_emu_cpu_stats tdx_emu_cpu_stats;

/* tdx_emu_main.c */
int tdx_emu_attach(void);
int tdx_emu_detach(void);
int tdx_emu_platform_reset(void);
bool tdx_emu_fresh(void);
int tdx_emu_handoff_format(char *buf, size_t len);

/* tdx_emu_firmware.c: the platform as its firmware and CPUs describe it */
int tdx_emu_firmware_cmrs(struct tdx_cmr_info *cmrs, unsigned int *nr_cmrs);
int tdx_emu_firmware_lps(struct tdx_emu_lp *lps, unsigned int *nr);
u32 tdx_emu_cpuid_apic_id(void);
u32 tdx_emu_cpuid_pkg(void);
void tdx_emu_fms_decode(u32 fms, u32 *family, u32 *model);
u32 tdx_emu_fms_encode(u32 family, u32 model);

/* tdx_emu_mem.c */
void tdx_emu_locks_init(void);

/* tdx_emu_cpu.c */
int tdx_emu_vmx_enter(void);
void tdx_emu_vmx_leave(void);
bool tdx_emu_vmx_on(void);
void tdx_emu_hv_set(bool on, bool wait);
bool tdx_emu_hv_is_on(void);
int tdx_emu_hv_churn(unsigned long us);
unsigned int tdx_emu_vmx_count(int hypervisor);
void tdx_emu_flush_cache(void);
void tdx_emu_cpu_after_call(u64 leaf, u64 status, int state_before,
			    int state_after);
void tdx_emu_cpu_configured(void);
unsigned int tdx_emu_cpus_kid0_dirty(void);
unsigned int tdx_emu_cpus_dirty(void);
void tdx_emu_cpu_reset(void);
void tdx_emu_cpu_exit(void);

/* tdx_emu_private.c */
void *tdx_emu_private_va(u64 pa);
void tdx_emu_private_configured(void);
void tdx_emu_private_reset(void);
unsigned int tdx_emu_private_reachable(void);

/* tdx_emu_configfs.c */
int tdx_emu_configfs_init(void);
void tdx_emu_configfs_exit(void);

#endif /* TDX_EMU_H */
