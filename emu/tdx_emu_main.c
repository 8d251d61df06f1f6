// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu.ko: an emulated TDX module for testing tdx_sys without TDX
 * hardware, in the manner of nfit_test. The platform is described through
 * configfs (/sys/kernel/config/tdx_emu); writing 1 to "attached" registers
 * the emulator as tdx_sys's SEAMCALL provider.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include "tdx_provider.h"
#include "tdx_emu.h"

struct tdx_emu_platform tdx_emu_plat = {
	.lock = __MUTEX_INITIALIZER(tdx_emu_plat.lock),
	/* A TDX host: VMX allowed and locked by the BIOS; Emerald Rapids */
	.feature_control = TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX,
	.cpu_family = 6,
	.cpu_model = 0xcf,
};

static int emu_state(void)
{
	return READ_ONCE(tdx_emu_plat.emu.sys_state);
}

/*
 * The instruction: #UD outside VMX operation, then the module. Around it,
 * what the CPUs' caches hold: from CONFIG on the module writes with its
 * private KeyID, and KEY.CONFIG should find every CPU flushed since CONFIG.
 */
static u64 emu_seamcall(u64 fn, struct tdx_module_args *args)
{
	struct tdx_emu_regs r = {
		.rcx = args->rcx, .rdx = args->rdx, .r8 = args->r8,
		.r9 = args->r9, .r10 = args->r10, .r11 = args->r11,
	};
	u64 leaf = fn & 0xffff, st;
	int before, after;

	if (!tdx_emu_vmx_on())
		return TDX_SEAMCALL_UD;
	before = emu_state();
	if (leaf == TDH_SYS_KEY_CONFIG && before == TDX_EMU_SYSCONFIG_DONE &&
	    tdx_emu_cpus_kid0_dirty())
		atomic64_inc(&tdx_emu_cpu_stats.key_config_unflushed);
	st = tdx_emu_seamcall(&tdx_emu_plat.emu, fn, &r);
	after = emu_state();
	if (leaf == TDH_SYS_CONFIG && before < TDX_EMU_SYSCONFIG_DONE &&
	    after >= TDX_EMU_SYSCONFIG_DONE)
		tdx_emu_cpu_configured();
	tdx_emu_cpu_after_call(leaf, st, before, after);

	args->rcx = r.rcx;
	args->rdx = r.rdx;
	args->r8 = r.r8;
	args->r9 = r.r9;
	args->r10 = r.r10;
	args->r11 = r.r11;
	return st;
}

static int emu_rdmsr(u32 msr, u64 *val)
{
	if (msr == TDX_EMU_MSR_FEATURE_CONTROL) {
		*val = READ_ONCE(tdx_emu_plat.feature_control);
		return 0;
	}
	return tdx_emu_rdmsr(&tdx_emu_plat.emu, msr, val);
}

static void emu_cpu_model(u32 *family, u32 *model)
{
	*family = READ_ONCE(tdx_emu_plat.cpu_family);
	*model = READ_ONCE(tdx_emu_plat.cpu_model);
}

/* MOVDIR64B with KeyID 0 over the range: zeroes, as the real one leaves. */
static int emu_reset_memory(u64 pa, u64 size)
{
	static const u8 zero[64];
	u64 p;

	if (!IS_ALIGNED(pa, 64) || !IS_ALIGNED(size, 64))
		return -EINVAL;
	for (p = pa; p < pa + size; p += sizeof(zero)) {
		if (tdx_emu_kernel_ops.write(NULL, p, zero, sizeof(zero)))
			return -EFAULT;
		if (!(p & (SZ_2M - 1)))
			cond_resched();
	}
	return 0;
}

static const struct tdx_provider emu_provider = {
	.name = "emulated",
	.owner = THIS_MODULE,
	.seamcall = emu_seamcall,
	.vmx_enter = tdx_emu_vmx_enter,
	.vmx_leave = tdx_emu_vmx_leave,
	.flush_cache = tdx_emu_flush_cache,
	.reset_memory = emu_reset_memory,
	.rdmsr = emu_rdmsr,
	.cpu_model = emu_cpu_model,
};

void tdx_emu_default_cpus(u8 *map)
{
	unsigned int cpu;

	memset(map, TDX_EMU_NO_PKG, TDX_EMU_MAX_CPUS);
	for_each_present_cpu(cpu)
		if (cpu < TDX_EMU_MAX_CPUS)
			map[cpu] = 0;
}

/* Called with tdx_emu_plat.lock held. */
int tdx_emu_attach(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;
	struct tdx_emu_config *c = &p->emu.cfg;
	int ret;

	if (p->attached)
		return 0;
	if (!p->cmrs_set) {
		ret = tdx_emu_firmware_cmrs(c->cmrs, &c->nr_cmrs);
		if (ret)
			return ret;
	}
	if (!p->cpus_set)
		tdx_emu_default_cpus(c->cpu_pkg);
	c->keyid_bits = tdx_emu_keyid_bits(c->num_mktme_keyids,
					   c->num_tdx_keyids);
	/* A new platform boots: the module starts in SYSINIT_PENDING. */
	tdx_emu_reset(&p->emu);
	p->attached = true;
	ret = tdx_provider_register(&emu_provider);
	if (ret) {
		p->attached = false;
		pr_warn("attach failed: tdx_provider_register: %d\n", ret);
		return ret;
	}
	pr_info("attached: %u CPUs in %u packages, %u CMRs, TDX module %u.%u.%u\n",
		tdx_emu_platform_cpus(c), tdx_emu_platform_pkgs(c), c->nr_cmrs,
		c->major, c->minor, c->update);
	return 0;
}

/* Called with tdx_emu_plat.lock held. */
int tdx_emu_detach(void)
{
	int ret;

	if (!tdx_emu_plat.attached)
		return 0;
	ret = tdx_provider_unregister(&emu_provider);
	if (ret) {
		pr_warn("detach refused (%d): the host configured the module, its PAMT stays in use until reboot\n",
			ret);
		return ret;
	}
	tdx_emu_plat.attached = false;
	pr_info("detached\n");
	return 0;
}

static int __init tdx_emu_init_module(void)
{
	int ret;

	tdx_emu_locks_init();
	tdx_emu_config_default(&tdx_emu_plat.emu.cfg);
	tdx_emu_init(&tdx_emu_plat.emu, &tdx_emu_kernel_ops, NULL);
	ret = tdx_emu_configfs_init();
	if (ret)
		pr_err("configfs registration failed: %d\n", ret);
	return ret;
}

static void __exit tdx_emu_exit_module(void)
{
	tdx_emu_configfs_exit();
	tdx_emu_cpu_exit();
	mutex_lock(&tdx_emu_plat.lock);
	/* tdx_sys pins this module while configured, so this succeeds */
	WARN_ON(tdx_emu_detach());
	mutex_unlock(&tdx_emu_plat.lock);
}

module_init(tdx_emu_init_module);
module_exit(tdx_emu_exit_module);
MODULE_DESCRIPTION("Emulated Intel TDX module (configfs-configured test platform)");
MODULE_LICENSE("GPL");
