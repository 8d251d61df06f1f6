// SPDX-License-Identifier: GPL-2.0
/*
 * TDMR layout: exact results on hand-made maps, the real memory maps in
 * tests/data/memmaps, and the run merging against a brute-force reference.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "tdx_layout.h"
#include "memmap_file.h"

#define G	0x40000000ULL
#define M	0x100000ULL
#define K	0x400ULL

static struct tdx_layout lay;	/* ~20 KiB: never on the stack */
static struct tdx_limits lim;
static struct tdx_layout_error err;
static char memmap_dir[4096];

struct set {
	struct tdx_range buf[MM_MAX];
	struct tdx_rangeset rs;
};

static struct tdx_rangeset *set_of(struct set *s, const u64 *pairs,
				   unsigned int n)
{
	unsigned int i;

	tdx_rs_init(&s->rs, s->buf, MM_MAX);
	for (i = 0; i < n; i++)
		if (tdx_rs_add(&s->rs, pairs[2 * i], pairs[2 * i + 1]))
			abort();
	return &s->rs;
}

#define SET(s, ...) ({							\
	static const u64 _p[] = { __VA_ARGS__ };			\
	set_of(s, _p, sizeof(_p) / sizeof(_p[0]) / 2);			\
})

static const char *fmt_ranges(const struct tdx_range *r, unsigned int n)
{
	static char buf[4096];
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s[%llx,%llx)",
				i ? " " : "", (unsigned long long)r[i].start,
				(unsigned long long)r[i].end);
	return buf;
}

static const char *fmt_set(const struct tdx_rangeset *rs)
{
	return fmt_ranges(rs->r, rs->nr);
}

static const char *fmt_rsvd(unsigned int i)
{
	return fmt_ranges(lay.tdmr[i].rsvd, lay.tdmr[i].nr_rsvd);
}

/* "[base,end)" of every TDMR. */
static const char *fmt_tdmrs(void)
{
	static char buf[4096];
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < lay.nr; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s[%llx,%llx)",
				i ? " " : "",
				(unsigned long long)lay.tdmr[i].base,
				(unsigned long long)(lay.tdmr[i].base +
						     lay.tdmr[i].size));
	return buf;
}

static void test_pamt_sizes(void)
{
	struct tdx_tdmr t = { .size = G };

	TAP_EQ_U64(tdx_pamt_level_bytes(G, TDX_PAMT_4K, 16), 4 * M,
		   "PAMT 4K level: 4 MiB per GiB");
	TAP_EQ_U64(tdx_pamt_level_bytes(G, TDX_PAMT_2M, 16), 8 * K,
		   "PAMT 2M level: 8 KiB per GiB");
	TAP_EQ_U64(tdx_pamt_level_bytes(G, TDX_PAMT_1G, 16), 4 * K,
		   "PAMT 1G level: 16 B rounded to 4 KiB");
	TAP_EQ_U64(tdx_pamt_level_bytes(300 * G, TDX_PAMT_1G, 16), 8 * K,
		   "PAMT 1G level of 300 GiB: 4800 B rounded to 8 KiB");
	TAP_EQ_U64(tdx_pamt_level_bytes(3 * G, TDX_PAMT_2M, 8), 12 * K,
		   "PAMT 2M level with 8-byte entries: 1536 entries = 12 KiB");
	t.pamt_size[0] = 4 * M;
	t.pamt_size[1] = 8 * K;
	t.pamt_size[2] = 4 * K;
	TAP_EQ_U64(tdx_tdmr_pamt_bytes(&t), 4 * M + 12 * K,
		   "one TDMR's PAMT is the sum of its levels");
}

