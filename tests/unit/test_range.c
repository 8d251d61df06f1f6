// SPDX-License-Identifier: GPL-2.0
/* Range sets: exact results on small cases, then random ops against a bitmap. */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "tdx_range.h"

/* "[s,e) [s,e)" in hex, for comparing whole sets in one check. */
static const char *fmt(const struct tdx_rangeset *rs)
{
	static char buf[1024];
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < rs->nr; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s[%llx,%llx)",
			      i ? " " : "", (unsigned long long)rs->r[i].start,
			      (unsigned long long)rs->r[i].end);
	return buf;
}

static void test_add(void)
{
	struct tdx_range buf[4];
	struct tdx_rangeset rs;

	tdx_rs_init(&rs, buf, 4);
	TAP_EQ_U64(rs.nr, 0, "init: empty");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x30, 0x40), 0, "add [30,40)");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x10, 0x20), 0, "add [10,20) before");
	TAP_EQ_STR(fmt(&rs), "[10,20) [30,40)", "sorted on insert");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x20, 0x28), 0, "add touching [20,28)");
	TAP_EQ_STR(fmt(&rs), "[10,28) [30,40)", "touching range merges");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x28, 0x30), 0, "add the gap [28,30)");
	TAP_EQ_STR(fmt(&rs), "[10,40)", "filling a gap merges both sides");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x50, 0x50), 0, "empty add is a no-op");
	TAP_EQ_STR(fmt(&rs), "[10,40)", "empty add changes nothing");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x60, 0x50), (u64)-EINVAL,
		   "inverted add: -EINVAL");
	tdx_rs_add(&rs, 0x100, 0x110);
	tdx_rs_add(&rs, 0x200, 0x210);
	tdx_rs_add(&rs, 0x300, 0x310);
	TAP_EQ_U64(rs.nr, 4, "four disjoint ranges fill the set");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x400, 0x410), (u64)-ENOSPC,
		   "fifth disjoint range: -ENOSPC");
	TAP_EQ_STR(fmt(&rs), "[10,40) [100,110) [200,210) [300,310)",
		   "set unchanged after -ENOSPC");
	TAP_EQ_U64(tdx_rs_add(&rs, 0x105, 0x305), 0,
		   "overlapping add works on a full set");
	TAP_EQ_STR(fmt(&rs), "[10,40) [100,310)", "three ranges merged");
	TAP_EQ_U64(tdx_rs_add(&rs, 0, ~0ULL), 0, "add everything");
	TAP_EQ_STR(fmt(&rs), "[0,ffffffffffffffff)", "one range left");
}

static void test_remove(void)
{
	struct tdx_range buf[3];
	struct tdx_rangeset rs;

	tdx_rs_init(&rs, buf, 3);
	tdx_rs_add(&rs, 0x100, 0x200);
	tdx_rs_add(&rs, 0x300, 0x400);
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x180, 0x340), 0, "remove across two");
	TAP_EQ_STR(fmt(&rs), "[100,180) [340,400)", "both trimmed");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x120, 0x140), 0, "remove a middle");
	TAP_EQ_STR(fmt(&rs), "[100,120) [140,180) [340,400)", "split in two");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x350, 0x360), (u64)-ENOSPC,
		   "split of a full set: -ENOSPC");
	TAP_EQ_STR(fmt(&rs), "[100,120) [140,180) [340,400)",
		   "set unchanged after -ENOSPC");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x340, 0x360), 0,
		   "trimming a full set needs no room");
	TAP_EQ_STR(fmt(&rs), "[100,120) [140,180) [360,400)", "head trimmed");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0, 0x390), 0, "remove a wide span");
	TAP_EQ_STR(fmt(&rs), "[390,400)", "covered ranges dropped");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x10, 0x5), (u64)-EINVAL,
		   "inverted remove: -EINVAL");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x400, 0x500), 0,
		   "remove touching but disjoint");
	TAP_EQ_STR(fmt(&rs), "[390,400)", "touching remove changes nothing");
	TAP_EQ_U64(tdx_rs_remove(&rs, 0x390, 0x400), 0, "remove exact");
	TAP_EQ_U64(rs.nr, 0, "set empty");
}

