/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEAMCALL provider interface between tdx_sys and whatever executes
 * SEAMCALLs: the CPU instruction (tdx_hw.c) or the emulated module (tdx_emu).
 * Everything above it - marshalling, structures in physical memory passed
 * by physical address, status decoding - is common to both.
 */
#ifndef TDX_PROVIDER_H
#define TDX_PROVIDER_H

#include <linux/types.h>
#include <linux/cpumask.h>

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
	 * Execute SEAMCALL @fn (leaf | version << 16) on the current CPU.
	 * Called with preemption disabled; must not sleep. Outputs are
	 * written back into @args; returns the status (RAX).
	 */
	u64 (*seamcall)(u64 fn, struct tdx_module_args *args);
	/* MSRs the host needs (KeyID partitioning, TME activate); -EIO if unreadable. */
	int (*rdmsr)(u32 msr, u64 *val);
	/*
	 * The platform's logical CPUs (the BIOS-enabled ones) and their packages:
	 * returns the package id, or -ENODEV for a CPU the platform did not
	 * enumerate (e.g. a vCPU hot-added later).
	 */
	int (*cpu_package)(unsigned int cpu);
	/* Mask of the platform's logical CPUs: each must get LP.INIT. */
	const struct cpumask *(*platform_cpus)(void);
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