static void test_single_cmr(void)
{
	struct set cover, cmrs;
	int ret;

	ret = tdx_layout_build(&lay, SET(&cover, 0, 4 * G),
			       SET(&cmrs, 0, 4 * G), &lim, &err);
	TAP_EQ_U64(ret, 0, "single CMR: build ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,100000000)", "single CMR: one TDMR");
	TAP_EQ_U64(lay.tdmr[0].nr_rsvd, 0, "single CMR: no reserved areas");
	TAP_EQ_U64(lay.tdmr[0].pamt_size[TDX_PAMT_4K], 16 * M,
		   "4 GiB TDMR: 16 MiB 4K PAMT");
	TAP_EQ_U64(lay.tdmr[0].pamt_size[TDX_PAMT_2M], 32 * K,
		   "4 GiB TDMR: 32 KiB 2M PAMT");
	TAP_EQ_U64(lay.tdmr[0].pamt_size[TDX_PAMT_1G], 4 * K,
		   "4 GiB TDMR: 4 KiB 1G PAMT");
	TAP_EQ_U64(lay.tdmr[0].pamt_base, 0, "pamt_base left 0");
	TAP_EQ_U64((u64)lay.tdmr[0].nid, (u64)-1, "nid -1");

	ret = tdx_layout_build(&lay, SET(&cover, 0, G), SET(&cmrs, 0, G),
			       &lim, &err);
	TAP_EQ_U64(ret, 0, "1 GiB: build ok");
	TAP_EQ_U64(tdx_layout_pamt_bytes(&lay), 4 * M + 8 * K + 4 * K,
		   "1 GiB TDMR: PAMT 4 MiB + 8 KiB + 4 KiB");
}

static void test_holes_below_4g(void)
{
	struct set cover, cmrs;
	int ret;

	/* Typical: nothing below 1 MiB, MMIO hole from 2 GiB to 4 GiB. */
	SET(&cmrs, M, 0x7f000000, 4 * G, 8 * G);
	ret = tdx_layout_build(&lay, SET(&cover, M, 0x7f000000, 4 * G, 8 * G),
			       &cmrs.rs, &lim, &err);
	TAP_EQ_U64(ret, 0, "holes below 4G: build ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,80000000) [100000000,200000000)",
		   "holes below 4G: the 2 GiB MMIO gap splits the TDMRs");
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [7f000000,80000000)",
		   "holes below 4G: TDMR 0 reserves the CMR holes");
	TAP_EQ_U64(lay.tdmr[1].nr_rsvd, 0, "holes below 4G: TDMR 1 clean");
	TAP_EQ_U64(tdx_layout_pamt_bytes(&lay),
		   (8 * M + 16 * K + 4 * K) + (16 * M + 32 * K + 4 * K),
		   "holes below 4G: PAMT of 2 GiB + 4 GiB");
}

static void test_many_e820_holes(void)
{
	struct set cover, cmrs;
	u64 pairs[2 * 48];
	unsigned int i;
	int ret;

	/* 48 usable pieces with 4 KiB-32 KiB firmware holes, one CMR. */
	for (i = 0; i < 48; i++) {
		pairs[2 * i] = M + i * 0x2800000ULL + (i % 8) * 0x1000;
		pairs[2 * i + 1] = M + (i + 1) * 0x2800000ULL - 0x8000;
	}
	set_of(&cover, pairs, 48);
	TAP_EQ_U64(cover.rs.nr, 48, "e820 holes: 48 usable ranges");
	ret = tdx_layout_build(&lay, &cover.rs, SET(&cmrs, M, 0x7f000000),
			       &lim, &err);
	TAP_EQ_U64(ret, 0, "e820 holes inside one CMR: build ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,80000000)", "e820 holes: one TDMR");
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [7f000000,80000000)",
		   "e820 holes: only the 2 CMR holes are reserved");
}

