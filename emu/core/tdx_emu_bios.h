/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated platform's firmware: what a TDX BIOS (MCHECK) reports as
 * convertible memory, derived from the memory map the firmware handed the
 * kernel at boot, and the text formats of the CPU's facts.
 */
#ifndef TDX_EMU_BIOS_H
#define TDX_EMU_BIOS_H

#include "tdx_abi.h"

/* E820 entry types (ACPI address range types) */
#define TDX_E820_RAM		1
#define TDX_E820_RESERVED	2
#define TDX_E820_ACPI		3
#define TDX_E820_NVS		4
#define TDX_E820_UNUSABLE	5
#define TDX_E820_PMEM		7
#define TDX_E820_PRAM		12
#define TDX_E820_SOFT_RESERVED	0xefffffff

/* Entries a boot memory map may have (boot_params holds 128, more follow) */
#define TDX_EMU_MAX_E820	320

struct tdx_emu_e820 {
	u64 addr;
	u64 size;
	u32 type;
};

/* DRAM the BIOS trained at boot: where CMRs come from. */
#define TDX_EMU_BIOS_PMEM	0x1	/* persistent memory is convertible too */

/*
 * CMRs as a TDX BIOS reports them, from the boot memory map @map (@nr
 * entries, any order): each run of address-contiguous entries that holds
 * RAM (usable, soft-reserved; persistent with TDX_EMU_BIOS_PMEM) gives one
 * CMR from its first RAM entry to its last, firmware-reserved DRAM
 * between them included; nothing below 1 MiB; 4 KiB granular. Returns 0,
 * -EINVAL on an entry that wraps or more than TDX_EMU_MAX_E820 entries,
 * or -E2BIG for more than TDX_MAX_CMRS CMRs.
 */
int tdx_emu_bios_cmrs(const struct tdx_emu_e820 *map, unsigned int nr,
		      unsigned int flags, struct tdx_cmr_info *cmrs,
		      unsigned int *nr_cmrs);

/* "FAMILY MODEL" (CPUID leaf 1 display family and model), e.g. "6 0xcf". */
int tdx_emu_parse_cpu_model(const char *buf, size_t len, u32 *family,
			    u32 *model);

/* Sapphire and Emerald Rapids: partial writes to private memory poison it. */
bool tdx_emu_cpu_has_pw_erratum(u32 family, u32 model);

#endif /* TDX_EMU_BIOS_H */
