// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of computing a TDMR layout (build + simulated PAMT placement +
 * PAMT reserved areas) and the PAMT it needs, for real memory maps and
 * synthetic worst cases. Usage: bench_layout [MEMMAP_FILE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tdx_layout.h"
#include "memmap_file.h"

#define G	0x40000000ULL
#define M	0x100000ULL

static struct tdx_layout lay;
static struct tdx_limits lim;
static struct memmap mm;

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int one_layout(const struct tdx_rangeset *cover,
		      const struct tdx_rangeset *cmrs,
		      const struct tdx_rangeset *ram,
		      struct tdx_layout_error *e)
{
	int ret = tdx_layout_build(&lay, cover, cmrs, &lim, e);

	if (!ret)
		ret = tdx_layout_place_pamts(&lay, ram, e);
	if (!ret)
		ret = tdx_layout_add_pamts(&lay, &lim, e);
	return ret;
}

/* Time the full layout until ~0.2 s have passed; print one line. */
static void bench(const char *name, const struct tdx_rangeset *cover,
		  const struct tdx_rangeset *cmrs,
		  const struct tdx_rangeset *ram)
{
	struct tdx_layout_error e;
	unsigned int i, rsvd = 0, max_rsvd = 0;
	u64 t0, t, iters = 0, pamt, bytes;
	int ret;

	ret = one_layout(cover, cmrs, ram, &e);
	if (ret) {
		printf("%-40s FAILED %d: %s\n", name, ret, e.msg);
		return;
	}
	t0 = now_ns();
	do {
		one_layout(cover, cmrs, ram, &e);
		iters++;
		t = now_ns() - t0;
	} while (t < 200000000ULL);

	for (i = 0; i < lay.nr; i++) {
		rsvd += lay.tdmr[i].nr_rsvd;
		if (lay.tdmr[i].nr_rsvd > max_rsvd)
			max_rsvd = lay.tdmr[i].nr_rsvd;
	}
	pamt = tdx_layout_pamt_bytes(&lay);
	bytes = tdx_rs_bytes(ram);
	printf("%-40s %5u %4u/%-3u %10.0f %12llu %9.1f %7.3f%%\n", name,
	       lay.nr, rsvd, max_rsvd, (double)t / iters,
	       (unsigned long long)pamt, bytes / (double)(1ULL << 30),
	       100.0 * pamt / bytes);
}

static struct tdx_range cov_buf[MM_MAX], cmr_buf[MM_MAX];

static void synthetic(void)
{
	struct tdx_rangeset cover, cmrs;
	unsigned int i, k;

	tdx_rs_init(&cover, cov_buf, MM_MAX);
	tdx_rs_init(&cmrs, cmr_buf, MM_MAX);

	/* 64 runs of 1 GiB, 2 GiB apart: one TDMR each. */
	for (i = 0; i < 64; i++)
		tdx_rs_add(&cover, 3 * i * G, 3 * i * G + G);
	bench("synthetic: 64 runs", &cover, &cover, &cover);

	/* 250 runs of 1 GiB with growing gaps, merged into 64 TDMRs. */
	tdx_rs_clear(&cover);
	for (i = 0, k = 0; i < 250; i++) {
		tdx_rs_add(&cover, (u64)k * G, (u64)k * G + G);
		k += 2 + (i * 7) % 5;
	}
	tdx_rs_clear(&cmrs);
	tdx_rs_add(&cmrs, 0, (u64)k * G);
	bench("synthetic: 250 runs -> 64 TDMRs", &cover, &cmrs, &cover);

	/* 2 TiB in one CMR above a typical low map. */
	tdx_rs_clear(&cover);
	tdx_rs_add(&cover, M, 0x7f000000);
	tdx_rs_add(&cover, 4 * G, 2048 * G + 2 * G);
	bench("synthetic: 2 TiB", &cover, &cover, &cover);

	/* 64 TDMRs of 4 GiB, each with 4 CMR holes (192 CMRs). */
	tdx_rs_clear(&cover);
	for (i = 0; i < 64; i++)
		for (k = 0; k < 3; k++)
			tdx_rs_add(&cover, 6 * i * G + k * (5 * G / 4) + 64 * M,
				   6 * i * G + (k + 1) * (5 * G / 4));
	bench("synthetic: 64 TDMRs x 4 CMR holes", &cover, &cover, &cover);

	/* One TDMR with 15 CMR holes (the limit with its PAMT). */
	tdx_rs_clear(&cover);
	for (k = 0; k < 15; k++)
		tdx_rs_add(&cover, k * 64 * M + M, (k + 1) * 64 * M);
	bench("synthetic: 1 TDMR, 15 CMR holes", &cover, &cover, &cover);
}

int main(int argc, char **argv)
{
	int i;

	tdx_limits_default(&lim);
	printf("%-40s %5s %8s %10s %12s %9s %8s\n", "# map", "tdmrs",
	       "rsvd/max", "ns/layout", "pamt_bytes", "ram_GiB", "pamt%");
	for (i = 1; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');

		if (memmap_load(argv[i], &mm))
			return 1;
		bench(base ? base + 1 : argv[i], &mm.cover, &mm.cmrs, &mm.ram);
	}
	synthetic();
	return 0;
}
