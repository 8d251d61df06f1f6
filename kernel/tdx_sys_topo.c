// SPDX-License-Identifier: GPL-2.0
/*
 * The platform's logical CPUs: every one the BIOS enabled, as MCHECK
 * counted them at boot and as TDH.SYS.CONFIG requires LP.INIT on, read
 * from the ACPI MADT and matched to Linux's CPUs by APIC id. Linux may have
 * fewer (nr_cpus=, a possible-CPU limit: TDX is then impossible this boot)
 * or keep some offline (maxcpus=, nosmt), and CPUs hot-added later are not
 * platform CPUs at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <asm/smp.h>

#include "tdx_sys.h"

#define TDX_MAX_PKGS_SEEN	256

/* The Linux CPU with APIC id @apic, or nr_cpu_ids. */
static unsigned int tdx_apic_to_cpu(u32 apic)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (cpu_physical_id(cpu) == apic)
			return cpu;
	return nr_cpu_ids;
}

static void tdx_topo_add(struct tdx_topo *t, u32 apic)
{
	unsigned int cpu = tdx_apic_to_cpu(apic);

	t->nr_lps++;
	if (cpu < nr_cpu_ids && cpu_present(cpu)) {
		cpumask_set_cpu(cpu, &t->cpus);
		return;
	}
	if (t->nr_unknown < TDX_TOPO_SHOW_UNKNOWN)
		t->unknown_apic[t->nr_unknown] = apic;
	t->nr_unknown++;
}

/* Enabled Local APIC and x2APIC entries; an APIC id listed twice counts once. */
static int tdx_topo_read_madt(struct tdx_topo *t)
{
	struct acpi_table_header *h;
	u32 *seen;
	unsigned int nseen = 0, max;
	u8 *p, *end;

	if (acpi_disabled ||
	    ACPI_FAILURE(acpi_get_table(ACPI_SIG_MADT, 0, &h)))
		return -ENODEV;
	/* No more entries than could fit in the table */
	max = h->length / sizeof(struct acpi_madt_local_apic) + 1;
	seen = kcalloc(max, sizeof(*seen), GFP_KERNEL);
	if (!seen) {
		acpi_put_table(h);
		return -ENOMEM;
	}
	p = (u8 *)h + sizeof(struct acpi_table_madt);
	end = (u8 *)h + h->length;
	while (p + sizeof(struct acpi_subtable_header) <= end) {
		struct acpi_subtable_header *sub = (void *)p;
		unsigned int i;
		bool enabled = false;
		u32 apic = 0;

		if (sub->length < sizeof(*sub) || p + sub->length > end)
			break;
		if (sub->type == ACPI_MADT_TYPE_LOCAL_APIC &&
		    sub->length >= sizeof(struct acpi_madt_local_apic)) {
			struct acpi_madt_local_apic *la = (void *)sub;

			enabled = la->lapic_flags & ACPI_MADT_ENABLED;
			apic = la->id;
		} else if (sub->type == ACPI_MADT_TYPE_LOCAL_X2APIC &&
			   sub->length >= sizeof(struct acpi_madt_local_x2apic)) {
			struct acpi_madt_local_x2apic *x = (void *)sub;

			enabled = x->lapic_flags & ACPI_MADT_ENABLED;
			apic = x->local_apic_id;
		}
		p += sub->length;
		if (!enabled)
			continue;
		for (i = 0; i < nseen && seen[i] != apic; i++)
			;
		if (i < nseen || nseen == max)
			continue;
		seen[nseen++] = apic;
		tdx_topo_add(t, apic);
	}
	kfree(seen);
	acpi_put_table(h);
	return nseen ? 0 : -ENODEV;
}

/*
 * Read the platform's CPUs into @t. Without a MADT (no ACPI), Linux's
 * present CPUs are the best there is: say so once.
 */