static void test_queries(void)
{
	struct tdx_range ba[4], bb[4], bo[4], bc[1];
	struct tdx_rangeset a, b, o, c;

	tdx_rs_init(&a, ba, 4);
	tdx_rs_init(&b, bb, 4);
	tdx_rs_init(&o, bo, 4);
	tdx_rs_init(&c, bc, 1);
	tdx_rs_add(&a, 0x0, 0x100);
	tdx_rs_add(&a, 0x200, 0x300);
	tdx_rs_add(&b, 0x80, 0x280);
	tdx_rs_add(&b, 0x2f0, 0x400);
	TAP_EQ_U64(tdx_rs_intersect(&a, &b, &o), 0, "intersect");
	TAP_EQ_STR(fmt(&o), "[80,100) [200,280) [2f0,300)", "intersection");
	TAP_EQ_U64(tdx_rs_intersect(&a, &b, &c), (u64)-ENOSPC,
		   "intersect into a small set: -ENOSPC");
	TAP_EQ_U64(c.nr, 0, "failed intersection leaves out empty");

	TAP_OK(tdx_rs_contains(&a, 0x10, 0x100), "contains inner range");
	TAP_OK(tdx_rs_contains(&a, 0x200, 0x300), "contains exact range");
	TAP_OK(!tdx_rs_contains(&a, 0xf0, 0x210), "not across a hole");
	TAP_OK(!tdx_rs_contains(&a, 0x2f0, 0x301), "not one byte past");
	TAP_OK(tdx_rs_contains(&a, 0x500, 0x500), "empty range contained");
	TAP_OK(tdx_rs_overlaps(&a, 0xff, 0x200), "overlap of one byte");
	TAP_OK(!tdx_rs_overlaps(&a, 0x100, 0x200), "hole does not overlap");
	TAP_OK(!tdx_rs_overlaps(&a, 0x300, 0x400), "touching: no overlap");
	TAP_EQ_U64(tdx_rs_bytes(&a), 0x200, "bytes");
	TAP_EQ_U64(tdx_rs_copy(&c, &a), (u64)-ENOSPC, "copy too big");
	TAP_EQ_U64(tdx_rs_copy(&o, &a), 0, "copy");
	TAP_EQ_STR(fmt(&o), "[0,100) [200,300)", "copy equal");
	tdx_rs_clear(&o);
	TAP_EQ_U64(o.nr, 0, "clear");
}

/* Random add/remove on addresses 0..255 against a byte map. */
static void test_random(void)
{
	struct tdx_range buf[64];
	struct tdx_rangeset rs;
	unsigned char map[256], inset[256];
	unsigned int i, k, bad = 0, nospc = 0, ops = 20000;
	u64 s, e;
	int ret;

	srand(1);
	tdx_rs_init(&rs, buf, 12);
	memset(map, 0, sizeof(map));
	for (k = 0; k < ops && !bad; k++) {
		s = rand() % 256;
		e = s + rand() % 24;
		if (e > 256)
			e = 256;
		if (rand() % 3) {
			ret = tdx_rs_add(&rs, s, e);
			if (!ret)
				memset(map + s, 1, e - s);
		} else {
			ret = tdx_rs_remove(&rs, s, e);
			if (!ret)
				memset(map + s, 0, e - s);
		}
		if (ret == -ENOSPC)
			nospc++;
		else if (ret)
			bad++;
		memset(inset, 0, sizeof(inset));
		for (i = 0; i < rs.nr; i++) {
			/* Sorted, non-empty, not touching the previous one. */
			if (rs.r[i].start >= rs.r[i].end ||
			    (i && rs.r[i - 1].end >= rs.r[i].start))
				bad++;
			memset(inset + rs.r[i].start, 1,
			       rs.r[i].end - rs.r[i].start);
		}
		if (memcmp(inset, map, sizeof(map)))
			bad++;
	}
	TAP_EQ_U64(bad, 0, "%u random ops match a byte map, stay sorted+merged",
		   ops);
	TAP_OK(nospc > 0, "random ops hit -ENOSPC (%u times) and kept the set",
	       nospc);
}

int main(void)
{
	test_add();
	test_remove();
	test_queries();
	test_random();
	return tap_done();
}
