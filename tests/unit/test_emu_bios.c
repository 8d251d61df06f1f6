// SPDX-License-Identifier: GPL-2.0
/* The emulated BIOS: CMRs from the boot memory map, as real ones look. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "tdx_emu_bios.h"

/* An entry [s, e) of type t */
#define E(s, e, t) { (s), (e) - (s), (t) }

static int cmrs_of(const struct tdx_emu_e820 *m, unsigned int nr,
		   unsigned int flags, struct tdx_cmr_info *c, unsigned int *n)
{
	memset(c, 0, sizeof(*c) * TDX_MAX_CMRS);
	*n = 0;
	return tdx_emu_bios_cmrs(m, nr, flags, c, n);
}

static int is(const struct tdx_cmr_info *c, u64 s, u64 e)
{
	return c->base == s && c->base + c->size == e;
}

/* What SeaBIOS hands a 1 GiB q35 guest. */
static const struct tdx_emu_e820 qemu_1g[] = {
	E(0x0, 0x9fc00, TDX_E820_RAM),
	E(0x9fc00, 0xa0000, TDX_E820_RESERVED),
	E(0xf0000, 0x100000, TDX_E820_RESERVED),
	E(0x100000, 0x3ffe0000, TDX_E820_RAM),
	E(0x3ffe0000, 0x40000000, TDX_E820_RESERVED),
	E(0xb0000000, 0xc0000000, TDX_E820_RESERVED),
	E(0xfed1c000, 0xfed20000, TDX_E820_RESERVED),
	E(0xfeffc000, 0xff000000, TDX_E820_RESERVED),
	E(0xfffc0000, 0x100000000ULL, TDX_E820_RESERVED),
};

static void qemu_maps(void)
{
	struct tdx_cmr_info c[TDX_MAX_CMRS] = { 0 };
	struct tdx_emu_e820 m[16];
	unsigned int n, i;

	int r = cmrs_of(qemu_1g, 9, 0, c, &n);

	TAP_OK(!r && n == 1 && is(&c[0], 0x100000, 0x3ffe0000),
	       "QEMU 1 GiB: one CMR from 1 MiB to the end of RAM: [0x%llx, 0x%llx)",
	       (unsigned long long)c[0].base,
	       (unsigned long long)(c[0].base + c[0].size));
	/* The same table in reverse order */
	for (i = 0; i < 9; i++)
		m[i] = qemu_1g[8 - i];
	TAP_OK(!cmrs_of(m, 9, 0, c, &n) && n == 1 &&
	       is(&c[0], 0x100000, 0x3ffe0000), "order of the table does not matter");
	/* 4 GiB: low RAM to 2 GiB, the rest above 4 GiB */
	memcpy(m, qemu_1g, sizeof(qemu_1g));
	m[3].size = 0x7ffe0000 - 0x100000;
	m[4] = (struct tdx_emu_e820)E(0x7ffe0000, 0x80000000, TDX_E820_RESERVED);
	m[9] = (struct tdx_emu_e820)E(0x100000000ULL, 0x180000000ULL, TDX_E820_RAM);
	TAP_OK(!cmrs_of(m, 10, 0, c, &n) && n == 2 &&
	       is(&c[0], 0x100000, 0x7ffe0000) &&
	       is(&c[1], 0x100000000ULL, 0x180000000ULL),
	       "QEMU 4 GiB: below and above the 4 GiB hole");
}

/* The Emerald Rapids host of canonical/tdx#135 (tests/data/memmaps). */
static char path[4096];

static void real_host(void)
{
	struct tdx_emu_e820 m[TDX_EMU_MAX_E820];
	struct tdx_cmr_info c[TDX_MAX_CMRS] = { 0 };
	unsigned long long s, e, cs = 0, ce = 0;
	unsigned int n = 0, k;
	char line[256], type[32];
	FILE *f = fopen(path, "r");

	TAP_OK(f, "open %s", path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		u32 t;

		if (sscanf(line, "cmr-excl %llx-%llx", &s, &e) == 2 && !cs) {
			cs = s;
			ce = e;
		}
		if (sscanf(line, "e820 %llx-%llx %31s", &s, &e, type) != 3)
			continue;
		t = !strcmp(type, "usable") ? TDX_E820_RAM :
		    !strcmp(type, "acpi") ? TDX_E820_ACPI :
		    !strcmp(type, "nvs") ? TDX_E820_NVS : TDX_E820_RESERVED;
		m[n++] = (struct tdx_emu_e820){ s, e + 1 - s, t };
	}
	fclose(f);
	TAP_OK(n == 36 && cs == 0x100000, "36 e820 lines and the real first CMR");
	k = 0;
	if (cmrs_of(m, n, 0, c, &k))
		k = 0;
	TAP_OK(k == 1 && is(&c[0], cs, ce),
	       "its 33 firmware holes below 2 GiB are inside one CMR [0x%llx, 0x%llx), as its BIOS reported",
	       (unsigned long long)c[0].base,
	       (unsigned long long)(c[0].base + c[0].size));
}

