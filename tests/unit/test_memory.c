// SPDX-License-Identifier: GPL-2.0
/* What counts as TDX memory: the first MiB never, whole pages only. */
#include <string.h>
#include "tap.h"
#include "tdx_memory.h"

static void clip(u64 s, u64 e, bool ok, u64 ws, u64 we, const char *what)
{
	bool got = tdx_memory_clip(&s, &e);

	if (!TAP_OK(got == ok && (!ok || (s == ws && e == we)), "%s", what))
		printf("#   got %d [0x%llx, 0x%llx)\n", got,
		       (unsigned long long)s, (unsigned long long)e);
}

int main(void)
{
	struct tdx_range buf[4];
	struct tdx_rangeset rs;

	clip(0x1000, 0x9f000, false, 0, 0, "QEMU's low RAM: nothing");
	clip(0x0, 0x8000000, true, 0x100000, 0x8000000,
	     "block 0: from 1 MiB");
	clip(0x100000, 0x3ffe0000, true, 0x100000, 0x3ffe0000,
	     "boot RAM from 1 MiB: unchanged");
	clip(0xfffff, 0x100fff, false, 0, 0,
	     "a partial page across 1 MiB: nothing");
	clip(0x100800, 0x102800, true, 0x101000, 0x102000,
	     "partial pages trimmed on both sides");
	clip(0x200000, 0x200000, false, 0, 0, "empty range: nothing");
	clip(0x300000, 0x200000, false, 0, 0, "reversed range: nothing");
	clip(0xfffffffffffff001ULL, 0xffffffffffffffffULL, false, 0, 0,
	     "rounding up near 2^64 does not wrap");
	clip(0xffffffffff000000ULL, 0xfffffffffffff000ULL, true,
	     0xffffffffff000000ULL, 0xfffffffffffff000ULL,
	     "top of the address space: unchanged");

	tdx_rs_init(&rs, buf, 4);
	TAP_OK(!tdx_memory_add(&rs, 0x1000, 0x9f000) && !rs.nr,
	       "adding low RAM adds nothing");
	TAP_OK(!tdx_memory_add(&rs, 0x0, 0x40000000) && rs.nr == 1 &&
	       rs.r[0].start == 0x100000 && rs.r[0].end == 0x40000000,
	       "adding [0, 1G) adds [1M, 1G)");
	return tap_done();
}