static void test_cmr_holes_exhausted(void)
{
	struct set cover, cmrs;
	u64 pairs[2 * 20];
	unsigned int i;
	int ret;

	/* 20 CMRs of 16 MiB with 16 MiB holes, from 16 MiB: 20 holes in 1G. */
	for (i = 0; i < 20; i++) {
		pairs[2 * i] = (2 * i + 1) * 16 * M;
		pairs[2 * i + 1] = (2 * i + 2) * 16 * M;
	}
	set_of(&cmrs, pairs, 20);
	tdx_rs_copy(set_of(&cover, pairs, 0), &cmrs.rs);
	lay.nr = 7;
	ret = tdx_layout_build(&lay, &cover.rs, &cmrs.rs, &lim, &err);
	TAP_EQ_U64(ret, (u64)-ENOSPC, "21 CMR holes in a TDMR: -ENOSPC");
	TAP_EQ_U64(err.err, (u64)-ENOSPC, "error code recorded");
	TAP_EQ_STR(err.msg,
		   "TDMR [0x0, 0x40000000): reserved areas exhausted (21 needed, 16 allowed)",
		   "clear message naming the TDMR");
	TAP_EQ_U64(lay.nr, 0, "failed build leaves no TDMRs");

	lim.max_rsvd_per_tdmr = 21;
	TAP_OK(tdx_layout_build(&lay, &cover.rs, &cmrs.rs, &lim, &err) ==
	       -EINVAL, "max_rsvd_per_tdmr above 16: -EINVAL (%s)", err.msg);
	tdx_limits_default(&lim);
	/* Exactly 16: 15 CMRs leave 14 holes between them, head and tail. */
	cmrs.rs.nr = 15;
	cover.rs.nr = 15;
	ret = tdx_layout_build(&lay, &cover.rs, &cmrs.rs, &lim, &err);
	TAP_EQ_U64(ret, 0, "exactly 16 CMR holes fit");
	TAP_EQ_U64(lay.tdmr[0].nr_rsvd, 16, "16 reserved areas");
	TAP_EQ_U64(lay.tdmr[0].rsvd[15].start, 30 * 16 * M, "last hole start");
	TAP_EQ_U64(lay.tdmr[0].rsvd[15].end, G, "last hole runs to the end");
}

static void test_more_runs_than_tdmrs(void)
{
	struct set cover;
	int ret;

	/* Runs at 0, 6, 8, 11, 15 GiB: gaps of 5, 1, 2 and 3 GiB. */
	SET(&cover, 0, G, 6 * G, 7 * G, 8 * G, 9 * G, 11 * G, 12 * G,
	    15 * G, 16 * G);
	ret = tdx_layout_build(&lay, &cover.rs, &cover.rs, &lim, &err);
	TAP_EQ_U64(ret, 0, "5 runs, 64 TDMRs allowed: ok");
	TAP_EQ_U64(lay.nr, 5, "every run its own TDMR");

	lim.max_tdmrs = 3;
	ret = tdx_layout_build(&lay, &cover.rs, &cover.rs, &lim, &err);
	TAP_EQ_U64(ret, 0, "5 runs, 3 TDMRs: ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,40000000) [180000000,300000000) [3c0000000,400000000)",
		   "the 1 and 2 GiB gaps merged, the 5 and 3 GiB kept");
	TAP_EQ_STR(fmt_rsvd(1), "[1c0000000,200000000) [240000000,2c0000000)",
		   "merged gaps outside CMRs become reserved areas");
	TAP_EQ_U64(lay.tdmr[2].pamt_size[TDX_PAMT_4K], 4 * M,
		   "PAMT of the last TDMR sized for 1 GiB");

	lim.max_tdmrs = 1;
	ret = tdx_layout_build(&lay, &cover.rs, &cover.rs, &lim, &err);
	TAP_EQ_STR(fmt_tdmrs(), "[0,400000000)", "1 TDMR: everything merged");
	TAP_EQ_U64(lay.tdmr[0].nr_rsvd, 4, "4 gaps reserved");

	/* Equal gaps: the lowest ones merge first. */
	lim.max_tdmrs = 2;
	SET(&cover, 0, G, 2 * G, 3 * G, 4 * G, 5 * G, 6 * G, 7 * G);
	ret = tdx_layout_build(&lay, &cover.rs, &cover.rs, &lim, &err);
	TAP_EQ_STR(fmt_tdmrs(), "[0,140000000) [180000000,1c0000000)",
		   "equal gaps: lowest merged first");
	tdx_limits_default(&lim);
}

