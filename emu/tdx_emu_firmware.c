// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated platform's firmware and CPU facts, read the way the
 * platform has them, never from what Linux made of them:
 * - the memory map the firmware handed the kernel at boot (boot_params,
 *   which the kernel keeps intact and exports read-only; memory hot-added
 *   later is never in it), from which the emulated BIOS derives its CMRs;
 * - the logical CPUs the BIOS enabled (ACPI MADT), whatever Linux was told
 *   with nr_cpus= or maxcpus=, and their packages from the x2APIC ids and
 *   the topology CPUID reports, as MCHECK counts them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <asm/processor.h>

#include "tdx_emu.h"
#include "tdx_emu_bios.h"

#define BP_PATH			"/sys/kernel/boot_params"
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_E820_TABLE		0x2d0	/* 128 x {u64 addr, u64 size, u32 type} */
#define BP_E820_MAX		128
#define E820_ENTRY_SIZE		20
#define SETUP_E820_EXT		1

/* Up to @len bytes of @path; bytes read or -errno. */
static ssize_t emu_read_file(const char *path, void *buf, size_t len)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n, total = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (total < len) {
		n = kernel_read(f, buf + total, len - total, &pos);
		if (n <= 0) {
			if (n < 0)
				total = n;
			break;
		}
		total += n;
	}
	filp_close(f, NULL);
	return total;
}

static void emu_e820_decode(const u8 *p, unsigned int n,
			    struct tdx_emu_e820 *map, unsigned int *nr)
{
	unsigned int i;

	for (i = 0; i < n && *nr < TDX_EMU_MAX_E820; i++, p += E820_ENTRY_SIZE) {
		memcpy(&map[*nr].addr, p, 8);
		memcpy(&map[*nr].size, p + 8, 8);
		memcpy(&map[*nr].type, p + 16, 4);
		(*nr)++;
	}
}

/* Entries beyond 128 come as SETUP_E820_EXT setup_data. */
static void emu_e820_ext(struct tdx_emu_e820 *map, unsigned int *nr, u8 *buf,
			 size_t len)
{
	char path[96], type[24];
	unsigned int k;
	ssize_t n;

	for (k = 0; k < 64; k++) {
		snprintf(path, sizeof(path), BP_PATH "/setup_data/%u/type", k);
		n = emu_read_file(path, type, sizeof(type) - 1);
		if (n <= 0)
			return;
		type[n] = '\0';
		if (!sysfs_streq(type, "0x1") && !sysfs_streq(type, "1"))
			continue;
		snprintf(path, sizeof(path), BP_PATH "/setup_data/%u/data", k);
		n = emu_read_file(path, buf, len);
		if (n > 0)
			emu_e820_decode(buf, n / E820_ENTRY_SIZE, map, nr);
	}
}

/* The BIOS's CMRs for this boot; -errno if the boot map is unreadable. */
int tdx_emu_firmware_cmrs(struct tdx_cmr_info *cmrs, unsigned int *nr_cmrs)
{
	struct tdx_emu_e820 *map;
	unsigned int nr = 0, n;
	u8 *bp;
	ssize_t len;
	int ret;

	bp = kmalloc(PAGE_SIZE, GFP_KERNEL);
	map = kcalloc(TDX_EMU_MAX_E820, sizeof(*map), GFP_KERNEL);
	if (!bp || !map) {
		ret = -ENOMEM;
		goto out;
	}
	len = emu_read_file(BP_PATH "/data", bp, PAGE_SIZE);
	if (len < BP_E820_TABLE + BP_E820_MAX * E820_ENTRY_SIZE) {
		pr_warn("cannot read the boot memory map (%s/data: %zd): set cmrs explicitly\n",
			BP_PATH, len);
		ret = len < 0 ? len : -EIO;
		goto out;
	}
	n = min_t(unsigned int, bp[BP_E820_ENTRIES], BP_E820_MAX);
	emu_e820_decode(bp + BP_E820_TABLE, n, map, &nr);
	kfree(bp);
	/* Room for every entry a map may hold in one setup_data block */
	bp = kmalloc(TDX_EMU_MAX_E820 * E820_ENTRY_SIZE, GFP_KERNEL);
	if (!bp) {
		ret = -ENOMEM;
		goto out;
	}
	emu_e820_ext(map, &nr, bp, TDX_EMU_MAX_E820 * E820_ENTRY_SIZE);
	memset(cmrs, 0, sizeof(*cmrs) * TDX_MAX_CMRS);
	ret = tdx_emu_bios_cmrs(map, nr, 0, cmrs, nr_cmrs);
	if (ret)
		pr_warn("boot memory map of %u entries gives no valid CMR list (%d): set cmrs explicitly\n",
			nr, ret);
out:
	kfree(map);
	kfree(bp);
	return ret;
}

/* ---- CPUs ---- */

#define CPUID_TOPO_LEAF		0xb
#define CPUID_TOPO_CORE		2	/* level type of the core level */

