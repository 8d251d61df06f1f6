// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated platform's firmware (see tdx_emu_bios.h).
 */
#include "tdx_emu_bios.h"
#include "tdx_emu_parse.h"

#define LOW_1M	0x100000ULL

static bool is_ram(u32 type, unsigned int flags)
{
	switch (type) {
	case TDX_E820_RAM:
	case TDX_E820_SOFT_RESERVED:
		return true;
	case TDX_E820_PMEM:
	case TDX_E820_PRAM:
		return flags & TDX_EMU_BIOS_PMEM;
	}
	return false;
}

/* DRAM the firmware keeps for itself sits between RAM in a run. */
static bool is_dram_or_fw(u32 type, unsigned int flags)
{
	switch (type) {
	case TDX_E820_RESERVED:
	case TDX_E820_ACPI:
	case TDX_E820_NVS:
	case TDX_E820_UNUSABLE:
		return true;
	}
	return is_ram(type, flags);
}

static int emit(struct tdx_cmr_info *cmrs, unsigned int *n, u64 s, u64 e)
{
	if (s < LOW_1M)
		s = LOW_1M;
	s = tdx_align_up(s, TDX_SZ_4K);
	e = tdx_align_down(e, TDX_SZ_4K);
	if (s >= e)
		return 0;
	if (*n == TDX_MAX_CMRS)
		return -E2BIG;
	cmrs[*n].base = s;
	cmrs[*n].size = e - s;
	(*n)++;
	return 0;
}

int tdx_emu_bios_cmrs(const struct tdx_emu_e820 *map, unsigned int nr,
		      unsigned int flags, struct tdx_cmr_info *cmrs,
		      unsigned int *nr_cmrs)
{
	u16 idx[TDX_EMU_MAX_E820];
	u64 run_end = 0, ram_start = 0, ram_end = 0;
	unsigned int i, j, n = 0;
	bool in_ram = false;
	int ret;

	if (nr > TDX_EMU_MAX_E820)
		return -EINVAL;
	/* By address (insertion sort: the table is short and mostly sorted) */
	for (i = 0; i < nr; i++) {
		if (map[i].addr + map[i].size < map[i].addr)
			return -EINVAL;
		for (j = i; j && map[idx[j - 1]].addr > map[i].addr; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
	}
	for (i = 0; i < nr; i++) {
		const struct tdx_emu_e820 *m = &map[idx[i]];
		u64 end = m->addr + m->size;

		if (!m->size)
			continue;
		/* A gap, or memory that is no DRAM, ends the run */
		if (in_ram && (m->addr > run_end ||
			       !is_dram_or_fw(m->type, flags))) {
			ret = emit(cmrs, &n, ram_start, ram_end);
			if (ret)
				return ret;
			in_ram = false;
		}
		if (is_ram(m->type, flags)) {
			if (!in_ram)
				ram_start = m->addr;
			in_ram = true;
			ram_end = end;
		}
		if (end > run_end)
			run_end = end;
	}
	if (in_ram) {
		ret = emit(cmrs, &n, ram_start, ram_end);
		if (ret)
			return ret;
	}
	*nr_cmrs = n;
	return 0;
}

int tdx_emu_parse_cpu_model(const char *buf, size_t len, u32 *family,
			    u32 *model)
{
	size_t i = 0, j;
	u64 f, m;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	for (j = i; j < len && buf[j] != ' ' && buf[j] != '\t'; j++)
		;
	if (j == i || j == len)
		return -EINVAL;
	if (tdx_emu_parse_u64(buf + i, j - i, 1, 0xff + 0xf, &f) ||
	    tdx_emu_parse_u64(buf + j, len - j, 0, 0xff, &m))
		return -EINVAL;
	/* CPUID has an extended model only for families 6 and 15+ */
	if (m > 0xf && f != 6 && f < 0xf)
		return -EINVAL;
	*family = (u32)f;
	*model = (u32)m;
	return 0;
}

bool tdx_emu_cpu_has_pw_erratum(u32 family, u32 model)
{
	return family == 6 && (model == 0x8f || model == 0xcf);
}