/* Brute force: all gaps sorted by (size, address), merge from the start. */
static unsigned int ref_runs(const struct tdx_rangeset *cover,
			     unsigned int max, u64 *base, u64 *end)
{
	unsigned int n = 0, i, j, best;
	u64 s, e, g, bg;

	for (i = 0; i < cover->nr; i++) {
		s = cover->r[i].start & ~(G - 1);
		e = (cover->r[i].end + G - 1) & ~(G - 1);
		if (n && end[n - 1] >= s) {
			if (e > end[n - 1])
				end[n - 1] = e;
			continue;
		}
		base[n] = s;
		end[n++] = e;
	}
	while (n > max) {
		best = 0;
		bg = ~0ULL;
		for (j = 0; j + 1 < n; j++) {
			g = base[j + 1] - end[j];
			if (g < bg) {
				bg = g;
				best = j;
			}
		}
		end[best] = end[best + 1];
		memmove(&base[best + 1], &base[best + 2],
			(n - best - 2) * sizeof(u64));
		memmove(&end[best + 1], &end[best + 2],
			(n - best - 2) * sizeof(u64));
		n--;
	}
	return n;
}

static void test_runs_random(void)
{
	static u64 rb[MM_MAX], re[MM_MAX];
	struct set cover, cmrs;
	unsigned int iter, i, n, bad = 0;
	u64 pos;
	int ret;

	srand(7);
	SET(&cmrs, 0, 1ULL << 52);
	for (iter = 0; iter < 2000; iter++) {
		tdx_rs_init(&cover.rs, cover.buf, MM_MAX);
		pos = (rand() % 4) * G / 2;
		n = 1 + rand() % 120;
		for (i = 0; i < n; i++) {
			u64 len = (1 + rand() % 2048) * M;

			tdx_rs_add(&cover.rs, pos, pos + len);
			pos += len + (rand() % 6) * G / 2 + (rand() % 64) * M;
		}
		lim.max_tdmrs = 1 + rand() % 64;
		/* All convertible: merged gaps need no reserved areas. */
		ret = tdx_layout_build(&lay, &cover.rs, &cmrs.rs, &lim, &err);
		n = ref_runs(&cover.rs, lim.max_tdmrs, rb, re);
		if (ret || lay.nr != n) {
			bad++;
			continue;
		}
		for (i = 0; i < n; i++)
			if (lay.tdmr[i].base != rb[i] ||
			    lay.tdmr[i].base + lay.tdmr[i].size != re[i])
				bad++;
	}
	tdx_limits_default(&lim);
	TAP_EQ_U64(bad, 0, "2000 random covers: runs equal the brute force");
}

static void test_gaps(void)
{
	struct set cover, cmrs;
	int ret;

	ret = tdx_layout_build(&lay, SET(&cover, 0, G, 2 * G, 3 * G),
			       &cover.rs, &lim, &err);
	TAP_EQ_U64(ret, 0, "1 GiB gap: ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,40000000) [80000000,c0000000)",
		   "a whole free granule keeps TDMRs apart");

	/* 1.5 GiB gap that contains no whole granule. */
	ret = tdx_layout_build(&lay, SET(&cover, 0, 5 * G / 4, 11 * G / 4,
					 4 * G), &cover.rs, &lim, &err);
	TAP_EQ_STR(fmt_tdmrs(), "[0,100000000)",
		   "a gap without a free granule does not split");
	TAP_EQ_STR(fmt_rsvd(0), "[50000000,b0000000)",
		   "the gap is reserved (outside CMRs)");

	/* The gap is convertible: it stays TDX memory, nothing reserved. */
	ret = tdx_layout_build(&lay, &cover.rs, SET(&cmrs, 0, 4 * G), &lim,
			       &err);
	TAP_EQ_U64(lay.tdmr[0].nr_rsvd, 0, "convertible gap not reserved");
}