static void kinds(void)
{
	struct tdx_cmr_info c[TDX_MAX_CMRS];
	struct tdx_emu_e820 m[TDX_MAX_CMRS + 2];
	unsigned int n, i;
	const struct tdx_emu_e820 pm[] = {
		E(0x100000, 0x40000000, TDX_E820_RAM),
		E(0x40000000, 0x80000000, TDX_E820_PMEM),
		E(0x80000000, 0xc0000000, TDX_E820_SOFT_RESERVED),
	};
	const struct tdx_emu_e820 gap[] = {
		E(0x100000, 0x1000000, TDX_E820_RAM),
		E(0x1000000, 0x1001000, TDX_E820_NVS),
		E(0x1001000, 0x2000000, TDX_E820_RAM),
		E(0x2001000, 0x3000000, TDX_E820_RAM),
	};
	const struct tdx_emu_e820 odd[] = {
		E(0x100800, 0x2000800, TDX_E820_RAM),
	};
	const struct tdx_emu_e820 wrap[] = {
		{ 0xfffffffffffff000ULL, 0x2000, TDX_E820_RAM },
	};

	TAP_OK(!cmrs_of(pm, 3, 0, c, &n) && n == 2 &&
	       is(&c[0], 0x100000, 0x40000000) &&
	       is(&c[1], 0x80000000, 0xc0000000),
	       "persistent memory is not convertible; soft-reserved DRAM is");
	TAP_OK(!cmrs_of(pm, 3, TDX_EMU_BIOS_PMEM, c, &n) && n == 1 &&
	       is(&c[0], 0x100000, 0xc0000000),
	       "with TDX_EMU_BIOS_PMEM persistent memory is convertible");
	TAP_OK(!cmrs_of(gap, 4, 0, c, &n) && n == 2 &&
	       is(&c[0], 0x100000, 0x2000000) &&
	       is(&c[1], 0x2001000, 0x3000000),
	       "NVS inside a run is covered; a gap ends the CMR");
	TAP_OK(!cmrs_of(odd, 1, 0, c, &n) && n == 1 &&
	       is(&c[0], 0x101000, 0x2000000), "4 KiB granular");
	TAP_EQ_U64(cmrs_of(wrap, 1, 0, c, &n), (u64)-EINVAL,
		   "an entry that wraps: -EINVAL");
	for (i = 0; i < TDX_MAX_CMRS + 1; i++)
		m[i] = (struct tdx_emu_e820)E(0x100000000ULL * (i + 1),
					      0x100000000ULL * (i + 1) + 0x40000000,
					      TDX_E820_RAM);
	TAP_EQ_U64(cmrs_of(m, TDX_MAX_CMRS + 1, 0, c, &n), (u64)-E2BIG,
		   "33 separate RAM ranges: -E2BIG");
	TAP_OK(!cmrs_of(m, TDX_MAX_CMRS, 0, c, &n) && n == TDX_MAX_CMRS,
	       "32 separate RAM ranges: 32 CMRs");
	TAP_EQ_U64(cmrs_of(m, TDX_EMU_MAX_E820 + 1, 0, c, &n), (u64)-EINVAL,
		   "more entries than a boot map holds: -EINVAL");
}

static void cpu_model(void)
{
	u32 f = 1, m = 2;

	TAP_OK(!tdx_emu_parse_cpu_model("6 0xcf\n", 7, &f, &m) && f == 6 &&
	       m == 0xcf, "\"6 0xcf\" parses");
	f = 1;
	m = 2;
	TAP_OK(tdx_emu_parse_cpu_model("6", 1, &f, &m) == -EINVAL &&
	       tdx_emu_parse_cpu_model("6 0x100", 7, &f, &m) == -EINVAL &&
	       tdx_emu_parse_cpu_model("x 1", 3, &f, &m) == -EINVAL &&
	       tdx_emu_parse_cpu_model("6 1 2", 5, &f, &m) == -EINVAL &&
	       tdx_emu_parse_cpu_model("0 1", 3, &f, &m) == -EINVAL &&
	       tdx_emu_parse_cpu_model("5 0x8f", 6, &f, &m) == -EINVAL &&
	       f == 1 && m == 2, "bad models rejected, outputs untouched");
	TAP_OK(!tdx_emu_parse_cpu_model("0x16 0xa0", 9, &f, &m) && f == 0x16 &&
	       m == 0xa0, "extended family and model: \"0x16 0xa0\"");
	TAP_OK(tdx_emu_cpu_has_pw_erratum(6, 0x8f) &&
	       tdx_emu_cpu_has_pw_erratum(6, 0xcf) &&
	       !tdx_emu_cpu_has_pw_erratum(6, 0xad) &&
	       !tdx_emu_cpu_has_pw_erratum(0x19, 0x8f),
	       "partial-write erratum: Sapphire and Emerald Rapids only");
}

int main(int argc, char **argv)
{
	char self[4096];

	(void)argc;
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(path, sizeof(path),
		 "%s/../data/memmaps/tdx-emr-fcp-canonical135-e820-low.txt",
		 dirname(self));
	qemu_maps();
	real_host();
	kinds();
	cpu_model();
	return tap_done();
}