static bool emu_has_topo_leaf(void)
{
	u32 eax, ebx, ecx, edx;

	if (cpuid_eax(0) < CPUID_TOPO_LEAF)
		return false;
	cpuid_count(CPUID_TOPO_LEAF, 0, &eax, &ebx, &ecx, &edx);
	return ebx != 0;
}

/* The calling CPU's x2APIC id, from CPUID (leaf 0xb, else leaf 1). */
u32 tdx_emu_cpuid_apic_id(void)
{
	u32 eax, ebx, ecx, edx;

	if (emu_has_topo_leaf()) {
		cpuid_count(CPUID_TOPO_LEAF, 0, &eax, &ebx, &ecx, &edx);
		return edx;
	}
	return cpuid_ebx(1) >> 24;
}

/* Bits of an APIC id below the package id: the core level's shift. */
static unsigned int emu_pkg_shift(void)
{
	u32 eax, ebx, ecx, edx, sub, shift = 0, n;

	if (emu_has_topo_leaf()) {
		for (sub = 0; sub < 8; sub++) {
			cpuid_count(CPUID_TOPO_LEAF, sub, &eax, &ebx, &ecx,
				    &edx);
			if (!ebx)	/* no such level */
				break;
			shift = eax & 0x1f;
			if (((ecx >> 8) & 0xff) == CPUID_TOPO_CORE)
				return shift;
		}
		return shift;
	}
	/* Leaf 1: logical processors per package, if HTT */
	if (!(cpuid_edx(1) & BIT(28)))
		return 0;
	n = (cpuid_ebx(1) >> 16) & 0xff;
	while (n > (1U << shift))
		shift++;
	return shift;
}

/* The calling CPU's package, as CPUID reports it. */
u32 tdx_emu_cpuid_pkg(void)
{
	return tdx_emu_cpuid_apic_id() >> emu_pkg_shift();
}

static void emu_lp_add(struct tdx_emu_lp *lps, unsigned int *nr, u32 apic,
		       unsigned int shift)
{
	unsigned int i;

	for (i = 0; i < *nr; i++)
		if (lps[i].apic_id == apic)
			return;
	if (*nr == TDX_EMU_MAX_LPS)
		return;
	lps[*nr].apic_id = apic;
	lps[*nr].pkg = apic >> shift;
	(*nr)++;
}

/*
 * Every logical CPU the BIOS enabled: the MADT's enabled Local APIC and
 * x2APIC entries. Disabled entries are hot-plug slots, not platform CPUs.
 */
int tdx_emu_firmware_lps(struct tdx_emu_lp *lps, unsigned int *nr)
{
	unsigned int shift = emu_pkg_shift();
	struct acpi_table_header *h;
	u8 *p, *end;

	*nr = 0;
	if (acpi_disabled ||
	    ACPI_FAILURE(acpi_get_table(ACPI_SIG_MADT, 0, &h))) {
		pr_warn("no ACPI MADT: set cpus explicitly\n");
		return -ENODEV;
	}
	p = (u8 *)h + sizeof(struct acpi_table_madt);
	end = (u8 *)h + h->length;
	while (p + sizeof(struct acpi_subtable_header) <= end) {
		struct acpi_subtable_header *sub = (void *)p;

		if (sub->length < sizeof(*sub) || p + sub->length > end)
			break;
		if (sub->type == ACPI_MADT_TYPE_LOCAL_APIC &&
		    sub->length >= sizeof(struct acpi_madt_local_apic)) {
			struct acpi_madt_local_apic *la = (void *)sub;

			if (la->lapic_flags & ACPI_MADT_ENABLED)
				emu_lp_add(lps, nr, la->id, shift);
		} else if (sub->type == ACPI_MADT_TYPE_LOCAL_X2APIC &&
			   sub->length >= sizeof(struct acpi_madt_local_x2apic)) {
			struct acpi_madt_local_x2apic *x = (void *)sub;

			if (x->lapic_flags & ACPI_MADT_ENABLED)
				emu_lp_add(lps, nr, x->local_apic_id, shift);
		}
		p += sub->length;
	}
	acpi_put_table(h);
	return *nr ? 0 : -ENODEV;
}

/* CPUID.1.EAX: display family and model (extended fields folded in). */
void tdx_emu_fms_decode(u32 fms, u32 *family, u32 *model)
{
	*family = (fms >> 8) & 0xf;
	*model = (fms >> 4) & 0xf;
	if (*family == 0xf)
		*family += (fms >> 20) & 0xff;
	if (*family == 0x6 || *family >= 0xf)
		*model |= ((fms >> 16) & 0xf) << 4;
}

u32 tdx_emu_fms_encode(u32 family, u32 model)
{
	u32 fms = (model & 0xf) << 4;

	if (family >= 0xf)
		fms |= (0xf << 8) | ((family - 0xf) << 20);
	else
		fms |= family << 8;
	if (family == 0x6 || family >= 0xf)
		fms |= (model >> 4) << 16;
	return fms;
}
