// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU and per-package parts of initialization: TDH.SYS.LP.INIT on every
 * platform CPU (and on CPUs coming online later), TDH.SYS.KEY.CONFIG once
 * per package. Platform CPUs are tdx_sys_topo.c's; packages are Linux's
 * view of CPUID, which is where the module takes them from too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "tdx_status.h"
#include "tdx_sys.h"

#define TDX_MAX_PKGS	256

static enum cpuhp_state tdx_hp_state;

static void tdx_publish_cpus(void)
{
	const struct cpumask *plat = &tdx.topo.cpus;
	unsigned int done = 0, cpu;

	for_each_cpu(cpu, plat)
		if (cpumask_test_cpu(cpu, &tdx.lp_done))
			done++;
	mutex_lock(&tdx.pub);
	tdx.cpus_platform = tdx.topo.nr_lps;
	tdx.cpus_done = done;
	mutex_unlock(&tdx.pub);
}

/*
 * Under tdx.lock and cpus_read_lock() with @cpu online. @quiet: report a
 * failure in the log only, leaving tdx.error alone (CPU hotplug path).
 */
static int tdx_lp_init_cpu(unsigned int cpu, bool quiet)
{
	struct tdx_module_args a = {};
	char ctx[32];
	u64 st;

	st = tdx_seamcall_retry(cpu, TDH_SYS_LP_INIT, &a);
	if (!tdx_status_is_error(st) || tdx_status_is(st, TDX_SYS_LP_INIT_DONE)) {
		cpumask_set_cpu(cpu, &tdx.lp_done);
		return 0;
	}
	if (tdx_status_is(st, TDX_SYS_LP_INIT_NOT_PENDING) && tdx.sysinit_found &&
	    !tdx.configured) {
		/* Configured before us, which needed LP.INIT on every LP */
		cpumask_set_cpu(cpu, &tdx.lp_done);
		tdx.found_configured = true;
		return 0;
	}
	if (tdx_status_is(st, TDX_SYS_LP_INIT_NOT_PENDING) && tdx.configured) {
		/* After CONFIG the module takes no LP.INIT; not an error. */
		pr_info("CPU %u: TDH.SYS.LP.INIT no longer accepted after configuration\n",
			cpu);
		return 0;
	}
	if (quiet) {
		char buf[256];

		tdx_status_format(TDH_SYS_LP_INIT, st, buf, sizeof(buf));
		pr_warn("CPU %u: %s\n", cpu, buf);
	} else {
		scnprintf(ctx, sizeof(ctx), "CPU %u", cpu);
		tdx_seamcall_error(TDH_SYS_LP_INIT, st, ctx);
	}
	return -EIO;
}

/*
 * At probe: the metadata leaves need LP.INIT on the CPU that calls them.
 * This one if the platform has it, else the first online platform CPU.
 */
int tdx_lp_init_local(void)
{
	const struct cpumask *plat = &tdx.topo.cpus;
	unsigned int cpu = raw_smp_processor_id();
	int ret;

	if (!cpumask_test_cpu(cpu, plat))
		cpu = cpumask_first_and(plat, cpu_online_mask);
	if (cpu >= nr_cpu_ids) {
		tdx_err("none of the TDX platform's CPUs is online");
		tdx_publish_cpus();
		return -ENODEV;
	}
	ret = tdx_lp_init_cpu(cpu, false);

	tdx_publish_cpus();
	return ret;
}