static void test_bad_input(void)
{
	struct set cover, cmrs;
	int ret;

	lay.nr = 3;
	ret = tdx_layout_build(&lay, SET(&cover, 0, 0), SET(&cmrs, 0, G),
			       &lim, &err);
	TAP_EQ_U64(ret, (u64)-EINVAL, "empty cover: -EINVAL");
	TAP_EQ_STR(err.msg, "no memory to cover", "empty cover message");

	ret = tdx_layout_build(&lay, SET(&cover, M, 2 * G, 3 * G, 5 * G),
			       SET(&cmrs, 0, G, 3 * G, 4 * G), &lim, &err);
	TAP_EQ_U64(ret, (u64)-EINVAL, "cover outside CMRs: -EINVAL");
	TAP_EQ_STR(err.msg,
		   "memory [0x40000000, 0x80000000): not convertible (outside CMRs)",
		   "message names the first non-convertible range");
	TAP_EQ_U64(lay.nr, 0, "no TDMRs after failure");

	lim.max_tdmrs = 0;
	ret = tdx_layout_build(&lay, SET(&cover, 0, G), SET(&cmrs, 0, G),
			       &lim, &err);
	TAP_EQ_U64(ret, (u64)-EINVAL, "max_tdmrs 0: -EINVAL");
	tdx_limits_default(&lim);

	ret = tdx_layout_build(&lay, SET(&cover, 0, 1ULL << 53),
			       SET(&cmrs, 0, 1ULL << 53), &lim, &err);
	TAP_EQ_U64(ret, (u64)-EINVAL, "above 2^52: -EINVAL");
}