int tdx_topo_read(struct tdx_topo *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	ret = tdx_topo_read_madt(t);
	if (!ret) {
		t->from_madt = true;
		return 0;
	}
	if (ret == -ENOMEM)
		return ret;
	memset(t, 0, sizeof(*t));
	cpumask_copy(&t->cpus, cpu_present_mask);
	t->nr_lps = cpumask_weight(&t->cpus);
	pr_warn("no ACPI MADT: taking Linux's %u present CPUs as the platform's; CPUs Linux was told to ignore cannot be detected\n",
		t->nr_lps);
	return 0;
}

bool tdx_topo_is_platform_cpu(unsigned int cpu)
{
	return cpu < nr_cpu_ids && cpumask_test_cpu(cpu, &tdx.topo.cpus);
}

/*
 * Every platform CPU must be one Linux can run: TDH.SYS.CONFIG needs
 * LP.INIT on all of them. Under tdx.lock.
 */
int tdx_topo_check_complete(void)
{
	const struct tdx_topo *t = &tdx.topo;
	char list[TDX_TOPO_SHOW_UNKNOWN * 12 + 8];
	unsigned int i;
	int n = 0;

	if (!t->nr_unknown)
		return 0;
	list[0] = '\0';
	for (i = 0; i < min_t(unsigned int, t->nr_unknown,
			      TDX_TOPO_SHOW_UNKNOWN); i++)
		n += scnprintf(list + n, sizeof(list) - n, "%s%u", i ? "," : "",
			       t->unknown_apic[i]);
	if (t->nr_unknown > TDX_TOPO_SHOW_UNKNOWN)
		scnprintf(list + n, sizeof(list) - n, ",...");
	tdx_err("TDX cannot be initialized this boot: %u of the %u logical CPUs the BIOS enabled are unknown to Linux (APIC ids %s; booted with nr_cpus= or a CPU limit?), and TDH.SYS.CONFIG needs TDH.SYS.LP.INIT on every one; reboot without such a limit",
		t->nr_unknown, t->nr_lps, list);
	return -ENODEV;
}

/*
 * The module's package count (NUM_PKGS, what MCHECK counted) must be the
 * packages of the platform CPUs Linux runs, or TDH.SYS.KEY.CONFIG cannot
 * reach every package: checked before TDH.SYS.CONFIG, the point of no
 * return. Under tdx.lock.
 */
int tdx_topo_check_packages(void)
{
	static const char * const why[] = {
		"a package's CPUs are missing (not brought up by Linux?): TDH.SYS.KEY.CONFIG could not reach it",
		"Linux sees packages the module does not: the platform changed since boot?",
	};
	unsigned long *pkgs;
	unsigned int cpu, n;
	char list[96];
	int ret = 0;

	if (!tdx.meta.have_num_pkgs) {
		pr_info("the TDX module does not report its package count: not cross-checked\n");
		return 0;
	}
	pkgs = bitmap_zalloc(TDX_MAX_PKGS_SEEN, GFP_KERNEL);
	if (!pkgs)
		return -ENOMEM;
	for_each_cpu(cpu, &tdx.topo.cpus) {
		int pkg = topology_physical_package_id(cpu);

		if (pkg >= 0 && pkg < TDX_MAX_PKGS_SEEN)
			set_bit(pkg, pkgs);
	}
	n = bitmap_weight(pkgs, TDX_MAX_PKGS_SEEN);
	if (n != tdx.meta.num_pkgs) {
		scnprintf(list, sizeof(list), "%*pbl", TDX_MAX_PKGS_SEEN, pkgs);
		tdx_err("package count mismatch: the TDX module counts %u package%s (NUM_PKGS), the platform CPUs Linux runs are in %u (package%s %s); %s",
			tdx.meta.num_pkgs, tdx.meta.num_pkgs == 1 ? "" : "s",
			n, n == 1 ? "" : "s", list,
			why[n > tdx.meta.num_pkgs]);
		ret = -ENODEV;
	}
	bitmap_free(pkgs);
	return ret;
}
