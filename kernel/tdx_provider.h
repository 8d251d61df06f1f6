/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEAMCALL provider interface between tdx_sys and whatever executes
 * SEAMCALLs: the CPU (tdx_hw.c) or the emulated module and platform
 * (tdx_emu). A provider supplies the mechanics - the instruction, VMX
 * operation, cache flushes, the CPU's facts - and nothing else: when and
 * around what they happen (the policy) is tdx_sys's common code, the same
 * for both. What the platform is made of (CPUs from the ACPI MADT, memory)
 * tdx_sys reads from the firmware itself.
 */
#ifndef TDX_PROVIDER_H
#define TDX_PROVIDER_H

#include <linux/types.h>

struct module;

/* Argument and output registers besides RAX. */
struct tdx_module_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
};

struct tdx_provider {
	const char *name;		/* "hardware", "emulated" */
	struct module *owner;
	/*
	 * SEAMCALL @fn (leaf | version << 16) on the current CPU, which is
	 * in VMX operation, with interrupts off. Outputs are written back
	 * into @args; returns the status (RAX), or TDX_SEAMCALL_UD/_GP/
	 * _VMFAILINVALID for what the instruction itself raised.
	 */
	u64 (*seamcall)(u64 fn, struct tdx_module_args *args);
	/*
	 * Enter VMX operation on the current CPU, interrupts off. Returns 1
	 * if the CPU already is in VMX operation (CR4.VMXE set by someone
	 * else, e.g. KVM: use it, leave it alone), 0 if it entered (the
	 * caller must call vmx_leave() before enabling interrupts), or
	 * -EOPNOTSUPP (no VMX), -EACCES (IA32_FEATURE_CONTROL forbids VMXON),
	 * -EIO (VMXON failed).
	 */
	int (*vmx_enter)(void);
	/* Leave what vmx_enter() entered: VMXOFF, CR4.VMXE cleared. */
	void (*vmx_leave)(void);
	/* Write back and invalidate this CPU's caches (WBINVD). */
	void (*flush_cache)(void);
	/*
	 * Return [pa, pa + size) to KeyID 0 (MOVDIR64B over every 64 bytes)
	 * once the module no longer owns it. 0, or -errno if impossible.
	 */
	int (*reset_memory)(u64 pa, u64 size);
	/* MSRs the host needs (0x3a, 0x87, 0x982, SEAMRR); -EIO if unreadable. */
	int (*rdmsr)(u32 msr, u64 *val);
	/* The CPU's family and model (CPUID leaf 1), for errata. */
	void (*cpu_model)(u32 *family, u32 *model);
};

/*
 * Exported by tdx_sys. Registering probes the module - TDH.SYS.INIT and
 * TDH.SYS.LP.INIT on one CPU, which the metadata leaves need, then CMRs,
 * limits and version - and publishes what it read; it never configures.
 * One provider at a time: -EBUSY if one is registered.
 */
int tdx_provider_register(const struct tdx_provider *p);
/*
 * -EBUSY once the host has configured the module (TDH.SYS.CONFIG done):
 * the module then owns PAMT memory until reboot.
 */
int tdx_provider_unregister(const struct tdx_provider *p);

#endif /* TDX_PROVIDER_H */