static void test_pamts(void)
{
	struct set cover, cmrs, ram, out;
	struct tdx_range small_buf[1];
	struct tdx_rangeset small;
	struct tdx_tdmr_info info;
	u64 p0 = 8 * M + 16 * K + 4 * K, p1 = 16 * M + 32 * K + 4 * K;
	int ret;

	SET(&cmrs, M, 0x7f000000, 4 * G, 8 * G);
	tdx_rs_copy(SET(&cover, 0, 0), &cmrs.rs);
	SET(&ram, M, 0x7f000000, 4 * G, 8 * G);
	TAP_EQ_U64(tdx_layout_build(&lay, &cover.rs, &cmrs.rs, &lim, &err), 0,
		   "PAMT map: build ok");

	TAP_EQ_U64(tdx_layout_add_pamts(&lay, &lim, &err), (u64)-EINVAL,
		   "add_pamts before placement: -EINVAL");
	TAP_EQ_STR(err.msg, "TDMR [0x0, 0x80000000): PAMT not placed",
		   "unplaced PAMT named");

	ret = tdx_layout_place_pamts(&lay, &ram.rs, &err);
	TAP_EQ_U64(ret, 0, "place: ok");
	TAP_EQ_U64(lay.tdmr[0].pamt_base, 0x7f000000 - p0,
		   "place: TDMR 0's PAMT at the top of its RAM");
	TAP_EQ_U64(lay.tdmr[1].pamt_base, 8 * G - p1,
		   "place: TDMR 1's PAMT at the top of its RAM");

	ret = tdx_layout_add_pamts(&lay, &lim, &err);
	TAP_EQ_U64(ret, 0, "add_pamts: ok");
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [7e7fb000,80000000)",
		   "PAMT touching the CMR hole merges with it");
	TAP_EQ_STR(fmt_rsvd(1), "[1feff7000,200000000)",
		   "TDMR 1's PAMT is its only reserved area");
	ret = tdx_layout_add_pamts(&lay, &lim, &err);
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [7e7fb000,80000000)",
		   "add_pamts twice changes nothing");

	tdx_rs_init(&out.rs, out.buf, MM_MAX);
	TAP_EQ_U64(tdx_layout_tdx_memory(&lay, &cmrs.rs, &out.rs), 0,
		   "tdx_memory: ok");
	TAP_EQ_STR(fmt_set(&out.rs), "[100000,7e7fb000) [100000000,1feff7000)",
		   "tdx_memory: TDMRs minus reserved areas");
	tdx_rs_init(&small, small_buf, 1);
	TAP_EQ_U64(tdx_layout_tdx_memory(&lay, &cmrs.rs, &small),
		   (u64)-ENOSPC, "tdx_memory into a small set: -ENOSPC");

	tdx_layout_to_info(&lay, 0, &info);
	TAP_EQ_U64(info.base, 0, "info: base");
	TAP_EQ_U64(info.size, 2 * G, "info: size");
	TAP_EQ_U64(info.pamt_4k_base, 0x7e7fb000, "info: 4K PAMT at pamt_base");
	TAP_EQ_U64(info.pamt_4k_size, 8 * M, "info: 4K size");
	TAP_EQ_U64(info.pamt_2m_base, 0x7e7fb000 + 8 * M,
		   "info: 2M PAMT after the 4K level");
	TAP_EQ_U64(info.pamt_2m_size, 16 * K, "info: 2M size");
	TAP_EQ_U64(info.pamt_1g_base, 0x7e7fb000 + 8 * M + 16 * K,
		   "info: 1G PAMT after the 2M level");
	TAP_EQ_U64(info.pamt_1g_size, 4 * K, "info: 1G size");
	TAP_EQ_U64(info.rsvd[0].offset, 0, "info: rsvd 0 offset");
	TAP_EQ_U64(info.rsvd[0].size, M, "info: rsvd 0 size");
	TAP_EQ_U64(info.rsvd[1].offset, 0x7e7fb000, "info: rsvd 1 offset");
	TAP_EQ_U64(info.rsvd[1].size, 2 * G - 0x7e7fb000, "info: rsvd 1 size");
	TAP_EQ_U64(info.rsvd[2].offset | info.rsvd[2].size |
		   info.rsvd[15].offset | info.rsvd[15].size, 0,
		   "info: unused reserved entries zero");
	tdx_layout_to_info(&lay, 1, &info);
	TAP_EQ_U64(info.rsvd[0].offset, 4 * G - p1,
		   "info: TDMR 1 reserved offset relative to its base");
	memset(&info, 0xff, sizeof(info));
	tdx_layout_to_info(&lay, 5, &info);
	TAP_EQ_U64(info.base | info.size | info.pamt_4k_base, 0,
		   "info: TDMR index out of range gives zeros");

	/* Another TDMR's PAMT placed inside TDMR 0: a new area, and limits. */
	lay.tdmr[1].pamt_base = 0x10000000;
	ret = tdx_layout_add_pamts(&lay, &lim, &err);
	TAP_EQ_U64(ret, 0, "foreign PAMT inside TDMR 0: ok");
	TAP_EQ_STR(fmt_rsvd(0),
		   "[0,100000) [10000000,11009000) [7e7fb000,80000000)",
		   "foreign PAMT becomes a reserved area of TDMR 0");

	lay.tdmr[1].pamt_base = 0x20000000;
	lim.max_rsvd_per_tdmr = 3;
	ret = tdx_layout_add_pamts(&lay, &lim, &err);
	TAP_EQ_U64(ret, (u64)-ENOSPC, "limit 3, 4 areas needed: -ENOSPC");
	TAP_EQ_STR(err.msg,
		   "TDMR [0x0, 0x80000000): reserved areas exhausted (4 needed, 3 allowed)",
		   "add_pamts names the TDMR");
	TAP_EQ_STR(fmt_rsvd(0),
		   "[0,100000) [10000000,11009000) [7e7fb000,80000000)",
		   "reserved areas unchanged after -ENOSPC");
	lay.tdmr[1].pamt_base = 0x10000000 + p1;	/* touching: merges */
	ret = tdx_layout_add_pamts(&lay, &lim, &err);
	TAP_EQ_U64(ret, 0, "touching PAMT within limit 3: ok");
	TAP_EQ_STR(fmt_rsvd(0),
		   "[0,100000) [10000000,12012000) [7e7fb000,80000000)",
		   "adjacent areas merged");
	tdx_limits_default(&lim);

	/* Fallback outside its TDMR, and no room at all. */
	SET(&ram, M, 0x7f000000, 4 * G, 4 * G + 8 * M);
	ret = tdx_layout_place_pamts(&lay, &ram.rs, &err);
	TAP_EQ_U64(ret, 0, "place with little RAM in TDMR 1: ok");
	TAP_EQ_U64(lay.tdmr[1].pamt_base, 0x7f000000 - p0 - p1,
		   "TDMR 1's PAMT falls back below TDMR 0's");
	SET(&ram, M, 8 * M, 4 * G, 4 * G + 8 * M);
	lay.tdmr[0].pamt_base = 0x1234000;
	ret = tdx_layout_place_pamts(&lay, &ram.rs, &err);
	TAP_EQ_U64(ret, (u64)-ENOMEM, "no room: -ENOMEM");
	TAP_EQ_STR(err.msg,
		   "TDMR [0x0, 0x80000000): no room for its PAMT (8212 KiB)",
		   "no-room message");
	TAP_EQ_U64(lay.tdmr[0].pamt_base | lay.tdmr[1].pamt_base, 0,
		   "failed placement leaves PAMTs unplaced");
}