/* Every platform CPU, all of which must be online. */
int tdx_lp_init_all(void)
{
	const struct cpumask *plat = &tdx.topo.cpus;
	cpumask_var_t off;
	unsigned int cpu;
	int ret;

	ret = tdx_topo_check_complete();
	if (ret) {
		tdx_publish_cpus();
		return ret;
	}
	if (!zalloc_cpumask_var(&off, GFP_KERNEL))
		return -ENOMEM;
	cpumask_andnot(off, plat, cpu_online_mask);
	if (!cpumask_empty(off)) {
		tdx_err("CPU%s %*pbl offline (maxcpus=, nosmt or taken offline): online them and retry (echo 1 > /sys/devices/system/cpu/cpuN/online; with nosmt, /sys/devices/system/cpu/smt/control first): TDH.SYS.CONFIG needs TDH.SYS.LP.INIT on every platform CPU",
			cpumask_weight(off) > 1 ? "s" : "",
			cpumask_pr_args(off));
		ret = -EAGAIN;
		goto out;
	}
	for_each_cpu(cpu, plat) {
		if (cpumask_test_cpu(cpu, &tdx.lp_done))
			continue;
		ret = tdx_lp_init_cpu(cpu, false);
		if (ret)
			break;
		cond_resched();
	}
out:
	tdx_publish_cpus();
	free_cpumask_var(off);
	return ret;
}

/* After CONFIG and WBINVD: one CPU of each package, one at a time. */
int tdx_key_config_all(void)
{
	const struct cpumask *plat = &tdx.topo.cpus;
	unsigned long *done;
	unsigned int cpu, n = 0;
	int ret = 0;

	done = bitmap_zalloc(TDX_MAX_PKGS, GFP_KERNEL);
	if (!done)
		return -ENOMEM;
	for_each_cpu_and(cpu, plat, cpu_online_mask) {
		struct tdx_module_args a = {};
		int pkg = topology_physical_package_id(cpu);
		char ctx[48];
		u64 st;

		if (pkg < 0 || pkg >= TDX_MAX_PKGS) {
			tdx_err("CPU %u: package id %d unusable for TDH.SYS.KEY.CONFIG",
				cpu, pkg);
			ret = -EINVAL;
			break;
		}
		if (test_bit(pkg, done))
			continue;
		st = tdx_seamcall_retry(cpu, TDH_SYS_KEY_CONFIG, &a);
		if (tdx_status_is_error(st)) {
			scnprintf(ctx, sizeof(ctx), "package %d (CPU %u)", pkg,
				  cpu);
			tdx_seamcall_error(TDH_SYS_KEY_CONFIG, st, ctx);
			ret = -EIO;
			break;
		}
		/* TDX_KEY_CONFIGURED (informational) also means done */
		set_bit(pkg, done);
		n++;
	}
	if (!ret)
		pr_info("TDH.SYS.KEY.CONFIG done on %u package%s\n", n,
			n == 1 ? "" : "s");
	bitmap_free(done);
	return ret;
}

/*
 * A CPU coming online once SYS.INIT is done gets LP.INIT if the module
 * still takes it. Never fails the hotplug: TDX must not get in its way.
 */
static int tdx_cpu_online(unsigned int cpu)
{
	const struct tdx_provider *p;

	mutex_lock(&tdx.lock);
	p = tdx.provider;
	if (!p || !tdx.sysinit_done)
		goto out;
	if (!tdx_topo_is_platform_cpu(cpu)) {
		if (!cpumask_test_and_set_cpu(cpu, &tdx.nonplatform_reported))
			pr_warn("CPU %u is not one of the TDX platform's CPUs (hot-added?): it cannot run TDs\n",
				cpu);
		goto out;
	}
	if (cpumask_test_cpu(cpu, &tdx.lp_done))
		goto out;
	tdx_lp_init_cpu(cpu, true);
	tdx_publish_cpus();
out:
	mutex_unlock(&tdx.lock);
	return 0;
}

int tdx_cpu_hp_setup(void)
{
	int ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					    "tdx_sys:online", tdx_cpu_online,
					    NULL);

	if (ret < 0)
		return ret;
	tdx_hp_state = ret;
	return 0;
}

void tdx_cpu_hp_remove(void)
{
	if (tdx_hp_state > 0)
		cpuhp_remove_state_nocalls(tdx_hp_state);
	tdx_hp_state = 0;
}
