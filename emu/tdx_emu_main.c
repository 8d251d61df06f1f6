// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu.ko: an emulated TDX module for testing tdx_sys without TDX
 * hardware, in the manner of nfit_test. The platform is described through
 * configfs (/sys/kernel/config/tdx_emu); writing 1 to "attached" registers
 * the emulator as tdx_sys's SEAMCALL provider.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/ioport.h>
#include <linux/cpumask.h>
#include <linux/topology.h>
#include <asm/smp.h>
#include "tdx_provider.h"
#include "tdx_emu.h"

struct tdx_emu_platform tdx_emu_plat = {
	.lock = __MUTEX_INITIALIZER(tdx_emu_plat.lock),
};

static struct cpumask emu_platform_mask;

static u64 emu_seamcall(u64 fn, struct tdx_module_args *args)
{
	struct tdx_emu_regs r = {
		.rcx = args->rcx, .rdx = args->rdx, .r8 = args->r8,
		.r9 = args->r9, .r10 = args->r10, .r11 = args->r11,
	};
	u64 st = tdx_emu_seamcall(&tdx_emu_plat.emu, fn, &r);

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
	return tdx_emu_rdmsr(&tdx_emu_plat.emu, msr, val);
}

static int emu_cpu_package(unsigned int cpu)
{
	const struct tdx_emu_config *c = &tdx_emu_plat.emu.cfg;
	int lp = tdx_emu_lp_find(c, cpu_physical_id(cpu));

	return lp < 0 ? -ENODEV : c->lps[lp].pkg;
}

static const struct cpumask *emu_platform_cpus(void)
{
	return &emu_platform_mask;
}

static const struct tdx_provider emu_provider = {
	.name = "emulated",
	.owner = THIS_MODULE,
	.seamcall = emu_seamcall,
	.rdmsr = emu_rdmsr,
	.cpu_package = emu_cpu_package,
	.platform_cpus = emu_platform_cpus,
};

struct cmr_walk {
	struct tdx_cmr_info *cmrs;
	unsigned int nr;
	bool truncated;
};

static int emu_add_ram(struct resource *res, void *arg)
{
	struct cmr_walk *w = arg;
	u64 start = tdx_align_up(res->start, TDX_SZ_4K);
	u64 end = tdx_align_down(res->end + 1, TDX_SZ_4K);

	if (end <= start)
		return 0;
	if (w->nr && start < w->cmrs[w->nr - 1].base + w->cmrs[w->nr - 1].size)
		return 0;	/* nested resource already covered */
	if (w->nr == TDX_MAX_CMRS) {
		w->truncated = true;
		return 0;
	}
	w->cmrs[w->nr].base = start;
	w->cmrs[w->nr].size = end - start;
	w->nr++;
	return 0;
}

/*
 * Every System RAM range present now, hot-added but offline ones included:
 * what the BIOS would have reported as convertible on a TDX platform.
 */
void tdx_emu_default_cmrs(struct tdx_cmr_info *cmrs, unsigned int *nr)
{
	struct cmr_walk w = { .cmrs = cmrs };

	memset(cmrs, 0, sizeof(*cmrs) * TDX_MAX_CMRS);
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &w, emu_add_ram);
	if (w.truncated)
		pr_warn("more than %d System RAM ranges: default CMRs keep the first %d\n",
			TDX_MAX_CMRS, TDX_MAX_CMRS);
	*nr = w.nr;
}

void tdx_emu_default_lps(struct tdx_emu_lp *lps, unsigned int *nr)
{
	unsigned int cpu, n = 0;

	for_each_present_cpu(cpu) {
		if (n == TDX_EMU_MAX_LPS)
			break;
		lps[n].apic_id = cpu_physical_id(cpu);
		lps[n].pkg = topology_physical_package_id(cpu);
		n++;
	}
	*nr = n;
}

/* Called with tdx_emu_plat.lock held. */
int tdx_emu_attach(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;
	struct tdx_emu_config *c = &p->emu.cfg;
	unsigned int cpu;
	int ret;

	if (p->attached)
		return 0;
	if (!p->cmrs_set)
		tdx_emu_default_cmrs(c->cmrs, &c->nr_cmrs);
	if (!p->cpus_set)
		tdx_emu_default_lps(c->lps, &c->nr_lps);
	c->keyid_bits = tdx_emu_keyid_bits(c->num_mktme_keyids,
					   c->num_tdx_keyids);
	if (tdx_emu_config_check(c)) {
		pr_warn("attach refused: inconsistent platform configuration\n");
		return -EINVAL;
	}
	cpumask_clear(&emu_platform_mask);
	for_each_possible_cpu(cpu)
		if (tdx_emu_lp_find(c, cpu_physical_id(cpu)) >= 0)
			cpumask_set_cpu(cpu, &emu_platform_mask);
	if (cpumask_weight(&emu_platform_mask) < c->nr_lps)
		pr_warn("%u platform CPUs are not CPUs of this kernel: TDH.SYS.CONFIG will fail\n",
			c->nr_lps - cpumask_weight(&emu_platform_mask));
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
		c->nr_lps, tdx_emu_platform_pkgs(c), c->nr_cmrs,
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
	mutex_lock(&tdx_emu_plat.lock);
	/* tdx_sys pins this module while configured, so this succeeds */
	WARN_ON(tdx_emu_detach());
	mutex_unlock(&tdx_emu_plat.lock);
}

module_init(tdx_emu_init_module);
module_exit(tdx_emu_exit_module);
MODULE_DESCRIPTION("Emulated Intel TDX module (configfs-configured test platform)");
MODULE_LICENSE("GPL");