static int load(const char *name, struct memmap *m)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", memmap_dir, name);
	return memmap_load(path, m);
}

/* Build, place and add PAMTs for a real map; 0 or the failing errno. */
static int full_layout(struct memmap *m)
{
	int ret;

	ret = tdx_layout_build(&lay, &m->cover, &m->cmrs, &lim, &err);
	if (!ret)
		ret = tdx_layout_place_pamts(&lay, &m->ram, &err);
	if (!ret)
		ret = tdx_layout_add_pamts(&lay, &lim, &err);
	if (ret)
		printf("# %s\n", err.msg);
	return ret;
}

static void test_real_maps(void)
{
	static struct memmap m;
	struct set cmrs, tmem;

	/* The EMR host of canonical/tdx#135. */
	if (!TAP_OK(!load("tdx-emr-fcp-canonical135-cmr.txt", &m),
		    "load EMR CMR file"))
		return;
	TAP_EQ_U64(full_layout(&m), 0, "EMR CMRs: full layout ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,80000000) [100000000,4080000000)",
		   "EMR CMRs: two TDMRs");
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [6effb000,80000000)",
		   "EMR CMRs: TDMR 0 reserves [0,1M), its PAMT and the top hole");
	TAP_EQ_U64(lay.tdmr[1].nr_rsvd, 4,
		   "EMR CMRs: TDMR 1 has 4 CMR holes, PAMT merged with the last");
	TAP_EQ_U64(lay.tdmr[1].rsvd[3].start,
		   0x407c000000ULL - tdx_tdmr_pamt_bytes(&lay.tdmr[1]),
		   "EMR CMRs: TDMR 1's PAMT right below its top hole");

	if (!TAP_OK(!load("tdx-emr-fcp-canonical135-e820-low.txt", &m),
		    "load EMR e820 file"))
		return;
	TAP_EQ_U64(m.usable.nr, 17, "EMR e820: 17 usable ranges below 2 GiB");
	/* With the real CMRs, the e820 holes are not reserved. */
	TAP_EQ_U64(tdx_layout_build(&lay, &m.cover, &m.cmrs, &lim, &err), 0,
		   "EMR e820 cover, real CMRs: build ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,80000000)", "EMR e820: one TDMR");
	TAP_EQ_STR(fmt_rsvd(0), "[0,100000) [6f800000,80000000)",
		   "EMR e820 with CMRs: 2 reserved areas in TDMR 0");
	/* The regression: e820 usable ranges taken as CMRs. */
	TAP_EQ_U64(tdx_layout_build(&lay, &m.usable, &m.usable, &lim, &err),
		   (u64)-ENOSPC, "EMR e820 as CMRs: -ENOSPC");
	TAP_EQ_STR(err.msg,
		   "TDMR [0x0, 0x80000000): reserved areas exhausted (17 needed, 16 allowed)",
		   "EMR e820 as CMRs: the upstream failure, with counts");

	/* Dell R7425, no CMRs in the file: CMRs = e820 usable. */
	if (!TAP_OK(!load("dell-r7425-epyc-1tb.txt", &m), "load Dell file"))
		return;
	TAP_EQ_U64(full_layout(&m), 0, "Dell: full layout ok");
	TAP_EQ_STR(fmt_tdmrs(),
		   "[0,80000000) [100000000,fd00000000) [fe00000000,10080000000)",
		   "Dell: the 4 GiB hole below 1 TiB splits TDMRs");
	TAP_EQ_STR(fmt_rsvd(0),
		   "[8f000,90000) [a0000,100000) [6c2ca000,6ffff000) [70000000,80000000)",
		   "Dell: TDMR 0 reserves the low e820 holes, PAMT below one");
	TAP_EQ_U64(lay.tdmr[1].nr_rsvd, 8, "Dell: TDMR 1: 7 node tails + PAMT");
	TAP_EQ_U64(lay.tdmr[2].nr_rsvd, 1,
		   "Dell: TDMR 2: tail hole merged with its PAMT below it");
	tdx_rs_init(&tmem.rs, tmem.buf, MM_MAX);
	TAP_EQ_U64(tdx_layout_tdx_memory(&lay, &m.cmrs, &tmem.rs), 0,
		   "Dell: tdx_memory ok");
	{
		/* What of the CMRs lies below 1 MiB is never TDX memory */
		u64 low = 0;
		unsigned int k;

		for (k = 0; k < m.cmrs.nr && m.cmrs.r[k].start < 0x100000; k++)
			low += (m.cmrs.r[k].end < 0x100000 ? m.cmrs.r[k].end :
				0x100000) - m.cmrs.r[k].start;
		TAP_EQ_U64(tdx_rs_bytes(&m.cmrs) - low - tdx_rs_bytes(&tmem.rs),
			   tdx_layout_pamt_bytes(&lay),
			   "Dell: TDX memory = convertible memory from 1 MiB minus PAMTs");
		TAP_OK(tmem.rs.nr && tmem.rs.r[0].start >= 0x100000,
		       "Dell: no TDX memory below 1 MiB, although the CMRs start at 0");
	}

	/* HPE UV: 16 blocks of 252 GiB between 4 GiB reserved ranges. */
	if (!TAP_OK(!load("hpe-uv-4tb.txt", &m), "load HPE file"))
		return;
	TAP_EQ_U64(full_layout(&m), 0, "HPE: full layout ok");
	TAP_EQ_U64(lay.nr, 17, "HPE: low TDMR + one per block");
	TAP_EQ_U64(lay.tdmr[16].base, 0x3c080000000ULL, "HPE: last base");
	TAP_EQ_U64(lay.tdmr[16].size, 252 * G, "HPE: last size 252 GiB");
	TAP_EQ_U64(lay.tdmr[0].nr_rsvd, 5, "HPE: 5 low holes");
	TAP_EQ_U64(tdx_layout_pamt_bytes(&lay),
		   17 * 4 * K + (2 + 250 + 15 * 252) * (4 * M + 8 * K),
		   "HPE: PAMT of 2 + 250 + 15 x 252 GiB");

	/* Sun X4600: one run over the hole below 4 GiB. */
	if (!TAP_OK(!load("sun-x4600m2-8s-128g.txt", &m), "load Sun file"))
		return;
	TAP_EQ_U64(tdx_layout_build(&lay, &m.cover, &m.cmrs, &lim, &err), 0,
		   "Sun: build ok");
	TAP_EQ_STR(fmt_tdmrs(), "[0,2040000000)", "Sun: one 129 GiB TDMR");
	TAP_EQ_STR(fmt_rsvd(0),
		   "[99000,100000) [d7fa0000,100000000) [2028000000,2040000000)",
		   "Sun: partial page at 0x99c00 reserved whole");
	TAP_EQ_U64(tdx_layout_pamt_bytes(&lay), 129 * 4 * M + 129 * 8 * K +
		   4 * K, "Sun: PAMT 516 MiB + 1032 KiB + 4 KiB");
	tdx_rs_copy(SET(&cmrs, 0, 0), &m.cmrs);
	TAP_OK(cmrs.rs.nr == 3, "Sun: 3 CMRs from e820");
}

int main(int argc, char **argv)
{
	char self[4096];
	const char *env = getenv("TDX_MEMMAP_DIR");

	(void)argc;
	if (env) {
		snprintf(memmap_dir, sizeof(memmap_dir), "%s", env);
	} else {
		snprintf(self, sizeof(self), "%s", argv[0]);
		snprintf(memmap_dir, sizeof(memmap_dir),
			 "%s/../data/memmaps", dirname(self));
	}
	tdx_limits_default(&lim);
	test_pamt_sizes();
	test_single_cmr();
	test_holes_below_4g();
	test_many_e820_holes();
	test_cmr_holes_exhausted();
	test_more_runs_than_tdmrs();
	test_runs_random();
	test_gaps();
	test_bad_input();
	test_pamts();
	test_real_maps();
	return tap_done();
}
